/**
 * Inspect on `sparse` tensors (src/init/sparse.ts), both semantics: PyTorch's `sparsity`
 * (ceil(sparsity · units) zeros per input) and Martens' `nonZero` (that many non-zero
 * incoming weights per unit), in both layouts, in float32/float16/bfloat16, in one chunk or
 * many; and dense tensors with some zeros that must not read as sparse.
 */
import { describe, expect, it } from 'vitest';
import { type InitSpec, initialize } from '../../src/init/index.js';
import { encodeSafetensors, type SafetensorsInput } from '../../src/io/safetensors.js';
import { inspectSafetensors, safetensorsBytesSource } from '../../src/model/inspect.js';
import { TensorAccumulator } from '../../src/model/inspect-stats.js';
import type { StorageDType } from '../../src/tensor/dtype.js';
import type { Layout } from '../../src/tensor/fans.js';
import type { Tensor } from '../../src/tensor/tensor.js';

type Entry = [name: string, tensor: Tensor];

async function inspect(
  entries: Entry[],
  o: { dtype?: StorageDType; layout?: Layout; chunkBytes?: number } = {},
) {
  const input: SafetensorsInput[] = entries.map(([name, tensor]) => ({
    name,
    tensor,
    dtype: o.dtype ?? 'float32',
  }));
  const bytes = encodeSafetensors(input);
  const report = await inspectSafetensors(safetensorsBytesSource(bytes, o.chunkBytes), {
    layout: o.layout ?? 'out-in',
  });
  return (name: string) => report.tensors.find((t) => t.name === name)!;
}

const matrix = (shape: [number, number], data: Float32Array): Tensor => ({
  shape,
  dtype: 'float32',
  data,
  warnings: [],
});

/** PyTorch semantics: [sparsity, shape] with ceil(sparsity · units) strictly between 0 and units. */
const SPARSITY: [number, [number, number]][] = [
  [0.1, [256, 128]],
  [0.5, [64, 300]],
  [0.9, [256, 128]],
  [0.9, [1000, 10]],
  [0.75, [40, 40]],
  [0.99, [512, 256]],
];
/** Martens semantics: [nonZero, shape]. */
const NON_ZERO: [number, [number, number]][] = [
  [15, [256, 128]],
  [1, [64, 300]],
  [5, [1000, 10]],
  [100, [128, 160]],
];

function sparseEntries(layout: Layout, std: number): [Entry, InitSpec][] {
  const out: [Entry, InitSpec][] = [];
  SPARSITY.forEach(([sparsity, [a, b]], i) => {
    const spec: InitSpec = { name: 'sparse', sparsity, std, layout, seed: 10 + i };
    out.push([[`sp${i}.weight`, initialize(spec, [a, b])], spec]);
  });
  NON_ZERO.forEach(([nonZero, [a, b]], i) => {
    const spec: InitSpec = { name: 'sparse', nonZero, std, layout, seed: 20 + i };
    out.push([[`nz${i}.weight`, initialize(spec, [a, b])], spec]);
  });
  return out;
}

describe('inspect: sparse', () => {
  it('the reproduction: sparsity 0.9 and nonZero 15, labelled, with specs that regenerate them', async () => {
    const get = await inspect([
      ['s.weight', initialize({ name: 'sparse', sparsity: 0.9, std: 0.01, seed: 1 }, [256, 128])],
      ['m.weight', initialize({ name: 'sparse', nonZero: 15, seed: 3 }, [256, 128])],
    ]);
    const s = get('s.weight');
    expect(s.scheme).toMatchObject({
      scheme: 'sparse',
      label:
        'sparse (PyTorch sparse_): sparsity 0.9, 231 of the 256 weights of every input (column) zero, the rest N(0, 0.01²)',
      spec: { name: 'sparse', sparsity: 0.9, std: 0.01 },
    });
    expect(s.scheme!.confidence).toBeGreaterThan(0.999);
    expect(s.scheme!.value).toBeCloseTo(0.01, 3);
    // The std warning is right: 23 non-zero inputs × 0.01 shrink the signal ×0.035 per layer.
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(/signals vanish/);
    const m = get('m.weight');
    expect(m.scheme).toMatchObject({
      scheme: 'sparse',
      label:
        'sparse (Martens 2010): 15 non-zero incoming weights of 128 for every unit (row), N(0, 0.01²)',
      spec: { name: 'sparse', nonZero: 15, std: 0.01 },
    });
    expect(m.scheme!.confidence).toBeGreaterThan(0.999);
    // The spec makes a tensor with the same zero structure.
    const again = await inspect([
      ['x.weight', initialize({ ...(s.scheme!.spec as InitSpec), seed: 9 }, [256, 128])],
    ]);
    expect(again('x.weight').checks!.zeroCounts).toMatchObject({
      inputs: { min: 231, max: 231 },
    });
  });

  for (const layout of ['out-in', 'in-out'] as const) {
    for (const dtype of ['float32', 'float16', 'bfloat16'] as const) {
      it(`both semantics, several sparsities and shapes: ${layout}, ${dtype}, chunks of 8 bytes or all`, async () => {
        const entries = sparseEntries(layout, 0.02);
        for (const chunkBytes of [8, 1 << 22]) {
          const get = await inspect(
            entries.map(([e]) => e),
            { dtype, layout, chunkBytes },
          );
          for (const [[name], spec] of entries) {
            const t = get(name);
            const { seed: _, ...want } = spec as Record<string, unknown>;
            if (layout === 'out-in') delete want.layout;
            expect(t.scheme?.scheme, name).toBe('sparse');
            expect(t.scheme!.confidence, name).toBeGreaterThan(0.95);
            expect(t.scheme!.spec, name).toEqual(want);
          }
        }
      });
    }
  }

  it('float16 underflow of tiny non-zero draws adds a few zeros: still sparse', async () => {
    // std 1e-6: |x| < 2⁻²⁵ ≈ 3e-8 rounds to 0 in float16, for ~2.4 % of the non-zero draws.
    const spec = { name: 'sparse', sparsity: 0.5, std: 1e-6, seed: 4 } as const;
    const get = await inspect([['u.weight', initialize(spec, [256, 128])]], { dtype: 'float16' });
    const t = get('u.weight');
    const zc = t.checks!.zeroCounts!;
    if (!('inputs' in zc)) throw new Error('skipped');
    expect(zc.inputs.max).toBeGreaterThan(zc.inputs.min); // underflow made extra zeros
    expect(t.scheme).toMatchObject({ scheme: 'sparse', spec: { sparsity: 0.5 } });
  });

  it('the same chunked counts whatever the chunk size (accumulator)', () => {
    const w = initialize({ name: 'sparse', sparsity: 0.7, seed: 5 }, [33, 17]).data;
    const counts = [1, 7, 17, 64, w.length].map((step) => {
      const acc = new TensorAccumulator([33, 17], 'out-in');
      for (let k = 0; k < w.length; k += step) acc.push(w.subarray(k, k + step));
      const zc = acc.checks().zeroCounts;
      if (zc === null || !('units' in zc)) throw new Error('no counts');
      return { units: zc.units, inputs: zc.inputs };
    });
    for (const c of counts) expect(c).toEqual(counts[0]);
    expect(counts[0].inputs).toMatchObject({ along: 'columns', lines: 17, min: 24, max: 24 });
    expect(counts[0].units).toMatchObject({ along: 'rows', lines: 33, total: 24 * 17 });
  });
});

