// Type tests for the generated client layer (generated/client.ts), checked by the root
// `tsc --noEmit` (never run): each operation's path parameters, body and answer are exactly what
// openapi-fetch's `POST` types give for its path over the generated `paths`, for the standalone
// functions and the RealtimeApi methods alike.
import type { Client, FetchResponse, RequestBodyOption } from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import * as sdk from '../../src/index.js';
import type { ApiResponse, RealtimeCallAnswer } from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}
// openapi-fetch 0.17 hands bodies through its `Writable<>` mapped type, which is the same shape
// but not the identical type, so bodies are compared by assignability both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// What openapi-fetch's client.POST(path, init) takes and gives for `path`.
type PathParams<P extends keyof paths> = paths[P]['post'] extends { parameters: { path: infer T } }
  ? T
  : never;
type JsonBody<P extends keyof paths> = NonNullable<RequestBodyOption<paths[P]['post']>['body']>;
type Data<P extends keyof paths, M extends `${string}/${string}` = 'application/json'> = NonNullable<
  FetchResponse<paths[P]['post'], { parseAs: 'json' }, M>['data']
>;
type _Client = Client<paths>; // the client whose types these are
type Params<F> = F extends (...args: infer A) => unknown ? A : never;
type Result<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

// ---- Path parameters first, each a string, named as the spec names them ------------------------
assertType<Equal<PathParams<'/realtime/calls/{call_id}/accept'>, { call_id: string }>>();
assertType<
  Equal<Params<typeof sdk.acceptRealtimeCall>[0], PathParams<'/realtime/calls/{call_id}/accept'>['call_id']>
>();
assertType<
  Equal<Params<typeof sdk.hangupRealtimeCall>[0], PathParams<'/realtime/calls/{call_id}/hangup'>['call_id']>
>();
assertType<
  Equal<Params<typeof sdk.referRealtimeCall>[0], PathParams<'/realtime/calls/{call_id}/refer'>['call_id']>
>();
assertType<
  Equal<Params<typeof sdk.rejectRealtimeCall>[0], PathParams<'/realtime/calls/{call_id}/reject'>['call_id']>
>();

// Control: Same tells two bodies apart.
assertType<
  Equal<
    Same<JsonBody<'/realtime/calls/{call_id}/refer'>, JsonBody<'/realtime/calls/{call_id}/reject'>>,
    false
  >
>();
assertType<
  Equal<Same<JsonBody<'/realtime/client_secrets'>, JsonBody<'/realtime/translations/client_secrets'>>, false>
>();

// ---- Then the body: openapi-fetch's for the path (JSON), or its multipart form -------------------
assertType<Same<Params<typeof sdk.createRealtimeClientSecret>[0], JsonBody<'/realtime/client_secrets'>>>();
assertType<Same<Params<typeof sdk.createRealtimeSession>[0], JsonBody<'/realtime/sessions'>>>();
assertType<
  Same<Params<typeof sdk.createRealtimeTranscriptionSession>[0], JsonBody<'/realtime/transcription_sessions'>>
>();
assertType<
  Same<
    Params<typeof sdk.createRealtimeTranslationClientSecret>[0],
    JsonBody<'/realtime/translations/client_secrets'>
  >
>();
assertType<Same<Params<typeof sdk.acceptRealtimeCall>[1], JsonBody<'/realtime/calls/{call_id}/accept'>>>();
assertType<Same<Params<typeof sdk.referRealtimeCall>[1], JsonBody<'/realtime/calls/{call_id}/refer'>>>();
// reject's body is optional in the spec (`required: false`), and so in the signature.
assertType<
  Same<Params<typeof sdk.rejectRealtimeCall>[1], JsonBody<'/realtime/calls/{call_id}/reject'> | undefined>
