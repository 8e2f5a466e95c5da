// What section 9 reads back from the stand-in's process (children/stand-in.ts) to check, after
// each connection or batch, that the upstream received exactly the requests of the flow under test.
import { ask, type Helper } from './procs.js';

export interface SeenRequest {
  method: string;
  path: string;
  /** `sk` (an API key), `ek` (an ephemeral key), `none` or `other`. */
  auth: 'sk' | 'ek' | 'none' | 'other';
  /** The media type, without parameters. */
  contentType: string;
  status: number | undefined;
}

/** One line per request, e.g. `POST /v1/realtime/calls ek application/sdp 201`. */
export const describeRequest = (r: SeenRequest): string =>
  `${r.method} ${r.path} ${r.auth} ${r.contentType} ${r.status ?? '-'}`;

/**
 * The requests the stand-in received since the last call, one line each; then it closes every
 * call's peer and forgets them, so the next connection or batch starts from an idle upstream.
 */
export async function takeRequests(standIn: Helper<unknown>): Promise<string[]> {
  const { requests } = await ask<{ requests: SeenRequest[] }>(standIn, { type: 'requests' }, 'requests');
  await ask(standIn, { type: 'reset' }, 'reset-done');
  return requests.map(describeRequest);
}
