/**
 * `theory`: the mean-field quantities checked against measured networks (q* and χ₁ for tanh
 * themselves are checked against an independent integration in theory.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { meanField } from '../../src/lab/theory/index.js';
import { theory } from '../../src/lab/theory-experiment.js';
import { setupBackend } from '../../src/tfjs/backend.js';

beforeAll(async () => {
  await setupBackend();
});

describe('theory', () => {
  let report: Awaited<ReturnType<typeof theory>>;
  beforeAll(async () => {
    report = await theory({
      activations: ['tanh', 'relu'],
      sigmaW2: [0.5, 1.5, 2.5],
      sigmaB2: [0, 0.05, 0.3],
      criticalSigmaB2: [0, 0.05],
    });
  });

  it('gives the mean-field point of every grid entry', () => {
    expect(report.results).toHaveLength(2 * 3 * 3);
    for (const r of report.results)
      expect(r).toMatchObject(meanField(r.activation, r.sigmaW2, r.sigmaB2, { nodes: 128 }));
  });

  it('measured networks agree with q* (10%) and χ₁ (5%) where they reach q*', () => {
    // Width 256, batch 64, depth 30, averaged over the deepest 10 layers: q per layer
    // fluctuates by ≈ √(2/width) ≈ 9% (weights) averaged over layers; χ₁ comes from a
    // 10-layer geometric mean of gradient ratios. Measured worst cases: q* 9.3% (ReLU, χ₁ 0.75),
    // χ₁ 4.8%.
    const checked = report.results.filter((r) => r.measured !== null);
    expect(checked.length).toBeGreaterThanOrEqual(9);
    for (const r of checked) {
      expect(r.measured!.relativeError.qStar).toBeLessThan(0.1);
      expect(r.measured!.relativeError.chi1).toBeLessThan(0.05);
    }
    // not checked: vanishing q* (σ_b² = 0, ordered) and diverging ReLU
    const relu = report.results.find((r) => r.activation === 'relu' && r.sigmaW2 === 2.5)!;
    expect(relu.qStar).toBe(Number.POSITIVE_INFINITY);
    expect(relu.measured).toBeNull();
  });

  it('critical lines: ReLU at σ_w² = 2, tanh at 1 for σ_b² = 0 and 1.76 for 0.05', () => {
    const tanh = report.criticalLines.find((l) => l.activation === 'tanh')!;
    expect(tanh.points[0].sigmaW2).toBeCloseTo(1, 6);
    expect(tanh.points[1].sigmaW2).toBeCloseTo(1.761, 3);
    const relu = report.criticalLines.find((l) => l.activation === 'relu')!;
    for (const p of relu.points) expect(p.sigmaW2).toBeCloseTo(2, 8);
  });

  it('nodes below 100 are refused', async () => {
    await expect(theory({ nodes: 50 })).rejects.toThrow(
      /`nodes` must be an integer in \[100, 1000\]/,
    );
  });
});
