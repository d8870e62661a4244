/** Element types a tensor can hold in memory. */
export type DType = 'float32' | 'float64';

/** All in-memory dtypes, for validation messages. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** The typed array behind a tensor of each dtype. */
export type TypedArrayFor<D extends DType> = D extends 'float32' ? Float32Array : Float64Array;

/** A dense, row-major (C order) array of numbers. */
export interface Tensor<D extends DType = DType> {
  /** Dimensions, outermost first. `[]` is a scalar with one element. */
  readonly shape: readonly number[];
  readonly dtype: D;
  /** Row-major values; `data.length` is the product of `shape`. */
  readonly data: TypedArrayFor<D>;
  /** Advice about the result (for example: a weight of all zeros cannot break symmetry). Never logged. */
  readonly warnings: readonly string[];
}

/** Allocates the typed array for `size` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return (
    dtype === 'float32' ? new Float32Array(size) : new Float64Array(size)
  ) as TypedArrayFor<D>;
}
