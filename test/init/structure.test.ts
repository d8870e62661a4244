/** Structural invariants: exact results for the deterministic strategies, QᵀQ = g²I, sparsity counts. */
import { describe, expect, it } from 'vitest';
import {
  constant,
  deltaOrthogonal,
  dirac,
  identity,
  ones,
  orthogonal,
  sparse,
  zeros,
} from '../../src/init/index.js';

/** Gram matrix of the rows (rowsFirst) or columns of a row-major rows × cols matrix, in float64. */
function gram(data: ArrayLike<number>, rows: number, cols: number, ofRows: boolean): Float64Array {
  const n = ofRows ? rows : cols;
  const len = ofRows ? cols : rows;
  const at = (v: number, k: number) => (ofRows ? data[v * cols + k] : data[k * cols + v]);
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < len; k++) s += at(i, k) * at(j, k);
      g[i * n + j] = s;
    }
  }
  return g;
}

/** Max |G − g²I|. */
function offIdentity(g: Float64Array, n: number, gain: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      worst = Math.max(worst, Math.abs(g[i * n + j] - (i === j ? gain * gain : 0)));
  return worst;
}

describe('orthogonal', () => {
  // float32 storage rounds each entry with relative error 2^-24 ≈ 6e-8; a dot product of
  // length n accumulates about √n·6e-8·g², so 1e-5·g² is ample for n ≤ 512 and still far
  // below anything that is not orthogonal (a Gaussian matrix has off-diagonals ≈ 1/√n).
  it.each([
    [[64, 64], 1, true],
    [[128, 32], 1, false], // tall: orthonormal columns
    [[32, 128], 1, true], // wide: orthonormal rows
    [[16, 8, 3, 3], 2, true], // conv kernel: 16 × 72 flattened, wide
    [[100, 100], 1.5, true],
  ] as const)('%j gain %d: QQᵀ or QᵀQ = gain²·I', (shape, gain, ofRows) => {
    const t = orthogonal(shape as unknown as number[], { seed: 31, gain });
    const rows = shape[0];
    const cols = t.data.length / rows;
    const n = ofRows ? rows : cols;
    expect(offIdentity(gram(t.data, rows, cols, ofRows), n, gain)).toBeLessThan(1e-5 * gain * gain);
  });

  it('in-out layout orthogonalizes [..., out] with rows = the rest flattened', () => {
    const t = orthogonal([3, 3, 8, 16], { seed: 32, layout: 'in-out' }); // 72 × 16, tall
    expect(offIdentity(gram(t.data, 72, 16, false), 16, 1)).toBeLessThan(1e-5);
  });

  it('is Haar: the sign fix makes the diagonal symmetric around 0 (no bias to +1)', () => {
    // Without the diag(R) sign fix, Q's diagonal is biased; with it, E[Q_ii] = 0.
    // 200 matrices 8×8: the mean of 1600 diagonal entries (each with std 1/√8 ≈ 0.35) has
    // standard error 0.0088; 0.05 is over 5 standard errors.
    let sum = 0;
    for (let s = 0; s < 200; s++) {
      const t = orthogonal([8, 8], { seed: s });
      for (let i = 0; i < 8; i++) sum += t.data[i * 8 + i];
    }
    expect(Math.abs(sum / 1600)).toBeLessThan(0.05);
  });
});

describe('identity, dirac, delta-orthogonal: exact', () => {
  it('identity is eye, for square and rectangular shapes, times gain', () => {
    expect(Array.from(identity([2, 3]).data)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(Array.from(identity([3, 2], { gain: 0.5 }).data)).toEqual([0.5, 0, 0, 0.5, 0, 0]);
    const big = identity([64, 64]);
    for (let i = 0; i < 64; i++)
      for (let j = 0; j < 64; j++) expect(big.data[i * 64 + j]).toBe(i === j ? 1 : 0);
  });

  it('dirac puts 1 at the kernel centre of channel d → d (PyTorch dirac_)', () => {
    const t = dirac([2, 2, 3]);
    expect(Array.from(t.data)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    const t4 = dirac([3, 2, 3, 3]); // out 3 > in 2: channel 2 stays zero
    const at = (o: number, i: number, y: number, x: number) =>
      t4.data[((o * 2 + i) * 3 + y) * 3 + x];
    expect(at(0, 0, 1, 1)).toBe(1);
    expect(at(1, 1, 1, 1)).toBe(1);
    expect(Array.from(t4.data).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('dirac with groups, as PyTorch dirac_(w, groups=2)', () => {
    const t = dirac([4, 2, 1], { groups: 2 }); // 2 out channels per group
    expect(Array.from(t.data)).toEqual([1, 0, 0, 1, 1, 0, 0, 1]);
  });

  it('dirac in-out layout is the transpose arrangement [k, in, out]', () => {
    const t = dirac([3, 2, 2], { layout: 'in-out' });
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('delta-orthogonal: zero off-centre, orthogonal at the centre', () => {
    const t = deltaOrthogonal([8, 4, 3, 3], { seed: 33, gain: 2 });
    const centre = new Float64Array(32);
    for (let o = 0; o < 8; o++) {
      for (let i = 0; i < 4; i++) {
        for (let k = 0; k < 9; k++) {
          const v = t.data[(o * 4 + i) * 9 + k];
          if (k === 4) centre[o * 4 + i] = v;
          else expect(v).toBe(0);
        }
      }
    }
    expect(offIdentity(gram(centre, 8, 4, false), 4, 2)).toBeLessThan(1e-5 * 4);
  });
});

describe('constants', () => {
  it('zeros, ones, constant are exact', () => {
    expect(Array.from(zeros([3]).data)).toEqual([0, 0, 0]);
    expect(Array.from(ones([2], { dtype: 'float64' }).data)).toEqual([1, 1]);
    expect(ones([2], { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(Array.from(constant([2, 2], { value: -0.25 }).data)).toEqual([
      -0.25, -0.25, -0.25, -0.25,
    ]);
  });

  it('zeros on a weight warns that symmetry is never broken; on a bias it does not', () => {
    expect(zeros([4, 4]).warnings[0]).toMatch(/no symmetry breaking/);
    expect(zeros([4]).warnings).toEqual([]);
    expect(constant([4, 4], { value: 1 }).warnings).toHaveLength(1);
  });
});

describe('sparse', () => {
  it('PyTorch semantics: ceil(sparsity · rows) zeros in every column', () => {
    const rows = 50;
    const cols = 20;
    const t = sparse([rows, cols], { sparsity: 0.3, seed: 41 });
    for (let c = 0; c < cols; c++) {
      let z = 0;
      for (let r = 0; r < rows; r++) if (t.data[r * cols + c] === 0) z++;
      expect(z).toBe(15);
    }
  });

  it('Martens semantics: exactly nonZero incoming weights per unit (row)', () => {
    const t = sparse([30, 100], { nonZero: 15, std: 1, seed: 42 });
    for (let r = 0; r < 30; r++) {
      let nz = 0;
      for (let c = 0; c < 100; c++) if (t.data[r * 100 + c] !== 0) nz++;
      expect(nz).toBe(15);
    }
  });

  it('different columns get different zero patterns', () => {
    const t = sparse([40, 2], { sparsity: 0.5, seed: 43 });
    const pattern = (c: number) => Array.from({ length: 40 }, (_, r) => t.data[r * 2 + c] === 0);
    expect(pattern(0)).not.toEqual(pattern(1));
  });
});
