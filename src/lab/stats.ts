/**
 * The small statistics the experiments report, computed in float64 from the float32 values
 * TF.js returns (so the figures do not depend on how a backend reduces).
 */

/** Mean and population standard deviation of some numbers. */
export interface Moments {
  readonly mean: number;
  readonly std: number;
}

/**
 * Mean and population std (two passes, float64). Empty input gives NaN for both.
 * @example moments([1, 2, 3, 4]) // { mean: 2.5, std: 1.118… }
 */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / n) };
}

/** A histogram of equal-width bins over [low, high]. */
export interface Histogram {
  /** Left edge of the first bin. */
  readonly low: number;
  /** Right edge of the last bin (values equal to it count in the last bin). */
  readonly high: number;
  /** Counts of the bins, in order; bin k covers [low + k·w, low + (k+1)·w), w = (high − low)/counts.length. */
  readonly counts: number[];
}

/**
 * Histogram of finite values over [min, max] of the data in `bins` equal bins (a zero-width
 * range, such as all zeros, puts everything in the first bin of [x, x]).
 * @example histogram([0, 0.5, 1], 2) // { low: 0, high: 1, counts: [1, 2] }
 */
export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  const counts = new Array<number>(bins).fill(0);
  if (low > high) return { low: 0, high: 0, counts };
  const width = (high - low) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const k = width > 0 ? Math.min(bins - 1, Math.floor((v - low) / width)) : 0;
    counts[k]++;
  }
  return { low, high, counts };
}

/** Mean, population std, min and max of some numbers: the spread over seeds. */
export interface Spread {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Mean, std, min and max of some numbers (NaN for an empty list).
 * @example spread([1, 3]) // { mean: 2, std: 1, min: 1, max: 3 }
 */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0)
    return { mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN };
  const { mean, std } = moments(values);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The geometric mean ratio of consecutive values, (y_last / y_first)^(1/(n−1)): the factor
 * by which a quantity changes per layer or per step. NaN when an end is not positive.
 * @example perStepFactor([8, 4, 2, 1]) // 0.5
 */
export function perStepFactor(values: readonly number[]): number {
  const n = values.length;
  if (n < 2 || !(values[0] > 0) || !(values[n - 1] > 0)) return Number.NaN;
  return (values[n - 1] / values[0]) ** (1 / (n - 1));
}

/** A JSON-safe number: NaN and ±Infinity become null (JSON has no such numbers). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
