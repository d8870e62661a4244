/**
 * Fused multiply-add, correctly rounded (a single rounding of the exact a·b + c), from IEEE-754
 * basic operations: JavaScript has no `Math.fma`, and PyTorch's CPU kernels use the hardware one
 * (`_mm256_fmadd_ps`, and multiply-adds the compiler contracts).
 *
 * Float64 (`fma`): Boldo & Melquiond, "Emulation of a FMA and correctly-rounded sums: proved
 * algorithms using rounding to odd" (IEEE Trans. Computers 57(4), 2008): the exact product
 * uh + ul (Dekker/Veltkamp), the exact sum th + tl = c + uh (Knuth's TwoSum), v = tl + ul
 * rounded to odd, and z = RN(th + v). Where the exact product could underflow or overflow, an
 * exact integer (BigInt) evaluation takes over.
 *
 * Float32 (`fmaf`): a product of two float32 values is exact in float64, so only the sum s
 * rounds; `fround(s)` is then the correctly rounded result unless s landed exactly on the
 * midpoint of two float32 values while the exact sum is not there (double rounding): that case
 * is detected and decided by the sign of the sum's exact error.
 */

const f64 = new Float64Array(1);
const w32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const HI = w32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** x + y rounded to odd: the exact sum if representable, else its odd float64 neighbour. */
function addOdd(x: number, y: number): number {
  const s = x + y;
  const yy = s - x;
  const e = x - (s - yy) + (y - yy);
  if (e === 0 || !Number.isFinite(s)) return s;
  f64[0] = s;
  if ((w32[LO] & 1) === 1) return s;
  // s is even and inexact: the exact sum lies between s and its neighbour towards e.
  const away = e > 0 === s > 0; // step away from zero in magnitude
  if (away) {
    if (++w32[LO] === 0) w32[HI]++;
  } else if (w32[LO]-- === 0) {
    w32[HI]--;
  }
  return f64[0];
}

const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)
const FAST_MAX = 2 ** 995;
const FAST_MIN = 2 ** -900;

/**
 * a·b + c with one rounding (IEEE-754 fusedMultiplyAdd, round to nearest even).
 *
 * @param a - a float64.
 * @param b - a float64.
 * @param c - a float64.
 * @returns the float64 nearest the exact a·b + c (ties to even); NaN and infinities as IEEE-754.
 * @example
 * ```ts
 * fma(1 + 2 ** -30, 1 - 2 ** -30, -1); // -(2 ** -60); a * b + c gives 0
 * ```
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (p === 0 || !Number.isFinite(p) || !Number.isFinite(c)) {
    // a·b exactly 0, or an infinity/NaN among the inputs or the product: one rounding only if
    // the product is exact; an overflowing product of finite inputs goes to the exact path.
    if (Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && p !== 0)
      return exactFma(a, b, c);
    return p + c;
  }
  const ap = Math.abs(p);
  if (
    ap < FAST_MIN ||
    ap > FAST_MAX ||
    Math.abs(a) > FAST_MAX ||
    Math.abs(b) > FAST_MAX ||
    Math.abs(c) > FAST_MAX
  ) {
    return exactFma(a, b, c);
  }
  // Exact product p + pl (Dekker).
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = ah * bh - p + ah * bl + al * bh + al * bl;
  // Exact sum th + tl = c + p (TwoSum).
  const th = c + p;
  const cc = th - c;
  const tl = c - (th - cc) + (p - cc);
  return th + addOdd(tl, pl);
}

/**
 * a·b + c with one rounding, for float32 values a, b, c (IEEE-754 binary32 fusedMultiplyAdd:
 * `_mm256_fmadd_ps`, C's `fmaf`).
 *
 * @param a - a float32 value (a number equal to its `Math.fround`).
 * @param b - a float32 value.
 * @param c - a float32 value.
 * @returns the float32 nearest the exact a·b + c (ties to even).
 * @example
 * ```ts
 * fmaf(Math.fround(1 + 2 ** -12), Math.fround(1 - 2 ** -12), -1); // -(2 ** -24)
 * ```
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b; // exact
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r; // s is a float32: it is the nearest one to the exact sum
  if (r === Number.POSITIVE_INFINITY || r === Number.NEGATIVE_INFINITY) {
    return Math.fround(addOdd(p, c));
  }
  // Rounding s again errs only if s is the midpoint of two float32 values r and t = 2s − r
  // (then t is computed exactly and is a float32; otherwise it is not).
  const t = 2 * s - r;
  if (Math.fround(t) !== t) return r;
  const pp = s - c;
  const e = p - pp + (c - (s - pp)); // s + e = p + c exactly (TwoSum)
  if (e === 0) return r; // a true tie: fround's ties-to-even is the answer
  return e > 0 === t > r ? t : r;
}

// ---- Exact path (BigInt), for products that would underflow or overflow in the fast path. ----

/** x = m·2^e with m an integer (BigInt), for a finite nonzero float64 x. */
function decompose(x: number): { m: bigint; e: number } {
  f64[0] = x;
  const hi = w32[HI];
  const lo = w32[LO];
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) {
    e = -1074; // subnormal
  } else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  return { m: hi >>> 31 ? -m : m, e };
}

/** 2^k for −1074 ≤ k ≤ 1023, exact (built from bits). */
function pow2(k: number): number {
  if (k < -1022) return pow2(-1022) * pow2(k + 1022); // exact: a power of two ≥ 2^-1074
  w32[HI] = (k + 1023) << 20;
  w32[LO] = 0;
  return f64[0];
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** a·b + c rounded once, evaluated on integers: a, b, c finite, a·b ≠ 0. */
function exactFma(a: number, b: number, c: number): number {
  const x = decompose(a);
  const y = decompose(b);
  const mp = x.m * y.m;
  const ep = x.e + y.e;
  let s: bigint;
  let e: number;
  if (c === 0) {
    s = mp;
    e = ep;
  } else {
    const z = decompose(c);
    e = Math.min(ep, z.e);
    s = (mp << BigInt(ep - e)) + (z.m << BigInt(z.e - e));
  }
  if (s === 0n) return 0; // exact cancellation: +0 in round to nearest
  const negative = s < 0n;
  let q = negative ? -s : s;
  // Keep 53 significant bits, or fewer where the result is subnormal (lsb 2^-1074).
  const shift = Math.max(bitLength(q) - 53, -1074 - e);
  if (shift > 0) {
    const sh = BigInt(shift);
    const rem = q & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    q >>= sh;
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    e += shift;
  }
  // q ≤ 2^53 and e ≥ -1074: the value q·2^e is representable unless it overflows.
  let v = Number(q);
  while (e > 1023) {
    v *= pow2(1023);
    e -= 1023;
  }
  v *= pow2(e);
  return negative ? -v : v;
}
