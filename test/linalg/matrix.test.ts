import { describe, expect, it } from 'vitest';
import {
  checkFiniteEntries,
  finiteSum,
  matmul,
  transpose,
  transposeInto,
} from '../../src/linalg/matrix.js';
import { gaussian } from './util.js';

describe('finiteness', () => {
  it('finiteSum and transposeInto: 0 when every entry is finite, NaN otherwise, wherever it is', () => {
    for (const [r, c] of [
      [9, 7],
      [8, 16],
      [1, 5],
    ]) {
      const a = Float64Array.from({ length: r * c }, (_, i) => (i % 5) - 2.5e300 * (i % 2));
      const out = new Float64Array(r * c);
      expect(finiteSum(a)).toBe(0);
      expect(transposeInto(a, r, c, out)).toBe(0);
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        for (const at of [0, r * c - 1, (r * c) >> 1]) {
          const b = Float64Array.from(a);
          b[at] = bad;
          expect(finiteSum(b)).toBeNaN();
          expect(transposeInto(b, r, c, out)).toBeNaN();
          expect(() => checkFiniteEntries('f', 'b', b)).toThrow(`\`b[${at}]\` must be a finite`);
        }
      }
    }
    expect(finiteSum(new Float64Array(0))).toBe(0);
    checkFiniteEntries('f', 'a', new Float64Array([1, 2]), 0); // a known sum: no scan
  });
});

describe('transpose', () => {
  it('transposes the documented example', () => {
    expect([...transpose(new Float64Array([1, 2, 3, 4, 5, 6]), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('is an involution across tile edges (70 × 45)', () => {
    const a = gaussian(70 * 45, 1);
    const t = transpose(a, 70, 45);
    expect(t[3 * 70 + 61]).toBe(a[61 * 45 + 3]);
    expect(transpose(t, 45, 70)).toEqual(a);
  });

  it('is right for every remainder of 8 rows and across strips (1024 columns)', () => {
    for (const [r, c] of [
      [1, 5],
      [7, 3],
      [8, 8],
      [9, 1030],
      [17, 2100],
      [2100, 17],
    ]) {
      const a = gaussian(r * c, r + c);
      const t = transpose(a, r, c);
      let ok = true;
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) ok &&= t[j * r + i] === a[i * c + j];
      expect(ok).toBe(true);
    }
  });

  it('handles zero sizes', () => {
    expect(transpose(new Float64Array(0), 0, 7).length).toBe(0);
  });
});

describe('matmul', () => {
  it('multiplies the documented example', () => {
    const c = matmul(new Float64Array([1, 2, 3, 4]), new Float64Array([5, 6, 7, 8]), 2, 2, 2);
    expect([...c]).toEqual([19, 22, 43, 50]);
  });

  it('handles non-square and zero inner sizes', () => {
    expect([...matmul(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]), 1, 3, 1)]).toEqual([
      32,
    ]);
    expect([...matmul(new Float64Array(0), new Float64Array(0), 2, 0, 2)]).toEqual([0, 0, 0, 0]);
  });
});

describe('bad inputs', () => {
  const cases: [string, () => unknown, ErrorConstructor, string][] = [
    [
      'transpose: a an array',
      () => transpose([1, 2] as never, 1, 2),
      TypeError,
      'transpose: `a` must be a Float64Array, got [1, 2]',
    ],
    [
      'transpose: wrong length',
      () => transpose(new Float64Array(3), 2, 2),
      RangeError,
      'transpose: `a` must be a Float64Array of length rows × cols = 4, got Float64Array(3)',
    ],
    [
      'transpose: negative rows',
      () => transpose(new Float64Array(0), -1, 0),
      RangeError,
      'transpose: `rows` must be an integer >= 0, got -1',
    ],
    [
      'matmul: b wrong length',
      () => matmul(new Float64Array(6), new Float64Array(5), 2, 3, 2),
      RangeError,
      'matmul: `b` must be a Float64Array of length k × n = 6, got Float64Array(5)',
    ],
    [
      'matmul: k a string',
      () => matmul(new Float64Array(0), new Float64Array(0), 0, 'x' as never, 0),
      TypeError,
      'matmul: `k` must be an integer, got "x"',
    ],
  ];
  for (const [name, call, type, message] of cases) {
    it(`${name}: ${type.name}`, () => {
      expect(call).toThrow(type);
      expect(call).toThrow(message);
    });
  }
});
