/** Shared helpers of the TF.js adapter tests: the backend, small seeded data, weight lookup. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { normal, uniform } from '../../src/init/index.js';
import { setupBackend } from '../../src/tfjs/backend.js';

/** The backend every test file uses (wasm, as by default; cpu if wasm cannot start). */
export async function backend(): Promise<string> {
  return setupBackend();
}

/** A seeded N(0, 1) tensor (never Math.random). */
export function randn(shape: number[], seed: number, stream = 'x'): tf.Tensor {
  return tf.tensor(normal(shape, { seed, stream }).data, shape);
}

/** A seeded U(low, high) tensor. */
export function randu(shape: number[], seed: number, low: number, high: number): tf.Tensor {
  return tf.tensor(uniform(shape, { seed, stream: 'u', low, high }).data, shape);
}

/** The values of a model's weight by its saved name (`fc1/kernel`). */
export function weight(model: tfl.LayersModel, name: string): Float32Array {
  const w = model.weights.find((v) => v.originalName === name);
  if (w === undefined)
    throw new Error(`no weight ${name} in ${model.weights.map((v) => v.originalName)}`);
  return w.read().dataSync() as Float32Array;
}

/** True when two arrays hold the same numbers (bit-exact float32). */
export function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
