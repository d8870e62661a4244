import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_ELEMENT,
  bytesPerElement,
  decode,
  encode,
  fromBFloat16Bits,
  fromFloat16Bits,
  fromNpyDescr,
  fromSafetensorsDTypeName,
  memoryDType,
  npyDescr,
  STORAGE_DTYPES,
  safetensorsDTypeName,
  toBFloat16Bits,
  toFloat16Bits,
} from '../../src/tensor/dtype.js';

const isF16NaN = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
const isBF16NaN = (b: number) => (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;

/** float16 bits of every element, through the bulk encoder. */
function bulk(
  src: Float32Array | Float64Array,
  dtype: 'float16' | 'bfloat16',
  offset = 0,
): number[] {
  const out = new Uint8Array(offset + src.length * 2);
  expect(encode(src, dtype, out, offset)).toBe(src.length * 2);
  const bits: number[] = [];
  for (let i = 0; i < src.length; i++)
    bits.push(out[offset + 2 * i] | (out[offset + 2 * i + 1] << 8));
  return bits;
}

/**
 * Independent reference: the nearest value of a 16-bit format, ties to even, found by
 * binary search over the ordered positive bit patterns. `top` is the first pattern past the
 * largest finite one (Infinity), `next` the value it stands for when rounding (2^16 for
 * float16, 2^128 for bfloat16). The subtractions are exact (Sterbenz) or cannot flip the
 * comparison, see the argument in the body.
 */
function nearest(x: number, value: (bits: number) => number, top: number, next: number): number {
  if (Number.isNaN(x)) return -1;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | top;
  const v = (b: number) => (b === top ? next : value(b));
  // Largest pattern lo with v(lo) <= a (lo < top since a < next is checked below).
  if (a >= next) return sign | top;
  let lo = 0;
  let hi = top;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (v(mid) <= a) lo = mid;
    else hi = mid;
  }
  if (v(lo) === a) return sign | lo;
  // lo < a < v(lo + 1): a - v(lo) is exact when a <= 2 v(lo) (Sterbenz), else v(lo) = 0 and
  // it is a itself; v(lo+1) - a is exact when a >= v(lo+1) / 2, and when a is smaller the
  // rounded difference stays >= v(lo+1)/2 > a, so the comparison is right either way.
  const down = a - v(lo);
  const up = v(lo + 1) - a;
  if (down < up) return sign | lo;
  if (up < down) return sign | (lo + 1);
  return sign | (lo % 2 === 0 ? lo : lo + 1);
}

const refF16 = (x: number) => nearest(x, fromFloat16Bits, 0x7c00, 65536);
const refBF16 = (x: number) => nearest(x, fromBFloat16Bits, 0x7f80, 2 ** 128);

describe('storage dtype tables', () => {
  it('lists the dtypes, sizes and names', () => {
    expect(STORAGE_DTYPES).toEqual(['float32', 'float64', 'float16', 'bfloat16']);
    expect(STORAGE_DTYPES.map(bytesPerElement)).toEqual([4, 8, 2, 2]);
    expect(BYTES_PER_ELEMENT.bfloat16).toBe(2);
    expect(STORAGE_DTYPES.map(safetensorsDTypeName)).toEqual(['F32', 'F64', 'F16', 'BF16']);
    expect(['F32', 'F64', 'F16', 'BF16'].map(fromSafetensorsDTypeName)).toEqual(STORAGE_DTYPES);
    expect(['float32', 'float64', 'float16'].map((d) => npyDescr(d as 'float32'))).toEqual([
      '<f4',
      '<f8',
      '<f2',
    ]);
    expect(['<f4', '<f8', '<f2'].map(fromNpyDescr)).toEqual(['float32', 'float64', 'float16']);
    expect(STORAGE_DTYPES.map(memoryDType)).toEqual(['float32', 'float64', 'float32', 'float32']);
  });

  it('rejects bad dtypes and names with clear errors', () => {
    expect(() => npyDescr('bfloat16')).toThrow(RangeError);
    expect(() => npyDescr('bfloat16')).toThrow(/NumPy has no bfloat16/);
    expect(() => bytesPerElement('int8' as 'float32')).toThrow(
      'bytesPerElement: `dtype` must be one of "float32", "float64", "float16", "bfloat16", got "int8"',
    );
    expect(() => bytesPerElement(16 as unknown as 'float32')).toThrow(TypeError);
    expect(() => fromSafetensorsDTypeName('I64')).toThrow(
      'fromSafetensorsDTypeName: `name` must be one of "F32", "F64", "F16", "BF16", got "I64"',
    );
    expect(() => fromNpyDescr('>f4')).toThrow(RangeError);
    expect(() => memoryDType('half' as 'float16')).toThrow(RangeError);
  });
});

