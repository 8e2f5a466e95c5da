// `npm start`, the README's first command, as a new user runs it: no key and no network (stand-in
// behind Prism), and with OPENAI_API_KEY set (here pointed at a local stand-in via OPENAI_BASE_URL).
// The stand-in answers like the live API by default (POST /realtime/sessions retired: 404), so one
// createRealtimeSession makes two upstream requests, beta 404 then GA client_secrets 200;
// STAND_IN_BETA=1 imitates a server that still has the beta contract (one request).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Whether anything still listens at `url`: npm start must leave no server behind. */
async function listening(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

// Async: the stand-ins of the OPENAI_API_KEY cases live in this process and must keep answering.
async function start(env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  for (const k of [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'OPENAI_ORG_ID',
    'OPENAI_PROJECT_ID',
    'STAND_IN_BETA',
  ])
    delete clean[k];
  return promisify(execFile)('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...clean, ...env },
    timeout: 60_000,
  });
}

/** The lines npm start printed for upstream requests (the stand-in's, Prism's, or its own). */
const exchangeLines = (stdout: string) =>
  stdout.split('\n').filter((line) => /^(stand-in|prism|upstream): /.test(line));

/** The session block every successful run ends with: model, expiry `ttl` s out, masked secret. */
function expectMinted(stdout: string, ttl: number): void {
  expect(stdout).toMatch(/^session\s+sess_[0-9a-f]+$/m);
  expect(stdout).toMatch(/^model\s+gpt-realtime$/m);
  const expiry = /^expires at\s+(\S+) \((\d+) s left\)$/m.exec(stdout);
  expect(expiry).not.toBeNull();
  expect(Number.isNaN(Date.parse(expiry![1]!))).toBe(false);
  expect(Number(expiry![2])).toBeGreaterThan(ttl - 10);
  expect(Number(expiry![2])).toBeLessThanOrEqual(ttl);
  // Masked: 5 characters, an ellipsis, the last 2; never the whole secret.
  expect(stdout).toMatch(/^secret\s+ek_[0-9a-f]{2}…[0-9a-f]{2}$/m);
  expect(stdout).not.toMatch(/ek_[0-9a-f]{32}/);
}

/** Both servers npm start started (the stand-in and Prism) are gone once it has exited. */
async function expectServersGone(stdout: string): Promise<void> {
  const standIn = /local stand-in at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  const prism = /validated by Prism \((http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  expect(standIn).toBeDefined();
  expect(prism).toBeDefined();
  expect(await listening(standIn!)).toBe(false);
  expect(await listening(prism!)).toBe(false);
}

const BETA_BODY = { model: 'gpt-realtime', voice: 'verse' };
/** BETA_BODY translated for POST /realtime/client_secrets: under `session`, voice under audio.output. */
const GA_BODY = {
  session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'verse' } } },
};

let live: StandIn;
let beta: StandIn;
beforeAll(async () => {
  [live, beta] = await Promise.all([startStandIn(), startStandIn({ beta: true })]);
});
afterAll(async () => {
  await Promise.all([live?.close(), beta?.close()]);
});

describe('npm start without a key (stand-in behind Prism)', () => {
  it('live-like by default: prints the beta 404, Prism passing it on, the client_secrets 200; mints; exits 0', async () => {
    const { stdout } = await start({});
    expect(stdout).toMatch(/OPENAI_API_KEY is not set: minting against a local stand-in/);
    expect(stdout).toContain('The stand-in answers like the live API');
    expect(exchangeLines(stdout)).toEqual([
      'stand-in: POST /v1/realtime/sessions → 404 (beta endpoint retired)',
      // Prism in proxy mode with --errors: an undeclared status is a warning, not an error, so the
      // 404 reaches the SDK as the stand-in sent it (no 500 in its place).
      'prism: POST /realtime/sessions → 404 passed on unchanged; warning: Unable to match the returned status code with those defined in the document: 200',
      'stand-in: POST /v1/realtime/client_secrets → 200',
    ]);
    // The GA secret's lifetime (600 s by default), not the beta 60 s.
    expectMinted(stdout, 600);
    await expectServersGone(stdout);
  });

  it('STAND_IN_BETA=1: the old beta contract, one request to /realtime/sessions', async () => {
    const { stdout } = await start({ STAND_IN_BETA: '1' });
    expect(stdout).toContain('The stand-in serves the old beta contract (STAND_IN_BETA=1)');
    expect(exchangeLines(stdout)).toEqual(['stand-in: POST /v1/realtime/sessions → 200']);
    expectMinted(stdout, 60);
    await expectServersGone(stdout);
  });
});

describe('npm start with OPENAI_API_KEY set (calls the configured API)', () => {
  it('against a live-like server: /realtime/sessions answers 404, then it mints through client_secrets', async () => {
    const before = live.requests.length;
    const { stdout } = await start({ OPENAI_API_KEY: 'sk-start-test-key', OPENAI_BASE_URL: live.baseUrl });
    expect(stdout).toContain(`OPENAI_API_KEY is set: minting against the real API at ${live.baseUrl}.`);
    expect(stdout).not.toContain('sk-start-test-key');
    expect(exchangeLines(stdout)).toEqual([
      `upstream: POST ${live.baseUrl}/realtime/sessions → 404`,
      `upstream: POST ${live.baseUrl}/realtime/client_secrets → 200`,
    ]);
    expectMinted(stdout, 600);

    const seen = live.requests.slice(before);
    expect(seen.map((r) => [r.method, r.url, r.status])).toEqual([
      ['POST', '/v1/realtime/sessions', 404],
      ['POST', '/v1/realtime/client_secrets', 200],
    ]);
    for (const r of seen) expect(r.headers.authorization).toBe('Bearer sk-start-test-key');
    expect(JSON.parse(seen[0]!.body)).toEqual(BETA_BODY);
    expect(JSON.parse(seen[1]!.body)).toEqual(GA_BODY);
  });

  it('against a server that still has the beta contract: one request, the beta body', async () => {
    const before = beta.requests.length;
    const { stdout } = await start({ OPENAI_API_KEY: 'sk-start-test-key', OPENAI_BASE_URL: beta.baseUrl });
    expect(exchangeLines(stdout)).toEqual([`upstream: POST ${beta.baseUrl}/realtime/sessions → 200`]);
    expectMinted(stdout, 60);
    const seen = beta.requests.slice(before);
    expect(seen.map((r) => [r.url, r.status])).toEqual([['/v1/realtime/sessions', 200]]);
    expect(JSON.parse(seen[0]!.body)).toEqual(BETA_BODY);
  });
});
