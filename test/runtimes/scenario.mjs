// The one scenario every runtime in the matrix runs against the BUILT package. Runtime-neutral on
// purpose: Fetch API, timers and ES2022 only, no `node:` imports and no runtime globals, so Node,
// Bun, Deno, workerd and Chromium all load this same file. Each runtime's entry (entries/) only
// loads the package its own way, serves the token route with its own server, and prints the line.
//
// The upstream is real HTTP on 127.0.0.1, started by the harness (harness.ts): the stand-in for
// realistic sessions, and a scripted server that answers 400, hangs, and reports what the
// upstream saw (`/seen`), so every step asserts on the request received, not only on the answer.
// Every API key is unique per runtime, step and run, so runtimes can share one upstream.

/** Step numbers are what a failure line names. Step 0 is loading the package itself. */
export const STEPS = Object.freeze([
  'load the package',
  'mint with createRealtimeSession',
  'mint with RealtimeApi#createRealtimeSessionWithHttpInfo',
  'upstream 400 -> ApiError',
  'hung upstream -> TimeoutError',
  "token route on the runtime's own server",
]);

/** Steps 1-4 run wherever the SDK runs; step 5 needs a server, which Chromium doesn't have. */
export const CLIENT_STEPS = [1, 2, 3, 4];
export const ROUTE_STEP = 5;

/** Longest a single step may take before it is reported as hung. */
const STEP_TIMEOUT_MS = 15_000;

/** The bearer key the scenario uses for one purpose (`fn`, `api`, `bad`, `hang`, `route`). */
export function keyFor(config, purpose) {
  return `sk-matrix-${config.runtime}-${purpose}-${config.nonce}`;
}

/** The session config the token route pins on the server, and what the browser may set. */
export function handlerOptions(config, overrides = {}) {
  return {
    // The beta mode against the stand-in's beta contract (the matrix proves the runtimes, not the fallback).
    endpoint: 'sessions',
    apiKey: keyFor(config, 'route'),
    baseUrl: config.upstream,
    maxRetries: 0,
    session: { model: 'gpt-realtime' },
    allowFromClient: ['voice'],
    ...overrides,
  };
}

