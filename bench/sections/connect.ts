// 9. What the browser user feels: time to a connected WebRTC call, and the calls route's own cost.
//
// 9a. Time to connected in Chromium (playwright-core, the machine's Chromium as the browser tests
// launch it, fake microphone), two-step against one-step. Processes: the stand-in
// (scripts/lib/stand-in.ts: live-like minting, POST /v1/realtime/calls answered by a real werift
// WebRTC peer), a delaying proxy in front of it (lib/delay-proxy.ts: every request through it pays
// a simulated upstream round trip, half each way), and the app server (children/connect-app.ts:
// the page, the client_secrets route at /token and the calls route at /call, from dist/, calling
// the upstream through the proxy). So the server's requests and the page's own POST to "OpenAI"
// pay the same distance; the page and the app server are both on 127.0.0.1, as close as a user's
// nearby server. The page (lib/connect-page.ts) runs each flow as an app does, and times it itself
// from its start (the click) to `connectionState === 'connected'`:
//   two-step             POST /token → getUserMedia + offer → POST the offer (application/sdp,
//                        Bearer ek_…) to the upstream's /v1/realtime/calls, cross-origin, so the
//                        browser preflights it first (the stand-in answers CORS as OpenAI does) →
//                        answer → connected. OpenAI's WebRTC guide in this order.
//   two-step-overlapped  the same, with the token fetched while the offer is made.
//   one-step             getUserMedia + offer → POST the offer to /call, which forwards it to the
//                        upstream with the server's key (multipart, the pinned session) → answer →
//                        connected.
// Each connection runs in a fresh browser context (no cached preflight, no open connection to the
// upstream: a first visit). A round runs every flow once, the starting flow rotated per round;
// ratios are per round. Every connection is checked: the page got `session.created` with the
// pinned instructions, and the stand-in saw exactly the requests of its flow with the right
// credential (API key on the server's requests, the ephemeral key on the page's). Between
// connections the stand-in closes every peer, so no earlier call costs CPU during the next.
// If the stand-in does not answer CORS, the page is served from the proxy's origin instead (the
// proxy then routes everything but /v1/ to the app server, undelayed), and the body says so.
//
// 9b, the calls route against a bare SDP proxy, is in calls-route.ts.
import { launchChromium } from '../../test/browser/chromium.js';
import type { Browser } from 'playwright-core';
import type { ChildName } from '../lib/build.js';
import { connectExpression, FLOWS, type Flow, type PageMarks, type PageResult } from '../lib/connect-page.js';
import { CALL_SESSION } from '../lib/fixtures.js';
import { ask, startHelper, type Helper } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { takeRequests } from '../lib/stand-in-log.js';
import { fmtRatio, fmtSummary, median, ratios, summarize, type Summary } from '../lib/stats.js';
import { measureCallsRoute } from './calls-route.js';

export interface ConnectPlan {
  /** 9a: rounds; each connects once per flow. */
  browserRounds: number;
  /** 9a: round trip the proxy adds to each upstream request, in ms. */
  delayMs: number;
  /** 9b, fixed-answer upstream: autocannon rounds, run length, warm-up and concurrency. */
  throughputRounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /**
   * 9b, stand-in upstream: rounds, and sequential requests per server per round (a multiple of 6,
   * so each order of the three servers comes up as often).
   */
  latencyRounds: number;
  latencyRequests: number;
}

export const CONNECT_FULL: ConnectPlan = {
  browserRounds: 12,
  delayMs: 100,
  throughputRounds: 5,
  seconds: 3,
  warmupSeconds: 2,
  connections: 64,
  latencyRounds: 5,
  latencyRequests: 24,
};
export const CONNECT_QUICK: ConnectPlan = {
  browserRounds: 3,
  delayMs: 100,
  throughputRounds: 1,
  seconds: 1,
  warmupSeconds: 1,
  connections: 64,
  latencyRounds: 1,
  latencyRequests: 12,
};

