/**
 * The two schemes in detail: what PyTorch's modules do (`torch-default`) and the document's
 * recommendations beyond the two tables (activations, conv-transpose fans, attention,
 * embeddings, norms, residual branches, output layers, gate orders, layouts).
 */
import { describe, expect, it } from 'vitest';
import { prepareSpec } from '../../src/init/index.js';
import {
  ACTIVATION_RULES,
  ACTIVATIONS,
  type Activation,
  fixupScale,
  GATES,
  type LayerParameter,
  type LayerSpec,
  layerRecipe,
  PAPERS,
  parseActivation,
} from '../../src/recipes/index.js';
import { gain } from '../../src/tensor/gain.js';
import { block, materialize, orthogonalityError } from './materialize.js';

const spec = (p: LayerParameter) => {
  if (p.init.kind !== 'strategy') throw new Error(`${p.name} is not a single strategy`);
  return p.init.spec;
};
/** The std a parameter's (single) strategy gives. */
const stdOf = (p: LayerParameter) => prepareSpec({ ...spec(p), seed: 0 }, p.shape).expected.std;
const byName = (params: LayerParameter[], name: string) => params.find((p) => p.name === name)!;

describe('torch-default: PyTorch’s reset_parameters', () => {
  const torch = (s: LayerSpec) => layerRecipe(s, { scheme: 'torch-default' });

  it('Linear: weight kaiming_uniform_(a=√5) = U(±1/√fan_in), bias U(±1/√fan_in)', () => {
    const [w, b] = torch({ type: 'dense', inFeatures: 64, outFeatures: 32 });
    expect(spec(w)).toEqual({ name: 'he-uniform', slope: Math.sqrt(5) });
    expect(stdOf(w) * Math.sqrt(3)).toBeCloseTo(1 / 8, 15);
    expect(spec(b)).toEqual({ name: 'uniform', low: -1 / 8, high: 1 / 8 });
  });

  it.each([
    ['Conv2d(4, 8, 3, groups=2): fan_in = in/groups · k', 'conv2d', 8, 18],
    [
      'ConvTranspose2d(4, 6, 3, groups=2): fan_in read from the [in, out/groups, k, k] tensor',
      'conv-transpose2d',
      6,
      27,
    ],
  ] as const)('%s = %i', (_title, type, outChannels, fanIn) => {
    const [w, b] = torch({ type, inChannels: 4, outChannels, kernelSize: 3, groups: 2 });
    const bound = 1 / Math.sqrt(fanIn);
    expect(stdOf(w) * Math.sqrt(3)).toBeCloseTo(bound, 15);
    expect(spec(b)).toEqual({ name: 'uniform', low: -bound, high: bound });
  });

  it('Linear with 0 inputs: bias bound 0 → zeros', () => {
    const [, b] = torch({ type: 'dense', inFeatures: 0, outFeatures: 3 });
    expect(spec(b)).toEqual({ name: 'zeros' });
  });

  it('RNN/LSTM/GRU: every parameter U(±1/√hidden_size)', () => {
    for (const type of ['rnn', 'lstm', 'gru'] as const) {
      for (const p of torch({
        type,
        inputSize: 3,
        hiddenSize: 16,
        numLayers: 2,
        bidirectional: true,
      }))
        expect(spec(p), `${type} ${p.name}`).toEqual({ name: 'uniform', low: -0.25, high: 0.25 });
    }
    const proj = torch({ type: 'lstm', inputSize: 3, hiddenSize: 16, projSize: 4 });
    expect(spec(byName(proj, 'weight_hr_l0'))).toEqual({ name: 'uniform', low: -0.25, high: 0.25 });
  });

  it('Embedding N(0, 1), padding row 0; norms ones/zeros; BatchNorm buffers 0 and 1', () => {
    const [e] = torch({ type: 'embedding', numEmbeddings: 4, embeddingDim: 2, paddingIdx: 1 });
    expect(e.init).toEqual({
      kind: 'blocks',
      blocks: [
        {
          rows: 1,
          label: 'rows before padding',
          init: { kind: 'strategy', spec: { name: 'normal' } },
        },
        { rows: 1, label: 'padding row', init: { kind: 'strategy', spec: { name: 'zeros' } } },
        {
          rows: 2,
          label: 'rows after padding',
          init: { kind: 'strategy', spec: { name: 'normal' } },
        },
      ],
    });
    const bn = torch({ type: 'batchnorm1d', numFeatures: 3 }).map((p) => spec(p).name);
    expect(bn).toEqual(['ones', 'zeros', 'zeros', 'ones']);
    for (const s of [
      { type: 'layernorm', normalizedShape: 3 },
      { type: 'groupnorm', numGroups: 1, numChannels: 3 },
    ] as LayerSpec[])
      expect(torch(s).map((p) => spec(p).name)).toEqual(['ones', 'zeros']);
  });

  it('MultiheadAttention: xavier_uniform_ of the whole in_proj_weight, zero biases, out_proj.weight like Linear', () => {
    const params = torch({ type: 'attention', embedDim: 8, numHeads: 2, addBiasKv: true });
    expect(params.map((p) => [p.name, spec(p)])).toEqual([
      ['in_proj_weight', { name: 'xavier-uniform' }],
      ['in_proj_bias', { name: 'zeros' }],
      ['bias_k', { name: 'xavier-normal' }],
      ['bias_v', { name: 'xavier-normal' }],
      ['out_proj.weight', { name: 'he-uniform', slope: Math.sqrt(5) }],
      ['out_proj.bias', { name: 'zeros' }],
    ]);
    // xavier_uniform_ of [3E, E]: bound √(6/(E + 3E)).
    expect(stdOf(params[0]) * Math.sqrt(3)).toBeCloseTo(Math.sqrt(6 / 32), 15);
    // xavier_normal_ of [1, 1, E]: fans E and E, std 1/√E.
    expect(stdOf(params[2])).toBeCloseTo(1 / Math.sqrt(8), 15);
  });

  it('recipe options have no effect', () => {
    const plain = torch({ type: 'lstm', inputSize: 3, hiddenSize: 4 });
    const options = torch({
      type: 'lstm',
      inputSize: 3,
      hiddenSize: 4,
      forgetBias: 3,
      recurrent: 'identity',
      gateOrder: 'keras',
    });
    expect(options.map((p) => p.init)).toEqual(plain.map((p) => p.init));
    const out = torch({ type: 'dense', inFeatures: 3, outFeatures: 2, output: { zeroInit: true } });
    expect(spec(out[0]).name).toBe('he-uniform');
  });
});

