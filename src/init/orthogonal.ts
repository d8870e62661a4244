import { orthogonalize } from '../linalg/orthogonal.js';
import type { RandomSource } from '../random/source.js';
import { checkChoice, rangeError } from '../tensor/errors.js';
import { LAYOUTS, type Layout } from '../tensor/fans.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { create, type FloatArray, type Strategy, wholeTensorFill } from './initializer.js';
import {
  type Context,
  convKernel,
  OPTION_KEYS,
  optionalNumber,
  type RandomOptions,
  randomSource,
} from './options.js';

/** Options of `orthogonal` and `deltaOrthogonal`. */
export interface OrthogonalOptions extends RandomOptions {
  /** Multiplies the matrix: QᵀQ = gain²·I. Default 1. */
  gain?: number;
  /**
   * `'out-in'` (default): the matrix is `shape[0]` × the rest flattened (PyTorch).
   * `'in-out'`: the rest flattened × `shape[last]` (Keras).
   */
  layout?: Layout;
}

const KEYS = [...OPTION_KEYS.random, 'gain', 'layout'];

/**
 * A Haar-distributed `rows × cols` matrix with orthonormal rows (wide) or columns (tall),
 * times `gain`: standard normal draws (float32, row-major, the tensor's own stream), QR with
 * the sign fix of Mezzadri (2007), as PyTorch's `orthogonal_`.
 */
function haar(source: () => RandomSource, rows: number, cols: number, gain: number): Float64Array {
  const draws = new Float32Array(rows * cols);
  source().normal(draws, 0, 1, 0);
  const q = orthogonalize(Float64Array.from(draws), rows, cols);
  if (gain !== 1) for (let k = 0; k < q.length; k++) q[k] *= gain;
  return q;
}

/** The options orthogonal and delta-orthogonal share, validated. */
function common(ctx: Context, o: Record<string, unknown>) {
  const gain = optionalNumber(ctx.fn, 'gain', o.gain, 1);
  if (gain < 0) rangeError(ctx.fn, 'gain', 'a number >= 0', gain);
  const layout: Layout =
    o.layout === undefined ? 'out-in' : checkChoice(ctx.fn, 'layout', o.layout, LAYOUTS);
  return { gain, layout, source: randomSource(ctx.fn, o) };
}

export const ORTHOGONAL: Strategy = {
  name: 'orthogonal',
  fn: 'orthogonal',
  keys: KEYS,
  parts(ctx, o) {
    const { gain, layout, source } = common(ctx, o);
    const { shape } = ctx;
    if (shape.length < 2) rangeError(ctx.fn, 'shape', 'at least 2 dimensions', shape);
    const last = shape.length - 1;
    const rows = layout === 'out-in' ? shape[0] : sizeOf(shape.slice(0, last));
    const cols = layout === 'out-in' ? sizeOf(shape.slice(1)) : shape[last];
    return {
      expected: {
        mean: 0,
        std: ctx.size === 0 ? 0 : gain * Math.sqrt(Math.min(rows, cols) / ctx.size),
      },
      chunkable: false,
      fill: wholeTensorFill(ctx, (out: FloatArray) => out.set(haar(source, rows, cols, gain))),
    };
  },
};

export const DELTA_ORTHOGONAL: Strategy = {
  name: 'delta-orthogonal',
  fn: 'deltaOrthogonal',
  keys: KEYS,
  parts(ctx, o) {
    const { gain, layout, source } = common(ctx, o);
    const { shape } = ctx;
    const k = convKernel(ctx, layout);
    const [outC, inC] = [k.outChannels, k.inChannels];
    if (ctx.size > 0 && outC < inC) {
      rangeError(
        ctx.fn,
        'shape',
        `out channels >= in channels (got out ${outC}, in ${inC})`,
        shape,
      );
    }
    return {
      expected: { mean: 0, std: ctx.size === 0 ? 0 : gain * Math.sqrt(inC / ctx.size) },
      chunkable: false,
      fill: wholeTensorFill(ctx, (out: FloatArray) => {
        out.fill(0);
        const q = haar(source, outC, inC, gain);
        for (let i = 0; i < outC; i++) {
          for (let j = 0; j < inC; j++) out[k.index(i, j, k.centre)] = q[i * inC + j];
        }
      }),
    };
  },
};

/**
 * A (semi-)orthogonal matrix (Saxe et al. 2014), times `gain`: the document's choice for
 * recurrent weights W_hh, which keeps gradient norms through time steps, and for deep linear
 * or tanh networks (dynamical isometry, Pennington et al. 2017). Haar-distributed: QR of a
 * Gaussian matrix with the sign correction from diag(R) (Mezzadri 2007), as PyTorch's
 * `orthogonal_`. Shapes of rank > 2 are flattened (rows = dim 0 in `out-in`). Wide matrices
 * have orthonormal rows, tall ones orthonormal columns.
 *
 * Defaults: gain 1. Not chunkable: the whole matrix is computed at once.
 * @example orthogonal([128, 128], { seed: 0 })
 * @throws RangeError for fewer than 2 dimensions or a negative gain.
 */
export function orthogonal(shape: readonly number[], options: OrthogonalOptions): Tensor {
  return create(ORTHOGONAL, shape, options);
}

/**
 * Delta-orthogonal convolution kernel (Xiao et al. 2018): zero everywhere but the kernel
 * centre, which holds an orthogonal `out × in` matrix times `gain`; with tanh this lets very
 * deep CNNs train (dynamical isometry). Needs out channels ≥ in channels.
 *
 * @example deltaOrthogonal([16, 8, 3, 3], { seed: 0 })
 * @throws RangeError for a shape that is not 3-D to 5-D, or out < in channels.
 */
export function deltaOrthogonal(shape: readonly number[], options: OrthogonalOptions): Tensor {
  return create(DELTA_ORTHOGONAL, shape, options);
}
