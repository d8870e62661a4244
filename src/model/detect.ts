/**
 * Which initialization scheme a tensor most likely came from: a small explicit statistical
 * model, not a pile of ifs.
 *
 * Every candidate scheme predicts the distribution of a tensor's values from its fans: a
 * standard deviation (`targetStd` of src/init with the scheme's gain and fan mode) and a
 * shape (uniform, normal, or normal truncated at ±2σ). From the measured features of the
 * tensor (count n, mean, std, kurtosis, max |x|, and the structural checks of
 * `inspect-stats.ts`) each candidate gets a log-likelihood, a sum of independent terms:
 *
 * - **scale**: ln(std / expected) ~ N(0, τ²), τ² = (κ − 1)/(4n) + τ₀². The first part is the
 *   sampling error of ln(std) for a distribution of kurtosis κ (Var s²/σ⁴ = (κ − 1)/n); for a
 *   uniform the std is measured from the bound instead (max|x|·(1 + 1/n)/√3, error ≈ 1/n + the
 *   dtype's roundoff in place of the first part); τ₀ =
 *   {@link SCALE_TOLERANCE} (1 %) absorbs dtype rounding and small departures of an
 *   implementation from the formula. A larger departure is a different scale, which the
 *   fitted-scale candidates below explain.
 * - **shape**: sample kurtosis b₂ ~ N(κ, v/n + κ₀²), with κ and v (the asymptotic variance
 *   n·Var b₂, by the delta method from the moments up to the 8th) of the candidate's
 *   distribution: uniform κ 1.8, v 1.317; truncated normal at ±2σ κ 2.366, v 3.848; normal
 *   κ 3, v 24; κ₀ = {@link KURTOSIS_TOLERANCE} (0.05).
 * - **support** (bounded shapes only): a uniform sample never exceeds √3·σ, a ±2σ truncated
 *   normal never exceeds 2.274·σ (σ its true std). With e = ln(max|x| / (std · bound)), a
 *   one-sided penalty −½(e / τ_b)² for e > 0, τ_b = √((κ − 1)/(4n)) + the dtype's unit
 *   roundoff (the std may be measured a little low; the max may round up).
 * - **mean**: mean/std ~ N(0, 1/n + μ₀²), μ₀ = {@link MEAN_TOLERANCE} (0.01).
 * - **structure**: when the orthogonality check ran and passed (sampled lines orthonormal up
 *   to a scale: residual ρ ≤ ρ_tol), an i.i.d. matrix would have passed with probability
 *   p ≈ (ρ_tol·√(2/π))^m for m sampled pairs; i.i.d. candidates get ln p, the orthogonal
 *   candidate 0 (and a flat prior over its gain in [0.1, 10]).
 *
 * **Fitted scale** (variance scaling with a free gain: PyTorch's `gain`/`a`, Keras'
 * `VarianceScaling(scale, mode, distribution)`): one candidate per shape (uniform, normal,
 * truncated normal), whose std is a free parameter instead of a formula's. Its shape, mean and
 * structure terms are those above; its scale term is replaced by the prior density of ln std
 * (the scale term integrated over the prior, the Bayesian complexity penalty of the extra
 * parameter): the gain g = std / std(gain 1, fan of the mode) is flat in ln g over
 * {@link FITTED_GAIN_RANGE} ([0.1, 10], as orthogonal's gain) for each fan mode (fan-in,
 * fan-avg, fan-out; a mixture of the three, the mode being unidentifiable from one tensor),
 * and the family as a whole has the prior weight of one scheme ({@link FITTED_LOG_PRIOR}: each
 * shape a third). So an exact named scheme beats its fitted twin by −ln τ − ½ln 2π + ln 3 +
 * ln(2 ln 10) ≈ 6 nats (n = 8192, 1 % tolerance: confidence ≈ 0.998), it stays ahead up to about
 * 3.5 τ (≈ 4.4 % at n = 8192) and loses beyond; a std out of the gain range of every mode is
 * `unknown`. The fitted std is reported as the most natural spec that remakes it (see
 * {@link describeFit}): a named preset with an explicit gain, nonlinearity or leaky-relu slope
 * (`xavier-uniform(gain=1.5)`, `he-normal(slope=0.2)`, `he-normal(mode=fan-out, gain=0.5)`),
 * Keras' `variance-scaling(scale=…, mode=…, distribution=…)`, or a plain fixed
 * `uniform`/`normal`/`truncated-normal`, whichever needs the fewest digits within the
 * measurement's precision. A fitted candidate is never grouped as equivalent with a named one.
 *
 * A last candidate, `unknown`, has flat densities (ln std over a range of 10⁹, kurtosis over
 * [1, 11], mean/std over [−10, 10]): it wins when no scheme explains the tensor (about 3–5
 * standard errors away from all of them). All candidates have the same prior; confidences are
 * the posterior probabilities (a softmax of log-likelihoods). Candidates that predict exactly
 * the same distribution for these fans (xavier and lecun of a square matrix; stds within
 * {@link EQUIVALENCE_TOLERANCE}) are reported together as `equivalent` and their
 * probabilities added.
 *
 * Exact structures need no statistics: all zeros, a constant, and gain·I (identity, 2-D) or
 * the Dirac pattern (rank ≥ 3) are recognized with confidence 1; so is gain·I in every H×H
 * block of a `[k·H, H]` (or `[H, k·H]`) matrix, k ≥ 2 — identity per gate block, as the
 * recipes make IRNN-style recurrent weights — named `identity(blocks=k, gain=g)`.
 *
 * **Orthogonal per block** (2-D `[k·H, H]` or `[H, k·H]`, k ≥ 2: an LSTM's `weight_hh` with
 * its i, f, g, o blocks, a GRU's r, z, n, as the recipes make them — each block its own
 * orthogonal matrix): stacked orthogonal blocks of gain g have QᵀQ = k·g²I, like one tall
 * orthogonal matrix of gain √k·g, so the whole check cannot tell them apart; the check of
 * each block (`inspect-stats.ts`: the same sampled lines cut into the k blocks, one common
 * gain) can. When it passes, i.i.d. candidates get k times the structure term above (all k
 * blocks passing by chance), one tall orthogonal matrix (k − 1) times it (its blocks add up to
 * g²I, so k − 1 are free), and the candidate `orthogonal(blocks=k, gain=g)` the orthogonal
 * candidate's terms (gain prior, kurtosis, mean): its confidence is computed as orthogonal's.
 * One tall orthogonal matrix fails the block check (residual ≈ 1 or more) and stays
 * `orthogonal(gain=…)`. No spec of src/init makes k independent blocks in one tensor (the
 * model spec's recipe does, block k from the stream `<name>#<k>`), so these two have no
 * `spec`, and `noSpec` says why.
 *
 * **Delta-orthogonal** (Xiao et al. 2018): a kernel of rank ≥ 3 with more than one tap that
 * is exactly 0 everywhere but its centre tap (an exact structure: no random scheme of the
 * table makes an exact 0, let alone (K − 1)/K of them), and whose centre `[out, in]` slice
 * passes the orthogonality check above (residual ≤ ρ_tol of the dtype). The alternative is
 * an i.i.d. centre slice that passed by chance, with probability p ≈ (ρ_tol·√(2/π))^m: the
 * confidence is 1/(1 + p), 1 for all but the smallest slices. With a single tap the structure
 * says nothing (delta-orthogonal of a 1×1 kernel is orthogonal of the `[out, in]` matrix):
 * such a kernel is judged as any tensor, and `orthogonal` lists `delta-orthogonal` as
 * equivalent.
 *
 * **Sparse** (`sparse` of src/init, 2-D): every line of one axis holds exactly z zeros, 1 ≤
 * z < its length — per input (PyTorch's `sparsity`: z = ceil(sparsity·units)) or per unit
 * (Martens' `nonZero` = length − z). Tolerances of this exact test:
 * - float underflow can only add zeros (a non-zero draw rounding to 0): z is the fewest zeros
 *   of a line, and the other lines may hold E extra zeros in all, as long as E ≤ the count
 *   that a Poisson number of underflows (mean: non-zero count × P(|x| ≤ the dtype's
 *   {@link underflowThreshold}) for x ~ N(0, σ²)) exceeds with probability
 *   {@link UNDERFLOW_PROBABILITY} (1e-6): E = 0 in float32, a few in float16 at small σ;
 * - the zeros are placed at random in each line, so the zero counts of the other axis's lines
 *   are Binomial(N, p), p = z/length, N = number of counted lines: their variance over N·p·q
 *   is 1 within {@link DISPERSION_TOLERANCE} (6) standard errors √((2 + (1 − 6pq)/(Npq))/M)
 *   (M lines). This rules out zeros aligned along the other axis — a dense tensor with a
 *   zeroed unit has exactly one zero per input — and zeros placed too evenly.
 * A dense tensor has no exact zeros, or a few (float16 underflow, pruning) in some lines but
 * not the same number in all: it never passes. Given the structure, the table's i.i.d.
 * schemes (no exact zeros) are out; `sparse` (flat prior over ln σ in [10⁻⁴, 10]) meets
 * `unknown` on the non-zero values, which must look N(0, σ²): the kurtosis and mean terms
 * above over the non-zero count. The reported std is the shortest decimal within two
 * standard errors (σ̂·√2/√k) of the measured one; the sparsity the shortest decimal s with
 * ceil(s·units) = z (nearest z/units among equally short ones).
 *
 * Engine-neutral (no Node API).
 */

