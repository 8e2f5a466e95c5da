// The token route without Fetch `Request`/`Response`: what the node:http adapter calls to skip
// building them. Not public API: the package exports only createSessionHandler and toNodeHandler.
import type { BodyReadResult } from './body.js';

/** The request as the route reads it. */
export interface SessionHandlerCoreInput {
  method: string;
  /** A request header by lower-case name, repeated values joined with ", " as `Headers.get` does. */
  header(name: string): string | null;
  /**
   * Reads the body, stopping past `maxBytes` as `readLimited` does, and with `timeout` once
   * `deadline` aborts (the unread rest is then discarded). Called at most once.
   */
  body(maxBytes: number, deadline: AbortSignal): Promise<BodyReadResult>;
  signal: AbortSignal | undefined;
  /** The Fetch request, when there is one (always when `authorize` is set). */
  request?: Request;
}

/** An answer with lower-case header names. */
export interface SessionHandlerCoreAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export type SessionHandlerCore = (input: SessionHandlerCoreInput) => Promise<SessionHandlerCoreAnswer>;

// Cores are keyed by the exact function createSessionHandler returned. A Proxy around it, or a
// function inheriting from it, is another object: it takes the generic Fetch path, so a wrapper
// (auth, instrumentation) around the handler always runs. One map per process, reached through the
// global symbol registry, so a handler made by another copy of the package still gets its fast path.
const REGISTRY = Symbol.for('realtime-sessions.handler-cores.v1');

function registry(): WeakMap<object, SessionHandlerCore> {
  const scope = globalThis as { [REGISTRY]?: WeakMap<object, SessionHandlerCore> };
  return (scope[REGISTRY] ??= new WeakMap());
}

/** Records `core` as the fast path of `handler`, the exact function given to users. */
export function registerCore(handler: object, core: SessionHandlerCore): void {
  registry().set(handler, core);
}

/** The fast path of a handler createSessionHandler made, or `undefined` for any other function. */
export function coreOf(handler: unknown): SessionHandlerCore | undefined {
  return typeof handler === 'function' ? registry().get(handler) : undefined;
}
