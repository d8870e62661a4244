/**
 * Statistics for seeded tests. Every test that uses them runs at a fixed seed, so a
 * result never changes from run to run: the thresholds below say how unlikely a failure
 * would be for a correct sampler at a *random* seed, i.e. how strict the test is.
 */
import erf from '@stdlib/math-base-special-erf';
import kstest from '@stdlib/stats-kstest';

/** Standard normal CDF, from stdlib's erf (independent of the library's own code). */
export function phi(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/**
 * Kolmogorov–Smirnov p-value of `data` against `cdf`. Tests reject below 1e-3: a correct
 * sampler fails at a random seed one time in a thousand, and at the fixed seed never.
 */
export function ksPValue(data: ArrayLike<number>, cdf: (x: number) => number): number {
  return kstest(Array.from(data), cdf).pValue;
}

/** CDF of N(mean, std²) truncated to [low, high]. */
export function truncatedNormalCdf(mean: number, std: number, low: number, high: number) {
  const a = phi((low - mean) / std);
  const b = phi((high - mean) / std);
  return (x: number) => (x <= low ? 0 : x >= high ? 1 : (phi((x - mean) / std) - a) / (b - a));
}

/** CDF of U(low, high). */
export function uniformCdf(low: number, high: number) {
  return (x: number) => (x <= low ? 0 : x >= high ? 1 : (x - low) / (high - low));
}

/** Sample mean and (population) variance in float64. */
export function moments(data: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  for (let k = 0; k < data.length; k++) mean += data[k];
  mean /= data.length;
  let v = 0;
  for (let k = 0; k < data.length; k++) v += (data[k] - mean) ** 2;
  return { mean, variance: v / data.length };
}
