// The stand-in upstream (scripts/lib/stand-in.ts) that npm start, the example server and the suites
// mint against: live-like by default (the beta minting endpoints retired, as the live API answers
// since May 2026), the old beta contract with `beta: true`, one log line per request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/prism.js';
import { standInBetaFromEnv, startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';

const AUTH = { authorization: 'Bearer sk-stand-in-test' };

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = { ...AUTH, 'content-type': 'application/json' },
) {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

const GA = JSON.stringify({ session: { type: 'realtime', model: 'gpt-realtime' } });
const SDP = { ...AUTH, 'content-type': 'application/sdp' };

let live: StandIn;
let beta: StandIn;
const liveLog: string[] = [];
const betaLog: string[] = [];
beforeAll(async () => {
  [live, beta] = await Promise.all([
    startStandIn({ log: (line) => liveLog.push(line) }),
    startStandIn({ beta: true, log: (line) => betaLog.push(line) }),
  ]);
});
afterAll(async () => {
  await Promise.all([live?.close(), beta?.close()]);
});

describe('the default stand-in answers like the live API (2026)', () => {
  it('says which contract it serves', () => {
    expect(live.beta).toBe(false);
    expect(beta.beta).toBe(true);
  });

  it.each(['sessions', 'transcription_sessions'])(
    'POST /v1/realtime/%s: the live 404, byte for byte',
    async (name) => {
      const res = await post(`${live.baseUrl}/realtime/${name}`, '{"model":"gpt-realtime"}');
      expect(res.status).toBe(404);
      expect(res.text).toBe(
        `{"error":{"message":"Invalid URL (POST /v1/realtime/${name})","type":"invalid_request_error","param":null,"code":null}}`,
      );
    },
  );

  it('answers the retired paths 404 whatever the key: the URL does not exist', async () => {
    const res = await post(`${live.baseUrl}/realtime/sessions`, '{}', {});
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.message).toBe('Invalid URL (POST /v1/realtime/sessions)');
  });

  it.each(['/realtime?model=gpt-realtime', '/realtime'])(
    'the beta WebRTC SDP shape, POST /v1%s: the live 400 beta_api_shape_disabled',
    async (at) => {
      const res = await post(`${live.baseUrl}${at}`, 'v=0\r\n', SDP);
      expect(res.status).toBe(400);
      expect(res.text).toBe(
        '{"error":{"message":"The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.","type":"invalid_request_error","code":"beta_api_shape_disabled","param":""}}',
      );
    },
  );

  it('POST /v1/realtime/client_secrets mints as before', async () => {
    const res = await post(`${live.baseUrl}/realtime/client_secrets`, GA);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({
      value: expect.stringMatching(/^ek_/),
      session: { type: 'realtime' },
    });
  });

  it('logs one line per request, and records each request with its status', async () => {
    const from = live.requests.length;
    liveLog.length = 0;
    await post(`${live.baseUrl}/realtime/sessions`, '{}');
    await post(`${live.baseUrl}/realtime/client_secrets`, GA);
    await post(`${live.baseUrl}/realtime?model=gpt-realtime`, 'v=0\r\n', SDP);
    await post(`${live.baseUrl}/realtime/client_secrets`, GA, {});
    expect(liveLog).toEqual([
      'stand-in: POST /v1/realtime/sessions → 404 (beta endpoint retired)',
      'stand-in: POST /v1/realtime/client_secrets → 200',
      'stand-in: POST /v1/realtime?model=gpt-realtime → 400 (beta API shape disabled)',
      'stand-in: POST /v1/realtime/client_secrets → 401 (Missing bearer token)',
    ]);
    expect(live.requests.slice(from).map((r) => [r.url, r.status])).toEqual([
      ['/v1/realtime/sessions', 404],
      ['/v1/realtime/client_secrets', 200],
      ['/v1/realtime?model=gpt-realtime', 400],
      ['/v1/realtime/client_secrets', 401],
    ]);
  });

  it('echoes the path it was asked for, as the live API does (Prism forwards without /v1)', async () => {
    const res = await post(`${live.origin}/realtime/sessions`, '{}');
    expect(JSON.parse(res.text).error.message).toBe('Invalid URL (POST /realtime/sessions)');
  });
});

describe('startStandIn({ beta: true }): a server that still has the beta contract', () => {
  it('mints through POST /realtime/sessions: the session and a 60 s client_secret', async () => {
    const res = await post(`${beta.baseUrl}/realtime/sessions`, '{"voice":"verse"}');
    expect(res.status).toBe(200);
    const session = JSON.parse(res.text);
    expect(session).toMatchObject({ object: 'realtime.session', voice: 'verse' });
    expect(session.client_secret.value).toMatch(/^ek_[0-9a-f]{32}$/);
    expect(session.client_secret.expires_at - Date.now() / 1000).toBeGreaterThan(55);
  });

  it('mints through POST /realtime/transcription_sessions and POST /realtime/client_secrets', async () => {
    const transcription = await post(`${beta.baseUrl}/realtime/transcription_sessions`, '{}');
    expect(transcription.status).toBe(200);
    expect(JSON.parse(transcription.text).client_secret.value).toMatch(/^ek_/);
    expect((await post(`${beta.baseUrl}/realtime/client_secrets`, GA)).status).toBe(200);
  });

  it('logs each as a 200', async () => {
    betaLog.length = 0;
    await post(`${beta.baseUrl}/realtime/sessions`, '{}');
    expect(betaLog).toEqual(['stand-in: POST /v1/realtime/sessions → 200']);
  });
});

describe('startStandIn arguments', () => {
  it('still takes a bare port number (live-like contract)', async () => {
    const port = await freePort();
    const standIn = await startStandIn(port);
    try {
      expect(standIn.origin).toBe(`http://127.0.0.1:${port}`);
      expect(standIn.beta).toBe(false);
      expect((await post(`${standIn.baseUrl}/realtime/sessions`, '{}')).status).toBe(404);
    } finally {
      await standIn.close();
    }
  });

  it('STAND_IN_BETA=1 (or true, yes) asks for the beta contract; unset, empty or 0 does not', () => {
    for (const on of ['1', 'true', 'TRUE', 'yes'])
      expect(standInBetaFromEnv({ STAND_IN_BETA: on })).toBe(true);
    for (const off of [undefined, '', '0', 'false', 'no'])
      expect(standInBetaFromEnv({ STAND_IN_BETA: off })).toBe(false);
  });
});
