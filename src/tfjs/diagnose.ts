/**
 * `diagnose`: one forward and one backward pass of a TF.js model on a batch, measured layer
 * by layer — what initialization does to the signal before any training.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkSeed } from '../init/options.js';
import { normal } from '../init/random.js';
import type { Seed } from '../random/key.js';
import { checkPositive, rangeError, typeError } from '../tensor/errors.js';
import { checkOptionsObject } from './checks.js';
import { checkInputs, checkModel, type Layer, run, withKernels } from './graph.js';

/** What a warning is about. */
export type WarningKind = 'vanishing' | 'exploding' | 'dead' | 'symmetric';

/** A warning about one layer: data, never logged. */
export interface DiagnosisWarning {
  /** The layer's path (`fc3`, or `encoder/fc3` inside a nested model). */
  readonly layer: string;
  readonly kind: WarningKind;
  readonly message: string;
}

/** Mean and standard deviation of a tensor's elements. */
export interface Moments {
  readonly mean: number;
  readonly std: number;
}

/** One trainable weight of a layer: its value's std and its gradient's. */
export interface WeightDiagnosis {
  /** The weight's saved name (`fc1/kernel`). */
  readonly name: string;
  readonly shape: readonly number[];
  readonly std: number;
  /** Std of ∂L/∂w, or `null` when the loss does not depend on it. */
  readonly gradStd: number | null;
}

/** What `diagnose` measured for one layer (its first output when it has several). */
export interface LayerDiagnosis {
  /** The layer's path (`fc3`, or `encoder/fc3` inside a nested model). */
  readonly layer: string;
  /** The TF.js class (`Dense`, `Conv2D`, `LSTM` …). */
  readonly className: string;
  readonly outputShape: readonly number[];
  /** Mean and std of the output over the batch and every unit. */
  readonly activation: Moments;
  /**
   * ReLU-family layers (`relu`, `relu6` activations, `ReLU` layers): the fraction of units
   * (last axis) that are 0 for every example and position of the batch. `null` otherwise.
   */
  readonly deadFraction: number | null;
  /** Std of ∂L/∂(output): how much gradient reaches this layer from the loss. */
  readonly outputGradStd: number;
  /** Std of the gradients of the layer's kernels (weights of 2+ dimensions) together; `null` without kernels. */
  readonly weightGradStd: number | null;
  readonly weights: readonly WeightDiagnosis[];
  readonly warnings: readonly DiagnosisWarning[];
}

/** The result of `diagnose`. */
export interface Diagnosis {
  /** Std of the (first) input batch: the scale activations are compared with. */
  readonly inputStd: number;
  readonly layers: readonly LayerDiagnosis[];
  /** Every layer's warnings, in layer order. */
  readonly warnings: readonly DiagnosisWarning[];
}

/** Options of `diagnose`. */
export interface DiagnoseOptions {
  /** Seed of the random output direction r of the loss L = Σ r ⊙ y. Default 0. */
  seed?: Seed;
  /** Run layers in training mode (batch statistics, dropout). Default false. */
  training?: boolean;
  /**
   * A layer's signal has vanished when its activation std is below `vanishing` × the input's
   * std, or its output-gradient std below `vanishing` (the loss sends std 1). Default 0.01.
   */
  vanishing?: number;
  /** The same, above: activation std over `exploding` × the input's, gradient std over `exploding`, or not finite. Default 100. */
  exploding?: number;
  /** A ReLU-family layer is dead when at least this fraction of its units never fire on the batch. Default 0.5. */
  dead?: number;
}

const RELU_FAMILY = new Set(['relu', 'relu6']);

/** The activation of a layer, as its config names it (`'relu'`), or its class for `ReLU` layers. */
function activationOf(layer: Layer): string | undefined {
  if (layer.getClassName() === 'ReLU') return 'relu';
  const a = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof a === 'string' ? a : undefined;
}

async function moments(t: tf.Tensor): Promise<Moments> {
  const { mean, variance } = tf.tidy(() => tf.moments(tf.cast(t, 'float32')));
  const [m, v] = await Promise.all([mean.data(), variance.data()]);
  tf.dispose([mean, variance]);
  return { mean: m[0], std: Math.sqrt(v[0]) };
}

/** Fraction of units (last axis) that are ≤ 0 everywhere in the batch. */
async function deadFraction(t: tf.Tensor): Promise<number> {
  const units = t.shape[t.shape.length - 1] ?? 1;
  const dead = tf.tidy(() => tf.sum(tf.lessEqual(tf.max(tf.reshape(t, [-1, units]), 0), 0)));
  const n = (await dead.data())[0];
  dead.dispose();
  return n / units;
}

