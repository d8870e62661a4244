import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deriveChildKey,
  deriveKey,
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  type Key,
  permutation,
  philoxBlocks,
  philoxSource,
  philoxSourceFromKey,
  uniformBits,
} from '../../src/random/index.js';
import { truncatedMethod } from '../../src/random/truncated-normal.js';

type FloatArray = Float32Array | Float64Array;
type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;
const DTYPES: [string, FloatCtor][] = [
  ['float32', Float32Array],
  ['float64', Float64Array],
];

/** FNV-1a over the 32-bit words of an array's bytes: pins long outputs in one number. */
function fnv(arr: FloatArray | Uint32Array): string {
  const u = new Uint32Array(arr.buffer, arr.byteOffset, arr.byteLength / 4);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i], 0x01000193) >>> 0;
  return `0x${h.toString(16).padStart(8, '0')}`;
}

const KEY = deriveKey(42, 'golden');

/** Every sampler as (key, out, start) → fill, at fixed parameters. */
const SAMPLERS: [string, (key: Key, out: FloatArray, start: number) => void][] = [
  ['uniform(-3, 5)', (k, o, s) => fillUniform(k, o, -3, 5, s)],
  ['normal(1, 2)', (k, o, s) => fillNormal(k, o, 1, 2, s)],
  ...(
    [
      [-2, 2],
      [0, Number.POSITIVE_INFINITY],
      [2, 3],
      [5, 6],
      [Number.NEGATIVE_INFINITY, -4],
      [-0.1, 0.1],
    ] as const
  ).map(
    ([a, b]) =>
      [
        `truncatedNormal(0.5, 3, [${a}, ${b}])`,
        (k: Key, o: FloatArray, s: number) => fillTruncatedNormal(k, o, 0.5, 3, a, b, s),
      ] as [string, (key: Key, out: FloatArray, start: number) => void],
  ),
];

