// Progress on stderr while a call is in flight, for a person at a terminal: what the command is
// doing, each retry with its reason, and the beta fallback's second request. Only when stderr is a
// TTY (`isTTY === true`): otherwise stderr holds nothing but an error line, so scripts stay clean.
import { describe, expect, it } from 'vitest';
import { closedPortUrl, hang, json, openaiError, type ScriptedServer } from '../helpers/scripted-server.js';
import { cliRunner, useCliSuite } from './support.js';

const API_KEY = 'sk-cli-progress-KEY-0123456789abcdef';
const SECRET = 'ek_cli_progress_secret_0123456789ab42';
const NOW_MS = 1_900_000_000_000;
const MINTED = {
  value: SECRET,
  expires_at: NOW_MS / 1000 + 600,
  session: { type: 'realtime', object: 'realtime.session', id: 'sess_cli_progress', model: 'gpt-realtime' },
};
const busy = (status = 503) => openaiError(status, { message: 'busy' }, { 'retry-after-ms': '0' });

let upstream: ScriptedServer;

const { run, runOnTty, baseUrl, expectOneErrorLine } = useCliSuite(
  { apiKey: API_KEY, nowMs: NOW_MS, secrets: [API_KEY, SECRET] },
  (s) => (upstream = s),
);
/** stderr is explicitly not a terminal, as when it is piped. */
const runPiped = cliRunner({ apiKey: API_KEY, nowMs: NOW_MS, tty: false });

/** The lines a run wrote to stderr. */
const lines = (stderr: string) => stderr.split('\n').slice(0, -1);

/** No line of `stderr` quotes the key or the minted secret. */
function expectNoSecrets(stderr: string): void {
  expect(stderr).not.toContain(API_KEY);
  expect(stderr).not.toContain(SECRET);
  expect(stderr).not.toContain('ek_cl');
}

describe('stderr is a terminal', () => {
  it('says what the call does, where; the result still goes to stdout alone', async () => {
    upstream.reply(json(200, MINTED));
    const r = await runOnTty(['client-secret', '--show-secret', '--base-url', baseUrl()]);
    expect(r.code).toBe(0);
    expect(lines(r.stderr)).toEqual([`minting a client secret: POST ${baseUrl()}/realtime/client_secrets …`]);
    expect(r.stdout).toContain(SECRET);
    expectNoSecrets(r.stderr);
  });

  it('each retry, numbered, with the status the last attempt got', async () => {
    upstream.reply(busy(503), busy(429), json(200, MINTED));
    const r = await runOnTty(['client-secret', '--base-url', baseUrl()]);
    expect(r.code).toBe(0);
    expect(lines(r.stderr)).toEqual([
      `minting a client secret: POST ${baseUrl()}/realtime/client_secrets …`,
      'retry 1 of 2 after status 503 …',
      'retry 2 of 2 after status 429 …',
    ]);
  });

  it('a timeout as the reason, then the error line', async () => {
    upstream.reply(hang(), hang());
    const r = await runOnTty([
      'client-secret',
      '--timeout',
      '200',
      '--max-retries',
      '1',
      '--base-url',
      baseUrl(),
    ]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(lines(r.stderr)).toEqual([
      `minting a client secret: POST ${baseUrl()}/realtime/client_secrets …`,
      'retry 1 of 1 after no complete answer within 200 ms …',
      'realtime-sessions: Request timed out after 200 ms (POST /realtime/client_secrets)',
    ]);
    expect(upstream.count).toBe(2);
  });

  it('a connection error as the reason, with its code', async () => {
    const closed = `${await closedPortUrl()}/v1`;
    const r = await runOnTty(['transcription', '--max-retries', '1', '--base-url', closed]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      `creating a transcription session: POST ${closed}/realtime/transcription_sessions …`,
      'retry 1 of 1 after a connection error (ECONNREFUSED) …',
      expect.stringMatching(/^realtime-sessions: Connection error: .*ECONNREFUSED/),
    ]);
  });

  it('the beta fallback: the second request is named, with what the first got', async () => {
    upstream.reply(
      openaiError(
        404,
        { message: 'Invalid URL (POST /v1/realtime/sessions)' },
        { 'x-request-id': 'req_404' },
      ),
      json(200, MINTED),
    );
    const r = await runOnTty(['create', '--base-url', baseUrl()]);
    expect(r.code).toBe(0);
    expect(lines(r.stderr)).toEqual([
      `creating a Realtime session: POST ${baseUrl()}/realtime/sessions …`,
      `POST ${baseUrl()}/realtime/client_secrets instead, after status 404 …`,
    ]);
    expect(upstream.requests.map((q) => q.url)).toEqual([
      '/v1/realtime/sessions',
      '/v1/realtime/client_secrets',
    ]);
  });

  it('never the key or a secret, even when the upstream echoes them', async () => {
    upstream.reply(
      openaiError(500, { message: `boom ${API_KEY} ${SECRET}` }, { 'retry-after-ms': '0' }),
      openaiError(400, { message: `bad ${API_KEY} {"value":"${SECRET}"}` }),
    );
    const r = await runOnTty(['client-secret', '--base-url', baseUrl()]);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(3);
    expectNoSecrets(r.stderr);
  });

  it('never credentials in the base URL', async () => {
    const url = new URL(baseUrl());
    url.username = 'user';
    url.password = 'hunter2';
    const r = await runOnTty(['client-secret', '--max-retries', '0', '--base-url', url.href]);
    // Refused before any request (the client's own rule), never echoing the password.
    expectOneErrorLine(r, 2);
    expect(r.stderr).toMatch(/--base-url must be a URL without user:password@/);
    expect(r.stderr).not.toContain('hunter2');
    expect(upstream.count).toBe(0);
  });

  it('nothing before bad usage: no request is made', async () => {
    const r = await runOnTty(['client-secret', '--timeout', '0', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(upstream.count).toBe(0);
  });
});

describe('stderr is not a terminal', () => {
  it.each([
    ['isTTY unset', run],
    ['isTTY false', runPiped],
  ])('%s: nothing on a success, even after retries', async (_, runner) => {
    upstream.reply(busy(503), json(200, MINTED));
    const r = await runner(['client-secret', '--base-url', baseUrl()]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(upstream.count).toBe(2);
  });

  it.each([
    ['isTTY unset', run],
    ['isTTY false', runPiped],
  ])('%s: only the error line on a failure', async (_, runner) => {
    upstream.reply(hang(), hang());
    const r = await runner([
      'client-secret',
      '--timeout',
      '200',
      '--max-retries',
      '1',
      '--base-url',
      baseUrl(),
    ]);
    expectOneErrorLine(r, 1);
    expect(upstream.count).toBe(2);
  });
});
