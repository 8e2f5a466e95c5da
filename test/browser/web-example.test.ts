// End to end in a real browser: page → our token route (createSessionHandler) → stand-in upstream,
// which answers like the live API (the beta endpoints retired). The page flow runs once per handler
// mode: the same page, unchanged, minting through GA client_secrets and through the beta sessions
// endpoint (which answers 404, so the SDK falls back to client_secrets). Either way the page connects
// through POST <realtime base>/realtime/calls. No internet here: the browser's SDP POST is
// intercepted with page.route, and answered by a second RTCPeerConnection in the same browser, so
// the page really connects; or with an error, for the page's error paths.
import type { Browser, Page, Route } from 'playwright-core';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startExampleServer,
  type ExampleServer,
  type ExampleServerOptions,
} from '../../examples/web/server.js';
import { BETA_SHAPE_DISABLED, startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { launchChromium } from './chromium.js';

const API_KEY = 'sk-browser-test-KEY-0001';
const DEFAULT_CALLS = 'https://api.openai.com/v1/realtime/calls';
const GA_BODY = {
  session: {
    type: 'realtime',
    model: 'gpt-realtime',
    instructions: 'You are a friendly assistant.',
    audio: { output: { voice: 'verse' } },
  },
};
let browser: Browser;
let upstream: StandIn;

beforeAll(async () => {
  upstream = await startStandIn(); // live-like: beta paths 404, client_secrets mints
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await upstream?.close();
});

// Every test gets its own example server (so a sessions-mode client has not yet learned that the
// beta path is retired) and its own pages; all are closed after it.
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function exampleServer(options: ExampleServerOptions = {}): Promise<ExampleServer> {
  const app = await startExampleServer({ apiKey: API_KEY, baseUrl: upstream.baseUrl, ...options });
  cleanup.push(() => app.close());
  return app;
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  cleanup.push(() => page.close());
  return page;
}

/** What the stand-in received since `from`: method, path, status, parsed body, authorization. */
function upstreamSince(from: number) {
  return upstream.requests.slice(from).map((r) => ({
    method: r.method,
    url: r.url,
    status: r.status,
    body: r.body ? JSON.parse(r.body) : undefined,
    authorization: r.headers.authorization,
  }));
}

/** Opens the page and clicks "Get a session"; resolves to the token route's status and JSON. */
async function mint(page: Page, app: ExampleServer): Promise<{ status: number; body: any }> {
  await page.goto(`${app.url}/`);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${app.url}/session`),
    page.click('#mint'),
  ]);
  const body = await response.json();
  if (response.ok()) await page.waitForSelector('#result:not([hidden])');
  return { status: response.status(), body };
}

interface Offer {
  url: string;
  method: string;
  authorization?: string;
  contentType?: string;
  sdp: string;
}

/** Intercepts the page's POSTs to `url`, records each, and lets `answer` respond. */
async function interceptCalls(
  page: Page,
  url: string,
  answer: (route: Route, offer: Offer) => Promise<void>,
): Promise<Offer[]> {
  const offers: Offer[] = [];
  await page.route(url, async (route) => {
    const r = route.request();
    const headers = r.headers();
    const offer: Offer = {
      url: r.url(),
      method: r.method(),
      authorization: headers.authorization,
      contentType: headers['content-type'],
      sdp: r.postData() ?? '',
    };
    offers.push(offer);
    await answer(route, offer);
  });
  return offers;
}

/** What a Realtime API on another origin sends along with every answer (our stand-ins for it). */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'location, x-request-id',
};

/**
 * A WebRTC peer in its own page, playing the Realtime API's part: it answers an offer, and once the
 * page's `oai-events` data channel opens it sends `{ "type": "session.created" }`.
 */
async function realtimePeer(): Promise<(offer: string) => Promise<string>> {
  const peer = await newPage();
  return (offer) =>
    peer.evaluate(async (sdp) => {
      const pc = new RTCPeerConnection();
      (window as unknown as { pc: RTCPeerConnection }).pc = pc;
      pc.ondatachannel = ({ channel }) => {
        channel.onopen = () => channel.send(JSON.stringify({ type: 'session.created' }));
      };
      await pc.setRemoteDescription({ type: 'offer', sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      // Candidates go in the answer: the GA endpoint answers once, without trickle.
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
        setTimeout(resolve, 3000);
      });
      return pc.localDescription!.sdp;
    }, offer);
}

const textOf = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

interface Mode {
  options: ExampleServerOptions;
  /** What the stand-in must have received for one mint. */
  upstream: { url: string; status: number; body: unknown }[];
  /** The countdown's first value lies in (ttl - 10, ttl]. */
  ttl: number;
}

// The token route mints through client_secrets by default (since 0.2.0); sessions mode is opt-in,
// and on today's upstream its beta path answers 404, so it falls back to client_secrets.
const MODES: [string, Mode][] = [
  [
    'client_secrets (default, GA)',
    {
      options: { expiresAfterSeconds: 120 },
      upstream: [
        {
          url: '/v1/realtime/client_secrets',
          status: 200,
          body: { expires_after: { anchor: 'created_at', seconds: 120 }, ...GA_BODY },
        },
      ],
      ttl: 120,
    },
  ],
  [
    'sessions (beta, falls back to GA)',
    {
      options: { endpoint: 'sessions' },
      upstream: [
        {
          url: '/v1/realtime/sessions',
          status: 404,
          body: { model: 'gpt-realtime', instructions: 'You are a friendly assistant.', voice: 'verse' },
        },
        { url: '/v1/realtime/client_secrets', status: 200, body: GA_BODY },
      ],
      ttl: 600, // the GA default: the beta config sets no lifetime
    },
  ],
];

describe.each(MODES)('examples/web in Chromium, handler mode %s', (_, mode) => {
  it('mints a session on click and shows the masked secret and a live countdown', async () => {
    const app = await exampleServer(mode.options);
    const before = upstream.requests.length;
    const page = await newPage();
    const { status, body: minted } = await mint(page, app);

    // The same answer shape in both modes: the page does not know which endpoint minted it.
    expect(status).toBe(200);
    expect(Object.keys(minted).sort()).toEqual(['client_secret', 'session']);
    const value: string = minted.client_secret.value;
    expect(value).toMatch(/^ek_[0-9a-f]{32}$/);
    expect(await page.textContent('#model')).toBe('gpt-realtime');
    const shown = await textOf(page, '#secret');
    expect(shown).toBe(`${value.slice(0, 5)}…${value.slice(-2)}`);
    expect(await page.content()).not.toContain(value);
    expect(await textOf(page, '#error')).toBe('');
    expect(await page.getAttribute('#state', 'data-state')).toBe('idle');

    const first = Number(await page.getAttribute('#countdown', 'data-seconds'));
    expect(first).toBeGreaterThan(mode.ttl - 10);
    expect(first).toBeLessThanOrEqual(mode.ttl);
    await page.waitForFunction(
      (start) => Number(document.querySelector('#countdown')?.getAttribute('data-seconds')) < start,
      first,
      { timeout: 5000 },
    );
    expect(await page.isEnabled('#connect')).toBe(true);

    // The upstream saw the server's key, the pinned config and the allowed voice; in sessions mode
    // first on the retired beta path (404), then translated to GA.
    expect(upstreamSince(before)).toEqual(
      mode.upstream.map((call) => ({ method: 'POST', authorization: `Bearer ${API_KEY}`, ...call })),
    );
  });

  it('connects through POST /v1/realtime/calls with the secret and an SDP offer, and shows the state', async () => {
    const app = await exampleServer(mode.options);
    const page = await newPage();
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.method()} ${r.url()}`));
    const { body: minted } = await mint(page, app);
    const value: string = minted.client_secret.value;
    const before = upstream.requests.length;

    const answerWith = await realtimePeer();
    const offers = await interceptCalls(page, DEFAULT_CALLS, async (route, offer) => {
      await route.fulfill({
        status: 201,
        headers: { ...CORS, 'content-type': 'application/sdp', location: '/v1/realtime/calls/rtc_test0001' },
        body: await answerWith(offer.sdp),
      });
    });
    await page.click('#connect');
    await page.waitForSelector('#state[data-state="connected"]', { timeout: 10_000 });
    await expect.poll(() => textOf(page, '#event'), { timeout: 5_000 }).toBe('session.created');

    expect(offers).toHaveLength(1);
    expect(offers[0]!.method).toBe('POST');
    expect(offers[0]!.url).toBe(DEFAULT_CALLS);
    expect(offers[0]!.authorization).toBe(`Bearer ${value}`);
    expect(offers[0]!.authorization).toMatch(/^Bearer ek_/);
    expect(offers[0]!.contentType).toBe('application/sdp');
    expect(offers[0]!.sdp).toMatch(/^v=0\r\n/);
    expect(offers[0]!.sdp).toContain('m=audio');
    expect(offers[0]!.sdp).toContain('m=application'); // the oai-events data channel
    expect(await textOf(page, '#state')).toBe('connected');
    expect(await textOf(page, '#error')).toBe('');
    expect(await page.isEnabled('#connect')).toBe(false); // connected: no second connection
    expect(await page.content()).not.toContain(value);
    // Never the retired beta shape, and connecting does not go through our server or its upstream.
    expect(sent.filter((s) => /\/v1\/realtime\?/.test(s))).toEqual([]);
    expect(sent.filter((s) => s.startsWith(`POST ${app.url}`))).toEqual([`POST ${app.url}/session`]);
    expect(upstream.requests.length).toBe(before);
  });
});

