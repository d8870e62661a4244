/**
 * The source of randomness an initializer draws from. Two families implement it:
 * - counter-based Philox4x32-10 (`philoxSource`, the default): element `i` of a stream is a
 *   pure function of (key, i), so any range of a tensor can be filled on its own, in any
 *   order, by any number of workers, with identical bits;
 * - sequential MT19937 (`rng: 'torch'`): PyTorch's CPU stream, consumed in call order.
 *
 * Each method fills `out[k]` with element `start + k` of the stream (`start` defaults to 0).
 * Sequential sources fill whole arrays, one call after another: `start` must be 0 (a strategy
 * on such a source is not chunkable).
 */
export interface RandomSource {
  /** `'philox'` or `'torch'`. */
  readonly kind: string;
  /** Uniform on `[low, high)`. */
  uniform(out: Float32Array | Float64Array, low: number, high: number, start?: number): void;
  /** Normal with the given mean and standard deviation. */
  normal(out: Float32Array | Float64Array, mean: number, std: number, start?: number): void;
  /**
   * Normal(mean, std) conditioned on `[low, high]` (absolute bounds, `low < high`): the exact
   * truncated distribution, drawn by rejection (never clamped).
   */
  truncatedNormal(
    out: Float32Array | Float64Array,
    mean: number,
    std: number,
    low: number,
    high: number,
    start?: number,
  ): void;
  /** A uniformly random permutation of `0 … n−1`. */
  permutation(n: number): Uint32Array;
  /**
   * The source for a named part of one initializer's draws (for example one column's
   * permutation). Counter-based sources derive a new key; sequential ones return themselves.
   */
  child(name: string): RandomSource;
}
