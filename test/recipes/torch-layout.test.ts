/**
 * Every layer type's parameter names, shapes and order against PyTorch's. LSTM, GRU, Linear
 * and Conv2d come from the golden manifest (PyTorch 2.13 `named_parameters()`); the others are
 * written from the modules' source (the Python call in each case's title):
 * - linear.py: weight [out, in], bias [out];
 * - conv.py `_ConvNd`: weight [out, in/groups, *k], transposed [in, out/groups, *k]; bias [out];
 * - sparse.py Embedding: weight [num, dim];
 * - normalization.py LayerNorm: weight, bias of normalized_shape (bias=False drops bias);
 *   GroupNorm: weight, bias [C];
 * - batchnorm.py `_NormBase`: weight, bias [C] (affine), then buffers running_mean,
 *   running_var [C] and num_batches_tracked (int64, left out here);
 * - rnn.py RNNBase: per layer, per direction weight_ih, weight_hh, bias_ih, bias_hh, weight_hr;
 * - activation.py MultiheadAttention: in_proj_weight or q/k/v_proj_weight, in_proj_bias,
 *   bias_k, bias_v, then out_proj.weight, out_proj.bias.
 */
import { describe, expect, it } from 'vitest';
import { prepareSpec } from '../../src/init/index.js';
import { type LayerSpec, layerRecipe } from '../../src/recipes/index.js';
import { torchCase, torchValues } from '../support/golden.js';

const layout = (spec: LayerSpec, options = {}) =>
  layerRecipe(spec, options).map((p) => [p.name, p.shape]);

describe('names and shapes equal the golden manifest (PyTorch 2.13)', () => {
  const cases: [string, LayerSpec][] = [
    ['linear_default', { type: 'dense', inFeatures: 64, outFeatures: 32 }],
    ['conv2d_default', { type: 'conv2d', inChannels: 4, outChannels: 8, kernelSize: 3 }],
    ['lstm_default', { type: 'lstm', inputSize: 4, hiddenSize: 8 }],
    ['gru_default', { type: 'gru', inputSize: 4, hiddenSize: 8 }],
  ];
  it.each(cases)('%s', (name, spec) => {
    const golden = torchCase(name).outputs.map((o) => [o.tensor, o.shape]);
    for (const scheme of ['recommended', 'torch-default'] as const)
      expect(layout(spec, { scheme })).toEqual(golden);
  });

  it.each(cases)(
    '%s: PyTorch’s values lie in the torch-default bounds, and fill them',
    (name, spec) => {
      const recipe = layerRecipe(spec, { scheme: 'torch-default' });
      for (const out of torchCase(name).outputs) {
        const p = recipe.find((q) => q.name === out.tensor)!;
        if (p.init.kind !== 'strategy') throw new Error('expected a strategy');
        const prepared = prepareSpec({ ...p.init.spec, seed: 0 }, p.shape);
        const bound = prepared.expected.std * Math.sqrt(3); // uniform: std = bound/√3
        const v = torchValues(out.file);
        const max = Math.max(...v.map(Math.abs));
        expect(max, out.file).toBeLessThanOrEqual(bound * (1 + 1e-6));
        // The largest of n uniform draws is near the bound (a few bound/n below it).
        expect(max, out.file).toBeGreaterThan(bound * Math.max(0.5, 1 - 4 / v.length));
      }
    },
  );
});

