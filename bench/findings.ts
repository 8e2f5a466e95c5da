// The "Findings" section of RESULTS.md: what the numbers of THIS run say, why, and the fixes in
// src/. The explanations are fixed text (they come from reading the profiles and the code); every
// figure is taken from the run's own measurements, so a re-run stays consistent, except the
// figures of BEFORE, which are quoted as the previous run's.
import { CPU_BASELINE, CPU_OPENAPI_FETCH_REFERENCE, CPU_SDK } from './lib/fixtures.js';
import type { Target } from './lib/report.js';

type Facts = Record<string, number>;

/**
 * The last run before the SDK stopped calling openapi-fetch's `createClient` at runtime (commit
 * 2cbb793): bench/RESULTS.md as committed in 558f40e, plus size-limit's figure from 2cbb793's
 * message. Quoted as such in the text, never mixed into this run's figures.
 */
const BEFORE = {
  /** 7b: createRealtimeSession (whole SDK), Δ µs/call over the stub fetch. */
  sdkCpuUs: 31.3,
  /** 7b: "openapi-fetch POST, configured as the SDK does", Δ µs/call over the stub fetch. */
  createClientCpuUs: 19.4,
  /** 3: the app importing only createRealtimeSession, brotli B (this bench's esbuild build). */
  bundleBrotli: 5_650,
  /** 3: openapi-fetch's minified bytes in that bundle. */
  openapiFetchMinified: 6_583,
  /** size-limit's count of the same app. */
  sizeLimit: '5.59 kB',
} as const;

