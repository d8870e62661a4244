/**
 * The WebAssembly path of the samplers: instantiates the kernels of `wasm-kernels.ts` once,
 * and runs fills on them as {@link Job}s, chunk by chunk, optionally split across threads by a
 * registered {@link ParallelRunner} (the Node worker pool of `pool-node.ts`). The JavaScript
 * samplers stay the fallback where WebAssembly SIMD is unavailable; both give the same bits.
 *
 * @internal
 */

import { compileModule, decodeBase64 } from '../tensor/wasm-assembler.js';
import { exp } from './detmath.js';
import {
  fastModuleBytes,
  LAYOUT,
  type Layout,
  proposalModuleBytes,
  slowModuleBytes,
} from './wasm-kernels.js';
import { WASM_MODULES } from './wasm-modules.generated.js';
import { ZIG_TH, ZIG_W32, ZIG_W64 } from './ziggurat-fast.js';
import { ZIG_F, ZIG_X } from './ziggurat-tables.js';

/** A kernel of the fast module. */
export type FastKernel = 'words' | 'uniform32' | 'uniform64' | 'zig32' | 'zig64' | 'count';

/**
 * A fill on the kernels, as plain data (so that a worker can run it): `table` (if any) written at
 * `layout.ZQ`, then chunk after chunk, `fast(k0, k1, lo, hi, nBlocks, dst, ...args)` writes the
 * outputs and returns its number of rejections, which `slow(k0, k1, count, elo, ehi, dst,
 * ...slowArgs)` (if any) completes, returning how many are left for JavaScript.
 */
export interface Job {
  readonly table: Uint8Array | null;
  readonly k0: number;
  readonly k1: number;
  readonly fast: FastKernel;
  readonly args: readonly number[];
  readonly slow: 'finish' | 'tprop' | null;
  readonly slowArgs: readonly number[];
}

/** One instance of the kernels: its functions by name, views of its memory, its layout. */
export interface Kernels {
  readonly fns: Record<string, (...args: number[]) => number>;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly layout: Layout;
}

/** Finishes a rejected draw in JavaScript: element e (byte t, value x of its first attempt) to out[i]. */
export type Finish = (i: number, e: number, t: number, x: number) => void;

/** An output array of the kernels. */
export type Out = Float32Array | Float64Array | Uint32Array;

/**
 * Instantiates the three compiled modules on `memory` (a new one if null), its first bytes set to
 * `tables` (those of an initialized instance). Self-contained: workers run its source.
 */
export function instantiateKernels(
  fast: object,
  slow: object,
  prop: object,
  tables: Uint8Array,
  layout: Layout,
  memory: { buffer: ArrayBuffer } | null,
): Kernels {
  type Api = {
    Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
    Instance: new (m: object, i: object) => { exports: Record<string, unknown> };
  };
  const api = (globalThis as unknown as { WebAssembly: Api }).WebAssembly;
  if (memory === null) memory = new api.Memory({ initial: layout.PAGES });
  new Uint8Array(memory.buffer).set(tables);
  const a = new api.Instance(fast, { env: { memory } }).exports;
  const b = new api.Instance(slow, { env: { memory, bits: a.bits } }).exports;
  const c = new api.Instance(prop, { env: { memory, bits: a.bits, log: b.log } }).exports;
  const buffer = memory.buffer;
  return {
    fns: { ...a, ...b, ...c } as Record<string, (...args: number[]) => number>,
    u32: new Uint32Array(buffer),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
    i32: new Int32Array(buffer),
    layout,
  };
}

/**
 * Runs `job` for out[k] = element start + k, chunk by chunk: element e is output e − e₀ of the
 * chunk that starts at block b₀, e₀ = epb·b₀ (epb = 2 elements per block for float64, else 4);
 * the draws left by the slow kernel go to `finish`. An `out` in the instance's memory is copied
 * to by `memory.copy` (a TypedArray copy into shared memory is much slower). Self-contained:
 * workers run its source.
 */
