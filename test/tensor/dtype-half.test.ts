/**
 * The bulk float16 and bfloat16 encoders (`halfWorkspace`: a WebAssembly SIMD kernel,
 * JavaScript where WebAssembly is missing) against the reference encoders: `toFloat16Bits` and
 * `toBFloat16Bits` (rounding from the exact value) and `encode`.
 */
import { describe, expect, it } from 'vitest';
import {
  encode,
  type HalfDType,
  halfWorkspace,
  toBFloat16Bits,
  toFloat16Bits,
} from '../../src/tensor/dtype.js';

/** float32 bit patterns → the workspace's 16-bit words (through a workspace of `n` elements). */
function viaWorkspace(dtype: HalfDType, bits: Uint32Array, simd = true): Uint16Array {
  const w = withWasm(simd, () => halfWorkspace(dtype, Math.max(1, bits.length), 2));
  expect(w.simd).toBe(simd);
  new Uint32Array(w.input.buffer, w.input.byteOffset, bits.length).set(bits);
  expect(w.encode(bits.length, 1)).toBe(2 * bits.length);
  const o = w.outputs[1];
  return new Uint16Array(o.buffer, o.byteOffset, bits.length).slice();
}

/** Runs `f` with WebAssembly available or hidden. */
function withWasm<T>(on: boolean, f: () => T): T {
  if (on) return f();
  const g = globalThis as { WebAssembly?: unknown };
  const saved = g.WebAssembly;
  g.WebAssembly = undefined;
  try {
    return f();
  } finally {
    g.WebAssembly = saved;
  }
}

/**
 * The reference: `toFloat16Bits` / `toBFloat16Bits` of the float32 value; NaN: quiet, with the
 * sign and the top payload bits.
 */
function reference(dtype: HalfDType, bits: number): number {
  const v = new Float32Array(new Uint32Array([bits]).buffer)[0];
  if (dtype === 'bfloat16') {
    return Number.isNaN(v) ? ((bits >>> 16) | 0x40) & 0xffff : toBFloat16Bits(v);
  }
  return Number.isNaN(v)
    ? ((bits >>> 16) & 0x8000) | 0x7e00 | ((bits >>> 13) & 0x3ff)
    : toFloat16Bits(v);
}

/**
 * Every sign, exponent and top mantissa (the high half), with low halves at the edges of
 * both roundings: bfloat16's (round bit 15) and float16's (round bit 12, kept bit 13).
 */
function patterns(): Uint32Array {
  const lows = [0, 1, 0x0fff, 0x1000, 0x1001, 0x1234, 0x2fff, 0x3000, 0x3001];
  lows.push(0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff);
  const out = new Uint32Array(65536 * lows.length);
  let k = 0;
  for (let hi = 0; hi < 65536; hi++) for (const lo of lows) out[k++] = ((hi << 16) | lo) >>> 0;
  return out;
}

/** Special float32 patterns and their 16-bit results, by dtype. */
const SPECIAL: Record<HalfDType, [number, number][]> = {
  bfloat16: [
    [0x00000000, 0x0000], // +0
    [0x80000000, 0x8000], // -0
    [0x7f800000, 0x7f80], // +Inf
    [0xff800000, 0xff80], // -Inf
    [0x7fc00000, 0x7fc0], // quiet NaN
    [0x7f800001, 0x7fc0], // signalling NaN, low payload: quieted
    [0xff812345, 0xffc1], // negative NaN keeps sign and top payload bits
    [0x7fffffff, 0x7fff], // NaN with every payload bit
    [0x00000001, 0x0000], // smallest subnormal rounds to 0
    [0x00008000, 0x0000], // tie at a subnormal, to even (0)
    [0x00018000, 0x0002], // tie at a subnormal, to even (2)
    [0x007fffff, 0x0080], // largest subnormal rounds up into the normals
    [0x3f808000, 0x3f80], // 1 + 2^-8: a tie, to even (down)
    [0x3f818000, 0x3f82], // a tie, to even (up)
    [0x3f808001, 0x3f81], // just above a tie: up
    [0x3f807fff, 0x3f80], // just below a tie: down
    [0x7f7fffff, 0x7f80], // max float32 rounds to +Inf
    [0xff7f8000, 0xff80], // a tie at the top: to even, -Inf
    [0x7f7f7fff, 0x7f7f], // the largest bfloat16
  ],
  float16: [
    [0x00000000, 0x0000], // +0
    [0x80000000, 0x8000], // -0
    [0x7f800000, 0x7c00], // +Inf
    [0xff800000, 0xfc00], // -Inf
    [0x7fc00000, 0x7e00], // quiet NaN
    [0x7f800001, 0x7e00], // signalling NaN, low payload: quieted
    [0xff812345, 0xfe09], // negative NaN keeps sign and top payload bits
    [0x7fffffff, 0x7fff], // NaN with every payload bit
    [0x00000001, 0x0000], // a float32 subnormal rounds to 0
    [0x33000000, 0x0000], // 2^-25: a tie between 0 and the smallest subnormal, to even (0)
    [0x33000001, 0x0001], // just above it: up
    [0x33800000, 0x0001], // 2^-24, the smallest subnormal
    [0x33c00000, 0x0002], // 1.5 · 2^-24: a tie, to even (2)
    [0x387fc000, 0x03ff], // the largest subnormal
    [0x387ff000, 0x0400], // 1023.5 · 2^-24: a tie, to even: the smallest normal
    [0x38800000, 0x0400], // 2^-14, the smallest normal
    [0x3f800000, 0x3c00], // 1
    [0xc0000000, 0xc000], // -2
    [0x3f801000, 0x3c00], // 1 + 2^-11: a tie, to even (down)
    [0x3f803000, 0x3c02], // 1 + 3 · 2^-11: a tie, to even (up)
    [0x3f801001, 0x3c01], // just above a tie: up
    [0x3f800fff, 0x3c00], // just below a tie: down
    [0x477fe000, 0x7bff], // 65504, the largest float16
    [0x477fefff, 0x7bff], // just below the tie with Inf
    [0x477ff000, 0x7c00], // 65520: a tie, to even: Inf
    [0xc7800000, 0xfc00], // -65536 overflows to -Inf
    [0x7f7fffff, 0x7c00], // max float32
  ],
};