describe('names, shapes and order from the PyTorch source', () => {
  const cases: [string, LayerSpec, (string | number[])[][]][] = [
    [
      'nn.Linear(4, 3, bias=False)',
      { type: 'dense', inFeatures: 4, outFeatures: 3, bias: false },
      [['weight', [3, 4]]],
    ],
    [
      'nn.Conv1d(4, 6, 3, groups=2)',
      { type: 'conv1d', inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2 },
      [
        ['weight', [6, 2, 3]],
        ['bias', [6]],
      ],
    ],
    [
      'nn.Conv3d(2, 4, (1, 2, 3), bias=False)',
      { type: 'conv3d', inChannels: 2, outChannels: 4, kernelSize: [1, 2, 3], bias: false },
      [['weight', [4, 2, 1, 2, 3]]],
    ],
    [
      'nn.ConvTranspose1d(4, 6, 3, groups=2)',
      { type: 'conv-transpose1d', inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2 },
      [
        ['weight', [4, 3, 3]],
        ['bias', [6]],
      ],
    ],
    [
      'nn.ConvTranspose2d(4, 6, (2, 3))',
      { type: 'conv-transpose2d', inChannels: 4, outChannels: 6, kernelSize: [2, 3] },
      [
        ['weight', [4, 6, 2, 3]],
        ['bias', [6]],
      ],
    ],
    [
      'nn.ConvTranspose3d(2, 4, 3, bias=False)',
      { type: 'conv-transpose3d', inChannels: 2, outChannels: 4, kernelSize: 3, bias: false },
      [['weight', [2, 4, 3, 3, 3]]],
    ],
    [
      'nn.Embedding(10, 3, padding_idx=0)',
      { type: 'embedding', numEmbeddings: 10, embeddingDim: 3, paddingIdx: 0 },
      [['weight', [10, 3]]],
    ],
    [
      'nn.LayerNorm([4, 5])',
      { type: 'layernorm', normalizedShape: [4, 5] },
      [
        ['weight', [4, 5]],
        ['bias', [4, 5]],
      ],
    ],
    [
      'nn.LayerNorm(4, bias=False)',
      { type: 'layernorm', normalizedShape: 4, bias: false },
      [['weight', [4]]],
    ],
    [
      'nn.LayerNorm(4, elementwise_affine=False)',
      { type: 'layernorm', normalizedShape: 4, elementwiseAffine: false },
      [],
    ],
    [
      'nn.BatchNorm2d(8).state_dict() (float entries)',
      { type: 'batchnorm2d', numFeatures: 8 },
      [
        ['weight', [8]],
        ['bias', [8]],
        ['running_mean', [8]],
        ['running_var', [8]],
      ],
    ],
    [
      'nn.BatchNorm1d(3, affine=False).state_dict() (float entries)',
      { type: 'batchnorm1d', numFeatures: 3, affine: false },
      [
        ['running_mean', [3]],
        ['running_var', [3]],
      ],
    ],
    [
      'nn.BatchNorm3d(3, track_running_stats=False)',
      { type: 'batchnorm3d', numFeatures: 3, trackRunningStats: false },
      [
        ['weight', [3]],
        ['bias', [3]],
      ],
    ],
    [
      'nn.GroupNorm(2, 8)',
      { type: 'groupnorm', numGroups: 2, numChannels: 8 },
      [
        ['weight', [8]],
        ['bias', [8]],
      ],
    ],
    [
      'nn.RNN(4, 8, bias=False)',
      { type: 'rnn', inputSize: 4, hiddenSize: 8, bias: false },
      [
        ['weight_ih_l0', [8, 4]],
        ['weight_hh_l0', [8, 8]],
      ],
    ],
    [
      'nn.MultiheadAttention(8, 2)',
      { type: 'attention', embedDim: 8, numHeads: 2 },
      [
        ['in_proj_weight', [24, 8]],
        ['in_proj_bias', [24]],
        ['out_proj.weight', [8, 8]],
        ['out_proj.bias', [8]],
      ],
    ],
    [
      'nn.MultiheadAttention(8, 2, bias=False, add_bias_kv=True, kdim=5, vdim=6)',
      {
        type: 'attention',
        embedDim: 8,
        numHeads: 2,
        bias: false,
        addBiasKv: true,
        kdim: 5,
        vdim: 6,
      },
      [
        ['q_proj_weight', [8, 8]],
        ['k_proj_weight', [8, 5]],
        ['v_proj_weight', [8, 6]],
        ['bias_k', [1, 1, 8]],
        ['bias_v', [1, 1, 8]],
        ['out_proj.weight', [8, 8]],
      ],
    ],
    [
      'nn.MultiheadAttention(6, 3, add_bias_kv=True)',
      { type: 'attention', embedDim: 6, numHeads: 3, addBiasKv: true },
      [
        ['in_proj_weight', [18, 6]],
        ['in_proj_bias', [18]],
        ['bias_k', [1, 1, 6]],
        ['bias_v', [1, 1, 6]],
        ['out_proj.weight', [6, 6]],
        ['out_proj.bias', [6]],
      ],
    ],
  ];
  it.each(cases)('%s', (_call, spec, expected) => {
    for (const scheme of ['recommended', 'torch-default'] as const)
      expect(layout(spec, { scheme })).toEqual(expected);
  });

  it('BatchNorm buffers can be left out (named_parameters() only)', () => {
    expect(layout({ type: 'batchnorm2d', numFeatures: 8 }, { buffers: false })).toEqual([
      ['weight', [8]],
      ['bias', [8]],
    ]);
    const roles = layerRecipe({ type: 'batchnorm2d', numFeatures: 2 }).map((p) => p.role);
    expect(roles).toEqual(['norm-weight', 'norm-bias', 'buffer', 'buffer']);
  });
});

