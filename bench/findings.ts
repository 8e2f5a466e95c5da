// The "Findings" section of RESULTS.md: what the numbers of THIS run say, why, and the proposed
// fixes in src/. The explanations are fixed text (they come from reading the profiles and the
// code); every figure is taken from the run's own measurements, so a re-run stays consistent.
import type { Target } from './lib/report.js';

type Facts = Record<string, number>;

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
  if (has('cpu.createRealtimeSession (whole SDK).deltaUs')) {
    const sdk = facts['cpu.createRealtimeSession (whole SDK).deltaUs'];
    const oaf = facts['cpu.openapi-fetch POST, configured as the SDK does.deltaUs'];
    const timer = facts['cpu.+ AbortController, setTimeout, clearTimeout.deltaUs'];
    out.push(
      `What it costs (7b, CPU only, no network): the SDK adds ${sdk.toFixed(0)} µs per call over a bare stub fetch.`,
      `The layers measured one at a time: openapi-fetch ${oaf.toFixed(0)} µs, the per-attempt timeout (AbortController +`,
      `setTimeout + clearTimeout) ${timer.toFixed(0)} µs (the controller alone ${us('cpu.+ AbortController only.deltaUs')}); ${
        sdk - oaf - timer >= 5
          ? `the SDK's own checks (plain-object check, size-capped read, JSON-object check, request id) make up the rest, about ${(sdk - oaf - timer).toFixed(0)} µs`
          : "these two account for all of it: the SDK's own checks (plain-object check, size-capped read, JSON-object check, request id) are within the noise"
      }. The`,
      `same logic calling fetch directly (row "proposed") adds ${us('cpu.proposed: SDK path without openapi-fetch.deltaUs')}; openai adds ${us('cpu.openai (whole SDK).deltaUs')}.`,
      "(Per-round differences of a few µs are within this machine's noise; see the min–max in 7b.)",
      '',
      'What openapi-fetch does per call, although the SDK already spares it a DOM `Request`: its',
      '`coreFetch` builds two `Headers` objects (`mergeHeaders` runs once for the body serializer and',
      "once for the final headers) which the SDK's `#send` then ignores in favour of its own header",
      'record; it spreads the options into new objects, constructs the `PreparedRequest`, copies `init`',
      'keys onto it with `for…in`, and adds async frames (`POST` → `coreFetch` → `#send`). All of it',
      `is allocation: in the sampled profile (7c) the SDK's extra garbage-collector time is ${us('profile.c1.gcExtraUs')} per call.`,
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
    const over = facts['bundle.brotli'] >= 4000;
    out.push(
      `**Bundle (${over ? 'target missed' : 'target met'}).** The app importing only \`createRealtimeSession\` is ${bytes('bundle.brotli')} brotli.`,
      `openapi-fetch contributes ${bytes('bundle.openapiFetchMinified')} of the minified bundle: its \`createClient\` reaches`,
      'every HTTP verb, the query/path serializers and the middleware loop, so none of it tree-shakes.',
      `Without it the same app is ${bytes('bundle.ownBrotli')} brotli${facts['bundle.ownBrotli'] < 4000 ? ', under the 4 kB budget' : ''}.`,
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
        `(\`createRealtimeSession\`: openapi-fetch, the timeout controller and undici's \`fetch\`, which the bare`,
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
    out.push(
      `**Cold start (${facts['cold.importMs'] < 10 ? 'target met' : 'target missed'}).** \`import\` of dist/index.js takes ${facts['cold.importMs'].toFixed(1)} ms in a fresh process`,
      `(openai: ${ms('cold.openaiImportMs')}). Importing an empty module file already takes ${ms('cold.floorMs')} (the ESM loader's`,
      `first file import), and openapi-fetch imported on its own ${ms('cold.openapiFetchMs')}; the SDK's own share is the`,
      'rest: compiling dist/index.js, which also carries the handler code since `createSessionHandler`',
      'is exported from the main entry.',
      '',
    );
  }

  // Proposed fixes.
  out.push(
    '### Fixes',
    '',
    "1. **Applied: redirects are refused** (`redirect: 'error'`, `'manual'` on workerd), which spares undici",
    '   cloning the request and teeing its body on every call (7a), and keeps the pinned body from ever',
    '   reaching a redirect target.',
    '2. **Proposed, not applied: call `fetch` directly instead of through openapi-fetch** (src/client.ts; the',
    '   project keeps openapi-fetch as its typed layer by design, so this needs that decision). Have `#request`',
    "   call `#send` itself with `{ url: sessionsUrl, method: 'POST', body: serializeJson(body), signal,",
    '   attempt }` (the URL joined once in the constructor) and read the 2xx text there',
    '   (`response.text()` on the known-length path, `readText` otherwise), instead of going',
    '   `call` → `#postSession` → `client.POST` → `coreFetch` → `#send`; then delete `createClient`,',
    '   `#client`, `#postSession` and `PreparedRequest`. Path and body stay checked at compile time with',
    '   a type-only import of `paths` from generated/openapi.ts (e.g. the request type',
    "   `paths['/realtime/sessions']['post']['requestBody']['content']['application/json']`). This removes the",
    '   openapi-fetch CPU of 7b from every call and openapi-fetch from the bundle (the "left out" row',
    '   of section 3); `openapi-fetch` then leaves `dependencies` (a package.json change for the lead).',
    '3. **Applied: `toNodeHandler` skips Request/Response for the session handler** (src/handler.ts,',
    '   src/node.ts): the handler exposes a transport-neutral core under a private symbol, and the node',
    '   adapter reads the body into a Buffer under the same limit and answers with `res.writeHead` +',
    '   `res.end`; any other Fetch handler keeps the generic path.',
    '',
    'Fixes 1 and 2 together correspond to the "raw fetch + timeout signal + redirect: error" row of',
    '7a plus the SDK\'s own checks (the "proposed" row of 7b).',
  );
  return out.join('\n');
}
