/**
 * The WebAssembly SIMD micro-kernels of the blocked QR, assembled here from readable
 * instructions (no build step, no binary blob, no dependency): two modules under 4 KiB each,
 * compiled synchronously once, small enough for a browser's main thread.
 *
 * The updates' module: four functions, each the register-blocked inner loop of one
 * matrix–matrix product of `kernels.ts`, on 2 × 4 blocks with `f64x2` vectors (11–14 of the 16
 * vector registers):
 * - `abt`: y[q][l] += Σₜ a[q][t]·b[l][t] (dot products, two lanes: even t and odd t);
 * - `sub`: c[q][t] −= ((y[q][0]·b[0][t] + y[q][1]·b[1][t]) + y[q][2]·b[2][t]) + y[q][3]·b[3][t];
 * - `abtp`, `subp`: the same with B's groups of four rows interleaved.
 * The panels' module: `reflect` (one Householder reflector applied to a few rows) and `pack`
 * (the interleaving of B). Only IEEE-754 `f64x2.add`/`mul`/`sub` and their scalar forms (no
 * fused multiply–add, no relaxed SIMD), so the results are the same bits on every engine, and
 * the same bits as the JavaScript fallback in `kernels.ts`, which follows the same order of
 * operations.
 *
 * Addresses, strides and pointers are byte offsets into the memory the instances import as
 * `env.memory`; lengths are numbers of elements. The assembler is `tensor/wasm-assembler.ts`.
 */

import {
  BLOCK,
  br,
  brIf,
  compileModule,
  END,
  F64,
  F64_ADD,
  F64_MUL,
  F64_SUB,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_SPLAT,
  F64X2_SUB,
  Fn,
  f64,
  f64Load,
  f64Store,
  f64x2Lane,
  I32,
  I32_ADD,
  I32_AND,
  I32_GE_U,
  I32_GT_U,
  I32_LE_U,
  I32_LT_U,
  I32_MUL,
  I32_SHR_U,
  IF,
  i32,
  LOOP,
  moduleBytes,
  V_LOAD,
  V_STORE,
  V_ZERO,
  V128,
  type WasmMemory,
  wasmApi,
} from '../tensor/wasm-assembler.js';

/** `abt(a, aStride, pairs, b, bStride, quads, len, y, yStride)`. */
export type AbtKernel = (
  a: number,
  aStride: number,
  pairs: number,
  b: number,
  bStride: number,
  quads: number,
  len: number,
  y: number,
  yStride: number,
) => void;

/** `sub(c, cStride, pairs, y, yStride, quads, b, bStride, len)`. */
export type SubKernel = (
  c: number,
  cStride: number,
  pairs: number,
  y: number,
  yStride: number,
  quads: number,
  b: number,
  bStride: number,
  len: number,
) => void;

/** `reflect(row, rowStride, rows, v, len, tau)`. */
export type ReflectKernel = (
  row: number,
  rowStride: number,
  rows: number,
  v: number,
  len: number,
  tau: number,
) => void;

/** `pack(b, quads, len, bp)`. */
export type PackKernel = (b: number, quads: number, len: number, bp: number) => void;

/** An instance of the kernels on its own memory. */
export interface WasmKernels {
  /** The instance's memory, at least the bytes asked for. */
  readonly buffer: ArrayBuffer;
  readonly abt: AbtKernel;
  readonly sub: SubKernel;
  /** `abt` with B's groups of four rows interleaved (the stride is that of the groups). */
  readonly abtp: AbtKernel;
  /** `sub` with B's groups of four rows interleaved (the stride is that of the groups). */
  readonly subp: SubKernel;
  readonly reflect: ReflectKernel;
  readonly pack: PackKernel;
}

/** Vector loads and stores of f64 data (alignment hint 8 bytes). */
const vLoad = (off = 0) => V_LOAD(off, 3);
const vStore = (off = 0) => V_STORE(off, 3);

/**
 * Sets the pointers to B's group of four rows `lq` (row stride `bs` bytes): `pb0` alone when
 * the groups are interleaved (`packed`), else `pb0` … `pb3`, one per row.
 */
