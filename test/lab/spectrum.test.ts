/**
 * `spectrum`: the Jacobian's squared singular values. Gaussian linear layers follow the
 * Fuss–Catalan law (variance ≈ depth); orthogonal ones give an isometry. The eigenvalue solver
 * is checked against an independent one-sided Jacobi SVD written here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { normal } from '../../src/init/random.js';
import { gaussianJacobianVariance, spectrum } from '../../src/lab/spectrum.js';
import { singularValues } from '../../src/lab/svd.js';
import { setupBackend } from '../../src/tfjs/backend.js';

beforeAll(async () => {
  await setupBackend();
});

/** Singular values by one-sided Jacobi (Hestenes), float64: a different method. */
function jacobiSvd(a: ArrayLike<number>, n: number): number[] {
  const c = Array.from({ length: n }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => a[i * n + j]),
  );
  const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, i) => s + v * y[i], 0);
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const [al, be, ga] = [dot(c[p], c[p]), dot(c[q], c[q]), dot(c[p], c[q])];
        if (Math.abs(ga) <= 1e-15 * Math.sqrt(al * be)) continue;
        rotated = true;
        const z = (be - al) / (2 * ga);
        const t = Math.sign(z || 1) / (Math.abs(z) + Math.sqrt(1 + z * z));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (let i = 0; i < n; i++) {
          const [x, y] = [c[p][i], c[q][i]];
          c[p][i] = cs * x - sn * y;
          c[q][i] = sn * x + cs * y;
        }
      }
    if (!rotated) break;
  }
  return c.map((x) => Math.sqrt(dot(x, x))).sort((u, v) => v - u);
}

describe('singularValues', () => {
  it('agrees with one-sided Jacobi on random matrices (relative to the largest, 1e-12)', () => {
    for (const n of [1, 2, 7, 30]) {
      const a = normal([n, n], { seed: n, stream: 'svd', dtype: 'float64' }).data;
      const got = singularValues(a, n, n);
      const want = jacobiSvd(a, n);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-12 * want[0]);
    }
  });

  it('exact cases: diagonal, orthogonal, rank one', () => {
    expect(singularValues([3, 0, 0, -4], 2, 2)).toEqual([4, 3]);
    const r = Math.SQRT1_2;
    for (const s of singularValues([r, -r, r, r], 2, 2)) expect(s).toBeCloseTo(1, 15);
    const rank1 = singularValues([1, 2, 2, 4], 2, 2);
    expect(rank1[0]).toBeCloseTo(5, 14);
    expect(rank1[1]).toBeLessThan(1e-7); // √(rounding of an eigenvalue 0)
  });

  it('refuses an array of the wrong size', () => {
    expect(() => singularValues([1, 2, 3], 2, 2)).toThrow(RangeError);
  });
});

describe('gaussianJacobianVariance', () => {
  it('one layer: the Wishart variance 1 + 1/n; wide layers: the depth', () => {
    expect(gaussianJacobianVariance(1, 128)).toBeCloseTo(1 + 1 / 128, 14);
    expect(gaussianJacobianVariance(32, 1e9)).toBeCloseTo(32, 5);
    // finite width: ≈ depth + depth²/(2·width), and a bit more
    expect(gaussianJacobianVariance(32, 128)).toBeGreaterThan(32 + 32 ** 2 / 256);
    expect(gaussianJacobianVariance(32, 128)).toBeLessThan(38);
  });

  it('equals a Monte-Carlo estimate of E[tr((JᵀJ)²)/n] − 1 for 4 × 4 layers, depth 2', () => {
    // 100 000 products: the estimate's standard error is ≈ 0.8% (heavy tails: at depth 3 it
    // needs ten times more), the tolerance 4%.
    const n = 4;
    const depth = 2;
    const samples = 100_000;
    const w = normal([samples, depth, n, n], {
      seed: 7,
      stream: 'mc',
      dtype: 'float64',
      std: 1 / Math.sqrt(n),
    }).data;
    let sum = 0;
    for (let s = 0; s < samples; s++) {
      let j = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
      for (let l = 0; l < depth; l++) {
        const base = (s * depth + l) * n * n;
        const next = new Float64Array(n * n);
        for (let r = 0; r < n; r++)
          for (let k = 0; k < n; k++)
            for (let c = 0; c < n; c++) next[r * n + c] += j[r * n + k] * w[base + k * n + c];
        j = next;
      }
      // tr((JᵀJ)²) = ‖JᵀJ‖_F²
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          let g = 0;
          for (let r = 0; r < n; r++) g += j[r * n + a] * j[r * n + b];
          sum += g * g;
        }
    }
    const estimate = sum / samples / n - 1;
    expect(estimate / gaussianJacobianVariance(depth, n)).toBeGreaterThan(0.96);
    expect(estimate / gaussianJacobianVariance(depth, n)).toBeLessThan(1.04);
  });
});

describe('spectrum', () => {
  let report: Awaited<ReturnType<typeof spectrum>>;
  beforeAll(async () => {
    report = await spectrum({
      depths: [2, 8],
      width: 128,
      samples: 8,
      activations: ['linear', 'tanh'],
    });
  });
  const get = (strategy: string, activation: string, depth: number) =>
    report.results.find(
      (r) => r.strategy === strategy && r.activation === activation && r.depth === depth,
    )!;

  it('Gaussian linear layers: variance/mean² of λ ≈ depth (Fuss–Catalan), mean 1', () => {
    // 8 networks × 128 values pooled: over seeds 0–7 the ratio to the exact finite-width
    // value stayed within ±4% at depth 8 (the heavy right tail grows with depth); ±15% here.
    for (const depth of [2, 8]) {
      const g = get('lecun-normal', 'linear', depth);
      expect(g.normalizedVariance / gaussianJacobianVariance(depth, 128)).toBeGreaterThan(0.85);
      expect(g.normalizedVariance / gaussianJacobianVariance(depth, 128)).toBeLessThan(1.15);
      expect(g.mean).toBeGreaterThan(0.9);
      expect(g.mean).toBeLessThan(1.1);
    }
  });

  it('orthogonal linear layers: every singular value is 1 (variance ≈ 0)', () => {
    const o = get('orthogonal', 'linear', 8);
    expect(o.normalizedVariance).toBeLessThan(1e-9);
    expect(Math.abs(o.max - 1)).toBeLessThan(1e-5);
    expect(o.singularValues).toHaveLength(8 * 128);
  });

  it('tanh on the critical line: orthogonal is nearly isometric, Gaussian is not', () => {
    expect(report.config.sigmaB2.tanh).toBe(1e-4);
    expect(report.config.sigmaW2.tanh).toBeCloseTo(1.086, 3);
    const o = get('orthogonal', 'tanh', 8);
    const g = get('lecun-normal', 'tanh', 8);
    expect(o.normalizedVariance).toBeLessThan(0.5);
    expect(g.normalizedVariance).toBeGreaterThan(5);
    expect(o.qStar).toBeCloseTo(0.0457, 3);
  });

  it('refuses strategies that take no gain and bad maps', async () => {
    await expect(spectrum({ strategies: ['zeros'] })).rejects.toThrow(/gain/);
    await expect(spectrum({ sigmaW2: { swish: 1 } })).rejects.toThrow(RangeError);
    await expect(spectrum({ sigmaB2: [1] as never })).rejects.toThrow(TypeError);
  });
});
