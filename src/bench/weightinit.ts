/**
 * weightinit's side of the cases: fills into a preallocated array (`prepareSpec(…).fill`),
 * `initialize` (allocating), the worker pool against one thread with a bit-identity check, and
 * the command's start-up as a child process.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initialize, prepareSpec } from '../init/registry.js';
import {
  parallelRunner as linalgRunner,
  setParallelRunner as setLinalgRunner,
} from '../linalg/kernels.js';
import { startWorkerPool, stopWorkerPool, workerPoolReady, workerPoolStats } from '../node.js';
import {
  parallelRunner as randomRunner,
  setParallelRunner as setRandomRunner,
} from '../random/wasm.js';
import type { CaseSpec } from './cases.js';
import { type Budget, measure, median, summarize, timeInterleaved } from './timing.js';
import type { Measured } from './types.js';

/** The spec of a case (seed 0, float32, PyTorch layout). */
function specOf(c: CaseSpec) {
  return { name: c.strategy, seed: 0, dtype: 'float32' };
}

/** Fills a preallocated Float32Array in place, repeatedly. */
export function measureFill(c: CaseSpec, budget: Budget): Measured {
  const prepared = prepareSpec(specOf(c), c.shape);
  const out = new Float32Array(c.elements);
  return measure(() => prepared.fill(out, 0), c.elements, c.unit, budget);
}

/** `initialize(spec, shape)`: validation, allocation and fill, each call. */
export function measureInitialize(c: CaseSpec, budget: Budget): Measured {
  let sink = 0;
  const m = measure(
    () => {
      sink += initialize(specOf(c), c.shape).data.length;
    },
    c.elements,
    c.unit,
    budget,
  );
  if (sink < 0) throw new Error('unreachable');
  return m;
}

/** True when two typed arrays hold the same bytes. */
export function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return Buffer.compare(x, y) === 0;
}

/** One thread, then the worker pool; and whether both give the same bits. */
export interface WorkersResult {
  readonly one: Measured;
  readonly workers: Measured;
  readonly threads: number;
  readonly bitIdentical: boolean;
  /** Tasks the pool's workers ran (0: the pool took no part, e.g. it could not start). */
  readonly poolTasks: number;
}

/** Runs `fn` on this thread alone: both pools (samplers, QR) stay started but set aside. */
export function onOneThread<T>(fn: () => T): T {
  const [random, min] = randomRunner();
  const [linalg, minSize, minWork] = linalgRunner();
  setRandomRunner(null);
  setLinalgRunner(null);
  try {
    return fn();
  } finally {
    setRandomRunner(random, min);
    setLinalgRunner(linalg, minSize, minWork);
  }
}

/**
 * The worker pool (`startWorkerPool({ threads })` of `weightinit/node`: the samplers' and the
 * QR's workers) against one thread on the same fill, timed in turn call by call (the pool
 * started, set aside for the one-thread calls), and whether the outputs are bit-identical. The
 * pool is stopped afterwards (other cases run on one thread). `minElements` lowers the
 * samplers' threshold (for tests on small shapes).
 */
export async function measureWorkers(
  c: CaseSpec,
  budget: Budget,
  threads: number,
  minElements?: number,
): Promise<WorkersResult> {
  const prepared = prepareSpec(specOf(c), c.shape);
  const one = new Float32Array(c.elements);
  const many = new Float32Array(c.elements);
  const started = startWorkerPool(
    minElements === undefined ? { threads } : { threads, minElements },
  );
  try {
    const ready = await workerPoolReady();
    const [oneMs, manyMs] = timeInterleaved(
      [() => onOneThread(() => prepared.fill(one, 0)), () => prepared.fill(many, 0)],
      budget,
    );
    return {
      one: summarize(oneMs, c.elements, c.unit),
      workers: summarize(manyMs, c.elements, c.unit),
      threads: Math.min(started, ready),
      bitIdentical: sameBits(one, many),
      poolTasks: workerPoolStats().tasks,
    };
  } finally {
    await stopWorkerPool();
  }
}

/** The command the start-up case runs: `node bin/weightinit.js sample he-normal --shape 256,256`. */
export function startupCommand(): [string, string[]] {
  const bin = fileURLToPath(new URL('../../bin/weightinit.js', import.meta.url));
  return [process.execPath, [bin, 'sample', 'he-normal', '--shape', '256,256']];
}

/**
 * Wall time of a command as a child process, `runs` times after one warm-up run (the file
 * system cache): median and best, in s.
 * @throws Error if the command fails.
 */
export function measureStartup(
  command: readonly [string, readonly string[]],
  runs: number,
): Measured {
  const [file, args] = command;
  const once = () => {
    const t0 = performance.now();
    const r = spawnSync(file, [...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.error !== undefined) throw r.error;
    if (r.status !== 0)
      throw new Error(
        `start-up case: \`${[file, ...args].join(' ')}\` exited with ${r.status}: ${r.stderr.trim()}`,
      );
    return ms;
  };
  once();
  const ms = Array.from({ length: runs }, once);
  if (Number.isNaN(median(ms))) throw new Error('start-up case: no run');
  return summarize(ms, 0, 's');
}
