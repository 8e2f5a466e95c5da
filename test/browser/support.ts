// Helpers the browser suites share: screenshots (written under .cache/, which git ignores), what the
// stand-in received in a form tests compare, and what a page sent and got back.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Request as PageRequest } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startStandIn } from '../../scripts/lib/stand-in.js';
import { launchChromium } from './chromium.js';
import type { StandIn, StandInCall, StandInRequest } from '../../scripts/lib/stand-in.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the suites keep their screenshots: git-ignored, overwritten by each run. */
export const SCREENSHOTS = path.join(ROOT, '.cache/screenshots');

/** Saves a full-page PNG of `page` as `.cache/screenshots/<name>.png`; resolves to its size in bytes. */
export async function screenshot(page: Page, name: string): Promise<number> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return (await stat(file)).size;
}

/** One stand-in request as the credential assertions compare it. */
export interface SeenUpstream {
  method: string;
  url: string;
  status: number | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
}

/**
 * What the stand-in sees when a page calls it with an ephemeral key: the CORS preflight, which
 * carries no credential, then the offer as `application/sdp` with the key, answered 201.
 */
export function pageCallWith(key: string): SeenUpstream[] {
  const at = { url: '/v1/realtime/calls' };
  return [
    { method: 'OPTIONS', ...at, status: 204, authorization: undefined, contentType: undefined },
    { method: 'POST', ...at, status: 201, authorization: `Bearer ${key}`, contentType: 'application/sdp' },
  ];
}

/** What the stand-in received from index `from` on: method, path, status and the credential. */
export function upstreamSince(standIn: StandIn, from: number): SeenUpstream[] {
  return standIn.requests.slice(from).map((r: StandInRequest) => ({
    method: r.method,
    url: r.url,
    status: r.status,
    authorization: r.headers.authorization,
    contentType: r.headers['content-type'],
  }));
}

/** The newest call the stand-in created (calls keep their creation order). */
export function newestCall(standIn: StandIn): [string, StandInCall] {
  const calls = [...standIn.calls.entries()];
  if (calls.length === 0) throw new Error('the stand-in created no call');
  return calls[calls.length - 1]!;
}

/** One request a page made, with its headers (all of them, as Chromium sent them). */
export interface SentByPage {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Records every request `page` makes from now on. */
export function recordRequests(page: Page): SentByPage[] {
  const sent: SentByPage[] = [];
  page.on('request', (r: PageRequest) => {
    const entry: SentByPage = { method: r.method(), url: r.url(), headers: r.headers(), body: r.postData() };
    sent.push(entry);
    // The complete headers (security-related ones included) arrive once the request went out.
    r.allHeaders().then(
      (headers) => void (entry.headers = headers),
      () => undefined,
    );
  });
  return sent;
}

/** Waits for the page's `#state` to read `state` (its `data-state`). */
export async function waitForState(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page.waitForSelector(`#state[data-state="${state}"]`, { timeout });
}

/**
 * A live-like stand-in and a Chromium for the whole file (handed to `assign` once both run), closed
 * after it; and a list of things to close after each test (servers, pages), last opened first.
 */
export function useBrowserAndStandIn(
  assign: (browser: Browser, standIn: StandIn) => void,
): (close: () => Promise<unknown>) => void {
  let browser: Browser | undefined;
  let standIn: StandIn | undefined;
  beforeAll(async () => {
    // live-like: beta paths 404, client_secrets mints, /realtime/calls answers with a WebRTC peer
    [standIn, browser] = await Promise.all([startStandIn(), launchChromium()]);
    assign(browser, standIn);
  });
  afterAll(async () => {
    await browser?.close();
    await standIn?.close();
  });
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });
  return (close) => void cleanup.push(close);
}
