/**
 * Normal samplers: the ziggurat of Marsaglia & Tsang (2000), "The Ziggurat Method for
 * Generating Random Variables", J. Stat. Softw. 5(8), with 128 layers and independent bits for
 * the layer, the sign and the uniform (as Doornik 2005 recommends).
 *
 * Why 128 layers: a float32 draw takes one 32-bit word, 7 bits for the layer and 1 for the sign
 * leave a 24-bit uniform, the precision of a float32 significand (256 layers would leave 23).
 * The fast path still accepts 98.8 % of first attempts; the tables (3 × 129 float64 plus two
 * 256-entry lookups) stay in L1.
 */

import { checkFinite, checkPositive } from '../tensor/errors.js';
import { exp, log } from './detmath.js';
import { checkKey, type Key } from './key.js';
import {
  checkFloatArray,
  checkStart,
  chunkLane,
  nextChunk,
  privateStart,
  privateU53,
  privateU53Open,
  privateWord,
  scratch,
} from './stream.js';
import { wasmZiggurat } from './wasm.js';
import { ZIG_TH, ZIG_W32, ZIG_W64 } from './ziggurat-fast.js';
import { ZIG_F, ZIG_R } from './ziggurat-tables.js';

const TWO_29 = 2 ** 29;

/**
 * Completes a ziggurat draw whose current attempt (byte t, value x) missed the fast test,
 * reading the private stream (already started): the wedge test (layer ≥ 1) or the tail
 * (layer 0), then new attempts from the private stream until one is accepted. @internal
 */
export function zigFinish(t: number, x: number, wide: boolean): number {
  for (;;) {
    const i = t & 127;
    if (i === 0) {
      // Tail beyond R (Marsaglia 1964): a = −ln(u1)/R, b = −ln(u2), until 2b > a².
      let a: number;
      let b: number;
      do {
        a = -log(privateU53Open()) / ZIG_R;
        b = -log(privateU53Open());
      } while (b + b <= a * a);
      return x < 0 ? -(ZIG_R + a) : ZIG_R + a;
    }
    // Wedge: y uniform on [F[i], F[i+1]), accept if under the curve.
    const y = ZIG_F[i] + (ZIG_F[i + 1] - ZIG_F[i]) * privateU53();
    if (y < exp(-0.5 * x * x)) return x;
    // New attempt, from the private stream.
    if (wide) {
      const w0 = privateWord();
      const w1 = privateWord();
      t = w0 & 255;
      x = ((w0 >>> 8) * TWO_29 + (w1 >>> 3)) * ZIG_W64[t];
    } else {
      const w = privateWord();
      t = w & 255;
      x = (w >>> 8) * ZIG_W32[t];
    }
    if (Math.abs(x) < ZIG_TH[t]) return x;
  }
}

/** A whole ziggurat draw from the private stream (already started). @internal */
export function zigPrivate(wide: boolean): number {
  let t: number;
  let x: number;
  if (wide) {
    const w0 = privateWord();
    const w1 = privateWord();
    t = w0 & 255;
    x = ((w0 >>> 8) * TWO_29 + (w1 >>> 3)) * ZIG_W64[t];
  } else {
    const w = privateWord();
    t = w & 255;
    x = (w >>> 8) * ZIG_W32[t];
  }
  return Math.abs(x) < ZIG_TH[t] ? x : zigFinish(t, x, wide);
}

