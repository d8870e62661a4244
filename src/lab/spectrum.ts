/**
 * `spectrum`: dynamical isometry (Saxe et al. 2014; Pennington, Schoenholz & Ganguli 2017).
 * The input–output Jacobian of a deep network at initialization, J = W₁D₁W₂D₂…W_LD_L (row
 * vectors, D_l = diag φ′(h_l)), has squared singular values λ whose mean is 1 at criticality
 * whatever the weights; their spread is what differs. For a linear network of Gaussian layers
 * (variance 1/n) the λ follow the Fuss–Catalan law of order L, whose variance is L (the
 * spread grows with depth); with orthogonal layers J is orthogonal and every λ is 1. ReLU
 * networks cannot be isometric (D has zeros); tanh with orthogonal weights on the critical line
 * at small σ_b² (small q*, so φ′ ≈ 1) nearly is. Inputs have variance q*, the mean-field
 * fixed point, so every layer sees the same pre-activation variance.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkKnownKeys, typeError } from '../tensor/errors.js';
import { activationOp, LAB_ACTIVATION_NAMES } from './activations.js';
import {
  checkConfigObject,
  choicesField,
  intField,
  listField,
  numberField,
  seedField,
} from './config.js';
import { gaussian } from './data.js';
import { type ExperimentReport, type RunOptions, runExperiment } from './report.js';
import { spread } from './stats.js';
import { parseStrategies, parseStrategy, type StrategySpec, weightValues } from './strategies.js';
import { singularValues } from './svd.js';
import { criticalLine, meanField } from './theory/index.js';

/** Configuration of {@link spectrum}; every field is optional. */
export interface SpectrumConfig {
  /** Depths at which the Jacobian is measured (the deepest is the network's). Default `[4, 16, 32]`. */
  depths?: number[];
  /** Units per layer. Default 128. */
  width?: number;
  /** Activations. Default `['linear', 'tanh', 'relu']`. */
  activations?: string[];
  /**
   * Strategies, each given a gain √σ_w² for the activation (so they must take `gain`).
   * Default `['lecun-normal', 'orthogonal']`: Gaussian N(0, σ_w²/n) against orthogonal.
   */
  strategies?: (string | StrategySpec)[];
  /** σ_b² per activation (biases N(0, σ_b²)). Default tanh 1e-4, others 0. */
  sigmaB2?: Record<string, number>;
  /**
   * σ_w² per activation. Default the critical value (χ₁ = 1) at that σ_b², from the
   * mean-field theory: linear 1, relu 2, tanh 1.086 at σ_b² = 1e-4.
   */
  sigmaW2?: Record<string, number>;
  /** Independent networks (each with its own Gaussian input) pooled per result. Default 4. */
  samples?: number;
  /** Seed. Default 0. */
  seed?: number;
}

/** {@link SpectrumConfig} with the defaults filled in. */
export interface ResolvedSpectrumConfig {
  readonly depths: number[];
  readonly width: number;
  readonly activations: string[];
  readonly strategies: string[];
  readonly sigmaB2: Record<string, number>;
  readonly sigmaW2: Record<string, number>;
  readonly samples: number;
  readonly seed: number;
}

/** One (strategy, activation, depth): statistics of the squared singular values λ of J. */
export interface SpectrumResult {
  readonly strategy: string;
  readonly activation: string;
  readonly depth: number;
  /** The σ_w² the weights were scaled to (gain √σ_w²). */
  readonly sigmaW2: number;
  /** The biases' variance. */
  readonly sigmaB2: number;
  /** The mean-field fixed point q* of (activation, σ_w², σ_b²): the inputs' variance. */
  readonly qStar: number;
  /** Mean of λ over the `samples × width` values pooled. */
  readonly mean: number;
  /** Variance of λ (pooled, population). */
  readonly variance: number;
  /** variance / mean²: 0 for an isometry, ≈ depth for Gaussian linear layers. */
  readonly normalizedVariance: number;
  /** Largest λ. */
  readonly max: number;
  /** The singular values (not squared), pooled, in decreasing order. */
  readonly singularValues: number[];
}

/** The report of {@link spectrum}. */
export type SpectrumReport = ExperimentReport<'spectrum', ResolvedSpectrumConfig, SpectrumResult>;

