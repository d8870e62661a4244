/** Summary statistics of a tensor's values, computed in float64 in one pass. */
export interface Summary {
  readonly count: number;
  readonly mean: number;
  /** Population standard deviation (divides by count). */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** Fraction of elements equal to zero. */
  readonly zeroFraction: number;
  /** Number of NaN or ±Infinity elements (excluded from the other figures). */
  readonly nonFinite: number;
}

/**
 * Mean, std (Welford's update, stable for large counts), min, max, fraction of zeros and
 * count of non-finite values. An empty input gives NaN for mean/std/min/max.
 * @example summarize(new Float32Array([1, 2, 3, 0])) // { count: 4, mean: 1.5, std: 1.118…, min: 0, max: 3, zeroFraction: 0.25, nonFinite: 0 }
 */
export function summarize(data: ArrayLike<number>): Summary {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let zeros = 0;
  let nonFinite = 0;
  for (let k = 0; k < data.length; k++) {
    const x = data[k];
    if (!Number.isFinite(x)) {
      nonFinite++;
      continue;
    }
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
    if (x === 0) zeros++;
  }
  if (n === 0) {
    return {
      count: data.length,
      mean: Number.NaN,
      std: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      zeroFraction: 0,
      nonFinite,
    };
  }
  return {
    count: data.length,
    mean,
    std: Math.sqrt(m2 / n),
    min,
    max,
    zeroFraction: zeros / data.length,
    nonFinite,
  };
}
