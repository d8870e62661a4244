import type { RandomSource } from '../random/source.js';
import { rangeError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  create,
  type FloatArray,
  type PreparedParts,
  type Strategy,
  wholeTensorFill,
} from './initializer.js';
import { truncatedNormalMoments } from './moments.js';
import {
  type Context,
  OPTION_KEYS,
  optionalNumber,
  type RandomOptions,
  randomSource,
  sequentialSource,
} from './options.js';

/** Options of `uniform`. */
export interface UniformOptions extends RandomOptions {
  /** Lower bound, default 0. */
  low?: number;
  /** Upper bound (excluded), default 1. */
  high?: number;
}

/** Options of `normal`. */
export interface NormalOptions extends RandomOptions {
  /** Default 0. */
  mean?: number;
  /** Standard deviation, default 1. */
  std?: number;
}

/** Options of `truncatedNormal`. */
export interface TruncatedNormalOptions extends NormalOptions {
  /**
   * Bounds in units of `std` around the mean: values lie in mean ± limit·std. Default 2
   * (TensorFlow.js and Keras). Not with `low`/`high`.
   */
  limit?: number;
  /** Absolute lower bound (PyTorch's `a`); give `high` with it. */
  low?: number;
  /** Absolute upper bound (PyTorch's `b`); give `low` with it. */
  high?: number;
}

/**
 * Parts of a fill drawn from the strategy's source: any range on its own from a counter-based
 * source; the whole tensor at once (start 0) from a sequential one, such as PyTorch's.
 */
function sourceParts(
  ctx: Context,
  options: RandomOptions,
  expected: PreparedParts['expected'],
  draw: (source: RandomSource, out: FloatArray, start: number) => void,
): PreparedParts {
  const source = randomSource(ctx.fn, options);
  if (sequentialSource(options)) {
    return {
      expected,
      chunkable: false,
      fill: wholeTensorFill(ctx, (out) => draw(source(), out, 0)),
    };
  }
  return { expected, chunkable: true, fill: (out, start) => draw(source(), out, start) };
}

/** Parts of a uniform fill on [low, high). Shared with the variance-scaling strategies. */
export function uniformParts(
  ctx: Context,
  options: RandomOptions,
  low: number,
  high: number,
): PreparedParts {
  const expected = { mean: (low + high) / 2, std: (high - low) / Math.sqrt(12) };
  return sourceParts(ctx, options, expected, (s, out, start) => s.uniform(out, low, high, start));
}

/** Parts of a normal fill. Shared with the variance-scaling strategies. */
export function normalParts(
  ctx: Context,
  options: RandomOptions,
  mean: number,
  std: number,
): PreparedParts {
  return sourceParts(ctx, options, { mean, std }, (s, out, start) =>
    s.normal(out, mean, std, start),
  );
}

/**
 * Parts of a truncated-normal fill: N(mean, std²) conditioned on [low, high]. Shared with
 * the variance-scaling strategies.
 */
export function truncatedNormalParts(
  ctx: Context,
  options: RandomOptions,
  mean: number,
  std: number,
  low: number,
  high: number,
): PreparedParts {
  if (std === 0) {
    randomSource(ctx.fn, options); // validated all the same
    if (mean < low || mean > high)
      rangeError(ctx.fn, 'mean', `inside [low, high] = [${low}, ${high}] when std is 0`, mean);
    return { expected: { mean, std: 0 }, chunkable: true, fill: (out) => out.fill(mean) };
  }
  const m = truncatedNormalMoments((low - mean) / std, (high - mean) / std);
  const expected = { mean: mean + std * m.mean, std: std * m.std };
  return sourceParts(ctx, options, expected, (s, out, start) =>
    s.truncatedNormal(out, mean, std, low, high, start),
  );
}

function checkStd(ctx: Context, value: unknown): number {
  const std = optionalNumber(ctx.fn, 'std', value, 1);
  if (std < 0) rangeError(ctx.fn, 'std', 'a number >= 0', std);
  return std;
}

