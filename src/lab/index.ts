/**
 * weightinit/lab: experiments that show why initialization matters, measured on TensorFlow.js
 * (wasm backend in Node, CPU fallback) with weights from weightinit's own strategies, each
 * deterministic by seed — plus the mean-field theory they are checked against.
 *
 * - {@link propagation}: activations, pre-activations, dead units and gradients through a deep MLP.
 * - {@link symmetry}: zero and constant initializations keep units identical; random ones break symmetry.
 * - {@link rnn}: ‖∂L/∂h_t‖ through time under each recurrent initialization.
 * - {@link spectrum}: singular values of the input–output Jacobian (dynamical isometry).
 * - {@link theory}: mean-field q*, χ₁, depth scales and the order-to-chaos line, checked on networks.
 * - {@link train}: convergence on teacher–student regression, two spirals and the adding problem.
 * - {@link runLab}: all of them and the {@link summarize | summary}.
 *
 * Every experiment returns plain JSON `{ version, experiment, config, backend, timeMs, cpuMs,
 * results }` (fields documented in the README).
 *
 * @packageDocumentation
 */
export { LAB_ACTIVATION_NAMES } from './activations.js';
export {
  type LayerHistogram,
  PROPAGATION_STRATEGIES,
  type PropagationConfig,
  type PropagationLayer,
  type PropagationReport,
  type PropagationResult,
  propagation,
  type ResolvedPropagationConfig,
} from './propagation.js';
export {
  EXPERIMENTS,
  type ExperimentName,
  type ExperimentReport,
  LAB_VERSION,
  type RunOptions,
} from './report.js';
export {
  type ResolvedRnnConfig,
  RNN_STRATEGIES,
  type RnnConfig,
  type RnnReport,
  type RnnResult,
  rnn,
} from './rnn.js';
export {
  type ExperimentConfigs,
  type LabConfig,
  type LabReport,
  runExperimentByName,
  runLab,
} from './run-lab.js';
export {
  gaussianJacobianVariance,
  type ResolvedSpectrumConfig,
  type SpectrumConfig,
  type SpectrumReport,
  type SpectrumResult,
  spectrum,
} from './spectrum.js';
export type { Histogram, Spread } from './stats.js';
export { type LabStrategy, parseStrategy, type StrategySpec } from './strategies.js';
export { type Finding, type LabReports, summarize } from './summary.js';
export { singularValues } from './svd.js';
export {
  distinctUnits,
  type ResolvedSymmetryConfig,
  SYMMETRY_STRATEGIES,
  type SymmetryConfig,
  type SymmetryReport,
  type SymmetryResult,
  symmetry,
} from './symmetry.js';
export {
  criticalLine,
  type MeanFieldOptions,
  type MeanFieldPoint,
  meanField,
} from './theory/index.js';
export {
  type CriticalLine,
  type ResolvedTheoryConfig,
  type TheoryConfig,
  type TheoryMeasurement,
  type TheoryReport,
  type TheoryResult,
  theory,
} from './theory-experiment.js';
export {
  type ResolvedTaskConfig,
  type ResolvedTrainConfig,
  type StepsToTarget,
  TASK_DEFAULTS,
  TASKS,
  type TaskConfig,
  type TaskName,
  TRAIN_RNN_STRATEGIES,
  TRAIN_STRATEGIES,
  type TrainConfig,
  type TrainReport,
  type TrainResult,
  train,
} from './train.js';
