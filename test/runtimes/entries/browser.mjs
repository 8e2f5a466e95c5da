// Chromium: the harness serves this file at /matrix/<key>/ beside scenario.mjs and the package's
// dist/ files, with an import map for `realtime-sessions` only (see harness.ts: the build bundles
// openapi-fetch), so the imports below are URL-relative as served, not file paths. Steps 1-4 only: a page serves no HTTP.
import { runScenario } from './scenario.mjs';

const config = JSON.parse(decodeURIComponent(location.hash.slice(1)));
// The user agent says only "156.0.0.0"; the full version needs a high-entropy client hint.
const hints = await navigator.userAgentData?.getHighEntropyValues(['uaFullVersion']);

const line = await runScenario({
  runtime: config.runtime,
  version: `chromium ${hints?.uaFullVersion ?? navigator.userAgent}`,
  config,
  load: () => import('realtime-sessions'),
});
console.log(line);
globalThis.__line = line;
