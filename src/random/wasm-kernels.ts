/**
 * WebAssembly SIMD kernels of the samplers, assembled here from readable instructions (the
 * assembler is `tensor/wasm-assembler.ts`; no build step, no binary blob) into three modules of
 * under 4 KiB each (compiled synchronously, once; `wasm.ts` instantiates and drives them) that
 * share one memory:
 * - the fast paths: Philox4x32-10 on 4 blocks per vector (8 per iteration), and the uniform and
 *   ziggurat samplers reading its words, writing a chunk of outputs (uniform float32 fused with
 *   Philox, in the third module; uniform float64 and the words in the second, for room);
 * - the slow path of the ziggurat: the draws the fast path rejected continue on their private
 *   streams (Philox blocks computed 8 at a time), two per vector where the first block decides
 *   them simply (~95 %), else one by one through the wedge test and the tail (with ports of the
 *   deterministic `exp` and `log`) and the truncation's redraws. A draw that needs
 *   more than its first private block is redone with four, and only then, rarely, left to
 *   JavaScript, which redoes it from the start.
 *
 * They compute exactly the bits of the JavaScript samplers (which stay the fallback where
 * WebAssembly SIMD is unavailable): Philox is exact integer arithmetic (`i64x2.extmul` gives the
 * 64-bit products); the samplers use only IEEE-754 add, subtract, multiply, divide and compares
 * in the order the JavaScript writes them, and `f32.demote_f64`, which rounds to nearest-even
 * like `Math.fround`. Tests check both paths against each other and against the golden vectors.
 *
 * Every kernel `name(k0, k1, lo, hi, n, dst, ...args)` of the fast module fills the outputs of
 * n blocks from block hi·2³² + lo at byte dst and returns its number of rejections (in REJ).
 *
 * Memory (imported as `env.memory`, byte offsets, see {@link LAYOUT}):
 * - ZT32 (0): 256 × (ZIG_W32[t], ZIG_TH[t]); ZT64 (4096): 256 × (ZIG_W64[t], ZIG_TH[t]);
 *   ZF (8192): ZIG_F[0 … 128]; QT (10240): the wedge's lines (a, b, a′, b′) per layer (32 bytes).
 * - ZQ (14336): the float32 ziggurat's quick test, per fill: 256 × (ZIG_W32[t]: f64, L: i32,
 *   D: i32), written by the driver (see {@link zigFunction}).
 * - SCR: the Philox words of up to {@link GB} blocks; MASK: the ziggurat's rejected lanes of a
 *   batch (a byte per 16 bytes of words).
 * - OUT: a chunk of up to {@link CHUNK} outputs (float32, float64 or words), starting between
 *   OUT and OUT + 4 KiB (see {@link OUT}).
 * - REJ: up to CHUNK entries (k: i32, t: i32, x: f64), the draws the fast path rejected
 *   (output k of the chunk, byte t and value x of its first attempt).
 * - CTR, PRIV: the private-stream counters of the rejected draws, and their first blocks.
 *
 * @internal
 */

import {
  BLOCK,
  br,
  brIf,
  call,
  ELSE,
  END,
  F32_DEMOTE_F64,
  F32X4_DEMOTE_F64X2_ZERO,
  F64,
  F64_ABS,
  F64_ADD,
  F64_CONVERT_I32_S,
  F64_CONVERT_I32_U,
  F64_DIV,
  F64_EQ,
  F64_GE,
  F64_GT,
  F64_LE,
  F64_LT,
  F64_MUL,
  F64_NEG,
  F64_REINTERPRET_I64,
  F64_SUB,
  F64X2_ABS,
  F64X2_ADD,
  F64X2_CONVERT_LOW_I32X4_S,
  F64X2_GE,
  F64X2_GT,
  F64X2_LE,
  F64X2_LT,
  F64X2_MUL,
  F64X2_SPLAT,
  F64X2_SUB,
  Fn,
  f32Store,
  f64,
  f64Load,
  f64Store,
  f64x2Lane,
  I32,
  I32_ADD,
  I32_AND,
  I32_EQ,
  I32_EQZ,
  I32_GE_U,
  I32_GT_S,
  I32_GT_U,
  I32_LT_U,
  I32_MUL,
  I32_OR,
  I32_SHL,
  I32_SHR_S,
  I32_SHR_U,
  I32_SUB,
  I32_TRUNC_F64_S,
  I32_WRAP_I64,
  I32_XOR,
  I32X4_ADD,
  I32X4_BITMASK,
  I32X4_GT_S,
  I32X4_LT_U,
  I32X4_MUL,
  I32X4_SHR_U,
  I32X4_SPLAT,
  I32X4_SUB,
  I64,
  I64_ADD,
  I64_AND,
  I64_CTZ,
  I64_EQZ,
  I64_EXTEND_I32_U,
  I64_OR,
  I64_REINTERPRET_F64,
  I64_SHL,
  I64_SHR_U,
  I64_SUB,
  I64X2_BITMASK,
  I64X2_EXTMUL_HIGH_U,
  I64X2_EXTMUL_LOW_U,
  IF,
  i32,
  i32Load,
  i32Load8U,
  i32Store,
  i32Store8,
  i32x4,
  i32x4Lane,
  i64,
  i64Load,
  ifResult,
  LOOP,
  MEMORY_COPY,
  moduleBytes,
  type Part,
  RETURN,
  SELECT,
  shuffle32,
  shuffle64,
  V_AND,
  V_BITSELECT,
  V_LOAD,
  V_OR,
  V_STORE,
  V_XOR,
  V128,
} from '../tensor/wasm-assembler.js';
import { PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1 } from './philox.js';
import { ZIG_R } from './ziggurat-tables.js';

const ZT32 = 0;
const ZT64 = 4096;
const ZF = 8192;
/** The wedge's quick bounds: per layer i, (a, b) of a lower and (a, b) of an upper line a + b·x². */
const QT = 10240;
/** The float32 fast path's table of a fill: per byte t, W32[t] and its accepted m ∈ [L, L + D). */
const ZQ = 14336;
const SCR = ZQ + 4096;
/** Blocks of Philox words generated per batch (1 KiB, stays in L1 while converted). */
const GB = 64;
/** The fast path's rejected lanes: a byte per vector of words of a batch (GB bytes). */
const MASK = SCR + 16 * GB;
/**
 * The outputs of a chunk start between OUT and OUT + 4 KiB, at the offset modulo 4 KiB of their
 * destination plus 2 KiB, assuming a page-aligned destination buffer (large typed arrays are):
 * copying between addresses equal modulo 4 KiB is several times slower (4K aliasing).
 */
const OUT = 20480 + 2048;
/** Elements per chunk (per call of a sampler kernel). */
const CHUNK = 16384;
const REJ = OUT + 4096 + 8 * CHUNK;
const CTR = REJ + 16 * CHUNK;
const PRIV = CTR + 12 * CHUNK;
const PAGES = Math.ceil((PRIV + 16 * CHUNK) / 65536);
/** Groups of four blocks per iteration of the Philox kernel (instruction-level parallelism). */
const G = 2;
/**
 * Rounds per iteration of the round loop (a divisor of 10): 5 rather than 2 is 2-3 % faster on the
 * fused uniform float32 and keeps each module under 4 KiB (10 would not).
 */
const UNROLL = 5;
/**
 * What the drivers need of the memory layout: the outputs' base (OUT), the chunk (CHUNK
 * elements), the rejections (REJ), the blocks per call (a multiple of QUANTUM), the tables'
 * end (TABLES: the bytes to copy into a new instance's memory), the memory's pages, and where a
 * job's table goes (ZQ).
 */
export const LAYOUT = {
  ZQ,
  OUT,
  CHUNK,
  REJ,
  QUANTUM: 4 * G,
  TABLES: SCR,
  PAGES,
} as const;

/** The kernels' layout. */
export type Layout = typeof LAYOUT;

/** Function indices in the slow-path module (after the imported `bits`). */
const EXP = 1;
const LOG = 2;

// ---------------------------------------------------------------------------------------------
// Philox4x32-10, 4·G blocks per iteration.

