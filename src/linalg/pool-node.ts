/**
 * A pool of Node worker threads for the blocked QR: started once ({@link startLinalgPool}),
 * reused by every factorization large enough, with exactly the bits of one thread. Node only: the
 * engine-neutral core knows it as a `ParallelRunner` (`kernels.ts`).
 *
 * The heap of a large factorization lives in a shared WebAssembly memory on which every worker
 * has an instance of the kernels of `wasm.ts`. The block updates (the trailing-matrix update of
 * the factorization and the formation of Q, about nine tenths of the flops) are split into
 * panels of rows of Cᵀ: the main thread posts the update's arguments into a shared control
 * block and wakes the workers, runs the work it was given meanwhile (the QR's next panel, on
 * other rows), then claims panels like every thread, one at a time (an atomic counter tagged
 * with the update's number), running `updateRows` on them, the same code on every thread (the
 * workers run its source). The main thread returns once every panel is done (Atomics.wait:
 * factorizations stay synchronous); an update asked for meanwhile runs on the main thread
 * alone. A worker that wakes late finds no panel left, or a counter tagged with another update,
 * and does nothing: the split adapts to a busy machine, and each element is computed by one
 * thread with the same operations whatever the split.
 *
 * The shared memory grows to the largest heap asked for (a shared memory cannot shrink) and is
 * kept until the pool stops: about 8·k·m bytes plus a few blocks for the largest k × m factored
 * (≈ 39 MB after a 2048 × 2048 orthogonal matrix). Heaps under 2¹⁷ doubles (1 MiB) stay in the
 * one-thread memory, and updates under 2¹⁶ multiply–adds per product stay on this thread.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkInteger } from '../tensor/errors.js';
import { type WasmMemory, wasmApi } from '../tensor/wasm-assembler.js';
import {
  axpy,
  CALL_PAIRS,
  dotLanes,
  gemmABt,
  gemmSubAB,
  KC,
  PANEL,
  type ParallelRunner,
  panelCount,
  panelStart,
  setParallelRunner,
  spanEnd,
  spanStart,
  sub1x4,
  TAIL_PANEL,
  updateRows,
} from './kernels.js';
import {
  instantiateOn,
  type KernelModules,
  MAX_PAGES,
  sharedKernelModules,
  type WasmKernels,
} from './wasm.js';

/** Control words (Int32, shared): the update's number, the claim counter, panels done, … */
const SEQ = 0;
const CLAIM = 1;
const DONE = 2;
const STATUS = 3;
const READY = 4;
const ARGS = 8;
const CTRL_WORDS = 24;
/**
 * The claim counter's low 12 bits count panels (at most 1024: a heap of 2 GiB holds k ≤ 16384
 * rows of Cᵀ), the others tag the update (19 bits: a late worker would have to sleep through
 * 2¹⁹ updates to see its tag again); this value of the low bits closes it.
 */
const CLOSED = 0xfff;
const TAG_MASK = 0x7ffff;

/**
 * Claims panels of the update tagged `tag` (claim word: tag·2¹² + next panel) until none is
 * left, running each with `run`; counts them done (notifying the main thread on the last) and
 * records a failure in the status word. Self-contained: workers run its source.
 */
export function claimPanels(
  ctrl: Int32Array,
  tag: number,
  panels: number,
  run: (panel: number) => void,
): void {
  for (;;) {
    const v = Atomics.load(ctrl, 1); // CLAIM
    const i = v & 0xfff;
    if (v >>> 12 !== tag || i >= panels) return;
    if (Atomics.compareExchange(ctrl, 1, v, v + 1) !== v) continue;
    try {
      run(i);
    } catch {
      Atomics.store(ctrl, 3, 1); // STATUS
    }
    if (Atomics.add(ctrl, 2, 1) + 1 === panels) Atomics.notify(ctrl, 2); // DONE
  }
}

