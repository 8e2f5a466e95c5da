// The example app's calls flow in Chromium, nothing intercepted: the page (fake microphone) POSTs
// its SDP offer to the example server's /call, a createSessionHandler({ endpoint: 'calls' }) route,
// which creates the call at the stand-in's POST /v1/realtime/calls (multipart, the server's key, the
// pinned session) and hands back the stand-in's real WebRTC answer. The page connects, receives
// session.created with the pinned session, and never sees a key or the call id.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  PINNED,
  startExampleServer,
  type ExampleServer,
  type ExampleServerOptions,
} from '../../examples/web/server.js';
import { parseMultipart, type Part } from '../../scripts/lib/stand-in-calls.js';
import type { StandIn } from '../../scripts/lib/stand-in.js';
import { closedPortUrl } from '../helpers/scripted-server.js';
import {
  newestCall,
  recordRequests,
  screenshot,
  upstreamSince,
  useBrowserAndStandIn,
  waitForState,
} from './support.js';

const API_KEY = 'sk-browser-calls-KEY-0002';
let browser: Browser;
let upstream: StandIn;

const closeAfterTest = useBrowserAndStandIn((b, s) => {
  browser = b;
  upstream = s;
});

/** The example server in calls mode; `calls` collects the call ids `onCall` was told about. */
async function callsServer(
  options: Partial<ExampleServerOptions> = {},
): Promise<{ app: ExampleServer; calls: string[] }> {
  const calls: string[] = [];
  const app = await startExampleServer({
    endpoint: 'calls',
    apiKey: API_KEY,
    baseUrl: upstream.baseUrl,
    onCall: ({ callId }) => void calls.push(callId),
    ...options,
  } as ExampleServerOptions);
  closeAfterTest(() => app.close());
  return { app, calls };
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  closeAfterTest(() => page.close());
  return page;
}

const textOf = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

/** A multipart body's parts by name (the stand-in's own reader, independent of the SDK's encoder). */
function partsOf(contentType: string | undefined, body: string): Record<string, Part> {
  const parts = parseMultipart(contentType ?? '', body);
  if (!parts) throw new Error(`not a multipart body: ${contentType}`);
  return Object.fromEntries(parts.map((part) => [part.name, part]));
}

