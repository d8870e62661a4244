/**
 * PyTorch's default module initialization (`reset_parameters`) from one stream: the recipes'
 * `torch-default` scheme, each parameter drawn in PyTorch's registration order from one
 * `torchSource(seed)`, equals PyTorch 2.13's modules bit for bit (golden cases linear_default,
 * conv2d_default, lstm_default, gru_default).
 */
import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/registry.js';
import { torchSource } from '../../src/random/index.js';
import { type LayerSpec, layerRecipe } from '../../src/recipes/index.js';
import { torchCase, torchValues } from '../support/golden.js';

const MODULES: [string, LayerSpec][] = [
  // m=nn.Linear(64, 32): kaiming_uniform_(a=√5), then bias U(±1/√fan_in)
  ['linear_default', { name: 'm', type: 'dense', inFeatures: 64, outFeatures: 32 }],
  // m=nn.Conv2d(4, 8, 3)
  ['conv2d_default', { name: 'm', type: 'conv2d', inChannels: 4, outChannels: 8, kernelSize: 3 }],
  // m=nn.LSTM(4, 8): every parameter U(±1/√hidden) in registration order
  ['lstm_default', { name: 'm', type: 'lstm', inputSize: 4, hiddenSize: 8 }],
  // m=nn.GRU(4, 8)
  ['gru_default', { name: 'm', type: 'gru', inputSize: 4, hiddenSize: 8 }],
];

describe('torch-default recipes drawn from one PyTorch stream equal nn.Module defaults', () => {
  it.each(MODULES)('%s', (name, layer) => {
    const c = torchCase(name);
    const rng = torchSource(c.seed); // torch.manual_seed(seed), then the module's constructor
    const params = layerRecipe(layer, { scheme: 'torch-default' });
    expect(params.map((p) => p.name)).toEqual(c.outputs.map((o) => o.tensor));
    for (const [k, p] of params.entries()) {
      if (p.init.kind !== 'strategy') throw new Error(`${p.name}: ${p.init.kind}`);
      const t = initialize({ ...p.init.spec, rng }, p.shape);
      expect(t.shape).toEqual(c.outputs[k].shape);
      expect(t.data).toEqual(torchValues(c.outputs[k].file));
    }
  });
});
