// The servers the Prism contract suites run against: a stand-in upstream and three Prism instances
// serving the pinned fragment as a mock, a copy of it with a defect re-inserted as a mock (the
// control group), and the pinned fragment as a validating proxy in front of the stand-in.
//
//   const servers = await startContractServers(defectiveSpecText);
//   await contractClient(servers.mock, API_KEY).createRealtimeSession({});
//   await servers.close();
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPrism, type Prism } from '../../scripts/lib/prism.js';
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
    const standIn = await startStandIn();
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

/** A client for `prism` that neither retries nor waits long. */
export function contractClient(prism: Prism, apiKey: string): RealtimeApi {
  return new RealtimeApi({ apiKey, baseUrl: prism.baseUrl, maxRetries: 0, timeoutMs: 10_000 });
}