/** The worker's program: the products' own source, an instance on the shared memory, a loop. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const KC = ${KC};
const CALL_PAIRS = ${CALL_PAIRS};
const PANEL = ${PANEL};
const TAIL_PANEL = ${TAIL_PANEL};
${panelStart.toString()}
${panelCount.toString()}
${dotLanes.toString()}
${axpy.toString()}
${sub1x4.toString()}
${spanStart.toString()}
${spanEnd.toString()}
${gemmABt.toString()}
${gemmSubAB.toString()}
${updateRows.toString()}
${claimPanels.toString()}
const { module, memory, ctrl } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const h = {
  x: new Float64Array(memory.buffer),
  abt(a, as, pairs, b, bs, quads, len, y, ys, bp, qs) {
    if (bp < 0) k.abt(a * 8, as * 8, pairs, b * 8, bs * 8, quads, len, y * 8, ys * 8);
    else k.abtp(a * 8, as * 8, pairs, bp * 8, qs * 8, quads, len, y * 8, ys * 8);
  },
  sub(c, cs, pairs, y, ys, quads, b, bs, len, bp, qs) {
    if (bp < 0) k.sub(c * 8, cs * 8, pairs, y * 8, ys * 8, quads, b * 8, bs * 8, len);
    else k.subp(c * 8, cs * 8, pairs, y * 8, ys * 8, quads, bp * 8, qs * 8, len);
  },
};
Atomics.add(ctrl, ${READY}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  seen = Atomics.load(ctrl, ${SEQ});
  if (h.x.buffer.byteLength !== memory.buffer.byteLength) h.x = new Float64Array(memory.buffer);
  const [m, cOff, rows, v, len, ib, y, y2, b, vp, forming] = ctrl.slice(${ARGS}, ${ARGS + 11});
  claimPanels(ctrl, seen & ${TAG_MASK}, panelCount(rows), (i) => {
    const r1 = Math.min(rows, panelStart(i + 1, rows));
    updateRows(h, m, cOff, panelStart(i, rows), r1, v, len, ib, y, y2, b, vp, forming);
  });
}
`;

class Pool implements ParallelRunner {
  /** Updates split across the threads, and panels run by the workers. */
  readonly stats = { updates: 0, workerPanels: 0 };
  private seq = 0;
  /** An update is in flight (its `meanwhile` is running). */
  private running = false;
  private kernelsCache: WasmKernels | null = null;

  constructor(
    private readonly workers: readonly Worker[],
    private readonly modules: KernelModules,
    private readonly memory: WasmMemory,
    private readonly ctrl: Int32Array,
    /** Workers that failed (an 'error' event): they never claim a panel. */
    private readonly failed: { count: number },
  ) {}

  get threads(): number {
    return this.workers.length + 1;
  }

  get ready(): boolean {
    return Atomics.load(this.ctrl, READY) + this.failed.count >= this.workers.length;
  }

  kernels(bytes: number): WasmKernels | null {
    const pages = Math.ceil(bytes / 65536);
    if (pages > MAX_PAGES) return null;
    const have = this.memory.buffer.byteLength / 65536;
    if (have < pages) {
      try {
        this.memory.grow(pages - have);
      } catch {
        return null;
      }
      this.kernelsCache = null;
    }
    if (this.kernelsCache === null) {
      this.kernelsCache = instantiateOn(this.modules, this.memory);
    }
    return this.kernelsCache;
  }

  run(
    args: readonly number[],
    panels: number,
    local: (panel: number) => void,
    meanwhile?: () => void,
  ): void {
    const ctrl = this.ctrl;
    if (panels >= CLOSED || this.running) {
      // Too many panels for the counter, or an update from `meanwhile` (one update at a time).
      for (let i = 0; i < panels; i++) local(i);
      meanwhile?.();
      return;
    }
    this.running = true;
    this.seq = (this.seq + 1) & 0x3fffffff;
    const tag = this.seq & TAG_MASK;
    // The previous update's counter is closed: no late worker can claim a panel while the
    // arguments change.
    for (let i = 0; i < args.length; i++) ctrl[ARGS + i] = args[i];
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, STATUS, 0);
    Atomics.store(ctrl, CLAIM, tag * 4096);
    Atomics.store(ctrl, SEQ, this.seq);
    Atomics.notify(ctrl, SEQ);
    let mine = 0;
    try {
      meanwhile?.();
    } finally {
      // Even if `meanwhile` threw: the workers may still be writing the heap.
      claimPanels(ctrl, tag, panels, (i) => {
        mine++;
        local(i);
      });
      for (let d = Atomics.load(ctrl, DONE); d < panels; d = Atomics.load(ctrl, DONE)) {
        Atomics.wait(ctrl, DONE, d);
      }
      Atomics.store(ctrl, CLAIM, tag * 4096 + CLOSED);
      this.running = false;
    }
    this.stats.updates++;
    this.stats.workerPanels += panels - mine;
    if (Atomics.load(ctrl, STATUS) !== 0) {
      throw new Error('orthogonalize: a worker thread failed during a block update');
    }
  }

  terminate(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

let pool: Pool | null = null;

/** Options of {@link startLinalgPool}. */
export interface LinalgPoolOptions {
  /** Threads running the block updates, this one included (default: the available parallelism). */
  threads?: number;
  /** Heaps of at least this many doubles go to the shared memory (default 2¹⁷; for tests). */
  minSize?: number;
  /** Updates of at least this many multiply–adds per pass are split (default 2¹⁶; for tests). */
  minWork?: number;
}

/**
 * Starts the QR worker pool (once: a running pool is kept; stop it first to change its size):
 * from then on, the block updates of large factorizations (`orthogonalize`, `householderQR`,
 * so the `orthogonal` initializers) are split across `threads` threads, with the same bits as on
 * one. Workers start in the background (until they have, the main thread claims every panel).
 * Needs WebAssembly SIMD, threads and shared memory; without them nothing starts.
 *
 * @returns the number of threads (1 if the pool could not start).
 * @throws RangeError if `threads` is not a positive integer.
 */
export function startLinalgPool(options: LinalgPoolOptions = {}): number {
  const threads = options.threads ?? availableParallelism();
  checkInteger('startWorkerPool', 'threads', threads, 1);
  const register = (p: Pool) => setParallelRunner(p, options.minSize, options.minWork);
  if (pool !== null) {
    register(pool);
    return pool.threads;
  }
  if (threads < 2) return 1;
  const api = wasmApi();
  const modules = sharedKernelModules();
  if (api === undefined || modules === null) return 1;
  const workers: Worker[] = [];
  try {
    const memory = new api.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const ctrl = new Int32Array(new SharedArrayBuffer(CTRL_WORDS * 4));
    const failed = { count: 0 };
    for (let i = 1; i < threads; i++) {
      const workerData = { module: modules.update, memory, ctrl };
      // execArgv: [] — the source is CommonJS whatever flags started this process (a worker
      // inherits them: under `node --input-type=module` it would fail on `require`).
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, execArgv: [] });
      // A worker that fails to start claims no panel (the threads that run do them all); its
      // error must not end the process.
      worker.on('error', () => {
        failed.count++;
      });
      worker.unref();
      workers.push(worker);
    }
    pool = new Pool(workers, modules, memory, ctrl, failed);
  } catch {
    for (const w of workers) void w.terminate();
    return 1;
  }
  register(pool);
  return pool.threads;
}

/** Resolves when every worker of the QR pool has started, with the number of threads. */
export async function linalgPoolReady(): Promise<number> {
  while (pool !== null && !pool.ready) await new Promise((r) => setTimeout(r, 5));
  return pool === null ? 1 : pool.threads;
}

/** Counts of the running QR pool: updates split across threads, panels the workers ran. */
export function linalgPoolStats(): { updates: number; workerPanels: number } {
  return pool === null ? { updates: 0, workerPanels: 0 } : { ...pool.stats };
}

/** Stops the QR pool (factorizations run on one thread again); resolves when workers exit. */
export async function stopLinalgPool(): Promise<void> {
  const p = pool;
  pool = null;
  setParallelRunner(null);
  if (p !== null) await p.terminate();
}
