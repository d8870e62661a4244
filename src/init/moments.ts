/**
 * Exact moments of the distributions strategies draw from, used to report the standard
 * deviation a strategy should give (never to draw values).
 */

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Number.isFinite(x) ? INV_SQRT_2PI * Math.exp(-0.5 * x * x) : 0;
}

/**
 * Complementary error function, relative error < 1e-14: Taylor series of erf for |x| < 2,
 * Lentz's continued fraction for erfc beyond.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (x > 27) return 0;
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) evaluated by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Standard normal distribution function Φ(x). */
export function normalCdf(x: number): number {
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * erfc(-x / SQRT2);
}

/**
 * Mean and standard deviation of a standard normal truncated to `[a, b]` (units of std):
 * with Z = Φ(b) − Φ(a), mean = (φ(a) − φ(b))/Z and
 * variance = 1 + (aφ(a) − bφ(b))/Z − mean².
 */
export function truncatedNormalMoments(a: number, b: number): { mean: number; std: number } {
  // Work in the upper tail when both bounds are positive, for accuracy.
  if (a > 0) {
    const m = truncatedNormalMoments(-b, -a);
    return { mean: -m.mean, std: m.std };
  }
  const z = normalCdf(b) - normalCdf(a);
  const pa = normalPdf(a);
  const pb = normalPdf(b);
  const mean = (pa - pb) / z;
  const aTerm = Number.isFinite(a) ? a * pa : 0;
  const bTerm = Number.isFinite(b) ? b * pb : 0;
  const variance = 1 + (aTerm - bTerm) / z - mean * mean;
  return { mean, std: Math.sqrt(Math.max(0, variance)) };
}
