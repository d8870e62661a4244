import { checkFinite } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { create, type PreparedParts, type Strategy } from './initializer.js';
import { type BaseOptions, type Context, OPTION_KEYS } from './options.js';

/** Options of `constant`. */
export interface ConstantOptions extends BaseOptions {
  /** The value of every element. Required. */
  value: number;
}

/** The warning a constant weight carries: nothing can break the symmetry between its units. */
function symmetryWarning(shape: readonly number[], value: number): string {
  return (
    `every element of this ${shape.length}-D weight is ${value}: all units compute the same ` +
    'function and receive the same gradient, so they stay identical (no symmetry breaking). ' +
    'Constants are for biases and norms; use a random strategy for weights.'
  );
}

function constantParts(ctx: Context, value: number): PreparedParts {
  const warnings = ctx.shape.length >= 2 && ctx.size > 0 ? [symmetryWarning(ctx.shape, value)] : [];
  return {
    expected: { mean: value, std: 0 },
    warnings,
    chunkable: true,
    fill(out) {
      out.fill(value);
    },
  };
}

export const ZEROS: Strategy = {
  name: 'zeros',
  fn: 'zeros',
  keys: OPTION_KEYS.base,
  parts: (ctx) => constantParts(ctx, 0),
};

export const ONES: Strategy = {
  name: 'ones',
  fn: 'ones',
  keys: OPTION_KEYS.base,
  parts: (ctx) => constantParts(ctx, 1),
};

export const CONSTANT: Strategy = {
  name: 'constant',
  fn: 'constant',
  keys: [...OPTION_KEYS.base, 'value'],
  parts: (ctx, o) => constantParts(ctx, checkFinite(ctx.fn, 'value', o.value)),
};

/**
 * All zeros. The document: "OK only for biases, not weights" — with zero weights every unit
 * computes the same function and gets the same gradient, so no learning separates them.
 * A weight of 2 or more dimensions therefore carries a warning in `tensor.warnings`.
 *
 * @example zeros([3]).data // Float32Array [0, 0, 0]
 * @throws RangeError/TypeError for a bad shape or dtype.
 */
export function zeros(shape: readonly number[], options: BaseOptions = {}): Tensor {
  return create(ZEROS, shape, options);
}

/**
 * All ones (the usual weight of normalization layers: LayerNorm, BatchNorm γ).
 * A weight of 2+ dimensions carries the symmetry warning, as for `zeros`.
 *
 * @example ones([2]).data // Float32Array [1, 1]
 */
export function ones(shape: readonly number[], options: BaseOptions = {}): Tensor {
  return create(ONES, shape, options);
}

/**
 * Every element equal to `value` (PyTorch `constant_`, Keras `Constant`). Used for biases,
 * for example the LSTM forget-gate bias of 1 (Jozefowicz et al. 2015).
 *
 * @example constant([2], { value: 0.5 }).data // Float32Array [0.5, 0.5]
 * @throws TypeError if `value` is missing or not a number; RangeError if it is not finite.
 */
export function constant(shape: readonly number[], options: ConstantOptions): Tensor {
  return create(CONSTANT, shape, options);
}
