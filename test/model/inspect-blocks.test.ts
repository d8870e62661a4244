/**
 * Inspect on per-block structures of a 2-D `[k·H, H]` matrix: the recurrent weights of an
 * LSTM (k = 4: i, f, g, o) and a GRU (k = 3: r, z, n) as the recipes make them — each H×H
 * gate block its own orthogonal matrix, or its own g·I (IRNN-style) — are named
 * `orthogonal(blocks=k, gain=g)` / `identity(blocks=k, gain=g)`, not `orthogonal(gain=√k·g)`
 * (the stacked blocks have QᵀQ = k·g²I, like one tall matrix); one tall orthogonal matrix
 * still reads `orthogonal(gain=…)`, since its row blocks are not orthogonal.
 *
 * Tolerances: the block check passes when its residual (largest relative deviation of a
 * block's sampled Gram matrix from s²I, times √H) is at most `orthogonalTolerance(dtype)`
 * (32 unit roundoffs, at least 0.01: float32 0.01, bfloat16 0.125); an i.i.d. or
 * one-matrix block shows about 1 or more (each normalized dot product has sd 1/√H), so the
 * negatives assert residual > 0.5, far from both.
 */
import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/index.js';
import { encodeSafetensors, type SafetensorsInput } from '../../src/io/safetensors.js';
import { orthogonalTolerance } from '../../src/model/detect.js';
import { inspectSafetensors, safetensorsBytesSource } from '../../src/model/inspect.js';
import { squareBlocks, TensorAccumulator } from '../../src/model/inspect-stats.js';
import { materialize } from '../../src/model/materialize.js';
import { plan } from '../../src/model/spec.js';
import type { StorageDType } from '../../src/tensor/dtype.js';
import type { Tensor } from '../../src/tensor/tensor.js';

type Layer = Record<string, unknown>;

/** Inspects the checkpoint `init` writes for a model spec of these layers. */
async function inspectModel(layers: Layer[], dtype: StorageDType = 'float32', seed = 7) {
  const p = plan({ format: 'weightinit.model/1', seed, dtype, layers });
  const bytes = encodeSafetensors(materialize(p), p.metadata);
  const report = await inspectSafetensors(safetensorsBytesSource(bytes, 4096));
  return (name: string) => report.tensors.find((t) => t.name === name)!;
}

/** Inspects tensors stored in `dtype`. */
async function inspectTensors(tensors: Record<string, Tensor>, dtype: StorageDType = 'float32') {
  const input: SafetensorsInput[] = Object.entries(tensors).map(([name, tensor]) => ({
    name,
    tensor,
    dtype,
  }));
  const report = await inspectSafetensors(safetensorsBytesSource(encodeSafetensors(input)));
  return (name: string) => report.tensors.find((t) => t.name === name)!;
}

/** Blocks of `[rows, cols]` tensors stacked along dimension 0. */
function stack(blocks: Tensor[]): Tensor {
  const cols = blocks[0].shape[1];
  const rows = blocks.reduce((a, b) => a + b.shape[0], 0);
  const data = new Float32Array(rows * cols);
  let at = 0;
  for (const b of blocks) {
    data.set(b.data as Float32Array, at);
    at += b.data.length;
  }
  return { shape: [rows, cols], dtype: 'float32', data, warnings: [] };
}

/** The transpose of a 2-D float32 tensor. */
function transpose(t: Tensor): Tensor {
  const [rows, cols] = t.shape;
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) data[c * rows + r] = t.data[r * cols + c];
  return { shape: [cols, rows], dtype: 'float32', data, warnings: [] };
}

const H = 64;
const LSTM = { name: 'rnn', type: 'lstm', inputSize: 32, hiddenSize: H };
const GRU = { name: 'gru', type: 'gru', inputSize: 32, hiddenSize: H };

