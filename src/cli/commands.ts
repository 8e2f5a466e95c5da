// The command table: create, client-secret, transcription, translation, hangup. Adding a command is
// an entry with its summary, the words it takes after its name, its own flags (the global ones come
// with every command) and a run function.
import type { components } from '../../generated/openapi.js';
import type { CliIo, Values } from './io.js';
import { connect } from './client.js';
import { BETA_ENDPOINTS, EXPIRES_AFTER, INSTRUCTIONS, MODEL, type FlagSpecs } from './flags.js';
import { printDone, printMinted } from './output.js';
import { renamed } from './usage.js';
import { expiresAfterFlag, nonEmpty } from './values.js';

type SessionRequest = components['schemas']['RealtimeSessionCreateRequest'];
type GaSessionRequest = components['schemas']['RealtimeSessionCreateRequestGA'];
type ClientSecretRequest = components['schemas']['RealtimeCreateClientSecretRequest'];
type TranscriptionRequest = components['schemas']['RealtimeTranscriptionSessionCreateRequest'];
type TranslationRequest = components['schemas']['RealtimeTranslationClientSecretCreateRequest'];

/**
 * The translation session's model, which its request requires: the one translation model the
 * pinned fragment names, so `translation` without --model still mints.
 */
export const TRANSLATION_MODEL = 'gpt-realtime-translate';

/** A word a command takes after its name, e.g. `hangup CALL_ID`: always required. */
export interface ArgSpec {
  /** As --help and the usage line show it, e.g. `CALL_ID`; a missing one is `missing CALL_ID`. */
  name: string;
  help: string;
}

export interface Command {
  /** One line for the overview; --help capitalises it. */
  summary: string;
  /** The words the command takes after its name, in order; none when absent. */
  args?: readonly ArgSpec[];
  /** The command's own flags, in --help order; the global ones follow them. */
  flags: FlagSpecs;
  /** Calls the API and prints; `args` holds one word per ArgSpec. Throws what report.ts describes. */
  run(values: Values, io: Required<CliIo>, args: readonly string[]): Promise<void>;
}

