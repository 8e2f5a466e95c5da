// What the local upstream answers and what every contender sends. Shared by the orchestrator and
// the child processes so all of them agree byte for byte.
import { GA_SESSION_DEFAULTS, SESSION_DEFAULTS } from '../../scripts/lib/session-defaults.js';

export const API_KEY = 'sk-bench-0000000000000000000000000000000000000000';

/** One object for every hand-written request, so the floors and the ablations send the same headers. */
export const REQUEST_HEADERS = {
  Authorization: `Bearer ${API_KEY}`,
  'Content-Type': 'application/json',
  Accept: 'application/json',
};

/** The session request every per-call contender sends. */
export const SESSION_REQUEST = {
  model: 'gpt-realtime',
  voice: 'verse',
  instructions: 'You are a concise voice assistant for a bicycle repair shop.',
} as const;

/** Name of the baseline of the CPU-only comparison (children/cpu.ts). */
export const CPU_BASELINE = 'stub fetch → text() → JSON.parse';
/** The SDK's row of the CPU-only comparison. */
export const CPU_SDK = 'createRealtimeSession (whole SDK)';
/** A reference row, not the SDK: openapi-fetch's `createClient` with its defaults. */
export const CPU_OPENAPI_FETCH_REFERENCE =
  'reference, not in the SDK: openapi-fetch createClient().POST, defaults';

/** The rows of the translation CPU job (children/translate.ts, section 8). */
export const TRANSLATE_ROWS = {
  perCall: 'toGaRequest + fromGaResponse (the per-call request, section 1)',
  perCallFull: 'toGaRequest + fromGaResponse (a request setting every mapped field)',
  toGa: 'toGaRequest alone (the per-call request)',
  toGaFull: 'toGaRequest alone (every mapped field)',
  fromGa: 'fromGaResponse alone (the GA answer)',
  stringify: 'yardstick: JSON.stringify of the GA request body (every call does it)',
  parse: 'yardstick: JSON.parse of the GA answer text (every call does it)',
} as const;

/** The browser's body for the token handler (autocannon sends it). */
export const HANDLER_CLIENT_BODY = '{"voice":"verse"}';

/**
 * A realistic `POST /realtime/sessions` answer: the upstream's defaults with a configured voice agent
 * plus a client secret, as the stand-in builds it. About 1.5 KB serialized; fixed, so the upstream
 * does no per-request work beyond writing it.
 */
export const SESSION_RESPONSE = {
  id: 'sess_C9ZgJm1rLZ0bQ6dQZ8u3XxYw',
  ...SESSION_DEFAULTS,
  instructions:
    'You are a concise voice assistant for a bicycle repair shop. Greet the caller, ask what is wrong ' +
    'with their bicycle, and suggest a time slot for a repair. Keep answers under two sentences. If the ' +
    'caller asks about prices, quote the standard list: flat tyre 15 EUR, brake adjustment 20 EUR, full ' +
    'service 60 EUR. Never promise same-day repairs. Speak slowly and clearly. Before booking, repeat the ' +
    'date and the service back to the caller and wait for an explicit yes.',
  voice: 'verse',
  input_audio_transcription: { model: 'gpt-4o-mini-transcribe', language: 'en', prompt: '' },
  tools: [
    {
      type: 'function',
      name: 'book_repair_slot',
      description: 'Books a repair slot for the caller and returns a confirmation number.',
      parameters: {
        type: 'object',
        properties: {
          date: { type: 'string', description: 'ISO 8601 date of the slot' },
          service: { type: 'string', enum: ['flat_tyre', 'brakes', 'full_service'] },
        },
        required: ['date', 'service'],
      },
    },
  ],
  client_secret: {
    value: 'ek_68a3f2c1d9e84b7fa0c5e6d7b8a9f0e1',
    // Far in the future: the token route refuses an expired secret (a fixed answer must not age).
    expires_at: 4_102_444_800,
  },
} as const;

/**
 * What `createRealtimeSession` sends to `POST /realtime/client_secrets` for SESSION_REQUEST once the
 * beta path is retired: `toGaRequest('realtime', SESSION_REQUEST)`, key for key. The GA floor sends
 * these bytes too; the per-call job checks once that the SDK sends exactly them.
 */
export const GA_REQUEST = {
  session: {
    type: 'realtime',
    model: SESSION_REQUEST.model,
    audio: { output: { voice: SESSION_REQUEST.voice } },
    instructions: SESSION_REQUEST.instructions,
  },
} as const;

/** The live API's answer to `POST /v1/realtime/sessions` since the beta endpoints were retired. */
export const BETA_RETIRED_BODY =
  '{"error":{"message":"Invalid URL (POST /v1/realtime/sessions)","type":"invalid_request_error","param":null,"code":null}}';

/**
 * A realistic `POST /realtime/client_secrets` answer for the same voice agent as SESSION_RESPONSE:
 * the GA secret at the top level and the effective GA session (the upstream's GA defaults with the
 * same instructions, voice, transcription and tool), as the stand-in builds it. The secret is
 * SESSION_RESPONSE's, so a beta-shaped answer translated from it passes the same `verify`.
 */
export const CLIENT_SECRET_RESPONSE = {
  value: SESSION_RESPONSE.client_secret.value,
  expires_at: SESSION_RESPONSE.client_secret.expires_at,
  session: {
    type: 'realtime',
    object: 'realtime.session',
    id: SESSION_RESPONSE.id,
    ...GA_SESSION_DEFAULTS,
    instructions: SESSION_RESPONSE.instructions,
    tools: SESSION_RESPONSE.tools,
    audio: {
      input: {
        ...GA_SESSION_DEFAULTS.audio.input,
        transcription: SESSION_RESPONSE.input_audio_transcription,
      },
      output: { ...GA_SESSION_DEFAULTS.audio.output, voice: SESSION_RESPONSE.voice },
    },
  },
} as const;

/**
 * A beta session request that sets every field the translation maps (temperature aside: GA refuses
 * it), for the CPU cost of translating a full request (section 8). SESSION_REQUEST is the small one.
 */
export const FULL_SESSION_REQUEST = {
  model: 'gpt-realtime',
  modalities: ['audio', 'text'],
  instructions: SESSION_RESPONSE.instructions,
  voice: 'verse',
  speed: 1.1,
  input_audio_format: 'pcm16',
  output_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-4o-mini-transcribe', language: 'en' },
  turn_detection: { silence_duration_ms: 400, create_response: true },
  input_audio_noise_reduction: { type: 'near_field' },
  include: ['item.input_audio_transcription.logprobs'],
  tools: SESSION_RESPONSE.tools,
  tool_choice: 'auto',
  max_response_output_tokens: 1024,
  tracing: 'auto',
  client_secret: { expires_after: { anchor: 'created_at', seconds: 120 } },
} as const;

/**
 * The GA session section 9's routes pin, in both modes (client_secrets mints it into the secret,
 * calls sends it as the call's `session` part): what the page's `session.created` must carry.
 */
export const CALL_SESSION = {
  type: 'realtime',
  model: 'gpt-realtime',
  instructions: SESSION_REQUEST.instructions,
} as const;
