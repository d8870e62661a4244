/**
 * PyTorch's vectorized float32 Box–Muller (`normal_fill_16_AVX2` in
 * `aten/src/ATen/native/cpu/DistributionTemplates.h`), one lane at a time, bit for bit.
 *
 * The log and sincos are Julien Pommier's / Giovanni Garberoglio's AVX ports of the Cephes
 * `logf` / `sinf` / `cosf` polynomials (`aten/src/ATen/native/cpu/avx_mathfun.h`, zlib licence),
 * evaluated in float32. PyTorch's x86 wheels compile them with FMA enabled and GCC contracts a
 * multiplication whose only use is an addition or subtraction into one fused multiply-add, in
 * statement order: `y·x + p` steps of the polynomials, the three-part reduction
 * `x + y·(−DP1)` …, `y·z + e·q1` (the product `y·z` is fused, `e·q1` rounded), `y − z·0.5` and
 * `x + e·q2` in the log; `y·z − z·0.5` (the first product fused) and `y2·x + x` in sincos.
 * Every other operation is one float32 rounding (`Math.fround`), and the fused ones are
 * {@link fmaf}. This reproduces PyTorch 2.13's x86 (AVX2/AVX-512) outputs exactly; builds
 * without FMA contraction differ by an ulp now and then.
 *
 * Domain: the log takes u ∈ (0, 1] (1 − a 24-bit uniform), the sincos θ ∈ [0, 2π); both are
 * valid there only (no NaN/∞/denormal handling beyond what PyTorch's code does for these
 * inputs).
 */

import { fmaf } from './fma.js';

const F = Math.fround;

const bits = new Float32Array(1);
const bitsU = new Uint32Array(bits.buffer);

// log256_ps constants (float32, as the _PS256_CONST tables hold them).
const SQRTHF = F(Math.SQRT1_2); // cephes_SQRTHF
const LOG_P0 = F(0.070376836292);
const LOG_P1 = F(-0.1151461031);
const LOG_P2 = F(0.1167699874);
const LOG_P3 = F(-0.12420140846);
const LOG_P4 = F(0.14249322787);
const LOG_P5 = F(-0.16668057665);
const LOG_P6 = F(0.20000714765);
const LOG_P7 = F(-0.24999993993);
const LOG_P8 = F(0.33333331174);
const LOG_Q1 = F(-0.00021219444);
const LOG_Q2 = F(0.693359375);

/**
 * `log256_ps` on one lane: natural log of a positive normal float32 `x`, in float32.
 *
 * x = 2ᵉ·m with m ∈ [√½, √2) (as m − 1 ∈ [−0.29, 0.41]); log x = m − 1 + (m−1)³·P(m−1) −
 * (m−1)²/2 + e·(q1 + q2), with ln 2 split as q2 + q1.
 */
export function cephesLog(x: number): number {
  bits[0] = x;
  const w = bitsU[0];
  let e = F((w >>> 23) - 0x7f + 1);
  bitsU[0] = (w & 0x807fffff) | 0x3f000000; // mantissa in [0.5, 1)
  let m = bits[0];
  const small = m < SQRTHF;
  const tmp = small ? m : 0;
  m = F(m - 1);
  if (small) e = F(e - 1);
  m = F(m + tmp);
  const z = F(m * m);
  let y = LOG_P0;
  y = fmaf(y, m, LOG_P1);
  y = fmaf(y, m, LOG_P2);
  y = fmaf(y, m, LOG_P3);
  y = fmaf(y, m, LOG_P4);
  y = fmaf(y, m, LOG_P5);
  y = fmaf(y, m, LOG_P6);
  y = fmaf(y, m, LOG_P7);
  y = fmaf(y, m, LOG_P8);
  y = F(y * m);
  y = fmaf(y, z, F(e * LOG_Q1));
  y = fmaf(-z, 0.5, y);
  m = F(m + y);
  return fmaf(e, LOG_Q2, m);
}

// sincos256_ps constants.
const MINUS_DP1 = F(-0.78515625);
const MINUS_DP2 = F(-0.00024187564849853516);
const MINUS_DP3 = F(-3.774894977445941e-8);
const SIN_P0 = F(-0.00019515295891);
const SIN_P1 = F(0.0083321608736);
const SIN_P2 = F(-0.16666654611);
const COS_P0 = F(0.00002443315711809948);
const COS_P1 = F(-0.001388731625493765);
const COS_P2 = F(0.04166664568298827);
const FOPI = F(1.27323954473516); // 4/π

/** The sine and cosine `cephesSincos` returns (reused: no allocation per call). */
export const sincosOut = { sin: 0, cos: 0 };

/**
 * `sincos256_ps` on one lane, for θ ≥ 0 (a float32): sets {@link sincosOut}.
 *
 * j = the even integer nearest θ·4/π from above the truncation; x = θ − j·π/4 in three parts
 * (exact-ish Cody–Waite reduction); sin and cos of x by the two Cephes polynomials, swapped and
 * signed by j.
 */
export function cephesSincos(theta: number): void {
  let x = theta; // θ ≥ 0: the sign handling of the original is the identity
  let j = Math.trunc(F(x * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y = j; // an exact float32: j < 2^24
  const swapSin = (j & 4) !== 0;
  const sinPoly = (j & 2) === 0; // lanes where sin uses the sine polynomial
  const cosNegative = ((j - 2) & 4) === 0;
  x = fmaf(y, MINUS_DP1, x);
  x = fmaf(y, MINUS_DP2, x);
  x = fmaf(y, MINUS_DP3, x);
  const z = F(x * x);
  // cos polynomial on [−π/4, π/4]
  let c = fmaf(COS_P0, z, COS_P1);
  c = fmaf(c, z, COS_P2);
  c = F(c * z);
  c = fmaf(c, z, -F(z * 0.5));
  c = F(c + 1);
  // sin polynomial
  let s = fmaf(SIN_P0, z, SIN_P1);
  s = fmaf(s, z, SIN_P2);
  s = F(s * z);
  s = fmaf(s, x, x);
  // Select (as the original: masked parts and their complements, then sums).
  const ysin2 = sinPoly ? s : 0;
  const ysin1 = sinPoly ? 0 : c;
  const sinV = F(ysin1 + ysin2);
  const cosV = F(F(c - ysin1) + F(s - ysin2));
  sincosOut.sin = swapSin ? -sinV : sinV;
  sincosOut.cos = cosNegative ? -cosV : cosV;
}

const TWO_PI = F(2 * Math.PI); // _mm256_set1_ps(2.0f * c10::pi<double>)

/**
 * `normal_fill_16_AVX2` on `d[o … o+15]` (uniforms in [0, 1) in, normals out): for j < 8,
 * u1 = 1 − d[j], u2 = d[j+8], r = √(−2·log u1), θ = 2π·u2,
 * d[j] = fma(r·cos θ, std, mean), d[j+8] = fma(r·sin θ, std, mean), all in float32.
 *
 * @param d - the float32 data.
 * @param o - offset of the block.
 * @param mean - float32 mean.
 * @param std - float32 standard deviation.
 */
export function boxMuller16(d: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = F(1 - d[o + j]);
    const u2 = d[o + j + 8];
    const radius = F(Math.sqrt(F(-2 * cephesLog(u1))));
    cephesSincos(F(TWO_PI * u2));
    d[o + j] = fmaf(F(radius * sincosOut.cos), std, mean);
    d[o + j + 8] = fmaf(F(radius * sincosOut.sin), std, mean);
  }
}
