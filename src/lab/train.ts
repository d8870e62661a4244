/**
 * `train`: does initialization change how fast a network learns? Every strategy trains the
 * same network on the same data from several seeds, side by side, by full-batch Adam: a deep
 * ReLU MLP on teacher–student regression, a tanh MLP on two spirals, and simple RNNs (ReLU
 * and tanh cells, the recurrent kernel from each strategy) on the adding problem. Reported per
 * (task, strategy, activation): the loss curve of each seed, the steps to reach a target loss,
 * the final loss and (spirals) the final accuracy, with their mean and spread over seeds.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LAB_ACTIVATION_NAMES } from './activations.js';
import {
  checkConfigObject,
  choicesField,
  intField,
  listField,
  numberField,
  seedField,
} from './config.js';
import {
  bceLoss,
  type Member,
  MlpStack,
  mseLoss,
  RnnStack,
  repeatForMembers,
  trainStack,
} from './network.js';
import { type ExperimentReport, type RunOptions, runExperiment } from './report.js';
import { type Spread, spread } from './stats.js';
import {
  type LabStrategy,
  parseStrategies,
  parseStrategy,
  type StrategySpec,
} from './strategies.js';
import { addingProblem, type Dataset, teacherStudent, twoSpirals } from './tasks.js';

/** The tasks of {@link train}. */
export const TASKS = ['teacher-student', 'spirals', 'adding'] as const;

/** A task's name. */
export type TaskName = (typeof TASKS)[number];

/** Settings of one task; every field optional (defaults per task in {@link TASK_DEFAULTS}). */
export interface TaskConfig {
  /** Full-batch Adam steps. */
  steps?: number;
  /** Adam's learning rate. */
  learningRate?: number;
  /** The loss to reach (`stepsToTarget`). */
  target?: number;
  /** Training examples. */
  examples?: number;
  /** Hidden layers (MLP tasks). */
  depth?: number;
  /** Units per hidden layer / hidden state size. */
  width?: number;
  /** Hidden activations (MLPs) or cell activations (RNNs). */
  activations?: string[];
  /** Sequence length (adding). */
  length?: number;
}

/** {@link TaskConfig} resolved. */
export interface ResolvedTaskConfig {
  readonly steps: number;
  readonly learningRate: number;
  readonly target: number;
  readonly examples: number;
  readonly depth: number;
  readonly width: number;
  readonly activations: string[];
  readonly length: number;
}

/** Defaults of each task. */
export const TASK_DEFAULTS: Readonly<Record<TaskName, ResolvedTaskConfig>> = {
  'teacher-student': {
    steps: 200,
    learningRate: 3e-3,
    target: 0.1,
    examples: 64,
    depth: 8,
    width: 24,
    activations: ['relu'],
    length: 0,
  },
  spirals: {
    steps: 300,
    learningRate: 0.01,
    target: 0.1,
    examples: 128,
    depth: 3,
    width: 24,
    activations: ['tanh'],
    length: 0,
  },
  adding: {
    steps: 200,
    learningRate: 0.01,
    target: 0.01,
    examples: 32,
    depth: 1,
    width: 16,
    activations: ['relu', 'tanh'],
    length: 20,
  },
};

/** Configuration of {@link train}; every field is optional. */
export interface TrainConfig {
  /** Tasks to run. Default all: teacher-student, spirals, adding. */
  tasks?: TaskName[];
  /** Weight strategies of the MLP tasks. Default {@link TRAIN_STRATEGIES}. */
  strategies?: (string | StrategySpec)[];
  /** Recurrent-kernel strategies of the adding task. Default {@link TRAIN_RNN_STRATEGIES}. */
  rnnStrategies?: (string | StrategySpec)[];
  /** Seeds of the initializations (the data is fixed by `dataSeed`). Default `[0, 1, 2]`. */
  seeds?: number[];
  /** Seed of the generated data. Default 0. */
  dataSeed?: number;
  /** Per-task settings, merged over {@link TASK_DEFAULTS}. */
  teacherStudent?: TaskConfig;
  spirals?: TaskConfig;
  adding?: TaskConfig;
}

