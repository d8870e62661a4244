import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { exp, log } from '../../src/random/detmath.js';
import {
  deriveKey,
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  type Key,
  philoxSourceFromKey,
} from '../../src/random/index.js';
import { truncatedMethod } from '../../src/random/truncated-normal.js';
import {
  setWasmRandom,
  wasmMath,
  wasmRandomAvailable,
  wedgeLines,
  zigQuickTable,
} from '../../src/random/wasm.js';
import {
  fastModuleBytes,
  LAYOUT,
  proposalModuleBytes,
  slowModuleBytes,
} from '../../src/random/wasm-kernels.js';
import { ZIG_TH, ZIG_W32 } from '../../src/random/ziggurat-fast.js';
import { ZIG_X } from '../../src/random/ziggurat-tables.js';
import { FILLS, type Fill, type FloatArray, type Out } from './wasm-fills.js';

const CHUNK = LAYOUT.CHUNK;

// The WebAssembly kernels must give exactly the bits of the JavaScript samplers (the fallback
// where WebAssembly SIMD is unavailable). The golden hashes of samplers.test.ts run through the
// kernels (fills of 2^16 elements); here both paths are compared on the same fills, so the
// JavaScript path stays pinned by the goldens too.

afterEach(() => setWasmRandom(true));

/** The output of `fill` with the kernels (forced, whatever the size) and without. */
function both(fill: Fill, key: Key, make: () => Out, start: number): [Out, Out] {
  setWasmRandom(true, 0);
  const wasm = make();
  fill(key, wasm, start);
  setWasmRandom(false);
  const js = make();
  fill(key, js, start);
  setWasmRandom(true);
  return [wasm, js];
}

const TYPES: [string, (n: number) => Out][] = [
  ['float32', (n) => new Float32Array(n)],
  ['float64', (n) => new Float64Array(n)],
];

/** Starts: small, around the 2^32-th block (counter word 1 carries), and near 2^53. */
const START = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }),
  fc.integer({ min: 2 ** 33 - 9000, max: 2 ** 33 + 9000 }), // float64: block 2^32 = element 2^33
  fc.integer({ min: 2 ** 34 - 9000, max: 2 ** 34 + 9000 }), // float32 and words: element 2^34
  fc.integer({ min: 0, max: 2 ** 52 }),
);
const U32 = fc.integer({ min: 0, max: 0xffffffff });

