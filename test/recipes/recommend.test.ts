/** `recommend` for every activation and layer, symbolic sizes, and a table of bad inputs. */
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  LAYER_TYPES,
  type LayerSpec,
  layerRecipe,
  parseActivation,
  parseLayerType,
  RECOMMEND_LAYERS,
  recommend,
  validateLayer,
} from '../../src/recipes/index.js';

/** Layers whose weights an activation decides. */
const WEIGHTED = ['dense', 'conv1d', 'conv2d', 'conv3d', 'conv-transpose2d', 'output', 'residual'];

describe('recommend', () => {
  it.each(WEIGHTED)(
    '%s: every activation gives a strategy, a reason and a paper per parameter',
    (layer) => {
      for (const activation of ACTIVATIONS) {
        const r = recommend({ layer, activation });
        expect(r.activation).toBe(activation);
        expect(r.parameters.length).toBeGreaterThan(0);
        for (const p of r.parameters) {
          expect(p.reason, `${layer} ${activation} ${p.role}`).toMatch(/\[(document|not in).*\]$/);
          expect(p.paper.length).toBeGreaterThan(0);
          expect(p.strategy).toBeTruthy();
        }
      }
    },
  );

  it('rnn: the activation is the nonlinearity (tanh or relu)', () => {
    const tanh = recommend({ layer: 'rnn', activation: 'tanh' });
    const relu = recommend({ layer: 'rnn', activation: 'relu' });
    expect(tanh.parameters.map((p) => [p.role, p.strategy])).toEqual([
      ['input-weight', 'xavier-uniform'],
      ['recurrent-weight', 'orthogonal'],
      ['input-bias', 'zeros'],
      ['recurrent-bias', 'zeros'],
    ]);
    expect(relu.parameters.map((p) => [p.role, p.strategy])).toEqual([
      ['input-weight', 'he-normal'],
      ['recurrent-weight', 'identity'],
      ['input-bias', 'zeros'],
      ['recurrent-bias', 'zeros'],
    ]);
  });

  it('lstm: rows per role and gate block, with the forget-gate bias its own row', () => {
    const r = recommend({ layer: 'lstm', activation: 'tanh' });
    expect(r.parameters.map((p) => [p.role, p.blocks ?? null, p.strategy, p.options])).toEqual([
      ['input-weight', null, 'xavier-uniform', {}],
      ['recurrent-weight', ['i', 'f', 'g', 'o'], 'orthogonal', {}],
      ['input-bias', ['i', 'g', 'o'], 'zeros', {}],
      ['input-bias', ['f'], 'constant', { value: 1 }],
      ['recurrent-bias', null, 'zeros', {}],
    ]);
    expect(r.sized).toBe(false);
    expect(r.parameters.every((p) => p.shape === undefined)).toBe(true);
    const chrono = recommend({ layer: 'lstm', chrono: { tMax: 20 } });
    expect(chrono.parameters.filter((p) => p.strategy === 'chrono').map((p) => p.options)).toEqual([
      { tMax: 20, sign: -1 },
      { tMax: 20, sign: 1 },
    ]);
  });

  it('every layer type and every activation: a recommendation (notes say when the activation does not matter)', () => {
    for (const layer of RECOMMEND_LAYERS) {
      for (const activation of ACTIVATIONS) {
        if (layer === 'rnn' && activation !== 'tanh' && activation !== 'relu') continue;
        const r = recommend({ layer, activation });
        for (const p of r.parameters)
          expect(p.reason.length, `${layer} ${activation}`).toBeGreaterThan(20);
        if (['embedding', 'layernorm', 'attention'].includes(layer))
          expect(r.notes.join(' '), `${layer} ${activation}`).toContain(
            'does not change its initialization',
          );
      }
    }
  });

  it('with sizes: shapes per name, the layers and directions of an RNN merged into one row', () => {
    const r = recommend({
      layer: 'gru',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
    });
    expect(r.sized).toBe(true);
    const w = r.parameters[0];
    expect(w.names).toEqual([
      'weight_ih_l0',
      'weight_ih_l0_reverse',
      'weight_ih_l1',
      'weight_ih_l1_reverse',
    ]);
    expect(w.shapes).toEqual([
      [12, 3],
      [12, 3],
      [12, 8],
      [12, 8],
    ]);
    expect(w.shape).toEqual([12, 3]);
  });

  it('size-dependent options are formulas without sizes, numbers with them', () => {
    const symbolic = recommend({ layer: 'conv-transpose2d', activation: 'relu' });
    expect(symbolic.parameters[0].options).toEqual({
      nonlinearity: 'relu',
      fanIn: 'in_channels / groups · ∏kernel_size',
      fanOut: 'out_channels · ∏kernel_size',
    });
    const sized = recommend({
      layer: 'conv-transpose2d',
      activation: 'relu',
      inChannels: 4,
      outChannels: 2,
      kernelSize: 3,
    });
    expect(sized.parameters[0].options).toEqual({ nonlinearity: 'relu', fanIn: 36, fanOut: 18 });
    const torch = recommend({ layer: 'lstm', scheme: 'torch-default' });
    expect(torch.parameters[0].options).toEqual({ low: '−1/√hidden_size', high: '1/√hidden_size' });
    const torchSized = recommend({
      layer: 'lstm',
      scheme: 'torch-default',
      inputSize: 2,
      hiddenSize: 4,
    });
    expect(torchSized.parameters[0].options).toEqual({ low: -0.5, high: 0.5 });
  });

  it('equals layerRecipe for a sized layer', () => {
    const spec: LayerSpec = { type: 'attention', embedDim: 4, numHeads: 2, addBiasKv: true };
    const r = recommend({ layer: 'attention', embedDim: 4, numHeads: 2, addBiasKv: true });
    // Rows merge parameters initialized alike (in_proj_bias and out_proj.bias; bias_k and bias_v).
    expect(r.parameters.flatMap((p) => p.names).sort()).toEqual(
      layerRecipe(spec)
        .map((p) => p.name)
        .sort(),
    );
    expect(r.parameters.find((p) => p.name === 'bias_k')?.names).toEqual(['bias_k', 'bias_v']);
  });

  it('output and residual shorthands', () => {
    const out = recommend({ layer: 'output' });
    expect(out.type).toBe('dense');
    expect(out.parameters[0].strategy).toBe('xavier-uniform');
    expect(recommend({ layer: 'output', output: { zeroInit: true } }).parameters[0].strategy).toBe(
      'zeros',
    );
    const res = recommend({ layer: 'residual', activation: 'relu' });
    expect(res.parameters[0].strategy).toBe('zeros');
    const first = recommend({
      layer: 'residual',
      activation: 'relu',
      residual: { fixup: true, depth: 4, position: 1 },
    });
    expect(first.parameters[0]).toMatchObject({
      strategy: 'he-normal',
      options: { gain: Math.SQRT2 / 2 },
    });
    expect(
      recommend({ layer: 'residual', residual: { zeroInit: false } }).parameters[0].strategy,
    ).toBe('xavier-uniform');
  });

  it('PyTorch class names as layer names', () => {
    expect(recommend({ layer: 'Linear' }).type).toBe('dense');
    expect(recommend({ layer: 'ConvTranspose2d' }).type).toBe('conv-transpose2d');
    expect(recommend({ layer: 'BatchNorm1d' }).type).toBe('batchnorm1d');
    expect(recommend({ layer: 'MultiheadAttention' }).type).toBe('attention');
    expect(recommend({ layer: 'LSTM' }).type).toBe('lstm');
  });
});

