// The beta → GA translation, field by field, and its answer back: every field of the two beta request
// schemas in the pinned fragment is mapped (to a place that exists in the GA schema) or refused by name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FRAGMENT } from '../../scripts/lib/project.js';
import { fieldsOf, fromGaResponse, REFUSED_FIELDS, toGaRequest } from '../../src/client/beta-translate.js';
import { InvalidArgumentError, type RealtimeSessionCreateRequest } from '../../src/index.js';

const SESSION_FIELDS = fieldsOf('realtime');
const TRANSCRIPTION_FIELDS = fieldsOf('transcription');

type Schema = { properties?: Record<string, Schema>; $ref?: string; anyOf?: Schema[] };
const schemas = (parse(readFileSync(FRAGMENT, 'utf8')) as { components: { schemas: Record<string, Schema> } })
  .components.schemas;

/** The schema at a dotted property path, following `$ref`s and `anyOf` branches. */
function schemaAt(root: Schema, dotted: string): Schema | undefined {
  let node: Schema | undefined = root;
  for (const key of dotted.split('.')) {
    const resolved = (s: Schema | undefined): Schema | undefined =>
      s?.$ref ? resolved(schemas[s.$ref.split('/').pop()!]) : s;
    node = resolved(node);
    const candidates: Schema[] = node?.anyOf ? node.anyOf.map((s) => resolved(s)!) : node ? [node] : [];
    node = candidates.map((c) => c.properties?.[key]).find((p) => p !== undefined);
    if (!node) return undefined;
  }
  return node;
}

const realtime = (session: object) => ({ session: { type: 'realtime', ...session } });

describe('beta session request → GA client secret request, field by field', () => {
  it.each<[string, RealtimeSessionCreateRequest | Record<string, unknown>, unknown]>([
    ['model', { model: 'gpt-realtime' }, realtime({ model: 'gpt-realtime' })],
    ['instructions', { instructions: 'Be brief.' }, realtime({ instructions: 'Be brief.' })],
    ['modalities audio+text', { modalities: ['audio', 'text'] }, realtime({ output_modalities: ['audio'] })],
    ['modalities text', { modalities: ['text'] }, realtime({ output_modalities: ['text'] })],
    ['modalities audio', { modalities: ['audio'] }, realtime({ output_modalities: ['audio'] })],
    ['voice', { voice: 'verse' }, realtime({ audio: { output: { voice: 'verse' } } })],
    ['speed', { speed: 1.25 }, realtime({ audio: { output: { speed: 1.25 } } })],
    [
      'output_audio_format pcm16',
      { output_audio_format: 'pcm16' },
      realtime({ audio: { output: { format: { type: 'audio/pcm', rate: 24000 } } } }),
    ],
    [
      'input_audio_format g711_ulaw',
      { input_audio_format: 'g711_ulaw' },
      realtime({ audio: { input: { format: { type: 'audio/pcmu' } } } }),
    ],
    [
      'input_audio_format g711_alaw',
      { input_audio_format: 'g711_alaw' },
      realtime({ audio: { input: { format: { type: 'audio/pcma' } } } }),
    ],
    [
      'input_audio_transcription',
      { input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en' } },
      realtime({ audio: { input: { transcription: { model: 'gpt-4o-transcribe', language: 'en' } } } }),
    ],
    [
      'input_audio_transcription null',
      { input_audio_transcription: null },
      realtime({ audio: { input: { transcription: null } } }),
    ],
    [
      'turn_detection with its type',
      { turn_detection: { type: 'semantic_vad', eagerness: 'low' } },
      realtime({ audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'low' } } } }),
    ],
    [
      'turn_detection without a type (beta defaulted to server VAD; GA requires the type)',
      { turn_detection: { threshold: 0.6, silence_duration_ms: 400 } },
      realtime({
        audio: {
          input: { turn_detection: { type: 'server_vad', threshold: 0.6, silence_duration_ms: 400 } },
        },
      }),
    ],
    [
      'turn_detection null',
      { turn_detection: null },
      realtime({ audio: { input: { turn_detection: null } } }),
    ],
    [
      'input_audio_noise_reduction',
      { input_audio_noise_reduction: { type: 'far_field' } },
      realtime({ audio: { input: { noise_reduction: { type: 'far_field' } } } }),
    ],
    [
      'include',
      { include: ['item.input_audio_transcription.logprobs'] },
      realtime({ include: ['item.input_audio_transcription.logprobs'] }),
    ],
    [
      'tools',
      { tools: [{ type: 'function', name: 'lookup', description: 'd', parameters: { type: 'object' } }] },
      realtime({
        tools: [{ type: 'function', name: 'lookup', description: 'd', parameters: { type: 'object' } }],
      }),
    ],
    ['tool_choice mode', { tool_choice: 'required' }, realtime({ tool_choice: 'required' })],
    [
      'tool_choice function',
      { tool_choice: { type: 'function', name: 'lookup' } },
      realtime({ tool_choice: { type: 'function', name: 'lookup' } }),
    ],
    ['max_response_output_tokens', { max_response_output_tokens: 512 }, realtime({ max_output_tokens: 512 })],
    [
      'max_response_output_tokens inf',
      { max_response_output_tokens: 'inf' },
      realtime({ max_output_tokens: 'inf' }),
    ],
    ['tracing auto', { tracing: 'auto' }, realtime({ tracing: 'auto' })],
    ['tracing object', { tracing: { workflow_name: 'w' } }, realtime({ tracing: { workflow_name: 'w' } })],
    [
      'client_secret.expires_after → top-level expires_after',
      { client_secret: { expires_after: { anchor: 'created_at', seconds: 120 } } },
      { expires_after: { anchor: 'created_at', seconds: 120 }, session: { type: 'realtime' } },
    ],
    ['an undefined field is absent, as in JSON', { voice: undefined }, realtime({})],
  ])('%s', (_, beta, ga) => {
    expect(toGaRequest('realtime', beta as RealtimeSessionCreateRequest)).toEqual(ga);
  });

  it('translates a whole request at once, audio settings merged under one audio object', () => {
    expect(
      toGaRequest('realtime', {
        model: 'gpt-realtime',
        voice: 'marin',
        speed: 1.1,
        input_audio_format: 'pcm16',
        output_audio_format: 'g711_alaw',
        turn_detection: { type: 'server_vad' },
      }),
    ).toEqual({
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        audio: {
          input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' } },
          output: { voice: 'marin', speed: 1.1, format: { type: 'audio/pcma' } },
        },
      },
    });
  });
});

