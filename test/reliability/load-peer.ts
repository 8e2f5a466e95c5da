// The far side of the load test, in its own process (forked by load-runner.ts, IPC channel), so the
// process under test runs only the token route:
//   - the upstream: answers POST /v1/realtime/sessions with a session tagged with the request's id
//     (its `instructions` field), failing the calls the seeded plan in load-shared.ts says fail, and
//     recording, per id, the outcome letters of every call it received;
//   - the client: on `{ type: 'run' }` it sends the requests to the handler with a keep-alive
//     http.Agent at fixed concurrency and reports, per request, answers, status and latency.
// Not a test file.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LETTER, outcomeFor } from './load-shared.js';

// ---- Upstream --------------------------------------------------------------------------------------

const history = new Map<string, string>();
let calls = 0;
let connections = 0;

const upstream = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    calls++;
    let id = 'unknown';
    try {
      id = String(
        (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { instructions?: unknown }).instructions,
      );
    } catch {
      // Counted under 'unknown', which the runner treats as a mismatch.
    }
    const previous = history.get(id) ?? '';
    const outcome = outcomeFor(id, previous.length);
    if (!id.startsWith('warm:')) history.set(id, previous + LETTER[outcome]);
    if (outcome === 'reset') {
      res.socket?.destroy();
      return;
    }
    const body =
      outcome === '500'
        ? JSON.stringify({ error: { message: 'injected failure', type: 'server_error' } })
        : JSON.stringify({
            id: `sess_${id}`,
            object: 'realtime.session',
            model: 'gpt-realtime',
            client_secret: { value: `ek_${id}`, expires_at: 2_000_000_000 },
          });
    res.writeHead(outcome === '500' ? 500 : 200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...(outcome === '500' ? { 'retry-after-ms': '10' } : {}),
    });
    res.end(body);
  });
});
upstream.keepAliveTimeout = 30_000;
upstream.on('connection', () => void connections++);

// ---- Client ----------------------------------------------------------------------------------------

interface RunMessage {
  type: 'run';
  port: number;
  prefix: string;
  count: number;
  concurrency: number;
}

async function drive({ port, prefix, count, concurrency }: RunMessage) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const answers = new Array<number>(count).fill(0);
  const statuses = new Array<number>(count).fill(0);
  const latencies = new Array<number>(count).fill(0);
  const crossTalk: number[] = [];
  const clientErrors: number[] = [];

  const send = (id: string): Promise<{ status: number; body: string }> => {
    const payload = JSON.stringify({ instructions: id });
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/session',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'x-load-id': id,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  };

  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const id = `${prefix}:${i}`;
      const t = performance.now();
      try {
        const { status, body } = await send(id);
        answers[i]!++;
        statuses[i] = status;
        latencies[i] = performance.now() - t;
        if (status === 200) {
          const secret = (JSON.parse(body) as { client_secret?: { value?: string } }).client_secret?.value;
          if (secret !== `ek_${id}`) crossTalk.push(i);
        }
      } catch {
        clientErrors.push(i);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const durationMs = performance.now() - started;
  // Closing the client side: the server must then see every socket go away.
  agent.destroy();
  return { durationMs, answers, statuses, latencies, crossTalk, clientErrors };
}

// ---- IPC ---------------------------------------------------------------------------------------------

upstream.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (upstream.address() as AddressInfo).port });
});

process.on('message', (message: { type: string } & Partial<RunMessage>) => {
  if (message.type === 'run') {
    void drive(message as RunMessage).then((result) => process.send!({ type: 'ran', ...result }));
  } else if (message.type === 'report') {
    process.send!({ type: 'report', calls, connections, history: [...history] }, () => {
      upstream.closeAllConnections();
      upstream.close(() => process.exit(0));
    });
  }
});
process.on('disconnect', () => process.exit(0));
