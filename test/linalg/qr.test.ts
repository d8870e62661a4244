import { describe, expect, it } from 'vitest';
import { lapy2, larfg, norm2 } from '../../src/linalg/householder.js';
import { matmul, transpose } from '../../src/linalg/matrix.js';
import {
  geqrfTransposed,
  householderQR,
  orgqrTransposed,
  type QROptions,
} from '../../src/linalg/qr.js';
import { householderQRReference } from '../../src/linalg/reference.js';
import { checkKnownKeys } from '../../src/tensor/errors.js';
import { allFinite, gaussian, maxAbsDiff, orthonormalityError } from './util.js';

describe('larfg (LAPACK dlarfg conventions)', () => {
  it('reflects [3, 4, 0] to β = −5 with τ = 1.6, v = [1, 0.5, 0]', () => {
    const x = new Float64Array([3, 4, 0]);
    const tau = larfg(x, 0, 3, 1);
    expect(tau).toBe(1.6);
    expect([...x]).toEqual([-5, 0.5, 0]);
  });

  it('gives β > 0 when α < 0: [−3, 4] → β = 5, τ = 1.6, v = [1, −0.5]', () => {
    const x = new Float64Array([-3, 4]);
    expect(larfg(x, 0, 2, 1)).toBe(1.6);
    expect([...x]).toEqual([5, -0.5]);
  });

  it('is H = I (τ = 0, β = α) when n = 1 or x = 0', () => {
    const one = new Float64Array([-2]);
    expect(larfg(one, 0, 1, 1)).toBe(0);
    expect(one[0]).toBe(-2);
    const zero = new Float64Array([-7, 0, 0]);
    expect(larfg(zero, 0, 3, 1)).toBe(0);
    expect([...zero]).toEqual([-7, 0, 0]);
  });

  it('follows a stride and leaves the other elements alone', () => {
    const x = new Float64Array([9, 3, 9, 4, 9, 0]);
    expect(larfg(x, 1, 3, 2)).toBe(1.6);
    expect([...x]).toEqual([9, -5, 9, 0.5, 9, 0]);
  });

  it('H·[α, x] = [β, 0] and H is orthogonal, for tiny and huge vectors (no under/overflow)', () => {
    for (const s of [1, 2 ** -1000, 2 ** 1000]) {
      // 2⁻¹⁰⁰⁰: squares underflow and β < 2⁻⁹⁶⁹ (LAPACK's rescaling); 2¹⁰⁰⁰: squares overflow.
      const orig = [0.3, -1.2, 2.5, 0.7].map((v) => v * s);
      const x = new Float64Array(orig);
      const tau = larfg(x, 0, 4, 1);
      const beta = x[0];
      const v = [1, x[1], x[2], x[3]];
      // H·orig = orig − τ v (vᵀ orig) must be [β, 0, 0, 0] (relative to ‖orig‖).
      const vtx = v.reduce((acc, vi, i) => acc + vi * orig[i], 0);
      const hx = orig.map((o, i) => o - tau * v[i] * vtx);
      const norm = Math.abs(beta);
      expect(allFinite([tau, beta, ...v])).toBe(true);
      expect(Math.abs(hx[0] - beta) / norm).toBeLessThan(1e-14);
      for (let i = 1; i < 4; i++) expect(Math.abs(hx[i]) / norm).toBeLessThan(1e-14);
      expect(Math.abs(norm / s - Math.sqrt(0.09 + 1.44 + 6.25 + 0.49))).toBeLessThan(1e-14);
      // Orthogonality of H ⇔ τ (2 − τ ‖v‖²) = 0... i.e. τ‖v‖² = 2.
      const vv = v.reduce((acc, vi) => acc + vi * vi, 0);
      expect(Math.abs(tau * vv - 2)).toBeLessThan(1e-14);
    }
  });

  it('norm2 and lapy2 are exact on Pythagorean triples and safe at the extremes', () => {
    expect(norm2(new Float64Array([3, 4]), 0, 2, 1)).toBe(5);
    expect(norm2(new Float64Array([3e200, 4e200]), 0, 2, 1)).toBeCloseTo(5e200, -186);
    expect(norm2(new Float64Array([3e-200, 4e-200]), 0, 2, 1) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2(new Float64Array(3), 0, 3, 1)).toBe(0);
    expect(lapy2(3, -4)).toBe(5);
    expect(lapy2(3e300, 4e300) / 5e300).toBeCloseTo(1, 14);
    expect(lapy2(0, -2)).toBe(2);
  });
});