/**
 * `bits(k0, k1, lo, hi, c2, c3, n, dst, list)`: Philox4x32-10 of n counters (n a multiple of
 * 4·G), each block's 4 words at dst + 16j. With list = 0 the counters are (b mod 2³², ⌊b/2³²⌋,
 * c2, c3), b = hi·2³² + lo + j; otherwise block j's first three counter words are read from
 * list + 48⌊j/4⌋ + 4(j mod 4), that + 16 and that + 32 (c2 unused). Lane l of vector x_g,w
 * holds word w of block 4g + l; a round is (hi₀, lo₀) = M0·x₀, (hi₁, lo₁) = M1·x₂,
 * x ← (hi₁ ⊕ x₁ ⊕ ka, lo₁, hi₀ ⊕ x₃ ⊕ kb, lo₀), the high words from
 * `i64x2.extmul_{low,high}_i32x4_u` and a shuffle, the low from `i32x4.mul`.
 *
 * With `fused`, the sampler `uniform32(k0, k1, lo, hi, n, dst, low, ds, mt)` → 0 instead, its
 * words converted in registers (8-10 % faster than through SCR): float32 element 4b + l of word
 * l (w) of block b is v = low + ds·m in float64, m = w ≫ 8, or m = 0 where m ≥ mt, rounded to
 * float32 (ds = (high − low)·2⁻²⁴, exact, so v is the JavaScript's low + d·((w ≫ 8)·2⁻²⁴); mt
 * is the least m whose v reaches the JavaScript's threshold, 2²⁴ if none: those values are
 * replaced by low = low + ds·0, an integer test instead of a float64 compare and select).
 */
function bitsFunction(fused = false): Fn {
  const f = fused
    ? new Fn(
        'uniform32',
        ['k0', 'k1', 'lo', 'hi', 'n', 'dst', 'low', 'ds', 'mt'],
        [I32, I32, I32, I32, I32, I32, F64, F64, F64],
        [I32],
      )
    : new Fn('bits', ['k0', 'k1', 'lo', 'hi', 'c2', 'c3', 'n', 'dst', 'list']);
  f.local(I32, 'end', 'r');
  if (fused) {
    f.local(I32, 'c2', 'c3', 'list');
    f.local(V128, 'lowv', 'dsv', 'mtv', 'm', 'a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3');
    f.set('lowv', 'low', F64X2_SPLAT);
    f.set('dsv', 'ds', F64X2_SPLAT);
    f.set('mtv', 'mt', I32_TRUNC_F64_S, I32X4_SPLAT);
  }
  f.local(V128, 'c0v', 'c1v', 'c2v', 'c3v', 'm0', 'm1', 'w0', 'w1', 'four', 'ka', 'kb', 'next');
  const x = (g: number, w: number) => `x${g}${w}`;
  const t = (g: number, i: number) => `t${g}${i}`;
  const y = (g: number) => `y${g}`;
  for (let g = 0; g < G; g++) {
    f.local(V128, x(g, 0), x(g, 1), x(g, 2), x(g, 3), t(g, 0), t(g, 1), t(g, 2), t(g, 3), y(g));
  }
  const HI = shuffle32(1, 3, 5, 7);
  // Counters of the first group: lane l is block lo + l, carrying into hi where lo + l wraps.
  f.set('c0v', 'lo', I32X4_SPLAT, i32x4(0, 1, 2, 3), I32X4_ADD);
  f.set('c1v', 'hi', I32X4_SPLAT, 'c0v', 'lo', I32X4_SPLAT, I32X4_LT_U, I32X4_SUB);
  f.set('c2v', 'c2', I32X4_SPLAT);
  f.set('c3v', 'c3', I32X4_SPLAT);
  f.set('m0', i32(PHILOX_M0), I32X4_SPLAT);
  f.set('m1', i32(PHILOX_M1), I32X4_SPLAT);
  f.set('w0', i32(PHILOX_W0), I32X4_SPLAT);
  f.set('w1', i32(PHILOX_W1), I32X4_SPLAT);
  f.set('four', i32x4(4, 4, 4, 4));
  f.set('end', 'dst', 'n', i32(4), I32_SHL, I32_ADD);
  f.emit(BLOCK, 'dst', 'end', I32_GE_U, brIf(0), LOOP);
  for (let g = 0; g < G; g++) {
    if (fused) {
      f.set(x(g, 0), 'c0v');
      f.set(x(g, 1), 'c1v');
      f.set(x(g, 2), 'c2v');
      f.set(x(g, 3), 'c3v');
      f.set('next', 'c0v', 'four', I32X4_ADD);
      f.set('c1v', 'c1v', 'next', 'c0v', I32X4_LT_U, I32X4_SUB);
      f.set('c0v', 'next');
      continue;
    }
    f.emit('list', IF);
    f.set(x(g, 0), 'list', V_LOAD());
    f.set(x(g, 1), 'list', V_LOAD(16));
    f.set(x(g, 2), 'list', V_LOAD(32));
    f.set('list', 'list', i32(48), I32_ADD);
    f.emit(ELSE);
    f.set(x(g, 0), 'c0v');
    f.set(x(g, 1), 'c1v');
    f.set(x(g, 2), 'c2v');
    f.set('next', 'c0v', 'four', I32X4_ADD);
    f.set('c1v', 'c1v', 'next', 'c0v', I32X4_LT_U, I32X4_SUB);
    f.set('c0v', 'next');
    f.emit(END);
    f.set(x(g, 3), 'c3v');
  }
  f.set('ka', 'k0', I32X4_SPLAT);
  f.set('kb', 'k1', I32X4_SPLAT);
  f.set('r', i32(10 / UNROLL));
  f.emit(LOOP);
  for (let u = 0; u < UNROLL; u++) {
    for (let g = 0; g < G; g++) {
      f.set(t(g, 0), x(g, 0), 'm0', I64X2_EXTMUL_LOW_U);
      f.set(t(g, 1), x(g, 0), 'm0', I64X2_EXTMUL_HIGH_U);
      f.set(t(g, 2), x(g, 2), 'm1', I64X2_EXTMUL_LOW_U);
      f.set(t(g, 3), x(g, 2), 'm1', I64X2_EXTMUL_HIGH_U);
    }
    // The low words by i32x4.mul rather than a shuffle of the products: V8 lowers each extmul to
    // two unpacks and a pmuludq, so shuffles, not multiplies, bound the loop (~10 % faster).
    for (let g = 0; g < G; g++) {
      f.set(y(g), x(g, 0), 'm0', I32X4_MUL);
      f.set(x(g, 0), t(g, 2), t(g, 3), HI, x(g, 1), V_XOR, 'ka', V_XOR);
      f.set(x(g, 1), x(g, 2), 'm1', I32X4_MUL);
      f.set(x(g, 2), t(g, 0), t(g, 1), HI, x(g, 3), V_XOR, 'kb', V_XOR);
      f.set(x(g, 3), y(g));
    }
    f.set('ka', 'ka', 'w0', I32X4_ADD);
    f.set('kb', 'kb', 'w1', I32X4_ADD);
  }
  f.tee('r', 'r', i32(1), I32_SUB);
  f.emit(brIf(0), END);
  if (fused) {
    // uniform32's values of word w of blocks 4g + l (lanes l of x_gw), as float32 pairs
    // a_w = (block 4g, 4g + 1), b_w = (4g + 2, 4g + 3), transposed into the blocks' outputs.
    for (let g = 0; g < G; g++) {
      for (let w = 0; w < 4; w++) {
        f.set('m', x(g, w), i32(8), I32X4_SHR_U);
        f.set('m', 'm', 'mtv', 'm', I32X4_GT_S, V_AND);
        f.set(`a${w}`, ...scaled('m'), F32X4_DEMOTE_F64X2_ZERO);
        f.set(`b${w}`, ...scaled('m', 'm', shuffle32(2, 3, 2, 3)), F32X4_DEMOTE_F64X2_ZERO);
      }
      for (const [h, v] of [
        [0, 'a'],
        [1, 'b'],
      ] as const) {
        f.set(t(g, 0), `${v}0`, `${v}1`, shuffle32(0, 4, 1, 5));
        f.set(t(g, 1), `${v}2`, `${v}3`, shuffle32(0, 4, 1, 5));
        const o = 64 * g + 32 * h;
        f.emit('dst', t(g, 0), t(g, 1), shuffle64(0, 2), V_STORE(o));
        f.emit('dst', t(g, 0), t(g, 1), shuffle64(1, 3), V_STORE(o + 16));
      }
    }
    f.set('dst', 'dst', i32(64 * G), I32_ADD);
    f.emit('dst', 'end', I32_LT_U, brIf(0), END, END, i32(0));
    return f;
  }
  // Transpose: block 4g + l is (x_g0[l], x_g1[l], x_g2[l], x_g3[l]).
  for (let g = 0; g < G; g++) {
    f.set(t(g, 0), x(g, 0), x(g, 1), shuffle32(0, 4, 1, 5));
    f.set(t(g, 1), x(g, 0), x(g, 1), shuffle32(2, 6, 3, 7));
    f.set(t(g, 2), x(g, 2), x(g, 3), shuffle32(0, 4, 1, 5));
    f.set(t(g, 3), x(g, 2), x(g, 3), shuffle32(2, 6, 3, 7));
    const o = 64 * g;
    f.emit('dst', t(g, 0), t(g, 2), shuffle64(0, 2), V_STORE(o));
    f.emit('dst', t(g, 0), t(g, 2), shuffle64(1, 3), V_STORE(o + 16));
    f.emit('dst', t(g, 1), t(g, 3), shuffle64(0, 2), V_STORE(o + 32));
    f.emit('dst', t(g, 1), t(g, 3), shuffle64(1, 3), V_STORE(o + 48));
  }
  f.set('dst', 'dst', i32(64 * G), I32_ADD);
  f.emit('dst', 'end', I32_LT_U, brIf(0), END, END);
  return f;
}

