/**
 * `symmetry`: why weights must not start equal. An MLP whose hidden units start with identical
 * incoming weights computes the same function in every unit of a layer and gives them the same
 * gradient, so they stay identical however long it trains: a layer of `width` units is a layer
 * of one. With all weights 0 (and zero biases) it is worse: no gradient reaches any weight
 * whose input is 0, and with tanh or ReLU (φ(0) = 0) only the output bias learns — the loss
 * cannot go below that of the best constant prediction (the "bias fit").
 */
import * as tf from '@tensorflow/tfjs-core';
import { LAB_ACTIVATION_NAMES } from './activations.js';
import {
  checkConfigObject,
  choiceField,
  intField,
  listField,
  numberField,
  seedField,
} from './config.js';
import { gaussian } from './data.js';
import {
  type Member,
  MlpStack,
  mseLoss,
  OPTIMIZERS,
  type OptimizerConfig,
  repeatForMembers,
  trainStack,
} from './network.js';
import { type ExperimentReport, type RunOptions, runExperiment } from './report.js';
import { moments } from './stats.js';
import { parseStrategies, parseStrategy, type StrategySpec } from './strategies.js';

/** Configuration of {@link symmetry}; every field is optional. */
export interface SymmetryConfig {
  /** Strategies of every weight. Default zeros, constant 0.1 and Xavier uniform. */
  strategies?: (string | StrategySpec)[];
  /** Activation of the hidden layers. Default `'tanh'`. */
  activation?: string;
  /** Input dimension. Default 8. */
  inputs?: number;
  /** Hidden layer widths. Default `[16, 16, 16]`. */
  hidden?: number[];
  /** Training examples (full batch). Default 128. */
  examples?: number;
  /** Gradient steps. Default 300. */
  steps?: number;
  /** `'sgd'` (default) or `'adam'`. */
  optimizer?: 'sgd' | 'adam';
  /** Learning rate. Default 0.05. */
  learningRate?: number;
  /**
   * Two units are the same when their incoming weights and bias differ by at most
   * `tolerance` × the layer's largest |weight|. Default 1e-4.
   */
  tolerance?: number;
  /** Seed of the weights and the task. Default 0. */
  seed?: number;
}

/** {@link SymmetryConfig} with the defaults filled in. */
export interface ResolvedSymmetryConfig {
  readonly strategies: string[];
  readonly activation: string;
  readonly inputs: number;
  readonly hidden: number[];
  readonly examples: number;
  readonly steps: number;
  readonly optimizer: 'sgd' | 'adam';
  readonly learningRate: number;
  readonly tolerance: number;
  readonly seed: number;
}

/** The default strategies: all zeros, all 0.1, Xavier uniform (random). */
export const SYMMETRY_STRATEGIES: readonly string[] = [
  'zeros',
  'constant:value=0.1',
  'xavier-uniform',
];

/** One network trained from one strategy. */
export interface SymmetryResult {
  readonly strategy: string;
  readonly activation: string;
  /** Distinct units of each hidden layer at initialization. */
  readonly distinctUnitsAtInit: number[];
  /** Distinct units of each hidden layer after training (out of `hidden[i]`). */
  readonly distinctUnits: number[];
  /** Mean squared error after t steps, t = 0 … steps. */
  readonly loss: number[];
  /** The loss of the best constant prediction: the variance of the targets. */
  readonly biasFitLoss: number;
  /** `loss[steps]`. */
  readonly finalLoss: number;
}

/** The report of {@link symmetry}. */
export type SymmetryReport = ExperimentReport<'symmetry', ResolvedSymmetryConfig, SymmetryResult>;

/**
 * How many distinct units a layer has: unit j's incoming weights are column j of `kernel`
 * (`[fanIn, units]`, layout in-out) and its bias `bias[j]`; two units are the same when every
 * one of these differs by at most `tolerance` × the largest |value| of the layer. Greedy
 * clustering against the first unit of each cluster.
 * @example distinctUnits(new Float32Array([1, 1, 2, 2, 2, 2]), new Float32Array(2), 3, 2, 1e-4) // 1
 */
export function distinctUnits(
  kernel: Float32Array,
  bias: Float32Array,
  fanIn: number,
  units: number,
  tolerance: number,
): number {
  let scale = 0;
  for (const v of kernel) scale = Math.max(scale, Math.abs(v));
  for (const v of bias) scale = Math.max(scale, Math.abs(v));
  const tol = tolerance * scale;
  const reps: number[] = [];
  for (let j = 0; j < units; j++) {
    const same = reps.some((r) => {
      if (Math.abs(bias[j] - bias[r]) > tol) return false;
      for (let i = 0; i < fanIn; i++)
        if (Math.abs(kernel[i * units + j] - kernel[i * units + r]) > tol) return false;
      return true;
    });
    if (!same) reps.push(j);
  }
  return reps.length;
}

/** Distinct units of every hidden layer of every member of a stack. */
function stackDistinctUnits(stack: MlpStack, tolerance: number): number[][] {
  const out: number[][] = stack.members.map(() => []);
  for (let l = 0; l < stack.kernels.length - 1; l++) {
    const [fanIn, units] = [stack.sizes[l], stack.sizes[l + 1]];
    const k = stack.kernels[l].dataSync() as Float32Array;
    const b = stack.biases[l].dataSync() as Float32Array;
    stack.members.forEach((_, m) => {
      out[m].push(
        distinctUnits(
          k.subarray(m * fanIn * units, (m + 1) * fanIn * units),
          b.subarray(m * units, (m + 1) * units),
          fanIn,
          units,
          tolerance,
        ),
      );
    });
  }
  return out;
}

