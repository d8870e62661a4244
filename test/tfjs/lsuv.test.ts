/** `lsuv` brings every dense and convolution layer's output variance within tolerance of 1. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { orthogonal } from '../../src/init/index.js';
import * as wi from '../../src/tfjs/index.js';
import { backend, randn, same, weight } from './support.js';

await backend();

/** A small CNN + MLP with mixed activations, initialized far from unit variance. */
function net(): tfl.LayersModel {
  const small = () => wi.normal({ std: 0.3, seed: 1 });
  const x = tfl.input({ shape: [8, 8, 2] });
  let h = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv',
      kernelInitializer: small(),
    })
    .apply(x) as tfl.SymbolicTensor;
  h = tfl.layers
    .separableConv2d({
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      name: 'sep',
      depthwiseInitializer: small(),
      pointwiseInitializer: small(),
    })
    .apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .dense({
      units: 16,
      activation: 'tanh',
      name: 'fc1',
      kernelInitializer: small(),
      biasInitializer: wi.constant({ value: 0.1 }),
    })
    .apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.batchNormalization({ name: 'bn' }).apply(h) as tfl.SymbolicTensor;
  const inner = tfl.sequential({
    name: 'inner',
    layers: [
      tfl.layers.dense({
        units: 16,
        inputShape: [16],
        activation: 'elu',
        name: 'fc2',
        kernelInitializer: small(),
      }),
    ],
  });
  h = inner.apply(h) as tfl.SymbolicTensor;
  const y = tfl.layers
    .dense({ units: 3, name: 'out', kernelInitializer: small() })
    .apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

describe('lsuv', () => {
  it('brings every layer within tolerance, in the order they run, and says what it skipped', async () => {
    const model = net();
    const xs = tf.mul(randn([32, 8, 8, 2], 4), 3); // std 3: no layer starts at unit variance
    const before = tf.memory().numTensors;
    const r = await wi.lsuv(model, xs, { tolerance: 0.05, seed: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.layers.map((l) => l.layer)).toEqual(['conv', 'sep', 'fc1', 'inner/fc2', 'out']);
    expect(r.layers.map((l) => l.weight)).toEqual([
      'conv/kernel',
      'sep/pointwise_kernel',
      'fc1/kernel',
      'fc2/kernel',
      'out/kernel',
    ]);
    expect(r.skipped).toEqual(['bn']);
    for (const l of r.layers) {
      expect(l.converged).toBe(true);
      expect(Math.abs(l.variance - 1)).toBeLessThan(0.05);
      expect(l.iterations).toBeLessThanOrEqual(2);
    }
    // The variance before the activation is quadratic in the kernel's scale: one rescaling.
    expect(r.layers[0].iterations).toBe(1);
    // An independent measure: the first convolution's pre-activation, by hand.
    const conv = model.getLayer('conv');
    const pre = tf.tidy(() => {
      const [k, b] = conv.getWeights();
      const z = tf.add(tf.conv2d(xs as tf.Tensor4D, k as tf.Tensor4D, 1, 'valid'), b);
      return tf.moments(z).variance.dataSync()[0];
    });
    expect(pre).toBeCloseTo(r.layers[0].variance, 5);
    // The linear output layer: the model's output variance.
    const y = model.predict(xs) as tf.Tensor;
    const v = tf.tidy(() => tf.moments(y).variance.dataSync()[0]);
    expect(v).toBeCloseTo(r.layers[4].variance, 5);
    y.dispose();
    model.dispose();
    xs.dispose();
  });

  it('starts from orthogonal kernels (the stream of each weight name), or from the kernels as they are', async () => {
    const model = net();
    const xs = randn([16, 8, 8, 2], 5);
    await wi.lsuv(model, xs, { seed: 3, maxIterations: 1 });
    // The depthwise kernel is not rescaled: it is exactly the orthogonal start.
    const q = orthogonal([3, 3, 4, 1], {
      seed: 3,
      stream: 'sep/depthwise_kernel',
      layout: 'in-out',
    });
    expect(same(weight(model, 'sep/depthwise_kernel'), q.data)).toBe(true);
    const keep = net();
    const dw = weight(keep, 'sep/depthwise_kernel').slice();
    const r = await wi.lsuv(keep, xs, { orthogonalStart: false, tolerance: 0.2 });
    expect(same(weight(keep, 'sep/depthwise_kernel'), dw)).toBe(true);
    expect(r.layers.map((l) => l.converged)).toEqual([true, true, true, true, true]);
    model.dispose();
    keep.dispose();
    xs.dispose();
  });

  it('reports a layer whose output has no variance as not converged', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 4,
          inputShape: [4],
          activation: 'relu',
          name: 'flat',
          kernelInitializer: wi.zeros(),
        }),
        tfl.layers.dense({
          units: 2,
          name: 'after',
          kernelInitializer: wi.normal({ seed: 0, std: 3 }),
        }),
      ],
    });
    const xs = randn([8, 4], 6);
    const r = await wi.lsuv(model, xs, { orthogonalStart: false, maxIterations: 3 });
    expect(r.layers[0]).toMatchObject({
      layer: 'flat',
      iterations: 0,
      variance: 0,
      converged: false,
    });
    expect(r.layers[1]).toMatchObject({ layer: 'after', variance: 0, converged: false });
    model.dispose();
    xs.dispose();
  });

  it('rejects bad input', async () => {
    const model = net();
    const xs = randn([4, 8, 8, 2], 1);
    await expect(wi.lsuv(model, tf.zeros([4, 8, 8]))).rejects.toThrow(
      /^lsuv: `inputs` must be of shape \[null, 8, 8, 2\] .*got \[4, 8, 8\]$/,
    );
    await expect(wi.lsuv(model, xs, { tolerance: 1 })).rejects.toThrow(
      /lsuv: `tolerance` must be a number in \(0, 1\), got 1/,
    );
    await expect(wi.lsuv(model, xs, { maxIterations: 0 })).rejects.toThrow(
      /lsuv: `maxIterations` must be an integer >= 1, got 0/,
    );
    await expect(wi.lsuv(model, xs, { tol: 0.1 } as never)).rejects.toThrow(
      /lsuv: `options` must be made of the keys/,
    );
    const norms = tfl.sequential({ layers: [tfl.layers.layerNormalization({ inputShape: [3] })] });
    await expect(wi.lsuv(norms, tf.zeros([2, 3]))).rejects.toThrow(
      /^lsuv: `model` must be a model with dense or convolution layers, got "none in/,
    );
    const empty = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 2] })] });
    await expect(wi.lsuv(empty, tf.zeros([1, 2, 2]))).rejects.toThrow(
      /lsuv: `model` must be a model with weights/,
    );
    model.dispose();
    xs.dispose();
  });
});
