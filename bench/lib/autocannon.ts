// autocannon in its own process (the load generator must not share a process with what it loads):
// POSTs `body` at `connections` in flight for `seconds`, and reads its --json summary.
import path from 'node:path';
import { ROOT } from './build.js';
import { exec } from './procs.js';

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

export interface AutocannonRun {
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, errors and timeouts. */
  bad: number;
  total: number;
}

export interface AutocannonLoad {
  seconds: number;
  connections: number;
  contentType: string;
  body: string;
}

export async function autocannon(url: string, load: AutocannonLoad): Promise<AutocannonRun> {
  const { seconds, connections, contentType, body } = load;
  const result = await exec(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js'),
      '-c',
      String(connections),
      '-d',
      String(seconds),
      '-m',
      'POST',
      '-H',
      `content-type=${contentType}`,
      '-b',
      body,
      '--json',
      url,
    ],
    { cwd: ROOT, timeoutMs: (seconds + 30) * 1000 },
  );
  if (result.code !== 0) throw new Error(`autocannon failed (${result.code}): ${result.stderr.slice(-1000)}`);
  const json = JSON.parse(result.stdout) as AutocannonJson;
  return {
    rps: json.requests.total / json.duration,
    p50: json.latency.p50,
    p99: json.latency.p99,
    bad: json.non2xx + json.errors + json.timeouts,
    total: json.requests.total,
  };
}