import { type Distribution, TRUNCATED_STD_AT_2, targetStd } from '../init/variance-scaling.js';
import type { SafetensorsDType } from '../io/safetensors.js';
import {
  fromBFloat16Bits,
  fromFloat16Bits,
  toBFloat16Bits,
  toFloat16Bits,
} from '../tensor/dtype.js';
import { type FanMode, type Fans, kernelGeometry, type Layout } from '../tensor/fans.js';
import { gain } from '../tensor/gain.js';
import type {
  BlockOrthogonalityCheck,
  LineCounts,
  PatternCheck,
  ZeroCounts,
} from './inspect-stats.js';

/**
 * Relative tolerance τ₀ of the scale term, above sampling error (1 %): with a fitted-scale
 * candidate beside them, named schemes need no room for other gains.
 */
export const SCALE_TOLERANCE = 0.01;
/** Tolerance κ₀ of the kurtosis term, above sampling error. */
export const KURTOSIS_TOLERANCE = 0.05;
/** Tolerance μ₀ of mean/std, above sampling error. */
export const MEAN_TOLERANCE = 0.01;
/**
 * Schemes of the same shape whose stds differ by less than this (1 %, {@link SCALE_TOLERANCE})
 * cannot be told apart: they are reported as equivalent.
 */
export const EQUIVALENCE_TOLERANCE = 0.01;
/**
 * Sparse: extra zeros (above the fewest of a line) are allowed up to the count that float
 * underflow of the non-zero draws exceeds with this probability.
 */
export const UNDERFLOW_PROBABILITY = 1e-6;
/**
 * Sparse: standard errors by which the dispersion of the other axis's zero counts may stray
 * from random placement.
 */
export const DISPERSION_TOLERANCE = 6;

/** A distribution shape a scheme draws from, with what the model needs of it. */
interface ShapeModel {
  /** Kurtosis μ₄/μ₂². */
  readonly kurtosis: number;
  /** n · Var(sample kurtosis), asymptotically (delta method). */
  readonly kurtosisVariance: number;
  /** Largest |x| / σ the distribution can reach (Infinity when unbounded). */
  readonly bound: number;
}

/**
 * The three shapes. Uniform on [−1, 1]: μ₂ 1/3, μ₄ 1/5, μ₆ 1/7, μ₈ 1/9. Normal: 1, 3, 15,
 * 105. Truncated at ±2: moments by the recursion I₂ₖ = (2k − 1)I₂ₖ₋₂ − 2^(2k−1)·2φ(2)/Z,
 * Z = erf(√2); n·Var b₂ = (μ₈ − μ₄²)/μ₂⁴ − 4μ₄(μ₆ − μ₂μ₄)/μ₂⁵ + 4μ₄²(μ₄ − μ₂²)/μ₂⁶.
 */
export const SHAPES: Readonly<Record<Distribution, ShapeModel>> = Object.freeze({
  uniform: { kurtosis: 1.8, kurtosisVariance: 1152 / 875, bound: Math.sqrt(3) },
  'truncated-normal': {
    kurtosis: 2.3655367171296495,
    kurtosisVariance: 3.848239343836024,
    bound: 2 / TRUNCATED_STD_AT_2,
  },
  normal: { kurtosis: 3, kurtosisVariance: 24, bound: Number.POSITIVE_INFINITY },
});

/** What a candidate scheme would produce, for a tensor's fans. */
interface Candidate {
  /** Short identifier (the table's name): `he-normal`, `torch-default`, `normal(0.02)` … */
  readonly scheme: string;
  /** What it is, in words. */
  readonly label: string;
  readonly distribution: Distribution;
  /** The std it gives. */
  readonly std: number;
  /** A spec of src/init that makes it (without seed). */
  readonly spec: Readonly<Record<string, unknown>>;
  /** A fitted-scale candidate (never equivalent to a named one), with its measured gain. */
  readonly fitted?: { readonly gain: number };
}

/** A fan-based scheme, as data. */
interface FanScheme {
  readonly scheme: string;
  readonly label: string;
  readonly distribution: Distribution;
  readonly gain: number;
  readonly mode: FanMode;
  readonly spec: Readonly<Record<string, unknown>>;
}

const SQRT2 = Math.sqrt(2);
/** PyTorch's default for Linear/Conv weights: kaiming_uniform_(a=√5) = U(±1/√fan_in). */
const TORCH_DEFAULT_GAIN = gain('leaky-relu', Math.sqrt(5));

const truncated = (scale: number, mode: FanMode) => ({
  name: 'variance-scaling',
  scale,
  mode,
  distribution: 'truncated-normal',
});