/** {@link TrainConfig} with the defaults filled in. */
export interface ResolvedTrainConfig {
  readonly tasks: TaskName[];
  readonly strategies: string[];
  readonly rnnStrategies: string[];
  readonly seeds: number[];
  readonly dataSeed: number;
  readonly teacherStudent: ResolvedTaskConfig;
  readonly spirals: ResolvedTaskConfig;
  readonly adding: ResolvedTaskConfig;
}

/** The default strategies of the MLP tasks. */
export const TRAIN_STRATEGIES: readonly string[] = [
  'zeros',
  'normal:std=0.01',
  'xavier-uniform',
  'he-normal',
  'orthogonal',
];

/** The default recurrent strategies of the adding task. */
export const TRAIN_RNN_STRATEGIES: readonly string[] = [
  'identity',
  'orthogonal',
  'xavier-uniform',
  'normal:std=0.01',
];

/** Steps to the target over the seeds. */
export interface StepsToTarget {
  /** Per seed: the first step t with loss[t] ≤ target, or null if never. */
  readonly values: (number | null)[];
  /** How many seeds reached the target. */
  readonly reached: number;
  /** Mean, std, min, max over the seeds that reached it (null when none did). */
  readonly spread: Spread | null;
}

/** One (task, strategy, activation) over the seeds. */
export interface TrainResult {
  readonly task: TaskName;
  readonly strategy: string;
  /** The hidden (MLP) or cell (RNN) activation. */
  readonly activation: string;
  readonly seeds: number[];
  /** The target loss. */
  readonly target: number;
  /** The loss of the best constant prediction. */
  readonly biasFitLoss: number;
  /** Loss after t steps, t = 0 … steps, one curve per seed. */
  readonly loss: number[][];
  /** The mean over seeds of `loss`, per step. */
  readonly meanLoss: number[];
  readonly stepsToTarget: StepsToTarget;
  /** Final loss over the seeds. */
  readonly finalLoss: Spread;
  /** Final training accuracy over the seeds (spirals); null for regression tasks. */
  readonly finalAccuracy: Spread | null;
}

/** The report of {@link train}. */
export type TrainReport = ExperimentReport<'train', ResolvedTrainConfig, TrainResult>;

const TASK_KEYS = [
  'steps',
  'learningRate',
  'target',
  'examples',
  'depth',
  'width',
  'activations',
  'length',
];

function resolveTask(
  fn: string,
  name: TaskName,
  given: TaskConfig | undefined,
): ResolvedTaskConfig {
  const d = TASK_DEFAULTS[name];
  const arg = name === 'teacher-student' ? 'teacherStudent' : name;
  const c = checkConfigObject(fn, given, TASK_KEYS);
  return {
    steps: intField(fn, `${arg}.steps`, c.steps, d.steps, 0, 1_000_000),
    learningRate: numberField(
      fn,
      `${arg}.learningRate`,
      c.learningRate,
      d.learningRate,
      Number.MIN_VALUE,
    ),
    target: numberField(fn, `${arg}.target`, c.target, d.target, 0),
    examples: intField(fn, `${arg}.examples`, c.examples, d.examples, 2, 1 << 16),
    depth: intField(fn, `${arg}.depth`, c.depth, d.depth, 1, 1000),
    width: intField(fn, `${arg}.width`, c.width, d.width, 1, 4096),
    activations: choicesField(
      fn,
      `${arg}.activations`,
      c.activations,
      d.activations,
      LAB_ACTIVATION_NAMES,
    ),
    length: name === 'adding' ? intField(fn, `${arg}.length`, c.length, d.length, 2, 10_000) : 0,
  };
}

/** Validates a configuration and fills in the defaults. */
export function resolveTrainConfig(config: TrainConfig = {}): ResolvedTrainConfig {
  const fn = 'train';
  const c = checkConfigObject(fn, config, [
    'tasks',
    'strategies',
    'rnnStrategies',
    'seeds',
    'dataSeed',
    'teacherStudent',
    'spirals',
    'adding',
  ]);
  return {
    tasks: choicesField(fn, 'tasks', c.tasks, TASKS, TASKS),
    strategies: parseStrategies(c.strategies ?? TRAIN_STRATEGIES, fn).map((s) => s.label),
    rnnStrategies: parseStrategies(
      c.rnnStrategies ?? TRAIN_RNN_STRATEGIES,
      fn,
      'rnnStrategies',
    ).map((s) => s.label),
    seeds: listField(fn, 'seeds', c.seeds, [0, 1, 2], (v, a) => seedField(fn, a, v)),
    dataSeed: seedField(fn, 'dataSeed', c.dataSeed),
    teacherStudent: resolveTask(fn, 'teacher-student', c.teacherStudent),
    spirals: resolveTask(fn, 'spirals', c.spirals),
    adding: resolveTask(fn, 'adding', c.adding),
  };
}

