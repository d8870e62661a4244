import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { DEFAULT_CHECKPOINT_SPEC } from '../bench/checkpoint-case.js';
import { formatJson } from '../bench/json.js';
import type { BenchOptions } from '../bench/run.js';
import { formatReport } from '../bench/table.js';
import { type BenchDocument, GROUPS, type Group, PEERS, type Peer } from '../bench/types.js';
import { writeFileAtomic } from '../io/file.js';
import { UsageError } from './errors.js';
import type { Output } from './output.js';
import { flagOf } from './parse.js';

/** Runs the benchmark (injected by tests with a smaller one). */
export type RunBench = (options: BenchOptions) => Promise<BenchDocument>;

interface BenchFlags {
  json?: string | true;
  markdown?: boolean;
  quick?: boolean;
  cases?: string;
  peers?: string;
  checkpoint?: string | boolean;
  checkpointDtype?: string;
  checkpointDir?: string;
  from?: string;
  python?: string;
}

/** Parses a comma-separated list of names from `valid` (or `none`). */
export function parseList<T extends string>(flag: string, text: string, valid: readonly T[]): T[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 1 && names[0] === 'none') return [];
  if (names.length === 0)
    throw new UsageError(
      `--${flag} must list some of ${valid.join(', ')} (or none), got "${text}"`,
    );
  for (const n of names) {
    if (!(valid as readonly string[]).includes(n)) {
      throw new UsageError(`--${flag} must be some of ${valid.join(', ')} (or none), got "${n}"`);
    }
  }
  return [...new Set(names)] as T[];
}

/** Storage dtypes of the checkpoint case. */
const CHECKPOINT_DTYPES = ['bfloat16', 'float16', 'float32'];

/**
 * The default model spec: `examples/transformer-1b.json` of the working directory (a checkout),
 * else of this package's checkout, else the name as is (the case then reports it missing).
 */
function defaultSpec(): string {
  if (existsSync(DEFAULT_CHECKPOINT_SPEC)) return DEFAULT_CHECKPOINT_SPEC;
  const own = fileURLToPath(new URL(`../../${DEFAULT_CHECKPOINT_SPEC}`, import.meta.url));
  return existsSync(own) ? own : DEFAULT_CHECKPOINT_SPEC;
}

/** Turns the flags into the benchmark's options. */
export function benchOptions(flags: BenchFlags): BenchOptions {
  const quick = flags.quick ?? false;
  const groups =
    flags.cases === undefined ? GROUPS : parseList<Group>('cases', flags.cases, GROUPS);
  const peers = flags.peers === undefined ? PEERS : parseList<Peer>('peers', flags.peers, PEERS);
  if (flags.json === '') throw new UsageError('--json FILE must not be empty');
  // Checked now: a run takes minutes, its results must have somewhere to go.
  if (typeof flags.json === 'string' && !existsSync(dirname(resolve(flags.json)))) {
    throw new UsageError(`--json FILE: the directory of "${flags.json}" does not exist`);
  }
  // --checkpoint [spec] turns it on, --no-checkpoint off; by default on, except with --quick.
  const on = flags.checkpoint === undefined ? !quick : flags.checkpoint !== false;
  const spec = typeof flags.checkpoint === 'string' ? flags.checkpoint : defaultSpec();
  if (!on && (flags.checkpointDtype !== undefined || flags.checkpointDir !== undefined)) {
    throw new UsageError(
      '--checkpoint-dtype and --checkpoint-dir need the checkpoint case (--checkpoint)',
    );
  }
  // Checked now rather than after minutes of the other cases.
  if (on && typeof flags.checkpoint === 'string' && !existsSync(spec)) {
    throw new UsageError(`--checkpoint must be a model spec file, got "${spec}" (not found)`);
  }
  const dtype = flags.checkpointDtype;
  if (dtype !== undefined && !CHECKPOINT_DTYPES.includes(dtype)) {
    throw new UsageError(
      `--checkpoint-dtype must be one of ${CHECKPOINT_DTYPES.join(', ')}, got "${dtype}"`,
    );
  }
  const checkpoint = on
    ? {
        spec,
        ...(flags.checkpointDtype === undefined ? {} : { dtype: flags.checkpointDtype }),
        ...(flags.checkpointDir === undefined ? {} : { dir: flags.checkpointDir }),
      }
    : null;
  if (flags.python !== undefined && !peers.includes('torch'))
    throw new UsageError('--python needs the PyTorch peer (--peers with torch)');
  return {
    quick,
    groups,
    peers,
    checkpoint,
    ...(flags.python === undefined ? {} : { config: { python: flags.python } }),
  };
}