/** Bad inputs: the function, its input, the error class and a part of the message. */
const BAD: [string, () => unknown, ErrorConstructor, string][] = [
  ['no layer', () => validateLayer(undefined as never), TypeError, '`layer` must be an object'],
  ['no type', () => validateLayer({} as never), TypeError, '`layer.type` must be given'],
  ['unknown type', () => validateLayer({ type: 'dnse' } as never), RangeError, '"dense", "conv1d"'],
  [
    'missing size',
    () => validateLayer({ type: 'dense', inFeatures: 3 } as never),
    TypeError,
    '`layer.outFeatures` must be given (an integer >= 0), got undefined',
  ],
  [
    'non-integer size',
    () => validateLayer({ type: 'dense', inFeatures: 3.5, outFeatures: 2 }),
    RangeError,
    '`layer.inFeatures` must be an integer >= 0, got 3.5',
  ],
  [
    'string size',
    () => validateLayer({ type: 'dense', inFeatures: '3', outFeatures: 2 } as never),
    TypeError,
    '`layer.inFeatures` must be an integer',
  ],
  [
    'unknown key',
    () => validateLayer({ type: 'dense', inFeatures: 3, outFeatures: 2, hiddenSize: 3 } as never),
    RangeError,
    'the fields of a "dense" layer), got "hiddenSize"',
  ],
  [
    'unknown activation',
    () =>
      validateLayer({ type: 'dense', inFeatures: 3, outFeatures: 2, activation: 'rleu' as never }),
    RangeError,
    '"linear", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu", "silu", "selu", "softplus"',
  ],
  [
    'slope without leaky-relu',
    () => validateLayer({ type: 'dense', inFeatures: 3, outFeatures: 2, slope: 0.1 }),
    RangeError,
    'given only with activation "leaky-relu"',
  ],
  [
    'kernel of the wrong rank',
    () => validateLayer({ type: 'conv2d', inChannels: 2, outChannels: 2, kernelSize: [3, 3, 3] }),
    RangeError,
    '`layer.kernelSize` must be an integer >= 1 or an array of 2',
  ],
  [
    'zero kernel',
    () => validateLayer({ type: 'conv1d', inChannels: 2, outChannels: 2, kernelSize: 0 }),
    RangeError,
    '`layer.kernelSize` must be an integer >= 1',
  ],
  [
    'groups not dividing',
    () =>
      validateLayer({ type: 'conv2d', inChannels: 3, outChannels: 4, kernelSize: 3, groups: 2 }),
    RangeError,
    '`layer.inChannels` must be divisible by groups (2), got 3',
  ],
  [
    'padding index out of range',
    () => validateLayer({ type: 'embedding', numEmbeddings: 4, embeddingDim: 2, paddingIdx: 4 }),
    RangeError,
    '`layer.paddingIdx` must be an integer in [-4, 3]',
  ],
  [
    'groupnorm channels',
    () => validateLayer({ type: 'groupnorm', numGroups: 3, numChannels: 8 }),
    RangeError,
    'divisible by numGroups (3)',
  ],
  [
    'zero hidden size',
    () => validateLayer({ type: 'lstm', inputSize: 2, hiddenSize: 0 }),
    RangeError,
    '`layer.hiddenSize` must be an integer >= 1, got 0',
  ],
  [
    'rnn nonlinearity',
    () =>
      validateLayer({ type: 'rnn', inputSize: 2, hiddenSize: 2, nonlinearity: 'gelu' as never }),
    RangeError,
    '`layer.nonlinearity` must be one of "tanh", "relu"',
  ],
  [
    'projSize too large',
    () => validateLayer({ type: 'lstm', inputSize: 2, hiddenSize: 4, projSize: 4 }),
    RangeError,
    'smaller than hiddenSize (4)',
  ],
  [
    'forgetBias on a GRU',
    () => validateLayer({ type: 'gru', inputSize: 2, hiddenSize: 4, forgetBias: 1 } as never),
    RangeError,
    'got "forgetBias"',
  ],
  [
    'forgetBias and chrono',
    () =>
      validateLayer({
        type: 'lstm',
        inputSize: 2,
        hiddenSize: 4,
        forgetBias: 1,
        chrono: { tMax: 9 },
      }),
    RangeError,
    '`layer.forgetBias` must be left out when `chrono` is given',
  ],
  [
    'chrono tMax',
    () => validateLayer({ type: 'lstm', inputSize: 2, hiddenSize: 4, chrono: { tMax: 2 } }),
    RangeError,
    '`layer.chrono.tMax` must be a number > 2',
  ],
  [
    'forgetBias without bias',
    () => validateLayer({ type: 'lstm', inputSize: 2, hiddenSize: 4, bias: false, forgetBias: 1 }),
    RangeError,
    'left out when `bias` is false',
  ],
  [
    'unknown recurrent',
    () => validateLayer({ type: 'lstm', inputSize: 2, hiddenSize: 4, recurrent: 'eye' as never }),
    RangeError,
    '`layer.recurrent` must be one of "orthogonal", "identity"',
  ],
  [
    'unknown gate order',
    () => validateLayer({ type: 'gru', inputSize: 2, hiddenSize: 4, gateOrder: 'tf' as never }),
    RangeError,
    '`layer.gateOrder` must be one of "pytorch", "keras"',
  ],
  [
    'attention heads',
    () => validateLayer({ type: 'attention', embedDim: 6, numHeads: 4 }),
    RangeError,
    'divisible by numHeads (4)',
  ],
  [
    'bias not boolean',
    () => validateLayer({ type: 'dense', inFeatures: 2, outFeatures: 2, bias: 1 } as never),
    TypeError,
    '`layer.bias` must be true or false, got 1',
  ],
  [
    'fixup without depth',
    () =>
      validateLayer({ type: 'dense', inFeatures: 2, outFeatures: 2, residual: { fixup: true } }),
    TypeError,
    '`layer.residual.depth` must be given with `fixup`',
  ],
  [
    'fixup with one layer per branch',
    () =>
      validateLayer({
        type: 'dense',
        inFeatures: 2,
        outFeatures: 2,
        residual: { fixup: true, depth: 4, branchLayers: 1 },
      }),
    RangeError,
    '`layer.residual.branchLayers` must be an integer >= 2',
  ],
  [
    'fixup on a norm',
    () =>
      validateLayer({ type: 'batchnorm2d', numFeatures: 2, residual: { fixup: true, depth: 2 } }),
    RangeError,
    'Fixup networks have none',
  ],
  [
    'position past the branch',
    () =>
      validateLayer({ type: 'dense', inFeatures: 2, outFeatures: 2, residual: { position: 3 } }),
    RangeError,
    '`layer.residual.position` must be an integer in [1, 2]',
  ],
  [
    'residual and output',
    () =>
      validateLayer({ type: 'dense', inFeatures: 2, outFeatures: 2, residual: {}, output: true }),
    RangeError,
    '`layer.output` must be left out when `residual` is given',
  ],
  [
    'unknown scheme',
    () =>
      layerRecipe({ type: 'dense', inFeatures: 2, outFeatures: 2 }, { scheme: 'keras' as never }),
    RangeError,
    'layerRecipe: `scheme` must be one of "recommended", "torch-default", got "keras"',
  ],
  [
    'unknown layout',
    () => layerRecipe({ type: 'dense', inFeatures: 2, outFeatures: 2 }, { layout: 'oi' as never }),
    RangeError,
    'layerRecipe: `layout` must be one of "out-in", "in-out"',
  ],
  [
    'unknown recipe option',
    () => layerRecipe({ type: 'dense', inFeatures: 2, outFeatures: 2 }, { seed: 1 } as never),
    RangeError,
    'layerRecipe: `options` must be made of the keys "scheme", "layout", "buffers"',
  ],
  [
    'recommend without layer',
    () => recommend({} as never),
    TypeError,
    'recommend: `layer` must be given',
  ],
  [
    'recommend unknown layer',
    () => recommend({ layer: 'lstn' }),
    RangeError,
    '"attention", "output", "residual" (or an alias), got "lstn"',
  ],
  [
    'recommend rnn with gelu',
    () => recommend({ layer: 'rnn', activation: 'gelu' }),
    RangeError,
    'recommend: `activation` must be one of "tanh", "relu" for an rnn layer',
  ],
  [
    'recommend slope on an lstm',
    () => recommend({ layer: 'lstm', activation: 'leaky-relu', slope: 0.2 }),
    RangeError,
    'recommend: `slope` must be left out for a lstm layer',
  ],
  [
    'recommend with type',
    () => recommend({ layer: 'dense', type: 'lstm' } as never),
    RangeError,
    'recommend: `type` must be left out',
  ],
  [
    'recommend with a field of another layer',
    () => recommend({ layer: 'dense', hiddenSize: 4 }),
    RangeError,
    'recommend: `options` must be made of the keys',
  ],
];