// ---------------------------------------------------------------------------------------------
// Fast paths: batches of GB blocks from `bits` into SCR, converted into the chunk's outputs.

/**
 * A sampler `name(k0, k1, lo, hi, n, dst, ...extra) → cnt` over n blocks (a multiple of 4·G)
 * from block hi·2³² + lo, its outputs from dst: `setup` runs once, `convert` once per 16 bytes
 * of words at `p` (writing 16 bytes of outputs at `o`, and counting rejections in the local
 * `cnt`, 0 at the start).
 */
function sampler(
  name: string,
  extra: readonly string[],
  setup: (f: Fn) => void,
  convert: (f: Fn) => void,
  after?: (f: Fn) => void,
): Fn {
  const params = ['k0', 'k1', 'lo', 'hi', 'n', 'dst', ...extra];
  const types = [I32, I32, I32, I32, I32, I32, ...extra.map((e) => (e === 'bounded' ? I32 : F64))];
  const f = new Fn(name, params, types, [I32]);
  f.local(I32, 'o', 'p', 'nb', 'end', 'cnt');
  setup(f);
  f.set('o', 'dst');
  f.emit(BLOCK, LOOP, 'n', I32_EQZ, brIf(1));
  f.set('nb', 'n', i32(GB), 'n', i32(GB), I32_LT_U, SELECT);
  f.emit('k0', 'k1', 'lo', 'hi', i32(0), i32(0), 'nb', i32(SCR), i32(0), call(0));
  f.set('lo', 'lo', 'nb', I32_ADD);
  f.set('hi', 'hi', 'lo', 'nb', I32_LT_U, I32_ADD);
  f.set('n', 'n', 'nb', I32_SUB);
  f.set('p', i32(SCR));
  f.set('end', 'nb', i32(4), I32_SHL, i32(SCR), I32_ADD);
  f.emit(LOOP);
  convert(f);
  f.set('p', 'p', i32(16), I32_ADD);
  f.set('o', 'o', i32(16), I32_ADD);
  f.emit('p', 'end', I32_LT_U, brIf(0), END);
  after?.(f);
  f.emit(br(0), END, END);
  f.emit('cnt');
  return f;
}

/** Splats f64 parameters into v128 locals of the same name + 'v'. */
function splats(f: Fn, ...names: string[]): void {
  for (const n of names) {
    f.local(V128, `${n}v`);
    f.set(`${n}v`, n, F64X2_SPLAT);
  }
}

/** low + ds·m for the integers m in the low two i32 lanes of `m` (as f64x2). */
const scaled = (...m: Part[]): Part[] => [
  'lowv',
  'dsv',
  ...m,
  F64X2_CONVERT_LOW_I32X4_S,
  F64X2_MUL,
  F64X2_ADD,
];

const IF_I32 = ifResult(I32);

/**
 * `uniform64(k0, k1, lo, hi, n, dst, low, ds, high)`: float64 elements 2b, 2b + 1 of words
 * (0, 1) and (2, 3) of block b: v = low + ds·((w₀ ≫ 5)·2²⁶ + (w₁ ≫ 6)) (ds = (high − low)·2⁻⁵³,
 * exact), `low` where v ≥ high.
 */
function uniform64Function(): Fn {
  return sampler(
    'uniform64',
    ['low', 'ds', 'high'],
    (f) => {
      splats(f, 'low', 'ds', 'high');
      f.local(V128, 's26', 'a', 'v');
      f.set('s26', f64(2 ** 26), F64X2_SPLAT);
    },
    (f) => {
      // a = (w₀ ≫ 5, w₂ ≫ 5, w₁ ≫ 6, w₃ ≫ 6)
      f.set('a', 'p', V_LOAD(), i32(5), I32X4_SHR_U, 'p', V_LOAD(), i32(6), I32X4_SHR_U);
      f.set('a', 'a', shuffle32(0, 2, 5, 7));
      f.set('v', 'a', F64X2_CONVERT_LOW_I32X4_S, 's26', F64X2_MUL);
      f.set('v', 'v', 'a', 'a', shuffle32(2, 3, 2, 3), F64X2_CONVERT_LOW_I32X4_S, F64X2_ADD);
      f.set('v', 'lowv', 'dsv', 'v', F64X2_MUL, F64X2_ADD);
      f.emit('o', 'lowv', 'v', 'v', 'highv', F64X2_GE, V_BITSELECT, V_STORE());
    },
  );
}

/**
 * `zig64(k0, k1, lo, hi, n, dst, bounded, mean, std, a, b)` / `zig32(k0, k1, lo, hi, n, dst,
 * mean, std)` → rejections: the ziggurat fast path of the normal and truncated-normal samplers.
 * Per element: byte t and x = m·W[t] (m = w ≫ 8, or (w₀ ≫ 8)·2²⁹ + (w₁ ≫ 3) for float64),
 * output mean + std·x; accepted if |x| < TH[t] and a ≤ x ≤ b (bounds inside which no output
 * needs clamping, ±∞ if not `bounded`), else appended to REJ: after each batch, in order, from a
 * byte mask per vector (no branch per vector: 15-20 % faster on the truncated normal than
 * recording lanes as they come). For float32 these conditions hold exactly for the integers m of
 * an interval [L, L + D) per t (each is monotone in m: x = ±m·|W[t]|), computed per fill by the
 * driver into ZQ with W[t]: the test is (m − L) < D, unsigned, in i32 lanes (no float compares).
 */