function pointersOfB(f: Fn, packed: boolean): void {
  if (packed) {
    f.set('pb0', 'b', 'lq', 'bs', I32_MUL, I32_ADD);
  } else {
    f.set('pb0', 'b', 'lq', 'bs', I32_MUL, i32(4), I32_MUL, I32_ADD);
    f.set('pb1', 'pb0', 'bs', I32_ADD);
    f.set('pb2', 'pb1', 'bs', I32_ADD);
    f.set('pb3', 'pb2', 'bs', I32_ADD);
  }
}

/**
 * `abt`: for each pair of rows (a₀, a₁) of A and each group of four rows (b₀…b₃) of B:
 * y[r][c] += (lane₀ + lane₁) [+ aᵣ[len−1]·b_c[len−1] if len is odd], where lane₀ sums the
 * products at even t and lane₁ at odd t, each in increasing t.
 *
 * `packed` (`abtp`): B's groups of four rows are interleaved, group lq at `b + lq·bs`, the pair
 * (t, t+1) of row c at byte 64·(t/2) + 16·c of it (one pointer instead of four; same values,
 * same operations, same bits): ~5 % faster (fewer instructions per step; unrolling over t is
 * slower in V8).
 *
 * Why 2 × 4: V8 gives WebAssembly 15 vector registers on x64 (xmm15 is its scratch), and with no
 * store in the loop it hoists an iteration's loads above the arithmetic, so R × C blocks need
 * (R + 1)(C + 1) ≤ 15: 8 accumulators, 2 vectors of A, 4 of B and a temporary. 3 × 4 and 4 × 4
 * (same bits) spill accumulators to the stack and were 11–15 % slower in an in-process A/B at
 * 512² and 1024²; so was `sub` with 3 or 4 rows of C per load of B (4–8 %).
 */
