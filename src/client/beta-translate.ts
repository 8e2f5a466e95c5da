// Beta ↔ GA translation for the two retired minting endpoints: pure functions over one table per
// direction, so the README's migration table, the tests and the code read the same facts.
//
// The beta endpoints (`POST /realtime/sessions`, `POST /realtime/transcription_sessions`) answer
// 404 "Invalid URL" on the live API since May 2026; `POST /realtime/client_secrets` mints instead.
// Every beta request field is either mapped to its GA place or refused by name: nothing is dropped.
// Only src/client/beta-fallback.ts imports this module, so an app that mints with the GA call alone never
// bundles it. The tables are literals, with no call or spread at module level, for the same reason.
import type { components } from '../../generated/openapi.js';
import { InvalidArgumentError } from '../core/errors.js';
import { isObject } from '../internal/json.js';
import { describeValue } from '../internal/messages.js';

type Schemas = components['schemas'];
type BetaSession = Schemas['RealtimeSessionCreateRequest'];
type BetaTranscription = Schemas['RealtimeTranscriptionSessionCreateRequest'];
type GaRequest = Schemas['RealtimeCreateClientSecretRequest'];
type GaResponse = Schemas['RealtimeCreateClientSecretResponse'];

/** Which beta operation a request belongs to; picks the GA `session.type`. */
export type BetaKind = 'realtime' | 'transcription';

/** What a beta field's value must be: the test, and the words an error uses for it. */
export interface ValueKind {
  test(value: unknown): boolean;
  expected: string;
}

/**
 * One beta field: its name, its place in the GA `POST /realtime/client_secrets` body, what its value
 * must be, and the conversions to the GA value and back where the two differ. The answer maps the
 * same way back: the GA session's field at `ga` (less `session.`) becomes the beta field.
 */
export type FieldMapping = readonly [
  beta: string,
  ga: string,
  kind: ValueKind,
  toGa?: ((value: unknown) => unknown) | 0,
  fromGa?: (value: unknown) => unknown,
];

/** Beta audio format names and their GA objects (PCM is 24 kHz in both). */
const AUDIO_FORMATS = {
  pcm16: { type: 'audio/pcm', rate: 24000 },
  g711_ulaw: { type: 'audio/pcmu' },
  g711_alaw: { type: 'audio/pcma' },
} as const;

const isString = (v: unknown) => typeof v === 'string';
const STRING: ValueKind = { test: isString, expected: 'a string' };
const NUMBER: ValueKind = { test: (v) => typeof v === 'number', expected: 'a number' };
const OBJECT_OR_NULL: ValueKind = { test: (v) => v === null || isObject(v), expected: 'an object or null' };
const FORMAT: ValueKind = {
  test: (v) => isString(v) && Object.hasOwn(AUDIO_FORMATS, v as string),
  expected: "'pcm16', 'g711_ulaw' or 'g711_alaw'",
};
const toFormat = (v: unknown) => ({ ...AUDIO_FORMATS[v as keyof typeof AUDIO_FORMATS] });
// The beta name whose GA object has this `type` (`undefined` for a GA-only format).
const fromFormat = (v: unknown) =>
  isObject(v)
    ? Object.keys(AUDIO_FORMATS).find(
        (name) => AUDIO_FORMATS[name as keyof typeof AUDIO_FORMATS].type === v.type,
      )
    : undefined;

// Fields both beta requests have, with the same GA place.
const INPUT_FIELDS: readonly FieldMapping[] = [
  ['input_audio_format', 'session.audio.input.format', FORMAT, toFormat, fromFormat],
  ['input_audio_transcription', 'session.audio.input.transcription', OBJECT_OR_NULL],
  [
    'turn_detection',
    'session.audio.input.turn_detection',
    OBJECT_OR_NULL,
    // Beta turn detection defaulted to server VAD; GA requires the `type`.
    (v) => (isObject(v) && v.type === undefined ? { type: 'server_vad', ...v } : v),
  ],
  ['input_audio_noise_reduction', 'session.audio.input.noise_reduction', OBJECT_OR_NULL],
  [
    'include',
    'session.include',
    { test: (v) => Array.isArray(v) && v.every(isString), expected: 'an array of strings' },
  ],
];

// Fields only the beta session request has.
const SESSION_ONLY_FIELDS: readonly FieldMapping[] = [
  ['model', 'session.model', STRING],
  ['instructions', 'session.instructions', STRING],
  [
    'modalities',
    'session.output_modalities',
    {
      test: (v) => Array.isArray(v) && v.length > 0 && v.every((m) => m === 'text' || m === 'audio'),
      expected: "a non-empty array of 'text' and 'audio'",
    },
    // GA takes one output modality, and `audio` includes its transcript: beta ['audio', 'text'].
    (v) => ((v as string[]).includes('audio') ? ['audio'] : ['text']),
    (v) => (Array.isArray(v) ? (v.includes('audio') ? ['audio', 'text'] : v) : undefined),
  ],
  // A GA custom voice is `{ id }`; the beta shape names voices by string.
  ['voice', 'session.audio.output.voice', STRING, 0, (v) => (isObject(v) ? v.id : v)],
  ['speed', 'session.audio.output.speed', NUMBER],
  ['output_audio_format', 'session.audio.output.format', FORMAT, toFormat, fromFormat],
  [
    'tools',
    'session.tools',
    { test: (v) => Array.isArray(v) && v.every(isObject), expected: 'an array of objects' },
  ],
  [
    'tool_choice',
    'session.tool_choice',
    {
      test: (v) => v === 'none' || v === 'auto' || v === 'required' || isObject(v),
      expected: "'none', 'auto', 'required' or an object",
    },
  ],
  [
    'max_response_output_tokens',
    'session.max_output_tokens',
    { test: (v) => v === 'inf' || Number.isInteger(v), expected: "an integer or 'inf'" },
  ],
  [
    'tracing',
    'session.tracing',
    { test: (v) => v === 'auto' || OBJECT_OR_NULL.test(v), expected: "'auto', an object or null" },
  ],
  [
    'client_secret',
    'expires_after',
    {
      test: (v) =>
        isObject(v) && Object.keys(v).every((k) => k === 'expires_after') && isObject(v.expires_after),
      expected: 'an object with only expires_after',
    },
    (v) => (v as { expires_after: unknown }).expires_after,
  ],
];

