/**
 * Uniform samplers on the primary words of a Philox stream, and the raw words themselves.
 */

import { typeError } from '../tensor/errors.js';
import { checkKey, type Key } from './key.js';
import {
  checkBounds,
  checkFloatArray,
  checkStart,
  chunkLane,
  float32AtLeast,
  nextChunk,
  scratch,
} from './stream.js';
import { wasmBits, wasmUniform } from './wasm.js';

const TWO_M24 = 2 ** -24;
const TWO_26 = 2 ** 26;
const TWO_M53 = 2 ** -53;

/**
 * Fills `out[k]` with element `start + k` of the uniform stream of `key` on [low, high).
 *
 * - Float32Array: element i uses primary word i: u = (w ≫ 8)·2⁻²⁴ ∈ [0, 1) and the value is
 *   fround(low + (high − low)·u), computed in float64 then rounded once; a value that rounds to
 *   `high` or above is replaced by fround(low) (so values stay below `high`; they are ≥ low up to
 *   the float32 rounding of `low` itself).
 * - Float64Array: element i uses primary words 2i, 2i+1 (w0, w1):
 *   u = ((w0 ≫ 5)·2²⁶ + (w1 ≫ 6))·2⁻⁵³ ∈ [0, 1), value low + (high − low)·u, replaced by `low`
 *   if rounding made it reach `high`.
 *
 * Element i depends only on (key, i): any split of a range into chunks gives the same bits.
 *
 * @param key - the stream's key ({@link deriveKey}).
 * @param out - the Float32Array or Float64Array to fill (its length is the number of elements).
 * @param low - lower bound (default 0), finite.
 * @param high - upper bound (default 1), finite, > low, with high − low finite.
 * @param start - index of the element written to out[0] (default 0), start + out.length ≤ 2⁵³.
 * @throws TypeError if `key`, `out` or a bound has the wrong type; RangeError if a bound is not
 *   finite, `low >= high`, or `start` is not an integer in range.
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * fillUniform(deriveKey(42, 'w'), out, -1, 1);
 * ```
 */
export function fillUniform(
  key: Key,
  out: Float32Array | Float64Array,
  low = 0,
  high = 1,
  start = 0,
): void {
  const fn = 'fillUniform';
  checkKey(fn, key);
  checkFloatArray(fn, out);
  checkBounds(fn, low, high);
  checkStart(fn, start, out.length);
  uniformUnchecked(key, out, low, high, start);
}

/** {@link fillUniform} without argument checks. @internal */
export function uniformUnchecked(
  key: Key,
  out: Float32Array | Float64Array,
  low: number,
  high: number,
  start: number,
): void {
  const { k0, k1 } = key;
  const n = out.length;
  const d = high - low;
  const s = scratch;
  if (out instanceof Float32Array) {
    // fround(v) ≥ high ⟺ v ≥ t (fround is monotone): test v, store, fix the rare hit.
    const t = float32AtLeast(high);
    if (wasmUniform(k0, k1, out, low, d, t, start)) return;
    for (let k = 0; k < n; ) {
      const m = nextChunk(k0, k1, start + k, n - k, 1);
      const o = chunkLane;
      for (let j = 0; j < m; j++) {
        const v = low + d * ((s[o + j] >>> 8) * TWO_M24);
        out[k + j] = v;
        if (v >= t) out[k + j] = low;
      }
      k += m;
    }
  } else {
    if (wasmUniform(k0, k1, out, low, d, high, start)) return;
    for (let k = 0; k < n; ) {
      const m = nextChunk(k0, k1, start + k, n - k, 2);
      const o = chunkLane;
      for (let j = 0; j < m; j++) {
        const w0 = s[o + 2 * j];
        const w1 = s[o + 2 * j + 1];
        const v = low + d * (((w0 >>> 5) * TWO_26 + (w1 >>> 6)) * TWO_M53);
        out[k + j] = v;
        if (v >= high) out[k + j] = low;
      }
      k += m;
    }
  }
}

/**
 * Fills `out[k]` with primary word `start + k` of the stream of `key`: word j is lane j mod 4 of
 * Philox4x32-10 block ⌊j / 4⌋, whose counter is (⌊j/4⌋ mod 2³², ⌊j / 2³⁴⌋, 0, 0).
 *
 * @param key - the stream's key.
 * @param out - the Uint32Array to fill.
 * @param start - index of the word written to out[0] (default 0), start + out.length ≤ 2⁵³.
 * @throws TypeError if `key` or `out` has the wrong type; RangeError if `start` is out of range.
 * @example
 * ```ts
 * const words = new Uint32Array(8);
 * uniformBits(deriveKey(0), words);
 * ```
 */
export function uniformBits(key: Key, out: Uint32Array, start = 0): void {
  const fn = 'uniformBits';
  const { k0, k1 } = checkKey(fn, key);
  if (!(out instanceof Uint32Array)) typeError(fn, 'out', 'a Uint32Array', out);
  checkStart(fn, start, out.length);
  if (wasmBits(k0, k1, out, start)) return;
  const n = out.length;
  for (let k = 0; k < n; ) {
    const m = nextChunk(k0, k1, start + k, n - k, 1);
    out.set(scratch.subarray(chunkLane, chunkLane + m), k);
    k += m;
  }
}
