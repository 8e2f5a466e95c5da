// The command table: create, client-secret, transcription. Adding a command is an entry with its
// summary, its own flags (the global ones come with every command) and a run function.
import type { components } from '../../generated/openapi.js';
import type { CliIo, Values } from './io.js';
import { connect } from './client.js';
import { BETA_ENDPOINTS, EXPIRES_AFTER, INSTRUCTIONS, MODEL, type FlagSpecs } from './flags.js';
import { printMinted } from './output.js';
import { expiresAfterFlag, nonEmpty } from './values.js';

type SessionRequest = components['schemas']['RealtimeSessionCreateRequest'];
type GaSessionRequest = components['schemas']['RealtimeSessionCreateRequestGA'];
type ClientSecretRequest = components['schemas']['RealtimeCreateClientSecretRequest'];
type TranscriptionRequest = components['schemas']['RealtimeTranscriptionSessionCreateRequest'];

export interface Command {
  /** One line for the overview; --help capitalises it. */
  summary: string;
  /** The command's own flags, in --help order; the global ones follow them. */
  flags: FlagSpecs;
  /** Mints and prints; throws what report.ts describes. */
  run(values: Values, io: Required<CliIo>): Promise<void>;
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
};
