import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/registry.js';
import { decodeSafetensorsHeader } from '../../src/io/safetensors.js';
import { checkpointChunks } from '../../src/model/materialize.js';
import { type ModelSettings, planFromRecipes } from '../../src/model/plan.js';
import { VERSION } from '../../src/version.js';
import { dense, layerNorm, smallModel } from './fixtures.js';

const settings: ModelSettings = { seed: 7, dtype: 'float32', scheme: 'recommended' };

describe('planFromRecipes', () => {
  it('lists every parameter with its full name, shape, bytes and contiguous offsets', () => {
    const p = planFromRecipes(smallModel(), settings);
    expect(p.parameters.map((q) => [q.name, q.shape])).toEqual([
      ['fc1.weight', [16, 12]],
      ['fc1.bias', [16]],
      ['rnn.weight_ih_l0', [32, 16]],
      ['rnn.weight_hh_l0', [32, 8]],
      ['rnn.bias_ih_l0', [32]],
      ['rnn.bias_hh_l0', [32]],
      ['norm.weight', [8]],
      ['norm.bias', [8]],
      ['head.weight', [5, 8]],
      ['head.bias', [5]],
    ]);
    let offset = 0;
    for (const q of p.parameters) {
      expect(q.offset).toBe(offset);
      expect(q.bytes).toBe(q.elements * 4);
      offset += q.bytes;
    }
    expect(p.totalBytes).toBe(offset);
    expect(p.totalParameters).toBe(offset / 4);
    const header = checkpointChunks(p).next().value as Uint8Array;
    expect(p.fileBytes).toBe(header.length + p.totalBytes);
  });

  it('fills in seed, stream (the full name) and the generation dtype; blocks and chrono get child streams', () => {
    const p = planFromRecipes(smallModel(), { ...settings, dtype: 'bfloat16' });
    const byName = Object.fromEntries(p.parameters.map((q) => [q.name, q]));
    expect(byName['fc1.weight'].init).toEqual({
      kind: 'strategy',
      spec: {
        name: 'he-normal',
        nonlinearity: 'relu',
        seed: 7,
        stream: 'fc1.weight',
        dtype: 'float32',
      },
    });
    // Non-random strategies take no seed or stream.
    expect(byName['fc1.bias'].init).toEqual({
      kind: 'strategy',
      spec: { name: 'zeros', dtype: 'float32' },
    });
    const hh = byName['rnn.weight_hh_l0'].init;
    expect(hh.kind === 'blocks' && hh.blocks.map((b) => b.init)).toEqual(
      [0, 1, 2, 3].map((k) => ({
        kind: 'strategy',
        spec: { name: 'orthogonal', seed: 7, stream: `rnn.weight_hh_l0#${k}`, dtype: 'float32' },
      })),
    );
    const bias = byName['rnn.bias_ih_l0'].init;
    expect(bias.kind === 'blocks' && bias.blocks[1].init).toEqual({
      kind: 'chrono',
      tMax: 10,
      sign: 1,
      seed: 7,
      stream: 'rnn.bias_ih_l0#chrono',
      dtype: 'float32',
    });
    expect(p.generation).toBe('float32');
    expect(planFromRecipes(smallModel(), { ...settings, dtype: 'float64' }).generation).toBe(
      'float64',
    );
  });

  it('summarizes each strategy and keeps the recipe reason', () => {
    const p = planFromRecipes(smallModel(), settings);
    const s = Object.fromEntries(p.parameters.map((q) => [q.name, q.strategy]));
    expect(s['fc1.weight']).toBe('he-normal nonlinearity=relu, std 0.4082');
    expect(s['fc1.bias']).toBe('zeros');
    expect(s['rnn.weight_hh_l0']).toBe('i,f,g,o: orthogonal, std 0.3536');
    expect(s['rnn.bias_ih_l0']).toBe(
      'i: chrono -log U(1, 9) | f: chrono log U(1, 9) | g: zeros | o: zeros',
    );
    expect(s['head.bias']).toBe('uniform low=-0.1 high=0.1, std 0.05774');
    expect(p.parameters[0].reason).toBe('test reason for weight');
  });

  it('records format, version, seed, scheme, dtype and the spec hash in the metadata', () => {
    const p = planFromRecipes(smallModel(), { ...settings, seed: 2n ** 60n, dtype: 'float16' });
    expect(p.metadata).toEqual({
      format: 'pt',
      'weightinit.format': 'weightinit.model/1',
      'weightinit.version': VERSION,
      'weightinit.seed': '1152921504606846976',
      'weightinit.scheme': 'recommended',
      'weightinit.dtype': 'float16',
      'weightinit.rng': 'philox',
      'weightinit.spec_sha256': p.specSha256,
    });
    expect(p.specSha256).toMatch(/^[0-9a-f]{64}$/);
    const header = checkpointChunks(p).next().value as Uint8Array;
    expect(decodeSafetensorsHeader(header, { fileSize: p.fileBytes }).metadata).toEqual(p.metadata);
  });

  it('is deterministic; the hash follows the inputs', () => {
    const a = planFromRecipes(smallModel(), settings);
    expect(JSON.stringify(planFromRecipes(smallModel(), settings))).toBe(JSON.stringify(a));
    expect(planFromRecipes(smallModel(), { ...settings, seed: 8 }).specSha256).not.toBe(
      a.specSha256,
    );
  });

  it('collects the strategies’ warnings by parameter name', () => {
    const p = planFromRecipes([dense('fc', 4, 4)], {
      ...settings,
      overrides: { 'fc.weight': { init: 'zeros' } },
    });
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/^fc\.weight: every element of this 2-D weight is 0/);
  });
});

