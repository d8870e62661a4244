import { describe, expect, it } from 'vitest';
import { type InitSpec, initialize } from '../../src/init/index.js';
import { encodeSafetensors, type SafetensorsInput } from '../../src/io/safetensors.js';
import {
  type InspectReport,
  inspectSafetensors,
  type SafetensorsSource,
  safetensorsBytesSource,
  type TensorReport,
} from '../../src/model/inspect.js';
import type { StorageDType } from '../../src/tensor/dtype.js';
import { pytorchLikeFile } from '../fixtures/inspect/files.js';

const inspectBytes = (bytes: Uint8Array, options?: Parameters<typeof inspectSafetensors>[1]) =>
  inspectSafetensors(safetensorsBytesSource(bytes), options);

const byName = (r: InspectReport, name: string): TensorReport => {
  const t = r.tensors.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no tensor ${name}`);
  return t;
};

/**
 * The schemes inspect must tell apart, each with the spec that makes it (src/init). Random
 * ones get a seed. Shapes are chosen so that fans differ (fan-out = fan-in / 2): on a square
 * matrix xavier and lecun give the same std and cannot be told apart (see the next test).
 */
const SCHEMES: readonly [string, InitSpec][] = [
  ['xavier-uniform', { name: 'xavier-uniform' }],
  ['xavier-normal', { name: 'xavier-normal' }],
  ['he-uniform', { name: 'he-uniform' }],
  ['he-normal', { name: 'he-normal' }],
  ['lecun-uniform', { name: 'lecun-uniform' }],
  ['lecun-normal', { name: 'lecun-normal' }],
  // PyTorch's default for Linear/Conv: kaiming_uniform_(a=√5) = U(±1/√fan_in).
  ['torch-default', { name: 'he-uniform', slope: Math.sqrt(5) }],
  ['he-normal-fan-out', { name: 'he-normal', mode: 'fan-out' }],
  // Keras' he_normal / lecun_normal / glorot_normal: truncated at ±2σ, variance exact.
  [
    'he-truncated-normal',
    { name: 'variance-scaling', scale: 2, mode: 'fan-in', distribution: 'truncated-normal' },
  ],
  ['lecun-truncated-normal', { name: 'variance-scaling', scale: 1, mode: 'fan-in' }],
  ['xavier-truncated-normal', { name: 'variance-scaling', scale: 1, mode: 'fan-avg' }],
  ['normal(0.02)', { name: 'normal', std: 0.02 }],
  ['orthogonal', { name: 'orthogonal' }],
  ['identity', { name: 'identity' }],
  ['zeros', { name: 'zeros' }],
  ['constant', { name: 'constant', value: 0.05 }],
];
const RANDOM = (name: string) => !['identity', 'zeros', 'constant'].includes(name);
const DTYPES: readonly StorageDType[] = ['float32', 'float16', 'bfloat16'];
const SEEDS = [1, 2, 3];

/** One checkpoint per (shape, dtype, seed) holding a tensor of every scheme. */
function checkpoint(shape: number[], dtype: StorageDType, seed: number): Uint8Array {
  const tensors: SafetensorsInput[] = SCHEMES.map(([scheme, spec]) => {
    let s: InitSpec = RANDOM(scheme) ? { ...spec, seed, stream: scheme } : spec;
    if (scheme === 'identity' && shape.length > 2) s = { name: 'dirac' };
    return { name: `${scheme}.weight`, tensor: initialize(s, shape), dtype };
  });
  return encodeSafetensors(tensors, { format: 'pt' });
}

describe('inspect tells apart checkpoints made with each scheme', () => {
  // Linear [out 64, in 128] (8192 values) and Conv [16, 32, 3, 3] (4608 values), in
  // float32, float16 and bfloat16, three seeds: 16 schemes × 2 × 3 × 3 = 288 tensors.
  it.each([
    [[64, 128], 0.99],
    [[16, 32, 3, 3], 0.95],
  ])('shape %j: every tensor named right, confidence >= %s', async (shape, minConfidence) => {
    const confusion = new Map<string, Map<string, number>>();
    let lowest = 1;
    for (const dtype of DTYPES) {
      for (const seed of SEEDS) {
        const report = await inspectBytes(checkpoint(shape, dtype, seed));
        for (const [scheme] of SCHEMES) {
          const want = scheme === 'identity' && shape.length > 2 ? 'dirac' : scheme;
          const got = byName(report, `${scheme}.weight`).scheme!;
          const row = confusion.get(want) ?? new Map<string, number>();
          row.set(got.scheme, (row.get(got.scheme) ?? 0) + 1);
          confusion.set(want, row);
          if (got.scheme === want) lowest = Math.min(lowest, got.confidence);
        }
      }
    }
    // The confusion table is diagonal: 9 of 9 (3 dtypes × 3 seeds) for every scheme.
    for (const [want, row] of confusion) expect([...row]).toEqual([[want, 9]]);
    expect(lowest).toBeGreaterThanOrEqual(minConfidence);
  });

  it('says which schemes a square matrix cannot tell apart (xavier = lecun when fan-in = fan-out)', async () => {
    const w = initialize({ name: 'xavier-normal', seed: 4 }, [96, 96]);
    const t = (await inspectBytes(encodeSafetensors({ w }))).tensors[0];
    expect([t.scheme!.scheme, ...t.scheme!.equivalent].sort()).toEqual([
      'lecun-normal',
      'xavier-normal',
    ]);
    expect(t.scheme!.confidence).toBeGreaterThan(0.95);
  });

  it('reports the gain of orthogonal, identity and the value of a constant', async () => {
    const bytes = encodeSafetensors({
      o: initialize({ name: 'orthogonal', seed: 1, gain: Math.SQRT2 }, [48, 96]),
      i: initialize({ name: 'identity', gain: 2 }, [40, 20]),
      c: initialize({ name: 'constant', value: -0.5 }, [8, 8]),
    });
    const r = await inspectBytes(bytes);
    expect(byName(r, 'o').scheme).toMatchObject({ scheme: 'orthogonal' });
    expect(byName(r, 'o').scheme!.value).toBeCloseTo(Math.SQRT2, 6);
    expect(byName(r, 'i').scheme).toMatchObject({ scheme: 'identity', value: 2, confidence: 1 });
    expect(byName(r, 'c').scheme).toMatchObject({ scheme: 'constant', value: -0.5 });
  });

  it('reads float64 files too', async () => {
    const w = initialize({ name: 'he-normal', seed: 5, dtype: 'float64' }, [64, 128]);
    const t = (await inspectBytes(encodeSafetensors({ w }))).tensors[0];
    expect(t.dtype).toBe('F64');
    expect(t.scheme).toMatchObject({ scheme: 'he-normal' });
    expect(t.scheme!.confidence).toBeGreaterThan(0.99);
  });

  it('layout in-out (Keras [in, out]): the fans swap, and the wrong layout gives another answer', async () => {
    const spec = { name: 'he-normal', seed: 6, layout: 'in-out' } as const;
    const w = initialize(spec, [128, 64]); // Keras Dense(64) on 128 inputs: N(0, 2/128)
    const bytes = encodeSafetensors({ w });
    const keras = (await inspectBytes(bytes, { layout: 'in-out' })).tensors[0];
    expect(keras.fans).toEqual({ fanIn: 128, fanOut: 64 });
    expect(keras.scheme).toMatchObject({ scheme: 'he-normal' });
    // Read as PyTorch [out 128, in 64]: fan-in 64, and N(0, 2/128) = N(0, 1/64) is lecun.
    const torch = (await inspectBytes(bytes)).tensors[0];
    expect(torch.fans).toEqual({ fanIn: 64, fanOut: 128 });
    expect(torch.scheme).toMatchObject({ scheme: 'lecun-normal' });
  });
});

describe('a file written by another tool (PyTorch-like, built by hand from PyTorch 2.13 outputs)', () => {
  it('names each tensor the way PyTorch made it, and lists the I64 counter without inspecting it', async () => {
    const r = await inspectBytes(pytorchLikeFile());
    expect(r.metadata).toEqual({ format: 'pt' });
    const schemes = Object.fromEntries(r.tensors.map((t) => [t.name, t.scheme?.scheme ?? null]));
    expect(schemes).toEqual({
      'bn.num_batches_tracked': null,
      'bn.bias': 'zeros',
      'bn.running_mean': 'zeros',
      'bn.running_var': 'constant',
      'bn.weight': 'constant',
      'conv.bias': 'torch-default',
      'conv.weight': 'torch-default',
      'dirac.weight': 'dirac',
      'eye.weight': 'identity',
      'fc.bias': 'torch-default',
      'fc.weight': 'torch-default',
      'lstm.bias_hh_l0': 'torch-rnn-default',
      'lstm.bias_ih_l0': 'torch-rnn-default',
      'lstm.weight_hh_l0': 'torch-rnn-default',
      'lstm.weight_ih_l0': 'torch-rnn-default',
      'ortho.weight': 'orthogonal',
    });
    const counter = byName(r, 'bn.num_batches_tracked');
    expect(counter.skipped).toMatch(/I64 is not a float dtype/);
    expect(counter.stats).toBeNull();
    expect(byName(r, 'fc.weight').scheme!.confidence).toBeGreaterThan(0.99);
    expect(byName(r, 'fc.bias').notes).toContain(
      "fan-in 64 from fc.weight (PyTorch's default bias)",
    );
    expect(byName(r, 'lstm.bias_hh_l0').scheme!.equivalent).toEqual(['torch-default']);
    expect(byName(r, 'ortho.weight').scheme!.value).toBeCloseTo(1, 6);
    expect(r.summary).toMatchObject({ tensors: 16, inspected: 15, skipped: 1, warnings: 0 });
  });
});

/** Inspects one tensor (name, values, shape) and returns its report. */
async function one(
  name: string,
  shape: number[],
  data: Float32Array,
  options?: Parameters<typeof inspectSafetensors>[1],
): Promise<TensorReport> {
  return (await inspectBytes(encodeSafetensors({ [name]: { shape, data } }), options)).tensors[0];
}

describe('warnings', () => {
  const he = () => initialize({ name: 'he-normal', seed: 9 }, [32, 64]).data as Float32Array;

  it('all-zero and constant weights: no symmetry breaking (not for 1-D biases and norms)', async () => {
    expect((await one('w', [32, 64], new Float32Array(2048))).warnings).toEqual([
      'every element is 0: no symmetry breaking (all units compute the same function and get the same gradient, so they stay equal; harmless only in an output layer, whose units get different targets)',
    ]);
    expect((await one('w', [4, 4], new Float32Array(16).fill(0.3))).warnings[0]).toMatch(
      /^every element is 0.3: no symmetry breaking/,
    );
    expect((await one('fc.bias', [32], new Float32Array(32))).warnings).toEqual([]);
    expect((await one('ln.weight', [32], new Float32Array(32).fill(1))).warnings).toEqual([]);
  });

  it('identical units: rows in layout out-in, columns in in-out', async () => {
    const rows = he();
    rows.copyWithin(5 * 64, 0, 64); // row 5 = row 0
    const t = await one('w', [32, 64], rows);
    expect(t.scheme!.scheme).toBe('he-normal');
    expect(t.warnings).toEqual([
      '1 of 32 units (rows) repeat an earlier one, e.g. rows 0 and 5: identical units compute the same function and stay equal during training',
    ]);
    const cols = he();
    for (let r = 0; r < 32; r++) {
      cols[r * 64 + 7] = cols[r * 64 + 2];
      cols[r * 64 + 9] = r % 2 ? -0 : 0; // -0 and 0 are the same weight
      cols[r * 64 + 11] = 0;
    }
    const k = await one('w', [32, 64], cols, { layout: 'in-out' });
    expect(k.checks!.identicalUnits).toMatchObject({
      along: 'columns',
      duplicates: 2,
      zeroUnits: 2,
    });
    expect(k.warnings).toEqual([
      '2 of 64 units (columns) repeat an earlier one, e.g. columns 2 and 7 (2 are all zero): identical units compute the same function and stay equal during training',
    ]);
  });

  it('NaN and Infinity: counted, left out of the statistics', async () => {
    const data = he();
    data[3] = Number.NaN;
    data[4] = Number.POSITIVE_INFINITY;
    data[5] = Number.NEGATIVE_INFINITY;
    const t = await one('w', [32, 64], data);
    expect(t.stats).toMatchObject({ nan: 1, infinite: 2, finite: 2045, count: 2048 });
    expect(Number.isFinite(t.stats!.std)).toBe(true);
    expect(t.warnings).toEqual([
      "1 NaN and 2 ±Infinity values: the model's outputs will be NaN (statistics are over the 2045 finite values)",
    ]);
  });

  it('std far from every sensible scheme: signals explode or vanish, by how much per layer', async () => {
    const big = initialize({ name: 'uniform', seed: 1, low: -3, high: 3 }, [64, 256]);
    const t = await one('w', [64, 256], big.data as Float32Array);
    expect(t.scheme!.scheme).toBe('unknown');
    expect(t.scheme!.label).toMatch(/uniform-like, ±3/);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(
      /^std 1\.7\d is ×19\.\d the largest sensible std for fan-in 256, fan-out 64 \(he: 0\.0884\): signals explode — a linear layer multiplies the signal's std by about √fan_in·std = 27\.\d \(19\.\d through a ReLU\)$/,
    );
    const tiny = initialize({ name: 'normal', seed: 1, std: 1e-4 }, [64, 256]);
    const v = await one('w', [64, 256], tiny.data as Float32Array);
    expect(v.warnings[0]).toMatch(
      /^std 0\.0000996 is ×201 below the smallest sensible std for fan-in 256, fan-out 64 \(normal\(0\.02\): 0\.02\): signals vanish — .* = 0\.00159 /,
    );
  });

  it('N(0, 1) is the PyTorch embedding default: recognized, and no std warning on an embedding', async () => {
    const table = initialize({ name: 'normal', seed: 2 }, [1000, 64]).data as Float32Array;
    const emb = await one('model.embed_tokens.weight', [1000, 64], table);
    expect(emb.scheme!.scheme).toBe('normal(1)');
    expect(emb.warnings).toEqual([]);
    const dense = await one('fc.weight', [1000, 64], table);
    expect(dense.warnings[0]).toMatch(/signals explode/);
  });

  it('a bias that is all negative: dead ReLU units', async () => {
    const t = await one('fc.bias', [4], new Float32Array([-1, -2, -0.5, -3]));
    expect(t.warnings).toEqual([
      'every bias is negative (max -0.5): units after a ReLU start inactive for small inputs (dead) and get no gradient',
    ]);
  });
});

describe('inspectSafetensors', () => {
  it('statistics do not depend on the chunk size', async () => {
    const bytes = checkpoint([64, 128], 'float32', 1);
    const a = await inspectSafetensors(safetensorsBytesSource(bytes, 8));
    const b = await inspectSafetensors(safetensorsBytesSource(bytes, 1 << 22));
    a.tensors.forEach((t, i) => {
      const u = b.tensors[i];
      expect(t.scheme?.scheme).toBe(u.scheme?.scheme);
      // The non-zero values' moments come from the merged sums: equal to rounding.
      const nz = (c: TensorReport['checks']) =>
        c?.zeroCounts != null && 'nonZero' in c.zeroCounts ? c.zeroCounts.nonZero : null;
      const [p, q] = [nz(t.checks), nz(u.checks)];
      if (q !== null) {
        for (const k of ['mean', 'std', 'kurtosis'] as const) {
          if (Number.isNaN(q[k])) expect(p![k]).toBeNaN();
          else
            expect(Math.abs(p![k] - q[k])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(q[k])));
        }
      }
      const exact = (c: TensorReport['checks']) =>
        c?.zeroCounts != null && 'nonZero' in c.zeroCounts
          ? { ...c, zeroCounts: { ...c.zeroCounts, nonZero: null } }
          : c;
      expect(exact(t.checks)).toEqual(exact(u.checks));
      for (const k of ['mean', 'std', 'skewness', 'kurtosis'] as const) {
        const x = t.stats![k];
        const y = u.stats![k];
        if (Number.isNaN(y)) expect(x).toBeNaN();
        else expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)));
      }
      expect({ ...t.stats, mean: 0, std: 0, skewness: 0, kurtosis: 0 }).toEqual({
        ...u.stats,
        mean: 0,
        std: 0,
        skewness: 0,
        kurtosis: 0,
      });
    });
  });

  it('lists empty tensors and scalars; the report is plain JSON', async () => {
    const r = await inspectBytes(
      encodeSafetensors({
        empty: { shape: [0, 4], data: new Float32Array(0) },
        scale: { shape: [], data: new Float32Array([2.5]) },
      }),
    );
    expect(byName(r, 'empty').skipped).toBe('no elements');
    expect(byName(r, 'scale').scheme).toMatchObject({ scheme: 'constant', value: 2.5 });
    expect(byName(r, 'scale').stats).toMatchObject({ count: 1, mean: 2.5, std: 0 });
    expect(JSON.parse(JSON.stringify(r)).tensors[1].name).toBe('scale');
  });

  it('lists, per weight, the std each scheme gives for its fans', async () => {
    const t = (await inspectBytes(checkpoint([64, 128], 'float32', 1))).tensors[0];
    expect(t.fans).toEqual({ fanIn: 128, fanOut: 64 });
    const want = {
      'torch-default': 1 / Math.sqrt(3 * 128),
      xavier: Math.sqrt(2 / 192),
      he: Math.SQRT2 / Math.sqrt(128),
      lecun: 1 / Math.sqrt(128),
      'he-fan-out': Math.SQRT2 / Math.sqrt(64),
      'normal(0.02)': 0.02,
      orthogonal: Math.sqrt(64 / (64 * 128)),
    };
    expect(Object.keys(t.expectedStd!).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(t.expectedStd![k]).toBeCloseTo(v, 15);
    expect(t.runnerUp).not.toBeNull();
    expect(t.candidates.length).toBeGreaterThan(10);
    expect(t.candidates.reduce((a, c) => a + c.probability, 0)).toBeCloseTo(1, 12);
  });

  it('calls onTensor after each tensor', async () => {
    const seen: string[] = [];
    await inspectBytes(pytorchLikeFile(), {
      onTensor: (t, i, n) => seen.push(`${i}/${n} ${t.name}`),
    });
    expect(seen[0]).toBe('0/16 bn.num_batches_tracked');
    expect(seen).toHaveLength(16);
  });

  it('rejects bad arguments and a source whose chunks do not add up', async () => {
    const source = safetensorsBytesSource(pytorchLikeFile());
    await expect(inspectSafetensors(source, { layout: 'keras' as never })).rejects.toThrow(
      /inspectSafetensors: `options.layout` must be one of "out-in", "in-out", got "keras"/,
    );
    await expect(inspectSafetensors(source, { fans: 1 } as never)).rejects.toThrow(
      /made of the keys "layout", "onTensor", got "fans"/,
    );
    await expect(inspectSafetensors(source, { onTensor: 1 } as never)).rejects.toThrow(TypeError);
    await expect(inspectSafetensors({} as never)).rejects.toThrow(
      /`source` must be a SafetensorsSource \{ header, chunks\(tensor\) \}/,
    );
    const odd: SafetensorsSource = {
      header: source.header,
      async *chunks() {
        yield new Uint8Array(3);
      },
    };
    await expect(inspectSafetensors(odd)).rejects.toThrow(
      /chunks of whole F32 elements adding up to 32 bytes for "bn.bias", got "a chunk of 3 bytes after 0"/,
    );
    const short: SafetensorsSource = {
      header: source.header,
      async *chunks(t) {
        if (t.dtype === 'F32') yield new Uint8Array(4);
      },
    };
    await expect(inspectSafetensors(short)).rejects.toThrow(
      /the 32 bytes of "bn.bias", got "4 bytes"/,
    );
    expect(() => safetensorsBytesSource(pytorchLikeFile(), 12)).toThrow(
      /`chunkBytes` must be a multiple of 8, at least 8, got 12/,
    );
    expect(() => safetensorsBytesSource(new Uint8Array(4))).toThrow(RangeError);
  });
});