describe('golden vectors', () => {
  // All values below were produced by this implementation when the stream layout was fixed
  // (key = deriveKey(42, 'golden'), see src/random/index.ts for the layout); the words of
  // uniformBits are checked against Philox4x32-10 directly. They pin the streams on every engine.
  it('uniformBits is the primary words: Philox4x32-10 of counters (b, 0, 0, 0)', () => {
    const bits = new Uint32Array(8);
    uniformBits(KEY, bits);
    expect(Array.from(bits)).toEqual([
      0x9e5dff79, 0xf9fdd6f3, 0x3786b698, 0x7f13669a, 0x7fb5e835, 0x414781ec, 0x479bce93,
      0xd378a8f4,
    ]);
    const blocks = new Uint32Array(8);
    philoxBlocks(KEY.k0, KEY.k1, 0, 0, 0, 2, blocks);
    expect(bits).toEqual(blocks);
  });

  it('uniform float32 and float64 from those words', () => {
    const f = new Float32Array(8);
    fillUniform(KEY, f, -1, 1);
    expect(Array.from(f)).toEqual([
      0.23724353313446045, 0.9530589580535889, -0.5662014484405518, -0.00722050666809082,
      -0.0022611618041992188, -0.49000537395477295, -0.44055771827697754, 0.6521196365356445,
    ]);
    // element 0 by hand: word 0x9e5dff79 >>> 8 = 0x9e5dff; u = 0x9e5dff / 2^24; v = -1 + 2u.
    expect(f[0]).toBe(Math.fround(-1 + 2 * (0x9e5dff / 2 ** 24)));
    const d = new Float64Array(8);
    fillUniform(KEY, d, -1, 1);
    expect(Array.from(d)).toEqual([
      0.23724359238936787, -0.5662013814391229, -0.0022611431032812934, -0.4405576463630816,
      -0.24478688373494273, -0.7338178315002393, 0.7255074441967422, 0.17656335848046667,
    ]);
    expect(d[0]).toBe(-1 + 2 * (((0x9e5dff79 >>> 5) * 2 ** 26 + (0xf9fdd6f3 >>> 6)) / 2 ** 53));
  });

  it('normal float32 and float64', () => {
    const f = new Float32Array(8);
    fillNormal(KEY, f);
    expect(Array.from(f)).toEqual([
      0.3668197691440582, -0.40008044242858887, -0.4746147394180298, -1.0643937587738037,
      0.8412918448448181, -0.22845600545406342, -0.6462715268135071, -0.6037769317626953,
    ]);
    const d = new Float64Array(8);
    fillNormal(KEY, d);
    expect(Array.from(d)).toEqual([
      0.3668198174761798, -0.47461481573377845, 0.8412918409500121, -0.6462716652230638,
      -0.4454198987030989, -0.15509578867518264, -2.9701330643091675, -0.8305605806122858,
    ]);
  });

  it('truncated normal float32 and float64 ([-2, 2]: normal rejection; [5, 6]: exponential)', () => {
    const f = new Float32Array(8);
    fillTruncatedNormal(KEY, f, 0, 1, -2, 2);
    // Same draws as the normal stream where they fall inside [-2, 2].
    const n = new Float32Array(8);
    fillNormal(KEY, n);
    expect(f).toEqual(n);
    const d = new Float64Array(8);
    fillTruncatedNormal(KEY, d, 0, 1, -2, 2);
    expect(Array.from(d)).toEqual([
      0.3668198174761798,
      -0.47461481573377845,
      0.8412918409500121,
      -0.6462716652230638,
      -0.4454198987030989,
      -0.15509578867518264,
      -1.7968299046589578,
      -0.8305605806122858, // element 6 redrawn (-2.97 rejected)
    ]);
    const t = new Float64Array(8);
    fillTruncatedNormal(KEY, t, 0, 1, 5, 6);
    expect(Array.from(t)).toEqual([
      5.191460385361574, 5.002722050657946, 5.072165054262324, 5.149130410744617, 5.136040235622658,
      5.040247601532876, 5.00588280467762, 5.175821349152356,
    ]);
    const t32 = new Float32Array(8);
    fillTruncatedNormal(KEY, t32, 0, 1, 5, 6);
    // The exponential method draws only from private streams: float32 is float64 rounded.
    expect(t32).toEqual(Float32Array.from(t));
  });

  it('permutation', () => {
    expect(Array.from(permutation(KEY, 10))).toEqual([2, 9, 8, 7, 1, 0, 6, 4, 3, 5]);
  });

  // Hashes of 2^16 values pin the slow paths too (ziggurat wedges and tail, every truncation method).
  const HASHES: Record<string, [string, string]> = {
    'uniform(-3, 5)': ['0xb12cf165', '0xa1f7de64'],
    'normal(1, 2)': ['0xab60f856', '0x00162eba'],
    'truncatedNormal(0.5, 3, [-2, 2])': ['0xa86c02b8', '0x7d78fffb'],
    'truncatedNormal(0.5, 3, [0, Infinity])': ['0x90ac1cc8', '0xf2f40712'],
    'truncatedNormal(0.5, 3, [2, 3])': ['0xd4d792f1', '0x5b43c2e2'],
    'truncatedNormal(0.5, 3, [5, 6])': ['0x0e2fe448', '0xabb7df9f'],
    'truncatedNormal(0.5, 3, [-Infinity, -4])': ['0xee9cca6d', '0x702df082'],
    'truncatedNormal(0.5, 3, [-0.1, 0.1])': ['0x5425dd8a', '0x256bad95'],
  };
  it.each(SAMPLERS)('%s: hash of 2^16 values (float32, float64)', (name, fill) => {
    const got = DTYPES.map(([, T]) => {
      const out = new T(2 ** 16);
      fill(KEY, out, 0);
      return fnv(out);
    });
    expect(got).toEqual(HASHES[name]);
  });

  it('permutation: hash of a permutation of 2^16', () => {
    expect(fnv(permutation(KEY, 2 ** 16))).toBe('0x635336f9');
  });
});

