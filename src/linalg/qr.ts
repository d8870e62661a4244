/**
 * Householder QR with the sign fix that makes Q Haar-distributed for Gaussian input
 * (Mezzadri 2007; what `torch.nn.init.orthogonal_` does after `torch.linalg.qr`).
 *
 * Conventions are LAPACK's (`dgeqrf` + `dorgqr`): reflectors H = I − τ v vᵀ with v₀ = 1 and
 * β = −sign(α)·‖x‖, accumulated backward onto the identity. So before the sign fix Q equals
 * LAPACK's (and PyTorch's) up to rounding, and after it Q is unique for a full-rank A.
 *
 * Layout for speed: the matrix is factored in its transpose W = Aᵀ (`n × m`, row-major), so
 * each column of A, hence each Householder vector, is a contiguous row of W and every inner loop
 * is unit-stride. The algorithm is blocked (compact WY, Schreiber & Van Loan 1989; LAPACK's
 * `dlarft`/`dlarfb`): `nb` reflectors at a time are gathered as H₀⋯H_{nb−1} = I − V T Vᵀ, and
 * the trailing update and the formation of Q become matrix–matrix products (`kernels.ts`, run by
 * WebAssembly SIMD kernels where available, `wasm.ts`). Panels are blocked again by 8, so only
 * 8-column strips are done reflector by reflector. With the default block sizes about nine
 * tenths of the flops are in the 2 × 4 register-blocked products, done panel by panel of 16 rows
 * of Cᵀ (each panel stays in cache through the three products of a block update), and split
 * across threads when a worker pool runs (`pool-node.ts`, started by `weightinit/node`'s
 * `startWorkerPool`): every row of a panel is computed by one thread with the same operations.
 *
 * Results depend on the input and the block sizes only: the same bits on every engine, with or
 * without WebAssembly, with any number of threads.
 */
import { checkInteger, checkKnownKeys, rangeError, typeError } from '../tensor/errors.js';
import { larfg } from './householder.js';
import {
  applyReflectorToRows,
  createHeap,
  gemmABt,
  type Heap,
  packQuads,
  updateBlock,
} from './kernels.js';
import { checkFiniteEntries, checkMatrix, transposeInto } from './matrix.js';

/** What {@link householderQR} returns. */
export interface QRResult {
  /** The reduced Q, row-major `m × n`, orthonormal columns, after the sign fix. */
  readonly q: Float64Array;
  /** The diagonal of R after the sign fix: `n` values, all ≥ 0. */
  readonly diagR: Float64Array;
  /**
   * R after the sign fix, row-major `n × n`, upper triangular, with `A = Q·R`: only when asked
   * (`options.r`; always from {@link householderQRReference}).
   */
  readonly r?: Float64Array;
}

/** Options of {@link householderQR}. */
export interface QROptions {
  /** Also return the full R (`n × n`). Default `false`. */
  readonly r?: boolean;
  /**
   * Number of reflectors per block (an integer ≥ 1; blocks over 8 are blocked by 8 inside).
   * Default {@link defaultBlockSize}(n): unblocked below {@link BLOCKED_MIN_SIZE} columns, 32,
   * 64 from {@link LARGE_FROM}. A block size ≥ `n` means unblocked (the plain `dgeqr2`/`dorg2r`).
   * Results of different block sizes agree to rounding (≈1e-15), not bit for bit.
   */
  readonly blockSize?: number;
}

/** Reflectors per block of the blocked algorithm when `options.blockSize` is not given. */
export const DEFAULT_BLOCK_SIZE = 32;
/** From this number of columns on, the default block is {@link LARGE_BLOCK_SIZE}. */
export const LARGE_FROM = 1536;
/** Reflectors per block by default for `n ≥` {@link LARGE_FROM} (less memory traffic). */
export const LARGE_BLOCK_SIZE = 64;
/** Below this number of columns, the unblocked algorithm is faster (the default switches). */
export const BLOCKED_MIN_SIZE = 96;
/**
 * Reflectors per inner block: a panel of `nb` columns is itself factored (and its part of Q
 * formed) blocked by 8, so that the panel's work is also matrix–matrix products.
 */
export const INNER_BLOCK_SIZE = 8;

const OPTION_KEYS = ['r', 'blockSize'] as const;

/**
 * Checks the arguments of a QR: `a` a `Float64Array` of length `m × n`, integers `m ≥ n ≥ 0`,
 * finite entries. Shared by {@link householderQR} and {@link householderQRReference}.
 */
