/**
 * `propagation`: how signals travel through a deep MLP at initialization, forward and backward
 * (Glorot & Bengio 2010, figures 3, 6 and 7; He et al. 2015, section 2.2). Gaussian inputs go
 * through `depth` square layers a_l = φ(a_{l−1} W_l + b_l); a standard-normal error r is sent
 * back from the top (loss L = Σ r ⊙ a_depth, so ∂L/∂a_depth = r has std 1). Per layer: the
 * std of the activations a_l and pre-activations h_l = a_{l−1} W_l + b_l, the fraction of dead
 * units and the std of ∂L/∂a_l — the gradient that reaches the layer's output.
 */
import * as tf from '@tensorflow/tfjs-core';
import { activationOp, deadFraction, LAB_ACTIVATION_NAMES } from './activations.js';
import { checkConfigObject, choicesField, intField, listField, seedField } from './config.js';
import { gaussian } from './data.js';
import { matMulBy } from './ops.js';
import { type ExperimentReport, type RunOptions, runExperiment } from './report.js';
import { type Histogram, histogram, moments } from './stats.js';
import {
  type LabStrategy,
  parseStrategies,
  parseStrategy,
  type StrategySpec,
  weightValues,
} from './strategies.js';

/** Configuration of {@link propagation}; every field is optional. */
export interface PropagationConfig {
  /** Number of layers. Default 30. */
  depth?: number;
  /** Units per layer (and input dimension: every layer is square). Default 256. */
  width?: number;
  /** Examples in the batch of Gaussian inputs. Default 256. */
  batch?: number;
  /** Activations, one network each. Default `['relu', 'tanh']`. */
  activations?: string[];
  /** Weight strategies (`'normal:std=0.01'` or `{ name, ...options }`). Default {@link PROPAGATION_STRATEGIES}. */
  strategies?: (string | StrategySpec)[];
  /** Strategy of the biases. Default `'zeros'`. */
  bias?: string | StrategySpec;
  /** Seed of weights, inputs and the error sent back. Default 0. */
  seed?: number;
  /** Layers (1-based) whose activations and gradients get a histogram. Default 5 layers spread from 1 to `depth`. */
  histogramLayers?: number[];
  /** Bins of each histogram. Default 50. */
  bins?: number;
}

/** {@link PropagationConfig} with every default filled in, as the report records it. */
export interface ResolvedPropagationConfig {
  readonly depth: number;
  readonly width: number;
  readonly batch: number;
  readonly activations: string[];
  readonly strategies: string[];
  readonly bias: string;
  readonly seed: number;
  readonly histogramLayers: number[];
  readonly bins: number;
}

/** The default weight strategies: zero, small and large random, Xavier, He, LeCun, orthogonal. */
export const PROPAGATION_STRATEGIES: readonly string[] = [
  'zeros',
  'normal:std=0.01',
  'normal:std=1',
  'xavier-uniform',
  'xavier-normal',
  'he-normal',
  'lecun-normal',
  'orthogonal',
];

/** What one layer's signals look like. Non-finite figures (an exploded network) are `null` in JSON. */
export interface PropagationLayer {
  /** The layer, 1-based (layer 1 takes the inputs). */
  readonly index: number;
  /** Std of the activations a_l over the batch and units. */
  readonly activationStd: number;
  /** Std of the pre-activations h_l over the batch and units. */
  readonly preactivationStd: number;
  /** Fraction of units whose φ′ is 0 on every example (ReLU units that never fire). */
  readonly deadFraction: number;
  /** Std of ∂L/∂a_l over the batch and units (the top layer's is that of r, ≈ 1). */
  readonly gradientStd: number;
}

/** A histogram at one layer. */
export interface LayerHistogram extends Histogram {
  /** The layer, 1-based. */
  readonly layer: number;
}

/** One network: a strategy and an activation. */
export interface PropagationResult {
  /** The strategy's label (`'he-normal'`, `'normal:std=0.01'`). */
  readonly strategy: string;
  readonly activation: string;
  /** Std of the inputs (≈ 1). */
  readonly inputStd: number;
  readonly layers: PropagationLayer[];
  /** Histograms of the activations a_l at `histogramLayers`. */
  readonly histograms: LayerHistogram[];
  /** Histograms of the gradients ∂L/∂a_l at `histogramLayers`. */
  readonly gradientHistograms: LayerHistogram[];
}

