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
 * The serial work between two updates overlaps the update (look-ahead): while the other threads
 * apply a block, this one factors the next panel (whose columns the update did first), or forms
 * the block's own columns of Q, and prepares the next block's V and T.
 *
 * Results depend on the input and the block sizes only: the same bits on every engine, with or
 * without WebAssembly, with any number of threads.
 */
import { checkInteger, checkKnownKeys, rangeError, typeError } from '../tensor/errors.js';
import { larfg } from './householder.js';
import { createHeap, gramUpper, type Heap, updateBlock } from './kernels.js';
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
  const { h, levels } = heapFor(k, m, blockSizes(Math.min(blockSize, k), k));
  const x = h.x;
  fill(x);
  const tau = new Float64Array(k);
  geqrf(h, levels, k, m, tau);
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
  orgqr(h, levels, k, m, tau);
  // Sign fix: column j of Q (row j of x) times sign(Rⱼⱼ).
  for (let j = 0; j < k; j++) {
    if (negative[j] === 0) continue;
    const b = j * m;
    for (let i = b; i < b + m; i++) x[i] = 0 - x[i]; // 0 − x: no −0
  }
  return { x, diagR };
}

/** A block's operands in the heap (indices of doubles), prepared by {@link prepareBlock}. */
interface Operands {
  /** The block's V, packed dense `ib × len`, zeros and unit diagonal explicit. */
  readonly v: number;
  /** V again, its groups of four rows interleaved for the kernels (`packQuads`). */
  readonly vp: number;
  /** The block's triangular factor as the right operand B of Y₂ = Y Bᵀ (`ib × ib`). */
  readonly b: number;
}

/** Where the blocked algorithm keeps the operands of one level of blocking in the heap. */
interface Level {
  /** Reflectors per block at this level (the size the regions are made for). */
  readonly nb: number;
  /**
   * Two sets of operands, used by blocks alternately: while one block is applied (maybe by other
   * threads), this thread prepares the next one in the other set.
   */
  readonly sets: readonly [Operands, Operands];
  /** Y = Cᵀ V (`rows × ib`). */
  readonly y: number;
  /** Y₂ = Y T or Y Tᵀ (`rows × ib`). */
  readonly y2: number;
  /** The Gram matrix VᵀV (`ib × ib`). */
  readonly g: number;
  /** The triangular factor T, `nb × nb` (plain JavaScript array). */
  readonly t: Float64Array;
}

/**
 * The levels' regions of a heap after the matrix (`k × m` at 0), for the block sizes `sizes`
 * (outer first, {@link blockSizes}), and the heap's size in doubles. At a level of blocks of
 * `nb`: two sets of V (`nb × m`), V interleaved (`nb × (m + 1)`) and B (`nb²`); then Y, Y₂
 * (`rows × nb`, with rows ≤ k at the outer level, less than the enclosing block inside) and G.
 */
function levels(k: number, m: number, sizes: readonly number[]): { levels: Level[]; size: number } {
  let at = k * m;
  const take = (n: number) => {
    const offset = at;
    at += n;
    return offset;
  };
  const out: Level[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const nb = sizes[i];
    const rows = i === 0 ? k : sizes[i - 1];
    const set = (): Operands => ({ v: take(nb * m), vp: take(nb * (m + 1)), b: take(nb * nb) });
    const sets: [Operands, Operands] = [set(), set()];
    const y = take(rows * nb);
    const y2 = take(rows * nb);
    out.push({ nb, sets, y, y2, g: take(nb * nb), t: new Float64Array(nb * nb) });
  }
  return { levels: out, size: at };
}

/** A heap for a `k × m` matrix blocked by `sizes`, with its levels. */
function heapFor(k: number, m: number, sizes: readonly number[]): { h: Heap; levels: Level[] } {
  const L = levels(k, m, sizes);
  return { h: createHeap(L.size), levels: L.levels };
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
  const sizes = blockSizes(Math.min(blockSize, k), k);
  const { h, levels } = heapFor(k, m, sizes);
  h.x.set(w);
  geqrf(h, levels, k, m, tau);
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
  const sizes = blockSizes(Math.min(blockSize, k), k);
  const { h, levels } = heapFor(k, m, sizes);
  h.x.set(w);
  orgqr(h, levels, k, m, tau);
  w.set(h.x.subarray(0, k * m));
}

