// The CLI's three subcommands as a new user runs them today: against the live-like stand-in, where the
// beta endpoints answer 404 as upstream does since May 2026. `create` and `transcription` mint through
// the fallback; `--beta-endpoints` picks another way. What the stand-in received is checked each time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { cliRunner, expectOneErrorLine, runBin } from './support.js';

const API_KEY = 'sk-cli-live-KEY-0123456789abcdef';
// The clock is read at each run: the stand-in stamps expiries with the real time.
const run = (argv: string[]) => cliRunner({ apiKey: API_KEY, nowMs: Date.now() })(argv);

let live: StandIn;
let seen = 0;
beforeAll(async () => {
  live = await startStandIn();
});
afterAll(() => live.close());

/** The "N s left" of a printed session. */
function secondsLeft(stdout: string): number {
  return Number(/\((\d+) s left\)/.exec(stdout)?.[1]);
}

/** The stand-in's requests since the last call, as `path status`. */
function received(): string[] {
  const since = live.requests.slice(seen).map((r) => `${r.url} ${r.status}`);
  seen = live.requests.length;
  return since;
}

describe('against the live API of today', () => {
  it('create mints through the fallback and prints the session, secret masked', async () => {
    received();
    const r = await run([
      'create',
      '--model',
      'gpt-realtime',
      '--voice',
      'marin',
      '--base-url',
      live.baseUrl,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^model\s+gpt-realtime$/m);
    expect(r.stdout).toMatch(/^voice\s+marin$/m);
    expect(r.stdout).toMatch(/^secret\s+ek_[0-9a-f]{2}…[0-9a-f]{2}$/m);
    expect(secondsLeft(r.stdout)).toBeGreaterThan(590);
    expect(secondsLeft(r.stdout)).toBeLessThanOrEqual(600);
    expect(received()).toEqual(['/v1/realtime/sessions 404', '/v1/realtime/client_secrets 200']);
    expect(JSON.parse(live.requests.at(-1)!.body)).toEqual({
      session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'marin' } } },
    });
  });

  it('transcription mints through the fallback with session.type transcription', async () => {
    received();
    const r = await run([
      'transcription',
      '--model',
      'gpt-4o-transcribe',
      '--language',
      'en',
      '--base-url',
      live.baseUrl,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^model\s+gpt-4o-transcribe$/m);
    expect(r.stdout).toMatch(/^language\s+en$/m);
    expect(r.stdout).toMatch(/^secret\s+ek_/m);
    expect(received()).toEqual([
      '/v1/realtime/transcription_sessions 404',
      '/v1/realtime/client_secrets 200',
    ]);
    expect(JSON.parse(live.requests.at(-1)!.body)).toEqual({
      session: {
        type: 'transcription',
        audio: { input: { transcription: { model: 'gpt-4o-transcribe', language: 'en' } } },
      },
    });
  });

  it('client-secret mints in one call', async () => {
    received();
    const r = await run([
      'client-secret',
      '--voice',
      'cedar',
      '--expires-after',
      '120',
      '--base-url',
      live.baseUrl,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^voice\s+cedar$/m);
    expect(secondsLeft(r.stdout)).toBeGreaterThan(110);
    expect(secondsLeft(r.stdout)).toBeLessThanOrEqual(120);
    expect(received()).toEqual(['/v1/realtime/client_secrets 200']);
  });

  it('--beta-endpoints ga skips the beta call; --beta-endpoints beta fails with the migration hint (exit 1)', async () => {
    received();
    const ga = await run(['create', '--beta-endpoints', 'ga', '--base-url', live.baseUrl]);
    expect(ga.code).toBe(0);
    expect(received()).toEqual(['/v1/realtime/client_secrets 200']);

    const beta = await run(['create', '--beta-endpoints', 'beta', '--base-url', live.baseUrl]);
    expectOneErrorLine(beta, 1, [API_KEY]);
    expect(beta.stderr).toMatch(/404 Invalid URL .*retired upstream; use createRealtimeClientSecret/);
    expect(beta.stderr).toMatch(/\(request id req_[0-9a-f]+\)/);
    expect(received()).toEqual(['/v1/realtime/sessions 404']);
  });

  it('a wrong --beta-endpoints is bad usage (exit 2) naming the choices, before any request', async () => {
    received();
    const r = await run(['create', '--beta-endpoints', 'sometimes', '--base-url', live.baseUrl]);
    expectOneErrorLine(r, 2, [API_KEY]);
    expect(r.stderr).toContain("--beta-endpoints must be 'fallback', 'ga' or 'beta'");
    expect(received()).toEqual([]);
  });

  it('--help of both beta commands says they fall back', async () => {
    for (const command of ['create', 'transcription']) {
      const r = await run([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/retired upstream, so it falls back to POST \/realtime\/client_secrets/);
      expect(r.stdout).toContain('--beta-endpoints MODE');
    }
  });

  it('on a terminal, create says what it does and names the fallback’s request', async () => {
    received();
    const onTty = cliRunner({ apiKey: API_KEY, nowMs: Date.now(), tty: true });
    const r = await onTty(['create', '--base-url', live.baseUrl]);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').slice(0, -1)).toEqual([
      `creating a Realtime session: POST ${live.baseUrl}/realtime/sessions …`,
      `POST ${live.baseUrl}/realtime/client_secrets instead, after status 404 …`,
    ]);
    expect(r.stderr).not.toContain(API_KEY);
    expect(r.stderr).not.toMatch(/ek_/);
    expect(received()).toEqual(['/v1/realtime/sessions 404', '/v1/realtime/client_secrets 200']);
  });

  it('the real executable: `create` mints against the stand-in as a user types it', async () => {
    received();
    const { stdout } = await runBin(['create', '--base-url', live.baseUrl], API_KEY);
    expect(stdout).toMatch(/^secret\s+ek_[0-9a-f]{2}…[0-9a-f]{2}$/m);
    expect(received()).toEqual(['/v1/realtime/sessions 404', '/v1/realtime/client_secrets 200']);
  });
});