/** Every (strategy, seed) pair, strategy-major. */
function membersOf(strategies: readonly LabStrategy[], seeds: readonly number[]): Member[] {
  return strategies.flatMap((strategy) => seeds.map((seed) => ({ strategy, seed })));
}

/** Collects a stack's curves into one result per strategy. */
function collect(
  task: TaskName,
  activation: string,
  t: ResolvedTaskConfig,
  data: Dataset,
  members: readonly Member[],
  seeds: readonly number[],
  curves: number[][],
  accuracy: number[] | null,
): TrainResult[] {
  const out: TrainResult[] = [];
  for (let s = 0; s < members.length; s += seeds.length) {
    const loss = curves.slice(s, s + seeds.length);
    const values = loss.map((curve) => {
      const k = curve.findIndex((v) => v <= t.target);
      return k < 0 ? null : k;
    });
    const reachedSteps = values.filter((v): v is number => v !== null);
    out.push({
      task,
      strategy: members[s].strategy.label,
      activation,
      seeds: [...seeds],
      target: t.target,
      biasFitLoss: data.biasFitLoss,
      loss,
      meanLoss: loss[0].map((_, k) => loss.reduce((a, c) => a + c[k], 0) / loss.length),
      stepsToTarget: {
        values,
        reached: reachedSteps.length,
        spread: reachedSteps.length === 0 ? null : spread(reachedSteps),
      },
      finalLoss: spread(loss.map((c) => c[c.length - 1])),
      finalAccuracy: accuracy === null ? null : spread(accuracy.slice(s, s + seeds.length)),
    });
  }
  return out;
}

/** Fraction of logits `[M, N, 1]` on the side of their label, per member. */
function accuracies(logits: Float32Array, labels: Float32Array, members: number): number[] {
  const n = labels.length;
  return Array.from({ length: members }, (_, m) => {
    let right = 0;
    for (let i = 0; i < n; i++) if (logits[m * n + i] > 0 === labels[i] > 0.5) right++;
    return right / n;
  });
}

/** Trains MLP stacks (one per activation) on a dataset. */
function trainMlpTask(
  task: TaskName,
  t: ResolvedTaskConfig,
  data: Dataset,
  strategies: readonly LabStrategy[],
  seeds: readonly number[],
  classify: boolean,
  progress: (m: string) => void,
): TrainResult[] {
  const members = membersOf(strategies, seeds);
  const [n, d] = data.xShape;
  const x = tf.tensor2d(data.x, [n, d]);
  const x3 = repeatForMembers(x, members.length);
  const y = tf.tensor2d(data.y, [n, 1]);
  const results: TrainResult[] = [];
  try {
    for (const activation of t.activations) {
      progress(`${task}, ${activation}: ${members.length} networks × ${t.steps} steps`);
      const sizes = [d, ...Array<number>(t.depth).fill(t.width), 1];
      const stack = new MlpStack(members, sizes, activation, parseStrategy('zeros'), `${task}/`);
      try {
        const loss = () => (classify ? bceLoss : mseLoss)(stack.forward(x3), y);
        const curves = trainStack(stack.variables, loss, t.steps, {
          name: 'adam',
          learningRate: t.learningRate,
        });
        let acc: number[] | null = null;
        if (classify) {
          const logits = tf.tidy(() => stack.forward(x3));
          acc = accuracies(logits.dataSync() as Float32Array, data.y, members.length);
          logits.dispose();
        }
        results.push(...collect(task, activation, t, data, members, seeds, curves, acc));
      } finally {
        stack.dispose();
      }
    }
  } finally {
    tf.dispose([x, x3, y]);
  }
  return results;
}

