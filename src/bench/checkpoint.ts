/**
 * The checkpoint benchmark (issue 7): `weightinit init` of a big model spec, against the two
 * things it cannot beat — the time to generate the values, and the time `dd` takes to write as
 * many bytes to the same directory. Node only.
 *
 * - wall: the real command (`dist/cli/main.js`'s `main`, what `bin/weightinit.js` runs) in a
 *   child `node` process, from spawn to exit (Node's start-up included); its peak RSS is the
 *   child's own `process.resourceUsage().maxRSS`, reported on fd 3 by a small wrapper script.
 * - generate: every parameter's values made and encoded through the command's code path
 *   (`DataWindows` and `WindowBuffers`, same chunk size and buffers) with the same worker
 *   pool, in a child `node` process, into reused buffers: no file.
 * - dd: `dd if=/dev/zero of=<dir>/… bs=1M count=<MiB> conv=fsync`, from spawn to exit.
 *
 * `ratio` = wall / max(generate, dd): 1 is as fast as the slower of the two could be.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DataWindows, WindowBuffers } from '../model/materialize.js';
import type { ModelPlan } from '../model/plan.js';
import { plan } from '../model/spec.js';
import { WRITE_BUFFERS, WRITE_CHUNK_ELEMENTS } from '../model/write.js';
import { startWorkerPool, stopWorkerPool, workerPoolReady } from '../random/pool-node.js';
import { checkChoice, checkInteger, checkKnownKeys, typeError } from '../tensor/errors.js';

/** Options of {@link benchCheckpoint}. */
export interface CheckpointBenchOptions {
  /** Path of the model spec (JSON, `weightinit.model/1`). */
  readonly spec: string;
  /** Storage dtype instead of the spec's (`--dtype`). */
  readonly dtype?: 'bfloat16' | 'float16' | 'float32';
  /** Directory the checkpoint and dd's file are written in (default: the OS's temp dir). */
  readonly dir?: string;
  /** Keep the files (in a `weightinit-bench-*` directory under `dir`) instead of deleting them. */
  readonly keep?: boolean;
  /**
   * Rounds of the three measurements, interleaved (default 1): each figure is the best of its
   * rounds (the least disturbed by other work on a shared machine), the peak RSS the largest.
   */
  readonly repeat?: number;
  /**
   * The CLI's main module (default: `dist/cli/main.js` of this package). Tests only.
   * @internal
   */
  readonly cli?: string;
}

/** What {@link benchCheckpoint} measured. Times in seconds, sizes in bytes. */
export interface CheckpointBench {
  /** Parameters of the model. */
  params: number;
  /** Bytes of the checkpoint written (the file's size). */
  bytes: number;
  /** `weightinit init` from spawn to exit. */
  wallSeconds: number;
  /** Generating and encoding every value, no file, with the same workers. */
  generateSeconds: number;
  /** `dd … conv=fsync` of as many bytes (rounded up to MiB) in the same directory. */
  ddSeconds: number;
  /** Peak resident memory of the `weightinit init` process. */
  peakRssBytes: number;
  /** wallSeconds / max(generateSeconds, ddSeconds). */
  ratio: number;
  /** Threads that generate (this one and the pool's workers). */
  workers: number;
  /** The load average (1, 5, 15 minutes) at the end: the machine may be shared. */
  loadAverage: number[];
  /** The load average at the start. */
  loadAverageBefore: number[];
  /** CPU time (user + system, all threads) of the `weightinit init` process. */
  wallCpuSeconds: number;
  /** CPU time of the generation alone (its process, all threads, start-up included). */
  generateCpuSeconds: number;
  /** Rounds measured (each figure the best of them). */
  repeat: number;
}

// The children are CommonJS `-e` scripts that load the ES modules with `import()`: with
// `--input-type=module` the worker pool's eval'd workers (CommonJS source) inherit the flag and
// fail to start.

