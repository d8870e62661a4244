/**
 * The inner loops of the blocked Householder QR, on row-major `Float64Array`s whose rows are
 * contiguous (every innermost loop is unit-stride). Internal: no argument checks.
 *
 * The two matrix–matrix products are register-blocked (2 rows × 4 rows, 8 accumulators, which
 * fits the 16 floating-point registers of x86-64 and AArch64 without spills) and cache-blocked
 * along the long dimension in chunks of `KC` elements. The summation order is fixed by the code,
 * so results are bit-identical on every engine (JavaScript never fuses a multiply and an add).
 */

/** Chunk of the long dimension kept in L1 while the small dimension is swept (in doubles). */
export const KC = 256;

/**
 * Applies the reflector H = I − τ v vᵀ, with v = (1, w[vb+c+1], …, w[vb+m−1]), to rows
 * `r0 … r1−1` of `w` (row length `m`), columns `c … m−1`: x ← x − τ (vᵀx) v for each row x.
 * Rows are taken four at a time so that v is read once per four rows.
 */
export function applyReflectorToRows(
  w: Float64Array,
  m: number,
  vb: number,
  c: number,
  r0: number,
  r1: number,
  tau: number,
): void {
  const v0 = vb + c + 1;
  const len = m - c - 1;
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    const b0 = r * m + c;
    const b1 = b0 + m;
    const b2 = b1 + m;
    const b3 = b2 + m;
    let s0 = w[b0];
    let s1 = w[b1];
    let s2 = w[b2];
    let s3 = w[b3];
    for (let i = 0; i < len; i++) {
      const v = w[v0 + i];
      s0 += v * w[b0 + 1 + i];
      s1 += v * w[b1 + 1 + i];
      s2 += v * w[b2 + 1 + i];
      s3 += v * w[b3 + 1 + i];
    }
    s0 *= tau;
    s1 *= tau;
    s2 *= tau;
    s3 *= tau;
    w[b0] -= s0;
    w[b1] -= s1;
    w[b2] -= s2;
    w[b3] -= s3;
    for (let i = 0; i < len; i++) {
      const v = w[v0 + i];
      w[b0 + 1 + i] -= s0 * v;
      w[b1 + 1 + i] -= s1 * v;
      w[b2 + 1 + i] -= s2 * v;
      w[b3 + 1 + i] -= s3 * v;
    }
  }
  for (; r < r1; r++) {
    const b = r * m + c;
    let s = w[b];
    for (let i = 0; i < len; i++) s += w[v0 + i] * w[b + 1 + i];
    s *= tau;
    w[b] -= s;
    for (let i = 0; i < len; i++) w[b + 1 + i] -= s * w[v0 + i];
  }
}

/**
 * `Y = A · Bᵀ` where A is `p × len` (row `q` at `aOff + q·aStride`) and B is `nb × len` (row `l`
 * at `bOff + l·bStride`); Y is `p × nb`, dense, overwritten.
 */
export function gemmABt(
  a: Float64Array,
  aOff: number,
  aStride: number,
  p: number,
  b: Float64Array,
  bOff: number,
  bStride: number,
  nb: number,
  len: number,
  y: Float64Array,
): void {
  y.fill(0, 0, p * nb);
  for (let t0 = 0; t0 < len; t0 += KC) {
    const kl = t0 + KC < len ? KC : len - t0;
    let q = 0;
    for (; q + 2 <= p; q += 2) {
      const a0 = aOff + q * aStride + t0;
      const a1 = a0 + aStride;
      const y0 = q * nb;
      let l = 0;
      for (; l + 4 <= nb; l += 4) {
        const b0 = bOff + l * bStride + t0;
        dot2x4(a, a0, a1, b, b0, bStride, kl, y, y0 + l, nb);
      }
      for (; l < nb; l++) {
        const b0 = bOff + l * bStride + t0;
        y[y0 + l] += dot(a, a0, b, b0, kl);
        y[y0 + nb + l] += dot(a, a1, b, b0, kl);
      }
    }
    for (; q < p; q++) {
      const a0 = aOff + q * aStride + t0;
      const y0 = q * nb;
      for (let l = 0; l < nb; l++) y[y0 + l] += dot(a, a0, b, bOff + l * bStride + t0, kl);
    }
  }
}