/**
 * A results file written by `--json FILE`.
 * @throws UsageError when it is not one.
 */
async function readResults(file: string): Promise<BenchDocument> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `--from must be a results file of weightinit bench --json FILE: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if ((doc as { format?: unknown } | null)?.format !== 'weightinit.bench/1') {
    throw new UsageError(
      `--from must be a results file of weightinit bench --json FILE (format "weightinit.bench/1"), got ${file}`,
    );
  }
  return doc as BenchDocument;
}

/** The `bench` subcommand: weightinit against TF.js (and PyTorch when importable). */
export function registerBench(
  program: Command,
  o: Output,
  run: RunBench = async (options) => (await import('../bench/run.js')).runBench(options),
): void {
  program
    .command('bench')
    .description(
      'benchmark against the peers: weightinit, TensorFlow.js cpu and wasm, PyTorch when `import torch` works (medians, ratios, the targets, the checkpoint case)',
    )
    .option('--json [file]', 'write the results as JSON to FILE (without FILE: print them as JSON)')
    .option('--markdown', 'print the tables as Markdown (for the README)')
    .option('--quick', 'the small shapes, shorter budgets, no checkpoint (unless --checkpoint)')
    .option(
      '--cases <groups>',
      `groups of cases, comma-separated: ${GROUPS.join(', ')} (default all)`,
    )
    .option('--peers <peers>', `peers, comma-separated: ${PEERS.join(', ')}, or none (default all)`)
    .option(
      '--python <path>',
      'the Python that runs PyTorch (default: the first of python3, /usr/bin/python3 that imports torch)',
    )
    .option(
      '--checkpoint [spec]',
      `the checkpoint case on a model spec (default ${DEFAULT_CHECKPOINT_SPEC}; on unless --quick)`,
    )
    .option('--no-checkpoint', 'skip the checkpoint case')
    .option('--checkpoint-dtype <dtype>', "the checkpoint's dtype (default the spec's)")
    .option(
      '--checkpoint-dir <dir>',
      'where the checkpoint is written (default a temporary directory)',
    )
    .option(
      '--from <file>',
      'print the tables of a saved results file (from --json FILE) instead of running',
    )
    .action(async (flags: BenchFlags) => {
      if (flags.from !== undefined) {
        const clash = [
          'json',
          'quick',
          'cases',
          'peers',
          'checkpoint',
          'checkpointDtype',
          'checkpointDir',
          'python',
        ]
          .filter((k) => flags[k as keyof BenchFlags] !== undefined)
          .map(flagOf);
        if (clash.length > 0)
          throw new UsageError(`--from prints a saved run: it takes no ${clash.join(', ')}`);
        o.line(formatReport(await readResults(flags.from), flags.markdown ?? false));
        return;
      }
      const options = benchOptions(flags);
      const progress = o.isTTY && flags.json !== true ? (line: string) => o.error(line) : undefined;
      const doc = await run({ ...options, ...(progress ? { progress } : {}) });
      if (typeof flags.json === 'string') {
        const text = formatJson(doc);
        await writeFileAtomic(flags.json, new TextEncoder().encode(text));
      }
      if (flags.json === true) o.json(doc);
      else {
        o.line(formatReport(doc, flags.markdown ?? false));
        if (typeof flags.json === 'string') o.line(`wrote ${flags.json}`);
      }
    });
}
