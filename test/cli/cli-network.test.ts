// --timeout and --max-retries (and OPENAI_TIMEOUT_MS / OPENAI_MAX_RETRIES, which the flags beat):
// what the client is given, seen from the scripted upstream, which counts the attempts and can
// hang. The done-when check of the issue: `client-secret --timeout 500 --max-retries 0` against a
// server that never answers exits 1, soon, with one timeout line.
import { describe, expect, it } from 'vitest';
import { hang, json, openaiError, type ScriptedServer } from '../helpers/scripted-server.js';
import { runBin, useCliSuite } from './support.js';

const API_KEY = 'sk-cli-net-KEY-0123456789abcdef';
const SECRET = 'ek_cli_net_secret_0123456789abcd42';
const NOW_MS = 1_900_000_000_000;
const MINTED = {
  value: SECRET,
  expires_at: NOW_MS / 1000 + 600,
  session: { type: 'realtime', object: 'realtime.session', id: 'sess_cli_net', model: 'gpt-realtime' },
};
/** A retryable failure that asks for no wait, so retries cost no backoff. */
const busy = () => openaiError(503, { message: 'busy' }, { 'retry-after-ms': '0' });
const TIMEOUT_LINE =
  /^realtime-sessions: Request timed out after 500 ms \(POST \/realtime\/client_secrets\)\n$/;

let upstream: ScriptedServer;

const { run, baseUrl, expectOneErrorLine, expectOneJsonError } = useCliSuite(
  { apiKey: API_KEY, nowMs: NOW_MS, secrets: [API_KEY, SECRET] },
  (s) => (upstream = s),
);

describe('--timeout MS and --max-retries N against a server that never answers', () => {
  it('`client-secret --timeout 500 --max-retries 0` exits 1 with one timeout line, after one attempt', async () => {
    upstream.reply(hang());
    const started = performance.now();
    const r = await run(['client-secret', '--timeout', '500', '--max-retries', '0', '--base-url', baseUrl()]);
    const elapsed = performance.now() - started;
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(TIMEOUT_LINE);
    expect(upstream.count).toBe(1);
    // Generous: the default would wait 60 s per attempt, three times.
    expect(elapsed).toBeLessThan(5_000);
  });

  it('with --json, the TimeoutError as one JSON line', async () => {
    upstream.reply(hang());
    const r = await run([
      'client-secret',
      '--json',
      '--timeout',
      '500',
      '--max-retries',
      '0',
      '--base-url',
      baseUrl(),
    ]);
    expect(expectOneJsonError(r, 1)).toEqual({
      name: 'TimeoutError',
      message: 'Request timed out after 500 ms (POST /realtime/client_secrets)',
      status: null,
      requestId: null,
    });
  });

  it('the real executable: exits 1 with the same line', async () => {
    upstream.reply(hang());
    const started = performance.now();
    const error = await runBin(
      ['client-secret', '--timeout', '500', '--max-retries', '0', '--base-url', baseUrl()],
      API_KEY,
    ).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: 1, stdout: '' });
    expect(error!.stderr).toMatch(TIMEOUT_LINE);
    expect(error!.stderr).not.toContain(API_KEY);
    expect(upstream.count).toBe(1);
    // Most of this is starting node with tsx (seconds on a busy machine); the attempt itself is 0.5 s.
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe('what the client is given', () => {
  it('--max-retries 1: one retry, then the answer', async () => {
    upstream.reply(busy(), json(200, MINTED));
    const r = await run(['client-secret', '--max-retries', '1', '--base-url', baseUrl()]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(upstream.count).toBe(2);
  });

  it('--max-retries 0: the first failure is the answer', async () => {
    upstream.reply(busy(), json(200, MINTED));
    const r = await run(['client-secret', '--max-retries', '0', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toContain('503 busy');
    expect(upstream.count).toBe(1);
  });

  it('without either, the client’s defaults: 2 retries', async () => {
    upstream.reply(busy(), busy(), busy());
    const r = await run(['client-secret', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(upstream.count).toBe(3);
  });

  it('OPENAI_TIMEOUT_MS and OPENAI_MAX_RETRIES when no flag is given', async () => {
    upstream.reply(hang());
    const r = await run(['client-secret', '--base-url', baseUrl()], {
      OPENAI_API_KEY: API_KEY,
      OPENAI_TIMEOUT_MS: '500',
      OPENAI_MAX_RETRIES: '0',
    });
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(TIMEOUT_LINE);
    expect(upstream.count).toBe(1);
  });

  it('the flags win over the variables', async () => {
    upstream.reply(hang());
    const r = await run(
      ['client-secret', '--timeout', '500', '--max-retries', '0', '--base-url', baseUrl()],
      {
        OPENAI_API_KEY: API_KEY,
        OPENAI_TIMEOUT_MS: '60000',
        OPENAI_MAX_RETRIES: '5',
      },
    );
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(TIMEOUT_LINE);
    expect(upstream.count).toBe(1);
  });

  it('blank variables count as unset', async () => {
    upstream.reply(json(200, MINTED));
    const r = await run(['client-secret', '--base-url', baseUrl()], {
      OPENAI_API_KEY: API_KEY,
      OPENAI_TIMEOUT_MS: '',
      OPENAI_MAX_RETRIES: ' ',
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('bad values: exit 2, nothing sent', () => {
  it.each([
    [['--timeout', 'soon'], '--timeout must be a number of milliseconds, but received "soon"'],
    [['--timeout', ''], '--timeout must be a number of milliseconds, but received ""'],
    [['--timeout', '0'], '--timeout must be a positive number, but received number 0'],
    [['--timeout=-5'], '--timeout must be a positive number, but received number -5'],
    [['--max-retries', 'many'], '--max-retries must be a whole number, but received "many"'],
    [['--max-retries', '1.5'], '--max-retries must be a non-negative integer, but received number 1.5'],
    [['--max-retries=-1'], '--max-retries must be a non-negative integer, but received number -1'],
    [['--timeout'], '--timeout needs a value'],
    [['--max-retries'], '--max-retries needs a value'],
  ])('%j → %s', async (flags, problem) => {
    const r = await run(['client-secret', '--base-url', baseUrl(), ...flags]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toBe(`realtime-sessions: ${problem} (try \`realtime-sessions client-secret --help\`)\n`);
    expect(upstream.count).toBe(0);
  });

  it.each([
    ['OPENAI_TIMEOUT_MS', 'soon', 'OPENAI_TIMEOUT_MS must be a number of milliseconds, but received "soon"'],
    ['OPENAI_TIMEOUT_MS', '-1', 'OPENAI_TIMEOUT_MS must be a positive number, but received number -1'],
    [
      'OPENAI_MAX_RETRIES',
      '2.5',
      'OPENAI_MAX_RETRIES must be a non-negative integer, but received number 2.5',
    ],
  ])('%s=%j → %s', async (name, value, problem) => {
    const r = await run(['client-secret', '--base-url', baseUrl()], {
      OPENAI_API_KEY: API_KEY,
      [name]: value,
    });
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain(problem);
    expect(upstream.count).toBe(0);
  });
});