export function runJob(w: Kernels, job: Job, out: Out, start: number, finish: Finish | null): void {
  const { OUT, CHUNK, REJ, QUANTUM } = w.layout;
  const fast = w.fns[job.fast];
  const slow = job.slow === null ? null : w.fns[job.slow];
  const { k0, k1, args, slowArgs } = job;
  const n = out.length;
  if (job.table !== null)
    new Uint8Array(w.u32.buffer, w.layout.ZQ, job.table.length).set(job.table);
  const wide = out instanceof Float64Array;
  const view = wide ? w.f64 : out instanceof Float32Array ? w.f32 : w.u32;
  const epb = wide ? 2 : 4;
  const bpe = wide ? 8 : 4;
  const two32 = 2 ** 32;
  for (let k = 0; k < n; ) {
    const block = Math.floor((start + k) / epb);
    const lane = start + k - block * epb;
    const m = Math.min(n - k, CHUNK - lane);
    const nBlocks = Math.ceil((lane + m) / epb / QUANTUM) * QUANTUM;
    const lo = block % two32;
    const e0 = block * epb;
    const elo = e0 % two32;
    // Outputs start 2 KiB off their destination modulo 4 KiB (OUT ≡ 2 KiB, destination buffers
    // assumed page-aligned): a copy between addresses equal modulo 4 KiB is several times slower.
    const dst = OUT + ((out.byteOffset + (k - lane) * bpe) & 4080);
    let r = fast(k0, k1, lo, (block - lo) / two32, nBlocks, dst, ...args);
    if (r > 0 && slow !== null) r = slow(k0, k1, r, elo, (e0 - elo) / two32, dst, ...slowArgs);
    const first = dst / bpe + lane;
    if (out.buffer === view.buffer) w.fns.copy(out.byteOffset + k * bpe, first * bpe, m * bpe);
    else out.set(view.subarray(first, first + m) as never, k);
    for (let j = 0; j < r && finish !== null; j++) {
      const c = w.i32[(REJ >> 2) + 4 * j];
      if (c >= lane && c < lane + m) {
        finish(k + c - lane, e0 + c, w.i32[(REJ >> 2) + 4 * j + 1], w.f64[(REJ >> 3) + 2 * j + 1]);
      }
    }
    k += m;
  }
}

/** Runs jobs across threads (see `pool-node.ts`). */
export interface ParallelRunner {
  /** Runs `job` for out[k] = element start + k; false to let the caller run it. */
  run(job: Job, out: Out, start: number, finish: Finish | null): boolean;
}

let instance: Kernels | null | undefined;
let enabled = true;
let minElements = 64;
let parallel: ParallelRunner | null = null;
let parallelMin = 2 ** 20;

/**
 * Per layer i ≥ 1 of the ziggurat, a line under and a line over exp(−u/2) as a function of
 * u = x², on the layer's [X[i+1]², X[i]²] (as a + b·u), moved 10⁻¹² further out (far beyond the
 * rounding of the lines, of x², −x²/2 and of `exp`, all below 10⁻¹⁴): exp(−u/2) is convex in u,
 * so on every layer the tangent at the middle is under and the chord over (in x, where
 * exp(−x²/2) changes convexity at 1, lines leave ten times as many wedge draws undecided). Layer 0
 * (the tail, which has no wedge) gets lines that decide nothing (−∞, +∞): the vector pass of the
 * slow path computes the lines of every layer, and leaves to the scalar code what they do not
 * decide. Computed with the deterministic `exp`.
 */
