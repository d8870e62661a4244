import { checkChoice, checkInteger, rangeError } from '../tensor/errors.js';
import { LAYOUTS, type Layout } from '../tensor/fans.js';
import type { Tensor } from '../tensor/tensor.js';
import { create, type Strategy } from './initializer.js';
import {
  type BaseOptions,
  type Context,
  convKernel,
  OPTION_KEYS,
  optionalNumber,
} from './options.js';

/** Options of `identity`. */
export interface IdentityOptions extends BaseOptions {
  /** The value on the diagonal. Default 1. */
  gain?: number;
}

/** Options of `dirac`. */
export interface DiracOptions extends IdentityOptions {
  /** Number of groups of a grouped convolution; out channels must divide by it. Default 1. */
  groups?: number;
  /** `'out-in'` (default, `[out, in/groups, ...kernel]`) or `'in-out'` (`[...kernel, in/groups, out]`). */
  layout?: Layout;
}

function gainOf(ctx: Context, value: unknown): number {
  return optionalNumber(ctx.fn, 'gain', value, 1);
}

/** Mean and std of a tensor of `size` elements, `count` of them `value` and the rest 0. */
function indicatorMoments(value: number, count: number, size: number) {
  if (size === 0) return { mean: 0, std: 0 };
  const p = count / size;
  return { mean: value * p, std: Math.abs(value) * Math.sqrt(p * (1 - p)) };
}

/**
 * Fills `[start, start + out.length)` of a tensor that is zero but at the given sorted
 * positions, where it is `value`: any range can be filled on its own.
 */
function sparsePositionsFill(positions: readonly number[], value: number) {
  return (out: Float32Array | Float64Array, start: number): void => {
    out.fill(0);
    const end = start + out.length;
    for (const p of positions) if (p >= start && p < end) out[p - start] = value;
  };
}

export const IDENTITY: Strategy = {
  name: 'identity',
  fn: 'identity',
  keys: [...OPTION_KEYS.base, 'gain'],
  parts(ctx, o) {
    const g = gainOf(ctx, o.gain);
    if (ctx.shape.length !== 2)
      rangeError(ctx.fn, 'shape', '2 dimensions (use `dirac` for conv kernels)', ctx.shape);
    const [rows, cols] = ctx.shape;
    const n = Math.min(rows, cols);
    const positions = Array.from({ length: n }, (_, i) => i * cols + i);
    return {
      fans: { fanIn: cols, fanOut: rows },
      expected: indicatorMoments(g, n, ctx.size),
      chunkable: true,
      fill: sparsePositionsFill(positions, g),
    };
  },
};

export const DIRAC: Strategy = {
  name: 'dirac',
  fn: 'dirac',
  keys: [...OPTION_KEYS.base, 'gain', 'groups', 'layout'],
  parts(ctx, o) {
    const g = gainOf(ctx, o.gain);
    const layout =
      o.layout === undefined ? 'out-in' : checkChoice(ctx.fn, 'layout', o.layout, LAYOUTS);
    const groups = o.groups === undefined ? 1 : checkInteger(ctx.fn, 'groups', o.groups, 1);
    const k = convKernel(ctx, layout);
    if (k.outChannels % groups !== 0) {
      rangeError(ctx.fn, 'groups', `a divisor of the out channels (${k.outChannels})`, groups);
    }
    const perGroup = k.outChannels / groups;
    const positions: number[] = [];
    if (k.kernelSize > 0) {
      for (let grp = 0; grp < groups; grp++) {
        for (let d = 0; d < Math.min(perGroup, k.inChannels); d++) {
          positions.push(k.index(grp * perGroup + d, d, k.centre));
        }
      }
    }
    positions.sort((a, b) => a - b);
    return {
      expected: indicatorMoments(g, positions.length, ctx.size),
      chunkable: true,
      fill: sparsePositionsFill(positions, g),
    };
  },
};

/**
 * The identity matrix times `gain` (PyTorch `eye_` for non-square shapes: ones on the main
 * diagonal, as many inputs preserved as possible). The document's choice for the recurrent
 * weights W_hh of ReLU RNNs (IRNN, Le et al. 2015): the hidden state passes unchanged
 * across time steps at the start of training.
 *
 * Defaults: gain 1.
 * @example identity([2, 3]).data // Float32Array [1, 0, 0, 0, 1, 0]
 * @throws RangeError for a shape that is not 2-D.
 */
export function identity(shape: readonly number[], options: IdentityOptions = {}): Tensor {
  return create(IDENTITY, shape, options);
}

/**
 * The Dirac delta for convolution kernels (PyTorch `dirac_`): a convolution with this kernel
 * copies its input channels to the output (as many as possible, per group), the identity
 * through a convolution.
 *
 * Defaults: groups 1, gain 1, layout `out-in`.
 * @example dirac([2, 2, 3]).data // 1 at [0,0,1] and [1,1,1], zeros elsewhere
 * @throws RangeError for a shape that is not 3-D to 5-D, or groups not dividing out channels.
 */
export function dirac(shape: readonly number[], options: DiracOptions = {}): Tensor {
  return create(DIRAC, shape, options);
}