/** True when every slice along the last axis (every unit's incoming weights) is the same. */
async function symmetric(w: tf.Tensor): Promise<boolean> {
  const units = w.shape[w.shape.length - 1];
  if (w.rank < 2 || units < 2 || w.size === 0) return false;
  const d = tf.tidy(() => {
    const m = tf.reshape(w, [-1, units]);
    return tf.max(tf.abs(tf.sub(m, tf.slice(m, [0, 0], [-1, 1]))));
  });
  const v = (await d.data())[0];
  d.dispose();
  return v === 0;
}

function checkOptions(fn: string, options: unknown) {
  checkOptionsObject(fn, options, ['seed', 'training', 'vanishing', 'exploding', 'dead']);
  const o = options as DiagnoseOptions;
  if (o.training !== undefined && typeof o.training !== 'boolean')
    typeError(fn, 'training', 'a boolean', o.training);
  const dead = o.dead === undefined ? 0.5 : checkPositive(fn, 'dead', o.dead);
  if (dead > 1) rangeError(fn, 'dead', 'a fraction in (0, 1]', dead);
  return {
    seed: o.seed === undefined ? 0 : checkSeed(fn, o.seed),
    training: o.training ?? false,
    vanishing: o.vanishing === undefined ? 0.01 : checkPositive(fn, 'vanishing', o.vanishing),
    exploding: o.exploding === undefined ? 100 : checkPositive(fn, 'exploding', o.exploding),
    dead,
  };
}

const fmt = (x: number) =>
  Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2);

/**
 * Diagnoses a model's initialization on one batch: a forward pass and a backward pass, and per
 * layer the activation mean/std, the fraction of dead units (ReLU family), the gradient std at
 * its output and of its weights, and warnings — `vanishing` or `exploding` signals (forward or
 * backward), `dead` ReLU layers, `symmetric` kernels whose units all have the same weights
 * (they compute the same function and get the same gradient forever).
 *
 * The backward pass starts from L = Σ r ⊙ y with r ~ N(0, 1) drawn from `seed` (one r per
 * model output), so ∂L/∂y has std 1 at the output and the gradient std of each layer says how
 * much of it survives to that layer (the backward signal of Glorot & Bengio 2010 and He et al.
 * 2015). Layers run in inference mode by default. Nested models are entered (their layers are
 * `outer/inner`); a layer with several outputs is measured on its first.
 *
 * Defaults: seed 0, training false, vanishing 0.01, exploding 100, dead 0.5.
 * @returns per layer the measures and warnings, in the order the layers ran.
 * @throws TypeError for a model that is not a `tf.LayersModel`, inputs that are not tensors,
 *   an options value of the wrong type; RangeError for a model with no weights, inputs of the
 *   wrong count or shape, an unknown option or a threshold out of range.
 * @example
 * // fc1, fc2, fc3: Dense(32, relu), out: Dense(1), every kernel normal({ std: 0.01, seed: 0 });
 * // x: 64 × 32 from normal({ seed: 1 })
 * const d = await diagnose(model, x);
 * d.layers.map((l) => l.activation.std) // [0.0327, 0.00110, 0.0000362, 0.00000155]
 * d.warnings[1] // { layer: 'fc2', kind: 'vanishing', message: "activation std 0.00110 is 0.00112× the input's 0.984" }
 * // the same model with heNormal({ seed: 0 }) kernels: d.warnings is []
 */
