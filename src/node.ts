/**
 * weightinit/node: what needs Node's file system — atomic, streaming writers of `.npy`,
 * safetensors files and whole checkpoints (written to a temporary name, renamed when
 * complete), and the streaming safetensors reader; the worker pools that split large random
 * fills and the block updates of large QR factorizations (orthogonal initializers) across
 * threads (same bits as one thread).
 *
 * @packageDocumentation
 */

import { linalgPoolReady, startLinalgPool, stopLinalgPool } from './linalg/pool-node.js';
import {
  workerPoolReady as randomPoolReady,
  startWorkerPool as startRandomPool,
  stopWorkerPool as stopRandomPool,
  type WorkerPoolOptions,
} from './random/pool-node.js';

export {
  type ChunkWriter,
  type FileSource,
  writeFileAtomic,
  writeNpy,
  writeSafetensors,
} from './io/file.js';
export { type WorkerPoolOptions, workerPoolStats } from './random/pool-node.js';

/**
 * Starts the worker pools (once: running pools are kept; stop them first to change their size):
 * from then on, fills of the counter-based samplers of at least `minElements` elements, and the
 * block updates of large QR factorizations (`orthogonal`, `deltaOrthogonal`, `orthogonalize`,
 * `householderQR`), are split across `threads` threads, with the same bits as on one. Two sets
 * of `threads − 1` workers (one per pool; an idle worker waits on a shared word and costs
 * nothing). Workers start in the background ({@link workerPoolReady} waits for them). Needs
 * WebAssembly SIMD and shared memory; without them nothing starts.
 *
 * @returns the number of threads that fill (1 if the random pool could not start).
 * @throws RangeError if `threads` or `minElements` is not a positive integer.
 * @example
 * ```ts
 * import { startWorkerPool, stopWorkerPool, workerPoolReady } from 'weightinit/node';
 * startWorkerPool(); // e.g. 2 on two cores
 * await workerPoolReady();
 * const w = heNormal([4096, 4096], { seed: 0 }); // 16 M elements on both cores
 * const q = orthogonal([2048, 2048], { seed: 0 }); // its QR on both cores
 * await stopWorkerPool();
 * ```
 */
export function startWorkerPool(options: WorkerPoolOptions = {}): number {
  const threads = startRandomPool(options);
  startLinalgPool(options.threads === undefined ? {} : { threads: options.threads });
  return threads;
}

/**
 * Resolves when every worker of both pools has started, with the number of threads that fill.
 */
export async function workerPoolReady(): Promise<number> {
  const [threads] = await Promise.all([randomPoolReady(), linalgPoolReady()]);
  return threads;
}

/** Stops the worker pools (one thread again); resolves when the workers have exited. */
export async function stopWorkerPool(): Promise<void> {
  await Promise.all([stopRandomPool(), stopLinalgPool()]);
}