/** The report of {@link propagation}. */
export type PropagationReport = ExperimentReport<
  'propagation',
  ResolvedPropagationConfig,
  PropagationResult
>;

/** Everything measured at one layer, including what the report leaves out. */
export interface LayerMeasure extends PropagationLayer {
  readonly activationMean: number;
  readonly preactivationMean: number;
  /** Mean of h_l² over the batch and units: the q_l of mean-field theory. */
  readonly preactivationMeanSquare: number;
  /** Mean of (∂L/∂a_l)². */
  readonly gradientMeanSquare: number;
}

/** The network and data of one {@link measureMlp} run. */
export interface MlpSetup {
  readonly depth: number;
  readonly width: number;
  readonly batch: number;
  readonly activation: string;
  /** Inputs, `batch × width`, row-major. */
  readonly inputs: Float32Array;
  /** The error sent back from the top, `batch × width`. */
  readonly error: Float32Array;
  /** The kernel of layer l (1-based), `width × width` in layout in-out. */
  weight(layer: number): Float32Array;
  /** The bias of layer l, `width` values. */
  bias(layer: number): Float32Array;
  /** Layers to histogram. Default none. */
  readonly histogramLayers?: readonly number[];
  readonly bins?: number;
}

/** What {@link measureMlp} measured. */
export interface MlpMeasure {
  readonly inputStd: number;
  readonly layers: LayerMeasure[];
  readonly histograms: LayerHistogram[];
  readonly gradientHistograms: LayerHistogram[];
}

function meanSquare(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return s / values.length;
}

/**
 * One forward and one backward pass of a square MLP on TF.js, measured layer by layer. The
 * gradient reaching each layer's output is read through a zero "probe" added to it
 * (∂L/∂probe_l = ∂L/∂a_l), computed by `tf.grads`.
 */
export function measureMlp(setup: MlpSetup): MlpMeasure {
  const { depth, width, batch } = setup;
  const phi = activationOp(setup.activation, 'measureMlp');
  const bins = setup.bins ?? 50;
  const wanted = new Set(setup.histogramLayers ?? []);
  const kept: { pre: tf.Tensor; post: tf.Tensor }[] = [];
  const probes = Array.from({ length: depth }, () => tf.zeros([batch, width]));
  const weights = Array.from({ length: depth }, (_, i) =>
    tf.tensor2d(setup.weight(i + 1), [width, width]),
  );
  const params = weights.map((w, i) => ({ w: matMulBy(w), b: tf.tensor1d(setup.bias(i + 1)) }));
  const x = tf.tensor2d(setup.inputs, [batch, width]);
  const r = tf.tensor2d(setup.error, [batch, width]);
  let grads: tf.Tensor[] = [];
  try {
    grads = tf.grads((...ps: tf.Tensor[]) => {
      let a = x;
      for (let l = 0; l < depth; l++) {
        const pre = tf.add(params[l].w.apply(a), params[l].b);
        a = tf.add(phi(pre), ps[l]);
        kept.push({ pre: tf.keep(pre), post: tf.keep(a) });
      }
      return tf.sum(tf.mul(a, r));
    })(probes);
    const layers: LayerMeasure[] = [];
    const histograms: LayerHistogram[] = [];
    const gradientHistograms: LayerHistogram[] = [];
    for (let l = 0; l < depth; l++) {
      const pre = kept[l].pre.dataSync() as Float32Array;
      const post = kept[l].post.dataSync() as Float32Array;
      const g = grads[l].dataSync() as Float32Array;
      const a = moments(post);
      const h = moments(pre);
      layers.push({
        index: l + 1,
        activationStd: a.std,
        preactivationStd: h.std,
        deadFraction: deadFraction(pre, width, setup.activation),
        gradientStd: moments(g).std,
        activationMean: a.mean,
        preactivationMean: h.mean,
        preactivationMeanSquare: meanSquare(pre),
        gradientMeanSquare: meanSquare(g),
      });
      if (wanted.has(l + 1)) {
        histograms.push({ layer: l + 1, ...histogram(post, bins) });
        gradientHistograms.push({ layer: l + 1, ...histogram(g, bins) });
      }
    }
    return { inputStd: moments(setup.inputs).std, layers, histograms, gradientHistograms };
  } finally {
    for (const p of params) p.w.dispose();
    tf.dispose([
      x,
      r,
      ...probes,
      ...grads,
      ...weights,
      ...params.map((p) => p.b),
      ...kept.flatMap((k) => [k.pre, k.post]),
    ]);
  }
}