describe('inspect: dense tensors with zeros are not sparse', () => {
  const dense = () => initialize({ name: 'he-normal', seed: 7 }, [256, 128]).data as Float32Array;

  it('a normal tensor, a few weights zeroed, a zeroed unit, per-column magnitude pruning', async () => {
    const few = dense();
    for (const k of [5, 900, 4000, 17000, 30001]) few[k] = 0;
    // One zero per input, all in row 3: a dead unit, exactly one zero per column.
    const row = dense();
    row.fill(0, 3 * 128, 4 * 128);
    // Every column keeps its 26 largest |w| (~90 % pruned): same count per column, but the
    // kept values are the tails of the normal, not N(0, σ²).
    const pruned = dense();
    for (let c = 0; c < 128; c++) {
      const col = Array.from({ length: 256 }, (_, r) => pruned[r * 128 + c]);
      const cut = [...col].map(Math.abs).sort((a, b) => b - a)[25];
      for (let r = 0; r < 256; r++)
        if (Math.abs(pruned[r * 128 + c]) < cut) pruned[r * 128 + c] = 0;
    }
    const get = await inspect([
      ['normal.weight', matrix([256, 128], dense())],
      ['few.weight', matrix([256, 128], few)],
      ['row.weight', matrix([256, 128], row)],
      ['pruned.weight', matrix([256, 128], pruned)],
    ]);
    expect(get('normal.weight').scheme!.scheme).toBe('he-normal');
    expect(get('normal.weight').checks!.zeroCounts).toBeNull();
    expect(get('few.weight').scheme!.scheme).toBe('he-normal');
    expect(get('row.weight').scheme!.scheme).toBe('he-normal');
    const p = get('pruned.weight').scheme!;
    expect(p.scheme).toBe('unknown');
    expect(p.label).toMatch(
      /^zeros placed as sparse's \(230 of 256 in every column\), but the non-zero values do not look N\(0, σ²\)/,
    );
  });

  it('an embedding with a padding row (nn.Embedding padding_idx=0): one zero per column, aligned', async () => {
    const table = Float32Array.from(initialize({ name: 'normal', seed: 9 }, [1000, 64]).data);
    table.fill(0, 0, 64);
    const get = await inspect([['model.embed_tokens.weight', matrix([1000, 64], table)]]);
    const t = get('model.embed_tokens.weight');
    expect(t.checks!.zeroCounts).toMatchObject({ inputs: { min: 1, max: 1 } });
    expect(t.scheme!.scheme).toBe('normal(1)');
  });

  it('float16 underflow zeros of a dense tensor with a tiny std', async () => {
    const get = await inspect(
      [['tiny.weight', initialize({ name: 'normal', std: 1e-6, seed: 8 }, [256, 128])]],
      {
        dtype: 'float16',
      },
    );
    const t = get('tiny.weight');
    expect(t.stats!.zeroFraction).toBeGreaterThan(0.01);
    expect(t.scheme!.scheme).not.toBe('sparse');
  });

  it('an orthogonal matrix still reads orthogonal', async () => {
    const get = await inspect([
      ['q.weight', initialize({ name: 'orthogonal', seed: 1 }, [128, 128])],
    ]);
    expect(get('q.weight').scheme!.scheme).toBe('orthogonal');
  });
});
