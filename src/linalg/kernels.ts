/**
 * The inner loops of the blocked Householder QR, on one row-major `Float64Array` (the "heap" of a
 * factorization: the matrix, the packed block of reflectors, the products) whose rows are
 * contiguous, so every innermost loop is unit-stride. Internal: no argument checks.
 *
 * The two matrix–matrix products are cache-blocked along the long dimension (chunks of `KC`
 * elements) and register-blocked in 2 × 4 blocks, run by the WebAssembly SIMD kernels of
 * `wasm.ts` when the engine has them, else by JavaScript kernels that perform the same IEEE
 * operations in the same order. Either way the results are the same bits on every engine.
 */
import { instantiateKernels, type WasmKernels } from './wasm.js';

/**
 * Pairs of rows per call of a kernel. Short calls let a first, cold call move to the optimized
 * code of the kernels as soon as the engine has it (WebAssembly starts in a baseline compiler and
 * a running call does not switch); the call overhead stays under 1%.
 */
export const CALL_PAIRS = 8;

/** Chunk of the long dimension kept in L1 while the small dimension is swept (in doubles). */
export const KC = 256;

/**
 * Applies the reflector H = I − τ v vᵀ, with v = (1, w[vb+c+1], …, w[vb+m−1]), to rows
 * `r0 … r1−1` of `w` (row length `m`), columns `c … m−1`: x ← x − τ (vᵀx) v for each row x.
 * Rows are taken four at a time so that v is read once per four rows.
 */
export function applyReflectorToRows(
  w: Float64Array,
  m: number,
  vb: number,
  c: number,
  r0: number,
  r1: number,
  tau: number,
): void {
  const v0 = vb + c + 1;
  const len = m - c - 1;
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    const b0 = r * m + c;
    const b1 = b0 + m;
    const b2 = b1 + m;
    const b3 = b2 + m;
    let s0 = w[b0];
    let s1 = w[b1];
    let s2 = w[b2];
    let s3 = w[b3];
    for (let i = 0; i < len; i++) {
      const v = w[v0 + i];
      s0 += v * w[b0 + 1 + i];
      s1 += v * w[b1 + 1 + i];
      s2 += v * w[b2 + 1 + i];
      s3 += v * w[b3 + 1 + i];
    }
    s0 *= tau;
    s1 *= tau;
    s2 *= tau;
    s3 *= tau;
    w[b0] -= s0;
    w[b1] -= s1;
    w[b2] -= s2;
    w[b3] -= s3;
    for (let i = 0; i < len; i++) {
      const v = w[v0 + i];
      w[b0 + 1 + i] -= s0 * v;
      w[b1 + 1 + i] -= s1 * v;
      w[b2 + 1 + i] -= s2 * v;
      w[b3 + 1 + i] -= s3 * v;
    }
  }
  for (; r < r1; r++) {
    const b = r * m + c;
    let s = w[b];
    for (let i = 0; i < len; i++) s += w[v0 + i] * w[b + 1 + i];
    s *= tau;
    w[b] -= s;
    for (let i = 0; i < len; i++) w[b + 1 + i] -= s * w[v0 + i];
  }
}

/** A factorization's working memory and the 2 × 4 block kernels that run on it. */
export interface Heap {
  /** All the working memory, as doubles; offsets below are indices into it. */
  readonly x: Float64Array;
  /** Whether the WebAssembly kernels run the products. */
  readonly wasm: boolean;
  /** The runner whose workers share this heap's memory, if any (see {@link updateBlock}). */
  readonly runner?: ParallelRunner;
  /**
   * For `pairs` pairs of rows of A (row q at `a + q·as`) and `quads` groups of four rows of B
   * (row l at `b + l·bs`), over `len` elements: y[q·ys + l] += A_q · B_l, each dot product summed
   * in two lanes (even and odd t), then lane₀ + lane₁, then the odd element if `len` is odd.
   * If `bp ≥ 0`, the same rows of B are also at `bp` interleaved ({@link packQuads}, groups
   * `qs` apart): the WebAssembly kernels read them there (same values, same bits).
   */
  abt(
    a: number,
    as: number,
    pairs: number,
    b: number,
    bs: number,
    quads: number,
    len: number,
    y: number,
    ys: number,
    bp: number,
    qs: number,
  ): void;
  /**
   * For `pairs` pairs of rows of C (row q at `c + q·cs`) and `quads` groups of four rows of B:
   * C_q[t] −= ((y_q0·B₀[t] + y_q1·B₁[t]) + y_q2·B₂[t]) + y_q3·B₃[t], group after group.
   * `bp`, `qs`: as for `abt`.
   */
  sub(
    c: number,
    cs: number,
    pairs: number,
    y: number,
    ys: number,
    quads: number,
    b: number,
    bs: number,
    len: number,
    bp: number,
    qs: number,
  ): void;
  /** {@link applyReflectorToRows} on this heap's matrix (row length `m`): the same bits. */
  reflect(m: number, vb: number, c: number, r0: number, r1: number, tau: number): void;
  /** {@link packQuads} on this heap (the same values). */
  pack(b: number, nb: number, len: number, bp: number): void;
}