function zigFunction(wide: boolean): Fn {
  const lanes = wide ? 2 : 4;
  const halves = wide ? 1 : 2;
  return sampler(
    wide ? 'zig64' : 'zig32',
    wide ? ['bounded', 'mean', 'std', 'a', 'b'] : ['mean', 'std'],
    (f) => {
      splats(f, 'mean', 'std', ...(wide ? ['a', 'b'] : []));
      f.local(V128, 'w', 'm', 'e0', 'e1', 'e2', 'e3', 'x0', 'x1', 'v0', 'v1', 'ok0', 'ok1', 's29');
      f.local(I32, 'bits', 'q', 'j', 'w0', 't0', 'q2');
      f.local(I64, 'mm');
      f.local(F64, 'x');
      f.set('s29', f64(2 ** 29), F64X2_SPLAT);
    },
    (f) => {
      f.set('w', 'p', V_LOAD());
      // Table entries (W[t], TH[t]) or (W[t], L, D) of each element's byte t (its first word's
      // low byte).
      for (let j = 0; j < lanes; j++) {
        f.set(`e${j}`, 'p', i32Load8U((16 / lanes) * j), i32(4), I32_SHL, V_LOAD(wide ? ZT64 : ZQ));
      }
      if (wide) {
        // m = (w₀ ≫ 8)·2²⁹ + (w₁ ≫ 3) for the two elements (w₀, w₁), (w₂, w₃)
        f.set('m', 'w', i32(8), I32X4_SHR_U, 'w', i32(3), I32X4_SHR_U, shuffle32(0, 2, 5, 7));
        f.set('x0', 'm', F64X2_CONVERT_LOW_I32X4_S, 's29', F64X2_MUL);
        f.set('x0', 'x0', 'm', 'm', shuffle32(2, 3, 2, 3), F64X2_CONVERT_LOW_I32X4_S, F64X2_ADD);
        f.set('x0', 'x0', 'e0', 'e1', shuffle64(0, 2), F64X2_MUL);
      } else {
        f.set('m', 'w', i32(8), I32X4_SHR_U);
        f.set('x0', 'm', F64X2_CONVERT_LOW_I32X4_S, 'e0', 'e1', shuffle64(0, 2), F64X2_MUL);
        f.set('x1', 'm', 'm', shuffle32(2, 3, 2, 3), F64X2_CONVERT_LOW_I32X4_S);
        f.set('x1', 'x1', 'e2', 'e3', shuffle64(0, 2), F64X2_MUL);
      }
      for (let h = 0; h < halves; h++) {
        f.set(`v${h}`, 'stdv', `x${h}`, F64X2_MUL, 'meanv', F64X2_ADD);
      }
      if (wide) {
        f.set('ok0', 'x0', F64X2_ABS, 'e0', 'e1', shuffle64(1, 3), F64X2_LT);
        f.emit('bounded', IF);
        f.set('ok0', 'ok0', 'x0', 'av', F64X2_GE, V_AND, 'x0', 'bv', F64X2_LE, V_AND);
        f.emit(END);
        f.emit('o', 'v0', V_STORE());
        f.set('bits', 'ok0', I64X2_BITMASK);
      } else {
        f.emit('o', 'v0', F32X4_DEMOTE_F64X2_ZERO, 'v1', F32X4_DEMOTE_F64X2_ZERO);
        f.emit(shuffle32(0, 1, 4, 5), V_STORE());
        // (L, D) of lanes (0, 1) and (2, 3), then m − L < D
        f.set('ok0', 'e0', 'e1', shuffle32(2, 3, 6, 7));
        f.set('ok1', 'e2', 'e3', shuffle32(2, 3, 6, 7));
        f.emit('m', 'ok0', 'ok1', shuffle32(0, 2, 4, 6), I32X4_SUB, 'ok0', 'ok1');
        f.set('bits', shuffle32(1, 3, 5, 7), I32X4_LT_U, I32X4_BITMASK);
      }
      // The rejected lanes (bits clear) of vector (p − SCR)/16 of the batch, in a byte of MASK.
      f.emit('p', i32(4), I32_SHR_U, 'bits', i32((1 << lanes) - 1), I32_XOR);
      f.emit(i32Store8(MASK - SCR / 16));
    },
    (f) => {
      // Rejections: (k, t, x) of the batch's rejected elements, in order, from MASK (8 vectors
      // per i64, skipped while 0; ctz finds the next): no branch per vector, few mispredicted.
      // x is recomputed from the words in SCR, as the vector code computes it.
      f.set('q', i32(0));
      f.set('mm', i32(MASK), i64Load());
      f.emit(BLOCK, LOOP, 'mm', I64_EQZ, IF);
      f.set('q', 'q', i32(8), I32_ADD);
      f.emit('q', 'nb', I32_GE_U, brIf(2));
      f.set('mm', 'q', i64Load(MASK));
      f.emit(br(1), END);
      f.set('j', 'mm', I64_CTZ, I32_WRAP_I64);
      f.set('mm', 'mm', 'mm', i64(1n), I64_SUB, I64_AND);
      // j = the batch's element (q + ⌊j/8⌋)·lanes + j mod 8; w its first word, in SCR
      f.emit('q', 'j', i32(3), I32_SHR_U, I32_ADD, i32(lanes), I32_MUL);
      f.set('j', 'j', i32(7), I32_AND, I32_ADD);
      f.set('w0', 'j', i32(16 / lanes), I32_MUL, i32(SCR), I32_ADD);
      f.set('t0', 'w0', i32Load8U(), i32(4), I32_SHL);
      f.set('x', 'w0', i32Load(), i32(8), I32_SHR_U, F64_CONVERT_I32_U);
      if (wide) {
        f.set(
          'x',
          'x',
          f64(2 ** 29),
          F64_MUL,
          'w0',
          i32Load(4),
          i32(3),
          I32_SHR_U,
          F64_CONVERT_I32_U,
          F64_ADD,
        );
      }
      f.set('x', 'x', 't0', f64Load(wide ? ZT64 : ZT32), F64_MUL);
      f.set('q2', 'cnt', i32(4), I32_SHL, i32(REJ), I32_ADD);
      f.emit(
        'q2',
        'o',
        'nb',
        i32(4),
        I32_SHL,
        I32_SUB,
        'dst',
        I32_SUB,
        i32(wide ? 3 : 2),
        I32_SHR_U,
      );
      f.emit('j', I32_ADD, i32Store());
      f.emit('q2', 't0', i32(4), I32_SHR_U, i32Store(4), 'q2', 'x', f64Store(8));
      f.set('cnt', 'cnt', i32(1), I32_ADD);
      f.emit(br(0), END, END);
    },
  );
}

/** `words(k0, k1, lo, hi, n, dst)` → 0: the primary words of n blocks at dst. */
function wordsFunction(): Fn {
  const f = new Fn('words', ['k0', 'k1', 'lo', 'hi', 'n', 'dst'], undefined, [I32]);
  f.emit('k0', 'k1', 'lo', 'hi', i32(0), i32(0), 'n', 'dst', i32(0), call(0), i32(0));
  return f;
}

/** `copy(dst, src, bytes)`: `memory.copy` (a plain copy, also in a shared memory). */
function copyFunction(): Fn {
  return new Fn('copy', ['dst', 'src', 'n']).emit('dst', 'src', 'n', MEMORY_COPY);
}

/**
 * The fast-path module's bytes: imports `env.memory` (shared, of at most `sharedMaxPages` pages,
 * if given: for workers); exports bits, zig32/64 and copy.
 */
export function fastModuleBytes(sharedMaxPages?: number): Uint8Array {
  return moduleBytes(
    [bitsFunction(), zigFunction(false), zigFunction(true), copyFunction()],
    PAGES,
    [],
    sharedMaxPages,
  );
}

// ---------------------------------------------------------------------------------------------
// The slow path of the ziggurat.

// fdlibm e_exp.c constants (as in detmath.ts).
const LN2_HI = 0.6931471803691238; // 3fe62e42 fee00000
const LN2_LO = 1.9082149292705877e-10; // 3dea39ef 35793c76
const INVLN2 = Math.LOG2E; // 3ff71547 652b82fe
const P = [
  0.16666666666666602, -0.0027777777777015593, 0.00006613756321437934, -0.0000016533902205465252,
  4.1381367970572385e-8,
];

/**
 * `exp(z)` for −709 < z ≤ 0: the steps of detmath's `exp` (fdlibm `__ieee754_exp`) for that
 * range, operation for operation, so the same bits.
 */
function expFunction(): Fn {
  const f = new Fn('exp', ['z'], [F64], [F64]);
  f.local(I32, 'hx', 'k');
  f.local(F64, 'hi', 'lo', 'x', 't', 'c');
  f.set(
    'hx',
    'z',
    I64_REINTERPRET_F64,
    i64(32n),
    I64_SHR_U,
    I32_WRAP_I64,
    i32(0x7fffffff),
    I32_AND,
  );
  f.set('x', 'z');
  f.emit('hx', i32(0x3fd62e42), I32_GT_U, IF); // |z| > ln2/2: z = k·ln2 + (hi − lo)
  f.emit('hx', i32(0x3ff0a2b2), I32_LT_U, IF); // and |z| < 1.5·ln2 (z < 0): k = −1
  f.set('hi', 'z', f64(LN2_HI), F64_ADD);
  f.set('lo', f64(-LN2_LO));
  f.set('k', i32(-1));
  f.emit(ELSE);
  f.set('k', f64(INVLN2), 'z', F64_MUL, f64(-0.5), F64_ADD, I32_TRUNC_F64_S);
  f.set('hi', 'z', 'k', F64_CONVERT_I32_S, f64(LN2_HI), F64_MUL, F64_SUB);
  f.set('lo', 'k', F64_CONVERT_I32_S, f64(LN2_LO), F64_MUL);
  f.emit(END);
  f.set('x', 'hi', 'lo', F64_SUB);
  f.emit(ELSE, 'hx', i32(0x3e300000), I32_LT_U, IF, f64(1), 'z', F64_ADD, RETURN, END, END);
  f.set('t', 'x', 'x', F64_MUL);
  // c = x − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5))))
  f.emit('x', 't', f64(P[0]), 't', f64(P[1]), 't', f64(P[2]), 't', f64(P[3]), 't', f64(P[4]));
  f.set(
    'c',
    F64_MUL,
    F64_ADD,
    F64_MUL,
    F64_ADD,
    F64_MUL,
    F64_ADD,
    F64_MUL,
    F64_ADD,
    F64_MUL,
    F64_SUB,
  );
  f.emit('k', I32_EQZ, IF); // 1 − ((x·c)/(c − 2) − x)
  f.emit(f64(1), 'x', 'c', F64_MUL, 'c', f64(2), F64_SUB, F64_DIV, 'x', F64_SUB, F64_SUB, RETURN);
  f.emit(END); // (1 − ((lo − (x·c)/(2 − c)) − hi))·2ᵏ
  f.emit(f64(1), 'lo', 'x', 'c', F64_MUL, f64(2), 'c', F64_SUB, F64_DIV, F64_SUB, 'hi', F64_SUB);
  f.emit(F64_SUB, 'k', i32(1023), I32_ADD, I64_EXTEND_I32_U, i64(52n), I64_SHL);
  f.emit(F64_REINTERPRET_I64, F64_MUL);
  return f;
}

// fdlibm e_log.c constants (as in detmath.ts).
const LG = [
  0.6666666666666735, 0.3999999999940942, 0.2857142874366239, 0.22222198432149784,
  0.1818357216161805, 0.15313837699209373, 0.14798198605116586,
];

