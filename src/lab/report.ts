/**
 * What every experiment returns: a plain-JSON envelope `{ version, experiment, config,
 * backend, timeMs, cpuMs, results }` that the report layer (`src/report/`) reads. Field names
 * are a contract: they are documented in the README and change only with `version`.
 */
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients: Node's tfjs-core bundle does not
import { type BackendName, setupBackend } from '../tfjs/index.js';

/** The version of the lab's JSON: bumped when a field changes meaning or disappears. */
export const LAB_VERSION = 1;

/** The experiments, in the order `weightinit lab` runs them. */
export const EXPERIMENTS = [
  'propagation',
  'symmetry',
  'rnn',
  'spectrum',
  'theory',
  'train',
] as const;

/** The name of an experiment. */
export type ExperimentName = (typeof EXPERIMENTS)[number];

/** The JSON an experiment produces. */
export interface ExperimentReport<N extends ExperimentName, C, R> {
  /** {@link LAB_VERSION}. */
  readonly version: number;
  readonly experiment: N;
  /** The complete configuration the experiment ran with (defaults filled in). */
  readonly config: C;
  /** The TF.js backend that ran it: `'wasm'`, or `'cpu'` when WebAssembly could not start. */
  readonly backend: BackendName;
  /** Wall-clock time of the experiment, in milliseconds (the only field that varies between runs). */
  readonly timeMs: number;
  /** CPU time of the process during the experiment (user + system), in milliseconds, where measurable. */
  readonly cpuMs: number | null;
  /** One result per combination the experiment measured (strategy, activation, …). */
  readonly results: R[];
}

/** Options every experiment takes besides its configuration. */
export interface RunOptions {
  /** Called with a short message as work proceeds (for a progress line on a terminal). */
  onProgress?: (message: string) => void;
  /** The TF.js backend (default `'wasm'`, falling back to `'cpu'`). */
  backend?: BackendName;
}

type CpuUsage = { user: number; system: number };

/** `process.cpuUsage` where the engine has it (Node, Bun, Deno's Node layer). */
function cpuUsage(): ((since?: CpuUsage) => CpuUsage) | undefined {
  const p = (globalThis as { process?: { cpuUsage?: (since?: CpuUsage) => CpuUsage } }).process;
  return typeof p?.cpuUsage === 'function' ? p.cpuUsage.bind(p) : undefined;
}

/**
 * Starts a clock; calling the result gives the wall-clock and CPU milliseconds since (CPU
 * null where the engine cannot say).
 */
export function startClock(): () => { timeMs: number; cpuMs: number | null } {
  const usage = cpuUsage();
  const cpu = usage?.();
  const start = performance.now();
  return () => {
    const d = usage !== undefined && cpu !== undefined ? usage(cpu) : undefined;
    return {
      timeMs: Math.round(performance.now() - start),
      cpuMs: d === undefined ? null : Math.round((d.user + d.system) / 1000),
    };
  };
}

/**
 * Runs an experiment's body on the chosen backend and wraps its results in the envelope, with
 * the time it took.
 */
export async function runExperiment<N extends ExperimentName, C, R>(
  experiment: N,
  config: C,
  options: RunOptions,
  body: (progress: (message: string) => void) => Promise<R[]> | R[],
): Promise<ExperimentReport<N, C, R>> {
  const backend = await setupBackend(
    options.backend === undefined ? {} : { backend: options.backend },
  );
  const progress = (m: string) => options.onProgress?.(`${experiment}: ${m}`);
  const clock = startClock();
  const results = await body(progress);
  return { version: LAB_VERSION, experiment, config, backend, ...clock(), results };
}