let wasmEnabled = true;

/**
 * Runs the row panels of a block update on several threads that share the heap's memory (the
 * Node worker pool of `pool-node.ts`). Every thread runs {@link updateRows} on whole panels of
 * rows ({@link panelStart}), so each element is computed by exactly the arithmetic of one thread.
 */
export interface ParallelRunner {
  /**
   * Kernels on the memory the workers share, at least `bytes` long (grown if needed; its
   * contents are unspecified), or null if that memory cannot hold them.
   */
  kernels(bytes: number): WasmKernels | null;
  /**
   * Runs panels `0 … panels−1` of {@link updateRows} with `args` = (m, cOff, rows, v, len, ib, y,
   * y2, b, vp, forming) across the threads, `local(i)` running panel i on this one; returns when all are done.
   * This thread first runs `meanwhile` (work on other rows of the heap), then claims the panels
   * left. A call made during `meanwhile` runs everything on this thread. Throws if a worker failed.
   */
  run(
    args: readonly number[],
    panels: number,
    local: (panel: number) => void,
    meanwhile?: () => void,
  ): void;
}

let runner: ParallelRunner | null = null;
let runnerMinSize = 2 ** 17;
/**
 * Updates of fewer multiply–adds than this (rows × len × ib) stay on one thread by default. Low:
 * with look-ahead, even a small update split across threads runs beside the next panel's
 * factorization (2¹⁶ against 2²⁰: 512² about 3-4 % faster on two threads, 1024² 2 %).
 */
const MIN_WORK = 2 ** 16;
let runnerMinWork = MIN_WORK;

/**
 * Registers the runner that splits large block updates across threads (null: none). Heaps of at
 * least `minSize` doubles are then made in its shared memory, and updates of at least `minWork`
 * multiply–adds per pass (rows × len × ib) are split. Results are the same bits either way.
 */
export function setParallelRunner(
  r: ParallelRunner | null,
  minSize = 2 ** 17,
  minWork = MIN_WORK,
): void {
  runner = r;
  runnerMinSize = minSize;
  runnerMinWork = minWork;
}

/** The registered runner and its thresholds, as {@link setParallelRunner} takes them. */
export function parallelRunner(): [r: ParallelRunner | null, minSize: number, minWork: number] {
  return [runner, runnerMinSize, runnerMinWork];
}

/** Rows of C per panel of a block update (even, so row pairs are those of one thread). */
export const PANEL = 16;
/**
 * Rows per panel at the end of an update (even): its last 32 to 47 rows are split finer, so that
 * the threads finish nearly together (the one that waits for the last panel waits less).
 */
export const TAIL_PANEL = 4;

/**
 * The first row of panel `i` of an update of `rows` rows (panel i is rows `panelStart(i)` to
 * `panelStart(i + 1) − 1`, the last one ending at `rows`): panels of {@link PANEL} rows, then
 * of {@link TAIL_PANEL} for the last two to three PANELs' worth. Workers run its source.
 */
export function panelStart(i: number, rows: number): number {
  const big = Math.max(0, Math.floor(rows / PANEL) - 2);
  return i <= big ? i * PANEL : big * PANEL + (i - big) * TAIL_PANEL;
}

