// What the upstream fills in for every setting a request leaves out, shaped after the upstream
// examples in openapi/realtime.yaml (x-oaiMeta). The stand-in answers with them; the bench's fixture
// session is built on them, so both describe the same upstream.

const PCM = { type: 'audio/pcm', rate: 24000 };

// Transcription sessions have no responses, so their voice detection has no response settings.
const TRANSCRIPTION_TURN_DETECTION = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 200,
};
const SESSION_TURN_DETECTION = {
  ...TRANSCRIPTION_TURN_DETECTION,
  create_response: true,
  interrupt_response: true,
};

/** POST /realtime/sessions (beta). */
export const SESSION_DEFAULTS = {
  object: 'realtime.session',
  model: 'gpt-realtime',
  modalities: ['audio', 'text'],
  instructions: 'You are a friendly assistant.',
  voice: 'alloy',
  input_audio_format: 'pcm16',
  output_audio_format: 'pcm16',
  input_audio_transcription: null,
  turn_detection: SESSION_TURN_DETECTION,
  tools: [],
  tool_choice: 'auto',
  temperature: 0.8,
  max_response_output_tokens: 'inf',
  speed: 1,
  tracing: null,
};

/**
 * POST /realtime/client_secrets, `session.type: 'realtime'`. Fields the example sets to null are left
 * out where the schema does not allow null (`include`, `audio.input.transcription`, `noise_reduction`).
 */
export const GA_SESSION_DEFAULTS = {
  model: 'gpt-realtime',
  output_modalities: ['audio'],
  instructions: 'You are a friendly assistant.',
  tools: [],
  tool_choice: 'auto',
  max_output_tokens: 'inf',
  tracing: null,
  truncation: 'auto',
  prompt: null,
  expires_at: 0,
  audio: {
    input: { format: PCM, turn_detection: SESSION_TURN_DETECTION },
    output: { format: PCM, voice: 'alloy', speed: 1 },
  },
};

/** POST /realtime/client_secrets, `session.type: 'transcription'`. */
export const GA_TRANSCRIPTION_DEFAULTS = {
  audio: {
    input: {
      format: PCM,
      transcription: { model: 'gpt-4o-transcribe', prompt: '' },
      turn_detection: TRANSCRIPTION_TURN_DETECTION,
    },
  },
};

/** POST /realtime/transcription_sessions (beta). */
export const TRANSCRIPTION_DEFAULTS = {
  object: 'realtime.transcription_session',
  modalities: ['audio', 'text'],
  turn_detection: TRANSCRIPTION_TURN_DETECTION,
  input_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-4o-transcribe', prompt: '' },
};