export async function diagnose(
  model: tfl.LayersModel,
  inputs: tf.Tensor | tf.Tensor[],
  options: DiagnoseOptions = {},
): Promise<Diagnosis> {
  const fn = 'diagnose';
  checkModel(fn, model);
  const xs = checkInputs(fn, model, inputs);
  const o = checkOptions(fn, options);
  await tf.ready();

  // First pass: the shape of every output, for the gradient probes.
  let shapes: number[][][] = [];
  withKernels(fn, () =>
    tf.tidy(() => {
      shapes = run(model, xs, { training: o.training }).layers.map((l) =>
        l.outputs.map((t) => t.shape),
      );
    }),
  );
  const probes = shapes.map((ss) => ss.map((s) => tf.tidy(() => tf.variable(tf.zeros(s), true))));
  const kept: { layer: Layer; path: string; output: tf.Tensor }[] = [];
  let grads: tf.NamedTensorMap = {};
  let value: tf.Scalar | undefined;
  try {
    // Second pass, with a zero probe added to every output: ∂L/∂probe = ∂L/∂output.
    let k = 0;
    const result = withKernels(fn, () =>
      tf.variableGrads(() => {
        k = 0;
        kept.length = 0;
        const r = run(model, xs, {
          training: o.training,
          transform: (layer, path, ys) => {
            const added = ys.map((y, i) => tf.add(y, probes[k][i]));
            kept.push({ layer, path, output: tf.keep(added[0]) });
            k++;
            return added;
          },
        });
        let loss = tf.scalar(0);
        r.outputs.forEach((y, i) => {
          const dir = tf.tensor(
            normal(y.shape, { seed: o.seed, stream: `diagnose/output${i}` }).data,
            y.shape,
          );
          loss = tf.add(loss, tf.sum(tf.mul(tf.cast(y, 'float32'), dir)));
        });
        return loss as tf.Scalar;
      }, [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...probes.flat()]),
    );
    grads = result.grads;
    value = result.value;

    const inputStd = (await moments(xs[0])).std;
    const layers: LayerDiagnosis[] = [];
    for (let i = 0; i < kept.length; i++) {
      const { layer, path, output } = kept[i];
      const activation = await moments(output);
      const act = activationOf(layer);
      const dead = act !== undefined && RELU_FAMILY.has(act) ? await deadFraction(output) : null;
      const g = grads[probes[i][0].name];
      const outputGradStd = g == null ? 0 : (await moments(g)).std;
      const weights: WeightDiagnosis[] = [];
      const kernelGrads: tf.Tensor[] = [];
      const warnings: DiagnosisWarning[] = [];
      const warn = (kind: WarningKind, message: string) =>
        warnings.push({ layer: path, kind, message });
      for (const w of layer.trainableWeights) {
        const value = w.read() as tf.Variable;
        const wg = grads[value.name];
        weights.push({
          name: w.originalName,
          shape: w.shape as number[],
          std: (await moments(value)).std,
          gradStd: wg == null ? null : (await moments(wg)).std,
        });
        if (wg != null && w.shape.length >= 2) kernelGrads.push(wg);
        if (w.shape.length >= 2 && (await symmetric(value)))
          warn(
            'symmetric',
            `every unit of ${w.originalName} has the same incoming weights: the units compute the same function and get the same gradient, so they never differ (initialize it randomly)`,
          );
      }
      let weightGradStd: number | null = null;
      if (kernelGrads.length > 0) {
        const all = tf.tidy(() => tf.concat(kernelGrads.map((t) => tf.reshape(t, [-1]))));
        weightGradStd = (await moments(all)).std;
        all.dispose();
      }
      const ref = inputStd > 0 && Number.isFinite(inputStd) ? inputStd : 1;
      const a = activation.std / ref;
      if (!Number.isFinite(activation.std) || !Number.isFinite(activation.mean))
        warn('exploding', 'activations are not finite');
      else if (a > o.exploding)
        warn(
          'exploding',
          `activation std ${fmt(activation.std)} is ${fmt(a)}× the input's ${fmt(inputStd)}`,
        );
      else if (a < o.vanishing)
        warn(
          'vanishing',
          `activation std ${fmt(activation.std)} is ${fmt(a)}× the input's ${fmt(inputStd)}`,
        );
      if (!Number.isFinite(outputGradStd)) warn('exploding', 'gradients are not finite');
      else if (outputGradStd > o.exploding)
        warn('exploding', `output-gradient std ${fmt(outputGradStd)} (the loss sends std 1)`);
      else if (outputGradStd < o.vanishing)
        warn('vanishing', `output-gradient std ${fmt(outputGradStd)} (the loss sends std 1)`);
      if (dead !== null && dead >= o.dead)
        warn('dead', `${fmt(100 * dead)}% of the units are 0 for every example of the batch`);
      layers.push({
        layer: path,
        className: layer.getClassName(),
        outputShape: output.shape,
        activation,
        deadFraction: dead,
        outputGradStd,
        weightGradStd,
        weights,
        warnings,
      });
    }
    return { inputStd, layers, warnings: layers.flatMap((l) => l.warnings) };
  } finally {
    tf.dispose([...probes.flat(), ...Object.values(grads), ...kept.map((k) => k.output)]);
    value?.dispose();
  }
}
