/**
 * The benchmark against the peers: every case on weightinit, TF.js (cpu and wasm backends) and
 * PyTorch when it is importable, the ratios, the targets and the checkpoint, as one document.
 */
import { VERSION } from '../version.js';
import {
  buildCases,
  type CaseSpec,
  FULL_SHAPES,
  QUICK_SHAPES,
  type Shapes,
  TORCH_QUOTED,
  torchQuotedFigure,
} from './cases.js';
import { type CheckpointOptions, runCheckpoint } from './checkpoint-case.js';
import { loadAverage, machineInfo } from './machine.js';
import { caseRatios, evaluateTargets } from './targets.js';
import { loadTfjs, type TfjsPeer } from './tfjs.js';
import { type Budget, measure, secondsPerCall } from './timing.js';
import { probeTorch, startTorch, type TorchPeer } from './torch.js';
import {
  type BenchDocument,
  type CaseResult,
  type CheckpointResult,
  type EngineId,
  type EngineResult,
  GROUPS,
  type Group,
  isMeasured,
  PEERS,
  type Peer,
} from './types.js';
import {
  measureFill,
  measureInitialize,
  measureStartup,
  measureWorkers,
  startupCommand,
} from './weightinit.js';

/** How a run is sized; tests shrink it. */
export interface BenchConfig {
  readonly shapes: Shapes;
  readonly budget: Budget;
  /** A peer case whose one call is estimated longer than this is skipped. */
  readonly peerCapSeconds: number;
  /**
   * TF.js's orthogonal is first timed once on this small matrix, to estimate the others
   * (default 128²).
   */
  readonly orthogonalProbe?: readonly number[];
  /** Runs of the start-up command (after one untimed). */
  readonly startupRuns: number;
  /** Threads of the worker pool (default: the available parallelism). */
  readonly threads?: number;
  /** The pool's threshold (default the pool's own, 2²⁰ elements). */
  readonly poolMinElements?: number;
  /** The start-up command (default `node bin/weightinit.js sample he-normal --shape 256,256`). */
  readonly startupCommand?: readonly [string, readonly string[]];
  /** Python with torch (default: the first of `python3`, `/usr/bin/python3` that imports it). */
  readonly python?: string;
  /** Where `benchCheckpoint` comes from (default `./checkpoint.js`). */
  readonly checkpointModule?: URL;
}

export const FULL_CONFIG: BenchConfig = {
  shapes: FULL_SHAPES,
  budget: { warmupMs: 200, budgetMs: 600, minReps: 5, maxReps: 50, longRunMs: 2000 },
  peerCapSeconds: 60,
  startupRuns: 7,
};

export const QUICK_CONFIG: BenchConfig = {
  shapes: QUICK_SHAPES,
  budget: { warmupMs: 200, budgetMs: 250, minReps: 3, maxReps: 20, longRunMs: 1000 },
  peerCapSeconds: 10,
  startupRuns: 3,
};

/** What to run. */
export interface BenchOptions {
  /** Smaller shapes and budgets, no checkpoint by default. */
  readonly quick?: boolean;
  /** Groups of cases (default all). */
  readonly groups?: readonly Group[];
  /** Peers (default all; PyTorch only when importable). */
  readonly peers?: readonly Peer[];
  /** The checkpoint case, or null for none. */
  readonly checkpoint?: CheckpointOptions | null;
  /** Overrides of the configuration (tests). */
  readonly config?: Partial<BenchConfig>;
  /** Told a line after each case (progress on a terminal). */
  readonly progress?: (line: string) => void;
}

type PeerState = { version?: string; skipped?: string; python?: string };

/** The first line of an error's message, at most 80 characters (for a table cell). */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 80);
}

/** Estimated time of TF.js's orthogonal grows as elements^1.25 (n^2.5). */
const ORTHOGONAL_EXPONENT = 1.25;

