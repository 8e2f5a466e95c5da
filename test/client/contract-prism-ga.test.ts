// The GA client-secret and transcription-session operations against Prism serving the pinned
// fragment: valid requests succeed, invalid ones are rejected with 422 (validation is on for each
// operation), and the stand-in's answers satisfy the fragment.
import { describe, expect, it } from 'vitest';
import type { Prism } from '../../scripts/lib/prism.js';
import {
  RealtimeApi,
  UnprocessableEntityError,
  type ApiError,
  type RealtimeCreateClientSecretRequest,
  type RealtimeSessionCreateRequest,
  type RealtimeTranscriptionSessionCreateRequest,
} from '../../src/index.js';
import { contractClient, useContractServers, type ContractServers } from '../helpers/prism-contract.js';

const API_KEY = 'sk-test-prism-contract-ga';

let servers: ContractServers;

useContractServers(
  (pinned) => {
    // The control group: overlay 1.1.0 replaced a `nullable: true` beside anyOf in
    // RealtimeSessionCreateRequestGA.tracing, which makes Prism skip body validation for the whole
    // client_secrets operation. A copy of the fragment with that keyword put back must accept what the
    // pinned fragment rejects; otherwise the rejections below would prove nothing.
    const schema = pinned.indexOf('\n    RealtimeSessionCreateRequestGA:\n');
    const tracing = pinned.indexOf('\n        tracing:\n', schema);
    const anyOf = pinned.indexOf('\n          anyOf:\n', tracing);
    expect(Math.min(schema, tracing, anyOf)).toBeGreaterThan(0);
    return `${pinned.slice(0, anyOf)}\n          nullable: true${pinned.slice(anyOf)}`;
  },
  (s) => (servers = s),
);

const client = (prism: Prism): RealtimeApi => contractClient(prism, API_KEY);

/** The 422's validation locations, e.g. `body.expires_after.seconds`. */
async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; locations: string[] }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const validation = ((error as ApiError | undefined)?.body as { validation?: { location: string[] }[] })
    ?.validation;
  return { error, locations: (validation ?? []).map((v) => v.location.join('.')) };
}

const CLIENT_SECRET: RealtimeCreateClientSecretRequest = {
  expires_after: { anchor: 'created_at', seconds: 600 },
  session: {
    type: 'realtime',
    model: 'gpt-realtime',
    instructions: 'You are a friendly assistant.',
    output_modalities: ['audio'],
    audio: {
      input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'semantic_vad' } },
      output: { voice: 'verse', speed: 1.1 },
    },
    tracing: 'auto',
    max_output_tokens: 'inf',
  },
};

const TRANSCRIPTION_SECRET: RealtimeCreateClientSecretRequest = {
  session: {
    type: 'transcription',
    audio: { input: { transcription: { model: 'gpt-4o-transcribe', language: 'en' } } },
  },
};

const TRANSCRIPTION: RealtimeTranscriptionSessionCreateRequest = {
  input_audio_format: 'pcm16',
  input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en', prompt: '' },
  turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200 },
  input_audio_noise_reduction: { type: 'far_field' },
};

// Each breaks one constraint of the fragment; the casts are the point (the types forbid them too).
const INVALID_CLIENT_SECRETS: [string, RealtimeCreateClientSecretRequest, string][] = [
  [
    'a session without its required type',
    { session: { model: 'gpt-realtime' } } as unknown as RealtimeCreateClientSecretRequest,
    'body.session',
  ],
  [
    'expires_after.seconds below 10',
    { expires_after: { anchor: 'created_at', seconds: 5 }, session: { type: 'realtime' } },
    'body.expires_after.seconds',
  ],
  [
    'expires_after.seconds above 7200',
    { expires_after: { anchor: 'created_at', seconds: 7201 }, session: { type: 'realtime' } },
    'body.expires_after.seconds',
  ],
  [
    'an unknown expires_after.anchor',
    {
      expires_after: { anchor: 'now', seconds: 60 },
      session: { type: 'realtime' },
    } as unknown as RealtimeCreateClientSecretRequest,
    'body.expires_after.anchor',
  ],
  [
    'an unknown session type',
    { session: { type: 'video' } } as unknown as RealtimeCreateClientSecretRequest,
    'body.session',
  ],
  [
    'tracing outside its anyOf (the field the overlay corrects)',
    { session: { type: 'realtime', tracing: 5 } } as unknown as RealtimeCreateClientSecretRequest,
    'body.session',
  ],
];

