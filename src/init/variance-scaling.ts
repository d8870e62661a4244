import { checkChoice, rangeError } from '../tensor/errors.js';
import { type FanMode, fanFor, parseFanMode } from '../tensor/fans.js';
import { gain as gainOf, type Nonlinearity, parseNonlinearity } from '../tensor/gain.js';
import type { Tensor } from '../tensor/tensor.js';
import { create, type PreparedParts, type Strategy, type StrategyName } from './initializer.js';
import {
  type Context,
  contextFans,
  type FanOptions,
  OPTION_KEYS,
  optionalNumber,
  type RandomOptions,
} from './options.js';
import { normalParts, truncatedNormalParts, uniformParts } from './random.js';

/** The distribution a variance-scaling strategy draws from. */
export type Distribution = 'uniform' | 'normal' | 'truncated-normal';
export const DISTRIBUTIONS: readonly Distribution[] = ['uniform', 'normal', 'truncated-normal'];

/**
 * The std of a standard normal truncated to ±2: Keras divides by it so that a truncated
 * normal at ±2σ has exactly the target variance.
 */
export const TRUNCATED_STD_AT_2 = 0.87962566103423978;

/** How the target std is scaled: one of `gain`, `nonlinearity` (+ `slope`), or `scale`. */
export interface GainOptions {
  /** Multiplies the std. Not with `nonlinearity` or `scale`. */
  gain?: number;
  /** Uses `gain(nonlinearity, slope)` (PyTorch's `calculate_gain`). */
  nonlinearity?: Nonlinearity | string;
  /** Negative slope of leaky-relu (PyTorch's `a`); alone it means `nonlinearity: 'leaky-relu'`. */
  slope?: number;
}

/** Options of the presets (xavier, he, lecun). */
export interface PresetOptions extends RandomOptions, FanOptions, GainOptions {
  /** Which fan to divide by; each preset has its default. */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
}

/** Options of `varianceScaling` (Keras `VarianceScaling`). */
export interface VarianceScalingOptions extends PresetOptions {
  /** Target variance scale: std = √(scale / fan). Default 1. Not with `gain`/`nonlinearity`. */
  scale?: number;
  /** Default `'truncated-normal'` (as Keras). */
  distribution?: Distribution;
}

/** A preset is data: its default mode, distribution and gain. */
interface Preset {
  readonly name: StrategyName;
  readonly fn: string;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly nonlinearity: Nonlinearity;
}

/**
 * The presets, as data (not subclasses). Xavier/Glorot: Glorot & Bengio 2010; He/Kaiming:
 * He et al. 2015; LeCun: LeCun et al. 1998 ("Efficient BackProp").
 */
export const PRESETS: readonly Preset[] = [
  {
    name: 'xavier-uniform',
    fn: 'xavierUniform',
    mode: 'fan-avg',
    distribution: 'uniform',
    nonlinearity: 'linear',
  },
  {
    name: 'xavier-normal',
    fn: 'xavierNormal',
    mode: 'fan-avg',
    distribution: 'normal',
    nonlinearity: 'linear',
  },
  {
    name: 'he-uniform',
    fn: 'heUniform',
    mode: 'fan-in',
    distribution: 'uniform',
    nonlinearity: 'relu',
  },
  {
    name: 'he-normal',
    fn: 'heNormal',
    mode: 'fan-in',
    distribution: 'normal',
    nonlinearity: 'relu',
  },
  {
    name: 'lecun-uniform',
    fn: 'lecunUniform',
    mode: 'fan-in',
    distribution: 'uniform',
    nonlinearity: 'linear',
  },
  {
    name: 'lecun-normal',
    fn: 'lecunNormal',
    mode: 'fan-in',
    distribution: 'normal',
    nonlinearity: 'linear',
  },
];

const PRESET_KEYS = [
  ...OPTION_KEYS.random,
  ...OPTION_KEYS.fans,
  'gain',
  'nonlinearity',
  'slope',
  'mode',
];