describe('beta transcription request → GA client secret request', () => {
  it.each<[string, Record<string, unknown>, object]>([
    [
      'input_audio_format',
      { input_audio_format: 'pcm16' },
      { audio: { input: { format: { type: 'audio/pcm', rate: 24000 } } } },
    ],
    [
      'input_audio_transcription',
      { input_audio_transcription: { model: 'gpt-4o-transcribe', language: 'en', prompt: 'p' } },
      { audio: { input: { transcription: { model: 'gpt-4o-transcribe', language: 'en', prompt: 'p' } } } },
    ],
    [
      'turn_detection',
      { turn_detection: { type: 'server_vad', threshold: 0.5 } },
      { audio: { input: { turn_detection: { type: 'server_vad', threshold: 0.5 } } } },
    ],
    [
      'input_audio_noise_reduction',
      { input_audio_noise_reduction: { type: 'near_field' } },
      { audio: { input: { noise_reduction: { type: 'near_field' } } } },
    ],
    [
      'include',
      { include: ['item.input_audio_transcription.logprobs'] },
      { include: ['item.input_audio_transcription.logprobs'] },
    ],
  ])('%s', (_, beta, session) => {
    expect(toGaRequest('transcription', beta)).toEqual({ session: { type: 'transcription', ...session } });
  });

  it('refuses a realtime-only field by name', () => {
    expect(() => toGaRequest('transcription', { voice: 'verse' } as never)).toThrow(
      /`request\.voice` is not a field of the beta transcription session request/,
    );
  });
});

