/**
 * Statistics for seeded tests. Every test that uses them runs at a fixed seed, so a
 * result never changes from run to run: the thresholds below say how unlikely a failure
 * would be for a correct sampler at a *random* seed, i.e. how strict the test is.
 */
import erf from '@stdlib/math-base-special-erf';

/** Standard normal CDF, from stdlib's erf (independent of the library's own code). */
export function phi(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/**
 * One-sample Kolmogorov–Smirnov test: D = sup |F_n − F| and its asymptotic p-value
 * P(K > (√n + 0.12 + 0.11/√n)·D) (Kolmogorov's distribution with Stephens' 1970 correction,
 * accurate to ~1e-3 for n ≥ 100). @stdlib/stats-kstest computes the exact distribution, which
 * takes minutes above n ≈ 5·10⁴, so it is used only to cross-check this function
 * (test/random/stats.test.ts). Tests reject below 1e-3: a correct sampler fails at a random
 * seed one time in a thousand, and at the fixed seed never.
 */
export function ks(
  sample: ArrayLike<number>,
  cdf: (x: number) => number,
): { statistic: number; pValue: number } {
  const x = Float64Array.from(sample).sort();
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sq = Math.sqrt(n);
  const lambda = (sq + 0.12 + 0.11 / sq) * d;
  let p = 0;
  for (let k = 1; k <= 100; k++) p += 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)) };
}

/** The p-value of {@link ks}. */
export function ksPValue(data: ArrayLike<number>, cdf: (x: number) => number): number {
  return ks(data, cdf).pValue;
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
