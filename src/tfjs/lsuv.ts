/**
 * Layer-sequential unit-variance initialization (LSUV; Mishkin & Matas 2015, "All you need is
 * a good init") of a TF.js model, on one batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkSeed } from '../init/options.js';
import { orthogonal } from '../init/orthogonal.js';
import type { Seed } from '../random/key.js';
import { checkInteger, checkPositive, rangeError, typeError } from '../tensor/errors.js';
import { checkOptionsObject } from './checks.js';
import { checkInputs, checkModel, flatLayers, type Layer, run, withKernels } from './graph.js';

/** Options of `lsuv`. */
export interface LsuvOptions {
  /** A layer is done when |Var(output) − 1| < tolerance. Default 0.1 (the paper's Tol_var). */
  tolerance?: number;
  /** At most this many rescalings per layer. Default 10 (the paper's T_max). */
  maxIterations?: number;
  /** Seed of the orthogonal start (each kernel from the stream of its saved name). Default 0. */
  seed?: Seed;
  /** Start from orthogonal kernels, as the paper (false: rescale the kernels as they are). Default true. */
  orthogonalStart?: boolean;
  /** Run layers in training mode (batch statistics, dropout). Default false. */
  training?: boolean;
}

/** What LSUV did to one layer. */
export interface LsuvLayer {
  /** The layer's path (`fc3`, `encoder/fc3` inside a nested model). */
  readonly layer: string;
  readonly className: string;
  /** The weight that was rescaled (`fc3/kernel`). */
  readonly weight: string;
  /** Rescalings applied (0 when the variance was within tolerance from the start). */
  readonly iterations: number;
  /** Variance of the layer's output (before its activation) on the batch, at the end. */
  readonly variance: number;
  /** True when |variance − 1| < tolerance. False after `maxIterations`, or for an output of variance 0. */
  readonly converged: boolean;
}

/** The result of `lsuv`. */
export interface LsuvResult {
  readonly layers: readonly LsuvLayer[];
  /** Layers with weights that LSUV does not rescale (recurrent, embedding, normalization …), by path. */
  readonly skipped: readonly string[];
}

/** The weight LSUV rescales in each layer class (kernels of dense and convolution layers). */
const SCALED: Readonly<Record<string, string>> = {
  Dense: 'kernel',
  Conv1D: 'kernel',
  Conv2D: 'kernel',
  Conv3D: 'kernel',
  Conv2DTranspose: 'kernel',
  Conv3DTranspose: 'kernel',
  DepthwiseConv2D: 'depthwise_kernel',
  SeparableConv2D: 'pointwise_kernel',
  SeparableConv1D: 'pointwise_kernel',
};

/** Kernels that start orthogonal: the scaled ones, and a separable layer's depthwise kernel. */
const ORTHOGONAL_START = new Set([...Object.values(SCALED), 'depthwise_kernel']);

function localName(w: tfl.LayerVariable, layer: Layer): string {
  const n = w.originalName;
  return n.slice(n.lastIndexOf('/') + 1) || layer.name;
}

function checkOptions(fn: string, options: unknown) {
  checkOptionsObject(fn, options, [
    'tolerance',
    'maxIterations',
    'seed',
    'orthogonalStart',
    'training',
  ]);
  const o = options as LsuvOptions;
  for (const k of ['orthogonalStart', 'training'] as const)
    if (o[k] !== undefined && typeof o[k] !== 'boolean') typeError(fn, k, 'a boolean', o[k]);
  const tolerance = o.tolerance === undefined ? 0.1 : checkPositive(fn, 'tolerance', o.tolerance);
  if (tolerance >= 1) rangeError(fn, 'tolerance', 'a number in (0, 1)', tolerance);
  return {
    tolerance,
    maxIterations:
      o.maxIterations === undefined ? 10 : checkInteger(fn, 'maxIterations', o.maxIterations, 1),
    seed: o.seed === undefined ? 0 : checkSeed(fn, o.seed),
    orthogonalStart: o.orthogonalStart ?? true,
    training: o.training ?? false,
  };
}

/** The `linear` activation of tfjs-layers (from its registry, without making a layer). */
function linearActivation(): unknown {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap.linear;
  return new (entry[0] as unknown as new () => unknown)();
}

/**
 * Variance of one layer's (first) output on the batch before its own activation (which is
 * bypassed while measuring), running the model up to that layer.
 */
