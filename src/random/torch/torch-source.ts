/**
 * The sequential {@link RandomSource} of PyTorch's CPU generator: `torch.manual_seed(seed)`
 * followed by in-place initializers, in call order. See `index.ts` (PYTORCH STREAMS) for what is
 * reproduced and how exactly.
 */

import { checkFinite, checkPositive, rangeError, typeError } from '../../tensor/errors.js';
import { log, log1p } from '../detmath.js';
import { type Seed, seedWords } from '../key.js';
import type { RandomSource } from '../source.js';
import { checkBounds, checkFloatArray } from '../stream.js';
import { checkTruncatedNormalArgs } from '../truncated-normal.js';
import { boxMuller16 } from './cephes.js';
import { cos, erf, sin } from './fdlibm.js';
import { fma, fmaf } from './fma.js';
import { MT19937 } from './mt19937.js';

const F = Math.fround;
const TWO_M24 = 2 ** -24;
const TWO_M53 = 2 ** -53;
const TWO_PI = 2 * Math.PI;
/** randperm draws 32-bit words below this n, 64-bit ones from it on (UINT32_MAX / 20). */
const RANDPERM_SMALL = Math.floor(0xffffffff / 20);
/** The most rounds of trunc_normal_'s rejection loop expected before refusing the bounds. */
const MAX_ROUNDS = 10_000;

/**
 * PyTorch's CPU generator (`CPUGeneratorImpl`: MT19937 plus the cached second normal of the
 * scalar Box–Muller) and the transforms of its in-place initializers, as a {@link RandomSource}.
 *
 * Each call consumes the stream as the PyTorch call it stands for does, and fills the whole
 * array (`start` must be 0): `uniform` is `Tensor.uniform_`, `normal` is `Tensor.normal_`,
 * `truncatedNormal` is `nn.init.trunc_normal_`, `permutation` is `torch.randperm`. `child`
 * returns the source itself (PyTorch has one stream per generator).
 */
export class TorchSource implements RandomSource {
  /** Always `'torch'`. */
  readonly kind = 'torch';
  /** The seed given to `manual_seed` (MT19937 uses its low 32 bits). */
  readonly seed: Seed;
  private readonly engine: MT19937;
  /** `next_double_normal_sample_`: the sine half of the last scalar Box–Muller pair. */
  private nextNormal: number | undefined;

  /** Prefer {@link torchSource}. */
  constructor(seed: Seed) {
    this.engine = new MT19937(seedWords('TorchSource', seed)[0]);
    this.seed = seed;
  }

  /** The next 32-bit output of the generator (`CPUGeneratorImpl::random()`). */
  random(): number {
    return this.engine.random();
  }

  /** `random64() & (2⁵³ − 1)` scaled to [0, 1): the float64 uniform of PyTorch's CPU kernels. */
  private uniform53(): number {
    return this.engine.random53() * TWO_M53;
  }

  /**
   * `Tensor.uniform_(low, high)`: per element, from = `low` and to = `high` in the array's
   * precision, u = (random() & (2²⁴ − 1))·2⁻²⁴ (float32) or random64's low 53 bits·2⁻⁵³
   * (float64), value = fma(u, to − from, from) with one rounding, and `from` where that rounds
   * to `to`.
   */
  uniform(out: Float32Array | Float64Array, low: number, high: number, start = 0): void {
    const fn = 'TorchSource.uniform';
    checkFloatArray(fn, out);
    checkBounds(fn, low, high);
    checkWhole(fn, start);
    this.uniformFill(out, low, high);
  }

  /** The fill of {@link uniform}, for low ≤ high (low = high fills `low`, drawing as usual). */
  private uniformFill(out: Float32Array | Float64Array, low: number, high: number): void {
    if (out instanceof Float32Array) {
      const from = F(low);
      const to = F(high);
      const range = F(to - from);
      for (let i = 0; i < out.length; i++) {
        const v = fmaf((this.engine.random() & 0xffffff) * TWO_M24, range, from);
        out[i] = v === to ? from : v;
      }
    } else {
      const range = high - low;
      for (let i = 0; i < out.length; i++) {
        const v = fma(this.uniform53(), range, low);
        out[i] = v === high ? low : v;
      }
    }
  }

