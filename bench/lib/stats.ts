// Small statistics helpers. Every figure in the report is a median with its min–max, and every
// comparison is a per-round ratio against the baseline of the same round.

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Element-wise ratio of two series taken in the same rounds: ratios[i] = a[i] / b[i]. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length)
    throw new Error(`ratio of series of different lengths (${a.length} vs ${b.length})`);
  return a.map((value, i) => value / b[i]);
}

/** µs per call of each batch of `calls` calls. */
export function usPerCall(elapsedMs: readonly number[], calls: number): number[] {
  return elapsedMs.map((ms) => (ms * 1000) / calls);
}

/** µs per call each batch took beyond the baseline's batch of the same round. */
export function extraUsPerCall(
  elapsedMs: readonly number[],
  baseMs: readonly number[],
  calls: number,
): number[] {
  return elapsedMs.map((ms, i) => ((ms - baseMs[i]) * 1000) / calls);
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median (min–max)` with a unit suffix on the median. */
export function fmtSummary(s: Summary, digits = 0, unit = ''): string {
  if (s.n === 0) return 'n/a';
  return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

export function fmtRatio(s: Summary): string {
  if (s.n === 0) return 'n/a';
  return `${s.median.toFixed(3)}× (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
}
