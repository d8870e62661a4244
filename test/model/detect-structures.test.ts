/**
 * detectScheme's sparse and delta-orthogonal decisions on hand-made features: the exact zero
 * counts with their two tolerances (underflow, random placement), the non-zero values'
 * likelihood, the delta-orthogonal confidence, and the helpers behind them.
 */
import { describe, expect, it } from 'vitest';
import {
  allowedExcessZeros,
  DISPERSION_TOLERANCE,
  detectScheme,
  measuredGain,
  type SchemeFeatures,
  shortestDecimal,
  storedDecimal,
  UNDERFLOW_PROBABILITY,
  underflowThreshold,
} from '../../src/model/detect.js';
import type { LineCounts, ZeroCounts } from '../../src/model/inspect-stats.js';

const fans = { fanIn: 128, fanOut: 256 };

/** Features of a [256, 128] out-in tensor with these zero counts; non-zero values N(0, 0.01²). */
function features(zeroCounts: ZeroCounts, nz: Partial<ZeroCounts['nonZero']> = {}): SchemeFeatures {
  const nonZero = { count: 3200, mean: 0, std: 0.01, kurtosis: 3, ...nz };
  return {
    count: 32768,
    mean: 0,
    std: 0.00313,
    min: -0.04,
    max: 0.04,
    kurtosis: 30,
    dtype: 'F32',
    zeroCounts: { ...zeroCounts, nonZero },
  };
}

const lines = (
  along: 'rows' | 'columns',
  n: number,
  length: number,
  o: Partial<LineCounts>,
): LineCounts => ({
  along,
  lines: n,
  length,
  min: 0,
  max: 0,
  total: 0,
  variance: 0,
  ...o,
});

/** PyTorch sparsity 0.9 on [256, 128]: 231 zeros in each of the 128 columns; rows Binomial(128, 231/256). */
const P = 231 / 256;
const pytorch = (
  o: { inputs?: Partial<LineCounts>; units?: Partial<LineCounts> } = {},
): ZeroCounts => ({
  inputs: lines('columns', 128, 256, { min: 231, max: 231, total: 231 * 128, ...o.inputs }),
  units: lines('rows', 256, 128, {
    min: 100,
    max: 126,
    total: 231 * 128,
    variance: 128 * P * (1 - P),
    ...o.units,
  }),
  nonZero: { count: 0, mean: 0, std: 0, kurtosis: 0 },
});