  /**
   * `Tensor.normal_(mean, std)`. Arrays of 16 or more elements: all uniforms first, then
   * Box–Muller in blocks of 16 (pairs j, j + 8), the last 16 elements recomputed from 16 fresh
   * uniforms when the length is not a multiple of 16 — in float32 with PyTorch's AVX2 kernel
   * (Cephes log/sincos with fused multiply-adds), in float64 with `log`, `cos`, `sin`. Fewer
   * than 16: the scalar Box–Muller on float64 uniforms (u1 then u2), r = √(−2·log1p(−u2)),
   * θ = 2π·u1, r·cos θ returned and r·sin θ kept for the next scalar draw.
   */
  normal(out: Float32Array | Float64Array, mean: number, std: number, start = 0): void {
    const fn = 'TorchSource.normal';
    checkFloatArray(fn, out);
    checkFinite(fn, 'mean', mean);
    checkPositive(fn, 'std', std, true);
    checkWhole(fn, start);
    const n = out.length;
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = fma(this.scalarNormal(), std, mean);
    } else if (out instanceof Float32Array) {
      const m = F(mean);
      const s = F(std);
      for (let i = 0; i < n; i++) out[i] = (this.engine.random() & 0xffffff) * TWO_M24;
      for (let i = 0; i + 16 <= n; i += 16) boxMuller16(out, i, m, s);
      if (n % 16 !== 0) {
        for (let i = n - 16; i < n; i++) out[i] = (this.engine.random() & 0xffffff) * TWO_M24;
        boxMuller16(out, n - 16, m, s);
      }
    } else {
      for (let i = 0; i < n; i++) out[i] = this.uniform53();
      for (let i = 0; i + 16 <= n; i += 16) boxMuller16f64(out, i, mean, std);
      if (n % 16 !== 0) {
        for (let i = n - 16; i < n; i++) out[i] = this.uniform53();
        boxMuller16f64(out, n - 16, mean, std);
      }
    }
  }

  /** `at::normal_distribution<double>` with mean 0, std 1: one standard normal (float64). */
  private scalarNormal(): number {
    const cached = this.nextNormal;
    if (cached !== undefined) {
      this.nextNormal = undefined;
      return cached;
    }
    const u1 = this.uniform53();
    const u2 = this.uniform53();
    const r = Math.sqrt(-2 * log1p(-u2));
    const theta = TWO_PI * u1;
    this.nextNormal = r * sin(theta);
    return r * cos(theta);
  }

  /**
   * `nn.init.trunc_normal_(mean, std, a = low, b = high)` as PyTorch 2.13 does it: rejection.
   * `normal_(mean, std)` on the whole array; then, while any value lies outside [low, high]
   * (compared in the array's precision), a whole new array of the same length is drawn with
   * `normal_(mean, std)` and the values outside are replaced by the new values at the same
   * positions (`torch.where(outside, fresh, tensor)`). The result is the exact truncated normal
   * of the array's precision, never clamped.
   *
   * @throws RangeError when the bounds keep so little of the normal's mass that the loop would
   *   need more than 10 000 rounds on average (PyTorch would loop that long), or for std = 0
   *   with the mean outside the bounds (PyTorch would never end).
   */
  truncatedNormal(
    out: Float32Array | Float64Array,
    mean: number,
    std: number,
    low: number,
    high: number,
    start = 0,
  ): void {
    const fn = 'TorchSource.truncatedNormal';
    checkTruncatedNormalArgs(fn, out, mean, std, low, high);
    checkWhole(fn, start);
    const n = out.length;
    const f32 = out instanceof Float32Array;
    const lo = f32 ? F(low) : low;
    const hi = f32 ? F(high) : high;
    const kept =
      std === 0
        ? Number(lo <= (f32 ? F(mean) : mean) && (f32 ? F(mean) : mean) <= hi)
        : (erf((high - mean) / std / Math.SQRT2) - erf((low - mean) / std / Math.SQRT2)) / 2;
    // Rounds the loop needs on average, about: 1 + (1 + ln n) / −ln(1 − kept).
    const rounds = 1 + (1 + log(Math.max(n, 1))) / -log1p(-Math.min(kept, 1));
    if (!(kept > 0 && rounds <= MAX_ROUNDS)) {
      rangeError(
        fn,
        'high',
        `bounds keeping enough of N(${mean}, ${std}²) for PyTorch's rejection loop to end within ${MAX_ROUNDS} rounds on average ([${low}, ${high}] keeps ${kept})`,
        high,
      );
    }
    this.normal(out, mean, std);
    let fresh: Float32Array | Float64Array | undefined;
    for (;;) {
      let outside = false;
      for (let i = 0; i < n; i++) {
        if (out[i] < lo || out[i] > hi) {
          outside = true;
          break;
        }
      }
      if (!outside) return;
      fresh ??= f32 ? new Float32Array(n) : new Float64Array(n);
      this.normal(fresh, mean, std);
      for (let i = 0; i < n; i++) if (out[i] < lo || out[i] > hi) out[i] = fresh[i];
    }
  }

  /**
   * `torch.randperm(n)` on CPU. For n < ⌊(2³² − 1)/20⌋: the identity, then for i = 0 … n − 2,
   * z = random() mod (n − i) and p[i] ↔ p[i + z]. From there on: the "inside-out" shuffle,
   * z = random64() mod (i + 1), p[i] = p[z], p[z] = i.
   *
   * @param n - an integer in [0, 2³²].
   */
  permutation(n: number): Uint32Array {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 32) {
      (typeof n !== 'number' ? typeError : rangeError)(
        'TorchSource.permutation',
        'n',
        'an integer in [0, 2^32]',
        n,
      );
    }
    const p = new Uint32Array(n);
    if (n < RANDPERM_SMALL) {
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = 0; i < n - 1; i++) {
        const z = i + (this.engine.random() % (n - i));
        const t = p[i];
        p[i] = p[z];
        p[z] = t;
      }
      return p;
    }
    for (let i = 0; i < n; i++) {
      const hi = this.engine.random();
      const lo = this.engine.random();
      const z = mod64(hi, lo, i + 1);
      p[i] = p[z];
      p[z] = i;
    }
    return p;
  }

  /** The source itself: PyTorch draws every part of an initializer from the one generator. */
  child(name: string): TorchSource {
    if (typeof name !== 'string') typeError('TorchSource.child', 'name', 'a string', name);
    return this;
  }
}

