/**
 * `reinitialize`: every weight of a TF.js model by weightinit's recipe for its layer, mapping
 * TF.js layer classes and configs onto the recipes' layer specs (PyTorch's names) and their
 * parameters back onto TF.js weights (layout `in-out`, Keras gate order).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initialize, strategy } from '../init/registry.js';
import { log } from '../random/detmath.js';
import type { Seed } from '../random/key.js';
import { type Activation, parseActivation } from '../recipes/activations.js';
import { type LayerParameter, layerRecipe } from '../recipes/layer-recipe.js';
import { type LayerSpec, type LayerType, layerKeys } from '../recipes/layers.js';
import { SCHEMES, type Scheme } from '../recipes/schemes.js';
import type { ParamInit } from '../recipes/types.js';
import { checkChoice, oneOf, rangeError, typeError } from '../tensor/errors.js';
import { sizeOf } from '../tensor/shape.js';
import { checkOptionsObject, requiredSeed } from './checks.js';
import { checkModel, flatLayers, isModel, type Layer } from './graph.js';
import { weightStream } from './initializers.js';

/** What can be changed of one layer's recipe (the recipes' layer-spec fields that apply to it). */
export interface LayerOverrides {
  /** The activation after a dense or convolution layer (default: read from the model). */
  activation?: Activation | string;
  /** Negative slope of leaky-relu. */
  slope?: number;
  /** LSTM: the forget gate's bias (default 1, Jozefowicz et al. 2015). */
  forgetBias?: number;
  /** LSTM: chrono initialization of the forget and input gate biases (Tallec & Ollivier 2018). */
  chrono?: { tMax: number };
  /** Recurrent kernels: `'orthogonal'` per gate block or `'identity'` (IRNN). */
  recurrent?: 'orthogonal' | 'identity';
  /** Scales the recurrent matrix (IRNN's 0.01·I). */
  recurrentGain?: number;
  /** Residual-branch position (Fixup, zero-init), as the recipes take it. */
  residual?: Record<string, unknown>;
  /** The output (logits) layer: `true` or `{ zeroInit }`. */
  output?: boolean | { zeroInit?: boolean };
  /** Leave this layer's weights as they are. */
  skip?: boolean;
}

/** Options of `reinitialize`. */
export interface ReinitializeOptions {
  /** The seed (required: randomness is always explicit). */
  seed: Seed;
  /** `'recommended'` (default: the document's tables) or `'torch-default'` (PyTorch's modules). */
  scheme?: Scheme;
  /** A prefix of every weight's stream: the stream is `<stream>/<weight name>`. Default none. */
  stream?: string;
  /** Changes per layer, by layer name or path (`'fc1'`, `'encoder/fc1'`). */
  layers?: Readonly<Record<string, LayerOverrides>>;
}

/** One weight as `reinitialize` set it. */
export interface PlannedWeight {
  /** The weight's saved name (`enc/kernel`): also its stream (after the `stream` prefix). */
  readonly weight: string;
  /** The path of its layer (`enc`, `encoder/fc1`, `bi/forward_enc`). */
  readonly layer: string;
  /** The TF.js class of the layer. */
  readonly className: string;
  /** The recipe's parameter (PyTorch's name: `weight`, `weight_ih_l0`, `running_var` …). */
  readonly parameter: string;
  readonly shape: readonly number[];
  readonly stream: string;
  /** How it was initialized (the recipe's, in layout `in-out`; seed and stream above). */
  readonly init: ParamInit;
  /** Why: the document's row and the paper. */
  readonly reason: string;
}

/** A layer `reinitialize` left as it was. */
export interface SkippedLayer {
  readonly layer: string;
  readonly className: string;
  readonly reason: string;
}

/** What `reinitialize` did. */
export interface ReinitPlan {
  readonly seed: Seed;
  readonly scheme: Scheme;
  readonly weights: readonly PlannedWeight[];
  /** Layers with weights that were left as they are: unknown classes, `skip`, weights no recipe covers. */
  readonly skipped: readonly SkippedLayer[];
}

