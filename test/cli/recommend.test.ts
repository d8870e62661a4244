import { describe, expect, it } from 'vitest';
import { recommend } from '../../src/recipes/index.js';
import { run } from '../support/cli.js';

describe('weightinit recommend', () => {
  it('prints a table per parameter: strategy, options, reason and paper', async () => {
    const r = await run('recommend', '--layer', 'lstm', '--activation', 'tanh');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('lstm  activation tanh  scheme recommended  layout out-in');
    expect(lines).toContain('input-weight  weight_ih_l0');
    expect(lines).toContain('  strategy  xavier-uniform');
    expect(lines).toContain('recurrent-weight  weight_hh_l0');
    expect(lines).toContain('  i, f, g, o  orthogonal');
    expect(lines).toContain('  i, g, o   zeros');
    expect(lines).toContain('  f         constant  (value 1)');
    expect(r.stdout).toContain('Jozefowicz et al. 2015, "An Empirical Exploration');
    expect(r.stdout).toContain('Saxe et al. 2014');
    expect(r.stdout).toContain('notes\n  - Sizes not given');
  });

  it('--json equals the library’s recommendation', async () => {
    const r = await run(
      'recommend',
      '--layer',
      'lstm',
      '--activation',
      'tanh',
      '--hidden-size',
      '128',
      '--input-size',
      '64',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(
        JSON.stringify(
          recommend({ layer: 'lstm', activation: 'tanh', hiddenSize: 128, inputSize: 64 }),
        ),
      ),
    );
  });

  it('sizes give shapes; layer flags reach the recipe', async () => {
    const r = await run(
      'recommend',
      '--layer',
      'gru',
      '--input-size',
      '3',
      '--hidden-size',
      '4',
      '--num-layers',
      '2',
      '--bidirectional',
      '--no-bias',
      '--gate-order',
      'keras',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'input-weight  weight_ih_l0 [12, 3], weight_ih_l0_reverse [12, 3], weight_ih_l1 [12, 8], weight_ih_l1_reverse [12, 8]',
    );
    expect(r.stdout).toContain('  z, r, h');
    expect(r.stdout).not.toContain('bias_ih');
  });

  it('conv with a kernel per dimension, leaky-relu slope, in-out layout', async () => {
    const r = await run(
      'recommend',
      '--layer',
      'conv2d',
      '--activation',
      'leaky-relu',
      '--slope',
      '0.2',
      '--in-channels',
      '3',
      '--out-channels',
      '16',
      '--kernel-size',
      '3,5',
      '--layout',
      'in-out',
      '--json',
    );
    expect(r.code).toBe(0);
    const [w] = JSON.parse(r.stdout).parameters;
    expect(w.shape).toEqual([3, 5, 3, 16]);
    expect(w.options).toEqual({ nonlinearity: 'leaky-relu', slope: 0.2, layout: 'in-out' });
  });

  it('chrono, torch-default, output and residual flags', async () => {
    const chrono = JSON.parse(
      (await run('recommend', '--layer', 'lstm', '--chrono-t-max', '100', '--json')).stdout,
    );
    expect(
      chrono.parameters.filter((p: { strategy: string }) => p.strategy === 'chrono'),
    ).toHaveLength(2);
    const torch = await run(
      'recommend',
      '--layer',
      'dense',
      '--scheme',
      'torch-default',
      '--in-features',
      '64',
      '--out-features',
      '2',
    );
    expect(torch.stdout).toContain('he-uniform  (slope 2.236)');
    expect(torch.stdout).toContain('uniform  (low -0.125, high 0.125)');
    const out = JSON.parse(
      (await run('recommend', '--layer', 'output', '--zero-init', '--json')).stdout,
    );
    expect(out.parameters[0].strategy).toBe('zeros');
    const fixup = JSON.parse(
      (
        await run(
          'recommend',
          '--layer',
          'residual',
          '--activation',
          'relu',
          '--fixup',
          '--depth',
          '16',
          '--position',
          '1',
          '--json',
        )
      ).stdout,
    );
    expect(fixup.parameters[0].options).toEqual({ gain: Math.SQRT2 / 4 });
  });

  it.each([
    [['--layer', 'dnse'], '`layer` must be a layer: one of "dense"'],
    [['--layer', 'dense', '--activation', 'rleu'], '`activation` must be one of "linear"'],
    [['--layer', 'rnn', '--activation', 'gelu'], 'one of "tanh", "relu" for an rnn layer'],
    [['--layer', 'dense', '--hidden-size', '3'], 'got "hiddenSize"'],
    [['--layer', 'lstm', '--hidden-size', '1.5'], '--hidden-size must be a non-negative integer'],
    [['--layer', 'conv2d', '--kernel-size', '3,x'], '--kernel-size must be a non-negative integer'],
    [['--layer', 'embedding', '--padding-idx', 'a'], '--padding-idx must be an integer'],
    [
      ['--layer', 'dense', '--scheme', 'keras'],
      '`scheme` must be one of "recommended", "torch-default"',
    ],
    [['--activation', 'relu'], "required option '--layer <type>' not specified"],
  ])('usage error %j exits 2', async (args, message) => {
    const r = await run('recommend', ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});