describe('detectScheme: sparse', () => {
  it('exact counts per input, binomial spread per unit: sparse, sparsity 0.9', () => {
    const d = detectScheme(features(pytorch()), { fans });
    expect(d.best).toMatchObject({
      scheme: 'sparse',
      value: 0.01,
      spec: { name: 'sparse', sparsity: 0.9, std: 0.01 },
    });
    expect(d.best.confidence).toBeGreaterThan(0.9999);
    expect(d.runnerUp!.scheme).toBe('unknown');
    expect(d.candidates.map((c) => c.scheme).sort()).toEqual(['sparse', 'unknown']);
  });

  it('in-out: the spec carries the layout', () => {
    const d = detectScheme(features(pytorch()), { fans, layout: 'in-out' });
    expect(d.best.spec).toEqual({ name: 'sparse', sparsity: 0.9, std: 0.01, layout: 'in-out' });
  });

  it('Martens: exact counts per unit', () => {
    const p = 113 / 128;
    const z: ZeroCounts = {
      units: lines('rows', 256, 128, { min: 113, max: 113, total: 113 * 256 }),
      inputs: lines('columns', 128, 256, {
        min: 210,
        max: 240,
        total: 113 * 256,
        variance: 256 * p * (1 - p),
      }),
      nonZero: { count: 0, mean: 0, std: 0, kurtosis: 0 },
    };
    const d = detectScheme(features(z, { count: 3840 }), { fans });
    expect(d.best).toMatchObject({
      scheme: 'sparse',
      spec: { name: 'sparse', nonZero: 15, std: 0.01 },
    });
  });

  it('extra zeros: allowed only as many as float underflow makes likely', () => {
    // float32: underflow of N(0, 0.01²) draws is impossible in practice, so one extra zero breaks it.
    const one = pytorch({ inputs: { max: 232, total: 231 * 128 + 1 } });
    expect(detectScheme(features(one), { fans }).best.scheme).not.toBe('sparse');
    // float16 with σ = 1e-6: |x| < 2⁻²⁵ is ~2.4 % of the draws, ~77 expected: 90 extra is fine.
    const many = pytorch({ inputs: { max: 233, total: 231 * 128 + 90 } });
    const f16 = { ...features(many, { std: 1e-6 }), dtype: 'F16' as const };
    expect(detectScheme(f16, { fans }).best.scheme).toBe('sparse');
    const tooMany = pytorch({ inputs: { max: 240, total: 231 * 128 + 400 } });
    expect(
      detectScheme({ ...features(tooMany, { std: 1e-6 }), dtype: 'F16' }, { fans }).best.scheme,
    ).not.toBe('sparse');
  });

  it('zeros aligned along the units (a zeroed row) or spread too evenly are not sparse', () => {
    // Row 3 zeroed in a dense tensor: one zero per column, the rows' counts 128 and 0.
    const dead: ZeroCounts = {
      inputs: lines('columns', 128, 256, { min: 1, max: 1, total: 128 }),
      units: lines('rows', 256, 128, {
        min: 0,
        max: 128,
        total: 128,
        variance: 128 ** 2 / 256 - 0.25,
      }),
      nonZero: { count: 32640, mean: 0, std: 0.125, kurtosis: 3 },
    };
    expect(detectScheme(features(dead, dead.nonZero), { fans }).best.scheme).not.toBe('sparse');
    // Both axes exactly constant: a designed pattern, not random placement.
    const even = pytorch({ units: { min: 115, max: 116, variance: 0.25 } });
    expect(detectScheme(features(even), { fans }).best.scheme).not.toBe('sparse');
    // Within the tolerance: variance 30 % above Npq (sd of the ratio ≈ 0.09 for 256 rows).
    const se = Math.sqrt((2 + (1 - 6 * P * (1 - P)) / (128 * P * (1 - P))) / 256);
    expect(DISPERSION_TOLERANCE * se).toBeGreaterThan(0.3);
    const spread = pytorch({ units: { variance: 1.3 * 128 * P * (1 - P) } });
    expect(detectScheme(features(spread), { fans }).best.scheme).toBe('sparse');
  });

  it('the non-zero values must look N(0, σ²): kurtosis and mean', () => {
    const pruned = detectScheme(features(pytorch(), { kurtosis: 1.4 }), { fans });
    expect(pruned.best.scheme).toBe('unknown');
    expect(pruned.best.label).toBe(
      "zeros placed as sparse's (231 of 256 in every column), but the non-zero values do not look N(0, σ²) (kurtosis 1.4, mean/std 0)",
    );
    const shifted = detectScheme(features(pytorch(), { mean: 0.005 }), { fans });
    expect(shifted.best.scheme).toBe('unknown');
  });

  it('no zero in some line, or a line all zero, or equal non-zero values: not sparse', () => {
    expect(detectScheme(features(pytorch({ inputs: { min: 0 } })), { fans }).best.scheme).not.toBe(
      'sparse',
    );
    const full = pytorch({ inputs: { min: 256, max: 256, total: 256 * 128 } });
    expect(detectScheme(features(full), { fans }).best.scheme).not.toBe('sparse');
    expect(detectScheme(features(pytorch(), { std: 0 }), { fans }).best.scheme).not.toBe('sparse');
  });
});

describe('detectScheme: delta-orthogonal', () => {
  const base: SchemeFeatures = {
    count: 36864,
    mean: 0,
    std: 0.0417,
    min: -0.4,
    max: 0.4,
    kurtosis: 27,
    dtype: 'F32',
  };
  const convFans = { fanIn: 576, fanOut: 576 };

  it('centre slice orthogonal: delta-orthogonal, confidence 1/(1 + p)', () => {
    const d = detectScheme(
      { ...base, centre: { residual: 1e-7, lines: 64, gain: Math.SQRT2 * (1 + 1e-8) } },
      { fans: convFans, shape: [64, 64, 3, 3] },
    );
    expect(d.best).toMatchObject({
      scheme: 'delta-orthogonal',
      confidence: 1,
      value: Math.SQRT2 * (1 + 1e-8),
      // The shortest decimal within the float32 roundoff (±6e-8 relative): 1.4142136.
      spec: { name: 'delta-orthogonal', gain: Number(Math.SQRT2.toPrecision(8)) },
    });
    expect(d.shape).toBeNull();
    const pair = detectScheme(
      { ...base, centre: { residual: 1e-7, lines: 2, gain: 1 } },
      { fans: convFans },
    );
    expect(pair.best.confidence).toBeCloseTo(1 / (1 + 0.01 * Math.sqrt(2 / Math.PI)), 12);
  });

  it('centre slice not orthogonal: left to the other candidates', () => {
    const d = detectScheme(
      { ...base, centre: { residual: 1.2, lines: 64, gain: 1 } },
      { fans: convFans },
    );
    expect(d.best.scheme).not.toBe('delta-orthogonal');
    expect(d.candidates.map((c) => c.scheme)).not.toContain('delta-orthogonal');
  });

  it('out < in (rows orthonormal): named, without a spec (weightinit needs out >= in)', () => {
    const d = detectScheme(
      { ...base, centre: { residual: 1e-7, lines: 16, gain: 1 } },
      { fans: { fanIn: 32 * 9, fanOut: 16 * 9 } },
    );
    expect(d.best.scheme).toBe('delta-orthogonal');
    expect(d.best.label).toMatch(/orthogonal by rows: out < in/);
    expect(d.best.spec).toBeUndefined();
  });
});