describe('recommended: the activation table', () => {
  const dense = (activation: Activation, slope?: number) =>
    layerRecipe({ type: 'dense', inFeatures: 100, outFeatures: 50, activation, slope })[0];

  it('every activation has a row with its strategy, gain and papers', () => {
    const expected: Record<Activation, [string, number]> = {
      linear: ['xavier-uniform', 1],
      sigmoid: ['xavier-uniform', 1],
      tanh: ['xavier-uniform', 1],
      softplus: ['xavier-uniform', 1],
      relu: ['he-normal', Math.SQRT2],
      'leaky-relu': ['he-normal', gain('leaky-relu', 0.01)],
      elu: ['he-normal', Math.SQRT2],
      gelu: ['he-normal', Math.SQRT2],
      silu: ['he-normal', Math.SQRT2],
      selu: ['lecun-normal', 1],
    };
    expect(Object.keys(ACTIVATION_RULES)).toEqual([...ACTIVATIONS]);
    for (const a of ACTIVATIONS) {
      const w = dense(a);
      const [name, g] = expected[a];
      expect(spec(w).name, a).toBe(name);
      const std = stdOf(w);
      if (name === 'xavier-uniform') expect(std, a).toBeCloseTo(g * Math.sqrt(2 / 150), 15);
      else expect(std, a).toBeCloseTo(g / Math.sqrt(100), 15);
      expect(w.paper.length, a).toBeGreaterThan(0);
      expect(w.reason, a).toMatch(/\[.*\d{4}\]$/);
    }
    expect(dense('selu').paper).toContain(PAPERS.selu);
  });

  it('leaky-relu uses its slope; aliases are accepted', () => {
    expect(spec(dense('leaky-relu', 0.2))).toEqual({
      name: 'he-normal',
      nonlinearity: 'leaky-relu',
      slope: 0.2,
    });
    expect(stdOf(dense('leaky-relu', 0.2))).toBeCloseTo(gain('leaky-relu', 0.2) / 10, 15);
    expect(parseActivation('f', 'a', 'LeakyReLU')).toBe('leaky-relu');
    expect(parseActivation('f', 'a', 'leaky_relu')).toBe('leaky-relu');
    expect(parseActivation('f', 'a', 'swish')).toBe('silu');
    expect(parseActivation('f', 'a', 'identity')).toBe('linear');
  });

  it('conv layers take the same table; conv-transpose gets the forward-pass fans explicitly', () => {
    const [w] = layerRecipe({
      type: 'conv2d',
      inChannels: 4,
      outChannels: 8,
      kernelSize: 3,
      activation: 'relu',
    });
    expect(spec(w)).toEqual({ name: 'he-normal', nonlinearity: 'relu' });
    const [t] = layerRecipe({
      type: 'conv-transpose2d',
      inChannels: 4,
      outChannels: 6,
      kernelSize: 3,
      groups: 2,
      activation: 'relu',
    });
    // The Conv2d(4, 6, 3, groups=2) fans: fan_in 2·9, fan_out 6·9.
    expect(spec(t)).toEqual({ name: 'he-normal', nonlinearity: 'relu', fanIn: 18, fanOut: 54 });
    expect(stdOf(t)).toBeCloseTo(Math.SQRT2 / Math.sqrt(18), 15);
    expect(t.reason).toContain('forward pass');
  });
});

