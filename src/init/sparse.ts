import { checkChoice, checkInteger, rangeError } from '../tensor/errors.js';
import { LAYOUTS } from '../tensor/fans.js';
import type { Tensor } from '../tensor/tensor.js';
import { create, type FloatArray, type Strategy, wholeTensorFill } from './initializer.js';
import { OPTION_KEYS, optionalNumber, type RandomOptions, randomSource } from './options.js';

/** Options of `sparse`: give exactly one of `sparsity` and `nonZero`. */
export interface SparseOptions extends RandomOptions {
  /**
   * PyTorch's semantics: the fraction of each input's outgoing weights set to zero
   * (`ceil(sparsity · out)` per column of an `out-in` weight).
   */
  sparsity?: number;
  /**
   * Martens' (2010) semantics: each unit keeps exactly this many non-zero incoming weights
   * (per row of an `out-in` weight); Martens used 15.
   */
  nonZero?: number;
  /** Std of the non-zero weights. Default 0.01. */
  std?: number;
  /** `'out-in'` (default, `[out, in]`) or `'in-out'` (`[in, out]`). */
  layout?: 'out-in' | 'in-out';
}

export const SPARSE: Strategy = {
  name: 'sparse',
  fn: 'sparse',
  keys: [...OPTION_KEYS.random, 'sparsity', 'nonZero', 'std', 'layout'],
  parts(ctx, o) {
    const { fn, shape } = ctx;
    if (shape.length !== 2) rangeError(fn, 'shape', '2 dimensions', shape);
    const layout = o.layout === undefined ? 'out-in' : checkChoice(fn, 'layout', o.layout, LAYOUTS);
    const std = optionalNumber(fn, 'std', o.std, 0.01);
    if (std < 0) rangeError(fn, 'std', 'a number >= 0', std);
    const [units, inputs] = layout === 'out-in' ? shape : [shape[1], shape[0]];
    // index of weight (unit u, input i) in memory
    const at =
      layout === 'out-in'
        ? (u: number, i: number) => u * inputs + i
        : (u: number, i: number) => i * units + u;
    let zeroRuns: {
      lines: number;
      length: number;
      zeros: number;
      line: (a: number, b: number) => number;
    };
    if ((o.sparsity === undefined) === (o.nonZero === undefined)) {
      rangeError(
        fn,
        'options',
        'given exactly one of `sparsity` (PyTorch) and `nonZero` (Martens)',
        Object.keys(o),
      );
    }
    if (o.sparsity !== undefined) {
      const sparsity = optionalNumber(fn, 'sparsity', o.sparsity, 0);
      if (sparsity < 0 || sparsity > 1)
        rangeError(fn, 'sparsity', 'a fraction in [0, 1]', sparsity);
      // Per input i: zero ceil(sparsity · units) of its outgoing weights.
      zeroRuns = {
        lines: inputs,
        length: units,
        zeros: Math.ceil(sparsity * units),
        line: (i, u) => at(u, i),
      };
    } else {
      const nonZero = checkInteger(fn, 'nonZero', o.nonZero, 0, inputs);
      // Per unit u: zero all but nonZero of its incoming weights.
      zeroRuns = {
        lines: units,
        length: inputs,
        zeros: inputs - nonZero,
        line: (u, i) => at(u, i),
      };
    }
    const source = randomSource(fn, o);
    const kept = zeroRuns.length === 0 ? 0 : 1 - zeroRuns.zeros / zeroRuns.length;
    return {
      expected: { mean: 0, std: std * Math.sqrt(kept) },
      chunkable: false,
      fill: wholeTensorFill(ctx, (out: FloatArray) => {
        const rng = source();
        rng.normal(out, 0, std, 0);
        for (let line = 0; line < zeroRuns.lines; line++) {
          if (zeroRuns.zeros === 0) break;
          const perm = rng.child(`sparse/${line}`).permutation(zeroRuns.length);
          for (let k = 0; k < zeroRuns.zeros; k++) out[zeroRuns.line(line, perm[k])] = 0;
        }
      }),
    };
  },
};

/**
 * Sparse initialization (Martens 2010, "Deep learning via Hessian-free optimization"): most
 * weights zero, the rest N(0, std²), so units start with few, strong connections.
 * - `sparsity` (PyTorch `sparse_`): for each input, a random `ceil(sparsity · out)` of its
 *   outgoing weights are zero (a column of an `out-in` weight).
 * - `nonZero` (Martens): each unit keeps exactly `nonZero` random incoming weights.
 *
 * Defaults: std 0.01. The normal draws use the tensor's stream; each line's permutation its
 * own child stream `sparse/<line>`.
 * @example sparse([64, 32], { sparsity: 0.9, seed: 0 })
 * @throws RangeError unless exactly one of sparsity / nonZero is given, for a shape not 2-D,
 *   sparsity outside [0, 1] or nonZero outside [0, in].
 */
export function sparse(shape: readonly number[], options: SparseOptions): Tensor {
  return create(SPARSE, shape, options);
}