export function checkQRArguments(fn: string, a: unknown, m: unknown, n: unknown): void {
  checkMatrix(fn, a, m, n, ['a', 'm', 'n']);
  if ((n as number) > (m as number)) {
    rangeError(fn, 'n', `an integer <= m = ${m} (for a wide matrix, factor its transpose)`, n);
  }
  checkFiniteEntries(fn, 'a', a);
}

/**
 * Householder QR of a row-major `m × n` matrix A (`m ≥ n`): the reduced Q (`m × n`) with the sign
 * fix, diag(R), and optionally R.
 *
 * A = Q R with Q = H₀ H₁ ⋯ Hₙ₋₁ · I[:, :n], Hⱼ = I − τⱼ vⱼ vⱼᵀ (LAPACK `dgeqrf`/`dorgqr`), then
 * Q ← Q·D and R ← D·R with D = diag(sign(Rⱼⱼ)). **sign(0) is taken as +1** (a column of A that is
 * zero or dependent on the previous ones keeps a unit column of Q), where PyTorch's
 * `q *= sign(diag(r))` would zero that column; for Gaussian A this happens with probability 0.
 * Q always has orthonormal columns, even for rank-deficient or zero A.
 *
 * Cost: 4mn² − 4n³/3 flops (half for R, half for Q). `a` is not modified. Deterministic: the same
 * input gives the same bits on every engine.
 *
 * @param a row-major `m × n` values (not modified).
 * @param m number of rows, an integer ≥ `n`.
 * @param n number of columns, an integer ≥ 0.
 * @example
 * const { q, diagR } = householderQR(new Float64Array([3, 1, 4, 0, 0, 2]), 3, 2);
 * // q ≈ [0.6, 0.2971, 0.8, -0.2228, 0, 0.9285] (3 × 2), diagR ≈ [5, 2.1541]
 * @throws TypeError if `a` is not a `Float64Array` or `m`, `n` not numbers; RangeError if `m`, `n`
 *   are not integers ≥ 0, `n > m`, `a.length ≠ m·n`, an entry is not finite, or an option is
 *   unknown or out of range.
 */
export function householderQR(
  a: Float64Array,
  m: number,
  n: number,
  options: QROptions = {},
): QRResult {
  const fn = 'householderQR';
  checkQRArguments(fn, a, m, n);
  const nb = readOptions(fn, options, n);
  const r = options.r === true ? new Float64Array(n * n) : undefined;
  const { x, diagR } = qrTransposed(n, m, nb, (w) => transposeInto(a, m, n, w), r);
  const q = new Float64Array(m * n);
  transposeInto(x, n, m, q);
  return r === undefined ? { q, diagR } : { q, diagR, r };
}

function readOptions(fn: string, options: QROptions, n: number): number {
  if (typeof options !== 'object' || options === null) {
    typeError(fn, 'options', 'an object', options);
  }
  checkKnownKeys(fn, options, OPTION_KEYS);
  if (options.r !== undefined && typeof options.r !== 'boolean') {
    typeError(fn, 'options.r', 'a boolean', options.r);
  }
  if (options.blockSize === undefined) return defaultBlockSize(n);
  return checkInteger(fn, 'options.blockSize', options.blockSize, 1);
}

/** The block size used by default for `n` reflectors (`n` itself means unblocked). */
export function defaultBlockSize(n: number): number {
  if (n < BLOCKED_MIN_SIZE) return Math.max(n, 1);
  return n < LARGE_FROM ? DEFAULT_BLOCK_SIZE : LARGE_BLOCK_SIZE;
}

/**
 * The QR core, on the transpose. `fill(x)` writes Aᵀ (`k × m`, row-major, `k ≤ m`: row j is
 * column j of A) at the start of the working array `x`; on return the first `k·m` elements of `x`
 * hold Qᵀ after the sign fix (row j is column j of Q). `x` may be longer, and may be a view of
 * WebAssembly memory: copy out what you keep. Returns diag(R) after the sign fix; writes R
 * (`k × k`, row-major, sign-fixed) into `r` if given. No checks: for this folder's functions.
 */
