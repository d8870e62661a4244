/**
 * The exact truncated normal: N(mean, std²) conditioned on an interval, by rejection with a
 * proposal chosen from the interval alone.
 */

import { checkFinite, checkPositive, rangeError, typeError } from '../tensor/errors.js';
import { exp, log } from './detmath.js';
import { checkKey, type Key } from './key.js';
import { zigFinish, zigPrivate } from './normal.js';
import {
  checkFloatArray,
  checkStart,
  chunkLane,
  float32AtLeast,
  nextChunk,
  nextFloat32,
  privateStart,
  privateU53,
  privateU53Open,
  scratch,
} from './stream.js';
import { wasmProposal, wasmZiggurat } from './wasm.js';
import { ZIG_TH, ZIG_W32, ZIG_W64 } from './ziggurat-fast.js';

const TWO_29 = 2 ** 29;

/** The proposal used for a standardized interval. */
const NORMAL = 0;
const UNIFORM = 1;
const EXPONENTIAL = 2;

interface Plan {
  /** NORMAL, UNIFORM or EXPONENTIAL. */
  kind: number;
  /** The interval sampled by UNIFORM / EXPONENTIAL: [a, b], or [−b, −a] when mirrored. */
  a: number;
  b: number;
  /** Whether the UNIFORM / EXPONENTIAL draw is negated (the interval was mirrored). */
  mirror: boolean;
  /** Rate of the exponential proposal. */
  lambda: number;
}

/**
 * Chooses the method for the standardized interval [a, b] (a < b, possibly infinite). Uses only
 * + − × ÷ √ and the deterministic `exp`, so the choice is the same on every engine.
 */
function plan(a: number, b: number): Plan {
  let lo = a;
  let hi = b;
  const mirror = a + b < 0; // mostly negative: sample on [−b, −a] and negate
  if (mirror) {
    lo = -b;
    hi = -a;
  }
  // Now lo + hi ≥ 0 (or NaN for (−∞, ∞)), so hi > 0 and hi ≥ |lo| when lo ≤ 0.
  if (lo <= 0) {
    // 0 ∈ [lo, hi]. Width ≥ 2 holds mass ≥ Φ(2) − ½ ≈ 0.477: plain normal rejection. Otherwise a
    // uniform proposal accepted with probability exp(−x²/2) succeeds with probability ≥ 0.598.
    if (hi - lo >= 2) return { kind: NORMAL, a, b, mirror: false, lambda: 0 };
    return { kind: UNIFORM, a: lo, b: hi, mirror, lambda: 0 };
  }
  // 0 < lo: Robert (1995). Exponential proposal of rate λ = (lo + √(lo² + 4))/2 on [lo, ∞),
  // accepted with probability exp(−(x − λ)²/2) (and x ≤ hi); a uniform proposal on [lo, hi],
  // accepted with probability exp((lo² − x²)/2), has the larger acceptance rate exactly when
  // hi − lo < exp(1/(2λ²))/λ (using λ − lo = 1/λ).
  const lambda = (lo + Math.sqrt(lo * lo + 4)) / 2;
  if (hi - lo < exp(1 / (2 * lambda * lambda)) / lambda) {
    return { kind: UNIFORM, a: lo, b: hi, mirror, lambda: 0 };
  }
  return { kind: EXPONENTIAL, a: lo, b: hi, mirror, lambda };
}

/** A draw of the UNIFORM or EXPONENTIAL plan from the private stream (already started). */
function drawProposal(p: Plan): number {
  const lo = p.a;
  const hi = p.b;
  if (p.kind === UNIFORM) {
    const w = hi - lo;
    for (;;) {
      const x = lo + w * privateU53();
      const e = -log(privateU53Open());
      // Accept with probability exp(−(x² − c)/2), c = lo² if lo > 0 else 0 (the density's max).
      const q = lo > 0 ? (x - lo) * (x + lo) : x * x;
      if (q <= 2 * e) return p.mirror ? -x : x;
    }
  }
  const lambda = p.lambda;
  for (;;) {
    const e1 = -log(privateU53Open());
    const x = lo + e1 / lambda;
    if (x > hi) continue;
    const e2 = -log(privateU53Open());
    // Accept with probability exp(−(x − λ)²/2); x − λ = (e1 − 1)/λ since λ − lo = 1/λ.
    const d = e1 - 1;
    if (d * d <= 2 * e2 * lambda * lambda) return p.mirror ? -x : x;
  }
}

/**
 * Float32 clamping for the absolute bounds [lo, hi]: the least float32 ≥ lo and the greatest
 * ≤ hi (if no float32 lies inside, the float32 nearest the middle for both), and float64
 * thresholds: fround(v) < lo ⟺ v < tLo, fround(v) > hi ⟺ v > tHi.
 */
