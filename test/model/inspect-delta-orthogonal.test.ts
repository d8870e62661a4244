/**
 * Inspect on delta-orthogonal kernels (Xiao et al. 2018; src/init/orthogonal.ts): zero but at
 * the kernel centre, whose [out, in] slice is orthogonal × gain. Gains, kernel sizes 1/3/5,
 * conv1d/2d/3d, out ≠ in, both layouts, float32/float16/bfloat16, chunked; and kernels that
 * must keep reading as before (Dirac, orthogonal) or not read as delta-orthogonal.
 */
import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/index.js';
import { encodeSafetensors, type SafetensorsInput } from '../../src/io/safetensors.js';
import { inspectSafetensors, safetensorsBytesSource } from '../../src/model/inspect.js';
import { TensorAccumulator } from '../../src/model/inspect-stats.js';
import type { StorageDType } from '../../src/tensor/dtype.js';
import { kernelGeometry, type Layout } from '../../src/tensor/fans.js';
import type { Tensor } from '../../src/tensor/tensor.js';

async function inspect(
  entries: [string, Tensor][],
  o: { dtype?: StorageDType; layout?: Layout; chunkBytes?: number } = {},
) {
  const input: SafetensorsInput[] = entries.map(([name, tensor]) => ({
    name,
    tensor,
    dtype: o.dtype ?? 'float32',
  }));
  const report = await inspectSafetensors(
    safetensorsBytesSource(encodeSafetensors(input), o.chunkBytes),
    { layout: o.layout ?? 'out-in' },
  );
  return (name: string) => report.tensors.find((t) => t.name === name)!;
}

/** [out, in, ...kernel] (out-in); in-out puts the kernel first: [...kernel, in, out]. */
const KERNELS: [number, number, number[]][] = [
  [64, 64, [3, 3]],
  [48, 16, [3, 3]],
  [32, 16, [3]],
  [16, 8, [3, 3, 3]],
  [24, 24, [5, 5]],
  [20, 12, [5]],
];
const GAINS = [1, Math.SQRT2, 0.5, 3];
const shapeOf = (out: number, inC: number, k: number[], layout: Layout) =>
  layout === 'out-in' ? [out, inC, ...k] : [...k, inC, out];

describe('inspect: delta-orthogonal', () => {
  it('the reproduction: [64, 64, 3, 3], gain 1, confidence 1, no warning', async () => {
    const get = await inspect([
      ['conv.weight', initialize({ name: 'delta-orthogonal', seed: 2 }, [64, 64, 3, 3])],
    ]);
    const t = get('conv.weight');
    expect(t.scheme).toMatchObject({
      scheme: 'delta-orthogonal',
      confidence: 1,
      label:
        'delta-orthogonal × 1 (zero but at the kernel centre, whose [out, in] slice is orthogonal; Xiao et al. 2018)',
      spec: { name: 'delta-orthogonal', gain: 1 },
    });
    expect(t.scheme!.value).toBeCloseTo(1, 6);
    expect(t.warnings).toEqual([]);
    expect(t.checks!.centre).toMatchObject({ lines: 64, along: 'rows' });
  });

  for (const layout of ['out-in', 'in-out'] as const) {
    for (const dtype of ['float32', 'float16', 'bfloat16'] as const) {
      it(`gains, 1-D/2-D/3-D kernels of 3 and 5, out ≠ in: ${layout}, ${dtype}, chunked or not`, async () => {
        const entries: [string, Tensor, number][] = [];
        KERNELS.forEach(([out, inC, k], i) => {
          GAINS.forEach((gain, j) => {
            const spec = { name: 'delta-orthogonal', gain, layout, seed: 10 * i + j } as const;
            entries.push([
              `k${i}g${j}.weight`,
              initialize(spec, shapeOf(out, inC, k, layout)),
              gain,
            ]);
          });
        });
        const tol = { float32: 1e-6, float16: 2e-3, bfloat16: 1.6e-2 }[dtype];
        for (const chunkBytes of [8, 1 << 22]) {
          const get = await inspect(
            entries.map(([n, t]) => [n, t]),
            { dtype, layout, chunkBytes },
          );
          for (const [name, , gain] of entries) {
            const s = get(name).scheme!;
            expect(s.scheme, name).toBe('delta-orthogonal');
            expect(s.confidence, name).toBeGreaterThan(0.999999);
            expect(Math.abs(s.value! / gain - 1), name).toBeLessThan(tol);
            expect(s.spec, name).toEqual({
              name: 'delta-orthogonal',
              gain: dtype === 'float32' ? Number(gain.toPrecision(8)) : s.spec!.gain,
              ...(layout === 'in-out' ? { layout } : {}),
            });
            expect(Math.abs((s.spec!.gain as number) / gain - 1), name).toBeLessThan(tol);
            expect(get(name).warnings, name).toEqual([]);
          }
        }
      });
    }
  }

  it('kernel size 1: the same tensor as orthogonal, reported as orthogonal (= delta-orthogonal)', async () => {
    const get = await inspect([
      ['a.weight', initialize({ name: 'delta-orthogonal', seed: 1 }, [64, 32, 1, 1])],
      ['b.weight', initialize({ name: 'delta-orthogonal', seed: 2, gain: 2 }, [48, 48, 1])],
    ]);
    for (const name of ['a.weight', 'b.weight']) {
      const s = get(name).scheme!;
      expect(s.scheme).toBe('orthogonal');
      expect(s.equivalent).toContain('delta-orthogonal');
      expect(s.confidence).toBeGreaterThan(0.99);
    }
    // Same values as orthogonal of the same shape and seed.
    expect(initialize({ name: 'delta-orthogonal', seed: 1 }, [64, 32, 1, 1]).data).toEqual(
      initialize({ name: 'orthogonal', seed: 1 }, [64, 32, 1, 1]).data,
    );
  });

  it('a tiny slice (2 input channels: one sampled pair) gets the confidence it deserves', async () => {
    // An i.i.d. 2-column slice passes the check with probability ≈ ρ_tol·√(2/π).
    for (const [dtype, p] of [
      ['float32', 0.01],
      ['bfloat16', 0.125],
    ] as const) {
      const get = await inspect(
        [['t.weight', initialize({ name: 'delta-orthogonal', seed: 3 }, [4, 2, 3, 3])]],
        { dtype },
      );
      const s = get('t.weight').scheme!;
      expect(s.scheme).toBe('delta-orthogonal');
      expect(s.confidence).toBeCloseTo(1 / (1 + p * Math.sqrt(2 / Math.PI)), 12);
    }
  });
});

