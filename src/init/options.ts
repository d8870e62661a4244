import { philoxSource, torchSource } from '../random/index.js';
import type { Seed } from '../random/key.js';
import type { RandomSource } from '../random/source.js';
import {
  checkChoice,
  checkFinite,
  checkKnownKeys,
  oneOf,
  rangeError,
  typeError,
} from '../tensor/errors.js';
import {
  computeFans,
  type Fans,
  type KernelGeometry,
  kernelGeometry,
  type Layout,
} from '../tensor/fans.js';
import { checkShape, sizeOf } from '../tensor/shape.js';
import { DTYPES, type DType } from '../tensor/tensor.js';

/** Options every strategy takes. */
export interface BaseOptions {
  /** Element type of the result: `'float32'` (default) or `'float64'`. */
  dtype?: DType;
}

/** Options of every random strategy: where its randomness comes from. */
export interface RandomOptions extends BaseOptions {
  /**
   * The seed (a safe integer ≥ 0, or a bigint below 2⁶⁴). Required unless `rng` is a
   * `RandomSource`: randomness is always explicit.
   */
  seed?: Seed;
  /**
   * The name of this tensor's stream, usually the parameter's name (`'fc1.weight'`). Tensors
   * with different streams are independent; the same (seed, stream) always gives the same
   * values. Default `''`.
   */
  stream?: string;
  /**
   * `'philox'` (default: counter-based Philox4x32-10), `'torch'` (PyTorch's CPU generator after
   * `torch.manual_seed(seed)`: the tensor equals PyTorch's for the same call; no `stream`) or a
   * `RandomSource` of your own (a `torchSource(seed)` shared by several tensors continues one
   * PyTorch stream across them, in call order).
   */
  rng?: 'philox' | 'torch' | RandomSource;
}

/** Options of strategies that read fans from the shape. */
export interface FanOptions {
  /** `'out-in'` (PyTorch `[out, in, ...kernel]`, default) or `'in-out'` (Keras `[...kernel, in, out]`). */
  layout?: Layout;
  /** Overrides the fan-in computed from the shape. */
  fanIn?: number;
  /** Overrides the fan-out computed from the shape. */
  fanOut?: number;
}

const BASE_KEYS = ['dtype'] as const;
const RANDOM_KEYS = ['dtype', 'seed', 'stream', 'rng'] as const;
const FAN_KEYS = ['layout', 'fanIn', 'fanOut'] as const;

/** Option keys shared by families, to build each family's list of known keys. */
export const OPTION_KEYS = { base: BASE_KEYS, random: RANDOM_KEYS, fans: FAN_KEYS };

/** The validated context every family starts from. */
export interface Context {
  readonly fn: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype: DType;
}

/**
 * Validates what every strategy validates: the options object and its keys, the shape and
 * the dtype. Runs before any allocation.
 */
export function baseContext(
  fn: string,
  shape: unknown,
  options: unknown,
  knownKeys: readonly string[],
): Context {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    typeError(fn, 'options', 'an object', options);
  }
  checkKnownKeys(fn, options, knownKeys);
  const checked = checkShape(fn, shape);
  const dtype = (options as BaseOptions).dtype;
  return {
    fn,
    shape: checked,
    size: sizeOf(checked),
    dtype: dtype === undefined ? 'float32' : checkChoice(fn, 'dtype', dtype, DTYPES),
  };
}

/**
 * The source of a random strategy's draws. Validated eagerly (a missing seed is an error
 * even for an empty tensor), created lazily.
 */
export function randomSource(fn: string, options: RandomOptions): () => RandomSource {
  const { rng, seed, stream } = options;
  if (rng !== undefined && rng !== 'philox' && rng !== 'torch') {
    if (typeof rng !== 'object' || rng === null || typeof rng.uniform !== 'function') {
      typeError(fn, 'rng', `${oneOf(['philox', 'torch'])} or a RandomSource`, rng);
    }
    if (seed !== undefined) {
      rangeError(
        fn,
        'seed',
        'left out when `rng` is a RandomSource (the source has its own)',
        seed,
      );
    }
    return () => rng;
  }
  if (seed === undefined) {
    typeError(
      fn,
      'seed',
      'given (a safe integer >= 0 or a bigint): randomness is always explicit',
      seed,
    );
  }
  checkSeed(fn, seed);
  if (rng === 'torch') {
    if (stream !== undefined) {
      rangeError(fn, 'stream', "left out when `rng` is 'torch' (one PyTorch generator)", stream);
    }
    return () => torchSource(seed);
  }
  if (stream !== undefined && typeof stream !== 'string')
    typeError(fn, 'stream', 'a string', stream);
  return () => philoxSource(seed, stream ?? '');
}

/**
 * Whether a strategy's source is sequential (`rng: 'torch'`, or a source that is not
 * counter-based): its draws depend on call order, so a fill must cover the whole tensor at once
 * (`Prepared.chunkable` false).
 */
export function sequentialSource(options: RandomOptions): boolean {
  const { rng } = options;
  return rng === 'torch' || (typeof rng === 'object' && rng !== null && rng.kind !== 'philox');
}

/** Checks a seed: a safe integer ≥ 0, or a bigint in [0, 2⁶⁴). */
export function checkSeed(fn: string, seed: unknown): Seed {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) rangeError(fn, 'seed', 'a bigint in [0, 2^64)', seed);
    return seed;
  }
  if (typeof seed !== 'number') typeError(fn, 'seed', 'a safe integer >= 0 or a bigint', seed);
  if (!Number.isSafeInteger(seed) || seed < 0) rangeError(fn, 'seed', 'a safe integer >= 0', seed);
  return seed;
}

/** Fans of the context's shape, validated for strategies that divide by them. */
export function contextFans(ctx: Context, options: FanOptions): Fans {
  return computeFans(ctx.shape, options, ctx.fn);
}

/** Checks an optional finite number, returning `fallback` when it is `undefined`. */
export function optionalNumber(fn: string, name: string, value: unknown, fallback: number): number {
  return value === undefined ? fallback : checkFinite(fn, name, value);
}

/** The geometry of a conv1d/2d/3d kernel (3 to 5 dimensions), checked. */
export function convKernel(ctx: Context, layout: Layout): KernelGeometry {
  if (ctx.shape.length < 3 || ctx.shape.length > 5) {
    rangeError(ctx.fn, 'shape', '3, 4 or 5 dimensions (a conv1d/2d/3d kernel)', ctx.shape);
  }
  return kernelGeometry(ctx.shape, layout);
}
