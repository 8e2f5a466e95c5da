// Type tests for the GA client-secret and transcription-session API and the handler's client_secrets
// mode, checked by the root `tsc --noEmit` (never run). Each `@ts-expect-error` must be needed: if the
// line compiled, tsc would report the unused directive.
import {
  createRealtimeClientSecret,
  createRealtimeClientSecretWithHttpInfo,
  createRealtimeTranscriptionSession,
  createRealtimeTranscriptionSessionWithHttpInfo,
  createSessionHandler,
  RealtimeApi,
  type ApiResponse,
  type CallContext,
  type CallHandlerOptions,
  type ClientSecretHandlerOptions,
  type RealtimeCreateClientSecretRequest,
  type RealtimeCreateClientSecretResponse,
  type RealtimeTranscriptionSessionCreateRequest,
  type RealtimeTranscriptionSessionCreateResponse,
  type SessionHandlerOptions,
  type SessionHandlerSuccessBody,
} from '../../src/index.js';
import type { components, paths } from '../../generated/openapi.js';

declare const api: RealtimeApi;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}
/** The keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

// ---- The exported types are the generated ones, not copies ------------------------------------
assertType<
  Equal<RealtimeCreateClientSecretRequest, components['schemas']['RealtimeCreateClientSecretRequest']>
>();
assertType<
  Equal<RealtimeCreateClientSecretResponse, components['schemas']['RealtimeCreateClientSecretResponse']>
>();
assertType<
  Equal<
    RealtimeTranscriptionSessionCreateRequest,
    components['schemas']['RealtimeTranscriptionSessionCreateRequest']
  >
>();
assertType<
  Equal<
    RealtimeTranscriptionSessionCreateResponse,
    components['schemas']['RealtimeTranscriptionSessionCreateResponse']
  >
>();
// …and the ones the operations declare in `paths`.
assertType<
  Equal<
    paths['/realtime/client_secrets']['post']['requestBody']['content']['application/json'],
    RealtimeCreateClientSecretRequest
  >
>();
assertType<
  Equal<
    paths['/realtime/transcription_sessions']['post']['responses'][200]['content']['application/json'],
    RealtimeTranscriptionSessionCreateResponse
  >
>();

// Fields the server defaults are optional in requests (generated with defaultNonNullable: false):
// only `type` is required in a GA session, nothing in a transcription request.
assertType<Equal<RequiredKeys<components['schemas']['RealtimeSessionCreateRequestGA']>, 'type'>>();
assertType<Equal<RequiredKeys<RealtimeTranscriptionSessionCreateRequest>, never>>();
assertType<Equal<RequiredKeys<RealtimeCreateClientSecretResponse>, 'value' | 'expires_at' | 'session'>>();

export async function positive(): Promise<void> {
  const minted = await api.createRealtimeClientSecret({
    expires_after: { anchor: 'created_at', seconds: 600 },
    session: {
      type: 'realtime',
      model: 'gpt-realtime',
      instructions: 'Be brief.',
      audio: { output: { voice: 'marin' }, input: { format: { type: 'audio/pcm', rate: 24000 } } },
      tracing: null,
    },
  });
  const value: string = minted.value;
  const expiresAt: number = minted.expires_at;
  assertType<Equal<typeof minted.value, string>>();
  assertType<Equal<typeof minted, RealtimeCreateClientSecretResponse>>();
  void value;
  void expiresAt;
  // The session is a realtime or a transcription session, told apart by `type`.
  if (minted.session.type === 'realtime') {
    const voice: string | undefined = minted.session.audio?.output?.voice;
    void voice;
  }

  await api.createRealtimeClientSecret({ session: { type: 'realtime', model: 'gpt-realtime-2099-01-01' } });
  await api.createRealtimeClientSecret({ session: { type: 'transcription' } });
  await api.createRealtimeClientSecret({});

  const info = await api.createRealtimeClientSecretWithHttpInfo({}, { signal: AbortSignal.timeout(1_000) });
  assertType<Equal<typeof info, ApiResponse<RealtimeCreateClientSecretResponse>>>();

  const transcription = await api.createRealtimeTranscriptionSession({
    input_audio_format: 'g711_ulaw',
    input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en' },
    turn_detection: { type: 'server_vad', threshold: 0.5 },
  });
  const secret: string = transcription.client_secret.value;
  void secret;
  assertType<Equal<typeof transcription, RealtimeTranscriptionSessionCreateResponse>>();
  const tInfo = await api.createRealtimeTranscriptionSessionWithHttpInfo({}, { maxRetries: 0 });
  assertType<Equal<typeof tInfo, ApiResponse<RealtimeTranscriptionSessionCreateResponse>>>();

  // Standalone forms take client and request options in one object.
  const a: RealtimeCreateClientSecretResponse = await createRealtimeClientSecret(
    { session: { type: 'realtime' } },
    { apiKey: 'sk', timeoutMs: 5_000, signal: new AbortController().signal },
  );
  const b: ApiResponse<RealtimeCreateClientSecretResponse> = await createRealtimeClientSecretWithHttpInfo({});
  const c: RealtimeTranscriptionSessionCreateResponse = await createRealtimeTranscriptionSession(
    {},
    { apiKey: 'sk' },
  );
  const d: ApiResponse<RealtimeTranscriptionSessionCreateResponse> =
    await createRealtimeTranscriptionSessionWithHttpInfo({});
  void [a, b, c, d];

  // The handler's two modes.
  createSessionHandler({
    endpoint: 'sessions',
    session: { model: 'gpt-realtime', voice: 'verse' },
    allowFromClient: ['voice'],
  });
  // Without `endpoint`: the GA mode, the default since 0.2.0.
  createSessionHandler({ session: { type: 'realtime', model: 'gpt-realtime' }, allowFromClient: ['voice'] });
  createSessionHandler({});
  createSessionHandler();
  // @ts-expect-error without `endpoint` the session is the GA config: a beta config needs endpoint: 'sessions'.
  createSessionHandler({ session: { model: 'gpt-realtime', voice: 'verse' } });
  createSessionHandler({ endpoint: 'sessions', session: { model: 'gpt-realtime' } });
  createSessionHandler({
    endpoint: 'client_secrets',
    session: { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'marin' } } },
    allowFromClient: ['voice', 'instructions'],
    expiresAfterSeconds: 120,
    maxBodyBytes: 4096,
    cors: { origins: ['https://app.example.com'] },
  });
  createSessionHandler({ endpoint: 'client_secrets' });
  const options: ClientSecretHandlerOptions = { endpoint: 'client_secrets', apiKey: 'sk', timeoutMs: 1 };
  createSessionHandler(options);

  // The calls mode: a GA realtime session, its own cap, and a hook with the call id.
  createSessionHandler({
    endpoint: 'calls',
    session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
    allowFromClient: ['voice'],
    maxOfferBytes: 32_768,
    onCall: ({ callId, request }: CallContext) => void [callId.startsWith('rtc_'), request.headers],
  });
  const calls: CallHandlerOptions = { endpoint: 'calls', apiKey: 'sk', onCall: async () => {} };
  createSessionHandler(calls);
  // @ts-expect-error calls mode caps the offer with maxOfferBytes, not maxBodyBytes.
  createSessionHandler({ endpoint: 'calls', maxBodyBytes: 4096 });
  // @ts-expect-error a call cannot be a transcription session.
  createSessionHandler({ endpoint: 'calls', session: { type: 'transcription' } });
  // @ts-expect-error no secret is minted in calls mode.
  createSessionHandler({ endpoint: 'calls', expiresAfterSeconds: 60 });
  // @ts-expect-error onCall belongs to calls mode.
  createSessionHandler({ onCall: () => {} });
  // @ts-expect-error maxOfferBytes belongs to calls mode.
  createSessionHandler({ endpoint: 'sessions', maxOfferBytes: 1024 });

  // The answer has one shape; only the session's type differs.
  const body: SessionHandlerSuccessBody<RealtimeCreateClientSecretResponse['session']> = {
    client_secret: { value: 'ek_1', expires_at: 1 },
    session: minted.session,
  };
  const beta: SessionHandlerSuccessBody = { client_secret: { value: 'ek_1', expires_at: 1 }, session: {} };
  void body;
  void beta;
}

export async function negative(): Promise<void> {
  // @ts-expect-error a GA session needs its type.
  await api.createRealtimeClientSecret({ session: { model: 'gpt-realtime' } });

  // @ts-expect-error the session type is 'realtime' or 'transcription'.
  await api.createRealtimeClientSecret({ session: { type: 'video' } });

  // @ts-expect-error GA puts the voice under audio.output, not at the top of the session.
  await api.createRealtimeClientSecret({ session: { type: 'realtime', voice: 'verse' } });

  // @ts-expect-error the anchor is always 'created_at'.
  await api.createRealtimeClientSecret({ expires_after: { anchor: 'now', seconds: 60 } });

  // @ts-expect-error seconds is a number.
  await api.createRealtimeClientSecret({ expires_after: { anchor: 'created_at', seconds: '60' } });

  // @ts-expect-error input_audio_format is a closed enum.
  await api.createRealtimeTranscriptionSession({ input_audio_format: 'mp3' });

  // @ts-expect-error transcription sessions support only server_vad.
  await api.createRealtimeTranscriptionSession({ turn_detection: { type: 'semantic_vad' } });

  // @ts-expect-error the transcription request has no top-level model: it is input_audio_transcription.model.
  await api.createRealtimeTranscriptionSession({ model: 'gpt-4o-transcribe' });

  // @ts-expect-error the request is required.
  await api.createRealtimeClientSecret();

  const minted = await api.createRealtimeClientSecret({});
  // @ts-expect-error the GA secret is top-level `value`, not `client_secret.value`.
  void minted.client_secret;
  // @ts-expect-error value is a string, not a number.
  const n: number = minted.value;
  void n;

  const transcription = await api.createRealtimeTranscriptionSession({});
  // @ts-expect-error client_secret.value is a string.
  const m: number = transcription.client_secret.value;
  void m;

  // @ts-expect-error expiresAfterSeconds needs endpoint: 'client_secrets'.
  createSessionHandler({ endpoint: 'sessions', session: { model: 'gpt-realtime' }, expiresAfterSeconds: 60 });

  // @ts-expect-error in client_secrets mode the session is the GA config, whose type is required.
  createSessionHandler({ endpoint: 'client_secrets', session: { model: 'gpt-realtime' } });

  // @ts-expect-error the browser may never set the session type.
  createSessionHandler({ endpoint: 'client_secrets', allowFromClient: ['type'] });

  // @ts-expect-error `modalities` is a beta field; GA calls it output_modalities.
  createSessionHandler({ endpoint: 'client_secrets', allowFromClient: ['modalities'] });

  // @ts-expect-error not an endpoint.
  createSessionHandler({ endpoint: 'realtime' });

  const sessionsMode: SessionHandlerOptions = { endpoint: 'sessions' };
  // @ts-expect-error sessions-mode options have no GA session type.
  sessionsMode.session = { type: 'realtime' };
}