export function qrTransposed(
  k: number,
  m: number,
  blockSize: number,
  fill: (x: Float64Array) => void,
  r?: Float64Array,
): { x: Float64Array; diagR: Float64Array } {
  const nb = Math.min(blockSize, k);
  const h = createHeap(heapSize(k, m, nb));
  const x = h.x;
  fill(x);
  const tau = new Float64Array(k);
  geqrf(h, k, m, nb, tau);
  const diagR = new Float64Array(k);
  const negative = new Uint8Array(k);
  for (let j = 0; j < k; j++) {
    const d = x[j * m + j];
    negative[j] = d < 0 ? 1 : 0;
    diagR[j] = Math.abs(d);
  }
  if (r !== undefined) {
    for (let i = 0; i < k; i++) {
      const neg = negative[i] === 1;
      for (let j = i; j < k; j++) r[i * k + j] = neg ? 0 - x[j * m + i] : x[j * m + i];
    }
  }
  orgqr(h, k, m, nb, tau);
  // Sign fix: column j of Q (row j of x) times sign(Rⱼⱼ).
  for (let j = 0; j < k; j++) {
    if (negative[j] === 0) continue;
    const b = j * m;
    for (let i = b; i < b + m; i++) x[i] = 0 - x[i]; // 0 − x: no −0
  }
  return { x, diagR };
}

/** Where the blocked algorithm keeps its operands in the heap (indices of doubles). */
interface Layout {
  /** Reflectors per outer block (the size the regions are made for). */
  readonly nb: number;
  /** The block's V, packed dense `ib × len`, zeros and unit diagonal explicit. */
  readonly v: number;
  /** V again, its groups of four rows interleaved for the kernels (`packQuads`). */
  readonly vp: number;
  /** Y = Cᵀ V (`rows × ib`). */
  readonly y: number;
  /** Y₂ = Y T or Y Tᵀ (`rows × ib`). */
  readonly y2: number;
  /** The block's triangular factor as the right operand B of Y₂ = Y Bᵀ (`ib × ib`). */
  readonly b: number;
  /** The Gram matrix VᵀV (`ib × ib`). */
  readonly g: number;
  /** The triangular factor T, `nb × nb` (plain JavaScript array). */
  readonly t: Float64Array;
}

/**
 * Doubles in a heap: the matrix, then if blocked V (`nb × m`), V interleaved (`nb × (m + 1)`),
 * Y, Y₂ (`k × nb`), B, G (`nb²`).
 */
function heapSize(k: number, m: number, nb: number): number {
  return k * m + (nb < k ? nb * m + nb * (m + 1) + 2 * k * nb + 2 * nb * nb : 0);
}

function layout(k: number, m: number, nb: number): Layout {
  const v = k * m;
  const vp = v + nb * m;
  const y = vp + nb * (m + 1);
  const y2 = y + k * nb;
  const b = y2 + k * nb;
  return { nb, v, vp, y, y2, b, g: b + nb * nb, t: new Float64Array(nb * nb) };
}

/** The block sizes, outer first: `[nb, 8]`, `[nb]` if `nb ≤ 8`, `[]` if unblocked. */
function blockSizes(nb: number, k: number): number[] {
  if (nb >= k) return [];
  return nb > INNER_BLOCK_SIZE ? [nb, INNER_BLOCK_SIZE] : [nb];
}

/**
 * LAPACK's `dgeqrf` on the transpose, in place. On entry `w` (`k × m`, row-major, `k ≤ m`) holds
 * Aᵀ; on exit it holds what `dgeqrf` leaves in A, transposed (the layout of NumPy's
 * `qr(a, mode='raw')`): Rᵢⱼ = w[j·m + i] for i ≤ j, and vⱼ (without its leading 1) in
 * w[j·m + j+1 … j·m + m−1]. τ goes to `tau` (length ≥ k). Blocks of `blockSize` reflectors
 * (unblocked when `blockSize ≥ k`). No checks: for this folder and its tests.
 */
export function geqrfTransposed(
  w: Float64Array,
  k: number,
  m: number,
  blockSize: number,
  tau: Float64Array,
): void {
  const nb = Math.min(blockSize, k);
  const h = createHeap(heapSize(k, m, nb));
  h.x.set(w);
  geqrf(h, k, m, nb, tau);
  w.set(h.x.subarray(0, k * m));
}

/**
 * LAPACK's `dorgqr` on the transpose, in place: from the output of {@link geqrfTransposed},
 * forms Qᵀ (`k × m`; row j is column j of Q = H₀ ⋯ H_{k−1} · I[:, :k]), without the sign fix.
 * Reflectors are accumulated backward onto the identity, `blockSize` at a time.
 */
