// The CLI: `main(argv, io)` with captured output against the scripted upstream, plus one run of the
// real executable (`node --import tsx src/bin.ts`) to prove the bin works end to end.
import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/internal/mask.js';
import { closedPortUrl, json, openaiError, type ScriptedServer } from '../helpers/scripted-server.js';
import { runBin, useCliSuite } from './support.js';

const API_KEY = 'sk-cli-test-KEY-0123456789abcdef';
const SECRET = 'ek_cli_secret_0123456789abcdef42';
const NOW_MS = 1_900_000_000_000;
const SESSION = {
  id: 'sess_cli_1',
  object: 'realtime.session',
  model: 'gpt-realtime',
  voice: 'marin',
  client_secret: { value: SECRET, expires_at: NOW_MS / 1000 + 60 },
};

let upstream: ScriptedServer;

const { run, baseUrl, expectOneErrorLine } = useCliSuite(
  { apiKey: API_KEY, nowMs: NOW_MS, secrets: [API_KEY] },
  (s) => (upstream = s),
);

describe('realtime-sessions create', () => {
  it('mints a session and prints it with the secret masked', async () => {
    upstream.reply(json(200, SESSION));
    const r = await run([
      'create',
      '--model',
      'gpt-realtime',
      '--voice',
      'marin',
      '--instructions',
      'Be brief.',
      '--base-url',
      baseUrl(),
    ]);

    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('sess_cli_1');
    expect(r.stdout).toMatch(/model\s+gpt-realtime/);
    expect(r.stdout).toContain(`${new Date(NOW_MS + 60_000).toISOString()} (60 s left)`);
    expect(r.stdout).toContain(maskSecret(SECRET));
    expect(maskSecret(SECRET)).toBe('ek_cl…42');
    expect(r.stdout).not.toContain(SECRET);

    expect(upstream.count).toBe(1);
    expect(upstream.requests[0].url).toBe('/v1/realtime/sessions');
    expect(upstream.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(upstream.requests[0].json).toEqual({
      model: 'gpt-realtime',
      voice: 'marin',
      instructions: 'Be brief.',
    });
  });

  it('sends only the flags given', async () => {
    upstream.reply(json(200, SESSION));
    expect((await run(['create', '--base-url', baseUrl()])).code).toBe(0);
    expect(upstream.requests[0].json).toEqual({});
  });

  it('--show-secret prints the secret in full', async () => {
    upstream.reply(json(200, SESSION));
    const r = await run(['create', '--show-secret', '--base-url', baseUrl()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(SECRET);
  });

  it('--json prints parseable JSON, secret masked; with --show-secret in full', async () => {
    upstream.reply(json(200, SESSION), json(200, SESSION));
    const masked = await run(['create', '--json', '--base-url', baseUrl()]);
    expect(masked.code).toBe(0);
    expect(JSON.parse(masked.stdout)).toEqual({
      ...SESSION,
      client_secret: { ...SESSION.client_secret, value: 'ek_cl…42' },
    });
    expect(masked.stdout).not.toContain(SECRET);

    const shown = await run(['create', '--json', '--show-secret', '--base-url', baseUrl()]);
    expect(JSON.parse(shown.stdout)).toEqual(SESSION);
  });

  it('reads OPENAI_BASE_URL from the env it is given', async () => {
    upstream.reply(json(200, SESSION));
    const r = await run(['create'], { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: baseUrl() });
    expect(r.code).toBe(0);
    expect(upstream.count).toBe(1);
  });
});

describe('help', () => {
  it.each([['--help'], ['-h']])('%s lists the commands and the environment', async (flag) => {
    const r = await run([flag]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('create');
    expect(r.stdout).toContain('OPENAI_API_KEY');
  });

  it.each([[['create', '--help']], [['create', '-h']], [['help', 'create']]])(
    '%j describes every flag',
    async (argv) => {
      const r = await run(argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      for (const flag of [
        '--model',
        '--voice',
        '--instructions',
        '--base-url',
        '--json',
        '--show-secret',
        '--help',
      ]) {
        expect(r.stdout).toContain(flag);
      }
      expect(upstream.count).toBe(0);
    },
  );
});

describe('errors: one line on stderr', () => {
  it.each([
    [['create', '--bogus'], /--bogus/],
    [['create', '--model'], /--model/],
    [['create', 'stray'], /stray/],
    [['create', '--voice', ''], /--voice/],
    [['create', '--base-url', 'ftp://example.com'], /--base-url/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--nope'], /unknown option "--nope"/],
    [[], /missing command/],
  ])('bad usage %j → exit 2', async (argv, message) => {
    const r = await run(argv);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toMatch(message);
    expect(upstream.count).toBe(0);
  });

  it('missing OPENAI_API_KEY → exit 2 naming the variable', async () => {
    const r = await run(['create', '--base-url', baseUrl()], {});
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain('OPENAI_API_KEY');
    expect(upstream.count).toBe(0);
  });

  it('API error (upstream 400) → exit 1, with the request id, never the key', async () => {
    upstream.reply(
      openaiError(
        400,
        { message: `Invalid value: 'robot'.\nKey was ${API_KEY}`, param: 'voice', code: 'invalid_value' },
        { 'x-request-id': 'req_cli_400' },
      ),
    );
    const r = await run(['create', '--voice', 'robot', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toContain('400');
    expect(r.stderr).toContain('req_cli_400');
  });

  it('connection refused (after the default retries) → exit 1', async () => {
    const r = await run(['create', '--base-url', `${await closedPortUrl()}/v1`]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(/connection/i);
  });
});

describe('the real executable', () => {
  it('`node --import tsx src/bin.ts create` mints, prints the masked secret and exits 0', async () => {
    upstream.reply(json(200, SESSION));
    const { stdout, stderr } = await runBin(['create', '--voice', 'marin', '--base-url', baseUrl()], API_KEY);
    expect(stderr).toBe('');
    expect(stdout).toContain('ek_cl…42');
    expect(stdout).not.toContain(SECRET);
    expect(upstream.requests[0].json).toEqual({ voice: 'marin' });
  });

  it('exits 2 on bad usage', async () => {
    const error = await runBin(['create', '--bogus'], API_KEY).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/^realtime-sessions: .*--bogus.*\n$/);
  });
});
