/**
 * Float64 `sin`, `cos` and `erf` from IEEE-754 basic operations: ports of fdlibm 5.3
 * (`k_sin.c`, `k_cos.c`, `e_rem_pio2.c`, `s_sin.c`, `s_cos.c`, `s_erf.c`, as in
 * FreeBSD msun), the same coefficients and order of operations, so the bits are the same on
 * every engine. fdlibm errs by less than 1 ulp; PyTorch calls glibc, whose results may differ
 * from these in the last bit (rarely visible once a result is rounded to float32).
 *
 * Copyright notice of the originals: "Copyright (C) 1993 by Sun Microsystems, Inc. All rights
 * reserved. Developed at SunSoft, a Sun Microsystems, Inc. business. Permission to use, copy,
 * modify, and distribute this software is freely granted, provided that this notice is
 * preserved."
 */

import { exp } from '../detmath.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

function highWord(x: number): number {
  f64[0] = x;
  return u32[HI] | 0;
}

// k_sin.c
const S1 = -0.16666666666666632; // 0xBFC55555 55555549
const S2 = 0.00833333333332249; // 0x3F811111 1110F8A6
const S3 = -0.0001984126982985795; // 0xBF2A01A0 19C161D5
const S4 = 0.0000027557313707070068; // 0x3EC71DE3 57B1FE7D
const S5 = -2.5050760253406863e-8; // 0xBE5AE5E6 8A2B9CEB
const S6 = 1.58969099521155e-10; // 0x3DE5D93A 5ACFD57C

/** sin(x + y) for |x| ≤ ~π/4, y the tail of x (`iy` false: y is 0, a shorter formula). */
function kernelSin(x: number, y: number, iy: boolean): number {
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const v = z * x;
  if (!iy) return x + v * (S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

// k_cos.c
const C1 = 0.0416666666666666; // 0x3FA55555 5555554C
const C2 = -0.001388888888887411; // 0xBF56C16C 16C15177
const C3 = 0.00002480158728947673; // 0x3EFA01A0 19CB1590
const C4 = -2.7557314351390663e-7; // 0xBE927E4F 809C52AD
const C5 = 2.087572321298175e-9; // 0x3E21EE9E BDB4B1C4
const C6 = -1.1359647557788195e-11; // 0xBDA8FAE9 BE8838D4

/** cos(x + y) for |x| ≤ ~π/4, y the tail of x. */
function kernelCos(x: number, y: number): number {
  const z = x * x;
  let w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  w = 1 - hz;
  return w + (1 - w - hz + (z * r - x * y));
}

// e_rem_pio2.c: its "medium" reduction (|x| < 2^20·π/2), used here for every argument (fdlibm
// takes shortcuts below 9π/4 that agree with it to within the tail's last bits).
const invpio2 = 0.6366197723675814; // 0x3FE45F30 6DC9C883
const pio2_1 = 1.5707963267341256; // 0x3FF921FB 54400000
const pio2_1t = 6.077100506506192e-11; // 0x3DD0B461 1A626331
const pio2_2 = 6.077100506303966e-11; // 0x3DD0B461 1A600000
const pio2_2t = 2.0222662487959506e-21; // 0x3BA3198A 2E037073
const pio2_3 = 2.0222662487111665e-21; // 0x3BA3198A 2E000000
const pio2_3t = 8.4784276603689e-32; // 0x397B839A 252049C1
const ROUND = 6755399441055744; // 0x1.8p52: x + ROUND − ROUND rounds x to an integer

/** The reduced argument x − n·π/2 = y0 + y1 of the last {@link remPio2} call. */
let y0 = 0;
let y1 = 0;

/** Reduces x (|x| < 2^20·π/2) modulo π/2: returns n, sets y0 + y1 = x − n·π/2. */
function remPio2(x: number): number {
  const fn = x * invpio2 + ROUND - ROUND;
  const n = fn | 0;
  let r = x - fn * pio2_1;
  let w = fn * pio2_1t; // first round, good to 85 bits
  const j = (highWord(x) >>> 20) & 0x7ff;
  y0 = r - w;
  let i = j - ((highWord(y0) >>> 20) & 0x7ff);
  if (i > 16) {
    // second iteration, good to 118 bits
    let t = r;
    w = fn * pio2_2;
    r = t - w;
    w = fn * pio2_2t - (t - r - w);
    y0 = r - w;
    i = j - ((highWord(y0) >>> 20) & 0x7ff);
    if (i > 49) {
      // third iteration, 151 bits
      t = r;
      w = fn * pio2_3;
      r = t - w;
      w = fn * pio2_3t - (t - r - w);
      y0 = r - w;
    }
  }
  y1 = r - y0 - w;
  return n;
}

const MEDIUM_LIMIT = 2 ** 20 * (Math.PI / 2);

/**
 * Sine (fdlibm `sin`), for |x| < 2²⁰·π/2 (NaN beyond: the callers pass angles in [0, 2π)).
 *
 * @example sin(1) // 0.8414709848078965
 */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) {
    if (ix < 0x3e500000) return x; // |x| < 2^-26
    return kernelSin(x, 0, false);
  }
  if (!(Math.abs(x) < MEDIUM_LIMIT)) return Number.NaN;
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelSin(y0, y1, true);
    case 1:
      return kernelCos(y0, y1);
    case 2:
      return -kernelSin(y0, y1, true);
    default:
      return -kernelCos(y0, y1);
  }
}