export function wedgeLines(): Float64Array {
  const lines = new Float64Array(4 * 128);
  lines.set([Number.NEGATIVE_INFINITY, 0, Number.POSITIVE_INFINITY, 0]);
  const f = (u: number) => exp(-0.5 * u);
  for (let i = 1; i < 128; i++) {
    const p = ZIG_X[i + 1] * ZIG_X[i + 1];
    const q = ZIG_X[i] * ZIG_X[i];
    const chordB = (f(q) - f(p)) / (q - p);
    const m = (p + q) / 2;
    // the tangent at m: f(m) + f′(m)·(u − m), f′ = −f/2
    const tangent = [f(m) * (1 + m / 2), -f(m) / 2];
    lines.set([tangent[0] - 1e-12, tangent[1], f(p) - chordB * p + 1e-12, chordB], 4 * i);
  }
  return lines;
}

function instantiate(): Kernels | null {
  // The embedded bytes of what wasm-kernels.ts assembles (faster to start: see the generator).
  const fast = compileModule(() => decodeBase64(WASM_MODULES.fast));
  const slow = compileModule(() => decodeBase64(WASM_MODULES.slow));
  const prop = compileModule(() => decodeBase64(WASM_MODULES.proposal));
  if (fast === null || slow === null || prop === null) return null;
  try {
    const tables = new Float64Array(LAYOUT.TABLES >> 3);
    for (let t = 0; t < 256; t++) {
      tables.set([ZIG_W32[t], ZIG_TH[t]], 2 * t);
      tables.set([ZIG_W64[t], ZIG_TH[t]], 512 + 2 * t);
    }
    tables.set(ZIG_F, 1024);
    tables.set(wedgeLines(), 1280);
    return instantiateKernels(fast, slow, prop, new Uint8Array(tables.buffer), LAYOUT, null);
  } catch {
    return null;
  }
}

function current(): Kernels | null {
  if (instance === undefined) instance = instantiate();
  return instance;
}

/**
 * Turns the WebAssembly kernels on or off (for tests and benchmarks: both paths give the same
 * bits) and sets the least number of elements a fill needs to use them.
 */
export function setWasmRandom(on: boolean, min = 64): void {
  enabled = on;
  minElements = min;
}

/** Whether the WebAssembly kernels exist on this engine (regardless of {@link setWasmRandom}). */
export function wasmRandomAvailable(): boolean {
  return current() !== null;
}

/** The slow path's `exp` and `log` (for tests), or null without WebAssembly SIMD. */
export function wasmMath(): { exp(z: number): number; log(x: number): number } | null {
  const fns = current()?.fns;
  return fns === undefined ? null : { exp: fns.exp, log: fns.log };
}

/**
 * What a worker needs to run jobs on a shared memory of `pages` pages (its first
 * `layout.PAGES` the kernels', the rest free): the modules compiled for such a memory, the
 * initial bytes of the memory and the layout; null without WebAssembly SIMD or shared memory.
 */
export function workerKernels(pages: number): {
  fast: object;
  slow: object;
  prop: object;
  tables: Uint8Array;
  layout: Layout;
} | null {
  const i = current();
  if (i === null) return null;
  const fast = compileModule(() => fastModuleBytes(pages));
  const slow = compileModule(() => slowModuleBytes(pages));
  const prop = compileModule(() => proposalModuleBytes(pages));
  if (fast === null || slow === null || prop === null) return null;
  const tables = new Uint8Array(i.u32.buffer, 0, LAYOUT.TABLES).slice();
  return { fast, slow, prop, tables, layout: LAYOUT };
}

/**
 * Registers the runner that splits fills of at least `min` elements across threads (null: none).
 * The runner calls {@link runJob} on its own instances (and {@link localRun} for its share).
 */
export function setParallelRunner(runner: ParallelRunner | null, min = 2 ** 20): void {
  parallel = runner;
  parallelMin = min;
}

/** The registered runner and its threshold, as {@link setParallelRunner} takes them. */
export function parallelRunner(): [runner: ParallelRunner | null, min: number] {
  return [parallel, parallelMin];
}

