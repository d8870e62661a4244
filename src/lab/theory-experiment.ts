/**
 * `theory`: the mean-field picture of signal propagation (Poole et al. 2016; Schoenholz et al.
 * 2017) for an activation and (σ_w², σ_b²) — the variance fixed point q*, the slope χ₁ that
 * decides between order (gradients vanish, χ₁ < 1) and chaos (they explode, χ₁ > 1), the depth
 * scales ξ_q and ξ_c, and the order-to-chaos line — computed by Gauss–Hermite quadrature and
 * root finding (`./theory/`), then checked against deep networks measured by
 * {@link measureMlp}: the pre-activation second moment of the deep layers against q*, and the
 * per-layer factor of the gradient's second moment against χ₁.
 */
import { LAB_ACTIVATION_NAMES } from './activations.js';
import {
  checkConfigObject,
  choicesField,
  intField,
  listField,
  numberField,
  seedField,
} from './config.js';
import { gaussian } from './data.js';
import { measureMlp } from './propagation.js';
import { type ExperimentReport, type RunOptions, runExperiment } from './report.js';
import { perStepFactor } from './stats.js';
import { weightValues } from './strategies.js';
import {
  criticalLine,
  DEFAULT_NODES,
  type MeanFieldPoint,
  meanField,
  THEORY_ACTIVATIONS,
} from './theory/index.js';

/** Configuration of {@link theory}; every field is optional. */
export interface TheoryConfig {
  /** Activations. Default `['tanh', 'relu']`. */
  activations?: string[];
  /** Weight variances σ_w² (weights N(0, σ_w²/n)). Default `[0.5, 1, 1.5, 2, 2.5, 3, 4]`. */
  sigmaW2?: number[];
  /** Bias variances σ_b². Default `[0, 0.05, 0.3]`. */
  sigmaB2?: number[];
  /** σ_b² values at which the critical line is located. Default 0, 0.05, …, 0.5. */
  criticalSigmaB2?: number[];
  /** Gauss–Hermite nodes (≥ 100). Default 128. */
  nodes?: number;
  /** Depth of the measured networks (0: no measurement). Default 30. */
  checkDepth?: number;
  /** Width of the measured networks. Default 256. */
  checkWidth?: number;
  /** Batch of the measured networks. Default 64. */
  checkBatch?: number;
  /** Seed of the measured networks. Default 0. */
  seed?: number;
}

/** {@link TheoryConfig} with the defaults filled in. */
export interface ResolvedTheoryConfig {
  readonly activations: string[];
  readonly sigmaW2: number[];
  readonly sigmaB2: number[];
  readonly criticalSigmaB2: number[];
  readonly nodes: number;
  readonly checkDepth: number;
  readonly checkWidth: number;
  readonly checkBatch: number;
  readonly seed: number;
}

/** What a network of the point measured, over its deepest third of layers. */
export interface TheoryMeasurement {
  /** Mean over those layers of the pre-activations' mean square: the measured q. */
  readonly qStar: number;
  /** Per-layer factor of the gradient's mean square, (g²_first / g²_last)^(1/(k−1)) going down. */
  readonly chi1: number;
  /** |measured − theory| / theory for q* and χ₁. */
  readonly relativeError: { readonly qStar: number; readonly chi1: number };
}

/**
 * The mean-field quantities of one (activation, σ_w², σ_b²) — {@link MeanFieldPoint}: q*
 * (0: signals vanish; ∞, `null` in JSON: they diverge), χ₁, c*, ξ_q, ξ_c (∞ on the critical
 * line, `null` in JSON), phase — and their check.
 */
export interface TheoryResult extends MeanFieldPoint {
  /**
   * The check against a measured network, or null where q* is not in [1e-3, 1e3] or not
   * reached within the network (ξ_q > checkDepth / 6).
   */
  readonly measured: TheoryMeasurement | null;
}

/** The critical line of one activation. */
export interface CriticalLine {
  readonly activation: string;
  /** Points (σ_b², σ_w²) where χ₁ = 1, in the order of `criticalSigmaB2`. */
  readonly points: { readonly sigmaB2: number; readonly sigmaW2: number }[];
}

/** The report of {@link theory}: the envelope plus the critical lines. */
export type TheoryReport = ExperimentReport<'theory', ResolvedTheoryConfig, TheoryResult> & {
  readonly criticalLines: CriticalLine[];
};

