/**
 * orthogonalize against PyTorch 2.13's own `nn.init.orthogonal_` outputs (golden files in
 * ../shared/golden/torch/). The Gaussian input is PyTorch's CPU stream from the library's
 * `torchSource` (bit for bit PyTorch's draws); Q is compared to 1e-5 because PyTorch's QR is
 * LAPACK's and this one is Householder with another blocking.
 */
import { describe, expect, it } from 'vitest';
import { orthogonalize } from '../../src/linalg/orthogonal.js';
import { torchSource } from '../../src/random/torch/torch-source.js';
import { torchCase, torchValues } from '../support/golden.js';
import { maxAbsDiff, orthonormalityError } from './util.js';

/** `torch.manual_seed(seed); torch.empty(size).normal_(0, 1)` on CPU, float32: the library's torch stream. */
function torchRandn(seed: number, size: number): Float32Array {
  const d = new Float32Array(size);
  torchSource(seed).normal(d, 0, 1);
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
