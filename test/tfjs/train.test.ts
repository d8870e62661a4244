/**
 * Real TF.js models built with weightinit initializers train: the loss goes down on small
 * synthetic tasks (seeded data, no shuffling, no dropout: the runs are deterministic).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as wi from '../../src/tfjs/index.js';
import { backend, randn } from './support.js';

await backend();

/** Fits and returns the loss of every epoch. */
async function train(
  model: tfl.LayersModel,
  x: tf.Tensor | tf.Tensor[],
  y: tf.Tensor,
  epochs: number,
) {
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
  const h = await model.fit(x, y, { epochs, batchSize: 32, shuffle: false, verbose: 0 });
  return h.history.loss as number[];
}

describe('training', () => {
  it('a tf.sequential MLP with He and Xavier initializers learns a smooth target', async () => {
    const x = randn([64, 8], 1);
    const v = randn([8, 1], 2);
    const y = tf.tidy(() => tf.tanh(tf.matMul(x, v)));
    const build = () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({
            units: 32,
            inputShape: [8],
            activation: 'relu',
            name: 'h1',
            kernelInitializer: wi.heNormal({ seed: 0 }),
          }),
          tfl.layers.dense({
            units: 32,
            activation: 'relu',
            name: 'h2',
            kernelInitializer: wi.heUniform({ seed: 0 }),
          }),
          tfl.layers.dense({
            units: 1,
            name: 'out',
            kernelInitializer: wi.xavierUniform({ seed: 0 }),
            biasInitializer: wi.zeros(),
          }),
        ],
      });
    const model = build();
    const losses = await train(model, x, y, 30);
    expect(losses[losses.length - 1]).toBeLessThan(0.2 * losses[0]);
    // Deterministic: the same model trains to the same losses.
    const again = build();
    expect(await train(again, x, y, 30)).toEqual(losses);
    tf.dispose([x, v, y]);
    model.dispose();
    again.dispose();
  });

  it('a functional model with an LSTM (orthogonal recurrent kernel) and two inputs learns a sequence sum', async () => {
    const seq = tfl.input({ shape: [6, 2], name: 'seq' });
    const side = tfl.input({ shape: [3], name: 'side' });
    const h = tfl.layers
      .lstm({
        units: 8,
        name: 'enc',
        kernelInitializer: wi.xavierUniform({ seed: 5 }),
        recurrentInitializer: wi.orthogonal({ seed: 5 }),
        biasInitializer: wi.zeros(),
      })
      .apply(seq) as tfl.SymbolicTensor;
    const s = tfl.layers
      .dense({
        units: 8,
        activation: 'tanh',
        name: 'side_fc',
        kernelInitializer: wi.lecunNormal({ seed: 5 }),
      })
      .apply(side) as tfl.SymbolicTensor;
    const joined = tfl.layers.concatenate().apply([h, s]) as tfl.SymbolicTensor;
    const out = tfl.layers
      .dense({ units: 1, name: 'out', kernelInitializer: wi.xavierNormal({ seed: 5 }) })
      .apply(joined) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [seq, side], outputs: out });
    // reinitialize works on it too, and the model still learns.
    wi.reinitialize(model, { seed: 9 });
    const xs = randn([64, 6, 2], 3);
    const zs = randn([64, 3], 4);
    const y = tf.tidy(() =>
      tf.add(
        tf.mul(tf.reshape(tf.sum(xs, [1, 2]), [-1, 1]), 0.2),
        tf.mul(tf.slice(zs, [0, 0], [-1, 1]), 0.5),
      ),
    );
    const losses = await train(model, [xs, zs], y, 25);
    expect(losses[losses.length - 1]).toBeLessThan(0.3 * losses[0]);
    tf.dispose([xs, zs, y]);
    model.dispose();
  });
});
