/**
 * The shapes of the benchmark's results: one JSON document with the machine, every case with
 * each engine's figures, the ratios, the targets and the checkpoint.
 */

/** The groups of cases, in the order they run. */
export const GROUPS = [
  'uniform',
  'normal',
  'truncated',
  'orthogonal',
  'workers',
  'startup',
] as const;
export type Group = (typeof GROUPS)[number];

/** The peers weightinit is compared with. */
export const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'torch'] as const;
export type Peer = (typeof PEERS)[number];

/**
 * Who ran a case: weightinit filling a preallocated array (`weightinit`), allocating with
 * `initialize` (`weightinit-alloc`), one thread then the worker pool (`weightinit-1`,
 * `weightinit-workers`), or a peer.
 */
export type EngineId =
  | 'weightinit'
  | 'weightinit-alloc'
  | 'weightinit-1'
  | 'weightinit-workers'
  | Peer;

/** Units: M elements/s (higher is faster), ms or s of wall time (lower is faster). */
export type Unit = 'M/s' | 'ms' | 's';

/** A measured figure: the median and best of `reps` timed repetitions. */
export interface Measured {
  readonly median: number;
  readonly best: number;
  readonly reps: number;
  readonly unit: Unit;
  /** False when a single cold call was timed (it took longer than the budget allows twice). */
  readonly warm: boolean;
}

/** An engine that did not run a case, and why (`estimate`: the estimated wall time, in s). */
export interface Skipped {
  readonly skipped: string;
  readonly estimate?: number;
}

export type EngineResult = Measured | Skipped;

export function isMeasured(r: EngineResult | undefined): r is Measured {
  return r !== undefined && 'median' in r;
}

/** A target of the issue, evaluated on one case. */
export interface TargetResult {
  readonly case: string;
  /** What is compared, e.g. "vs PyTorch", "workers vs one thread". */
  readonly target: string;
  /** `>=` for a ratio or speed to reach, `<=` for a time or size not to exceed. */
  readonly op: '>=' | '<=';
  readonly threshold: number;
  /** The value compared (a ratio, seconds or bytes), null when it could not be measured. */
  readonly value: number | null;
  readonly unit: string;
  /** null when the value is missing (peer skipped or absent). */
  readonly met: boolean | null;
  /** `quoted` when the value rests on PyTorch figures quoted by the issue, not measured here. */
  readonly basis: 'measured' | 'quoted';
}

/** A case to run: a strategy on a shape, in a group. */
export interface CaseSpec {
  /** e.g. `he-normal 1024x1024`. */
  readonly id: string;
  readonly group: Group;
  /** weightinit's canonical strategy name (the command, for the start-up). */
  readonly strategy: string;
  /** PyTorch layout [out, in, ...kernel]. */
  readonly shape: readonly number[];
  readonly elements: number;
  readonly unit: Unit;
}

/** One case: a strategy on a shape (or the start-up), every engine's figure and the ratios. */
export interface CaseResult extends CaseSpec {
  readonly engines: Partial<Record<EngineId, EngineResult>>;
  /**
   * Speed-ups of weightinit over each peer (peer time / weightinit time: above 1, weightinit is
   * faster); `torch-quoted` against the figures the issue quotes; `one-thread` for the workers.
   */
  readonly ratios: Record<string, number | null>;
  /**
   * PyTorch 2.13's figure for this case as the issue quotes it (not measured here): the
   * reference of the targets, given beside a measured PyTorch too (which may be another build).
   */
  readonly torchQuoted?: number;
  /** Workers: the outputs with and without the pool are bit-identical. */
  readonly bitIdentical?: boolean;
  /** Workers: threads that filled. */
  readonly threads?: number;
  /** Workers: tasks the pool's workers ran (0: the pool took no part). */
  readonly poolTasks?: number;
}

/** The machine, before and after. */
export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cores: number;
  readonly availableParallelism: number;
  readonly totalMemoryBytes: number;
  readonly wasmSimd: boolean;
  readonly loadAverageBefore: readonly number[];
  loadAverageAfter: readonly number[];
}

/** The checkpoint case: a big model written as safetensors, time and memory. */
export type CheckpointResult =
  | {
      readonly spec: string;
      readonly params: number;
      readonly bytes: number;
      readonly wallSeconds: number;
      readonly generateSeconds: number;
      readonly ddSeconds: number;
      readonly peakRssBytes: number;
      /** wall / max(generate, dd), as the checkpoint module reports it. */
      readonly ratio: number;
      readonly workers: number;
      /** The load average at its end, as the checkpoint module reports it. */
      readonly loadAverage?: readonly number[];
    }
  | { readonly spec: string; readonly skipped: string };

/** The benchmark's JSON document. */
export interface BenchDocument {
  readonly format: 'weightinit.bench/1';
  readonly date: string;
  readonly weightinit: string;
  readonly machine: MachineInfo;
  readonly quick: boolean;
  /** How each case was timed. */
  readonly method: {
    readonly warmupMs: number;
    readonly budgetMs: number;
    readonly minReps: number;
    readonly longRunMs: number;
    readonly peerCapSeconds: number;
  };
  /** Peers: version (and for PyTorch the interpreter that ran it), or why they did not run. */
  readonly peers: Record<
    Peer,
    { readonly version?: string; readonly skipped?: string; readonly python?: string }
  >;
  /**
   * Figures PyTorch 2.13 reached on this machine type according to the issue (not measured);
   * null only in documents of older runs, which left them out when PyTorch was measured.
   */
  readonly torchQuoted: {
    readonly source: string;
    readonly figures: Record<string, number>;
  } | null;
  readonly cases: CaseResult[];
  readonly checkpoint: CheckpointResult | null;
  readonly targets: TargetResult[];
  readonly seconds: number;
}