/** Runs `job` on this thread's kernels; false without them. */
export function localRun(job: Job, out: Out, start: number, finish: Finish | null): boolean {
  const i = current();
  if (i === null) return false;
  runJob(i, job, out, start, finish);
  return true;
}

/** Runs a job (on the threads of the parallel runner for large fills); false: use JavaScript. */
function run(job: Job, out: Out, start: number, finish: Finish | null): boolean {
  if (!enabled || out.length < minElements || current() === null) return false;
  if (parallel !== null && out.length >= parallelMin && parallel.run(job, out, start, finish)) {
    return true;
  }
  return localRun(job, out, start, finish);
}

/**
 * The uniform fill of `uniform.ts` (d = high − low; t the value from which outputs are replaced
 * by low); false if it did not run (then use JavaScript).
 */
export function wasmUniform(
  k0: number,
  k1: number,
  out: Float32Array | Float64Array,
  low: number,
  d: number,
  t: number,
  start: number,
): boolean {
  const narrow = out instanceof Float32Array;
  // The kernels multiply the integer by ds = d·2^-24 (or 2^-53): the same product if exact.
  const scale = narrow ? 2 ** 24 : 2 ** 53;
  const ds = d / scale;
  if (ds * scale !== d) return false;
  if (!narrow) {
    return run(
      { table: null, k0, k1, fast: 'uniform64', args: [low, ds, t], slow: null, slowArgs: [] },
      out,
      start,
      null,
    );
  }
  // float32: the values replaced by low are those of the integers m ≥ mt (v = low + ds·m is
  // monotone in m), replaced by m = 0, whose value low + ds·0 is low, except for low = −0.
  if (Object.is(low, -0)) return false;
  let lo = 0;
  let hi = 2 ** 24;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (low + ds * mid >= t) hi = mid;
    else lo = mid + 1;
  }
  return run(
    { table: null, k0, k1, fast: 'uniform32', args: [low, ds, lo], slow: null, slowArgs: [] },
    out,
    start,
    null,
  );
}

/** The primary words of `uniformBits`; false if it did not run. */
export function wasmBits(k0: number, k1: number, out: Uint32Array, start: number): boolean {
  return run(
    { table: null, k0, k1, fast: 'words', args: [], slow: null, slowArgs: [] },
    out,
    start,
    null,
  );
}

/**
 * A point x = c + dir·δ (c finite; δ growing from |c|·2⁻⁵⁰) where `ok(x)` holds, for a
 * predicate monotone in x (so it holds beyond); dir·∞ if none is found.
 */
function inward(c: number, dir: 1 | -1, ok: (x: number) => boolean): number {
  let d = Math.max(Math.abs(c), 2 ** -1000) * 2 ** -50;
  for (let i = 0; i < 80; i++, d *= 2) {
    const x = c + dir * d;
    if (ok(x)) return x;
  }
  return dir * Number.POSITIVE_INFINITY;
}

/** The last table of {@link zigQuickTable}, with its bounds. */
let quick: { a: number; b: number; table: Uint8Array } | null = null;

/**
 * The float32 ziggurat fast path's table for the bounds [a, b] (−∞, +∞ for none): per byte t,
 * (W32[t]: f64, L: i32, D: i32) where the integers m of [L, L + D) are those for which
 * x = m·W32[t] passes the fast test |x| < TH[t] and a ≤ x ≤ b. Each condition is monotone in m
 * (|x| = m·|W32[t]| exactly, whatever the sign), so they hold on an interval, whose ends are
 * found with the same float64 products as the tests (a guess by division, then adjusted). The
 * last table is kept: a fill with the same bounds reuses it.
 */