function float32Clamp(lo: number, hi: number): [number, number, number, number] {
  let l = Math.fround(lo);
  if (l < lo) l = nextFloat32(l, 1);
  let h = Math.fround(hi);
  if (h > hi) h = nextFloat32(h, -1);
  if (l > h) l = h = Math.fround(lo + (hi - lo) / 2);
  return [l, h, float32AtLeast(lo), -float32AtLeast(-hi)];
}

/**
 * Fills `out[k]` with element `start + k` of the truncated-normal stream of `key`: mean + std·x,
 * x standard normal conditioned on [a, b] (standardized bounds, in units of std; a may be −∞
 * and b +∞). The exact conditional distribution, never clamped, except that a value that only
 * rounding (of mean + std·x in float64, or to float32) pushed past a bound is set to that bound:
 * the bound computed as mean + std·a / mean + std·b in float64 (for a Float32Array, the nearest
 * float32 inside). With std = 0 every value is `mean`.
 *
 * Method, chosen from (a, b) only: if a + b < 0 the interval is mirrored to [lo, hi] = [−b, −a]
 * (the draw is negated); otherwise [lo, hi] = [a, b].
 * - lo ≤ 0 and hi − lo ≥ 2 (mass ≥ 0.477): normal rejection on [a, b]. Element i's first draw
 *   is its normal draw of {@link fillNormal} (primary word i for float32, words 2i, 2i+1 for
 *   float64, then its private stream as needed); further draws, whole ziggurat draws from the
 *   private stream, until one lies in [a, b].
 * - lo ≤ 0, hi − lo < 2, or lo > 0 and hi − lo < exp(1/(2λ²))/λ: uniform proposal
 *   x = lo + (hi − lo)·u accepted if x² − c ≤ 2e (c = lo² if lo > 0, else 0), e = −log(u′).
 * - otherwise (lo > 0; one-sided tails): Robert's (1995) exponential proposal x = lo + e₁/λ,
 *   λ = (lo + √(lo² + 4))/2, rejected if x > hi, accepted if (e₁ − 1)² ≤ 2e₂λ².
 * In the last two, every draw comes from element i's private stream (the primary words are not
 * used), in the order written: u then u′, or e₁ then (if x ≤ hi) e₂; u uses 2 words as
 * ((a ≫ 5)·2²⁶ + (b ≫ 6))·2⁻⁵³, u′ and the uniforms of e = −log(·) add 2⁻⁵³ (so lie in (0, 1]).
 * Every method accepts with probability ≥ ≈0.48, so the loop always ends quickly, even for
 * [5, 6] or [−∞, −40].
 *
 * @param key - the stream's key.
 * @param out - the Float32Array or Float64Array to fill.
 * @param mean - the mean, finite.
 * @param std - the standard deviation, finite, ≥ 0.
 * @param a - lower standardized bound, a number < b (may be −∞).
 * @param b - upper standardized bound, a number > a (may be +∞).
 * @param start - index of the element written to out[0] (default 0), start + out.length ≤ 2⁵³.
 * @throws TypeError for a wrong type; RangeError if `a` or `b` is NaN, `a >= b`, `mean`/`std`
 *   is not finite, `std < 0`, or `start` is out of range.
 * @example
 * ```ts
 * const out = new Float32Array(1024);
 * fillTruncatedNormal(deriveKey(7, 'w'), out, 0, 0.02, -2, 2); // PyTorch trunc_normal_ default
 * ```
 */
export function fillTruncatedNormal(
  key: Key,
  out: Float32Array | Float64Array,
  mean: number,
  std: number,
  a: number,
  b: number,
  start = 0,
): void {
  const fn = 'fillTruncatedNormal';
  checkKey(fn, key);
  checkFloatArray(fn, out);
  checkFinite(fn, 'mean', mean);
  checkPositive(fn, 'std', std, true);
  checkInterval(fn, a, b, 'a', 'b');
  checkStart(fn, start, out.length);
  if (std === 0) {
    out.fill(mean);
    return;
  }
  truncatedUnchecked(key, out, mean, std, a, b, mean + std * a, mean + std * b, start);
}

/**
 * Checks the arguments of a source's `truncatedNormal(out, mean, std, low, high)`: a float
 * array, a finite mean, a std ≥ 0 and an interval (see {@link checkInterval}). @internal
 */
export function checkTruncatedNormalArgs(
  fn: string,
  out: unknown,
  mean: unknown,
  std: unknown,
  low: unknown,
  high: unknown,
): void {
  checkFloatArray(fn, out);
  checkFinite(fn, 'mean', mean);
  checkPositive(fn, 'std', std, true);
  checkInterval(fn, low, high, 'low', 'high');
}

