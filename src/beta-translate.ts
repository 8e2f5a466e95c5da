// Beta ↔ GA translation for the two retired minting endpoints: pure functions over one table per
// direction, so the README's migration table, the tests and the code read the same facts.
//
// The beta endpoints (`POST /realtime/sessions`, `POST /realtime/transcription_sessions`) answer
// 404 "Invalid URL" on the live API since May 2026; `POST /realtime/client_secrets` mints instead.
// Every beta request field is either mapped to its GA place or refused by name: nothing is dropped.
// Only src/beta-fallback.ts imports this module, so an app that mints with the GA call alone never
// bundles it.
import type { components } from '../generated/openapi.js';
import { InvalidArgumentError, isObject } from './errors.js';
import { describe } from './options.js';

type Schemas = components['schemas'];
type BetaSession = Schemas['RealtimeSessionCreateRequest'];
type BetaTranscription = Schemas['RealtimeTranscriptionSessionCreateRequest'];
type GaRequest = Schemas['RealtimeCreateClientSecretRequest'];
type GaResponse = Schemas['RealtimeCreateClientSecretResponse'];

/** Which beta operation a request belongs to; picks the GA `session.type`. */
export type BetaKind = 'realtime' | 'transcription';

/** One beta request field and where GA wants it. */
export interface FieldMapping {
  /** The beta request field, e.g. `voice`. */
  beta: string;
  /** Its place in the GA `POST /realtime/client_secrets` body, e.g. `session.audio.output.voice`. */
  ga: string;
  /** What the value must be, as the error message says it. */
  expected: string;
  /** Accepts the beta value (already known to be defined). */
  accepts(value: unknown): boolean;
  /** The GA value; the beta value as it is when absent. */
  convert?(value: unknown): unknown;
}

/** A beta request field that GA has no place for: refused by name, never dropped. */
export interface FieldRefusal {
  beta: string;
  /** Why, for the error message and the README. */
  why: string;
}

const string = (v: unknown) => typeof v == 'string';
const object = (v: unknown) => isObject(v);
const objectOrNull = (v: unknown) => v === null || isObject(v);

/** Beta audio format names and their GA objects (PCM is 24 kHz in both). */
export const AUDIO_FORMATS = {
  pcm16: { type: 'audio/pcm', rate: 24000 },
  g711_ulaw: { type: 'audio/pcmu' },
  g711_alaw: { type: 'audio/pcma' },
} as const;

const isFormat = (v: unknown) => string(v) && Object.hasOwn(AUDIO_FORMATS, v as string);
const toFormat = (v: unknown) => ({ ...AUDIO_FORMATS[v as keyof typeof AUDIO_FORMATS] });
const FORMAT_NAMES = "'pcm16', 'g711_ulaw' or 'g711_alaw'";

// Beta turn detection defaulted to server VAD; GA requires the `type`.
const toTurnDetection = (v: unknown) =>
  isObject(v) && v.type === undefined ? { type: 'server_vad', ...v } : v;

function field(
  beta: string,
  ga: string,
  expected: string,
  accepts: (value: unknown) => boolean,
  convert?: (value: unknown) => unknown,
): FieldMapping {
  return { beta, ga, expected, accepts, convert };
}

// Fields both beta requests have, with the same GA place.
const INPUT_FIELDS: readonly FieldMapping[] = [
  field('input_audio_format', 'session.audio.input.format', FORMAT_NAMES, isFormat, toFormat),
  field('input_audio_transcription', 'session.audio.input.transcription', 'an object or null', objectOrNull),
  field(
    'turn_detection',
    'session.audio.input.turn_detection',
    'an object or null',
    objectOrNull,
    toTurnDetection,
  ),
  field(
    'input_audio_noise_reduction',
    'session.audio.input.noise_reduction',
    'an object or null',
    objectOrNull,
  ),
  field('include', 'session.include', 'an array of strings', (v) => Array.isArray(v) && v.every(string)),
];

/**
 * `POST /realtime/sessions` → `POST /realtime/client_secrets` with `session.type: 'realtime'`.
 * GA takes one output modality, and `audio` includes its transcript, so beta `['audio', 'text']`
 * becomes `['audio']` and `['text']` stays `['text']`.
 */
export const SESSION_FIELDS: readonly FieldMapping[] = [
  field('model', 'session.model', 'a string', string),
  field('instructions', 'session.instructions', 'a string', string),
  field(
    'modalities',
    'session.output_modalities',
    "a non-empty array of 'text' and 'audio'",
    (v) => Array.isArray(v) && v.length > 0 && v.every((m) => m === 'text' || m === 'audio'),
    (v) => ((v as string[]).includes('audio') ? ['audio'] : ['text']),
  ),
  field('voice', 'session.audio.output.voice', 'a string', string),
  field('speed', 'session.audio.output.speed', 'a number', (v) => typeof v == 'number'),
  field('output_audio_format', 'session.audio.output.format', FORMAT_NAMES, isFormat, toFormat),
  ...INPUT_FIELDS,
  field('tools', 'session.tools', 'an array of objects', (v) => Array.isArray(v) && v.every(object)),
  field(
    'tool_choice',
    'session.tool_choice',
    "'none', 'auto', 'required' or { type: 'function', name }",
    (v) => v === 'none' || v === 'auto' || v === 'required' || isObject(v),
  ),
  field(
    'max_response_output_tokens',
    'session.max_output_tokens',
    "an integer or 'inf'",
    (v) => v === 'inf' || Number.isInteger(v),
  ),
  field('tracing', 'session.tracing', "'auto', an object or null", (v) => v === 'auto' || objectOrNull(v)),
  field(
    'client_secret',
    'expires_after',
    '{ expires_after: { anchor, seconds } }',
    (v) => isObject(v) && Object.keys(v).every((k) => k == 'expires_after') && object(v.expires_after),
    (v) => (v as { expires_after: unknown }).expires_after,
  ),
];

