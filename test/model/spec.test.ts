import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/registry.js';
import { readSafetensors } from '../../src/io/safetensors.js';
import { materialize } from '../../src/model/materialize.js';
import { planFromRecipes } from '../../src/model/plan.js';
import { canonicalJson, sha256 } from '../../src/model/sha256.js';
import { type ModelSpec, plan, resolveModelSpec } from '../../src/model/spec.js';
import { writeCheckpoint } from '../../src/model/write.js';
import { layerRecipe } from '../../src/recipes/index.js';
import { decode, encode, type StorageDType } from '../../src/tensor/dtype.js';

const example = (): ModelSpec =>
  JSON.parse(readFileSync(new URL('specs/issue-example.json', import.meta.url), 'utf8'));

describe('plan(spec)', () => {
  it('names and shapes parameters as PyTorch does, in state_dict order', () => {
    const p = plan(example());
    expect(p.parameters.map((q) => `${q.name} [${q.shape}]`)).toEqual([
      'embed.weight [1000,64]',
      ...['l0', 'l0_reverse', 'l1', 'l1_reverse'].flatMap((s) => [
        `rnn.weight_ih_${s} [512,${s.startsWith('l0') ? 64 : 256}]`,
        `rnn.weight_hh_${s} [512,128]`,
        `rnn.bias_ih_${s} [512]`,
        `rnn.bias_hh_${s} [512]`,
      ]),
      'conv.weight [16,3,3,3]',
      'conv.bias [16]',
      'fc1.weight [128,256]',
      'fc1.bias [128]',
      'norm.weight [128]',
      'norm.bias [128]',
      'head.weight [10,128]',
      'head.bias [10]',
    ]);
    const byName = Object.fromEntries(p.parameters.map((q) => [q.name, q]));
    expect(byName['fc1.weight'].strategy).toBe('he-normal nonlinearity=relu, std 0.08839');
    expect(byName['head.weight'].strategy).toBe('zeros');
    expect(byName['head.weight'].override).toBe('head.weight');
    expect(p.warnings).toEqual([expect.stringMatching(/^head\.weight: every element/)]);
    expect(p.totalParameters).toBe(
      64000 +
        2 * (512 * 64 + 512 * 128 + 1024) +
        2 * (512 * 256 + 512 * 128 + 1024) +
        432 +
        16 +
        32896 +
        256 +
        1290,
    );
  });

  it('equals planFromRecipes of the layers’ recipes, with the hash of the resolved spec', () => {
    const spec = example();
    const p = plan(spec);
    const r = resolveModelSpec(spec);
    const q = planFromRecipes(
      spec.layers.map((l) => ({
        name: l.name,
        parameters: layerRecipe(l, { scheme: 'recommended' }),
      })),
      r,
    );
    expect({ ...p, specSha256: '', metadata: {} }).toEqual({ ...q, specSha256: '', metadata: {} });
    expect(p.specSha256).toBe(sha256(canonicalJson(r)));
  });

  it('the hash ignores key order and spacing and follows every setting', () => {
    const spec = example();
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(spec).reverse())),
    );
    expect(plan(reordered).specSha256).toBe(plan(spec).specSha256);
    const base = plan(spec).specSha256;
    for (const change of [
      { seed: 1 },
      { dtype: 'float16' },
      { scheme: 'torch-default' },
      { overrides: {} },
    ]) {
      expect(plan({ ...spec, ...change }).specSha256).not.toBe(base);
    }
    // Defaults are part of the resolved spec: leaving them out changes nothing.
    const { dtype: _d, scheme: _s, ...bare } = spec;
    expect(plan(bare).specSha256).toBe(base);
  });

  it('defaults: float32, recommended, philox, no overrides', () => {
    const r = resolveModelSpec({ format: 'weightinit.model/1', seed: 3, layers: [] });
    expect(r).toEqual({
      format: 'weightinit.model/1',
      seed: 3,
      dtype: 'float32',
      scheme: 'recommended',
      rng: 'philox',
      layers: [],
      overrides: {},
    });
  });

  it('seeds of 2^53 and more as decimal strings (or bigints), up to 2^64 − 1', () => {
    const spec = { ...example(), seed: '18446744073709551615' };
    const p = plan(spec);
    expect(p.seed).toBe(2n ** 64n - 1n);
    expect(p.metadata['weightinit.seed']).toBe('18446744073709551615');
    expect(plan({ ...spec, seed: 2n ** 64n - 1n }).specSha256).toBe(p.specSha256);
    expect(resolveModelSpec({ ...spec, seed: '42' }).seed).toBe(42);
    const w = p.parameters.find((q) => q.name === 'fc1.weight')!;
    expect(w.init.kind === 'strategy' && w.init.spec.seed).toBe(2n ** 64n - 1n);
  });

  it('torch-default: PyTorch’s module defaults', () => {
    const p = plan({ ...example(), scheme: 'torch-default' });
    const fc1 = p.parameters.find((q) => q.name === 'fc1.bias')!;
    expect(fc1.strategy).toMatch(/^uniform low=-0\.0625 high=0\.0625/);
    expect(p.metadata['weightinit.scheme']).toBe('torch-default');
  });
});

