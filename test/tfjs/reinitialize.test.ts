/** `reinitialize` on a model with every supported layer type, values checked against the core. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/index.js';
import { log } from '../../src/random/detmath.js';
import * as wi from '../../src/tfjs/index.js';
import { backend, same, weight } from './support.js';

await backend();

const H = 3; // hidden size of the recurrent layers

/**
 * A functional model with every layer type `reinitialize` knows, built with TF.js's own
 * initializers (Glorot for the recurrent kernels: TF.js's orthogonal needs the chained ops of
 * the @tensorflow/tfjs union package), plus a PReLU (weights, no recipe).
 */
function everything(): tfl.LayersModel {
  const g = 'glorotUniform' as const;
  const img = tfl.input({ shape: [6, 6, 2], name: 'img' });
  let x = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'c2' })
    .apply(img) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'bn' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, name: 'dw' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .separableConv2d({ filters: 3, kernelSize: 1, activation: 'tanh', name: 'sep' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2dTranspose({ filters: 2, kernelSize: 2, name: 'ct' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.leakyReLU({ alpha: 0.2, name: 'lrelu' }).apply(x) as tfl.SymbolicTensor;
  const a = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;

  const vol = tfl.input({ shape: [3, 3, 3, 1], name: 'vol' });
  const c3 = tfl.layers
    .conv3d({ filters: 2, kernelSize: 2, activation: 'selu', name: 'c3' })
    .apply(vol);
  const b = tfl.layers.flatten().apply(c3) as tfl.SymbolicTensor;

  const seq = tfl.input({ shape: [5, 4], name: 'seq' });
  let s = tfl.layers
    .conv1d({ filters: 4, kernelSize: 2, name: 'c1' })
    .apply(seq) as tfl.SymbolicTensor;
  s = tfl.layers
    .simpleRNN({
      units: H,
      activation: 'relu',
      returnSequences: true,
      recurrentInitializer: g,
      name: 'srnn',
    })
    .apply(s) as tfl.SymbolicTensor;
  s = tfl.layers
    .bidirectional({
      layer: tfl.layers.lstm({
        units: H,
        returnSequences: true,
        recurrentInitializer: g,
        name: 'enc',
      }),
      name: 'bi',
    })
    .apply(s) as tfl.SymbolicTensor;
  s = tfl.layers
    .gru({ units: H, recurrentInitializer: g, name: 'gru' })
    .apply(s) as tfl.SymbolicTensor;
  s = tfl.layers.layerNormalization({ name: 'ln' }).apply(s) as tfl.SymbolicTensor;

  const tok = tfl.input({ shape: [4], name: 'tok' });
  const e = tfl.layers.embedding({ inputDim: 10, outputDim: 3, name: 'emb' }).apply(tok);
  const lstm = tfl.layers
    .lstm({ units: H, recurrentInitializer: g, name: 'lstm' })
    .apply(e) as tfl.SymbolicTensor;

  const block = tfl.sequential({
    name: 'block',
    layers: [
      tfl.layers.dense({ units: 5, inputShape: [H], name: 'inner' }),
      tfl.layers.activation({ activation: 'relu', name: 'act' }),
    ],
  });
  const n = block.apply(lstm) as tfl.SymbolicTensor;
  const p = tfl.layers.prelu({ name: 'prelu' }).apply(n) as tfl.SymbolicTensor;

  const all = tfl.layers.concatenate().apply([a, b, s, p]) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 2, activation: 'softmax', name: 'head' })
    .apply(all) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [img, vol, seq, tok], outputs: out });
}

const core = (spec: Record<string, unknown>, shape: number[], stream: string) =>
  initialize({ name: '', ...spec, seed: 7, stream } as { name: string }, shape).data;