/**
 * Fills `out[k]` with element `start + k` of the normal stream of `key`: mean + std·z, z standard
 * normal by the 128-layer ziggurat, computed in float64 and rounded once to the output type.
 *
 * A draw: t = the low byte of the first word (bits 0-6 the layer i, bit 7 the sign) and a
 * uniform u ∈ [0, 1): z = ±u·X[i]; if |z| < X[i+1] the draw is accepted (the fast path, 98.8 %).
 * - Float32Array: element i's draw is primary word i (w): u = (w ≫ 8)·2⁻²⁴.
 * - Float64Array: element i's draw is primary words 2i, 2i+1 (w0, w1):
 *   u = ((w0 ≫ 8)·2²⁹ + (w1 ≫ 3))·2⁻⁵³.
 * Otherwise element i continues on its private stream, Philox counter (i mod 2³², ⌊i/2³²⌋, k, 1)
 * for k = 0, 1, …, its words read in order: layer 0 goes to the tail (Marsaglia's method:
 * a = −log(u1)/R, b = −log(u2) until 2b > a², z = ±(R + a)); another layer draws the wedge
 * test y = F[i] + (F[i+1] − F[i])·u and accepts if y < exp(−z²/2); a rejection makes a new draw
 * (one word for float32, two for float64) from the private stream. Uniforms u, u1, u2 of these
 * tests take two private words each (a, b): ((a ≫ 5)·2²⁶ + (b ≫ 6))·2⁻⁵³, plus 2⁻⁵³ for u1, u2
 * (so they lie in (0, 1]). `log` and `exp` are the deterministic ports of `detmath`.
 *
 * @param key - the stream's key ({@link deriveKey}).
 * @param out - the Float32Array or Float64Array to fill.
 * @param mean - the mean (default 0), finite.
 * @param std - the standard deviation (default 1), finite, ≥ 0.
 * @param start - index of the element written to out[0] (default 0), start + out.length ≤ 2⁵³.
 * @throws TypeError for a wrong type; RangeError if `mean`/`std` is not finite, `std < 0`, or
 *   `start` is out of range.
 * @example
 * ```ts
 * const out = new Float32Array(1024);
 * fillNormal(deriveKey(42, 'layer1.weight'), out, 0, 0.02);
 * ```
 */
export function fillNormal(
  key: Key,
  out: Float32Array | Float64Array,
  mean = 0,
  std = 1,
  start = 0,
): void {
  const fn = 'fillNormal';
  checkKey(fn, key);
  checkFloatArray(fn, out);
  checkFinite(fn, 'mean', mean);
  checkPositive(fn, 'std', std, true);
  checkStart(fn, start, out.length);
  normalUnchecked(key, out, mean, std, start);
}

/** {@link fillNormal} without argument checks. @internal */
export function normalUnchecked(
  key: Key,
  out: Float32Array | Float64Array,
  mean: number,
  std: number,
  start: number,
): void {
  const { k0, k1 } = key;
  const wide = out instanceof Float64Array;
  const inf = Number.POSITIVE_INFINITY;
  const finish = (i: number, e: number, t: number, x: number) => {
    privateStart(k0, k1, e);
    out[i] = mean + std * zigFinish(t, x, wide);
  };
  if (wasmZiggurat(k0, k1, out, mean, std, -inf, inf, -inf, inf, 0, 0, start, finish)) return;
  const n = out.length;
  const s = scratch;
  const W32 = ZIG_W32;
  const W64 = ZIG_W64;
  const TH = ZIG_TH;
  if (out instanceof Float32Array) {
    for (let k = 0; k < n; ) {
      const m = nextChunk(k0, k1, start + k, n - k, 1);
      const o = chunkLane;
      for (let j = 0; j < m; j++) {
        const w = s[o + j];
        const t = w & 255;
        let x = (w >>> 8) * W32[t];
        if (!(Math.abs(x) < TH[t])) {
          privateStart(k0, k1, start + k + j);
          x = zigFinish(t, x, false);
        }
        out[k + j] = mean + std * x;
      }
      k += m;
    }
  } else {
    for (let k = 0; k < n; ) {
      const m = nextChunk(k0, k1, start + k, n - k, 2);
      const o = chunkLane;
      for (let j = 0; j < m; j++) {
        const w0 = s[o + 2 * j];
        const t = w0 & 255;
        let x = ((w0 >>> 8) * TWO_29 + (s[o + 2 * j + 1] >>> 3)) * W64[t];
        if (!(Math.abs(x) < TH[t])) {
          privateStart(k0, k1, start + k + j);
          x = zigFinish(t, x, true);
        }
        out[k + j] = mean + std * x;
      }
      k += m;
    }
  }
}