/**
 * Cosine (fdlibm `cos`), for |x| < 2²⁰·π/2 (NaN beyond).
 *
 * @example cos(1) // 0.5403023058681398
 */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) {
    if (ix < 0x3e46a09e) return 1; // |x| < 2^-27·√2
    return kernelCos(x, 0);
  }
  if (!(Math.abs(x) < MEDIUM_LIMIT)) return Number.NaN;
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1, true);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1, true);
  }
}

// s_erf.c
const erx = 0.8450629115104675; // 0x3FEB0AC1 60000000
const efx = 0.1283791670955126; // 0x3FC06EBA 8214DB69
const pp0 = 0.12837916709551256; // 0x3FC06EBA 8214DB68
const pp1 = -0.3250421072470015; // 0xBFD4CD7D 691CB913
const pp2 = -0.02848174957559851; // 0xBF9D2A51 DBD7194F
const pp3 = -0.005770270296489442; // 0xBF77A291 236668E4
const pp4 = -0.000023763016656650163; // 0xBEF8EAD6 120016AC
const qq1 = 0.39791722395915535; // 0x3FD97779 CDDADC09
const qq2 = 0.0650222499887673; // 0x3FB0A54C 5536CEBA
const qq3 = 0.005081306281875766; // 0x3F74D022 C4D36B0F
const qq4 = 0.00013249473800432164; // 0x3F215DC9 221C1A10
const qq5 = -0.000003960228278775368; // 0xBED09C43 42A26120
const pa0 = -0.0023621185607526594; // 0xBF6359B8 BEF77538
const pa1 = 0.41485611868374833; // 0x3FDA8D00 AD92B34D
const pa2 = -0.3722078760357013; // 0xBFD7D240 FBB8C3F1
const pa3 = 0.31834661990116175; // 0x3FD45FCA 805120E4
const pa4 = -0.11089469428239668; // 0xBFBC6398 3D3E28EC
const pa5 = 0.035478304325618236; // 0x3FA22A36 599795EB
const pa6 = -0.002166375594868791; // 0xBF61BF38 0A96073F
const qa1 = 0.10642088040084423; // 0x3FBB3E66 18EEE323
const qa2 = 0.540397917702171; // 0x3FE14AF0 92EB6F33
const qa3 = 0.07182865441419627; // 0x3FB2635C D99FE9A7
const qa4 = 0.12617121980876164; // 0x3FC02660 E763351F
const qa5 = 0.01363708391202905; // 0x3F8BEDC2 6B51DD1C
const qa6 = 0.011984499846799107; // 0x3F888B54 5735151D
const ra0 = -0.009864944034847148; // 0xBF843412 600D6435
const ra1 = -0.6938585727071818; // 0xBFE63416 E4BA7360
const ra2 = -10.558626225323291; // 0xC0251E04 41B0E726
const ra3 = -62.375332450326006; // 0xC04F300A E4CBA38D
const ra4 = -162.39666946257347; // 0xC0644CB1 84282266
const ra5 = -184.60509290671104; // 0xC067135C EBCCABB2
const ra6 = -81.2874355063066; // 0xC0545265 57E4D2F2
const ra7 = -9.814329344169145; // 0xC023A0EF C69AC25C
const sa1 = 19.651271667439257; // 0x4033A6B9 BD707687
const sa2 = 137.65775414351904; // 0x4061350C 526AE721
const sa3 = 434.56587747522923; // 0x407B290D D58A1A71
const sa4 = 645.3872717332679; // 0x40842B19 21EC2868
const sa5 = 429.00814002756783; // 0x407AD021 57700314
const sa6 = 108.63500554177944; // 0x405B28A3 EE48AE2C
const sa7 = 6.570249770319282; // 0x401A47EF 8E484A93
const sa8 = -0.0604244152148581; // 0xBFAEEFF2 EE749A62
const rb0 = -0.0098649429247001; // 0xBF843412 39E86F4A
const rb1 = -0.799283237680523; // 0xBFE993BA 70C285DE
const rb2 = -17.757954917754752; // 0xC031C209 555F995A
const rb3 = -160.63638485582192; // 0xC064145D 43C5ED98
const rb4 = -637.5664433683896; // 0xC083EC88 1375F228
const rb5 = -1025.0951316110772; // 0xC0900461 6A2E5992
const rb6 = -483.5191916086514; // 0xC07E384E 9BDC383F
const sb1 = 30.33806074348246; // 0x403E568B 261D5190
const sb2 = 325.7925129965739; // 0x40745CAE 221B9F0A
const sb3 = 1536.729586084437; // 0x409802EB 189D5118
const sb4 = 3199.8582195085955; // 0x40A8FFB7 688C246A
const sb5 = 2553.0504064331644; // 0x40A3F219 CEDF3BE6
const sb6 = 474.52854120695537; // 0x407DA874 E79FE763
const sb7 = -22.44095244658582; // 0xC03670E2 42712D62

