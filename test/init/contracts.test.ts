/**
 * The library's contracts for every strategy: same seed same bits, streams independent,
 * chunked fills equal one-shot fills, zero-size shapes, names and aliases, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as init from '../../src/init/index.js';
import { fill, initialize, resolveName, STRATEGY_NAMES } from '../../src/init/index.js';

/** One valid spec and shape per strategy, covering every canonical name. */
const EXAMPLES: Record<string, { spec: Record<string, unknown>; shape: number[] }> = {
  zeros: { spec: {}, shape: [3, 5] },
  ones: { spec: {}, shape: [7] },
  constant: { spec: { value: 0.1 }, shape: [4, 2] },
  uniform: { spec: { low: -1, high: 2 }, shape: [33, 7] },
  normal: { spec: { mean: 1, std: 0.5 }, shape: [33, 7] },
  'truncated-normal': { spec: { std: 0.2 }, shape: [33, 7] },
  'xavier-uniform': { spec: {}, shape: [16, 8, 3] },
  'xavier-normal': { spec: {}, shape: [16, 8, 3] },
  'he-uniform': { spec: { mode: 'fan-out' }, shape: [16, 8, 3] },
  'he-normal': { spec: {}, shape: [16, 8, 3] },
  'lecun-uniform': { spec: {}, shape: [31, 9] },
  'lecun-normal': { spec: {}, shape: [31, 9] },
  'variance-scaling': { spec: { scale: 2 }, shape: [31, 9] },
  orthogonal: { spec: {}, shape: [12, 20] },
  identity: { spec: { gain: 2 }, shape: [9, 9] },
  dirac: { spec: {}, shape: [4, 4, 3, 3] },
  'delta-orthogonal': { spec: {}, shape: [6, 4, 3] },
  sparse: { spec: { sparsity: 0.5 }, shape: [10, 12] },
};

const DETERMINISTIC = ['zeros', 'ones', 'constant', 'identity', 'dirac'];
const RANDOM = STRATEGY_NAMES.filter((n) => !DETERMINISTIC.includes(n));

function make(
  name: string,
  extra: Record<string, unknown> = {},
  dtype: 'float32' | 'float64' = 'float32',
) {
  const { spec, shape } = EXAMPLES[name];
  const seedful = RANDOM.includes(name as never) ? { seed: 5, ...extra } : {};
  return { spec: { name, ...spec, ...seedful, dtype }, shape };
}

describe('every canonical name has an example and a function', () => {
  it('covers DESIGN.md list', () => {
    expect([...STRATEGY_NAMES].sort()).toEqual(Object.keys(EXAMPLES).sort());
    const camel = (n: string) => n.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    for (const n of STRATEGY_NAMES)
      expect(typeof (init as Record<string, unknown>)[camel(n)]).toBe('function');
  });
});

describe('reproducibility', () => {
  it.each(RANDOM)(
    '%s: same seed and stream give the same bits; another stream or seed differs',
    (name) => {
      const a = make(name);
      const first = initialize(a.spec, a.shape).data;
      expect(initialize(a.spec, a.shape).data).toEqual(first);
      expect(initialize(make(name, { stream: 'other' }).spec, a.shape).data).not.toEqual(first);
      expect(initialize(make(name, { seed: 6 }).spec, a.shape).data).not.toEqual(first);
    },
  );

  it.each(STRATEGY_NAMES)(
    '%s: any chunking of a fill gives the bits of the one-shot fill (float32 and float64)',
    (name) => {
      for (const dtype of ['float32', 'float64'] as const) {
        const { spec, shape } = make(name, {}, dtype);
        const whole = initialize(spec, shape).data;
        fc.assert(
          fc.property(
            fc.uniqueArray(fc.integer({ min: 1, max: whole.length - 1 }), { maxLength: 6 }),
            (cuts) => {
              const bounds = [0, ...cuts.sort((x, y) => x - y), whole.length];
              const out =
                dtype === 'float32'
                  ? new Float32Array(whole.length)
                  : new Float64Array(whole.length);
              // fill the chunks in reverse order: order must not matter either
              for (let k = bounds.length - 2; k >= 0; k--) {
                fill(out.subarray(bounds[k], bounds[k + 1]), spec, shape, bounds[k]);
              }
              expect(out).toEqual(whole);
            },
          ),
          { seed: 42, numRuns: 25 },
        );
      }
    },
  );

  it('stream names isolate layers: adding a layer does not change another', () => {
    const w1 = init.heNormal([8, 8], { seed: 1, stream: 'fc1.weight' }).data;
    init.heNormal([8, 8], { seed: 1, stream: 'fc0.weight' });
    expect(init.heNormal([8, 8], { seed: 1, stream: 'fc1.weight' }).data).toEqual(w1);
  });
});

