/**
 * `rnn`: gradients through time. A simple RNN h_t = φ(x_t U + h_{t−1} W) runs `steps` steps
 * on Gaussian inputs; a standard-normal error r is sent back from the last state (L = Σ r ⊙ h_T)
 * and ‖∂L/∂h_t‖ is measured at every step. Backpropagation through time multiplies by
 * diag(φ′)·Wᵀ once per step, so the norm follows the singular values of W: constant for an
 * orthogonal or identity W in a linear RNN (Saxe et al. 2014; Le et al. 2015), shrinking
 * geometrically for small weights, and with tanh shrinking by the average φ′ < 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LAB_ACTIVATION_NAMES } from './activations.js';
import { checkConfigObject, choicesField, intField, seedField } from './config.js';
import { gaussian } from './data.js';
import { type Member, RnnStack } from './network.js';
import { matMulBy } from './ops.js';
import { type ExperimentReport, type RunOptions, runExperiment } from './report.js';
import { parseStrategies, parseStrategy, type StrategySpec } from './strategies.js';

/** Configuration of {@link rnn}; every field is optional. */
export interface RnnConfig {
  /** Sequence length T. Default 200. */
  steps?: number;
  /** Hidden units. Default 64. */
  hidden?: number;
  /** Input dimension. Default 8. */
  inputs?: number;
  /** Sequences in the batch. Default 16. */
  batch?: number;
  /** Cell activations. Default `['linear', 'tanh', 'relu']`. */
  activations?: string[];
  /** Strategies of the recurrent kernel W. Default {@link RNN_STRATEGIES}. */
  strategies?: (string | StrategySpec)[];
  /** Strategy of the input kernel U. Default `'xavier-uniform'`. */
  input?: string | StrategySpec;
  /** Seed of the weights, inputs and error. Default 0. */
  seed?: number;
}

/** {@link RnnConfig} with the defaults filled in. */
export interface ResolvedRnnConfig {
  readonly steps: number;
  readonly hidden: number;
  readonly inputs: number;
  readonly batch: number;
  readonly activations: string[];
  readonly strategies: string[];
  readonly input: string;
  readonly seed: number;
}

/** The default recurrent strategies: orthogonal, identity, Xavier uniform, small normal. */
export const RNN_STRATEGIES: readonly string[] = [
  'orthogonal',
  'identity',
  'xavier-uniform',
  'normal:std=0.01',
];

/** One RNN: a recurrent strategy and a cell activation. */
export interface RnnResult {
  /** The strategy of the recurrent kernel W. */
  readonly strategy: string;
  /** The cell's activation. */
  readonly activation: string;
  /**
   * ‖∂L/∂h_t‖ for t = 0 … steps (h_0 is the zero initial state): the L2 norm over hidden
   * units, root-mean-square over the batch. Entry `steps` is ‖r‖ ≈ √hidden.
   */
  readonly gradientNorm: number[];
  /** ‖h_t‖ for t = 0 … steps, the same way (entry 0 is 0). */
  readonly hiddenNorm: number[];
  /** gradientNorm[1] / gradientNorm[steps]: how much of the error reaches the first step. */
  readonly gradientRatio: number;
}

/** The report of {@link rnn}. */
export type RnnReport = ExperimentReport<'rnn', ResolvedRnnConfig, RnnResult>;

/** RMS over the batch of the per-example L2 norm of `[M, N, H]`, for each member. */
function memberNorms(t: tf.Tensor): number[] {
  const [m, n, h] = t.shape;
  const data = t.dataSync();
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = i * n * h; k < (i + 1) * n * h; k++) s += data[k] * data[k];
    out.push(Math.sqrt(s / n));
  }
  return out;
}

