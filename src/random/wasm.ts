/**
 * WebAssembly SIMD kernels of the samplers: Philox4x32-10 on four blocks per vector, and the
 * uniform and ziggurat fast paths, assembled here from readable instructions (the assembler is
 * `tensor/wasm-assembler.ts`; no build step, no binary blob), compiled synchronously once.
 *
 * They compute exactly the bits of the JavaScript samplers (which stay the fallback where
 * WebAssembly SIMD is unavailable): Philox is exact integer arithmetic (`i64x2.extmul` gives the
 * 64-bit products); the samplers use only `f64x2` add, multiply and compares in the order the
 * JavaScript writes them, and `f32x4.demote_f64x2_zero`, which rounds to nearest-even like
 * `Math.fround`. Tests check both paths against each other and against the golden vectors.
 *
 * Memory (imported as `env.memory`, 2 pages, byte offsets):
 * - ZT32 (0): 256 × (ZIG_W32[t], ZIG_TH[t]); ZT64 (4096): 256 × (ZIG_W64[t], ZIG_TH[t]).
 * - SCR (8192): the Philox words of up to {@link GB} blocks.
 * - OUT (16384): a chunk of up to {@link CHUNK} outputs (float32, float64 or words).
 * - REJ: up to CHUNK entries (k: i32, t: i32, x: f64) of the ziggurat draws the fast path
 *   rejected (element k of the chunk, its byte t and value x), finished in JavaScript.
 *
 * @internal
 */

import {
  BLOCK,
  br,
  brIf,
  call,
  compileModule,
  END,
  F32X4_DEMOTE_F64X2_ZERO,
  F64,
  F64X2_ABS,
  F64X2_ADD,
  F64X2_CONVERT_LOW_I32X4_S,
  F64X2_GE,
  F64X2_GT,
  F64X2_LE,
  F64X2_LT,
  F64X2_MUL,
  F64X2_SPLAT,
  Fn,
  f64,
  f64Store,
  f64x2Lane,
  I32,
  I32_ADD,
  I32_AND,
  I32_EQ,
  I32_EQZ,
  I32_GE_U,
  I32_LT_U,
  I32_SHL,
  I32_SHR_U,
  I32_SUB,
  I32X4_ADD,
  I32X4_BITMASK,
  I32X4_LT_U,
  I32X4_SHL,
  I32X4_SHR_U,
  I32X4_SPLAT,
  I32X4_SUB,
  I64X2_BITMASK,
  I64X2_EXTMUL_HIGH_U,
  I64X2_EXTMUL_LOW_U,
  IF,
  i32,
  i32Store,
  i32x4,
  i32x4Lane,
  LOOP,
  moduleBytes,
  type Part,
  SELECT,
  shuffle32,
  shuffle64,
  V_AND,
  V_BITSELECT,
  V_LOAD,
  V_STORE,
  V_XOR,
  V128,
  wasmApi,
} from '../tensor/wasm-assembler.js';
import { PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1 } from './philox.js';
import { ZIG_TH, ZIG_W32, ZIG_W64 } from './ziggurat-fast.js';

const ZT32 = 0;
const ZT64 = 4096;
const SCR = 8192;
/** Blocks of Philox words generated per batch (1 KiB, stays in L1 while converted). */
const GB = 64;
const OUT = 16384;
/** Elements per chunk (per call of a sampler kernel). */
export const CHUNK = 4096;
const REJ = OUT + 8 * CHUNK;
const PAGES = 2;
/** Groups of four blocks per iteration of the Philox kernel (instruction-level parallelism). */
const G = 2;
/** Blocks per kernel call must be a multiple of this. */
const BLOCK_QUANTUM = 4 * G;

// ---------------------------------------------------------------------------------------------
// Philox4x32-10, 4·G blocks per iteration.