class StepFailure extends Error {
  constructor(step, reason) {
    super(reason);
    this.step = step;
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function show(value) {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** The first line of a body, for a failure message (workerd's error pages carry a stack trace). */
function excerpt(text) {
  const line = String(text).split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** Key order doesn't matter for equality of JSON bodies. */
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  }
  return value;
}

function sameJson(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function describeError(error) {
  if (error instanceof Error) {
    const text = `${error.name}: ${error.message}`;
    return error.cause instanceof Error
      ? `${text} (cause: ${error.cause.name}: ${error.cause.message})`
      : text;
  }
  return `thrown non-Error ${show(error)}`;
}

async function step(n, fn) {
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no result after ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    throw error instanceof StepFailure ? error : new StepFailure(n, describeError(error));
  } finally {
    clearTimeout(timer);
  }
}

/** What the upstream received with `Authorization: Bearer <key>`, as recorded by the harness. */
async function seenWith(config, key) {
  const response = await fetch(`${config.control}/seen?authorization=${encodeURIComponent(`Bearer ${key}`)}`);
  check(response.ok, `the harness's /seen answered ${response.status}`);
  return response.json();
}

async function checkSeenOnce(config, key, expectedBody) {
  const seen = await seenWith(config, key);
  check(seen.length === 1, `upstream saw ${seen.length} requests with this key, expected 1`);
  const [request] = seen;
  check(request.method === 'POST', `upstream saw method ${request.method}, expected POST`);
  check(
    request.url === '/v1/realtime/sessions',
    `upstream saw path ${request.url}, expected /v1/realtime/sessions`,
  );
  check(
    /^application\/json\b/.test(request.contentType ?? ''),
    `upstream saw content-type ${show(request.contentType)}`,
  );
  let body;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw new Error(`upstream saw a body that is not JSON: ${show(request.body)}`);
  }
  check(sameJson(body, expectedBody), `upstream saw body ${show(body)}, expected ${show(expectedBody)}`);
}

function checkSession(session, expected) {
  check(session !== null && typeof session === 'object', `session is ${show(session)}`);
  const secret = session.client_secret;
  check(
    typeof secret?.value === 'string' && secret.value.startsWith('ek_'),
    `client_secret.value is ${show(secret?.value)}, expected an "ek_..." string`,
  );
  check(typeof secret.expires_at === 'number', `client_secret.expires_at is ${show(secret.expires_at)}`);
  for (const [field, value] of Object.entries(expected)) {
    check(
      sameJson(session[field], value),
      `session.${field} is ${show(session[field])}, expected ${show(value)}`,
    );
  }
}

async function expectRejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call resolved, expected it to reject');
}

/** `sdk[name]`, or an error naming the missing export (clearer than "undefined is not a function"). */
export function exported(sdk, name) {
  check(name in sdk && sdk[name] !== undefined, `the package does not export ${name}`);
  return sdk[name];
}

/**
 * Steps 1-4: mint twice, then the two failure mappings. `config.clientExtra` is merged into every
 * client's options (Chromium passes `dangerouslyAllowBrowser: true`).
 * @returns {Promise<{ steps: number } | { failed: { step: number, reason: string } }>}
 */
export async function runClientSteps(sdk, config) {
  const extra = config.clientExtra ?? {};
  try {
    await step(1, async () => {
      const createRealtimeSession = exported(sdk, 'createRealtimeSession');
      const apiKey = keyFor(config, 'fn');
      const request = { model: 'gpt-realtime', voice: 'verse', instructions: `matrix ${config.runtime}` };
      const session = await createRealtimeSession(request, { apiKey, baseUrl: config.upstream, ...extra });
      checkSession(session, { model: 'gpt-realtime', voice: 'verse' });
      await checkSeenOnce(config, apiKey, request);
    });

    await step(2, async () => {
      const RealtimeApi = exported(sdk, 'RealtimeApi');
      const apiKey = keyFor(config, 'api');
      const request = { model: 'gpt-realtime', modalities: ['audio', 'text'] };
      const api = new RealtimeApi({ apiKey, baseUrl: config.upstream, ...extra });
      const result = await api.createRealtimeSessionWithHttpInfo(request);
      check(result?.status === 200, `status is ${show(result?.status)}, expected 200`);
      check(/^req_/.test(result.requestId ?? ''), `requestId is ${show(result.requestId)}`);
      checkSession(result.data, { model: 'gpt-realtime', modalities: ['audio', 'text'] });
      await checkSeenOnce(config, apiKey, request);
    });

    await step(3, async () => {
      const ApiError = exported(sdk, 'ApiError');
      const apiKey = keyFor(config, 'bad');
      const error = await expectRejection(
        exported(sdk, 'createRealtimeSession')(
          { model: 'gpt-realtime', voice: 'robot' },
          { apiKey, baseUrl: config.bad, maxRetries: 0, ...extra },
        ),
      );
      check(error instanceof ApiError, `rejected with ${describeError(error)}, expected an ApiError`);
      check(error.status === 400, `ApiError.status is ${show(error.status)}, expected 400`);
      check(error.param === 'voice', `ApiError.param is ${show(error.param)}, expected "voice"`);
      check(error.requestId === 'req_matrix_bad', `ApiError.requestId is ${show(error.requestId)}`);
      check(!String(error.message).includes(apiKey), 'the error message contains the API key');
      await checkSeenOnce(config, apiKey, { model: 'gpt-realtime', voice: 'robot' });
    });

    await step(4, async () => {
      const TimeoutError = exported(sdk, 'TimeoutError');
      const apiKey = keyFor(config, 'hang');
      const started = Date.now();
      const error = await expectRejection(
        exported(sdk, 'createRealtimeSession')(
          { model: 'gpt-realtime' },
          { apiKey, baseUrl: config.hang, timeoutMs: 300, maxRetries: 0, ...extra },
        ),
      );
      const elapsed = Date.now() - started;
      check(error instanceof TimeoutError, `rejected with ${describeError(error)}, expected a TimeoutError`);
      check(error instanceof exported(sdk, 'ConnectionError'), 'the TimeoutError is not a ConnectionError');
      check(elapsed < 5_000, `the timeout of 300 ms took ${elapsed} ms`);
      // The upstream must have received the request: a timeout, not a refused connection.
      const seen = await seenWith(config, apiKey);
      check(seen.length === 1, `the hung upstream saw ${seen.length} requests, expected 1 (maxRetries 0)`);
    });
  } catch (error) {
    return failed(error);
  }
  return { steps: CLIENT_STEPS.length };
}

/**
 * Step 5, from the outside: POSTs to the token route served at `routeUrl` by the runtime under
 * test (with {@link handlerOptions}) and checks both answers and what the upstream saw.
 */
export async function runRouteStep(config, routeUrl) {
  try {
    await step(ROUTE_STEP, async () => {
      const apiKey = keyFor(config, 'route');
      const post = (body) =>
        fetch(routeUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

      const allowed = await post('{"voice":"verse"}');
      const allowedText = await allowed.text();
      check(allowed.status === 200, `allowed body: status ${allowed.status}, body ${excerpt(allowedText)}`);
      check(!allowedText.includes(apiKey), "the route's answer contains the server's API key");
      const minted = JSON.parse(allowedText);
      checkSession({ ...minted.session, client_secret: minted.client_secret }, { voice: 'verse' });
      await checkSeenOnce(config, apiKey, { model: 'gpt-realtime', voice: 'verse' });

      const refused = await post('{"model":"gpt-4o"}');
      const refusedText = await refused.text();
      check(
        refused.status === 400,
        `disallowed body: status ${refused.status}, body ${excerpt(refusedText)}`,
      );
      check(typeof JSON.parse(refusedText).error?.message === 'string', `400 body ${excerpt(refusedText)}`);
      const after = await seenWith(config, apiKey);
      check(after.length === 1, `a disallowed body reached the upstream (${after.length} requests)`);
    });
  } catch (error) {
    return failed(error);
  }
  return { steps: 1 };
}

function failed(error) {
  if (error instanceof StepFailure) return { failed: { step: error.step, reason: error.message } };
  return { failed: { step: 0, reason: describeError(error) } };
}

/**
 * The whole scenario in one runtime. `load()` imports the package (`{ sdk, node? }`); `serve`, when
 * given, serves a Fetch handler with the runtime's own server and resolves `{ url, close }`.
 * @returns {Promise<string>} the one result line for this runtime
 */
export async function runScenario({ runtime, version, config, load, serve }) {
  let sdk;
  try {
    sdk = await load();
  } catch (error) {
    return resultLine(runtime, version, { failed: { step: 0, reason: describeError(error) } });
  }
  const client = await runClientSteps(sdk, config);
  if (client.failed || !serve) return resultLine(runtime, version, client);

  let server;
  try {
    const handler = exported(sdk, 'createSessionHandler')(handlerOptions(config));
    server = await serve(handler);
  } catch (error) {
    return resultLine(runtime, version, { failed: { step: ROUTE_STEP, reason: describeError(error) } });
  }
  try {
    const route = await runRouteStep(config, server.url);
    return resultLine(runtime, version, route.failed ? route : { steps: client.steps + route.steps });
  } finally {
    await server.close();
  }
}

/**
 * `PASS node22 [node 22.23.3] (5 steps)` or `FAIL deno [deno 2.9.6] step 2 (mint with ...): reason`.
 * One line, whatever the reason contains.
 */
export function resultLine(runtime, version, outcome) {
  const head = `${runtime} [${version}]`;
  if (!outcome.failed) return `PASS ${head} (${outcome.steps} steps)`;
  const { step: n, reason } = outcome.failed;
  const oneLine = String(reason).replace(/\s+/g, ' ').trim().slice(0, 400);
  return `FAIL ${head} step ${n} (${STEPS[n] ?? 'unknown'}): ${oneLine}`;
}