describe('bad specs: the JSON path and what was expected', () => {
  const spec = example();
  const L = spec.layers;
  const cases: [string, unknown, string][] = [
    ['not an object', null, 'TypeError: plan: `spec` must be a model spec object, got null'],
    [
      'unknown top-level key',
      { ...spec, extra: 1 },
      'RangeError: plan: `spec` must be made of the keys "$schema", "format", "seed", "dtype", "scheme", "rng", "layers", "overrides" (a model spec object), got "extra"',
    ],
    [
      'format',
      { ...spec, format: 'weightinit.model/2' },
      'RangeError: plan: `format` must be "weightinit.model/1", got "weightinit.model/2"',
    ],
    [
      'no seed',
      { ...spec, seed: undefined },
      'TypeError: plan: `seed` must be given (an integer >= 0, or a decimal string for seeds from 2^53 up to 2^64 − 1), got undefined',
    ],
    [
      'negative seed',
      { ...spec, seed: -1 },
      'RangeError: plan: `seed` must be an integer >= 0, or a decimal string for seeds from 2^53 up to 2^64 − 1, got -1',
    ],
    [
      'fractional seed',
      { ...spec, seed: 0.5 },
      'RangeError: plan: `seed` must be an integer >= 0, or a decimal string for seeds from 2^53 up to 2^64 − 1, got 0.5',
    ],
    [
      'unsafe seed',
      { ...spec, seed: 2 ** 53 },
      'RangeError: plan: `seed` must be an integer >= 0, or a decimal string for seeds from 2^53 up to 2^64 − 1, got 9007199254740992',
    ],
    [
      'seed ≥ 2^64',
      { ...spec, seed: '18446744073709551616' },
      'RangeError: plan: `seed` must be an integer below 2^64, got "18446744073709551616"',
    ],
    [
      'dtype',
      { ...spec, dtype: 'int8' },
      'RangeError: plan: `dtype` must be one of "float32", "float64", "float16", "bfloat16", got "int8"',
    ],
    [
      'scheme',
      { ...spec, scheme: 'keras' },
      'RangeError: plan: `scheme` must be one of "recommended", "torch-default", got "keras"',
    ],
    [
      'rng',
      { ...spec, rng: 'mt19937' },
      'RangeError: plan: `rng` must be one of "philox", "torch", got "mt19937"',
    ],
    [
      'layers not an array',
      { ...spec, layers: {} },
      'TypeError: plan: `layers` must be an array of layers, got an object',
    ],
    [
      'layer type',
      { ...spec, layers: [{ ...L[0], type: 'Linear' }] },
      'RangeError: plan: `layers[0].type` must be one of "dense", "conv1d", "conv2d", "conv3d", "conv-transpose1d", "conv-transpose2d", "conv-transpose3d", "embedding", "layernorm", "batchnorm1d", "batchnorm2d", "batchnorm3d", "groupnorm", "rnn", "lstm", "gru", "attention", got "Linear"',
    ],
    [
      'no name',
      { ...spec, layers: [{ type: 'dense', inFeatures: 1, outFeatures: 1 }] },
      'TypeError: plan: `layers[0].name` must be given (a module name: letters, digits and _ in dot-separated parts, not starting with a digit), got undefined',
    ],
    [
      'bad name',
      { ...spec, layers: [{ ...L[0], name: 'a..b' }] },
      'RangeError: plan: `layers[0].name` must be a module name: letters, digits and _ in dot-separated parts, not starting with a digit, got "a..b"',
    ],
    [
      'duplicate name',
      { ...spec, layers: [L[3], L[4], { ...L[5], name: 'fc1' }] },
      'RangeError: plan: `layers[2].name` must be a name not used by another layer (layers[0] has it), got "fc1"',
    ],
    [
      'unknown layer key',
      { ...spec, layers: [L[0], { ...L[3], in_features: 3 }] },
      'RangeError: plan: `layers[1]` must be made of the keys "name", "type", "inFeatures", "outFeatures", "activation", "slope", "residual", "output", "bias" (the fields of a layer of type "dense"), got "in_features"',
    ],
    [
      'missing size',
      { ...spec, layers: [{ name: 'x', type: 'dense', inFeatures: 3 }] },
      'TypeError: plan: `layers[0].outFeatures` must be given (an integer >= 0), got undefined',
    ],
    [
      'kernel size a string',
      { ...spec, layers: [L[0], L[1], { ...L[2], kernelSize: '3' }] },
      'RangeError: plan: `layers[2].kernelSize` must be an integer >= 1 or an array of them, got "3"',
    ],
    [
      'kernel size 0',
      { ...spec, layers: [{ ...L[2], kernelSize: [3, 0] }] },
      'RangeError: plan: `layers[0].kernelSize` must be an integer >= 1 or an array of them, got [3, 0]',
    ],
    [
      'kernel size of the wrong rank (recipes)',
      { ...spec, layers: [{ ...L[2], kernelSize: [3, 3, 3] }] },
      'RangeError: plan: `layers[0].kernelSize` must be an integer >= 1 or an array of 2, got [3, 3, 3]',
    ],
    [
      'flag',
      { ...spec, layers: [{ ...L[3], bias: 'no' }] },
      'TypeError: plan: `layers[0].bias` must be true or false, got "no"',
    ],
    [
      'groups (recipes)',
      { ...spec, layers: [{ ...L[2], groups: 2 }] },
      'RangeError: plan: `layers[0].inChannels` must be divisible by groups (2), got 3',
    ],
    [
      'activation (recipes)',
      { ...spec, layers: [{ ...L[3], activation: 'relu6' }] },
      'RangeError: plan: `layers[0].activation` must be one of "linear", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "gelu", "silu", "selu", "softplus" (or an alias), got "relu6"',
    ],
    [
      'chrono',
      { ...spec, layers: [{ ...L[1], chrono: { tMax: 2 } }] },
      'RangeError: plan: `layers[0].chrono.tMax` must be a number > 2, got 2',
    ],
    [
      'nested unknown key',
      { ...spec, layers: [{ ...L[3], residual: { depht: 3 } }] },
      'RangeError: plan: `layers[0].residual` must be made of the keys "depth", "branchLayers", "position", "zeroInit", "fixup" (residual options), got "depht"',
    ],
    [
      'override key',
      { ...spec, overrides: { 'head weight': { init: 'zeros' } } },
      'RangeError: plan: `overrides["head weight"]` must be a parameter name or glob (letters, digits, _, . and *), got "head weight"',
    ],
    [
      'override without init',
      { ...spec, overrides: { 'head.weight': { std: 1 } } },
      'TypeError: plan: `overrides["head.weight"].init` must be given (a strategy name: he-normal, xavier-uniform, zeros …), got undefined',
    ],
    [
      'override unknown option',
      { ...spec, overrides: { 'head.weight': { init: 'normal', sdt: 1 } } },
      'RangeError: plan: `overrides["head.weight"]` must be made of the keys "init", "layout", "fanIn", "fanOut", "gain", "nonlinearity", "slope", "mode", "distribution", "scale", "mean", "std", "low", "high", "limit", "value", "sparsity", "nonZero", "groups" (an override { "init": strategy, ...options }), got "sdt"',
    ],
    [
      'override seed',
      { ...spec, overrides: { 'head.weight': { init: 'normal', seed: 1 } } },
      'RangeError: plan: `overrides["head.weight"]` must be made of the keys "init", "layout", "fanIn", "fanOut", "gain", "nonlinearity", "slope", "mode", "distribution", "scale", "mean", "std", "low", "high", "limit", "value", "sparsity", "nonZero", "groups" (an override { "init": strategy, ...options }), got "seed"',
    ],
    [
      'override option the strategy does not take',
      { ...spec, overrides: { 'head.weight': { init: 'zeros', value: 1 } } },
      'RangeError: plan: overrides["head.weight"] (for head.weight): zeros: `options` must be made of the keys "dtype", got "value"',
    ],
    [
      'override strategy',
      { ...spec, overrides: { 'head.weight': { init: 'kaiming' } } },
      'RangeError: plan: `overrides["head.weight"].init` must be a strategy: one of "zeros", "ones", "constant", "uniform", "normal", "truncated-normal", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal", "lecun-uniform", "lecun-normal", "variance-scaling", "orthogonal", "identity", "dirac", "delta-orthogonal", "sparse" (or an alias), got "kaiming"',
    ],
    [
      'override that matches nothing',
      { ...spec, layers: [L[5]], overrides: { 'head.wieght': { init: 'zeros' } } },
      'RangeError: plan: `overrides["head.wieght"]` must be a parameter name or glob matching at least one parameter ("head.weight", "head.bias"), got "head.wieght"',
    ],
    [
      'override invalid for the shape',
      { ...spec, layers: [L[5]], overrides: { 'head.bias': { init: 'orthogonal' } } },
      'RangeError: plan: overrides["head.bias"] (for head.bias): orthogonal: `shape` must be at least 2 dimensions, got [10]',
    ],
  ];
  it.each(cases)('%s', (_label, bad, message) => {
    let error: unknown;
    try {
      plan(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(`${(error as Error).name}: ${(error as Error).message}`).toBe(message);
  });
});

describe('round trip: spec → file → reader, every dtype', () => {
  it.each(['float32', 'float64', 'float16', 'bfloat16'] as StorageDType[])('%s', async (dtype) => {
    const dir = await mkdtemp(join(tmpdir(), 'weightinit-spec-'));
    try {
      const p = plan({ ...example(), dtype, seed: 11 });
      const file = join(dir, 'model.safetensors');
      expect(await writeCheckpoint(file, p, { chunkElements: 10_000 })).toBe(p.fileBytes);
      const read = readSafetensors(new Uint8Array(await readFile(file)));
      expect(read.metadata).toEqual(p.metadata);
      expect(read.metadata['weightinit.dtype']).toBe(dtype);
      expect(read.tensors.map((t) => [t.name, t.tensor.shape, t.storage])).toEqual(
        p.parameters.map((q) => [q.name, q.shape, dtype]),
      );
      const generated = materialize(p);
      read.tensors.forEach((t, i) => {
        const g = generated[i].tensor.data;
        const bytes = new Uint8Array(g.length * 8);
        encode(g, dtype, bytes, 0);
        const expected =
          dtype === 'float64' ? new Float64Array(g.length) : new Float32Array(g.length);
        decode(bytes, 0, dtype, expected);
        expect(t.tensor.data).toEqual(expected);
      });
      // A parameter from its plan entry alone: initialize(init.spec, shape).
      const fc1 = p.parameters.findIndex((q) => q.name === 'fc1.weight');
      const q = p.parameters[fc1];
      if (q.init.kind !== 'strategy') throw new Error('fc1.weight is one strategy');
      expect(generated[fc1].tensor.data).toEqual(initialize(q.init.spec, q.shape).data);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
