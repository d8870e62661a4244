/**
 * `weightinit lab`: one experiment (table, findings, JSON to stdout or a file), the whole lab
 * (findings, times, the report file — with a smaller lab injected, the default one takes a
 * minute), and usage errors (exit 2).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FILE, registerLab } from '../../src/cli/lab.js';
import type { Output } from '../../src/cli/output.js';
import { type LabConfig, type RunOptions, runLab } from '../../src/lab/index.js';
import { SMALL } from '../lab/small.js';
import { run } from '../support/cli.js';

const dir = () => mkdtempSync(join(tmpdir(), 'weightinit-lab-'));

describe('weightinit lab <experiment>', () => {
  it('prints a table of results and the findings', async () => {
    const r = await run('lab', 'rnn', '--steps', '20', '--hidden', '8', '--batch', '4');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^weightinit lab rnn — TF.js \((wasm|cpu)\), \d+\.\d s/);
    expect(r.stdout).toMatch(/orthogonal\s+linear\s+1\b/);
    expect(r.stdout).toMatch(/^✓ rnn {2}linear RNN, orthogonal W/m);
    expect(r.stdout).toMatch(/^ {7}measured \d/m);
    expect(r.stdout).toContain('linear RNN, identity W');
  });

  it('--json prints the report: the same as the library with the same configuration', async () => {
    const r = await run(
      'lab',
      'symmetry',
      '--hidden',
      '4,3',
      '--steps',
      '5',
      '--examples',
      '8',
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.experiment).toBe('symmetry');
    expect(report.version).toBe(1);
    expect(report.config).toMatchObject({ hidden: [4, 3], steps: 5, examples: 8 });
    expect(report.results.map((x: { strategy: string }) => x.strategy)).toEqual([
      'zeros',
      'constant:value=0.1',
      'xavier-uniform',
    ]);
  });

  it('--json FILE writes the report (atomically) and prints the table', async () => {
    const d = dir();
    const file = join(d, 'spectrum.json');
    const r = await run(
      'lab',
      'spectrum',
      '--depths',
      '2',
      '--width',
      '8',
      '--samples',
      '1',
      '--activation',
      'linear,tanh',
      '--sigma-w2',
      'tanh=1.5',
      '--json',
      file,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${file}`);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.config.sigmaW2).toEqual({ linear: 1, tanh: 1.5 });
    expect(report.results).toHaveLength(4);
    expect(readdirSync(d)).toEqual(['spectrum.json']);
  });

  it.each([
    [
      ['lab', 'nope'],
      /experiment must be one of propagation, symmetry, rnn, spectrum, theory, train/,
    ],
    [['lab', 'rnn', '--depth', '3'], /--depth does not apply to rnn/],
    [['lab', '--depth', '3'], /--depth needs an experiment/],
    [['lab', 'propagation', '--depth', 'x'], /--depth must be a non-negative integer/],
    [['lab', 'propagation', '--strategies', 'bogus'], /`name` must be a strategy/],
    [['lab', 'spectrum', '--sigma-w2', 'tanh'], /--sigma-w2 must be name=value pairs/],
    [['lab', 'rnn', '--out', 'x.json'], /--out is for the whole lab/],
    [['lab', '--json', 'x.json'], /--json FILE needs an experiment/],
  ])('%j exits 2 with a message', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('weightinit lab (all experiments)', () => {
  /** Runs `weightinit lab …` with the small lab in place of the default one. */
  async function runAll(...argv: string[]) {
    const out: string[] = [];
    const output: Output = {
      line: (t) => out.push(t),
      json: (v) => out.push(JSON.stringify(v)),
      error: () => {},
      isTTY: false,
    };
    const program = new Command('weightinit').exitOverride();
    const small = (config: LabConfig = {}, options: RunOptions = {}) => {
      expect(config).toEqual({}); // the command asks for the defaults
      return runLab(SMALL, options);
    };
    registerLab(program, output, small);
    await program.parseAsync(['lab', ...argv], { from: 'user' });
    return out.join('\n');
  }

  let d: string;
  beforeAll(() => {
    d = dir();
  });

  it('prints the findings and each experiment’s time, and writes the report', async () => {
    const file = join(d, 'report.json');
    const stdout = await runAll('--out', file);
    expect(stdout).toMatch(/^weightinit lab — 6 experiments on TF.js \((wasm|cpu)\)/);
    for (const name of ['propagation', 'symmetry', 'rnn', 'spectrum', 'theory', 'train'])
      expect(stdout).toMatch(new RegExp(`^${name}\\s+\\d+\\.\\d s\\s+\\d+\\.\\d s$`, 'm'));
    expect(stdout).toMatch(/^total\s+\d+\.\d s/m);
    expect(stdout).toContain(`wrote ${file}`);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.version).toBe(1);
    expect(Object.keys(report.experiments)).toEqual([
      'propagation',
      'symmetry',
      'rnn',
      'spectrum',
      'theory',
      'train',
    ]);
    expect(report.summary.length).toBeGreaterThan(10);
  });

  it('--json prints the whole report', async () => {
    const file = join(d, 'again.json');
    const report = JSON.parse(await runAll('--json', '--out', file));
    expect(report.experiments.rnn.experiment).toBe('rnn');
    expect(existsSync(file)).toBe(true);
  });

  it('writes weightinit-report.json by default', () => {
    expect(REPORT_FILE).toBe('weightinit-report.json');
  });
});
