// What the local upstream answers and what every contender sends. Shared by the orchestrator and
// the child processes so all of them agree byte for byte.
import { SESSION_DEFAULTS } from '../../scripts/lib/session-defaults.js';

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
    expires_at: 1_767_225_600,
  },
} as const;