describe('toFloat16Bits', () => {
  // Reference: numpy 2.4, `np.array(x, dtype=np.float64).astype(np.float16).view(np.uint16)`
  // (NumPy rounds float64 → float16 directly, to nearest even).
  const cases: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [65504, 0x7bff], // largest finite
    [65519.99, 0x7bff],
    [65520, 0x7c00], // the midpoint to 65536 rounds to even: overflow to Infinity
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // tie between 0 and 2^-24: even is 0
    [1.5 * 2 ** -25, 0x0001],
    [2 ** -25 + 2 ** -60, 0x0001], // just above the tie
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -14 - 2 ** -24, 0x03ff], // largest subnormal
    [6.1e-5, 0x03ff],
    [1 + 2 ** -11, 0x3c00], // tie, mantissa even: down
    [1 + 3 * 2 ** -11, 0x3c02], // tie, mantissa odd: up
    [1 + 2 ** -11 + 2 ** -40, 0x3c01],
    [1 + 2 ** -11 + 2 ** -30, 0x3c01],
    [2049, 0x6800], // tie between 2048 and 2050: even
    [2051, 0x6802], // tie between 2050 and 2052: even
    [1234.5678, 0x64d3],
    [-0, 0x8000],
    [0, 0x0000],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [1e300, 0x7c00],
    [-1e300, 0xfc00],
    [1e-10, 0x0000],
    [-1e-10, 0x8000],
    [5e-324, 0x0000],
  ];

  it.each(cases)('%s → %i', (x, bits) => {
    expect(toFloat16Bits(x)).toBe(bits);
    expect(refF16(x)).toBe(bits);
    expect(bulk(new Float64Array([x]), 'float16')).toEqual([bits]);
  });

  it('rounds a double once, not through float32 (double rounding is wrong)', () => {
    // float32(1 + 2^-11 + 2^-30) is the tie 1 + 2^-11, which would then go to even 0x3C00.
    const x = 1 + 2 ** -11 + 2 ** -30;
    expect(Math.fround(x)).toBe(1 + 2 ** -11);
    expect(toFloat16Bits(x)).toBe(0x3c01);
    expect(bulk(new Float64Array([x]), 'float16')).toEqual([0x3c01]);
    expect(bulk(new Float32Array([x]), 'float16')).toEqual([0x3c00]); // the float32 input is the tie
    // numpy: np.float32(2**-25 + 2**-60).astype(np.float16) → 0x0000, from float64 → 0x0001.
    expect(toFloat16Bits(2 ** -25 + 2 ** -60)).toBe(0x0001);
    expect(bulk(new Float32Array([2 ** -25 + 2 ** -60]), 'float16')).toEqual([0x0000]);
  });

  it('keeps NaN a quiet NaN, with its sign and top payload bits', () => {
    expect(toFloat16Bits(Number.NaN) & 0x7e00).toBe(0x7e00);
    const f32 = new Float32Array(4);
    new Uint32Array(f32.buffer).set([0x7f800001, 0xffc00000, 0x7fa00000, 0x7fffffff]);
    // 0x7f800001 is a signalling NaN whose payload sits below float16's bits: quieted.
    expect(bulk(f32, 'float16')).toEqual([0x7e00, 0xfe00, 0x7f00, 0x7fff]);
    const f64 = new Float64Array(2);
    const w = new Uint32Array(f64.buffer);
    w.set([1, 0x7ff00000, 0, 0xfff80000]); // signalling NaN (payload in the low word), −qNaN
    expect(bulk(f64, 'float16')).toEqual([0x7e00, 0xfe00]);
    for (const h of bulk(f64, 'float16')) expect(isF16NaN(h)).toBe(true);
  });

  it('rejects non-numbers', () => {
    expect(() => toFloat16Bits('1' as unknown as number)).toThrow(
      'toFloat16Bits: `x` must be a number, got "1"',
    );
  });
});

