/**
 * `weightinit bench`: option validation and errors (through the real command), and runs with a
 * tiny benchmark injected (JSON file, JSON on stdout, Markdown). No timed assertions.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { type BenchOptions, runBench } from '../../src/bench/run.js';
import { benchOptions, registerBench } from '../../src/cli/bench.js';
import type { Output } from '../../src/cli/output.js';
import { TINY } from '../bench/small.js';
import { run } from '../support/cli.js';

describe('weightinit bench: options', () => {
  it.each([
    [
      ['--cases', 'uniform,bogus'],
      /--cases must be some of uniform, normal, truncated, orthogonal, workers, startup \(or none\), got "bogus"/,
    ],
    [['--cases', ','], /--cases must list some of/],
    [
      ['--peers', 'tfjs-gpu'],
      /--peers must be some of tfjs-cpu, tfjs-wasm, torch \(or none\), got "tfjs-gpu"/,
    ],
    [['--json', ''], /--json FILE must not be empty/],
    [
      ['--json', '/nonexistent/dir/r.json'],
      /--json FILE: the directory of "\/nonexistent\/dir\/r.json" does not exist/,
    ],
    [['--quick', '--checkpoint-dir', '/tmp'], /need the checkpoint case/],
    [['--no-checkpoint', '--checkpoint-dtype', 'float32'], /need the checkpoint case/],
    [['--bogus'], /unknown option '--bogus'/],
    [
      ['--checkpoint', '/nonexistent/model.json'],
      /--checkpoint must be a model spec file, got "\/nonexistent\/model.json" \(not found\)/,
    ],
    [
      ['--checkpoint-dtype', 'int8'],
      /--checkpoint-dtype must be one of bfloat16, float16, float32, got "int8"/,
    ],
    [
      ['--from', 'x.json', '--quick', '--peers', 'none'],
      /--from prints a saved run: it takes no --quick, --peers/,
    ],
    [['--from', '/nonexistent/results.json'], /--from must be a results file .*ENOENT/],
    [['--from', 'package.json'], /format "weightinit.bench\/1"\), got package.json/],
  ])('%j exits with 2 and a message', async (argv, message) => {
    const r = await run('bench', ...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('defaults: every group and peer, the checkpoint on unless --quick', () => {
    expect(benchOptions({})).toEqual({
      quick: false,
      groups: ['uniform', 'normal', 'truncated', 'orthogonal', 'workers', 'startup'],
      peers: ['tfjs-cpu', 'tfjs-wasm', 'torch'],
      checkpoint: { spec: 'examples/transformer-1b.json' },
    });
    expect(benchOptions({ quick: true }).checkpoint).toBeNull();
    expect(benchOptions({ quick: true, checkpoint: true }).checkpoint).toEqual({
      spec: 'examples/transformer-1b.json',
    });
    expect(
      benchOptions({ checkpoint: 'package.json', checkpointDtype: 'float32' }).checkpoint,
    ).toEqual({
      spec: 'package.json',
      dtype: 'float32',
    });
    expect(benchOptions({ checkpoint: false }).checkpoint).toBeNull();
    expect(benchOptions({ cases: 'workers, uniform,workers', peers: 'none' })).toMatchObject({
      groups: ['workers', 'uniform'],
      peers: [],
    });
  });

  it('--python PATH: the interpreter of the PyTorch peer, which it needs', () => {
    expect(benchOptions({ python: '/usr/bin/python3' }).config).toEqual({
      python: '/usr/bin/python3',
    });
    expect(benchOptions({}).config).toBeUndefined();
    expect(() => benchOptions({ python: 'python3', peers: 'tfjs-cpu' })).toThrow(
      /--python needs the PyTorch peer/,
    );
  });
});

describe('weightinit bench: runs (tiny benchmark injected)', () => {
  /** Runs `weightinit bench …` with the tiny configuration; returns stdout and the options. */
  async function bench(...argv: string[]) {
    const out: string[] = [];
    const seen: BenchOptions[] = [];
    const output: Output = {
      line: (t) => out.push(t),
      json: (v) => out.push(JSON.stringify(v)),
      error: () => {},
      isTTY: false,
    };
    const program = new Command('weightinit').exitOverride();
    registerBench(program, output, (options) => {
      seen.push(options);
      return runBench({ ...options, config: TINY });
    });
    await program.parseAsync(['bench', ...argv], { from: 'user' });
    return { stdout: out.join('\n'), options: seen[0] };
  }

  it('--quick --json FILE: the table on stdout, a well-formed JSON document in FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weightinit-bench-'));
    const file = join(dir, 'results.json');
    const { stdout, options } = await bench('--quick', '--peers', 'tfjs-cpu', '--json', file);
    expect(options).toMatchObject({ quick: true, peers: ['tfjs-cpu'], checkpoint: null });
    expect(stdout).toMatch(/^weightinit \S+ bench --quick/);
    expect(stdout).toMatch(/^M elements\/s, 1 thread +weightinit +initialize +TF.js cpu/m);
    expect(stdout).toMatch(/^targets met: \d+ of \d+ evaluated/m);
    expect(stdout).toContain(`wrote ${file}`);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(doc)).toEqual([
      'format',
      'date',
      'weightinit',
      'machine',
      'quick',
      'method',
      'peers',
      'torchQuoted',
      'cases',
      'checkpoint',
      'targets',
      'seconds',
    ]);
    expect(doc.cases[0]).toMatchObject({
      id: 'uniform 16x8',
      engines: {
        weightinit: {
          median: expect.any(Number),
          best: expect.any(Number),
          reps: expect.any(Number),
          unit: 'M/s',
        },
        'tfjs-cpu': { median: expect.any(Number) },
      },
      ratios: { 'tfjs-cpu': expect.any(Number) },
    });
    expect(readdirSync(dir)).toEqual(['results.json']); // no temporary file left
    // --from prints the saved run again, without running.
    const again = await run('bench', '--from', file, '--markdown');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^\| uniform 16x8 +\|/m);
  });

  it('--json alone prints the document; --markdown prints Markdown tables', async () => {
    const json = await bench('--quick', '--cases', 'orthogonal', '--peers', 'none', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'weightinit.bench/1', quick: true });
    const md = await bench('--quick', '--cases', 'startup', '--peers', 'none', '--markdown');
    expect(md.stdout).toMatch(/^\| start-up, s +\| +wall \| target +\|$/m);
  });
});