/** The number of panels of an update of `rows` rows (see {@link panelStart}). */
export function panelCount(rows: number): number {
  const big = Math.max(0, Math.floor(rows / PANEL) - 2);
  return big + Math.ceil((rows - big * PANEL) / TAIL_PANEL);
}

/**
 * Rows `r0 … r1−1` of a block update in the transposed layout (C row q at `cOff + q·m`, `len`
 * elements; V `ib × len` dense at `v`, and at `vp` as {@link packQuads} leaves it; B `ib × ib`
 * at `b`; Y, Y₂ `rows × ib` at `y`, `y2`):
 * Y = C Vᵀ, Y₂ = Y Bᵀ, C ← C − Y₂ V, for these rows only. Each row's values depend on that
 * row alone (the products' order of operations is fixed per element), so panels can run in
 * any order, on any thread. Self-contained with the products (workers run its source).
 *
 * The products skip what is known to be zero (the same bits, see {@link gemmABt}): row l of V
 * before position l; B = Tᵀ (lower triangular) in the factorization, B = T (upper) when
 * `forming` Q, where also C's first `ib` elements are zero (rows of Q above the block's columns,
 * not reached yet by any reflector).
 */
export function updateRows(
  h: Heap,
  m: number,
  cOff: number,
  r0: number,
  r1: number,
  v: number,
  len: number,
  ib: number,
  y: number,
  y2: number,
  b: number,
  vp: number,
  forming: number,
): void {
  const rows = r1 - r0;
  const c = cOff + r0 * m;
  const yr = y + r0 * ib;
  const y2r = y2 + r0 * ib;
  gemmABt(h, c, m, rows, v, len, ib, len, yr, vp, 1, forming ? ib : 0);
  gemmABt(h, yr, ib, rows, b, ib, ib, ib, y2r, -1, forming ? 1 : 2, 0);
  gemmSubAB(h, c, m, rows, y2r, ib, v, len, len, vp);
}

/**
 * C ← C − ((C Vᵀ) Bᵀ) V for the `rows` rows of C (see {@link updateRows}, and `forming` there),
 * panel by panel of
 * {@link PANEL} rows (each panel's rows stay in cache from the first product to the last), on
 * the threads of the heap's runner when the update is large enough. Same bits either way.
 *
 * The first `first` rows are done on this thread, then `meanwhile`, while other threads (if any)
 * update the others: `meanwhile` may use the first rows but must not touch the others, nor the
 * update's operands (V, B, Y, Y₂). Every element gets the same operations in the same order
 * whatever the threads.
 */
export function updateBlock(
  h: Heap,
  m: number,
  cOff: number,
  rows: number,
  v: number,
  len: number,
  ib: number,
  y: number,
  y2: number,
  b: number,
  vp: number,
  forming: number,
  first = 0,
  meanwhile?: () => void,
): void {
  const f = Math.min(first, rows);
  const here = () => {
    if (f > 0) updateRows(h, m, cOff, 0, f, v, len, ib, y, y2, b, vp, forming);
    meanwhile?.();
  };
  // The other rows, as an update of their own.
  const rest = rows - f;
  const c = cOff + f * m;
  const yr = y + f * ib;
  const y2r = y2 + f * ib;
  const panels = panelCount(rest);
  const panel = (i: number) => {
    const r1 = Math.min(rest, panelStart(i + 1, rest));
    updateRows(h, m, c, panelStart(i, rest), r1, v, len, ib, yr, y2r, b, vp, forming);
  };
  if (h.runner !== undefined && panels > 1 && rest * len * ib >= runnerMinWork) {
    h.runner.run([m, c, rest, v, len, ib, yr, y2r, b, vp, forming], panels, panel, here);
    return;
  }
  for (let i = 0; i < panels; i++) panel(i);
  here();
}

/**
 * Turns the WebAssembly kernels off (`false`) or back on (`true`, the default, used when the
 * engine supports WebAssembly SIMD). For tests and benchmarks: results are identical either way.
 */
export function setWasmKernels(enabled: boolean): void {
  wasmEnabled = enabled;
}

/**
 * A heap of `size` doubles, in WebAssembly memory when possible. Its contents are unspecified
 * (WebAssembly memory is reused between factorizations), and it is valid until the next call:
 * copy results out.
 */
