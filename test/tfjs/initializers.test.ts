/**
 * weightinit's initializers inside TF.js: the same values as the core (layout in-out), one
 * stream per weight named after it, save/load round trips, bad input.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialize, STRATEGY_NAMES } from '../../src/init/index.js';
import * as wi from '../../src/tfjs/index.js';
import { backend, same, weight } from './support.js';

beforeAll(async () => {
  expect(await backend()).toBe('wasm');
});

/** A factory, options and a TF.js-layout shape for every strategy. */
const CASES: Record<
  string,
  { make: (o: object) => wi.WeightInitializer; options: object; shape: number[] }
> = {
  zeros: { make: wi.zeros, options: {}, shape: [3, 5] },
  ones: { make: wi.ones, options: {}, shape: [7] },
  constant: { make: wi.constant as never, options: { value: 0.25 }, shape: [4, 2] },
  uniform: { make: wi.uniform as never, options: { low: 0, high: 0.5, seed: 1 }, shape: [33, 7] },
  normal: { make: wi.normal as never, options: { std: 0.5, seed: 2 }, shape: [33, 7] },
  'truncated-normal': {
    make: wi.truncatedNormal as never,
    options: { std: 0.2, seed: 3 },
    shape: [33, 7],
  },
  'xavier-uniform': { make: wi.xavierUniform as never, options: { seed: 4 }, shape: [3, 8, 16] },
  'xavier-normal': { make: wi.xavierNormal as never, options: { seed: 5 }, shape: [3, 8, 16] },
  'he-uniform': {
    make: wi.heUniform as never,
    options: { seed: 6, mode: 'fan_out' },
    shape: [3, 8, 16],
  },
  'he-normal': { make: wi.heNormal as never, options: { seed: 7 }, shape: [3, 3, 8, 16] },
  'lecun-uniform': { make: wi.lecunUniform as never, options: { seed: 8 }, shape: [31, 9] },
  'lecun-normal': { make: wi.lecunNormal as never, options: { seed: 9 }, shape: [31, 9] },
  'variance-scaling': {
    make: wi.varianceScaling as never,
    options: { seed: 10, scale: 2, distribution: 'truncated_normal' },
    shape: [31, 9],
  },
  orthogonal: { make: wi.orthogonal as never, options: { seed: 11, gain: 2 }, shape: [12, 20] },
  identity: { make: wi.identity, options: { gain: 2 }, shape: [9, 7] },
  dirac: { make: wi.dirac, options: {}, shape: [3, 3, 4, 4] },
  'delta-orthogonal': {
    make: wi.deltaOrthogonal as never,
    options: { seed: 12 },
    shape: [3, 4, 6],
  },
  sparse: { make: wi.sparse as never, options: { seed: 13, sparsity: 0.5 }, shape: [10, 12] },
};

/** The core spec a TF.js initializer stands for: its options in layout in-out. */
function coreSpec(name: string, options: object, stream?: string) {
  const spec: Record<string, unknown> = { name, ...options };
  const withLayout = [
    'xavier',
    'he-',
    'lecun',
    'variance',
    'orthogonal',
    'dirac',
    'delta',
    'sparse',
  ];
  if (withLayout.some((p) => name.startsWith(p))) spec.layout = 'in-out';
  if (stream !== undefined) spec.stream = stream;
  return spec as { name: string };
}