/** Validates a configuration and fills in the defaults. */
export function resolveRnnConfig(config: RnnConfig = {}): ResolvedRnnConfig {
  const fn = 'rnn';
  const c = checkConfigObject(fn, config, [
    'steps',
    'hidden',
    'inputs',
    'batch',
    'activations',
    'strategies',
    'input',
    'seed',
  ]);
  return {
    steps: intField(fn, 'steps', c.steps, 200, 1, 100_000),
    hidden: intField(fn, 'hidden', c.hidden, 64, 1, 4096),
    inputs: intField(fn, 'inputs', c.inputs, 8, 1, 4096),
    batch: intField(fn, 'batch', c.batch, 16, 1, 1 << 16),
    activations: choicesField(
      fn,
      'activations',
      c.activations,
      ['linear', 'tanh', 'relu'],
      LAB_ACTIVATION_NAMES,
    ),
    strategies: parseStrategies(c.strategies ?? RNN_STRATEGIES, fn).map((s) => s.label),
    input: parseStrategy(c.input ?? 'xavier-uniform', fn).label,
    seed: seedField(fn, 'seed', c.seed),
  };
}

/**
 * Runs the `rnn` experiment: for every cell activation, RNNs with each recurrent strategy
 * (run side by side), the gradient norm ‖∂L/∂h_t‖ and the hidden-state norm ‖h_t‖ at every
 * step, read through zero probes added to each h_t and `tf.grads`. W comes from stream
 * `recurrent_kernel`, U from `kernel` (strategy `input`), inputs from `inputs`, the error from
 * `error`; biases are zero.
 *
 * Defaults: 200 steps, 64 hidden units, 8 inputs, batch 16, linear/tanh/relu cells,
 * {@link RNN_STRATEGIES}, Xavier-uniform input weights, seed 0.
 * @throws RangeError/TypeError for a bad configuration.
 * @example
 * const r = await rnn({ activations: ['linear'], strategies: ['orthogonal'] });
 * r.results[0].gradientRatio // 0.99999978: an orthogonal W preserves norms to float precision
 */
export async function rnn(config: RnnConfig = {}, options: RunOptions = {}): Promise<RnnReport> {
  const c = resolveRnnConfig(config);
  const strategies = c.strategies.map((s) => parseStrategy(s, 'rnn'));
  const fixed = {
    input: parseStrategy(c.input, 'rnn'),
    output: parseStrategy('zeros'),
    bias: parseStrategy('zeros'),
  };
  return runExperiment('rnn', c, options, (progress) => {
    const members: Member[] = strategies.map((strategy) => ({ strategy, seed: c.seed }));
    const shape = [c.steps, c.batch, c.inputs];
    const xs = RnnStack.steps(gaussian(shape, c.seed, 'inputs'), shape);
    const r = tf.tensor2d(gaussian([c.batch, c.hidden], c.seed, 'error'), [c.batch, c.hidden]);
    const results: RnnResult[] = [];
    try {
      for (const activation of c.activations) {
        progress(`${activation} cells, ${c.steps} steps`);
        const stack = new RnnStack(
          members,
          { inputs: c.inputs, hidden: c.hidden, outputs: 1 },
          activation,
          fixed,
        );
        const w = matMulBy(stack.recurrent);
        const probes = Array.from({ length: c.steps + 1 }, () =>
          tf.zeros([members.length, c.batch, c.hidden]),
        );
        const states: tf.Tensor[] = [];
        let grads: tf.Tensor[] = [];
        try {
          grads = tf.grads((...ps: tf.Tensor[]) => {
            const hs = stack.hiddenStates(xs, w.apply, (t, h) => tf.add(h, ps[t]));
            for (const h of hs) states.push(tf.keep(h));
            return tf.sum(tf.mul(hs[c.steps], r));
          })(probes);
          const g = grads.map(memberNorms);
          const h = states.map(memberNorms);
          members.forEach((m, i) => {
            const gradientNorm = g.map((v) => v[i]);
            results.push({
              strategy: m.strategy.label,
              activation,
              gradientNorm,
              hiddenNorm: h.map((v) => v[i]),
              gradientRatio: gradientNorm[1] / gradientNorm[c.steps],
            });
          });
        } finally {
          w.dispose();
          tf.dispose([...probes, ...grads, ...states]);
          stack.dispose();
        }
      }
      return results;
    } finally {
      tf.dispose([...xs, r]);
    }
  });
}