/** Five layers spread from 1 to `depth` (fewer when the network is shallower). */
function spreadLayers(depth: number): number[] {
  return [...new Set([0, 0.25, 0.5, 0.75, 1].map((f) => Math.max(1, Math.round(f * depth))))];
}

/** Validates a configuration and fills in the defaults. */
export function resolvePropagationConfig(
  config: PropagationConfig = {},
): ResolvedPropagationConfig & { readonly parsed: LabStrategy[]; readonly biasSpec: LabStrategy } {
  const fn = 'propagation';
  const c = checkConfigObject(fn, config, [
    'depth',
    'width',
    'batch',
    'activations',
    'strategies',
    'bias',
    'seed',
    'histogramLayers',
    'bins',
  ]);
  const depth = intField(fn, 'depth', c.depth, 30, 1, 10_000);
  const parsed = parseStrategies(c.strategies ?? PROPAGATION_STRATEGIES, fn);
  const biasSpec = parseStrategy(c.bias ?? 'zeros', fn);
  return {
    depth,
    width: intField(fn, 'width', c.width, 256, 1, 8192),
    batch: intField(fn, 'batch', c.batch, 256, 1, 1 << 20),
    activations: choicesField(
      fn,
      'activations',
      c.activations,
      ['relu', 'tanh'],
      LAB_ACTIVATION_NAMES,
    ),
    strategies: parsed.map((s) => s.label),
    bias: biasSpec.label,
    seed: seedField(fn, 'seed', c.seed),
    histogramLayers: listField(
      fn,
      'histogramLayers',
      c.histogramLayers,
      spreadLayers(depth),
      (v, a) => intField(fn, a, v, 1, 1, depth),
    ).sort((p, q) => p - q),
    bins: intField(fn, 'bins', c.bins, 50, 1, 10_000),
    parsed,
    biasSpec,
  };
}

/**
 * Runs the `propagation` experiment: for every activation and strategy, a deep square MLP at
 * initialization measured layer by layer (activation, pre-activation and gradient std, dead
 * units) with histograms at a few layers. Weights of layer l come from stream
 * `layer<l>.kernel` of `seed` (layout in-out), biases from `layer<l>.bias`, inputs from
 * `inputs`, the error from `error`: every strategy sees the same inputs.
 *
 * Defaults: depth 30, width 256, batch 256, activations relu and tanh, strategies
 * {@link PROPAGATION_STRATEGIES}, zero biases, seed 0, 5 histogram layers of 50 bins.
 * @throws RangeError/TypeError for a bad configuration (before any work).
 * @example
 * const r = await propagation({ depth: 30, activations: ['relu'], strategies: ['he-normal'] });
 * r.results[0].layers[29].activationStd // 1.4369 (layer 1: 0.8244): He keeps ReLU signals alive
 */
export async function propagation(
  config: PropagationConfig = {},
  options: RunOptions = {},
): Promise<PropagationReport> {
  const { parsed, biasSpec, ...resolved } = resolvePropagationConfig(config);
  const { depth, width, batch, seed } = resolved;
  return runExperiment('propagation', resolved, options, async (progress) => {
    const inputs = gaussian([batch, width], seed, 'inputs');
    const error = gaussian([batch, width], seed, 'error');
    const results: PropagationResult[] = [];
    for (const activation of resolved.activations) {
      for (const s of parsed) {
        progress(`${s.label} ${activation}`);
        const m = measureMlp({
          depth,
          width,
          batch,
          activation,
          inputs,
          error,
          weight: (l) => weightValues(s.spec, [width, width], seed, `layer${l}.kernel`),
          bias: (l) => weightValues(biasSpec.spec, [width], seed, `layer${l}.bias`),
          histogramLayers: resolved.histogramLayers,
          bins: resolved.bins,
        });
        results.push({
          strategy: s.label,
          activation,
          inputStd: m.inputStd,
          layers: m.layers.map((l) => ({
            index: l.index,
            activationStd: l.activationStd,
            preactivationStd: l.preactivationStd,
            deadFraction: l.deadFraction,
            gradientStd: l.gradientStd,
          })),
          histograms: m.histograms,
          gradientHistograms: m.gradientHistograms,
        });
      }
    }
    return results;
  });
}