describe('toBFloat16Bits', () => {
  // Worked by hand: bfloat16 is the top 16 bits of float32, rounded to nearest even.
  const max = (2 - 2 ** -7) * 2 ** 127; // 0x7F7F
  const cases: [number, number][] = [
    [1, 0x3f80],
    [-2, 0xc000],
    [0.1, 0x3dcd], // 1.6 · 2^-4 = 1.1001100|1100… → up
    [1 / 3, 0x3eab], // 1.0101010|1010… → up
    [1234.5678, 0x449a], // float32 bits 0x449A522B: low half < 0x8000 → down
    [1 + 2 ** -8, 0x3f80], // tie, mantissa even: down
    [1 + 3 * 2 ** -8, 0x3f82], // tie, mantissa odd: up
    [1 + 2 ** -8 + 2 ** -40, 0x3f81],
    [max, 0x7f7f], // largest finite
    [(2 - 2 ** -8) * 2 ** 127, 0x7f80], // midpoint to 2^128: even is Infinity
    [(2 - 2 ** -8) * 2 ** 127 * (1 - 2 ** -52), 0x7f7f],
    [3.4028234663852886e38, 0x7f80], // float32 max overflows
    [2 ** -126, 0x0080], // smallest normal
    [2 ** -133, 0x0001], // smallest subnormal
    [2 ** -134, 0x0000], // tie: even is 0
    [3 * 2 ** -134, 0x0002], // tie between 1 and 2: even
    [2 ** -134 + 2 ** -160, 0x0001],
    [-0, 0x8000],
    [0, 0x0000],
    [Infinity, 0x7f80],
    [-Infinity, 0xff80],
    [1e300, 0x7f80],
    [5e-324, 0x0000],
  ];

  it.each(cases)('%s → %i', (x, bits) => {
    expect(toBFloat16Bits(x)).toBe(bits);
    expect(refBF16(x)).toBe(bits);
    expect(bulk(new Float64Array([x]), 'bfloat16')).toEqual([bits]);
    if (Math.fround(x) === x || !Number.isFinite(x)) {
      expect(bulk(new Float32Array([x]), 'bfloat16')).toEqual([bits]);
    }
  });

  it('rounds a double once, not through float32', () => {
    const x = 1 + 2 ** -8 + 2 ** -30;
    expect(Math.fround(x)).toBe(1 + 2 ** -8); // the tie
    expect(toBFloat16Bits(x)).toBe(0x3f81);
    expect(bulk(new Float64Array([x]), 'bfloat16')).toEqual([0x3f81]);
    expect(bulk(new Float32Array([x]), 'bfloat16')).toEqual([0x3f80]);
  });

  it('keeps NaN a quiet NaN, with its sign and top payload bits', () => {
    expect(isBF16NaN(toBFloat16Bits(Number.NaN))).toBe(true);
    const f32 = new Float32Array(3);
    new Uint32Array(f32.buffer).set([0x7f800001, 0xff800100, 0x7fffffff]);
    expect(bulk(f32, 'bfloat16')).toEqual([0x7fc0, 0xffc0, 0x7fff]);
  });
});

describe('decoders', () => {
  it('decode known bits', () => {
    expect(fromFloat16Bits(0x3c00)).toBe(1);
    expect(fromFloat16Bits(0x7bff)).toBe(65504);
    expect(fromFloat16Bits(0x0001)).toBe(2 ** -24);
    expect(fromFloat16Bits(0x03ff)).toBe(2 ** -14 - 2 ** -24);
    expect(Object.is(fromFloat16Bits(0x8000), -0)).toBe(true);
    expect(fromFloat16Bits(0xfc00)).toBe(-Infinity);
    expect(fromFloat16Bits(0x7e00)).toBeNaN();
    expect(fromBFloat16Bits(0x3f80)).toBe(1);
    expect(fromBFloat16Bits(0x3dcd)).toBe(0.10009765625);
    expect(fromBFloat16Bits(0x0001)).toBe(2 ** -133);
    expect(Object.is(fromBFloat16Bits(0x8000), -0)).toBe(true);
    expect(fromBFloat16Bits(0x7fc0)).toBeNaN();
  });

  it('reject bits out of range', () => {
    expect(() => fromFloat16Bits(65536)).toThrow(
      'fromFloat16Bits: `bits` must be an integer in [0, 65535], got 65536',
    );
    expect(() => fromBFloat16Bits(-1)).toThrow(RangeError);
    expect(() => fromBFloat16Bits(1.5)).toThrow(RangeError);
  });
});