const INVALID_TRANSCRIPTIONS: [string, RealtimeTranscriptionSessionCreateRequest, string][] = [
  [
    'an unknown input_audio_format',
    { input_audio_format: 'mp3' } as unknown as RealtimeTranscriptionSessionCreateRequest,
    'body.input_audio_format',
  ],
  [
    'semantic_vad, which transcription sessions do not support',
    { turn_detection: { type: 'semantic_vad' } } as unknown as RealtimeTranscriptionSessionCreateRequest,
    'body.turn_detection.type',
  ],
  [
    'an unknown noise reduction type',
    {
      input_audio_noise_reduction: { type: 'studio' },
    } as unknown as RealtimeTranscriptionSessionCreateRequest,
    'body.input_audio_noise_reduction.type',
  ],
];

describe('Prism mock on the pinned fragment: POST /realtime/client_secrets', () => {
  it.each([
    ['a realtime session', CLIENT_SECRET],
    ['a transcription session', TRANSCRIPTION_SECRET],
    ['no session at all', {}],
  ])('accepts %s; the response has a string value and a numeric expires_at', async (_, request) => {
    const { status, data } = await client(servers.mock).createRealtimeClientSecretWithHttpInfo(request);
    expect(status).toBe(200);
    expect(typeof data.value).toBe('string');
    expect(typeof data.expires_at).toBe('number');
    expect(['realtime', 'transcription']).toContain(data.session.type);
  });

  it.each(INVALID_CLIENT_SECRETS)('rejects %s with 422', async (_, request, location) => {
    const { error, locations } = await rejection(client(servers.mock).createRealtimeClientSecret(request));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).path).toBe('/realtime/client_secrets');
    expect(locations.some((l) => l.startsWith(location))).toBe(true);
  });

  it('enforces the bearer scheme: no Authorization → 401', async () => {
    const { error } = await rejection(
      client(servers.mock).createRealtimeClientSecret(CLIENT_SECRET, { headers: { authorization: null } }),
    );
    expect((error as ApiError).status).toBe(401);
  });
});

describe('Prism mock on the pinned fragment: POST /realtime/transcription_sessions', () => {
  it.each([
    ['a full request', TRANSCRIPTION],
    ['an empty request', {}],
  ])('accepts %s; the response has a string client_secret.value', async (_, request) => {
    const { status, data } = await client(servers.mock).createRealtimeTranscriptionSessionWithHttpInfo(
      request,
    );
    expect(status).toBe(200);
    expect(typeof data.client_secret.value).toBe('string');
    expect(typeof data.client_secret.expires_at).toBe('number');
  });

  it.each(INVALID_TRANSCRIPTIONS)('rejects %s with 422', async (_, request, location) => {
    const { error, locations } = await rejection(
      client(servers.mock).createRealtimeTranscriptionSession(request),
    );
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as ApiError).path).toBe('/realtime/transcription_sessions');
    expect(locations.some((l) => l.startsWith(location))).toBe(true);
  });
});

describe('control: the fragment with `nullable: true` back beside anyOf in the GA tracing', () => {
  it('lets every invalid client_secrets request through: the trap is real', async () => {
    for (const [, request] of INVALID_CLIENT_SECRETS) {
      await expect(client(servers.defective).createRealtimeClientSecret(request)).resolves.toHaveProperty(
        'value',
      );
    }
  });
});

describe('Prism proxy in front of the stand-in upstream (requests and responses validated)', () => {
  it('client_secrets: our request passes, and the stand-in answers a valid GA secret and session', async () => {
    const { data, headers } = await client(servers.proxy).createRealtimeClientSecretWithHttpInfo(
      CLIENT_SECRET,
    );
    // Prism with --errors turns an invalid upstream response into a 500; say so explicitly too.
    expect(headers.get('sl-violations')).toBeNull();
    expect(data.value).toMatch(/^ek_[0-9a-f]{32}$/);
    const now = Date.now() / 1000;
    expect(data.expires_at).toBeGreaterThan(now + 590);
    expect(data.expires_at).toBeLessThanOrEqual(now + 601);
    expect(data.session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      model: 'gpt-realtime',
      instructions: 'You are a friendly assistant.',
      audio: { output: { voice: 'verse', speed: 1.1, format: { type: 'audio/pcm', rate: 24000 } } },
    });
    expect(data.session.id).toMatch(/^sess_/);
    const seen = servers.standIn.requests.at(-1)!;
    expect(seen.url).toBe('/realtime/client_secrets');
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(seen.body)).toEqual(CLIENT_SECRET);
  });

  it('client_secrets for a transcription session: a valid transcription session comes back', async () => {
    const { data, headers } = await client(servers.proxy).createRealtimeClientSecretWithHttpInfo(
      TRANSCRIPTION_SECRET,
    );
    expect(headers.get('sl-violations')).toBeNull();
    expect(data.session).toMatchObject({ type: 'transcription', object: 'realtime.transcription_session' });
  });

  it('transcription_sessions: our request passes, and the stand-in answers a valid session', async () => {
    const { data, headers } = await client(servers.proxy).createRealtimeTranscriptionSessionWithHttpInfo(
      TRANSCRIPTION,
    );
    expect(headers.get('sl-violations')).toBeNull();
    expect(data.client_secret.value).toMatch(/^ek_/);
    expect(data.input_audio_transcription).toMatchObject({ model: 'gpt-4o-transcribe', language: 'en' });
    expect(servers.standIn.requests.at(-1)!.url).toBe('/realtime/transcription_sessions');
  });

  it('rejects an invalid request before it reaches the upstream', async () => {
    const before = servers.standIn.requests.length;
    const [, request] = INVALID_CLIENT_SECRETS[1]!;
    await expect(client(servers.proxy).createRealtimeClientSecret(request)).rejects.toBeInstanceOf(
      UnprocessableEntityError,
    );
    expect(servers.standIn.requests.length).toBe(before);
  });
});

