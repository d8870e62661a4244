import { describe, expect, it } from 'vitest';
import { transpose } from '../../src/linalg/matrix.js';
import { orthogonalize } from '../../src/linalg/orthogonal.js';
import { householderQR } from '../../src/linalg/qr.js';
import { householderQRReference } from '../../src/linalg/reference.js';
import { allFinite, gaussian, maxAbsDiff, orthonormalityError } from './util.js';

/** PyTorch's recipe spelled out with the reference QR: transpose if wide, QR, sign fix, back. */
function pytorchRecipe(a: Float64Array, rows: number, cols: number): Float64Array {
  if (rows < cols) {
    const { q } = householderQRReference(transpose(a, rows, cols), cols, rows);
    return transpose(q, cols, rows);
  }
  return householderQRReference(a, rows, cols).q;
}

describe('orthogonalize', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [3, 3],
    [10, 4],
    [4, 10],
    [64, 64],
    [100, 130],
    [130, 100],
    [97, 97],
    [200, 200],
    [40, 300],
  ];
  for (const [rows, cols] of shapes) {
    it(`${rows}×${cols}: orthonormal ${rows >= cols ? 'columns' : 'rows'}, equals PyTorch's recipe`, () => {
      const a = gaussian(rows * cols, rows * 31 + cols);
      const copy = Float64Array.from(a);
      const w = orthogonalize(a, rows, cols);
      expect(a).toEqual(copy);
      expect(w.length).toBe(rows * cols);
      expect(orthonormalityError(w, rows, cols, rows < cols)).toBeLessThan(1e-12);
      expect(maxAbsDiff(w, pytorchRecipe(a, rows, cols))).toBeLessThan(1e-12);
    });
  }

  it('square: both QᵀQ = I and QQᵀ = I', () => {
    const w = orthogonalize(gaussian(150 * 150, 5), 150, 150);
    expect(orthonormalityError(w, 150, 150)).toBeLessThan(1e-12);
    expect(orthonormalityError(w, 150, 150, true)).toBeLessThan(1e-12);
  });

  it('tall: the sign-fixed Q of householderQR, bit for bit', () => {
    const a = gaussian(300 * 120, 8);
    expect(orthogonalize(a, 300, 120)).toEqual(householderQR(a, 300, 120).q);
  });

  it('wide: the transpose of the tall result for aᵀ, bit for bit', () => {
    const a = gaussian(120 * 300, 9);
    const tall = orthogonalize(transpose(a, 120, 300), 300, 120);
    expect(orthogonalize(a, 120, 300)).toEqual(transpose(tall, 300, 120));
  });

  it('1×n and n×1: a / ‖a‖', () => {
    const a = new Float64Array([3, -4, 12]); // ‖a‖ = 13
    const expected = [3 / 13, -4 / 13, 12 / 13];
    expect(maxAbsDiff(orthogonalize(a, 1, 3), expected)).toBeLessThan(1e-15);
    expect(maxAbsDiff(orthogonalize(a, 3, 1), expected)).toBeLessThan(1e-15);
    expect([...orthogonalize(new Float64Array([-0.5]), 1, 1)]).toEqual([-1]);
  });

  it('documented examples', () => {
    expect(maxAbsDiff(orthogonalize(new Float64Array([3, 4]), 1, 2), [0.6, 0.8])).toBeLessThan(
      1e-15,
    );
    expect([...orthogonalize(new Float64Array([2, 0, 0, -3]), 2, 2)]).toEqual([1, 0, 0, -1]);
  });

  it('zero-size shapes give an empty matrix', () => {
    for (const [rows, cols] of [
      [0, 0],
      [0, 5],
      [5, 0],
    ]) {
      expect(orthogonalize(new Float64Array(0), rows, cols)).toEqual(new Float64Array(0));
    }
  });

  it('zero and rank-deficient matrices: orthonormal, no NaN (sign(0) = +1)', () => {
    for (const [rows, cols] of [
      [6, 4],
      [4, 6],
      [120, 120],
    ]) {
      const zero = orthogonalize(new Float64Array(rows * cols), rows, cols);
      expect(allFinite(zero)).toBe(true);
      expect(orthonormalityError(zero, rows, cols, rows < cols)).toBe(0);
      // Rank 1: every row is a multiple of the first.
      const a = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) a[i * cols + j] = (i + 1) * (j - 1.5);
      const w = orthogonalize(a, rows, cols);
      expect(allFinite(w)).toBe(true);
      expect(orthonormalityError(w, rows, cols, rows < cols)).toBeLessThan(1e-12);
    }
  });

  it('is deterministic', () => {
    const a = gaussian(180 * 140, 77);
    expect(orthogonalize(a, 180, 140)).toEqual(orthogonalize(a, 180, 140));
  });

  describe('bad inputs', () => {
    const cases: [string, () => unknown, ErrorConstructor, string][] = [
      [
        'a an array',
        () => orthogonalize([1] as never, 1, 1),
        TypeError,
        'orthogonalize: `a` must be a Float64Array, got [1]',
      ],
      [
        'a wrong length',
        () => orthogonalize(new Float64Array(5), 2, 3),
        RangeError,
        'orthogonalize: `a` must be a Float64Array of length rows × cols = 6, got Float64Array(5)',
      ],
      [
        'rows negative',
        () => orthogonalize(new Float64Array(0), -2, 0),
        RangeError,
        'orthogonalize: `rows` must be an integer >= 0, got -2',
      ],
      [
        'cols fractional',
        () => orthogonalize(new Float64Array(2), 1, 2.5),
        RangeError,
        'orthogonalize: `cols` must be an integer >= 0, got 2.5',
      ],
      [
        'cols undefined',
        () => orthogonalize(new Float64Array(2), 1, undefined as never),
        TypeError,
        'orthogonalize: `cols` must be an integer, got undefined',
      ],
      [
        'NaN entry',
        () => orthogonalize(new Float64Array([0, 1, Number.NaN, 2]), 2, 2),
        RangeError,
        'orthogonalize: `a[2]` must be a finite number, got NaN',
      ],
      [
        'infinite entries, tall (checked as transposed: the first index named)',
        () => {
          const a = new Float64Array(300 * 200).fill(1);
          a[59999] = Number.NaN;
          a[12345] = Number.NEGATIVE_INFINITY;
          return orthogonalize(a, 300, 200);
        },
        RangeError,
        'orthogonalize: `a[12345]` must be a finite number, got -Infinity',
      ],
      [
        'infinite entry, wide',
        () => {
          const a = new Float64Array(101 * 203).fill(1);
          a[20502] = Number.POSITIVE_INFINITY;
          return orthogonalize(a, 101, 203);
        },
        RangeError,
        'orthogonalize: `a[20502]` must be a finite number, got Infinity',
      ],
    ];
    for (const [name, call, type, message] of cases) {
      it(`${name}: ${type.name}`, () => {
        expect(call).toThrow(type);
        expect(call).toThrow(message);
      });
    }
  });
});
