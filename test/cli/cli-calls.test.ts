// The `translation` and `hangup` subcommands: `main(argv, io)` with captured output against the
// scripted upstream (what it received is checked each time), then both against the live-like
// stand-in and through the real executable.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { TRANSLATION_MODEL } from '../../src/cli/commands.js';
import { maskSecret } from '../../src/internal/mask.js';
import { hang, json, openaiError, type Reply, type ScriptedServer } from '../helpers/scripted-server.js';
import { cliRunner, runBin, useCliSuite } from './support.js';

const API_KEY = 'sk-cli-calls-KEY-0123456789abcdef';
const SECRET = 'ek_cli_calls_secret_0123456789abcd42';
const NOW_MS = 1_900_000_000_000;
const MASKED = maskSecret(SECRET);

/** A translation client secret, after the upstream example. */
const TRANSLATION = {
  value: SECRET,
  expires_at: NOW_MS / 1000 + 300,
  session: {
    id: 'sess_cli_tl',
    type: 'translation',
    expires_at: NOW_MS / 1000 + 300,
    model: 'gpt-realtime-translate',
    audio: {
      input: { transcription: { model: 'gpt-realtime-whisper' }, noise_reduction: null },
      output: { language: 'es' },
    },
  },
};

/** What the call-control operations answer: 200 and no body. */
const ended: Reply = (res: ServerResponse) => {
  res.writeHead(200, { 'content-length': '0', 'x-request-id': 'req_cli_hangup' });
  res.end();
};
const busy = openaiError(503, { message: 'busy' }, { 'retry-after-ms': '0' });

let upstream: ScriptedServer;

const { run, runOnTty, baseUrl, expectOneErrorLine, expectOneJsonError } = useCliSuite(
  { apiKey: API_KEY, nowMs: NOW_MS, secrets: [API_KEY, SECRET] },
  (s) => (upstream = s),
);

/** Neither output of a run quotes the API key (nor, unless asked for, the minted secret). */
function expectNoKey(r: { stdout: string; stderr: string }): void {
  for (const text of [r.stdout, r.stderr]) {
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(SECRET);
  }
}