describe('examples/web in Chromium, errors shown on the page', () => {
  // A configured realtime base (what the server writes into the page's <meta>): nothing resolves
  // this host, so every request to it below is the test's page.route.
  const BASE = 'https://realtime.example.test/v1';
  const CALLS = `${BASE}/realtime/calls`;

  /** Mints (successfully) on a page whose realtime base is BASE; resolves to the page and the secret. */
  async function minted(): Promise<{ page: Page; value: string }> {
    const app = await exampleServer({ realtimeBaseUrl: `${BASE}/` });
    const page = await newPage();
    const { status, body } = await mint(page, app);
    expect(status).toBe(200);
    expect(await page.getAttribute('meta[name="realtime-base"]', 'content')).toBe(BASE);
    return { page, value: body.client_secret.value };
  }

  /** Waits for the alert to say something; checks the state and that the secret is not on the page. */
  async function shownError(page: Page, value?: string): Promise<string> {
    await page.waitForFunction(() => (document.getElementById('error')?.textContent ?? '') !== '', null, {
      timeout: 10_000,
    });
    if (value !== undefined) expect(await page.content()).not.toContain(value);
    return textOf(page, '#error');
  }

  it('the token route answers an upstream error: its message, code and request id', async () => {
    // Sessions mode without the fallback, against today's upstream: the beta path answers 404.
    const app = await exampleServer({ endpoint: 'sessions', betaEndpoints: 'beta' });
    const before = upstream.requests.length;
    const page = await newPage();
    const { status, body } = await mint(page, app);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ message: 'upstream error', code: 'upstream_error' });
    expect(body.error.request_id).toMatch(/^req_[0-9a-f]+$/);

    expect(await shownError(page)).toBe(
      `Could not get a session: the token route answered HTTP 502 Bad Gateway: upstream error ` +
        `(code upstream_error, request ${body.error.request_id})`,
    );
    expect(await page.isHidden('#result')).toBe(true);
    expect(await page.isEnabled('#connect')).toBe(false);
    expect(upstreamSince(before)).toEqual([
      expect.objectContaining({ method: 'POST', url: '/v1/realtime/sessions', status: 404 }),
    ]);
  });

  it('the token route cannot reach its upstream', async () => {
    const closed = await freePort();
    const app = await exampleServer({ baseUrl: `http://127.0.0.1:${closed}/v1`, maxRetries: 0 });
    const before = upstream.requests.length;
    const page = await newPage();
    const { status } = await mint(page, app);
    expect(status).toBe(502);
    expect(await shownError(page)).toBe(
      'Could not get a session: the token route answered HTTP 502 Bad Gateway: could not reach upstream ' +
        '(code upstream_unreachable)',
    );
    expect(await page.isEnabled('#connect')).toBe(false);
    expect(upstream.requests.length).toBe(before);
  });

  it('the token route itself cannot be reached (network failure)', async () => {
    const app = await exampleServer();
    const before = upstream.requests.length;
    const page = await newPage();
    const aborted: string[] = [];
    await page.route(`${app.url}/session`, async (route) => {
      aborted.push(route.request().method());
      await route.abort('connectionrefused');
    });
    await page.goto(`${app.url}/`);
    await page.click('#mint');
    expect(await shownError(page)).toBe(
      'Could not get a session: the token route /session could not be reached (Failed to fetch)',
    );
    expect(aborted).toEqual(['POST']);
    expect(upstream.requests.length).toBe(before);
  });

  it('the SDP POST answers 400 beta_api_shape_disabled: status, upstream message and request id', async () => {
    const { page, value } = await minted();
    const offers = await interceptCalls(page, CALLS, (route) =>
      route.fulfill({
        status: 400,
        headers: { ...CORS, 'content-type': 'application/json', 'x-request-id': 'req_sdp0001' },
        body: JSON.stringify(BETA_SHAPE_DISABLED),
      }),
    );
    await page.click('#connect');
    expect(await shownError(page, value)).toBe(
      `Could not connect: ${CALLS} answered HTTP 400 Bad Request: ${BETA_SHAPE_DISABLED.error.message} ` +
        '(code beta_api_shape_disabled, request req_sdp0001)',
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(await page.isEnabled('#connect')).toBe(true); // the secret is still good: try again
    expect(offers).toEqual([
      expect.objectContaining({
        url: CALLS,
        method: 'POST',
        authorization: `Bearer ${value}`,
        contentType: 'application/sdp',
      }),
    ]);
    expect(offers[0]!.sdp).toMatch(/^v=0\r\n/);
  });

  it('the SDP POST fails on the network (route.abort): a readable message', async () => {
    const { page, value } = await minted();
    const offers = await interceptCalls(page, CALLS, (route) => route.abort('connectionrefused'));
    await page.click('#connect');
    expect(await shownError(page, value)).toBe(
      `Could not connect: ${CALLS} could not be reached (Failed to fetch): offline, blocked, or refused by CORS`,
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(offers).toHaveLength(1);
    expect(offers[0]!.authorization).toBe(`Bearer ${value}`);
  });

  it('the SDP POST answers 201 with something that is not SDP', async () => {
    const { page, value } = await minted();
    const offers = await interceptCalls(page, CALLS, (route) =>
      route.fulfill({
        status: 201,
        headers: { ...CORS, 'content-type': 'text/html' },
        body: '<!doctype html><p>captive portal</p>',
      }),
    );
    await page.click('#connect');
    expect(await shownError(page, value)).toBe(
      `Could not connect: ${CALLS} answered HTTP 201 with text/html, not an SDP answer`,
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(offers).toHaveLength(1);
  });

  it('WebRTC rejects the SDP answer (setRemoteDescription throws)', async () => {
    const { page, value } = await minted();
    // Syntactically SDP, but with none of the offer's media sections: Chromium refuses it.
    const offers = await interceptCalls(page, CALLS, (route) =>
      route.fulfill({
        status: 201,
        headers: { ...CORS, 'content-type': 'application/sdp' },
        body: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n',
      }),
    );
    await page.click('#connect');
    expect(await shownError(page, value)).toMatch(
      /^Could not connect: WebRTC rejected the SDP answer \(Failed to execute 'setRemoteDescription'.+\)$/,
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(await page.isEnabled('#connect')).toBe(true);
    expect(offers).toHaveLength(1);
  });

  it('refuses a realtime base that is not an http(s) URL when the server starts', async () => {
    await expect(
      startExampleServer({ apiKey: API_KEY, realtimeBaseUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow(/realtimeBaseUrl must be an http\(s\) URL/);
  });
});

describe('examples/web in Chromium, the built package', () => {
  it('loads the built ESM package: the browser guard throws unless dangerouslyAllowBrowser', async () => {
    const app = await exampleServer();
    const page = await newPage();
    await page.goto(`${app.url}/guard.html`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined);
    const result = await page.evaluate(() => (window as unknown as { __result: any }).__result);
    expect(result.guard.name).toBe('ConfigurationError');
    expect(result.guard.message).toMatch(/client_secret/);
    expect(result.guard.message).not.toContain('sk-should-stay-on-the-server');
    expect(result.optIn).toBe('constructed');
  });
});

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