export function renderFindings(facts: Facts, targets: Target[], quick = false): string {
  const has = (key: string): boolean => Number.isFinite(facts[key]);
  const us = (key: string, digits = 0): string => (has(key) ? `${facts[key].toFixed(digits)} µs` : 'n/a');
  const ms = (key: string): string => (has(key) ? `${facts[key].toFixed(1)} ms` : 'n/a');
  const x = (key: string): string => (has(key) ? `${facts[key].toFixed(2)}×` : 'n/a');
  const bytes = (key: string): string =>
    has(key) ? `${Math.round(facts[key]).toLocaleString('en-US')} B` : 'n/a';
  const missed = (prefix: string): boolean =>
    targets.some((t) => t.name.startsWith(prefix) && t.met === false);
  const out: string[] = quick
    ? ['_Quick run: a few rounds only, so the figures below are mostly noise. Run the full bench._', '']
    : [];

  // Per-call overhead.
  if (has('percall.c1.createRealtimeSession')) {
    const levels = [1, 16, 64].filter((c) => has(`percall.c${c}.createRealtimeSession`));
    const list = (name: string): string => levels.map((c) => x(`percall.c${c}.${name}`)).join(' / ');
    out.push(
      `**Per-call overhead (${missed('per-call, createRealtimeSession,') || missed('per-call, WithHttpInfo,') ? 'target missed' : 'target met'}).**`,
      `At concurrency ${levels.join(' / ')}, \`createRealtimeSession\` takes ${list('createRealtimeSession')} the time of raw`,
      `fetch (\`WithHttpInfo\`: ${list('WithHttpInfo')}; the noise floor, raw fetch against its own copy, is`,
      `${list('noise')}; openai is ${list('openai')}). A sequential raw fetch call takes ${us('percall.c1.rawUs')} here.`,
      '',
    );
  }
  if (has('percall.c1.gaRemembered')) {
    const levels = [1, 16, 64].filter((c) => has(`percall.c${c}.gaRemembered`));
    const list = levels.map((c) => x(`percall.c${c}.gaRemembered`)).join(' / ');
    out.push(
      `**Through GA, after the beta retirement (${missed('per-call, createRealtimeSession via GA') ? 'target missed' : 'target met'}).** Against an upstream that`,
      'answers the beta path with the live 404, a `RealtimeApi` whose first call fell back (the default',
      "`betaEndpoints: 'fallback'`; the client remembers the retirement, so each measured call is one",
      `\`POST /realtime/client_secrets\` plus the translation both ways) takes ${list} the time of raw fetch`,
      `POSTing the same GA body (concurrency ${levels.join(' / ')}; target ≤ 1.05×; section 1, second table). A sequential`,
      `raw fetch to the GA path takes ${us('percall.c1.rawGaUs')} here.${
        has('translate.perCallUs')
          ? ` The translation itself is ${us('translate.perCallUs', 1)} of CPU per call (section 8).`
          : ''
      }`,
      '',
    );
  }
  if (has('translate.perCallUs')) {
    const rawUs = facts['percall.c1.rawGaUs'] ?? facts['percall.c1.rawUs'];
    out.push(
      `**Translation CPU (section 8, no target).** \`toGaRequest\` + \`fromGaResponse\` cost ${us('translate.perCallUs', 1)} per call for`,
      `section 1's request (${us('translate.toGaUs', 1)} out, ${us('translate.fromGaUs', 1)} back) and ${us('translate.perCallFullUs', 1)} for a request that sets`,
      `every mapped field, in hot loops. For scale: \`JSON.parse\` of the GA answer, which every call does`,
      `anyway, takes ${us('translate.parseUs', 1)} (the translation is ${x('translate.perCallVsParse')} that in the same rounds), and \`JSON.stringify\` of the GA request ${us('translate.stringifyUs', 1)}${
        Number.isFinite(rawUs)
          ? `; a sequential raw fetch call takes ${rawUs.toFixed(0)} µs, so the translation is ${((facts['translate.perCallUs'] / rawUs) * 100).toFixed(2)} % of it`
          : ''
      }.`,
      '',
    );
  }
  const cpu = (name: string): string => `cpu.${name}.deltaUs`;
  if (has(cpu(CPU_SDK))) {
    const sdk = facts[cpu(CPU_SDK)];
    const timer = facts[cpu('+ AbortController, setTimeout, clearTimeout')];
    const rest = sdk - timer;
    out.push(
      `What it costs (7b, CPU only, no network): the SDK adds ${sdk.toFixed(0)} µs per call over a bare stub fetch`,
      `(\`${CPU_BASELINE}\`). Of that, the per-attempt timeout (AbortController + setTimeout + clearTimeout) is`,
      `${timer.toFixed(0)} µs (the controller alone ${us(cpu('+ AbortController only'))}); ${
        rest >= 5
          ? `the SDK's own work (plain-object check, call settings, URL, size-capped read, JSON-object check, request id) makes up the rest, about ${rest.toFixed(0)} µs`
          : "the timeout accounts for all of it: the SDK's own work (plain-object check, call settings, URL, size-capped read, JSON-object check, request id) is within the noise"
      }.`,
      `openai adds ${us(cpu('openai (whole SDK)'))}. For reference, openapi-fetch's own \`client.POST\` (a \`createClient<paths>()\``,
      `with its defaults) adds ${us(cpu(CPU_OPENAPI_FETCH_REFERENCE))} over the same stub: what the typed layer would cost if it ran at runtime.`,
      `In the previous run, before the change (see Fixes), the SDK added ${BEFORE.sdkCpuUs} µs, and openapi-fetch's client as the`,
      `SDK had configured it (no DOM \`Request\`, measured on its own) ${BEFORE.createClientCpuUs} µs.`,
      "(Per-round differences of a few µs are within this machine's noise; see the min–max in 7b.)",
      '',
    );
  }
  if (has('profile.c1.sdkCpuUs')) {
    out.push(
      `In the sampled profile (7c, c=1, over the network) the SDK's process spends ${us('profile.c1.sdkCpuUs')} of CPU per call`,
      `against raw fetch's ${us('profile.c1.rawCpuUs')} (garbage collector: ${facts['profile.c1.gcExtraUs'] >= 0 ? '+' : ''}${us('profile.c1.gcExtraUs', 1)} against raw fetch); openapi-fetch's`,
      `code takes ${us('profile.c1.openapiFetchUs', 1)} of it (none runs since the URL is the base URL and the path). The functions behind the difference are listed in 7c.`,
      '',
    );
  }
  if (has('ablation.c1.raw fetch + redirect: error.ratio')) {
    // Per-round ratios swing by several % on a shared 2-core machine: call 5 % noise at least.
    const noise = has('percall.c1.noise') ? Math.max(Math.abs(1 - facts['percall.c1.noise']), 0.05) : 0.05;
    const effect = (key: string): string => {
      const r = facts[key];
      if (!Number.isFinite(r)) return 'n/a';
      const word = r > 1 + noise ? 'slower' : r < 1 - noise ? 'faster' : 'within the noise';
      return `${r.toFixed(2)}× raw fetch, ${word}`;
    };
    out.push(
      'Over the network (7a), one ingredient at a time against raw fetch in the same rounds:',
      `- the timeout signal: ${effect('ablation.c1.raw fetch + timeout signal.ratio')} at c=1, ${effect('ablation.c64.raw fetch + timeout signal.ratio')} at c=64. What it`,
      '  costs is undici linking every signal it is given (it raises the max listeners, adds an abort',
      '  listener and registers it with a FinalizationRegistry) plus the controller and timer (7b);',
      `- \`redirect: 'error'\`: ${effect('ablation.c1.raw fetch + redirect: error.ratio')} at c=1, ${effect('ablation.c64.raw fetch + redirect: error.ratio')} at c=64. With the`,
      "  default `redirect: 'follow'` undici clones every request before sending it (fetch spec,",
      '  HTTP-network-or-cache fetch, step 8), and cloning tees the request body into two new web',
      "  streams; Node 20's web streams are costly to create (`makeTransferable` in 7c);",
      `- both: ${effect('ablation.c1.raw fetch + timeout signal + redirect: error.ratio')} at c=1, ${effect('ablation.c64.raw fetch + timeout signal + redirect: error.ratio')} at c=64.`,
      '',
    );
  }

  // Bundle.
  if (has('bundle.brotli')) {
    const verdict = (prefix: string): string => (missed(prefix) ? 'missed' : 'met');
    // size-limit's count is the gate's; this bench's esbuild build differs by a few dozen bytes.
    const count = (limit: string, ours: string, gate?: string): string =>
      has(limit)
        ? `${bytes(limit)} brotli by size-limit's count (${gate && has(gate) ? `gate ${bytes(gate)}; ` : ''}this bench's esbuild build: ${bytes(ours)})`
        : `${bytes(ours)} brotli in this bench's esbuild build (size-limit did not run)`;
    const gaOverInOurBuild =
      has('bundle.gaSizeLimit') && facts['bundle.gaBrotli'] > 3600
        ? ` (size-limit's count is within it; this bench's own build is ${Math.round(facts['bundle.gaBrotli'] - 3600)} B over)`
        : '';
    const gaSizeLimit = count('bundle.gaSizeLimit', 'bundle.gaBrotli');
    const sizeLimit = count('bundle.sizeLimit', 'bundle.brotli', 'bundle.sizeLimitGate');
    const sessionMissed = missed('bundle (createRealtimeSession only');
    out.push(
      `**Bundle (GA call: target ${verdict('bundle (createRealtimeClientSecret only), brotli')}; beta call: target ${sessionMissed ? 'missed' : 'met'}).** The app importing only`,
      `\`createRealtimeClientSecret\` is ${gaSizeLimit}, against a budget of 3,600 B${gaOverInOurBuild}, and carries ${
        facts['bundle.translationInGa'] === 0
          ? 'none of the beta ↔ GA translation'
          : '**part of the beta ↔ GA translation**'
      }.`,
      `The app importing only \`createRealtimeSession\` is ${sizeLimit}: ${sessionMissed ? '**over**' : 'within'} its 4,600 B target.`,
      'Since the beta endpoint was retired it carries the fallback to `POST /realtime/client_secrets` and',
      `the translation both ways: ${bytes('bundle.sessionOverGaBrotli')} brotli more than the GA app. Of that, the translation`,
      `(src/client/beta-translate.ts, ${bytes('bundle.translateMinified')} minified) is about ${bytes('bundle.translateBrotli')} brotli and the fallback`,
      `(src/client/beta-fallback.ts) ${bytes('bundle.fallbackMinified')} minified; section 3 splits both apps file by file.`,
      `The same app with openai: ${bytes('bundle.openaiBrotli')}. In the run before the request-path change (and before the`,
      `fallback existed) the session app was ${BEFORE.bundleBrotli.toLocaleString('en-US')} B (size-limit: ${BEFORE.sizeLimit}), ${BEFORE.openapiFetchMinified.toLocaleString('en-US')} B of it minified openapi-fetch:`,
      '`createClient` reaches every HTTP verb, the query/path serializers and the middleware loop. Now',
      '`RealtimeApi` and the standalone functions both call the request path (`post`, src/client/request.ts)',
      `directly, and openapi-fetch contributes ${bytes('bundle.openapiFetchMinified')} of the session app's ${bytes('bundle.fromSrcMinified')} minified (built from src/): none since the URL became the base URL and the path.`,
      '',
    );
  }

  // Handler.
  if (has('handler.ratio')) {
    const met = facts['handler.ratio'] >= 0.9 && facts['handler.bad'] === 0;
    out.push(
      `**Token handler (${met ? 'target met' : 'target missed'}).** \`createSessionHandler\` behind \`toNodeHandler\` serves ${x('handler.ratio')} the`,
      'requests per second of the bare proxy.',
    );
    if (has('handler.sdkCpuUs')) {
      out.push(
        `Its server process spends ${us('handler.sdkCpuUs')} of CPU per request against the bare proxy's ${us('handler.bareCpuUs')}`,
        "(section 6 profile). `toNodeHandler` calls the handler's transport-neutral core directly (no",
        'Fetch `Request`/`Response`, no web streams), so what remains is the client call',
        `(\`createRealtimeSession\`: the request path, the timeout controller and undici's \`fetch\`, which the bare`,
        `proxy also runs) ${us('handler.inc.createRealtimeSession')}, \`json()\` ${us('handler.inc.json')}, and ${us('handler.gcExtraUs')} of extra garbage collection per request.`,
      );
    }
    out.push(
      'Syscalls are not the difference (checked once with `strace -c` while writing the bench, not per',
      'run): both servers make one `writev` and about one `read` per request on each side. On 2 cores the server shares the CPU with autocannon',
      'and the upstream, so throughput follows the CPU per request of all three processes, and runs',
      'of a few seconds are noisy (see the min–max).',
      '',
    );
  }

  // Browser connect and the calls route (section 9).
  const msWhole = (key: string): string => (has(key) ? `${facts[key].toFixed(0)} ms` : 'n/a');
  if (has('connect.ratio')) {
    out.push(
      `**Browser connect (${missed('time to connected') ? 'target missed' : 'target met'}).** With ${msWhole('connect.delayMs')} added to every upstream round trip, Chromium`,
      `reaches \`connected\` in ${msWhole('connect.oneStepMs')} through the calls route and in ${msWhole('connect.twoStepMs')} with an ephemeral key`,
      `(${x('connect.ratio')}; ${msWhole('connect.savedMs')} saved per connection, median of the rounds). The two-step flow pays the token`,
      `route's own round trip to the upstream${facts['connect.crossOrigin'] === 1 ? ' and the CORS preflight of its cross-origin POST' : ''} before its offer can go; fetching the token`,
      `while the offer is made (${msWhole('connect.overlappedMs')}) can hide only what the microphone and the offer take (${msWhole('connect.offerMs')}),`,
      `so one-step is still ${x('connect.ratioOverlapped')} of that. ICE and DTLS run at loopback speed here: against OpenAI they add`,
      "the same round trips to the media server to every flow (the ratio moves toward 1), and the page's own TLS connection to",
      'api.openai.com adds one or two to the two-step flows only (the saving in ms grows).',
      '',
    );
  } else if (has('connect.twoStepMs')) {
    out.push(
      `**Browser connect (not measured).** The two-step flow reaches \`connected\` in ${msWhole('connect.twoStepMs')}; the built package has no calls mode to compare it with.`,
      '',
    );
  }
  if (has('sdp.throughputRatio')) {
    out.push(
      `**Calls route (throughput ${missed('calls route throughput') ? 'target missed' : 'target met'}, latency ${missed('calls route latency') ? 'target missed' : 'target met'}).** Against a fixed-answer upstream the route serves`,
      `${x('sdp.throughputRatio')} the requests per second of a bare proxy that writes its multipart body as one string, and`,
      `${x('sdp.throughputRatioFormData')} those of the FormData proxy OpenAI's guide writes (section 9b). Against the stand-in, where a real werift`,
      `peer answers every offer, one request at a time takes ${x('sdp.latencyRatio')} the floor's time (${has('sdp.latencyExtraMs') ? `${Math.abs(facts['sdp.latencyExtraMs']).toFixed(2)} ms ${facts['sdp.latencyExtraMs'] >= 0 ? 'more' : 'less'}` : 'n/a'}, median of`,
      'the rounds). Both make exactly one upstream request per offer, so what the route adds is CPU: its checks,',
      'the size cap and the body deadline, the SDK request path (timeout signal, size-capped read), and the answer.',
      '',
    );
  }

  // Memory and cold start.
  if (has('memory.slope')) {
    out.push(
      `**Memory (${missed('heap growth') ? 'target missed' : targets.some((t) => t.name.startsWith('heap growth') && t.met) ? 'target met' : 'no verdict in a quick run'}).** Over ${facts['memory.calls'].toLocaleString('en-US')} calls heapUsed has a slope of ${facts['memory.slope'].toFixed(3)} B/call`,
      `(${facts['memory.growthKb'] >= 0 ? '+' : ''}${facts['memory.growthKb'].toFixed(1)} KB from the post-warm-up heap to the last sample); the raw fetch control`,
      `run has ${has('memory.controlSlope') ? facts['memory.controlSlope'].toFixed(3) : 'n/a'} B/call. Swings of a few hundred KB between samples come from the runtime`,
      '(undici connection and stream state, V8 heap sizing), not from the SDK.',
      '',
    );
  }
  if (has('cold.importMs')) {
    const cold = (name: string): string => {
      const met = targets.find((t) => t.name === name)?.met;
      return met === undefined ? 'not measured' : met ? 'met' : 'missed';
    };
    out.push(
      `**Cold start (≤ 1.6× an empty module: ${cold('cold import of dist/index.js over an empty module')}; < 10 ms: ${cold('cold import of dist/index.js')}).**`,
      `\`import\` of dist/index.js takes ${facts['cold.importMs'].toFixed(1)} ms in a fresh process`,
      `(openai: ${ms('cold.openaiImportMs')}), ${x('cold.importOverFloor')} the import of an empty module file in the same run (${ms('cold.floorMs')},`,
      "the ESM loader's first file import; target ≤ 1.6×). openapi-fetch imported on its own takes",
      `${ms('cold.openapiFetchMs')}; the package never loads it: no openapi-fetch code runs (the URL is the base URL and`,
      'the path; openapi-fetch stays a dependency for its types), and each ESM',
      'entry is one file, with no shared chunk to resolve and read. The rest is compiling dist/index.js,',
      'which also carries the handler code since `createSessionHandler` is exported from the main entry.',
      '',
    );
  }

  // Fixes.
  const ablation = (c: number, name: string): string => x(`ablation.c${c}.${name}.ratio`);
  out.push(
    '### Fixes',
    '',
    "1. **Applied: redirects are refused** (`redirect: 'error'`, `'manual'` on workerd), which spares undici",
    '   cloning the request and teeing its body on every call (7a), and keeps the pinned body from ever',
    '   reaching a redirect target.',
    '2. **Applied: one request path that calls `fetch` directly** (src/client/request.ts, commit 2cbb793). Every',
    '   operation is one call to `post(options, path, body, requestOptions)`: argument checks, per-attempt',
    '   timeout, retries, size cap, error mapping and secret scrubbing, then `fetch` itself. `RealtimeApi`',
    '   and the standalone functions both call it, so an app importing one function bundles neither the',
    '   class nor the other operations. openapi-fetch stays as the typed layer (src/client/contract.ts:',
    '   `ClientPathsWithMethod`, `RequestBodyOption` and `FetchResponse` over the generated `paths`) and',
    '   (the URL is the base URL and the path); `createClient`, its `#send` fetch and the `PreparedRequest`',
    '   stand-in are gone. Its effect in this run is in the CPU and bundle findings above.',
    '3. **Applied: `toNodeHandler` skips Request/Response for the session handler** (src/handler/index.ts,',
    '   src/node.ts): the handler exposes a transport-neutral core under a private symbol, and the node',
    '   adapter reads the body into a Buffer under the same limit and answers with `res.writeHead` +',
    '   `res.end`; any other Fetch handler keeps the generic path.',
    '',
    'With fixes 1 and 2 the SDK\'s network path is the "raw fetch + timeout signal + redirect: error" row of',
    `7a plus the SDK's own work (7b): in 7a that row runs at ${ablation(1, 'raw fetch + timeout signal + redirect: error')} / ${ablation(64, 'raw fetch + timeout signal + redirect: error')} raw fetch (c=1 / c=64)`,
    `and \`createRealtimeSession\` at ${ablation(1, 'createRealtimeSession')} / ${ablation(64, 'createRealtimeSession')}. What remains per call is the timeout signal, which`,
    "the SDK keeps on purpose (it bounds every attempt), and the SDK's own checks; 7b gives each its CPU.",
  );
  return out.join('\n');
}