>();
// /realtime/calls lists application/sdp and multipart/form-data; the SDK sends the multipart form.
type CallBodies = paths['/realtime/calls']['post']['requestBody']['content'];
assertType<Same<Params<typeof sdk.createRealtimeCall>[0], CallBodies['multipart/form-data']>>();
// hangup has no body: its second parameter is the options.
assertType<
  Equal<Params<typeof sdk.hangupRealtimeCall>[1], (sdk.ClientOptions & sdk.RequestOptions) | undefined>
>();

// ---- The answer: openapi-fetch's data, or undefined for an empty 200, or the SDP + call id -----
assertType<Equal<Result<typeof sdk.createRealtimeClientSecret>, Data<'/realtime/client_secrets'>>>();
assertType<
  Equal<
    Result<typeof sdk.createRealtimeTranslationClientSecret>,
    Data<'/realtime/translations/client_secrets'>
  >
>();
assertType<Equal<Result<typeof sdk.createRealtimeSession>, Data<'/realtime/sessions'>>>();
assertType<
  Equal<Result<typeof sdk.createRealtimeTranscriptionSession>, Data<'/realtime/transcription_sessions'>>
>();
assertType<Equal<Result<typeof sdk.referRealtimeCallWithHttpInfo>, ApiResponse<undefined>>>();
assertType<Equal<Result<typeof sdk.rejectRealtimeCallWithHttpInfo>, ApiResponse<undefined>>>();
assertType<Equal<Result<typeof sdk.acceptRealtimeCall>, void>>();
assertType<Equal<RealtimeCallAnswer['sdp'], Data<'/realtime/calls', 'application/sdp'>>>();
assertType<Equal<Result<typeof sdk.createRealtimeCall>, RealtimeCallAnswer>>();
assertType<Equal<Result<typeof sdk.createRealtimeCallWithHttpInfo>, ApiResponse<RealtimeCallAnswer>>>();
// The call-control paths describe a 200 without content: openapi-fetch's data is `never`.
assertType<
  Equal<
    FetchResponse<paths['/realtime/calls/{call_id}/hangup']['post'], {}, 'application/json'>['data'],
    never | undefined
  >
>();
assertType<Equal<Result<typeof sdk.hangupRealtimeCall>, void>>();
assertType<Equal<Result<typeof sdk.hangupRealtimeCallWithHttpInfo>, ApiResponse<undefined>>>();
assertType<Equal<Result<typeof sdk.acceptRealtimeCallWithHttpInfo>, ApiResponse<undefined>>>();

// ---- Methods take the same parameters, with per-call options last ------------------------------
declare const api: sdk.RealtimeApi;
assertType<Equal<Params<typeof api.acceptRealtimeCall>[0], string>>();
assertType<Equal<Params<typeof api.acceptRealtimeCall>[1], Params<typeof sdk.acceptRealtimeCall>[1]>>();
assertType<Equal<Params<typeof api.acceptRealtimeCall>[2], sdk.RequestOptions | undefined>>();
assertType<Equal<Params<typeof api.createRealtimeCall>[0], Params<typeof sdk.createRealtimeCall>[0]>>();
assertType<Equal<Result<typeof api.createRealtimeCall>, RealtimeCallAnswer>>();
assertType<Equal<Result<typeof api.hangupRealtimeCallWithHttpInfo>, ApiResponse<undefined>>>();
assertType<
  Equal<
    Result<typeof api.createRealtimeTranslationClientSecret>,
    Result<typeof sdk.createRealtimeTranslationClientSecret>
  >
>();

export async function misuse(): Promise<void> {
  // @ts-expect-error the call id comes first
  await api.acceptRealtimeCall({ type: 'realtime' }, 'rtc_1');
  // @ts-expect-error refer needs its target_uri
  await api.referRealtimeCall('rtc_1', {});
  // @ts-expect-error createRealtimeCall takes { sdp, session? }, not the raw SDP string
  await api.createRealtimeCall('v=0\r\n');
  // @ts-expect-error hangup takes no body
  await api.hangupRealtimeCall('rtc_1', { status_code: 486 }, {});
}
export type { _Client };