describe('overrides', () => {
  const layers = () => [dense('fc1', 4, 3), dense('fc2', 3, 2), layerNorm('norm', 2)];

  it('replace the recipe by name or glob; an exact name wins, then the last glob', () => {
    const p = planFromRecipes(layers(), {
      ...settings,
      overrides: {
        'fc1.weight': { init: 'orthogonal', gain: 2 },
        '*.weight': { init: 'normal', std: 0.1 },
        'fc*.weight': { init: 'lecun_normal' },
        '**.bias': { init: 'constant', value: 0.5 },
      },
    });
    const byName = Object.fromEntries(p.parameters.map((q) => [q.name, q]));
    expect(byName['fc1.weight'].init).toEqual({
      kind: 'strategy',
      spec: { name: 'orthogonal', gain: 2, seed: 7, stream: 'fc1.weight', dtype: 'float32' },
    });
    expect(byName['fc1.weight'].override).toBe('fc1.weight');
    expect(byName['fc1.weight'].reason).toBe(
      'override "fc1.weight" (instead of: test reason for weight)',
    );
    expect(byName['fc2.weight'].override).toBe('fc*.weight');
    expect(byName['norm.weight'].override).toBe('*.weight');
    expect(byName['norm.bias'].strategy).toBe('constant value=0.5');
    expect(p.parameters.every((q) => q.override !== undefined)).toBe(true);
  });

  it('an override that matches nothing, or sets what the model sets, is an error', () => {
    expect(() =>
      planFromRecipes(layers(), { ...settings, overrides: { 'fc3.weight': { init: 'zeros' } } }),
    ).toThrow(
      new RangeError(
        'plan: `overrides["fc3.weight"]` must be a parameter name or glob matching at least one parameter ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "norm.weight", "norm.bias"), got "fc3.weight"',
      ),
    );
    expect(() =>
      planFromRecipes(layers(), {
        ...settings,
        overrides: { '*.bias': { init: 'normal', seed: 3 } },
      }),
    ).toThrow(
      'plan: `overrides["*.bias"].seed` must be left out (the model sets seed, stream and dtype), got 3',
    );
  });

  it('bad strategy options name the override and the parameter', () => {
    expect(() =>
      planFromRecipes(layers(), {
        ...settings,
        overrides: { 'fc2.weight': { init: 'he-normal', gian: 2 } },
      }),
    ).toThrow(
      /^plan: overrides\["fc2\.weight"\] \(for fc2\.weight\): heNormal: `options` must be made of the keys/,
    );
    expect(() =>
      planFromRecipes(layers(), { ...settings, overrides: { 'fc2.weight': { init: 'glorot' } } }),
    ).toThrow(
      /^plan: `overrides\["fc2\.weight"\]\.init` must be a strategy: one of "zeros", .*, got "glorot"$/,
    );
  });
});