describe('refusals: InvalidArgumentError naming the field, never a silent drop or a TypeError', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['temperature has no GA equivalent', { temperature: 0.8 }, /`request\.temperature` has no GA equivalent/],
    ['an unknown field', { voicee: 'verse' }, /`request\.voicee` is not a field of the beta session request/],
    ['model not a string', { model: 42 }, /`request\.model` must be a string, but received number 42/],
    ['modalities empty', { modalities: [] }, /`request\.modalities` must be a non-empty array/],
    ['modalities unknown', { modalities: ['video'] }, /`request\.modalities` must be/],
    ['modalities a string', { modalities: 'audio' }, /`request\.modalities` must be .* received a string/],
    [
      'voice an object',
      { voice: { nested: 1 } },
      /`request\.voice` must be a string, but received an object/,
    ],
    ['speed a string', { speed: '1' }, /`request\.speed` must be a number/],
    [
      'an unknown audio format',
      { output_audio_format: 'mp3' },
      /`request\.output_audio_format` must be 'pcm16'/,
    ],
    [
      'a format from the prototype',
      { input_audio_format: 'toString' },
      /`request\.input_audio_format` must be/,
    ],
    [
      'transcription a string',
      { input_audio_transcription: 'on' },
      /`request\.input_audio_transcription` must be/,
    ],
    [
      'turn_detection an array',
      { turn_detection: [] },
      /`request\.turn_detection` must be an object or null/,
    ],
    [
      'noise reduction a number',
      { input_audio_noise_reduction: 1 },
      /`request\.input_audio_noise_reduction`/,
    ],
    ['include not strings', { include: [1] }, /`request\.include` must be an array of strings/],
    ['tools not an array', { tools: {} }, /`request\.tools` must be an array of objects/],
    ['tools of strings', { tools: ['lookup'] }, /`request\.tools` must be an array of objects/],
    ['tool_choice an unknown mode', { tool_choice: 'sometimes' }, /`request\.tool_choice` must be 'none'/],
    ['max tokens fractional', { max_response_output_tokens: 1.5 }, /`request\.max_response_output_tokens`/],
    [
      'max tokens a word',
      { max_response_output_tokens: 'infinity' },
      /`request\.max_response_output_tokens`/,
    ],
    ['tracing an unknown mode', { tracing: 'on' }, /`request\.tracing` must be 'auto', an object or null/],
    [
      'client_secret with the minted value',
      { client_secret: { value: 'x' } },
      /`request\.client_secret` must be/,
    ],
    [
      'client_secret.expires_after a number',
      { client_secret: { expires_after: 60 } },
      /`request\.client_secret`/,
    ],
  ])('%s', (_, beta, message) => {
    let thrown: unknown;
    try {
      toGaRequest('realtime', beta as RealtimeSessionCreateRequest);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toContain('POST /realtime/client_secrets');
  });

  it('never quotes a string value (it may be a secret pasted in the wrong field)', () => {
    expect(() => toGaRequest('realtime', { voice: ['sk-pasted-secret-123456'] } as never)).toThrow(
      /received an array\b/,
    );
    expect(() => toGaRequest('realtime', { modalities: 'sk-pasted-secret-123456' } as never)).not.toThrow(
      /sk-pasted/,
    );
  });
});

describe('the tables match the pinned fragment', () => {
  it('every beta session request field is mapped or refused, and nothing else is', () => {
    const fields = Object.keys(schemas.RealtimeSessionCreateRequest!.properties!);
    const handled = [...SESSION_FIELDS.map(([beta]) => beta), ...Object.keys(REFUSED_FIELDS)];
    // `include` is in the GA session and in the beta transcription request; the beta session takes it too.
    expect(new Set(handled)).toEqual(new Set([...fields, 'include']));
  });

  it('every beta transcription request field is mapped', () => {
    const fields = Object.keys(schemas.RealtimeTranscriptionSessionCreateRequest!.properties!);
    expect(new Set(TRANSCRIPTION_FIELDS.map(([beta]) => beta))).toEqual(new Set(fields));
  });

  it.each([
    ['realtime', SESSION_FIELDS, 'RealtimeSessionCreateRequestGA'],
    ['transcription', TRANSCRIPTION_FIELDS, 'RealtimeTranscriptionSessionCreateRequestGA'],
  ] as const)('every %s GA target exists in the GA request schema', (_, table, gaSchema) => {
    for (const [, ga] of table) {
      const target = ga.startsWith('session.')
        ? schemaAt(schemas[gaSchema]!, ga.slice('session.'.length))
        : schemaAt(schemas.RealtimeCreateClientSecretRequest!, ga);
      expect(target, ga).toBeDefined();
    }
  });

  it.each([
    ['realtime', SESSION_FIELDS, 'RealtimeSessionCreateResponseGA', 'RealtimeSessionCreateResponse'],
    [
      'transcription',
      TRANSCRIPTION_FIELDS,
      'RealtimeTranscriptionSessionCreateResponseGA',
      'RealtimeTranscriptionSessionCreateResponse',
    ],
  ] as const)(
    'every %s field the answer maps back exists in the GA response session and in the beta response',
    (_, table, ga, betaResponse) => {
      const betaNames = Object.keys(schemas[betaResponse]!.properties!);
      const mappedBack = table.filter(([, gaPath]) => gaPath.startsWith('session.'));
      for (const [beta, gaPath] of mappedBack) {
        expect(schemaAt(schemas[ga]!, gaPath.slice('session.'.length)), gaPath).toBeDefined();
        // `include` and `input_audio_noise_reduction` are beta request fields the beta response
        // schema omits; the answer carries them back under the name the request used.
        if (!['include', 'input_audio_noise_reduction'].includes(beta))
          expect(betaNames, beta).toContain(beta);
      }
      // Only client_secret → expires_after has no way back: the answer has expires_at instead.
      expect(mappedBack.length).toBe(table.length - (table === SESSION_FIELDS ? 1 : 0));
    },
  );
});