describe('recommended: other layers', () => {
  it('attention: q, k, v blocks each Xavier [E, E]; out_proj Xavier; biases zero', () => {
    const params = layerRecipe({ type: 'attention', embedDim: 6, numHeads: 2 });
    const w = params[0];
    expect(w.init.kind).toBe('blocks');
    if (w.init.kind !== 'blocks') return;
    expect(w.init.blocks.map((b) => [b.label, b.rows])).toEqual([
      ['q', 6],
      ['k', 6],
      ['v', 6],
    ]);
    const leaf = w.init.blocks[0].init;
    if (leaf.kind !== 'strategy') throw new Error('strategy');
    expect(prepareSpec({ ...leaf.spec, seed: 0 }, [6, 6]).expected.std).toBeCloseTo(
      Math.sqrt(2 / 12),
      15,
    );
    expect(params.slice(1).map((p) => [p.name, spec(p).name])).toEqual([
      ['in_proj_bias', 'zeros'],
      ['out_proj.weight', 'xavier-uniform'],
      ['out_proj.bias', 'zeros'],
    ]);
  });

  it('embedding: N(0, 1) with the padding row zero (negative index from the end)', () => {
    const [e] = layerRecipe({
      type: 'embedding',
      numEmbeddings: 50,
      embeddingDim: 4,
      paddingIdx: -1,
    });
    const data = materialize(e.init, e.shape, 3, 'emb.weight');
    expect([...data.subarray(49 * 4)]).toEqual([0, 0, 0, 0]);
    expect(data.subarray(0, 49 * 4).every((x) => x !== 0)).toBe(true);
    const [plain] = layerRecipe({ type: 'embedding', numEmbeddings: 5, embeddingDim: 4 });
    expect(plain.init).toEqual({ kind: 'strategy', spec: { name: 'normal' } });
  });

  it('norms: weight 1, bias 0; zero-γ for the last norm of a residual branch', () => {
    expect(
      layerRecipe({ type: 'layernorm', normalizedShape: [2, 3] }).map((p) => spec(p).name),
    ).toEqual(['ones', 'zeros']);
    const [g] = layerRecipe({ type: 'batchnorm2d', numFeatures: 4, residual: { zeroInit: true } });
    expect(spec(g).name).toBe('zeros');
    expect(g.reason).toContain('Goyal et al. 2017');
    const [first] = layerRecipe({
      type: 'batchnorm2d',
      numFeatures: 4,
      residual: { zeroInit: true, position: 1 },
    });
    expect(spec(first).name).toBe('ones');
  });

  it('residual branch: zero last layer; Fixup scales the others by L^(−1/(2m−2))', () => {
    const base = {
      type: 'conv2d',
      inChannels: 8,
      outChannels: 8,
      kernelSize: 3,
      activation: 'relu',
    } as const;
    const last = layerRecipe({ ...base, residual: { zeroInit: true } });
    expect(spec(last[0]).name).toBe('zeros');
    expect(spec(last[1]).name).toBe('zeros');
    const plainLast = layerRecipe({ ...base, residual: {} });
    expect(spec(plainLast[0])).toEqual({ name: 'he-normal', nonlinearity: 'relu' });
    const first = layerRecipe({ ...base, residual: { fixup: true, depth: 16, position: 1 } });
    expect(spec(first[0])).toEqual({ name: 'he-normal', gain: Math.SQRT2 / 4 });
    expect(first[0].reason).toContain('Zhang et al. 2019');
    const fixupLast = layerRecipe({ ...base, residual: { fixup: true, depth: 16 } });
    expect(spec(fixupLast[0]).name).toBe('zeros');
    expect(fixupScale(16, 2)).toBe(0.25);
    expect(fixupScale(16, 3)).toBeCloseTo(0.5, 15);
    expect(fixupScale(8, 4)).toBeCloseTo(8 ** (-1 / 6), 14);
  });

  it('output layer: Xavier (linear logits), or zero', () => {
    const [w] = layerRecipe({ type: 'dense', inFeatures: 16, outFeatures: 10, output: true });
    expect(spec(w)).toEqual({ name: 'xavier-uniform' });
    expect(w.reason).toContain('output');
    const [z] = layerRecipe({
      type: 'dense',
      inFeatures: 16,
      outFeatures: 10,
      output: { zeroInit: true },
    });
    expect(spec(z)).toEqual({ name: 'zeros' });
  });
});

