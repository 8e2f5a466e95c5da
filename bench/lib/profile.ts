// V8 CPU profiles: recorded inside a child around the measured work only, then read back as self
// time per sample, grouped by where the code lives.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Starts the sampler behind `node --cpu-prof` in this process, through node:inspector so start-up
 * and warm-up stay out of the profile. The returned function stops it and writes the profile.
 */
export async function startProfiler(intervalUs: number): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async (file) => {
    try {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    } finally {
      session.disconnect();
    }
  };
}

/** Where the per-call job leaves a contender's profile for section 7c to read. */
export function profileFile(dir: string, contender: string, concurrency: number): string {
  return path.join(dir, `${contender.replace(/\W+/g, '_')}-c${concurrency}.cpuprofile`);
}

export const CATEGORIES = [
  'realtime-sessions (dist)',
  'openapi-fetch',
  'openai',
  'bench harness',
  'undici (fetch, Request, Headers, body)',
  'web streams / webidl',
  'node core (http, net, timers, events …)',
  'JS builtins & native (JSON, Promise …)',
  'garbage collector',
  'VM (program)',
] as const;
export type Category = (typeof CATEGORIES)[number] | 'idle';

export function categorize(frame: CpuProfileNode['callFrame']): Category {
  const { url, functionName } = frame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)' || functionName === '(root)') return 'VM (program)';
  if (/\/dist\/(index|node)\.(js|cjs)$/.test(url) || url.endsWith('/.build/sdk-handler.mjs')) {
    return 'realtime-sessions (dist)';
  }
  if (url.includes('/openapi-fetch/')) return 'openapi-fetch';
  if (url.includes('/node_modules/openai/')) return 'openai';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.includes('internal/deps/undici')) return 'undici (fetch, Request, Headers, body)';
  if (url.includes('internal/webstreams') || url.includes('internal/webidl')) return 'web streams / webidl';
  if (url.startsWith('node:')) return 'node core (http, net, timers, events …)';
  return 'JS builtins & native (JSON, Promise …)';
}

export interface Analysis {
  calls: number;
  /** CPU µs per call, by category (idle included separately). */
  byCategory: Map<Category, number>;
  /** Self µs per call by function key. */
  selfByFunction: Map<string, number>;
  /** Inclusive µs per call, by function key, SDK code only. */
  inclusiveSdk: Map<string, number>;
  cpuPerCall: number;
}

function key(frame: CpuProfileNode['callFrame']): string {
  const file = frame.url.includes('/node_modules/')
    ? frame.url.replace(/^.*\/node_modules\//, '')
    : frame.url.replace(/^.*\/(dist|bench)\//, '$1/');
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
}

export function analyze(profile: CpuProfile, calls: number): Analysis {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    // A sample lasts until the next one.
    const dt = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const byCategory = new Map<Category, number>();
  const selfByFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const c = categorize(frame);
    byCategory.set(c, (byCategory.get(c) ?? 0) + us / calls);
    const k = key(frame);
    selfByFunction.set(k, (selfByFunction.get(k) ?? 0) + us / calls);
  }
  // Inclusive time of SDK functions (each function counted once per stack, recursion-safe).
  const inclusiveSdk = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const c = categorize(frame);
      if (c !== 'realtime-sessions (dist)' && c !== 'openapi-fetch') continue;
      const k = key(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusiveSdk.set(k, (inclusiveSdk.get(k) ?? 0) + us / calls);
    }
  }
  let cpu = 0;
  for (const [c, us] of byCategory) if (c !== 'idle') cpu += us;
  return { calls, byCategory, selfByFunction, inclusiveSdk, cpuPerCall: cpu };
}

/** Self µs per call `ours` spends in each function beyond `base`. */
export function extraSelfTime(ours: Analysis, base: Analysis): Map<string, number> {
  const diff = new Map<string, number>();
  for (const k of new Set([...base.selfByFunction.keys(), ...ours.selfByFunction.keys()])) {
    diff.set(k, (ours.selfByFunction.get(k) ?? 0) - (base.selfByFunction.get(k) ?? 0));
  }
  return diff;
}

export function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
}
