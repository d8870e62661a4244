/**
 * `runLab`: every experiment (or those named) at its defaults or a given configuration, one
 * after the other, with the summary of findings — what `weightinit lab` writes to
 * `weightinit-report.json`.
 */

import { checkChoice } from '../tensor/errors.js';
import type { BackendName } from '../tfjs/index.js';
import { checkConfigObject, choicesField } from './config.js';
import { type PropagationConfig, propagation, resolvePropagationConfig } from './propagation.js';
import {
  EXPERIMENTS,
  type ExperimentName,
  LAB_VERSION,
  type RunOptions,
  startClock,
} from './report.js';
import { type RnnConfig, resolveRnnConfig, rnn } from './rnn.js';
import { resolveSpectrumConfig, type SpectrumConfig, spectrum } from './spectrum.js';
import { type Finding, type LabReports, summarize } from './summary.js';
import { resolveSymmetryConfig, type SymmetryConfig, symmetry } from './symmetry.js';
import { resolveTheoryConfig, type TheoryConfig, theory } from './theory-experiment.js';
import { resolveTrainConfig, type TrainConfig, train } from './train.js';

/** Each experiment's configuration check (throws for a bad one). */
const RESOLVERS: { [K in ExperimentName]: (c: ExperimentConfigs[K]) => unknown } = {
  propagation: resolvePropagationConfig,
  symmetry: resolveSymmetryConfig,
  rnn: resolveRnnConfig,
  spectrum: resolveSpectrumConfig,
  theory: resolveTheoryConfig,
  train: resolveTrainConfig,
};

/** The configuration of each experiment, by name. */
export interface ExperimentConfigs {
  propagation: PropagationConfig;
  symmetry: SymmetryConfig;
  rnn: RnnConfig;
  spectrum: SpectrumConfig;
  theory: TheoryConfig;
  train: TrainConfig;
}

/** Configuration of {@link runLab}: which experiments, and any experiment's configuration. */
export interface LabConfig extends Partial<ExperimentConfigs> {
  /** The experiments to run, in this order. Default all of {@link EXPERIMENTS}. */
  experiments?: ExperimentName[];
}

/** What {@link runLab} returns and `weightinit lab` writes. */
export interface LabReport {
  /** {@link LAB_VERSION}. */
  readonly version: number;
  readonly backend: BackendName;
  /** Wall-clock time of the whole run, ms. */
  readonly timeMs: number;
  /** CPU time of the whole run, ms (null where not measurable). */
  readonly cpuMs: number | null;
  /** Each experiment's report (its envelope), by name. */
  readonly experiments: LabReports;
  /** The findings, from {@link summarize}. */
  readonly summary: Finding[];
}

/**
 * Runs one experiment by name.
 * @throws RangeError for an unknown name, or what the experiment throws for its configuration.
 */
export async function runExperimentByName<N extends ExperimentName>(
  name: N,
  config: ExperimentConfigs[N] = {},
  options: RunOptions = {},
): Promise<NonNullable<LabReports[N]>> {
  const runners: {
    [K in ExperimentName]: (c: ExperimentConfigs[K], o: RunOptions) => Promise<unknown>;
  } = {
    propagation,
    symmetry,
    rnn,
    spectrum,
    theory,
    train,
  };
  const run = runners[checkChoice('runExperimentByName', 'name', name, EXPERIMENTS)] as (
    c: ExperimentConfigs[N],
    o: RunOptions,
  ) => Promise<NonNullable<LabReports[N]>>;
  return run(config, options);
}

/**
 * Runs the lab: the named experiments (default all, in the order of {@link EXPERIMENTS}) one
 * after the other, each with its configuration (default its own defaults), then the summary.
 * Each experiment's report carries its own time.
 *
 * The whole default run takes about a minute of CPU on the wasm backend (see the README).
 * @throws RangeError/TypeError for a bad configuration, before any experiment runs.
 * @example
 * const lab = await runLab({ experiments: ['rnn'] });
 * lab.summary[0] // { experiment: 'rnn', finding: 'linear RNN, orthogonal W: …', measured: '2.15e-7', … }
 */
export async function runLab(config: LabConfig = {}, options: RunOptions = {}): Promise<LabReport> {
  const fn = 'runLab';
  const c = checkConfigObject(fn, config, ['experiments', ...EXPERIMENTS]);
  const names = choicesField(fn, 'experiments', c.experiments, EXPERIMENTS, EXPERIMENTS);
  for (const name of names) RESOLVERS[name]((c[name] ?? {}) as never);
  const clock = startClock();
  const experiments: LabReports = {};
  let backend: BackendName = 'wasm';
  for (const name of names) {
    const report = await runExperimentByName(name, c[name] ?? {}, options);
    backend = report.backend;
    (experiments as Record<string, unknown>)[name] = report;
  }
  return {
    version: LAB_VERSION,
    backend,
    ...clock(),
    experiments,
    summary: summarize(experiments),
  };
}
