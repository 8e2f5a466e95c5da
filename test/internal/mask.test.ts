import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/internal/mask.js';

describe('maskSecret', () => {
  it('keeps the first 5 and last 2 characters of a real-length secret', () => {
    expect(maskSecret('ek_68af2c0e5d4b8190a1b2c3d4e5f6a7b8')).toBe('ek_68…b8');
    expect(maskSecret('0123456789abcdef')).toBe('01234…ef');
  });

  it('masks short secrets and non-strings completely', () => {
    for (const value of ['', 'ek_short', '0123456789abcde', undefined, null, 42, { value: 'ek_x' }]) {
      expect(maskSecret(value)).toBe('***');
    }
  });
});
