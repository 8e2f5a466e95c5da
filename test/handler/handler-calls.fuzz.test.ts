// Property test for the calls mode: whatever a page (or an attacker) POSTs, the route answers 201
// with the upstream's SDP answer, or a JSON 4xx, and it calls the upstream exactly when the request
// passes every check, with exactly the page's offer and the pinned session plus the allowed fields.
// The expected outcome is worked out here from the request as generated (not from the route's
// code), and the upstream is a real node:http server on 127.0.0.1 that records what it got.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../../scripts/lib/stand-in-calls.js';
import { createSessionHandler } from '../../src/index.js';
import { text, useScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js';
import { ANSWER, OFFER } from '../helpers/sdp.js';

const API_KEY = 'sk-fuzz-calls-0123456789abcdef';
const MAX_OFFER = 1024;
const PINNED = { type: 'realtime', model: 'gpt-realtime', instructions: 'Pinned.' } as const;

let upstream: ScriptedServer;
useScriptedServer((s) => (upstream = s));

// --- Inputs -------------------------------------------------------------------------------------

const sdpLines = fc.array(
  fc.constantFrom('o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0'),
  { maxLength: 6 },
);
/** An offer: mostly well-formed, sometimes without `v=0` first or without any `m=` line. */
const offer = fc.oneof(
  fc
    .tuple(sdpLines, fc.constantFrom('\r\n', '\n'))
    .map(([lines, eol]) =>
      ['v=0', ...lines, 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', ''].join(eol),
    ),
  sdpLines.map((lines) => ['v=0', ...lines, ''].join('\r\n')),
  sdpLines.map((lines) => [...lines, 'v=0', 'm=audio 9 RTP/AVP 0', ''].join('\r\n')),
  fc.string({ maxLength: 40 }),
  // Past the cap, as a valid offer so only the size check can refuse it.
  fc
    .integer({ min: MAX_OFFER - 80, max: MAX_OFFER + 40 })
    .map((n) => `v=0\r\nm=audio 9 RTP/AVP 0\r\na=x:${'p'.repeat(n)}\r\n`),
);

/** A `session` part's JSON text, written by hand so `__proto__` arrives as written. */
const sessionText = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.constantFrom('voice', 'instructions', '__proto__', 'type'),
        fc.constantFrom('"verse"', '"cedar"', '42', '{}', '{"id":"voice_1"}', 'null'),
      ),
      { maxLength: 3 },
    )
    .map((entries) => `{${entries.map(([k, v]) => `"${k}":${v}`).join(',')}}`),
  fc.constantFrom('', '{', '"verse"', '[]', 'null'),
);

const part = fc.oneof(
  { weight: 3, arbitrary: offer.map((value) => ['sdp', value] as const) },
  { weight: 2, arbitrary: sessionText.map((value) => ['session', value] as const) },
  { weight: 1, arbitrary: fc.constantFrom(['model', 'gpt-x'] as const, ['Sdp', 'x'] as const) },
);

const request = fc.oneof(
  fc.record({
    kind: fc.constant('raw' as const),
    offer,
    contentType: fc.constantFrom('application/sdp', 'application/sdp; charset=utf-8', 'APPLICATION/SDP'),
  }),
  fc.record({ kind: fc.constant('multipart' as const), parts: fc.array(part, { maxLength: 3 }) }),
  fc.record({
    kind: fc.constant('other' as const),
    offer,
    contentType: fc.constantFrom(
      'application/json',
      'text/plain',
      'application/sdpx',
      'multipart/form-data',
      '',
    ),
  }),
  fc.record({
    kind: fc.constant('method' as const),
    offer,
    method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
  }),
);
type Case = typeof request extends fc.Arbitrary<infer T> ? T : never;

// --- The oracle ---------------------------------------------------------------------------------

const isOffer = (sdp: string) => /^v=0\r?\n/.test(sdp) && /^m=/m.test(sdp);
const VOICE_OK = new Set(['"verse"', '"cedar"', '{"id":"voice_1"}']);