/** Reads a `{ activation: number }` field for the given activations. */
function perActivation(
  fn: string,
  arg: string,
  value: unknown,
  activations: readonly string[],
  fallback: (activation: string, filled: Record<string, number>) => number,
  min: number,
  filled: Record<string, number> = {},
): Record<string, number> {
  if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value)))
    typeError(fn, arg, 'an object { activation: number }', value);
  const given = (value ?? {}) as Record<string, unknown>;
  checkKnownKeys(fn, given, activations);
  const out: Record<string, number> = {};
  for (const a of activations) out[a] = numberField(fn, `${arg}.${a}`, given[a], Number.NaN, min);
  for (const a of activations) if (Number.isNaN(out[a])) out[a] = fallback(a, filled);
  return out;
}

/**
 * σ_w² where χ₁ = 1 at σ_b²: exactly 1 for linear and 2 for ReLU (χ₁ = σ_w² and σ_w²/2 at any
 * σ_b²), else by bisection on the critical line ([0.05, 10]; 1 when there is none).
 */
function criticalSigmaW2(activation: string, sigmaB2: number): number {
  if (activation === 'linear') return 1;
  if (activation === 'relu') return 2;
  return criticalLine(activation, [sigmaB2])[0]?.sigmaW2 ?? 1;
}

/**
 * The expected variance of the squared singular values of a product of `depth` Gaussian
 * `width × width` matrices with entry variance 1/width (mean 1): depth as width → ∞ (the
 * Fuss–Catalan law), depth + ≈ depth²/(2·width) at finite width. Exact moments by the Wick
 * recursions c_k = (1 + 1/n)·c_{k−1} + b_{k−1}, b_k = b_{k−1} + 2c_{k−1}/n² (c = E tr(A²)/n,
 * b = E (tr A)²/n², A = JᵀJ), variance c_L − 1.
 * @example gaussianJacobianVariance(32, 128) // 37.232…
 */
export function gaussianJacobianVariance(depth: number, width: number): number {
  let c = 1;
  let b = 1;
  for (let k = 0; k < depth; k++) [c, b] = [(1 + 1 / width) * c + b, b + (2 * c) / width ** 2];
  return c - 1;
}

/** Validates a configuration and fills in the defaults. */
export function resolveSpectrumConfig(config: SpectrumConfig = {}): ResolvedSpectrumConfig {
  const fn = 'spectrum';
  const c = checkConfigObject(fn, config, [
    'depths',
    'width',
    'activations',
    'strategies',
    'sigmaB2',
    'sigmaW2',
    'samples',
    'seed',
  ]);
  const activations = choicesField(
    fn,
    'activations',
    c.activations,
    ['linear', 'tanh', 'relu'],
    LAB_ACTIVATION_NAMES,
  );
  const sigmaB2 = perActivation(
    fn,
    'sigmaB2',
    c.sigmaB2,
    activations,
    (a) => (a === 'tanh' ? 1e-4 : 0),
    0,
  );
  const sigmaW2 = perActivation(
    fn,
    'sigmaW2',
    c.sigmaW2,
    activations,
    (a) => criticalSigmaW2(a, sigmaB2[a]),
    Number.MIN_VALUE,
  );
  const strategies = parseStrategies(c.strategies ?? ['lecun-normal', 'orthogonal'], fn);
  for (const s of strategies) parseStrategy({ ...s.spec, gain: 1 }, fn); // must take a gain
  return {
    depths: listField(fn, 'depths', c.depths, [4, 16, 32], (v, a) =>
      intField(fn, a, v, 1, 1, 10_000),
    ).sort((p, q) => p - q),
    width: intField(fn, 'width', c.width, 128, 1, 2048),
    activations,
    strategies: strategies.map((s) => s.label),
    sigmaB2,
    sigmaW2,
    samples: intField(fn, 'samples', c.samples, 4, 1, 1000),
    seed: seedField(fn, 'seed', c.seed),
  };
}

/**
 * The Jacobians of one network at the requested depths: J_l = J_{l−1}·W_l·diag(φ′(h_l)),
 * φ′ from `tf.grad` of φ (elementwise), for one input x. Returns row-major float32 arrays.
 */