describe('WebAssembly kernels', () => {
  it('assemble to small modules (< 4 KiB) that validate, and run on this engine (Node ≥ 20)', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } })
      .WebAssembly;
    const all = [fastModuleBytes, slowModuleBytes, proposalModuleBytes];
    for (const bytes of all.flatMap((m) => [m(), m(1024)])) {
      expect(bytes.length).toBeLessThan(4096);
      expect(api.validate(bytes)).toBe(true);
    }
    expect(wasmRandomAvailable()).toBe(true);
  });

  it("the slow path's exp and log are detmath's, bit for bit, on their ranges", () => {
    const m = wasmMath()!;
    // exp on the wedge's (−6, 0]: every branch (|z| < 2^-28, < ln2/2, < 1.5·ln2, beyond) and edges
    const edges = [0, -0, -(2 ** -40), -(2 ** -28), -0.3465735902799726, -0.34657359028];
    edges.push(-1.03972077083991, -1.0397207708399179, -Math.LN2, -5.9);
    for (const z of edges) expect(m.exp(z)).toBe(exp(z));
    // log on the tail's [2^-53, 1]: every branch (f = 0, |f| < 2^-20, the two polynomial cases)
    const points = [
      1,
      0.5,
      2 ** -53,
      1 - 2 ** -53,
      1 - 2 ** -21,
      0.5 + 2 ** -22,
      Math.SQRT1_2,
      0.75,
      0.9,
    ];
    for (const x of points) expect(m.log(x)).toBe(log(x));
    fc.assert(
      fc.property(
        fc.double({ min: -6, max: 0, noNaN: true }),
        fc.double({ min: 2 ** -53, max: 1, noNaN: true }),
        (z, x) => {
          expect(m.exp(z)).toBe(exp(z));
          expect(m.log(x)).toBe(log(x));
        },
      ),
      { seed: 13, numRuns: 20_000 },
    );
  });

  it("the wedge's quick lines (in x²) are under and over exp(−x²/2) on each layer, by > 10⁻¹³", () => {
    const lines = wedgeLines();
    let decided = 0;
    for (let i = 1; i < 128; i++) {
      const [a0, b0, a1, b1] = lines.subarray(4 * i, 4 * i + 4);
      const p = ZIG_X[i + 1];
      const q = ZIG_X[i];
      for (let j = 0; j <= 1000; j++) {
        const x = j === 1000 ? q : p + ((q - p) * j) / 1000;
        const f = exp(-0.5 * x * x);
        expect(a0 + b0 * (x * x)).toBeLessThan(f - 1e-13);
        expect(a1 + b1 * (x * x)).toBeGreaterThan(f + 1e-13);
      }
      if (Number.isFinite(a0)) decided++;
    }
    expect(decided).toBe(127); // every layer (in x², exp(−x²/2) is convex)
  });

  it("the float32 fast path's integer test m − L < D is its float test |x| < TH[t], a ≤ x ≤ b, at every t and around every end", () => {
    const inf = Number.POSITIVE_INFINITY;
    const tiny = 2 ** -1050; // inward from 0 (the clamping's bounds can be so)
    const cases = [
      [-inf, inf],
      [-2, 2],
      [0, 2],
      [-2.5, 0.1],
      [tiny, 3],
      [-3, -tiny],
      [-1e-9, 1e-9],
      [0.5, 0.5000001],
      [1, 1], // nothing in between: D = 0 where x ≠ 1
      [5, inf], // nothing passes: every m rejected
    ];
    for (const [a, b] of cases) {
      const table = zigQuickTable(a, b);
      const i32 = new Int32Array(table.buffer);
      expect(new Float64Array(table.buffer).filter((_, i) => i % 2 === 0)).toEqual(ZIG_W32);
      for (let t = 0; t < 256; t++) {
        const [L, D] = [i32[4 * t + 2], i32[4 * t + 3]];
        const ms = [0, 1, L - 1, L, L + 1, L + D - 1, L + D, L + D + 1, 2 ** 24 - 1];
        for (const m of ms.filter((m) => m >= 0 && m < 2 ** 24)) {
          const x = m * ZIG_W32[t];
          const passes = Math.abs(x) < ZIG_TH[t] && x >= a && x <= b;
          expect((m - L) >>> 0 < D).toBe(passes);
        }
      }
    }
    expect(zigQuickTable(-2, 2)).toBe(zigQuickTable(-2, 2)); // kept while the bounds are the same
  });

  it('the truncations above use the normal-rejection method (the kernels)', () => {
    const bounds = [
      [-2, 2],
      [-1, 1],
      [0, 2],
      [-2.5, 0.1], // mirrored
      [(1 - 1e-7 - 1) / 4e-8, (1 + 1e-7 - 1) / 4e-8], // the clamping case
      [(1.00000001 - 1.000000015) / 2.5e-9, (1.00000002 - 1.000000015) / 2.5e-9],
    ];
    for (const [a, b] of bounds) expect(truncatedMethod(a, b)).toBe('normal');
  });

  it("the truncations of the proposals' kernel use the uniform and exponential methods", () => {
    const inf = Number.POSITIVE_INFINITY;
    for (const [a, b] of [
      [-0.1, 0.1],
      [-1, 0.9],
      [0.5, 0.7],
      [-0.5, 0.5],
    ]) {
      expect(truncatedMethod(a, b)).toBe('uniform');
    }
    for (const [a, b] of [
      [2, 3],
      [-3, -2],
      [5, inf],
      [-inf, -40],
    ]) {
      expect(truncatedMethod(a, b)).toBe('exponential');
    }
  });

  it('the clamping case clamps to both bounds (float32)', () => {
    const out = new Float32Array(20_000);
    philoxSourceFromKey({ k0: 1, k1: 2 }).truncatedNormal(out, 1, 4e-8, 1 - 1e-7, 1 + 1e-7);
    expect(out.every((v) => v >= 1 - 1e-7 && v <= 1 + 1e-7)).toBe(true);
    // 1 − 2^-24 (the least float32 ≥ 1 − 1e-7) takes the values rounded below it
    expect(out.filter((v) => v === 1 - 2 ** -24).length).toBeGreaterThan(100);
    // 1 takes those rounded up to 1 + 2^-23 > 1 + 1e-7, beside those rounded to 1
    expect(out.filter((v) => v > 1).length).toBe(0);
  });

  for (const [name, fill] of FILLS) {
    for (const [dtype, make] of name === 'uniformBits' ? [TYPES[0]] : TYPES) {
      const array = (n: number) => (name === 'uniformBits' ? new Uint32Array(n) : make(n));
      it(`${name} ${name === 'uniformBits' ? 'u32' : dtype}: same bits as JavaScript (random keys, starts, lengths)`, () => {
        fc.assert(
          fc.property(
            U32,
            U32,
            START,
            fc.integer({ min: 0, max: 2 * CHUNK + 100 }),
            (k0, k1, start, n) => {
              const [wasm, js] = both(fill, { k0, k1 }, () => array(n), start);
              expect(wasm).toEqual(js);
            },
          ),
          { seed: 11, numRuns: 25 },
        );
      });
    }
  }

  it("the ziggurat fast path's rejections (recorded per batch of 64 blocks from a byte mask per vector) are those of JavaScript: none, few, most and all of a batch's lanes, starts and ends inside batches", () => {
    const cases: Fill[] = [
      (k, o, s) => fillNormal(k, o as FloatArray, 0, 1, s),
      (k, o, s) => fillTruncatedNormal(k, o as FloatArray, 0, 1, 0, 2, s), // ~52 % rejected
      (k, o, s) => fillTruncatedNormal(k, o as FloatArray, 0, 1, -0.9, 3, s),
      // every lane rejected (the bounds collapse to one float32)
      (k, o, s) =>
        philoxSourceFromKey(k).truncatedNormal(
          o as FloatArray,
          1.000000015,
          2.5e-9,
          1.00000001,
          1.00000002,
          s,
        ),
    ];
    for (const fill of cases) {
      for (const [, make] of TYPES) {
        for (const [start, n] of [
          [0, 256],
          [1, 1000],
          [255, 2],
          [127, 130],
          [3, 513],
          [CHUNK - 129, 771],
          [2 ** 33 - 300, 4000],
        ]) {
          const [wasm, js] = both(fill, { k0: 0x9e3779b9, k1: n }, () => make(n), start);
          expect(wasm).toEqual(js);
        }
      }
    }
  });

  it("the slow path's vector pass (two rejected draws per vector, the last alone if odd) and its scalar rest give the JavaScript's bits: every outcome of the first private block, fills of 1 to 40 elements (odd and even numbers of rejections) and of 2^18", () => {
    const inf = Number.POSITIVE_INFINITY;
    // [-1, 1]: most rejections for the bounds, and new draws outside them again; [0, 2]: a
    // one-sided cut; (−∞, ∞): the wedge (accepted, rejected, undecided by its lines) and the tail.
    const bounds = [
      [-1, 1],
      [0, 2],
      [-inf, inf],
    ];
    for (const [a, b] of bounds) {
      const fill: Fill = (k, o, s) => fillTruncatedNormal(k, o as FloatArray, 0.5, 3, a, b, s);
      for (const [, make] of TYPES) {
        for (let n = 1; n <= 40; n++) {
          const [wasm, js] = both(fill, { k0: n, k1: 0x85ebca6b }, () => make(n), 1000 * n);
          expect(wasm).toEqual(js);
        }
        const [wasm, js] = both(fill, { k0: 5, k1: 6 }, () => make(2 ** 18), 12345);
        expect(wasm).toEqual(js);
      }
    }
  });

  it('chunked fills through the kernels equal one-shot fills (any cuts)', () => {
    setWasmRandom(true, 0);
    for (const [, fill] of FILLS.slice(1, 7)) {
      for (const [, make] of TYPES) {
        fc.assert(
          fc.property(
            U32,
            START,
            fc.integer({ min: 0, max: 3 * CHUNK }),
            fc.array(fc.integer({ min: 0, max: 3 * CHUNK }), { maxLength: 5 }),
            (k0, start, n, cuts) => {
              const key = { k0, k1: 7 };
              const whole = make(n);
              fill(key, whole, start);
              const points = [0, ...cuts.map((c) => c % (n + 1)).sort((a, b) => a - b), n];
              const pieces = make(n);
              for (let i = 0; i + 1 < points.length; i++) {
                fill(key, pieces.subarray(points[i], points[i + 1]), start + points[i]);
              }
              expect(pieces).toEqual(whole);
            },
          ),
          { seed: 12, numRuns: 8 },
        );
      }
    }
  });

  it('the fills of the golden hashes (2^16 elements, deriveKey(42, "golden")) agree in both paths', () => {
    const key = deriveKey(42, 'golden');
    const golden: Fill[] = [
      (k, o, s) => fillUniform(k, o as FloatArray, -3, 5, s),
      (k, o, s) => fillNormal(k, o as FloatArray, 1, 2, s),
      (k, o, s) => fillTruncatedNormal(k, o as FloatArray, 0.5, 3, -2, 2, s),
      (k, o, s) => fillTruncatedNormal(k, o as FloatArray, 0.5, 3, 0, Number.POSITIVE_INFINITY, s),
    ];
    for (const fill of golden) {
      for (const [, make] of TYPES) {
        const [wasm, js] = both(fill, key, () => make(2 ** 16), 0);
        expect(wasm).toEqual(js);
      }
    }
  });

  it('end of the index range: start + n = 2^53', () => {
    for (const [, fill] of FILLS.slice(1)) {
      for (const [, make] of TYPES) {
        for (const n of [1, 5, 64, 1000]) {
          const [wasm, js] = both(fill, { k0: 1, k1: 2 }, () => make(n), 2 ** 53 - n);
          expect(wasm).toEqual(js);
        }
      }
    }
  });
});
