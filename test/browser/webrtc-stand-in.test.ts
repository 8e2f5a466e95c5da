// Chromium really connects to the stand-in's Realtime peer with a secret the SDK minted: the page
// makes its offer (fake microphone), POSTs it as `application/sdp` with the ephemeral key to
// /v1/realtime/calls, as a page does against OpenAI, reaches `connected`, and receives
// `session.created` with the session the server pinned. No request is intercepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { createRealtimeClientSecret } from '../../src/index.js';
import { launchChromium } from './chromium.js';

let browser: Browser;
let standIn: StandIn;
beforeAll(async () => {
  [browser, standIn] = await Promise.all([launchChromium(), startStandIn()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await standIn?.close();
});

/** What the page reports: its connection state and the first event on `oai-events`. */
interface PageResult {
  status: number;
  state: string;
  event: { type: string; session: Record<string, unknown> } | null;
  error?: string;
}

async function connectFromPage(key: string): Promise<PageResult> {
  const page = await browser.newPage();
  try {
    // The page is served at the stand-in's origin, so its SDP POST needs no CORS; the POST itself
    // reaches the real stand-in.
    await page.route(`${standIn.origin}/page`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>call</title>' }),
    );
    await page.goto(`${standIn.origin}/page`);
    return await page.evaluate(
      async ({ url, key }) => {
        const pc = new RTCPeerConnection();
        const events = pc.createDataChannel('oai-events');
        pc.addTransceiver('audio', { direction: 'sendrecv' });
        const first = new Promise<PageResult['event']>((resolve) => {
          events.onmessage = (message) => resolve(JSON.parse(message.data as string));
        });
        await pc.setLocalDescription(await pc.createOffer());
        // Wait for ICE gathering so that the offer carries its candidates.
        await new Promise<void>((resolve) => {
          if (pc.iceGatheringState === 'complete') return resolve();
          pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
          setTimeout(resolve, 3000);
        });
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/sdp' },
          body: pc.localDescription!.sdp,
        });
        if (response.status !== 201) {
          return {
            status: response.status,
            state: pc.connectionState,
            event: null,
            error: await response.text(),
          };
        }
        await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
        const connected = new Promise<void>((resolve) => {
          if (pc.connectionState === 'connected') return resolve();
          pc.onconnectionstatechange = () => pc.connectionState === 'connected' && resolve();
        });
        const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000));
        await Promise.race([connected, timeout]);
        const event = await Promise.race([first, timeout]);
        const result = { status: response.status, state: pc.connectionState, event };
        pc.close();
        return result;
      },
      { url: `${standIn.baseUrl}/realtime/calls`, key },
    );
  } finally {
    await page.close();
  }
}

describe('Chromium and the stand-in Realtime peer', () => {
  it('connects with an ephemeral key minted by createRealtimeClientSecret and receives the pinned session', async () => {
    const before = standIn.requests.length;
    const { value } = await createRealtimeClientSecret(
      { session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Pinned by the server.' } },
      { apiKey: 'sk-browser-webrtc', baseUrl: standIn.baseUrl, maxRetries: 0 },
    );
    const result = await connectFromPage(value);
    expect(result.status).toBe(201);
    expect(result.state).toBe('connected');
    expect(result.event).toMatchObject({
      type: 'session.created',
      session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Pinned by the server.' },
    });
    // The stand-in saw the API key on the mint and only the ephemeral key on the call.
    const [mint, call] = standIn.requests.slice(before);
    expect(mint!.headers.authorization).toBe('Bearer sk-browser-webrtc');
    expect(call!.headers.authorization).toBe(`Bearer ${value}`);
    expect(call!.headers['content-type']).toBe('application/sdp');
  }, 60_000);

  it('a key the stand-in never minted gets 401 and no connection', async () => {
    const result = await connectFromPage('ek_not_minted_here');
    expect(result.status).toBe(401);
    expect(result.state).not.toBe('connected');
  }, 60_000);
});
