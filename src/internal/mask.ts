/** Secrets shorter than this are masked completely: showing 7 characters of them would show too much. */
const MIN_PARTLY_SHOWN = 16;

/**
 * Masks a secret for display: the first 5 characters, `…`, the last 2. Secrets shorter than 16
 * characters, and anything that is not a string, become `***`.
 *
 * @example
 * maskSecret('ek_abc123def456ghi789'); // 'ek_ab…89'
 * maskSecret('ek_short'); // '***'
 */
export function maskSecret(value: unknown): string {
  if (typeof value !== 'string' || value.length < MIN_PARTLY_SHOWN) return '***';
  return `${value.slice(0, 5)}…${value.slice(-2)}`;
}
