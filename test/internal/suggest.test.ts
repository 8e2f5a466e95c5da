// The "did you mean" distance on its own: which typos it forgives, and where it stops guessing.
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/internal/suggest.js';

describe('editDistance', () => {
  it.each([
    ['create', 'create', 0],
    ['craete', 'create', 1], // two neighbours swapped: one edit
    ['creat', 'create', 1],
    ['kitten', 'sitting', 3],
    ['', 'json', 4],
    ['json', '', 4],
    ['ca', 'abc', 3],
  ])('%j → %j: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const COMMANDS = ['create', 'client-secret', 'transcription'];

  it.each([
    ['craete', 'create'],
    ['CREATE', 'create'],
    ['client-secrte', 'client-secret'],
    ['transciption', 'transcription'],
  ])('%s → %s', (typed, meant) => {
    expect(closest(typed, COMMANDS)).toBe(meant);
  });

  it.each(['frobnicate', 'c', 'xyz', 'secret', ''])('%j → no guess', (typed) => {
    expect(closest(typed, COMMANDS)).toBeUndefined();
  });

  it('the nearest wins; on a tie, the first listed', () => {
    expect(closest('mode', ['model', 'mod'])).toBe('model');
    expect(closest('abd', ['abc', 'abe'])).toBe('abc');
  });
});
