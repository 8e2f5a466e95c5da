// End to end in a real browser, nothing intercepted: page → our token route (createSessionHandler)
// → stand-in upstream, which answers like the live API (the beta endpoints retired), then page →
// the stand-in's POST /v1/realtime/calls with the ephemeral key, answered by its real WebRTC peer
// (werift). The page flow runs once per minting mode: the same page, unchanged, minting through GA
// client_secrets and through the beta sessions endpoint (which answers 404, so the SDK falls back to
// client_secrets). The page is on the example server's origin and the stand-in on another, so the
// SDP POST is a real cross-origin request with its preflight. Error paths use real servers on
// 127.0.0.1 too: a second stand-in that never minted the key, scripted doubles of the Realtime API,
// a closed port.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  PINNED,
  startExampleServer,
  type ExampleServer,
  type ExampleServerOptions,
} from '../../examples/web/server.js';
import { CALLS_CORS, CALLS_PREFLIGHT } from '../../scripts/lib/stand-in-calls.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { closedPortUrl, startScriptedServer, type Reply } from '../helpers/scripted-server.js';
import {
  newestCall,
  pageCallWith,
  recordRequests,
  screenshot,
  upstreamSince,
  useBrowserAndStandIn,
  waitForState,
} from './support.js';

const API_KEY = 'sk-browser-test-KEY-0001';
const GA_BODY = {
  session: {
    type: 'realtime',
    ...PINNED,
    audio: { output: { voice: 'verse' } },
  },
};
let browser: Browser;
let upstream: StandIn;

// Every test gets its own example server (so a sessions-mode client has not yet learned that the
// beta path is retired) and its own pages; all are closed after it.
const closeAfterTest = useBrowserAndStandIn((b, s) => {
  browser = b;
  upstream = s;
});

async function exampleServer(options: ExampleServerOptions = {}): Promise<ExampleServer> {
  const app = await startExampleServer({
    apiKey: API_KEY,
    baseUrl: upstream.baseUrl,
    realtimeBaseUrl: upstream.baseUrl,
    ...options,
  } as ExampleServerOptions);
  closeAfterTest(() => app.close());
  return app;
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  closeAfterTest(() => page.close());
  return page;
}

/** What the stand-in received since `from`: method, path, status, parsed body, authorization. */
function mintsSince(from: number) {
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
        { url: '/v1/realtime/sessions', status: 404, body: { ...PINNED, voice: 'verse' } },
        { url: '/v1/realtime/client_secrets', status: 200, body: GA_BODY },
      ],
      ttl: 600, // the GA default: the beta config sets no lifetime
    },
  ],
];

describe.each(MODES)('examples/web in Chromium, handler mode %s', (label, mode) => {
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
    expect(await page.getAttribute('meta[name="connect-mode"]', 'content')).toBe('secret');
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
    expect(mintsSince(before)).toEqual(
      mode.upstream.map((call) => ({ method: 'POST', authorization: `Bearer ${API_KEY}`, ...call })),
    );
  });

  it('connects for real: microphone, the secret on POST /v1/realtime/calls, connected, session.created with the pinned session', async () => {
    const app = await exampleServer(mode.options);
    const page = await newPage();
    const sent = recordRequests(page);
    const before = upstream.requests.length;
    const { body: minted } = await mint(page, app);
    const value: string = minted.client_secret.value;
    const mints = upstream.requests.length - before;

    const started = performance.now();
    await page.click('#connect');
    await waitForState(page, 'connected');
    const connectedMs = performance.now() - started;
    await expect.poll(() => textOf(page, '#event'), { timeout: 5_000 }).toBe('session.created');

    // What the page shows: connected, the fake microphone's track, the session the server pinned
    // (from session.created on the data channel), and no error.
    expect(await textOf(page, '#state')).toBe('connected');
    expect(await textOf(page, '#microphone')).not.toBe('off');
    expect(await textOf(page, '#live-model')).toBe(PINNED.model);
    expect(await textOf(page, '#live-instructions')).toBe(PINNED.instructions);
    expect(await textOf(page, '#live-voice')).toBe('verse');
    expect(await textOf(page, '#error')).toBe('');
    expect(await page.isEnabled('#connect')).toBe(false); // connected: no second connection
    expect(await page.content()).not.toContain(value);
    expect(
      await page.evaluate(() => (document.getElementById('audio') as HTMLAudioElement).srcObject !== null),
    ).toBe(true);

    // The stand-in saw the API key on the mint(s) only; then a preflight without any credential
    // (from the page's origin) and the offer with the ephemeral key, which it answered 201.
    const seen = upstreamSince(upstream, before);
    expect(seen.slice(0, mints).every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);
    expect(seen.slice(mints)).toEqual(pageCallWith(value));
    const [preflight, call] = upstream.requests.slice(before + mints);
    expect(preflight!.headers.origin).toBe(app.url);
    expect(preflight!.headers['access-control-request-headers']).toBe('authorization,content-type');
    expect(call!.body).toMatch(/^v=0\r\n/);
    const audio = call!.body.split(/\r\n(?=m=)/).find((section) => section.startsWith('m=audio'));
    expect(audio).toContain('a=sendrecv'); // the microphone's track goes out, the voice comes back
    expect(call!.body).toContain('m=application'); // the oai-events data channel

    // The peer that answered sent session.created with the session the key was minted with.
    const [, answered] = newestCall(upstream);
    expect(answered.via).toBe('sdp');
    expect(answered.peer!.sent[0]).toMatchObject({
      type: 'session.created',
      session: { type: 'realtime', ...PINNED, audio: { output: { voice: 'verse' } } },
    });

    // The page's own requests: the API key never, the secret only on the SDP POST.
    const pageSent = sent.filter((s) => !s.url.startsWith('data:'));
    expect(pageSent.map((s) => `${s.method} ${s.url}`)).toEqual(
      expect.arrayContaining([`POST ${app.url}/session`, `POST ${upstream.baseUrl}/realtime/calls`]),
    );
    expect(pageSent.filter((s) => JSON.stringify(s).includes(API_KEY))).toEqual([]);
    expect(pageSent.filter((s) => s.headers.authorization !== undefined).map((s) => s.url)).toEqual([
      `${upstream.baseUrl}/realtime/calls`,
    ]);
    expect(sent.filter((s) => /\/v1\/realtime\?/.test(s.url))).toEqual([]); // never the retired beta shape

    expect(await screenshot(page, `web-example-${label.split(' ')[0]}-connected`)).toBeGreaterThan(1000);
    expect(connectedMs).toBeLessThan(15_000);
  }, 60_000);
});

