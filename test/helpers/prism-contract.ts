// The servers the Prism contract suites run against: a stand-in upstream and three Prism instances
// serving the pinned fragment as a mock, a copy of it with a defect re-inserted as a mock (the
// control group), and the pinned fragment as a validating proxy in front of the stand-in (serving
// the old beta contract, so every operation in the fragment mints).
//
//   const servers = await startContractServers(defectiveSpecText);
//   await contractClient(servers.mock, API_KEY).createRealtimeSession({});
//   await servers.close();
//
// or, for a whole suite, useContractServers((pinned) => withDefect(pinned), (s) => (servers = s)).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startPrism, type Prism } from '../../scripts/lib/prism.js';
import { FRAGMENT } from '../../scripts/lib/project.js';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { RealtimeApi } from '../../src/index.js';

export interface ContractServers {
  /** Prism mocking the pinned fragment. */
  mock: Prism;
  /** Prism mocking `defectiveSpecText`. */
  defective: Prism;
  /** Prism validating against the pinned fragment, proxying to `standIn`. */
  proxy: Prism;
  standIn: StandIn;
  /** Stops every server and removes the defective spec; safe after a partial start. */
  close(): Promise<void>;
}

/** Starts the stand-in and the three Prism instances; `defectiveSpecText` is the control group's spec. */
export async function startContractServers(defectiveSpecText: string): Promise<ContractServers> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'prism-contract-'));
  const started: { close(): Promise<unknown> }[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(started.map((s) => s.close()));
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    const defectiveSpec = path.join(tmp, 'realtime-nullable-anyof.yaml');
    await writeFile(defectiveSpec, defectiveSpecText);
    // The suites check the pinned fragment's operations, the beta ones included, against a server
    // that serves them all: the stand-in's beta contract (the live-like default answers the beta
    // paths 404, which the fragment does not describe).
    const standIn = await startStandIn({ beta: true });
    started.push(standIn);
    const prisms = await Promise.allSettled([
      startPrism({ mode: 'mock' }),
      startPrism({ mode: 'mock' }, defectiveSpec),
      startPrism({ mode: 'proxy', upstream: standIn.origin }),
    ]);
    for (const p of prisms) if (p.status === 'fulfilled') started.push(p.value);
    const failed = prisms.find((p) => p.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [mock, defective, proxy] = prisms.map((p) => (p as PromiseFulfilledResult<Prism>).value);
    return { mock, defective, proxy, standIn, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Starts the servers before the suite (handing them to `assign`) and closes them after it. The
 * control group's spec is `defective(pinned)`, a copy of the pinned fragment's text with a defect
 * put back.
 */
export function useContractServers(
  defective: (pinned: string) => string,
  assign: (servers: ContractServers) => void,
): void {
  let servers: ContractServers | undefined;
  beforeAll(async () => {
    servers = await startContractServers(defective(await readFile(FRAGMENT, 'utf8')));
    assign(servers);
  });
  afterAll(async () => {
    await servers?.close();
  });
}

/** A client for `prism` that neither retries nor waits long. */
export function contractClient(prism: Prism, apiKey: string): RealtimeApi {
  return new RealtimeApi({ apiKey, baseUrl: prism.baseUrl, maxRetries: 0, timeoutMs: 10_000 });
}
