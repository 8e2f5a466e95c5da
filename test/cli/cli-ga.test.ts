// The `client-secret` and `transcription` subcommands: `main(argv, io)` with captured output against
// the scripted upstream, plus one run of the real executable.
import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/internal/mask.js';
import { json, openaiError, type ScriptedServer } from '../helpers/scripted-server.js';
import { runBin, useCliSuite } from './support.js';

const API_KEY = 'sk-cli-ga-test-KEY-0123456789abcdef';
const SECRET = 'ek_cli_ga_secret_0123456789abcd42';
const NOW_MS = 1_900_000_000_000;
const MASKED = maskSecret(SECRET);

/** A GA client secret, after the upstream example. */
const MINTED = {
  value: SECRET,
  expires_at: NOW_MS / 1000 + 120,
  session: {
    type: 'realtime',
    object: 'realtime.session',
    id: 'sess_cli_ga',
    model: 'gpt-realtime',
    audio: { output: { voice: 'marin', speed: 1 } },
  },
};

/** A transcription session, after the upstream example, with its secret. */
const TRANSCRIPTION = {
  id: 'sess_cli_tr',
  object: 'realtime.transcription_session',
  input_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'de', prompt: '' },
  client_secret: { value: SECRET, expires_at: NOW_MS / 1000 + 600 },
};

let upstream: ScriptedServer;

const { run, baseUrl, expectOneErrorLine } = useCliSuite(
  { apiKey: API_KEY, nowMs: NOW_MS, secrets: [API_KEY, SECRET] },
  (s) => (upstream = s),
);

describe('realtime-sessions client-secret', () => {
  it('mints through /realtime/client_secrets and prints the session with the secret masked', async () => {
    upstream.reply(json(200, MINTED));
    const r = await run([
      'client-secret',
      '--model',
      'gpt-realtime',
      '--voice',
      'marin',
      '--instructions',
      'Be brief.',
      '--expires-after',
      '120',
      '--base-url',
      baseUrl(),
    ]);

    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/session\s+sess_cli_ga/);
    expect(r.stdout).toMatch(/model\s+gpt-realtime/);
    expect(r.stdout).toMatch(/voice\s+marin/);
    expect(r.stdout).toContain(`${new Date(NOW_MS + 120_000).toISOString()} (120 s left)`);
    expect(r.stdout).toMatch(new RegExp(`secret\\s+${MASKED}`));
    expect(r.stdout).not.toContain(SECRET);

    expect(upstream.count).toBe(1);
    const seen = upstream.requests[0]!;
    expect(seen.url).toBe('/v1/realtime/client_secrets');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.json).toEqual({
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        instructions: 'Be brief.',
        audio: { output: { voice: 'marin' } },
      },
      expires_after: { anchor: 'created_at', seconds: 120 },
    });
  });

  it('sends only { session: { type: "realtime" } } without flags', async () => {
    upstream.reply(json(200, MINTED));
    expect((await run(['client-secret', '--base-url', baseUrl()])).code).toBe(0);
    expect(upstream.requests[0]!.json).toEqual({ session: { type: 'realtime' } });
  });

  it('--json prints the response with `value` masked; with --show-secret in full', async () => {
    upstream.reply(json(200, MINTED), json(200, MINTED));
    const masked = await run(['client-secret', '--json', '--base-url', baseUrl()]);
    expect(masked.code).toBe(0);
    expect(JSON.parse(masked.stdout)).toEqual({ ...MINTED, value: MASKED });
    expect(masked.stdout).not.toContain(SECRET);

    const shown = await run(['client-secret', '--json', '--show-secret', '--base-url', baseUrl()]);
    expect(JSON.parse(shown.stdout)).toEqual(MINTED);
  });

  it('--show-secret prints the secret in full', async () => {
    upstream.reply(json(200, MINTED));
    const r = await run(['client-secret', '--show-secret', '--base-url', baseUrl()]);
    expect(r.stdout).toContain(SECRET);
  });

  it.each(['5', '9', '7201', '1.5', '60s', '0x10', ''])(
    '--expires-after %j → exit 2 naming the bounds, nothing sent',
    async (value) => {
      const r = await run(['client-secret', '--expires-after', value, '--base-url', baseUrl()]);
      expectOneErrorLine(r, 2);
      expect(r.stderr).toMatch(/--expires-after.*10 to 7200/);
      expect(upstream.count).toBe(0);
    },
  );

  it.each(['10', '7200'])('--expires-after %s is accepted', async (value) => {
    upstream.reply(json(200, MINTED));
    expect((await run(['client-secret', '--expires-after', value, '--base-url', baseUrl()])).code).toBe(0);
    expect(upstream.requests[0]!.json).toMatchObject({
      expires_after: { anchor: 'created_at', seconds: Number(value) },
    });
  });

  it('an API error → exit 1 with the status and request id', async () => {
    upstream.reply(
      openaiError(
        400,
        { message: "Missing required parameter: 'session.type'.", param: 'session.type' },
        { 'x-request-id': 'req_cli_cs' },
      ),
    );
    const r = await run(['client-secret', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toContain('400');
    expect(r.stderr).toContain('POST /realtime/client_secrets');
    expect(r.stderr).toContain('req_cli_cs');
  });

  it('missing OPENAI_API_KEY → exit 2', async () => {
    const r = await run(['client-secret', '--base-url', baseUrl()], {});
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain('OPENAI_API_KEY');
    expect(upstream.count).toBe(0);
  });
});