/**
 * Every field of a beta request and its GA place: `realtime` is `POST /realtime/sessions`,
 * `transcription` is `POST /realtime/transcription_sessions`; both go to `POST /realtime/client_secrets`.
 */
export function fieldsOf(kind: BetaKind): readonly FieldMapping[] {
  return kind === 'realtime' ? SESSION_ONLY_FIELDS.concat(INPUT_FIELDS) : INPUT_FIELDS;
}

/** Beta fields with no GA equivalent, and why: refused by name, never dropped. */
export const REFUSED_FIELDS: Readonly<Record<string, string>> = {
  temperature: 'GA sessions have no sampling temperature',
};

/**
 * Translates a beta request body to the GA `POST /realtime/client_secrets` body. Throws
 * `InvalidArgumentError` naming the first field that has no GA place or holds a value GA cannot
 * take, before any request is sent.
 *
 * @example
 * ```ts
 * toGaRequest('realtime', { model: 'gpt-realtime', voice: 'verse' });
 * // { session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'verse' } } } }
 * ```
 */
export function toGaRequest(kind: BetaKind, request: BetaSession | BetaTranscription): GaRequest {
  const out: Record<string, unknown> = { session: { type: kind } };
  const table = fieldsOf(kind);
  for (const [name, value] of Object.entries(request)) {
    // JSON would drop it too: an absent field.
    if (value === undefined) continue;
    const rule = table.find(([beta]) => beta === name);
    if (!rule) {
      refuse(
        name,
        Object.hasOwn(REFUSED_FIELDS, name)
          ? `has no GA equivalent: ${REFUSED_FIELDS[name]}`
          : `is not a field of the beta ${kind === 'realtime' ? '' : 'transcription '}session request`,
      );
    }
    const [, ga, { test, expected }, toGa] = rule;
    if (!test(value)) refuse(name, `must be ${expected}, but received ${describeValue(value)}`);
    setPath(out, ga, toGa ? toGa(value) : value);
  }
  return out as GaRequest;
}

function refuse(name: string, problem: string): never {
  throw new InvalidArgumentError(
    `\`request.${name}\` ${problem} (sent to POST /realtime/client_secrets: the beta endpoint is retired).`,
  );
}

/** Sets `dotted` in `target`, creating plain objects on the way. */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) node = (node[key] ??= {}) as Record<string, unknown>;
  node[last] = value;
}

/**
 * Translates a GA `POST /realtime/client_secrets` answer back to the beta response shape:
 * `client_secret: { value, expires_at }` and the session's fields at their beta names. The caller
 * has checked `value` and `expires_at`. GA-only fields (`truncation`, `prompt`, `reasoning`…)
 * have no beta name and are left out.
 *
 * @example
 * ```ts
 * fromGaResponse('realtime', { value: 'ek_1', expires_at: 1, session: { type: 'realtime', audio: { output: { voice: 'marin' } } } });
 * // { client_secret: { value: 'ek_1', expires_at: 1 }, voice: 'marin' }
 * ```
 */
export function fromGaResponse(kind: BetaKind, answer: GaResponse): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [beta, keys, fromGa] of answerPathsOf(kind)) {
    let value: unknown = answer.session;
    for (const key of keys) value = isObject(value) ? value[key] : undefined;
    if (fromGa && value != null) value = fromGa(value);
    if (value !== undefined) out[beta] = value;
  }
  out.client_secret = { value: answer.value, expires_at: answer.expires_at };
  return out;
}

// What every answer's session has besides the request's fields.
const ANSWER_ONLY_FIELDS: readonly FieldMapping[] = [
  ['id', 'session.id', STRING],
  ['object', 'session.object', STRING],
];

type AnswerPath = readonly [beta: string, keys: readonly string[], fromGa: FieldMapping[4]];
const answerPaths: Partial<Record<BetaKind, readonly AnswerPath[]>> = {};

/** The answer's fields as key paths into its `session`, split once per kind, on first use. */
function answerPathsOf(kind: BetaKind): readonly AnswerPath[] {
  return (answerPaths[kind] ??= ANSWER_ONLY_FIELDS.concat(fieldsOf(kind))
    // `expires_after` is the request's alone: the answer has `expires_at` instead.
    .filter(([, ga]) => ga.startsWith('session.'))
    .map(([beta, ga, , , fromGa]) => [beta, ga.slice('session.'.length).split('.'), fromGa]));
}
