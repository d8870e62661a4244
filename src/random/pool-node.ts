/**
 * A pool of Node worker threads that splits large fills of the counter-based samplers: started
 * once ({@link startWorkerPool}), reused by every fill of at least `minElements` elements, with
 * exactly the bits of one thread (element i of a stream depends on (key, i) alone, so any split
 * gives the same values). Node only: the engine-neutral core knows it as a `ParallelRunner`.
 *
 * Protocol: each worker runs the kernels of `wasm.ts` (their compiled modules are shared) and
 * waits on a shared control word; a fill posts each worker its range (a job: kernels and
 * arguments, as data) and notifies it, computes its own range meanwhile, then waits for the
 * workers (Atomics.wait, so fills stay synchronous). Outputs on a SharedArrayBuffer are written
 * in place; other outputs go through shared scratch buffers, in rounds, the main thread copying
 * one round while the workers compute the next. The rare draws the kernels leave to JavaScript
 * come back as a list and are finished on the main thread.
 */

import { availableParallelism } from 'node:os';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { checkInteger } from '../tensor/errors.js';
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

/** The worker's program: the kernels' instantiation and chunk loop (their own source) + a loop. */
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const instantiateKernels = ${instantiateKernels.toString()};
const runJob = ${runJob.toString()};
const { fast, slow, tables, layout, ctrl, port } = workerData;
const w = instantiateKernels(fast, slow, tables, layout);
const types = { Float32Array, Float64Array, Uint32Array };
Atomics.store(ctrl, 3, 1);
let seq = 0;
for (;;) {
  Atomics.wait(ctrl, 0, seq);
  seq = Atomics.load(ctrl, 0);
  const received = receiveMessageOnPort(port);
  if (received === undefined) continue;
  const { job, type, buffer, byteOffset, length, start } = received.message;
  const left = [];
  let status = 1;
  try {
    const out = new types[type](buffer, byteOffset, length);
    runJob(w, job, out, start, (i, e, t, x) => left.push(i, e, t, x));
  } catch {
    status = 2;
  }
  port.postMessage(left);
  Atomics.store(ctrl, 2, status);
  Atomics.store(ctrl, 1, seq);
  Atomics.notify(ctrl, 1);
}
`;

/** One worker: its control words [posted, done, status, ready] and its end of the channel. */
interface Slot {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
  readonly port: MessagePort;
  /** Scratch outputs (two, alternating by round) for fills of non-shared arrays. */
  readonly scratch: [SharedArrayBuffer | null, SharedArrayBuffer | null];
}

/** A range posted to a worker. */
interface Task {
  readonly slot: Slot;
  /** Where its outputs go in the fill's output. */
  readonly offset: number;
  readonly length: number;
  /** Its output (a view of the fill's output, or of scratch). */
  readonly out: Out;
}

type OutType = 'Float32Array' | 'Float64Array' | 'Uint32Array';

/** `finish` for a part of the output that starts at `offset`. */
const shifted = (finish: Finish | null, offset: number): Finish | null =>
  finish === null || offset === 0 ? finish : (i, e, t, x) => finish(offset + i, e, t, x);

/** Elements per thread and round for non-shared outputs (4 MiB of float64 per scratch buffer). */
const ROUND = 2 ** 19;

class Pool implements ParallelRunner {
  /** Tasks posted to workers, and those that failed (redone on the main thread). */
  readonly stats = { tasks: 0, failed: 0 };
  /** The workers of the current fill (those that have started). */
  private slots: readonly Slot[] = [];

  constructor(private readonly all: readonly Slot[]) {}

  get threads(): number {
    return this.all.length + 1;
  }

  /** Whether every worker has started. */
  get ready(): boolean {
    return this.all.every((s) => Atomics.load(s.ctrl, 3) === 1);
  }

  run(job: Job, out: Out, start: number, finish: Finish | null): boolean {
    this.slots = this.all.filter((s) => Atomics.load(s.ctrl, 3) === 1);
    if (this.slots.length === 0) return false; // still starting: run here
    if (out.buffer instanceof SharedArrayBuffer) this.runShared(job, out, start, finish);
    else this.runRounds(job, out, start, finish);
    return true;
  }

  /** In place: one part per thread, the first on this thread. */
  private runShared(job: Job, out: Out, start: number, finish: Finish | null): void {
    const n = out.length;
    const part = Math.ceil(n / (this.slots.length + 1) / 64) * 64;
    const tasks: Task[] = [];
    this.slots.forEach((slot, s) => {
      const offset = Math.min(n, (s + 1) * part);
      const length = Math.min(n, offset + part) - offset;
      if (length > 0) {
        const view = out.subarray(offset, offset + length);
        tasks.push({ ...this.post(slot, job, view, start + offset), offset });
      }
    });
    localRun(job, out.subarray(0, Math.min(n, part)), start, finish);
    for (const task of tasks) this.complete(task, job, out, start, finish);
  }

  /** Through scratch buffers, in rounds: the workers compute round r + 1 while round r is copied. */
  private runRounds(job: Job, out: Out, start: number, finish: Finish | null): void {
    const n = out.length;
    const step = ROUND * (this.slots.length + 1);
    const schedule = (r0: number, round: number): Task[] => {
      const tasks: Task[] = [];
      this.slots.forEach((slot, s) => {
        const offset = Math.min(n, r0 + (s + 1) * ROUND);
        const length = Math.min(n, offset + ROUND) - offset;
        if (length > 0) {
          const view = this.scratchView(slot, (round & 1) as 0 | 1, out, length);
          tasks.push({ ...this.post(slot, job, view, start + offset), offset });
        }
      });
      return tasks;
    };
    let tasks = schedule(0, 0);
    for (let r0 = 0, round = 0; r0 < n; r0 += step, round++) {
      localRun(job, out.subarray(r0, Math.min(n, r0 + ROUND)), start + r0, shifted(finish, r0));
      const done = tasks.map((task) => [task, this.wait(task)] as const);
      tasks = r0 + step < n ? schedule(r0 + step, round + 1) : [];
      for (const [task, left] of done) {
        out.set(task.out as never, task.offset);
        this.finishLeft(task, left, job, out, start, finish);
      }
    }
  }

  /** A view of `length` elements of the slot's scratch buffer `which`, typed as `out`. */
  private scratchView(slot: Slot, which: 0 | 1, out: Out, length: number): Out {
    const bytes = ROUND * 8;
    let buffer = slot.scratch[which];
    if (buffer === null) buffer = slot.scratch[which] = new SharedArrayBuffer(bytes);
    const Ctor = out.constructor as new (b: SharedArrayBuffer, o: number, n: number) => Out;
    return new Ctor(buffer, 0, length);
  }

  private post(slot: Slot, job: Job, out: Out, start: number): Task {
    const type = out.constructor.name as OutType;
    const { buffer, byteOffset, length } = out;
    slot.port.postMessage({ job, type, buffer, byteOffset, length, start });
    this.stats.tasks++;
    Atomics.add(slot.ctrl, 0, 1);
    Atomics.notify(slot.ctrl, 0);
    return { slot, offset: 0, length, out };
  }

  /** Waits for the task; its leftover draws, or null if it failed. */
  private wait(task: Task): number[] | null {
    const { ctrl, port } = task.slot;
    const posted = Atomics.load(ctrl, 0);
    for (let done = Atomics.load(ctrl, 1); done !== posted; done = Atomics.load(ctrl, 1)) {
      Atomics.wait(ctrl, 1, done);
    }
    const left = receiveMessageOnPort(port)?.message as number[] | undefined;
    return Atomics.load(ctrl, 2) === 1 && left !== undefined ? left : null;
  }

  private complete(task: Task, job: Job, out: Out, start: number, finish: Finish | null): void {
    this.finishLeft(task, this.wait(task), job, out, start, finish);
  }

  /** Finishes a task's leftover draws, or redoes its range here if the worker failed. */
  private finishLeft(
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
    for (let j = 0; j + 3 < left.length && finish !== null; j += 4) {
      finish(offset + left[j], left[j + 1], left[j + 2], left[j + 3]);
    }
  }

  terminate(): Promise<unknown> {
    return Promise.all(this.all.map((s) => s.worker.terminate()));
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
 * elements are split across `threads` threads, with the same bits as on one. Needs WebAssembly
 * SIMD; without it nothing starts.
 *
 * @returns the number of threads that fill (1 if the pool could not start).
 * @throws RangeError if `threads` or `minElements` is not a positive integer.
 * @example
 * ```ts
 * import { startWorkerPool, stopWorkerPool } from 'weightinit/node';
 * startWorkerPool(); // e.g. 2 on two cores
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
  const kernels = workerKernels();
  if (kernels === null || threads < 2) return 1;
  const slots: Slot[] = [];
  for (let i = 1; i < threads; i++) {
    const ctrl = new Int32Array(new SharedArrayBuffer(16));
    const { port1, port2 } = new MessageChannel();
    const workerData = { ...kernels, ctrl, port: port2 };
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, transferList: [port2] });
    worker.unref();
    slots.push({ worker, ctrl, port: port1, scratch: [null, null] });
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
