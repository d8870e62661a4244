import { describe, expect, it } from 'vitest';
import { exp, log } from '../../src/random/index.js';
import { lcg, ulps } from '../support/numeric.js';

// fdlibm guarantees < 1 ulp from the exact result; the engine's Math.log / Math.exp are also
// within 1 ulp on every engine we know (V8 uses fdlibm itself), so the two may differ by at most
// 1 ulp (2 in theory, if both erred in opposite directions: we assert ≤ 1 and count).
describe('log', () => {
  it('is within 1 ulp of Math.log over 10^6 values spanning the whole range', () => {
    const r = lcg(1);
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // log-uniform over [2^-1074, 2^1024) plus dense coverage near 1
      const x = i % 4 === 0 ? 0.5 + r() : 2 ** (r() * 2098 - 1074) * (1 + r());
      if (!Number.isFinite(x) || x === 0) continue;
      worst = Math.max(worst, ulps(log(x), Math.log(x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('handles special values', () => {
    expect(log(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(log(-0)).toBe(Number.NEGATIVE_INFINITY);
    expect(log(-1)).toBeNaN();
    expect(log(Number.NEGATIVE_INFINITY)).toBeNaN();
    expect(log(Number.NaN)).toBeNaN();
    expect(log(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(log(1)).toBe(0);
    expect(log(Math.E)).toBe(1);
    expect(log(2)).toBe(Math.LN2);
    expect(ulps(log(Number.MIN_VALUE), -744.4400719213812)).toBeLessThanOrEqual(1);
    expect(ulps(log(Number.MAX_VALUE), 709.782712893384)).toBeLessThanOrEqual(1);
    expect(ulps(log(1 + 2 ** -52), 2 ** -52)).toBeLessThanOrEqual(1);
    expect(ulps(log(1 - 2 ** -53), -(2 ** -53))).toBeLessThanOrEqual(1);
  });
});

describe('exp', () => {
  it('is within 1 ulp of Math.exp over 10^6 values in [-746, 710]', () => {
    const r = lcg(2);
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const x = i % 4 === 0 ? (r() - 0.5) * 2 : r() * 1456 - 746;
      worst = Math.max(worst, ulps(exp(x), Math.exp(x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('handles special values and thresholds', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(1)).toBe(Math.E + 2 ** -51); // fdlibm: 1 ulp above Math.E, within its bound
    expect(exp(Number.NaN)).toBeNaN();
    expect(exp(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308); // largest finite result
    expect(exp(709.79)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(-745.1332191019411)).toBe(5e-324);
    expect(exp(-746)).toBe(0);
    expect(exp(1e-30)).toBe(1);
    expect(exp(-1e-300)).toBe(1);
    expect(ulps(exp(-708.5), Math.exp(-708.5))).toBeLessThanOrEqual(1); // subnormal scaling path
    expect(ulps(exp(0.5), Math.sqrt(Math.E))).toBeLessThanOrEqual(1);
  });
});