describe('bad inputs', () => {
  it.each(BAD)('%s', (_label, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });

  it('covers every layer type with a valid example', () => {
    const examples: LayerSpec[] = [
      { type: 'dense', inFeatures: 1, outFeatures: 1 },
      { type: 'conv1d', inChannels: 1, outChannels: 1, kernelSize: 1 },
      { type: 'conv2d', inChannels: 1, outChannels: 1, kernelSize: 1 },
      { type: 'conv3d', inChannels: 1, outChannels: 1, kernelSize: 1 },
      { type: 'conv-transpose1d', inChannels: 1, outChannels: 1, kernelSize: 1 },
      { type: 'conv-transpose2d', inChannels: 1, outChannels: 1, kernelSize: 1 },
      { type: 'conv-transpose3d', inChannels: 1, outChannels: 1, kernelSize: 1 },
      { type: 'embedding', numEmbeddings: 1, embeddingDim: 1 },
      { type: 'layernorm', normalizedShape: 1 },
      { type: 'batchnorm1d', numFeatures: 1 },
      { type: 'batchnorm2d', numFeatures: 1 },
      { type: 'batchnorm3d', numFeatures: 1 },
      { type: 'groupnorm', numGroups: 1, numChannels: 1 },
      { type: 'rnn', inputSize: 1, hiddenSize: 1 },
      { type: 'lstm', inputSize: 1, hiddenSize: 1 },
      { type: 'gru', inputSize: 1, hiddenSize: 1 },
      { type: 'attention', embedDim: 1, numHeads: 1 },
    ];
    expect(examples.map((e) => validateLayer(e).type)).toEqual([...LAYER_TYPES]);
  });

  it('zero-size layers are valid and give empty tensors', () => {
    const params = layerRecipe({ type: 'dense', inFeatures: 0, outFeatures: 0 });
    expect(params.map((p) => p.shape)).toEqual([[0, 0], [0]]);
  });
});