describe('chunk independence', () => {
  // Any split of [start, start + n) into chunks, each filled on its own, gives the one-shot bits.
  for (const [dtype, T] of DTYPES) {
    it.each(SAMPLERS)(`%s ${dtype}: chunked fill == one-shot fill`, (_name, fill) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 40 }),
          fc.integer({ min: 0, max: 600 }),
          fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 6 }),
          (start, n, cuts) => {
            const whole = new T(n);
            fill(KEY, whole, start);
            const points = [0, ...cuts.map((c) => c % (n + 1)).sort((a, b) => a - b), n];
            const pieces = new T(n);
            for (let i = 0; i + 1 < points.length; i++) {
              const sub = pieces.subarray(points[i], points[i + 1]);
              fill(KEY, sub, start + points[i]);
            }
            expect(pieces).toEqual(whole);
          },
        ),
        { seed: 4, numRuns: 60 },
      );
    });
  }

  it('uniformBits: chunked == one-shot, at any offsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 52 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        (start, n, cut) => {
          const whole = new Uint32Array(n);
          uniformBits(KEY, whole, start);
          const c = cut % (n + 1);
          const pieces = new Uint32Array(n);
          uniformBits(KEY, pieces.subarray(0, c), start);
          uniformBits(KEY, pieces.subarray(c), start + c);
          expect(pieces).toEqual(whole);
        },
      ),
      { seed: 5, numRuns: 100 },
    );
  });

  it('spans chunk boundaries of the internal scratch buffer (> 4096 words)', () => {
    for (const [, T] of DTYPES) {
      const whole = new T(10_007);
      fillNormal(KEY, whole, 0, 1, 3);
      const a = new T(10_007);
      fillNormal(KEY, a.subarray(0, 4099), 0, 1, 3);
      fillNormal(KEY, a.subarray(4099), 0, 1, 3 + 4099);
      expect(a).toEqual(whole);
    }
  });

  it('works near the end of the index range (start + n = 2^53)', () => {
    for (const [, T] of DTYPES) {
      const out = new T(5);
      fillNormal(KEY, out, 0, 1, 2 ** 53 - 5);
      const tail = new T(2);
      fillNormal(KEY, tail, 0, 1, 2 ** 53 - 2);
      expect(out.subarray(3)).toEqual(tail);
      expect(out.every(Number.isFinite)).toBe(true);
    }
  });
});

describe('determinism and streams', () => {
  it('the same key gives the same bits; another stream or seed gives other bits', () => {
    for (const [, fill] of SAMPLERS) {
      for (const [, T] of DTYPES) {
        const a = new T(64);
        const b = new T(64);
        const c = new T(64);
        const d = new T(64);
        fill(deriveKey(1, 's'), a, 0);
        fill(deriveKey(1, 's'), b, 0);
        fill(deriveKey(1, 't'), c, 0);
        fill(deriveKey(2, 's'), d, 0);
        expect(a).toEqual(b);
        expect(a).not.toEqual(c);
        expect(a).not.toEqual(d);
      }
    }
  });

  it('philoxSource methods equal the fill functions of its key; child() derives a key', () => {
    const src = philoxSource(42, 'golden');
    expect(src.kind).toBe('philox');
    expect(src.key).toEqual(KEY);
    for (const [, T] of DTYPES) {
      const a = new T(100);
      const b = new T(100);
      src.uniform(a, -3, 5, 7);
      fillUniform(KEY, b, -3, 5, 7);
      expect(a).toEqual(b);
      src.normal(a, 1, 2, 7);
      fillNormal(KEY, b, 1, 2, 7);
      expect(a).toEqual(b);
      // absolute bounds [low, high] = mean + std·[a, b]
      src.truncatedNormal(a, 1, 2, -3, 5, 7);
      fillTruncatedNormal(KEY, b, 1, 2, -2, 2, 7);
      expect(a).toEqual(b);
    }
    expect(src.permutation(50)).toEqual(permutation(KEY, 50));
    expect(src.child('c').key).toEqual(deriveChildKey(KEY, 'c'));
    expect(philoxSourceFromKey(KEY).key).toEqual(KEY);
    expect(philoxSource(42).key).toEqual(deriveKey(42, ''));
  });

  it('truncatedNormal with std = 0 is the limit: mean clamped to the bounds', () => {
    const src = philoxSource(1);
    const out = new Float64Array(3);
    src.truncatedNormal(out, 5, 0, 0, 1);
    expect(Array.from(out)).toEqual([1, 1, 1]);
    src.truncatedNormal(out, 0.5, 0, 0, 1);
    expect(Array.from(out)).toEqual([0.5, 0.5, 0.5]);
    fillTruncatedNormal(KEY, out, 3, 0, -1, 1);
    expect(Array.from(out)).toEqual([3, 3, 3]);
    // so small a std that the standardized bounds collapse to +∞: the limit again
    src.truncatedNormal(out, 0, 1e-300, 1e10, 1e11);
    expect(Array.from(out)).toEqual([1e10, 1e10, 1e10]);
  });
});

