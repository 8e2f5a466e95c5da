// Type tests for the typed layer (src/client/contract.ts), checked by the root `tsc --noEmit` (never
// run): the request path takes and returns exactly what openapi-fetch's `client.POST` would for
// the generated `paths`, and each public request/response type is that same type. A re-pinned
// spec that changed one side and not the other fails here.
import type { Client } from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import type { PostBody, PostData, PostPath } from '../../src/client/contract.js';
import type {
  RealtimeCreateClientSecretRequest,
  RealtimeCreateClientSecretResponse,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
  RealtimeTranscriptionSessionCreateRequest,
  RealtimeTranscriptionSessionCreateResponse,
} from '../../src/index.js';
import { post } from '../../src/client/request.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// openapi-fetch wraps bodies in Writable<> and responses in Readable<> (dropping readOnly and
// writeOnly members; this spec has none), so its types are the same values spelled differently:
// each must be assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertType<T extends true>(): T | void {}

// Exactly the pinned POST operations: the three the SDK calls, and the call and translation
// operations pinned for the generated client layer (issue #15; no SDK method calls them yet).
assertType<
  Equal<
    PostPath,
    | '/realtime/sessions'
    | '/realtime/client_secrets'
    | '/realtime/transcription_sessions'
    | '/realtime/calls'
    | '/realtime/calls/{call_id}/accept'
    | '/realtime/calls/{call_id}/hangup'
    | '/realtime/calls/{call_id}/refer'
    | '/realtime/calls/{call_id}/reject'
    | '/realtime/translations/client_secrets'
  >
>();

assertType<Same<PostBody<'/realtime/sessions'>, RealtimeSessionCreateRequest>>();
assertType<Same<PostData<'/realtime/sessions'>, RealtimeSessionCreateResponse>>();
assertType<Same<PostBody<'/realtime/client_secrets'>, RealtimeCreateClientSecretRequest>>();
assertType<Same<PostData<'/realtime/client_secrets'>, RealtimeCreateClientSecretResponse>>();
assertType<Same<PostBody<'/realtime/transcription_sessions'>, RealtimeTranscriptionSessionCreateRequest>>();
assertType<Same<PostData<'/realtime/transcription_sessions'>, RealtimeTranscriptionSessionCreateResponse>>();

// The same types openapi-fetch's own client derives for a caller of `client.POST`.
declare const client: Client<paths>;
export async function sameAsOpenapiFetch(): Promise<void> {
  const { data } = await client.POST('/realtime/sessions', { body: { model: 'gpt-realtime' } });
  assertType<Same<NonNullable<typeof data>, PostData<'/realtime/sessions'>>>();
  // Whatever openapi-fetch's client accepts, the request path accepts, and the other way round.
  const body: PostBody<'/realtime/client_secrets'> = { session: { type: 'transcription' } };
  await client.POST('/realtime/client_secrets', { body });
}

declare const resolved: Parameters<typeof post>[0];
export async function negative(): Promise<void> {
  // @ts-expect-error not a POST in the pinned spec
  await post(resolved, '/realtime/sessions/{id}', {});
  // @ts-expect-error the session type is 'realtime' or 'transcription'
  await post(resolved, '/realtime/client_secrets', { session: { type: 'video' } });
  // @ts-expect-error a beta session body is not a transcription session body
  await post(resolved, '/realtime/transcription_sessions', { voice: 'verse' });
  // @ts-expect-error `session.type` is required in GA
  await post(resolved, '/realtime/client_secrets', { session: { model: 'gpt-realtime' } });
  const info = await post(resolved, '/realtime/client_secrets', { session: { type: 'realtime' } });
  assertType<Same<typeof info.data, RealtimeCreateClientSecretResponse>>();
}