export function createHeap(size: number): Heap {
  if (!wasmEnabled) return new JsHeap(new Float64Array(size));
  if (runner !== null && size >= runnerMinSize) {
    const k = runner.kernels(size * 8);
    if (k !== null) return new WasmHeap(k, size, runner);
  }
  const k = instantiateKernels(size * 8);
  return k === null ? new JsHeap(new Float64Array(size)) : new WasmHeap(k, size);
}

class WasmHeap implements Heap {
  readonly x: Float64Array;
  readonly wasm = true;
  private readonly k: WasmKernels;
  constructor(
    k: WasmKernels,
    size: number,
    readonly runner?: ParallelRunner,
  ) {
    this.k = k;
    this.x = new Float64Array(k.buffer, 0, size);
  }
  abt(
    a: number,
    as: number,
    pairs: number,
    b: number,
    bs: number,
    quads: number,
    len: number,
    y: number,
    ys: number,
    bp: number,
    qs: number,
  ): void {
    if (bp < 0) this.k.abt(a * 8, as * 8, pairs, b * 8, bs * 8, quads, len, y * 8, ys * 8);
    else this.k.abtp(a * 8, as * 8, pairs, bp * 8, qs * 8, quads, len, y * 8, ys * 8);
  }
  sub(
    c: number,
    cs: number,
    pairs: number,
    y: number,
    ys: number,
    quads: number,
    b: number,
    bs: number,
    len: number,
    bp: number,
    qs: number,
  ): void {
    if (bp < 0) this.k.sub(c * 8, cs * 8, pairs, y * 8, ys * 8, quads, b * 8, bs * 8, len);
    else this.k.subp(c * 8, cs * 8, pairs, y * 8, ys * 8, quads, bp * 8, qs * 8, len);
  }
  reflect(m: number, vb: number, c: number, r0: number, r1: number, tau: number): void {
    this.k.reflect((r0 * m + c) * 8, m * 8, r1 - r0, (vb + c + 1) * 8, m - c - 1, tau);
  }
  pack(b: number, nb: number, len: number, bp: number): void {
    this.k.pack(b * 8, nb >> 2, len, bp * 8);
  }
}

/** The JavaScript kernels: 2 × 2 blocks for `abt` (16 live doubles), 2 × 4 for `sub`. */
class JsHeap implements Heap {
  readonly wasm = false;
  constructor(readonly x: Float64Array) {}
  abt(
    a: number,
    as: number,
    pairs: number,
    b: number,
    bs: number,
    quads: number,
    len: number,
    y: number,
    ys: number,
    _bp: number,
    _qs: number,
  ): void {
    const x = this.x;
    for (let qp = 0; qp < pairs; qp++) {
      const a0 = a + 2 * qp * as;
      const y0 = y + 2 * qp * ys;
      for (let l = 0; l < 4 * quads; l += 2)
        dot2x2(x, a0, a0 + as, b + l * bs, bs, len, y0 + l, ys);
    }
  }
  sub(
    c: number,
    cs: number,
    pairs: number,
    y: number,
    ys: number,
    quads: number,
    b: number,
    bs: number,
    len: number,
    _bp: number,
    _qs: number,
  ): void {
    const x = this.x;
    for (let qp = 0; qp < pairs; qp++) {
      const c0 = c + 2 * qp * cs;
      const y0 = y + 2 * qp * ys;
      for (let lq = 0; lq < quads; lq++)
        sub2x4(x, c0, c0 + cs, y0 + 4 * lq, ys, b + 4 * lq * bs, bs, len);
    }
  }
  reflect(m: number, vb: number, c: number, r0: number, r1: number, tau: number): void {
    applyReflectorToRows(this.x, m, vb, c, r0, r1, tau);
  }
  pack(b: number, nb: number, len: number, bp: number): void {
    packQuads(this.x, b, nb, len, bp);
  }
}