/** Trains RNN stacks (one per cell activation) on the adding problem. */
function trainAdding(
  t: ResolvedTaskConfig,
  data: Dataset,
  strategies: readonly LabStrategy[],
  seeds: readonly number[],
  progress: (m: string) => void,
): TrainResult[] {
  const members = membersOf(strategies, seeds);
  const [length, n] = data.xShape;
  const xs = RnnStack.steps(data.x, [length, n, 2]);
  const y = tf.tensor2d(data.y, [n, 1]);
  const fixed = {
    input: parseStrategy('xavier-uniform'),
    output: parseStrategy('xavier-uniform'),
    bias: parseStrategy('zeros'),
  };
  const results: TrainResult[] = [];
  try {
    for (const activation of t.activations) {
      progress(`adding, ${activation} cells: ${members.length} networks × ${t.steps} steps`);
      const stack = new RnnStack(
        members,
        { inputs: 2, hidden: t.width, outputs: 1 },
        activation,
        fixed,
        'adding/',
      );
      try {
        const loss = () => {
          const hs = stack.hiddenStates(xs);
          return mseLoss(stack.readout(hs[hs.length - 1]), y);
        };
        const curves = trainStack(stack.variables, loss, t.steps, {
          name: 'adam',
          learningRate: t.learningRate,
        });
        results.push(...collect('adding', activation, t, data, members, seeds, curves, null));
      } finally {
        stack.dispose();
      }
    }
  } finally {
    tf.dispose([...xs, y]);
  }
  return results;
}

/**
 * Runs the `train` experiment: each task trained by full-batch Adam from every strategy and
 * seed (side by side; member (strategy, seed) draws its weights from stream
 * `<task>/layer<l>.kernel` — `adding/recurrent_kernel` … for RNNs — of its seed), data from
 * `dataSeed`. Non-finite losses (a diverged run) are `null` in JSON and never reach the target.
 *
 * Defaults ({@link TASK_DEFAULTS}): teacher-student — 16 inputs, teacher tanh 16→32→32→1,
 * student ReLU with 8 hidden layers of 24, 64 examples, 200 steps at 3e-3, target MSE 0.1;
 * spirals — 128 points, 1.5 turns, tanh 3 × 24, 300 steps at 0.01, target BCE 0.1; adding —
 * length 20, 32 sequences, 16 hidden units, ReLU and tanh cells, 200 steps at 0.01, target
 * MSE 0.01 (Xavier-uniform input and read-out weights, zero biases). Strategies
 * {@link TRAIN_STRATEGIES} and {@link TRAIN_RNN_STRATEGIES}, seeds 0, 1, 2. The sizes keep the
 * whole experiment near 20 s of CPU: TF.js's wasm backend runs batched products at ~1 GFLOP/s.
 * @throws RangeError/TypeError for a bad configuration.
 * @example
 * const r = await train({ tasks: ['teacher-student'] });
 * r.results.find((x) => x.strategy === 'he-normal')!.stepsToTarget.values // [40, 74, 25]
 */
export async function train(
  config: TrainConfig = {},
  options: RunOptions = {},
): Promise<TrainReport> {
  const c = resolveTrainConfig(config);
  const mlp = c.strategies.map((s) => parseStrategy(s, 'train'));
  const rec = c.rnnStrategies.map((s) => parseStrategy(s, 'train'));
  return runExperiment('train', c, options, (progress) => {
    const results: TrainResult[] = [];
    for (const task of c.tasks) {
      if (task === 'teacher-student') {
        const t = c.teacherStudent;
        const data = teacherStudent(t.examples, 16, 32, c.dataSeed);
        results.push(...trainMlpTask(task, t, data, mlp, c.seeds, false, progress));
      } else if (task === 'spirals') {
        const t = c.spirals;
        const data = twoSpirals(t.examples, 1.5, 0.02, c.dataSeed);
        results.push(...trainMlpTask(task, t, data, mlp, c.seeds, true, progress));
      } else {
        const t = c.adding;
        results.push(
          ...trainAdding(
            t,
            addingProblem(t.examples, t.length, c.dataSeed),
            rec,
            c.seeds,
            progress,
          ),
        );
      }
    }
    return results;
  });
}