export function orgqrTransposed(
  w: Float64Array,
  k: number,
  m: number,
  blockSize: number,
  tau: Float64Array,
): void {
  const nb = Math.min(blockSize, k);
  const h = createHeap(heapSize(k, m, nb));
  h.x.set(w);
  orgqr(h, k, m, nb, tau);
  w.set(h.x.subarray(0, k * m));
}

/** `dgeqrf` on the heap's matrix (`k × m` at offset 0), `nb` reflectors per block. */
function geqrf(h: Heap, k: number, m: number, nb: number, tau: Float64Array): void {
  const sizes = blockSizes(nb, k);
  if (sizes.length === 0) {
    geqr2(h.x, m, 0, k, k, tau);
  } else {
    factorBlocked(h, m, layout(k, m, nb), tau, 0, k, sizes, 0);
  }
}

/**
 * Factors columns `j0 … j1−1` of A and applies their reflectors to the columns up to `j1 − 1`,
 * blocked by `sizes[level]` (LAPACK's `dgeqrf` loop): each panel is factored the same way one
 * level down (by `dgeqr2` at the last level), then applied to the columns on its right as a block.
 */
function factorBlocked(
  h: Heap,
  m: number,
  L: Layout,
  tau: Float64Array,
  j0: number,
  j1: number,
  sizes: readonly number[],
  level: number,
): void {
  const nb = level < sizes.length ? sizes[level] : j1 - j0;
  if (nb >= j1 - j0) {
    geqr2(h.x, m, j0, j1, j1, tau);
    return;
  }
  for (let j = j0; j < j1; j += nb) {
    const ib = Math.min(nb, j1 - j);
    factorBlocked(h, m, L, tau, j, j + ib, sizes, level + 1);
    // Columns j+ib … j1−1 of A: C ← Hᵀ C, i.e. Cᵀ ← Cᵀ − (Cᵀ V) T Vᵀ.
    if (j + ib < j1) applyBlock(h, m, L, j, ib, j1, tau, false);
  }
}

/** `dorgqr` on the heap's matrix, from the output of {@link geqrf}. */
function orgqr(h: Heap, k: number, m: number, nb: number, tau: Float64Array): void {
  const sizes = blockSizes(nb, k);
  if (sizes.length === 0) {
    org2r(h.x, m, 0, k, tau);
  } else {
    formBlocked(h, m, layout(k, m, nb), tau, 0, k, sizes, 0);
  }
}

/**
 * Forms columns `i0 … i1−1` of Q in place of their reflectors, given that the columns after
 * them (up to `i1 − 1` at this level) are formed: LAPACK's `dorgqr` loop, blocks from the last,
 * each applied as a block to the formed columns on its right, then formed one level down (by
 * `dorg2r` at the last level).
 */
function formBlocked(
  h: Heap,
  m: number,
  L: Layout,
  tau: Float64Array,
  i0: number,
  i1: number,
  sizes: readonly number[],
  level: number,
): void {
  const nb = level < sizes.length ? sizes[level] : i1 - i0;
  if (nb >= i1 - i0) {
    org2r(h.x, m, i0, i1 - i0, tau);
    return;
  }
  const last = i0 + Math.floor((i1 - i0 - 1) / nb) * nb;
  for (let i = last; i >= i0; i -= nb) {
    const ib = Math.min(nb, i1 - i);
    // Columns i+ib … i1−1 of Q: C ← H C, i.e. Cᵀ ← Cᵀ − (Cᵀ V) Tᵀ Vᵀ.
    if (i + ib < i1) applyBlock(h, m, L, i, ib, i1, tau, true);
    formBlocked(h, m, L, tau, i, i + ib, sizes, level + 1);
  }
}

/**
 * Unblocked factorization (`dgeqr2`) of columns `j0 … j1−1` of A (rows of w), applying each
 * reflector to the columns (rows of w) up to `rowEnd − 1`.
 */
function geqr2(
  w: Float64Array,
  m: number,
  j0: number,
  j1: number,
  rowEnd: number,
  tau: Float64Array,
): void {
  for (let c = j0; c < j1; c++) {
    const vb = c * m;
    const t = larfg(w, vb + c, m - c, 1);
    tau[c] = t;
    if (t !== 0 && c + 1 < rowEnd) applyReflectorToRows(w, m, vb, c, c + 1, rowEnd, t);
  }
}