/**
 * LAPACK's own output, from NumPy 2.4 with OpenBLAS 0.3.31 (whose dgeqrf/dorgqr are LAPACK's):
 *   h, tau = numpy.linalg.qr(a, mode='raw')   # h = dgeqrf's A, transposed (n × m)
 *   q, r = numpy.linalg.qr(a)                 # dorgqr's Q, before any sign fix
 */
const LAPACK_CASES = [
  {
    name: '5×3',
    m: 5,
    n: 3,
    a: [2, -1, 0, 1, 3, -2, -4, 1, 1, 0, 2, 5, 3, -3, 1],
    h: [
      -5.47722557505166, 0.13373944519429468, -0.5349577807771787, 0.0, 0.401218335582884,
      2.1908902300206647, -4.3817804600413295, -0.09054094760874072, 0.25613020925198937,
      -0.2202407747019325, 0.5477225575051662, -0.1825741858350547, -5.537749241945384,
      0.8948406707824533, 0.13728316881879019,
    ],
    tau: [1.3651483716701107, 1.7820446323790804, 1.0991508268583554],
    q: [
      -0.3651483716701107, 0.045643546458763944, -0.03762057908930274, -0.18257418583505539,
      -0.7759402897989853, 0.36868167507516814, 0.7302967433402215, 0.13693063937629152,
      -0.11286173726790846, -0.0, -0.45643546458763834, -0.8878456665075477, -0.5477225575051662,
      0.4107919181288745, -0.24829582198939884,
    ],
  },
  {
    name: '4×4 with α < 0',
    m: 4,
    n: 4,
    a: [-1, 2, 0, 1, 3, -1, 2, 0, 0, 4, -3, 2, 2, 1, 1, -5],
    h: [
      3.7416573867739413, -0.632690166178602, -0.0, -0.42179344411906794, -0.8017837257372729,
      -4.621378891320518, 0.7415592158030877, 0.40447865548852213, 2.138089935299395,
      2.4420664375539856, 1.8614196042654683, -0.23343486614569925, -2.939873661036668,
      -0.5718763176550477, -1.7823631731962781, -4.225314408808161,
    ],
    tau: [1.2672612419124243, 1.1671927425133577, 1.8966481582231807, 0.0],
    q: [
      -0.2672612419124243, -0.38640291733449145, 0.8139218925987041, -0.34175337130065975,
      0.8017837257372732, 0.07728058346689828, 0.052105375022875156, -0.59030127770114, 0.0,
      -0.8655425348292608, -0.476135323484893, -0.15534244150029997, 0.5345224838248488,
      -0.3091223338675931, 0.32880288376503913, 0.7145752309013801,
    ],
  },
  {
    name: '3×3 with a zero column (τ = 0, R₁₁ = 0)',
    m: 3,
    n: 3,
    a: [1, 0, 2, 2, 0, 1, 2, 0, 0],
    h: [
      -3.0, 0.5, 0.5, 0.0, 0.0, 0.0, -1.333333333333333, -0.6666666666666665, -1.6666666666666665,
    ],
    tau: [1.3333333333333333, 0.0, 0.0],
    q: [
      -0.33333333333333326, -0.6666666666666666, -0.6666666666666666, -0.6666666666666666,
      0.6666666666666667, -0.3333333333333333, -0.6666666666666666, -0.3333333333333333,
      0.6666666666666667,
    ],
  },
];

