// Type tests for the public API, checked by the root `tsc --noEmit` (never run). Each
// `@ts-expect-error` must be needed: if the line compiled, tsc would report the unused directive.
import {
  ApiError,
  createRealtimeSession,
  createRealtimeSessionWithHttpInfo,
  RealtimeApi,
  type ApiResponse,
  type ClientOptions,
  type RealtimeSessionCreateRequest,
  type RealtimeSessionCreateResponse,
  type RequestOptions,
} from '../../src/index.js';
import type { components } from '../../generated/openapi.js';

declare const api: RealtimeApi;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

// ---- The exported types are the generated ones, not copies ------------------------------------
assertType<Equal<RealtimeSessionCreateRequest, components['schemas']['RealtimeSessionCreateRequest']>>();
assertType<Equal<RealtimeSessionCreateResponse, components['schemas']['RealtimeSessionCreateResponse']>>();

export async function positive(): Promise<void> {
  // A realistic request compiles, open string unions included (new models and voices).
  const session = await api.createRealtimeSession({
    model: 'gpt-realtime',
    voice: 'verse',
    modalities: ['audio', 'text'],
    input_audio_format: 'pcm16',
    turn_detection: { type: 'semantic_vad', eagerness: 'auto' },
    max_response_output_tokens: 'inf',
    tracing: { workflow_name: 'support' },
    client_secret: { expires_after: { anchor: 'created_at', seconds: 600 } },
  });
  await api.createRealtimeSession({ model: 'gpt-realtime-2030-01-01', voice: 'some-new-voice' });
  // A function tool's `parameters` is a JSON Schema: any object. (Generated as
  // Record<string, never> before `emptyObjectsUnknown`, which rejected every real tool.)
  await api.createRealtimeSession({
    tools: [
      {
        type: 'function',
        name: 'lookup_order',
        description: 'Find an order by id.',
        parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
    ],
  });
  await api.createRealtimeSession({});

  const value: string = session.client_secret.value;
  const expiresAt: number = session.client_secret.expires_at;
  assertType<Equal<typeof session.client_secret.value, string>>();
  assertType<Equal<typeof session, RealtimeSessionCreateResponse>>();
  void value;
  void expiresAt;

  const info = await api.createRealtimeSessionWithHttpInfo(
    {},
    {
      signal: AbortSignal.timeout(1_000),
      timeoutMs: 5,
      maxRetries: 0,
      headers: { 'x-a': 'b', 'x-remove': null },
    },
  );
  assertType<Equal<typeof info, ApiResponse<RealtimeSessionCreateResponse>>>();
  const status: number = info.status;
  const headers: Headers = info.headers;
  const requestId: string | null = info.requestId;
  void status;
  void headers;
  void requestId;

  // Standalone functions take client and request options in one object.
  const options: ClientOptions & RequestOptions = {
    apiKey: 'sk',
    baseUrl: 'http://x',
    signal: new AbortController().signal,
  };
  const standalone: RealtimeSessionCreateResponse = await createRealtimeSession(
    { model: 'gpt-realtime' },
    options,
  );
  const standaloneInfo: ApiResponse<RealtimeSessionCreateResponse> = await createRealtimeSessionWithHttpInfo(
    {},
  );
  void standalone;
  void standaloneInfo;

  // A standard fetch fits the fetch option.
  new RealtimeApi({ fetch: globalThis.fetch });
  new RealtimeApi({ fetch: async (input: string | URL | Request, init?: RequestInit) => fetch(input, init) });
  new RealtimeApi();

  // Error fields callers branch on.
  try {
    await api.createRealtimeSession({});
  } catch (error) {
    if (error instanceof ApiError) {
      const s: number = error.status;
      const code: string | null = error.code;
      const id: string | null = error.requestId;
      void s;
      void code;
      void id;
    }
  }
}

export async function negative(): Promise<void> {
  // @ts-expect-error 'video' is not a modality.
  await api.createRealtimeSession({ modalities: ['video'] });

  // @ts-expect-error temperature is a number.
  await api.createRealtimeSession({ temperature: 'hot' });

  // @ts-expect-error misspelt top-level field: excess property check on the literal.
  await api.createRealtimeSession({ modle: 'gpt-realtime' });

  // @ts-expect-error input_audio_format is a closed enum.
  await api.createRealtimeSession({ input_audio_format: 'mp3' });

  // @ts-expect-error expires_after requires its anchor.
  await api.createRealtimeSession({ client_secret: { expires_after: { seconds: 60 } } });

  // @ts-expect-error the request is required.
  await api.createRealtimeSession();

  // @ts-expect-error the request must be an object.
  await api.createRealtimeSession('gpt-realtime');

  const session = await api.createRealtimeSession({});
  // @ts-expect-error no such response field.
  void session.client_secret.secret;
  // @ts-expect-error no such response field.
  void session.ephemeral_key;
  // @ts-expect-error client_secret.value is a string, not a number.
  const n: number = session.client_secret.value;
  void n;

  // @ts-expect-error unknown client option.
  new RealtimeApi({ apikey: 'sk' });
  // @ts-expect-error timeoutMs is a number.
  new RealtimeApi({ timeoutMs: '60s' });
  // @ts-expect-error signal is a per-call option, not a client option.
  new RealtimeApi({ signal: new AbortController().signal });
  // @ts-expect-error unknown per-call option.
  await api.createRealtimeSession({}, { timeout: 5 });
}