async function outputVariance(
  model: tfl.LayersModel,
  xs: tf.Tensor[],
  layer: Layer,
  training: boolean,
): Promise<number> {
  const holder = layer as unknown as { activation?: unknown };
  const own = holder.activation;
  const v = withKernels('lsuv', () =>
    tf.tidy(() => {
      if (own != null) holder.activation = linearActivation();
      try {
        const r = run(model, xs, { training, stopAfter: layer });
        const out = r.layers[r.layers.length - 1].outputs[0];
        return tf.moments(tf.cast(out, 'float32')).variance;
      } finally {
        if (own != null) holder.activation = own;
      }
    }),
  );
  const value = (await v.data())[0];
  v.dispose();
  return value;
}

/**
 * Layer-sequential unit-variance initialization (Mishkin & Matas 2015): every kernel of the
 * dense and convolution layers starts orthogonal (Saxe et al. 2014; weightinit's `orthogonal`,
 * seeded, layout `in-out`), then, layer after layer in the order the model runs, the kernel is
 * divided by √Var(B) on the batch until |Var(B) − 1| < tolerance or `maxIterations`
 * rescalings — the paper's Algorithm 1. B is the layer's output before its activation (TF.js
 * fuses the activation into the layer; it is bypassed while measuring), as the authors'
 * implementation measures the output of each convolution or linear module; the variance is
 * over the batch and every unit. Biases are left as they are. Recurrent, embedding and
 * normalization layers are left as they are and listed in `skipped`.
 *
 * Defaults: tolerance 0.1, maxIterations 10, seed 0, orthogonalStart true, training false.
 * @returns per layer the iterations used, the final variance and whether it converged.
 * @throws TypeError for a model that is not a `tf.LayersModel` or inputs that are not tensors;
 *   RangeError for a model with no weights or no dense/convolution layer, inputs of the wrong
 *   count or shape, an unknown option, tolerance outside (0, 1), maxIterations < 1.
 * @example
 * // fc1: Dense(32, relu) on 32 inputs; x: 64 × 32 from normal({ seed: 1 })
 * const { layers } = await lsuv(model, x);
 * layers[0] // { layer: 'fc1', className: 'Dense', weight: 'fc1/kernel', iterations: 0, variance: 0.9687, converged: true }
 */
export async function lsuv(
  model: tfl.LayersModel,
  inputs: tf.Tensor | tf.Tensor[],
  options: LsuvOptions = {},
): Promise<LsuvResult> {
  const fn = 'lsuv';
  checkModel(fn, model);
  const xs = checkInputs(fn, model, inputs);
  const o = checkOptions(fn, options);
  await tf.ready();

  const all = flatLayers(model).filter(({ layer }) => layer.weights.length > 0);
  const scaled = all.filter(({ layer }) => SCALED[layer.getClassName()] !== undefined);
  if (scaled.length === 0)
    rangeError(fn, 'model', 'a model with dense or convolution layers', `none in ${model.name}`);
  if (o.orthogonalStart) {
    for (const { layer } of scaled) {
      for (const w of layer.weights) {
        if (!ORTHOGONAL_START.has(localName(w, layer))) continue;
        const q = orthogonal(w.shape as number[], {
          seed: o.seed,
          stream: w.originalName,
          layout: 'in-out',
        });
        const t = tf.tensor(q.data, w.shape as number[], 'float32');
        (w.read() as tf.Variable).assign(t);
        t.dispose();
      }
    }
  }
  // The order layers run in (a nested model's layers where it runs).
  let order: Layer[] = [];
  withKernels(fn, () =>
    tf.tidy(() => {
      order = run(model, xs, { training: o.training }).layers.map((l) => l.layer);
    }),
  );
  const ordered = scaled.sort((a, b) => order.indexOf(a.layer) - order.indexOf(b.layer));

  const layers: LsuvLayer[] = [];
  for (const { layer, path } of ordered) {
    const w = layer.weights.find((v) => localName(v, layer) === SCALED[layer.getClassName()]);
    if (w === undefined) continue;
    let variance = await outputVariance(model, xs, layer, o.training);
    let iterations = 0;
    while (
      Math.abs(variance - 1) >= o.tolerance &&
      iterations < o.maxIterations &&
      variance > 0 &&
      Number.isFinite(variance)
    ) {
      const scale = 1 / Math.sqrt(variance);
      const scaledValue = tf.tidy(() => tf.mul(w.read(), scale));
      (w.read() as tf.Variable).assign(scaledValue);
      scaledValue.dispose();
      iterations++;
      variance = await outputVariance(model, xs, layer, o.training);
    }
    layers.push({
      layer: path,
      className: layer.getClassName(),
      weight: w.originalName,
      iterations,
      variance,
      converged: Math.abs(variance - 1) < o.tolerance,
    });
  }
  const done = new Set(ordered.map((s) => s.layer));
  return { layers, skipped: all.filter(({ layer }) => !done.has(layer)).map(({ path }) => path) };
}