describe('LAPACK conventions: dgeqrf/dorgqr outputs reproduced', () => {
  for (const c of LAPACK_CASES) {
    for (const blockSize of [1, 2, 64]) {
      it(`${c.name}, blockSize ${blockSize}: reflectors, τ and unsigned Q match LAPACK`, () => {
        const w = transpose(new Float64Array(c.a), c.m, c.n);
        const tau = new Float64Array(c.n);
        geqrfTransposed(w, c.n, c.m, blockSize, tau);
        expect(maxAbsDiff(w, c.h)).toBeLessThan(1e-14);
        expect(maxAbsDiff(tau, c.tau)).toBeLessThan(1e-14);
        orgqrTransposed(w, c.n, c.m, blockSize, tau);
        expect(maxAbsDiff(transpose(w, c.n, c.m), c.q)).toBeLessThan(1e-14);
      });
    }
    it(`${c.name}: householderQR is LAPACK's Q with columns times sign(Rⱼⱼ)`, () => {
      const { q, diagR } = householderQR(new Float64Array(c.a), c.m, c.n);
      const expected = c.q.map((v, i) => {
        const j = i % c.n;
        return c.h[j * c.m + j] < 0 ? -v : v;
      });
      expect(maxAbsDiff(q, expected)).toBeLessThan(1e-14);
      expect(
        maxAbsDiff(diagR, c.h.filter((_, i) => i % (c.m + 1) === 0).map(Math.abs)),
      ).toBeLessThan(1e-14);
    });
  }
});

/** The fast path (asked for R) and the reference, for checks that both must pass. */
const BOTH = [
  (a: Float64Array, m: number, n: number) => householderQR(a, m, n, { r: true }),
  householderQRReference,
];

