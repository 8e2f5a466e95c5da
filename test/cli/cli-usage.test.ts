// How the CLI reads a command line and says what is wrong with one: flags before or after the
// command, "did you mean" for a mistyped command or flag, one style for every usage message, and
// --json errors (one JSON line on stderr) next to the plain ones.
import { describe, expect, it } from 'vitest';
import { json, openaiError, text, closedPortUrl, type ScriptedServer } from '../helpers/scripted-server.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { ALL_FLAGS } from '../../src/cli/parse.js';
import { useCliSuite } from './support.js';

const API_KEY = 'sk-cli-usage-KEY-0123456789abcdef';
const SECRET = 'ek_cli_usage_secret_0123456789ab42';
const NOW_MS = 1_900_000_000_000;
const SESSION = {
  id: 'sess_cli_usage',
  object: 'realtime.session',
  model: 'gpt-realtime',
  voice: 'marin',
  client_secret: { value: SECRET, expires_at: NOW_MS / 1000 + 60 },
};
const MINTED = {
  value: SECRET,
  expires_at: NOW_MS / 1000 + 120,
  session: { type: 'realtime', object: 'realtime.session', id: 'sess_cli_usage_ga', model: 'gpt-realtime' },
};

let upstream: ScriptedServer;

const { run, baseUrl, expectOneErrorLine, expectOneJsonError } = useCliSuite(
  { apiKey: API_KEY, nowMs: NOW_MS, secrets: [API_KEY, SECRET] },
  (s) => (upstream = s),
);

/** The one usage style: the problem, then where help is. */
const USAGE_LINE = /^realtime-sessions: [^\n]+ \(try `realtime-sessions( [a-z-]+)? --help`\)\n$/;

