/**
 * Activation functions with their first two derivatives, for mean-field theory.
 * Parameters follow PyTorch's defaults (leaky-relu slope 0.01, elu α 1, selu's α and λ of
 * Klambauer et al. 2017, gelu exact with erf).
 */
import { erfc } from '../../init/moments.js';

/** φ, φ′ and φ″ of an activation. */
export interface Activation {
  readonly name: string;
  f(x: number): number;
  d1(x: number): number;
  d2(x: number): number;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const INV_SQRT_2PI = 0.3989422804014327;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const pdf = (x: number) => INV_SQRT_2PI * Math.exp(-0.5 * x * x);
const cdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

/** The activations the lab knows, by name. */
export const ACTIVATION_FUNCTIONS: Readonly<Record<string, Activation>> = {
  linear: { name: 'linear', f: (x) => x, d1: () => 1, d2: () => 0 },
  tanh: {
    name: 'tanh',
    f: Math.tanh,
    d1: (x) => 1 - Math.tanh(x) ** 2,
    d2: (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2),
  },
  sigmoid: {
    name: 'sigmoid',
    f: sigmoid,
    d1: (x) => sigmoid(x) * (1 - sigmoid(x)),
    d2: (x) => sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x)),
  },
  relu: { name: 'relu', f: (x) => Math.max(x, 0), d1: (x) => (x > 0 ? 1 : 0), d2: () => 0 },
  'leaky-relu': {
    name: 'leaky-relu',
    f: (x) => (x > 0 ? x : 0.01 * x),
    d1: (x) => (x > 0 ? 1 : 0.01),
    d2: () => 0,
  },
  elu: {
    name: 'elu',
    f: (x) => (x > 0 ? x : Math.expm1(x)),
    d1: (x) => (x > 0 ? 1 : Math.exp(x)),
    d2: (x) => (x > 0 ? 0 : Math.exp(x)),
  },
  selu: {
    name: 'selu',
    f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    d1: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
    d2: (x) => (x > 0 ? 0 : SELU_SCALE * SELU_ALPHA * Math.exp(x)),
  },
  gelu: {
    name: 'gelu',
    f: (x) => x * cdf(x),
    d1: (x) => cdf(x) + x * pdf(x),
    d2: (x) => (2 - x * x) * pdf(x),
  },
  silu: {
    name: 'silu',
    f: (x) => x * sigmoid(x),
    d1: (x) => sigmoid(x) * (1 + x * (1 - sigmoid(x))),
    d2: (x) => sigmoid(x) * (1 - sigmoid(x)) * (2 + x * (1 - 2 * sigmoid(x))),
  },
  softplus: {
    name: 'softplus',
    f: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
    d1: sigmoid,
    d2: (x) => sigmoid(x) * (1 - sigmoid(x)),
  },
};

/** Names of {@link ACTIVATION_FUNCTIONS}. */
export const THEORY_ACTIVATIONS = Object.keys(ACTIVATION_FUNCTIONS);