export const COMMANDS: Record<string, Command> = {
  create: {
    summary:
      'mint a Realtime session and its ephemeral client secret (beta POST /realtime/sessions; retired upstream, so it falls back to POST /realtime/client_secrets)',
    flags: {
      model: MODEL,
      voice: {
        type: 'string',
        label: '--voice V',
        help: 'voice, e.g. marin, cedar, verse (default: the API default)',
      },
      instructions: INSTRUCTIONS,
      'beta-endpoints': BETA_ENDPOINTS,
    },
    async run(values, io) {
      const request: SessionRequest = {};
      if (values.model !== undefined) request.model = nonEmpty('--model', values.model);
      if (values.voice !== undefined) request.voice = nonEmpty('--voice', values.voice);
      if (values.instructions !== undefined)
        request.instructions = nonEmpty('--instructions', values.instructions);
      const api = connect(values, io, 'creating a Realtime session');
      const session = await api.createRealtimeSession(request);
      const minted = {
        response: session,
        secret: session.client_secret,
        rows: [
          ['session', session.id ?? '(no id)'],
          ['model', session.model ?? '(not reported)'],
          ['voice', session.voice ?? '(not reported)'],
        ] satisfies [string, string][],
        withSecret: (value: string) => ({ ...session, client_secret: { ...session.client_secret, value } }),
      };
      printMinted(minted, values, io);
    },
  },
  'client-secret': {
    summary: 'mint a GA client secret (POST /realtime/client_secrets) for a Realtime session',
    flags: {
      model: MODEL,
      voice: {
        type: 'string',
        label: '--voice V',
        help: 'voice, e.g. marin, cedar, verse; sent as session.audio.output.voice',
      },
      instructions: INSTRUCTIONS,
      'expires-after': EXPIRES_AFTER,
    },
    async run(values, io) {
      const session: GaSessionRequest = { type: 'realtime' };
      if (values.model !== undefined) session.model = nonEmpty('--model', values.model);
      if (values.instructions !== undefined)
        session.instructions = nonEmpty('--instructions', values.instructions);
      if (values.voice !== undefined)
        session.audio = { output: { voice: nonEmpty('--voice', values.voice) } };
      const request: ClientSecretRequest = { session };
      if (values['expires-after'] !== undefined)
        request.expires_after = expiresAfterFlag(values['expires-after']);
      const api = connect(values, io, 'minting a client secret');
      const answer = await api.createRealtimeClientSecret(request);
      // `session` is a realtime or a transcription session; only the first has a model and a voice.
      const realtime = answer.session?.type === 'realtime' ? answer.session : undefined;
      const minted = {
        response: answer,
        secret: answer,
        rows: [
          ['session', answer.session?.id ?? '(no id)'],
          ['model', realtime?.model ?? '(not reported)'],
          ['voice', realtime?.audio?.output?.voice ?? '(not reported)'],
        ] satisfies [string, string][],
        withSecret: (value: string) => ({ ...answer, value }),
      };
      printMinted(minted, values, io);
    },
  },
  transcription: {
    summary:
      'mint a transcription session and its client secret (beta POST /realtime/transcription_sessions; retired upstream, so it falls back to POST /realtime/client_secrets)',
    flags: {
      model: {
        type: 'string',
        label: '--model M',
        help: 'transcription model, e.g. gpt-4o-transcribe; sent as input_audio_transcription.model',
      },
      language: {
        type: 'string',
        label: '--language L',
        help: 'ISO-639-1 language of the audio, e.g. en; sent as input_audio_transcription.language',
      },
      'beta-endpoints': BETA_ENDPOINTS,
    },
    async run(values, io) {
      // The transcription request has no top-level model or language: both configure its transcriber.
      const transcription: NonNullable<TranscriptionRequest['input_audio_transcription']> = {};
      if (values.model !== undefined) transcription.model = nonEmpty('--model', values.model);
      if (values.language !== undefined) transcription.language = nonEmpty('--language', values.language);
      const request: TranscriptionRequest =
        Object.keys(transcription).length > 0 ? { input_audio_transcription: transcription } : {};
      const api = connect(values, io, 'creating a transcription session');
      const session = await api.createRealtimeTranscriptionSession(request);
      const minted = {
        response: session,
        secret: session.client_secret,
        rows: [
          // The schema lists no `id`, but the endpoint returns one (see its example in the fragment).
          ['session', (session as { id?: string }).id ?? '(no id)'],
          ['model', session.input_audio_transcription?.model ?? '(not reported)'],
          ['language', session.input_audio_transcription?.language ?? '(not reported)'],
        ] satisfies [string, string][],
        withSecret: (value: string) => ({ ...session, client_secret: { ...session.client_secret, value } }),
      };
      printMinted(minted, values, io);
    },
  },
  translation: {
    summary:
      'mint a translation client secret (POST /realtime/translations/client_secrets) for a Realtime translation session',
    flags: {
      model: {
        type: 'string',
        label: '--model M',
        help: `translation model (default: ${TRANSLATION_MODEL}; the request requires one)`,
      },
      language: {
        type: 'string',
        label: '--language L',
        help: 'language to translate into, e.g. es; sent as session.audio.output.language (default: the API default)',
      },
      'transcription-model': {
        type: 'string',
        label: '--transcription-model M',
        help: 'also transcribe the source audio, e.g. with gpt-realtime-whisper; sent as session.audio.input.transcription.model',
      },
      'expires-after': EXPIRES_AFTER,
    },
    async run(values, io) {
      const model = values.model === undefined ? TRANSLATION_MODEL : nonEmpty('--model', values.model);
      const session: TranslationRequest['session'] = { model };
      const transcriber = values['transcription-model'];
      const language = values.language;
      if (transcriber !== undefined || language !== undefined) {
        session.audio = {};
        if (transcriber !== undefined)
          session.audio.input = { transcription: { model: nonEmpty('--transcription-model', transcriber) } };
        if (language !== undefined) session.audio.output = { language: nonEmpty('--language', language) };
      }
      const request: TranslationRequest = { session };
      if (values['expires-after'] !== undefined)
        request.expires_after = expiresAfterFlag(values['expires-after']);
      const api = connect(values, io, 'minting a translation client secret');
      const answer = await api.createRealtimeTranslationClientSecret(request);
      const transcription = answer.session?.audio?.input?.transcription;
      const minted = {
        response: answer,
        secret: answer,
        rows: [
          ['session', answer.session?.id ?? '(no id)'],
          ['model', answer.session?.model ?? '(not reported)'],
          ['language', answer.session?.audio?.output?.language ?? '(not reported)'],
          // `null` is the API saying the source audio is not transcribed.
          ['transcript', transcription === null ? 'off' : (transcription?.model ?? '(not reported)')],
        ] satisfies [string, string][],
        withSecret: (value: string) => ({ ...answer, value }),
      };
      printMinted(minted, values, io);
    },
  },
  hangup: {
    summary: 'hang up a Realtime call, SIP or WebRTC (POST /realtime/calls/{call_id}/hangup)',
    args: [
      {
        name: 'CALL_ID',
        help: 'the call to end (rtc_…): from the Location of POST /realtime/calls, or the realtime.call.incoming webhook',
      },
    ],
    flags: {},
    async run(values, io, [callId]) {
      const api = connect(values, io, 'hanging up a call');
      try {
        await api.hangupRealtimeCall(callId);
      } catch (error) {
        // The client checks the id (one path segment, never "." or ".."); name it as typed.
        throw renamed(error, 'callId', 'CALL_ID');
      }
      // The API answers 200 with no body once it begins ending the call: that is all there is to say.
      printDone({ call_id: callId, hangup: 'initiated' }, `call ${callId}: hangup initiated`, values, io);
    },
  },
};