describe('examples/web in Chromium, the calls flow (the page holds no key)', () => {
  it('offers only the calls flow: no "Get a session", Connect ready at once', async () => {
    const { app } = await callsServer();
    const page = await newPage();
    await page.goto(`${app.url}/`);
    expect(await page.getAttribute('meta[name="connect-mode"]', 'content')).toBe('calls');
    expect(await page.isHidden('#mint')).toBe(true);
    expect(await page.isHidden('#result')).toBe(true);
    expect(await page.isVisible('.calls-only')).toBe(true);
    expect(await page.isHidden('.secret-only')).toBe(true);
    expect(await page.isEnabled('#connect')).toBe(true);
    expect(await textOf(page, '#state')).toBe('not connected');
  });

  it('connects for real through POST /call: microphone, connected, session.created with the pinned session and the voice', async () => {
    const { app, calls } = await callsServer();
    const page = await newPage();
    const sent = recordRequests(page);
    const answers: { status: number; headers: Record<string, string>; body: string }[] = [];
    page.on('response', async (r) => {
      if (r.url() === `${app.url}/call`) {
        answers.push({ status: r.status(), headers: await r.allHeaders(), body: await r.text() });
      }
    });
    await page.goto(`${app.url}/`);
    const before = upstream.requests.length;

    const started = performance.now();
    await page.click('#connect');
    await waitForState(page, 'connected');
    const connectedMs = performance.now() - started;
    await expect.poll(() => textOf(page, '#event'), { timeout: 5_000 }).toBe('session.created');

    expect(await textOf(page, '#state')).toBe('connected');
    expect(await textOf(page, '#microphone')).not.toBe('off');
    expect(await textOf(page, '#live-model')).toBe(PINNED.model);
    expect(await textOf(page, '#live-instructions')).toBe(PINNED.instructions);
    expect(await textOf(page, '#live-voice')).toBe('verse'); // the page's session part, allowed
    expect(await textOf(page, '#error')).toBe('');
    expect(await page.isEnabled('#connect')).toBe(false);

    // The stand-in saw one request: the call, multipart, with the server's API key, the page's
    // offer unchanged and the pinned session with the allowed voice.
    expect(upstreamSince(upstream, before)).toEqual([
      {
        method: 'POST',
        url: '/v1/realtime/calls',
        status: 201,
        authorization: `Bearer ${API_KEY}`,
        contentType: expect.stringMatching(/^multipart\/form-data; ?boundary=/),
      },
    ]);
    const call = upstream.requests[before]!;
    const upstreamParts = partsOf(call.headers['content-type'], call.body);
    expect(Object.keys(upstreamParts).sort()).toEqual(['sdp', 'session']);
    expect(upstreamParts.sdp!.contentType).toBe('application/sdp');
    expect(upstreamParts.session!.contentType).toBe('application/json');
    expect(JSON.parse(upstreamParts.session!.text)).toEqual({
      type: 'realtime',
      ...PINNED,
      audio: { output: { voice: 'verse' } },
    });

    // What the page sent: one multipart POST to /call with no credential, nothing to the
    // upstream's origin. (Chromium does not report Blob parts' bytes to playwright; that the
    // stand-in's peer connected with the page proves the offer it answered was the page's.)
    const posts = sent.filter((s) => s.method === 'POST');
    expect(posts.map((s) => s.url)).toEqual([`${app.url}/call`]);
    expect(posts[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.filter((s) => s.url.startsWith(upstream.origin))).toEqual([]);
    expect(sent.filter((s) => s.headers.authorization !== undefined)).toEqual([]);
    expect(upstreamParts.sdp!.text).toMatch(/^v=0\r\n/);
    const audio = upstreamParts
      .sdp!.text.split(/\r\n(?=m=)/)
      .find((section) => section.startsWith('m=audio'));
    expect(audio).toContain('a=sendrecv'); // the microphone's track
    expect(upstreamParts.sdp!.text).toContain('m=application'); // the oai-events data channel

    // What the page got back: the SDP answer, not cacheable, and no call id or key anywhere.
    expect(calls).toHaveLength(1);
    const [callId, created] = newestCall(upstream);
    expect(calls[0]).toBe(callId);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.status).toBe(201);
    expect(answers[0]!.headers['content-type']).toBe('application/sdp');
    expect(answers[0]!.headers['cache-control']).toBe('no-store');
    expect(answers[0]!.headers.location).toBeUndefined();
    expect(answers[0]!.body).toMatch(/^v=0\r\n/);
    for (const text of [answers[0]!.body, JSON.stringify(answers[0]!.headers), await page.content()]) {
      expect(text).not.toContain(callId);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toMatch(/\bek_[0-9a-f]/);
    }

    // The peer that answered is the call the route created, and it sent the pinned session.
    expect(created.via).toBe('multipart');
    expect(created.peer!.sent[0]).toMatchObject({
      type: 'session.created',
      session: { type: 'realtime', ...PINNED, audio: { output: { voice: 'verse' } } },
    });

    expect(await screenshot(page, 'web-example-calls-connected')).toBeGreaterThan(1000);
    expect(connectedMs).toBeLessThan(15_000);
  }, 60_000);

  it('takes a raw application/sdp offer too, as a page sends it to OpenAI: the pinned session alone', async () => {
    const { app } = await callsServer();
    const page = await newPage();
    await page.goto(`${app.url}/`);
    const before = upstream.requests.length;
    // The example page sends multipart; this page script sends the same kind of offer raw.
    const result = await page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      const events = pc.createDataChannel('oai-events');
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      pc.addTrack(stream.getAudioTracks()[0]!, stream);
      const first = new Promise<{ type: string; session: any }>((resolve) => {
        events.onmessage = (message) => resolve(JSON.parse(message.data as string));
      });
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      const res = await fetch('/call', {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: offer.sdp,
      });
      if (res.status !== 201) return { status: res.status, error: await res.text() };
      await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
      const connected = new Promise<void>((resolve) => {
        if (pc.connectionState === 'connected') return resolve();
        pc.onconnectionstatechange = () => pc.connectionState === 'connected' && resolve();
      });
      const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000));
      await Promise.race([connected, late]);
      const event = await Promise.race([first, late]);
      const outcome = { status: res.status, state: pc.connectionState, event };
      pc.close();
      for (const track of stream.getTracks()) track.stop();
      return outcome;
    });
    expect(result).toMatchObject({
      status: 201,
      state: 'connected',
      event: { type: 'session.created', session: { type: 'realtime', ...PINNED } },
    });
    const call = upstream.requests[before]!;
    expect(call.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(partsOf(call.headers['content-type'], call.body).session!.text)).toEqual({
      type: 'realtime',
      ...PINNED,
    });
  }, 60_000);

  it('shows the route’s error when it cannot reach the upstream, and reached nothing else', async () => {
    const { app, calls } = await callsServer({ baseUrl: `${await closedPortUrl()}/v1`, maxRetries: 0 });
    const page = await newPage();
    await page.goto(`${app.url}/`);
    const before = upstream.requests.length;
    await page.click('#connect');
    await waitForState(page, 'failed');
    expect(await textOf(page, '#error')).toBe(
      'Could not connect: the call route /call answered HTTP 502 Bad Gateway: could not reach upstream ' +
        '(code upstream_unreachable)',
    );
    expect(await textOf(page, '#microphone')).toBe('off');
    expect(await page.isEnabled('#connect')).toBe(true);
    expect(upstream.requests.length).toBe(before);
    expect(calls).toEqual([]);
  });

  it('shows the route’s refusal of a field the server does not allow (nothing reaches the upstream)', async () => {
    // The page asks for { voice }; this server allows no field from the page.
    const { app, calls } = await callsServer({ allowFromClient: [] });
    const page = await newPage();
    await page.goto(`${app.url}/`);
    const before = upstream.requests.length;
    await page.click('#connect');
    await waitForState(page, 'failed');
    expect(await textOf(page, '#error')).toMatch(
      /^Could not connect: the call route \/call answered HTTP 400 Bad Request: .*voice.* \(code field_not_allowed\)$/,
    );
    expect(upstream.requests.length).toBe(before);
    expect(calls).toEqual([]);
  });
});