describe('zero-size shapes give empty tensors', () => {
  it.each(STRATEGY_NAMES)('%s', (name) => {
    const { spec, shape } = make(name);
    for (let d = 0; d < shape.length; d++) {
      const zeroShape = shape.map((s, k) => (k === d ? 0 : s));
      const t = initialize(spec, zeroShape);
      expect(t.data.length).toBe(0);
      expect(t.shape).toEqual(zeroShape);
      expect(t.warnings).toEqual([]);
    }
  });
});

describe('names and aliases', () => {
  it.each([
    ['glorot_uniform', 'xavier-uniform'],
    ['glorotUniform', 'xavier-uniform'],
    ['xavier_normal_', 'xavier-normal'],
    ['kaiming_normal', 'he-normal'],
    ['kaimingUniform', 'he-uniform'],
    ['he_normal', 'he-normal'],
    ['trunc_normal_', 'truncated-normal'],
    ['truncatedNormal', 'truncated-normal'],
    ['randomUniform', 'uniform'],
    ['eye_', 'identity'],
    ['VarianceScaling', 'variance-scaling'],
    ['Orthogonal', 'orthogonal'],
  ])('%s → %s', (alias, canonical) => {
    expect(resolveName(alias)).toBe(canonical);
  });

  it('an alias gives the same values as the canonical name', () => {
    const a = initialize({ name: 'kaiming_normal', seed: 3 }, [4, 4]).data;
    expect(initialize({ name: 'he-normal', seed: 3 }, [4, 4]).data).toEqual(a);
  });
});

