/**
 * The reference Householder QR: LAPACK's unblocked `dgeqr2` then `dorg2r`, transcribed
 * directly on the row-major matrix (column accesses are strided). Slow for large matrices, simple
 * to check by eye; the tests hold the fast `householderQR` to it.
 */
import { larfg } from './householder.js';
import { checkQRArguments, type QRResult } from './qr.js';

/**
 * Householder QR of a row-major `m × n` matrix (`m ≥ n`) by the unblocked textbook algorithm,
 * with the same contract and sign fix as {@link householderQR}; always returns `r`.
 *
 * 1. `dgeqr2`: for j = 0 … n−1, the reflector Hⱼ = I − τⱼ vⱼ vⱼᵀ (from `larfg`) zeroes column j
 *    below the diagonal and is applied to the columns on its right;
 * 2. `dorg2r`: Q = H₀ H₁ ⋯ Hₙ₋₁ · I[:, :n], accumulated backward in place of the reflectors;
 * 3. sign fix: column j of Q and row j of R are multiplied by sign(Rⱼⱼ) (sign(0) = +1).
 *
 * @throws as {@link householderQR}.
 */
export function householderQRReference(a: Float64Array, m: number, n: number): QRResult {
  checkQRArguments('householderQRReference', a, m, n);
  const f = Float64Array.from(a);
  const tau = new Float64Array(n);
  // dgeqr2: A = Q R, R in the upper triangle, vⱼ below the diagonal of column j.
  for (let j = 0; j < n; j++) {
    const t = larfg(f, j * n + j, m - j, n);
    tau[j] = t;
    if (t === 0) continue;
    for (let c = j + 1; c < n; c++) {
      let s = f[j * n + c];
      for (let i = j + 1; i < m; i++) s += f[i * n + j] * f[i * n + c];
      s *= t;
      f[j * n + c] -= s;
      for (let i = j + 1; i < m; i++) f[i * n + c] -= s * f[i * n + j];
    }
  }
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) r[i * n + j] = f[i * n + j];
  }
  // dorg2r: apply H_{n−1}, …, H₀ in turn to the first n columns of the identity.
  for (let j = n - 1; j >= 0; j--) {
    const t = tau[j];
    if (j < n - 1 && t !== 0) {
      for (let c = j + 1; c < n; c++) {
        let s = f[j * n + c];
        for (let i = j + 1; i < m; i++) s += f[i * n + j] * f[i * n + c];
        s *= t;
        f[j * n + c] -= s;
        for (let i = j + 1; i < m; i++) f[i * n + c] -= s * f[i * n + j];
      }
    }
    for (let i = j + 1; i < m; i++) f[i * n + j] = t === 0 ? 0 : -t * f[i * n + j];
    f[j * n + j] = 1 - t;
    for (let i = 0; i < j; i++) f[i * n + j] = 0;
  }
  // Sign fix: Q ← Q·D, R ← D·R with D = diag(sign(Rⱼⱼ)), so that A = Q R still and Rⱼⱼ ≥ 0.
  const diagR = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (r[j * n + j] < 0) {
      for (let i = 0; i < m; i++) f[i * n + j] = 0 - f[i * n + j];
      for (let c = j; c < n; c++) r[j * n + c] = 0 - r[j * n + c];
    }
    diagR[j] = Math.abs(r[j * n + j]);
  }
  return { q: f, diagR, r };
}
