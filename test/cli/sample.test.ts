import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heNormal, orthogonal } from '../../src/init/index.js';
import { decodeNpy } from '../../src/io/npy.js';
import { readSafetensors } from '../../src/io/safetensors.js';
import { run } from '../support/cli.js';

const dir = () => mkdtempSync(join(tmpdir(), 'weightinit-cli-'));

describe('weightinit sample', () => {
  it('prints a summary with fans, the expected std and the measured figures', async () => {
    const r = await run('sample', 'he-normal', '--shape', '256,128', '--seed', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('he-normal  shape [256, 128]  float32  seed 0');
    expect(r.stdout).toContain('fans      in 128, out 256');
    expect(r.stdout).toContain('expected  mean 0  std 0.125');
    expect(r.stdout).toMatch(/measured {2}mean -?\d.*std 0\.12\d/);
  });

  it('--json gives the report, with values equal to the library', async () => {
    const r = await run(
      'sample',
      'kaiming_normal',
      '--shape',
      '64,32',
      '--seed',
      '7',
      '--stream',
      'fc1.weight',
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.strategy).toBe('he-normal');
    expect(report.fans).toEqual({ fanIn: 32, fanOut: 64 });
    expect(report.expected.std).toBe(Math.sqrt(2) / Math.sqrt(32));
    const lib = heNormal([64, 32], { seed: 7, stream: 'fc1.weight' }).data;
    expect(report.measured.max).toBe(Math.max(...lib));
  });

  it('writes .npy that decodes to the library values', async () => {
    const d = dir();
    const file = join(d, 'w.npy');
    const r = await run(
      'sample',
      'orthogonal',
      '--shape',
      '16,16',
      '--seed',
      '3',
      '--gain',
      '2',
      '--out',
      file,
    );
    expect(r.code).toBe(0);
    const { tensor: t } = decodeNpy(new Uint8Array(readFileSync(file)));
    expect(t.shape).toEqual([16, 16]);
    expect(t.data).toEqual(orthogonal([16, 16], { seed: 3, gain: 2 }).data);
  });

  it('writes .safetensors with one tensor "weight" and the spec in the metadata', async () => {
    const d = dir();
    const file = join(d, 'w.safetensors');
    const r = await run(
      'sample',
      'xavier-uniform',
      '--shape',
      '8,4',
      '--dtype',
      'float64',
      '--out',
      file,
    );
    expect(r.code).toBe(0);
    const st = readSafetensors(new Uint8Array(readFileSync(file)));
    expect(st.tensors.map((t) => t.name)).toEqual(['weight']);
    expect(st.tensors[0].tensor.shape).toEqual([8, 4]);
    expect(st.tensors[0].tensor.data).toBeInstanceOf(Float64Array);
    expect(JSON.parse(st.metadata.spec).name).toBe('xavier-uniform');
  });

  it.each([
    [['sample', 'xavier', '--shape', '2,2'], 'must be a strategy: one of "zeros"'],
    [['sample', 'he-normal'], "required option '--shape <dims>' not specified"],
    [['sample', 'he-normal', '--shape', '2,-1'], '--shape must be non-negative integers'],
    [
      ['sample', 'he-normal', '--shape', '2,2', '--gain', 'abc'],
      '--gain must be a finite number, got "abc"',
    ],
    [
      ['sample', 'he-normal', '--shape', '2,2', '--value', '1'],
      '--value does not apply to he-normal (its options:',
    ],
    [
      ['sample', 'he-normal', '--shape', '2,2', '--seed', '-3'],
      '--seed must be a non-negative integer',
    ],
    [['sample', 'he-normal', '--shape', '2,2', '--bogus', '1'], "unknown option '--bogus'"],
    [['sample', 'he-normal', '--shape', '5'], 'at least 2 dimensions'],
    [
      ['sample', 'he-normal', '--shape', '2,2', '--out', 'x.txt'],
      '--out must end in .npy or .safetensors',
    ],
    [['sample', 'he-normal', '--shape', '2,2', '--rng', 'mt'], '--rng must be one of "philox"'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('usage error %j exits 2 with a message', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('leaves no file behind when writing fails', async () => {
    const d = dir();
    const r = await run(
      'sample',
      'he-normal',
      '--shape',
      '4,4',
      '--out',
      join(d, 'missing-dir', 'w.npy'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENOENT|no such file/i);
    expect(readdirSync(d)).toEqual([]);
  });

  it('a usage error writes nothing', async () => {
    const d = dir();
    const file = join(d, 'w.npy');
    const r = await run('sample', 'he-normal', '--shape', '5', '--out', file);
    expect(r.code).toBe(2);
    expect(existsSync(file)).toBe(false);
  });
});