/**
 * `log(x)` for normal x > 0: the steps of detmath's `log` (fdlibm `__ieee754_log`) for that
 * range, operation for operation, so the same bits.
 */
function logFunction(): Fn {
  const f = new Fn('log', ['x'], [F64], [F64]);
  f.local(I32, 'hx', 'k', 'i', 'j');
  f.local(F64, 'fm', 'r', 's', 'dk', 'z', 'w', 'h');
  f.set('hx', 'x', I64_REINTERPRET_F64, i64(32n), I64_SHR_U, I32_WRAP_I64);
  f.set('k', 'hx', i32(20), I32_SHR_S, i32(1023), I32_SUB);
  f.set('hx', 'hx', i32(0xfffff), I32_AND);
  f.set('i', 'hx', i32(0x95f64), I32_ADD, i32(0x100000), I32_AND);
  // x or x/2 normalized into [√2/2, √2): its high word becomes hx | (i ^ 0x3ff00000)
  f.emit('x', I64_REINTERPRET_F64, i64(0xffffffffn), I64_AND, 'hx', 'i', i32(0x3ff00000));
  f.set('x', I32_XOR, I32_OR, I64_EXTEND_I32_U, i64(32n), I64_SHL, I64_OR, F64_REINTERPRET_I64);
  f.set('k', 'k', 'i', i32(20), I32_SHR_S, I32_ADD);
  f.set('fm', 'x', f64(1), F64_SUB);
  f.set('dk', 'k', F64_CONVERT_I32_S);
  f.emit(i32(0xfffff), i32(2), 'hx', I32_ADD, I32_AND, i32(3), I32_LT_U, IF); // |f| < 2^-20
  f.emit('fm', f64(0), F64_EQ, IF, 'dk', f64(LN2_HI), F64_MUL, 'dk', f64(LN2_LO), F64_MUL);
  f.emit(F64_ADD, RETURN, END); // k·ln2_hi + k·ln2_lo (0 when k = 0)
  f.emit('fm', 'fm', F64_MUL, f64(0.5), f64(0.3333333333333333), 'fm', F64_MUL, F64_SUB);
  f.set('r', F64_MUL);
  f.emit('k', I32_EQZ, IF, 'fm', 'r', F64_SUB, RETURN, END);
  f.emit('dk', f64(LN2_HI), F64_MUL, 'r', 'dk', f64(LN2_LO), F64_MUL, F64_SUB, 'fm', F64_SUB);
  f.emit(F64_SUB, RETURN, END);
  f.set('s', 'fm', f64(2), 'fm', F64_ADD, F64_DIV);
  f.set('z', 's', 's', F64_MUL);
  f.set('w', 'z', 'z', F64_MUL);
  f.set('i', 'hx', i32(0x6147a), I32_SUB, i32(0x6b851), 'hx', I32_SUB, I32_OR);
  // R = t2 + t1, t1 = w·(Lg2 + w·(Lg4 + w·Lg6)), t2 = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7)))
  f.emit('z', f64(LG[0]), 'w', f64(LG[2]), 'w', f64(LG[4]), 'w', f64(LG[6]), F64_MUL, F64_ADD);
  f.emit(F64_MUL, F64_ADD, F64_MUL, F64_ADD, F64_MUL);
  f.emit('w', f64(LG[1]), 'w', f64(LG[3]), 'w', f64(LG[5]), F64_MUL, F64_ADD, F64_MUL, F64_ADD);
  f.set('r', F64_MUL, F64_ADD);
  f.emit('i', i32(0), I32_GT_S, IF);
  f.set('h', f64(0.5), 'fm', F64_MUL, 'fm', F64_MUL); // hfsq
  // k = 0: f − (hfsq − s·(hfsq + R)); else dk·ln2_hi − ((hfsq − (s·(hfsq + R) + dk·ln2_lo)) − f)
  f.emit('k', I32_EQZ, IF, 'fm', 'h', 's', 'h', 'r', F64_ADD, F64_MUL, F64_SUB, F64_SUB, RETURN);
  f.emit(END, 'dk', f64(LN2_HI), F64_MUL, 'h', 's', 'h', 'r', F64_ADD, F64_MUL, 'dk');
  f.emit(f64(LN2_LO), F64_MUL, F64_ADD, F64_SUB, 'fm', F64_SUB, F64_SUB, RETURN, END);
  // k = 0: f − s·(f − R); else dk·ln2_hi − ((s·(f − R) − dk·ln2_lo) − f)
  f.emit('k', I32_EQZ, IF, 'fm', 's', 'fm', 'r', F64_SUB, F64_MUL, F64_SUB, RETURN, END);
  f.emit('dk', f64(LN2_HI), F64_MUL, 's', 'fm', 'r', F64_SUB, F64_MUL, 'dk', f64(LN2_LO));
  f.emit(F64_MUL, F64_SUB, 'fm', F64_SUB, F64_SUB);
  return f;
}

/**
 * ((a ≫ 5)·2²⁶ + (b ≫ 6) [+ 1])·2⁻⁵³ of the words a, b at local `wp` + off: the 53-bit
 * uniform of `privateU53` (`open`: `privateU53Open`) in `stream.ts`.
 */
const u53 = (off: number, open: boolean): Part[] => [
  'wp',
  i32Load(off),
  i32(5),
  I32_SHR_U,
  F64_CONVERT_I32_U,
  f64(2 ** 26),
  F64_MUL,
  'wp',
  i32Load(off + 4),
  i32(6),
  I32_SHR_U,
  F64_CONVERT_I32_U,
  F64_ADD,
  ...(open ? [f64(1), F64_ADD] : []),
  f64(2 ** -53),
  F64_MUL,
];

/**
 * Stores the float64 `value` to output `k` of the chunk at `dst`: as float64 if the i32 local
 * `wide` is set, else rounded to float32.
 */
function storeOut(f: Fn, k: Part[], value: Part[]): void {
  f.emit('wide', IF, 'dst', ...k, i32(3), I32_SHL, I32_ADD, ...value, f64Store(), ELSE);
  f.emit('dst', ...k, i32(2), I32_SHL, I32_ADD, ...value, F32_DEMOTE_F64, f32Store(), END);
}

/**
 * The vector pass of {@link finishFunction}: the n entries of REJ and their private blocks
 * (PRIV), two entries per iteration (lanes of f64x2; the last entry twice if n is odd), without
 * a branch per entry. It completes the draws whose outcome the first private block decides in
 * the common ways, exactly as the scalar pass would: the first attempt x₀ (byte t₀) is complete
 * if |x₀| < TH[t₀] or, in a layer i ≥ 1, the wedge's y (words 0-1) lies under its lower line;
 * then it is the result if a ≤ x₀ ≤ b. If not (x₀ outside [a, b], or y on or over the upper
 * line), the next attempt x₁ (word 0 if |x₀| < TH[t₀], else word 2; float64: words 0-1 or 2-3)
 * is the result if |x₁| < TH[t₁] and a ≤ x₁ ≤ b. Every entry's output is written (that of an
 * unresolved one is overwritten later); the unresolved ones (layer 0, y between the lines, x₁
 * rejected: ~4 % of the normal's, ~7 % of the ±2σ truncation's) go with their blocks, in order,
 * to the front of REJ and PRIV for the scalar pass (n becomes their number). With no
 * mispredicted branches, the slow path of the ±2σ truncation takes ~25 % less time.
 */
