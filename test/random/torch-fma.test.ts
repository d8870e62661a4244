/**
 * fma and fmaf against an exact oracle: a·b + c evaluated on BigInt integers, and the result
 * checked to be the nearest float (ties to even) — cases built to expose double rounding, the
 * extremes (subnormal results, cancellation, overflow) and seeded random triples.
 */
import { describe, expect, it } from 'vitest';
import { fma, fmaf } from '../../src/random/index.js';

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** x = m·2^e exactly, m a BigInt (x finite). */
function exact(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 };
  f64[0] = x;
  const bits = u64[0];
  const bexp = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (bexp !== 0) {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  return { m: bits >> 63n ? -m : m, e };
}

/** Sum of values m·2^e as one m·2^e. */
function sum(...terms: { m: bigint; e: number }[]): { m: bigint; e: number } {
  const e = Math.min(...terms.map((t) => t.e));
  return { m: terms.reduce((s, t) => s + (t.m << BigInt(t.e - e)), 0n), e };
}

function cmp(x: { m: bigint; e: number }, y: { m: bigint; e: number }): number {
  const d = sum(x, { m: -y.m, e: y.e }).m;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** The float next to x (finite) towards ±∞ in a format of `bits` significand bits. */
function neighbour(x: number, dir: 1 | -1, single: boolean): number {
  if (single) {
    const f = new Float32Array([x]);
    const u = new Uint32Array(f.buffer);
    if (x === 0) return dir * 2 ** -149;
    u[0] += x > 0 === dir > 0 ? 1 : -1;
    return f[0];
  }
  if (x === 0) return dir * Number.MIN_VALUE;
  f64[0] = x;
  u64[0] += x > 0 === dir > 0 ? 1n : -1n;
  return f64[0];
}

function isEven(x: number, single: boolean): boolean {
  if (single) return (new Uint32Array(new Float32Array([x]).buffer)[0] & 1) === 0;
  f64[0] = x;
  return (u64[0] & 1n) === 0n;
}

/** Whether r is a·b + c rounded to the nearest float, ties to even (r finite). */
function correctlyRounded(a: number, b: number, c: number, r: number, single: boolean): boolean {
  const ea = exact(a);
  const eb = exact(b);
  const v = sum({ m: ea.m * eb.m, e: ea.e + eb.e }, exact(c));
  const lo = neighbour(r, -1, single);
  const hi = neighbour(r, 1, single);
  // midpoints (r + lo)/2 and (r + hi)/2, exactly: halve by lowering the exponent.
  const half = (x: { m: bigint; e: number }) => ({ m: x.m, e: x.e - 1 });
  const mLo = half(sum(exact(r), exact(lo)));
  const mHi = half(sum(exact(r), exact(hi)));
  const even = isEven(r, single);
  const aboveLo = cmp(v, mLo);
  const belowHi = cmp(mHi, v);
  return (aboveLo > 0 || (aboveLo === 0 && even)) && (belowHi > 0 || (belowHi === 0 && even));
}

/** A fixed sequence of 32-bit words (xorshift32). */
function words(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

const F = Math.fround;

describe('fmaf: one float32 rounding of a·b + c', () => {
  it('where fround(a·b + c) double-rounds to the wrong side of a float32 midpoint', () => {
    // a·b = 2^-24 − 2^-70 exactly; c + a·b lies just below the midpoint of 1 + 2^-23 (odd) and
    // 1 + 2^-22: float64 rounds it onto the midpoint, which float32 then rounds to even (up).
    const a = F(1 + 2 ** -23);
    const b = F((1 - 2 ** -23) * 2 ** -24);
    const c = F(1 + 2 ** -23);
    expect(F(a * b + c)).toBe(1 + 2 ** -22); // the naive, double-rounded result
    expect(fmaf(a, b, c)).toBe(1 + 2 ** -23);
    // mirrored: just above a midpoint whose lower neighbour is even
    expect(fmaf(-a, b, -c)).toBe(-(1 + 2 ** -23));
    const a2 = F(1 + 2 ** -23);
    const b2 = F((1 + 2 ** -23) * 2 ** -25); // a2·b2 = 2^-25 + 2^-47 + 2^-71
    expect(fmaf(a2, b2, 1)).toBe(correctlyRoundedValue(a2, b2, 1));
  });

  it('is correctly rounded on 200 000 seeded float32 triples (with many double-rounding cases)', () => {
    const w = words(1);
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    const rand = (expLo: number, expHi: number) => {
      u32[0] = (w() & 0x807fffff) | ((expLo + (w() % (expHi - expLo))) << 23);
      return f32[0];
    };
    let naiveWrong = 0;
    for (let i = 0; i < 200_000; i++) {
      let a: number;
      let b: number;
      let c: number;
      if (i % 4 === 0) {
        // Built to double-round: a·b = (2^46 − k²)·2^-70·2^s = 2^-24·2^s − k²·2^-70·2^s, c in
        // [2^s, 2^(s+1)): c + a·b lies k²·2^-70·2^s below the midpoint above c, within half a
        // float64 ulp of it, so float64 rounds onto the midpoint.
        const k = 1 + (w() % 361);
        const s = (w() % 61) - 30;
        a = F((2 ** 23 + k) * 2 ** (s - 23));
        b = F((2 ** 23 - k) * 2 ** -47);
        c = F((2 ** 23 + (w() % 2 ** 23)) * 2 ** (s - 23));
        if (w() & 1) {
          a = -a;
          c = -c;
        }
      } else {
        a = rand(100, 150);
        b = rand(100, 150);
        // c near −a·b for cancellation half the time, else at a similar scale
        c = i % 2 === 0 ? F(-(a * b) * (1 + (w() % 64) * 2 ** -20)) : rand(90, 160);
      }
      const r = fmaf(a, b, c);
      if (!correctlyRounded(a, b, c, r, true)) throw new Error(`fmaf(${a}, ${b}, ${c}) = ${r}`);
      if (F(a * b + c) !== r) naiveWrong++;
    }
    expect(naiveWrong).toBeGreaterThan(10_000); // fround(a·b + c) errs on the built ones (odd c)
  });

  it('keeps IEEE zeros and subnormals', () => {
    expect(Object.is(fmaf(0, 1, -0), 0)).toBe(true);
    expect(Object.is(fmaf(-0, 1, -0), -0)).toBe(true);
    expect(fmaf(F(2 ** -75), F(2 ** -75), 0)).toBe(0); // 2^-150: a tie, to even 0
    expect(fmaf(F(2 ** -75), F(1.5 * 2 ** -75), 0)).toBe(2 ** -149);
  });
});

function correctlyRoundedValue(a: number, b: number, c: number): number {
  // the float32 nearest a·b + c by the oracle: try the naive value and its neighbours
  const guess = F(a * b + c);
  for (const r of [guess, neighbour(guess, -1, true), neighbour(guess, 1, true)]) {
    if (correctlyRounded(a, b, c, r, true)) return r;
  }
  throw new Error('no candidate');
}

describe('fma: one float64 rounding of a·b + c', () => {
  it('keeps what two roundings lose', () => {
    expect(fma(1 + 2 ** -30, 1 - 2 ** -30, -1)).toBe(-(2 ** -60));
    expect((1 + 2 ** -30) * (1 - 2 ** -30) - 1).toBe(0);
    // a·b = 1 + 2^-53 − 2^-105 rounds to 1; the fused result keeps the rest
    const a = 1 + 2 ** -52;
    const b = 1 - 2 ** -53;
    expect(a * b - 1).toBe(0);
    expect(fma(a, b, -1)).toBe(2 ** -53 - 2 ** -105);
    const x = 1 + 2 ** -30;
    expect(fma(x, x, -1)).toBe(2 ** -29 + 2 ** -60);
    expect(x * x - 1).toBe(2 ** -29);
  });

  it('is correctly rounded on 100 000 seeded triples, fast and exact paths', () => {
    const w = words(7);
    const rand = (spread: number) => {
      const m = (w() + w() * 2 ** 32) / 2 ** 64 + 0.5;
      const e = Math.floor((w() / 2 ** 32 - 0.5) * spread);
      return (w() & 1 ? -1 : 1) * m * 2 ** e;
    };
    for (let i = 0; i < 100_000; i++) {
      // every 5th triple reaches the BigInt path (products beyond 2^±900 or subnormal results)
      const spread = i % 5 === 0 ? 2000 : 120;
      const a = rand(spread);
      const b = rand(spread);
      const c = i % 3 === 0 ? -(a * b) * (1 + (w() % 1024) * 2 ** -40) : rand(spread);
      if (!Number.isFinite(a * b) || !Number.isFinite(c)) continue;
      const r = fma(a, b, c);
      if (!Number.isFinite(r)) continue;
      if (!correctlyRounded(a, b, c, r, false)) throw new Error(`fma(${a}, ${b}, ${c}) = ${r}`);
    }
  });

  it('handles zeros, subnormal results, overflow and non-finite inputs as IEEE-754', () => {
    expect(Object.is(fma(0, 5, -0), 0)).toBe(true);
    expect(Object.is(fma(-0, 5, -0), -0)).toBe(true);
    expect(fma(2 ** -540, 2 ** -540, 0)).toBe(0); // 2^-1080 rounds to 0
    expect(fma(2 ** -537, 2 ** -537, 0)).toBe(2 ** -1074);
    expect(fma(3 * 2 ** -538, 2 ** -537, 2 ** -1074)).toBe(2 * 2 ** -1074);
    expect(fma(2 ** 600, 2 ** 600, -(2 ** 1023))).toBe(Number.POSITIVE_INFINITY);
    // the product overflows float64, the exact sum does not
    expect(fma(2 ** 512, 2 ** 512, -Number.MAX_VALUE)).toBe(2 ** 971);
    expect(fma(Number.POSITIVE_INFINITY, 1, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(fma(Number.POSITIVE_INFINITY, 0, 1)).toBeNaN();
    expect(fma(1, 1, Number.NaN)).toBeNaN();
  });
});