/** Validates a configuration and fills in the defaults. */
export function resolveSymmetryConfig(config: SymmetryConfig = {}): ResolvedSymmetryConfig {
  const fn = 'symmetry';
  const c = checkConfigObject(fn, config, [
    'strategies',
    'activation',
    'inputs',
    'hidden',
    'examples',
    'steps',
    'optimizer',
    'learningRate',
    'tolerance',
    'seed',
  ]);
  return {
    strategies: parseStrategies(c.strategies ?? SYMMETRY_STRATEGIES, fn).map((s) => s.label),
    activation: choiceField(fn, 'activation', c.activation, 'tanh', LAB_ACTIVATION_NAMES),
    inputs: intField(fn, 'inputs', c.inputs, 8, 1, 4096),
    hidden: listField(
      fn,
      'hidden',
      c.hidden,
      [16, 16, 16],
      (v, a) => intField(fn, a, v, 1, 1, 4096),
      false,
    ),
    examples: intField(fn, 'examples', c.examples, 128, 1, 1 << 16),
    steps: intField(fn, 'steps', c.steps, 300, 0, 1_000_000),
    optimizer: choiceField(fn, 'optimizer', c.optimizer, 'sgd', OPTIMIZERS),
    learningRate: numberField(fn, 'learningRate', c.learningRate, 0.05, Number.MIN_VALUE),
    tolerance: numberField(fn, 'tolerance', c.tolerance, 1e-4, 0),
    seed: seedField(fn, 'seed', c.seed),
  };
}

/**
 * The regression task of {@link symmetry}: Gaussian inputs x `[examples, inputs]` (stream
 * `task/inputs`) and a fixed two-unit teacher y = tanh(2x·v₁/√d) − tanh(2x·v₂/√d) + 0.5 with
 * v₁, v₂ ~ N(0, I) (streams `task/teacher1`, `task/teacher2`): fitting it needs two hidden
 * directions, which a layer of identical units does not have.
 */
function symmetryTask(c: ResolvedSymmetryConfig): { x: Float32Array; y: Float32Array } {
  const x = gaussian([c.examples, c.inputs], c.seed, 'task/inputs');
  const v1 = gaussian([c.inputs], c.seed, 'task/teacher1');
  const v2 = gaussian([c.inputs], c.seed, 'task/teacher2');
  const y = new Float32Array(c.examples);
  const s = 1 / Math.sqrt(c.inputs);
  for (let n = 0; n < c.examples; n++) {
    let d1 = 0;
    let d2 = 0;
    for (let i = 0; i < c.inputs; i++) {
      d1 += x[n * c.inputs + i] * v1[i] * s;
      d2 += x[n * c.inputs + i] * v2[i] * s;
    }
    y[n] = Math.tanh(2 * d1) - Math.tanh(2 * d2) + 0.5;
  }
  return { x, y };
}

/**
 * Runs the `symmetry` experiment: an MLP `inputs → hidden… → 1` with every weight from one
 * strategy (biases zero) trained by full-batch gradient descent on a small regression task;
 * reports the distinct hidden units per layer before and after training and the loss curve
 * against the bias fit. All strategies train side by side on the same data.
 *
 * Defaults: zeros, constant 0.1 and Xavier uniform; tanh; 8 inputs, hidden [16, 16, 16],
 * 128 examples, 300 SGD steps at learning rate 0.05, tolerance 1e-4, seed 0.
 * @throws RangeError/TypeError for a bad configuration.
 * @example
 * const r = await symmetry();
 * r.results[0].distinctUnits // [1, 1, 1]: zero init, one unit per layer
 */
export async function symmetry(
  config: SymmetryConfig = {},
  options: RunOptions = {},
): Promise<SymmetryReport> {
  const c = resolveSymmetryConfig(config);
  const strategies = c.strategies.map((s) => parseStrategy(s, 'symmetry'));
  const bias = parseStrategy('zeros');
  return runExperiment('symmetry', c, options, (progress) => {
    const { x, y } = symmetryTask(c);
    const { std } = moments(y);
    const members: Member[] = strategies.map((strategy) => ({ strategy, seed: c.seed }));
    const stack = new MlpStack(members, [c.inputs, ...c.hidden, 1], c.activation, bias);
    const xs = tf.tensor2d(x, [c.examples, c.inputs]);
    const x3 = repeatForMembers(xs, members.length);
    const ys = tf.tensor2d(y, [c.examples, 1]);
    try {
      const atInit = stackDistinctUnits(stack, c.tolerance);
      progress(`training ${members.length} networks for ${c.steps} steps`);
      const curves = trainStack(stack.variables, () => mseLoss(stack.forward(x3), ys), c.steps, {
        name: c.optimizer,
        learningRate: c.learningRate,
      } satisfies OptimizerConfig);
      const after = stackDistinctUnits(stack, c.tolerance);
      return members.map((m, i) => ({
        strategy: m.strategy.label,
        activation: c.activation,
        distinctUnitsAtInit: atInit[i],
        distinctUnits: after[i],
        loss: curves[i],
        biasFitLoss: std * std,
        finalLoss: curves[i][c.steps],
      }));
    } finally {
      tf.dispose([xs, x3, ys]);
      stack.dispose();
    }
  });
}
