import { allocate, type DType, type Tensor } from '../tensor/tensor.js';
import { baseContext, type Context } from './options.js';

/** Canonical kebab-case names of every strategy (DESIGN.md, "Names"). */
export type StrategyName =
  | 'zeros'
  | 'ones'
  | 'constant'
  | 'uniform'
  | 'normal'
  | 'truncated-normal'
  | 'xavier-uniform'
  | 'xavier-normal'
  | 'he-uniform'
  | 'he-normal'
  | 'lecun-uniform'
  | 'lecun-normal'
  | 'variance-scaling'
  | 'orthogonal'
  | 'identity'
  | 'dirac'
  | 'delta-orthogonal'
  | 'sparse';

/** A typed array a strategy fills. */
export type FloatArray = Float32Array | Float64Array;

/**
 * An initializer bound to a shape and validated options: everything is checked when it is
 * made, so filling can no longer fail.
 */
export interface Prepared {
  readonly name: StrategyName;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Fans used, when the strategy depends on them. */
  readonly fans?: { readonly fanIn: number; readonly fanOut: number };
  /** The distribution's mean and standard deviation (exact, not measured). */
  readonly expected: { readonly mean: number; readonly std: number };
  /** Advice about the result, never logged (for example: zeros cannot break symmetry). */
  readonly warnings: readonly string[];
  /**
   * True when any range `[start, start + out.length)` can be filled on its own, with the same
   * bits as a fill of the whole tensor. False for strategies that need the whole matrix
   * (orthogonal, sparse): their `fill` takes `start = 0` and the full size only.
   */
  readonly chunkable: boolean;
  /** Fills `out[k]` with element `start + k` of the tensor (row-major). */
  fill(out: FloatArray, start: number): void;
}

/** The pieces a family supplies to build a `Prepared`. */
export interface PreparedParts {
  readonly fans?: { readonly fanIn: number; readonly fanOut: number };
  readonly expected: { readonly mean: number; readonly std: number };
  readonly warnings?: readonly string[];
  readonly chunkable: boolean;
  fill(out: FloatArray, start: number): void;
}

/**
 * One strategy as data: its name, the option keys it accepts, and how it turns validated
 * options into a fill. Families export these; the registry and the public functions use them.
 */
export interface Strategy {
  readonly name: StrategyName;
  /** The camelCase function name, used in error messages. */
  readonly fn: string;
  /** Every option key the strategy accepts (others are errors). */
  readonly keys: readonly string[];
  /** Validates the strategy's own options against the context and returns its fill. */
  parts(ctx: Context, options: Record<string, unknown>): PreparedParts;
}

/**
 * Validates `shape` and `options` for a strategy and binds them: all errors are thrown here,
 * before any memory is taken.
 */
export function prepare(
  strategy: Strategy,
  shape: readonly number[],
  options: object = {},
): Prepared {
  const ctx = baseContext(strategy.fn, shape, options, strategy.keys);
  const parts = strategy.parts(ctx, options as Record<string, unknown>);
  return {
    name: strategy.name,
    shape: ctx.shape,
    dtype: ctx.dtype,
    size: ctx.size,
    fans: parts.fans,
    expected: parts.expected,
    warnings: parts.warnings ?? [],
    chunkable: parts.chunkable,
    fill: parts.fill,
  };
}

/** Materializes a prepared initializer as a new tensor. */
export function materialize(prepared: Prepared): Tensor {
  const data = allocate(prepared.dtype, prepared.size);
  if (prepared.size > 0) prepared.fill(data, 0);
  return { shape: prepared.shape, dtype: prepared.dtype, data, warnings: prepared.warnings };
}

/** Validates, allocates and fills: what every public strategy function does. */
export function create(strategy: Strategy, shape: readonly number[], options: object = {}): Tensor {
  return materialize(prepare(strategy, shape, options));
}

/**
 * Wraps a whole-tensor computation (orthogonal, sparse) so that any range can be read: the
 * tensor is computed once, on first use, and ranges are copied from it.
 */
export function wholeTensorFill(
  ctx: Context,
  compute: (out: FloatArray) => void,
): (out: FloatArray, start: number) => void {
  let whole: FloatArray | undefined;
  return (out, start) => {
    if (start === 0 && out.length === ctx.size) {
      compute(out);
      return;
    }
    if (whole === undefined) {
      whole = allocate(ctx.dtype, ctx.size);
      compute(whole);
    }
    out.set(whole.subarray(start, start + out.length));
  };
}