describe('bad input: clear errors naming the function, the argument, what was expected and what came', () => {
  const table: [string, () => unknown, ErrorConstructor, string][] = [
    [
      'unknown name',
      () => resolveName('xavier'),
      RangeError,
      'resolveName: `name` must be a strategy: one of "zeros"',
    ],
    ['name not a string', () => resolveName(3 as never), TypeError, 'got 3'],
    ['missing seed', () => init.heNormal([2, 2], {}), TypeError, 'heNormal: `seed` must be given'],
    [
      'negative seed',
      () => init.heNormal([2, 2], { seed: -1 }),
      RangeError,
      'heNormal: `seed` must be a safe integer >= 0, got -1',
    ],
    ['fractional seed', () => init.uniform([2], { seed: 1.5 }), RangeError, 'got 1.5'],
    [
      'seed too big',
      () => init.uniform([2], { seed: 1n << 64n }),
      RangeError,
      'a bigint in [0, 2^64)',
    ],
    [
      'string seed',
      () => init.normal([2], { seed: '1' as never }),
      TypeError,
      'normal: `seed` must be a safe integer >= 0 or a bigint, got "1"',
    ],
    [
      '1-D xavier',
      () => init.xavierUniform([5], { seed: 0 }),
      RangeError,
      'xavierUniform: `shape` must be at least 2 dimensions to compute fans (or give `fanIn` and `fanOut`), got [5]',
    ],
    [
      'negative dim',
      () => init.zeros([2, -1]),
      RangeError,
      'zeros: `shape` must be an array of non-negative integers, got [2, -1]',
    ],
    [
      'shape not array',
      () => init.ones('3' as never),
      TypeError,
      'ones: `shape` must be an array of integers',
    ],
    ['too big', () => init.zeros([65536, 65536]), RangeError, 'at most 2147483647 elements'],
    [
      'unknown option',
      () => init.heNormal([2, 2], { seed: 0, gian: 2 } as never),
      RangeError,
      'heNormal: `options` must be made of the keys "dtype", "seed", "stream", "rng"',
    ],
    [
      'bad dtype',
      () => init.zeros([2], { dtype: 'float16' as never }),
      RangeError,
      'zeros: `dtype` must be one of "float32", "float64", got "float16"',
    ],
    [
      'gain and nonlinearity',
      () => init.xavierUniform([2, 2], { seed: 0, gain: 1, nonlinearity: 'tanh' }),
      RangeError,
      '`nonlinearity` must be left out when `gain` is given',
    ],
    [
      'unknown nonlinearity',
      () => init.heNormal([2, 2], { seed: 0, nonlinearity: 'swish' }),
      RangeError,
      'heNormal: `nonlinearity` must be one of',
    ],
    [
      'slope without leaky',
      () => init.heNormal([2, 2], { seed: 0, nonlinearity: 'relu', slope: 0.1 }),
      RangeError,
      '`slope` must be given only with nonlinearity "leaky-relu"',
    ],
    [
      'bad mode',
      () => init.heNormal([2, 2], { seed: 0, mode: 'fan' as never }),
      RangeError,
      '`mode` must be one of "fan-in", "fan-out", "fan-avg"',
    ],
    [
      'bad layout',
      () => init.heNormal([2, 2], { seed: 0, layout: 'nhwc' as never }),
      RangeError,
      '`layout` must be one of "out-in", "in-out"',
    ],
    [
      'bad distribution',
      () => init.varianceScaling([2, 2], { seed: 0, distribution: 'cauchy' as never }),
      RangeError,
      'varianceScaling: `distribution` must be one of',
    ],
    [
      'scale <= 0',
      () => init.varianceScaling([2, 2], { seed: 0, scale: 0 }),
      RangeError,
      '`scale` must be a number > 0',
    ],
    [
      'fan 0 non-empty',
      () => init.heNormal([2, 2], { seed: 0, fanIn: 0 }),
      RangeError,
      'heNormal: `fanIn` must be greater than 0',
    ],
    [
      'uniform high <= low',
      () => init.uniform([2], { seed: 0, low: 1, high: 1 }),
      RangeError,
      'uniform: `high` must be greater than `low` (1), got 1',
    ],
    [
      'normal std < 0',
      () => init.normal([2], { seed: 0, std: -1 }),
      RangeError,
      'normal: `std` must be a number >= 0, got -1',
    ],
    [
      'normal NaN mean',
      () => init.normal([2], { seed: 0, mean: Number.NaN }),
      RangeError,
      '`mean` must be a finite number',
    ],
    [
      'trunc limit 0',
      () => init.truncatedNormal([2], { seed: 0, limit: 0 }),
      RangeError,
      '`limit` must be a number > 0',
    ],
    [
      'trunc low only',
      () => init.truncatedNormal([2], { seed: 0, low: 0 }),
      RangeError,
      '`high` must be given together with `low`',
    ],
    [
      'trunc limit and low',
      () => init.truncatedNormal([2], { seed: 0, limit: 2, low: 0, high: 1 }),
      RangeError,
      '`limit` must be left out',
    ],
    [
      'constant missing value',
      () => init.constant([2], {} as never),
      TypeError,
      'constant: `value` must be a number, got undefined',
    ],
    [
      'orthogonal 1-D',
      () => init.orthogonal([4], { seed: 0 }),
      RangeError,
      'orthogonal: `shape` must be at least 2 dimensions',
    ],
    [
      'orthogonal gain < 0',
      () => init.orthogonal([4, 4], { seed: 0, gain: -1 }),
      RangeError,
      '`gain` must be a number >= 0',
    ],
    [
      'identity 3-D',
      () => init.identity([2, 2, 2]),
      RangeError,
      'identity: `shape` must be 2 dimensions',
    ],
    [
      'dirac 2-D',
      () => init.dirac([2, 2]),
      RangeError,
      'dirac: `shape` must be 3, 4 or 5 dimensions',
    ],
    [
      'dirac groups',
      () => init.dirac([3, 1, 3], { groups: 2 }),
      RangeError,
      'dirac: `groups` must be a divisor of the out channels (3), got 2',
    ],
    [
      'delta-orth out < in',
      () => init.deltaOrthogonal([2, 4, 3], { seed: 0 }),
      RangeError,
      'out channels >= in channels',
    ],
    [
      'sparse neither',
      () => init.sparse([2, 2], { seed: 0 }),
      RangeError,
      'sparse: `options` must be given exactly one of `sparsity`',
    ],
    [
      'sparse both',
      () => init.sparse([2, 2], { seed: 0, sparsity: 0.1, nonZero: 1 }),
      RangeError,
      'exactly one',
    ],
    [
      'sparsity > 1',
      () => init.sparse([2, 2], { seed: 0, sparsity: 1.5 }),
      RangeError,
      '`sparsity` must be a fraction in [0, 1], got 1.5',
    ],
    [
      'nonZero > in',
      () => init.sparse([2, 2], { seed: 0, nonZero: 3 }),
      RangeError,
      '`nonZero` must be an integer in [0, 2], got 3',
    ],
    [
      'options not object',
      () => init.zeros([2], 3 as never),
      TypeError,
      'zeros: `options` must be an object, got 3',
    ],
    [
      'rng unknown',
      () => init.normal([2], { seed: 0, rng: 'mt' as never }),
      TypeError,
      '`rng` must be one of "philox", "torch" or a RandomSource',
    ],
    [
      'fill out of range',
      () => fill(new Float32Array(5), { name: 'zeros' }, [4]),
      RangeError,
      'fill: `start` must be such that',
    ],
    [
      'fill dtype mismatch',
      () => fill(new Float32Array(4), { name: 'zeros', dtype: 'float64' }, [4]),
      RangeError,
      'fill: `spec.dtype` must be the dtype of `out` (float32)',
    ],
    [
      'fill not typed',
      () => fill([0] as never, { name: 'zeros' }, [1]),
      TypeError,
      'fill: `out` must be a Float32Array or Float64Array',
    ],
  ];
  it.each(table)('%s', (_label, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