describe('did you mean', () => {
  it.each([
    ['craete', 'create'],
    ['creat', 'create'],
    ['Create', 'create'],
    ['client-secert', 'client-secret'],
    ['clientsecret', 'client-secret'],
    ['transcriptoin', 'transcription'],
  ])('%s → "did you mean %s"', async (typed, meant) => {
    const r = await run([typed]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toBe(
      `realtime-sessions: unknown command "${typed}"; did you mean "${meant}"? (try \`realtime-sessions --help\`)\n`,
    );
  });

  it.each(['frobnicate', 'x', 'sessions'])('%s is too far from every command for a guess', async (typed) => {
    const r = await run([typed]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toBe(
      `realtime-sessions: unknown command "${typed}" (try \`realtime-sessions --help\`)\n`,
    );
  });

  it('`help craete` guesses too', async () => {
    const r = await run(['help', 'craete']);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain('unknown command "craete"; did you mean "create"?');
  });

  it.each([
    [['create', '--modle', 'x'], '--modle', '--model'],
    [['client-secret', '--expires-afer', '60'], '--expires-afer', '--expires-after'],
    [['transcription', '--langauge', 'de'], '--langauge', '--language'],
    [['create', '--jsno'], '--jsno', '--json'],
  ])('%j → did you mean %s', async (argv, typed, meant) => {
    const r = await run([...argv, '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain(`unknown option "${typed}"; did you mean "${meant}"?`);
    expect(upstream.count).toBe(0);
  });
});

describe('one style for every usage message', () => {
  it.each([
    [['craete'], 'unknown command "craete"; did you mean "create"?', ''],
    [['create', '--bogus'], 'unknown option "--bogus"', ' create'],
    [['--nope'], 'unknown option "--nope"', ''],
    [['create', '--model'], '--model needs a value', ' create'],
    [['create', '--model', '--voice', 'marin'], '--model needs a value', ' create'],
    [['create', '--json=yes'], '--json takes no value', ' create'],
    [['create', 'stray'], 'unexpected argument "stray"', ' create'],
    [['create', '--voice', ''], '--voice needs a non-empty value', ' create'],
    [[], 'missing command', ''],
    [['--show-secret'], 'missing command', ''],
    [
      ['client-secret', '--expires-after', '60s'],
      '--expires-after must be a whole number of seconds from 10 to 7200, but received "60s"',
      ' client-secret',
    ],
    [
      ['client-secret', '--expires-after', '5'],
      '--expires-after must be a whole number of seconds from 10 to 7200, but received number 5',
      ' client-secret',
    ],
    [
      ['create', '--timeout', 'soon'],
      '--timeout must be a number of milliseconds, but received "soon"',
      ' create',
    ],
    [['create', '--timeout', '0'], '--timeout must be a positive number, but received number 0', ' create'],
    [
      ['create', '--max-retries=-1'],
      '--max-retries must be a non-negative integer, but received number -1',
      ' create',
    ],
    [
      ['create', '--base-url', 'ftp://example.com'],
      '--base-url must be an http(s) URL, but received a string',
      ' create',
    ],
    [
      ['create', '--beta-endpoints', 'sometimes'],
      "--beta-endpoints must be 'fallback', 'ga' or 'beta', but received a string",
      ' create',
    ],
  ])('%j → "%s"', async (argv, problem, command) => {
    const r = await run(argv);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toMatch(USAGE_LINE);
    expect(r.stderr).toBe(`realtime-sessions: ${problem} (try \`realtime-sessions${command} --help\`)\n`);
    expect(upstream.count).toBe(0);
  });

  it('a variable is named as set: OPENAI_BASE_URL, OPENAI_TIMEOUT_MS, OPENAI_MAX_RETRIES', async () => {
    for (const [name, value, problem] of [
      ['OPENAI_BASE_URL', 'ftp://example.com', 'OPENAI_BASE_URL must be an http(s) URL'],
      ['OPENAI_TIMEOUT_MS', 'soon', 'OPENAI_TIMEOUT_MS must be a number of milliseconds'],
      ['OPENAI_MAX_RETRIES', '1.5', 'OPENAI_MAX_RETRIES must be a non-negative integer'],
    ]) {
      const r = await run(['create'], { OPENAI_API_KEY: API_KEY, [name]: value });
      expectOneErrorLine(r, 2);
      expect(r.stderr).toMatch(USAGE_LINE);
      expect(r.stderr).toContain(problem);
    }
    expect(upstream.count).toBe(0);
  });

  it('a missing OPENAI_API_KEY reads alike', async () => {
    const r = await run(['client-secret', '--base-url', baseUrl()], {});
    expectOneErrorLine(r, 2);
    expect(r.stderr).toMatch(USAGE_LINE);
    expect(r.stderr).toContain('OPENAI_API_KEY is not set');
  });
});

describe('flags before the command', () => {
  it('a flag has one type in every command that takes it, so a value is a value before the command is known', () => {
    for (const command of Object.values(COMMANDS)) {
      for (const [name, flag] of Object.entries(command.flags)) expect(ALL_FLAGS[name]!.type).toBe(flag.type);
    }
  });

  it('`--base-url URL --json create` works as `create --base-url URL --json`', async () => {
    upstream.reply(json(200, SESSION), json(200, SESSION));
    const before = await run(['--base-url', baseUrl(), '--json', 'create']);
    const after = await run(['create', '--base-url', baseUrl(), '--json']);
    expect(before).toMatchObject({ code: 0, stderr: '' });
    expect(before).toEqual(after);
    expect(JSON.parse(before.stdout).client_secret.value).toBe('ek_cl…42');
    expect(upstream.requests.map((r) => [r.url, r.json])).toEqual([
      ['/v1/realtime/sessions', {}],
      ['/v1/realtime/sessions', {}],
    ]);
  });

  it('every global flag may come first; the command’s own come after it', async () => {
    upstream.reply(json(200, MINTED));
    const r = await run([
      '--show-secret',
      '--timeout',
      '5000',
      '--max-retries',
      '0',
      '--base-url',
      baseUrl(),
      'client-secret',
      '--voice',
      'marin',
      '--expires-after',
      '120',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(SECRET);
    expect(upstream.requests[0]!.json).toEqual({
      session: { type: 'realtime', audio: { output: { voice: 'marin' } } },
      expires_after: { anchor: 'created_at', seconds: 120 },
    });
  });

  it('a flag of the command may come first too: the line is read the same', async () => {
    upstream.reply(json(200, SESSION));
    expect((await run(['--model', 'gpt-realtime', 'create', '--base-url', baseUrl()])).code).toBe(0);
    expect(upstream.requests[0]!.json).toEqual({ model: 'gpt-realtime' });
  });

  it('but only a flag the command takes', async () => {
    const r = await run(['--expires-after', '60', 'transcription', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 2);
    expect(r.stderr).toContain('unknown option "--expires-after"');
    expect(r.stderr).toContain('(try `realtime-sessions transcription --help`)');
    expect(upstream.count).toBe(0);
  });

  it.each([
    [['-h', 'create'], /^Usage: realtime-sessions create /],
    [['--help', 'client-secret'], /^Usage: realtime-sessions client-secret /],
    [['-h'], /^Usage: realtime-sessions \[flags\] <command> \[flags\]/],
    [['-v', 'create'], /^\d+\.\d+\.\d+\S*\n$/],
    [['create', '--version'], /^\d+\.\d+\.\d+\S*\n$/],
  ])('%j', async (argv, stdout) => {
    const r = await run(argv);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(stdout);
    expect(upstream.count).toBe(0);
  });
});

describe('--json errors: one JSON line on stderr', () => {
  it('an API error: name, message, status and request id; exit 1; never the key or a secret', async () => {
    upstream.reply(
      openaiError(
        400,
        { message: `Invalid value: 'robot'.\nKey was ${API_KEY}, secret ${SECRET}`, param: 'voice' },
        { 'x-request-id': 'req_cli_json_400' },
      ),
    );
    const r = await run(['create', '--json', '--voice', 'robot', '--base-url', baseUrl()]);
    const error = expectOneJsonError(r, 1);
    expect(error).toMatchObject({ name: 'BadRequestError', status: 400, requestId: 'req_cli_json_400' });
    expect(error.message).toMatch(
      /^400 Invalid value: 'robot'\. Key was \[REDACTED\].* \(POST \/realtime\/sessions\)$/,
    );
  });

  it('bad usage: a UsageError, exit 2, status and request id null', async () => {
    const r = await run(['--json', 'craete']);
    expect(expectOneJsonError(r, 2)).toEqual({
      name: 'UsageError',
      message: 'unknown command "craete"; did you mean "create"? (try `realtime-sessions --help`)',
      status: null,
      requestId: null,
    });
  });

  it('no command: exit 2', async () => {
    expect(expectOneJsonError(await run(['--json']), 2)).toMatchObject({
      name: 'UsageError',
      message: 'missing command (try `realtime-sessions --help`)',
    });
  });

  it('a bad client option: the ConfigurationError, exit 2', async () => {
    const r = await run(['client-secret', '--json', '--max-retries', '1.5', '--base-url', baseUrl()]);
    expect(expectOneJsonError(r, 2)).toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringMatching(/^--max-retries must be a non-negative integer/),
      status: null,
      requestId: null,
    });
    expect(upstream.count).toBe(0);
  });

  it('a connection error: the ConnectionError, exit 1', async () => {
    const r = await run([
      '--json',
      '--max-retries',
      '0',
      'create',
      '--base-url',
      `${await closedPortUrl()}/v1`,
    ]);
    expect(expectOneJsonError(r, 1)).toMatchObject({
      name: 'ConnectionError',
      message: expect.stringMatching(/^Connection error/),
      status: null,
      requestId: null,
    });
  });

  it('an unusable 2xx: the InvalidResponseError with its status and request id', async () => {
    upstream.reply(text(200, 'not json', { 'x-request-id': 'req_cli_invalid' }));
    const r = await run(['client-secret', '--json', '--base-url', baseUrl()]);
    expect(expectOneJsonError(r, 1)).toMatchObject({
      name: 'InvalidResponseError',
      status: 200,
      requestId: 'req_cli_invalid',
    });
  });
});

describe('the request id in plain mode', () => {
  it('an unusable 2xx ends with its request id, as an API error does', async () => {
    upstream.reply(text(200, `not json ${SECRET}`, { 'x-request-id': 'req_cli_invalid_plain' }));
    const r = await run(['client-secret', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).toMatch(
      /^realtime-sessions: 200 invalid response: .* \(request id req_cli_invalid_plain\)\n$/,
    );
  });

  it('a request id is printed only when the answer has one', async () => {
    upstream.reply(openaiError(400, { message: 'nope' }));
    const r = await run(['client-secret', '--base-url', baseUrl()]);
    expectOneErrorLine(r, 1);
    expect(r.stderr).not.toContain('request id');
  });
});
