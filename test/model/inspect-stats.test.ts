import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/index.js';
import {
  MAX_HASHED_UNITS,
  ORTHOGONAL_SAMPLE_ELEMENTS,
  TensorAccumulator,
} from '../../src/model/inspect-stats.js';
import type { Layout } from '../../src/tensor/fans.js';

/** Pushes `data` in chunks of `step` values. */
function accumulate(
  shape: number[],
  data: Float32Array | Float64Array,
  step = data.length,
  layout: Layout = 'out-in',
): TensorAccumulator {
  const acc = new TensorAccumulator(shape, layout);
  for (let i = 0; i < data.length; i += step) acc.push(data.subarray(i, i + step));
  return acc;
}

/** Reference moments by two passes in float64. */
function reference(data: ArrayLike<number>) {
  const xs = Array.from(data).filter(Number.isFinite);
  const n = xs.length;
  const mean = xs.reduce((a, x) => a + x, 0) / n;
  const m = (k: number) => xs.reduce((a, x) => a + (x - mean) ** k, 0) / n;
  return {
    mean,
    std: Math.sqrt(m(2)),
    skewness: m(3) / m(2) ** 1.5,
    kurtosis: m(4) / m(2) ** 2,
  };
}

describe('TensorAccumulator: moments', () => {
  const data = initialize({ name: 'normal', seed: 3, mean: 0.7, std: 2 }, [50, 41]).data;

  it.each([1, 7, 64, 1000, 2050])(
    'chunks of %i values give the two-pass moments (1e-12)',
    (step) => {
      const s = accumulate([50, 41], data, step).stats();
      const r = reference(data);
      for (const k of ['mean', 'std', 'skewness', 'kurtosis'] as const) {
        expect(Math.abs(s[k] - r[k])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(r[k])));
      }
      expect(s.count).toBe(2050);
      expect(s.min).toBe(Math.min(...data));
      expect(s.max).toBe(Math.max(...data));
    },
  );

  it('stays exact when the mean is far from the spread or the first value is an outlier', () => {
    const far = initialize(
      { name: 'normal', seed: 4, mean: 1000, std: 1e-3, dtype: 'float64' },
      [4000],
    ).data;
    const outlier = Float64Array.from(initialize({ name: 'normal', seed: 5 }, [3000]).data);
    outlier[0] = 1e6;
    for (const data of [far, outlier]) {
      for (const step of [100, 4000]) {
        const s = accumulate([data.length], data, step).stats();
        const r = reference(data);
        for (const k of ['mean', 'std', 'skewness', 'kurtosis'] as const) {
          // 1000 ± 0.001 in float64 keeps ~10 digits of the deviations: 1e-7 is what the data holds.
          expect(Math.abs(s[k] - r[k])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(r[k])));
        }
      }
    }
  });

  it('counts zeros (−0 too), NaN and ±Infinity, and leaves the non-finite out', () => {
    const x = new Float32Array([
      0,
      -0,
      1,
      Number.NaN,
      2,
      Number.POSITIVE_INFINITY,
      -3,
      Number.NEGATIVE_INFINITY,
    ]);
    const s = accumulate([8], x, 3).stats();
    expect(s).toMatchObject({
      count: 8,
      finite: 5,
      nan: 1,
      infinite: 2,
      zeroFraction: 0.25,
      min: -3,
      max: 2,
    });
    expect(s.mean).toBeCloseTo(0, 15);
    expect(s.std).toBeCloseTo(Math.sqrt(14 / 5), 14);
  });

  it('a constant has std 0 exactly and no kurtosis; nothing finite gives NaN', () => {
    const s = accumulate([3, 3], new Float32Array(9).fill(0.1), 2).stats();
    expect(s).toMatchObject({ std: 0, min: s.max });
    expect(s.kurtosis).toBeNaN();
    const nan = accumulate([2], new Float32Array([Number.NaN, Number.NaN])).stats();
    expect(nan.mean).toBeNaN();
    expect(nan.finite).toBe(0);
  });

  it('refuses values past the end of the tensor', () => {
    const acc = new TensorAccumulator([2, 2], 'out-in');
    acc.push(new Float32Array(3));
    expect(() => acc.push(new Float32Array(2))).toThrow(
      /`values` must end within the tensor's 4 elements, got 5/,
    );
  });
});