/** Estimated wall time of one call of `c` from the same engine's previous case of its kind. */
function estimate(
  prev: { c: CaseSpec; seconds: number } | undefined,
  c: CaseSpec,
): number | undefined {
  if (prev === undefined) return undefined;
  const ratio = c.elements / prev.c.elements;
  // TF.js's QR makes a few ops per column on n×n tensors: ~n^2.5 at these sizes (its per-op
  // overhead weighs at 128², the n³ arithmetic beyond), i.e. elements^1.25; fills are linear.
  return prev.seconds * (c.group === 'orthogonal' ? ratio ** ORTHOGONAL_EXPONENT : ratio);
}

/** Runs the benchmark and returns its document. */
export async function runBench(options: BenchOptions = {}): Promise<BenchDocument> {
  const t0 = performance.now();
  const quick = options.quick ?? false;
  const config: BenchConfig = { ...(quick ? QUICK_CONFIG : FULL_CONFIG), ...options.config };
  const groups = options.groups ?? GROUPS;
  const wanted = new Set(options.peers ?? PEERS);
  const progress = options.progress ?? (() => {});
  const machine = machineInfo();
  const specs = buildCases(groups, config.shapes);
  const { budget } = config;

  const peers = {} as Record<Peer, PeerState>;
  let tfjs: TfjsPeer | undefined;
  if (wanted.has('tfjs-cpu') || wanted.has('tfjs-wasm')) {
    const loaded = await loadTfjs();
    if ('skipped' in loaded) {
      for (const b of ['tfjs-cpu', 'tfjs-wasm'] as const)
        if (wanted.has(b)) peers[b] = { skipped: loaded.skipped };
    } else {
      tfjs = loaded;
      for (const b of ['cpu', 'wasm'] as const) {
        const id = `tfjs-${b}` as const;
        if (!wanted.has(id)) continue;
        peers[id] = (await loaded.use(b))
          ? { version: loaded.version }
          : { skipped: `the ${b} backend did not start` };
      }
    }
  }
  for (const p of PEERS) if (!wanted.has(p)) peers[p] = { skipped: 'not asked for (--peers)' };
  let torch: TorchPeer | undefined;
  if (wanted.has('torch')) {
    const probe = probeTorch(config.python);
    peers.torch = 'version' in probe ? probe : { skipped: probe.skipped };
    if ('version' in probe) {
      try {
        torch = await startTorch(probe.python, budget);
      } catch (error) {
        peers.torch = { skipped: `bench/torch_bench.py failed: ${firstLine(error)}` };
      }
    }
  }
  /** PyTorch on a case, right after weightinit's (they share the machine's moment). */
  async function torchOn(peer: TorchPeer, c: CaseSpec): Promise<EngineResult> {
    try {
      return await peer.measure(c);
    } catch (error) {
      return { skipped: `failed: ${firstLine(error)}` };
    }
  }

  async function runCases(): Promise<BenchDocument> {
    const last = new Map<string, { c: CaseSpec; seconds: number }>();
    const cases: CaseResult[] = [];
    for (const c of specs) {
      const engines: Partial<Record<EngineId, EngineResult>> = {};
      let bitIdentical: boolean | undefined;
      let threads: number | undefined;
      let poolTasks: number | undefined;
      if (c.group === 'startup') {
        engines.weightinit = measureStartup(
          config.startupCommand ?? startupCommand(),
          config.startupRuns,
        );
      } else if (c.group === 'workers') {
        const w = await measureWorkers(
          c,
          budget,
          config.threads ?? machine.availableParallelism,
          config.poolMinElements,
        );
        engines['weightinit-1'] = w.one;
        engines['weightinit-workers'] = w.workers;
        bitIdentical = w.bitIdentical;
        threads = w.threads;
        poolTasks = w.poolTasks;
        if (torch !== undefined) engines.torch = await torchOn(torch, c);
      } else {
        if (c.group === 'orthogonal') {
          // What a Node user gets after startWorkerPool() (the QR's block updates on every
          // core), and one thread.
          const w = await measureWorkers(
            c,
            budget,
            config.threads ?? machine.availableParallelism,
            config.poolMinElements,
          );
          engines.weightinit = w.workers;
          engines['weightinit-1'] = w.one;
          bitIdentical = w.bitIdentical;
          threads = w.threads;
        } else {
          engines.weightinit = measureFill(c, budget);
          engines['weightinit-alloc'] = measureInitialize(c, budget);
        }
        if (torch !== undefined) engines.torch = await torchOn(torch, c);
        for (const b of ['cpu', 'wasm'] as const) {
          const id = `tfjs-${b}` as const;
          if (tfjs === undefined || peers[id]?.version === undefined) continue;
          const key = `${id} ${c.group} ${c.strategy}`;
          if (c.group === 'orthogonal' && !last.has(key)) {
            // One cold call on a small matrix, for the estimate (TF.js takes minutes at 512²).
            const shape = config.orthogonalProbe ?? [128, 128];
            const probe: CaseSpec = { ...c, shape, elements: shape[0] * shape[1] };
            try {
              await tfjs.use(b);
              const call = tfjs.call(probe);
              const start = performance.now();
              call();
              const seconds = (performance.now() - start) / 1e3;
              last.set(key, { c: probe, seconds });
              progress(
                `${id} orthogonal ${shape.join('x')} (probe for the estimates): ${seconds.toFixed(2)} s`,
              );
            } catch {
              // The case itself will report the failure.
            }
          }
          const est = estimate(last.get(key), c);
          if (est !== undefined && est > config.peerCapSeconds) {
            engines[id] = {
              skipped: `est. > ${config.peerCapSeconds} s`,
              estimate: Number(est.toPrecision(2)),
            };
            continue;
          }
          try {
            await tfjs.use(b);
            const m = measure(tfjs.call(c), c.elements, c.unit, budget);
            engines[id] = m;
            last.set(key, { c, seconds: secondsPerCall(m, c.elements) });
          } catch (error) {
            engines[id] = {
              skipped: `failed: ${firstLine(error)}`,
            };
          }
        }
      }
      const torchQuoted = torchQuotedFigure(c);
      cases.push({
        id: c.id,
        group: c.group,
        strategy: c.strategy,
        shape: c.shape,
        elements: c.elements,
        unit: c.unit,
        engines,
        ratios: {},
        ...(torchQuoted === undefined ? {} : { torchQuoted }),
        ...(bitIdentical === undefined ? {} : { bitIdentical, threads, poolTasks }),
      });
      progress(
        `${c.id}: ${Object.entries(engines)
          .map(
            ([e, r]) =>
              `${e} ${isMeasured(r) ? `${r.median} ${r.unit}` : `skipped (${r?.skipped})`}`,
          )
          .join(', ')}`,
      );
    }

    // Python with torch holds a few hundred MB: gone before the checkpoint case.
    await torch?.close();
    const withRatios = cases.map((c) => ({ ...c, ratios: caseRatios(c) }));

    let checkpoint: CheckpointResult | null = null;
    if (options.checkpoint) {
      progress(`checkpoint ${options.checkpoint.spec} …`);
      try {
        checkpoint = await runCheckpoint(options.checkpoint, config.checkpointModule);
      } catch (error) {
        // The other cases are kept; the failure is told in full on the progress line.
        progress(`checkpoint failed: ${error instanceof Error ? error.message : String(error)}`);
        checkpoint = { spec: options.checkpoint.spec, skipped: `failed: ${firstLine(error)}` };
      }
    }

    machine.loadAverageAfter = loadAverage();
    return {
      format: 'weightinit.bench/1',
      date: new Date().toISOString(),
      weightinit: VERSION,
      machine,
      quick,
      method: {
        warmupMs: budget.warmupMs,
        budgetMs: budget.budgetMs,
        minReps: budget.minReps,
        longRunMs: budget.longRunMs,
        peerCapSeconds: config.peerCapSeconds,
      },
      peers,
      torchQuoted: TORCH_QUOTED,
      cases: withRatios,
      checkpoint,
      targets: evaluateTargets(withRatios, checkpoint),
      seconds: Number(((performance.now() - t0) / 1e3).toFixed(1)),
    };
  }

  try {
    return await runCases();
  } finally {
    await torch?.close();
  }
}
