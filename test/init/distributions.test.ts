/**
 * Every random strategy against its exact target distribution, at fixed seeds.
 * KS: reject at p < 1e-3 (see test/support/stats.ts). Moments: the sample variance of n iid
 * draws has relative standard error ≈ √(2/n) (normal) — with n = 65 536 that is 0.55 %, so
 * a 3 % tolerance is over 5 standard errors; the mean's tolerance is 5 std/√n.
 */
import { describe, expect, it } from 'vitest';
import {
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  normal,
  truncatedNormal,
  uniform,
  varianceScaling,
  xavierNormal,
  xavierUniform,
} from '../../src/init/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { ksPValue, moments, phi, truncatedNormalCdf, uniformCdf } from '../support/stats.js';

const SHAPE = [256, 256]; // fanIn = fanOut = 256, n = 65 536
const N = 65_536;

function checkMoments(t: Tensor, mean: number, std: number) {
  const m = moments(t.data);
  expect(Math.abs(m.mean - mean)).toBeLessThan((5 * std) / Math.sqrt(N));
  expect(Math.sqrt(m.variance) / std).toBeGreaterThan(0.985);
  expect(Math.sqrt(m.variance) / std).toBeLessThan(1.015);
}

describe('uniform family: exact bounds and distribution', () => {
  const cases: [string, () => Tensor, number][] = [
    ['uniform(-0.05, 0.05)', () => uniform(SHAPE, { low: -0.05, high: 0.05, seed: 1 }), 0.05],
    ['xavierUniform', () => xavierUniform(SHAPE, { seed: 2 }), Math.sqrt(6 / 512)],
    [
      'xavierUniform gain tanh',
      () => xavierUniform(SHAPE, { seed: 3, nonlinearity: 'tanh' }),
      (5 / 3) * Math.sqrt(6 / 512),
    ],
    ['heUniform', () => heUniform(SHAPE, { seed: 4 }), Math.sqrt(6 / 256)],
    [
      'heUniform leaky 0.2',
      () => heUniform(SHAPE, { seed: 5, slope: 0.2 }),
      Math.sqrt(6 / (1.04 * 256)),
    ],
    ['lecunUniform', () => lecunUniform(SHAPE, { seed: 6 }), Math.sqrt(3 / 256)],
    [
      'varianceScaling uniform scale 2 fan-out',
      () => varianceScaling(SHAPE, { seed: 7, scale: 2, mode: 'fan-out', distribution: 'uniform' }),
      Math.sqrt(6 / 256),
    ],
  ];
  it.each(cases)('%s', (_name, make, bound) => {
    const t = make();
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const x of t.data) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    // Values lie in [-bound, bound) (float32 rounding of the bound allowed), and reach it:
    // the chance that 65 536 draws all miss the outer 0.1 % on one side is e^-65.
    expect(min).toBeGreaterThanOrEqual(Math.fround(-bound));
    expect(max).toBeLessThan(Math.fround(bound) * (1 + 1e-7));
    expect(min).toBeLessThan(-bound * 0.999);
    expect(max).toBeGreaterThan(bound * 0.999);
    expect(ksPValue(t.data, uniformCdf(-bound, bound))).toBeGreaterThan(1e-3);
    checkMoments(t, 0, bound / Math.sqrt(3));
  });
});

describe('normal family: distribution and std', () => {
  const cases: [string, () => Tensor, number][] = [
    ['normal(0, 0.02)', () => normal(SHAPE, { std: 0.02, seed: 11 }), 0.02],
    ['xavierNormal', () => xavierNormal(SHAPE, { seed: 12 }), Math.sqrt(2 / 512)],
    [
      'heNormal (the document: N(0, 2/n_in))',
      () => heNormal(SHAPE, { seed: 13 }),
      Math.sqrt(2 / 256),
    ],
    [
      'heNormal fan-out',
      () => heNormal([128, 256], { seed: 14, mode: 'fan-out' }),
      Math.sqrt(2 / 128),
    ],
    ['lecunNormal', () => lecunNormal(SHAPE, { seed: 15 }), Math.sqrt(1 / 256)],
    [
      'varianceScaling normal selu gain',
      () => varianceScaling(SHAPE, { seed: 16, nonlinearity: 'selu', distribution: 'normal' }),
      0.75 / 16,
    ],
  ];
  it.each(cases)('%s', (_name, make, std) => {
    const t = make();
    expect(ksPValue(t.data, (x) => phi(x / std))).toBeGreaterThan(1e-3);
    checkMoments(t, 0, std);
  });

  it('normal with a mean', () => {
    const t = normal(SHAPE, { mean: 3, std: 2, seed: 17 });
    expect(ksPValue(t.data, (x) => phi((x - 3) / 2))).toBeGreaterThan(1e-3);
  });
});

describe('truncated normal: the exact truncated distribution', () => {
  it('±2 std by default (TF.js), never outside, KS against the truncated CDF', () => {
    const t = truncatedNormal(SHAPE, { std: 0.5, seed: 21 });
    for (const x of t.data) expect(Math.abs(x)).toBeLessThanOrEqual(1);
    expect(ksPValue(t.data, truncatedNormalCdf(0, 0.5, -1, 1))).toBeGreaterThan(1e-3);
    // std of N(0,1) truncated to ±2 is 0.87962566…
    checkMoments(t, 0, 0.5 * 0.8796256610342398);
  });

  it('absolute bounds (PyTorch trunc_normal_ a, b), one-sided mass', () => {
    const t = truncatedNormal(SHAPE, { mean: 0, std: 1, low: 0.5, high: 3, seed: 22 });
    for (const x of t.data) {
      expect(x).toBeGreaterThanOrEqual(0.5);
      expect(x).toBeLessThanOrEqual(3);
    }
    expect(ksPValue(t.data, truncatedNormalCdf(0, 1, 0.5, 3))).toBeGreaterThan(1e-3);
  });

  it('varianceScaling truncated-normal has exactly the target std (Keras correction)', () => {
    const t = varianceScaling(SHAPE, { seed: 23 }); // scale 1, fan-in 256: std 1/16
    const sigma = 1 / 16 / 0.87962566103423978;
    expect(ksPValue(t.data, truncatedNormalCdf(0, sigma, -2 * sigma, 2 * sigma))).toBeGreaterThan(
      1e-3,
    );
    checkMoments(t, 0, 1 / 16);
  });
});
