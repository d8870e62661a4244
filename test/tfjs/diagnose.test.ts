/** `diagnose` on real TF.js models: vanishing signals under a small normal, steady ones under He. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/tfjs/diagnose.js';
import * as wi from '../../src/tfjs/index.js';
import { backend, randn } from './support.js';

beforeAll(backend);

/** A 20-layer ReLU MLP of width 32 (and a linear head of 4), every kernel from `kernel()`. */
function mlp(kernel: () => wi.WeightInitializer, depth = 20): tfl.Sequential {
  const model = tfl.sequential();
  for (let i = 0; i < depth; i++)
    model.add(
      tfl.layers.dense({
        units: 32,
        activation: 'relu',
        name: `fc${i}`,
        kernelInitializer: kernel(),
        ...(i === 0 ? { inputShape: [32] } : {}),
      }),
    );
  model.add(tfl.layers.dense({ units: 4, name: 'head', kernelInitializer: kernel() }));
  return model;
}

describe('diagnose', () => {
  const x = () => randn([64, 32], 1);

  it('reports vanishing activations and gradients of a 20-layer ReLU MLP under N(0, 0.01²)', async () => {
    const model = mlp(() => wi.normal({ std: 0.01, seed: 3 }));
    const xs = x();
    const d = await diagnose(model, xs);
    expect(d.layers.map((l) => l.layer)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `fc${i}`),
      'head',
    ]);
    expect(d.inputStd).toBeGreaterThan(0.9);
    // Each layer multiplies the std by about √(32 · 0.01² / 2) = 0.04.
    const stds = d.layers.map((l) => l.activation.std);
    for (let i = 1; i < 10; i++) expect(stds[i] / stds[i - 1]).toBeLessThan(0.1);
    expect(stds[19]).toBeLessThan(1e-20);
    const vanishing = d.warnings
      .filter((w) => w.kind === 'vanishing' && w.message.startsWith('activation'))
      .map((w) => w.layer);
    for (let i = 2; i < 20; i++) expect(vanishing).toContain(`fc${i}`);
    expect(vanishing).not.toContain('fc0');
    // The gradient vanishes going back from the head.
    expect(d.layers[20].outputGradStd).toBeCloseTo(1, 0);
    expect(d.layers[0].outputGradStd).toBeLessThan(1e-10);
    expect(
      d.layers[0].warnings.some((w) => w.kind === 'vanishing' && w.message.includes('gradient')),
    ).toBe(true);
    expect(d.layers[0].deadFraction).not.toBeNull();
    expect(d.layers[20].deadFraction).toBeNull();
    model.dispose();
    xs.dispose();
  });

  it('reports steady activations and gradients of the same MLP under He normal', async () => {
    const model = mlp(() => wi.heNormal({ seed: 3 }));
    const xs = x();
    const before = tf.memory().numTensors;
    const d = await diagnose(model, xs);
    expect(tf.memory().numTensors).toBe(before);
    expect(d.warnings).toEqual([]);
    for (const l of d.layers.slice(0, 20)) {
      // Within a small factor of the input's std (it drifts slowly: deep narrow ReLU nets lose
      // units to the whole batch, Lu et al. 2019), where N(0, 0.01²) lost 20 orders of magnitude.
      expect(l.activation.std).toBeGreaterThan(0.1);
      expect(l.activation.std).toBeLessThan(10);
      expect(l.outputGradStd).toBeGreaterThan(0.1);
      expect(l.outputGradStd).toBeLessThan(10);
      expect(l.deadFraction).toBeLessThan(0.5);
      expect(l.weightGradStd).toBeGreaterThan(0);
      expect(l.weights.map((w) => w.name)).toEqual([`${l.layer}/kernel`, `${l.layer}/bias`]);
      expect(l.weights[0].std).toBeCloseTo(Math.sqrt(2 / 32), 1);
    }
    model.dispose();
    xs.dispose();
  });

  it('reports symmetric kernels and dead ReLU layers', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 8,
          inputShape: [4],
          name: 'same',
          kernelInitializer: wi.constant({ value: 0.3 }),
        }),
        tfl.layers.dense({
          units: 8,
          activation: 'relu',
          name: 'off',
          kernelInitializer: wi.heNormal({ seed: 0 }),
          biasInitializer: wi.constant({ value: -100 }),
        }),
        tfl.layers.dense({ units: 2, name: 'out', kernelInitializer: wi.heNormal({ seed: 0 }) }),
      ],
    });
    const xs = randn([16, 4], 2);
    const d = await diagnose(model, xs);
    const kinds = (layer: string) => d.warnings.filter((w) => w.layer === layer).map((w) => w.kind);
    expect(kinds('same')).toContain('symmetric');
    expect(kinds('off')).toContain('dead');
    expect(d.layers[1].deadFraction).toBe(1);
    model.dispose();
    xs.dispose();
  });

  it('runs functional models with nested models, several inputs and outputs', async () => {
    const inner = tfl.sequential({
      name: 'block',
      layers: [
        tfl.layers.dense({
          units: 6,
          inputShape: [6],
          activation: 'tanh',
          name: 'inner',
          kernelInitializer: wi.xavierUniform({ seed: 1 }),
        }),
      ],
    });
    const a = tfl.input({ shape: [3], name: 'a' });
    const b = tfl.input({ shape: [3], name: 'b' });
    const joined = tfl.layers.concatenate({ name: 'cat' }).apply([a, b]) as tfl.SymbolicTensor;
    const h = inner.apply(joined) as tfl.SymbolicTensor;
    const o1 = tfl.layers
      .dense({ units: 2, name: 'o1', kernelInitializer: wi.lecunNormal({ seed: 1 }) })
      .apply(h);
    const o2 = tfl.layers
      .dense({ units: 1, name: 'o2', kernelInitializer: wi.lecunNormal({ seed: 1 }) })
      .apply(h);
    const model = tfl.model({ inputs: [a, b], outputs: [o1, o2] as tfl.SymbolicTensor[] });
    const xs = [randn([8, 3], 1), randn([8, 3], 2)];
    const d = await diagnose(model, xs);
    expect(d.layers.map((l) => l.layer)).toEqual(['cat', 'block/inner', 'block', 'o1', 'o2']);
    expect(d.layers[1].weights[0].gradStd).toBeGreaterThan(0);
    expect(d.layers[0].weights).toEqual([]);
    model.dispose();
    tf.dispose(xs);
  });

  it('diagnoses a CNN on the CPU backend; on wasm says which gradient kernel is missing', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [6, 6, 1],
          filters: 4,
          kernelSize: 3,
          activation: 'relu',
          name: 'conv',
          kernelInitializer: wi.heNormal({ seed: 0 }),
        }),
        tfl.layers.flatten(),
        tfl.layers.dense({
          units: 2,
          name: 'out',
          kernelInitializer: wi.xavierUniform({ seed: 0 }),
        }),
      ],
    });
    const xs = randn([4, 6, 6, 1], 3);
    await expect(diagnose(model, xs)).rejects.toThrow(
      /^diagnose: the TF.js backend "wasm" has no kernel Conv2DBackpropFilter \(its convolutions have no gradients\): run `await setupBackend\(\{ backend: 'cpu' \}\)` first$/,
    );
    expect(await wi.setupBackend({ backend: 'cpu' })).toBe('cpu');
    try {
      const d = await diagnose(model, xs);
      expect(d.layers.map((l) => l.layer)).toEqual(['conv', model.layers[1].name, 'out']);
      expect(d.layers[0].weightGradStd).toBeGreaterThan(0);
      expect(d.layers[0].deadFraction).not.toBeNull();
    } finally {
      expect(await wi.setupBackend()).toBe('wasm');
    }
    model.dispose();
    xs.dispose();
  });

  it('rejects a model with no weights, inputs of the wrong shape or count, unknown options', async () => {
    const empty = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 2] })] });
    await expect(diagnose(empty, tf.zeros([1, 2, 2]))).rejects.toThrow(
      /^diagnose: `model` must be a model with weights, got "a model with none/,
    );
    const model = mlp(() => wi.heNormal({ seed: 0 }), 2);
    await expect(diagnose(model, tf.zeros([8, 31]))).rejects.toThrow(
      /^diagnose: `inputs` must be of shape \[null, 32\] \(the model's input .*\), got \[8, 31\]$/,
    );
    await expect(diagnose(model, [tf.zeros([8, 32]), tf.zeros([8, 32])])).rejects.toThrow(
      /diagnose: `inputs` must be 1 tensor \(one per model input\), got "2"/,
    );
    await expect(diagnose(model, [1, 2] as never)).rejects.toThrow(RangeError);
    await expect(diagnose(model, 'x' as never)).rejects.toThrow(
      /diagnose: `inputs` must be a tf.Tensor, got "x"/,
    );
    await expect(diagnose({} as never, tf.zeros([1]))).rejects.toThrow(
      /diagnose: `model` must be a tf.LayersModel/,
    );
    await expect(diagnose(model, tf.zeros([8, 32]), { seeds: 1 } as never)).rejects.toThrow(
      /diagnose: `options` must be made of the keys .*got "seeds"/,
    );
    await expect(diagnose(model, tf.zeros([8, 32]), { dead: 2 })).rejects.toThrow(
      /`dead` must be a fraction/,
    );
    model.dispose();
  });
});
