/**
 * `"rng": "torch"` in a model spec: `torch.manual_seed(seed)` then PyTorch's default module
 * initialization, drawn in registration order — equal bit for bit to PyTorch 2.13's outputs
 * in ../shared/golden/torch (cases linear_default: nn.Linear(64, 32), seed 16; lstm_default:
 * nn.LSTM(4, 8), seed 18), in memory and streamed in chunks of any size.
 */
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/io/safetensors.js';
import { checkpointChunks, materialize, plan } from '../../src/model/index.js';
import { torchCase, torchValues } from '../support/golden.js';

function spec(seed: number, layer: Record<string, unknown>) {
  return {
    format: 'weightinit.model/1',
    seed,
    scheme: 'torch-default',
    rng: 'torch',
    layers: [layer],
  };
}

const CASES = [
  ['linear_default', spec(16, { name: 'm', type: 'dense', inFeatures: 64, outFeatures: 32 })],
  [
    'conv2d_default',
    spec(17, { name: 'm', type: 'conv2d', inChannels: 4, outChannels: 8, kernelSize: 3 }),
  ],
  ['lstm_default', spec(18, { name: 'm', type: 'lstm', inputSize: 4, hiddenSize: 8 })],
  ['gru_default', spec(19, { name: 'm', type: 'gru', inputSize: 4, hiddenSize: 8 })],
] as const;

describe('model specs with rng torch reproduce PyTorch module defaults', () => {
  it.each(CASES)('%s in memory', (name, s) => {
    const golden = torchCase(name);
    const params = materialize(plan(s));
    expect(params.map((p) => p.name)).toEqual(golden.outputs.map((o) => `m.${o.tensor}`));
    params.forEach((p, k) => {
      expect(p.tensor.data).toEqual(torchValues(golden.outputs[k].file));
    });
  });

  it.each(CASES)('%s streamed in chunks of 7 elements', (name, s) => {
    const golden = torchCase(name);
    // chunks share one buffer (each valid until the next): copy each as it comes
    const copies: Buffer[] = [];
    for (const c of checkpointChunks(plan(s), { chunkElements: 7 })) copies.push(Buffer.from(c));
    const bytes = Buffer.concat(copies);
    const file = readSafetensors(new Uint8Array(bytes));
    expect(file.metadata['weightinit.rng']).toBe('torch');
    file.tensors.forEach((t, k) => {
      expect(t.tensor.data).toEqual(torchValues(golden.outputs[k].file));
    });
  });

  it('a spec with an unknown rng is refused with the JSON path', () => {
    expect(() => plan({ ...CASES[0][1], rng: 'mt' })).toThrow(/rng/);
  });
});