describe('reinitialize', () => {
  const model = everything();
  afterAll(() => model.dispose());
  // Values a reinitialization must replace.
  for (const w of model.weights) {
    const t = tf.fill(w.shape as number[], 0.123);
    (w.read() as tf.Variable).assign(t);
    t.dispose();
  }
  const plan = wi.reinitialize(model, { seed: 7 });
  const byWeight = new Map(plan.weights.map((p) => [p.weight, p]));
  /** The planned strategy spec of a weight (in `from`, default the first plan). */
  const specIn = (from: wi.ReinitPlan, name: string): Record<string, unknown> => {
    const init = from.weights.find((w) => w.weight === name)?.init;
    if (init?.kind !== 'strategy') throw new Error(`${name}: ${JSON.stringify(init)}`);
    return init.spec;
  };
  const specOf = (name: string) => specIn(plan, name);

  it('sets every weight of every supported layer, leaves PReLU, and says why', () => {
    expect(plan.seed).toBe(7);
    expect(plan.scheme).toBe('recommended');
    expect(plan.skipped).toEqual([
      { layer: 'prelu', className: 'PReLU', reason: 'no recipe for TF.js PReLU layers' },
    ]);
    const planned = new Set(plan.weights.map((p) => p.weight));
    const unplanned = model.weights.map((w) => w.originalName).filter((n) => !planned.has(n));
    expect(unplanned).toEqual(['prelu/alpha']);
    expect([...weight(model, 'prelu/alpha')].every((v) => v === Math.fround(0.123))).toBe(true);
    for (const p of plan.weights) {
      expect(p.stream).toBe(p.weight);
      expect(p.reason).toMatch(/\[.*\]$/);
    }
    expect(byWeight.get('bi/forward_enc/recurrent_kernel')?.layer).toBe('bi/forward_enc');
    expect(byWeight.get('inner/kernel')?.layer).toBe('block/inner');
  });

  it('dense and conv kernels follow the activation after them, equal to the core by stream', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['c2/kernel', { name: 'he-normal', nonlinearity: 'relu', layout: 'in-out' }],
      ['c3/kernel', { name: 'lecun-normal', layout: 'in-out' }],
      ['c1/kernel', { name: 'xavier-uniform', layout: 'in-out' }],
      ['head/kernel', { name: 'xavier-uniform', layout: 'in-out' }], // softmax: linear logits
      ['inner/kernel', { name: 'he-normal', nonlinearity: 'relu', layout: 'in-out' }], // Activation('relu') after it
      [
        'ct/kernel',
        { name: 'he-normal', nonlinearity: 'leaky-relu', slope: 0.2, layout: 'in-out' },
      ], // LeakyReLU after it
      ['sep/pointwise_kernel', { name: 'xavier-uniform', layout: 'in-out' }],
      ['sep/depthwise_kernel', { name: 'xavier-uniform', layout: 'in-out' }],
    ];
    for (const [name, spec] of cases) {
      const planned = specOf(name);
      expect(planned).toMatchObject(spec);
      const w = model.weights.find((v) => v.originalName === name) as tfl.LayerVariable;
      expect(same(weight(model, name), core(planned, w.shape as number[], name))).toBe(true);
    }
    // The transposed conv's fans are those of its forward pass; the depthwise kernel's fan_in is kh·kw.
    expect(specOf('ct/kernel')).toMatchObject({
      fanIn: 12,
      fanOut: 8,
    });
    const dw = byWeight.get('dw/depthwise_kernel');
    expect(dw?.shape).toEqual([2, 2, 4, 2]);
    expect(specOf('dw/depthwise_kernel')).toMatchObject({ name: 'xavier-uniform' });
    const fans = initialize(
      { name: 'xavier-uniform', layout: 'in-out', seed: 7, stream: 'dw/depthwise_kernel' },
      [2, 2, 1, 8],
    );
    expect(same(weight(model, 'dw/depthwise_kernel'), fans.data)).toBe(true);
    for (const b of [
      'c2/bias',
      'dw/bias',
      'sep/bias',
      'ct/bias',
      'c3/bias',
      'c1/bias',
      'head/bias',
      'inner/bias',
    ])
      expect([...weight(model, b)].every((v) => v === 0)).toBe(true);
  });

  it('recurrent layers: input kernel, orthogonal gate blocks (identity for ReLU RNNs), forget bias 1', () => {
    const orthoBlocks = (name: string, gates: number) => {
      const w = weight(model, name); // [H, gates·H], row-major
      for (let g = 0; g < gates; g++)
        for (let i = 0; i < H; i++)
          for (let j = 0; j < H; j++) {
            let dot = 0;
            for (let r = 0; r < H; r++)
              dot += w[r * gates * H + g * H + i] * w[r * gates * H + g * H + j];
            expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
          }
    };
    orthoBlocks('bi/forward_enc/recurrent_kernel', 4);
    orthoBlocks('bi/backward_enc/recurrent_kernel', 4);
    orthoBlocks('lstm/recurrent_kernel', 4);
    orthoBlocks('gru/recurrent_kernel', 3);
    expect(
      same(
        weight(model, 'bi/forward_enc/recurrent_kernel'),
        weight(model, 'bi/backward_enc/recurrent_kernel'),
      ),
    ).toBe(false);
    expect([...weight(model, 'srnn/recurrent_kernel')]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(specOf('srnn/kernel')).toMatchObject({
      name: 'he-normal',
    });
    expect(specOf('gru/kernel')).toMatchObject({
      name: 'xavier-uniform',
    });
    // Keras gate order i, f, c, o: the forget block is the second.
    expect([...weight(model, 'lstm/bias')]).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect([...weight(model, 'bi/forward_enc/bias')]).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect([...weight(model, 'gru/bias')].every((v) => v === 0)).toBe(true);
    expect(byWeight.get('lstm/bias')?.parameter).toBe('bias_ih_l0');
    expect(byWeight.get('lstm/recurrent_kernel')?.parameter).toBe('weight_hh_l0');
  });

  it('embeddings, batch and layer normalization', () => {
    expect(
      same(weight(model, 'emb/embeddings'), core({ name: 'normal' }, [10, 3], 'emb/embeddings')),
    ).toBe(true);
    expect([...weight(model, 'bn/gamma')]).toEqual([1, 1, 1, 1]);
    expect([...weight(model, 'bn/beta')]).toEqual([0, 0, 0, 0]);
    expect([...weight(model, 'bn/moving_mean')]).toEqual([0, 0, 0, 0]);
    expect([...weight(model, 'bn/moving_variance')]).toEqual([1, 1, 1, 1]);
    expect(byWeight.get('bn/moving_variance')?.parameter).toBe('running_var');
    expect([...weight(model, 'ln/gamma')]).toEqual([1, 1, 1]);
    expect([...weight(model, 'ln/beta')]).toEqual([0, 0, 0]);
  });

  it('is a function of (seed, names): again gives the same values, another seed others', () => {
    const before = model.weights.map((w) => w.read().dataSync().slice());
    wi.reinitialize(model, { seed: 7 });
    model.weights.forEach((w, i) => {
      expect(same(w.read().dataSync(), before[i])).toBe(true);
    });
    wi.reinitialize(model, { seed: 8 });
    expect(same(weight(model, 'c2/kernel'), before[0])).toBe(false);
    wi.reinitialize(model, { seed: 7 });
  });

  it('takes per-layer overrides: forget bias, chrono, identity, activation, skip; torch-default', () => {
    const saved = weight(model, 'head/kernel').slice();
    const p = wi.reinitialize(model, {
      seed: 7,
      stream: 'run',
      layers: {
        lstm: { forgetBias: 2 },
        'bi/forward_enc': { chrono: { tMax: 10 } },
        gru: { recurrent: 'identity', recurrentGain: 0.5 },
        c1: { activation: 'ReLU' },
        head: { skip: true },
      },
    });
    expect([...weight(model, 'lstm/bias')]).toEqual([0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0]);
    const chrono = weight(model, 'bi/forward_enc/bias');
    const u = initialize(
      { name: 'uniform', low: 1, high: 9, seed: 7, stream: 'run/bi/forward_enc/bias#chrono' },
      [H],
    ).data;
    for (let i = 0; i < H; i++) {
      expect(chrono[H + i]).toBe(Math.fround(log(u[i]))); // forget: +log u
      expect(chrono[i]).toBe(-chrono[H + i]); // input: −forget
    }
    expect([...weight(model, 'gru/recurrent_kernel').slice(0, 3)]).toEqual([0.5, 0, 0]);
    expect(specIn(p, 'c1/kernel')).toMatchObject({ name: 'he-normal' });
    expect(same(weight(model, 'head/kernel'), saved)).toBe(true);
    expect(p.skipped.map((s) => s.layer)).toEqual(['prelu', 'head']);
    expect(p.weights.every((w) => w.stream === `run/${w.weight}`)).toBe(true);

    const t = wi.reinitialize(model, { seed: 7, scheme: 'torch-default' });
    // PyTorch's Conv2d bias: U(±1/√fan_in), fan_in = in·kh·kw = 2·3·3.
    expect(t.weights.find((w) => w.weight === 'c2/bias')?.init).toEqual({
      kind: 'strategy',
      spec: { name: 'uniform', low: -1 / Math.sqrt(18), high: 1 / Math.sqrt(18) },
    });
    wi.reinitialize(model, { seed: 7 });
  });

  it('enters TimeDistributed wrappers', () => {
    const m = tfl.sequential({
      layers: [
        tfl.layers.timeDistributed({
          inputShape: [4, 3],
          name: 'td',
          layer: tfl.layers.dense({ units: 2, activation: 'relu', name: 'step' }),
        }),
      ],
    });
    const p = wi.reinitialize(m, { seed: 1 });
    const k = p.weights.find((w) => w.parameter === 'weight');
    expect(k?.layer).toBe('td/step');
    expect(k?.init).toEqual({
      kind: 'strategy',
      spec: { name: 'he-normal', nonlinearity: 'relu', layout: 'in-out' },
    });
    const expected = initialize(
      { name: 'he-normal', nonlinearity: 'relu', layout: 'in-out', seed: 1, stream: k?.weight },
      [3, 2],
    );
    expect(k?.weight).toBe(m.weights[0].originalName);
    expect(same(m.weights[0].read().dataSync(), expected.data)).toBe(true);
    m.dispose();
  });

  it('rejects a missing seed, unknown options, layers and overrides, and a model with no weights', () => {
    expect(() => wi.reinitialize(model, {} as never)).toThrow(
      /^reinitialize: `seed` must be given/,
    );
    expect(() => wi.reinitialize(model, { seed: 0, schema: 'x' } as never)).toThrow(
      /^reinitialize: `options` must be made of the keys "seed", "scheme", "stream", "layers", got "schema"$/,
    );
    expect(() => wi.reinitialize(model, { seed: 0, scheme: 'keras' as never })).toThrow(
      /reinitialize: `scheme` must be one of "recommended", "torch-default", got "keras"/,
    );
    expect(() => wi.reinitialize(model, { seed: 0, layers: { fc9: {} } })).toThrow(
      /^reinitialize: `layers` must be keyed by layers of the model: one of "c2", .*got "fc9"$/,
    );
    expect(() =>
      wi.reinitialize(model, { seed: 0, layers: { head: { gian: 2 } as never } }),
    ).toThrow(/^reinitialize: `layers.head` must be made of the keys "activation", .*got "gian"$/);
    expect(() => wi.reinitialize(model, { seed: 0, layers: { head: { forgetBias: 2 } } })).toThrow(
      /^reinitialize: `layers.head` must be keys that a dense layer takes .*got "forgetBias"$/,
    );
    expect(() =>
      wi.reinitialize(model, { seed: 0, layers: { head: { activation: 'swoosh' } } }),
    ).toThrow(/reinitialize: `layers.head.activation` must be one of "linear"/);
    const empty = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 2] })] });
    expect(() => wi.reinitialize(empty, { seed: 0 })).toThrow(
      /^reinitialize: `model` must be a model with weights, got "a model with none/,
    );
    expect(() => wi.reinitialize({} as never, { seed: 0 })).toThrow(TypeError);
  });
});
