/**
 * The document's first table made executable: which strategy fits which activation, as data.
 * One row per activation: the strategy, the nonlinearity whose gain it uses, the document row
 * and the papers behind it. `layerRecipe` and `recommend` read this table; nothing else
 * decides a weight's strategy from its activation.
 */
import type { InitSpec } from '../init/registry.js';
import { checkFinite, oneOf, rangeError, typeError } from '../tensor/errors.js';
import { DEFAULT_LEAKY_SLOPE, gain as gainOf } from '../tensor/gain.js';
import { DOCUMENT, PAPERS } from './sources.js';

/** The activation that follows a layer (what its weights are scaled for). */
export type Activation =
  | 'linear'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky-relu'
  | 'elu'
  | 'gelu'
  | 'silu'
  | 'selu'
  | 'softplus';

/** Every activation `layerRecipe` and `recommend` know, in the order of the table. */
export const ACTIVATIONS: readonly Activation[] = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leaky-relu',
  'elu',
  'gelu',
  'silu',
  'selu',
  'softplus',
];

/** Other names of the activations, after spelling is normalized (lower case, `_` → `-`). */
export const ACTIVATION_ALIASES: Readonly<Record<string, Activation>> = {
  identity: 'linear',
  none: 'linear',
  swish: 'silu',
  leakyrelu: 'leaky-relu',
};

/**
 * The canonical name of an activation from any accepted spelling: `'leaky_relu'`,
 * `'LeakyReLU'`, `'swish'`, `'identity'` … (lower case, `_` and spaces to `-`, then
 * `ACTIVATION_ALIASES`).
 * @param fn The calling function's name, for messages.
 * @param arg The argument's name, for messages.
 * @example parseActivation('recommend', 'activation', 'LeakyReLU') // 'leaky-relu'
 * @example parseActivation('recommend', 'activation', 'swish') // 'silu'
 * @throws TypeError for a non-string; RangeError for an unknown name, listing the valid ones.
 */
export function parseActivation(fn: string, arg: string, value: unknown): Activation {
  if (typeof value !== 'string') typeError(fn, arg, oneOf(ACTIVATIONS), value);
  const n = value
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
  const canonical = (ACTIVATIONS as readonly string[]).includes(n)
    ? (n as Activation)
    : ACTIVATION_ALIASES[n];
  if (canonical === undefined) rangeError(fn, arg, `${oneOf(ACTIVATIONS)} (or an alias)`, value);
  return canonical;
}

/** The strategy a row of the table picks. */
type RuleStrategy = 'xavier-uniform' | 'he-normal' | 'lecun-normal';

/** One row of the activation table. */
export interface ActivationRule {
  /** The strategy of a weight followed by this activation. */
  readonly strategy: RuleStrategy;
  /** For He: the nonlinearity of the gain (PyTorch's `calculate_gain`). Xavier and LeCun use gain 1. */
  readonly nonlinearity?: 'relu' | 'leaky-relu';
  /** What is done and why, in one sentence (the reason's first part). */
  readonly why: string;
  /** The document's row. */
  readonly row: string;
  /** The papers, full citations. */
  readonly papers: readonly string[];
}

const XAVIER_WHY =
  'Xavier uniform, U(±√(6/(fan_in+fan_out))), gain 1: keeps the variance of activations and of gradients balanced';

/**
 * The table. Distributions follow the document's formulas: Xavier uniform (its U(±√(6/(n_in +
 * n_out)))), He normal (its N(0, 2/n_in)).
 *
 * | activation | strategy | gain |
 * | --- | --- | --- |
 * | linear, sigmoid, tanh, softplus | xavier-uniform | 1 |
 * | relu, elu, gelu, silu | he-normal | √2 |
 * | leaky-relu | he-normal | √(2/(1+slope²)) |
 * | selu | lecun-normal | 1 |
 */