function jacobians(
  width: number,
  depths: readonly number[],
  activation: string,
  weight: (layer: number) => Float32Array,
  bias: (layer: number) => Float32Array,
  input: Float32Array,
): Float32Array[] {
  const phi = activationOp(activation, 'spectrum');
  const grad = tf.grad((h: tf.Tensor) => phi(h));
  const dphi = activation === 'linear' ? (h: tf.Tensor) => tf.onesLike(h) : grad;
  const out: Float32Array[] = [];
  let j: tf.Tensor = tf.eye(width);
  let a: tf.Tensor = tf.tensor2d(input, [1, width]);
  const last = depths[depths.length - 1];
  for (let l = 1; l <= last; l++) {
    const w = tf.tensor2d(weight(l), [width, width]);
    const b = tf.tensor1d(bias(l));
    const [nextJ, nextA] = tf.tidy(() => {
      const h = tf.add(tf.matMul(a as tf.Tensor2D, w), b);
      return [tf.mul(tf.matMul(j as tf.Tensor2D, w), dphi(h)), phi(h)];
    });
    tf.dispose([j, a, w, b]);
    j = nextJ;
    a = nextA;
    if (depths.includes(l)) out.push(j.dataSync() as Float32Array);
  }
  tf.dispose([j, a]);
  return out;
}

/**
 * Runs the `spectrum` experiment: for every activation, strategy and depth, the squared
 * singular values of the input–output Jacobian at initialization (`samples` networks pooled:
 * network k's layer l from streams `net<k>/layer<l>.kernel` and `.bias`, its input — scaled
 * to variance q* — from `net<k>/input`), with their mean, variance, variance/mean² and maximum.
 *
 * Defaults: depths 4, 16, 32; width 128; linear, tanh, relu on the critical line (σ_w², σ_b²)
 * = (1, 0), (1.086, 1e-4), (2, 0); Gaussian (`lecun-normal`) and orthogonal; 4 samples; seed 0.
 * @throws RangeError/TypeError for a bad configuration (a strategy that takes no gain too).
 * @example
 * const r = await spectrum({ activations: ['linear'], depths: [16] });
 * r.results.map((x) => x.normalizedVariance) // [17.11 (Gaussian), 1.3e-12 (orthogonal)]
 */
export async function spectrum(
  config: SpectrumConfig = {},
  options: RunOptions = {},
): Promise<SpectrumReport> {
  const c = resolveSpectrumConfig(config);
  const strategies = c.strategies.map((s) => parseStrategy(s, 'spectrum'));
  return runExperiment('spectrum', c, options, (progress) => {
    const results: SpectrumResult[] = [];
    for (const activation of c.activations) {
      const sigmaW2 = c.sigmaW2[activation];
      const sigmaB2 = c.sigmaB2[activation];
      const q = meanField(activation, sigmaW2, sigmaB2).qStar;
      const qStar = q > 0 && Number.isFinite(q) ? q : 1;
      const biasSpec = { name: 'normal', std: Math.sqrt(sigmaB2) };
      for (const s of strategies) {
        progress(`${s.label} ${activation}`);
        const spec = { ...s.spec, gain: Math.sqrt(sigmaW2) };
        const pooled: number[][] = c.depths.map(() => []);
        for (let k = 0; k < c.samples; k++) {
          const js = jacobians(
            c.width,
            c.depths,
            activation,
            (l) => weightValues(spec, [c.width, c.width], c.seed, `net${k}/layer${l}.kernel`),
            (l) => weightValues(biasSpec, [c.width], c.seed, `net${k}/layer${l}.bias`),
            gaussian([c.width], c.seed, `net${k}/input`).map((x) => x * Math.sqrt(qStar)),
          );
          js.forEach((j, d) => {
            pooled[d].push(...singularValues(j, c.width, c.width));
          });
        }
        c.depths.forEach((depth, d) => {
          const sv = pooled[d].sort((u, v) => v - u);
          const { mean, std } = spread(sv.map((x) => x * x));
          results.push({
            strategy: s.label,
            activation,
            depth,
            sigmaW2,
            sigmaB2,
            qStar,
            mean,
            variance: std * std,
            normalizedVariance: (std * std) / (mean * mean),
            max: sv[0] * sv[0],
            singularValues: sv,
          });
        });
      }
    }
    return results;
  });
}