describe('recommended: recurrent options', () => {
  it('gate orders: PyTorch (i, f, g, o / r, z, n) and Keras (i, f, c, o / z, r, h)', () => {
    expect(GATES.lstm).toEqual({ pytorch: ['i', 'f', 'g', 'o'], keras: ['i', 'f', 'c', 'o'] });
    expect(GATES.gru).toEqual({ pytorch: ['r', 'z', 'n'], keras: ['z', 'r', 'h'] });
    const labels = (p: LayerParameter) =>
      p.init.kind === 'blocks' ? p.init.blocks.map((b) => b.label) : [];
    const gru = layerRecipe({ type: 'gru', inputSize: 2, hiddenSize: 3, gateOrder: 'keras' });
    expect(labels(byName(gru, 'weight_hh_l0'))).toEqual(['z', 'r', 'h']);
    const lstm = layerRecipe({ type: 'lstm', inputSize: 2, hiddenSize: 3, gateOrder: 'keras' });
    const bias = byName(lstm, 'bias_ih_l0');
    expect(labels(bias)).toEqual(['i', 'f', 'c', 'o']);
    expect([...materialize(bias.init, bias.shape, 0, 'b')]).toEqual([
      0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it('identity for an LSTM and a scaled identity (IRNN) when asked', () => {
    const w = byName(
      layerRecipe({
        type: 'rnn',
        inputSize: 2,
        hiddenSize: 3,
        nonlinearity: 'relu',
        recurrentGain: 0.01,
      }),
      'weight_hh_l0',
    );
    expect(w.init).toEqual({ kind: 'strategy', spec: { name: 'identity', gain: 0.01 } });
    const l = byName(
      layerRecipe({ type: 'lstm', inputSize: 2, hiddenSize: 3, recurrent: 'identity' }),
      'weight_hh_l0',
    );
    const data = materialize(l.init, l.shape, 0, 'w');
    for (let g = 0; g < 4; g++) expect(orthogonalityError(block(data, 3, g * 3, 3))).toBe(0);
    const orth = byName(
      layerRecipe({
        type: 'rnn',
        inputSize: 2,
        hiddenSize: 3,
        nonlinearity: 'relu',
        recurrent: 'orthogonal',
      }),
      'weight_hh_l0',
    );
    expect(orth.init).toEqual({ kind: 'strategy', spec: { name: 'orthogonal' } });
  });

  it('forgetBias 0 leaves the biases plain zeros; bias: false has no biases', () => {
    const b = byName(
      layerRecipe({ type: 'lstm', inputSize: 2, hiddenSize: 3, forgetBias: 0 }),
      'bias_ih_l0',
    );
    expect(b.init).toEqual({ kind: 'strategy', spec: { name: 'zeros' } });
    const names = layerRecipe({ type: 'lstm', inputSize: 2, hiddenSize: 3, bias: false }).map(
      (p) => p.name,
    );
    expect(names).toEqual(['weight_ih_l0', 'weight_hh_l0']);
  });

  it('LSTM with projection: W_hh blocks [h, proj] semi-orthogonal, weight_hr Xavier', () => {
    const params = layerRecipe({ type: 'lstm', inputSize: 2, hiddenSize: 6, projSize: 3 });
    const w = byName(params, 'weight_hh_l0');
    const data = materialize(w.init, w.shape, 1, w.name);
    for (let g = 0; g < 4; g++)
      expect(orthogonalityError(block(data, 3, g * 6, 6))).toBeLessThan(1e-5);
    expect(spec(byName(params, 'weight_hr_l0'))).toEqual({ name: 'xavier-uniform' });
  });

  it('in-out layout: gate blocks are columns (axis 1), each orthogonal', () => {
    const w = byName(
      layerRecipe({ type: 'gru', inputSize: 2, hiddenSize: 4 }, { layout: 'in-out' }),
      'weight_hh_l0',
    );
    expect(w.shape).toEqual([4, 12]);
    if (w.init.kind !== 'blocks') throw new Error('blocks');
    expect(w.init.axis).toBe(1);
    expect(w.init.blocks[0].init).toEqual({
      kind: 'strategy',
      spec: { name: 'orthogonal', layout: 'in-out' },
    });
    const data = materialize(w.init, w.shape, 2, w.name);
    for (let g = 0; g < 3; g++)
      expect(orthogonalityError(block(data, 12, 0, 4, g * 4, 4))).toBeLessThan(1e-5);
    // Default layout: no axis at all (the model's contract).
    const d = byName(layerRecipe({ type: 'gru', inputSize: 2, hiddenSize: 4 }), 'weight_hh_l0');
    expect('axis' in d.init).toBe(false);
  });
});
