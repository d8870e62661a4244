/**
 * Deterministic test inputs for src/linalg: a seeded mulberry32 generator and Box–Muller
 * normals (test data only: the library's own samplers live in src/random), and matrix checks.
 */
import { transpose } from '../../src/linalg/matrix.js';

/** mulberry32: a tiny 32-bit generator, uniform on [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` standard normal values from `seed` (Box–Muller on mulberry32). */
export function gaussian(size: number, seed: number): Float64Array {
  const u = mulberry32(seed);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < size) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

/**
 * Operands of a block update with the zeros the products skip: V (`ib × len`, row l zero before
 * position l, 1 at l) and B (`ib × ib`, lower triangular as Tᵀ in the factorization, upper as T
 * when forming Q), from `seed`.
 */
export function blockOperands(
  ib: number,
  len: number,
  seed: number,
  upper: boolean,
): { v: Float64Array; b: Float64Array } {
  const v = gaussian(ib * len, seed);
  for (let l = 0; l < ib; l++) {
    v.fill(0, l * len, l * len + Math.min(l, len));
    if (l < len) v[l * len + l] = 1;
  }
  const b = gaussian(ib * ib, seed + 1);
  for (let l = 0; l < ib; l++) {
    for (let p = 0; p < ib; p++) if (upper ? p < l : p > l) b[l * ib + p] = 0;
  }
  return { v, b };
}

/** max |a − b| over two arrays of the same length (Infinity if the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]);
    if (!(e <= d)) d = e; // NaN propagates as the maximum
  }
  return d;
}

/**
 * max |(XᵀX − I)ᵢⱼ| for the row-major `rows × cols` matrix X, or of XXᵀ − I when `byRows`: how far
 * the columns (rows) are from orthonormal.
 */
export function orthonormalityError(
  x: Float64Array,
  rows: number,
  cols: number,
  byRows = false,
): number {
  // Vectors to compare, each contiguous: the rows of x, or the rows of xᵀ.
  const k = byRows ? rows : cols;
  const len = byRows ? cols : rows;
  const v = byRows ? x : transpose(x, rows, cols);
  let err = 0;
  for (let p = 0; p < k; p++) {
    for (let q = p; q < k; q++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += v[p * len + i] * v[q * len + i];
      const e = Math.abs(s - (p === q ? 1 : 0));
      if (!(e <= err)) err = e;
    }
  }
  return err;
}

/** True when the array holds no NaN and no ±Infinity. */
export function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}
