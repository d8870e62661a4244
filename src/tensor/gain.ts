import { checkChoice, checkFinite } from './errors.js';

/** Nonlinearities with a recommended gain (PyTorch's `calculate_gain` table), kebab-case. */
export type Nonlinearity =
  | 'linear'
  | 'identity'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv-transpose1d'
  | 'conv-transpose2d'
  | 'conv-transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky-relu'
  | 'selu';

export const NONLINEARITIES: readonly Nonlinearity[] = [
  'linear',
  'identity',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv-transpose1d',
  'conv-transpose2d',
  'conv-transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky-relu',
  'selu',
];

/** The negative slope `calculate_gain('leaky_relu')` assumes when none is given. */
export const DEFAULT_LEAKY_SLOPE = 0.01;

/** Accepts PyTorch's snake_case spellings (`leaky_relu`, `conv_transpose2d`) as well. */
export function parseNonlinearity(fn: string, value: unknown): Nonlinearity {
  const v = typeof value === 'string' ? value.toLowerCase().replace(/_/g, '-') : value;
  return checkChoice(fn, 'nonlinearity', v, NONLINEARITIES);
}

/**
 * The recommended gain for a nonlinearity, equal to PyTorch's `torch.nn.init.calculate_gain`:
 *
 * | nonlinearity | gain |
 * | --- | --- |
 * | linear, identity, conv{1,2,3}d, conv-transpose{1,2,3}d, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 |
 * | leaky-relu | √(2 / (1 + slope²)), slope 0.01 by default |
 * | selu | 3/4 |
 *
 * The gain multiplies the standard deviation so that the variance of activations stays
 * constant through layers of that nonlinearity (He et al. 2015 for the rectifiers; 5/3 for
 * tanh and 3/4 for SELU as PyTorch chose them).
 *
 * @param nonlinearity A name from the table; `leaky_relu` style spellings are accepted.
 * @param slope The negative slope of leaky-relu (ignored by the others).
 * @example gain('relu') // 1.4142135623730951
 * @example gain('leaky-relu', 0.2) // 1.3867504905630728
 * @throws RangeError for an unknown nonlinearity (listing the valid ones); TypeError/RangeError
 *   for a slope that is not a finite number.
 */
export function gain(nonlinearity: Nonlinearity | string, slope?: number): number {
  const name = parseNonlinearity('gain', nonlinearity);
  switch (name) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.sqrt(2);
    case 'leaky-relu': {
      const s = slope === undefined ? DEFAULT_LEAKY_SLOPE : checkFinite('gain', 'slope', slope);
      // slope * slope, as Python's `negative_slope ** 2` rounds (pow(x, 2) is exact-rounded x·x).
      return Math.sqrt(2 / (1 + s * s));
    }
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}