describe('exhaustive round trip over all 65536 bit patterns', () => {
  const all = Array.from({ length: 65536 }, (_, i) => i);

  for (const [name, from, to, nan] of [
    ['float16', fromFloat16Bits, toFloat16Bits, isF16NaN],
    ['bfloat16', fromBFloat16Bits, toBFloat16Bits, isBF16NaN],
  ] as const) {
    it(`${name}: decode → encode gives the same bits (NaN: a NaN)`, () => {
      const values = all.map(from);
      const f32 = Float32Array.from(values);
      const f64 = Float64Array.from(values);
      const viaF32 = bulk(f32, name);
      const viaF64 = bulk(f64, name, 1); // odd offset: the unaligned path
      const wrong: number[] = [];
      for (const h of all) {
        for (const g of [to(values[h]), viaF32[h], viaF64[h]]) {
          if (nan(h) ? !nan(g) : g !== h) wrong.push(h);
        }
      }
      expect(wrong).toEqual([]);
      // The bulk decoder agrees with the scalar one.
      const bytes = new Uint8Array(2 + 65536 * 2);
      for (const h of all) {
        bytes[2 + 2 * h] = h & 0xff;
        bytes[3 + 2 * h] = h >>> 8;
      }
      const out32 = new Float32Array(65536);
      const out64 = new Float64Array(65536);
      expect(decode(bytes, 2, name, out32)).toBe(131072);
      decode(bytes, 2, name, out64);
      for (const h of all) {
        const ok = nan(h)
          ? Number.isNaN(out32[h]) && Number.isNaN(out64[h])
          : Object.is(out32[h], values[h]) && Object.is(out64[h], values[h]);
        if (!ok) wrong.push(h);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('every midpoint between neighbouring float16 / bfloat16 values rounds to even', () => {
    for (const [from, to, top] of [
      [fromFloat16Bits, toFloat16Bits, 0x7bff],
      [fromBFloat16Bits, toBFloat16Bits, 0x7f7f],
    ] as const) {
      const wrong: number[] = [];
      for (let h = 0; h < top; h++) {
        const mid = (from(h) + from(h + 1)) / 2; // exact in a double
        const even = h % 2 === 0 ? h : h + 1;
        if (to(mid) !== even || to(-mid) !== (0x8000 | even)) wrong.push(h);
      }
      expect(wrong).toEqual([]);
    }
  });
});

describe('agrees with the reference rounding (fast-check)', () => {
  const wide = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  const tiny = fc.double({ min: -1e-3, max: 1e-3, noNaN: true });
  const any = fc.double();

  it('float16 from doubles', () => {
    fc.assert(
      fc.property(fc.oneof(wide, tiny, any), (x) => {
        const expected = refF16(x);
        const got = toFloat16Bits(x);
        return expected === -1 ? isF16NaN(got) : got === expected;
      }),
      { seed: 42, numRuns: 20000 },
    );
  });

  it('bfloat16 from doubles', () => {
    fc.assert(
      fc.property(any, (x) => {
        const expected = refBF16(x);
        const got = toBFloat16Bits(x);
        return expected === -1 ? isBF16NaN(got) : got === expected;
      }),
      { seed: 42, numRuns: 20000 },
    );
  });

  it('the float32 bit path agrees with the double path on every float32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const f = new Float32Array(new Uint32Array([bits]).buffer);
        const x = f[0];
        const [h] = bulk(f, 'float16');
        const [b] = bulk(f, 'bfloat16');
        if (Number.isNaN(x)) return isF16NaN(h) && isBF16NaN(b);
        return h === toFloat16Bits(x) && b === toBFloat16Bits(x);
      }),
      { seed: 7, numRuns: 50000 },
    );
  });
});