export function zigQuickTable(a: number, b: number): Uint8Array {
  if (quick !== null && Object.is(quick.a, a) && Object.is(quick.b, b)) return quick.table;
  const table = new Uint8Array(4096);
  const f64 = new Float64Array(table.buffer);
  const i32 = new Int32Array(table.buffer);
  const M = 2 ** 24;
  for (let t = 0; t < 256; t++) {
    const w = ZIG_W32[t];
    const s = Math.abs(w);
    /** The least m in [0, 2²⁴] with m·s > c (`strict`) or ≥ c; 2²⁴ if none below. */
    const least = (c: number, strict: boolean) => {
      const ok = (m: number) => (strict ? m * s > c : m * s >= c);
      let m = Math.min(M, Math.max(0, Math.ceil(c / s)));
      while (m > 0 && ok(m - 1)) m--;
      while (m < M && !ok(m)) m++;
      return m;
    };
    // x = m·s ≥ 0 (w > 0) or −m·s (w < 0): a ≤ x ≤ b is a ≤ m·s ≤ b, or −b ≤ m·s ≤ −a.
    const [lo, hi] = w > 0 ? [a, b] : [-b, -a];
    const first = least(lo, false);
    const end = Math.min(least(ZIG_TH[t], false), least(hi, true));
    f64[2 * t] = w;
    i32[4 * t + 2] = first;
    i32[4 * t + 3] = Math.max(0, end - first);
  }
  quick = { a, b, table };
  return table;
}

/**
 * The ziggurat of `normal.ts` / `truncated-normal.ts` (a = −∞, b = +∞ for the normal): outputs
 * mean + std·x for x in [a, b], lo32 where below tLo, else hi32 where above tHi; `finish`
 * completes the draws the kernels leave. False if it did not run.
 */
export function wasmZiggurat(
  k0: number,
  k1: number,
  out: Float32Array | Float64Array,
  mean: number,
  std: number,
  a: number,
  b: number,
  tLo: number,
  tHi: number,
  lo32: number,
  hi32: number,
  start: number,
  finish: Finish,
): boolean {
  const wide = out instanceof Float64Array;
  // The fast path accepts x in [a2, b2] ⊆ [a, b], where no output needs clamping: the rest goes
  // to the slow path, which clamps.
  const v = (x: number) => mean + std * x;
  const a2 = v(a) >= tLo ? a : inward(a, 1, (x) => v(x) >= tLo);
  const b2 = v(b) <= tHi ? b : inward(b, -1, (x) => v(x) <= tHi);
  const bounded = a2 > Number.NEGATIVE_INFINITY || b2 < Number.POSITIVE_INFINITY ? 1 : 0;
  const job: Job = {
    table: wide ? null : zigQuickTable(a2, b2),
    k0,
    k1,
    fast: wide ? 'zig64' : 'zig32',
    args: wide ? [bounded, mean, std, a2, b2] : [mean, std],
    slow: 'finish',
    slowArgs: [wide ? 1 : 0, mean, std, a, b, tLo, tHi, lo32, hi32],
  };
  return run(job, out, start, finish);
}

/**
 * The uniform (kind 1) or exponential (kind 2) proposal of `truncated-normal.ts` on [a, b]
 * (negated if `mirror`; λ the exponential's rate), outputs mean + std·x as in
 * {@link wasmZiggurat}; `finish` redoes the rare draws the kernel leaves. False if it did not run.
 */
export function wasmProposal(
  k0: number,
  k1: number,
  out: Float32Array | Float64Array,
  kind: 1 | 2,
  a: number,
  b: number,
  mirror: boolean,
  lambda: number,
  mean: number,
  std: number,
  tLo: number,
  tHi: number,
  lo32: number,
  hi32: number,
  start: number,
  finish: Finish,
): boolean {
  const wide = out instanceof Float64Array;
  const job: Job = {
    table: null,
    k0,
    k1,
    fast: 'count',
    args: [wide ? 2 : 4],
    slow: 'tprop',
    slowArgs: [wide ? 1 : 0, kind, a, b, mirror ? 1 : 0, lambda, mean, std, tLo, tHi, lo32, hi32],
  };
  return run(job, out, start, finish);
}
