// Type tests for the corrected POST /realtime/sessions contract in generated/openapi.ts.
// Not a vitest file: `tsc --noEmit` (npm run typecheck, part of npm test) type-checks it, and fails
// on any assertion below that does not hold, including an expect-error directive that is unused.
// Each expect-error line has a valid twin next to it, so it fails for the reason it names.
import type { components, operations } from '../../generated/openapi.js';

type Req = components['schemas']['RealtimeSessionCreateRequest'];
type Res = components['schemas']['RealtimeSessionCreateResponse'];
type Op = operations['create-realtime-session'];

/** True only when A and B are the same type (not merely mutually assignable through `any`). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only for `true`. */
function expectTrue<T extends true>(): T | void {}
/** The keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

// The operation wires the two schemas: request body in, 200 JSON out.
expectTrue<Equal<NonNullable<Op['requestBody']>['content']['application/json'], Req>>();
expectTrue<Equal<Op['responses'][200]['content']['application/json'], Res>>();

// ---- Request: every field optional, has `model`, no minted secret. -----------------------------
expectTrue<Equal<RequiredKeys<Req>, never>>();
export const emptyRequest = {} satisfies Req;
export const knownModel = { model: 'gpt-realtime' } satisfies Req;
export const futureModel = { model: 'gpt-realtime-2099-01-01' } satisfies Req;
export const fullRequest = {
  model: 'gpt-realtime',
  modalities: ['audio', 'text'],
  instructions: 'Be brief.',
  voice: 'marin',
  input_audio_format: 'pcm16',
  output_audio_format: 'g711_ulaw',
  turn_detection: { type: 'semantic_vad', eagerness: 'auto' },
  max_response_output_tokens: 'inf',
  tracing: 'auto',
  client_secret: { expires_after: { anchor: 'created_at', seconds: 600 } },
} satisfies Req;

// The request's client_secret only sets the key's lifetime; the minted value is not an input.
expectTrue<Equal<keyof NonNullable<Req['client_secret']>, 'expires_after'>>();
// @ts-expect-error `value` is a response field, not a request field.
export const requestWithSecretValue = { client_secret: { value: 'ek_abc123' } } satisfies Req;

export const textOnly = { modalities: ['text'] } satisfies Req;
// @ts-expect-error modalities is limited to 'text' | 'audio'.
export const badModality = { modalities: ['video'] } satisfies Req;
// @ts-expect-error modalities is an array, not a single value.
export const modalityNotArray = { modalities: 'text' } satisfies Req;

export const ulaw = { input_audio_format: 'g711_ulaw' } satisfies Req;
// @ts-expect-error input_audio_format is limited to pcm16 | g711_ulaw | g711_alaw.
export const badAudioFormat = { input_audio_format: 'mp3' } satisfies Req;

// ---- Response: client_secret required, with required string value and integer expires_at. -------
expectTrue<Equal<RequiredKeys<Res>, 'client_secret'>>();
expectTrue<Equal<Res['client_secret']['value'], string>>();
expectTrue<Equal<Res['client_secret']['expires_at'], number>>();
expectTrue<Equal<RequiredKeys<Res['client_secret']>, 'value' | 'expires_at'>>();

export const minimalResponse: Res = { client_secret: { value: 'ek_abc123', expires_at: 1234567890 } };
// Reading the secret needs no undefined check.
export const secretValue: string = minimalResponse.client_secret.value;

// @ts-expect-error a response without client_secret is not a session-create response.
export const responseWithoutSecret: Res = { id: 'sess_001', object: 'realtime.session' };
// @ts-expect-error client_secret.value is required.
export const secretWithoutValue: Res = { client_secret: { expires_at: 1234567890 } };
// @ts-expect-error client_secret.expires_at is an integer (Unix seconds), not a string.
export const secretBadExpiry: Res = { client_secret: { value: 'ek_abc123', expires_at: '1234567890' } };
// @ts-expect-error the GA session's output_modalities is not part of this response.
export const responseGaField: Res = { ...minimalResponse, output_modalities: ['audio'] };
export const responseBetaField: Res = { ...minimalResponse, modalities: ['audio'] };