describe('inspect: orthogonal per gate block, from the recipes', () => {
  it.each([
    ['float32', 'F32'],
    ['bfloat16', 'BF16'],
  ] as const)('LSTM weight_hh [4H, H] in %s: orthogonal(blocks=4, gain=1)', async (dtype, tag) => {
    const t = (await inspectModel([LSTM], dtype))('rnn.weight_hh_l0');
    expect(t.shape).toEqual([4 * H, H]);
    expect(t.scheme).toMatchObject({ scheme: 'orthogonal(blocks=4, gain=1)', blocks: 4 });
    expect(t.scheme!.spec).toBeUndefined();
    expect(t.scheme!.noSpec).toMatch(/no src\/init spec makes 4 independent orthogonal blocks/);
    expect(t.scheme!.label).toMatch(
      /4 blocks of 64×64 stacked along dimension 0 \(gates i, f, g, o\)/,
    );
    // Confidence as the orthogonal candidate's: i.i.d. schemes pass all 4 checks with
    // probability (tol·√(2/π))^(4·pairs); one tall orthogonal matrix 3 of them by chance.
    expect(t.scheme!.confidence).toBeGreaterThan(0.999);
    // The whole matrix passes too (QᵀQ = 4I): the one-matrix reading is what it used to be.
    const check = t.checks!.blockOrthogonality!;
    expect(check).toMatchObject({ blocks: 4, size: H, stacked: 'rows' });
    // Rounding of the stored values: well under the dtype's tolerance.
    expect(check.residual).toBeLessThan(orthogonalTolerance(tag) / 2);
    // Each block's rows have norm 1: the rms line norm is 1 to the dtype's roundoff (bf16 2⁻⁸).
    expect(check.gain).toBeCloseTo(1, tag === 'F32' ? 6 : 2);
    expect(t.warnings).toEqual([]);
  });

  it.each(['float32', 'bfloat16'] as const)(
    'GRU weight_hh [3H, H] in %s: orthogonal(blocks=3, gain=1), gates r, z, n',
    async (dtype) => {
      const t = (await inspectModel([GRU], dtype))('gru.weight_hh_l0');
      expect(t.scheme).toMatchObject({ scheme: 'orthogonal(blocks=3, gain=1)', blocks: 3 });
      expect(t.scheme!.label).toMatch(/\(gates r, z, n\)/);
      expect(t.scheme!.confidence).toBeGreaterThan(0.999);
    },
  );

  it('a recurrent gain ≠ 1 (0.5) is the blocks’ common gain', async () => {
    const t = (await inspectModel([{ ...LSTM, recurrentGain: 0.5 }]))('rnn.weight_hh_l0');
    expect(t.scheme).toMatchObject({ scheme: 'orthogonal(blocks=4, gain=0.5)', blocks: 4 });
    // float32 rounding of a gain measured over whole lines: well within 1e-6.
    expect(t.scheme!.value).toBeCloseTo(0.5, 6);
  });

  it('per-block orthogonal of gain 1.5, stacked by hand, in float16', async () => {
    const blocks = [0, 1, 2, 3].map((k) =>
      initialize({ name: 'orthogonal', gain: 1.5, seed: 10 + k }, [32, 32]),
    );
    const t = (await inspectTensors({ w: stack(blocks) }, 'float16'))('w');
    expect(t.scheme).toMatchObject({ scheme: 'orthogonal(blocks=4, gain=1.5)', blocks: 4 });
    expect(t.scheme!.label).toMatch(/4 blocks of 32×32 stacked along dimension 0,/);
  });

  it('side by side [H, k·H] (Keras’ layout) reads by columns', async () => {
    const blocks = [0, 1, 2].map((k) => initialize({ name: 'orthogonal', seed: 20 + k }, [16, 16]));
    const t = (await inspectTensors({ w: transpose(stack(blocks)) }))('w');
    expect(t.scheme).toMatchObject({ scheme: 'orthogonal(blocks=3, gain=1)' });
    expect(t.checks!.blockOrthogonality!.stacked).toBe('columns');
  });
});

describe('inspect: what is not orthogonal per block', () => {
  it('one tall orthogonal 512×128 of gain 2 stays orthogonal(gain=2): its row blocks are not orthogonal', async () => {
    const tall = initialize({ name: 'orthogonal', gain: 2, seed: 3 }, [512, 128]);
    for (const dtype of ['float32', 'bfloat16'] as const) {
      const t = (await inspectTensors({ 'rnn.weight_hh_l0': tall }, dtype))('rnn.weight_hh_l0');
      expect(t.scheme).toMatchObject({
        scheme: 'orthogonal',
        spec: { name: 'orthogonal', gain: 2 },
      });
      expect(t.scheme!.confidence).toBeGreaterThan(0.999);
      // A 128-row segment of a Haar 512×128 is far from orthogonal: residual of order 1
      // or more (> 0.5), against a tolerance of 0.01 (float32) or 0.125 (bfloat16).
      expect(t.checks!.blockOrthogonality!.residual).toBeGreaterThan(0.5);
    }
  });

  it('random normal [4H, H]: neither orthogonal reading', async () => {
    const t = (
      await inspectTensors({ w: initialize({ name: 'normal', std: 0.1, seed: 4 }, [256, 64]) })
    )('w');
    expect(t.scheme!.scheme).not.toMatch(/orthogonal/);
    expect(t.checks!.blockOrthogonality!.residual).toBeGreaterThan(0.5);
  });

  it('three orthogonal blocks and one i.i.d. block of the same scale: not per block', async () => {
    const blocks = [0, 1, 2].map((k) => initialize({ name: 'orthogonal', seed: 30 + k }, [H, H]));
    blocks.splice(1, 0, initialize({ name: 'normal', std: 1 / Math.sqrt(H), seed: 33 }, [H, H]));
    const t = (await inspectTensors({ w: stack(blocks) }))('w');
    expect(t.scheme!.scheme).not.toMatch(/blocks=/);
    expect(t.checks!.blockOrthogonality!.residual).toBeGreaterThan(0.5);
  });

  it('orthogonal blocks of different gains (1 and 1.1): no common gain, not per block', async () => {
    const blocks = [1, 1.1, 1, 1].map((gain, k) =>
      initialize({ name: 'orthogonal', gain, seed: 40 + k }, [H, H]),
    );
    const t = (await inspectTensors({ w: stack(blocks) }))('w');
    expect(t.scheme!.scheme).not.toMatch(/blocks=/);
    // Diagonal 1.21 against the mean 1.05: relative 0.15, times √64 = 1.2 (> 0.5).
    expect(t.checks!.blockOrthogonality!.residual).toBeGreaterThan(0.5);
  });
});

