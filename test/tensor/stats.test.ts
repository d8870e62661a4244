import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/tensor/stats.js';

describe('summarize', () => {
  it('computes exact figures on a small input', () => {
    const s = summarize(new Float32Array([1, 2, 3, 0]));
    expect(s).toEqual({
      count: 4,
      mean: 1.5,
      std: Math.sqrt(1.25),
      min: 0,
      max: 3,
      zeroFraction: 0.25,
      nonFinite: 0,
    });
  });

  it('excludes NaN and Infinity from the figures but counts them', () => {
    const s = summarize([1, Number.NaN, 3, Number.POSITIVE_INFINITY]);
    expect(s.nonFinite).toBe(2);
    expect(s.mean).toBe(2);
    expect(s.max).toBe(3);
  });

  it('is stable for a large offset (Welford)', () => {
    const data = new Float64Array(100_000).map((_, i) => 1e9 + (i % 2));
    expect(summarize(data).std).toBeCloseTo(0.5, 9);
  });

  it('gives NaN figures for an empty input', () => {
    const s = summarize(new Float32Array(0));
    expect(s.count).toBe(0);
    expect(s.mean).toBeNaN();
  });
});
