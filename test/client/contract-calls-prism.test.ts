// The call operations and the translation secret against the pinned fragment: Prism (mock, and
// validating proxy in front of the stand-in) checks routes, path parameters, JSON bodies and the
// multipart parts it can read; the multipart body the SDK sends is also decoded part by part, as
// the spec's `encoding` says, and validated against the fragment's RealtimeCallCreateRequest
// schema with ajv, because Prism 5.14 reads every multipart part as a string (asserted below).
import { readFile } from 'node:fs/promises';
import AjvModule from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type Prism } from '../../scripts/lib/prism.js';
import { FRAGMENT } from '../../scripts/lib/project.js';
import { parseMultipart } from '../../scripts/lib/stand-in-calls.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { validationSchema } from '../../scripts/lib/validators.js';
import {
  InvalidResponseError,
  RealtimeApi,
  UnprocessableEntityError,
  type ApiError,
  type RealtimeCallCreateRequest,
} from '../../src/index.js';
import { useScriptedServer, text, type ScriptedServer } from '../helpers/scripted-server.js';
import { rejectionOf } from './support.js';
import { createCaller } from '../helpers/webrtc.js';

const API_KEY = 'sk-test-prism-calls';
const OFFER =
  'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n';
const SESSION = { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'marin' } } } as const;

let standIn: StandIn;
let mock: Prism;
let proxy: Prism;
beforeAll(async () => {
  standIn = await startStandIn();
  [mock, proxy] = await Promise.all([
    startPrism({ mode: 'mock' }),
    startPrism({ mode: 'proxy', upstream: standIn.origin }),
  ]);
});
afterAll(async () => {
  await Promise.all([mock?.close(), proxy?.close(), standIn?.close()]);
});

const client = (prism: Prism) => new RealtimeApi({ apiKey: API_KEY, baseUrl: prism.baseUrl, maxRetries: 0 });
const validationOf = (error: unknown) =>
  ((error as ApiError).body as { validation?: { location: string[]; message: string }[] }).validation ?? [];

