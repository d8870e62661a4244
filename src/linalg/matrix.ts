/**
 * Small dense-matrix helpers on row-major `Float64Array`s, and the argument checks shared by
 * the functions of `src/linalg`.
 */
import { checkInteger, rangeError, typeError } from '../tensor/errors.js';

/**
 * Checks the arguments that describe a row-major matrix: `rows` and `cols` are integers ≥ 0 and
 * `a` is a `Float64Array` of length `rows × cols`. Argument names in messages are `names`.
 * @throws TypeError if `a` is not a `Float64Array` or a size is not a number; RangeError for a
 *   negative or non-integer size or a length that is not `rows × cols`.
 */
export function checkMatrix(
  fn: string,
  a: unknown,
  rows: unknown,
  cols: unknown,
  names: readonly [string, string, string] = ['a', 'rows', 'cols'],
): asserts a is Float64Array {
  const [aName, rowsName, colsName] = names;
  const r = checkInteger(fn, rowsName, rows);
  const c = checkInteger(fn, colsName, cols);
  if (!(a instanceof Float64Array)) typeError(fn, aName, 'a Float64Array', a);
  if (a.length !== r * c) {
    rangeError(fn, aName, `a Float64Array of length ${rowsName} × ${colsName} = ${r * c}`, a);
  }
}

/**
 * Checks every element of `a` is finite (NaN or ±Infinity would spread through a factorization).
 * @throws RangeError naming the first bad index: ``fn: `a[5]` must be a finite number, got NaN``.
 */
export function checkFiniteEntries(fn: string, name: string, a: Float64Array): void {
  for (let i = 0; i < a.length; i++) {
    // `v - v` is 0 for finite v and NaN for NaN and ±Infinity.
    const v = a[i];
    if (v - v !== 0) rangeError(fn, `${name}[${i}]`, 'a finite number', v);
  }
}

/** Tile edge of the blocked transpose (32 × 32 doubles = 8 KiB per tile). */
const TILE = 32;

/**
 * Writes the transpose of the row-major `rows × cols` matrix `src` into `dst` (`cols × rows`),
 * tile by tile so that both sides stay in cache. No checks; `src` and `dst` must not overlap.
 */
export function transposeInto(
  src: Float64Array,
  rows: number,
  cols: number,
  dst: Float64Array,
): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const si = i * cols;
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[si + j];
      }
    }
  }
}

/**
 * The transpose of a row-major `rows × cols` matrix, as a new row-major `cols × rows` matrix.
 *
 * @example
 * transpose(new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3); // Float64Array [1, 4, 2, 5, 3, 6]
 * @throws TypeError if `a` is not a `Float64Array`; RangeError if `rows`/`cols` are not integers
 *   ≥ 0 or `a.length ≠ rows × cols`.
 */
export function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  checkMatrix('transpose', a, rows, cols);
  const out = new Float64Array(rows * cols);
  transposeInto(a, rows, cols, out);
  return out;
}

/**
 * The product `C = A·B` of a row-major `m × k` matrix `a` and a row-major `k × n` matrix `b`,
 * as a new row-major `m × n` matrix. A plain triple loop (i, p, j order, unit stride): meant for
 * checks and small sizes, not for speed.
 *
 * @example
 * matmul(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), 2, 2, 2);
 * // Float64Array [19, 22, 43, 50]
 * @throws TypeError if `a` or `b` is not a `Float64Array`; RangeError if a size is not an
 *   integer ≥ 0 or a length does not match.
 */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  checkMatrix('matmul', a, m, k, ['a', 'm', 'k']);
  checkMatrix('matmul', b, k, n, ['b', 'k', 'n']);
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
  return c;
}
