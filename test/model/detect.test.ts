import { describe, expect, it } from 'vitest';
import { TRUNCATED_STD_AT_2, targetStd } from '../../src/init/variance-scaling.js';
import {
  detectScheme,
  EQUIVALENCE_TOLERANCE,
  FAN_SCHEMES,
  FITTED_GAIN_RANGE,
  FITTED_LOG_PRIOR,
  KURTOSIS_TOLERANCE,
  MEAN_TOLERANCE,
  orthogonalTolerance,
  SCALE_TOLERANCE,
  type SchemeFeatures,
  SHAPES,
  schemeStds,
  unitRoundoff,
} from '../../src/model/detect.js';

/** Features of n values of a distribution of this std and shape, exactly at expectation. */
function ideal(
  std: number,
  shape: 'uniform' | 'normal' | 'truncated-normal',
  n = 8192,
  extra: Partial<SchemeFeatures> = {},
): SchemeFeatures {
  const bound = shape === 'normal' ? 4 : SHAPES[shape].bound;
  return {
    count: n,
    mean: 0,
    std,
    min: -bound * std,
    max: bound * std,
    kurtosis: SHAPES[shape].kurtosis,
    dtype: 'F32',
    ...extra,
  };
}

const fans = { fanIn: 128, fanOut: 64 };

describe('the model’s constants', () => {
  /** ∫ f over [a, b] by Simpson's rule. */
  const simpson = (f: (x: number) => number, a: number, b: number, n = 20000) => {
    const h = (b - a) / n;
    let s = f(a) + f(b);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
    return (s * h) / 3;
  };

  it('shape moments: kurtosis and n·Var(kurtosis) of uniform, normal and truncated normal', () => {
    // n·Var b₂ by the delta method from the standardized moments m4, m6, m8.
    const v = (m4: number, m6: number, m8: number) =>
      m8 - m4 * m4 - 4 * m4 * (m6 - m4) + 4 * m4 * m4 * (m4 - 1);
    expect(SHAPES.normal.kurtosis).toBe(3);
    expect(SHAPES.normal.kurtosisVariance).toBe(v(3, 15, 105)); // 24
    expect(SHAPES.uniform.kurtosis).toBe(1.8);
    expect(SHAPES.uniform.kurtosisVariance).toBeCloseTo(v(9 / 5, 27 / 7, 9), 14);
    expect(SHAPES.uniform.bound).toBe(Math.sqrt(3));
    // Truncated normal at ±2: moments by numerical integration.
    const phi = (x: number) => Math.exp((-x * x) / 2);
    const z = simpson(phi, -2, 2);
    const m = (k: number) => simpson((x) => x ** k * phi(x), -2, 2) / z;
    const s2 = m(2);
    expect(Math.sqrt(s2)).toBeCloseTo(TRUNCATED_STD_AT_2, 12);
    const t = SHAPES['truncated-normal'];
    expect(t.kurtosis).toBeCloseTo(m(4) / s2 ** 2, 10);
    expect(t.kurtosisVariance).toBeCloseTo(v(m(4) / s2 ** 2, m(6) / s2 ** 3, m(8) / s2 ** 4), 8);
    expect(t.bound).toBeCloseTo(2 / Math.sqrt(s2), 12);
  });

  it('tolerances are stated', () => {
    expect(SCALE_TOLERANCE).toBe(0.01);
    expect(FITTED_GAIN_RANGE).toEqual([0.1, 10]);
    expect(FITTED_LOG_PRIOR).toBe(-Math.log(3));
    expect(KURTOSIS_TOLERANCE).toBe(0.05);
    expect(MEAN_TOLERANCE).toBe(0.01);
    expect(EQUIVALENCE_TOLERANCE).toBe(0.01);
    expect(unitRoundoff('F32')).toBe(2 ** -24);
    expect(orthogonalTolerance('F32')).toBe(0.01);
    expect(orthogonalTolerance('F64')).toBe(0.01);
    expect(orthogonalTolerance('F16')).toBe(0.015625);
    expect(orthogonalTolerance('BF16')).toBe(0.125);
  });

  it('schemeStds: the std each scheme gives for the fans (and orthogonal’s rms)', () => {
    const s = schemeStds(fans, { rows: 64, cols: 128 });
    expect(s['torch-default']).toBeCloseTo(1 / Math.sqrt(3 * 128), 16);
    expect(s.xavier).toBe(Math.sqrt(2 / 192));
    expect(s.he).toBe(Math.SQRT2 / Math.sqrt(128));
    expect(s.lecun).toBe(1 / Math.sqrt(128));
    expect(s['he-fan-out']).toBe(Math.SQRT2 / Math.sqrt(64));
    expect(s['normal(0.02)']).toBe(0.02);
    expect(s.orthogonal).toBe(Math.sqrt(64 / (64 * 128)));
    expect(FAN_SCHEMES.map((x) => x.scheme)).toContain('he-truncated-normal');
  });
});