export const ACTIVATION_RULES: Readonly<Record<Activation, ActivationRule>> = {
  linear: {
    strategy: 'xavier-uniform',
    why: `${XAVIER_WHY} through a linear map (Glorot & Bengio's derivation is for the linear regime)`,
    row: DOCUMENT.xavier,
    papers: [PAPERS.glorot],
  },
  sigmoid: {
    strategy: 'xavier-uniform',
    why: `${XAVIER_WHY} for sigmoid units (PyTorch's calculate_gain('sigmoid') is 1 too)`,
    row: DOCUMENT.xavier,
    papers: [PAPERS.glorot],
  },
  tanh: {
    strategy: 'xavier-uniform',
    why:
      `${XAVIER_WHY} for tanh, which is the identity near 0; gain 1 is also the edge of chaos of ` +
      "deep tanh networks at zero bias, where PyTorch's calculate_gain('tanh') = 5/3 puts them on the chaotic side",
    row: DOCUMENT.xavier,
    papers: [PAPERS.glorot, PAPERS.meanField],
  },
  relu: {
    strategy: 'he-normal',
    nonlinearity: 'relu',
    why: 'He normal, N(0, 2/fan_in) (gain √2): ReLU zeroes half its inputs, so twice the variance keeps the signal from dying or exploding with depth',
    row: DOCUMENT.he,
    papers: [PAPERS.he],
  },
  'leaky-relu': {
    strategy: 'he-normal',
    nonlinearity: 'leaky-relu',
    why: 'He normal with gain √(2/(1+slope²)): the leaky rectifier keeps slope² of the negative half',
    row: DOCUMENT.he,
    papers: [PAPERS.he],
  },
  elu: {
    strategy: 'he-normal',
    nonlinearity: 'relu',
    why: "He normal with ReLU's gain √2: ELU is the identity for x > 0 and saturates below, like a rectifier (ELU networks were trained with He initialization)",
    row: DOCUMENT.he,
    papers: [PAPERS.he, PAPERS.elu],
  },
  gelu: {
    strategy: 'he-normal',
    nonlinearity: 'relu',
    why: "He normal with ReLU's gain √2: GELU is a smooth rectifier (E[gelu(x)²] ≈ 0.43 for x ~ N(0, 1), ReLU's 0.5)",
    row: DOCUMENT.he,
    papers: [PAPERS.he, PAPERS.gelu],
  },
  silu: {
    strategy: 'he-normal',
    nonlinearity: 'relu',
    why: "He normal with ReLU's gain √2: SiLU/Swish is a smooth rectifier, x·sigmoid(x)",
    row: DOCUMENT.he,
    papers: [PAPERS.he, PAPERS.silu],
  },
  selu: {
    strategy: 'lecun-normal',
    why: "LeCun normal, N(0, 1/fan_in): SELU's self-normalizing fixed point (mean 0, variance 1) needs exactly this variance (not PyTorch's calculate_gain('selu') = 3/4, which PyTorch itself says not to use for self-normalizing networks)",
    row: DOCUMENT.none,
    papers: [PAPERS.selu, PAPERS.lecun],
  },
  softplus: {
    strategy: 'xavier-uniform',
    why: `${XAVIER_WHY}: softplus has a positive mean (log 2 at 0), E[softplus(x)²] ≈ 0.92 for x ~ N(0, 1), so gain 1 holds the variance at a stable fixed point where He's √2 lets it grow layer by layer`,
    row: DOCUMENT.none,
    papers: [PAPERS.glorot, PAPERS.softplus],
  },
};

/**
 * The table's spec for a weight followed by `activation` (without seed/stream). `scale`
 * multiplies the gain (Fixup's L^(−1/(2m−2)) inside residual branches): the spec then carries
 * the numeric `gain`. `extra` adds options (explicit fans).
 */
export function weightSpec(
  activation: Activation,
  slope: number | undefined,
  scale = 1,
  extra: Readonly<Record<string, unknown>> = {},
): InitSpec {
  const rule = ACTIVATION_RULES[activation];
  let options: Record<string, unknown>;
  if (scale !== 1)
    options = {
      gain: (rule.nonlinearity === undefined ? 1 : gainOf(rule.nonlinearity, slope)) * scale,
    };
  else if (rule.nonlinearity === 'leaky-relu')
    options = { nonlinearity: 'leaky-relu', slope: slope ?? DEFAULT_LEAKY_SLOPE };
  else if (rule.nonlinearity !== undefined) options = { nonlinearity: rule.nonlinearity };
  else options = {};
  return { name: rule.strategy, ...options, ...extra };
}

/** Checks a leaky-relu slope: a finite number, given only with `leaky-relu`. */
export function checkSlope(
  fn: string,
  arg: string,
  activation: Activation,
  slope: unknown,
): number | undefined {
  if (slope === undefined) return undefined;
  const s = checkFinite(fn, arg, slope);
  if (activation !== 'leaky-relu')
    rangeError(fn, arg, 'given only with activation "leaky-relu"', s);
  return s;
}