describe('multi-layer and bidirectional recurrent layers', () => {
  it('nn.RNN(4, 8, num_layers=2, bidirectional=True): layer ≥ 1 input = hidden × directions', () => {
    const names = (k: number, r: string, input: number) => [
      [`weight_ih_l${k}${r}`, [8, input]],
      [`weight_hh_l${k}${r}`, [8, 8]],
      [`bias_ih_l${k}${r}`, [8]],
      [`bias_hh_l${k}${r}`, [8]],
    ];
    expect(
      layout({ type: 'rnn', inputSize: 4, hiddenSize: 8, numLayers: 2, bidirectional: true }),
    ).toEqual([
      ...names(0, '', 4),
      ...names(0, '_reverse', 4),
      ...names(1, '', 16),
      ...names(1, '_reverse', 16),
    ]);
  });

  it('nn.LSTM(5, 8, num_layers=3): layers 1 and 2 read 8 features', () => {
    const ih = layout({ type: 'lstm', inputSize: 5, hiddenSize: 8, numLayers: 3 }).filter(([n]) =>
      String(n).startsWith('weight_ih'),
    );
    expect(ih).toEqual([
      ['weight_ih_l0', [32, 5]],
      ['weight_ih_l1', [32, 8]],
      ['weight_ih_l2', [32, 8]],
    ]);
  });

  it('nn.GRU(3, 4, num_layers=2, bidirectional=True, bias=False)', () => {
    expect(
      layout({
        type: 'gru',
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        bias: false,
      }),
    ).toEqual([
      ['weight_ih_l0', [12, 3]],
      ['weight_hh_l0', [12, 4]],
      ['weight_ih_l0_reverse', [12, 3]],
      ['weight_hh_l0_reverse', [12, 4]],
      ['weight_ih_l1', [12, 8]],
      ['weight_hh_l1', [12, 4]],
      ['weight_ih_l1_reverse', [12, 8]],
      ['weight_hh_l1_reverse', [12, 4]],
    ]);
  });

  it('nn.LSTM(4, 8, num_layers=2, bidirectional=True, proj_size=3): weight_hr last, inputs proj × 2', () => {
    const dir = (k: number, r: string, input: number) => [
      [`weight_ih_l${k}${r}`, [32, input]],
      [`weight_hh_l${k}${r}`, [32, 3]],
      [`bias_ih_l${k}${r}`, [32]],
      [`bias_hh_l${k}${r}`, [32]],
      [`weight_hr_l${k}${r}`, [3, 8]],
    ];
    expect(
      layout({
        type: 'lstm',
        inputSize: 4,
        hiddenSize: 8,
        numLayers: 2,
        bidirectional: true,
        projSize: 3,
      }),
    ).toEqual([
      ...dir(0, '', 4),
      ...dir(0, '_reverse', 4),
      ...dir(1, '', 6),
      ...dir(1, '_reverse', 6),
    ]);
  });
});

describe('layout in-out (Keras/TF.js shapes, PyTorch names)', () => {
  it('transposes matrices and conv kernels, not vectors, embeddings or bias_k', () => {
    expect(layout({ type: 'dense', inFeatures: 4, outFeatures: 3 }, { layout: 'in-out' })).toEqual([
      ['weight', [4, 3]],
      ['bias', [3]],
    ]);
    expect(
      layout(
        { type: 'conv2d', inChannels: 4, outChannels: 8, kernelSize: [2, 3], groups: 2 },
        { layout: 'in-out' },
      ),
    ).toEqual([
      ['weight', [2, 3, 2, 8]],
      ['bias', [8]],
    ]);
    expect(
      layout({ type: 'embedding', numEmbeddings: 5, embeddingDim: 2 }, { layout: 'in-out' }),
    ).toEqual([['weight', [5, 2]]]);
    expect(
      layout(
        { type: 'attention', embedDim: 4, numHeads: 1, addBiasKv: true },
        { layout: 'in-out' },
      ),
    ).toEqual([
      ['in_proj_weight', [4, 12]],
      ['in_proj_bias', [12]],
      ['bias_k', [1, 1, 4]],
      ['bias_v', [1, 1, 4]],
      ['out_proj.weight', [4, 4]],
      ['out_proj.bias', [4]],
    ]);
  });

  it('keeps the fans: the same std in both layouts', () => {
    for (const scheme of ['recommended', 'torch-default'] as const) {
      for (const spec of [
        { type: 'conv2d', inChannels: 4, outChannels: 8, kernelSize: 3, activation: 'relu' },
        { type: 'conv-transpose2d', inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2 },
      ] as LayerSpec[]) {
        const [a] = layerRecipe(spec, { scheme });
        const [b] = layerRecipe(spec, { scheme, layout: 'in-out' });
        if (a.init.kind !== 'strategy' || b.init.kind !== 'strategy') throw new Error('strategy');
        expect(b.init.spec.layout).toBe('in-out');
        const std = (p: typeof a, s: typeof a.init.spec) =>
          prepareSpec({ ...s, seed: 0 }, p.shape).expected.std;
        expect(std(b, b.init.spec)).toBe(std(a, a.init.spec));
      }
    }
  });
});
