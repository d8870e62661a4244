/**
 * Deterministic `log`, `log1p` and `exp` in float64, from IEEE-754 basic operations only.
 *
 * The engine's Math.log and Math.exp are not specified to the last bit, and engines differ
 * (V8, SpiderMonkey and JavaScriptCore ship different libm ports; hardware paths differ
 * again), so the samplers never call them. These are ports of fdlibm 5.3 (Sun Microsystems,
 * 1993/2004: `e_log.c`, `s_log1p.c` and `e_exp.c`, as in FreeBSD msun): the same polynomial
 * coefficients, the same argument reduction and the same order of operations, with the exponent
 * read and written through a shared Float64Array / Uint32Array view (exact, engine-independent).
 * fdlibm guarantees an error below 1 ulp; every operation here is a correctly rounded + − × ÷
 * on float64 (or an exact integer/bit operation), so the results are the same on every
 * conforming engine.
 *
 * Copyright notice of the originals: "Copyright (C) 1993, 2004 by Sun Microsystems, Inc. All
 * rights reserved. Permission to use, copy, modify, and distribute this software is freely
 * granted, provided that this notice is preserved."
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Word order of the platform (typed arrays use it): the high word holds sign and exponent.
f64[0] = 1;
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

// e_log.c constants.
const ln2_hi = 0.6931471803691238; // 3fe62e42 fee00000
const ln2_lo = 1.9082149292705877e-10; // 3dea39ef 35793c76
const two54 = 18014398509481984; // 43500000 00000000
const Lg1 = 0.6666666666666735; // 3FE55555 55555593
const Lg2 = 0.3999999999940942; // 3FD99999 9997FA04
const Lg3 = 0.2857142874366239; // 3FD24924 94229359
const Lg4 = 0.22222198432149784; // 3FCC71C5 1D8E78AF
const Lg5 = 0.1818357216161805; // 3FC74664 96CB03DE
const Lg6 = 0.15313837699209373; // 3FC39A09 D078C69F
const Lg7 = 0.14798198605116586; // 3FC2F112 DF3E5244

/**
 * Natural logarithm, bit-identical on every engine (fdlibm `__ieee754_log`, error < 1 ulp).
 *
 * Method: x = 2ᵏ·(1 + f) with √2/2 < 1 + f < √2; log(1 + f) = 2s + s·R(s²) with
 * s = f / (2 + f) and R a degree-14 Remez polynomial; log x = k·ln2 + log(1 + f), ln2 split
 * in two so that k·ln2_hi is exact.
 *
 * @param x - any float64.
 * @returns log x; −∞ for ±0, NaN for x < 0 or NaN, +∞ for +∞.
 * @example
 * ```ts
 * log(Math.E); // 1
 * ```
 */