/** `POST /realtime/transcription_sessions` → `POST /realtime/client_secrets`, `session.type: 'transcription'`. */
export const TRANSCRIPTION_FIELDS: readonly FieldMapping[] = INPUT_FIELDS;

/** Beta fields with no GA equivalent. */
export const REFUSED_FIELDS: readonly FieldRefusal[] = [
  {
    beta: 'temperature',
    why: 'GA Realtime sessions have no sampling temperature; remove it, or mint through a server that still serves the beta endpoint',
  },
];

const TABLES: Record<BetaKind, readonly FieldMapping[]> = {
  realtime: SESSION_FIELDS,
  transcription: TRANSCRIPTION_FIELDS,
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
  for (const [name, value] of Object.entries(request)) {
    // JSON would drop it too: an absent field.
    if (value === undefined) continue;
    const rule = TABLES[kind].find((r) => r.beta == name);
    if (!rule) {
      const refusal = REFUSED_FIELDS.find((r) => r.beta == name);
      refuse(
        name,
        refusal
          ? `has no GA equivalent: ${refusal.why}`
          : `is not a field of the beta ${kind == 'realtime' ? 'session' : 'transcription session'} request, so it has no GA place`,
      );
    }
    if (!rule.accepts(value)) refuse(name, `must be ${rule.expected}, but received ${describe(value)}`);
    setPath(out, rule.ga, rule.convert ? rule.convert(value) : value);
  }
  return out as GaRequest;
}

function refuse(name: string, problem: string): never {
  throw new InvalidArgumentError(
    `\`request.${name}\` ${problem} (the beta endpoint is retired upstream and this request is sent to POST /realtime/client_secrets).`,
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

/** One GA answer field and the beta response field it becomes. */
export interface AnswerMapping {
  /** Path in the GA `session`, e.g. `audio.output.voice`. */
  ga: string;
  /** The beta session field, e.g. `voice`. */
  beta: string;
  convert?(value: unknown): unknown;
}

const FORMAT_BY_TYPE: Record<string, string> = {
  'audio/pcm': 'pcm16',
  'audio/pcmu': 'g711_ulaw',
  'audio/pcma': 'g711_alaw',
};
const fromFormat = (v: unknown) => (isObject(v) ? FORMAT_BY_TYPE[v.type as string] : undefined);

const INPUT_ANSWER: readonly AnswerMapping[] = [
  { ga: 'id', beta: 'id' },
  { ga: 'object', beta: 'object' },
  { ga: 'audio.input.format', beta: 'input_audio_format', convert: fromFormat },
  { ga: 'audio.input.transcription', beta: 'input_audio_transcription' },
  { ga: 'audio.input.turn_detection', beta: 'turn_detection' },
  { ga: 'audio.input.noise_reduction', beta: 'input_audio_noise_reduction' },
  { ga: 'include', beta: 'include' },
];

/** The GA realtime session's fields at their beta names. */
export const SESSION_ANSWER: readonly AnswerMapping[] = [
  ...INPUT_ANSWER,
  { ga: 'model', beta: 'model' },
  { ga: 'instructions', beta: 'instructions' },
  {
    ga: 'output_modalities',
    beta: 'modalities',
    // GA audio output carries its transcript: the beta name for that is ['audio', 'text'].
    convert: (v) => (Array.isArray(v) ? (v.includes('audio') ? ['audio', 'text'] : v) : undefined),
  },
  {
    ga: 'audio.output.voice',
    beta: 'voice',
    // A GA custom voice is `{ id }`; the beta shape names voices by string.
    convert: (v) => (isObject(v) ? v.id : v),
  },
  { ga: 'audio.output.speed', beta: 'speed' },
  { ga: 'audio.output.format', beta: 'output_audio_format', convert: fromFormat },
  { ga: 'tools', beta: 'tools' },
  { ga: 'tool_choice', beta: 'tool_choice' },
  { ga: 'max_output_tokens', beta: 'max_response_output_tokens' },
  { ga: 'tracing', beta: 'tracing' },
];

/** The GA transcription session's fields at their beta names. */
export const TRANSCRIPTION_ANSWER: readonly AnswerMapping[] = INPUT_ANSWER;

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
  const session: unknown = answer.session;
  for (const { ga, beta, convert } of kind == 'realtime' ? SESSION_ANSWER : TRANSCRIPTION_ANSWER) {
    let value = session;
    for (const key of ga.split('.')) value = isObject(value) ? value[key] : undefined;
    if (convert && value != null) value = convert(value);
    if (value !== undefined) out[beta] = value;
  }
  out.client_secret = { value: answer.value, expires_at: answer.expires_at };
  return out;
}
