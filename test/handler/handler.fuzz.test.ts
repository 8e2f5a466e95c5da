// Property test: whatever a browser (or an attacker) sends, the handler answers with JSON, and the
// upstream is called only for requests that pass every check, with exactly the pinned config plus
// the allowed fields. The upstream is a real node:http server on 127.0.0.1 that records what it got.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionHandler } from '../../src/handler/index.js';
import { jsonKeys, jsonObjectText, nestedJsonText, routeRequest } from '../helpers/fuzz.js';
import { json, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { betaSession } from './support.js';
import { betaFieldValid } from '../helpers/beta-fields.js';

const API_KEY = 'sk-fuzz-KEY-0123456789abcdef';
const SECRET = 'ek_fuzz_secret_0123456789abcdef';
const ALLOWED_ORIGIN = 'https://app.example.com';
const APP_TOKEN = 'Bearer app-token';
const MAX_BODY = 512;
const PINNED = { model: 'gpt-realtime', instructions: 'Be brief.', voice: 'alloy' } as const;
const ALLOWED = ['voice', 'temperature'] as const;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const MINTED = betaSession('sess_fuzz', SECRET);

let upstream: ScriptedServer;
useScriptedServer((s) => (upstream = s));

// --- Inputs -------------------------------------------------------------------------------------

const KEYS = [
  'voice',
  'temperature',
  'model',
  'instructions',
  'tools',
  '__proto__',
  'constructor',
  'prototype',
  'x',
  '',
];

/** JSON text built by hand, so keys like `__proto__` reach the handler as written. */
const jsonText = nestedJsonText(
  fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
  jsonKeys(...KEYS),
);

/** Objects whose keys are mostly the ones that matter, with arbitrary JSON values. */
const objectText = jsonObjectText(jsonKeys(...KEYS), jsonText, 4);

const encoder = new TextEncoder();
/** Objects with allowed keys only: these should reach the upstream unless a value nests a bad key. */
const allowedObjectText = jsonObjectText(jsonKeys('voice', 'temperature'), jsonText, 3);

const body = fc.oneof(
  fc.constant(new Uint8Array(0)),
  allowedObjectText.map((t) => encoder.encode(t)),
  allowedObjectText.map((t) => encoder.encode(` ${t}\n`)),
  objectText.map((t) => encoder.encode(t)),
  jsonText.map((t) => encoder.encode(t)),
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ maxLength: 40 }).map((t) => encoder.encode(t)),
  // Past the limit, as valid JSON so only the size check can refuse it.
  fc
    .integer({ min: MAX_BODY - 20, max: MAX_BODY + 40 })
    .map((n) => encoder.encode(`{"voice":"${'v'.repeat(n)}"}`)),
);

const METHODS = ['POST', 'post', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON;charset="UTF-8"',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/jsonx',
  '',
] as const;
const ORIGINS = [undefined, ALLOWED_ORIGIN, 'https://evil.example', 'null'] as const;
const AUTHORIZATIONS = [APP_TOKEN, undefined, 'Bearer wrong'] as const;

/** A request that passes every header check, so the body decides. */
const wellFormed = fc.record({
  method: fc.constantFrom('POST', 'post'),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON;charset="UTF-8"',
  ),
  origin: fc.constantFrom(undefined, ALLOWED_ORIGIN),
  authorization: fc.constant<string | undefined>(APP_TOKEN),
  declareLength: fc.boolean(),
  body,
});

/** Anything at all in every position. */
const anything = fc.record({
  method: fc.constantFrom(...METHODS),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  origin: fc.constantFrom(...ORIGINS),
  authorization: fc.constantFrom(...AUTHORIZATIONS),
  declareLength: fc.boolean(),
  body,
});

const input = fc.oneof({ arbitrary: wellFormed, weight: 3 }, { arbitrary: anything, weight: 2 });

type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

// --- Oracle: the spec, written independently of the handler -------------------------------------

function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).some(
    (k) => FORBIDDEN.has(k) || hasForbiddenKey((value as Record<string, unknown>)[k]),
  );
}