export function log(x: number): number {
  f64[0] = x;
  let hx = u32[HI] | 0;
  const lx = u32[LO];
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022: zero, negative or subnormal.
    if (((hx & 0x7fffffff) | lx) === 0) return Number.NEGATIVE_INFINITY;
    if (hx < 0) return Number.NaN;
    k -= 54;
    x *= two54; // subnormal: scale up
    f64[0] = x;
    hx = u32[HI] | 0;
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  u32[HI] = hx | (i ^ 0x3ff00000); // normalize x or x/2
  x = f64[0];
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      return k * ln2_hi + k * ln2_lo;
    }
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    if (k === 0) return f - R;
    return k * ln2_hi - (R - k * ln2_lo - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - (hfsq - (s * (hfsq + R) + dk * ln2_lo) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * ln2_hi - (s * (f - R) - dk * ln2_lo - f);
}

/**
 * log(1 + x), bit-identical on every engine (fdlibm `s_log1p.c`, error < 1 ulp; its
 * polynomial and ln2 split are those of `log`).
 *
 * Method: 1 + x = 2ᵏ·(1 + f) with √2/2 < 1 + f < √2, c = the rounding error of 1 + x (when
 * k ≠ 0); log1p x = k·ln2 + log(1 + f) + c/(1 + x), log(1 + f) as in {@link log}.
 *
 * @returns −∞ for x = −1, NaN for x < −1 or NaN.
 * @example log1p(-0.5) // -0.6931471805599453
 */
export function log1p(x: number): number {
  const hx = hiWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2
    if (ax >= 0x3ff00000) return x === -1 ? Number.NEGATIVE_INFINITY : Number.NaN; // x ≤ −1
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // √2/2 ≤ 1 + x < √2
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x; // +∞ or NaN
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = hiWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // correction term
      c /= u;
    } else {
      u = x;
      hu = hiWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    f64[0] = u;
    if (hu < 0x6a09e) {
      u32[HI] = hu | 0x3ff00000; // normalize u
    } else {
      k += 1;
      u32[HI] = hu | 0x3fe00000; // normalize u/2
      hu = (0x00100000 - hu) >> 2;
    }
    u = f64[0];
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * ln2_lo;
      return k * ln2_hi + c;
    }
    const R = hfsq * (1 - 0.6666666666666666 * f);
    if (k === 0) return f - R;
    return k * ln2_hi - (R - (k * ln2_lo + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (Lg1 + z * (Lg2 + z * (Lg3 + z * (Lg4 + z * (Lg5 + z * (Lg6 + z * Lg7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * ln2_hi - (hfsq - (s * (hfsq + R) + (k * ln2_lo + c)) - f);
}

/** The high (sign and exponent) word of x. */
function hiWord(x: number): number {
  f64[0] = x;
  return u32[HI] | 0;
}

// e_exp.c constants.
const o_threshold = 709.782712893384; // 0x40862E42 FEFA39EF
const u_threshold = -745.1332191019411; // 0xc0874910 D52D3051
const invln2 = Math.LOG2E; // 0x3ff71547 652b82fe
const P1 = 0.16666666666666602; // 0x3FC55555 5555553E
const P2 = -0.0027777777777015593; // 0xBF66C16C 16BEBD93
const P3 = 0.00006613756321437934; // 0x3F11566A AF25DE2C
const P4 = -0.0000016533902205465252; // 0xBEBBBD41 C5D26BF1
const P5 = 4.1381367970572385e-8; // 0x3E663769 72BEA4D0
const twom1000 = 9.332636185032189e-302; // 2^-1000

/** 2^k as a float64, for -1022 <= k <= 1023 (exact: built from its bits). */
function pow2(k: number): number {
  u32[HI] = (0x3ff00000 + (k << 20)) | 0;
  u32[LO] = 0;
  return f64[0];
}

/**
 * Exponential, bit-identical on every engine (fdlibm `__ieee754_exp`, error < 1 ulp).
 *
 * Method: x = k·ln2 + r with |r| ≤ ln2/2 (r carried as hi − lo); exp(r) = 1 + r + r·c/(2 − c)
 * with c = r − r²·P(r²), P a degree-5 Remez polynomial; exp x = 2ᵏ·exp(r).
 *
 * @param x - any float64.
 * @returns eˣ; +∞ above 709.78…, 0 below −745.13…, NaN for NaN.
 * @example
 * ```ts
 * exp(1); // 2.718281828459045
 * ```
 */
export function exp(x: number): number {
  f64[0] = x;
  let hx = u32[HI];
  const xsb = hx >>> 31; // sign bit of x
  hx &= 0x7fffffff; // high word of |x|
  let hi = 0;
  let lo = 0;
  let k = 0;
  // Filter out non-finite argument.
  if (hx >= 0x40862e42) {
    // |x| >= 709.78...
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | u32[LO]) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0; // exp(+-inf) = {inf, 0}
    }
    if (x > o_threshold) return Number.POSITIVE_INFINITY; // overflow
    if (x < u_threshold) return 0; // underflow
  }
  // Argument reduction.
  if (hx > 0x3fd62e42) {
    // |x| > 0.5 ln2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5 ln2
      if (xsb === 0) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = (invln2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0; // C's (int) truncates toward zero
      const t = k;
      hi = x - t * ln2_hi; // t*ln2_hi is exact here
      lo = t * ln2_lo;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28
    return 1 + x;
  } else {
    k = 0;
  }
  // x is now in primary range.
  const t = x * x;
  const twopk = k >= -1021 ? pow2(k === 1024 ? 0 : k) : pow2(k + 1000);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - (lo - (x * c) / (2.0 - c) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * 8.98846567431158e307; // 0x1p1023
    return y * twopk;
  }
  return y * twopk * twom1000;
}