/** What the route must do with `c`: the status and, for a 201, the session part it must send. */
function expected(c: Case, bodyBytes: number): { status: number; session?: Record<string, unknown> } {
  if (c.kind === 'method') return { status: 405 };
  if (c.kind === 'other') return { status: 415 };
  if (bodyBytes > MAX_OFFER) return { status: 413 };
  if (c.kind === 'raw') return isOffer(c.offer) ? { status: 201, session: { ...PINNED } } : { status: 400 };
  const names = c.parts.map(([name]) => name);
  if (names.some((n) => n !== 'sdp' && n !== 'session') || new Set(names).size !== names.length) {
    return { status: 400 };
  }
  const sdp = c.parts.find(([name]) => name === 'sdp')?.[1];
  if (sdp === undefined || !isOffer(sdp)) return { status: 400 };
  const session = c.parts.find(([name]) => name === 'session')?.[1];
  // An empty part sets nothing, as an empty body does in the other modes.
  if (session === undefined || session === '') return { status: 201, session: { ...PINNED } };
  if (!/^\{.*\}$/s.test(session)) return { status: 400 };
  const entries = [...session.matchAll(/"(\w+)":(\{[^}]*\}|[^,}]+)/g)].map((m) => [m[1]!, m[2]!] as const);
  if (entries.some(([k]) => k !== 'voice')) return { status: 400 };
  // JSON.parse keeps the last of repeated keys.
  const voice = entries.at(-1);
  if (voice === undefined) return { status: 201, session: { ...PINNED } };
  if (!VOICE_OK.has(voice[1])) return { status: 400 };
  return { status: 201, session: { ...PINNED, audio: { output: { voice: JSON.parse(voice[1]) } } } };
}

function toRequest(c: Case): { request: Request; bytes: number; sdp?: string } {
  const url = 'http://app.test/call';
  if (c.kind === 'method') return { request: new Request(url, { method: c.method }), bytes: 0 };
  if (c.kind === 'raw' || c.kind === 'other') {
    const body = new TextEncoder().encode(c.offer);
    const headers: Record<string, string> = c.contentType === '' ? {} : { 'content-type': c.contentType };
    return {
      request: new Request(url, { method: 'POST', headers, body }),
      bytes: body.byteLength,
      sdp: c.offer,
    };
  }
  const form = new FormData();
  for (const [name, value] of c.parts) form.append(name, value);
  // Serialised once, so the byte count the oracle uses is the one the route receives.
  const serialised = new Response(form);
  const contentType = serialised.headers.get('content-type')!;
  return {
    request: new Request(url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: serialised.body,
      duplex: 'half',
    } as RequestInit),
    bytes: -1,
    // Multipart serialisation writes every line break in a value as CRLF.
    sdp: c.parts.find(([name]) => name === 'sdp')?.[1].replace(/\r?\n|\r/g, '\r\n'),
  };
}

describe('calls mode, any request', () => {
  it('calls the upstream exactly for requests that pass every check, with the offer and the pinned session', async () => {
    const handler = createSessionHandler({
      endpoint: 'calls',
      apiKey: API_KEY,
      baseUrl: `${upstream.url}/v1`,
      session: PINNED,
      allowFromClient: ['voice'],
      maxOfferBytes: MAX_OFFER,
      maxRetries: 0,
    });
    await fc.assert(
      fc.asyncProperty(request, async (c) => {
        upstream.reset();
        upstream.fallback = text(201, ANSWER, {
          'content-type': 'application/sdp',
          location: '/v1/realtime/calls/rtc_fuzz',
        });
        const built = toRequest(c);
        let bytes = built.bytes;
        let req = built.request;
        if (bytes === -1) {
          const body = new Uint8Array(await req.arrayBuffer());
          bytes = body.byteLength;
          req = new Request(req.url, { method: 'POST', headers: req.headers, body });
        }
        const want = expected(c, bytes);
        const res = await handler(req);
        const body = await res.text();
        expect(res.status).toBe(want.status);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(body).not.toContain(API_KEY);
        if (want.status !== 201) {
          expect(res.headers.get('content-type')).toBe('application/json');
          expect(JSON.parse(body).error.code).toEqual(expect.any(String));
          expect(upstream.count).toBe(0);
          return;
        }
        expect(res.headers.get('content-type')).toBe('application/sdp');
        expect(body).toBe(ANSWER);
        expect(upstream.count).toBe(1);
        const [seen] = upstream.requests;
        const parts = parseMultipart(seen!.headers['content-type']!, seen!.body)!;
        expect(parts.map((p) => p.name)).toEqual(['sdp', 'session']);
        expect(parts[0]!.text).toBe(built.sdp);
        expect(JSON.parse(parts[1]!.text)).toEqual(want.session);
      }),
      { numRuns: 300 },
    );
  });
});
