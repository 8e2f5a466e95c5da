// End to end in a real browser: page → our token route (createSessionHandler) → stand-in upstream.
// The page flow runs once per handler mode: the same page, unchanged, against the beta sessions
// endpoint and against the GA client_secrets endpoint.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startExampleServer,
  type ExampleServer,
  type ExampleServerOptions,
} from '../../examples/web/server.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { launchChromium } from './chromium.js';

const API_KEY = 'sk-browser-test-KEY-0001';
let browser: Browser;
let upstream: StandIn;

beforeAll(async () => {
  // The beta contract: sessions mode must reach /realtime/sessions and mint there (one request).
  upstream = await startStandIn({ beta: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await upstream?.close();
});

interface Mode {
  options: ExampleServerOptions;
  /** What the upstream must have received. */
  path: string;
  body: unknown;
  /** The countdown's first value lies in (ttl - 10, ttl]. */
  ttl: number;
  /** Where the page's connect button sends its WebRTC offer. */
  connectUrl: string;
}

// The token route mints through client_secrets by default (since 0.2.0); sessions mode is opt-in.
const MODES: [string, Mode][] = [
  [
    'client_secrets (default, GA)',
    {
      options: { expiresAfterSeconds: 120 },
      path: '/v1/realtime/client_secrets',
      body: {
        expires_after: { anchor: 'created_at', seconds: 120 },
        session: {
          type: 'realtime',
          model: 'gpt-realtime',
          instructions: 'You are a friendly assistant.',
          audio: { output: { voice: 'verse' } },
        },
      },
      ttl: 120,
      connectUrl: 'https://api.openai.com/v1/realtime/calls',
    },
  ],
  [
    'sessions (beta)',
    {
      options: { endpoint: 'sessions' },
      path: '/v1/realtime/sessions',
      body: { model: 'gpt-realtime', instructions: 'You are a friendly assistant.', voice: 'verse' },
      ttl: 60,
      connectUrl: 'https://api.openai.com/v1/realtime?model=gpt-realtime',
    },
  ],
];

describe.each(MODES)('examples/web in Chromium, handler mode %s', (_, mode) => {
  let app: ExampleServer;

  beforeAll(async () => {
    app = await startExampleServer({ apiKey: API_KEY, baseUrl: upstream.baseUrl, ...mode.options });
  });
  afterAll(() => app?.close());

  it('mints a session on click and shows the masked secret and a live countdown', async () => {
    const before = upstream.requests.length;
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/session')),
      page.click('#mint'),
    ]);
    const minted = await response.json();
    await page.waitForSelector('#result:not([hidden])');

    // The same answer shape in both modes: the page does not know which endpoint minted it.
    expect(Object.keys(minted).sort()).toEqual(['client_secret', 'session']);
    const value: string = minted.client_secret.value;
    expect(value).toMatch(/^ek_[0-9a-f]{32}$/);
    expect(await page.textContent('#model')).toBe('gpt-realtime');
    const shown = (await page.textContent('#secret')) ?? '';
    expect(shown).toBe(`${value.slice(0, 5)}…${value.slice(-2)}`);
    expect(await page.content()).not.toContain(value);

    const first = Number(await page.getAttribute('#countdown', 'data-seconds'));
    expect(first).toBeGreaterThan(mode.ttl - 10);
    expect(first).toBeLessThanOrEqual(mode.ttl);
    await page.waitForFunction(
      (start) => Number(document.querySelector('#countdown')?.getAttribute('data-seconds')) < start,
      first,
      { timeout: 5000 },
    );
    expect(await page.isEnabled('#connect')).toBe(true);

    // The upstream saw exactly one call: the server's key, the pinned config, the allowed voice.
    expect(upstream.requests).toHaveLength(before + 1);
    const seen = upstream.requests.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe(mode.path);
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(seen.body)).toEqual(mode.body);

    // Connect: the page would POST its SDP offer to OpenAI with the ephemeral key. No internet
    // here, so the browser's request is intercepted and checked, never sent.
    const offers: { url: string; authorization?: string; contentType?: string; sdp: string }[] = [];
    await page.route('https://api.openai.com/**', async (route) => {
      const r = route.request();
      const headers = r.headers();
      offers.push({
        url: r.url(),
        authorization: headers.authorization,
        contentType: headers['content-type'],
        sdp: r.postData() ?? '',
      });
      await route.abort();
    });
    await page.click('#connect');
    await expect.poll(() => offers.length, { timeout: 5_000 }).toBe(1);
    expect(offers[0]!.url).toBe(mode.connectUrl);
    expect(offers[0]!.authorization).toBe(`Bearer ${value}`);
    expect(offers[0]!.contentType).toBe('application/sdp');
    expect(offers[0]!.sdp).toMatch(/^v=0\r\n/);
    expect(offers[0]!.sdp).toContain('m=audio');
    await page.close();
  });
});

describe('examples/web in Chromium, the built package', () => {
  let app: ExampleServer;

  beforeAll(async () => {
    app = await startExampleServer({ apiKey: API_KEY, baseUrl: upstream.baseUrl });
  });
  afterAll(() => app?.close());

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