describe('values', () => {
  it('covers every strategy', () => {
    expect(Object.keys(CASES).sort()).toEqual([...STRATEGY_NAMES].sort());
    expect(Object.keys(wi.INITIALIZER_CLASSES).sort()).toEqual([...STRATEGY_NAMES].sort());
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: apply equals the core in layout in-out`, () => {
      const init = c.make(c.options);
      expect(init).toBeInstanceOf(wi.WeightInitializer);
      expect(init.getClassName()).toBe(`weightinit>${name}`);
      const t = init.apply(c.shape);
      expect(t.shape).toEqual(c.shape);
      expect(t.dtype).toBe('float32');
      const core = initialize(coreSpec(name, c.options), c.shape);
      expect(same(t.dataSync(), core.data)).toBe(true);
      t.dispose();
    });
  }

  it('a weight built in a layer gets the stream of its name, after the stream option', () => {
    const he = wi.heNormal({ seed: 3 });
    const prefixed = wi.xavierUniform({ seed: 3, stream: 'run1' });
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 16, inputShape: [8], name: 'fc1', kernelInitializer: he }),
        tfl.layers.dense({
          units: 4,
          name: 'fc2',
          kernelInitializer: prefixed,
          biasInitializer: wi.constant({ value: 0.5 }),
        }),
      ],
    });
    const k1 = initialize(coreSpec('he-normal', { seed: 3 }, 'fc1/kernel'), [8, 16]);
    const k2 = initialize(coreSpec('xavier-uniform', { seed: 3 }, 'run1/fc2/kernel'), [16, 4]);
    expect(same(weight(model, 'fc1/kernel'), k1.data)).toBe(true);
    expect(same(weight(model, 'fc2/kernel'), k2.data)).toBe(true);
    expect([...weight(model, 'fc2/bias')]).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(wi.weightStream('run1', 'fc2/kernel')).toBe('run1/fc2/kernel');
    expect(wi.weightStream(undefined, 'fc2/kernel')).toBe('fc2/kernel');
    model.dispose();
  });

  it('two layers sharing one initializer get different weights; a rebuild gets the same', () => {
    const shared = wi.heUniform({ seed: 1 });
    const build = () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 6, inputShape: [6], name: 'a', kernelInitializer: shared }),
          tfl.layers.dense({ units: 6, name: 'b', kernelInitializer: shared }),
        ],
      });
    const m1 = build();
    const m2 = build(); // the same initializer object, again
    expect(same(weight(m1, 'a/kernel'), weight(m1, 'b/kernel'))).toBe(false);
    expect(same(weight(m1, 'a/kernel'), weight(m2, 'a/kernel'))).toBe(true);
    expect(same(weight(m1, 'b/kernel'), weight(m2, 'b/kernel'))).toBe(true);
    m1.dispose();
    m2.dispose();
  });

  it('recurrent and bidirectional layers: kernel, recurrent kernel and bias by name', () => {
    const inp = tfl.input({ shape: [5, 3] });
    const lstm = tfl.layers.lstm({
      units: 4,
      name: 'enc',
      kernelInitializer: wi.xavierUniform({ seed: 2 }),
      recurrentInitializer: wi.orthogonal({ seed: 2 }),
    });
    const out = tfl.layers
      .bidirectional({ layer: lstm, name: 'bi' })
      .apply(inp) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: inp, outputs: out });
    const names = model.weights.map((w) => w.originalName);
    expect(names).toContain('bi/forward_enc/recurrent_kernel');
    const fwd = weight(model, 'bi/forward_enc/recurrent_kernel');
    const bwd = weight(model, 'bi/backward_enc/recurrent_kernel');
    const core = initialize(
      coreSpec('orthogonal', { seed: 2 }, 'bi/forward_enc/recurrent_kernel'),
      [4, 16],
    );
    expect(same(fwd, core.data)).toBe(true);
    expect(same(fwd, bwd)).toBe(false);
    model.dispose();
  });
});

describe('save and load', () => {
  it('round-trips a model with weightinit initializers (bigint seed, stream with _ and capitals)', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 8,
          inputShape: [4],
          name: 'fc1',
          activation: 'relu',
          kernelInitializer: wi.heNormal({
            seed: 2n ** 63n,
            stream: 'My_Run',
            nonlinearity: 'leaky_relu',
            slope: 0.1,
          }),
        }),
        tfl.layers.dense({
          units: 2,
          name: 'fc2',
          kernelInitializer: wi.varianceScaling({
            seed: 1,
            mode: 'fan_avg',
            distribution: 'truncated_normal' as never,
          }),
          biasInitializer: wi.constant({ value: 0.1 }),
        }),
      ],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const json = JSON.stringify(saved?.modelTopology);
    expect(json).toContain('"class_name":"weightinit>he-normal"');
    expect(json).toContain('"class_name":"weightinit>variance-scaling"');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    for (const name of ['fc1/kernel', 'fc1/bias', 'fc2/kernel', 'fc2/bias'])
      expect(same(weight(loaded, name), weight(model, name))).toBe(true);
    const k = (loaded.layers[0] as unknown as { kernelInitializer: wi.WeightInitializer })
      .kernelInitializer;
    expect(k).toBeInstanceOf(wi.WeightInitializer);
    expect(k.options).toEqual({
      seed: 2n ** 63n,
      stream: 'My_Run',
      nonlinearity: 'leaky-relu',
      slope: 0.1,
    });
    const v = (loaded.layers[1] as unknown as { kernelInitializer: wi.WeightInitializer })
      .kernelInitializer;
    expect(v.options).toEqual({ seed: 1, mode: 'fan-avg', distribution: 'truncated-normal' });
    // The loaded configuration rebuilds the same initial weights.
    const rebuilt = tfl.sequential({
      layers: [tfl.layers.dense({ units: 8, inputShape: [4], name: 'fc1', kernelInitializer: k })],
    });
    expect(same(weight(rebuilt, 'fc1/kernel'), weight(model, 'fc1/kernel'))).toBe(true);
    for (const m of [model, loaded, rebuilt]) m.dispose();
  });
});

describe('bad input', () => {
  it('rejects unknown options, missing seeds, float64, RandomSource and bad values when made', () => {
    expect(() => wi.heNormal({ seed: 0, gian: 2 } as never)).toThrow(
      /^heNormal: `options` must be made of the keys .*got "gian"$/,
    );
    expect(() => wi.heNormal({} as never)).toThrow(/heNormal: `seed` must be given/);
    expect(() => wi.heNormal({ seed: -1 })).toThrow(
      /heNormal: `seed` must be a safe integer >= 0, got -1/,
    );
    expect(() => wi.heNormal({ seed: 0, dtype: 'float64' as never })).toThrow(
      /heNormal: `dtype` must be one of "float32" \(TF.js weights are float32\), got "float64"/,
    );
    expect(() => wi.normal({ seed: 0, rng: {} as never })).toThrow(
      /normal: `rng` must be one of "philox"/,
    );
    expect(() => wi.normal({ seed: 0, std: -1 })).toThrow(
      /normal: `std` must be a number >= 0, got -1/,
    );
    expect(() => wi.heNormal({ seed: 0, nonlinearity: 'swish' })).toThrow(
      /heNormal: `nonlinearity` must be one of/,
    );
    expect(() => wi.uniform({ seed: 0, low: 1, high: 1 })).toThrow(
      /uniform: `high` must be greater than `low`/,
    );
    expect(() => wi.constant({} as never)).toThrow(TypeError);
    expect(() => wi.zeros(null as never)).toThrow(/zeros: `options` must be an object, got null/);
  });

  it('rejects a shape the strategy cannot take, before the layer gets the weight', () => {
    const layer = tfl.layers.dense({ units: 3, kernelInitializer: wi.dirac() });
    expect(() => layer.apply(tfl.input({ shape: [3] }))).toThrow(
      /dirac: `shape` must be 3, 4 or 5 dimensions/,
    );
    expect(() => wi.identity().apply([2, 2, 2])).toThrow(/identity: `shape` must be 2 dimensions/);
    expect(() => wi.zeros().apply([2], 'int32')).toThrow(/zeros: `dtype` must be one of "float32"/);
  });
});
