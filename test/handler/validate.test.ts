// fieldProblem: each browser-settable field checked against its schema in the pinned fragment
// (through generated/validators.js), and the 400 message it words: the field's path and what was
// expected, never the browser's own strings.
import { describe, expect, it } from 'vitest';
import { validators } from '../../generated/validators.js';
import { fieldProblem, type FieldShape } from '../../src/handler/validate.js';

type Row = [shape: FieldShape, field: string, value: unknown];

const VALID: Row[] = [
  ['beta', 'voice', 'verse'],
  ['beta', 'voice', 'a-voice-the-fragment-does-not-list'],
  ['beta', 'instructions', 'Be brief.'],
  ['beta', 'turn_detection', { type: 'semantic_vad', eagerness: 'low' }],
  ['beta', 'turn_detection', { type: 'server_vad', threshold: 0.5, silence_duration_ms: 200 }],
  ['beta', 'modalities', ['text', 'audio']],
  ['beta', 'temperature', 0.8],
  ['beta', 'max_response_output_tokens', 'inf'],
  ['beta', 'max_response_output_tokens', 4096],
  ['beta', 'tools', [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }]],
  ['beta', 'tracing', 'auto'],
  ['realtime', 'voice', 'marin'],
  ['realtime', 'voice', { id: 'voice_1234' }],
  ['realtime', 'instructions', 'Be brief.'],
  ['realtime', 'output_modalities', ['text']],
  ['realtime', 'audio', { input: { turn_detection: { type: 'semantic_vad', eagerness: 'low' } } }],
  ['realtime', 'audio', { input: { turn_detection: null }, output: { voice: 'cedar', speed: 1.2 } }],
  ['realtime', 'tools', []],
  ['realtime', 'tools', [{ type: 'function', name: 'lookup', description: 'Looks things up.' }]],
  ['realtime', 'tools', [{ type: 'mcp', server_label: 'docs', server_url: 'https://mcp.example.com' }]],
  ['realtime', 'tool_choice', 'required'],
  ['realtime', 'tool_choice', { type: 'function', name: 'lookup' }],
  ['realtime', 'max_output_tokens', 'inf'],
  ['realtime', 'tracing', null],
  ['realtime', 'truncation', { type: 'retention_ratio', retention_ratio: 0.8 }],
  ['realtime', 'prompt', { id: 'pmpt_1', variables: { city: 'Paris' } }],
  ['transcription', 'audio', { input: { transcription: { model: 'gpt-4o-transcribe', language: 'en' } } }],
  ['transcription', 'include', ['item.input_audio_transcription.logprobs']],
];

const INVALID: [...Row, message: string][] = [
  ['beta', 'voice', { nested: 1 }, 'voice must be a string'],
  ['beta', 'instructions', 42, 'instructions must be a string'],
  [
    'beta',
    'turn_detection',
    { type: 'bogus' },
    'turn_detection.type must be one of: "server_vad", "semantic_vad"',
  ],
  ['beta', 'turn_detection', 'server_vad', 'turn_detection must be an object'],
  ['beta', 'modalities', ['video'], 'modalities[0] must be one of: "text", "audio"'],
  ['beta', 'temperature', 5, 'temperature must be <= 1.2'],
  ['beta', 'speed', 0.1, 'speed must be >= 0.25'],
  ['beta', 'max_response_output_tokens', 'lots', 'max_response_output_tokens must be an integer or "inf"'],
  ['beta', 'tools', { type: 'function' }, 'tools must be an array'],
  ['beta', 'tools', [{ type: 'function', name: 5 }], 'tools[0].name must be a string'],
  ['beta', 'tools', [{ type: 'retrieval' }], 'tools[0].type must be "function"'],
  ['realtime', 'voice', { nested: 1 }, 'voice must have property "id"'],
  ['realtime', 'voice', 42, 'voice must be a string or an object'],
  [
    'realtime',
    'voice',
    { id: 'voice_1234', extra: 1 },
    'voice must not have properties other than the allowed ones',
  ],
  ['realtime', 'instructions', 42, 'instructions must be a string'],
  ['realtime', 'instructions', null, 'instructions must be a string'],
  ['realtime', 'output_modalities', ['video'], 'output_modalities[0] must be one of: "text", "audio"'],
  ['realtime', 'output_modalities', 'text', 'output_modalities must be an array'],
  [
    'realtime',
    'audio',
    { input: { turn_detection: { type: 'bogus' } } },
    'audio.input.turn_detection.type must be "server_vad" or "semantic_vad"',
  ],
  ['realtime', 'audio', { output: { speed: 3 } }, 'audio.output.speed must be <= 1.5'],
  ['realtime', 'tools', 'lookup', 'tools must be an array'],
  ['realtime', 'tools', [{ type: 'mcp' }], 'tools[0] must match one of its allowed forms'],
  ['realtime', 'tools', [{ type: 'function', name: 5 }], 'tools[0] must match one of its allowed forms'],
  [
    'realtime',
    'tool_choice',
    'sometimes',
    'tool_choice must be one of: "none", "auto", "required" or an object',
  ],
  ['realtime', 'max_output_tokens', 'lots', 'max_output_tokens must be an integer or "inf"'],
  ['realtime', 'tracing', 'manual', 'tracing must be "auto" or an object or null'],
  ['realtime', 'tracing', { workflow_name: 5 }, 'tracing.workflow_name must be a string'],
  ['realtime', 'truncation', { type: 'retention_ratio' }, 'truncation must have property "retention_ratio"'],
  ['realtime', 'parallel_tool_calls', 'yes', 'parallel_tool_calls must be a boolean'],
  [
    'transcription',
    'audio',
    { input: { transcription: { model: 5 } } },
    'audio.input.transcription.model must be a string',
  ],
  [
    'transcription',
    'include',
    ['everything'],
    'include[0] must be "item.input_audio_transcription.logprobs"',
  ],
];

