// A Node client for section 9b's latency rows, as a job: POSTs CHROMIUM_OFFER as application/sdp,
// one request at a time, to each of `urls` in turn, and reports each request's time from send to
// the whole answer read, per URL. The order of each turn cycles through every permutation, so a
// slow moment of the machine, and whatever one server's request leaves behind in the upstream for
// the next, hit every server alike. Every answer must be a 201 SDP answer, or the job fails.
//   BENCH_CONFIG = { urls, requests }   requests per URL
import { readConfig, runMain } from '../lib/child.js';
import { CHROMIUM_OFFER } from '../lib/sdp-fixtures.js';

interface Config {
  urls: string[];
  requests: number;
}

/** Every order of 0…n-1. */
function permutations(n: number): number[][] {
  if (n <= 1) return [[0].slice(0, n)];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]),
  );
}

runMain(async () => {
  const { urls, requests } = readConfig<Config>();
  const latenciesMs: number[][] = urls.map(() => []);
  const orders = permutations(urls.length);
  for (let r = 0; r < requests; r++) {
    for (const i of orders[r % orders.length]) {
      const t0 = performance.now();
      const res = await fetch(urls[i], {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: CHROMIUM_OFFER,
      });
      const text = await res.text();
      latenciesMs[i].push(performance.now() - t0);
      if (res.status !== 201 || !text.startsWith('v=0')) {
        throw new Error(`${urls[i]} answered ${res.status}: ${text.slice(0, 300)}`);
      }
    }
  }
  return { latenciesMs };
});