/** Resolves the gain from `gain`, `nonlinearity`/`slope` or `scale` (at most one way). */
function resolveGain(ctx: Context, o: VarianceScalingOptions, fallback: Nonlinearity): number {
  const ways = (['gain', 'nonlinearity', 'scale'] as const).filter((k) => o[k] !== undefined);
  if (ways.length > 1) {
    rangeError(
      ctx.fn,
      ways[1],
      `left out when \`${ways[0]}\` is given (give one of gain, nonlinearity, scale)`,
      o[ways[1]],
    );
  }
  if (o.gain !== undefined) {
    const g = optionalNumber(ctx.fn, 'gain', o.gain, 1);
    if (g < 0) rangeError(ctx.fn, 'gain', 'a number >= 0', g);
    if (o.slope !== undefined)
      rangeError(ctx.fn, 'slope', 'left out when `gain` is given', o.slope);
    return g;
  }
  if (o.scale !== undefined) {
    const s = optionalNumber(ctx.fn, 'scale', o.scale, 1);
    if (!(s > 0)) rangeError(ctx.fn, 'scale', 'a number > 0', s);
    return Math.sqrt(s);
  }
  const slope = o.slope === undefined ? undefined : optionalNumber(ctx.fn, 'slope', o.slope, 0);
  const name =
    o.nonlinearity !== undefined
      ? parseNonlinearity(ctx.fn, o.nonlinearity)
      : slope !== undefined
        ? 'leaky-relu'
        : fallback;
  if (slope !== undefined && name !== 'leaky-relu') {
    rangeError(ctx.fn, 'slope', 'given only with nonlinearity "leaky-relu"', slope);
  }
  return gainOf(name, slope);
}

/**
 * The target standard deviation, computed in PyTorch's order of operations so that
 * `rng: 'torch'` can match it bit for bit: `gain · √(2 / (fanIn + fanOut))` for `fan-avg`
 * (`xavier_*_`), `gain / √fan` otherwise (`kaiming_*_`).
 */
export function targetStd(
  gain: number,
  fans: { fanIn: number; fanOut: number },
  mode: FanMode,
): number {
  return mode === 'fan-avg'
    ? gain * Math.sqrt(2 / (fans.fanIn + fans.fanOut))
    : gain / Math.sqrt(fanFor(fans, mode));
}

/** Builds the fill for a resolved (mode, distribution, gain). */
function scalingParts(
  ctx: Context,
  o: VarianceScalingOptions,
  mode: FanMode,
  distribution: Distribution,
  gain: number,
): PreparedParts {
  const fans = contextFans(ctx, o);
  const fan = fanFor(fans, mode);
  if (ctx.size > 0 && !(fan > 0)) {
    rangeError(
      ctx.fn,
      mode === 'fan-in' ? 'fanIn' : mode === 'fan-out' ? 'fanOut' : 'fanIn + fanOut',
      'greater than 0 for a non-empty tensor',
      fan,
    );
  }
  const std = ctx.size === 0 ? 0 : targetStd(gain, fans, mode);
  let parts: PreparedParts;
  if (distribution === 'uniform') {
    const bound = Math.sqrt(3) * std;
    parts = uniformParts(ctx, o, -bound, bound);
  } else if (distribution === 'normal') {
    parts = normalParts(ctx, o, 0, std);
  } else {
    const sigma = std / TRUNCATED_STD_AT_2;
    parts = truncatedNormalParts(ctx, o, 0, sigma, -2 * sigma, 2 * sigma);
  }
  return { ...parts, fans, expected: { mean: 0, std } };
}

function presetStrategy(p: Preset): Strategy {
  return {
    name: p.name,
    fn: p.fn,
    keys: PRESET_KEYS,
    parts(ctx, o) {
      const mode = o.mode === undefined ? p.mode : parseFanMode(ctx.fn, o.mode);
      return scalingParts(ctx, o, mode, p.distribution, resolveGain(ctx, o, p.nonlinearity));
    },
  };
}

export const [XAVIER_UNIFORM, XAVIER_NORMAL, HE_UNIFORM, HE_NORMAL, LECUN_UNIFORM, LECUN_NORMAL] =
  PRESETS.map(presetStrategy);

export const VARIANCE_SCALING: Strategy = {
  name: 'variance-scaling',
  fn: 'varianceScaling',
  keys: [...PRESET_KEYS, 'scale', 'distribution'],
  parts(ctx, o) {
    const mode = o.mode === undefined ? 'fan-in' : parseFanMode(ctx.fn, o.mode);
    const distribution =
      o.distribution === undefined
        ? 'truncated-normal'
        : checkChoice(
            ctx.fn,
            'distribution',
            String(o.distribution).replace(/_/g, '-'),
            DISTRIBUTIONS,
          );
    return scalingParts(ctx, o, mode, distribution, resolveGain(ctx, o, 'linear'));
  },
};