describe('TensorAccumulator: identical units', () => {
  it('finds repeated rows (out-in) and columns (in-out), in float32 and float64, any chunking', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const w = initialize({ name: 'he-normal', seed: 1, dtype }, [20, 30]).data;
      w.copyWithin(17 * 30, 4 * 30, 5 * 30); // row 17 = row 4
      for (const step of [1, 13, 600]) {
        expect(accumulate([20, 30], w, step).checks().identicalUnits).toEqual({
          along: 'rows',
          units: 20,
          duplicates: 1,
          example: [4, 17],
          zeroUnits: 0,
        });
      }
      // In in-out the units are the columns: all distinct here.
      expect(accumulate([20, 30], w, 7, 'in-out').checks().identicalUnits).toMatchObject({
        along: 'columns',
        units: 30,
        duplicates: 0,
      });
    }
  });

  it('−0 equals 0, and all-zero units are counted', () => {
    const w = new Float32Array([1, 2, 0, 0, -0, 0, 1, 2, 0, -0, 3, 4]);
    expect(accumulate([6, 2], w, 5).checks().identicalUnits).toEqual({
      along: 'rows',
      units: 6,
      duplicates: 3, // rows 2 and 4 repeat row 1, row 3 repeats row 0
      example: [1, 2],
      zeroUnits: 3,
    });
  });

  it('does not apply to 1-D tensors or a single unit; skipped above the limit', () => {
    expect(accumulate([5], new Float32Array(5)).checks().identicalUnits).toBeNull();
    expect(accumulate([1, 5], new Float32Array(5)).checks().identicalUnits).toBeNull();
    const huge = new TensorAccumulator([MAX_HASHED_UNITS + 1, 1], 'out-in').checks();
    expect(huge.identicalUnits).toEqual({
      skipped: `${MAX_HASHED_UNITS + 1} units: more than the ${MAX_HASHED_UNITS} hashed at most`,
    });
  });
});

describe('TensorAccumulator: pattern', () => {
  it('identity: g·I, square or not, any chunking; one deviation breaks it', () => {
    for (const shape of [
      [6, 6],
      [4, 9],
      [9, 4],
    ]) {
      const eye = initialize({ name: 'identity', gain: 2 }, shape).data;
      for (const step of [1, 5, 100]) {
        expect(accumulate(shape, eye, step).checks().pattern).toEqual({
          kind: 'identity',
          value: 2,
        });
      }
      const off = Float32Array.from(eye);
      off[1] = 1e-30;
      expect(accumulate(shape, off).checks().pattern).toBeNull();
      const diag = Float32Array.from(eye);
      diag[
        diag.length -
          1 -
          (shape[0] > shape[1] ? (shape[0] - shape[1]) * shape[1] : shape[1] - shape[0])
      ] = 3;
      expect(accumulate(shape, diag).checks().pattern).toBeNull();
    }
    expect(accumulate([3, 3], new Float32Array(9)).checks().pattern).toBeNull();
  });

  it('dirac in both layouts', () => {
    const w = initialize({ name: 'dirac' }, [8, 4, 3, 3]).data;
    expect(accumulate([8, 4, 3, 3], w, 7).checks().pattern).toEqual({ kind: 'dirac', value: 1 });
    const k = initialize({ name: 'dirac', layout: 'in-out' }, [3, 3, 4, 8]).data;
    expect(accumulate([3, 3, 4, 8], k, 7, 'in-out').checks().pattern).toEqual({
      kind: 'dirac',
      value: 1,
    });
    expect(accumulate([3, 3, 4, 8], k, 7, 'out-in').checks().pattern).toBeNull();
  });
});

describe('TensorAccumulator: orthogonality', () => {
  it('orthogonal matrices have a residual near the rounding; i.i.d. ones near 1 or more', () => {
    for (const shape of [
      [64, 64],
      [16, 100],
      [300, 20],
      [8, 4, 3, 3],
    ]) {
      const q = initialize({ name: 'orthogonal', seed: 2, gain: 3 }, shape).data;
      const o = accumulate(shape, q, 37).checks().orthogonality;
      expect(o).toMatchObject({ along: shape[0] <= q.length / shape[0] ? 'rows' : 'columns' });
      if (o === null || !('residual' in o)) throw new Error('no check');
      expect(o.residual).toBeLessThan(1e-5);
      expect(o.gain).toBeCloseTo(3, 5);
      const w = initialize({ name: 'he-normal', seed: 2 }, shape).data;
      const r = accumulate(shape, w, 37).checks().orthogonality;
      if (r === null || !('residual' in r)) throw new Error('no check');
      expect(r.residual).toBeGreaterThan(0.5);
    }
  });

  it('samples at most 64 lines; skipped when two lines do not fit', () => {
    const o = accumulate([200, 300], new Float32Array(60000).fill(1)).checks().orthogonality;
    expect(o).toMatchObject({ lines: 64, along: 'rows' });
    const long = new TensorAccumulator([2, ORTHOGONAL_SAMPLE_ELEMENTS], 'out-in').checks();
    expect(long.orthogonality).toEqual({
      skipped: `lines of ${ORTHOGONAL_SAMPLE_ELEMENTS} elements: more than the ${ORTHOGONAL_SAMPLE_ELEMENTS / 2} that fit two sampled lines`,
    });
    expect(accumulate([1, 9], new Float32Array(9)).checks().orthogonality).toBeNull();
  });
});
