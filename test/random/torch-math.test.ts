/**
 * The math under the PyTorch streams: MT19937 reference outputs, the fdlibm ports (sin, cos,
 * erf, log1p) against V8's own fdlibm ports and stdlib's erf, and the float32 Cephes log/sincos
 * of PyTorch's AVX2 kernel against the true functions.
 */
import erfRef from '@stdlib/math-base-special-erf';
import { describe, expect, it } from 'vitest';
import { cos, erf, log1p, MT19937, sin } from '../../src/random/index.js';
import { cephesLog, cephesSincos, sincosOut } from '../../src/random/torch/cephes.js';
import { lcg, ulps } from '../support/numeric.js';

describe('MT19937', () => {
  it('gives the reference outputs of mt19937ar / std::mt19937', () => {
    const g = new MT19937(5489);
    const first = [g.random(), g.random(), g.random()];
    expect(first).toEqual([3499211612, 581869302, 3890346734]);
    // C++11 [rand.predef]: the 10000th output of a default-constructed mt19937 is 4123659995
    for (let i = 4; i < 10000; i++) g.random();
    expect(g.random()).toBe(4123659995);
  });

  it('random53 is (first & (2^21 − 1))·2^32 + second', () => {
    const a = new MT19937(42);
    const b = new MT19937(42);
    for (let i = 0; i < 1000; i++) {
      const hi = b.random();
      const lo = b.random();
      expect(a.random53()).toBe((hi % 2 ** 21) * 2 ** 32 + lo);
    }
  });
});

describe('fdlibm ports', () => {
  it('sin and cos are within 1 ulp of Math.sin / Math.cos on [0, 2π) and beyond', () => {
    const r = lcg(3);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i % 2 ? r() * 2 * Math.PI : (r() - 0.5) * 2 ** (r() * 40 - 20);
      worst = Math.max(worst, ulps(sin(x), Math.sin(x)), ulps(cos(x), Math.cos(x)));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(sin(2 ** 21 * Math.PI)).toBeNaN(); // beyond the medium reduction
  });

  it('erf equals stdlib’s fdlibm erf, log1p is within 1 ulp of Math.log1p', () => {
    const r = lcg(5);
    let worst = 0;
    let differ = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = (r() - 0.5) * 14;
      if (!Object.is(erf(x), erfRef(x))) differ++;
      const y = i % 2 ? r() - 1 : 2 ** (r() * 80 - 60);
      worst = Math.max(worst, ulps(log1p(y), Math.log1p(y)));
    }
    expect(differ).toBe(0);
    expect(worst).toBeLessThanOrEqual(1);
    expect([erf(0), erf(Number.POSITIVE_INFINITY), erf(Number.NEGATIVE_INFINITY)]).toEqual([
      0, 1, -1,
    ]);
    expect(log1p(-1)).toBe(Number.NEGATIVE_INFINITY);
    expect(log1p(-2)).toBeNaN();
  });
});

describe('Cephes float32 log and sincos (PyTorch avx_mathfun.h)', () => {
  it('log is within 2 float32 ulps of the true log on (0, 1] (1 − a 24-bit uniform)', () => {
    let worst = 0;
    for (let k = 0; k < 2 ** 24; k += 97) {
      const u = 1 - k * 2 ** -24;
      const got = cephesLog(u);
      if (got !== Math.fround(got)) worst = Number.POSITIVE_INFINITY;
      const want = Math.log(u);
      if (want !== 0) worst = Math.max(worst, Math.abs(got - want) / (2 ** -23 * Math.abs(want)));
    }
    expect(cephesLog(1)).toBe(0);
    expect(worst).toBeLessThan(2);
  });

  it('sin and cos are within 2^-22 of the true values on [0, 2π)', () => {
    let worst = 0;
    for (let k = 0; k < 2 ** 24; k += 61) {
      const theta = Math.fround(Math.fround(2 * Math.PI) * k * 2 ** -24);
      cephesSincos(theta);
      worst = Math.max(
        worst,
        Math.abs(sincosOut.sin - Math.sin(theta)),
        Math.abs(sincosOut.cos - Math.cos(theta)),
      );
    }
    expect(worst).toBeLessThan(2 ** -22);
  });
});