function vectorPass(f: Fn): void {
  splats(f, 'a', 'b', 'mean', 'std', 'tLo', 'tHi', 'lo32', 'hi32');
  f.set('s26', f64(2 ** 26), F64X2_SPLAT);
  f.set('s29', f64(2 ** 29), F64X2_SPLAT);
  f.set('s53', f64(2 ** -53), F64X2_SPLAT);
  f.set('j', i32(0));
  f.set('left', i32(0));
  f.emit(BLOCK, LOOP, 'j', 'n', I32_GE_U, brIf(1));
  // Lane 0 is entry j, lane 1 entry j + 1 if `more` (else j again): their REJ entries at qa,
  // qb, their blocks PRIV − REJ bytes on.
  f.set('qa', 'j', i32(4), I32_SHL, i32(REJ), I32_ADD);
  f.set('more', 'j', i32(1), I32_ADD, 'n', I32_LT_U);
  f.set('qb', 'qa', i32(16), I32_ADD, 'qa', 'more', SELECT);
  const q = ['qa', 'qb'];
  /** (lane l of the v128 at `at(0)`, lane l of that at `at(1)`) for l = 0 to `lo`, 1 to `hi`. */
  const gather = (lo: string | null, hi: string | null, at: (e: number) => Part[]) => {
    f.set('ga', ...at(0));
    f.set('gb', ...at(1));
    if (lo !== null) f.set(lo, 'ga', 'gb', shuffle64(0, 2));
    if (hi !== null) f.set(hi, 'ga', 'gb', shuffle64(1, 3));
  };
  // Per lane: t₀ and 8·i₀ (i₀ = t₀ & 127, the layer).
  const t0 = ['ta', 'tb'];
  const layer = ['ia', 'ib'];
  for (let e = 0; e < 2; e++) {
    f.set(t0[e], q[e], i32Load(4));
    f.set(layer[e], t0[e], i32(127), I32_AND, i32(3), I32_SHL);
  }
  /** |x| < TH and a ≤ x ≤ b, for x in `x` and TH in `th`. */
  const accepted = (x: string, th: string) => [
    x,
    F64X2_ABS,
    th,
    F64X2_LT,
    x,
    'av',
    F64X2_GE,
    V_AND,
    x,
    'bv',
    F64X2_LE,
    V_AND,
  ];
  gather(null, 'vx', (e) => [q[e], V_LOAD()]);
  gather(null, 'th', (e) => [t0[e], i32(4), I32_SHL, 'zt', I32_ADD, V_LOAD()]);
  f.set('nz', 'vx', F64X2_ABS, 'th', F64X2_LT);
  f.set('vz', 'vx', 'vx', F64X2_MUL);
  // The wedge: y = F[i] + (F[i+1] − F[i])·u, u from words 0-1; c0: the first attempt complete.
  f.set('pa', 'qa', V_LOAD(PRIV - REJ));
  f.set('pb', 'qb', V_LOAD(PRIV - REJ));
  f.set('vw', 'pa', 'pb', shuffle32(0, 4, 1, 5)); // words 0 and 1 of the two blocks
  f.set('vu', 'vw', i32(5), I32X4_SHR_U, F64X2_CONVERT_LOW_I32X4_S, 's26', F64X2_MUL);
  f.emit('vu', 'vw', i32(6), I32X4_SHR_U, 'vw', shuffle32(2, 3, 2, 3));
  f.set('vu', F64X2_CONVERT_LOW_I32X4_S, F64X2_ADD, 's53', F64X2_MUL);
  gather('fa', 'fb', (e) => [layer[e], V_LOAD(ZF)]);
  f.set('vy', 'fa', 'fb', 'fa', F64X2_SUB, 'vu', F64X2_MUL, F64X2_ADD);
  gather('fa', 'fb', (e) => [layer[e], i32(2), I32_SHL, V_LOAD(QT)]);
  f.set('c0', 'vy', 'fa', 'fb', 'vz', F64X2_MUL, F64X2_ADD, F64X2_LT, 'nz', V_OR);
  gather('fa', 'fb', (e) => [layer[e], i32(2), I32_SHL, V_LOAD(QT + 16)]);
  f.set('rw', 'vy', 'fa', 'fb', 'vz', F64X2_MUL, F64X2_ADD, F64X2_GE);
  f.set('ok', 'c0', 'vx', 'av', F64X2_GE, V_AND, 'vx', 'bv', F64X2_LE, V_AND);
  // The next attempt: its words (first, second of the two blocks), m, byte t₁, x₁ = m·W[t₁].
  f.emit('vw', 'pa', 'pb', shuffle32(2, 6, 3, 7), 'nz', 'nz', shuffle32(0, 2, 0, 2));
  f.set('vw', V_BITSELECT);
  f.set('vu', 'vw', i32(8), I32X4_SHR_U, F64X2_CONVERT_LOW_I32X4_S);
  f.emit('wide', IF);
  f.emit('vu', 's29', F64X2_MUL, 'vw', i32(3), I32X4_SHR_U, 'vw', shuffle32(2, 3, 2, 3));
  f.set('vu', F64X2_CONVERT_LOW_I32X4_S, F64X2_ADD);
  f.emit(END);
  gather('fa', 'th', (e) => [
    'vw',
    i32x4Lane(e),
    i32(255),
    I32_AND,
    i32(4),
    I32_SHL,
    'zt',
    I32_ADD,
    V_LOAD(),
  ]);
  f.set('vu', 'vu', 'fa', F64X2_MUL);
  // Resolved: x₀ accepted, or x₁ accepted where x₀ was complete or rejected by the upper line.
  f.set('rw', ...accepted('vu', 'th'), 'c0', 'rw', V_OR, V_AND, 'ok', V_OR);
  f.set('vx', 'vx', 'vu', 'ok', V_BITSELECT);
  f.set('vx', 'meanv', 'stdv', 'vx', F64X2_MUL, F64X2_ADD);
  f.emit('lo32v', 'hi32v', 'vx', 'vx', 'tHiv', F64X2_GT, V_BITSELECT, 'vx', 'tLov', F64X2_LT);
  f.set('vx', V_BITSELECT);
  f.set('c', 'rw', I64X2_BITMASK);
  for (let e = 0; e < 2; e++) {
    storeOut(f, [q[e], i32Load()], ['vx', f64x2Lane(e)]);
    // Unresolved: the entry and its block to the front.
    f.set('wp', 'left', i32(4), I32_SHL, i32(REJ), I32_ADD);
    f.emit('wp', q[e], V_LOAD(), V_STORE(), 'wp', e === 0 ? 'pa' : 'pb', V_STORE(PRIV - REJ));
    f.emit('left', 'c', i32(e + 1), I32_AND, I32_EQZ, ...(e === 1 ? ['more', I32_AND] : []));
    f.set('left', I32_ADD);
  }
  f.set('j', 'j', i32(2), I32_ADD);
  f.emit(br(0), END, END);
  f.set('n', 'left');
}

/**
 * `finish(k0, k1, n, elo, ehi, dst, wide, mean, std, a, b, tLo, tHi, lo32, hi32)` → the number
 * of entries left: completes the n rejected draws of REJ (the chunk's output k is element
 * e = ehi·2³² + elo + k) of the float32 (`wide` = 0) or float64 (1) ziggurat as the JavaScript
 * does (`zigFinish`, then redraws while x ∉ [a, b]), reading element e's private block 0
 * (counter (e mod 2³², ⌊e/2³²⌋, 0, 1)); writes mean + std·x (lo32 where < tLo, else hi32 where
 * > tHi) to output k. The {@link vectorPass} completes most; the rest, one by one. A draw that
 * needs more words than that block holds is redone from its start in a second pass with blocks
 * 0-3 (16 words; at most CHUNK/4 such draws); those left then are moved to the front of REJ,
 * for JavaScript to redo (a few in a million).
 */
