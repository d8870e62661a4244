/**
 * Seeded data for the experiments, from weightinit's own Philox samplers (never `tf.random*`,
 * whose seeding is not reproducible across backends and runs): each array depends only on
 * (seed, stream name, shape).
 */
import * as tf from '@tensorflow/tfjs-core';
import { normal, uniform } from '../init/random.js';

/** Standard-normal values of a shape from stream `stream` of `seed`. */
export function gaussian(shape: readonly number[], seed: number, stream: string): Float32Array {
  return normal(shape, { seed, stream }).data as Float32Array;
}

/** U(low, high) values of a shape from stream `stream` of `seed`. */
export function uniformValues(
  shape: readonly number[],
  seed: number,
  stream: string,
  low = 0,
  high = 1,
): Float32Array {
  return uniform(shape, { seed, stream, low, high }).data as Float32Array;
}

/** A float32 TF.js tensor holding `values` with `shape`. */
export function tensorOf(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(values, shape, 'float32');
}