/** The schemes whose std depends on the fans, most common first (ties keep this order). */
export const FAN_SCHEMES: readonly FanScheme[] = [
  {
    scheme: 'torch-default',
    label: 'PyTorch default (kaiming_uniform_ a=√5: U(±1/√fan_in))',
    distribution: 'uniform',
    gain: TORCH_DEFAULT_GAIN,
    mode: 'fan-in',
    spec: { name: 'he-uniform', slope: Math.sqrt(5) },
  },
  {
    scheme: 'xavier-uniform',
    label: 'xavier-uniform (Glorot: U(±√(6/(fan_in+fan_out))))',
    distribution: 'uniform',
    gain: 1,
    mode: 'fan-avg',
    spec: { name: 'xavier-uniform' },
  },
  {
    scheme: 'xavier-normal',
    label: 'xavier-normal (Glorot: N(0, 2/(fan_in+fan_out)))',
    distribution: 'normal',
    gain: 1,
    mode: 'fan-avg',
    spec: { name: 'xavier-normal' },
  },
  {
    scheme: 'he-uniform',
    label: 'he-uniform (Kaiming, relu: U(±√(6/fan_in)))',
    distribution: 'uniform',
    gain: SQRT2,
    mode: 'fan-in',
    spec: { name: 'he-uniform' },
  },
  {
    scheme: 'he-normal',
    label: 'he-normal (Kaiming, relu: N(0, 2/fan_in))',
    distribution: 'normal',
    gain: SQRT2,
    mode: 'fan-in',
    spec: { name: 'he-normal' },
  },
  {
    scheme: 'lecun-uniform',
    label: 'lecun-uniform (U(±√(3/fan_in)))',
    distribution: 'uniform',
    gain: 1,
    mode: 'fan-in',
    spec: { name: 'lecun-uniform' },
  },
  {
    scheme: 'lecun-normal',
    label: 'lecun-normal (N(0, 1/fan_in))',
    distribution: 'normal',
    gain: 1,
    mode: 'fan-in',
    spec: { name: 'lecun-normal' },
  },
  {
    scheme: 'he-normal-fan-out',
    label: 'he-normal, mode fan-out (N(0, 2/fan_out), torchvision ResNets)',
    distribution: 'normal',
    gain: SQRT2,
    mode: 'fan-out',
    spec: { name: 'he-normal', mode: 'fan-out' },
  },
  {
    scheme: 'he-uniform-fan-out',
    label: 'he-uniform, mode fan-out (U(±√(6/fan_out)))',
    distribution: 'uniform',
    gain: SQRT2,
    mode: 'fan-out',
    spec: { name: 'he-uniform', mode: 'fan-out' },
  },
  {
    scheme: 'xavier-truncated-normal',
    label: 'xavier truncated normal (±2σ, variance exact: Keras glorot_normal)',
    distribution: 'truncated-normal',
    gain: 1,
    mode: 'fan-avg',
    spec: truncated(1, 'fan-avg'),
  },
  {
    scheme: 'he-truncated-normal',
    label: 'he truncated normal (±2σ, variance exact: Keras he_normal)',
    distribution: 'truncated-normal',
    gain: SQRT2,
    mode: 'fan-in',
    spec: truncated(2, 'fan-in'),
  },
  {
    scheme: 'lecun-truncated-normal',
    label: 'lecun truncated normal (±2σ, variance exact: Keras lecun_normal)',
    distribution: 'truncated-normal',
    gain: 1,
    mode: 'fan-in',
    spec: truncated(1, 'fan-in'),
  },
];

/** Schemes with a fixed std, whatever the fans. */
const FIXED_SCHEMES: readonly Candidate[] = [
  {
    scheme: 'normal(0.02)',
    label: 'N(0, 0.02²) (GPT-2, BERT, most transformers)',
    distribution: 'normal',
    std: 0.02,
    spec: { name: 'normal', std: 0.02 },
  },
  {
    scheme: 'trunc-normal(0.02)',
    label:
      'N(0, 0.02²) truncated at ±2σ, not rescaled (PyTorch trunc_normal_(std=0.02, a=-0.04, b=0.04))',
    distribution: 'truncated-normal',
    std: 0.02 * TRUNCATED_STD_AT_2,
    spec: { name: 'truncated-normal', std: 0.02, limit: 2 },
  },
  {
    scheme: 'normal(1)',
    label: 'N(0, 1) (PyTorch nn.Embedding default)',
    distribution: 'normal',
    std: 1,
    spec: { name: 'normal', std: 1 },
  },
];

/**
 * The std each fan-based scheme gives for these fans (and orthogonal's rms for a
 * `rows × cols` matrix when given): what `inspect` lists per tensor.
 * @example
 * schemeStds({ fanIn: 128, fanOut: 64 })
 * // { 'torch-default': 0.05103…, xavier: 0.10206…, he: 0.125, lecun: 0.08838…,
 * //   'he-fan-out': 0.17677…, 'normal(0.02)': 0.02 }
 */
export function schemeStds(
  fans: Fans,
  matrix?: { readonly rows: number; readonly cols: number },
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of FAN_SCHEMES) {
    if (s.distribution === 'truncated-normal') continue; // same std as the normal one
    out[s.scheme.replace(/-(uniform|normal)(-fan-out)?$/, '$2')] = targetStd(s.gain, fans, s.mode);
  }
  out['normal(0.02)'] = 0.02;
  if (matrix !== undefined && matrix.rows > 0 && matrix.cols > 0) {
    out.orthogonal = Math.sqrt(Math.min(matrix.rows, matrix.cols) / (matrix.rows * matrix.cols));
  }
  return out;
}

/** The measured features of a tensor that detection uses. */
export interface SchemeFeatures {
  /** Number of finite values (the statistics below are over them). */
  readonly count: number;
  readonly mean: number;
  /** Population std. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** μ₄/μ₂² of the finite values (NaN when std is 0). */
  readonly kurtosis: number;
  /** The dtype the values were stored in (its rounding enters the tolerances). */
  readonly dtype: SafetensorsDType;
  /**
   * The sampled orthogonality check, when it ran: the largest deviation of the sampled Gram
   * matrix from s²I, relative to s² and scaled by √(line length) (≈ 1 for i.i.d. values),
   * the number of sampled lines, and their rms norm (the gain if the matrix is orthogonal).
   */
  readonly orthogonality?:
    | { readonly residual: number; readonly lines: number; readonly gain: number }
    | undefined;
  /**
   * The exact pattern, when the values are gain·I (identity), the Dirac pattern, or gain·I in
   * each of `blocks` square blocks of a `[k·H, H]` or `[H, k·H]` matrix (block-identity).
   */
  readonly pattern?: PatternCheck | undefined;
  /**
   * The orthogonality check of each square block of a 2-D `[k·H, H]` (`stacked` `rows`) or
   * `[H, k·H]` (`columns`) matrix, k = `blocks` ≥ 2, from the same sampled lines: residual as
   * `orthogonality`'s with √H, and the blocks' common rms line norm.
   */
  readonly blockOrthogonality?: BlockOrthogonalityCheck | undefined;
  /** Each block's value, when a 1-D tensor is constant on 4 or 3 equal blocks (gate biases). */
  readonly gates?: readonly number[] | undefined;
  /**
   * When the values are exactly 0 off the kernel centre (rank ≥ 3, more than one tap): the
   * orthogonality check of the centre `[out, in]` slice (as `orthogonality`).
   */
  readonly centre?:
    | { readonly residual: number; readonly lines: number; readonly gain: number }
    | undefined;
  /** Zeros per unit and per input of a 2-D tensor, and the non-zero values' moments. */
  readonly zeroCounts?: ZeroCounts | undefined;
}

/** What detection knows of a tensor besides its values. */
export interface SchemeContext {
  /** Fans of a weight of rank ≥ 2 (or of the weight a bias belongs to). */
  readonly fans?: Fans | undefined;
  /** Whether `fans` are the tensor's own (rank ≥ 2) or borrowed from its weight (a bias). */
  readonly borrowedFans?: boolean;
  /** Hidden size of the recurrent layer the tensor belongs to (PyTorch RNN/LSTM/GRU). */
  readonly rnnHidden?: number | undefined;
  /** The tensor's shape (kernel taps, channels). */
  readonly shape?: readonly number[] | undefined;
  /** Where in and out sit in the shape (default `'out-in'`); specs that depend on it carry it. */
  readonly layout?: Layout | undefined;
}