function finishFunction(): Fn {
  const params = ['k0', 'k1', 'n', 'elo', 'ehi', 'dst', 'wide'];
  const fparams = ['mean', 'std', 'a', 'b', 'tLo', 'tHi', 'lo32', 'hi32'];
  const types = [...params.map(() => I32), ...fparams.map(() => F64)];
  const f = new Fn('finish', [...params, ...fparams], types, [I32]);
  f.local(I32, 'j', 'left', 'q', 'k', 't', 'i', 'wp', 'c', 'w', 'sh', 'more', 'zt', 'dw');
  f.local(I32, 'qa', 'qb', 'ta', 'tb', 'ia', 'ib');
  f.local(I64, 'e0', 'e');
  f.local(F64, 'x', 'y', 'z');
  f.local(V128, 's26', 's29', 's53', 'ga', 'gb', 'pa', 'pb', 'th', 'nz', 'c0', 'rw', 'ok', 'fa');
  f.local(V128, 'fb');
  f.local(V128, 'vx', 'vz', 'vu', 'vy', 'vw');
  // zt: the table (W[t], TH[t]) of the width; dw: the bytes of words per draw.
  f.set('zt', i32(ZT64), i32(ZT32), 'wide', SELECT);
  f.set('dw', 'wide', i32(2), I32_SHL, i32(4), I32_ADD);
  f.set('e0', 'ehi', I64_EXTEND_I32_U, i64(32n), I64_SHL, 'elo', I64_EXTEND_I32_U, I64_OR);
  f.emit(BLOCK, LOOP); // over the passes: 2^sh private blocks per entry (sh = 0, then 2)
  // Counters (e mod 2³², ⌊e/2³²⌋, r) of block r of each entry's private blocks (index j = its
  // entry·2^sh + r), four blocks per 48 bytes of CTR.
  f.set('j', i32(0));
  f.emit(BLOCK, LOOP, 'j', 'n', 'sh', I32_SHL, I32_GE_U, brIf(1));
  f.set('c', 'j', i32(2), I32_SHR_U, i32(48), I32_MUL, 'j', i32(3), I32_AND, i32(2), I32_SHL);
  f.set('c', 'c', I32_ADD);
  f.set('e', 'e0', 'j', 'sh', I32_SHR_U, i32(4), I32_SHL, i32Load(REJ), I64_EXTEND_I32_U, I64_ADD);
  f.emit('c', 'e', I32_WRAP_I64, i32Store(CTR));
  f.emit('c', 'e', i64(32n), I64_SHR_U, I32_WRAP_I64, i32Store(CTR + 16));
  f.emit('c', 'j', i32(1), 'sh', I32_SHL, i32(1), I32_SUB, I32_AND, i32Store(CTR + 32));
  f.set('j', 'j', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  // The blocks, counters (e mod 2³², ⌊e/2³²⌋, r, 1), each entry's contiguous.
  f.emit('k0', 'k1', i32(0), i32(0), i32(0), i32(1), 'n', 'sh', I32_SHL, i32(7), I32_ADD);
  f.emit(i32(-8), I32_AND, i32(PRIV), i32(CTR), call(0));
  f.emit('sh', I32_EQZ, IF);
  vectorPass(f);
  f.emit(END);
  f.set('j', i32(0));
  f.set('left', i32(0));
  f.emit(BLOCK, LOOP, 'j', 'n', I32_GE_U, brIf(1)); // over entries
  f.set('q', 'j', i32(4), I32_SHL, i32(REJ), I32_ADD);
  f.set('k', 'q', i32Load());
  f.set('t', 'q', i32Load(4));
  f.set('x', 'q', f64Load(8));
  f.set('wp', 'j', i32(4), 'sh', I32_ADD, I32_SHL, i32(PRIV), I32_ADD);
  f.set('c', 'wp', i32(16), 'sh', I32_SHL, I32_ADD); // end of the entry's words
  const inBounds = ['x', 'a', F64_GE, 'x', 'b', F64_LE, I32_AND];
  const tableAt = (off: number) => ['t', i32(4), I32_SHL, 'zt', I32_ADD, f64Load(off)];
  /** A new attempt from the next words (d: extra depth of the branch targets). */
  const draw = (d: number) => {
    f.emit('wp', 'dw', I32_ADD, 'c', I32_GT_U, brIf(2 + d)); // out of words: give up
    f.set('w', 'wp', i32Load());
    f.set('t', 'w', i32(255), I32_AND);
    f.set('x', 'w', i32(8), I32_SHR_U, F64_CONVERT_I32_U);
    f.emit('wide', IF);
    f.emit('x', f64(2 ** 29), F64_MUL, 'wp', i32Load(4), i32(3), I32_SHR_U, F64_CONVERT_I32_U);
    f.set('x', F64_ADD);
    f.emit(END);
    f.set('x', 'x', ...tableAt(0), F64_MUL);
    f.set('wp', 'wp', 'dw', I32_ADD);
    f.emit(br(d));
  };
  // Blocks: give up (2), done (1), loop over attempts (0).
  f.emit(BLOCK, BLOCK, LOOP);
  // A completed draw (|x| < TH[t]) inside the bounds is done; outside them, a new draw.
  f.emit('x', F64_ABS, ...tableAt(8), F64_LT, IF, ...inBounds, brIf(2));
  draw(1);
  f.emit(END);
  f.set('i', 't', i32(127), I32_AND);
  // The tail (layer 0), Marsaglia's method: rounds a = −log(u₁)/R, b = −log(u₂) until 2b > a²
  // (out of words: give up), then x = ±(R + a).
  f.emit('i', I32_EQZ, IF, LOOP, 'wp', i32(16), I32_ADD, 'c', I32_GT_U, brIf(4));
  f.set('y', ...u53(0, true), call(LOG), F64_NEG, f64(ZIG_R), F64_DIV);
  f.set('z', ...u53(8, true), call(LOG), F64_NEG);
  f.set('wp', 'wp', i32(16), I32_ADD);
  f.emit('z', 'z', F64_ADD, 'y', 'y', F64_MUL, F64_LE, brIf(0), END);
  f.set('y', f64(ZIG_R), 'y', F64_ADD);
  f.set('x', 'y', F64_NEG, 'y', 'x', f64(0), F64_LT, SELECT);
  f.emit(...inBounds, brIf(2));
  draw(1);
  f.emit(END);
  // The wedge of layer i ≥ 1: y = F[i] + (F[i+1] − F[i])·u, accept if y < exp(−x²/2).
  f.emit('wp', i32(8), I32_ADD, 'c', I32_GT_U, brIf(2));
  f.set('y', ...u53(0, false));
  f.set('wp', 'wp', i32(8), I32_ADD);
  f.set('i', 'i', i32(3), I32_SHL);
  f.set(
    'y',
    'i',
    f64Load(ZF),
    'i',
    f64Load(ZF + 8),
    'i',
    f64Load(ZF),
    F64_SUB,
    'y',
    F64_MUL,
    F64_ADD,
  );
  // Accepted if y lies under the layer's lower line of exp(−x²/2) (in x², see wedgeLines in
  // wasm.ts), rejected if on or over its upper line (lines from QT, a margin beyond every
  // rounding), else the test with exp.
  f.set('i', 'i', i32(2), I32_SHL);
  f.set('z', 'x', 'x', F64_MUL);
  f.emit('y', 'i', f64Load(QT), 'i', f64Load(QT + 8), 'z', F64_MUL, F64_ADD, F64_LT, IF_I32);
  f.emit(i32(1), ELSE, 'y', 'i', f64Load(QT + 16), 'i', f64Load(QT + 24), 'z', F64_MUL, F64_ADD);
  f.emit(F64_GE, IF_I32, i32(0), ELSE, 'y', f64(-0.5), 'x', F64_MUL, 'x', F64_MUL, call(EXP));
  f.emit(F64_LT, END, END, IF, ...inBounds, brIf(2), END);
  draw(0);
  f.emit(END, END);
  // Done: mean + std·x, clamped, to output k.
  f.set('y', 'mean', 'std', 'x', F64_MUL, F64_ADD);
  f.set('y', 'lo32', 'hi32', 'y', 'y', 'tHi', F64_GT, SELECT, 'y', 'tLo', F64_LT, SELECT);
  storeOut(f, ['k'], ['y']);
  f.set('j', 'j', i32(1), I32_ADD);
  f.emit(br(1), END);
  // Given up: the entry moves to REJ[left] (left ≤ j), for the next pass or JavaScript.
  f.emit('left', i32(4), I32_SHL, i32(REJ), I32_ADD, 'q', V_LOAD(), V_STORE());
  f.set('left', 'left', i32(1), I32_ADD);
  f.set('j', 'j', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  // After pass 1: the entries it left, then those beyond its capacity, for JavaScript.
  f.emit('sh', IF);
  f.emit('left', i32(4), I32_SHL, i32(REJ), I32_ADD, 'n', i32(4), I32_SHL, i32(REJ), I32_ADD);
  f.emit('more', i32(4), I32_SHL, MEMORY_COPY, 'left', 'more', I32_ADD, RETURN, END);
  // Pass 1 redoes the first CHUNK/4 entries left from their start, with 4 blocks each.
  f.emit('left', I32_EQZ, IF, i32(0), RETURN, END);
  f.set('n', 'left', i32(CHUNK / 4), 'left', i32(CHUNK / 4), I32_LT_U, SELECT);
  f.set('more', 'left', 'n', I32_SUB);
  f.set('sh', i32(2));
  f.emit(br(0), END, END, i32(0));
  return f;
}

/**
 * `count(k0, k1, lo, hi, n, dst, epb)` → n·epb: the fast kernel of the truncated normal's
 * proposals, which hands every element of the chunk to {@link proposalFunction}.
 */
function countFunction(): Fn {
  const f = new Fn('count', ['k0', 'k1', 'lo', 'hi', 'n', 'dst', 'epb'], undefined, [I32]);
  f.emit('n', 'epb', I32_MUL);
  return f;
}

/**
 * `tprop(k0, k1, n, elo, ehi, dst, wide, kind, a, b, mirror, lambda, mean, std, tLo, tHi, lo32,
 * hi32)` → the number of draws left: the uniform (kind 1) and exponential (kind 2) proposals of
 * the truncated normal on [a, b] (`drawProposal` of truncated-normal.ts, step for step) for the
 * chunk's outputs k < n (element e = ehi·2³² + elo + k), drawn from their private streams only.
 * In rounds r = 0, 1, …: private block r (counter (e mod 2³², ⌊e/2³²⌋, r, 1)) of every draw not
 * yet done, its four words read as far as they go; a draw that needs the next block keeps its
 * state in REJ (k; the exponential's stage and e₁) for the next round. After 16 rounds the draws
 * left (rare) are in REJ for JavaScript, which redoes them from the start. Writes
 * mean + std·(±x), lo32 where < tLo, else hi32 where > tHi, as float64 if `wide`, else float32.
 * The uniform's test q ≤ 2e, e = −log u′, is first tried as q ≤ 2(1 − u′)(1 − 2⁻⁴⁰): since
 * −ln u′ ≥ 1 − u′ and `log` errs by less than an ulp, that implies it (no log needed); the same
 * for the exponential's e₂.
 */
function proposalFunction(log: number): Fn {
  const params = ['k0', 'k1', 'n', 'elo', 'ehi', 'dst', 'wide'];
  const fparams = [
    'kind',
    'a',
    'b',
    'mirror',
    'lambda',
    'mean',
    'std',
    'tLo',
    'tHi',
    'lo32',
    'hi32',
  ];
  const types = [...params.map(() => I32), ...fparams.map(() => F64)];
  const f = new Fn('tprop', [...params, ...fparams], types, [I32]);
  f.local(I32, 'j', 'left', 'q', 'k', 'st', 'wp', 'c', 'r');
  f.local(I64, 'e0', 'e');
  f.local(F64, 'x', 'y', 'e1', 'u');
  f.set('e0', 'ehi', I64_EXTEND_I32_U, i64(32n), I64_SHL, 'elo', I64_EXTEND_I32_U, I64_OR);
  // Every output k < n is a draw to do, at stage 0.
  f.emit(BLOCK, LOOP, 'j', 'n', I32_GE_U, brIf(1));
  f.emit('j', i32(4), I32_SHL, 'j', i32Store(REJ));
  f.emit('j', i32(4), I32_SHL, i32(0), i32Store(REJ + 4));
  f.set('j', 'j', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  f.emit(BLOCK, LOOP, 'n', I32_EQZ, 'r', i32(16), I32_EQ, I32_OR, brIf(1)); // over rounds
  // Counters of the draws' block r, as in finishFunction.
  f.set('j', i32(0));
  f.emit(BLOCK, LOOP, 'j', 'n', I32_GE_U, brIf(1));
  f.set('c', 'j', i32(2), I32_SHR_U, i32(48), I32_MUL, 'j', i32(3), I32_AND, i32(2), I32_SHL);
  f.set('c', 'c', I32_ADD);
  f.set('e', 'e0', 'j', i32(4), I32_SHL, i32Load(REJ), I64_EXTEND_I32_U, I64_ADD);
  f.emit('c', 'e', I32_WRAP_I64, i32Store(CTR));
  f.emit('c', 'e', i64(32n), I64_SHR_U, I32_WRAP_I64, i32Store(CTR + 16));
  f.emit('c', 'r', i32Store(CTR + 32));
  f.set('j', 'j', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  f.emit('k0', 'k1', i32(0), i32(0), 'r', i32(1), 'n', i32(7), I32_ADD, i32(-8), I32_AND);
  f.emit(i32(PRIV), i32(CTR), call(0));
  f.set('j', i32(0));
  f.set('left', i32(0));
  f.emit(BLOCK, LOOP, 'j', 'n', I32_GE_U, brIf(1)); // over draws
  f.set('q', 'j', i32(4), I32_SHL, i32(REJ), I32_ADD);
  f.set('k', 'q', i32Load());
  f.set('st', 'q', i32Load(4));
  f.set('e1', 'q', f64Load(8));
  f.set('wp', 'j', i32(4), I32_SHL, i32(PRIV), I32_ADD);
  f.set('c', 'wp', i32(16), I32_ADD);
  // Blocks: out of words (2), done with x (1), loop over attempts (0).
  f.emit(BLOCK, BLOCK, LOOP);
  f.emit('kind', f64(1.5), F64_LT, IF); // uniform: u (2 words), u′ (2 words)
  f.emit('wp', i32(16), I32_ADD, 'c', I32_GT_U, brIf(3));
  f.set('x', 'a', 'b', 'a', F64_SUB, ...u53(0, false), F64_MUL, F64_ADD);
  f.set('u', ...u53(8, true));
  f.set('wp', 'wp', i32(16), I32_ADD);
  // q = (x − a)(x + a) if a > 0, else x²
  f.set(
    'y',
    'x',
    'a',
    F64_SUB,
    'x',
    'a',
    F64_ADD,
    F64_MUL,
    'x',
    'x',
    F64_MUL,
    'a',
    f64(0),
    F64_GT,
    SELECT,
  );
  f.emit('y', f64(2), f64(1), 'u', F64_SUB, F64_MUL, f64(1 - 2 ** -40), F64_MUL, F64_LE, brIf(2));
  f.emit('y', f64(2), 'u', call(log), F64_NEG, F64_MUL, F64_LE, brIf(2));
  f.emit(br(1), END);
  // exponential: stage 0 draws e₁ (2 words), x = a + e₁/λ; stage 1 draws e₂ (2 words)
  f.emit('st', I32_EQZ, IF);
  f.emit('wp', i32(8), I32_ADD, 'c', I32_GT_U, brIf(3));
  f.set('e1', ...u53(0, true), call(log), F64_NEG);
  f.set('wp', 'wp', i32(8), I32_ADD);
  f.emit('a', 'e1', 'lambda', F64_DIV, F64_ADD, 'b', F64_GT, brIf(1)); // x > b: a new e₁
  f.set('st', i32(1));
  f.emit(END);
  f.emit('wp', i32(8), I32_ADD, 'c', I32_GT_U, brIf(2));
  f.set('u', ...u53(0, true));
  f.set('wp', 'wp', i32(8), I32_ADD);
  f.set('st', i32(0));
  // accept if (e₁ − 1)² ≤ 2·e₂·λ·λ, e₂ = −log u₂: first tried with 1 − u₂ for e₂ (less by a
  // factor 1 − 2⁻⁴⁰, which covers the roundings: it implies the test, without a log)
  f.set('y', 'e1', f64(1), F64_SUB);
  f.set('x', 'a', 'e1', 'lambda', F64_DIV, F64_ADD);
  const lambda2 = ['lambda', F64_MUL, 'lambda', F64_MUL];
  f.emit('y', 'y', F64_MUL, f64(2), f64(1), 'u', F64_SUB, F64_MUL, f64(1 - 2 ** -40), F64_MUL);
  f.emit(...lambda2, F64_LE, brIf(1));
  f.emit('y', 'y', F64_MUL, f64(2), 'u', call(log), F64_NEG, F64_MUL, ...lambda2, F64_LE, brIf(1));
  f.emit(br(0), END, END);
  // Done: mean + std·(±x), clamped, to output k.
  f.set('x', 'x', F64_NEG, 'x', 'mirror', f64(0), F64_GT, SELECT);
  f.set('y', 'mean', 'std', 'x', F64_MUL, F64_ADD);
  f.set('y', 'lo32', 'hi32', 'y', 'y', 'tHi', F64_GT, SELECT, 'y', 'tLo', F64_LT, SELECT);
  f.emit('wide', IF, 'dst', 'k', i32(3), I32_SHL, I32_ADD, 'y', f64Store(), ELSE);
  f.emit('dst', 'k', i32(2), I32_SHL, I32_ADD, 'y', F32_DEMOTE_F64, f32Store(), END);
  f.set('j', 'j', i32(1), I32_ADD);
  f.emit(br(1), END);
  // Out of words: the draw, with its stage, moves to REJ[left] (left ≤ j) for the next round.
  f.set('q', 'left', i32(4), I32_SHL, i32(REJ), I32_ADD);
  f.emit('q', 'k', i32Store(), 'q', 'st', i32Store(4), 'q', 'e1', f64Store(8));
  f.set('left', 'left', i32(1), I32_ADD);
  f.set('j', 'j', i32(1), I32_ADD);
  f.emit(br(0), END, END);
  f.set('n', 'left');
  f.set('r', 'r', i32(1), I32_ADD);
  f.emit(br(0), END, END, 'n');
  return f;
}

/**
 * The slow-path module's bytes: imports `env.memory` (shared as for {@link fastModuleBytes}) and
 * `env.bits`; exports exp, log, finish32/64, and (to leave the fast module room) uniform64 and
 * words, which call bits as the fast module's own kernels do.
 */
export function slowModuleBytes(sharedMaxPages?: number): Uint8Array {
  const bits = { name: 'bits', params: new Array<number>(9).fill(I32) };
  const fns = [expFunction(), logFunction(), finishFunction()];
  fns.push(uniform64Function(), wordsFunction());
  return moduleBytes(fns, PAGES, [bits], sharedMaxPages);
}

/**
 * The proposals' module bytes (the truncated normal's uniform and exponential proposals):
 * imports `env.memory` (shared as for {@link fastModuleBytes}), `env.bits` and `env.log`;
 * exports tprop, count and uniform32 (fused with Philox).
 */
export function proposalModuleBytes(sharedMaxPages?: number): Uint8Array {
  const bits = { name: 'bits', params: new Array<number>(9).fill(I32) };
  const log = { name: 'log', params: [F64], results: [F64] };
  const fns = [proposalFunction(1), countFunction(), bitsFunction(true)];
  return moduleBytes(fns, PAGES, [bits, log], sharedMaxPages);
}