/** Checks a (possibly infinite) interval: both numbers, not NaN, lower < upper. @internal */
export function checkInterval(
  fn: string,
  lo: unknown,
  hi: unknown,
  loName: string,
  hiName: string,
): void {
  if (typeof lo !== 'number') typeError(fn, loName, 'a number', lo);
  if (typeof hi !== 'number') typeError(fn, hiName, 'a number', hi);
  if (Number.isNaN(lo)) rangeError(fn, loName, 'a number (not NaN)', lo);
  if (Number.isNaN(hi)) rangeError(fn, hiName, 'a number (not NaN)', hi);
  if (!(lo < hi)) rangeError(fn, hiName, `a number > \`${loName}\` (${lo})`, hi);
}

/**
 * The truncated normal on standardized [a, b], output mean + std·x kept inside the absolute
 * bounds [lo, hi] (only rounding can leave them). No checks; std > 0. @internal
 */
export function truncatedUnchecked(
  key: Key,
  out: Float32Array | Float64Array,
  mean: number,
  std: number,
  a: number,
  b: number,
  lo: number,
  hi: number,
  start: number,
): void {
  const { k0, k1 } = key;
  const n = out.length;
  const p = plan(a, b);
  const isF32 = out instanceof Float32Array;
  // Outputs v = mean + std·x are stored, then set to the bound if (rounded) they passed it.
  const [lo32, hi32, tLo, tHi] = isF32 ? float32Clamp(lo, hi) : [lo, hi, lo, hi];
  if (p.kind !== NORMAL) {
    const redo = (i: number, e: number) => {
      privateStart(k0, k1, e);
      const v = mean + std * drawProposal(p);
      out[i] = v;
      if (v < tLo) out[i] = lo32;
      else if (v > tHi) out[i] = hi32;
    };
    const kind = p.kind === UNIFORM ? 1 : 2;
    const args = [p.a, p.b, p.mirror, p.lambda, mean, std, tLo, tHi, lo32, hi32] as const;
    if (wasmProposal(k0, k1, out, kind, ...args, start, redo)) return;
    for (let k = 0; k < n; k++) {
      privateStart(k0, k1, start + k);
      const v = mean + std * drawProposal(p);
      out[k] = v;
      if (v < tLo) out[k] = lo32;
      else if (v > tHi) out[k] = hi32;
    }
    return;
  }
  const wide = !isF32;
  const finish = (i: number, e: number, t: number, x: number) => {
    privateStart(k0, k1, e);
    if (!(Math.abs(x) < ZIG_TH[t])) x = zigFinish(t, x, wide);
    while (x < a || x > b) x = zigPrivate(wide);
    const v = mean + std * x;
    out[i] = v;
    if (v < tLo) out[i] = lo32;
    else if (v > tHi) out[i] = hi32;
  };
  if (wasmZiggurat(k0, k1, out, mean, std, a, b, tLo, tHi, lo32, hi32, start, finish)) return;
  const s = scratch;
  const TH = ZIG_TH;
  if (isF32) {
    const W32 = ZIG_W32;
    for (let k = 0; k < n; ) {
      const m = nextChunk(k0, k1, start + k, n - k, 1);
      const o = chunkLane;
      for (let j = 0; j < m; j++) {
        const w = s[o + j];
        const t = w & 255;
        let x = (w >>> 8) * W32[t];
        if (!(Math.abs(x) < TH[t] && x >= a && x <= b)) {
          privateStart(k0, k1, start + k + j);
          if (!(Math.abs(x) < TH[t])) x = zigFinish(t, x, false);
          while (x < a || x > b) x = zigPrivate(false);
        }
        const v = mean + std * x;
        out[k + j] = v;
        if (v < tLo) out[k + j] = lo32;
        else if (v > tHi) out[k + j] = hi32;
      }
      k += m;
    }
  } else {
    const W64 = ZIG_W64;
    for (let k = 0; k < n; ) {
      const m = nextChunk(k0, k1, start + k, n - k, 2);
      const o = chunkLane;
      for (let j = 0; j < m; j++) {
        const w0 = s[o + 2 * j];
        const t = w0 & 255;
        let x = ((w0 >>> 8) * TWO_29 + (s[o + 2 * j + 1] >>> 3)) * W64[t];
        if (!(Math.abs(x) < TH[t] && x >= a && x <= b)) {
          privateStart(k0, k1, start + k + j);
          if (!(Math.abs(x) < TH[t])) x = zigFinish(t, x, true);
          while (x < a || x > b) x = zigPrivate(true);
        }
        const v = mean + std * x;
        out[k + j] = v;
        if (v < lo) out[k + j] = lo;
        else if (v > hi) out[k + j] = hi;
      }
      k += m;
    }
  }
}

/** The method {@link fillTruncatedNormal} uses for standardized [a, b] (for tests). @internal */
export function truncatedMethod(a: number, b: number): 'normal' | 'uniform' | 'exponential' {
  const k = plan(a, b).kind;
  return k === NORMAL ? 'normal' : k === UNIFORM ? 'uniform' : 'exponential';
}