/**
 * `Y = A · Bᵀ` in the heap: A is `p × len` (row `q` at `aOff + q·aStride`), B is `nb × len` (row
 * `l` at `bOff + l·bStride`), Y is `p × nb` dense at `yOff`, overwritten. If `bp ≥ 0`, B is also
 * at `bp` as {@link packQuads} leaves it (read by the WebAssembly kernels).
 *
 * Zeros may be skipped, with the same bits: `shape` 1 says row l of B is zero before position l,
 * 2 that it is zero after l, and A and B are zero before position `lead`. Each group of four rows
 * of B then sums over its span only ({@link spanStart}, {@link spanEnd}): a sum of the kernels
 * starts at +0 and never becomes −0, so the ±0 products left out, before its first non-zero
 * product or after its last, change nothing; spans start at even positions (the lanes stay those
 * of t) and end at even positions or at the end (the odd last element is left out only if zero).
 */
export function gemmABt(
  h: Heap,
  aOff: number,
  aStride: number,
  p: number,
  bOff: number,
  bStride: number,
  nb: number,
  len: number,
  yOff: number,
  bp = -1,
  shape = 0,
  lead = 0,
): void {
  const x = h.x;
  x.fill(0, yOff, yOff + p * nb);
  const qs = 4 * (len + (len & 1));
  const pairs = p >> 1;
  const quads = nb >> 2;
  for (let t0 = 0; t0 < len; t0 += KC) {
    const kl = Math.min(KC, len - t0);
    // Runs of groups with the same span, one call each.
    for (let lq = 0, next = 0; lq < quads; lq = next) {
      const s = spanStart(lq, shape, lead, t0, kl);
      const e = spanEnd(lq, shape, t0, kl);
      next = lq + 1;
      while (
        next < quads &&
        spanStart(next, shape, lead, t0, kl) === s &&
        spanEnd(next, shape, t0, kl) === e
      ) {
        next++;
      }
      if (s >= e) continue;
      const b = bOff + 4 * lq * bStride + t0 + s;
      const bq = bp < 0 ? bp : bp + lq * qs + 4 * (t0 + s);
      for (let q0 = 0; q0 < pairs; q0 += CALL_PAIRS) {
        const n = Math.min(CALL_PAIRS, pairs - q0);
        const a = aOff + 2 * q0 * aStride + t0 + s;
        const y = yOff + 2 * q0 * nb + 4 * lq;
        h.abt(a, aStride, n, b, bStride, next - lq, e - s, y, nb, bq, qs);
      }
    }
    // What the 2 × 4 blocks leave: the last columns of Y for paired rows, and an odd last row.
    for (let q = 0; q < p; q++) {
      const a0 = aOff + q * aStride + t0;
      const y0 = yOff + q * nb;
      for (let l = q < 2 * pairs ? 4 * quads : 0; l < nb; l++) {
        x[y0 + l] += dotLanes(x, a0, bOff + l * bStride + t0, kl);
      }
    }
  }
}

/**
 * Where, in the chunk of `kl` elements from `t0`, the sums of B's group of rows `4lq … 4lq+3`
 * start (even, clamped to [0, kl]), for the zeros of `shape` and `lead` (see {@link gemmABt}).
 */
export function spanStart(lq: number, shape: number, lead: number, t0: number, kl: number): number {
  const zeros = Math.max(lead, shape === 1 ? 4 * lq : 0) & ~1;
  return Math.min(Math.max(zeros - t0, 0), kl);
}

/** Where those sums end in the chunk: at `kl`, or (`shape` 2) after row 4lq+3's last non-zero. */
export function spanEnd(lq: number, shape: number, t0: number, kl: number): number {
  return shape === 2 ? Math.min(Math.max(4 * lq + 4 - t0, 0), kl) : kl;
}

/**
 * The strict upper triangle of the Gram matrix G = V Vᵀ of a block of reflectors (V `ib × len`
 * dense at `v`, and at `vp` as {@link packQuads} leaves it; G `ib × ib` dense at `g`): the same
 * bits as those entries of {@link gemmABt}`(V, V)`, in about half the work. Row l of V is zero
 * before position l, so G's entries l < i are all that is computed, and the sums of the group of
 * rows 4lq … 4lq+3 start at position 4lq (the zeros skipped as `gemmABt`'s `shape` 1 does).
 * Entries on and below the diagonal are unspecified.
 */