/** TF.js activation names (`getConfig().activation`) and activation layers → the recipes' activations. */
const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  linear: 'linear',
  softmax: 'linear',
  logSoftmax: 'linear',
  relu: 'relu',
  relu6: 'relu',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  hardSigmoid: 'sigmoid',
  tanh: 'tanh',
  softsign: 'tanh',
  softplus: 'softplus',
  swish: 'silu',
  mish: 'silu',
  gelu: 'gelu',
  gelu_new: 'gelu',
  ReLU: 'relu',
  PReLU: 'relu',
  ThresholdedReLU: 'relu',
  ELU: 'elu',
  Softmax: 'linear',
};

/** Layers between a weight layer and its activation layer that do not change which activation it is. */
const TRANSPARENT = new Set([
  'BatchNormalization',
  'LayerNormalization',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
]);

interface Node {
  readonly outboundLayer: Layer;
}

function config(layer: Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** The layer that alone consumes `layer`'s output, if exactly one does. */
function soleConsumer(layer: Layer): Layer | undefined {
  const nodes = (layer as unknown as { outboundNodes: readonly Node[] }).outboundNodes ?? [];
  const consumers = new Set(nodes.map((n) => n.outboundLayer));
  return consumers.size === 1 ? [...consumers][0] : undefined;
}

/**
 * The activation after a layer: its own `activation`, or when that is linear the activation
 * layer (`Activation`, `ReLU`, `LeakyReLU`, `ELU` …) that alone consumes its output, through
 * normalization and dropout layers.
 */
function activationAfter(layer: Layer): { activation: Activation; slope?: number } {
  const own = config(layer).activation;
  if (typeof own === 'string' && own !== 'linear')
    return { activation: ACTIVATIONS[own] ?? 'linear' };
  let next = soleConsumer(layer);
  for (let hops = 0; next !== undefined && hops < 4; hops++) {
    const cls = next.getClassName();
    if (cls === 'LeakyReLU') {
      const alpha = config(next).alpha;
      return { activation: 'leaky-relu', slope: typeof alpha === 'number' ? alpha : 0.3 };
    }
    if (cls === 'Activation') {
      const a = config(next).activation;
      return { activation: (typeof a === 'string' && ACTIVATIONS[a]) || 'linear' };
    }
    if (ACTIVATIONS[cls] !== undefined) return { activation: ACTIVATIONS[cls] };
    if (!TRANSPARENT.has(cls)) break;
    next = soleConsumer(next);
  }
  return { activation: 'linear' };
}

/** One recipe for (some of) a layer's weights: the spec and which TF.js weight is which parameter. */
interface Part {
  readonly spec: LayerSpec;
  /** TF.js local weight name (`kernel`) → the recipe's parameter (`weight`). */
  readonly weights: Readonly<Record<string, string>>;
}

function localName(w: tfl.LayerVariable): string {
  const n = w.originalName;
  return n.slice(n.lastIndexOf('/') + 1);
}

function shapeOf(layer: Layer, name: string): number[] | undefined {
  const w = layer.weights.find((v) => localName(v) === name);
  return w?.shape as number[] | undefined;
}

const CONV: Readonly<Record<string, LayerType>> = {
  Conv1D: 'conv1d',
  Conv2D: 'conv2d',
  Conv3D: 'conv3d',
  Conv2DTranspose: 'conv-transpose2d',
  Conv3DTranspose: 'conv-transpose3d',
};

const BATCHNORM: readonly LayerType[] = [
  'batchnorm1d',
  'batchnorm1d',
  'batchnorm1d',
  'batchnorm2d',
  'batchnorm3d',
];

/** The recipes' view of a TF.js layer, or a reason it has none. */
function partsOf(layer: Layer, name: string): Part[] | string {
  const cls = layer.getClassName();
  const c = config(layer);
  const bias = c.useBias !== false;
  const weighted = { name, ...activationAfter(layer), bias };
  const kernel = shapeOf(layer, 'kernel');
  if (cls === 'Dense' && kernel) {
    const spec = { type: 'dense', inFeatures: kernel[0], outFeatures: kernel[1], ...weighted };
    return [{ spec: spec as LayerSpec, weights: { kernel: 'weight', bias: 'bias' } }];
  }
  if (CONV[cls] !== undefined && kernel) {
    const transposed = cls.endsWith('Transpose');
    const k = kernel.slice(0, -2);
    const [a, b] = kernel.slice(-2);
    const spec = {
      type: CONV[cls],
      inChannels: transposed ? b : a,
      outChannels: transposed ? a : b,
      kernelSize: k,
      ...weighted,
    };
    return [{ spec: spec as LayerSpec, weights: { kernel: 'weight', bias: 'bias' } }];
  }
  const depthwise = shapeOf(layer, 'depthwise_kernel');
  if (cls === 'DepthwiseConv2D' && depthwise) {
    const [kh, kw, inC, mult] = depthwise;
    const spec = {
      type: 'conv2d',
      inChannels: inC,
      outChannels: inC * mult,
      kernelSize: [kh, kw],
      groups: inC,
      ...weighted,
    };
    return [{ spec: spec as LayerSpec, weights: { depthwise_kernel: 'weight', bias: 'bias' } }];
  }
  const pointwise = shapeOf(layer, 'pointwise_kernel');
  if ((cls === 'SeparableConv2D' || cls === 'SeparableConv1D') && depthwise && pointwise) {
    const k = depthwise.slice(0, -2);
    const [inC, mult] = depthwise.slice(-2);
    const type = cls === 'SeparableConv2D' ? 'conv2d' : 'conv1d';
    // The depthwise step is linear: the pointwise convolution follows it.
    const dw = {
      type,
      name,
      inChannels: inC,
      outChannels: inC * mult,
      kernelSize: k,
      groups: inC,
      activation: 'linear',
      bias: false,
    };
    const pw = {
      type,
      inChannels: inC * mult,
      outChannels: pointwise[pointwise.length - 1],
      kernelSize: k.map(() => 1),
      ...weighted,
    };
    return [
      { spec: dw as LayerSpec, weights: { depthwise_kernel: 'weight' } },
      { spec: pw as LayerSpec, weights: { pointwise_kernel: 'weight', bias: 'bias' } },
    ];
  }
  const embeddings = shapeOf(layer, 'embeddings');
  if (cls === 'Embedding' && embeddings) {
    const spec = {
      type: 'embedding',
      name,
      numEmbeddings: embeddings[0],
      embeddingDim: embeddings[1],
      ...(c.maskZero === true ? { paddingIdx: 0 } : {}),
    };
    return [{ spec: spec as LayerSpec, weights: { embeddings: 'weight' } }];
  }
  const recurrent: Record<string, 'rnn' | 'lstm' | 'gru'> = {
    SimpleRNN: 'rnn',
    LSTM: 'lstm',
    GRU: 'gru',
  };
  if (recurrent[cls] !== undefined && kernel) {
    const type = recurrent[cls];
    const spec: Record<string, unknown> = {
      type,
      name,
      inputSize: kernel[0],
      hiddenSize: c.units,
      bias,
      ...(type === 'rnn'
        ? { nonlinearity: c.activation === 'relu' ? 'relu' : 'tanh' }
        : { gateOrder: 'keras' }),
    };
    // TF.js has one bias: PyTorch's two add up, and the recipes put everything in bias_ih.
    const weights = {
      kernel: 'weight_ih_l0',
      recurrent_kernel: 'weight_hh_l0',
      bias: 'bias_ih_l0',
    };
    return [{ spec: spec as unknown as LayerSpec, weights }];
  }
  if (cls === 'BatchNormalization') {
    const c0 = (shapeOf(layer, 'moving_mean') ?? [0])[0];
    const rank = layer.inputSpec?.[0]?.ndim ?? 2;
    const type = BATCHNORM[Math.min(Math.max(rank, 2), 4)];
    const spec = { type, name, numFeatures: c0 };
    const weights = {
      gamma: 'weight',
      beta: 'bias',
      moving_mean: 'running_mean',
      moving_variance: 'running_var',
    };
    return [{ spec: spec as LayerSpec, weights }];
  }
  if (cls === 'LayerNormalization') {
    const shape = shapeOf(layer, 'gamma') ?? shapeOf(layer, 'beta');
    if (shape === undefined) return 'no gamma or beta';
    return [
      {
        spec: { type: 'layernorm', name, normalizedShape: shape } as LayerSpec,
        weights: { gamma: 'weight', beta: 'bias' },
      },
    ];
  }
  return `no recipe for TF.js ${cls} layers`;
}

/** Weights of the layers inside wrappers (Bidirectional, TimeDistributed) are their own layers. */
function expand(layer: Layer, path: string): { layer: Layer; path: string }[] {
  const inner = layer as unknown as { forwardLayer?: Layer; backwardLayer?: Layer; layer?: Layer };
  const cls = layer.getClassName();
  if (cls === 'Bidirectional' && inner.forwardLayer && inner.backwardLayer)
    return [inner.forwardLayer, inner.backwardLayer].map((l) => ({
      layer: l,
      path: `${path}/${l.name}`,
    }));
  if (cls === 'TimeDistributed' && inner.layer)
    return expand(inner.layer, `${path}/${inner.layer.name}`);
  return [{ layer, path }];
}

/**
 * The values of a recipe's initialization for a shape, from the stream `stream` of `seed`:
 * block k from the child stream `<stream>#<k>`, chrono from `<param>#<child>` (`param` the
 * parameter's stream, shared by the blocks of one parameter).
 */
export function materialize(
  init: ParamInit,
  shape: readonly number[],
  seed: Seed,
  stream: string,
  param = stream,
): Float32Array {
  switch (init.kind) {
    case 'strategy': {
      const random = strategy(init.spec.name).keys.includes('seed');
      const spec = random ? { ...init.spec, seed, stream } : init.spec;
      return initialize(spec, shape).data as Float32Array;
    }
    case 'chrono': {
      // b = sign · log(U(1, tMax − 1)), the uniform from the child stream <param>#<stream>.
      const u = initialize(
        { name: 'uniform', low: 1, high: init.tMax - 1, seed, stream: `${param}#${init.stream}` },
        shape,
      );
      return Float32Array.from(u.data, (x) => init.sign * log(x));
    }
    case 'blocks': {
      const axis = init.axis ?? 0;
      const out = new Float32Array(sizeOf(shape));
      const outer = sizeOf(shape.slice(0, axis));
      const inner = sizeOf(shape.slice(axis + 1));
      let offset = 0;
      init.blocks.forEach((b, k) => {
        const blockShape = shape.map((d, i) => (i === axis ? b.rows : d));
        const v = materialize(b.init, blockShape, seed, `${stream}#${k}`, param);
        const run = b.rows * inner;
        for (let o = 0; o < outer; o++)
          out.set(v.subarray(o * run, (o + 1) * run), (o * shape[axis] + offset) * inner);
        offset += b.rows;
      });
      return out;
    }
  }
}

const OVERRIDE_KEYS = [
  'activation',
  'slope',
  'forgetBias',
  'chrono',
  'recurrent',
  'recurrentGain',
  'residual',
  'output',
  'skip',
];

function checkOptions(fn: string, options: unknown, paths: { layer: Layer; path: string }[]) {
  checkOptionsObject(
    fn,
    options,
    ['seed', 'scheme', 'stream', 'layers'],
    'an object { seed, scheme, stream, layers }',
  );
  const o = options as ReinitializeOptions;
  const seed = requiredSeed(fn, o.seed);
  const scheme =
    o.scheme === undefined ? 'recommended' : checkChoice(fn, 'scheme', o.scheme, SCHEMES);
  if (o.stream !== undefined && typeof o.stream !== 'string')
    typeError(fn, 'stream', 'a string', o.stream);
  const overrides = new Map<Layer, LayerOverrides>();
  if (o.layers !== undefined) {
    if (o.layers === null || typeof o.layers !== 'object' || Array.isArray(o.layers))
      typeError(fn, 'layers', 'an object { [layer name]: overrides }', o.layers);
    for (const [key, value] of Object.entries(o.layers)) {
      const found = paths.find((p) => p.path === key) ?? paths.find((p) => p.layer.name === key);
      if (found === undefined)
        rangeError(
          fn,
          'layers',
          `keyed by layers of the model: ${oneOf(paths.map((p) => p.path))}`,
          key,
        );
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        typeError(fn, `layers.${key}`, 'an object of overrides', value);
      for (const k of Object.keys(value))
        if (!OVERRIDE_KEYS.includes(k))
          rangeError(
            fn,
            `layers.${key}`,
            `made of the keys ${OVERRIDE_KEYS.map((x) => JSON.stringify(x)).join(', ')}`,
            k,
          );
      overrides.set(found.layer, value);
    }
  }
  return { seed, scheme, stream: o.stream, overrides };
}

/**
 * The recipe overrides of one layer as spec fields: `activation` canonical, `skip` removed;
 * each key must be a field of the recipe's layer type.
 */
function specFields(
  fn: string,
  path: string,
  o: LayerOverrides,
  type: LayerType,
): Record<string, unknown> {
  const { skip: _skip, ...fields } = o;
  const allowed = layerKeys(type);
  for (const k of Object.keys(fields))
    if (!allowed.includes(k))
      rangeError(
        fn,
        `layers.${path}`,
        `keys that a ${type} layer takes (${oneOf(allowed.filter((x) => OVERRIDE_KEYS.includes(x)))})`,
        k,
      );
  if (fields.activation !== undefined)
    fields.activation = parseActivation(fn, `layers.${path}.activation`, fields.activation);
  return fields;
}

/**
 * Re-initializes every weight of a TF.js model by weightinit's recipe for its layer class and
 * activation, and returns the plan it applied.
 *
 * Each TF.js layer is mapped onto a recipe layer spec (PyTorch's names, `layerRecipe` with
 * layout `in-out` and Keras gate order), and each recipe parameter back onto its TF.js weight:
 * - `Dense`, `Conv1D/2D/3D`, `Conv2DTranspose` (kernel, bias): by the activation after the
 *   layer — its own, or the activation layer (`Activation`, `ReLU`, `LeakyReLU`, `ELU`,
 *   `Softmax` …) that alone consumes its output: Xavier uniform for linear/tanh/sigmoid
 *   (Glorot & Bengio 2010), He normal for ReLU family (He et al. 2015), LeCun normal for SELU;
 *   biases zero;
 * - `DepthwiseConv2D`: a grouped convolution (fan_in = kh·kw); `SeparableConv2D`: its
 *   depthwise step as a linear grouped convolution, its pointwise step as a 1×1 convolution
 *   with the layer's activation;
 * - `Embedding`: N(0, 1) (row 0 zero with `maskZero`);
 * - `SimpleRNN`, `LSTM`, `GRU` (and inside `Bidirectional`): input kernel Xavier (He for ReLU
 *   RNNs), recurrent kernel orthogonal per gate block (Saxe et al. 2014) or identity for ReLU
 *   RNNs (Le et al. 2015), bias zero but the LSTM forget gate's 1 (Jozefowicz et al. 2015).
 *   TF.js's one bias takes PyTorch's `bias_ih` (the recipes keep `bias_hh` zero, so the sum is
 *   the same);
 * - `BatchNormalization` (γ 1, β 0, moving mean 0, moving variance 1), `LayerNormalization`
 *   (γ 1, β 0);
 * - nested models are entered; `TimeDistributed` uses its inner layer's recipe.
 *
 * Every weight's values come from the stream of its saved name (`fc1/kernel`, after the
 * `stream` prefix), so they equal the core's `initialize` of the planned spec with that stream.
 * Layers of other classes are left as they are and listed in `skipped` (layers without
 * weights are not listed).
 *
 * Defaults: scheme `'recommended'`, no stream prefix.
 * @returns the plan: every weight set, with its parameter, spec and reason, and what was skipped.
 * @throws TypeError for a model that is not a `tf.LayersModel` or a missing seed; RangeError
 *   for a model with no weights, an unknown option, scheme or layer in `layers`, or an override
 *   that the layer's recipe does not take.
 * @example
 * // fc1: Dense(32, relu) on 32 inputs
 * const plan = reinitialize(model, { seed: 0 });
 * plan.weights[0]
 * // { weight: 'fc1/kernel', layer: 'fc1', className: 'Dense', parameter: 'weight', shape: [32, 32],
 * //   stream: 'fc1/kernel', init: { kind: 'strategy', spec: { name: 'he-normal', nonlinearity: 'relu', layout: 'in-out' } },
 * //   reason: 'He normal, N(0, 2/fan_in) (gain √2): ReLU zeroes half its inputs, … [document, Summary: "He — ReLU activations"; He et al. 2015]' }
 * plan.weights[1].init // { kind: 'strategy', spec: { name: 'zeros' } } (fc1/bias)
 */
export function reinitialize(model: tfl.LayersModel, options: ReinitializeOptions): ReinitPlan {
  const fn = 'reinitialize';
  checkModel(fn, model);
  const paths = flatLayers(model).flatMap(({ layer, path }) => expand(layer, path));
  const o = checkOptions(fn, options, [...flatLayers(model), ...paths]);
  const weights: PlannedWeight[] = [];
  const skipped: SkippedLayer[] = [];
  const writes: { variable: tf.Variable; values: Float32Array; shape: number[] }[] = [];
  for (const { layer, path } of paths) {
    if (layer.weights.length === 0 || isModel(layer)) continue;
    const className = layer.getClassName();
    const ov = o.overrides.get(layer) ?? {};
    if (ov.skip === true) {
      skipped.push({ layer: path, className, reason: 'skip: true' });
      continue;
    }
    const found = partsOf(layer, layer.name);
    if (typeof found === 'string') {
      skipped.push({ layer: path, className, reason: found });
      continue;
    }
    // Overrides go to the part that ends the layer (the pointwise step of a separable conv).
    const parts = found.map((p, i) =>
      i === found.length - 1
        ? { ...p, spec: { ...p.spec, ...specFields(fn, path, ov, p.spec.type) } as LayerSpec }
        : p,
    );
    const covered = new Set<string>();
    for (const part of parts) {
      const recipe = new Map<string, LayerParameter>(
        layerRecipe(part.spec, { scheme: o.scheme, layout: 'in-out' }).map((p) => [p.name, p]),
      );
      for (const w of layer.weights) {
        const param = recipe.get(part.weights[localName(w)]);
        if (param === undefined) continue;
        if (sizeOf(param.shape) !== sizeOf(w.shape as number[]))
          throw new Error(
            `${fn}: the recipe of ${path} gives ${param.name} [${param.shape}] for ${w.originalName} [${w.shape}]`,
          );
        const stream = weightStream(o.stream, w.originalName);
        writes.push({
          variable: w.read() as tf.Variable,
          values: materialize(param.init, param.shape, o.seed, stream),
          shape: w.shape as number[],
        });
        covered.add(w.originalName);
        weights.push({
          weight: w.originalName,
          layer: path,
          className,
          parameter: param.name,
          shape: w.shape as number[],
          stream,
          init: param.init,
          reason: param.reason,
        });
      }
    }
    const left = layer.weights
      .filter((w) => !covered.has(w.originalName))
      .map((w) => w.originalName);
    if (left.length > 0)
      skipped.push({
        layer: path,
        className,
        reason: `no recipe parameter for ${left.join(', ')}`,
      });
  }
  // Everything is computed (and checked) before the first weight changes.
  for (const { variable, values, shape } of writes) {
    const t = tf.tensor(values, shape, 'float32');
    variable.assign(t);
    t.dispose();
  }
  return { seed: o.seed, scheme: o.scheme, weights, skipped };
}