/** Runs the CLI's `main` and reports its exit code and peak RSS on fd 3. */
const CLI_CHILD = `
(async () => {
  const [url, ...argv] = process.argv.slice(1);
  const { main } = await import(url);
  const code = await main(argv);
  const u = process.resourceUsage();
  const cpuSeconds = (u.userCPUTime + u.systemCPUTime) / 1e6;
  require('node:fs').writeSync(3, JSON.stringify({ code, maxRssKiB: u.maxRSS, cpuSeconds }));
  process.exitCode = code;
})();
`;

/** Times the generation alone (`measureGeneration` of this module) and reports it on fd 3. */
const GENERATE_CHILD = `
(async () => {
  const [url, spec, dtype] = process.argv.slice(1);
  const { measureGeneration } = await import(url);
  const r = await measureGeneration(spec, dtype === '-' ? undefined : dtype);
  const u = process.resourceUsage();
  const cpuSeconds = (u.userCPUTime + u.systemCPUTime) / 1e6;
  require('node:fs').writeSync(3, JSON.stringify({ ...r, cpuSeconds }));
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** A child process's exit code, output and time from spawn to exit (seconds). */
interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly fd3: string;
  readonly seconds: number;
}

function run(command: string, args: readonly string[], fd3 = false): Promise<Ran> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(command, args, {
      stdio: fd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    const text = { stdout: '', stderr: '', fd3: '' };
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (text.stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (text.stderr += d));
    if (fd3) {
      const pipe = child.stdio[3] as NodeJS.ReadableStream;
      pipe.setEncoding('utf8');
      pipe.on('data', (d: string) => (text.fd3 += d));
    }
    child.on('error', fail);
    child.on('close', (code) =>
      done({ code, ...text, seconds: (performance.now() - start) / 1e3 }),
    );
  });
}

/** A module of this package, built: beside this file once built, else in `dist/`. */
function built(path: string): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? `../../dist/${path}` : `../${path}`, here));
}

/** Reads a spec file and plans it, with `dtype` instead of the spec's if given. */
function planFile(specPath: string, dtype: string | undefined): ModelPlan {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>;
  if (dtype !== undefined) spec.dtype = dtype;
  return plan(spec);
}

/**
 * Generates and encodes every value of a spec's plan as `writeCheckpoint` does (same chunk
 * size and buffers, same encoders), on the worker pool as `weightinit init` starts it, with
 * no file; resolves with the seconds it took and the number of threads. Starts and stops the
 * pool: {@link benchCheckpoint} runs it in a fresh process.
 * @internal
 */
export async function measureGeneration(
  specPath: string,
  dtype?: string,
): Promise<{ seconds: number; workers: number }> {
  const p = planFile(specPath, dtype);
  const workers = startWorkerPool();
  await workerPoolReady();
  try {
    const chunk = Math.max(1, Math.min(WRITE_CHUNK_ELEMENTS, p.totalParameters));
    const buffers = new WindowBuffers(p, chunk, WRITE_BUFFERS);
    const windows = new DataWindows(p);
    const start = performance.now();
    for (let k = 0; buffers.fill(windows, k % 2) > 0; k++);
    return { seconds: (performance.now() - start) / 1e3, workers };
  } finally {
    await stopWorkerPool();
  }
}

/**
 * Measures `weightinit init <spec> --out <dir>/…/model.safetensors [--dtype d]` (wall time and
 * peak RSS of the real command in a child process), the time to generate the same values with
 * the same workers and no file, and `dd`'s time to write as many bytes to the same directory;
 * see the module's comment. Each runs in its own process (this one's state, its worker pool
 * included, plays no part). The files are deleted afterwards unless `keep`.
 * Needs the package built (`npm run build`) and `dd` on the PATH.
 * @throws (a rejected promise) TypeError / RangeError for bad options; Error when the command
 *   or dd fails, with its message.
 * @example
 * const r = await benchCheckpoint({ spec: 'examples/transformer-1b.json', dtype: 'bfloat16' });
 * // { params: 1013669888, bytes: 2027360528, wallSeconds: …, ratio: …, peakRssBytes: … }
 */
export async function benchCheckpoint(options: CheckpointBenchOptions): Promise<CheckpointBench> {
  const fn = 'benchCheckpoint';
  if (options === null || typeof options !== 'object')
    typeError(fn, 'options', 'an object', options);
  checkKnownKeys(fn, options, ['spec', 'dtype', 'dir', 'keep', 'repeat', 'cli']);
  if (typeof options.spec !== 'string' || options.spec === '') {
    typeError(fn, 'options.spec', 'the path of a model spec', options.spec);
  }
  if (options.dtype !== undefined) {
    checkChoice(fn, 'options.dtype', options.dtype, ['bfloat16', 'float16', 'float32']);
  }
  const specPath = resolve(options.spec);
  const p = planFile(specPath, options.dtype);

  const repeat =
    options.repeat === undefined ? 1 : checkInteger(fn, 'options.repeat', options.repeat, 1, 100);
  const loadAverageBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const work = mkdtempSync(join(options.dir ?? tmpdir(), 'weightinit-bench-'));
  const out = join(work, 'model.safetensors');
  const ddFile = join(work, 'dd.bin');
  const self = pathToFileURL(built('bench/checkpoint.js')).href;
  const cli = pathToFileURL(options.cli ?? built('cli/main.js')).href;
  const args = ['init', specPath, '--out', out];
  if (options.dtype !== undefined) args.push('--dtype', options.dtype);
  const mib = Math.ceil(p.fileBytes / 2 ** 20);
  const best = { gen: Infinity, genCpu: Infinity, dd: Infinity, wall: Infinity, wallCpu: Infinity };
  let peakRssBytes = 0;
  let workers = 1;
  try {
    // Rounds of the three, interleaved so that each round sees about the same load.
    for (let round = 0; round < repeat; round++) {
      // Generation alone, in a fresh process, on the pool the command starts.
      const dtypeArg = options.dtype ?? '-';
      const gen = await run(
        process.execPath,
        ['-e', GENERATE_CHILD, self, specPath, dtypeArg],
        true,
      );
      if (gen.code !== 0) {
        throw new Error(`${fn}: the generation failed (exit ${gen.code}): ${gen.stderr.trim()}`);
      }
      const g = JSON.parse(gen.fd3) as { seconds: number; cpuSeconds: number; workers: number };
      best.gen = Math.min(best.gen, g.seconds);
      best.genCpu = Math.min(best.genCpu, g.cpuSeconds);
      workers = g.workers;

      // dd, as many bytes (whole MiB), fsynced, in the same directory.
      const ddArgs = ['if=/dev/zero', `of=${ddFile}`, 'bs=1M', `count=${mib}`, 'conv=fsync'];
      const dd = await run('dd', ddArgs);
      if (dd.code !== 0) throw new Error(`${fn}: dd failed (exit ${dd.code}): ${dd.stderr.trim()}`);
      best.dd = Math.min(best.dd, dd.seconds);
      if (!options.keep || round < repeat - 1) rmSync(ddFile, { force: true });

      // The command.
      const r = await run(process.execPath, ['-e', CLI_CHILD, cli, ...args], true);
      if (r.code !== 0) {
        throw new Error(
          `${fn}: weightinit init failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`,
        );
      }
      const c = JSON.parse(r.fd3) as { maxRssKiB: number; cpuSeconds: number };
      best.wall = Math.min(best.wall, r.seconds);
      best.wallCpu = Math.min(best.wallCpu, c.cpuSeconds);
      peakRssBytes = Math.max(peakRssBytes, c.maxRssKiB * 1024);
    }
    return {
      params: p.totalParameters,
      bytes: statSync(out).size,
      wallSeconds: best.wall,
      generateSeconds: best.gen,
      ddSeconds: best.dd,
      peakRssBytes,
      ratio: best.wall / Math.max(best.gen, best.dd),
      workers,
      loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
      loadAverageBefore,
      wallCpuSeconds: best.wallCpu,
      generateCpuSeconds: best.genCpu,
      repeat,
    };
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
}
