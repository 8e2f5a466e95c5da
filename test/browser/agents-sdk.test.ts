// The official browser SDK against our token route, in Chromium, nothing intercepted: the example
// app's /agents.html fetches an ephemeral key from /session (createSessionHandler, client_secrets
// mode, minting at the stand-in), then @openai/agents-realtime's RealtimeSession with its
// OpenAIRealtimeWebRTC transport (`baseUrl`: the stand-in's /v1/realtime/calls) opens the fake
// microphone, POSTs its offer with the key, connects to the stand-in's WebRTC peer and completes its
// session.update → session.updated handshake. The SDK is bundled for the browser by the example
// server, with esbuild, in memory.
import { readFileSync } from 'node:fs';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PINNED, startExampleServer, type ExampleServer } from '../../examples/web/server.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { launchChromium } from './chromium.js';
import {
  newestCall,
  pageCallWith,
  recordRequests,
  screenshot,
  upstreamSince,
  waitForState,
} from './support.js';

const API_KEY = 'sk-browser-agents-KEY-0003';
/** The version package.json pins: the SDK names it in a header of its SDP POST. */
const SDK_VERSION = (
  JSON.parse(
    readFileSync(new URL('../../node_modules/@openai/agents-realtime/package.json', import.meta.url), 'utf8'),
  ) as { version: string }
).version;
/** What the page's RealtimeAgent is configured with (examples/web/agents.js). */
const AGENT_INSTRUCTIONS = 'You are a voice assistant built with the Agents SDK.';

let browser: Browser;
let upstream: StandIn;
let app: ExampleServer;
beforeAll(async () => {
  [upstream, browser] = await Promise.all([startStandIn(), launchChromium()]);
  app = await startExampleServer({
    apiKey: API_KEY,
    baseUrl: upstream.baseUrl,
    realtimeBaseUrl: upstream.baseUrl,
  });
});
afterAll(async () => {
  await app?.close();
  await browser?.close();
  await upstream?.close();
});

const textOf = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

describe('@openai/agents-realtime in Chromium, with a secret from our token route', () => {
  it('is the pinned version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.devDependencies['@openai/agents-realtime']).toBe(SDK_VERSION);
    expect(SDK_VERSION).toMatch(/^0\.20\.\d+$/);
  });

  it('RealtimeSession connects to the stand-in and completes session.update → session.updated', async () => {
    const page = await browser.newPage();
    try {
      const warnings: string[] = [];
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'warning' || message.type() === 'error') warnings.push(message.text());
      });
      const sent = recordRequests(page);
      await page.goto(`${app.url}/agents.html`);
      const before = upstream.requests.length;
      const [minted] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${app.url}/session`),
        page.click('#connect'),
      ]);
      const value: string = (await minted.json()).client_secret.value;
      // The first load bundles the SDK (a few seconds); connect() then waits for session.updated.
      await waitForState(page, 'connected', 30_000);
      await expect.poll(() => textOf(page, '#events'), { timeout: 5_000 }).toContain('session.updated');

      // connect() resolved on the server's acknowledgement, not on the SDK's 5 s fallback timer.
      const connectMs = Number(await page.getAttribute('#state', 'data-connect-ms'));
      expect(connectMs).toBeGreaterThan(0);
      expect(connectMs).toBeLessThan(5_000);
      expect(warnings.filter((w) => /Timed out waiting for session\.updated/.test(w))).toEqual([]);
      expect(await textOf(page, '#error')).toBe('');
      const events = (await textOf(page, '#events')).split(', ');
      expect(events[0]).toBe('session.created');
      expect(events).toContain('session.updated');
      // session.created carried the server's pinned session; the agent's update then replaced the
      // instructions (as the real API lets a page do with its key).
      expect(await textOf(page, '#created-instructions')).toBe(PINNED.instructions);
      expect(await textOf(page, '#updated-instructions')).toBe(AGENT_INSTRUCTIONS);
      expect(await page.content()).not.toContain(value);
      expect(await textOf(page, '#secret')).toBe(`${value.slice(0, 5)}…${value.slice(-2)}`);

      // The stand-in: the mint with the API key; the SDK's preflight (its own header included) and
      // its offer with the ephemeral key, on the GA path the `baseUrl` names.
      expect(upstreamSince(upstream, before)).toEqual([
        {
          method: 'POST',
          url: '/v1/realtime/client_secrets',
          status: 200,
          authorization: `Bearer ${API_KEY}`,
          contentType: 'application/json',
        },
        ...pageCallWith(value),
      ]);
      const [preflight, call] = upstream.requests.slice(before + 1);
      expect(preflight!.headers['access-control-request-headers']).toBe(
        'authorization,content-type,x-openai-agents-sdk',
      );
      expect(call!.headers['x-openai-agents-sdk']).toBe(`openai-agents-sdk.${SDK_VERSION}`);
      expect(call!.body).toMatch(/^v=0\r\n/);
      expect(call!.body).toContain('m=audio');

      // The peer: session.created with the pinned session first, then the SDK's session.update
      // (the agent's instructions and the model), answered with session.updated.
      const [, answered] = newestCall(upstream);
      expect(answered.via).toBe('sdp');
      expect(answered.peer!.sent[0]).toMatchObject({
        type: 'session.created',
        session: { type: 'realtime', ...PINNED, audio: { output: { voice: 'verse' } } },
      });
      const updates = answered.peer!.received.filter((e: any) => e.type === 'session.update') as any[];
      expect(updates[0]).toMatchObject({
        type: 'session.update',
        session: { type: 'realtime', instructions: AGENT_INSTRUCTIONS, model: 'gpt-realtime' },
      });
      expect(answered.peer!.sent.filter((e: any) => e.type === 'session.updated').length).toBe(
        updates.length,
      );

      // The page never sent the API key; the ephemeral key only to the stand-in's call path.
      expect(sent.filter((s) => JSON.stringify(s).includes(API_KEY))).toEqual([]);
      expect(sent.filter((s) => s.headers.authorization !== undefined).map((s) => s.url)).toEqual([
        `${upstream.baseUrl}/realtime/calls`,
      ]);

      expect(await screenshot(page, 'agents-sdk-connected')).toBeGreaterThan(1000);
    } finally {
      await page.close();
    }
  }, 90_000);
});
