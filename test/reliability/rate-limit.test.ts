// The README's rate-limit recipe, run as written against a real redis-server: two token-route
// instances (two servers, as two app instances would be) share one per-user limit through Redis, so
// the N+1st request across both gets 429 with Retry-After, and the upstream is never called for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/prism.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { createSessionHandler } from '../../src/handler/index.js';
import { listen, type Listening } from '../helpers/listen.js';
import { json, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';

const API_KEY = 'sk-rate-limit-KEY-0123456789abcdef';
const LIMIT = 3;

let upstream: ScriptedServer;
useScriptedServer((s) => (upstream = s));

let redis: ChildProcess;
let port: number;
const clients: Redis[] = [];
const apps: Listening[] = [];

beforeAll(async () => {
  port = await freePort();
  redis = spawn(process.env.REDIS_SERVER ?? 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  let log = '';
  redis.stdout?.on('data', (d) => (log += d));
  const deadline = Date.now() + 15_000;
  while (!/Ready to accept connections/.test(log)) {
    if (redis.exitCode !== null) throw new Error(`redis-server exited:\n${log}`);
    if (Date.now() > deadline) throw new Error(`redis-server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  for (const client of clients) client.disconnect();
  redis?.kill('SIGTERM');
});

/** One app instance: its own Redis connection and its own token route, as the README shows it. */
async function instance(): Promise<Listening> {
  const storeClient = new Redis({ host: '127.0.0.1', port, lazyConnect: false });
  clients.push(storeClient);
  // One limiter definition for every instance: the same keyPrefix, points and duration.
  const limiter = new RateLimiterRedis({
    storeClient,
    keyPrefix: 'realtime-session',
    points: LIMIT,
    duration: 60,
  });
  const handler = createSessionHandler({
    apiKey: API_KEY,
    baseUrl: `${upstream.url}/v1`,
    maxRetries: 0,
    session: { type: 'realtime', model: 'gpt-realtime' },
    authorize: async (request) => {
      // Your own auth decides who the user is; here a header stands in for a session cookie.
      const user = request.headers.get('x-user');
      if (!user) return false;
      try {
        await limiter.consume(user);
        return true;
      } catch (result) {
        if (!(result instanceof RateLimiterRes)) throw result; // Redis is down: 500, and onError
        return new Response(
          JSON.stringify({ error: { message: 'too many sessions', code: 'rate_limited' } }),
          {
            status: 429,
            headers: {
              'content-type': 'application/json',
              'retry-after': String(Math.ceil(result.msBeforeNext / 1000)),
            },
          },
        );
      }
    },
  });
  const app = await listen(createServer(toNodeHandler(handler)));
  apps.push(app);
  return app;
}

const ask = (app: Listening, user: string) =>
  fetch(`${app.url}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': user },
    body: '{}',
  });

describe('a per-user limit across two token-route instances, on a real Redis', () => {
  it(`the ${LIMIT + 1}th request across both instances gets 429 with Retry-After and no upstream call`, async () => {
    const [a, b] = await Promise.all([instance(), instance()]);
    upstream.fallback = json(200, {
      value: 'ek_rate_limited_secret_0123456789',
      expires_at: Math.floor(Date.now() / 1000) + 600,
      session: { type: 'realtime' },
    });

    const statuses: number[] = [];
    for (const app of [a, b, a]) statuses.push((await ask(app, 'alice')).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(upstream.count).toBe(LIMIT);

    const refused = await ask(b, 'alice');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect(upstream.count).toBe(LIMIT);

    // Another user has a limit of their own.
    expect((await ask(b, 'bob')).status).toBe(200);
    expect(upstream.count).toBe(LIMIT + 1);
  });
});