/** One scheme as detection reports it. */
export interface SchemeGuess {
  readonly scheme: string;
  readonly label: string;
  /** Posterior probability (of its group of equivalent schemes). */
  readonly confidence: number;
  /** The std the scheme predicts (random schemes). */
  readonly expectedStd?: number;
  /** Measured std / predicted std. */
  readonly ratio?: number;
  /** Distribution shape of the scheme. */
  readonly distribution?: Distribution;
  /**
   * The measured gain of orthogonal, delta-orthogonal, identity and dirac (each block's, per
   * block), the value of a
   * constant, the std of sparse's non-zero weights, or a fitted-scale scheme's measured gain on
   * the fan of its spec (its std for a fixed uniform/normal/truncated-normal spec).
   */
  readonly value?: number;
  /** Schemes that predict the same distribution for these fans (stds within 1 %): indistinguishable. */
  readonly equivalent: readonly string[];
  /** A src/init spec that makes it (seed and stream to add). */
  readonly spec?: Readonly<Record<string, unknown>>;
  /** Number of square blocks of a per-block structure (orthogonal or identity per gate block). */
  readonly blocks?: number;
  /** Why there is no `spec`, when no src/init spec can remake the tensor. */
  readonly noSpec?: string;
}

/** A candidate's score. */
export interface CandidateScore {
  readonly scheme: string;
  readonly logLikelihood: number;
  readonly probability: number;
}

/** The outcome of {@link detectScheme}. */
export interface Detection {
  readonly best: SchemeGuess;
  /** The most likely scheme outside the best's equivalence group. */
  readonly runnerUp: SchemeGuess | null;
  /** Every candidate, most likely first. */
  readonly candidates: readonly CandidateScore[];
  /** Which shape the values have, judged from kurtosis and max |x| alone (null for exact structures). */
  readonly shape: Distribution | null;
}

/** Unit roundoff of a dtype (half the distance from 1 to the next value). */
export function unitRoundoff(dtype: SafetensorsDType): number {
  switch (dtype) {
    case 'F64':
      return 2 ** -53;
    case 'F16':
      return 2 ** -11;
    case 'BF16':
      return 2 ** -8;
    default:
      return 2 ** -24;
  }
}

/**
 * Largest residual of the orthogonality check an orthogonal matrix stored in `dtype` may show:
 * 32 unit roundoffs (the rounding of the stored values gives about 3), and at least 0.01 (a
 * float32 QR, as PyTorch's, loses a few more digits). An i.i.d. matrix shows about 1.
 */
export function orthogonalTolerance(dtype: SafetensorsDType): number {
  return Math.max(32 * unitRoundoff(dtype), 0.01);
}

/**
 * Largest |x| that a dtype rounds to 0 (half its smallest subnormal; values come through
 * float32, so float64 adds none).
 * @example underflowThreshold('F16') // 2⁻²⁵ ≈ 2.98e-8
 */
export function underflowThreshold(dtype: SafetensorsDType): number {
  switch (dtype) {
    case 'F16':
      return 2 ** -25;
    case 'BF16':
      return 2 ** -134;
    case 'F64':
      return 0;
    default:
      return 2 ** -150;
  }
}

/**
 * The count k that a Poisson variable of mean `lambda` exceeds with probability below
 * {@link UNDERFLOW_PROBABILITY} (a normal bound above mean 100).
 * @example allowedExcessZeros(0.01) // 2 (P(X > 2) ≈ 1.7e-7)
 */
export function allowedExcessZeros(lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 100) return Math.ceil(lambda + 5 * Math.sqrt(lambda));
  let pmf = Math.exp(-lambda);
  let cdf = pmf;
  let k = 0;
  while (1 - cdf >= UNDERFLOW_PROBABILITY) {
    k++;
    pmf *= lambda / k;
    cdf += pmf;
  }
  return k;
}

/** Three significant digits, for labels. */
function round(x: number): number {
  return Number(x.toPrecision(3));
}

/**
 * A decimal of the fewest significant digits in [low, high] that `fits` (of those, the one
 * nearest `centre`), for reported parameters; `centre` (> 0) if none.
 * @example shortestDecimal(0.75, 0.725, 0.75) // 0.75 (0.73 and 0.74 are as short)
 */
export function shortestDecimal(
  centre: number,
  low: number,
  high: number,
  fits: (c: number) => boolean = () => true,
): number {
  if (!(centre > 0)) return centre;
  const e = Math.floor(Math.log10(centre));
  for (let digits = 1; digits <= 17; digits++) {
    // Multiples of 10^p: p = e − digits + 1; k / 10^−p is the nearest double to the decimal.
    const p = e - digits + 1;
    const value = (k: number) => (p < 0 ? k / 10 ** -p : k * 10 ** p);
    const step = 10 ** p;
    const first = Math.ceil(low / step);
    const last = Math.floor(high / step);
    if (first > last) continue;
    const k = Math.min(last, Math.max(first, Math.round(centre / step)));
    // The nearest, then its neighbours (the bounds may be open for `fits`).
    for (const j of [k, k - 1, k + 1]) {
      const c = value(j);
      if (j >= first && j <= last && c >= low && c <= high && fits(c)) return c;
    }
  }
  return centre;
}

/**
 * The shortest decimal that a `dtype` file stores as `value` (either sign): a stored constant as
 * it was most likely written, so that its spec remakes the same bits (0.1 for the float32
 * 0.10000000149011612).
 * @example storedDecimal(Math.fround(0.1), 'F32') // 0.1
 */
export function storedDecimal(value: number, dtype: SafetensorsDType): number {
  const a = Math.abs(value);
  const u = unitRoundoff(dtype);
  const d = shortestDecimal(a, a * (1 - u), a * (1 + u), (c) => storedAs(c, dtype) === a);
  return value < 0 ? -d : d;
}

/** `x` rounded to `dtype` (to nearest even), as a number. */
function storedAs(x: number, dtype: SafetensorsDType): number {
  switch (dtype) {
    case 'F64':
      return x;
    case 'F16':
      return fromFloat16Bits(toFloat16Bits(x));
    case 'BF16':
      return fromBFloat16Bits(toBFloat16Bits(x));
    default:
      return Math.fround(x);
  }
}

/**
 * A measured gain (an rms over whole lines of rounded values, good to the dtype's roundoff) as
 * the shortest decimal within that roundoff.
 * @example measuredGain(2.000000001302, 'F32') // 2
 */
export function measuredGain(value: number, dtype: SafetensorsDType): number {
  const u = unitRoundoff(dtype);
  return shortestDecimal(value, value * (1 - u), value * (1 + u));
}

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln of the normal density N(x; mu, sd²). */
function logNormal(x: number, mu: number, sd: number): number {
  const z = (x - mu) / sd;
  return -0.5 * z * z - Math.log(sd) - HALF_LN_2PI;
}

/** Flat densities of the `unknown` candidate. */
const UNKNOWN_LOG_LIKELIHOOD = -Math.log(Math.log(1e9)) - Math.log(10) - Math.log(20);
/** Flat prior of an orthogonal matrix's gain, ln g over [ln 0.1, ln 10]. */
const ORTHOGONAL_GAIN_LOG_PRIOR = -Math.log(2 * Math.log(10));

/**
 * ln of the probability that an i.i.d. matrix passes the orthogonality check over `lines`
 * sampled lines (see the module's documentation).
 */
function iidPassesLogProbability(lines: number, dtype: SafetensorsDType): number {
  const pairs = (lines * (lines - 1)) / 2;
  return pairs * Math.log(Math.min(1, orthogonalTolerance(dtype) * Math.sqrt(2 / Math.PI)));
}

