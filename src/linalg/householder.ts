/**
 * Elementary Householder reflectors with LAPACK's conventions (`dlarfg`, `dnrm2`, `dlapy2`).
 *
 * A reflector is `H = I − τ v vᵀ` with `v₀ = 1`, chosen so that `H · [α, x]ᵀ = [β, 0]ᵀ` with
 * `β = −sign(α) · ‖[α, x]‖`. Both QR implementations in this folder build their reflectors here,
 * so that Q agrees with LAPACK's `dgeqrf`/`dorgqr` (and so PyTorch's `linalg.qr`) up to rounding.
 *
 * Only IEEE-754 basic operations (+ − × ÷ sqrt) are used, in a fixed order: results are
 * bit-identical on every JavaScript engine.
 */

/** LAPACK's `SAFMIN = dlamch('S') / dlamch('E')` = 2⁻¹⁰²² / 2⁻⁵³ = 2⁻⁹⁶⁹. */
const SAFMIN = 2.004168360008973e-292;
/** `1 / SAFMIN` = 2⁹⁶⁹. */
const RSAFMIN = 1 / SAFMIN;
/** Below this sum of squares, some squares may have underflowed: recompute with scaling. */
const SSQ_LOW = 2 ** -900;
/** Largest finite double, as LAPACK's `HUGEVAL`. */
const HUGE = Number.MAX_VALUE;

/**
 * Euclidean norm of `n` elements of `x` starting at `offset`, `stride` apart.
 * Sums squares directly (the common case) and falls back to a scaled sum when that sum
 * could have overflowed or underflowed, so the result is accurate for any finite input.
 */
export function norm2(x: Float64Array, offset: number, n: number, stride: number): number {
  let ssq = 0;
  const end = offset + n * stride;
  for (let i = offset; i !== end; i += stride) {
    const v = x[i];
    ssq += v * v;
  }
  if (ssq >= SSQ_LOW && ssq <= HUGE) return Math.sqrt(ssq);
  // Scaled: ‖x‖ = s · ‖x / s‖ with s = max |xᵢ|.
  let scale = 0;
  for (let i = offset; i !== end; i += stride) {
    const v = Math.abs(x[i]);
    if (v > scale) scale = v;
  }
  if (scale === 0) return 0;
  let sum = 0;
  for (let i = offset; i !== end; i += stride) {
    const v = x[i] / scale;
    sum += v * v;
  }
  return scale * Math.sqrt(sum);
}

/** `sqrt(x² + y²)` without overflow, as LAPACK's `dlapy2`: `w · sqrt(1 + (z/w)²)`. */
export function lapy2(x: number, y: number): number {
  const xa = Math.abs(x);
  const ya = Math.abs(y);
  const w = Math.max(xa, ya);
  const z = Math.min(xa, ya);
  if (z === 0 || w > HUGE) return w;
  const r = z / w;
  return w * Math.sqrt(1 + r * r);
}

/**
 * Generates an elementary reflector in place, as LAPACK's `dlarfg`.
 *
 * On entry `x[offset]` is α and the `n − 1` elements that follow (`stride` apart) are x.
 * On exit `x[offset]` is β and the others hold v₁…vₙ₋₁ (v₀ = 1 is implicit). Returns τ.
 *
 * - `n ≤ 1` or `x = 0`: τ = 0 and H = I (β = α, which may be negative or zero);
 * - otherwise β = −sign(α)·‖[α, x]‖ (α = −0 counts as negative, as Fortran's `SIGN`),
 *   τ = (β − α)/β ∈ [1, 2], v = x / (α − β); tiny β is rescaled by 2⁹⁶⁹ as LAPACK does.
 */
export function larfg(x: Float64Array, offset: number, n: number, stride: number): number {
  if (n <= 1) return 0;
  const xOff = offset + stride;
  const m = n - 1;
  let xnorm = norm2(x, xOff, m, stride);
  if (xnorm === 0) return 0;
  let alpha = x[offset];
  const negative = alpha < 0 || (alpha === 0 && 1 / alpha < 0);
  let beta = negative ? lapy2(alpha, xnorm) : -lapy2(alpha, xnorm);
  let knt = 0;
  if (Math.abs(beta) < SAFMIN) {
    // xnorm and beta may be inaccurate: scale x up and recompute them.
    do {
      knt++;
      scale(x, xOff, m, stride, RSAFMIN);
      beta *= RSAFMIN;
      alpha *= RSAFMIN;
    } while (Math.abs(beta) < SAFMIN && knt < 20);
    xnorm = norm2(x, xOff, m, stride);
    beta = negative ? lapy2(alpha, xnorm) : -lapy2(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  scale(x, xOff, m, stride, 1 / (alpha - beta));
  for (let j = 0; j < knt; j++) beta *= SAFMIN;
  x[offset] = beta;
  return tau;
}

function scale(x: Float64Array, offset: number, n: number, stride: number, s: number): void {
  const end = offset + n * stride;
  for (let i = offset; i !== end; i += stride) x[i] *= s;
}