/**
 * `bits(k0, k1, lo, hi, c2, c3, n, dst)`: Philox4x32-10 of the n counters (b mod 2³², ⌊b/2³²⌋,
 * c2, c3), b = hi·2³² + lo + j, j < n (a multiple of 4·G), each block's 4 words at dst + 16j.
 * Lane l of vector x_g,w holds word w of block 4g + l; a round is
 * (hi₀, lo₀) = M0·x₀, (hi₁, lo₁) = M1·x₂, x ← (hi₁ ⊕ x₁ ⊕ ka, lo₁, hi₀ ⊕ x₃ ⊕ kb, lo₀), the
 * 64-bit products from `i64x2.extmul_{low,high}_i32x4_u` split by shuffles.
 */
function bitsFunction(): Fn {
  const f = new Fn('bits', ['k0', 'k1', 'lo', 'hi', 'c2', 'c3', 'n', 'dst']);
  f.local(I32, 'end', 'r');
  f.local(V128, 'c0v', 'c1v', 'c2v', 'c3v', 'm0', 'm1', 'w0', 'w1', 'four', 'ka', 'kb', 'next');
  const x = (g: number, w: number) => `x${g}${w}`;
  const t = (g: number, i: number) => `t${g}${i}`;
  for (let g = 0; g < G; g++) {
    f.local(V128, x(g, 0), x(g, 1), x(g, 2), x(g, 3), t(g, 0), t(g, 1), t(g, 2), t(g, 3));
  }
  const HI = shuffle32(1, 3, 5, 7);
  const LO = shuffle32(0, 2, 4, 6);
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
    f.set(x(g, 0), 'c0v');
    f.set(x(g, 1), 'c1v');
    f.set(x(g, 2), 'c2v');
    f.set(x(g, 3), 'c3v');
    f.set('next', 'c0v', 'four', I32X4_ADD);
    f.set('c1v', 'c1v', 'next', 'c0v', I32X4_LT_U, I32X4_SUB);
    f.set('c0v', 'next');
  }
  f.set('ka', 'k0', I32X4_SPLAT);
  f.set('kb', 'k1', I32X4_SPLAT);
  f.set('r', i32(10));
  f.emit(LOOP);
  for (let g = 0; g < G; g++) {
    f.set(t(g, 0), x(g, 0), 'm0', I64X2_EXTMUL_LOW_U);
    f.set(t(g, 1), x(g, 0), 'm0', I64X2_EXTMUL_HIGH_U);
    f.set(t(g, 2), x(g, 2), 'm1', I64X2_EXTMUL_LOW_U);
    f.set(t(g, 3), x(g, 2), 'm1', I64X2_EXTMUL_HIGH_U);
  }
  for (let g = 0; g < G; g++) {
    f.set(x(g, 0), t(g, 2), t(g, 3), HI, x(g, 1), V_XOR, 'ka', V_XOR);
    f.set(x(g, 1), t(g, 2), t(g, 3), LO);
    f.set(x(g, 2), t(g, 0), t(g, 1), HI, x(g, 3), V_XOR, 'kb', V_XOR);
    f.set(x(g, 3), t(g, 0), t(g, 1), LO);
  }
  f.set('ka', 'ka', 'w0', I32X4_ADD);
  f.set('kb', 'kb', 'w1', I32X4_ADD);
  f.tee('r', 'r', i32(1), I32_SUB);
  f.emit(brIf(0), END);
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
// Samplers: batches of GB blocks from `bits` into SCR, converted into OUT.

/**
 * A sampler `name(k0, k1, lo, hi, n, ...extra) → cnt` over n blocks (a multiple of 4·G) from
 * block hi·2³² + lo: `setup` runs once, `convert` once per 16 bytes of words at `p` (writing 16
 * bytes of outputs at `o`, and counting rejections in the local `cnt`, 0 at the start).
 */
