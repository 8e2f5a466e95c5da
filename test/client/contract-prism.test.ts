// The SDK against Prism serving the pinned fragment: what Prism accepts, the SDK can send; what the
// fragment forbids, Prism rejects and the SDK reports with the right error class.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Prism } from '../../scripts/lib/prism.js';
import { FRAGMENT } from '../../scripts/lib/project.js';
import {
  ApiError,
  AuthenticationError,
  RealtimeApi,
  UnprocessableEntityError,
  type RealtimeSessionCreateRequest,
} from '../../src/index.js';
import { contractClient, useContractServers, type ContractServers } from '../helpers/prism-contract.js';

const API_KEY = 'sk-test-prism-contract';

let servers: ContractServers;

useContractServers(
  (pinned) => {
    // The trap this suite guards against: Prism silently skips request-body validation when a schema
    // has `nullable: true` beside anyOf/oneOf. A copy of the fragment with exactly that defect is the
    // control group: if it accepts what the pinned fragment rejects, validation on the pin is real.
    const withTrap = pinned.replace(/^(\s+)tracing:\n(\s+)anyOf:/m, '$1tracing:\n$2nullable: true\n$2anyOf:');
    expect(withTrap).not.toBe(pinned);
    return withTrap;
  },
  (s) => (servers = s),
);

const client = (prism: Prism): RealtimeApi => contractClient(prism, API_KEY);

const VALID: RealtimeSessionCreateRequest = {
  model: 'gpt-realtime',
  modalities: ['audio', 'text'],
  voice: 'verse',
  instructions: 'You are a friendly assistant.',
  input_audio_format: 'pcm16',
  turn_detection: { type: 'server_vad', threshold: 0.5, silence_duration_ms: 200 },
  temperature: 0.8,
  max_response_output_tokens: 'inf',
  tracing: 'auto',
  client_secret: { expires_after: { anchor: 'created_at', seconds: 600 } },
};

// Each breaks one constraint of the fragment; the casts are the point (the types forbid them too).
const INVALID: [string, RealtimeSessionCreateRequest, string][] = [
  ['an unknown modality', { modalities: ['video'] } as unknown as RealtimeSessionCreateRequest, 'modalities'],
  ['temperature above the maximum', { temperature: 5 }, 'temperature'],
  [
    'an unknown input_audio_format',
    { input_audio_format: 'mp3' } as unknown as RealtimeSessionCreateRequest,
    'input_audio_format',
  ],
  ['tracing outside its anyOf', { tracing: 5 } as unknown as RealtimeSessionCreateRequest, 'tracing'],
  [
    'max_response_output_tokens outside its anyOf',
    { max_response_output_tokens: 'lots' } as unknown as RealtimeSessionCreateRequest,
    'max_response_output_tokens',
  ],
  [
    'expires_after without its required anchor',
    { client_secret: { expires_after: { seconds: 60 } } } as unknown as RealtimeSessionCreateRequest,
    'client_secret',
  ],
];

describe('Prism mock on the pinned fragment', () => {
  it('accepts a valid request; the response has a string client_secret.value', async () => {
    const { status, data } = await client(servers.mock).createRealtimeSessionWithHttpInfo(VALID);
    expect(status).toBe(200);
    expect(typeof data.client_secret.value).toBe('string');
    expect(typeof data.client_secret.expires_at).toBe('number');
  });

  it('accepts an empty request: every field is optional', async () => {
    await expect(client(servers.mock).createRealtimeSession({})).resolves.toHaveProperty('client_secret');
  });

  it.each(INVALID)('rejects %s with 422 → UnprocessableEntityError', async (_, request, field) => {
    const error = await client(servers.mock)
      .createRealtimeSession(request)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    const e = error as ApiError;
    expect(e.status).toBe(422);
    const validation = (e.body as { validation?: { location: string[] }[] }).validation ?? [];
    expect(validation.some((v) => v.location.includes(field))).toBe(true);
  });

  it('enforces the bearer security scheme: no Authorization → 401 → AuthenticationError', async () => {
    const error = await client(servers.mock)
      .createRealtimeSession({}, { headers: { authorization: null } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as ApiError).status).toBe(401);
  });

  it('the pinned fragment has no `nullable` keyword for Prism to trip on', async () => {
    expect(await readFile(FRAGMENT, 'utf8')).not.toMatch(/^\s*nullable:/m);
  });
});

describe('control: the same fragment with `nullable: true` beside anyOf', () => {
  it('lets every invalid request through: the trap is real, so the rejections above are meaningful', async () => {
    for (const [, request] of INVALID) {
      await expect(client(servers.defective).createRealtimeSession(request)).resolves.toHaveProperty(
        'client_secret',
      );
    }
  });
});

describe('Prism proxy in front of the stand-in upstream', () => {
  it('validates our real request and the upstream response, and passes the session through', async () => {
    const session = await client(servers.proxy).createRealtimeSession(VALID);
    expect(session.client_secret.value).toMatch(/^ek_/);
    expect(session.voice).toBe('verse');
    const seen = servers.standIn.requests.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.parse(seen.body)).toEqual(VALID);
  });

  it('rejects an invalid request before it reaches the upstream', async () => {
    const before = servers.standIn.requests.length;
    await expect(client(servers.proxy).createRealtimeSession({ temperature: 5 })).rejects.toBeInstanceOf(
      UnprocessableEntityError,
    );
    expect(servers.standIn.requests.length).toBe(before);
  });
});
