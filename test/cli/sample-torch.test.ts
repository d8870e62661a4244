/** `weightinit sample … --rng torch` writes PyTorch's own tensor (golden case xavier_uniform). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/io/npy.js';
import { run } from '../support/cli.js';
import { torchCase, torchValues } from '../support/golden.js';

describe('weightinit sample --rng torch', () => {
  it('writes torch.manual_seed(7); nn.init.xavier_uniform_(torch.empty(64, 32)) to .npy', async () => {
    const c = torchCase('xavier_uniform');
    const file = join(mkdtempSync(join(tmpdir(), 'weightinit-cli-')), 'w.npy');
    const r = await run(
      'sample',
      'xavier-uniform',
      '--shape',
      '64,32',
      '--seed',
      '7',
      '--rng',
      'torch',
      '--out',
      file,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('xavier-uniform  shape [64, 32]  float32  seed 7  rng torch');
    const { tensor: t } = decodeNpy(new Uint8Array(readFileSync(file)));
    expect(t.shape).toEqual([64, 32]);
    expect(t.data).toEqual(torchValues(c.outputs[0].file));
  });

  it('records rng torch in the JSON report', async () => {
    const r = await run(
      'sample',
      'normal',
      '--shape',
      '7',
      '--seed',
      '2',
      '--rng',
      'torch',
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.spec).toEqual({ name: 'normal', seed: 2, rng: 'torch' });
    expect(report.measured.max).toBe(Math.max(...torchValues('randn_small.bin')));
  });

  it('refuses --stream with --rng torch (exit 2)', async () => {
    const r = await run('sample', 'normal', '--shape', '4', '--rng', 'torch', '--stream', 'w');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--stream does not apply with --rng torch');
  });
});