describe('helpers', () => {
  it('underflowThreshold: half the smallest subnormal', () => {
    expect(underflowThreshold('F16')).toBe(2 ** -25);
    expect(underflowThreshold('BF16')).toBe(2 ** -134);
    expect(underflowThreshold('F32')).toBe(2 ** -150);
    expect(underflowThreshold('F64')).toBe(0);
  });

  it('allowedExcessZeros: the Poisson count exceeded with probability < 1e-6', () => {
    expect(UNDERFLOW_PROBABILITY).toBe(1e-6);
    expect(allowedExcessZeros(0)).toBe(0);
    expect(allowedExcessZeros(1e-9)).toBe(0); // P(X >= 1) ≈ 1e-9
    expect(allowedExcessZeros(1e-4)).toBe(1); // P(X >= 2) ≈ 5e-9
    expect(allowedExcessZeros(0.01)).toBe(2); // P(X >= 3) ≈ 1.7e-7
    // Mean 10: P(X > 28) ≈ 7.6e-7, P(X > 27) ≈ 2.3e-6.
    expect(allowedExcessZeros(10)).toBe(28);
    expect(allowedExcessZeros(1e4)).toBe(10500);
  });

  it('shortestDecimal: fewest significant digits, nearest the centre among equals', () => {
    expect(shortestDecimal(231 / 256, 230 / 256, 231 / 256)).toBe(0.9);
    expect(shortestDecimal(0.75, 0.725, 0.75)).toBe(0.75);
    expect(shortestDecimal(0.010013, 0.00976, 0.01026)).toBe(0.01);
    const r2 = Math.SQRT2;
    expect(shortestDecimal(r2, r2 - 1e-7, r2 + 1e-7)).toBe(Number(r2.toPrecision(8)));
    expect(shortestDecimal(0.3, 0.2, 0.4, (c) => c !== 0.3)).toBe(0.2);
    // An open lower bound: ceil(c · 3) must be 2, so 1/3 itself does not fit.
    expect(shortestDecimal(2 / 3, 1 / 3, 2 / 3, (c) => Math.ceil(c * 3) === 2)).toBe(0.6);
  });

  it('storedDecimal: the shortest decimal the dtype stores as the value, either sign', () => {
    expect(storedDecimal(Math.fround(0.1), 'F32')).toBe(0.1);
    expect(storedDecimal(Math.fround(-0.3), 'F32')).toBe(-0.3);
    expect(storedDecimal(0.1, 'F64')).toBe(0.1);
    expect(storedDecimal(Math.fround(1 / 3), 'F32')).toBe(0.33333334);
    // float16 0.0999755859375 (0x2e66) is what 0.1 rounds to; bfloat16 0.10009765625 too.
    expect(storedDecimal(0.0999755859375, 'F16')).toBe(0.1);
    expect(storedDecimal(0.10009765625, 'BF16')).toBe(0.1);
    for (const v of [1, 2, Math.fround(Math.SQRT2), Math.fround(5 / 3), 1e-30]) {
      expect(Math.fround(storedDecimal(Math.fround(v), 'F32'))).toBe(Math.fround(v));
    }
  });

  it('measuredGain: the shortest decimal within the dtype’s roundoff', () => {
    expect(measuredGain(2.000000001302, 'F32')).toBe(2);
    expect(measuredGain(0.99999995, 'F32')).toBe(1);
    expect(measuredGain(0.9999999, 'F32')).toBe(0.9999999); // 1e-7 off: beyond float32 roundoff
    expect(measuredGain(1.0039, 'BF16')).toBe(1);
    expect(measuredGain(Math.SQRT2 * (1 + 1e-9), 'F32')).toBe(Number(Math.SQRT2.toPrecision(8)));
  });
});