/**
 * One-step against the documented two-step, at 100 ms per upstream round trip. By construction
 * one-step skips two of the two-step flow's upstream round trips (the token route's mint, and the
 * CORS preflight of the page's own POST) and the page's trip to the token route: about 250 ms of
 * ~700 ms in the quick runs here (0.6–0.65×). ≤ 0.8× leaves room for a loaded 2-core machine, yet a
 * calls route that paid one upstream round trip more than it must (minting, then calling) would
 * land near 0.8× and miss.
 */
const CONNECT_GOAL = 0.8;

type Children = Record<ChildName, string>;
type Env = Record<string, string>;

const FLOW_LABELS: Record<Flow, string> = {
  'two-step': 'two-step: token route, then the page POSTs to the upstream with the ek_',
  'two-step-overlapped': 'two-step, token fetched while the offer is made',
  'one-step': 'one-step: the page POSTs its offer to the calls route',
};

export async function runConnect(children: Children, env: Env, plan: ConnectPlan): Promise<Section> {
  const browser = await measureBrowser(children, env, plan);
  const sdp = await measureCallsRoute(children, env, plan, browser.calls);
  return {
    title: '9. Browser connect and the calls route',
    body: [browser.body, sdp.body].join('\n\n'),
    targets: [...browser.targets, ...sdp.targets],
    facts: { ...browser.facts, ...sdp.facts },
  };
}

type Part = Omit<Section, 'title'> & { facts: Record<string, number> };

// ---------------------------------------------------------------------------------------------
// 9a

interface Stack {
  standIn: Helper<{ origin: string; baseUrl: string }>;
  proxy: Helper<{ origin: string }>;
  app: Helper<{ origin: string; calls: boolean }>;
  /** Where the page is served from, and where it POSTs its offer in the two-step flows. */
  pageOrigin: string;
  upstreamOrigin: string;
  crossOrigin: boolean;
}

async function startStack(children: Children, env: Env, delayMs: number): Promise<Stack> {
  const standIn = await startHelper<{ origin: string; baseUrl: string }>(children['stand-in'], []);
  const proxy = await startHelper<{ origin: string }>(children['delay-proxy'], [
    JSON.stringify([{ prefix: '/v1/', target: standIn.info.origin, delayMs }]),
  ]);
  const app = await startHelper<{ origin: string; calls: boolean }>(
    children['connect-app'],
    [`${proxy.info.origin}/v1`],
    { env: { ...process.env, ...env } },
  );
  const crossOrigin = await answersCors(proxy.info.origin, app.info.origin);
  // The probe is in the stand-in's log; every connection's check starts from an empty one.
  await takeRequests(standIn);
  if (!crossOrigin) {
    await ask(
      proxy,
      { type: 'route', route: { prefix: '/', target: app.info.origin, delayMs: 0 } },
      'route-added',
    );
  }
  return {
    standIn,
    proxy,
    app,
    pageOrigin: crossOrigin ? app.info.origin : proxy.info.origin,
    upstreamOrigin: proxy.info.origin,
    crossOrigin,
  };
}