describe('examples/web in Chromium, errors shown on the page', () => {
  /** Mints (successfully) on a page whose realtime base is `realtimeBaseUrl`; resolves to the page and the secret. */
  async function minted(realtimeBaseUrl: string): Promise<{ page: Page; value: string }> {
    const app = await exampleServer({ realtimeBaseUrl: `${realtimeBaseUrl}/` });
    const page = await newPage();
    const { status, body } = await mint(page, app);
    expect(status).toBe(200);
    expect(await page.getAttribute('meta[name="realtime-base"]', 'content')).toBe(realtimeBaseUrl);
    return { page, value: body.client_secret.value };
  }

  /** Waits for the alert to say something; checks that the secret is not on the page. */
  async function shownError(page: Page, value?: string): Promise<string> {
    await page.waitForFunction(() => (document.getElementById('error')?.textContent ?? '') !== '', null, {
      timeout: 15_000,
    });
    if (value !== undefined) expect(await page.content()).not.toContain(value);
    return textOf(page, '#error');
  }

  /**
   * A scripted Realtime API on 127.0.0.1: it answers the preflight as the stand-in does, and every
   * POST with `answer`. Resolves to its base URL (`…/v1`) and what it received.
   */
  async function realtimeDouble(answer: Reply, cors = true) {
    const server = await startScriptedServer();
    server.fallback = (res, req) => {
      if (req.method === 'OPTIONS' && cors) return void res.writeHead(204, CALLS_PREFLIGHT).end();
      if (cors) for (const [name, value] of Object.entries(CALLS_CORS)) res.setHeader(name, value);
      return answer(res, req);
    };
    closeAfterTest(() => server.close());
    return { baseUrl: `${server.url}/v1`, posts: () => server.requests.filter((r) => r.method === 'POST') };
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
    expect(mintsSince(before)).toEqual([
      expect.objectContaining({ method: 'POST', url: '/v1/realtime/sessions', status: 404 }),
    ]);
  });

  it('the token route cannot reach its upstream', async () => {
    const app = await exampleServer({ baseUrl: `${await closedPortUrl()}/v1`, maxRetries: 0 });
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

  it('the token route itself cannot be reached (the server went away after serving the page)', async () => {
    const app = await exampleServer();
    const before = upstream.requests.length;
    const page = await newPage();
    await page.goto(`${app.url}/`);
    await app.close();
    await page.click('#mint');
    expect(await shownError(page)).toBe(
      'Could not get a session: the token route /session could not be reached (Failed to fetch)',
    );
    expect(await page.isEnabled('#connect')).toBe(false);
    expect(upstream.requests.length).toBe(before);
  });

  it('the realtime base does not know the secret: the stand-in answers 401, shown with its request id', async () => {
    const other = await startStandIn(); // it never minted the page's key
    closeAfterTest(() => other.close());
    const { page, value } = await minted(other.baseUrl);
    await page.click('#connect');
    const shown = await shownError(page, value);
    expect(shown).toMatch(
      new RegExp(
        `^Could not connect: ${other.baseUrl}/realtime/calls answered HTTP 401 Unauthorized: ` +
          'Invalid or expired ephemeral key\\. \\(request req_[0-9a-f]+\\)$',
      ),
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(await textOf(page, '#microphone')).toBe('off');
    expect(await page.isEnabled('#connect')).toBe(true); // the secret is still good elsewhere: try again
    expect(upstreamSince(other, 0)).toEqual([
      expect.objectContaining({ method: 'OPTIONS', url: '/v1/realtime/calls', status: 204 }),
      expect.objectContaining({
        method: 'POST',
        url: '/v1/realtime/calls',
        status: 401,
        authorization: `Bearer ${value}`,
        contentType: 'application/sdp',
      }),
    ]);
    expect(other.calls.size).toBe(0);
  }, 60_000);

  it('the SDP POST answers 403 model_not_found: status, upstream message, code and request id', async () => {
    const MODEL_NOT_FOUND = {
      error: {
        message: 'The model `gpt-realtime` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: '',
      },
    };
    const api = await realtimeDouble((res) => {
      const text = JSON.stringify(MODEL_NOT_FOUND);
      res.writeHead(403, { 'content-type': 'application/json', 'x-request-id': 'req_sdp0001' }).end(text);
    });
    const { page, value } = await minted(api.baseUrl);
    await page.click('#connect');
    expect(await shownError(page, value)).toBe(
      `Could not connect: ${api.baseUrl}/realtime/calls answered HTTP 403 Forbidden: ` +
        `${MODEL_NOT_FOUND.error.message} (code model_not_found, request req_sdp0001)`,
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(await page.isEnabled('#connect')).toBe(true);
    const posts = api.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!).toMatchObject({ url: '/v1/realtime/calls' });
    expect(posts[0]!.headers.authorization).toBe(`Bearer ${value}`);
    expect(posts[0]!.headers['content-type']).toBe('application/sdp');
    expect(posts[0]!.body).toMatch(/^v=0\r\n/);
  });

  it('the SDP POST fails on the network (nothing listens): a readable message', async () => {
    const { page, value } = await minted(`${await closedPortUrl()}/v1`);
    const base = (await page.getAttribute('meta[name="realtime-base"]', 'content'))!;
    await page.click('#connect');
    expect(await shownError(page, value)).toBe(
      `Could not connect: ${base}/realtime/calls could not be reached (Failed to fetch): offline, blocked, or refused by CORS`,
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
  });

  it('the SDP POST is refused by CORS (an API without CORS headers): a readable message', async () => {
    const api = await realtimeDouble((res) => void res.writeHead(204).end(), false);
    const { page, value } = await minted(api.baseUrl);
    await page.click('#connect');
    expect(await shownError(page, value)).toBe(
      `Could not connect: ${api.baseUrl}/realtime/calls could not be reached (Failed to fetch): offline, blocked, or refused by CORS`,
    );
    expect(api.posts()).toEqual([]); // the browser stopped at the preflight
  });

  it('the SDP POST answers 201 with something that is not SDP', async () => {
    const api = await realtimeDouble((res) => {
      res.writeHead(201, { 'content-type': 'text/html' }).end('<!doctype html><p>captive portal</p>');
    });
    const { page, value } = await minted(api.baseUrl);
    await page.click('#connect');
    expect(await shownError(page, value)).toBe(
      `Could not connect: ${api.baseUrl}/realtime/calls answered HTTP 201 with text/html, not an SDP answer`,
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(api.posts()).toHaveLength(1);
  });

  it('WebRTC rejects the SDP answer (setRemoteDescription throws)', async () => {
    // Syntactically SDP, but with none of the offer's media sections: Chromium refuses it.
    const api = await realtimeDouble((res) => {
      res
        .writeHead(201, { 'content-type': 'application/sdp' })
        .end('v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n');
    });
    const { page, value } = await minted(api.baseUrl);
    await page.click('#connect');
    expect(await shownError(page, value)).toMatch(
      /^Could not connect: WebRTC rejected the SDP answer \(Failed to execute 'setRemoteDescription'.+\)$/,
    );
    expect(await page.getAttribute('#state', 'data-state')).toBe('failed');
    expect(await page.isEnabled('#connect')).toBe(true);
    expect(api.posts()).toHaveLength(1);
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
