/**
 * What the writers accept: anything with a shape and a Float32Array/Float64Array of
 * row-major values (a `Tensor` is one), checked once with one message template.
 */

import { describe, rangeError, typeError } from '../tensor/errors.js';
import { checkShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A shape and its row-major (C order) values; a {@link Tensor} is one. */
export interface TensorLike {
  /** Dimensions, outermost first; `[]` is a scalar. */
  readonly shape: readonly number[];
  /** Row-major values; `data.length` must be the product of `shape`. */
  readonly data: Float32Array | Float64Array;
}

/** Checks a {@link TensorLike}: an object with a valid shape and matching typed array. */
export function checkTensorLike(fn: string, arg: string, value: unknown): TensorLike {
  if (typeof value !== 'object' || value === null) {
    typeError(fn, arg, 'a tensor ({ shape, data })', value);
  }
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    typeError(fn, `${arg}.data`, 'a Float32Array or a Float64Array', data);
  }
  const checked = checkShape(fn, shape);
  const size = sizeOf(checked);
  if (data.length !== size) {
    rangeError(
      fn,
      `${arg}.data`,
      `of length ${size} (the size of shape ${describe(checked)})`,
      data.length,
    );
  }
  return { shape: checked, data };
}

/** Wraps decoded values as a {@link Tensor} with no warnings. */
export function makeTensor(shape: readonly number[], data: Float32Array | Float64Array): Tensor {
  return Object.freeze({
    shape: Object.freeze([...shape]),
    dtype: data instanceof Float64Array ? 'float64' : 'float32',
    data,
    warnings: Object.freeze([]) as readonly string[],
  }) as Tensor;
}