describe('GA answer → beta response shape', () => {
  it('a realtime session: the secret as client_secret, fields at their beta names, formats mapped back', () => {
    const beta = fromGaResponse('realtime', {
      value: 'ek_translated',
      expires_at: 1_900_000_000,
      session: {
        type: 'realtime',
        object: 'realtime.session',
        id: 'sess_1',
        model: 'gpt-realtime',
        output_modalities: ['audio'],
        instructions: 'Be brief.',
        tools: [],
        tool_choice: 'auto',
        max_output_tokens: 'inf',
        tracing: null,
        truncation: 'auto',
        prompt: null,
        expires_at: 0,
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            transcription: { model: 'gpt-4o-transcribe' },
            noise_reduction: { type: 'near_field' },
            turn_detection: { type: 'server_vad', threshold: 0.5 },
          },
          output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1.2 },
        },
      },
    });
    expect(beta).toEqual({
      client_secret: { value: 'ek_translated', expires_at: 1_900_000_000 },
      id: 'sess_1',
      object: 'realtime.session',
      model: 'gpt-realtime',
      modalities: ['audio', 'text'],
      instructions: 'Be brief.',
      tools: [],
      tool_choice: 'auto',
      max_response_output_tokens: 'inf',
      tracing: null,
      voice: 'marin',
      speed: 1.2,
      input_audio_format: 'g711_ulaw',
      output_audio_format: 'pcm16',
      input_audio_transcription: { model: 'gpt-4o-transcribe' },
      input_audio_noise_reduction: { type: 'near_field' },
      turn_detection: { type: 'server_vad', threshold: 0.5 },
    });
  });

  it('text-only output stays text; a custom voice object gives its id; unknown formats are left out', () => {
    expect(
      fromGaResponse('realtime', {
        value: 'ek_1',
        expires_at: 1,
        session: {
          type: 'realtime',
          output_modalities: ['text'],
          audio: {
            output: { voice: { id: 'voice_1234' } as never, format: { type: 'audio/opus' } as never },
          },
        } as never,
      }),
    ).toEqual({ client_secret: { value: 'ek_1', expires_at: 1 }, modalities: ['text'], voice: 'voice_1234' });
  });

  it('a transcription session', () => {
    expect(
      fromGaResponse('transcription', {
        value: 'ek_t',
        expires_at: 2,
        session: {
          type: 'transcription',
          object: 'realtime.transcription_session',
          id: 'sess_t',
          audio: {
            input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: { model: 'whisper-1' } },
          },
        },
      }),
    ).toEqual({
      client_secret: { value: 'ek_t', expires_at: 2 },
      id: 'sess_t',
      object: 'realtime.transcription_session',
      input_audio_format: 'pcm16',
      input_audio_transcription: { model: 'whisper-1' },
    });
  });

  it('an answer without a session, or with garbage in it, still has its client_secret and no TypeError', () => {
    expect(fromGaResponse('realtime', { value: 'ek_1', expires_at: 1 } as never)).toEqual({
      client_secret: { value: 'ek_1', expires_at: 1 },
    });
    expect(
      fromGaResponse('realtime', {
        value: 'ek_1',
        expires_at: 1,
        session: { audio: 'x', output_modalities: 'audio' },
      } as never),
    ).toEqual({ client_secret: { value: 'ek_1', expires_at: 1 } });
  });
});

describe("the README's migration table", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(
    readme.indexOf('<!-- migration-table:start'),
    readme.indexOf('<!-- migration-table:end'),
  );
  // `| `model` | `session.model` | … |` → ['model', 'session.model']
  const rows = [...table.matchAll(/^\| `(\w+)`\s+\| (?:`([\w.]+)`|(refused))/gm)].map(
    ([, beta, ga, refused]) => [beta, ga ?? refused],
  );

  it('lists every mapped field at its GA place and every refused field, in the order of the table in src/', () => {
    expect(rows).toEqual([
      ...SESSION_FIELDS.map(([beta, ga]) => [beta, ga]),
      ...Object.keys(REFUSED_FIELDS).map((beta) => [beta, 'refused']),
    ]);
  });

  it('says why each refused field is refused, in the words of the code', () => {
    for (const [beta, why] of Object.entries(REFUSED_FIELDS))
      expect(table).toMatch(new RegExp(`\`${beta}\`.*${why}`));
  });

  it('names every field of the transcription request', () => {
    const sentence = readme.slice(
      readme.indexOf("The transcription request's fields"),
      readme.indexOf("session.type: 'transcription'"),
    );
    expect([...sentence.matchAll(/`(\w+)`/g)].map(([, name]) => name)).toEqual(
      TRANSCRIPTION_FIELDS.map(([beta]) => beta),
    );
  });
});