/** `dgeqrf` on the heap's matrix (`k × m` at offset 0), blocked as `levels` say. */
function geqrf(h: Heap, levels: readonly Level[], k: number, m: number, tau: Float64Array): void {
  factorBlocked(h, m, levels, 0, tau, 0, k);
}

/**
 * Factors columns `j0 … j1−1` of A and applies their reflectors to the columns up to `j1 − 1`,
 * blocked as `levels[level]` says (LAPACK's `dgeqrf` loop; `dgeqr2` past the last level): each
 * panel is factored the same way one level down, then applied to the columns on its right as a
 * block. With look-ahead: the block's update does the next panel's columns first, and this
 * thread factors that panel (and prepares its block) while other threads update the others.
 */
function factorBlocked(
  h: Heap,
  m: number,
  levels: readonly Level[],
  level: number,
  tau: Float64Array,
  j0: number,
  j1: number,
): void {
  const L = levels[level];
  if (L === undefined || L.nb >= j1 - j0) {
    geqr2(h, m, j0, j1, j1, tau);
    return;
  }
  let j = j0;
  let ib = Math.min(L.nb, j1 - j);
  factorBlocked(h, m, levels, level + 1, tau, j, j + ib);
  let set = 0;
  if (j + ib < j1) prepareBlock(h, m, L, L.sets[set], j, ib, tau, false);
  while (j + ib < j1) {
    const next = j + ib;
    const nextIb = Math.min(L.nb, j1 - next);
    const later = next + nextIb < j1;
    const ops = L.sets[set ^ 1];
    // Columns next … j1−1 of A: C ← Hᵀ C, the next panel's first.
    applyBlock(h, m, L, L.sets[set], j, ib, j1, false, nextIb, () => {
      factorBlocked(h, m, levels, level + 1, tau, next, next + nextIb);
      if (later) prepareBlock(h, m, L, ops, next, nextIb, tau, false);
    });
    j = next;
    ib = nextIb;
    set ^= 1;
  }
}

/** `dorgqr` on the heap's matrix, from the output of {@link geqrf}. */
function orgqr(h: Heap, levels: readonly Level[], k: number, m: number, tau: Float64Array): void {
  formBlocked(h, m, levels, 0, tau, 0, k);
}

/**
 * Forms columns `i0 … i1−1` of Q in place of their reflectors, given that the columns after
 * them (up to `i1 − 1` at this level) are formed: LAPACK's `dorgqr` loop, blocks from the last,
 * each applied as a block to the formed columns on its right, then formed one level down (by
 * `dorg2r` past the last level). The two touch different columns: this thread forms a block
 * (and prepares the next) while other threads apply it.
 */
function formBlocked(
  h: Heap,
  m: number,
  levels: readonly Level[],
  level: number,
  tau: Float64Array,
  i0: number,
  i1: number,
): void {
  const L = levels[level];
  if (L === undefined || L.nb >= i1 - i0) {
    org2r(h, m, i0, i1 - i0, tau);
    return;
  }
  const nb = L.nb;
  const last = i0 + Math.floor((i1 - i0 - 1) / nb) * nb;
  formBlocked(h, m, levels, level + 1, tau, last, i1);
  let set = 0;
  if (last > i0) prepareBlock(h, m, L, L.sets[set], last - nb, nb, tau, true);
  for (let i = last - nb; i >= i0; i -= nb) {
    const ops = L.sets[set ^ 1];
    // Columns i+nb … i1−1 of Q: C ← H C.
    applyBlock(h, m, L, L.sets[set], i, nb, i1, true, 0, () => {
      formBlocked(h, m, levels, level + 1, tau, i, i + nb);
      if (i > i0) prepareBlock(h, m, L, ops, i - nb, nb, tau, true);
    });
    set ^= 1;
  }
}