describe('the TSDoc examples', () => {
  it('give what they say', () => {
    expect(
      layerRecipe({ type: 'lstm', inputSize: 4, hiddenSize: 8 }).map(
        (p) => `${p.name} [${p.shape}]`,
      ),
    ).toEqual(['weight_ih_l0 [32,4]', 'weight_hh_l0 [32,8]', 'bias_ih_l0 [32]', 'bias_hh_l0 [32]']);
    expect(
      layerRecipe({ type: 'dense', inFeatures: 256, outFeatures: 128, activation: 'relu' })[0].init,
    ).toEqual({ kind: 'strategy', spec: { name: 'he-normal', nonlinearity: 'relu' } });
    expect(
      recommend({ layer: 'lstm', activation: 'tanh' }).parameters.map(
        (p) => `${p.role}: ${p.strategy}`,
      ),
    ).toEqual([
      'input-weight: xavier-uniform',
      'recurrent-weight: orthogonal',
      'input-bias: zeros',
      'input-bias: constant',
      'recurrent-bias: zeros',
    ]);
    expect(validateLayer({ type: 'Linear' as never, inFeatures: 4, outFeatures: 2 }).type).toBe(
      'dense',
    );
    expect(parseLayerType('f', 'a', 'ConvTranspose2d')).toBe('conv-transpose2d');
    expect(parseActivation('f', 'a', 'LeakyReLU')).toBe('leaky-relu');
  });
});
