import { describe, rangeError, typeError } from './errors.js';

/**
 * The largest number of elements a tensor may hold in memory: 2³¹ − 1 (8 GiB of float32).
 * Checked before any allocation; larger checkpoints are written in chunks by `src/io`.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Number of elements of a shape (1 for the scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Validates a shape: an array of non-negative safe integers whose product is at most
 * `maxElements`. Zero sizes are allowed (they give empty tensors). Returns a frozen copy.
 * @throws TypeError if `shape` is not an array of integers; RangeError for a negative or
 *   non-integer dimension, or a size over the limit.
 */
export function checkShape(
  fn: string,
  shape: unknown,
  maxElements: number = MAX_ELEMENTS,
): readonly number[] {
  if (!Array.isArray(shape)) typeError(fn, 'shape', 'an array of integers', shape);
  for (const d of shape) {
    if (typeof d !== 'number') typeError(fn, 'shape', 'an array of integers', shape);
    if (!Number.isSafeInteger(d) || d < 0) {
      rangeError(fn, 'shape', 'an array of non-negative integers', shape);
    }
  }
  const size = sizeOf(shape);
  if (size > maxElements) {
    rangeError(
      fn,
      'shape',
      `at most ${maxElements} elements in all (${describe(shape)} has ${size})`,
      shape,
    );
  }
  return Object.freeze([...shape]);
}
