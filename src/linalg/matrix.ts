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

/** Columns per strip of the transpose: the destination lines of a strip stay in L2 cache. */
const STRIP = 1024;

/**
 * Writes the transpose of the row-major `rows × cols` matrix `src` into `dst` (`cols × rows`),
 * eight source rows at a time, so that each destination write fills a whole 64-byte line (a
 * plain tiled transpose thrashes the cache when a dimension is a power of two), in strips of
 * `STRIP` columns. No checks; `src` and `dst` must not overlap.
 */
export function transposeInto(
  src: Float64Array,
  rows: number,
  cols: number,
  dst: Float64Array,
): void {
  for (let j0 = 0; j0 < cols; j0 += STRIP) {
    const j1 = Math.min(cols, j0 + STRIP);
    let i = 0;
    for (; i + 8 <= rows; i += 8) {
      const s0 = i * cols;
      const s1 = s0 + cols;
      const s2 = s1 + cols;
      const s3 = s2 + cols;
      const s4 = s3 + cols;
      const s5 = s4 + cols;
      const s6 = s5 + cols;
      const s7 = s6 + cols;
      for (let j = j0; j < j1; j++) {
        const d = j * rows + i;
        dst[d] = src[s0 + j];
        dst[d + 1] = src[s1 + j];
        dst[d + 2] = src[s2 + j];
        dst[d + 3] = src[s3 + j];
        dst[d + 4] = src[s4 + j];
        dst[d + 5] = src[s5 + j];
        dst[d + 6] = src[s6 + j];
        dst[d + 7] = src[s7 + j];
      }
    }
    for (; i < rows; i++) {
      const s = i * cols;
      for (let j = j0; j < j1; j++) dst[j * rows + i] = src[s + j];
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
