// The node:http adapter's fast path belongs to the exact function createSessionHandler returned. A
// wrapper around it (a Proxy, a function inheriting from it) is a different function and must run:
// an auth wrapper that answers 401 ends the request without any upstream call. Against real servers:
// the adapter on node:http, the upstream a scripted node:http server on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toNodeHandler } from '../../src/adapters/node.js';
import { coreOf } from '../../src/handler/core.js';
import { createSessionHandler, type SessionHandler } from '../../src/handler/index.js';
import { json, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

const API_KEY = 'sk-wrapped-handler-0123456789';
let upstream: ScriptedServer;
useScriptedServer((s) => (upstream = s));

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((resolve) => {
      server?.closeAllConnections();
      server ? server.close(() => resolve()) : resolve();
      server = undefined;
    }),
);

function handler(): SessionHandler {
  return createSessionHandler({ apiKey: API_KEY, baseUrl: `${upstream.url}/v1`, maxRetries: 0 });
}

/** Serves `fetchHandler` through toNodeHandler and POSTs one browser request to it. */
async function post(fetchHandler: (request: Request) => Promise<Response>): Promise<Response> {
  server = createServer(toNodeHandler(fetchHandler));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}

const refuse = async () => new Response('{"error":{"message":"wrapped: unauthorized"}}', { status: 401 });

describe('a wrapper around the handler always runs under toNodeHandler', () => {
  it('control: the bare handler mints (so the refusals below are the wrapper speaking)', async () => {
    upstream.reply(
      json(200, { value: 'ek_wrapped_control', expires_at: 2_000_000_000, session: { type: 'realtime' } }),
    );
    const response = await post(handler());
    expect(response.status).toBe(200);
    expect(upstream.count).toBe(1);
  });

  it('a Proxy whose apply answers 401: 401, and the upstream is never called', async () => {
    const wrapped = new Proxy(handler(), { apply: () => refuse() });
    const response = await post(wrapped);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('wrapped: unauthorized');
    expect(upstream.count).toBe(0);
  });

  it('a function whose prototype is the handler: it runs, and the upstream is never called', async () => {
    const inner = handler();
    const wrapped = Object.setPrototypeOf(async () => refuse(), inner) as SessionHandler;
    const response = await post(wrapped);
    expect(response.status).toBe(401);
    expect(upstream.count).toBe(0);
  });

  it('a Proxy that forwards every call still mints, through the generic Fetch path', async () => {
    upstream.reply(
      json(200, { value: 'ek_wrapped_forward', expires_at: 2_000_000_000, session: { type: 'realtime' } }),
    );
    const calls: string[] = [];
    const wrapped = new Proxy(handler(), {
      apply: (target, self, args: [Request]) => {
        calls.push(args[0].method);
        return Reflect.apply(target, self, args);
      },
    });
    const response = await post(wrapped);
    expect(response.status).toBe(200);
    expect(calls).toEqual(['POST']);
    expect(upstream.count).toBe(1);
  });

  it('the fast path is found for the exact handler only, and through the process-wide registry', () => {
    const inner = handler();
    expect(typeof coreOf(inner)).toBe('function');
    expect(coreOf(new Proxy(inner, {}))).toBeUndefined();
    expect(coreOf(Object.setPrototypeOf(() => undefined, inner))).toBeUndefined();
    // Another copy of the package finds the same map: it is keyed in the global symbol registry.
    const registry = (globalThis as Record<symbol, unknown>)[
      Symbol.for('realtime-sessions.handler-cores.v1')
    ];
    expect(registry).toBeInstanceOf(WeakMap);
    expect((registry as WeakMap<object, unknown>).get(inner)).toBe(coreOf(inner));
  });
});