export function gramUpper(
  h: Heap,
  v: number,
  len: number,
  ib: number,
  g: number,
  vp: number,
): void {
  const x = h.x;
  x.fill(0, g, g + ib * ib);
  const qs = 4 * (len + (len & 1));
  const quads = ib >> 2;
  for (let t0 = 0; t0 < len; t0 += KC) {
    const kl = Math.min(KC, len - t0);
    for (let lq = 0; lq < quads; lq++) {
      // Rows l ≤ 4lq + 2 (pairs up to 2lq + 1) against the group's rows i > l.
      const s = spanStart(lq, 1, 0, t0, kl);
      const pairs = Math.min(2 * lq + 2, ib >> 1);
      if (s === kl) continue;
      const a = v + t0 + s;
      const b = v + 4 * lq * len + t0 + s;
      h.abt(a, len, pairs, b, len, 1, kl - s, g + 4 * lq, ib, vp + lq * qs + 4 * (t0 + s), qs);
    }
    // The columns after the last whole group, as gemmABt does them.
    for (let i = 4 * quads; i < ib; i++) {
      for (let l = 0; l < i; l++)
        x[g + l * ib + i] += dotLanes(x, v + l * len + t0, v + i * len + t0, kl);
    }
  }
}

/**
 * Copies the groups of four rows of B (`nb × len`, row l at `b + l·len`) to `bp` interleaved, as
 * the kernels `abtp`/`subp` read them: group lq at `bp + lq·qs` (qs = 4·(len rounded up to even)),
 * then for each pair (t, t+1) the four rows' pairs one after the other. Rows after the last whole
 * group are not copied. Returns the number of doubles written.
 */
export function packQuads(x: Float64Array, b: number, nb: number, len: number, bp: number): number {
  const qs = 4 * (len + (len & 1));
  const quads = nb >> 2;
  for (let lq = 0; lq < quads; lq++) {
    for (let c = 0; c < 4; c++) {
      const src = b + (4 * lq + c) * len;
      const dst = bp + lq * qs + 2 * c;
      for (let t = 0; t + 1 < len; t += 2) {
        x[dst + 4 * t] = x[src + t];
        x[dst + 4 * t + 1] = x[src + t + 1];
      }
      if (len & 1) {
        x[dst + 4 * (len - 1)] = x[src + len - 1];
        x[dst + 4 * (len - 1) + 1] = 0;
      }
    }
  }
  return quads * qs;
}

/** One dot product in the order of the kernels: two lanes (even, odd t), their sum, the odd end. */
export function dotLanes(x: Float64Array, a0: number, b0: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  const even = len & ~1;
  for (let t = 0; t < even; t += 2) {
    s0 += x[a0 + t] * x[b0 + t];
    s1 += x[a0 + t + 1] * x[b0 + t + 1];
  }
  let s = s0 + s1;
  if (even < len) s += x[a0 + even] * x[b0 + even];
  return s;
}

/** The 2 × 2 block of {@link dotLanes} of rows a0, a1 with rows b0, b0 + bs, added into y. */
function dot2x2(
  x: Float64Array,
  a0: number,
  a1: number,
  b0: number,
  bs: number,
  len: number,
  y0: number,
  ys: number,
): void {
  const b1 = b0 + bs;
  let e00 = 0;
  let e01 = 0;
  let e10 = 0;
  let e11 = 0;
  let o00 = 0;
  let o01 = 0;
  let o10 = 0;
  let o11 = 0;
  const even = len & ~1;
  for (let t = 0; t < even; t += 2) {
    const x0 = x[a0 + t];
    const x1 = x[a1 + t];
    const v0 = x[b0 + t];
    const v1 = x[b1 + t];
    e00 += x0 * v0;
    e01 += x0 * v1;
    e10 += x1 * v0;
    e11 += x1 * v1;
    const u0 = x[a0 + t + 1];
    const u1 = x[a1 + t + 1];
    const w0 = x[b0 + t + 1];
    const w1 = x[b1 + t + 1];
    o00 += u0 * w0;
    o01 += u0 * w1;
    o10 += u1 * w0;
    o11 += u1 * w1;
  }
  let s00 = e00 + o00;
  let s01 = e01 + o01;
  let s10 = e10 + o10;
  let s11 = e11 + o11;
  if (even < len) {
    s00 += x[a0 + even] * x[b0 + even];
    s01 += x[a0 + even] * x[b1 + even];
    s10 += x[a1 + even] * x[b0 + even];
    s11 += x[a1 + even] * x[b1 + even];
  }
  x[y0] += s00;
  x[y0 + 1] += s01;
  x[y0 + ys] += s10;
  x[y0 + ys + 1] += s11;
}

