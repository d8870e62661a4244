import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/index.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { DAMAGED, pytorchLikeFile } from '../fixtures/inspect/files.js';
import { run } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'weightinit-inspect-'));
const put = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

const model = () =>
  put(
    'model.safetensors',
    encodeSafetensors(
      {
        'fc1.weight': initialize({ name: 'xavier-uniform', seed: 0 }, [64, 128]),
        'fc1.bias': initialize({ name: 'zeros' }, [64]),
        'fc2.weight': initialize({ name: 'zeros' }, [10, 64]),
      },
      { format: 'pt' },
    ),
  );

describe('weightinit inspect', () => {
  it('prints a table per tensor with the scheme and its confidence, warnings under their row, and a summary', async () => {
    const file = model();
    const r = await run('inspect', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /model\.safetensors {2}\d+ bytes, header \d+ bytes, layout out-in, metadata format=pt$/,
    );
    expect(lines[1]).toMatch(/^name +shape +dtype +mean +std +min +max +zeros +scheme$/);
    expect(lines[2]).toMatch(
      /^fc1\.weight +\[64, 128\] +F32 +-?[\d.e-]+ +0\.10\d+ +-0\.17\d+ +0\.17\d+ +0% +xavier-uniform (>99\.9|99\.[89])%$/,
    );
    expect(lines[3]).toMatch(/^fc1\.bias +\[64\] +F32 +0 +0 +0 +0 +100% +zeros 100%$/);
    expect(lines[4]).toMatch(/^fc2\.weight +\[10, 64\] .* zeros 100%$/);
    expect(lines[5]).toBe(
      '  ! every element is 0: no symmetry breaking (all units compute the same function and get the same gradient, so they stay equal; harmless only in an output layer, whose units get different targets)',
    );
    expect(lines[6]).toBe(
      '3 tensors (3 inspected, 0 skipped), 8896 parameters, 1 warning; schemes: zeros 2, xavier-uniform 1',
    );
  });

  it('--json gives the full report', async () => {
    const file = model();
    const r = await run('inspect', file, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.file).toBe(file);
    expect(report.layout).toBe('out-in');
    expect(report.metadata).toEqual({ format: 'pt' });
    const fc1 = report.tensors[0];
    expect(fc1).toMatchObject({
      name: 'fc1.weight',
      dtype: 'F32',
      shape: [64, 128],
      fans: { fanIn: 128, fanOut: 64 },
      scheme: { scheme: 'xavier-uniform', distribution: 'uniform' },
      warnings: [],
    });
    expect(fc1.expectedStd.xavier).toBeCloseTo(Math.sqrt(2 / 192), 15);
    expect(fc1.runnerUp.scheme).toBeTypeOf('string');
    expect(fc1.checks.orthogonality.residual).toBeGreaterThan(0.5);
    expect(report.summary).toMatchObject({ tensors: 3, warnings: 1 });
  });

  it('--layout in-out reads Keras [in, out] weights', async () => {
    const w = initialize({ name: 'he-normal', seed: 1, layout: 'in-out' }, [128, 64]);
    const file = put('keras.safetensors', encodeSafetensors({ kernel: w }));
    const keras = JSON.parse((await run('inspect', file, '--layout', 'in-out', '--json')).stdout);
    expect(keras.tensors[0].scheme.scheme).toBe('he-normal');
    const torch = JSON.parse((await run('inspect', file, '--json')).stdout);
    expect(torch.tensors[0].scheme.scheme).toBe('lecun-normal');
  });

  it('lists a PyTorch file’s I64 counter as skipped', async () => {
    const r = await run('inspect', put('pt.safetensors', pytorchLikeFile()));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /bn\.num_batches_tracked +\[\] +I64 +\(skipped: I64 is not a float dtype \(F32, F64, F16, BF16\): listed, not inspected\)/,
    );
    expect(r.stdout).toMatch(/ortho\.weight .* orthogonal\(gain=1\) >99\.9%$/m);
    expect(r.stdout).toMatch(
      /lstm\.bias_hh_l0 .* torch-rnn-default\(low=-0\.3536, high=0\.3536\) \(=torch-default\) /,
    );
    expect(r.stdout).toContain('16 tensors (15 inspected, 1 skipped), 6217 parameters, 0 warnings');
  });

  it('examples/model.json as init writes it: LSTM recurrent weights read orthogonal per gate block', async () => {
    const out = join(dir, 'example.safetensors');
    expect((await run('init', 'examples/model.json', '--out', out)).code).toBe(0);
    const r = await run('inspect', out);
    expect(r.code).toBe(0);
    // Four independent 128×128 orthogonal blocks (i, f, g, o), not one 512×128 of gain 2.
    for (const name of ['l0', 'l0_reverse', 'l1', 'l1_reverse']) {
      expect(r.stdout).toMatch(
        new RegExp(
          `^rnn\\.weight_hh_${name} +\\[512, 128\\] .* orthogonal\\(blocks=4, gain=1\\) >99\\.9%$`,
          'm',
        ),
      );
    }
    expect(r.stdout).not.toMatch(/orthogonal\(gain=2\)/);
    expect(r.stdout).toMatch(/schemes: zeros 9, orthogonal\(blocks=4, gain=1\) 4, /);
    const json = JSON.parse((await run('inspect', out, '--json')).stdout);
    const hh = json.tensors.find((t: { name: string }) => t.name === 'rnn.weight_hh_l0');
    expect(hh.scheme).toMatchObject({ scheme: 'orthogonal(blocks=4, gain=1)', blocks: 4 });
    expect(hh.scheme.spec).toBeUndefined();
    expect(hh.scheme.noSpec).toMatch(/^no src\/init spec makes 4 independent orthogonal blocks/);
    expect(hh.checks.blockOrthogonality).toMatchObject({ blocks: 4, size: 128, stacked: 'rows' });
  });

  it('exit 2 for bad usage', async () => {
    const bad = await run('inspect', model(), '--layout', 'keras');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--layout must be one of "out-in", "in-out", got "keras"');
    expect((await run('inspect')).code).toBe(2);
  });

  it.each(DAMAGED.filter((_, i) => i % 3 === 0))(
    'exit 1 for a damaged file ($what), naming the file and the damage',
    async ({ bytes, error }) => {
      const file = put('bad.safetensors', bytes());
      const r = await run('inspect', file);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `weightinit: openSafetensors: ${JSON.stringify(file)} is not a valid safetensors file: `,
      );
      expect(r.stderr).toMatch(error);
    },
  );

  it('exit 1 for a missing file', async () => {
    const r = await run('inspect', join(dir, 'nothing.safetensors'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^weightinit: cannot read ".*nothing\.safetensors": ENOENT/);
  });
});
