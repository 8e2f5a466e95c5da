// `npm start`, the README's first command, as a new user runs it: no key and no network (stand-in
// behind Prism), and with OPENAI_API_KEY set (here pointed at a local stand-in via OPENAI_BASE_URL).
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

// Async: the stand-in of the second case lives in this process and must keep answering.
async function start(env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID'])
    delete clean[k];
  return promisify(execFile)('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...clean, ...env },
    timeout: 60_000,
  });
}

let upstream: StandIn;
beforeAll(async () => {
  upstream = await startStandIn();
});
afterAll(async () => {
  await upstream?.close();
});

describe('npm start', () => {
  it('without a key: mints through Prism and the stand-in, prints a masked secret, exits 0', async () => {
    const { stdout } = await start({});
    expect(stdout).toMatch(/OPENAI_API_KEY is not set: minting against a local stand-in/);
    expect(stdout).toMatch(/^model\s+gpt-realtime$/m);
    const expiry = /^expires at\s+(\S+) \((\d+) s left\)$/m.exec(stdout);
    expect(expiry).not.toBeNull();
    expect(Number.isNaN(Date.parse(expiry![1]!))).toBe(false);
    expect(Number(expiry![2])).toBeGreaterThan(50);
    // Masked: 5 characters, an ellipsis, the last 2; never the whole secret.
    expect(stdout).toMatch(/^secret\s+ek_[0-9a-f]{2}…[0-9a-f]{2}$/m);
    expect(stdout).not.toMatch(/ek_[0-9a-f]{32}/);

    // Both servers it started (the stand-in and Prism) are gone once it has exited.
    const standIn = /local stand-in at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const prism = /validated by Prism \((http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(standIn).toBeDefined();
    expect(prism).toBeDefined();
    expect(await listening(standIn!)).toBe(false);
    expect(await listening(prism!)).toBe(false);
  });

  it('with OPENAI_API_KEY set: says so and calls the configured API instead', async () => {
    const before = upstream.requests.length;
    const { stdout } = await start({
      OPENAI_API_KEY: 'sk-start-test-key',
      OPENAI_BASE_URL: upstream.baseUrl,
    });
    expect(stdout).toContain(`OPENAI_API_KEY is set: minting against the real API at ${upstream.baseUrl}.`);
    expect(stdout).not.toContain('sk-start-test-key');
    expect(upstream.requests.length).toBe(before + 1);
    const seen = upstream.requests.at(-1)!;
    expect(seen.url).toBe('/v1/realtime/sessions');
    expect(seen.headers.authorization).toBe('Bearer sk-start-test-key');
    expect(JSON.parse(seen.body)).toEqual({ model: 'gpt-realtime', voice: 'verse' });
  });
});
