/**
 * The built `weightinit/tfjs` entry point in plain Node (as `npm test` builds it first): the
 * subpath export, the wasm backend from node_modules, initializers inside layers, save/load.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

const script = `
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { heNormal, reinitialize, setupBackend } from 'weightinit/tfjs';
import { initialize } from 'weightinit';
const backend = await setupBackend();
const he = heNormal({ seed: 1 });
const make = () => tfl.sequential({ layers: [
  tfl.layers.dense({ units: 4, inputShape: [3], name: 'a', kernelInitializer: he }),
  tfl.layers.dense({ units: 4, name: 'b', kernelInitializer: he }),
] });
const m = make();
const a = m.weights[0].read().dataSync();
const core = initialize({ name: 'he-normal', seed: 1, stream: 'a/kernel', layout: 'in-out' }, [3, 4]).data;
let saved;
await m.save(tf.io.withSaveHandler(async (x) => { saved = x; return { modelArtifactsInfo: {} }; }));
const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved));
const plan = reinitialize(loaded, { seed: 2 });
console.log(JSON.stringify({
  backend,
  core: a.every((v, i) => v === core[i]),
  distinct: m.weights[2].read().dataSync().some((v, i) => v !== a[i]),
  loaded: loaded.layers[0].kernelInitializer.getClassName(),
  planned: plan.weights.map((w) => w.weight),
}));
`;

describe('weightinit/tfjs (built)', () => {
  it('loads in Node, on wasm, with the initializers inside layers and after a save/load', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      backend: 'wasm',
      core: true,
      distinct: true,
      loaded: 'weightinit>he-normal',
      planned: ['a/kernel', 'a/bias', 'b/kernel', 'b/bias'],
    });
  });
});