/** Shape terms (kurtosis and support) of a distribution for these features. */
function shapeLogLikelihood(f: SchemeFeatures, d: Distribution, maxAbs: number): number {
  const s = SHAPES[d];
  const n = f.count;
  let ll = logNormal(
    f.kurtosis,
    s.kurtosis,
    Math.sqrt(s.kurtosisVariance / n + KURTOSIS_TOLERANCE ** 2),
  );
  if (Number.isFinite(s.bound)) {
    const e = Math.log(maxAbs / (f.std * s.bound));
    const tau = Math.sqrt((s.kurtosis - 1) / (4 * n)) + unitRoundoff(f.dtype);
    if (e > 0) ll += -0.5 * (e / tau) ** 2;
  }
  return ll;
}

/**
 * Scale term: ln(measured/expected std) against the sampling error plus the model tolerance.
 * A uniform's std is measured from its bound, max|x|·(1 + 1/n)/√3 (E max = a·n/(n + 1); error
 * about 1/n + the dtype's roundoff, far below the sample std's); any other shape's is the std.
 */
function scaleLogLikelihood(
  f: SchemeFeatures,
  d: Distribution,
  expected: number,
  maxAbs: number,
): number {
  if (d === 'uniform') {
    const tau = Math.hypot(1 / f.count + unitRoundoff(f.dtype), SCALE_TOLERANCE);
    return logNormal(Math.log((maxAbs * (1 + 1 / f.count)) / Math.sqrt(3) / expected), 0, tau);
  }
  const tau = Math.sqrt((SHAPES[d].kurtosis - 1) / (4 * f.count) + SCALE_TOLERANCE ** 2);
  return logNormal(Math.log(f.std / expected), 0, tau);
}

/** The candidates for a context (random schemes only). */
function candidatesFor(ctx: SchemeContext): Candidate[] {
  const list: Candidate[] = [];
  // First: among equivalent schemes the first one listed names the group.
  if (ctx.rnnHidden !== undefined && ctx.rnnHidden > 0) {
    const bound = 1 / Math.sqrt(ctx.rnnHidden);
    list.push({
      scheme: 'torch-rnn-default',
      label: 'PyTorch RNN/LSTM/GRU default (U(±1/√hidden_size))',
      distribution: 'uniform',
      std: bound / Math.sqrt(3),
      spec: { name: 'uniform', low: -bound, high: bound },
    });
  }
  const fans = ctx.fans;
  if (fans !== undefined && fans.fanIn > 0 && fans.fanOut > 0) {
    // A bias borrows its weight's fan-in: only PyTorch's default U(±1/√fan_in) applies.
    const schemes = ctx.borrowedFans ? FAN_SCHEMES.slice(0, 1) : FAN_SCHEMES;
    for (const s of schemes) {
      list.push({
        scheme: s.scheme,
        label: s.label,
        distribution: s.distribution,
        std: targetStd(s.gain, fans, s.mode),
        spec: s.spec,
      });
    }
  }
  list.push(...FIXED_SCHEMES);
  return list;
}

/** The fitted gain's prior range (each fan mode): ln g flat over [0.1, 10], as orthogonal's gain. */
export const FITTED_GAIN_RANGE: readonly [number, number] = [0.1, 10];
/** Prior weight of each fitted-scale candidate: the family weighs one scheme, a third per shape. */
export const FITTED_LOG_PRIOR = -Math.log(3);
/** The fan modes of the fitted gain, in the order that names ties (Glorot, then Kaiming). */
const FIT_MODES: readonly FanMode[] = ['fan-avg', 'fan-in', 'fan-out'];

/**
 * ln of the prior density of ln std under the fitted-scale family (with its weight): the mixture
 * over the fan modes of a flat ln g over {@link FITTED_GAIN_RANGE}; null when no mode puts the
 * std in range.
 */
function fittedLogPrior(std: number, fans: Fans): number | null {
  const [lo, hi] = FITTED_GAIN_RANGE;
  const k = FIT_MODES.filter((m) => {
    const g = std / targetStd(1, fans, m);
    return g >= lo && g <= hi;
  }).length;
  if (k === 0) return null;
  return FITTED_LOG_PRIOR + Math.log(k / FIT_MODES.length) - Math.log(Math.log(hi / lo));
}

/** Significant digits of a decimal (as the shortest round-trip string has them). */
function digits(x: number): number {
  for (let k = 1; k < 17; k++) if (Number(x.toPrecision(k)) === x) return k;
  return 17;
}

/** Gains of `calculate_gain` that a spec can name instead of a number. */
const NAMED_GAINS: readonly [string, number][] = [
  ['tanh', 5 / 3],
  ['relu', SQRT2],
  ['selu', 3 / 4],
];

/** One way to write a fitted std as a spec. */
interface FitOption {
  readonly spec: Record<string, unknown>;
  /** The std that spec gives. */
  readonly std: number;
  /** The measured gain on the spec's fan (the std for a fixed-std spec). */
  readonly gain: number;
  /** Description length: 2 ln 10 per significant digit, plus ½z² of the std it gives. */
  readonly cost: number;
}

/**
 * The most natural spec for a fitted std (a minimum description length choice): for each fan
 * mode (fan-avg as xavier, fan-in as he, fan-out as he with `mode: 'fan-out'`) the preset with
 * a `gain`, a `nonlinearity` (tanh, relu, selu) or a leaky-relu `slope` (he only), then for
 * each mode Keras' `variance-scaling` with its `scale` = gain², then a fixed `uniform(±a)`, `normal(std)` or
 * `truncated-normal(std, limit 2)`; truncated normals only as `variance-scaling` or fixed. Each
 * parameter is the shortest decimal whose std lies within 3 standard errors of the measured one
 * (`centre`·e^(±3se)); the option costs 2 ln 10 per significant digit (a prior of 1/10 per
 * extra digit, shared by 10 times as many values; a named nonlinearity counts one digit) plus
 * ½z² of its std, z in standard errors: a digit is worth 3 standard errors, so a round value
 * 2 se off beats a longer one at the centre. Ties go to the first option in the order above.
 * @example
 * // U(±1.5·√(6/128)) on a 64×64 weight: max |x| gives the bound to ~1/n
 * describeFit('uniform', 0.1875, 0.0003, { fanIn: 64, fanOut: 64 }).spec
 * // { name: 'xavier-uniform', gain: 1.5 }
 */