describe('ranges and bounds', () => {
  it('uniform stays in [low, high) even when high is not a float32 and rounding reaches it', () => {
    // low + (high - low)·u rounds to float32 1 = fround(high) > high for u close to 1.
    const high = 1 - 2 ** -30;
    const out = new Float32Array(200_000);
    fillUniform(KEY, out, 1 - 2 ** -20, high);
    const low32 = Math.fround(1 - 2 ** -20);
    expect(out.every((v) => v < high && v >= low32)).toBe(true);
    // ~3 % of draws round up to 1 and are replaced by low: the replacement is exercised.
    const atLow = out.filter((v) => v === low32).length;
    expect(atLow).toBeGreaterThan(out.length / 50);
  });

  it('truncated normal outputs stay inside the bounds, also in float32 with non-float32 bounds', () => {
    for (const [, T] of DTYPES) {
      const out = new T(100_000);
      const src = philoxSource(3, 'bounds');
      src.truncatedNormal(out, 0.1, 0.7, -0.3, 0.30000001);
      expect(out.every((v) => v >= -0.3 && v <= 0.30000001)).toBe(true);
    }
  });

  it('handles tails far out without hanging ([40, 41], [-1e6, -1e6 + 1], [1e200, ∞))', () => {
    const out = new Float64Array(1000);
    fillTruncatedNormal(KEY, out, 0, 1, 40, 41);
    expect(out.every((v) => v >= 40 && v <= 41)).toBe(true);
    fillTruncatedNormal(KEY, out, 0, 1, -1e6, -1e6 + 1);
    expect(out.every((v) => v >= -1e6 && v <= -1e6 + 1)).toBe(true);
    fillTruncatedNormal(KEY, out, 0, 1, 1e200, Number.POSITIVE_INFINITY);
    expect(out.every((v) => v === 1e200)).toBe(true);
  });

  it('chooses the method from (a, b) as documented', () => {
    expect(truncatedMethod(-2, 2)).toBe('normal');
    expect(truncatedMethod(0, Number.POSITIVE_INFINITY)).toBe('normal');
    expect(truncatedMethod(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe('normal');
    expect(truncatedMethod(-0.1, 0.1)).toBe('uniform');
    expect(truncatedMethod(0, 1.9)).toBe('uniform');
    expect(truncatedMethod(2, 2.3)).toBe('uniform');
    expect(truncatedMethod(2, 3)).toBe('exponential');
    expect(truncatedMethod(5, 6)).toBe('exponential');
    expect(truncatedMethod(Number.NEGATIVE_INFINITY, -4)).toBe('exponential');
  });

  it('permutation is a permutation; n = 0 and 1 are trivial', () => {
    const p = permutation(KEY, 1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(KEY, 0)).toEqual(new Uint32Array(0));
    expect(permutation(KEY, 1)).toEqual(Uint32Array.of(0));
  });
});

describe('zero-length fills', () => {
  it('every sampler accepts an empty output and writes nothing', () => {
    for (const [, fill] of SAMPLERS) {
      for (const [, T] of DTYPES) {
        const out = new T(0);
        fill(KEY, out, 0);
        fill(KEY, out, 2 ** 53 - 1);
        expect(out.length).toBe(0);
      }
    }
    uniformBits(KEY, new Uint32Array(0), 123);
    const src = philoxSource(0);
    src.uniform(new Float32Array(0), 0, 1);
    src.normal(new Float64Array(0), 0, 1);
    src.truncatedNormal(new Float32Array(0), 0, 1, -2, 2);
    expect(src.permutation(0).length).toBe(0);
  });
});
