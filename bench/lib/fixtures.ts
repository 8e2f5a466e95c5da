// What the local upstream answers and what every contender sends. Shared by the orchestrator and
// the child processes so all of them agree byte for byte.

export const API_KEY = 'sk-bench-0000000000000000000000000000000000000000';

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

/** The browser's body for the token handler (autocannon sends it). */
export const HANDLER_CLIENT_BODY = '{"voice":"verse"}';

/**
 * A realistic `POST /realtime/sessions` answer: the session as configured plus a client secret.
 * About 1.5 KB serialized; fixed, so the upstream does no per-request work beyond writing it.
 */
export const SESSION_RESPONSE = {
  id: 'sess_C9ZgJm1rLZ0bQ6dQZ8u3XxYw',
  object: 'realtime.session',
  model: 'gpt-realtime',
  modalities: ['audio', 'text'],
  instructions:
    'You are a concise voice assistant for a bicycle repair shop. Greet the caller, ask what is wrong ' +
    'with their bicycle, and suggest a time slot for a repair. Keep answers under two sentences. If the ' +
    'caller asks about prices, quote the standard list: flat tyre 15 EUR, brake adjustment 20 EUR, full ' +
    'service 60 EUR. Never promise same-day repairs. Speak slowly and clearly. Before booking, repeat the ' +
    'date and the service back to the caller and wait for an explicit yes.',
  voice: 'verse',
  input_audio_format: 'pcm16',
  output_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-4o-mini-transcribe', language: 'en', prompt: '' },
  turn_detection: {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 200,
    create_response: true,
    interrupt_response: true,
  },
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
  tool_choice: 'auto',
  temperature: 0.8,
  max_response_output_tokens: 'inf',
  speed: 1,
  tracing: null,
  client_secret: {
    value: 'ek_68a3f2c1d9e84b7fa0c5e6d7b8a9f0e1',
    expires_at: 1_767_225_600,
  },
} as const;