export function describeFit(d: Distribution, centre: number, se: number, fans: Fans): FitOption {
  const options: FitOption[] = [];
  /** Adds the option whose parameter p (interval [lo, hi]) gives the std stdOf(p). */
  const add = (
    p: number,
    lo: number,
    hi: number,
    stdOf: (p: number) => number,
    spec: (p: number) => Record<string, unknown>,
    gain: number,
    named = false,
  ) => {
    const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
    const value = named ? p : shortestDecimal(p, a, b, (c) => c > 0);
    if (!(value > 0) || value < a || value > b) return;
    const std = stdOf(value);
    const z = Math.log(std / centre) / se;
    options.push({
      spec: spec(value),
      std,
      gain,
      cost: (named ? 1 : digits(value)) * 2 * Math.LN10 + 0.5 * z * z,
    });
  };
  const wide = Math.exp(3 * se);
  for (const mode of FIT_MODES) {
    const unit = targetStd(1, fans, mode);
    const g = centre / unit;
    const [gLo, gHi] = [g / wide, g * wide];
    if (d !== 'truncated-normal') {
      const name = `${mode === 'fan-avg' ? 'xavier' : 'he'}-${d}`;
      const base = mode === 'fan-out' ? { name, mode } : { name };
      const byGain = (x: number) => targetStd(x, fans, mode);
      add(g, gLo, gHi, byGain, (x) => ({ ...base, gain: x }), g);
      for (const [nonlinearity, v] of NAMED_GAINS) {
        if (v >= gLo && v <= gHi) add(v, v, v, byGain, () => ({ ...base, nonlinearity }), g, true);
      }
      // Leaky ReLU (PyTorch's `a`): gain √(2/(1 + a²)), so a = √(2/g² − 1), for g < √2.
      const slopeOf = (x: number) => Math.sqrt(2 / (x * x) - 1);
      if (mode !== 'fan-avg' && gLo < SQRT2) {
        add(
          slopeOf(Math.min(g, SQRT2)),
          gHi < SQRT2 ? slopeOf(gHi) : 0,
          slopeOf(gLo),
          (a) => targetStd(gain('leaky-relu', a), fans, mode),
          (a) => ({ ...base, slope: a }),
          g,
        );
      }
    }
  }
  for (const mode of FIT_MODES) {
    const g = centre / targetStd(1, fans, mode);
    add(
      g * g,
      (g * g) / (wide * wide),
      g * g * wide * wide,
      (x) => targetStd(Math.sqrt(x), fans, mode),
      (x) => ({ name: 'variance-scaling', scale: x, mode, distribution: d }),
      g,
    );
  }
  // Fixed: the bound of a uniform, the std of a normal, σ before truncation at ±2σ.
  const k = d === 'uniform' ? Math.sqrt(3) : d === 'normal' ? 1 : 1 / TRUNCATED_STD_AT_2;
  add(
    centre * k,
    (centre * k) / wide,
    centre * k * wide,
    (x) => x / k,
    (x) =>
      d === 'uniform'
        ? { name: 'uniform', low: -x, high: x }
        : d === 'normal'
          ? { name: 'normal', std: x }
          : { name: 'truncated-normal', std: x, limit: 2 },
    centre,
  );
  // Costs equal but for rounding (the same std written two ways) keep the earlier option.
  return options.reduce((a, b) => (b.cost < a.cost - 1e-9 ? b : a));
}