describe('householderQR', () => {
  it('agrees with Gram–Schmidt on a hand example (unique after the sign fix)', () => {
    // A = [[3, 1], [4, 0], [0, 2]]: q₀ = a₀/5 = (0.6, 0.8, 0), R₀₁ = q₀·a₁ = 0.6,
    // u = a₁ − 0.6 q₀ = (0.64, −0.48, 2), R₁₁ = ‖u‖ = √4.64, q₁ = u / √4.64.
    const a = new Float64Array([3, 1, 4, 0, 0, 2]);
    const r11 = Math.sqrt(4.64);
    const { q, diagR, r } = householderQR(a, 3, 2, { r: true });
    expect(maxAbsDiff(q, [0.6, 0.64 / r11, 0.8, -0.48 / r11, 0, 2 / r11])).toBeLessThan(1e-15);
    expect(maxAbsDiff(diagR, [5, r11])).toBeLessThan(1e-15);
    expect(maxAbsDiff(r!, [5, 0.6, 0, r11])).toBeLessThan(1e-15);
  });

  const shapes: [number, number][] = [
    [1, 1],
    [6, 1],
    [2, 2],
    [7, 7],
    [40, 13],
    [33, 33],
    [64, 64],
    [130, 100],
    [200, 200],
    [257, 96],
  ];
  for (const [m, n] of shapes) {
    it(`${m}×${n} Gaussian: QᵀQ = I, Q·R = A, R upper triangular with diag > 0`, () => {
      const a = gaussian(m * n, 1000 * m + n);
      const copy = Float64Array.from(a);
      const { q, diagR, r } = householderQR(a, m, n, { r: true });
      expect(a).toEqual(copy); // input untouched
      expect(q.length).toBe(m * n);
      expect(orthonormalityError(q, m, n)).toBeLessThan(1e-12);
      expect(maxAbsDiff(matmul(q, r!, m, n, n), a)).toBeLessThan(1e-12 * Math.sqrt(m));
      for (let i = 0; i < n; i++) {
        expect(diagR[i]).toBeGreaterThan(0);
        expect(r![i * n + i]).toBe(diagR[i]);
        for (let j = 0; j < i; j++) expect(r![i * n + j]).toBe(0);
      }
    });

    it(`${m}×${n}: blocked (any block size) equals the unblocked reference to 1e-12`, () => {
      const a = gaussian(m * n, 7 * m + n);
      const ref = householderQRReference(a, m, n);
      for (const blockSize of [undefined, 1, 3, 8, 32, n]) {
        const options: QROptions = blockSize === undefined ? { r: true } : { r: true, blockSize };
        const got = householderQR(a, m, n, options);
        expect(maxAbsDiff(got.q, ref.q)).toBeLessThan(1e-12);
        expect(maxAbsDiff(got.diagR, ref.diagR)).toBeLessThan(1e-12 * Math.sqrt(m));
        expect(maxAbsDiff(got.r!, ref.r!)).toBeLessThan(1e-12 * Math.sqrt(m));
      }
    });
  }

  it('is deterministic: the same input gives the same bits', () => {
    const a = gaussian(150 * 120, 3);
    expect(householderQR(a, 150, 120).q).toEqual(householderQR(a, 150, 120).q);
  });

  it('returns r only when asked', () => {
    const res = householderQR(gaussian(12, 1), 4, 3);
    expect(res.r).toBeUndefined();
    expect('r' in res).toBe(false);
    expect(householderQR(gaussian(12, 1), 4, 3, { r: false }).r).toBeUndefined();
  });

  for (const [m, n] of [
    [5, 3],
    [100, 100],
  ] as const) {
    it(`zero ${m}×${n} matrix: Q = I[:, :n], R = 0, no NaN`, () => {
      for (const qr of BOTH) {
        const { q, diagR, r } = qr(new Float64Array(m * n), m, n);
        const eye = new Float64Array(m * n);
        for (let j = 0; j < n; j++) eye[j * n + j] = 1;
        expect(q).toEqual(eye);
        expect(diagR).toEqual(new Float64Array(n));
        expect(r).toEqual(new Float64Array(n * n));
      }
    });
  }

  it('rank-deficient matrices: Q orthonormal, Q·R = A, no NaN', () => {
    // 120 × 100 of rank 7 (a product of 120×7 and 7×100 Gaussians), plus repeated columns.
    const m = 120;
    const n = 100;
    const a = matmul(gaussian(m * 7, 11), gaussian(7 * n, 12), m, 7, n);
    for (let i = 0; i < m; i++) a[i * n + 50] = a[i * n + 3];
    for (const blockSize of [undefined, 1, 16]) {
      const options: QROptions = blockSize === undefined ? { r: true } : { r: true, blockSize };
      const { q, diagR, r } = householderQR(a, m, n, options);
      expect(allFinite(q) && allFinite(r!)).toBe(true);
      expect(orthonormalityError(q, m, n)).toBeLessThan(1e-12);
      expect(maxAbsDiff(matmul(q, r!, m, n, n), a)).toBeLessThan(1e-11);
      expect(diagR.every((d) => d >= 0)).toBe(true);
    }
  });

  it('is scale-invariant from 1e-300 to 1e300 (no overflow, underflow or NaN)', () => {
    const m = 150;
    const n = 120;
    const a = gaussian(m * n, 21);
    const base = householderQR(a, m, n).q;
    for (const s of [1e-300, 1e-200, 1e200, 1e300]) {
      const scaled = a.map((v) => v * s);
      const { q, diagR } = householderQR(scaled, m, n);
      expect(allFinite(q)).toBe(true);
      expect(maxAbsDiff(q, base)).toBeLessThan(1e-12);
      expect(diagR.every((d) => d > 0 && Number.isFinite(d))).toBe(true);
    }
  });

  it('one column: q = a / ‖a‖, R = ‖a‖', () => {
    const a = new Float64Array([-2, 1, 2]);
    const { q, diagR } = householderQR(a, 3, 1);
    expect(maxAbsDiff(q, [-2 / 3, 1 / 3, 2 / 3])).toBeLessThan(1e-15);
    expect(diagR[0]).toBeCloseTo(3, 15);
  });

  it('1×1: q = sign(a) (sign(0) = +1), R = |a|', () => {
    expect([...householderQR(new Float64Array([-4]), 1, 1).q]).toEqual([-1]);
    expect([...householderQR(new Float64Array([4]), 1, 1).q]).toEqual([1]);
    expect([...householderQR(new Float64Array([0]), 1, 1).q]).toEqual([1]);
  });

  it('zero-size shapes give empty results', () => {
    for (const [m, n] of [
      [0, 0],
      [5, 0],
    ]) {
      for (const qr of BOTH) {
        const { q, diagR, r } = qr(new Float64Array(m * n), m, n);
        expect(q.length).toBe(0);
        expect(diagR.length).toBe(0);
        expect(r!.length).toBe(0);
      }
    }
  });
});