function abtFunction(packed: boolean): Fn {
  const params = ['a', 'as', 'pairs', 'b', 'bs', 'quads', 'len', 'y', 'ys'];
  const f = new Fn(packed ? 'abtp' : 'abt', params);
  f.local(I32, 'qp', 'lq', 'rowA', 'pa0', 'pa1', 'pb0', 'pb1', 'pb2', 'pb3', 'end', 'py');
  const acc = (r: number, c: number) => `acc${r}${c}`;
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.local(V128, acc(r, c));
  f.local(V128, 'x0', 'x1', 'v');
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.local(F64, `s${r}${c}`);
  const pb = ['pb0', 'pb1', 'pb2', 'pb3'];
  const pa = ['pa0', 'pa1'];
  /** Where row c of the group is, `pair` t-pairs ahead of the pointers: pointer, offset. */
  const bAt = (c: number, pair: number): [string, number] =>
    packed ? ['pb0', 64 * pair + 16 * c] : [pb[c], 16 * pair];
  /** The products of the t-pair `pair` ahead of the pointers. */
  const step = (pair: number) => {
    f.set('x0', 'pa0', vLoad(16 * pair));
    f.set('x1', 'pa1', vLoad(16 * pair));
    for (let c = 0; c < 4; c++) {
      const [p, o] = bAt(c, pair);
      f.set('v', p, vLoad(o));
      f.set(acc(0, c), acc(0, c), 'x0', 'v', F64X2_MUL, F64X2_ADD);
      f.set(acc(1, c), acc(1, c), 'x1', 'v', F64X2_MUL, F64X2_ADD);
    }
  };
  const advance = (pairs: number) => {
    f.set('pa1', 'pa1', i32(16 * pairs), I32_ADD);
    if (packed) f.set('pb0', 'pb0', i32(64 * pairs), I32_ADD);
    else for (const p of pb) f.set(p, p, i32(16 * pairs), I32_ADD);
    f.set('pa0', 'pa0', i32(16 * pairs), I32_ADD);
  };

  f.set('qp', i32(0));
  f.emit(BLOCK, LOOP); // over pairs of rows of A
  f.emit('qp', 'pairs', I32_GE_U, brIf(1));
  f.set('rowA', 'a', 'qp', 'as', I32_MUL, i32(2), I32_MUL, I32_ADD);
  f.set('lq', i32(0));
  f.emit(BLOCK, LOOP); // over groups of four rows of B
  f.emit('lq', 'quads', I32_GE_U, brIf(1));
  f.set('pa0', 'rowA');
  f.set('pa1', 'rowA', 'as', I32_ADD);
  pointersOfB(f, packed);
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.set(acc(r, c), V_ZERO);
  f.set('end', 'pa0', 'len', i32(1), I32_SHR_U, i32(16), I32_MUL, I32_ADD);
  f.emit(BLOCK, 'pa0', 'end', I32_GE_U, brIf(0), LOOP); // over t, two at a time
  step(0);
  advance(1);
  f.emit('pa0', 'end', I32_LT_U, brIf(0), END, END);
  // Reduce the lanes, add the odd element, accumulate into y.
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++)
      f.set(`s${r}${c}`, acc(r, c), f64x2Lane(0), acc(r, c), f64x2Lane(1), F64_ADD);
  }
  f.emit('len', i32(1), I32_AND, IF);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const [p, o] = bAt(c, 0);
      f.set(`s${r}${c}`, `s${r}${c}`, pa[r], f64Load(), p, f64Load(o), F64_MUL, F64_ADD);
    }
  }
  f.emit(END);
  f.set('py', 'y', 'qp', 'ys', I32_MUL, i32(2), I32_MUL, I32_ADD, 'lq', i32(32), I32_MUL, I32_ADD);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const addr = r === 0 ? ['py'] : ['py', 'ys', I32_ADD];
      f.emit(...addr, ...addr, f64Load(c * 8), `s${r}${c}`, F64_ADD, f64Store(c * 8));
    }
  }
  f.set('lq', 'lq', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  f.set('qp', 'qp', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  return f;
}

/**
 * `sub`: for each pair of rows (c₀, c₁) of C and each group of four rows (b₀…b₃) of B, with the
 * matching 2 × 4 block of y: cᵣ[t] −= ((yᵣ₀·b₀[t] + yᵣ₁·b₁[t]) + yᵣ₂·b₂[t]) + yᵣ₃·b₃[t].
 * `packed` (`subp`): B's groups interleaved as for `abtp`.
 */
function subFunction(packed: boolean): Fn {
  const params = ['c', 'cs', 'pairs', 'y', 'ys', 'quads', 'b', 'bs', 'len'];
  const f = new Fn(packed ? 'subp' : 'sub', params);
  f.local(I32, 'qp', 'lq', 'rowC', 'pc0', 'pc1', 'pb0', 'pb1', 'pb2', 'pb3', 'end', 'py');
  const yv = (r: number, c: number) => `y${r}${c}`;
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.local(V128, yv(r, c));
  f.local(V128, 'v0', 'v1', 'v2', 'v3');
  const pb = ['pb0', 'pb1', 'pb2', 'pb3'];
  const pc = ['pc0', 'pc1'];
  const vs = ['v0', 'v1', 'v2', 'v3'];
  /** Where row c of the group is, `bytes` of C ahead of the pointers: pointer, offset. */
  const bAt = (c: number, bytes: number): [string, number] =>
    packed ? ['pb0', 4 * bytes + 16 * c] : [pb[c], bytes];
  /** ((y·v₀ + y·v₁) + y·v₂) + y·v₃ for row r, vector or scalar (lane 0 of the splats). */
  const combination = (r: number, scalar: boolean): (string | number[])[] => {
    const out: (string | number[])[] = [];
    for (let c = 0; c < 4; c++) {
      const [p, o] = bAt(c, 0);
      if (scalar) out.push(yv(r, c), f64x2Lane(0), p, f64Load(o), F64_MUL);
      else out.push(yv(r, c), vs[c], F64X2_MUL);
      if (c > 0) out.push(scalar ? F64_ADD : F64X2_ADD);
    }
    return out;
  };

  f.set('qp', i32(0));
  f.emit(BLOCK, LOOP);
  f.emit('qp', 'pairs', I32_GE_U, brIf(1));
  f.set('rowC', 'c', 'qp', 'cs', I32_MUL, i32(2), I32_MUL, I32_ADD);
  f.set('lq', i32(0));
  f.emit(BLOCK, LOOP);
  f.emit('lq', 'quads', I32_GE_U, brIf(1));
  f.set('py', 'y', 'qp', 'ys', I32_MUL, i32(2), I32_MUL, I32_ADD, 'lq', i32(32), I32_MUL, I32_ADD);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const addr = r === 0 ? ['py'] : ['py', 'ys', I32_ADD];
      f.set(yv(r, c), ...addr, f64Load(c * 8), F64X2_SPLAT);
    }
  }
  f.set('pc0', 'rowC');
  f.set('pc1', 'rowC', 'cs', I32_ADD);
  pointersOfB(f, packed);
  // Over t: four at a time (two vectors per row, unrolled), then two, then the odd one.
  const step = (o: number) => {
    for (let c = 0; c < 4; c++) {
      const [p, off] = bAt(c, o);
      f.set(vs[c], p, vLoad(off));
    }
    for (let r = 0; r < 2; r++) {
      f.emit(pc[r], pc[r], vLoad(o), ...combination(r, false), F64X2_SUB, vStore(o));
    }
  };
  const advance = (bytes: number) => {
    for (const p of pc) f.set(p, p, i32(bytes), I32_ADD);
    if (packed) f.set('pb0', 'pb0', i32(4 * bytes), I32_ADD);
    else for (const p of pb) f.set(p, p, i32(bytes), I32_ADD);
  };
  f.set('end', 'pc0', 'len', i32(2), I32_SHR_U, i32(32), I32_MUL, I32_ADD);
  f.emit(BLOCK, 'pc0', 'end', I32_GE_U, brIf(0), LOOP);
  step(0);
  step(16);
  advance(32);
  f.emit('pc0', 'end', I32_LT_U, brIf(0), END, END);
  f.emit('len', i32(2), I32_AND, IF);
  step(0);
  advance(16);
  f.emit(END);
  f.emit('len', i32(1), I32_AND, IF);
  for (let r = 0; r < 2; r++)
    f.emit(pc[r], pc[r], f64Load(), ...combination(r, true), F64_SUB, f64Store());
  f.emit(END);
  f.set('lq', 'lq', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  f.set('qp', 'qp', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  return f;
}

/**
 * `reflect`: applies the reflector H = I − τ (1, v)(1, v)ᵀ to `rows` rows x (row i at
 * `row + i·rowStride`, `len + 1` elements): s = x₀ + Σₜ vₜ·xₜ₊₁ (in increasing t), s ← s·τ,
 * x₀ ← x₀ − s, xₜ₊₁ ← xₜ₊₁ − s·vₜ: `applyReflectorToRows` of `kernels.ts`, the same operations.
 * The sums run in order, so the rows are taken four at a time (four independent sums), then two,
 * then one; the updates two elements at a time.
 */
function reflectFunction(): Fn {
  const params = ['row', 'rs', 'rows', 'v', 'len', 'tau'];
  const f = new Fn('reflect', params, [I32, I32, I32, I32, I32, F64]);
  f.local(I32, 'r', 'pv', 'end', 'o');
  f.local(I32, 'p0', 'p1', 'p2', 'p3');
  f.local(F64, 's0', 's1', 's2', 's3', 'vt');
  f.local(V128, 'w');
  const p = ['p0', 'p1', 'p2', 'p3'];
  const s = ['s0', 's1', 's2', 's3'];
  /** Rows r … r+n−1 (n = 4, 2 or 1) while n rows are left. */
  const group = (n: number) => {
    f.emit(BLOCK, LOOP);
    f.emit('r', i32(n), I32_ADD, 'rows', I32_GT_U, brIf(1));
    f.set('p0', 'row', 'r', 'rs', I32_MUL, I32_ADD);
    for (let i = 1; i < n; i++) f.set(p[i], p[i - 1], 'rs', I32_ADD);
    for (let i = 0; i < n; i++) f.set(s[i], p[i], f64Load());
    // The sums: o runs over the bytes of v.
    f.set('o', i32(0));
    f.emit(BLOCK, 'o', 'end', I32_GE_U, brIf(0), LOOP);
    f.set('vt', 'v', 'o', I32_ADD, f64Load());
    for (let i = 0; i < n; i++) {
      f.set(s[i], s[i], 'vt', p[i], 'o', I32_ADD, f64Load(8), F64_MUL, F64_ADD);
    }
    f.set('o', 'o', i32(8), I32_ADD);
    f.emit('o', 'end', I32_LT_U, brIf(0), END, END);
    for (let i = 0; i < n; i++) {
      f.set(s[i], s[i], 'tau', F64_MUL);
      f.emit(p[i], p[i], f64Load(), s[i], F64_SUB, f64Store());
    }
    // The updates, two elements at a time, then the odd one.
    f.set('o', i32(0));
    f.emit(BLOCK, 'o', i32(16), I32_ADD, 'end', I32_GT_U, brIf(0), LOOP);
    f.set('w', 'v', 'o', I32_ADD, vLoad());
    for (let i = 0; i < n; i++) {
      f.set('pv', p[i], 'o', I32_ADD);
      f.emit('pv', 'pv', vLoad(8), s[i], F64X2_SPLAT, 'w', F64X2_MUL, F64X2_SUB, vStore(8));
    }
    f.set('o', 'o', i32(16), I32_ADD);
    f.emit('o', i32(16), I32_ADD, 'end', I32_LE_U, brIf(0), END, END);
    f.emit('o', 'end', I32_LT_U, IF);
    f.set('vt', 'v', 'o', I32_ADD, f64Load());
    for (let i = 0; i < n; i++) {
      f.set('pv', p[i], 'o', I32_ADD);
      f.emit('pv', 'pv', f64Load(8), s[i], 'vt', F64_MUL, F64_SUB, f64Store(8));
    }
    f.emit(END);
    f.set('r', 'r', i32(n), I32_ADD);
    f.emit(br(0), END, END);
  };
  f.set('end', 'len', i32(8), I32_MUL);
  f.set('r', i32(0));
  group(4);
  group(2);
  group(1);
  return f;
}

/**
 * `pack`: `packQuads` of `kernels.ts` (the layout `abtp` and `subp` read): the `quads` groups of
 * four rows of B (`len` elements each, rows contiguous from `b`) interleaved at `bp`, group lq at
 * `bp + lq·qs` bytes with qs = 32·(len rounded up to even), the pair (t, t+1) of row c at
 * 64·(t/2) + 16·c of it; an odd last element is followed by a zero.
 */
function packFunction(): Fn {
  const f = new Fn('pack', ['b', 'quads', 'len', 'bp']);
  f.local(I32, 'lq', 'rs', 'pd', 'end', 'p0', 'p1', 'p2', 'p3');
  const p = ['p0', 'p1', 'p2', 'p3'];
  f.set('rs', 'len', i32(8), I32_MUL);
  f.set('pd', 'bp');
  f.set('lq', i32(0));
  f.emit(BLOCK, LOOP);
  f.emit('lq', 'quads', I32_GE_U, brIf(1));
  f.set('p0', 'b', 'lq', 'rs', I32_MUL, i32(4), I32_MUL, I32_ADD);
  for (let c = 1; c < 4; c++) f.set(p[c], p[c - 1], 'rs', I32_ADD);
  f.set('end', 'p0', 'len', i32(1), I32_SHR_U, i32(16), I32_MUL, I32_ADD);
  f.emit(BLOCK, 'p0', 'end', I32_GE_U, brIf(0), LOOP);
  for (let c = 0; c < 4; c++) f.emit('pd', p[c], vLoad(), vStore(16 * c));
  for (const q of p) f.set(q, q, i32(16), I32_ADD);
  f.set('pd', 'pd', i32(64), I32_ADD);
  f.emit('p0', 'end', I32_LT_U, brIf(0), END, END);
  f.emit('len', i32(1), I32_AND, IF);
  for (let c = 0; c < 4; c++) {
    f.emit('pd', p[c], f64Load(), f64Store(16 * c));
    f.emit('pd', f64(0), f64Store(16 * c + 8));
  }
  f.set('pd', 'pd', i32(64), I32_ADD);
  f.emit(END);
  f.set('lq', 'lq', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  return f;
}

/**
 * The bytes of the module of the updates' kernels: imports `env.memory` (a shared memory of at
 * most `sharedMaxPages` pages if given, for worker threads), exports `abt`, `sub`, `abtp` and
 * `subp`. The workers of the pool need only this one.
 */
export function kernelModuleBytes(sharedMaxPages?: number): Uint8Array {
  const fns = [abtFunction(false), subFunction(false), abtFunction(true), subFunction(true)];
  return moduleBytes(fns, 1, [], sharedMaxPages);
}

/**
 * The bytes of the module of the panels' kernels (same memory import): exports `reflect` and
 * `pack`. Two modules rather than one, each under 4 KiB, small enough for a browser to compile
 * synchronously.
 */
export function panelModuleBytes(sharedMaxPages?: number): Uint8Array {
  return moduleBytes([reflectFunction(), packFunction()], 1, [], sharedMaxPages);
}

/** The two compiled modules of the kernels. */
export interface KernelModules {
  /** From {@link kernelModuleBytes}: what the workers run. */
  readonly update: object;
  /** From {@link panelModuleBytes}. */
  readonly panel: object;
}

/** Both modules compiled, or null where WebAssembly or its SIMD (or threads) is unavailable. */
function compileModules(sharedMaxPages?: number): KernelModules | null {
  const update = compileModule(() => kernelModuleBytes(sharedMaxPages));
  if (update === null) return null;
  const panel = compileModule(() => panelModuleBytes(sharedMaxPages));
  return panel === null ? null : { update, panel };
}

/** Pages of the largest memory the kernels use (2 GiB: byte offsets fit in 31 bits). */
export const MAX_PAGES = 32768;

/**
 * The kernels compiled for a shared memory of at most {@link MAX_PAGES} pages (for the worker
 * pool), or null where WebAssembly SIMD or threads are unavailable.
 */
export function sharedKernelModules(): KernelModules | null {
  return compileModules(MAX_PAGES);
}

/** The kernels: instances of both modules on `memory`. */
export function instantiateOn(modules: KernelModules, memory: WasmMemory): WasmKernels {
  const api = wasmApi()!;
  const update = new api.Instance(modules.update, { env: { memory } }).exports;
  const panel = new api.Instance(modules.panel, { env: { memory } }).exports;
  return { buffer: memory.buffer, ...kernelsOf(update, panel) };
}

let compiled: KernelModules | null | undefined;

/** The compiled modules, or `null` where WebAssembly or its SIMD is unavailable. */
function compiledModules(): KernelModules | null {
  if (compiled === undefined) compiled = compileModules();
  return compiled;
}

/** Largest memory asked for: 2 GiB (byte offsets stay positive 32-bit integers). */
const MAX_BYTES = 2 ** 31;
/**
 * Requests up to this size share one instance, kept between calls (its memory grows to the
 * largest such request, never beyond): a new memory costs tens of microseconds, which matters
 * for small matrices. Larger requests get a memory of their own, freed with it.
 */
const SHARED_BYTES = 2 ** 25;
const PAGE = 65536;

let shared: { memory: WasmMemory; kernels: WasmKernels } | undefined;

/** The kernels of the instances' exports. */
function kernelsOf(
  update: Record<string, unknown>,
  panel: Record<string, unknown>,
): Omit<WasmKernels, 'buffer'> {
  return {
    abt: update.abt as AbtKernel,
    sub: update.sub as SubKernel,
    abtp: update.abtp as AbtKernel,
    subp: update.subp as SubKernel,
    reflect: panel.reflect as ReflectKernel,
    pack: panel.pack as PackKernel,
  };
}

/**
 * An instance of the kernels on a memory of at least `bytes` bytes, or `null` when WebAssembly
 * SIMD is unavailable or the memory cannot be had (then use the JS kernels). The memory's
 * contents are unspecified (a shared memory keeps what the last call left): write before reading.
 * Valid until the next call: results must be copied out before then.
 */
export function instantiateKernels(bytes: number): WasmKernels | null {
  if (bytes > MAX_BYTES) return null;
  const modules = compiledModules();
  if (modules === null) return null;
  const api = wasmApi()!;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  try {
    if (bytes <= SHARED_BYTES) {
      if (shared === undefined) {
        const memory = new api.Memory({ initial: pages });
        shared = { memory, kernels: instantiateOn(modules, memory) };
      }
      const have = shared.memory.buffer.byteLength / PAGE;
      if (have < pages) shared.memory.grow(pages - have);
      return { ...shared.kernels, buffer: shared.memory.buffer };
    }
    return instantiateOn(modules, new api.Memory({ initial: pages }));
  } catch {
    return null;
  }
}