/** Whether the upstream lets a page on `origin` POST an offer with a bearer key (its preflight). */
async function answersCors(upstreamOrigin: string, origin: string): Promise<boolean> {
  const res = await fetch(`${upstreamOrigin}/v1/realtime/calls`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
  await res.arrayBuffer();
  const allowOrigin = res.headers.get('access-control-allow-origin');
  const allowHeaders = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
  return (
    res.ok &&
    (allowOrigin === '*' || allowOrigin === origin) &&
    allowHeaders.includes('authorization') &&
    allowHeaders.includes('content-type')
  );
}

/** The requests each flow must cause at the stand-in, in order. */
function expectedRequests(flow: Flow, crossOrigin: boolean): string[] {
  if (flow === 'one-step') return ['POST /v1/realtime/calls sk multipart/form-data 201'];
  return [
    'POST /v1/realtime/client_secrets sk application/json 200',
    ...(crossOrigin ? ['OPTIONS /v1/realtime/calls none  204'] : []),
    'POST /v1/realtime/calls ek application/sdp 201',
  ];
}

/** One connection in a fresh browser context, checked; the stand-in is reset afterwards. */
async function connectOnce(browser: Browser, stack: Stack, flow: Flow): Promise<PageMarks> {
  const context = await browser.newContext();
  let result: PageResult;
  try {
    const page = await context.newPage();
    await page.goto(`${stack.pageOrigin}/connect`);
    result = (await page.evaluate(connectExpression(flow, stack.upstreamOrigin))) as PageResult;
  } finally {
    await context.close();
  }
  // The page closed its connection; the stand-in has answered every request by now.
  const seen = await takeRequests(stack.standIn);
  const expected = expectedRequests(flow, stack.crossOrigin);
  if (!result.ok) throw new Error(`${flow}: ${result.error}\nstand-in saw:\n${seen.join('\n')}`);
  if (result.instructions !== CALL_SESSION.instructions) {
    throw new Error(`${flow}: session.created carried instructions ${JSON.stringify(result.instructions)}`);
  }
  if (seen.join('\n') !== expected.join('\n')) {
    throw new Error(`${flow}: the stand-in saw\n${seen.join('\n')}\nexpected\n${expected.join('\n')}`);
  }
  return result.marks;
}

/** A connection that fails is tried once more (a lost ICE check on a busy machine); twice is a bug. */
async function connectChecked(
  browser: Browser,
  stack: Stack,
  flow: Flow,
  failures: string[],
): Promise<PageMarks> {
  try {
    return await connectOnce(browser, stack, flow);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(`${flow}: ${message.replaceAll('\n', ' / ')}`);
    process.stderr.write(`[bench] connect: ${flow} failed, trying once more: ${message}\n`);
    return connectOnce(browser, stack, flow);
  }
}

interface BrowserPart extends Part {
  /** Whether the package has the calls mode (9b needs it too). */
  calls: boolean;
}

async function measureBrowser(children: Children, env: Env, plan: ConnectPlan): Promise<BrowserPart> {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  try {
    stack = await startStack(children, env, plan.delayMs);
    const calls = stack.app.info.calls;
    const flows = FLOWS.filter((f) => calls || f !== 'one-step');
    try {
      browser = await launchChromium();
    } catch (error) {
      return { ...notMeasured(plan, `Chromium could not be launched: ${String(error)}`), calls };
    }
    const failures: string[] = [];
    // Warm-up: every process's first connection (JIT, werift's first DTLS handshake) is not timed.
    for (const flow of flows) await connectChecked(browser, stack, flow, failures);
    const marks = Object.fromEntries(flows.map((f) => [f, [] as PageMarks[]])) as Record<Flow, PageMarks[]>;
    for (let round = 0; round < plan.browserRounds; round++) {
      for (let k = 0; k < flows.length; k++) {
        const flow = flows[(round + k) % flows.length];
        marks[flow].push(await connectChecked(browser, stack, flow, failures));
      }
    }
    return { ...renderBrowser(plan, stack, flows, marks, failures), calls };
  } finally {
    await browser?.close();
    await stack?.app.stop();
    await stack?.proxy.stop();
    await stack?.standIn.stop();
  }
}

const targetName = (plan: ConnectPlan): string =>
  `time to connected, one-step calls route vs two-step ephemeral key (${plan.delayMs} ms upstream)`;

function notMeasured(plan: ConnectPlan, reason: string): Part {
  return {
    body: `### 9a. Time to connected in Chromium\n\nNot measured: ${reason}`,
    targets: [{ name: targetName(plan), goal: `≤ ${CONNECT_GOAL}×`, measured: 'n/a', met: undefined }],
    facts: {},
  };
}

const connectedOf = (marks: PageMarks[]): number[] => marks.map((m) => m.connected);

function renderBrowser(
  plan: ConnectPlan,
  stack: Stack,
  flows: readonly Flow[],
  marks: Record<Flow, PageMarks[]>,
  failures: string[],
): Part {
  const hasOneStep = flows.includes('one-step');
  const base = connectedOf(marks['two-step']);
  const step = (flow: Flow, key: keyof PageMarks): string =>
    marks[flow].every((m) => m[key] !== undefined)
      ? fmtSummary(summarize(marks[flow].map((m) => m[key] as number)))
      : '–';
  const ratioTo = (flow: Flow): Summary => summarize(ratios(connectedOf(marks[flow]), base));
  const rows = flows.map((flow) => [
    FLOW_LABELS[flow],
    step(flow, 'token'),
    step(flow, 'offer'),
    step(flow, 'answer'),
    `**${step(flow, 'connected')}**`,
    step(flow, 'session'),
    flow === 'two-step' ? '1 (baseline)' : fmtRatio(ratioTo(flow)),
  ]);
  const oneStep = hasOneStep ? ratioTo('one-step') : undefined;
  const overlapped = hasOneStep
    ? summarize(ratios(connectedOf(marks['one-step']), connectedOf(marks['two-step-overlapped'])))
    : undefined;
  const saved = hasOneStep ? summarize(base.map((ms, i) => ms - marks['one-step'][i].connected)) : undefined;
  const where = stack.crossOrigin
    ? "The page is on the app server's origin; its two-step POST goes cross-origin to the proxy, so the browser sends a CORS preflight first (`OPTIONS`, answered by the stand-in through the proxy: one more round trip, as against OpenAI on a first visit)."
    : "**The stand-in did not answer CORS**, so the page was served from the proxy's origin (everything but `/v1/` routed to the app server, undelayed): the two-step flow paid no preflight, which favours it over a real cross-origin page.";
  const body = [
    '### 9a. Time to connected in Chromium',
    '',
    `Chromium (headless, fake microphone) against the stand-in's werift peer behind a proxy adding ${plan.delayMs} ms per`,
    "upstream request (half each way), which the token route's, the calls route's and the page's own POSTs all pay.",
    where,
    `${plan.browserRounds} round(s) after one warm-up connection per flow; each round connects once per flow in a fresh`,
    "browser context, the starting flow rotated. Times are the page's own, in ms from the start of the flow (the click)",
    'to each step; the target is on `connected` (`RTCPeerConnection.connectionState`); `session.created` is when the',
    'session is usable. "× two-step" is the per-round ratio of time to connected (lower is better).',
    `Connections that failed and were retried: ${failures.length}${failures.length > 0 ? ` (${failures.join('; ')})` : ''}.`,
    '',
    table(['flow', 'token', 'offer made', 'SDP answer', 'connected', 'session.created', '× two-step'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
    '',
    hasOneStep
      ? `One-step saves ${fmtSummary(saved!, 0, ' ms')} per connection against the two-step flow (per round), and takes ${fmtRatio(overlapped!)} the time of the overlapped two-step flow.`
      : "**The one-step flow was not measured**: the built package has no `endpoint: 'calls'` yet.",
    '',
    'The simulated round trip is on HTTP only: ICE and DTLS run at loopback speed here, where against OpenAI they',
    "add a few round trips to the media server to every flow alike, and the page's first POST to api.openai.com also",
    'opens a TLS connection (one or two more round trips for the two-step flows only).',
  ].join('\n');
  const facts = browserFacts(plan, stack, marks, base);
  return {
    body,
    facts,
    targets: [
      {
        name: targetName(plan),
        goal: `≤ ${CONNECT_GOAL}×`,
        measured: oneStep ? fmtRatio(oneStep) : 'n/a (no calls mode in dist/)',
        met: oneStep ? oneStep.median <= CONNECT_GOAL : undefined,
      },
    ],
  };
}

/** The figures the findings are written from (see findings.ts). */
function browserFacts(
  plan: ConnectPlan,
  stack: Stack,
  marks: Record<Flow, PageMarks[]>,
  base: number[],
): Record<string, number> {
  const facts: Record<string, number> = {
    'connect.twoStepMs': median(base),
    'connect.delayMs': plan.delayMs,
    'connect.crossOrigin': stack.crossOrigin ? 1 : 0,
  };
  if (marks['one-step'] === undefined) return facts;
  const oneStep = connectedOf(marks['one-step']);
  facts['connect.oneStepMs'] = median(oneStep);
  facts['connect.overlappedMs'] = median(connectedOf(marks['two-step-overlapped']));
  facts['connect.ratio'] = median(ratios(oneStep, base));
  facts['connect.ratioOverlapped'] = median(ratios(oneStep, connectedOf(marks['two-step-overlapped'])));
  facts['connect.savedMs'] = median(base.map((ms, i) => ms - oneStep[i]));
  facts['connect.offerMs'] = median(marks['one-step'].map((m) => m.offer));
  return facts;
}
