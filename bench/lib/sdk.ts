// The slice of the SDK the bench uses, loaded at run time from the BUILT package (dist/), which is
// what users get. The structural types below are checked against src/ in sdk-check.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

export interface SessionLike {
  client_secret: { value: string; expires_at: number };
}

export interface BenchRealtimeApi {
  createRealtimeSession(request: typeof import('./fixtures.js').SESSION_REQUEST): Promise<SessionLike>;
  createRealtimeSessionWithHttpInfo(
    request: typeof import('./fixtures.js').SESSION_REQUEST,
  ): Promise<{ status: number; data: SessionLike; requestId?: string | undefined | null }>;
}

export interface BenchSdk {
  RealtimeApi: new (options: {
    apiKey: string;
    baseUrl: string;
    maxRetries: number;
    fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  }) => BenchRealtimeApi;
  createSessionHandler(options: {
    endpoint: 'sessions';
    apiKey: string;
    baseUrl: string;
    maxRetries: number;
    session: { model: string };
    allowFromClient: ['voice'];
  }): (request: Request) => Promise<Response>;
}

/** A session a section 9 route pins (CALL_SESSION in fixtures.ts). */
export interface BenchCallSession {
  type: 'realtime';
  model: string;
  instructions: string;
}

/** createSessionHandler in its default mode, `client_secrets`: the two-step flow's token route. */
export interface BenchSdkClientSecrets {
  createSessionHandler(options: {
    apiKey: string;
    baseUrl: string;
    maxRetries: number;
    session: BenchCallSession;
  }): (request: Request) => Promise<Response>;
}

/** createSessionHandler with `endpoint: 'calls'`: the one-step flow's route. */
export interface BenchSdkCalls {
  createSessionHandler(options: {
    endpoint: 'calls';
    apiKey: string;
    baseUrl: string;
    maxRetries: number;
    session: BenchCallSession;
  }): (request: Request) => Promise<Response>;
}

export interface BenchSdkNode {
  toNodeHandler(
    handler: (request: Request) => Promise<Response>,
  ): (req: IncomingMessage, res: ServerResponse) => void;
}

/** Where the built package lives; children get it from the orchestrator in SDK_DIST. */
export function distDir(): string {
  const dir = process.env.SDK_DIST;
  if (!dir) throw new Error('SDK_DIST is not set');
  return dir;
}

export async function loadSdk(): Promise<BenchSdk> {
  return (await import(pathToFileURL(path.join(distDir(), 'index.js')).href)) as BenchSdk;
}

/**
 * createSessionHandler from the main entry, else from ./node, else (while neither exports it yet)
 * from src/handler/index.ts bundled by the bench (SDK_HANDLER_FALLBACK).
 */
export async function loadHandlerFactory(): Promise<BenchSdk['createSessionHandler']> {
  const index = (await loadSdk()) as Partial<BenchSdk>;
  if (typeof index.createSessionHandler === 'function') return index.createSessionHandler;
  const node = (await loadSdkNode()) as Partial<BenchSdk>;
  if (typeof node.createSessionHandler === 'function') return node.createSessionHandler;
  const fallback = process.env.SDK_HANDLER_FALLBACK;
  if (fallback) {
    const mod = (await import(pathToFileURL(fallback).href)) as Partial<BenchSdk>;
    if (typeof mod.createSessionHandler === 'function') return mod.createSessionHandler;
  }
  throw new Error('createSessionHandler is exported by neither dist/index.js nor dist/node.js');
}

/** loadHandlerFactory, typed for one of the modes above (each checked against src/ in sdk-check.ts). */
export async function loadHandlerFactoryAs<S extends { createSessionHandler: unknown }>(): Promise<
  S['createSessionHandler']
> {
  return (await loadHandlerFactory()) as unknown as S['createSessionHandler'];
}

export async function loadSdkNode(): Promise<BenchSdkNode> {
  return (await import(pathToFileURL(path.join(distDir(), 'node.js')).href)) as BenchSdkNode;
}