describe('realtime-sessions translation', () => {
  it('mints through /realtime/translations/client_secrets and prints the session, secret masked', async () => {
    upstream.reply(json(200, TRANSLATION));
    const r = await run([
      'translation',
      '--language',
      'es',
      '--transcription-model',
      'gpt-realtime-whisper',
      '--expires-after',
      '300',
      '--base-url',
      baseUrl(),
    ]);

    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n')).toEqual([
      'session      sess_cli_tl',
      'model        gpt-realtime-translate',
      'language     es',
      'transcript   gpt-realtime-whisper',
      `expires at   ${new Date(NOW_MS + 300_000).toISOString()} (300 s left)`,
      `secret       ${MASKED}`,
      '',
    ]);
    expectNoKey(r);

    expect(upstream.count).toBe(1);
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/realtime/translations/client_secrets');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.json).toEqual({
      session: {
        model: 'gpt-realtime-translate',
        audio: {
          input: { transcription: { model: 'gpt-realtime-whisper' } },
          output: { language: 'es' },
        },
      },
      expires_after: { anchor: 'created_at', seconds: 300 },
    });
  });

  it(`sends only the model the request requires without flags (${TRANSLATION_MODEL})`, async () => {
    upstream.reply(json(200, TRANSLATION));
    expect((await run(['translation', '--base-url', baseUrl()])).code).toBe(0);
    expect(upstream.requests[0]!.json).toEqual({ session: { model: 'gpt-realtime-translate' } });
  });

  it('--model and --language alone: only what was given', async () => {
    upstream.reply(json(200, TRANSLATION));
    const ok = await run([
      'translation',
      '--model',
      'gpt-realtime-translate-next',
      '--language',
      'fr',
      '--base-url',
      baseUrl(),
    ]);
    expect(ok.code).toBe(0);
    expect(upstream.requests.at(-1)!.json).toEqual({
      session: { model: 'gpt-realtime-translate-next', audio: { output: { language: 'fr' } } },
    });
  });

  it('--json prints the response with `value` masked; with --show-secret in full', async () => {
    upstream.reply(json(200, TRANSLATION), json(200, TRANSLATION));
    const masked = await run(['translation', '--json', '--base-url', baseUrl()]);
    expect(masked).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(masked.stdout)).toEqual({ ...TRANSLATION, value: MASKED });
    expectNoKey(masked);

    const shown = await run(['translation', '--json', '--show-secret', '--base-url', baseUrl()]);
    expect(JSON.parse(shown.stdout)).toEqual(TRANSLATION);
  });

  it('--show-secret prints the secret in full, nothing else does', async () => {
    upstream.reply(json(200, TRANSLATION));
    const r = await run(['translation', '--show-secret', '--base-url', baseUrl()]);
    expect(r.stdout).toMatch(new RegExp(`^secret\\s+${SECRET}$`, 'm'));
    expect(r.stdout).not.toContain(API_KEY);
  });

  it('a session without transcription says so; missing fields are "(not reported)"', async () => {
    const bare = {
      ...TRANSLATION,
      session: { ...TRANSLATION.session, audio: { input: { transcription: null }, output: {} } },
    };
    upstream.reply(json(200, bare));
    const r = await run(['translation', '--base-url', baseUrl()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^transcript\s+off$/m);
    expect(r.stdout).toMatch(/^language\s+\(not reported\)$/m);
  });

  it.each([
    [['translation', '--expires-after', '5'], /--expires-after.*10 to 7200/],
    [['translation', '--expires-after', '60s'], /--expires-after.*10 to 7200/],
    [['translation', '--language', ''], /--language needs a non-empty value/],
    [['translation', '--model', ' '], /--model needs a non-empty value/],
    [['translation', '--transcription-model', ''], /--transcription-model needs a non-empty value/],
    [['translation', '--voice', 'marin'], /unknown option "--voice"/],
    [['translation', '--beta-endpoints', 'ga'], /unknown option "--beta-endpoints"/],
    [['translation', 'es'], /unexpected argument "es"/],
  ])('bad usage %j → exit 2, nothing sent', async (argv, message) => {
    const r = await run([...argv, '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('(try `realtime-sessions translation --help`)');
    expect(upstream.count).toBe(0);
  });

  it('an API error → exit 1 with the status, the route and the request id, never the key', async () => {
    upstream.reply(
      openaiError(
        400,
        { message: `Invalid value for 'session.model'. Key was ${API_KEY}`, param: 'session.model' },
        { 'x-request-id': 'req_cli_tl_400' },
      ),
    );
    const r = await run(['translation', '--model', 'nope', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(
      /^realtime-sessions: 400 Invalid value for 'session\.model'\. Key was \[REDACTED\] \(POST \/realtime\/translations\/client_secrets\) \(request id req_cli_tl_400\)\n$/,
    );
  });

  it('--json on an API error: one JSON line', async () => {
    upstream.reply(openaiError(401, { message: 'Incorrect API key provided.' }));
    const error = expectOneJsonError(await run(['translation', '--json', '--base-url', baseUrl()]), 1);
    expect(error).toMatchObject({ name: 'AuthenticationError', status: 401 });
  });

  it('missing OPENAI_API_KEY → exit 2, nothing sent', async () => {
    const r = await run(['translation', '--base-url', baseUrl()], {});
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain('OPENAI_API_KEY is not set');
    expect(upstream.count).toBe(0);
  });
});

describe('realtime-sessions hangup CALL_ID', () => {
  it('POSTs to /realtime/calls/rtc_123/hangup with no body and confirms', async () => {
    upstream.reply(ended);
    const r = await run(['hangup', 'rtc_123', '--base-url', baseUrl()]);
    expect(r).toEqual({ code: 0, stdout: 'call rtc_123: hangup initiated\n', stderr: '' });
    expectNoKey(r);

    expect(upstream.count).toBe(1);
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/realtime/calls/rtc_123/hangup');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(seen.body).toBe('');
    expect(seen.headers['content-type']).toBeUndefined();
  });

  it('--json prints the call id and what was done', async () => {
    upstream.reply(ended);
    const r = await run(['--json', 'hangup', 'rtc_123', '--base-url', baseUrl()]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ call_id: 'rtc_123', hangup: 'initiated' });
  });

  it.each([
    ['../x?y', '..%2Fx%3Fy'],
    ['a/b#c', 'a%2Fb%23c'],
    ['rtc 1', 'rtc%201'],
  ])('the id %j goes as one encoded path segment (%s)', async (id, segment) => {
    upstream.reply(ended);
    const r = await run(['hangup', id, '--base-url', baseUrl()]);
    expect(r.code).toBe(0);
    expect(upstream.requests.map((seen) => seen.url)).toEqual([`/v1/realtime/calls/${segment}/hangup`]);
  });

  it('missing CALL_ID → exit 2 with the usage hint, nothing sent', async () => {
    const r = await run(['hangup', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toBe('realtime-sessions: missing CALL_ID (try `realtime-sessions hangup --help`)\n');
    const asJson = expectOneJsonError(await run(['hangup', '--json']), 2);
    expect(asJson).toEqual({
      name: 'UsageError',
      message: 'missing CALL_ID (try `realtime-sessions hangup --help`)',
      status: null,
      requestId: null,
    });
    expect(upstream.count).toBe(0);
  });

  it.each([[''], ['.'], ['..']])('CALL_ID %j → exit 2 naming CALL_ID, nothing sent', async (id) => {
    const r = await run(['hangup', id, '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toBe(
      'realtime-sessions: CALL_ID must be a non-empty string other than "." and "..", but received a string (try `realtime-sessions hangup --help`)\n',
    );
    expect(upstream.count).toBe(0);
  });

  it.each([
    [['hangup', 'rtc_1', 'rtc_2'], 'unexpected argument "rtc_2"'],
    [['hangup', 'rtc_1', '--model', 'x'], 'unknown option "--model"'],
    [['hangup', 'rtc_1', '--beta-endpoints', 'ga'], 'unknown option "--beta-endpoints"'],
  ])('bad usage %j → exit 2', async (argv, problem) => {
    const r = await run([...argv, '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toBe(`realtime-sessions: ${problem} (try \`realtime-sessions hangup --help\`)\n`);
    expect(upstream.count).toBe(0);
  });

  it('upstream 404 → exit 1 with the API message and request id, never the key', async () => {
    upstream.reply(
      openaiError(404, { message: 'Call rtc_gone not found.' }, { 'x-request-id': 'req_cli_hangup_404' }),
    );
    const r = await run(['hangup', 'rtc_gone', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toBe(
      'realtime-sessions: 404 Call rtc_gone not found. (POST /realtime/calls/rtc_gone/hangup) (request id req_cli_hangup_404)\n',
    );
    expect(upstream.count).toBe(1); // a 404 is not retried

    upstream.reply(openaiError(404, { message: 'Call rtc_gone not found.' }));
    const asJson = expectOneJsonError(
      await run(['hangup', 'rtc_gone', '--json', '--base-url', baseUrl()]),
      1,
    );
    expect(asJson).toMatchObject({ name: 'NotFoundError', status: 404 });
    expect(asJson.message).toContain('Call rtc_gone not found.');
  });

  it('missing OPENAI_API_KEY → exit 2, nothing sent', async () => {
    const r = await run(['hangup', 'rtc_123', '--base-url', baseUrl()], {});
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain('OPENAI_API_KEY is not set');
    expect(upstream.count).toBe(0);
  });
});

describe('the global options', () => {
  it('--max-retries: hangup retries a 503 as often as told, then reports it', async () => {
    upstream.reply(busy, ended);
    expect((await run(['--max-retries', '1', 'hangup', 'rtc_123', '--base-url', baseUrl()])).code).toBe(0);
    expect(upstream.count).toBe(2);

    upstream.reset();
    upstream.reply(busy);
    const r = await run(['hangup', 'rtc_123', '--max-retries', '0', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(/^realtime-sessions: 503 busy/);
    expect(upstream.count).toBe(1);
  });

  it('--timeout: an attempt that takes too long fails with exit 1', async () => {
    upstream.reply(hang());
    const r = await run(['translation', '--timeout', '200', '--max-retries', '0', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(/timed out/i);
  });

  it('the variables: OPENAI_BASE_URL, OPENAI_MAX_RETRIES, OPENAI_ORG_ID, OPENAI_PROJECT_ID', async () => {
    upstream.reply(busy, json(200, TRANSLATION), ended);
    const env = {
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: baseUrl(),
      OPENAI_MAX_RETRIES: '1',
      OPENAI_ORG_ID: 'org_cli_calls',
      OPENAI_PROJECT_ID: 'proj_cli_calls',
    };
    expect((await run(['translation'], env)).code).toBe(0);
    expect((await run(['hangup', 'rtc_env'], env)).code).toBe(0);
    expect(upstream.requests.map((seen) => seen.url)).toEqual([
      '/v1/realtime/translations/client_secrets',
      '/v1/realtime/translations/client_secrets',
      '/v1/realtime/calls/rtc_env/hangup',
    ]);
    for (const seen of upstream.requests) {
      expect(seen.headers['openai-organization']).toBe('org_cli_calls');
      expect(seen.headers['openai-project']).toBe('proj_cli_calls');
    }
  });

  it.each([
    [['hangup', 'rtc_123', '--timeout', 'soon'], 'hangup', '--timeout must be a number of milliseconds'],
    [['translation', '--max-retries', '1.5'], 'translation', '--max-retries must be a non-negative integer'],
    [['hangup', 'rtc_123', '--base-url', 'ftp://example.com'], 'hangup', '--base-url must be an http(s) URL'],
  ])('%j → exit 2, named as typed', async (argv, command, problem) => {
    const r = await run(argv);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain(problem);
    expect(r.stderr).toContain(`(try \`realtime-sessions ${command} --help\`)`);
    expect(upstream.count).toBe(0);
  });

  it('on a terminal, each says what it does and where', async () => {
    upstream.reply(json(200, TRANSLATION), busy, ended);
    const minted = await runOnTty(['translation', '--base-url', baseUrl()]);
    expect(minted.code).toBe(0);
    expect(minted.stderr).toBe(
      `minting a translation client secret: POST ${baseUrl()}/realtime/translations/client_secrets …\n`,
    );
    const hungUp = await runOnTty(['hangup', 'rtc_123', '--base-url', baseUrl()]);
    expect(hungUp.code).toBe(0);
    expect(hungUp.stderr).toBe(
      `hanging up a call: POST ${baseUrl()}/realtime/calls/rtc_123/hangup …\nretry 1 of 2 after status 503 …\n`,
    );
    expectNoKey(minted);
    expectNoKey(hungUp);
  });
});

describe('help and did you mean', () => {
  it('the overview lists both commands, hangup with its argument', async () => {
    const r = await run(['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(
      /^ {2}translation\s+mint a translation client secret \(POST \/realtime\/translations\/client_secrets\)/m,
    );
    expect(r.stdout).toMatch(/^ {2}hangup CALL_ID\s+hang up a Realtime call/m);
  });

  it.each([[['translation', '--help']], [['help', 'translation']], [['-h', 'translation']]])(
    '%j describes every flag',
    async (argv) => {
      const r = await run(argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(
        /^Usage: realtime-sessions translation \[--model M\] \[--language L\] \[--transcription-model M\] \[--expires-after SECONDS\] \[global flags\]\n/,
      );
      for (const flag of [
        '--model M',
        '--language L',
        '--transcription-model M',
        '--expires-after SECONDS',
      ]) {
        expect(r.stdout).toMatch(new RegExp(`^ {2}${flag} `, 'm'));
      }
      expect(r.stdout).toContain(`default: ${TRANSLATION_MODEL}`);
      expect(r.stdout).not.toContain('--beta-endpoints');
      expect(upstream.count).toBe(0);
    },
  );

  it.each([[['hangup', '--help']], [['help', 'hangup']], [['hangup', 'rtc_123', '-h']]])(
    '%j: the argument, no flags of its own, the global ones',
    async (argv) => {
      const r = await run(argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Usage: realtime-sessions hangup CALL_ID \[global flags\]\n/);
      expect(r.stdout).toMatch(/^Arguments:\n {2}CALL_ID +the call to end/m);
      expect(r.stdout).not.toMatch(/^Flags:/m);
      for (const flag of ['--base-url URL', '--timeout MS', '--max-retries N', '--json']) {
        expect(r.stdout).toMatch(new RegExp(`^ {2}${flag} `, 'm'));
      }
      expect(upstream.count).toBe(0);
    },
  );

  it('`hangup --version` needs no CALL_ID', async () => {
    const r = await run(['hangup', '--version']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it.each([
    ['hangpu', 'hangup'],
    ['hang-up', 'hangup'],
    ['translatoin', 'translation'],
    ['translate', 'translation'],
  ])('%s → "did you mean %s"', async (typed, meant) => {
    const r = await run([typed, 'rtc_123']);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toBe(
      `realtime-sessions: unknown command "${typed}"; did you mean "${meant}"? (try \`realtime-sessions --help\`)\n`,
    );
  });

  it.each([
    [['translation', '--langauge', 'es'], '--langauge', '--language'],
    [['translation', '--transcription-modle', 'x'], '--transcription-modle', '--transcription-model'],
    [['translation', '--expires-afer', '60'], '--expires-afer', '--expires-after'],
    [['hangup', 'rtc_1', '--jsno'], '--jsno', '--json'],
  ])('%j → did you mean %s', async (argv, typed, meant) => {
    const r = await run([...argv, '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain(`unknown option "${typed}"; did you mean "${meant}"?`);
    expect(upstream.count).toBe(0);
  });
});

describe('against the live-like stand-in', () => {
  let live: StandIn;
  // The clock is read at each run: the stand-in stamps expiries with the real time.
  const runLive = (argv: string[]) => cliRunner({ apiKey: API_KEY, nowMs: Date.now() })(argv);
  beforeAll(async () => {
    live = await startStandIn();
  });
  afterAll(() => live.close());

  it('translation mints a translation session as configured', async () => {
    const r = await runLive(['translation', '--language', 'de', '--base-url', live.baseUrl]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^model\s+gpt-realtime-translate$/m);
    expect(r.stdout).toMatch(/^language\s+de$/m);
    expect(r.stdout).toMatch(/^secret\s+ek_[0-9a-f]{2}…[0-9a-f]{2}$/m);
    const seen = live.requests.at(-1)!;
    expect(`${seen.url} ${seen.status}`).toBe('/v1/realtime/translations/client_secrets 200');
    expect(JSON.parse(seen.body)).toEqual({
      session: { model: 'gpt-realtime-translate', audio: { output: { language: 'de' } } },
    });
  });

  it('hangup ends a call the stand-in knows; an unknown one is its 404, exit 1', async () => {
    const callId = live.incomingCall();
    const r = await runLive(['hangup', callId, '--base-url', live.baseUrl]);
    expect(r).toEqual({ code: 0, stdout: `call ${callId}: hangup initiated\n`, stderr: '' });
    expect(live.calls.get(callId)!.state).toBe('ended');

    const unknown = await runLive(['hangup', 'rtc_unknown', '--base-url', live.baseUrl]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^realtime-sessions: 404 Call rtc_unknown not found\. .*\(request id req_/,
    );
    expect(live.requests.at(-1)!.url).toBe('/v1/realtime/calls/rtc_unknown/hangup');
  });
});

describe('the real executable', () => {
  it('`node --import tsx src/bin.ts hangup rtc_bin` confirms and exits 0', async () => {
    upstream.reply(ended);
    const { stdout, stderr } = await runBin(['hangup', 'rtc_bin', '--base-url', baseUrl()], API_KEY);
    expect({ stdout, stderr }).toEqual({ stdout: 'call rtc_bin: hangup initiated\n', stderr: '' });
    expect(upstream.requests[0]!.url).toBe('/v1/realtime/calls/rtc_bin/hangup');
  });

  it('`hangup` without CALL_ID exits 2', async () => {
    const error = await runBin(['hangup'], API_KEY).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toBe(
      'realtime-sessions: missing CALL_ID (try `realtime-sessions hangup --help`)\n',
    );
  });

  it('`translation --json` prints the masked secret', async () => {
    upstream.reply(json(200, TRANSLATION));
    const { stdout } = await runBin(['translation', '--json', '--base-url', baseUrl()], API_KEY);
    expect(JSON.parse(stdout)).toEqual({ ...TRANSLATION, value: MASKED });
  });
});
