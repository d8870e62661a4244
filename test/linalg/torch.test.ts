/**
 * orthogonalize against PyTorch 2.13's own `nn.init.orthogonal_` outputs (golden files in
 * ../shared/golden/torch/). The Gaussian input is PyTorch's CPU stream, rebuilt here by a small
 * test-only emulation (MT19937, 24-bit float uniforms, `normal_fill_16` Box–Muller in float32);
 * the library's own `rng: 'torch'` lives in src/random. The emulation uses Math.log/cos/sin, and
 * PyTorch's AVX2 path uses SLEEF: the draws agree to a few float32 ulps, so Q is compared to 1e-5.
 */
import { describe, expect, it } from 'vitest';
import { orthogonalize } from '../../src/linalg/orthogonal.js';
import { torchCase, torchValues } from '../support/golden.js';
import { maxAbsDiff, orthonormalityError } from './util.js';

/** MT19937 seeded as `torch.manual_seed(seed)` (init_genrand), 32-bit outputs. */
function mt19937(seed: number): () => number {
  const mt = new Uint32Array(624);
  let index = 624;
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = (Math.imul(1812433253, p) + i) >>> 0;
  }
  return () => {
    if (index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

/** `torch.empty(size).normal_(0, 1)` for float32 on CPU (`normal_fill`, size ≥ 16). */
function torchRandn(seed: number, size: number): Float32Array {
  const next = mt19937(seed);
  const f = Math.fround;
  const d = new Float32Array(size);
  const uniform = () => (next() & 0xffffff) * 2 ** -24;
  for (let i = 0; i < size; i++) d[i] = uniform();
  const fill16 = (o: number) => {
    for (let j = 0; j < 8; j++) {
      const u1 = f(1 - d[o + j]);
      const u2 = d[o + j + 8];
      const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
      const theta = f(2 * Math.PI * u2);
      d[o + j] = f(radius * f(Math.cos(theta)));
      d[o + j + 8] = f(radius * f(Math.sin(theta)));
    }
  };
  for (let i = 0; i + 15 < size; i += 16) fill16(i);
  if (size % 16 !== 0) {
    const o = size - 16;
    for (let i = 0; i < 16; i++) d[o + i] = uniform();
    fill16(o);
  }
  return d;
}

describe('orthogonalize vs PyTorch 2.13 nn.init.orthogonal_', () => {
  const cases = [
    // w = torch.empty(32, 32); nn.init.orthogonal_(w)  (torch.manual_seed(13))
    { name: 'orthogonal_square', rows: 32, cols: 32, gain: 1 },
    // w = torch.empty(16, 64); nn.init.orthogonal_(w, gain=math.sqrt(2))  (seed 14)
    { name: 'orthogonal_wide', rows: 16, cols: 64, gain: Math.SQRT2 },
  ];
  for (const { name, rows, cols, gain } of cases) {
    it(`${name} (${rows}×${cols}) matches to 1e-5`, () => {
      const c = torchCase(name);
      const expected = torchValues(c.outputs[0].file);
      const q = orthogonalize(Float64Array.from(torchRandn(c.seed, rows * cols)), rows, cols);
      expect(orthonormalityError(q, rows, cols, rows < cols)).toBeLessThan(1e-12);
      expect(
        maxAbsDiff(
          q.map((v) => v * gain),
          expected,
        ),
      ).toBeLessThan(1e-5);
    });
  }
});