describe('detectScheme', () => {
  it('names the scheme whose std and shape fit, with a high confidence', () => {
    for (const s of FAN_SCHEMES) {
      const std = targetStd(s.gain, fans, s.mode);
      const d = detectScheme(ideal(std, s.distribution), { fans });
      expect(d.best.scheme).toBe(s.scheme);
      expect(d.best.confidence).toBeGreaterThan(0.99);
      expect(d.best.ratio).toBe(1);
      expect(d.best.spec).toEqual(s.spec);
    }
  });

  it('the shape decides between uniform, truncated normal and normal of the same std', () => {
    const std = 1 / Math.sqrt(128);
    expect(detectScheme(ideal(std, 'uniform'), { fans }).best.scheme).toBe('lecun-uniform');
    expect(detectScheme(ideal(std, 'truncated-normal'), { fans }).best.scheme).toBe(
      'lecun-truncated-normal',
    );
    expect(detectScheme(ideal(std, 'normal'), { fans }).best.scheme).toBe('lecun-normal');
    // A sample whose max |x| exceeds √3·std cannot be uniform, whatever its kurtosis.
    const d = detectScheme({ ...ideal(std, 'uniform'), max: 2 * std }, { fans });
    expect(d.best.scheme).not.toBe('lecun-uniform');
  });

  it('a std 3 % off still matches; 40 % off is a fitted scale; out of every gain range, unknown', () => {
    const std = 1 / Math.sqrt(128);
    const near = detectScheme(ideal(std * 1.03, 'normal'), { fans });
    expect(near.best.scheme).toBe('lecun-normal');
    // std 0.3: no formula's, but N(0, 0.3²) itself (gain 2.4 on fan-out 64, 3.4 on fan-in).
    const off = detectScheme(ideal(0.3, 'normal'), { fans });
    expect(off.best).toMatchObject({
      scheme: 'normal(std=0.3)',
      spec: { name: 'normal', std: 0.3 },
    });
    expect(off.best.confidence).toBeGreaterThan(0.99);
    // std 3: gain 24 on fan-out, 34 on fan-in, past the fitted gain's range [0.1, 10].
    const far = detectScheme(ideal(3, 'normal'), { fans });
    expect(far.best).toMatchObject({
      scheme: 'unknown',
      label: 'none of the known schemes (normal-like, std 3)',
    });
    expect(far.best.confidence).toBeGreaterThan(0.99);
  });

  it('groups schemes that predict the same distribution (square fans: xavier = lecun)', () => {
    const d = detectScheme(ideal(1 / Math.sqrt(96), 'normal'), { fans: { fanIn: 96, fanOut: 96 } });
    expect(d.best.scheme).toBe('xavier-normal');
    expect(d.best.equivalent).toEqual(['lecun-normal']);
    expect(d.best.confidence).toBeGreaterThan(0.99);
    expect(d.runnerUp!.scheme).not.toBe('lecun-normal');
  });

  it('exact structures: zeros, constant, identity and dirac, confidence 1', () => {
    const base = ideal(0.1, 'normal');
    expect(detectScheme({ ...base, min: 0, max: 0, std: 0 }).best).toMatchObject({
      scheme: 'zeros',
      confidence: 1,
    });
    expect(detectScheme({ ...base, min: 0.5, max: 0.5, std: 0 }).best).toMatchObject({
      scheme: 'constant',
      value: 0.5,
      confidence: 1,
    });
    expect(detectScheme({ ...base, pattern: { kind: 'identity', value: 2 } }).best).toMatchObject({
      scheme: 'identity',
      value: 2,
      spec: { name: 'identity', gain: 2 },
    });
    expect(detectScheme({ ...base, pattern: { kind: 'dirac', value: 1 } }).best.scheme).toBe(
      'dirac',
    );
  });

  it('orthogonal: a passed orthogonality check outweighs the marginal fit; a failed one rules it out', () => {
    // A square orthogonal matrix's entries look exactly like lecun-normal: only structure tells.
    const f = ideal(1 / Math.sqrt(128), 'normal', 128 * 128);
    const pass = detectScheme(
      { ...f, orthogonality: { residual: 1e-6, lines: 64, gain: 1 } },
      { fans: { fanIn: 128, fanOut: 128 } },
    );
    expect(pass.best).toMatchObject({ scheme: 'orthogonal', value: 1 });
    expect(pass.best.confidence).toBeGreaterThan(0.999);
    const fail = detectScheme(
      { ...f, orthogonality: { residual: 1.3, lines: 64, gain: 1 } },
      { fans: { fanIn: 128, fanOut: 128 } },
    );
    expect(fail.best.scheme).toBe('xavier-normal');
    expect(fail.candidates.map((c) => c.scheme)).not.toContain('orthogonal');
    // bfloat16 rounding: residual of a few 2⁻⁸ still passes.
    const bf16 = detectScheme(
      { ...f, dtype: 'BF16', orthogonality: { residual: 0.02, lines: 64, gain: 1 } },
      { fans: { fanIn: 128, fanOut: 128 } },
    );
    expect(bf16.best.scheme).toBe('orthogonal');
  });

  it('biases: only PyTorch’s default applies with a borrowed fan-in; RNN hidden size', () => {
    const bound = 1 / Math.sqrt(64);
    const f = ideal(bound / Math.sqrt(3), 'uniform', 256);
    const d = detectScheme(f, { fans: { fanIn: 64, fanOut: 32 }, borrowedFans: true });
    expect(d.best.scheme).toBe('torch-default');
    expect(d.candidates.map((c) => c.scheme)).not.toContain('xavier-uniform');
    const rnn = detectScheme(ideal(1 / Math.sqrt(3 * 20), 'uniform', 4000), {
      fans: { fanIn: 10, fanOut: 80 },
      rnnHidden: 20,
    });
    expect(rnn.best.scheme).toBe('torch-rnn-default');
    expect(rnn.best.spec).toEqual({
      name: 'uniform',
      low: -1 / Math.sqrt(20),
      high: 1 / Math.sqrt(20),
    });
  });

  it('probabilities sum to 1, candidates sorted', () => {
    const d = detectScheme(ideal(0.1, 'normal', 500), { fans });
    const total = d.candidates.reduce((a, c) => a + c.probability, 0);
    expect(total).toBeCloseTo(1, 12);
    for (let i = 1; i < d.candidates.length; i++) {
      expect(d.candidates[i - 1].logLikelihood).toBeGreaterThanOrEqual(
        d.candidates[i].logLikelihood,
      );
    }
  });
});