describe('Prism mock on the pinned fragment: the beta-to-GA translation', () => {
  // Every mappable beta field at once, so Prism validates each translated field against the GA schema.
  const EVERY_BETA_FIELD: RealtimeSessionCreateRequest & { include?: string[] } = {
    model: 'gpt-realtime',
    instructions: 'Be brief.',
    modalities: ['audio', 'text'],
    voice: 'marin',
    speed: 1.1,
    input_audio_format: 'pcm16',
    output_audio_format: 'g711_ulaw',
    input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en', prompt: 'names' },
    input_audio_noise_reduction: { type: 'near_field' },
    turn_detection: {
      type: 'semantic_vad',
      eagerness: 'low',
      create_response: true,
      interrupt_response: true,
    },
    include: ['item.input_audio_transcription.logprobs'],
    tools: [{ type: 'function', name: 'lookup', description: 'Looks up.', parameters: { type: 'object' } }],
    tool_choice: 'auto',
    max_response_output_tokens: 512,
    tracing: { workflow_name: 'support', group_id: 'g1' },
    client_secret: { expires_after: { anchor: 'created_at', seconds: 300 } },
  };

  const gaClient = (prism: Prism) =>
    new RealtimeApi({
      apiKey: API_KEY,
      baseUrl: prism.baseUrl,
      maxRetries: 0,
      timeoutMs: 10_000,
      betaEndpoints: 'ga',
    });

  it('a translated session request with every beta field passes the GA schema; the answer comes back in the beta shape', async () => {
    const { status, data } = await gaClient(servers.mock).createRealtimeSessionWithHttpInfo(EVERY_BETA_FIELD);
    expect(status).toBe(200);
    expect(typeof data.client_secret.value).toBe('string');
    expect(typeof data.client_secret.expires_at).toBe('number');
  });

  it('a translated transcription request passes the GA schema', async () => {
    const { status, data } = await gaClient(servers.mock).createRealtimeTranscriptionSessionWithHttpInfo(
      TRANSCRIPTION,
    );
    expect(status).toBe(200);
    expect(typeof data.client_secret.value).toBe('string');
  });

  it('through the validating proxy to the stand-in, the GA exchange is valid both ways', async () => {
    const before = servers.standIn.requests.length;
    const session = await gaClient(servers.proxy).createRealtimeSession(EVERY_BETA_FIELD);
    expect(session.voice).toBe('marin');
    expect(session.output_audio_format).toBe('g711_ulaw');
    expect(session.modalities).toEqual(['audio', 'text']);
    const sent = servers.standIn.requests.slice(before);
    expect(sent.map((r) => r.url)).toEqual(['/realtime/client_secrets']);
    expect(JSON.parse(sent[0]!.body).expires_after).toEqual({ anchor: 'created_at', seconds: 300 });
  });

  it.each([
    ['a beta format name at its GA place', { audio: { output: { format: 'g711_ulaw' } } }, 'body.session'],
    ['beta modalities both at once', { output_modalities: ['audio', 'text', 'video'] }, 'body.session'],
  ])(
    'the control: %s, untranslated, is rejected, so the conversion matters and validation is on',
    async (_, session, where) => {
      const { error, locations } = await rejection(
        client(servers.mock).createRealtimeClientSecret({
          session: { type: 'realtime', ...session },
        } as unknown as RealtimeCreateClientSecretRequest),
      );
      expect(error).toBeInstanceOf(UnprocessableEntityError);
      expect(locations.some((l) => l.startsWith(where))).toBe(true);
    },
  );
});