/**
 * Xavier/Glorot uniform (Glorot & Bengio 2010), for tanh and sigmoid layers: keeps the
 * variance of activations and of gradients balanced across layers.
 * W ~ U(−a, a), a = gain · √(6 / (fanIn + fanOut)) — the document's formula (gain 1).
 * PyTorch `xavier_uniform_`, Keras/TF.js `glorotUniform`.
 *
 * Defaults: gain 1, layout `out-in`. Aliases: `glorot-uniform`, `xavier_uniform`.
 * @example xavierUniform([256, 128], { seed: 0 }) // bound √(6/384) = 0.125
 * @throws RangeError for fewer than 2 dimensions without `fanIn`/`fanOut`, a missing seed,
 *   or more than one of gain / nonlinearity.
 */
export function xavierUniform(shape: readonly number[], options: PresetOptions): Tensor {
  return create(XAVIER_UNIFORM, shape, options);
}

/**
 * Xavier/Glorot normal (Glorot & Bengio 2010): W ~ N(0, std²),
 * std = gain · √(2 / (fanIn + fanOut)). PyTorch `xavier_normal_`. (Keras `glorotNormal` draws a
 * truncated normal instead: that is `varianceScaling({ mode: 'fan-avg' })`.)
 *
 * Defaults: gain 1. Aliases: `glorot-normal`, `xavier_normal`.
 * @example xavierNormal([256, 128], { seed: 0 }) // std √(2/384) ≈ 0.0722
 */
export function xavierNormal(shape: readonly number[], options: PresetOptions): Tensor {
  return create(XAVIER_NORMAL, shape, options);
}

/**
 * He/Kaiming uniform (He et al. 2015), for ReLU-family layers: W ~ U(−b, b),
 * b = gain · √(3 / fan), gain √2 for ReLU, √(2/(1+slope²)) for leaky-relu.
 * PyTorch `kaiming_uniform_` (its `a` is `slope` here; `mode` fan-in by default).
 *
 * Defaults: nonlinearity relu, mode fan-in. Aliases: `kaiming-uniform`, `he_uniform`.
 * @example heUniform([256, 128], { seed: 0 }) // bound √(6/128) ≈ 0.2165
 */
export function heUniform(shape: readonly number[], options: PresetOptions): Tensor {
  return create(HE_UNIFORM, shape, options);
}

/**
 * He/Kaiming normal (He et al. 2015): W ~ N(0, gain²/fan), the document's N(0, 2/n_in) for
 * ReLU. Keeps ReLU networks from dying or exploding with depth. PyTorch `kaiming_normal_`.
 *
 * Defaults: nonlinearity relu, mode fan-in. Aliases: `kaiming-normal`, `he_normal`.
 * @example heNormal([256, 128], { seed: 0 }) // std √(2/128) = 0.125
 */
export function heNormal(shape: readonly number[], options: PresetOptions): Tensor {
  return create(HE_NORMAL, shape, options);
}

/**
 * LeCun uniform (LeCun et al. 1998): W ~ U(−b, b), b = √(3 / fanIn). With `selu` this is
 * the initialization self-normalizing networks need (Klambauer et al. 2017).
 * @example lecunUniform([256, 128], { seed: 0 }) // bound √(3/128) ≈ 0.1531
 */
export function lecunUniform(shape: readonly number[], options: PresetOptions): Tensor {
  return create(LECUN_UNIFORM, shape, options);
}

/**
 * LeCun normal (LeCun et al. 1998): W ~ N(0, 1/fanIn).
 * @example lecunNormal([256, 128], { seed: 0 }) // std √(1/128) ≈ 0.0884
 */
export function lecunNormal(shape: readonly number[], options: PresetOptions): Tensor {
  return create(LECUN_NORMAL, shape, options);
}

/**
 * Variance scaling (Keras `VarianceScaling`), the family all presets belong to:
 * std = √scale / √fan (or `gain`), fan by `mode`; drawn from `uniform` (bound √3·std),
 * `normal`, or `truncated-normal` (±2σ with σ = std / 0.8796256610342398, so the result has
 * exactly the target std, as Keras corrects it).
 *
 * Defaults: scale 1, mode fan-in, distribution truncated-normal.
 * @example varianceScaling([256, 128], { scale: 2, mode: 'fan-in', distribution: 'normal', seed: 0 })
 */
export function varianceScaling(shape: readonly number[], options: VarianceScalingOptions): Tensor {
  return create(VARIANCE_SCALING, shape, options);
}
