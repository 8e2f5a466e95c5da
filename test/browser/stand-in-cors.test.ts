// The stand-in's CORS on POST /v1/realtime/calls, which a page on another origin calls with an
// ephemeral key: what it answers a preflight and an actual request (over plain HTTP), and that
// Chromium, on another origin, accepts it, reads `Location`, and refuses a header outside the list.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLS_CORS_ALLOW_HEADERS } from '../../scripts/lib/stand-in-calls.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { createRealtimeClientSecret } from '../../src/index.js';
import { startScriptedServer, text, type ScriptedServer } from '../helpers/scripted-server.js';
import { launchChromium } from './chromium.js';

let standIn: StandIn;
let browser: Browser;
/** Serves a blank page on another origin than the stand-in's. */
let pageOrigin: ScriptedServer;
const log: string[] = [];
beforeAll(async () => {
  [standIn, browser, pageOrigin] = await Promise.all([
    startStandIn({ log: (line) => log.push(line) }),
    launchChromium(),
    startScriptedServer(),
  ]);
  pageOrigin.fallback = text(200, '<!doctype html><title>another origin</title>', {
    'content-type': 'text/html',
  });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([standIn?.close(), pageOrigin?.close()]);
});

const mint = async () =>
  (
    await createRealtimeClientSecret(
      { session: { type: 'realtime', model: 'gpt-realtime' } },
      { apiKey: 'sk-cors-test', baseUrl: standIn.baseUrl, maxRetries: 0 },
    )
  ).value;

describe('the stand-in answers CORS on /v1/realtime/calls as a browser needs', () => {
  it('answers a preflight 204 with the origin, method and header lists, without reading a credential', async () => {
    const before = standIn.requests.length;
    const res = await fetch(`${standIn.baseUrl}/realtime/calls`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(
      Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-'))),
    ).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': CALLS_CORS_ALLOW_HEADERS.join(', '),
      'access-control-expose-headers': 'Location, x-request-id',
      'access-control-max-age': '600',
    });
    expect(standIn.requests.slice(before)).toEqual([
      expect.objectContaining({ method: 'OPTIONS', url: '/v1/realtime/calls', status: 204 }),
    ]);
    expect(log).toContain('stand-in: OPTIONS /v1/realtime/calls → 204 (preflight)');
  });

  it('puts ACAO and the exposed headers on every answer there, errors included, and nowhere else', async () => {
    const refused = await fetch(`${standIn.baseUrl}/realtime/calls`, {
      method: 'POST',
      headers: { authorization: 'Bearer ek_unknown_key', 'content-type': 'application/sdp' },
      body: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-expose-headers')).toBe('Location, x-request-id');
    // The minting path is the server's, not a page's: no CORS there, as before.
    const minted = await fetch(`${standIn.baseUrl}/realtime/client_secrets`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example.test', 'access-control-request-method': 'POST' },
    });
    expect(minted.status).toBe(404);
    expect(minted.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets Chromium on another origin POST an offer with the key and read Location; refuses an unlisted header', async () => {
    const key = await mint();
    const page = await browser.newPage();
    try {
      await page.goto(`${pageOrigin.url}/`);
      const result = await page.evaluate(
        async ({ url, key }) => {
          const pc = new RTCPeerConnection();
          pc.createDataChannel('oai-events');
          pc.addTransceiver('audio');
          const offer = await pc.createOffer();
          await pc.setLocalDescription(offer);
          const res = await fetch(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/sdp' },
            body: offer.sdp,
          });
          const answer = { status: res.status, location: res.headers.get('location'), sdp: await res.text() };
          let unlisted: string;
          try {
            await fetch(url, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/sdp', originator: 'x' },
              body: offer.sdp,
            });
            unlisted = 'sent';
          } catch (error) {
            unlisted = (error as Error).message;
          }
          pc.close();
          return { ...answer, unlisted };
        },
        { url: `${standIn.baseUrl}/realtime/calls`, key },
      );
      expect(result.status).toBe(201);
      expect(result.location).toMatch(/^\/v1\/realtime\/calls\/rtc_[0-9a-f]{24}$/);
      expect(result.sdp).toMatch(/^v=0\r\n/);
      expect(result.unlisted).toBe('Failed to fetch'); // the preflight's list has no `originator`
    } finally {
      await page.close();
    }
  }, 60_000);
});
