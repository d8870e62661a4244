/**
 * Inspect on blockwise-constant biases: an LSTM's `bias_ih` with a forget-gate bias (the
 * recommended recipe: i, g, o blocks 0, f block 1) is recognized as constant per gate block,
 * not "unknown".
 */
import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/index.js';
import { encodeSafetensors, type SafetensorsInput } from '../../src/io/safetensors.js';
import { inspectSafetensors, safetensorsBytesSource } from '../../src/model/inspect.js';
import { TensorAccumulator } from '../../src/model/inspect-stats.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const HIDDEN = 16;
const vector = (values: number[]): Tensor => ({
  shape: [values.length],
  dtype: 'float32',
  data: Float32Array.from(values),
  warnings: [],
});
const blocks = (values: number[], length: number) => values.flatMap((v) => Array(length).fill(v));

async function inspectTensors(tensors: Record<string, Tensor>) {
  const input: SafetensorsInput[] = Object.entries(tensors).map(([name, tensor]) => ({
    name,
    tensor,
    dtype: 'float32',
  }));
  const report = await inspectSafetensors(safetensorsBytesSource(encodeSafetensors(input)));
  return (name: string) => report.tensors.find((t) => t.name === name)!.scheme;
}

describe('inspect: gate-constant biases', () => {
  it('an LSTM bias_ih with forget-gate bias 1 is named, gate by gate', async () => {
    const scheme = await inspectTensors({
      'lstm.weight_ih_l0': initialize({ name: 'xavier-uniform', seed: 1 }, [4 * HIDDEN, 8]),
      'lstm.weight_hh_l0': initialize({ name: 'orthogonal', seed: 2 }, [4 * HIDDEN, HIDDEN]),
      'lstm.bias_ih_l0': vector(blocks([0, 1, 0, 0], HIDDEN)),
      'lstm.bias_hh_l0': vector(blocks([0, 0, 0, 0], HIDDEN)),
    });
    expect(scheme('lstm.bias_ih_l0')).toMatchObject({
      scheme: 'gate-constant',
      confidence: 1,
      label: 'constant per gate block: i 0, f 1, g 0, o 0 (an LSTM forget-gate bias 1)',
    });
    expect(scheme('lstm.bias_hh_l0')?.scheme).toBe('zeros');
  });

  it('without a recurrent layer the blocks are not named as gates', async () => {
    const scheme = await inspectTensors({ 'head.bias': vector(blocks([0.5, -1, 2], 5)) });
    expect(scheme('head.bias')).toMatchObject({
      scheme: 'gate-constant',
      label: 'constant per block: 0.5, -1, 2',
    });
  });

  it('values that are not constant on equal blocks are left to the random candidates', async () => {
    const alternating = Array.from({ length: 64 }, (_, i) => i % 2);
    const scheme = await inspectTensors({ 'x.bias': vector(alternating) });
    expect(scheme('x.bias')?.scheme).not.toBe('gate-constant');
  });
});

describe('TensorAccumulator: gate blocks, chunk by chunk', () => {
  const values = Float64Array.from(blocks([0, 1, 0, 0], 6));
  it.each([1, 5, 6, 7, 24])('chunks of %i give the same blocks', (chunk) => {
    const acc = new TensorAccumulator([24], 'out-in');
    for (let k = 0; k < values.length; k += chunk) acc.push(values.subarray(k, k + chunk));
    expect(acc.checks().gates).toEqual([0, 1, 0, 0]);
  });

  it('one differing element, a NaN, blocks of 1 element or rank 2: no gates', () => {
    const cases: [number[], Float64Array][] = [
      [[24], Float64Array.from(values, (v, i) => (i === 13 ? 2 : v))],
      [[24], Float64Array.from(values, (v, i) => (i === 0 ? Number.NaN : v))],
      [[4], Float64Array.from([0, 1, 0, 0])],
      [[4, 6], values],
    ];
    for (const [shape, data] of cases) {
      const acc = new TensorAccumulator(shape, 'out-in');
      acc.push(data);
      expect(acc.checks().gates).toBeNull();
    }
  });
});