describe('createRealtimeCall: the multipart body against the fragment', () => {
  let server: ScriptedServer;
  useScriptedServer((s) => (server = s));

  /** The RealtimeCallCreateRequest validator, compiled from the pinned fragment. */
  async function callRequestValidator() {
    const fragment = parse(await readFile(FRAGMENT, 'utf8')) as {
      paths: Record<string, { post: { requestBody: { content: Record<string, { encoding: object }> } } }>;
      components: { schemas: Record<string, object> };
    };
    const Ajv = AjvModule.default;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema({
      $id: 'realtime.yaml',
      definitions: Object.fromEntries(
        Object.entries(fragment.components.schemas).map(([name, schema]) => [name, validationSchema(schema)]),
      ),
    });
    const encoding =
      fragment.paths['/realtime/calls']!.post.requestBody.content['multipart/form-data']!.encoding;
    return { validate: ajv.getSchema('realtime.yaml#/definitions/RealtimeCallCreateRequest')!, encoding };
  }

  it.each<[string, RealtimeCallCreateRequest]>([
    ['with a session', { sdp: OFFER, session: SESSION }],
    ['without a session', { sdp: OFFER }],
  ])(
    '%s: each part has the media type the spec encodes, and the decoded body satisfies the schema',
    async (_, request) => {
      const { validate, encoding } = await callRequestValidator();
      expect(encoding).toEqual({
        sdp: { contentType: 'application/sdp' },
        session: { contentType: 'application/json' },
      });
      server.reply(
        text(201, 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n', { 'content-type': 'application/sdp' }),
      );
      await new RealtimeApi({ apiKey: API_KEY, baseUrl: server.url }).createRealtimeCall(request);
      const seen = server.requests[0]!;
      const parts = parseMultipart(seen.headers['content-type']!, seen.body)!;
      const decoded: Record<string, unknown> = {};
      for (const part of parts) {
        const declared = (encoding as Record<string, { contentType: string }>)[part.name]!.contentType;
        expect(part.contentType).toBe(declared);
        decoded[part.name] = declared === 'application/json' ? JSON.parse(part.text) : part.text;
      }
      expect(decoded).toEqual(request);
      expect(validate(decoded), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it('control: the same validator rejects a session outside the schema', async () => {
    const { validate } = await callRequestValidator();
    expect(validate({ sdp: OFFER, session: { type: 'realtime', output_modalities: ['video'] } })).toBe(false);
    expect(validate({ session: SESSION })).toBe(false);
  });
});

describe('Prism on the pinned fragment', () => {
  it('proxy: validates the multipart request with its sdp part, and passes the stand-in SDP answer and Location through', async () => {
    const before = standIn.requests.length;
    // A real offer: the stand-in answers it with a real WebRTC peer.
    const caller = await createCaller();
    const answer = await client(proxy)
      .createRealtimeCall({ sdp: caller.sdp })
      .finally(() => caller.close());
    expect(answer.sdp).toMatch(/^v=0\r\n/);
    expect(answer.callId).toMatch(/^rtc_/);
    expect(standIn.requests.length).toBe(before + 1);
    expect(standIn.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('Prism 5.14 reads a multipart part as a string, ignoring `encoding`: a valid session part is refused', async () => {
    // Why the test above validates the session part itself. If Prism learns `encoding`, this fails
    // and the session can be checked by Prism too.
    const error = await rejectionOf(client(mock).createRealtimeCall({ sdp: OFFER, session: SESSION }));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(validationOf(error)).toEqual([
      expect.objectContaining({
        location: ['body', 'session'],
        message: 'Request body property session must be object',
      }),
    ]);
  });

  it('mock: a multipart body without the required sdp part is refused (422)', async () => {
    const form = new FormData();
    form.set('session', JSON.stringify(SESSION));
    const response = await fetch(`${mock.baseUrl}/realtime/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: form,
    });
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain('sdp');
  });

  it('mock: the schema-generated 201 body is not an SDP answer, and the SDK says so instead of returning it', async () => {
    const error = await rejectionOf(client(mock).createRealtimeCall({ sdp: OFFER }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).status).toBe(201);
  });

  it.each([
    [
      'accept',
      (api: RealtimeApi, id: string) =>
        api.acceptRealtimeCall(id, { type: 'realtime', model: 'gpt-realtime' }),
    ],
    ['hangup', (api: RealtimeApi, id: string) => api.hangupRealtimeCall(id)],
    [
      'refer',
      (api: RealtimeApi, id: string) => api.referRealtimeCall(id, { target_uri: 'tel:+14155550123' }),
    ],
    ['reject', (api: RealtimeApi, id: string) => api.rejectRealtimeCall(id, { status_code: 486 })],
    ['reject without a body', (api: RealtimeApi, id: string) => api.rejectRealtimeCall(id)],
  ])(
    'proxy: %s reaches the stand-in as the fragment describes it, and answers 200 with nothing',
    async (_, call) => {
      const id = standIn.incomingCall();
      await expect(call(client(proxy), id)).resolves.toBeUndefined();
      expect(standIn.requests.at(-1)!.url).toMatch(
        new RegExp(`^/realtime/calls/${id}/(accept|hangup|refer|reject)$`),
      );
    },
  );

  it.each([
    [
      'accept with a session of an unknown type',
      (api: RealtimeApi) => api.acceptRealtimeCall('rtc_1', { type: 'nope' } as never),
      'type',
    ],
    [
      'refer without target_uri',
      (api: RealtimeApi) => api.referRealtimeCall('rtc_1', {} as never),
      'target_uri',
    ],
    [
      'reject with a string status_code',
      (api: RealtimeApi) => api.rejectRealtimeCall('rtc_1', { status_code: 'busy' } as never),
      'status_code',
    ],
    [
      'a translation secret with a numeric model',
      (api: RealtimeApi) => api.createRealtimeTranslationClientSecret({ session: { model: 5 } } as never),
      'model',
    ],
  ])('mock: refuses %s (422 → UnprocessableEntityError)', async (_, call, field) => {
    const error = await rejectionOf(call(client(mock)));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(JSON.stringify(validationOf(error))).toContain(field);
  });

  it('mock: a call id with / ? # reaches the templated path as one segment; the same id unencoded is no route', async () => {
    const info = await client(mock).hangupRealtimeCallWithHttpInfo('../x?y#z');
    expect(info.status).toBe(200);
    const raw = await fetch(`${mock.baseUrl}/realtime/calls/a/b/hangup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(raw.status).toBe(404);
  });

  it('proxy: mints a translation client secret, request and answer valid against the fragment', async () => {
    const secret = await client(proxy).createRealtimeTranslationClientSecret({
      expires_after: { anchor: 'created_at', seconds: 600 },
      session: { model: 'gpt-realtime-translate', audio: { output: { language: 'es' } } },
    });
    expect(secret.value).toMatch(/^ek_/);
    expect(secret.session.type).toBe('translation');
    expect(proxy.output()).not.toMatch(/Violation|violation/);
  });
});