describe('inspect: identity per gate block (IRNN-style recurrent weights)', () => {
  it.each(['float32', 'bfloat16'] as const)(
    'LSTM with recurrent identity in %s: identity(blocks=4, gain=1), exact',
    async (dtype) => {
      const get = await inspectModel([{ ...LSTM, recurrent: 'identity' }], dtype);
      const t = get('rnn.weight_hh_l0');
      expect(t.scheme).toMatchObject({
        scheme: 'identity(blocks=4, gain=1)',
        confidence: 1,
        blocks: 4,
        value: 1,
      });
      expect(t.scheme!.spec).toBeUndefined();
      expect(t.scheme!.noSpec).toMatch(/no src\/init spec makes 4 independent identity blocks/);
      expect(t.checks!.pattern).toEqual({ kind: 'block-identity', value: 1, blocks: 4 });
      // Each unit repeats once per gate by design: no identical-units or std warning.
      expect(t.warnings).toEqual([]);
    },
  );

  it('GRU with recurrent identity × 0.01: identity(blocks=3, gain=0.01)', async () => {
    const t = (await inspectModel([{ ...GRU, recurrent: 'identity', recurrentGain: 0.01 }]))(
      'gru.weight_hh_l0',
    );
    expect(t.scheme).toMatchObject({ scheme: 'identity(blocks=3, gain=0.01)', confidence: 1 });
    expect(t.scheme!.label).toMatch(/\(gates r, z, n\)/);
  });

  it('eye_ of a [4H, H] (g·I in the first block only) is still identity', async () => {
    const t = (await inspectTensors({ w: initialize({ name: 'identity', gain: 2 }, [4 * H, H]) }))(
      'w',
    );
    expect(t.scheme).toMatchObject({ scheme: 'identity', spec: { name: 'identity', gain: 2 } });
    expect(t.checks!.pattern).toEqual({ kind: 'identity', value: 2 });
  });

  it('one block of a different value, or a stray non-zero: no pattern', () => {
    const eye = (v: number[]) => {
      const data = new Float64Array(3 * 4 * 4);
      for (let b = 0; b < 3; b++) for (let o = 0; o < 4; o++) data[(b * 4 + o) * 4 + o] = v[b];
      return data;
    };
    const stray = eye([1, 1, 1]);
    stray[1] = 0.5;
    for (const data of [eye([1, 2, 1]), eye([1, 1, 0.5]), stray]) {
      const acc = new TensorAccumulator([12, 4], 'out-in');
      acc.push(data);
      expect(acc.checks().pattern).toBeNull();
    }
  });
});

describe('TensorAccumulator: per-block checks, chunk by chunk', () => {
  const blocks = [0, 1, 2, 3].map((k) => initialize({ name: 'orthogonal', seed: 50 + k }, [8, 8]));
  const values = Float64Array.from(stack(blocks).data);
  const identity = new Float64Array(32 * 8);
  for (let p = 0; p < 32; p++) identity[p * 8 + (p % 8)] = 3;
  const wide = new Float64Array(8 * 24);
  for (let o = 0; o < 8; o++) for (let b = 0; b < 3; b++) wide[o * 24 + b * 8 + o] = 3;

  it.each([1, 7, 8, 64, 256])('chunks of %i give the same checks', (chunk) => {
    const run = (shape: number[], data: Float64Array) => {
      const acc = new TensorAccumulator(shape, 'out-in');
      for (let k = 0; k < data.length; k += chunk) acc.push(data.subarray(k, k + chunk));
      return acc.checks();
    };
    const c = run([32, 8], values);
    // float64 sums of products of float32 values: residual of rounding, < 1e-4.
    expect(c.blockOrthogonality!.residual).toBeLessThan(1e-4);
    expect(c.blockOrthogonality).toMatchObject({ blocks: 4, size: 8, stacked: 'rows', lines: 8 });
    expect(run([32, 8], identity).pattern).toEqual({ kind: 'block-identity', value: 3, blocks: 4 });
    expect(run([8, 24], wide).pattern).toEqual({ kind: 'block-identity', value: 3, blocks: 3 });
  });

  it('squareBlocks: only 2-D shapes whose long side is k ≥ 2 times a short side ≥ 2', () => {
    expect(squareBlocks([512, 128])).toEqual({ count: 4, size: 128, stacked: 'rows' });
    expect(squareBlocks([128, 384])).toEqual({ count: 3, size: 128, stacked: 'columns' });
    for (const shape of [[128, 128], [500, 128], [4, 1], [512], [8, 4, 2]]) {
      expect(squareBlocks(shape)).toBeNull();
    }
  });
});