describe('fieldProblem', () => {
  it.each(VALID)('%s: %s = %j is valid', (shape, field, value) => {
    expect(fieldProblem(shape, field, value)).toBeUndefined();
  });

  it.each(INVALID)('%s: %s = %j → %s', (shape, field, value, message) => {
    expect(fieldProblem(shape, field, value)).toBe(message);
  });

  it('checks voice against audio.output.voice in realtime, and against the beta voice in beta', () => {
    // The same browser body, `{ "voice": { "id": … } }`, is a custom voice in GA and wrong in beta.
    expect(fieldProblem('realtime', 'voice', { id: 'voice_1234' })).toBeUndefined();
    expect(fieldProblem('beta', 'voice', { id: 'voice_1234' })).toBe('voice must be a string');
  });

  it('has no validator, so no problem, for a field the shape does not have', () => {
    expect(fieldProblem('realtime', 'type', 'transcription')).toBeUndefined();
    expect(fieldProblem('transcription', 'voice', 42)).toBeUndefined();
    expect(fieldProblem('beta', 'not_a_field', 42)).toBeUndefined();
    // Null-prototype tables: a field named like an Object method is not a validator.
    for (const field of ['toString', 'hasOwnProperty', 'valueOf', '__proto__', 'constructor']) {
      expect(fieldProblem('beta', field, 42)).toBeUndefined();
    }
  });

  it("never quotes the browser's strings or keys, and stays short", () => {
    const secret = 'sk-proj-SECRET-0123456789';
    const values: Row[] = [
      ['beta', 'voice', { [secret]: secret }],
      ['beta', 'tools', [{ type: secret, name: secret }]],
      ['beta', 'temperature', secret],
      ['realtime', 'voice', { id: 'voice_1', [secret]: secret }],
      ['realtime', 'tools', [{ type: 'mcp', server_label: 'x', headers: { [secret]: 5 } }]],
      ['realtime', 'prompt', { id: 'p', variables: { [secret]: { type: secret } } }],
      ['realtime', 'truncation', { type: secret }],
      ['transcription', 'audio', { input: { [secret]: { [secret]: secret } } }],
    ];
    for (const [shape, field, value] of values) {
      const problem = fieldProblem(shape, field, value);
      if (problem === undefined) continue;
      expect(problem).not.toContain('SECRET');
      expect(problem.length).toBeLessThanOrEqual(120);
      expect(problem.startsWith(field)).toBe(true);
    }
    // A map key that is a short identifier is part of the path; anything else is shown as […].
    expect(fieldProblem('realtime', 'prompt', { id: 'p', variables: { city: 5 } })).toBe(
      'prompt must match one of its allowed forms',
    );
    expect(
      fieldProblem('realtime', 'tools', [{ type: 'mcp', server_label: 'x', headers: { 'a b': 5 } }]),
    ).toBe('tools[0] must match one of its allowed forms');
  });

  it('does not change the value it checks (no defaults filled in, nothing coerced or removed)', () => {
    const value = { input: { turn_detection: { type: 'server_vad' } }, output: { speed: '1' } };
    const before = JSON.stringify(value);
    expect(fieldProblem('realtime', 'audio', value)).toBe('audio.output.speed must be a number');
    expect(JSON.stringify(value)).toBe(before);
  });
});

describe('generated/validators.js', () => {
  it('has a validator for every settable field of each shape, and for GA voice', () => {
    expect(Object.keys(validators.beta)).toContain('voice');
    expect(Object.keys(validators.realtime)).toEqual(expect.arrayContaining(['voice', 'audio', 'tools']));
    expect(Object.keys(validators.realtime)).not.toContain('type');
    expect(Object.keys(validators.transcription).sort()).toEqual(['audio', 'include']);
    expect(Object.getPrototypeOf(validators.beta)).toBeNull();
  });
});