describe('bad settings', () => {
  it.each([
    [
      'seed',
      { ...settings, seed: -1 },
      'RangeError: plan: `seed` must be a safe integer >= 0, got -1',
    ],
    [
      'dtype',
      { ...settings, dtype: 'int8' },
      'RangeError: plan: `dtype` must be one of "float32", "float64", "float16", "bfloat16", got "int8"',
    ],
    [
      'scheme',
      { ...settings, scheme: 'keras' },
      'RangeError: plan: `scheme` must be one of "recommended", "torch-default", got "keras"',
    ],
    [
      'rng',
      { ...settings, rng: 'mt19937' },
      'RangeError: plan: `rng` must be one of "philox", "torch", got "mt19937"',
    ],
    [
      'overrides',
      { ...settings, overrides: [] },
      'TypeError: plan: `overrides` must be an object: parameter name or glob → { init, ...options }, got []',
    ],
    [
      'settings',
      null,
      'TypeError: plan: `settings` must be an object { seed, dtype, scheme, rng?, overrides? }, got null',
    ],
  ])('%s', (_label, bad, message) => {
    expect(() => planFromRecipes([], bad as never)).toThrow(message.replace(/^\w+: /, ''));
  });
});

describe('bad recipes', () => {
  it('duplicate names, blocks that do not add up, bad chrono and unknown kinds are errors', () => {
    expect(() => planFromRecipes([dense('fc', 2, 2), dense('fc', 2, 2)], settings)).toThrow(
      'plan: `layers` must be layers whose parameter names differ, got "fc.weight"',
    );
    const bad = (init: unknown) => [
      {
        name: 'x',
        parameters: [
          { name: 'w', shape: [4, 2], role: 'weight' as const, reason: '', init: init as never },
        ],
      },
    ];
    expect(() =>
      planFromRecipes(
        bad({
          kind: 'blocks',
          blocks: [{ rows: 3, label: 'a', init: { kind: 'strategy', spec: { name: 'zeros' } } }],
        }),
        settings,
      ),
    ).toThrow(
      'plan: `init.blocks of x.w` must be blocks whose rows add up to shape[0] = 4, got [3]',
    );
    expect(() =>
      planFromRecipes(bad({ kind: 'chrono', tMax: 2, sign: 1, stream: 'c' }), settings),
    ).toThrow(
      'plan: `init.tMax of x.w` must be a finite number > 2 (U(1, tMax − 1) must not be empty), got 2',
    );
    expect(() => planFromRecipes(bad({ kind: 'magic' }), settings)).toThrow(
      'plan: `init.kind of x.w` must be one of "strategy", "blocks", "chrono", got "magic"',
    );
    expect(() =>
      planFromRecipes(bad({ kind: 'strategy', spec: { name: 'identity', gain: 'x' } }), settings),
    ).toThrow(/^plan: x\.w: identity: `gain` must be a number/);
  });

  it('the reference example: initialize(spec, shape) makes the planned tensor', () => {
    const p = planFromRecipes(smallModel(), settings);
    const q = p.parameters[0];
    expect(q.init.kind).toBe('strategy');
    if (q.init.kind === 'strategy')
      expect(initialize(q.init.spec, q.shape).shape).toEqual([16, 12]);
  });
});
