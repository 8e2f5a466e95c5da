// Starts Prism on 127.0.0.1 serving the pinned fragment, as a mock or as a validating proxy in
// front of a stand-in, and stops it cleanly. Used by `npm start` and the contract tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { FRAGMENT, ROOT } from './project.js';

export interface Prism {
  /** Base URL to use as the SDK's `baseUrl` (the fragment's paths start at /realtime). */
  baseUrl: string;
  output(): string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrism(
  options: { mode: 'mock' } | { mode: 'proxy'; upstream: string },
  spec = FRAGMENT,
): Promise<Prism> {
  const port = await freePort();
  const args = [options.mode, '-h', '127.0.0.1', '-p', String(port), '--errors', spec];
  if (options.mode === 'proxy') args.push(options.upstream);
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js'), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 30_000;
  while (!/Prism is listening/.test(log)) {
    if (child.exitCode !== null) throw new Error(`Prism exited before listening:\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Prism did not start within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => log,
    close: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
