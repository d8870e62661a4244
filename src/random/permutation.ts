/**
 * Uniformly random permutations (Fisher–Yates) on the primary words of a Philox stream.
 */

import { checkInteger } from '../tensor/errors.js';
import { checkKey, type Key } from './key.js';
import { chunkLane, nextChunk, scratch } from './stream.js';

const TWO_26 = 2 ** 26;
const TWO_M53 = 2 ** -53;
const STEPS = 2048;
const u53 = new Float64Array(STEPS);

/**
 * A uniformly random permutation of 0 … n−1 (Fisher–Yates, Durstenfeld's in-place form).
 *
 * p starts as the identity; for t = n−1 down to 1, step t swaps p[t] and p[j] with
 * j = ⌊u_t·(t + 1)⌋, where u_t = ((w0 ≫ 5)·2²⁶ + (w1 ≫ 6))·2⁻⁵³ from primary words 2t, 2t+1
 * of the stream (the float64 uniform of element t, see {@link fillUniform}). Rounding u_t to a
 * 53-bit grid biases each step's choice by at most (t + 1)/2⁵³ ≤ n/2⁵³ in probability
 * (negligible: < 5·10⁻⁷ even for n = 2³²). Used for PyTorch-style sparse initialization.
 *
 * The permutation uses the same primary words as the uniform and normal samplers of the same
 * key: give it a stream of its own (a child key, `source.child('perm')`).
 *
 * @param key - the stream's key.
 * @param n - the length, an integer in [0, 2³² − 1].
 * @returns a new Uint32Array holding the permutation.
 * @throws TypeError if `key` or `n` has the wrong type; RangeError if `n` is out of range.
 * @example
 * ```ts
 * permutation(deriveKey(0, 'perm'), 5); // a Uint32Array holding 0 … 4 in random order
 * ```
 */
export function permutation(key: Key, n: number): Uint32Array {
  const fn = 'permutation';
  checkKey(fn, key);
  checkInteger(fn, 'n', n, 0, 2 ** 32 - 1);
  return permutationUnchecked(key, n);
}

/** {@link permutation} without argument checks. @internal */
export function permutationUnchecked(key: Key, n: number): Uint32Array {
  const { k0, k1 } = key;
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const s = scratch;
  // Steps t = hi … lo in batches: their uniforms first (ascending words), then the swaps.
  for (let hi = n - 1; hi >= 1; ) {
    const lo = Math.max(1, hi - STEPS + 1);
    for (let t = lo; t <= hi; ) {
      const m = nextChunk(k0, k1, t, hi - t + 1, 2);
      const o = chunkLane;
      for (let j = 0; j < m; j++) {
        u53[t - lo + j] = ((s[o + 2 * j] >>> 5) * TWO_26 + (s[o + 2 * j + 1] >>> 6)) * TWO_M53;
      }
      t += m;
    }
    for (let t = hi; t >= lo; t--) {
      const j = Math.floor(u53[t - lo] * (t + 1));
      const tmp = p[t];
      p[t] = p[j];
      p[j] = tmp;
    }
    hi = lo - 1;
  }
  return p;
}
