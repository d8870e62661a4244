/**
 * The orthogonal matrix of PyTorch's `torch.nn.init.orthogonal_` (Saxe, McClelland & Ganguli
 * 2014, "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks"),
 * from a Gaussian matrix: the Q factor of its QR decomposition with the sign fix (Mezzadri 2007,
 * "How to generate random matrices from the classical compact groups").
 */
import { checkFiniteEntries, checkMatrix, transposeInto } from './matrix.js';
import { defaultBlockSize, qrTransposed } from './qr.js';

/**
 * Orthogonalizes a row-major `rows × cols` matrix as `torch.nn.init.orthogonal_` does, minus the
 * gain: `flat = a`; if `rows < cols`, `flat = flatᵀ`; `q, r = qr(flat)`; `q *= sign(diag(r))`;
 * if `rows < cols`, `q = qᵀ`. The result, a new row-major `rows × cols` matrix, has orthonormal
 * columns when `rows ≥ cols` (QᵀQ = I) and orthonormal rows when `rows < cols` (QQᵀ = I).
 *
 * With a Gaussian `a` the result is Haar-distributed (uniform on the orthogonal matrices, or on
 * the Stiefel manifold when not square); given the same `a` it agrees with PyTorch's to
 * rounding. QR conventions and the sign fix are those of {@link householderQR}: in particular
 * sign(0) counts as +1, so a rank-deficient or zero `a` still gives orthonormal rows/columns (no
 * NaN), where PyTorch would zero the columns whose Rⱼⱼ = 0. Zero sizes give an empty matrix.
 * `a` is not modified.
 *
 * Cost: 4·M·N² − 4N³/3 flops with M = max(rows, cols), N = min(rows, cols), mostly in
 * WebAssembly SIMD products (a bit-identical JavaScript path where WebAssembly is unavailable);
 * about 0.3 s of CPU for 1024 × 1024 on one core of a 2020s server (`bench/linalg-micro.mjs`),
 * split across threads, with the same bits, when `weightinit/node`'s `startWorkerPool` runs.
 * A wide matrix is factored as it is stored (its rows are the columns of `flatᵀ`), a tall one
 * after a transpose. Memory: about twice the matrix, plus the result.
 *
 * @param a row-major `rows × cols` values, typically standard normal draws (not modified).
 * @example
 * orthogonalize(new Float64Array([3, 4]), 1, 2); // ≈ Float64Array [0.6, 0.8]
 * orthogonalize(new Float64Array([2, 0, 0, -3]), 2, 2); // Float64Array [1, 0, 0, -1]
 * @throws TypeError if `a` is not a `Float64Array` or a size is not a number; RangeError if
 *   `rows`/`cols` are not integers ≥ 0, `a.length ≠ rows·cols`, or an entry is not finite.
 */
export function orthogonalize(a: Float64Array, rows: number, cols: number): Float64Array {
  const fn = 'orthogonalize';
  checkMatrix(fn, a, rows, cols);
  if (rows === 0 || cols === 0) return new Float64Array(0);
  const size = rows * cols;
  if (rows < cols) {
    // flat = aᵀ is cols × rows (tall); its transpose, the layout the core works in, is `a`, and
    // the core's output, Qᵀ of flat, is the result.
    checkFiniteEntries(fn, 'a', a);
    const { x } = qrTransposed(rows, cols, defaultBlockSize(rows), (w) => w.set(a));
    return x.slice(0, size);
  }
  // The entries are checked as they are transposed, before any work.
  const { x } = qrTransposed(cols, rows, defaultBlockSize(cols), (w) =>
    checkFiniteEntries(fn, 'a', a, transposeInto(a, rows, cols, w)),
  );
  const q = new Float64Array(size);
  transposeInto(x, cols, rows, q);
  return q;
}