/**
 * The error function (fdlibm `erf`, error < 1 ulp).
 *
 * @example erf(1) // 0.8427007929497149
 */
export function erf(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return Number.isNaN(x) ? x : hx < 0 ? -1 : 1;
  if (ix < 0x3feb0000) {
    // |x| < 0.84375
    if (ix < 0x3e300000) {
      // |x| < 2^-28
      if (ix < 0x00800000) return (8 * x + 1.0270333367641007 * x) / 8; // efx8
      return x + efx * x;
    }
    const z = x * x;
    const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
    const s = 1 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
    return x + x * (r / s);
  }
  if (ix < 0x3ff40000) {
    // 0.84375 ≤ |x| < 1.25
    const s = Math.abs(x) - 1;
    const P = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
    const Q = 1 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
    return hx >= 0 ? erx + P / Q : -erx - P / Q;
  }
  if (ix >= 0x40180000) return hx >= 0 ? 1 - 1e-300 : 1e-300 - 1; // |x| ≥ 6
  const ax = Math.abs(x);
  const s = 1 / (ax * ax);
  let R: number;
  let S: number;
  if (ix < 0x4006db6e) {
    // |x| < 1/0.35
    R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
    S =
      1 +
      s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
  } else {
    R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
    S = 1 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  }
  f64[0] = ax;
  u32[LO] = 0;
  const z = f64[0];
  const r = exp(-z * z - 0.5625) * exp((z - ax) * (z + ax) + R / S);
  return hx >= 0 ? 1 - r / ax : r / ax - 1;
}