describe('encode / decode float32 and float64', () => {
  const values = [0, -0, 1, -1.5, 0.1, 1e-40, 3.4e38, 1e300, Infinity, -Infinity, 2 ** -1074];

  it('writes little-endian bytes at the offset and reads them back', () => {
    const f64 = Float64Array.from(values);
    const out = new Uint8Array(3 + values.length * 8);
    expect(encode(f64, 'float64', out, 3)).toBe(values.length * 8);
    const view = new DataView(out.buffer);
    for (const [i, v] of values.entries()) {
      expect(Object.is(view.getFloat64(3 + 8 * i, true), v)).toBe(true);
    }
    const back = new Float64Array(values.length);
    expect(decode(out, 3, 'float64', back)).toBe(values.length * 8);
    expect(Array.from(back)).toEqual(values);

    const out32 = new Uint8Array(1 + values.length * 4);
    encode(f64, 'float32', out32, 1); // rounds each double to float32
    const v32 = new DataView(out32.buffer);
    for (const [i, v] of values.entries()) {
      expect(Object.is(v32.getFloat32(1 + 4 * i, true), Math.fround(v))).toBe(true);
    }
    const back32 = new Float32Array(values.length);
    decode(out32, 1, 'float32', back32);
    expect(Array.from(back32)).toEqual(values.map(Math.fround));
    const back64 = new Float64Array(values.length);
    decode(out32, 1, 'float32', back64);
    expect(Array.from(back64)).toEqual(values.map(Math.fround));
  });

  it('converts float32 sources and rounds float64 files decoded into float32', () => {
    const f32 = Float32Array.from(values);
    const out = new Uint8Array(values.length * 8);
    encode(f32, 'float64', out, 0);
    const back = new Float64Array(values.length);
    decode(out, 0, 'float64', back);
    expect(Array.from(back)).toEqual(Array.from(f32));
    const f64 = Float64Array.from(values);
    encode(f64, 'float64', out, 0);
    const narrowed = new Float32Array(values.length);
    decode(out, 0, 'float64', narrowed);
    expect(Array.from(narrowed)).toEqual(values.map(Math.fround));
  });

  it('handles long arrays across scratch chunks and subarray sources', () => {
    const n = 10_001;
    const src = new Float64Array(n + 2).map((_, i) => i * 0.37 - 1000);
    const part = src.subarray(1, n + 1);
    for (const dtype of STORAGE_DTYPES) {
      const out = new Uint8Array(n * BYTES_PER_ELEMENT[dtype] + 1);
      encode(part, dtype, out, 1);
      const back = new Float64Array(n);
      decode(out, 1, dtype, back);
      for (let i = 0; i < n; i += 997) {
        const x = part[i];
        const expected =
          dtype === 'float64'
            ? x
            : dtype === 'float32'
              ? Math.fround(x)
              : dtype === 'float16'
                ? fromFloat16Bits(toFloat16Bits(x))
                : fromBFloat16Bits(toBFloat16Bits(x));
        expect(back[i]).toBe(expected);
      }
    }
  });

  it('handles empty arrays', () => {
    for (const dtype of STORAGE_DTYPES) {
      expect(encode(new Float32Array(0), dtype, new Uint8Array(0), 0)).toBe(0);
      expect(decode(new Uint8Array(0), 0, dtype, new Float64Array(0))).toBe(0);
    }
  });

  it.each([
    [
      () => encode([1] as unknown as Float32Array, 'float32', new Uint8Array(4), 0),
      TypeError,
      /`src` must be a Float32Array or a Float64Array, got \[1\]/,
    ],
    [
      () => encode(new Float32Array(1), 'int8' as 'float32', new Uint8Array(4), 0),
      RangeError,
      /`dtype` must be one of/,
    ],
    [
      () => encode(new Float32Array(1), 'float32', [] as unknown as Uint8Array, 0),
      TypeError,
      /`out` must be a Uint8Array/,
    ],
    [
      () => encode(new Float32Array(1), 'float32', new Uint8Array(4), -1),
      RangeError,
      /`outOffset` must be an integer in \[0, 4\], got -1/,
    ],
    [
      () => encode(new Float32Array(2), 'float32', new Uint8Array(8), 1),
      RangeError,
      'encode: `out` must be at least 9 bytes long (2 float32 values from offset 1), got Uint8Array(8)',
    ],
    [
      () => decode(new Uint8Array(3), 0, 'float16', new Float32Array(2)),
      RangeError,
      'decode: `src` must be at least 4 bytes long (2 float16 values from offset 0), got Uint8Array(3)',
    ],
    [
      () => decode(new Uint8Array(4), 0.5, 'float16', new Float32Array(1)),
      RangeError,
      /`srcOffset` must be an integer/,
    ],
    [
      () => decode(new Uint8Array(4), 0, 'float16', new Int16Array(2) as unknown as Float32Array),
      TypeError,
      /`out` must be a Float32Array or a Float64Array, got Int16Array\(2\)/,
    ],
  ])('bad input %#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