export const UNIFORM: Strategy = {
  name: 'uniform',
  fn: 'uniform',
  keys: [...OPTION_KEYS.random, 'low', 'high'],
  parts(ctx, o) {
    const low = optionalNumber(ctx.fn, 'low', o.low, 0);
    const high = optionalNumber(ctx.fn, 'high', o.high, 1);
    if (!(low < high)) rangeError(ctx.fn, 'high', `greater than \`low\` (${low})`, high);
    return uniformParts(ctx, o, low, high);
  },
};

export const NORMAL: Strategy = {
  name: 'normal',
  fn: 'normal',
  keys: [...OPTION_KEYS.random, 'mean', 'std'],
  parts: (ctx, o) =>
    normalParts(ctx, o, optionalNumber(ctx.fn, 'mean', o.mean, 0), checkStd(ctx, o.std)),
};

export const TRUNCATED_NORMAL: Strategy = {
  name: 'truncated-normal',
  fn: 'truncatedNormal',
  keys: [...OPTION_KEYS.random, 'mean', 'std', 'limit', 'low', 'high'],
  parts(ctx, o) {
    const mean = optionalNumber(ctx.fn, 'mean', o.mean, 0);
    const std = checkStd(ctx, o.std);
    let low: number;
    let high: number;
    if (o.low !== undefined || o.high !== undefined) {
      if (o.limit !== undefined)
        rangeError(ctx.fn, 'limit', 'left out when `low`/`high` are given', o.limit);
      low = optionalNumber(ctx.fn, 'low', o.low, Number.NaN);
      high = optionalNumber(ctx.fn, 'high', o.high, Number.NaN);
      if (Number.isNaN(low)) rangeError(ctx.fn, 'low', 'given together with `high`', o.low);
      if (Number.isNaN(high)) rangeError(ctx.fn, 'high', 'given together with `low`', o.high);
      if (!(low < high)) rangeError(ctx.fn, 'high', `greater than \`low\` (${low})`, high);
    } else {
      const limit = optionalNumber(ctx.fn, 'limit', o.limit, 2);
      if (!(limit > 0)) rangeError(ctx.fn, 'limit', 'a number > 0', limit);
      low = mean - limit * std;
      high = mean + limit * std;
    }
    return truncatedNormalParts(ctx, o, mean, std, low, high);
  },
};

/**
 * Uniform on [low, high) — the document's "small random numbers" strategy with a uniform
 * distribution. PyTorch `uniform_(a, b)`; TF.js `randomUniform` (whose `minval: 0` becomes
 * −0.05 by its `||` default; here 0 is 0).
 *
 * Defaults: low 0, high 1. std = (high − low)/√12.
 * @example uniform([3], { low: -0.05, high: 0.05, seed: 0 })
 * @throws RangeError if `high <= low`, or for a missing seed, bad shape or unknown option.
 */
export function uniform(shape: readonly number[], options: UniformOptions): Tensor {
  return create(UNIFORM, shape, options);
}

/**
 * Normal N(mean, std²) — the document's "small random numbers" with a Gaussian, for example
 * `{ std: 0.01 }` (early networks) or `{ std: 0.02 }` (GPT-2/BERT style). It does not account
 * for layer size: in deep networks signals shrink (small std) or grow (large std) layer by layer.
 *
 * Defaults: mean 0, std 1.
 * @example normal([3], { std: 0.02, seed: 0 })
 * @throws RangeError if `std < 0`.
 */
export function normal(shape: readonly number[], options: NormalOptions): Tensor {
  return create(NORMAL, shape, options);
}

/**
 * Truncated normal: N(mean, std²) conditioned on [low, high], the exact distribution (values
 * outside are redrawn, never clamped). `mean` and `std` are those of the normal before
 * truncation, as in PyTorch `trunc_normal_` and TF.js `truncatedNormal`; the bounds are
 * mean ± `limit`·std (default ±2 std, TF.js) or absolute `low`/`high` (PyTorch's `a`, `b`).
 * The resulting std is smaller than `std` (0.8796·std at ±2).
 *
 * @example truncatedNormal([3], { std: 0.02, seed: 0 })
 * @throws RangeError for `std < 0`, `limit <= 0`, `high <= low`, or `limit` with `low`/`high`.
 */
export function truncatedNormal(shape: readonly number[], options: TruncatedNormalOptions): Tensor {
  return create(TRUNCATED_NORMAL, shape, options);
}