/**
 * Unblocked factorization (`dgeqr2`) of columns `j0 … j1−1` of A (rows of w), applying each
 * reflector to the columns (rows of w) up to `rowEnd − 1`.
 */
function geqr2(
  h: Heap,
  m: number,
  j0: number,
  j1: number,
  rowEnd: number,
  tau: Float64Array,
): void {
  for (let c = j0; c < j1; c++) {
    const vb = c * m;
    const t = larfg(h.x, vb + c, m - c, 1);
    tau[c] = t;
    if (t !== 0 && c + 1 < rowEnd) h.reflect(m, vb, c, c + 1, rowEnd, t);
  }
}

/**
 * Unblocked formation (`dorg2r`) of columns `i … i+ib−1` of Q, in place of their reflectors,
 * given that columns `i+ib…` are already formed. Zeroes rows `0 … i−1` of these columns.
 */
function org2r(h: Heap, m: number, i: number, ib: number, tau: Float64Array): void {
  const w = h.x;
  const end = i + ib;
  for (let c = end - 1; c >= i; c--) {
    const vb = c * m;
    const t = tau[c];
    if (c + 1 < end && t !== 0) h.reflect(m, vb, c, c + 1, end, t);
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
 * Prepares the block of reflectors `j … j+ib−1` (H = H_j ⋯ H_{j+ib−1} = I − V T Vᵀ) in `ops`:
 * V packed (rows `j … m−1` of A) and interleaved, and B such that Y·Bᵀ is Y·T for the
 * factorization (`dlarfb` 'L','T': B = Tᵀ) or Y·Tᵀ when forming Q (`transposeT`, 'L','N': B = T).
 * Reads only the block's own rows of the heap's matrix.
 */
function prepareBlock(
  h: Heap,
  m: number,
  L: Level,
  ops: Operands,
  j: number,
  ib: number,
  tau: Float64Array,
  transposeT: boolean,
): void {
  const x = h.x;
  const len = m - j;
  // Pack V (ib × len): row l is (0 … 0, 1, v_{j+l}) with the 1 at position l.
  for (let l = 0; l < ib; l++) {
    const src = (j + l) * m + j;
    const dst = ops.v + l * len;
    x.fill(0, dst, dst + l);
    x[dst + l] = 1;
    x.copyWithin(dst + l + 1, src + l + 1, src + len);
  }
  h.pack(ops.v, ib, len, ops.vp);
  // T from the Gram matrix G = VᵀV (its strict upper triangle).
  gramUpper(h, ops.v, len, ib, L.g, ops.vp);
  const t = L.t;
  larft(x, L.g, ib, tau, j, t);
  for (let l = 0; l < ib; l++) {
    for (let p = 0; p < ib; p++) x[ops.b + l * ib + p] = transposeT ? t[l * ib + p] : t[p * ib + l];
  }
}

/**
 * Applies the block of reflectors `j … j+ib−1`, prepared in `ops`, to the columns `j+ib … end−1`
 * of A, rows `j … m−1` (in the transposed layout C is a block of rows of the heap's matrix, and
 * every step is a product of the kernels): Hᵀ C in the factorization, H C when `formingQ`
 * (`ops` prepared accordingly). The first `first` columns first, then the others while this
 * thread runs `meanwhile` (see {@link updateBlock}).
 */
function applyBlock(
  h: Heap,
  m: number,
  L: Level,
  ops: Operands,
  j: number,
  ib: number,
  end: number,
  formingQ: boolean,
  first: number,
  meanwhile: () => void,
): void {
  const len = m - j;
  const rows = end - j - ib;
  const cOff = (j + ib) * m + j;
  const forming = formingQ ? 1 : 0;
  updateBlock(
    h,
    m,
    cOff,
    rows,
    ops.v,
    len,
    ib,
    L.y,
    L.y2,
    ops.b,
    ops.vp,
    forming,
    first,
    meanwhile,
  );
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