/**
 * Unblocked formation (`dorg2r`) of columns `i … i+ib−1` of Q, in place of their reflectors,
 * given that columns `i+ib…` are already formed. Zeroes rows `0 … i−1` of these columns.
 */
function org2r(w: Float64Array, m: number, i: number, ib: number, tau: Float64Array): void {
  const end = i + ib;
  for (let c = end - 1; c >= i; c--) {
    const vb = c * m;
    const t = tau[c];
    if (c + 1 < end && t !== 0) applyReflectorToRows(w, m, vb, c, c + 1, end, t);
    if (t === 0) {
      w.fill(0, vb + c + 1, vb + m); // τ = 0: v is zero (no −0 from 0 · −τ)
    } else {
      const nt = -t;
      for (let p = vb + c + 1; p < vb + m; p++) w[p] *= nt;
    }
    w[vb + c] = 1 - t;
    w.fill(0, vb, vb + c);
  }
}

/**
 * Applies the block of reflectors `j … j+ib−1` (H = H_j ⋯ H_{j+ib−1} = I − V T Vᵀ) to the
 * columns `j+ib … end−1` of A, rows `j … m−1`: Hᵀ C for the factorization (`dlarfb` 'L','T'),
 * H C when forming Q (`transposeT`; 'L','N'). In the transposed layout C is a block of rows of
 * the heap's matrix, and every step is a product of the kernels.
 */
function applyBlock(
  h: Heap,
  m: number,
  L: Layout,
  j: number,
  ib: number,
  end: number,
  tau: Float64Array,
  transposeT: boolean,
): void {
  const x = h.x;
  const len = m - j;
  // Pack V (ib × len): row l is (0 … 0, 1, v_{j+l}) with the 1 at position l.
  for (let l = 0; l < ib; l++) {
    const src = (j + l) * m + j;
    const dst = L.v + l * len;
    x.fill(0, dst, dst + l);
    x[dst + l] = 1;
    x.copyWithin(dst + l + 1, src + l + 1, src + len);
  }
  packQuads(x, L.v, ib, len, L.vp);
  // T from the Gram matrix G = VᵀV (all of it: the kernels are faster than the triangle).
  gemmABt(h, L.v, len, ib, L.v, len, ib, len, L.g, L.vp);
  const t = L.t;
  larft(x, L.g, ib, tau, j, t);
  // B such that Y·Bᵀ is Y·T (factorization: B = Tᵀ) or Y·Tᵀ (forming Q: B = T).
  for (let l = 0; l < ib; l++) {
    for (let p = 0; p < ib; p++) x[L.b + l * ib + p] = transposeT ? t[l * ib + p] : t[p * ib + l];
  }
  const rows = end - j - ib;
  const cOff = (j + ib) * m + j;
  // Y = Cᵀ V, Y₂ = Y T or Y Tᵀ, Cᵀ ← Cᵀ − Y₂ Vᵀ: row panels of Cᵀ, on several threads if any.
  updateBlock(h, m, cOff, rows, L.v, len, ib, L.y, L.y2, L.b, L.vp);
}

/**
 * The triangular factor T of a block of reflectors (`dlarft`, forward, columnwise):
 * H₀ ⋯ H_{nb−1} = I − V T Vᵀ, T upper triangular with Tᵢᵢ = τᵢ and
 * T[0:i, i] = −τᵢ · T[0:i, 0:i] · (V[:, 0:i]ᵀ vᵢ), from the Gram matrix G = VᵀV at `gOff` in `x`.
 */
function larft(
  x: Float64Array,
  gOff: number,
  nb: number,
  tau: Float64Array,
  j: number,
  t: Float64Array,
): void {
  t.fill(0, 0, nb * nb);
  for (let i = 0; i < nb; i++) {
    const ti = tau[j + i];
    if (ti === 0) continue;
    for (let l = 0; l < i; l++) t[l * nb + i] = -ti * x[gOff + l * nb + i];
    // T[0:i, i] ← T[0:i, 0:i] · T[0:i, i] (upper triangular, top row first).
    for (let l = 0; l < i; l++) {
      let s = 0;
      for (let p = l; p < i; p++) s += t[l * nb + p] * t[p * nb + i];
      t[l * nb + i] = s;
    }
    t[i * nb + i] = ti;
  }
}
