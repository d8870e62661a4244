/**
 * A pool of Node worker threads that splits large fills of the counter-based samplers: started
 * once ({@link startWorkerPool}), reused by every fill of at least `minElements` elements, with
 * exactly the bits of one thread (element i of a stream depends on (key, i) alone, so any split
 * gives the same values). Node only: the engine-neutral core knows it as a `ParallelRunner`.
 *
 * Protocol: each worker runs the kernels of `wasm.ts` on a shared WebAssembly memory of its own,
 * whose upper part holds two scratch buffers, and waits on a shared control word. A fill goes in
 * rounds: each worker is posted a range (a job: kernels and arguments, as data) and notified; the
 * main thread computes its own (smaller) range in place meanwhile, waits for the workers
 * (Atomics.wait, so fills stay synchronous), posts the next round into the other scratch buffers
 * and copies this round's out of them (an output on a SharedArrayBuffer is written in place by
 * the workers, who then do their share of the copying). The rare draws the kernels leave to JavaScript come back
 * as a list and are finished on the main thread.
 */

import { availableParallelism } from 'node:os';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { checkInteger } from '../tensor/errors.js';
import { wasmApi } from '../tensor/wasm-assembler.js';
import {
  type Finish,
  instantiateKernels,
  type Job,
  localRun,
  type Out,
  type ParallelRunner,
  runJob,
  setParallelRunner,
  workerKernels,
} from './wasm.js';
import { LAYOUT } from './wasm-kernels.js';