/** The message a helper of errors.ts throws, so the table follows its wording. */
function messageOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('bad inputs', () => {
  const f = (n: number) => new Float64Array(n);
  const cases: [string, () => unknown, ErrorConstructor, string][] = [
    [
      'a not typed',
      () => householderQR([1, 2] as never, 2, 1),
      TypeError,
      'householderQR: `a` must be a Float64Array, got [1, 2]',
    ],
    [
      'a Float32Array',
      () => householderQR(new Float32Array(2) as never, 2, 1),
      TypeError,
      'householderQR: `a` must be a Float64Array, got Float32Array(2)',
    ],
    [
      'a too short',
      () => householderQR(f(5), 3, 2),
      RangeError,
      'householderQR: `a` must be a Float64Array of length m × n = 6, got Float64Array(5)',
    ],
    [
      'm negative',
      () => householderQR(f(0), -1, 0),
      RangeError,
      'householderQR: `m` must be an integer >= 0, got -1',
    ],
    [
      'n fractional',
      () => householderQR(f(3), 2, 1.5),
      RangeError,
      'householderQR: `n` must be an integer >= 0, got 1.5',
    ],
    [
      'm a string',
      () => householderQR(f(3), '3' as never, 1),
      TypeError,
      'householderQR: `m` must be an integer, got "3"',
    ],
    [
      'm NaN',
      () => householderQR(f(3), Number.NaN, 1),
      RangeError,
      'householderQR: `m` must be an integer >= 0, got NaN',
    ],
    [
      'wide',
      () => householderQR(f(6), 2, 3),
      RangeError,
      'householderQR: `n` must be an integer <= m = 2 (for a wide matrix, factor its transpose), got 3',
    ],
    [
      'NaN entry',
      () => householderQR(new Float64Array([1, Number.NaN]), 2, 1),
      RangeError,
      'householderQR: `a[1]` must be a finite number, got NaN',
    ],
    [
      'Infinity entry',
      () => householderQR(new Float64Array([Number.NEGATIVE_INFINITY, 1]), 2, 1),
      RangeError,
      'householderQR: `a[0]` must be a finite number, got -Infinity',
    ],
    [
      'options not an object',
      () => householderQR(f(2), 2, 1, 3 as never),
      TypeError,
      'householderQR: `options` must be an object, got 3',
    ],
    [
      'unknown option',
      () => householderQR(f(2), 2, 1, { blocksize: 4 } as never),
      RangeError,
      messageOf(() => checkKnownKeys('householderQR', { blocksize: 4 }, ['r', 'blockSize'])),
    ],
    [
      'blockSize 0',
      () => householderQR(f(2), 2, 1, { blockSize: 0 }),
      RangeError,
      'householderQR: `options.blockSize` must be an integer >= 1, got 0',
    ],
    [
      'r not boolean',
      () => householderQR(f(2), 2, 1, { r: 1 as never }),
      TypeError,
      'householderQR: `options.r` must be a boolean, got 1',
    ],
    [
      'reference: wrong length',
      () => householderQRReference(f(4), 3, 1),
      RangeError,
      'householderQRReference: `a` must be a Float64Array of length m × n = 3, got Float64Array(4)',
    ],
    [
      'reference: wide',
      () => householderQRReference(f(2), 1, 2),
      RangeError,
      'householderQRReference: `n` must be an integer <= m = 1 (for a wide matrix, factor its transpose), got 2',
    ],
  ];
  for (const [name, call, type, message] of cases) {
    it(`${name}: ${type.name}`, () => {
      expect(call).toThrow(type);
      expect(call).toThrow(message);
    });
  }
});
