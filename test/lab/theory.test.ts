/**
 * Mean-field theory against independent computations: the quadrature against moments of the
 * normal, q* and χ₁ for tanh against a composite Simpson integration written here (a different
 * method, 4 001 points on [−12, 12], error < 1e-12 for these smooth integrands), and the
 * closed forms known for ReLU and linear networks.
 */
import { describe, expect, it } from 'vitest';
import { criticalLine, expectNormal, gaussHermite, meanField } from '../../src/lab/theory/index.js';

const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** E[f(Z)] by composite Simpson on [−12, 12]. */
function simpson(f: (z: number) => number): number {
  const n = 4_000;
  const a = -12;
  const h = 24 / n;
  let s = f(a) * phi(a) + f(-a) * phi(-a);
  for (let i = 1; i < n; i++) {
    const z = a + i * h;
    s += (i % 2 ? 4 : 2) * f(z) * phi(z);
  }
  return (s * h) / 3;
}

describe('Gauss–Hermite quadrature', () => {
  it('integrates the normal moments exactly (E[Z^2k] = (2k−1)!!)', () => {
    const rule = gaussHermite(128);
    expect(expectNormal(() => 1, rule)).toBeCloseTo(1, 13);
    expect(expectNormal((z) => z * z, rule)).toBeCloseTo(1, 12);
    expect(expectNormal((z) => z ** 4, rule)).toBeCloseTo(3, 11);
    expect(expectNormal((z) => z ** 8, rule)).toBeCloseTo(105, 9);
    expect(expectNormal((z) => Math.cos(z), rule)).toBeCloseTo(Math.exp(-0.5), 13);
  });
});

describe('mean-field quantities', () => {
  it.each([
    [1.5, 0.05],
    [2.5, 0.3],
    [0.8, 0.01],
  ])('tanh σw²=%d σb²=%d: q* and χ₁ equal an independent Simpson computation', (w, b) => {
    const m = meanField('tanh', w, b);
    // q* from the Simpson-based map, iterated the same way
    let q = 1;
    for (let k = 0; k < 5000; k++) {
      const next = w * simpson((z) => Math.tanh(Math.sqrt(q) * z) ** 2) + b;
      if (Math.abs(next - q) < 1e-15) break;
      q = next;
    }
    // 128-node Gauss–Hermite on tanh² is accurate to ~1e-10 here
    expect(m.qStar).toBeCloseTo(q, 8);
    const chi = w * simpson((z) => (1 - Math.tanh(Math.sqrt(q) * z) ** 2) ** 2);
    expect(m.chi1).toBeCloseTo(chi, 8);
  });

  it('ReLU: χ₁ = σw²/2, so He initialization (σw² = 2) is exactly critical', () => {
    expect(meanField('relu', 2, 0).chi1).toBeCloseTo(1, 14);
    expect(meanField('relu', 2, 0).phase).toBe('critical');
    expect(meanField('relu', 1, 0).chi1).toBeCloseTo(0.5, 14);
    // q* with bias: q = σw² q/2 + σb² ⇒ q* = σb² / (1 − σw²/2)
    expect(meanField('relu', 1, 0.5).qStar).toBeCloseTo(1, 10);
  });

  it('linear: q* = σb²/(1 − σw²) and χ₁ = σw²', () => {
    const m = meanField('linear', 0.5, 0.25);
    expect(m.qStar).toBeCloseTo(0.5, 10);
    expect(m.chi1).toBeCloseTo(0.5, 14);
  });

  it('tanh: ordered below the critical line, chaotic above, correlations c* < 1 in chaos', () => {
    expect(meanField('tanh', 0.5, 0.05).phase).toBe('ordered');
    expect(meanField('tanh', 0.5, 0.05).cStar).toBe(1);
    const chaos = meanField('tanh', 4, 0.05);
    expect(chaos.phase).toBe('chaotic');
    expect(chaos.cStar).toBeLessThan(1);
    expect(chaos.cStar).toBeGreaterThan(0);
  });

  it('the tanh critical line starts at σw² = 1 for σb² = 0 and rises with σb²', () => {
    const line = criticalLine('tanh', [0, 0.05, 0.2]);
    expect(line[0].sigmaW2).toBeCloseTo(1, 6);
    expect(line[1].sigmaW2).toBeGreaterThan(line[0].sigmaW2);
    expect(line[2].sigmaW2).toBeGreaterThan(line[1].sigmaW2);
    for (const p of line) expect(meanField('tanh', p.sigmaW2, p.sigmaB2).chi1).toBeCloseTo(1, 6);
  });

  it('depth scales diverge at criticality (ξ_c = −1/ln χ₁ large near χ₁ = 1)', () => {
    const near = meanField('tanh', 1.02, 0);
    const far = meanField('tanh', 3, 0);
    expect(near.xiC).toBeGreaterThan(10 * far.xiC);
  });

  it('rejects unknown activations and bad variances', () => {
    expect(() => meanField('swishy', 1, 0)).toThrow('meanField: `activation` must be one of');
    expect(() => meanField('tanh', 0, 0)).toThrow(RangeError);
  });
});