/** The worker's program: the kernels' instantiation and chunk loop (their own source) + a loop. */
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const instantiateKernels = ${instantiateKernels.toString()};
const runJob = ${runJob.toString()};
const { fast, slow, prop, tables, layout, memory, ctrl, port } = workerData;
const w = instantiateKernels(fast, slow, prop, tables, layout, memory);
const types = { Float32Array, Float64Array, Uint32Array };
Atomics.store(ctrl, 3, 1);
let seq = 0;
for (;;) {
  Atomics.wait(ctrl, 0, seq);
  seq = Atomics.load(ctrl, 0);
  const received = receiveMessageOnPort(port);
  if (received === undefined) continue;
  const { job, type, byteOffset, length, start, sab } = received.message;
  const left = [];
  let status = 1;
  const t0 = performance.now();
  try {
    const out = new types[type](sab ?? memory.buffer, byteOffset, length);
    runJob(w, job, out, start, (i, e, t, x) => left.push(i, e, t, x));
  } catch {
    status = 2;
  }
  Atomics.store(ctrl, 4, Math.min(2 ** 30, Math.ceil((performance.now() - t0) * 1000)));
  port.postMessage(left);
  Atomics.store(ctrl, 2, status);
  Atomics.store(ctrl, 1, seq);
  Atomics.notify(ctrl, 1);
}
`;

/** Elements per worker and round (a scratch buffer holds one round: 4 MiB of float64). */
const ROUND = 2 ** 19;
/**
 * The scratch buffers' offset in a worker's memory, their size (a round, and 4 KiB to place it),
 * and the memory's pages.
 */
const SCRATCH = LAYOUT.PAGES * 65536;
const SCRATCH_BYTES = ROUND * 8 + 4096;
const PAGES = LAYOUT.PAGES + Math.ceil((2 * SCRATCH_BYTES) / 65536);
/**
 * The main thread's first range per round is a worker's less this fraction for each worker whose
 * outputs it copies (a copy costs a sixth to a tenth of computing them); then the share adapts
 * to the measured speeds (see `Pool.adapt`).
 */
const COPY_SHARE = 0.15;

/** One worker: control words [posted, done, status, ready, µs of its last task], its memory and channel end. */
interface Slot {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
  readonly port: MessagePort;
  readonly memory: { buffer: SharedArrayBuffer };
}

/**
 * A range posted to a worker: out[offset … offset + length) of the fill, in `scratch` (null: the
 * worker wrote it in place, `out` being on a SharedArrayBuffer).
 */
interface Task {
  readonly slot: Slot;
  readonly offset: number;
  readonly length: number;
  readonly scratch: Out | null;
}

/** `finish` for a part of the output that starts at `offset`. */
const shifted = (finish: Finish | null, offset: number): Finish | null =>
  finish === null || offset === 0 ? finish : (i, e, t, x) => finish(offset + i, e, t, x);

class Pool implements ParallelRunner {
  /** Tasks posted to workers, and those that failed (redone on the main thread). */
  readonly stats = { tasks: 0, failed: 0 };
  /**
   * The main thread's range per round as a fraction of a worker's, adapted after each round so
   * that the main thread (its range, then the copies) and the workers take the same time: on a
   * machine shared with other processes the threads' speeds differ and change.
   */
  private share: number;

  constructor(private readonly slots: readonly Slot[]) {
    this.share = Math.max(0.1, 1 - COPY_SHARE * slots.length);
  }

  /**
   * Updates {@link share} from a round: the main thread computed `own` elements in `tOwn` ms
   * and copied the workers' outputs in `tCopy` ms; the workers computed `done` elements in
   * `tWorkers` ms (their summed times). Balance: own/rMain + tCopy = size/rWorker.
   */
  private adapt(own: number, tOwn: number, tCopy: number, done: number, tWorkers: number): void {
    if (own <= 0 || tOwn <= 0 || done <= 0 || tWorkers <= 0) return;
    const k = this.slots.length;
    const perWorker = done / k;
    const tWorker = tWorkers / k;
    const target = ((tWorker - tCopy) * (own / tOwn)) / perWorker;
    this.share = Math.min(2, Math.max(0.05, 0.5 * this.share + 0.5 * target));
  }

  get threads(): number {
    return this.slots.length + 1;
  }

  /** Whether every worker has started (or failed to: ready word −1, it never gets a task). */
  get ready(): boolean {
    return this.slots.every((s) => Atomics.load(s.ctrl, 3) !== 0);
  }

  run(job: Job, out: Out, start: number, finish: Finish | null): boolean {
    const slots = this.slots.filter((s) => Atomics.load(s.ctrl, 3) === 1);
    if (slots.length === 0) return false; // still starting: run here
    const n = out.length;
    // Per round: `size` elements per worker (a round at most, less for small fills), `own` here.
    const size = Math.min(ROUND, Math.ceil(n / (slots.length + this.share) / 64) * 64);
    let own = Math.floor(size * this.share);
    /** Posts the workers' ranges from r0 into their scratch buffers `which`: their end. */
    const post = (r0: number, which: number, tasks: Task[]): number => {
      let end = r0;
      slots.forEach((slot, s) => {
        const offset = Math.min(n, r0 + s * size);
        const length = Math.min(n, offset + size) - offset;
        if (length > 0) tasks.push(this.post(slot, job, out, offset, length, start, which));
        end = offset + length;
      });
      return end;
    };
    // A round: the main thread's range [r0, w0), the workers' [w0, next) (posted before).
    let r0 = 0;
    let tasks: Task[] = [];
    let next = post(Math.min(n, own), 0, tasks);
    for (let round = 0; r0 < n; round++) {
      const w0 = Math.min(n, r0 + own);
      const t0 = performance.now();
      if (w0 > r0) localRun(job, out.subarray(r0, w0), start + r0, shifted(finish, r0));
      const tOwn = performance.now() - t0;
      const done = tasks.map((task) => [task, this.wait(task)] as const);
      let tWorkers = 0;
      let computed = 0;
      for (const [task, left] of done) {
        if (left !== null) tWorkers += Atomics.load(task.slot.ctrl, 4) / 1000;
        if (left !== null) computed += task.length;
      }
      // A full round (not the last) tells the threads' speeds.
      const ownLen = w0 - r0;
      const full = ownLen === own && computed === size * slots.length;
      const t1 = performance.now();
      // The next round (the main thread's range from the adapted share, the workers' after it),
      // posted before this round's outputs are copied.
      r0 = next;
      own = Math.floor(size * this.share);
      tasks = [];
      next = r0 < n ? post(Math.min(n, r0 + own), (round + 1) & 1, tasks) : r0;
      for (const [task, left] of done) this.complete(task, left, job, out, start, finish);
      if (full) this.adapt(ownLen, tOwn, performance.now() - t1, computed, tWorkers);
    }
    return true;
  }

  private post(
    slot: Slot,
    job: Job,
    out: Out,
    offset: number,
    length: number,
    start: number,
    which: number,
  ): Task {
    const type = out.constructor.name;
    start += offset;
    let scratch: Out | null = null;
    if (out.buffer instanceof SharedArrayBuffer) {
      // In place: the worker copies its chunks into the output (its share of the copying).
      const sab = out.buffer;
      const byteOffset = out.byteOffset + offset * out.BYTES_PER_ELEMENT;
      slot.port.postMessage({ job, type, byteOffset, length, start, sab });
    } else {
      const Ctor = out.constructor as new (b: SharedArrayBuffer, o: number, n: number) => Out;
      // The copy out of shared memory is word by word, fast only between addresses equal modulo
      // 8; 2 KiB apart modulo 4 KiB avoids 4K aliasing (destination buffers page-aligned).
      const at = out.byteOffset + offset * out.BYTES_PER_ELEMENT + 2048;
      const byteOffset = SCRATCH + which * SCRATCH_BYTES + (at & 4095);
      scratch = new Ctor(slot.memory.buffer, byteOffset, length);
      slot.port.postMessage({ job, type, byteOffset, length, start });
    }
    Atomics.add(slot.ctrl, 0, 1);
    Atomics.notify(slot.ctrl, 0);
    this.stats.tasks++;
    return { slot, offset, length, scratch };
  }

  /** Waits for the task: its leftover draws, or null if it failed. */
  private wait(task: Task): number[] | null {
    const { ctrl, port } = task.slot;
    const posted = Atomics.load(ctrl, 0);
    for (let done = Atomics.load(ctrl, 1); done !== posted; done = Atomics.load(ctrl, 1)) {
      Atomics.wait(ctrl, 1, done);
    }
    const left = receiveMessageOnPort(port)?.message as number[] | undefined;
    return Atomics.load(ctrl, 2) === 1 && left !== undefined ? left : null;
  }

  /** Copies a task's outputs and finishes its leftover draws, or redoes it here if it failed. */
  private complete(
    task: Task,
    left: number[] | null,
    job: Job,
    out: Out,
    start: number,
    finish: Finish | null,
  ): void {
    const { offset, length } = task;
    if (left === null) {
      this.stats.failed++;
      localRun(job, out.subarray(offset, offset + length), start + offset, shifted(finish, offset));
      return;
    }
    if (task.scratch !== null) out.set(task.scratch as never, offset);
    for (let j = 0; j + 3 < left.length && finish !== null; j += 4) {
      finish(offset + left[j], left[j + 1], left[j + 2], left[j + 3]);
    }
  }

  terminate(): Promise<unknown> {
    return Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

let pool: Pool | null = null;

/** Options of {@link startWorkerPool}. */
export interface WorkerPoolOptions {
  /** Threads filling a large tensor, this one included (default: the available parallelism). */
  threads?: number;
  /** The least number of elements a fill needs to be split (default 2²⁰). */
  minElements?: number;
}

/**
 * Starts the worker pool (once: a running pool is kept; stop it first to change its size): from
 * then on, fills of the counter-based samplers (`fillUniform`, `fillNormal`,
 * `fillTruncatedNormal`, `uniformBits`, a `PhiloxSource`'s methods) of at least `minElements`
 * elements are split across `threads` threads, with the same bits as on one. Workers start in
 * the background (until they have, fills run here; {@link workerPoolReady} waits for them).
 * Needs WebAssembly SIMD and shared memory; without them nothing starts.
 *
 * @returns the number of threads that fill (1 if the pool could not start).
 * @throws RangeError if `threads` or `minElements` is not a positive integer.
 * @example
 * ```ts
 * import { startWorkerPool, stopWorkerPool, workerPoolReady } from 'weightinit/node';
 * startWorkerPool(); // e.g. 2 on two cores
 * await workerPoolReady();
 * const w = heNormal([4096, 4096], { seed: 0 }); // 16 M elements on both cores
 * await stopWorkerPool();
 * ```
 */
export function startWorkerPool(options: WorkerPoolOptions = {}): number {
  const fn = 'startWorkerPool';
  const threads = options.threads ?? availableParallelism();
  const minElements = options.minElements ?? 2 ** 20;
  checkInteger(fn, 'threads', threads, 1);
  checkInteger(fn, 'minElements', minElements, 1);
  if (pool !== null) {
    setParallelRunner(pool, minElements);
    return pool.threads;
  }
  const kernels = threads < 2 ? null : workerKernels(PAGES);
  if (kernels === null) return 1;
  const slots: Slot[] = [];
  try {
    for (let i = 1; i < threads; i++) {
      const Memory = wasmApi()!.Memory;
      const memory = new Memory({ initial: PAGES, maximum: PAGES, shared: true });
      const ctrl = new Int32Array(new SharedArrayBuffer(32));
      const { port1, port2 } = new MessageChannel();
      const workerData = { ...kernels, memory, ctrl, port: port2 };
      // execArgv: [] — the source is CommonJS whatever flags started this process (a worker
      // inherits them: under `node --input-type=module` it would fail on `require`).
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData,
        transferList: [port2],
        execArgv: [],
      });
      // A worker that fails is never given a task (fills run on the others and this thread);
      // its error must not end the process.
      worker.on('error', () => Atomics.store(ctrl, 3, -1));
      worker.unref();
      slots.push({ worker, ctrl, port: port1, memory: memory as unknown as Slot['memory'] });
    }
  } catch {
    for (const s of slots) void s.worker.terminate();
    return 1;
  }
  pool = new Pool(slots);
  setParallelRunner(pool, minElements);
  return pool.threads;
}

/**
 * Resolves when every worker of the pool has started (fills split across the workers that have;
 * until then, on this thread), with the number of threads that fill.
 */
export async function workerPoolReady(): Promise<number> {
  while (pool !== null && !pool.ready) await new Promise((r) => setTimeout(r, 5));
  return pool === null ? 1 : pool.threads;
}

/** Counts of the running pool: tasks posted to its workers, and failed ones (redone here). */
export function workerPoolStats(): { tasks: number; failed: number } {
  return pool === null ? { tasks: 0, failed: 0 } : { ...pool.stats };
}

/** Stops the worker pool (fills run on one thread again); resolves when the workers have exited. */
export async function stopWorkerPool(): Promise<void> {
  const p = pool;
  pool = null;
  setParallelRunner(null);
  if (p !== null) await p.terminate();
}