/**
 * PyTorch's CPU generator after `torch.manual_seed(seed)`: MT19937 seeded with the low 32 bits
 * of `seed`, no cached normal.
 *
 * @param seed - a safe integer ≥ 0 or a bigint in [0, 2⁶⁴).
 * @throws TypeError / RangeError for another seed.
 * @example
 * ```ts
 * const g = torchSource(0); // torch.manual_seed(0)
 * const w = new Float32Array(3);
 * g.uniform(w, 0, 1); // torch.rand(3): [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]
 * ```
 */
export function torchSource(seed: Seed): TorchSource {
  return new TorchSource(seed);
}

/** `start` of a sequential source: whole tensors only. */
function checkWhole(fn: string, start: unknown): void {
  if (start !== 0) {
    rangeError(fn, 'start', '0 (a PyTorch stream fills whole tensors, in call order)', start);
  }
}

/** (hi·2³² + lo) mod m for words hi, lo and 1 ≤ m ≤ 2³², exactly. @internal */
export function mod64(hi: number, lo: number, m: number): number {
  let x = hi % m;
  x = (x * 65536) % m;
  x = (x * 65536) % m;
  return (x + lo) % m;
}

/** `normal_fill_16<double>`: the float64 Box–Muller block of `normal_` on 16 elements. */
function boxMuller16f64(d: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - d[o + j];
    const u2 = d[o + j + 8];
    const radius = Math.sqrt(-2 * log(u1));
    const theta = TWO_PI * u2;
    d[o + j] = fma(radius * cos(theta), std, mean);
    d[o + j + 8] = fma(radius * sin(theta), std, mean);
  }
}
