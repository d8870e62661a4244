import { oneOf, rangeError, typeError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { CONSTANT, ONES, ZEROS } from './constant.js';
import { DIRAC, IDENTITY } from './identity.js';
import {
  materialize,
  type Prepared,
  prepare,
  type Strategy,
  type StrategyName,
} from './initializer.js';
import { DELTA_ORTHOGONAL, ORTHOGONAL } from './orthogonal.js';
import { NORMAL, TRUNCATED_NORMAL, UNIFORM } from './random.js';
import { SPARSE } from './sparse.js';
import {
  HE_NORMAL,
  HE_UNIFORM,
  LECUN_NORMAL,
  LECUN_UNIFORM,
  VARIANCE_SCALING,
  XAVIER_NORMAL,
  XAVIER_UNIFORM,
} from './variance-scaling.js';

/** Every strategy, in the order of DESIGN.md's list of canonical names. */
export const STRATEGIES: readonly Strategy[] = [
  ZEROS,
  ONES,
  CONSTANT,
  UNIFORM,
  NORMAL,
  TRUNCATED_NORMAL,
  XAVIER_UNIFORM,
  XAVIER_NORMAL,
  HE_UNIFORM,
  HE_NORMAL,
  LECUN_UNIFORM,
  LECUN_NORMAL,
  VARIANCE_SCALING,
  ORTHOGONAL,
  IDENTITY,
  DIRAC,
  DELTA_ORTHOGONAL,
  SPARSE,
];

/** Canonical names, in order. */
export const STRATEGY_NAMES: readonly StrategyName[] = STRATEGIES.map((s) => s.name);

/**
 * Other names people know the strategies by (PyTorch, Keras, TF.js, JAX), after spelling is
 * normalized (lower case, `_` and camelCase humps to `-`, PyTorch's trailing `_` dropped).
 */
export const ALIASES: Readonly<Record<string, StrategyName>> = {
  zero: 'zeros',
  one: 'ones',
  'random-uniform': 'uniform',
  'random-normal': 'normal',
  gaussian: 'normal',
  'trunc-normal': 'truncated-normal',
  'glorot-uniform': 'xavier-uniform',
  'glorot-normal': 'xavier-normal',
  'kaiming-uniform': 'he-uniform',
  'kaiming-normal': 'he-normal',
  eye: 'identity',
  'convolution-delta-orthogonal': 'delta-orthogonal',
};

/** Lower case, `_`/space/camelCase humps to `-`, trailing `_` (PyTorch's in-place suffix) dropped. */
function normalizeSpelling(name: string): string {
  return name
    .replace(/_+$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
}

/**
 * The canonical name of a strategy from any accepted spelling or alias:
 * `'glorot_uniform'`, `'xavierUniform'`, `'kaiming_normal_'`, `'he-normal'` …
 * @example resolveName('kaiming_normal_') // 'he-normal'
 * @throws RangeError for an unknown name, listing the canonical names.
 */
export function resolveName(name: string, fn = 'resolveName'): StrategyName {
  if (typeof name !== 'string') typeError(fn, 'name', 'a strategy name', name);
  const n = normalizeSpelling(name);
  const canonical = (STRATEGY_NAMES as readonly string[]).includes(n)
    ? (n as StrategyName)
    : ALIASES[n];
  if (canonical === undefined)
    rangeError(fn, 'name', `a strategy: ${oneOf(STRATEGY_NAMES)} (or an alias)`, name);
  return canonical;
}

/** The strategy of a name or alias. */
export function strategy(name: string, fn = 'strategy'): Strategy {
  const canonical = resolveName(name, fn);
  return STRATEGIES.find((s) => s.name === canonical)!;
}

/**
 * A serializable description of an initializer: its name (canonical or alias) and its
 * options, for example `{ name: 'he-normal', seed: 0, stream: 'fc1.weight' }`.
 */
export interface InitSpec {
  readonly name: string;
  readonly [option: string]: unknown;
}

function splitSpec(spec: InitSpec, fn: string): [Strategy, Record<string, unknown>] {
  if (spec === null || typeof spec !== 'object')
    typeError(fn, 'spec', 'an object { name, ...options }', spec);
  const { name, ...options } = spec;
  return [strategy(name as string, fn), options];
}

/**
 * Validates a spec against a shape and binds them, without allocating: the result reports
 * fans, the expected mean and std, warnings, and fills any range of the tensor.
 * @example prepareSpec({ name: 'glorot_uniform', seed: 1 }, [64, 32]).expected.std // 0.1443…
 * @throws what the strategy's function throws, before any allocation.
 */
export function prepareSpec(spec: InitSpec, shape: readonly number[]): Prepared {
  const [s, options] = splitSpec(spec, 'prepareSpec');
  return prepare(s, shape, options);
}

/**
 * Creates a tensor from a serializable spec.
 * @example initialize({ name: 'kaiming_normal', seed: 0 }, [256, 128])
 */
export function initialize(spec: InitSpec, shape: readonly number[]): Tensor {
  return materialize(prepareSpec(spec, shape));
}

/**
 * Fills `out` with elements `[start, start + out.length)` of the tensor a spec describes,
 * identical to the same range of `initialize(spec, shape).data` (the fill form, for
 * chunked and parallel generation). The dtype is that of `out`.
 * @throws RangeError if the range does not lie inside the tensor.
 */
export function fill(
  out: Float32Array | Float64Array,
  spec: InitSpec,
  shape: readonly number[],
  start = 0,
): void {
  const dtype =
    out instanceof Float32Array ? 'float32' : out instanceof Float64Array ? 'float64' : undefined;
  if (dtype === undefined) typeError('fill', 'out', 'a Float32Array or Float64Array', out);
  if (spec?.dtype !== undefined && spec.dtype !== dtype) {
    rangeError('fill', 'spec.dtype', `the dtype of \`out\` (${dtype})`, spec.dtype);
  }
  const prepared = prepareSpec({ ...spec, dtype }, shape);
  if (!Number.isSafeInteger(start) || start < 0 || start + out.length > prepared.size) {
    rangeError(
      'fill',
      'start',
      `such that [start, start + out.length) lies in [0, ${prepared.size}]`,
      start,
    );
  }
  if (out.length > 0) prepared.fill(out, start);
}