/** Validates a configuration and fills in the defaults. */
export function resolveTheoryConfig(config: TheoryConfig = {}): ResolvedTheoryConfig {
  const fn = 'theory';
  const c = checkConfigObject(fn, config, [
    'activations',
    'sigmaW2',
    'sigmaB2',
    'criticalSigmaB2',
    'nodes',
    'checkDepth',
    'checkWidth',
    'checkBatch',
    'seed',
  ]);
  const variance = (min: number) => (v: unknown, a: string) => numberField(fn, a, v, 0, min, 1e6);
  const tfNames = new Set(LAB_ACTIVATION_NAMES);
  return {
    activations: choicesField(
      fn,
      'activations',
      c.activations,
      ['tanh', 'relu'],
      THEORY_ACTIVATIONS.filter((a) => tfNames.has(a)),
    ),
    sigmaW2: listField(
      fn,
      'sigmaW2',
      c.sigmaW2,
      [0.5, 1, 1.5, 2, 2.5, 3, 4],
      variance(Number.MIN_VALUE),
    ),
    sigmaB2: listField(fn, 'sigmaB2', c.sigmaB2, [0, 0.05, 0.3], variance(0)),
    criticalSigmaB2: listField(
      fn,
      'criticalSigmaB2',
      c.criticalSigmaB2,
      Array.from({ length: 11 }, (_, i) => i / 20),
      variance(0),
    ),
    nodes: intField(fn, 'nodes', c.nodes, DEFAULT_NODES, 100, 1000),
    checkDepth: intField(fn, 'checkDepth', c.checkDepth, 30, 0, 10_000),
    checkWidth: intField(fn, 'checkWidth', c.checkWidth, 256, 1, 8192),
    checkBatch: intField(fn, 'checkBatch', c.checkBatch, 64, 1, 1 << 16),
    seed: seedField(fn, 'seed', c.seed),
  };
}

/**
 * Measures q and χ₁ in a network with weights N(0, σ_w²/n) (stream `layer<l>.kernel`) and
 * biases N(0, σ_b²) (`layer<l>.bias`) on unit-variance Gaussian inputs (q⁰ = 1, as the theory's
 * default), over its deepest third of layers.
 */
function measure(
  c: ResolvedTheoryConfig,
  activation: string,
  sigmaW2: number,
  sigmaB2: number,
): { qStar: number; chi1: number } {
  const { checkDepth: depth, checkWidth: width, checkBatch: batch, seed } = c;
  const m = measureMlp({
    depth,
    width,
    batch,
    activation,
    inputs: gaussian([batch, width], seed, 'inputs'),
    error: gaussian([batch, width], seed, 'error'),
    weight: (l) =>
      weightValues(
        { name: 'normal', std: Math.sqrt(sigmaW2 / width) },
        [width, width],
        seed,
        `layer${l}.kernel`,
      ),
    bias: (l) =>
      weightValues({ name: 'normal', std: Math.sqrt(sigmaB2) }, [width], seed, `layer${l}.bias`),
  });
  const deep = m.layers.slice(depth - Math.max(2, Math.ceil(depth / 3)));
  const q = deep.reduce((s, l) => s + l.preactivationMeanSquare, 0) / deep.length;
  // Going down one layer multiplies the gradient's mean square by χ₁.
  const chi1 = perStepFactor(deep.map((l) => l.gradientMeanSquare).reverse());
  return { qStar: q, chi1 };
}

/**
 * Whether a point can be checked on a network of `depth` layers: q* in [1e-3, 1e3] (not
 * vanishing or diverging) and reached — ξ_q ≤ depth/6, so the deepest third, where q is
 * measured, lies at least 4 ξ_q deep. (ReLU at σ_w² = 2, σ_b² = 0 has every q as a fixed
 * point, ξ_q = ∞: a finite network's q wanders and is not checked.)
 */
function checkable(mf: { qStar: number; xiQ: number }, depth: number): boolean {
  return depth >= 3 && mf.qStar >= 1e-3 && mf.qStar <= 1e3 && mf.xiQ <= depth / 6;
}

/**
 * Runs the `theory` experiment: the mean-field quantities of every (activation, σ_w², σ_b²)
 * of the grid, each checked against a measured network where q* is in [1e-3, 1e3] and
 * reached (ξ_q ≤ checkDepth/6), and the critical line of every activation.
 *
 * Defaults: tanh and relu; σ_w² 0.5 … 4, σ_b² 0, 0.05, 0.3; critical line at σ_b² 0 … 0.5;
 * 128 nodes; networks of depth 30, width 256, batch 64; seed 0.
 * @throws RangeError/TypeError for a bad configuration.
 * @example
 * const r = await theory({ activations: ['tanh'], sigmaW2: [1.5], sigmaB2: [0.05] });
 * r.results[0].qStar // 0.42…, measured ≈ the same within a few %
 */
export async function theory(
  config: TheoryConfig = {},
  options: RunOptions = {},
): Promise<TheoryReport> {
  const c = resolveTheoryConfig(config);
  const criticalLines: CriticalLine[] = [];
  const report = await runExperiment('theory', c, options, (progress) => {
    const results: TheoryResult[] = [];
    for (const activation of c.activations) {
      progress(`${activation}: critical line`);
      criticalLines.push({
        activation,
        points: criticalLine(activation, c.criticalSigmaB2, { nodes: c.nodes }),
      });
      for (const sigmaB2 of c.sigmaB2) {
        for (const sigmaW2 of c.sigmaW2) {
          const mf = meanField(activation, sigmaW2, sigmaB2, { nodes: c.nodes });
          let measured: TheoryMeasurement | null = null;
          if (checkable(mf, c.checkDepth)) {
            progress(`${activation} σw²=${sigmaW2} σb²=${sigmaB2}: measuring`);
            const m = measure(c, activation, sigmaW2, sigmaB2);
            measured = {
              ...m,
              relativeError: {
                qStar: Math.abs(m.qStar - mf.qStar) / mf.qStar,
                chi1: Math.abs(m.chi1 - mf.chi1) / mf.chi1,
              },
            };
          }
          results.push({ ...mf, measured });
        }
      }
    }
    return results;
  });
  return { ...report, criticalLines };
}