function dot(a: Float64Array, a0: number, b: Float64Array, b0: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let t = 0;
  for (; t + 2 <= len; t += 2) {
    s0 += a[a0 + t] * b[b0 + t];
    s1 += a[a0 + t + 1] * b[b0 + t + 1];
  }
  if (t < len) s0 += a[a0 + t] * b[b0 + t];
  return s0 + s1;
}

/** Adds the 2 × 4 block of dot products of rows a0, a1 with rows b0 + {0,1,2,3}·bs into y. */
function dot2x4(
  a: Float64Array,
  a0: number,
  a1: number,
  b: Float64Array,
  b0: number,
  bs: number,
  len: number,
  y: Float64Array,
  y0: number,
  ys: number,
): void {
  const b1 = b0 + bs;
  const b2 = b1 + bs;
  const b3 = b2 + bs;
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  for (let t = 0; t < len; t++) {
    const x0 = a[a0 + t];
    const x1 = a[a1 + t];
    const v0 = b[b0 + t];
    const v1 = b[b1 + t];
    const v2 = b[b2 + t];
    const v3 = b[b3 + t];
    s00 += x0 * v0;
    s01 += x0 * v1;
    s02 += x0 * v2;
    s03 += x0 * v3;
    s10 += x1 * v0;
    s11 += x1 * v1;
    s12 += x1 * v2;
    s13 += x1 * v3;
  }
  y[y0] += s00;
  y[y0 + 1] += s01;
  y[y0 + 2] += s02;
  y[y0 + 3] += s03;
  const y1 = y0 + ys;
  y[y1] += s10;
  y[y1 + 1] += s11;
  y[y1 + 2] += s12;
  y[y1 + 3] += s13;
}

/**
 * `C ← C − Y · B` where C is `p × len` (row `q` at `cOff + q·cStride`), Y is `p × nb` dense and
 * B is `nb × len` (row `l` at `bOff + l·bStride`).
 */
export function gemmSubAB(
  c: Float64Array,
  cOff: number,
  cStride: number,
  p: number,
  y: Float64Array,
  nb: number,
  b: Float64Array,
  bOff: number,
  bStride: number,
  len: number,
): void {
  for (let t0 = 0; t0 < len; t0 += KC) {
    const kl = t0 + KC < len ? KC : len - t0;
    let q = 0;
    for (; q + 2 <= p; q += 2) {
      const c0 = cOff + q * cStride + t0;
      const c1 = c0 + cStride;
      const y0 = q * nb;
      let l = 0;
      for (; l + 4 <= nb; l += 4) {
        sub2x4(c, c0, c1, y, y0 + l, nb, b, bOff + l * bStride + t0, bStride, kl);
      }
      for (; l < nb; l++) {
        const b0 = bOff + l * bStride + t0;
        axpy(c, c0, -y[y0 + l], b, b0, kl);
        axpy(c, c1, -y[y0 + nb + l], b, b0, kl);
      }
    }
    for (; q < p; q++) {
      const c0 = cOff + q * cStride + t0;
      const y0 = q * nb;
      for (let l = 0; l < nb; l++) axpy(c, c0, -y[y0 + l], b, bOff + l * bStride + t0, kl);
    }
  }
}

function axpy(c: Float64Array, c0: number, s: number, b: Float64Array, b0: number, len: number) {
  for (let t = 0; t < len; t++) c[c0 + t] += s * b[b0 + t];
}

/** c rows c0, c1 −= (2 × 4 block of y at y0, row stride ys) · (rows b0 + {0,1,2,3}·bs). */
function sub2x4(
  c: Float64Array,
  c0: number,
  c1: number,
  y: Float64Array,
  y0: number,
  ys: number,
  b: Float64Array,
  b0: number,
  bs: number,
  len: number,
): void {
  const b1 = b0 + bs;
  const b2 = b1 + bs;
  const b3 = b2 + bs;
  const y00 = y[y0];
  const y01 = y[y0 + 1];
  const y02 = y[y0 + 2];
  const y03 = y[y0 + 3];
  const y10 = y[y0 + ys];
  const y11 = y[y0 + ys + 1];
  const y12 = y[y0 + ys + 2];
  const y13 = y[y0 + ys + 3];
  for (let t = 0; t < len; t++) {
    const v0 = b[b0 + t];
    const v1 = b[b1 + t];
    const v2 = b[b2 + t];
    const v3 = b[b3 + t];
    c[c0 + t] -= y00 * v0 + y01 * v1 + y02 * v2 + y03 * v3;
    c[c1 + t] -= y10 * v0 + y11 * v1 + y12 * v2 + y13 * v3;
  }
}