function sampler(
  name: string,
  extra: readonly string[],
  setup: (f: Fn) => void,
  convert: (f: Fn) => void,
): Fn {
  const params = ['k0', 'k1', 'lo', 'hi', 'n', ...extra];
  const types = [I32, I32, I32, I32, I32, ...extra.map(() => F64)];
  const f = new Fn(name, params, types, [I32]);
  f.local(I32, 'o', 'p', 'nb', 'end', 'cnt');
  setup(f);
  f.set('o', i32(OUT));
  f.emit(BLOCK, LOOP, 'n', I32_EQZ, brIf(1));
  f.set('nb', 'n', i32(GB), 'n', i32(GB), I32_LT_U, SELECT);
  f.emit('k0', 'k1', 'lo', 'hi', i32(0), i32(0), 'nb', i32(SCR), call(0));
  f.set('lo', 'lo', 'nb', I32_ADD);
  f.set('hi', 'hi', 'lo', 'nb', I32_LT_U, I32_ADD);
  f.set('n', 'n', 'nb', I32_SUB);
  f.set('p', i32(SCR));
  f.set('end', 'nb', i32(4), I32_SHL, i32(SCR), I32_ADD);
  f.emit(LOOP);
  convert(f);
  f.set('p', 'p', i32(16), I32_ADD);
  f.set('o', 'o', i32(16), I32_ADD);
  f.emit('p', 'end', I32_LT_U, brIf(0), END, br(0), END, END);
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

/** `mean + std·x` (as f64x2: std·x, then + mean, the JavaScript's order). */
const affine = (x: Part): Part[] => ['stdv', x, F64X2_MUL, 'meanv', F64X2_ADD];

/**
 * `uniform32(k0, k1, lo, hi, n, low, d, t)`: float32 element 4b + l of word l of block b:
 * v = low + d·((w ≫ 8)·2⁻²⁴) in float64, `low` where v ≥ t, rounded to float32.
 */
function uniform32Function(): Fn {
  return sampler(
    'uniform32',
    ['low', 'd', 't'],
    (f) => {
      splats(f, 'low', 'd', 't');
      f.local(V128, 's', 'm', 'v0', 'v1');
      f.set('s', f64(2 ** -24), F64X2_SPLAT);
    },
    (f) => {
      f.set('m', 'p', V_LOAD(), i32(8), I32X4_SHR_U);
      const value = (m: Part[]) => [
        'lowv',
        'dv',
        ...m,
        F64X2_CONVERT_LOW_I32X4_S,
        's',
        F64X2_MUL,
        F64X2_MUL,
        F64X2_ADD,
      ];
      f.set('v0', ...value(['m']));
      f.set('v1', ...value(['m', 'm', shuffle32(2, 3, 2, 3)]));
      f.set('v0', 'lowv', 'v0', 'v0', 'tv', F64X2_GE, V_BITSELECT);
      f.set('v1', 'lowv', 'v1', 'v1', 'tv', F64X2_GE, V_BITSELECT);
      f.emit('o', 'v0', F32X4_DEMOTE_F64X2_ZERO, 'v1', F32X4_DEMOTE_F64X2_ZERO);
      f.emit(shuffle32(0, 1, 4, 5), V_STORE());
    },
  );
}

/**
 * `uniform64(k0, k1, lo, hi, n, low, d, high)`: float64 elements 2b, 2b + 1 of words (0, 1) and
 * (2, 3) of block b: v = low + d·(((w₀ ≫ 5)·2²⁶ + (w₁ ≫ 6))·2⁻⁵³), `low` where v ≥ high.
 */
function uniform64Function(): Fn {
  return sampler(
    'uniform64',
    ['low', 'd', 'high'],
    (f) => {
      splats(f, 'low', 'd', 'high');
      f.local(V128, 's26', 's53', 'a', 'v');
      f.set('s26', f64(2 ** 26), F64X2_SPLAT);
      f.set('s53', f64(2 ** -53), F64X2_SPLAT);
    },
    (f) => {
      // a = (w₀ ≫ 5, w₂ ≫ 5, w₁ ≫ 6, w₃ ≫ 6)
      f.set('a', 'p', V_LOAD(), i32(5), I32X4_SHR_U, 'p', V_LOAD(), i32(6), I32X4_SHR_U);
      f.set('a', 'a', shuffle32(0, 2, 5, 7));
      f.set('v', 'a', F64X2_CONVERT_LOW_I32X4_S, 's26', F64X2_MUL);
      f.set('v', 'v', 'a', 'a', shuffle32(2, 3, 2, 3), F64X2_CONVERT_LOW_I32X4_S, F64X2_ADD);
      f.set('v', 'lowv', 'dv', 'v', 's53', F64X2_MUL, F64X2_MUL, F64X2_ADD);
      f.emit('o', 'lowv', 'v', 'v', 'highv', F64X2_GE, V_BITSELECT, V_STORE());
    },
  );
}

/**
 * `zig32` / `zig64(k0, k1, lo, hi, n, mean, std, a, b, tLo, tHi, lo32, hi32)` → rejections:
 * the ziggurat fast path of the normal and truncated-normal samplers. Per element: byte t and
 * x = m·W[t] (m = w ≫ 8, or (w₀ ≫ 8)·2²⁹ + (w₁ ≫ 3) for float64); output v = mean + std·x,
 * lo32 where v < tLo, else hi32 where v > tHi; accepted if |x| < TH[t] and a ≤ x ≤ b, else
 * appended to REJ (the output is then rewritten by the caller).
 */
function zigFunction(wide: boolean): Fn {
  const lanes = wide ? 2 : 4;
  return sampler(
    wide ? 'zig64' : 'zig32',
    ['mean', 'std', 'a', 'b', 'tLo', 'tHi', 'lo32', 'hi32'],
    (f) => {
      splats(f, 'mean', 'std', 'a', 'b', 'tLo', 'tHi', 'lo32', 'hi32');
      f.local(V128, 'w', 'm', 'off', 'e0', 'e1', 'e2', 'e3', 'x0', 'x1', 'v0', 'v1', 'ok0', 'ok1');
      f.local(V128, 'byte', 's29');
      f.local(I32, 'bits', 'q');
      f.set('byte', i32x4(255, 255, 255, 255));
      f.set('s29', f64(2 ** 29), F64X2_SPLAT);
    },
    (f) => {
      f.set('w', 'p', V_LOAD());
      // Table entries (W[t], TH[t]) of each element's byte t, 16 bytes apart.
      f.set('off', 'w', 'byte', V_AND, i32(4), I32X4_SHL);
      const table = wide ? ZT64 : ZT32;
      const laneOfElement = (j: number) => (wide ? 2 * j : j);
      for (let j = 0; j < lanes; j++) {
        f.set(`e${j}`, 'off', i32x4Lane(laneOfElement(j)), V_LOAD(table));
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
      const halves = wide ? 1 : 2;
      for (let h = 0; h < halves; h++) {
        const [x, v, ok] = [`x${h}`, `v${h}`, `ok${h}`];
        const th = [`e${2 * h}`, `e${2 * h + 1}`, shuffle64(1, 3)];
        f.set(ok, x, F64X2_ABS, ...th, F64X2_LT, x, 'av', F64X2_GE, V_AND, x, 'bv', F64X2_LE);
        f.set(ok, ok, V_AND);
        f.set(v, ...affine(x));
        // lo32 where v < tLo, else hi32 where v > tHi (masks from the unclamped v).
        f.set('m', v, 'tLov', F64X2_LT);
        f.set(v, 'hi32v', v, v, 'tHiv', F64X2_GT, V_BITSELECT);
        f.set(v, 'lo32v', v, 'm', V_BITSELECT);
      }
      if (wide) {
        f.emit('o', 'v0', V_STORE());
        f.set('bits', 'ok0', I64X2_BITMASK);
      } else {
        f.emit('o', 'v0', F32X4_DEMOTE_F64X2_ZERO, 'v1', F32X4_DEMOTE_F64X2_ZERO);
        f.emit(shuffle32(0, 1, 4, 5), V_STORE());
        f.set('bits', 'ok0', 'ok1', shuffle32(0, 2, 4, 6), I32X4_BITMASK);
      }
      // Rejections: (k, t, x) of each element whose bit is clear.
      f.emit('bits', i32((1 << lanes) - 1), I32_EQ, I32_EQZ, IF);
      for (let j = 0; j < lanes; j++) {
        f.emit('bits', i32(1 << j), I32_AND, I32_EQZ, IF);
        f.set('q', 'cnt', i32(4), I32_SHL, i32(REJ), I32_ADD);
        const k = ['o', i32(OUT), I32_SUB, i32(wide ? 3 : 2), I32_SHR_U, i32(j), I32_ADD];
        f.emit('q', ...k, i32Store());
        f.emit('q', 'w', i32x4Lane(laneOfElement(j)), i32(255), I32_AND, i32Store(4));
        f.emit('q', `x${j >> 1}`, f64x2Lane(j & 1), f64Store(8));
        f.set('cnt', 'cnt', i32(1), I32_ADD);
        f.emit(END);
      }
      f.emit(END);
    },
  );
}

/** The module's bytes: imports `env.memory`; exports bits, uniform32/64, zig32/64. */
export function randomModuleBytes(): Uint8Array {
  return moduleBytes(
    [
      bitsFunction(),
      uniform32Function(),
      uniform64Function(),
      zigFunction(false),
      zigFunction(true),
    ],
    PAGES,
  );
}

// ---------------------------------------------------------------------------------------------
// The instance and the chunked drivers.

type Bits = (
  k0: number,
  k1: number,
  lo: number,
  hi: number,
  c2: number,
  c3: number,
  n: number,
  dst: number,
) => void;
/** A sampler kernel: (k0, k1, lo, hi, nBlocks, ...parameters) → number of rejections. */
type Sampler = (
  k0: number,
  k1: number,
  lo: number,
  hi: number,
  n: number,
  ...p: number[]
) => number;

interface Kernels {
  bits: Bits;
  uniform32: Sampler;
  uniform64: Sampler;
  zig32: Sampler;
  zig64: Sampler;
  outU32: Uint32Array;
  outF32: Float32Array;
  outF64: Float64Array;
  rejI32: Int32Array;
  rejF64: Float64Array;
}

let kernels: Kernels | null | undefined;
let enabled = true;
let minElements = 64;

function instantiate(): Kernels | null {
  const module = compileModule(randomModuleBytes);
  if (module === null) return null;
  try {
    const api = wasmApi()!;
    const memory = new api.Memory({ initial: PAGES });
    const { exports } = new api.Instance(module, { env: { memory } });
    const buf = memory.buffer;
    const tables = new Float64Array(buf, 0, 2 * 256 * 2);
    for (let t = 0; t < 256; t++) {
      tables[2 * t] = ZIG_W32[t];
      tables[2 * t + 1] = ZIG_TH[t];
      tables[512 + 2 * t] = ZIG_W64[t];
      tables[512 + 2 * t + 1] = ZIG_TH[t];
    }
    return {
      bits: exports.bits as Bits,
      uniform32: exports.uniform32 as Sampler,
      uniform64: exports.uniform64 as Sampler,
      zig32: exports.zig32 as Sampler,
      zig64: exports.zig64 as Sampler,
      outU32: new Uint32Array(buf, OUT, CHUNK),
      outF32: new Float32Array(buf, OUT, CHUNK),
      outF64: new Float64Array(buf, OUT, CHUNK),
      rejI32: new Int32Array(buf, REJ, 4 * CHUNK),
      rejF64: new Float64Array(buf, REJ, 2 * CHUNK),
    };
  } catch {
    return null;
  }
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
  if (kernels === undefined) kernels = instantiate();
  return kernels !== null;
}

/** The kernels for a fill of n elements, or null (then the JavaScript path runs). */
function kernelsFor(n: number): Kernels | null {
  if (!enabled || n < minElements) return null;
  if (kernels === undefined) kernels = instantiate();
  return kernels;
}

const TWO_32 = 2 ** 32;

/** Finishes a rejected draw: element e (byte t, value x of its first attempt) goes to out[i]. */
export type Finish = (i: number, e: number, t: number, x: number) => void;

/**
 * The chunk loop of every fill: element e (start ≤ e < start + n) is output e − epb·b₀ of the
 * kernel call for the chunk that starts at block b₀ (epb = 2 elements per block for float64,
 * else 4). `run(lo, hi, nBlocks)` fills OUT and returns its number of rejections, each then
 * finished by `finish`.
 */
function drive(
  w: Kernels,
  out: Float32Array | Float64Array | Uint32Array,
  start: number,
  run: (lo: number, hi: number, nBlocks: number) => number,
  finish: Finish | null,
): void {
  const n = out.length;
  const wide = out instanceof Float64Array;
  const view = wide ? w.outF64 : out instanceof Float32Array ? w.outF32 : w.outU32;
  const epb = wide ? 2 : 4;
  for (let k = 0; k < n; ) {
    const block = Math.floor((start + k) / epb);
    const lane = start + k - block * epb;
    const m = Math.min(n - k, CHUNK - lane);
    const nBlocks = Math.ceil((lane + m) / epb / BLOCK_QUANTUM) * BLOCK_QUANTUM;
    const lo = block % TWO_32;
    const r = run(lo, (block - lo) / TWO_32, nBlocks);
    out.set(view.subarray(lane, lane + m) as never, k);
    for (let j = 0; j < r && finish !== null; j++) {
      const c = w.rejI32[4 * j];
      if (c >= lane && c < lane + m) {
        finish(k + c - lane, block * epb + c, w.rejI32[4 * j + 1], w.rejF64[2 * j + 1]);
      }
    }
    k += m;
  }
}

/** The uniform fill of `uniform.ts` in WebAssembly; false if it did not run (use JavaScript). */
export function wasmUniform(
  k0: number,
  k1: number,
  out: Float32Array | Float64Array,
  low: number,
  d: number,
  t: number,
  start: number,
): boolean {
  const w = kernelsFor(out.length);
  if (w === null) return false;
  const f = out instanceof Float32Array ? w.uniform32 : w.uniform64;
  drive(w, out, start, (lo, hi, nb) => f(k0, k1, lo, hi, nb, low, d, t), null);
  return true;
}

/** The primary words of `uniformBits` in WebAssembly; false if it did not run. */
export function wasmBits(k0: number, k1: number, out: Uint32Array, start: number): boolean {
  const w = kernelsFor(out.length);
  if (w === null) return false;
  const f = w.bits;
  const run = (lo: number, hi: number, nb: number) => {
    f(k0, k1, lo, hi, 0, 0, nb, OUT);
    return 0;
  };
  drive(w, out, start, run, null);
  return true;
}

/**
 * The ziggurat fast path of `normal.ts` / `truncated-normal.ts` in WebAssembly (see
 * {@link zigFunction} for the parameters); `finish` completes the rejected draws.
 * False if it did not run.
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
  const w = kernelsFor(out.length);
  if (w === null) return false;
  const f = out instanceof Float64Array ? w.zig64 : w.zig32;
  const run = (lo: number, hi: number, nb: number) =>
    f(k0, k1, lo, hi, nb, mean, std, a, b, tLo, tHi, lo32, hi32);
  drive(w, out, start, run, finish);
  return true;
}
