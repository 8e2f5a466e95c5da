// End to end in a real browser: page → our token route (createSessionHandler) → stand-in upstream.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServer, type ExampleServer } from '../../examples/web/server.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { launchChromium } from './chromium.js';

const API_KEY = 'sk-browser-test-KEY-0001';
let browser: Browser;
let upstream: StandIn;
let app: ExampleServer;

beforeAll(async () => {
  upstream = await startStandIn();
  app = await startExampleServer({ apiKey: API_KEY, baseUrl: upstream.baseUrl });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await upstream?.close();
});

describe('examples/web in Chromium', () => {
  it('mints a session on click and shows the masked secret and a live countdown', async () => {
    const page = await browser.newPage();
    const sessionResponses: string[] = [];
    page.on('response', async (r) => {
      if (r.url().endsWith('/session')) sessionResponses.push(await r.text());
    });
    await page.goto(`${app.url}/`);
    await page.click('#mint');
    await page.waitForSelector('#result:not([hidden])');

    const minted = JSON.parse(sessionResponses[0] ?? '{}');
    const value: string = minted.client_secret.value;
    expect(value).toMatch(/^ek_[0-9a-f]{32}$/);
    expect(await page.textContent('#model')).toBe('gpt-realtime');
    const shown = (await page.textContent('#secret')) ?? '';
    expect(shown).toBe(`${value.slice(0, 5)}…${value.slice(-2)}`);
    expect(await page.content()).not.toContain(value);

    const first = Number(await page.getAttribute('#countdown', 'data-seconds'));
    expect(first).toBeGreaterThan(50);
    expect(first).toBeLessThanOrEqual(60);
    await page.waitForFunction(
      (start) => Number(document.querySelector('#countdown')?.getAttribute('data-seconds')) < start,
      first,
      { timeout: 5000 },
    );
    expect(await page.isEnabled('#connect')).toBe(true);

    // The upstream saw exactly one call: the server's key, the pinned config, the allowed voice.
    expect(upstream.requests).toHaveLength(1);
    const seen = upstream.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/realtime/sessions');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(seen.body)).toEqual({
      model: 'gpt-realtime',
      instructions: 'You are a friendly assistant.',
      voice: 'verse',
    });
    await page.close();
  });

  it('loads the built ESM package: the browser guard throws unless dangerouslyAllowBrowser', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/guard.html`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined);
    const result = await page.evaluate(() => (window as unknown as { __result: any }).__result);
    expect(result.guard.name).toBe('ConfigurationError');
    expect(result.guard.message).toMatch(/client_secret/);
    expect(result.guard.message).not.toContain('sk-should-stay-on-the-server');
    expect(result.optIn).toBe('constructed');
    await page.close();
  });
});