describe('inspect: kernels that are not delta-orthogonal', () => {
  it('Dirac stays dirac, orthogonal stays orthogonal, he-normal stays he-normal', async () => {
    const get = await inspect([
      ['dirac.weight', initialize({ name: 'dirac' }, [16, 16, 3, 3])],
      ['dirac2.weight', initialize({ name: 'dirac' }, [32, 16, 5])],
      ['orth.weight', initialize({ name: 'orthogonal', seed: 1 }, [16, 32, 3, 3])],
      ['he.weight', initialize({ name: 'he-normal', seed: 1 }, [64, 32, 3, 3])],
    ]);
    expect(get('dirac.weight').scheme!.scheme).toBe('dirac');
    expect(get('dirac2.weight').scheme!.scheme).toBe('dirac');
    expect(get('orth.weight').scheme!.scheme).toBe('orthogonal');
    expect(get('orth.weight').checks!.centre).toBeNull();
    expect(get('he.weight').scheme!.scheme).toBe('he-normal');
    expect(get('he.weight').checks!.centre).toBeNull();
  });

  it('zero but at the centre with an i.i.d. centre slice, or one non-zero off the centre', async () => {
    const shape = [32, 32, 3, 3];
    const g = kernelGeometry(shape, 'out-in');
    const iid = new Float32Array(32 * 32 * 9);
    const draws = initialize({ name: 'normal', std: 0.1, seed: 4 }, [32, 32]).data;
    for (let o = 0; o < 32; o++)
      for (let i = 0; i < 32; i++) iid[g.index(o, i, g.centre)] = draws[o * 32 + i];
    const stray = Float32Array.from(initialize({ name: 'delta-orthogonal', seed: 5 }, shape).data);
    stray[g.index(3, 7, 0)] = 1e-3;
    const get = await inspect([
      ['iid.weight', { shape, dtype: 'float32', data: iid, warnings: [] }],
      ['stray.weight', { shape, dtype: 'float32', data: stray, warnings: [] }],
    ]);
    const a = get('iid.weight');
    expect(a.checks!.centre).toMatchObject({ lines: 32 });
    expect((a.checks!.centre as { residual: number }).residual).toBeGreaterThan(0.5);
    expect(a.scheme!.scheme).not.toBe('delta-orthogonal');
    expect(get('stray.weight').checks!.centre).toBeNull();
    expect(get('stray.weight').scheme!.scheme).not.toBe('delta-orthogonal');
  });
});

describe('TensorAccumulator: the centre check, chunk by chunk', () => {
  for (const layout of ['out-in', 'in-out'] as const) {
    it(`the same centre check for any chunking (${layout})`, () => {
      const shape = shapeOf(40, 24, [3, 5], layout);
      const w = initialize({ name: 'delta-orthogonal', gain: 2, layout, seed: 6 }, shape).data;
      const checks = [1, 5, 24, 40 * 24, 4097, w.length].map((step) => {
        const acc = new TensorAccumulator(shape, layout);
        for (let k = 0; k < w.length; k += step) acc.push(w.subarray(k, k + step));
        return acc.checks().centre;
      });
      for (const c of checks) expect(c).toEqual(checks[0]);
      expect(checks[0]).toMatchObject({ lines: 24, along: 'columns' });
      const c = checks[0] as { residual: number; gain: number };
      expect(c.residual).toBeLessThan(1e-5);
      expect(c.gain).toBeCloseTo(2, 6);
    });
  }

  it('does not apply to rank 2, a 1-tap kernel, or a single input channel', () => {
    for (const shape of [
      [8, 8],
      [8, 8, 1, 1],
      [8, 1, 3, 3],
    ]) {
      const acc = new TensorAccumulator(shape, 'out-in');
      acc.push(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.5));
      expect(acc.checks().centre).toBeNull();
    }
  });
});