/** `he-normal(mode=fan-out, gain=0.5)`: a spec as the table names it. */
function specName(spec: Readonly<Record<string, unknown>>): string {
  const { name, ...rest } = spec;
  const kv = Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`);
  return `${String(name)}(${kv.join(', ')})`;
}

/**
 * The fitted-scale candidate of a shape (see the module's documentation), or null when no fan
 * mode puts the std in the gain range. Its std is estimated from max |x| for a uniform (the
 * bound: within 1 − u and (1 + u)(1 + ln(10⁶)/n) of max|x|/√3, u the dtype's roundoff, since
 * P(bound − max > bound·t) = (1 − t)ⁿ), from the std otherwise (standard error √((κ − 1)/(4n))
 * of ln std, plus u).
 */
function fittedCandidate(
  f: SchemeFeatures,
  d: Distribution,
  fans: Fans,
  maxAbs: number,
): (Candidate & { prior: number }) | null {
  const prior = fittedLogPrior(f.std, fans);
  if (prior === null) return null;
  const u = unitRoundoff(f.dtype);
  let centre: number;
  let se: number;
  if (d === 'uniform') {
    const lo = Math.log(1 - u);
    const hi = Math.log(1 + u) + Math.log(1e6) / f.count;
    centre = (maxAbs / Math.sqrt(3)) * Math.exp((lo + hi) / 2);
    se = (hi - lo) / 4;
  } else {
    centre = f.std;
    se = Math.sqrt((SHAPES[d].kurtosis - 1) / (4 * f.count)) + u;
  }
  const fit = describeFit(d, centre, se, fans);
  const shape = d === 'truncated-normal' ? 'normal truncated at ±2σ' : d;
  return {
    scheme: specName(fit.spec),
    label: `${shape} with its scale fitted to the data (std ${round(centre)}; gain ${FIT_MODES.map((m) => `${round(centre / targetStd(1, fans, m))} on ${m}`).join(', ')})`,
    distribution: d,
    std: fit.std,
    spec: fit.spec,
    fitted: { gain: fit.gain },
    prior,
  };
}

/** Sorted candidates, grouped into equivalence classes, to a Detection. */
function decide(
  scored: { c: Candidate | null; scheme: string; label: string; ll: number; extra?: object }[],
  f: SchemeFeatures,
  shape: Distribution | null,
): Detection {
  const top = Math.max(...scored.map((s) => s.ll));
  const weights = scored.map((s) => Math.exp(s.ll - top));
  const total = weights.reduce((a, b) => a + b, 0);
  const ranked = scored
    .map((s, i) => ({ ...s, p: weights[i] / total, order: i }))
    .sort((a, b) => b.ll - a.ll);
  const same = (a: Candidate | null, b: Candidate | null) =>
    a !== null &&
    b !== null &&
    a.fitted === undefined &&
    b.fitted === undefined &&
    a.distribution === b.distribution &&
    Math.abs(Math.log(a.std / b.std)) < EQUIVALENCE_TOLERANCE;
  const guess = (i: number): SchemeGuess => {
    const group = ranked.filter((r, j) => j === i || same(r.c, ranked[i].c));
    // The group is named by its first candidate in the table's order (most common first).
    const s = group.reduce((a, r) => (r.order < a.order ? r : a));
    const g: SchemeGuess = {
      scheme: s.scheme,
      label: s.label,
      confidence: group.reduce((a, r) => a + r.p, 0),
      equivalent: group.filter((r) => r !== s).map((r) => r.scheme),
      ...(s.c === null
        ? {}
        : {
            expectedStd: s.c.std,
            ratio: f.std / s.c.std,
            distribution: s.c.distribution,
            spec: s.c.spec,
            ...(s.c.fitted === undefined ? {} : { value: s.c.fitted.gain }),
          }),
      ...s.extra,
    };
    return g;
  };
  const best = guess(0);
  const other = ranked.findIndex(
    (r, j) => j > 0 && !best.equivalent.includes(r.scheme) && r.scheme !== best.scheme,
  );
  return {
    best,
    runnerUp: other < 0 ? null : guess(other),
    candidates: ranked.map((r) => ({ scheme: r.scheme, logLikelihood: r.ll, probability: r.p })),
    shape,
  };
}

/** PyTorch's gate order of an LSTM and of a GRU (the blocks of their stacked biases). */
const GATE_NAMES: Readonly<Record<number, readonly string[]>> = {
  4: ['i', 'f', 'g', 'o'],
  3: ['r', 'z', 'n'],
};

/**
 * `4 blocks of 128×128 stacked along dimension 0 (gates i, f, g, o)`: gates are named when the
 * blocks are stacked (PyTorch's layout) in a recurrent layer whose hidden size is their side.
 */
function blocksText(
  count: number,
  size: number | undefined,
  stacked: 'rows' | 'columns',
  ctx: SchemeContext,
): string {
  const names = GATE_NAMES[count];
  const gates =
    names !== undefined && stacked === 'rows' && size !== undefined && ctx.rnnHidden === size;
  const side = size === undefined ? '' : ` of ${size}×${size}`;
  const along = stacked === 'rows' ? 'stacked along dimension 0' : 'side by side along dimension 1';
  return `${count} blocks${side} ${along}${gates ? ` (gates ${names.join(', ')})` : ''}`;
}

/**
 * Why a per-block structure has no spec: src/init makes one matrix per tensor, and a model
 * spec's override gives one strategy for the whole tensor.
 */
function noBlockSpec(kind: 'orthogonal' | 'identity', count: number): string {
  const whole =
    kind === 'orthogonal'
      ? 'orthogonal of the whole tensor is one orthogonal matrix, whose blocks are not orthogonal'
      : 'identity of the whole tensor is eye_, g·I in the first block only';
  return `no src/init spec makes ${count} independent ${kind} blocks in one tensor (${whole}), and a model spec's override takes one strategy for the whole tensor; a model spec's rnn/lstm/gru layer makes it (recurrent: '${kind}', recurrentGain: the gain; block k drawn from the stream <name>#<k>)`;
}

/**
 * `constant per gate block i 0, f 1, g 0, o 0 (an LSTM forget-gate bias 1)`: gates are named
 * when the tensor belongs to a recurrent layer whose hidden size makes the blocks its gates.
 */
function gateLabel(values: readonly number[], count: number, ctx: SchemeContext): string {
  const names = GATE_NAMES[values.length];
  const gates =
    names !== undefined && ctx.rnnHidden !== undefined && ctx.rnnHidden * values.length === count;
  const list = values.map((v, k) => (gates ? `${names[k]} ${round(v)}` : `${round(v)}`));
  const [i, f, g, o] = values;
  const forget =
    gates && values.length === 4 && i === 0 && g === 0 && o === 0
      ? ` (an LSTM forget-gate bias ${round(f)})`
      : '';
  return `constant per ${gates ? 'gate ' : ''}block: ${list.join(', ')}${forget}`;
}

/**
 * The scheme a tensor most likely came from, with a confidence and the runner-up (see the
 * module's documentation for the model).
 * @example
 * detectScheme(
 *   { count: 8192, mean: 0, std: 0.1768, min: -0.306, max: 0.306, kurtosis: 1.8, dtype: 'F32' },
 *   { fans: { fanIn: 64, fanOut: 128 } },
 * ).best // { scheme: 'he-uniform', confidence: 0.99999991…, ratio: 1.00003…, … }
 */
export function detectScheme(f: SchemeFeatures, ctx: SchemeContext = {}): Detection {
  const exact = (scheme: string, label: string, extra: object): Detection => ({
    best: { scheme, label, confidence: 1, equivalent: [], ...extra },
    runnerUp: null,
    candidates: [{ scheme, logLikelihood: 0, probability: 1 }],
    shape: null,
  });
  if (f.count > 0 && f.min === f.max) {
    return f.min === 0
      ? exact('zeros', 'all zeros', { spec: { name: 'zeros' } })
      : exact('constant', `constant ${f.min}`, {
          value: f.min,
          spec: { name: 'constant', value: storedDecimal(f.min, f.dtype) },
        });
  }
  if (f.pattern?.kind === 'block-identity') {
    const { value, blocks = 0 } = f.pattern;
    const g = storedDecimal(value, f.dtype);
    const size = ctx.shape === undefined ? undefined : Math.min(ctx.shape[0], ctx.shape[1]);
    const stacked = ctx.shape !== undefined && ctx.shape[0] > ctx.shape[1] ? 'rows' : 'columns';
    return exact(
      `identity(blocks=${blocks}, gain=${g})`,
      `identity × ${value} per block: ${blocksText(blocks, size, stacked, ctx)}, each ${g === 1 ? 'I' : `${g}·I`} (IRNN-style recurrent weights per gate block; Le et al. 2015)`,
      { value, blocks, noSpec: noBlockSpec('identity', blocks) },
    );
  }
  if (f.pattern !== undefined) {
    const { kind, value } = f.pattern;
    return exact(
      kind,
      kind === 'identity' ? `identity × ${value} (eye_)` : `Dirac × ${value} (dirac_)`,
      {
        value,
        spec: {
          name: kind,
          gain: storedDecimal(value, f.dtype),
          ...(kind === 'dirac' ? layoutOf(ctx) : {}),
        },
      },
    );
  }
  if (f.gates !== undefined) {
    return exact('gate-constant', gateLabel(f.gates, f.count, ctx), {});
  }
  if (f.centre !== undefined && f.centre.residual <= orthogonalTolerance(f.dtype)) {
    return deltaOrthogonal(f, f.centre, ctx);
  }
  const fit = f.zeroCounts === undefined ? null : sparseFit(f.zeroCounts, f.dtype);
  if (fit !== null) return sparse(f, fit, ctx);
  const { maxAbs, shape, shapeLL, meanLL } = marginal(f);
  // Structure: an orthogonality check that passed makes i.i.d. schemes unlikely; so does
  // each block's (an i.i.d. matrix passes all k with probability p^k, and then the whole one).
  const orth = f.orthogonality;
  const tolerance = orthogonalTolerance(f.dtype);
  const blocks = f.blockOrthogonality;
  const perBlock = blocks !== undefined && blocks.residual <= tolerance;
  const passed = orth !== undefined && orth.residual <= tolerance;
  let structureLL = 0;
  if (perBlock) structureLL = blocks.blocks * iidPassesLogProbability(blocks.lines, f.dtype);
  else if (passed) structureLL = iidPassesLogProbability(orth.lines, f.dtype);
  const orthogonalLL =
    ORTHOGONAL_GAIN_LOG_PRIOR +
    logNormal(f.kurtosis, 3, Math.sqrt(24 / f.count + 0.3 ** 2)) +
    meanLL;
  const scored: Scored[] = candidatesFor(ctx).map((c) => ({
    c,
    scheme: c.scheme,
    label: c.label,
    ll:
      scaleLogLikelihood(f, c.distribution, c.std, maxAbs) +
      shapeLL(c.distribution) +
      meanLL +
      structureLL,
  }));
  // A bias borrows its weight's fans: only PyTorch's default applies to it.
  const fans = ctx.fans;
  if (fans !== undefined && fans.fanIn > 0 && fans.fanOut > 0 && !ctx.borrowedFans) {
    for (const d of ['uniform', 'normal', 'truncated-normal'] as const) {
      const c = fittedCandidate(f, d, fans, maxAbs);
      if (c === null) continue;
      scored.push({
        c,
        scheme: c.scheme,
        label: c.label,
        ll: c.prior + shapeLL(d) + meanLL + structureLL,
      });
    }
  }
  if (passed) {
    scored.push({
      c: null,
      scheme: 'orthogonal',
      label: `orthogonal × ${round(orth.gain)} (rows or columns orthonormal up to the gain)`,
      extra: {
        value: orth.gain,
        spec: { name: 'orthogonal', gain: measuredGain(orth.gain, f.dtype) },
      },
      // One orthogonal matrix whose k blocks all passed by chance: k − 1 of them are free
      // (the blocks' Gram matrices add up to the whole one's g²I).
      ll:
        orthogonalLL +
        (perBlock ? (blocks.blocks - 1) * iidPassesLogProbability(blocks.lines, f.dtype) : 0),
    });
  }
  if (perBlock) {
    const g = measuredGain(blocks.gain, f.dtype);
    scored.push({
      c: null,
      scheme: `orthogonal(blocks=${blocks.blocks}, gain=${g})`,
      label: `orthogonal × ${round(blocks.gain)} per block: ${blocksText(blocks.blocks, blocks.size, blocks.stacked, ctx)}, each its own orthogonal matrix (Saxe et al. 2014; one orthogonal ${blocks.stacked === 'rows' ? 'tall' : 'wide'} matrix would have the same ${blocks.stacked === 'rows' ? 'columns' : 'rows'} but blocks that are not orthogonal)`,
      extra: {
        value: blocks.gain,
        blocks: blocks.blocks,
        noSpec: noBlockSpec('orthogonal', blocks.blocks),
      },
      ll: orthogonalLL,
    });
  }
  const looks = shape === 'uniform' ? `±${round(maxAbs)}` : `std ${round(f.std)}`;
  scored.push({
    c: null,
    scheme: 'unknown',
    label: `none of the known schemes (${shape}-like, ${looks})`,
    ll: UNKNOWN_LOG_LIKELIHOOD,
  });
  const d = decide(scored, f, shape);
  // A kernel of one tap: delta-orthogonal is orthogonal of the [out, in] matrix.
  const single =
    ctx.shape !== undefined &&
    ctx.shape.length >= 3 &&
    kernelGeometry(ctx.shape, ctx.layout ?? 'out-in').kernelSize === 1;
  if (single && d.best.scheme === 'orthogonal') {
    return { ...d, best: { ...d.best, equivalent: [...d.best.equivalent, 'delta-orthogonal'] } };
  }
  return d;
}

/** A scored candidate: a random scheme of the table (`c`) or a structure (`c` null). */
interface Scored {
  c: Candidate | null;
  scheme: string;
  label: string;
  ll: number;
  extra?: object;
}

/** The terms of the marginal distribution of the values: shape (per distribution) and mean. */
function marginal(f: SchemeFeatures) {
  const maxAbs = Math.max(Math.abs(f.min), Math.abs(f.max));
  const shapes = (['uniform', 'truncated-normal', 'normal'] as const).map((d) => ({
    d,
    ll: shapeLogLikelihood(f, d, maxAbs),
  }));
  const shape = shapes.reduce((a, b) => (b.ll > a.ll ? b : a)).d;
  const shapeLL = (d: Distribution) => shapes.find((s) => s.d === d)!.ll;
  const meanLL = logNormal(f.mean / f.std, 0, Math.sqrt(1 / f.count + MEAN_TOLERANCE ** 2));
  return { maxAbs, shape, shapeLL, meanLL };
}

/** `{ layout: 'in-out' }` for specs whose meaning depends on the layout, in that layout. */
function layoutOf(ctx: SchemeContext): { layout?: Layout } {
  return ctx.layout === 'in-out' ? { layout: 'in-out' } : {};
}

/**
 * Delta-orthogonal, given a kernel zero off its centre whose centre slice passed the
 * orthogonality check: against an i.i.d. slice that passed by chance.
 */
function deltaOrthogonal(
  f: SchemeFeatures,
  centre: NonNullable<SchemeFeatures['centre']>,
  ctx: SchemeContext,
): Detection {
  const value = centre.gain;
  const g = measuredGain(value, f.dtype);
  // weightinit's delta-orthogonal needs out >= in (columns orthonormal).
  const wide = ctx.fans !== undefined && ctx.fans.fanOut < ctx.fans.fanIn;
  const scored: Scored[] = [
    {
      c: null,
      scheme: 'delta-orthogonal',
      label: `delta-orthogonal × ${round(value)} (zero but at the kernel centre, whose [out, in] slice is orthogonal${wide ? ' by rows: out < in' : ''}; Xiao et al. 2018)`,
      ll: 0,
      extra: {
        value,
        ...(wide ? {} : { spec: { name: 'delta-orthogonal', gain: g, ...layoutOf(ctx) } }),
      },
    },
    {
      c: null,
      scheme: 'unknown',
      label:
        'zero but at the kernel centre, an i.i.d. [out, in] slice there that passed the orthogonality check by chance',
      ll: iidPassesLogProbability(centre.lines, f.dtype),
    },
  ];
  return decide(scored, f, null);
}

/** A sparse structure: which semantics, the lines holding z zeros each. */
interface SparseFit {
  readonly semantics: 'sparsity' | 'nonZero';
  readonly lines: LineCounts;
  /** Zeros per line. */
  readonly zeros: number;
}

/** The sparse semantics whose exact zero counts the tensor has (see the module's documentation), or null. */
function sparseFit(z: ZeroCounts, dtype: SafetensorsDType): SparseFit | null {
  const nz = z.nonZero;
  if (!(nz.std > 0)) return null;
  // Chance that a non-zero draw N(0, σ²) rounds to 0 in this dtype.
  const p0 = Math.min(1, (2 * underflowThreshold(dtype)) / (nz.std * Math.sqrt(2 * Math.PI)));
  const allowed = allowedExcessZeros(nz.count * p0);
  const options = [
    ['sparsity', z.inputs, z.units],
    ['nonZero', z.units, z.inputs],
  ] as const;
  for (const [semantics, lines, cross] of options) {
    const zeros = lines.min;
    if (zeros < 1 || zeros >= lines.length) continue;
    if (lines.total - zeros * lines.lines > allowed) continue;
    // Random placement: the other axis's counts are Binomial(lines, p).
    const p = zeros / lines.length;
    const npq = lines.lines * p * (1 - p);
    const dispersion = cross.variance / npq;
    const se = Math.sqrt((2 + (1 - 6 * p * (1 - p)) / npq) / cross.lines);
    if (Math.abs(dispersion - 1) > DISPERSION_TOLERANCE * se + 1e-9) continue;
    return { semantics, lines, zeros };
  }
  return null;
}

/** Flat prior of sparse's std: ln σ over [ln 10⁻⁴, ln 10]. */
const SPARSE_STD_LOG_PRIOR = -Math.log(Math.log(1e5));

/** Sparse (the zero structure holds) against unknown, judged on the non-zero values. */
function sparse(f: SchemeFeatures, fit: SparseFit, ctx: SchemeContext): Detection {
  const nz = f.zeroCounts!.nonZero;
  const g: SchemeFeatures = {
    ...f,
    count: nz.count,
    mean: nz.mean,
    std: nz.std,
    kurtosis: nz.kurtosis,
  };
  const { shape, shapeLL, meanLL } = marginal(g);
  const { lines, zeros } = fit;
  const line = lines.along === 'rows' ? 'row' : 'column';
  const se = nz.std * Math.SQRT2 * Math.sqrt(1 / nz.count);
  const std = shortestDecimal(nz.std, nz.std - 2 * se, nz.std + 2 * se);
  let label: string;
  let spec: Record<string, unknown>;
  if (fit.semantics === 'sparsity') {
    const units = lines.length;
    // Any sparsity in ((z − 1)/units, z/units] makes z zeros: the shortest one.
    const sparsity = shortestDecimal(
      zeros / units,
      (zeros - 1) / units,
      zeros / units,
      (c) => Math.ceil(c * units) === zeros,
    );
    label = `sparse (PyTorch sparse_): sparsity ${sparsity}, ${zeros} of the ${units} weights of every input (${line}) zero, the rest N(0, ${std}²)`;
    spec = { name: 'sparse', sparsity, std, ...layoutOf(ctx) };
  } else {
    const nonZero = lines.length - zeros;
    label = `sparse (Martens 2010): ${nonZero} non-zero incoming weights of ${lines.length} for every unit (${line}), N(0, ${std}²)`;
    spec = { name: 'sparse', nonZero, std, ...layoutOf(ctx) };
  }
  const scored: Scored[] = [
    {
      c: null,
      scheme: 'sparse',
      label,
      ll: SPARSE_STD_LOG_PRIOR + shapeLL('normal') + meanLL,
      extra: { value: nz.std, spec },
    },
    {
      c: null,
      scheme: 'unknown',
      label: `zeros placed as sparse's (${zeros} of ${lines.length} in every ${line}), but the non-zero values do not look N(0, σ²) (kurtosis ${round(nz.kurtosis)}, mean/std ${round(nz.mean / nz.std)})`,
      ll: UNKNOWN_LOG_LIKELIHOOD,
    },
  ];
  return decide(scored, g, shape);
}