function expected(i: Input): { status: number; reason: string; fields?: Record<string, unknown> } {
  const method = i.method.toUpperCase();
  if (i.origin !== undefined && i.origin !== ALLOWED_ORIGIN) return { status: 403, reason: 'origin' };
  if (method === 'OPTIONS') return { status: 204, reason: 'preflight' };
  if (method !== 'POST') return { status: 405, reason: 'method' };
  if (i.authorization !== APP_TOKEN) return { status: 401, reason: 'unauthorized' };
  if (!/^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i.test(i.contentType ?? ''))
    return { status: 415, reason: 'content-type' };
  if (i.body.byteLength > MAX_BODY) return { status: 413, reason: 'too large' };
  if (i.body.byteLength === 0) return { status: 200, reason: 'empty body', fields: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(i.body));
  } catch {
    return { status: 400, reason: 'not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { status: 400, reason: 'not an object' };
  if (hasForbiddenKey(parsed)) return { status: 400, reason: 'forbidden key' };
  if (!Object.keys(parsed).every((k) => (ALLOWED as readonly string[]).includes(k))) {
    return { status: 400, reason: 'field not allowed' };
  }
  const fields = parsed as Record<string, unknown>;
  // Each allowed field against the pinned schema, before any upstream call.
  if (Object.entries(fields).some(([k, v]) => !betaFieldValid(k, v)))
    return { status: 400, reason: 'invalid field' };
  return {
    status: 200,
    reason: Object.keys(fields).length > 0 ? 'client fields' : 'no client fields',
    fields,
  };
}

function toRequest(i: Input): Request {
  const headers = new Headers();
  if (i.contentType !== undefined) headers.set('content-type', i.contentType);
  if (i.origin !== undefined) headers.set('origin', i.origin);
  if (i.authorization !== undefined) headers.set('authorization', i.authorization);
  const method = i.method.toUpperCase();
  const withBody = method !== 'GET' && method !== 'HEAD';
  if (withBody && i.declareLength) headers.set('content-length', String(i.body.byteLength));
  // A stream without Content-Length, as a chunked upload would arrive, or bytes with it.
  return routeRequest(i.method, headers, i.body, i.declareLength ? undefined : 100);
}

describe('createSessionHandler under arbitrary requests', () => {
  it('answers JSON with the expected status, and calls upstream only for valid requests, with pinned + allowed fields', async () => {
    upstream.fallback = json(200, MINTED);
    const handler = createSessionHandler({
      endpoint: 'sessions',
      apiKey: API_KEY,
      baseUrl: `${upstream.url}/v1`,
      maxRetries: 0,
      session: PINNED,
      allowFromClient: [...ALLOWED],
      maxBodyBytes: MAX_BODY,
      cors: { origins: [ALLOWED_ORIGIN] },
      authorize: (request) => request.headers.get('authorization') === APP_TOKEN,
    });

    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const before = upstream.count;
        const calls = () => upstream.requests.slice(before);
        const want = expected(i);
        seen.set(want.reason, (seen.get(want.reason) ?? 0) + 1);
        const response = await handler(toRequest(i));
        const text = await response.text();

        expect(response.status).toBe(want.status);
        expect(text).not.toContain(API_KEY);
        if (want.status === 204) {
          expect(text).toBe('');
          expect(calls()).toHaveLength(0);
          return;
        }
        expect(response.headers.get('content-type')).toBe('application/json');
        expect(response.headers.get('cache-control')).toBe('no-store');
        const json = JSON.parse(text) as Record<string, any>;
        if (want.status === 200) {
          expect(json.client_secret).toEqual({ value: SECRET, expires_at: 2_000_000_000 });
          expect(json.session).toEqual({
            id: 'sess_fuzz',
            object: 'realtime.session',
            model: 'gpt-realtime',
          });
          const [sent, ...more] = calls();
          expect(more).toHaveLength(0);
          expect(sent.method).toBe('POST');
          expect(sent.url).toBe('/v1/realtime/sessions');
          expect(sent.headers.authorization).toBe(`Bearer ${API_KEY}`);
          expect(JSON.parse(sent.body)).toEqual({ ...PINNED, ...want.fields });
        } else {
          expect(typeof json.error.message).toBe('string');
          expect(text).not.toContain(SECRET);
          expect(calls()).toHaveLength(0);
        }
      }),
      { seed: 20260425, numRuns: 200 },
    );
    // The generators must reach every outcome, or the property proves less than it claims.
    const reasons = [
      'origin',
      'preflight',
      'method',
      'unauthorized',
      'content-type',
      'too large',
      'empty body',
    ];
    reasons.push(
      'not JSON',
      'not an object',
      'forbidden key',
      'field not allowed',
      'client fields',
      'no client fields',
    );
    for (const reason of reasons) expect(seen.get(reason) ?? 0, reason).toBeGreaterThan(0);
  });
});
