/** The layer-by-layer run that diagnose and lsuv use gives what `model.predict` gives. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { flatLayers, run } from '../../src/tfjs/graph.js';
import * as wi from '../../src/tfjs/index.js';
import { backend, randn } from './support.js';

await backend();

function close(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('run', () => {
  it('follows masks (Embedding with maskZero → LSTM) as model.predict does', () => {
    const tok = tfl.input({ shape: [5] });
    const e = tfl.layers
      .embedding({
        inputDim: 6,
        outputDim: 3,
        maskZero: true,
        name: 'emb',
        embeddingsInitializer: wi.normal({ seed: 1 }),
      })
      .apply(tok);
    const h = tfl.layers
      .lstm({ units: 4, name: 'enc', recurrentInitializer: wi.orthogonal({ seed: 1 }) })
      .apply(e);
    const y = tfl.layers.dense({ units: 2, name: 'out' }).apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: tok, outputs: y });
    // Trailing zeros are padding: with the mask the LSTM stops before them.
    const ids = tf.tensor2d([
      [1, 2, 3, 0, 0],
      [4, 5, 0, 0, 0],
    ]);
    tf.tidy(() => {
      const expected = model.predict(ids) as tf.Tensor;
      const r = run(model, [ids]);
      expect(close(r.outputs[0], expected)).toBeLessThan(1e-6);
      expect(r.layers.map((l) => l.path)).toEqual(['emb', 'enc', 'out']);
    });
    model.dispose();
    ids.dispose();
  });

  it('enters nested models, runs shared layers at each use, and can stop after a layer', () => {
    const shared = tfl.layers.dense({
      units: 3,
      name: 'shared',
      activation: 'tanh',
      kernelInitializer: wi.xavierUniform({ seed: 2 }),
    });
    const inner = tfl.sequential({
      name: 'inner',
      layers: [
        tfl.layers.dense({
          units: 3,
          inputShape: [3],
          name: 'in1',
          kernelInitializer: wi.heNormal({ seed: 2 }),
        }),
      ],
    });
    const x = tfl.input({ shape: [3] });
    const a = shared.apply(x) as tfl.SymbolicTensor;
    const b = shared.apply(inner.apply(a) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: b });
    const xs = randn([4, 3], 3);
    tf.tidy(() => {
      const r = run(model, [xs]);
      expect(close(r.outputs[0], model.predict(xs) as tf.Tensor)).toBeLessThan(1e-6);
      expect(r.layers.map((l) => l.path)).toEqual(['shared', 'inner/in1', 'inner', 'shared']);
      const stopped = run(model, [xs], { stopAfter: inner.layers[0] });
      expect(stopped.layers.map((l) => l.path)).toEqual(['shared', 'inner/in1']);
      expect(stopped.outputs).toEqual([]);
    });
    expect(flatLayers(model).map((l) => l.path)).toEqual(['shared', 'inner/in1']);
    model.dispose();
    xs.dispose();
  });
});