describe('halfWorkspace', () => {
  for (const dtype of ['bfloat16', 'float16'] as const) {
    for (const simd of [true, false]) {
      const path = `${dtype}, ${simd ? 'SIMD kernel' : 'JavaScript fallback'}`;
      it(`${path}: the reference bits for every exponent, sign, tie and NaN class`, () => {
        const bits = patterns();
        const got = viaWorkspace(dtype, bits, simd);
        const ref = new Uint8Array(2 * bits.length);
        encode(new Float32Array(bits.buffer), dtype, ref, 0);
        const encoded = new Uint16Array(ref.buffer);
        let bad = 0;
        for (let i = 0; i < bits.length; i++) {
          const r = reference(dtype, bits[i]);
          if (got[i] !== r || encoded[i] !== r) bad++;
        }
        expect(bad).toBe(0);
      });

      it(`${path}: special values`, () => {
        const cases = SPECIAL[dtype];
        const got = viaWorkspace(dtype, new Uint32Array(cases.map((c) => c[0])), simd);
        cases.forEach(([f, b], i) => {
          expect(got[i], `0x${f.toString(16)}`).toBe(b);
          expect(reference(dtype, f), `reference of 0x${f.toString(16)}`).toBe(b);
        });
      });
    }
  }

  it.each(['bfloat16', 'float16'] as const)(
    '%s: every length around the 8-value SIMD step (the tail in JavaScript), and partial windows',
    (dtype) => {
      const w = halfWorkspace(dtype, 64, 3);
      let x = 0x9e3779b9;
      const ref = new Uint8Array(128);
      for (let n = 0; n <= 64; n++) {
        const bits = new Uint32Array(w.input.buffer, w.input.byteOffset, 64);
        for (let i = 0; i < 64; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          bits[i] = x >>> 0;
        }
        const k = n % 3;
        w.outputs[k].fill(0xab);
        expect(w.encode(n, k)).toBe(2 * n);
        encode(w.input.subarray(0, n), dtype, ref, 0);
        expect(Buffer.from(w.outputs[k].subarray(0, 2 * n)).equals(ref.subarray(0, 2 * n))).toBe(
          true,
        );
        // Nothing past 2n is touched.
        expect(w.outputs[k].subarray(2 * n).every((b) => b === 0xab)).toBe(true);
      }
    },
  );

  it('has separate, non-overlapping buffers of the asked sizes', () => {
    const w = halfWorkspace('bfloat16', 1000, 2);
    expect(w.input.length).toBe(1000);
    expect(w.outputs.map((o) => o.length)).toEqual([2000, 2000]);
    w.input.fill(1);
    w.encode(1000, 0);
    w.input.fill(-2);
    w.encode(1000, 1);
    expect(new Uint16Array(w.outputs[0].slice().buffer).every((b) => b === 0x3f80)).toBe(true);
    expect(new Uint16Array(w.outputs[1].slice().buffer).every((b) => b === 0xc000)).toBe(true);
    expect(w.input.every((v) => v === -2)).toBe(true);
  });

  it('encodes at a byte offset into larger outputs, 4 KiB-aligned in the memory', () => {
    const w = halfWorkspace('float16', 100, 2, 200 + 8192);
    expect(w.outputs.map((o) => o.length)).toEqual([8392, 8392]);
    if (w.simd) expect(w.outputs.every((o) => o.byteOffset % 4096 === 0)).toBe(true);
    for (let i = 0; i < 100; i++) w.input[i] = (i - 50) / 7;
    const ref = new Uint8Array(200);
    encode(w.input, 'float16', ref, 0);
    for (const offset of [0, 2, 6, 4094, 8192]) {
      w.outputs[1].fill(0xcd);
      expect(w.encode(100, 1, offset)).toBe(200);
      expect(Buffer.from(w.outputs[1].subarray(offset, offset + 200)).equals(ref)).toBe(true);
      expect(w.outputs[1].subarray(0, offset).every((b) => b === 0xcd)).toBe(true);
      expect(w.outputs[1].subarray(offset + 200).every((b) => b === 0xcd)).toBe(true);
    }
    expect(() => w.encode(100, 1, 3)).toThrow(/even/);
    expect(() => w.encode(100, 1, 8194)).toThrow(RangeError);
    expect(() => halfWorkspace('float16', 100, 2, 199)).toThrow(/outputBytes/);
  });

  it('rejects bad sizes and arguments', () => {
    expect(() => halfWorkspace('bfloat16', 0)).toThrow(RangeError);
    expect(() => halfWorkspace('bfloat16', 1.5)).toThrow(/capacity/);
    expect(() => halfWorkspace('bfloat16', 8, 0)).toThrow(/outputs/);
    expect(() => halfWorkspace('float32' as HalfDType, 8)).toThrow(/`dtype`/);
    const w = halfWorkspace('bfloat16', 8, 2);
    expect(() => w.encode(9, 0)).toThrow(/`n`/);
    expect(() => w.encode(8, 2)).toThrow(/`which`/);
    expect(() => w.encode(-1, 0)).toThrow(RangeError);
  });
});
