/** Deterministic strategies against PyTorch 2.13's own outputs (no randomness involved). */
import { describe, expect, it } from 'vitest';
import { dirac, identity } from '../../src/init/index.js';
import { torchCase, torchValues } from '../support/golden.js';

describe('equal to PyTorch bit for bit', () => {
  it('identity = nn.init.eye_ on a 32×64 weight', () => {
    const c = torchCase('eye'); // w=torch.empty(32, 64); nn.init.eye_(w)
    expect(identity(c.outputs[0].shape).data).toEqual(torchValues(c.outputs[0].file));
  });

  it('dirac = nn.init.dirac_ on an 8×4×3×3 kernel', () => {
    const c = torchCase('dirac'); // w=torch.empty(8, 4, 3, 3); nn.init.dirac_(w)
    expect(dirac(c.outputs[0].shape).data).toEqual(torchValues(c.outputs[0].file));
  });
});
