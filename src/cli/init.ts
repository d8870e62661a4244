import { readFile, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Command } from 'commander';
import type { ModelPlan } from '../model/plan.js';
import { plan } from '../model/spec.js';
import { writeCheckpoint } from '../model/write.js';
import { startWorkerPool, stopWorkerPool } from '../random/pool-node.js';
import { STORAGE_DTYPES } from '../tensor/dtype.js';
import { UsageError } from './errors.js';
import type { Output } from './output.js';
import { parseInteger } from './parse.js';

interface InitFlags {
  out?: string;
  seed?: string;
  dtype?: string;
  plan?: boolean;
  json?: boolean;
}

/** Where progress goes: the process's stderr, drawn only when it is a terminal. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Checkpoints smaller than this are written without a progress line. */
const PROGRESS_MIN_BYTES = 64 * 2 ** 20;
/**
 * Checkpoints of at least this many parameters are generated on the worker pool (fills of
 * 2²⁰ elements and more are split across threads; starting the workers costs ~0.1 s).
 */
const POOL_MIN_PARAMETERS = 2 ** 24;
/** At most this many progress redraws per second. */
const PROGRESS_INTERVAL_MS = 200;

/** Reads and parses the spec file: an unreadable file or bad JSON is a usage error. */
async function readSpec(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the spec ${JSON.stringify(path)}: ${(error as Error).message}`,
    );
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new UsageError(
      `${path}: a model spec must be a JSON object { "format": "weightinit.model/1", … }`,
    );
  }
  return spec as Record<string, unknown>;
}

/** Checks `--out` before any work: a `.safetensors` name in an existing directory. */
async function checkOut(out: string): Promise<void> {
  if (extname(out).toLowerCase() !== '.safetensors') {
    throw new UsageError(`--out must end in .safetensors, got ${JSON.stringify(out)}`);
  }
  const dir = dirname(out);
  const d = await stat(dir).catch(() => undefined);
  if (d === undefined || !d.isDirectory()) {
    throw new UsageError(`--out: the directory ${JSON.stringify(dir)} does not exist`);
  }
  const f = await stat(out).catch(() => undefined);
  if (f?.isDirectory()) throw new UsageError(`--out: ${JSON.stringify(out)} is a directory`);
}

/** Plans the spec, naming the spec file in validation errors (still exit code 2). */
function planOf(path: string, spec: unknown): ModelPlan {
  try {
    return plan(spec);
  } catch (error) {
    if (error instanceof TypeError) throw new TypeError(`${path}: ${error.message}`);
    if (error instanceof RangeError) throw new RangeError(`${path}: ${error.message}`);
    throw error;
  }
}

/** Bytes for people: 1.23 GB (powers of 1000, like `ls -h --si`). */
function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toPrecision(3)} ${units[u]}`;
}

const count = (n: number) => n.toLocaleString('en-US');

function headline(path: string, p: ModelPlan): string {
  return `${path}: ${p.parameters.length} tensors, ${count(p.totalParameters)} parameters, ${p.dtype} (${formatBytes(p.fileBytes)}), seed ${p.seed}, scheme ${p.scheme}`;
}

function printPlan(o: Output, path: string, p: ModelPlan): void {
  o.line(headline(path, p));
  const rows = [
    ['name', 'shape', 'strategy', 'reason'],
    ...p.parameters.map((q) => [q.name, `[${q.shape.join(', ')}]`, q.strategy, q.reason]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) {
    o.line(
      `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`,
    );
  }
  for (const w of p.warnings) o.line(`warning: ${w}`);
}

/** A progress line redrawn in place on a terminal; `done()` clears it. */
function progressLine(stream: ProgressStream, total: number) {
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(written: number) {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && written < total) return;
      last = now;
      const seconds = (now - start) / 1000;
      const eta = written > 0 ? (seconds * (total - written)) / written : Number.NaN;
      const pct = ((100 * written) / total).toFixed(0).padStart(3);
      stream.write(
        `\rinit ${pct}%  ${formatBytes(written)} / ${formatBytes(total)}  ${seconds.toFixed(1)} s${Number.isFinite(eta) ? `, ${eta.toFixed(0)} s left` : ''}\u001b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}

/**
 * The `init` subcommand: a model spec to a safetensors checkpoint, streamed (bounded memory
 * whatever the model's size) and atomic (written to a temporary name, renamed when
 * complete). Validates the spec and `--out` before any work; `--plan` prints the plan and
 * writes nothing. Progress goes to `progress` (stderr) only when it is a terminal and the
 * checkpoint is big.
 */
export function registerInit(
  program: Command,
  o: Output,
  progress: ProgressStream = process.stderr,
): void {
  program
    .command('init')
    .description(
      'initialize a model from a JSON spec (weightinit.model/1) into a .safetensors checkpoint that load_state_dict takes',
    )
    .argument('<spec>', 'the model spec, a JSON file (schema: schema/model.schema.json)')
    .option('--out <file>', 'the checkpoint to write, FILE.safetensors')
    .option('--seed <n>', "seed (integer >= 0), instead of the spec's")
    .option('--dtype <dtype>', `storage dtype instead of the spec's: ${STORAGE_DTYPES.join(' | ')}`)
    .option('--plan', 'print every parameter with its shape, strategy and reason; write nothing')
    .option('--json', 'print the plan or the result as JSON')
    .action(async (path: string, flags: InitFlags) => {
      const spec = await readSpec(path);
      if (flags.seed !== undefined) spec.seed = parseInteger('seed', flags.seed, true);
      if (flags.dtype !== undefined) {
        if (!(STORAGE_DTYPES as readonly string[]).includes(flags.dtype)) {
          throw new UsageError(
            `--dtype must be one of ${STORAGE_DTYPES.map((d) => `"${d}"`).join(', ')}, got "${flags.dtype}"`,
          );
        }
        spec.dtype = flags.dtype;
      }
      if (flags.out === undefined && !flags.plan) {
        throw new UsageError(
          '--out FILE.safetensors is required (or --plan to print the plan only)',
        );
      }
      if (flags.out !== undefined && !flags.plan) await checkOut(flags.out);
      const p = planOf(path, spec);
      if (flags.plan) {
        if (flags.json) o.json(p);
        else printPlan(o, path, p);
        return;
      }
      const out = flags.out!;
      const line =
        progress.isTTY && p.fileBytes >= PROGRESS_MIN_BYTES
          ? progressLine(progress, p.fileBytes)
          : undefined;
      const start = Date.now();
      // The pool (same bits, more threads) for big checkpoints only; stopped at the end, so
      // that the process can exit and a caller of main() is left as it was.
      const pooled = p.totalParameters >= POOL_MIN_PARAMETERS && startWorkerPool() > 1;
      let bytes: number;
      try {
        bytes = await writeCheckpoint(out, p, { onProgress: line && ((n) => line.update(n)) });
      } finally {
        line?.done();
        if (pooled) await stopWorkerPool();
      }
      const seconds = (Date.now() - start) / 1000;
      if (flags.json) {
        o.json({
          out,
          bytes,
          tensors: p.parameters.length,
          parameters: p.totalParameters,
          dtype: p.dtype,
          seed: p.seed,
          scheme: p.scheme,
          specSha256: p.specSha256,
          seconds,
          warnings: p.warnings,
        });
        return;
      }
      o.line(`${headline(path, p)}`);
      o.line(`wrote ${out} (${count(bytes)} bytes) in ${seconds.toFixed(1)} s`);
      for (const w of p.warnings) o.line(`warning: ${w}`);
    });
}