describe('realtime-sessions transcription', () => {
  it('mints through /realtime/transcription_sessions; --model and --language configure the transcriber', async () => {
    upstream.reply(json(200, TRANSCRIPTION));
    const r = await run([
      'transcription',
      '--model',
      'gpt-4o-transcribe',
      '--language',
      'de',
      '--base-url',
      baseUrl(),
    ]);

    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/session\s+sess_cli_tr/);
    expect(r.stdout).toMatch(/model\s+gpt-4o-transcribe/);
    expect(r.stdout).toMatch(/language\s+de/);
    expect(r.stdout).toContain(`${new Date(NOW_MS + 600_000).toISOString()} (600 s left)`);
    expect(r.stdout).toMatch(new RegExp(`secret\\s+${MASKED}`));
    expect(r.stdout).not.toContain(SECRET);

    const seen = upstream.requests[0]!;
    expect(seen.url).toBe('/v1/realtime/transcription_sessions');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.json).toEqual({ input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'de' } });
  });

  it('sends {} without flags', async () => {
    upstream.reply(json(200, TRANSCRIPTION));
    expect((await run(['transcription', '--base-url', baseUrl()])).code).toBe(0);
    expect(upstream.requests[0]!.json).toEqual({});
  });

  it('--json prints the session with client_secret.value masked; with --show-secret in full', async () => {
    upstream.reply(json(200, TRANSCRIPTION), json(200, TRANSCRIPTION));
    const masked = await run(['transcription', '--json', '--base-url', baseUrl()]);
    expect(JSON.parse(masked.stdout)).toEqual({
      ...TRANSCRIPTION,
      client_secret: { ...TRANSCRIPTION.client_secret, value: MASKED },
    });
    expect(masked.stdout).not.toContain(SECRET);
    const shown = await run(['transcription', '--json', '--show-secret', '--base-url', baseUrl()]);
    expect(JSON.parse(shown.stdout)).toEqual(TRANSCRIPTION);
  });

  it('an answer without a client secret (as in the endpoint’s own example) is printed, not a crash', async () => {
    upstream.reply(json(200, { ...TRANSCRIPTION, client_secret: null }));
    const r = await run(['transcription', '--base-url', baseUrl()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/expires at\s+\(not reported\)/);
    expect(r.stdout).toMatch(/secret\s+\(none returned\)/);
  });

  it('--json on an answer whose secret is not where it should be: scrubbed unless --show-secret', async () => {
    const odd = { ...TRANSCRIPTION, client_secret: { token: SECRET, expires_at: 1 } };
    upstream.reply(json(200, odd), json(200, odd));
    const masked = await run(['transcription', '--json', '--base-url', baseUrl()]);
    expect(masked.code).toBe(0);
    expect(masked.stdout).not.toContain(SECRET);
    expect(JSON.parse(masked.stdout).client_secret).toEqual({ token: '[REDACTED]', expires_at: 1 });
    const shown = await run(['transcription', '--json', '--show-secret', '--base-url', baseUrl()]);
    expect(JSON.parse(shown.stdout)).toEqual(odd);
  });

  it.each([
    [['transcription', '--voice', 'marin'], /--voice/],
    [['transcription', '--expires-after', '60'], /--expires-after/],
    [['transcription', '--language', ''], /--language/],
    [['transcription', 'stray'], /stray/],
  ])('bad usage %j → exit 2', async (argv, message) => {
    const r = await run([...argv, '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toMatch(message);
    expect(upstream.count).toBe(0);
  });

  it('an API error → exit 1', async () => {
    upstream.reply(openaiError(500, { message: 'boom' }, { 'x-should-retry': 'false' }));
    const r = await run(['transcription', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toContain('POST /realtime/transcription_sessions');
  });
});

describe('help', () => {
  it('the overview lists both subcommands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+client-secret\s+mint a GA client secret/m);
    expect(r.stdout).toMatch(/^\s+transcription\s+mint a transcription session/m);
  });

  it.each([
    [
      ['client-secret', '--help'],
      ['--model', '--voice', '--instructions', '--expires-after'],
    ],
    [['help', 'client-secret'], ['--expires-after']],
    [
      ['transcription', '-h'],
      ['--model', '--language'],
    ],
    [['help', 'transcription'], ['--language']],
  ])('%j describes every flag', async (argv, flags) => {
    const r = await run(argv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage: realtime-sessions (client-secret|transcription) /);
    for (const flag of [...flags, '--base-url', '--json', '--show-secret', '--help']) {
      expect(r.stdout).toContain(flag);
    }
    expect(upstream.count).toBe(0);
  });
});

describe('the real executable', () => {
  it('`node --import tsx src/bin.ts client-secret` mints, prints the masked secret and exits 0', async () => {
    upstream.reply(json(200, MINTED));
    const { stdout, stderr } = await runBin(
      ['client-secret', '--voice', 'marin', '--base-url', baseUrl()],
      API_KEY,
    );
    expect(stderr).toBe('');
    expect(stdout).toContain(MASKED);
    expect(stdout).not.toContain(SECRET);
    expect(upstream.requests[0]!.json).toEqual({
      session: { type: 'realtime', audio: { output: { voice: 'marin' } } },
    });
  });
});
