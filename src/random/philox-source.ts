/**
 * The counter-based {@link RandomSource}: Philox4x32-10 streams named by a seed and a name.
 */

import { checkFinite, checkPositive, typeError } from '../tensor/errors.js';
import { checkKey, deriveChildKey, deriveKey, type Key, type Seed } from './key.js';
import { normalUnchecked } from './normal.js';
import { permutation } from './permutation.js';
import type { RandomSource } from './source.js';
import { checkBounds, checkFloatArray, checkStart } from './stream.js';
import { checkTruncatedNormalArgs, truncatedUnchecked } from './truncated-normal.js';
import { uniformUnchecked } from './uniform.js';

/**
 * A {@link RandomSource} on the Philox stream of a key. Element i of every method's stream is a
 * pure function of (key, i): ranges can be filled in any order and any chunking with identical
 * bits. See `fillUniform`, `fillNormal`, `fillTruncatedNormal` and `permutation` for the exact
 * definitions; the methods use the same streams.
 */
export class PhiloxSource implements RandomSource {
  /** Always `'philox'`. */
  readonly kind = 'philox';
  /** The stream's key. */
  readonly key: Key;

  /** Prefer {@link philoxSource} or {@link philoxSourceFromKey}. */
  constructor(key: Key) {
    const k = checkKey('PhiloxSource', key);
    this.key = Object.freeze({ k0: k.k0, k1: k.k1 });
  }

  /** Uniform on [low, high): `fillUniform(key, out, low, high, start)`. */
  uniform(out: Float32Array | Float64Array, low: number, high: number, start = 0): void {
    const fn = 'PhiloxSource.uniform';
    checkFloatArray(fn, out);
    checkBounds(fn, low, high);
    checkStart(fn, start, out.length);
    uniformUnchecked(this.key, out, low, high, start);
  }

  /** Normal(mean, std): `fillNormal(key, out, mean, std, start)`. */
  normal(out: Float32Array | Float64Array, mean: number, std: number, start = 0): void {
    const fn = 'PhiloxSource.normal';
    checkFloatArray(fn, out);
    checkFinite(fn, 'mean', mean);
    checkPositive(fn, 'std', std, true);
    checkStart(fn, start, out.length);
    normalUnchecked(this.key, out, mean, std, start);
  }

  /**
   * Normal(mean, std) conditioned on the absolute bounds [low, high] (either may be infinite):
   * `fillTruncatedNormal(key, out, mean, std, (low − mean)/std, (high − mean)/std, start)`, except
   * that values are kept inside [low, high] themselves (the float32 values inside, for a
   * Float32Array). With std = 0, or a std so small that the standardized bounds collapse, every
   * value is the limit of the distribution: `mean` clamped to [low, high].
   */
  truncatedNormal(
    out: Float32Array | Float64Array,
    mean: number,
    std: number,
    low: number,
    high: number,
    start = 0,
  ): void {
    const fn = 'PhiloxSource.truncatedNormal';
    checkTruncatedNormalArgs(fn, out, mean, std, low, high);
    checkStart(fn, start, out.length);
    const a = (low - mean) / std;
    const b = (high - mean) / std;
    if (std === 0 || !(a < b)) {
      out.fill(Math.min(Math.max(mean, low), high));
      return;
    }
    truncatedUnchecked(this.key, out, mean, std, a, b, low, high, start);
  }

  /** A uniformly random permutation of 0 … n−1: `permutation(key, n)`. */
  permutation(n: number): Uint32Array {
    return permutation(this.key, n);
  }

  /** The source of the child stream `name`: key `deriveChildKey(key, name)`. */
  child(name: string): PhiloxSource {
    if (typeof name !== 'string') typeError('PhiloxSource.child', 'name', 'a string', name);
    return new PhiloxSource(deriveChildKey(this.key, name));
  }
}

/**
 * The Philox source of stream `stream` of `seed`: `philoxSourceFromKey(deriveKey(seed, stream))`.
 *
 * @param seed - a safe integer ≥ 0 or a bigint in [0, 2⁶⁴).
 * @param stream - the stream's name (default `''`).
 * @throws TypeError / RangeError as {@link deriveKey}.
 * @example
 * ```ts
 * const rng = philoxSource(42, 'encoder.layer0.weight');
 * const w = new Float32Array(768 * 768);
 * rng.normal(w, 0, 0.02);
 * ```
 */
export function philoxSource(seed: Seed, stream = ''): PhiloxSource {
  return new PhiloxSource(deriveKey(seed, stream));
}

/**
 * The Philox source of a key.
 *
 * @param key - a key `{ k0, k1 }` (u32 words).
 * @throws TypeError / RangeError if `key` is not a key.
 * @example
 * ```ts
 * const rng = philoxSourceFromKey(deriveKey(42, 'w'));
 * ```
 */
export function philoxSourceFromKey(key: Key): PhiloxSource {
  checkKey('philoxSourceFromKey', key);
  return new PhiloxSource(key);
}
