/**
 * The activations of the lab's networks as TF.js ops, with the same names and parameters as
 * the mean-field theory's (`theory/activations.ts`: leaky-relu slope 0.01, elu α 1, selu of
 * Klambauer et al. 2017, gelu exact with erf), so measurements and theory speak of one function.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkChoice } from '../tensor/errors.js';
import { ACTIVATION_FUNCTIONS } from './theory/activations.js';

/** φ applied elementwise to a TF.js tensor. */
export type TfActivation = (x: tf.Tensor) => tf.Tensor;

/** The activations the lab's networks use, by name. */
export const LAB_ACTIVATIONS: Readonly<Record<string, TfActivation>> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  'leaky-relu': (x) => tf.leakyRelu(x, 0.01),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  softplus: (x) => tf.softplus(x),
};

/** Names of {@link LAB_ACTIVATIONS}. */
export const LAB_ACTIVATION_NAMES: readonly string[] = Object.keys(LAB_ACTIVATIONS);

/**
 * The TF.js op of an activation by name.
 * @throws RangeError for an unknown name, listing the valid ones.
 */
export function activationOp(name: string, fn: string, arg = 'activation'): TfActivation {
  return LAB_ACTIVATIONS[checkChoice(fn, arg, name, LAB_ACTIVATION_NAMES)];
}

/**
 * Fraction of units that are dead on a batch: units (columns of a `[batch, units]` array of
 * pre-activations) where φ′ is 0 for every example — a ReLU unit that never fires. φ′ is the
 * theory's derivative (float64) at the float32 pre-activation, so saturating activations
 * (tanh, sigmoid) count as dead only when saturated beyond float64 precision.
 */
export function deadFraction(
  preactivations: Float32Array,
  units: number,
  activation: string,
): number {
  const d1 = ACTIVATION_FUNCTIONS[activation].d1;
  const rows = preactivations.length / units;
  let dead = 0;
  for (let j = 0; j < units; j++) {
    let alive = false;
    for (let i = 0; i < rows && !alive; i++) alive = d1(preactivations[i * units + j]) !== 0;
    if (!alive) dead++;
  }
  return units === 0 ? 0 : dead / units;
}
