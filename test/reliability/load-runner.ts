// The load run, in a child process of load.test.ts (`node --expose-gc --import tsx`), so that it has
// `gc()` for the heap check and no vitest overhead. This process runs only the code under test:
// createSessionHandler served through toNodeHandler on node:http. The upstream and the keep-alive
// client live in a peer process (load-peer.ts), so they do not compete with the handler for its core.
// Prints one line, `LOAD_RESULT {json}`. Not a test file.
//
//   node --expose-gc --import tsx test/reliability/load-runner.ts [requests] [concurrency]
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSessionHandler } from '../../src/index.js';
import { toNodeHandler } from '../../src/adapters/node.js';
import { FAULT_RATE, LETTER, outcomeFor } from './load-shared.js';

const REQUESTS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 64);
const WARMUP = 1_000;
const MAX_RETRIES = 2;
const GUARD_MS = 100_000;

const guard = setTimeout(() => {
  console.error(`load-runner: gave up after ${GUARD_MS} ms`);
  process.exit(2);
}, GUARD_MS);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

async function collect(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

interface Ran {
  durationMs: number;
  answers: number[];
  statuses: number[];
  latencies: number[];
  crossTalk: number[];
  clientErrors: number[];
}

interface Report {
  calls: number;
  connections: number;
  history: [string, string][];
}

// ---- Peer process: upstream + client ----------------------------------------------------------------

const peer = fork(new URL('./load-peer.ts', import.meta.url), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
peer.once('exit', (code) => {
  if (code !== 0) {
    console.error(`load-runner: the peer exited with ${code}`);
    process.exit(3);
  }
});

function ask<T>(message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string }): void => {
      if (m.type !== reply) return;
      peer.off('message', onMessage);
      resolve(m as T);
    };
    peer.on('message', onMessage);
    if (Object.keys(message).length > 0) peer.send(message);
  });
}

const { port: upstreamPort } = await ask<{ port: number }>({}, 'ready');

// ---- The token route under test ----------------------------------------------------------------------

const handler = createSessionHandler({
  endpoint: 'sessions',
  apiKey: 'sk-load-0123456789abcdef',
  baseUrl: `http://127.0.0.1:${upstreamPort}/v1`,
  maxRetries: MAX_RETRIES,
  timeoutMs: 10_000,
  session: { model: 'gpt-realtime' },
  // The request id rides in a field the browser may set, so the upstream sees it.
  allowFromClient: ['instructions'],
});
const server = createServer(toNodeHandler(handler));
const serverSockets = new Set<Socket>();
let serverConnections = 0;
server.on('connection', (socket: Socket) => {
  serverConnections++;
  serverSockets.add(socket);
  socket.once('close', () => serverSockets.delete(socket));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;

const run = (prefix: string, count: number): Promise<Ran> =>
  ask<Ran>({ type: 'run', port, prefix, count, concurrency: CONCURRENCY }, 'ran');

// Warm-up (JIT, sockets, pools), not counted; the upstream never fails `warm:` ids.
await run('warm', WARMUP);
for (let i = 0; serverSockets.size > 0 && i < 500; i++)
  await new Promise((resolve) => setTimeout(resolve, 10));
const connectionsBefore = serverConnections;
const heapStart = await collect();

const ran = await run('load', REQUESTS);

// The client has closed its agent: every server socket must go away by itself.
const closeStart = performance.now();
while (serverSockets.size > 0 && performance.now() - closeStart < 5_000) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
const openServerSockets = await new Promise<number>((resolve) =>
  server.getConnections((error, n) => resolve(error ? -1 : n)),
);
const heapEnd = await collect();

// ---- The upstream's account, checked against the seeded plan ------------------------------------------

const report = await ask<Report>({ type: 'report' }, 'report');
const history = new Map(report.history);

let lost = 0;
let duplicated = 0;
let unexpectedStatus = 0;
let planMismatch = 0;
let successes = 0;
let exhausted = 0;
let failedCalls = 0;
let loadCalls = 0;
let resets = 0;
for (let i = 0; i < REQUESTS; i++) {
  const id = `load:${i}`;
  if (ran.answers[i] === 0) lost++;
  if (ran.answers[i]! > 1) duplicated++;
  // The plan: attempts until the first success, at most MAX_RETRIES + 1.
  let planned = '';
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
    const outcome = outcomeFor(id, attempt);
    planned += LETTER[outcome];
    if (outcome === 'ok') break;
  }
  const seen = history.get(id) ?? '';
  if (seen !== planned) planMismatch++;
  const expectedStatus = planned.endsWith('O') ? 200 : 502;
  if (ran.statuses[i] !== expectedStatus) unexpectedStatus++;
  if (ran.statuses[i] === 200) successes++;
  if (ran.statuses[i] === 502) exhausted++;
  loadCalls += seen.length;
  failedCalls += seen.replace(/O/g, '').length;
  resets += seen.replace(/[^R]/g, '').length;
}

const sorted = Float64Array.from(ran.latencies).sort();
const percentile = (p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const ms = (value: number): number => Math.round(value * 10) / 10;

const result = {
  requests: REQUESTS,
  concurrency: CONCURRENCY,
  maxRetries: MAX_RETRIES,
  faultRate: FAULT_RATE,
  durationMs: Math.round(ran.durationMs),
  requestsPerSecond: Math.round(REQUESTS / (ran.durationMs / 1000)),
  successes,
  exhausted,
  lost,
  duplicated,
  crossTalk: ran.crossTalk.length,
  clientErrors: ran.clientErrors.length,
  unexpectedStatus,
  planMismatch,
  upstreamCalls: report.calls - WARMUP,
  upstreamCallsByHistory: loadCalls,
  failedCalls,
  resets,
  retries: loadCalls - REQUESTS,
  p50Ms: ms(percentile(50)),
  p99Ms: ms(percentile(99)),
  maxMs: ms(sorted[sorted.length - 1]!),
  heapStartMb: mb(heapStart),
  heapEndMb: mb(heapEnd),
  heapDeltaMb: mb(heapEnd - heapStart),
  serverConnections: serverConnections - connectionsBefore,
  openServerSockets,
  upstreamConnections: report.connections,
};
process.stdout.write(`LOAD_RESULT ${JSON.stringify(result)}\n`);

await new Promise<void>((resolve) => server.close(() => resolve()));
clearTimeout(guard);