/**
 * `C ← C − Y · B` in the heap: C is `p × len` (row `q` at `cOff + q·cStride`), Y is `p × nb`
 * dense at `yOff`, B is `nb × len` (row `l` at `bOff + l·bStride`); `bp` as for {@link gemmABt}.
 */
export function gemmSubAB(
  h: Heap,
  cOff: number,
  cStride: number,
  p: number,
  yOff: number,
  nb: number,
  bOff: number,
  bStride: number,
  len: number,
  bp = -1,
): void {
  const x = h.x;
  const pairs = p >> 1;
  const quads = nb >> 2;
  const qs = 4 * (len + (len & 1));
  for (let t0 = 0; t0 < len; t0 += KC) {
    const kl = Math.min(KC, len - t0);
    if (quads > 0) {
      for (let q0 = 0; q0 < pairs; q0 += CALL_PAIRS) {
        const n = Math.min(CALL_PAIRS, pairs - q0);
        const c = cOff + 2 * q0 * cStride + t0;
        const y = yOff + 2 * q0 * nb;
        h.sub(c, cStride, n, y, nb, quads, bOff + t0, bStride, kl, bp < 0 ? bp : bp + 4 * t0, qs);
      }
    }
    for (let q = 0; q < p; q++) {
      const c0 = cOff + q * cStride + t0;
      const y0 = yOff + q * nb;
      let l = 0;
      if (q >= 2 * pairs) {
        // An odd last row: the groups of four, in the kernels' order of operations.
        for (; l < 4 * quads; l += 4) sub1x4(x, c0, y0 + l, bOff + l * bStride + t0, bStride, kl);
      } else {
        l = 4 * quads;
      }
      for (; l < nb; l++) axpy(x, c0, -x[y0 + l], bOff + l * bStride + t0, kl);
    }
  }
}

export function axpy(x: Float64Array, c0: number, s: number, b0: number, len: number): void {
  for (let t = 0; t < len; t++) x[c0 + t] += s * x[b0 + t];
}

/** Row c0 −= (1 × 4 block of y at y0) · (rows b0 + {0,1,2,3}·bs). */
export function sub1x4(
  x: Float64Array,
  c0: number,
  y0: number,
  b0: number,
  bs: number,
  len: number,
): void {
  const b1 = b0 + bs;
  const b2 = b1 + bs;
  const b3 = b2 + bs;
  const y00 = x[y0];
  const y01 = x[y0 + 1];
  const y02 = x[y0 + 2];
  const y03 = x[y0 + 3];
  for (let t = 0; t < len; t++) {
    x[c0 + t] -= y00 * x[b0 + t] + y01 * x[b1 + t] + y02 * x[b2 + t] + y03 * x[b3 + t];
  }
}

/** Rows c0, c1 −= (2 × 4 block of y at y0, row stride ys) · (rows b0 + {0,1,2,3}·bs). */
function sub2x4(
  x: Float64Array,
  c0: number,
  c1: number,
  y0: number,
  ys: number,
  b0: number,
  bs: number,
  len: number,
): void {
  const b1 = b0 + bs;
  const b2 = b1 + bs;
  const b3 = b2 + bs;
  const y00 = x[y0];
  const y01 = x[y0 + 1];
  const y02 = x[y0 + 2];
  const y03 = x[y0 + 3];
  const y10 = x[y0 + ys];
  const y11 = x[y0 + ys + 1];
  const y12 = x[y0 + ys + 2];
  const y13 = x[y0 + ys + 3];
  for (let t = 0; t < len; t++) {
    const v0 = x[b0 + t];
    const v1 = x[b1 + t];
    const v2 = x[b2 + t];
    const v3 = x[b3 + t];
    x[c0 + t] -= y00 * v0 + y01 * v1 + y02 * v2 + y03 * v3;
    x[c1 + t] -= y10 * v0 + y11 * v1 + y12 * v2 + y13 * v3;
  }
}
