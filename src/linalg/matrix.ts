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
 * `finite` is {@link finiteSum}`(a)`, or what {@link transposeInto} returned when it copied `a`.
 * @throws RangeError naming the first bad index: ``fn: `a[5]` must be a finite number, got NaN``.
 */
export function checkFiniteEntries(
  fn: string,
  name: string,
  a: Float64Array,
  finite = finiteSum(a),
): void {
  if (finite === 0) return;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) rangeError(fn, `${name}[${i}]`, 'a finite number', v);
  }
}

/**
 * Σ (v − v) over `a`: 0 when every element is finite, NaN otherwise (`v − v` is 0 for a finite v,
 * NaN for NaN and ±Infinity), summed four ways at a time.
 */
export function finiteSum(a: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v0 = a[i];
    const v1 = a[i + 1];
    const v2 = a[i + 2];
    const v3 = a[i + 3];
    s0 += v0 - v0;
    s1 += v1 - v1;
    s2 += v2 - v2;
    s3 += v3 - v3;
  }
  for (; i < n; i++) s0 += a[i] - a[i];
  return s0 + s1 + s2 + s3;
}

/** Columns per strip of the transpose: the destination lines of a strip stay in L2 cache. */
const STRIP = 1024;

/**
 * Writes the transpose of the row-major `rows × cols` matrix `src` into `dst` (`cols × rows`),
 * eight source rows at a time, so that each destination write fills a whole 64-byte line (a
 * plain tiled transpose thrashes the cache when a dimension is a power of two), in strips of
 * `STRIP` columns. No checks; `src` and `dst` must not overlap. Returns {@link finiteSum}`(src)`
 * (0 when every element is finite), computed on the way at almost no cost.
 */
export function transposeInto(
  src: Float64Array,
  rows: number,
  cols: number,
  dst: Float64Array,
): number {
  let finite = 0;
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
        const v0 = src[s0 + j];
        const v1 = src[s1 + j];
        const v2 = src[s2 + j];
        const v3 = src[s3 + j];
        const v4 = src[s4 + j];
        const v5 = src[s5 + j];
        const v6 = src[s6 + j];
        const v7 = src[s7 + j];
        dst[d] = v0;
        dst[d + 1] = v1;
        dst[d + 2] = v2;
        dst[d + 3] = v3;
        dst[d + 4] = v4;
        dst[d + 5] = v5;
        dst[d + 6] = v6;
        dst[d + 7] = v7;
        finite += v0 - v0 + (v1 - v1) + (v2 - v2) + (v3 - v3);
        finite += v4 - v4 + (v5 - v5) + (v6 - v6) + (v7 - v7);
      }
    }
    for (; i < rows; i++) {
      const s = i * cols;
      for (let j = j0; j < j1; j++) {
        const v = src[s + j];
        dst[j * rows + i] = v;
        finite += v - v;
      }
    }
  }
  return finite;
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
