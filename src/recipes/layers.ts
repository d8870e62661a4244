/**
 * Layer specs: what a layer is, with PyTorch's constructor arguments in camelCase, and their
 * validation into a normalized form (every default applied) that the recipes read.
 */
import {
  checkChoice,
  checkFinite,
  checkInteger,
  oneOf,
  rangeError,
  typeError,
} from '../tensor/errors.js';
import { type Activation, checkSlope, parseActivation } from './activations.js';

/** Every layer type, in the order of the documentation. */
export const LAYER_TYPES = [
  'dense',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv-transpose1d',
  'conv-transpose2d',
  'conv-transpose3d',
  'embedding',
  'layernorm',
  'batchnorm1d',
  'batchnorm2d',
  'batchnorm3d',
  'groupnorm',
  'rnn',
  'lstm',
  'gru',
  'attention',
] as const;

export type LayerType = (typeof LAYER_TYPES)[number];
export type ConvType =
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv-transpose1d'
  | 'conv-transpose2d'
  | 'conv-transpose3d';
export type BatchNormType = 'batchnorm1d' | 'batchnorm2d' | 'batchnorm3d';
export type RecurrentType = 'rnn' | 'lstm' | 'gru';

/**
 * Other names of the layer types, after spelling is normalized (lower case, camelCase humps
 * and `_` to `-`): PyTorch's class names (`Linear`, `ConvTranspose2d`, `BatchNorm1d`,
 * `LayerNorm`, `MultiheadAttention` …) are accepted.
 */
export const LAYER_ALIASES: Readonly<Record<string, LayerType>> = {
  linear: 'dense',
  'conv-transpose-1d': 'conv-transpose1d',
  'conv-transpose-2d': 'conv-transpose2d',
  'conv-transpose-3d': 'conv-transpose3d',
  convtranspose1d: 'conv-transpose1d',
  convtranspose2d: 'conv-transpose2d',
  convtranspose3d: 'conv-transpose3d',
  'layer-norm': 'layernorm',
  'batch-norm1d': 'batchnorm1d',
  'batch-norm2d': 'batchnorm2d',
  'batch-norm3d': 'batchnorm3d',
  'group-norm': 'groupnorm',
  'multihead-attention': 'attention',
  'multi-head-attention': 'attention',
  mha: 'attention',
};

/**
 * The canonical layer type of any accepted spelling: PyTorch's class names, camelCase,
 * snake_case (humps and `_` to `-`, lower case, then `LAYER_ALIASES`).
 * @param fn The calling function's name, for messages.
 * @param arg The argument's name, for messages.
 * @example parseLayerType('validateLayer', 'layer.type', 'ConvTranspose2d') // 'conv-transpose2d'
 * @example parseLayerType('validateLayer', 'layer.type', 'Linear') // 'dense'
 * @throws TypeError for a non-string; RangeError for an unknown type, listing the valid ones.
 */
export function parseLayerType(fn: string, arg: string, value: unknown): LayerType {
  if (typeof value !== 'string') typeError(fn, arg, `a layer type: ${oneOf(LAYER_TYPES)}`, value);
  const n = value
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
  const canonical = (LAYER_TYPES as readonly string[]).includes(n)
    ? (n as LayerType)
    : LAYER_ALIASES[n];
  if (canonical === undefined)
    rangeError(fn, arg, `a layer type: ${oneOf(LAYER_TYPES)} (or an alias)`, value);
  return canonical;
}

/**
 * A layer inside a residual branch. Fixup (Zhang et al. 2019): the branch's last layer starts
 * at zero and every other weight layer of the branch is scaled by L^(−1/(2m−2)), L the number
 * of branches and m the weight layers per branch. `zeroInit` alone zeroes the last layer
 * (Goyal et al. 2017's zero-γ when that layer is a norm).
 */
export interface ResidualOptions {
  /** Number of residual branches in the network (Fixup's L). Required with `fixup`. */
  depth?: number;
  /** Weight layers per branch (Fixup's m, ≥ 2 with `fixup`). Default 2. */
  branchLayers?: number;
  /** This layer's place in its branch, 1 … branchLayers. Default `branchLayers` (the last one, whose output joins the skip path). */
  position?: number;
  /** The last layer of the branch starts at zero (weight, or a norm's γ). Default false; true with `fixup`. */
  zeroInit?: boolean;
  /** Fixup scaling of the branch's other layers (and zero last layer). Default false. */
  fixup?: boolean;
}

/** A layer whose output is the network's output (logits). */
export interface OutputOptions {
  /** Start the output layer at zero (Zhang et al. 2019): the first predictions are uniform. Default false. */
  zeroInit?: boolean;
}

interface Named {
  /** The layer's name (for messages and models; recipes give names inside the layer). */
  name?: string;
}

/** What a dense or convolution layer is followed by, and where it sits. */
interface Weighted extends Named {
  /** The activation after the layer (decides the gain). Default `'linear'`. */
  activation?: Activation;
  /** Negative slope of leaky-relu, default 0.01 (PyTorch's `LeakyReLU`). Only with leaky-relu. */
  slope?: number;
  /** The layer sits in a residual branch. */
  residual?: ResidualOptions;
  /** The layer is the output (logits) layer: `true` or `{ zeroInit }`. */
  output?: boolean | OutputOptions;
  /** Has a bias (PyTorch `bias`). Default true. */
  bias?: boolean;
}

/** `nn.Linear(in_features, out_features, bias)`: weight `[out, in]`, bias `[out]`. */
export interface DenseSpec extends Weighted {
  type: 'dense';
  inFeatures: number;
  outFeatures: number;
}

/**
 * `nn.Conv{1,2,3}d` (weight `[out, in/groups, ...kernel]`) and `nn.ConvTranspose{1,2,3}d`
 * (weight `[in, out/groups, ...kernel]`); bias `[out]`.
 */
export interface ConvSpec extends Weighted {
  type: ConvType;
  inChannels: number;
  outChannels: number;
  /** One size for every spatial dimension, or one per dimension. */
  kernelSize: number | readonly number[];
  /** Default 1; must divide both channel counts. */
  groups?: number;
}

/** `nn.Embedding(num_embeddings, embedding_dim, padding_idx)`: weight `[num, dim]`, the padding row zero. */
export interface EmbeddingSpec extends Named {
  type: 'embedding';
  numEmbeddings: number;
  embeddingDim: number;
  /** A row that stays zero; negative counts from the end, as PyTorch. */
  paddingIdx?: number;
}

/** `nn.LayerNorm(normalized_shape, elementwise_affine, bias)`: weight and bias of `normalized_shape`. */
export interface LayerNormSpec extends Named {
  type: 'layernorm';
  normalizedShape: number | readonly number[];
  /** Default true. */
  elementwiseAffine?: boolean;
  /** Default true (only with `elementwiseAffine`). */
  bias?: boolean;
  residual?: ResidualOptions;
}

/**
 * `nn.BatchNorm{1,2,3}d(num_features, affine, track_running_stats)`: weight, bias `[C]`, and
 * the float buffers `running_mean` (0) and `running_var` (1) when tracking.
 */
export interface BatchNormSpec extends Named {
  type: BatchNormType;
  numFeatures: number;
  /** Default true. */
  affine?: boolean;
  /** Default true: the recipe includes the buffers `running_mean` and `running_var`. */
  trackRunningStats?: boolean;
  residual?: ResidualOptions;
}

/** `nn.GroupNorm(num_groups, num_channels, affine)`: weight, bias `[C]`. */
export interface GroupNormSpec extends Named {
  type: 'groupnorm';
  numGroups: number;
  numChannels: number;
  /** Default true. */
  affine?: boolean;
  residual?: ResidualOptions;
}

/** Recipe options of the recurrent layers. */
export interface RecurrentOptions {
  /**
   * Recurrent weights: `'orthogonal'` (per gate block; default, and for tanh RNNs) or
   * `'identity'` (IRNN; the default of ReLU RNNs).
   */
  recurrent?: 'orthogonal' | 'identity';
  /** Scales the recurrent matrix (IRNN's scaled identity, e.g. 0.01). Default 1. */
  recurrentGain?: number;
  /** Gate order within the stacked weights: `'pytorch'` (i,f,g,o / r,z,n, default) or `'keras'` (i,f,c,o / z,r,h). */
  gateOrder?: 'pytorch' | 'keras';
}

interface RecurrentBase extends Named, RecurrentOptions {
  inputSize: number;
  hiddenSize: number;
  /** Default 1. */
  numLayers?: number;
  /** Default true: two bias vectors per layer and direction, `bias_ih` and `bias_hh`. */
  bias?: boolean;
  /** Default false. */
  bidirectional?: boolean;
}

/** `nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias, bidirectional)`. */
export interface RnnSpec extends RecurrentBase {
  type: 'rnn';
  /** Default `'tanh'`. */
  nonlinearity?: 'tanh' | 'relu';
}

/** `nn.LSTM(input_size, hidden_size, num_layers, bias, bidirectional, proj_size)` + recipe options. */
export interface LstmSpec extends RecurrentBase {
  type: 'lstm';
  /** Default 0 (no projection); else `weight_hr` `[proj, hidden]` and the hidden state has `projSize`. */
  projSize?: number;
  /** The forget gate's bias (in `bias_ih` only). Default 1 (Jozefowicz et al. 2015). */
  forgetBias?: number;
  /** Chrono initialization of the forget and input gate biases (Tallec & Ollivier 2018). */
  chrono?: { tMax: number };
}

/** `nn.GRU(input_size, hidden_size, num_layers, bias, bidirectional)`. */
export interface GruSpec extends RecurrentBase {
  type: 'gru';
}

/**
 * `nn.MultiheadAttention(embed_dim, num_heads, bias, add_bias_kv, kdim, vdim)`:
 * `in_proj_weight [3E, E]` (or `q/k/v_proj_weight` when kdim/vdim differ), `in_proj_bias [3E]`,
 * `bias_k`, `bias_v [1, 1, E]`, `out_proj.weight [E, E]`, `out_proj.bias [E]`.
 */
export interface AttentionSpec extends Named {
  type: 'attention';
  embedDim: number;
  numHeads: number;
  /** Default true. */
  bias?: boolean;
  /** Default false. */
  addBiasKv?: boolean;
  /** Default `embedDim`. */
  kdim?: number;
  /** Default `embedDim`. */
  vdim?: number;
}

/** A layer, discriminated on `type`. Field names are PyTorch's constructor arguments in camelCase. */
export type LayerSpec =
  | DenseSpec
  | ConvSpec
  | EmbeddingSpec
  | LayerNormSpec
  | BatchNormSpec
  | GroupNormSpec
  | RnnSpec
  | LstmSpec
  | GruSpec
  | AttentionSpec;

/** A residual position, validated. */
export interface Residual {
  readonly depth: number | undefined;
  readonly branchLayers: number;
  readonly position: number;
  readonly last: boolean;
  readonly zeroInit: boolean;
  readonly fixup: boolean;
}

interface LayerCommon {
  readonly name: string | undefined;
}

/** What decides a weight's strategy: the activation after it and its place in the network. */
export interface WeightContext {
  readonly activation: Activation;
  readonly slope: number | undefined;
  readonly residual: Residual | undefined;
  readonly output: { readonly zeroInit: boolean } | undefined;
}

/** A layer spec, validated, with every default applied. */
export type Layer =
  | (LayerCommon &
      WeightContext & {
        readonly type: 'dense';
        readonly inFeatures: number;
        readonly outFeatures: number;
        readonly bias: boolean;
      })
  | (LayerCommon &
      WeightContext & {
        readonly type: ConvType;
        readonly transposed: boolean;
        readonly inChannels: number;
        readonly outChannels: number;
        readonly kernelSize: readonly number[];
        readonly groups: number;
        readonly bias: boolean;
      })
  | (LayerCommon & {
      readonly type: 'embedding';
      readonly numEmbeddings: number;
      readonly embeddingDim: number;
      /** Normalized to [0, numEmbeddings). */
      readonly paddingIdx: number | undefined;
    })
  | (LayerCommon & {
      readonly type: 'layernorm' | 'groupnorm' | BatchNormType;
      /** The shape of weight and bias. */
      readonly normalizedShape: readonly number[];
      readonly numGroups: number | undefined;
      readonly weight: boolean;
      readonly bias: boolean;
      readonly trackRunningStats: boolean;
      readonly residual: Residual | undefined;
    })
  | (LayerCommon & {
      readonly type: RecurrentType;
      readonly inputSize: number;
      readonly hiddenSize: number;
      readonly numLayers: number;
      readonly bias: boolean;
      readonly bidirectional: boolean;
      readonly projSize: number;
      /** `'tanh'` for LSTM and GRU (their candidate state), PyTorch's for RNN. */
      readonly nonlinearity: 'tanh' | 'relu';
      readonly recurrent: 'orthogonal' | 'identity';
      readonly recurrentGain: number;
      readonly gateOrder: 'pytorch' | 'keras';
      /** LSTM only: the forget gate's bias (ignored with `chrono`). */
      readonly forgetBias: number;
      readonly chrono: { readonly tMax: number } | undefined;
    })
  | (LayerCommon & {
      readonly type: 'attention';
      readonly embedDim: number;
      readonly numHeads: number;
      readonly bias: boolean;
      readonly addBiasKv: boolean;
      readonly kdim: number;
      readonly vdim: number;
    });

const WEIGHTED_KEYS = ['activation', 'slope', 'residual', 'output', 'bias'];
const RECURRENT_KEYS = [
  'inputSize',
  'hiddenSize',
  'numLayers',
  'bias',
  'bidirectional',
  'recurrent',
  'recurrentGain',
  'gateOrder',
];

/** The keys each type accepts (besides `type` and `name`). */
const KEYS: Readonly<Record<LayerType, readonly string[]>> = {
  dense: ['inFeatures', 'outFeatures', ...WEIGHTED_KEYS],
  conv1d: ['inChannels', 'outChannels', 'kernelSize', 'groups', ...WEIGHTED_KEYS],
  conv2d: ['inChannels', 'outChannels', 'kernelSize', 'groups', ...WEIGHTED_KEYS],
  conv3d: ['inChannels', 'outChannels', 'kernelSize', 'groups', ...WEIGHTED_KEYS],
  'conv-transpose1d': ['inChannels', 'outChannels', 'kernelSize', 'groups', ...WEIGHTED_KEYS],
  'conv-transpose2d': ['inChannels', 'outChannels', 'kernelSize', 'groups', ...WEIGHTED_KEYS],
  'conv-transpose3d': ['inChannels', 'outChannels', 'kernelSize', 'groups', ...WEIGHTED_KEYS],
  embedding: ['numEmbeddings', 'embeddingDim', 'paddingIdx'],
  layernorm: ['normalizedShape', 'elementwiseAffine', 'bias', 'residual'],
  batchnorm1d: ['numFeatures', 'affine', 'trackRunningStats', 'residual'],
  batchnorm2d: ['numFeatures', 'affine', 'trackRunningStats', 'residual'],
  batchnorm3d: ['numFeatures', 'affine', 'trackRunningStats', 'residual'],
  groupnorm: ['numGroups', 'numChannels', 'affine', 'residual'],
  rnn: [...RECURRENT_KEYS, 'nonlinearity'],
  lstm: [...RECURRENT_KEYS, 'projSize', 'forgetBias', 'chrono'],
  gru: RECURRENT_KEYS,
  attention: ['embedDim', 'numHeads', 'bias', 'addBiasKv', 'kdim', 'vdim'],
};

/** The keys a layer of `type` accepts, `type` and `name` included. */
export function layerKeys(type: LayerType): readonly string[] {
  return ['type', 'name', ...KEYS[type]];
}

/** Rejects keys the type does not know, listing those it does. */
function checkKeys(fn: string, arg: string, value: object, known: readonly string[], what: string) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      rangeError(
        fn,
        arg,
        `made of the keys ${known.map((k) => JSON.stringify(k)).join(', ')} (${what})`,
        key,
      );
  }
}

/** Validation of one layer: the function's name and the path of the layer argument. */
class Check {
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly spec: Record<string, unknown>,
  ) {}

  path(key: string): string {
    return `${this.arg}.${key}`;
  }

  /** A required integer ≥ min. */
  size(key: string, min = 0): number {
    const v = this.spec[key];
    if (v === undefined) typeError(this.fn, this.path(key), `given (an integer >= ${min})`, v);
    return checkInteger(this.fn, this.path(key), v, min);
  }

  /** An optional integer ≥ min. */
  optionalSize(key: string, fallback: number, min = 0): number {
    return this.spec[key] === undefined ? fallback : this.size(key, min);
  }

  flag(key: string, fallback: boolean): boolean {
    const v = this.spec[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') typeError(this.fn, this.path(key), 'true or false', v);
    return v;
  }

  /** One integer for every dimension, or an array of `dims` of them. */
  sizes(key: string, dims: number | undefined, min: number): number[] {
    const v = this.spec[key];
    if (typeof v === 'number') {
      checkInteger(this.fn, this.path(key), v, min);
      return Array.from({ length: dims ?? 1 }, () => v);
    }
    const expected =
      dims === undefined
        ? `an integer >= ${min} or a non-empty array of them`
        : `an integer >= ${min} or an array of ${dims}`;
    if (v === undefined) typeError(this.fn, this.path(key), `given (${expected})`, v);
    if (!Array.isArray(v)) typeError(this.fn, this.path(key), expected, v);
    if (v.length === 0 || (dims !== undefined && v.length !== dims))
      rangeError(this.fn, this.path(key), expected, v);
    return v.map((d, i) => checkInteger(this.fn, `${this.path(key)}[${i}]`, d, min));
  }
}

/** Checks the residual option. */
function residualOf(c: Check, allowFixup: boolean): Residual | undefined {
  const r = c.spec.residual;
  if (r === undefined) return undefined;
  const arg = c.path('residual');
  if (r === null || typeof r !== 'object' || Array.isArray(r))
    typeError(c.fn, arg, 'an object { depth, branchLayers, position, zeroInit, fixup }', r);
  const keys = ['depth', 'branchLayers', 'position', 'zeroInit', 'fixup'];
  checkKeys(c.fn, arg, r, keys, 'residual options');
  const rc = new Check(c.fn, arg, r as Record<string, unknown>);
  const fixup = rc.flag('fixup', false);
  if (fixup && !allowFixup)
    rangeError(
      c.fn,
      `${arg}.fixup`,
      'false for a normalization layer (Fixup networks have none; use `zeroInit` for zero-γ)',
      true,
    );
  const depth = rc.spec.depth === undefined ? undefined : rc.size('depth', 1);
  if (fixup && depth === undefined)
    typeError(
      c.fn,
      `${arg}.depth`,
      'given with `fixup` (the number of residual branches L)',
      depth,
    );
  const branchLayers = rc.optionalSize('branchLayers', 2, fixup ? 2 : 1);
  const position = rc.optionalSize('position', branchLayers, 1);
  if (position > branchLayers)
    rangeError(
      c.fn,
      `${arg}.position`,
      `an integer in [1, ${branchLayers}] (branchLayers)`,
      position,
    );
  const zeroInit = rc.flag('zeroInit', fixup);
  if (fixup && !zeroInit)
    rangeError(
      c.fn,
      `${arg}.zeroInit`,
      'true or left out with `fixup` (Fixup zeroes the last layer)',
      false,
    );
  return { depth, branchLayers, position, last: position === branchLayers, zeroInit, fixup };
}

function outputOf(c: Check): { zeroInit: boolean } | undefined {
  const o = c.spec.output;
  if (o === undefined || o === false) return undefined;
  if (o === true) return { zeroInit: false };
  const arg = c.path('output');
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    typeError(c.fn, arg, 'true, false or { zeroInit }', o);
  checkKeys(c.fn, arg, o, ['zeroInit'], 'output options');
  return { zeroInit: new Check(c.fn, arg, o as Record<string, unknown>).flag('zeroInit', false) };
}

function weightContext(c: Check): WeightContext {
  const activation =
    c.spec.activation === undefined
      ? 'linear'
      : parseActivation(c.fn, c.path('activation'), c.spec.activation);
  const slope = checkSlope(c.fn, c.path('slope'), activation, c.spec.slope);
  const residual = residualOf(c, true);
  const output = outputOf(c);
  if (residual !== undefined && output !== undefined)
    rangeError(
      c.fn,
      c.path('output'),
      'left out when `residual` is given (a layer is one or the other)',
      c.spec.output,
    );
  return { activation, slope, residual, output };
}

function divisible(c: Check, key: string, value: number, by: number, byKey: string): void {
  if (value % by !== 0) rangeError(c.fn, c.path(key), `divisible by ${byKey} (${by})`, value);
}

const CONV_DIMS: Readonly<Record<ConvType, number>> = {
  conv1d: 1,
  conv2d: 2,
  conv3d: 3,
  'conv-transpose1d': 1,
  'conv-transpose2d': 2,
  'conv-transpose3d': 3,
};

function recurrentOf(c: Check, type: RecurrentType): Layer {
  const hiddenSize = c.size('hiddenSize', 1);
  const nonlinearity =
    type === 'rnn' && c.spec.nonlinearity !== undefined
      ? checkChoice(c.fn, c.path('nonlinearity'), c.spec.nonlinearity, ['tanh', 'relu'] as const)
      : 'tanh';
  const projSize = type === 'lstm' ? c.optionalSize('projSize', 0) : 0;
  if (projSize >= hiddenSize)
    rangeError(c.fn, c.path('projSize'), `smaller than hiddenSize (${hiddenSize})`, projSize);
  const bias = c.flag('bias', true);
  const recurrent =
    c.spec.recurrent === undefined
      ? nonlinearity === 'relu'
        ? 'identity'
        : 'orthogonal'
      : checkChoice(c.fn, c.path('recurrent'), c.spec.recurrent, [
          'orthogonal',
          'identity',
        ] as const);
  const recurrentGain =
    c.spec.recurrentGain === undefined
      ? 1
      : checkFinite(c.fn, c.path('recurrentGain'), c.spec.recurrentGain);
  if (recurrentGain < 0) rangeError(c.fn, c.path('recurrentGain'), 'a number >= 0', recurrentGain);
  const gateOrder =
    c.spec.gateOrder === undefined
      ? 'pytorch'
      : checkChoice(c.fn, c.path('gateOrder'), c.spec.gateOrder, ['pytorch', 'keras'] as const);
  let forgetBias = 1;
  let chrono: { tMax: number } | undefined;
  if (c.spec.forgetBias !== undefined) {
    forgetBias = checkFinite(c.fn, c.path('forgetBias'), c.spec.forgetBias);
    if (!bias) rangeError(c.fn, c.path('forgetBias'), 'left out when `bias` is false', forgetBias);
  }
  if (c.spec.chrono !== undefined) {
    const arg = c.path('chrono');
    const v = c.spec.chrono;
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      typeError(c.fn, arg, 'an object { tMax }', v);
    checkKeys(c.fn, arg, v, ['tMax'], 'chrono options');
    const tMax = checkFinite(c.fn, `${arg}.tMax`, (v as { tMax?: unknown }).tMax);
    if (!(tMax > 2))
      rangeError(c.fn, `${arg}.tMax`, 'a number > 2 (chrono draws from U(1, tMax − 1))', tMax);
    if (!bias) rangeError(c.fn, arg, 'left out when `bias` is false', v);
    if (c.spec.forgetBias !== undefined)
      rangeError(c.fn, c.path('forgetBias'), 'left out when `chrono` is given', forgetBias);
    chrono = { tMax };
  }
  return {
    type,
    name: c.spec.name as string | undefined,
    inputSize: c.size('inputSize'),
    hiddenSize,
    numLayers: c.optionalSize('numLayers', 1, 1),
    bias,
    bidirectional: c.flag('bidirectional', false),
    projSize,
    nonlinearity,
    recurrent,
    recurrentGain,
    gateOrder,
    forgetBias,
    chrono,
  };
}

/**
 * Validates a layer spec and applies its defaults.
 *
 * @param layer A {@link LayerSpec}. Type names are accepted in PyTorch's spelling too
 *   (`'Linear'`, `'ConvTranspose2d'`, `'BatchNorm1d'`, `'MultiheadAttention'`).
 * @param fn The name of the calling function, for messages. Default `'validateLayer'`.
 * @param arg The name of the argument, for messages. Default `'layer'`.
 * @returns The normalized {@link Layer}.
 * @throws TypeError for a wrong type or a missing size; RangeError for an unknown type,
 *   activation, key or choice (listing the valid values), a non-integer or negative size,
 *   channels not divisible by `groups`, `embedDim` not divisible by `numHeads`, a padding index
 *   out of range, `projSize >= hiddenSize`, or options that do not go together.
 * @example validateLayer({ type: 'Linear', inFeatures: 4, outFeatures: 2 }).type // 'dense'
 */
export function validateLayer(layer: LayerSpec, fn = 'validateLayer', arg = 'layer'): Layer {
  if (layer === null || typeof layer !== 'object' || Array.isArray(layer))
    typeError(fn, arg, `an object { type, ... } with type ${oneOf(LAYER_TYPES)}`, layer);
  const spec = layer as unknown as Record<string, unknown>;
  if (spec.type === undefined)
    typeError(fn, `${arg}.type`, `given: ${oneOf(LAYER_TYPES)}`, undefined);
  const type = parseLayerType(fn, `${arg}.type`, spec.type);
  checkKeys(fn, arg, spec, layerKeys(type), `the fields of a "${type}" layer`);
  if (spec.name !== undefined && typeof spec.name !== 'string')
    typeError(fn, `${arg}.name`, 'a string', spec.name);
  const c = new Check(fn, arg, spec);
  const name = spec.name as string | undefined;
  switch (type) {
    case 'dense':
      return {
        type,
        name,
        inFeatures: c.size('inFeatures'),
        outFeatures: c.size('outFeatures'),
        bias: c.flag('bias', true),
        ...weightContext(c),
      };
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv-transpose1d':
    case 'conv-transpose2d':
    case 'conv-transpose3d': {
      const inChannels = c.size('inChannels');
      const outChannels = c.size('outChannels');
      const kernelSize = c.sizes('kernelSize', CONV_DIMS[type], 1);
      const groups = c.optionalSize('groups', 1, 1);
      divisible(c, 'inChannels', inChannels, groups, 'groups');
      divisible(c, 'outChannels', outChannels, groups, 'groups');
      return {
        type,
        name,
        transposed: type.startsWith('conv-transpose'),
        inChannels,
        outChannels,
        kernelSize,
        groups,
        bias: c.flag('bias', true),
        ...weightContext(c),
      };
    }
    case 'embedding': {
      const numEmbeddings = c.size('numEmbeddings');
      const embeddingDim = c.size('embeddingDim');
      let paddingIdx: number | undefined;
      if (spec.paddingIdx !== undefined) {
        const p = checkInteger(fn, c.path('paddingIdx'), spec.paddingIdx, Number.MIN_SAFE_INTEGER);
        if (p < -numEmbeddings || p >= numEmbeddings)
          rangeError(
            fn,
            c.path('paddingIdx'),
            `an integer in [${-numEmbeddings}, ${numEmbeddings - 1}] (within numEmbeddings)`,
            p,
          );
        paddingIdx = p < 0 ? p + numEmbeddings : p;
      }
      return { type, name, numEmbeddings, embeddingDim, paddingIdx };
    }
    case 'layernorm': {
      const affine = c.flag('elementwiseAffine', true);
      const bias = c.flag('bias', true);
      return {
        type,
        name,
        normalizedShape: c.sizes('normalizedShape', undefined, 0),
        numGroups: undefined,
        weight: affine,
        bias: affine && bias,
        trackRunningStats: false,
        residual: residualOf(c, false),
      };
    }
    case 'batchnorm1d':
    case 'batchnorm2d':
    case 'batchnorm3d': {
      const affine = c.flag('affine', true);
      return {
        type,
        name,
        normalizedShape: [c.size('numFeatures')],
        numGroups: undefined,
        weight: affine,
        bias: affine,
        trackRunningStats: c.flag('trackRunningStats', true),
        residual: residualOf(c, false),
      };
    }
    case 'groupnorm': {
      const numGroups = c.size('numGroups', 1);
      const numChannels = c.size('numChannels');
      divisible(c, 'numChannels', numChannels, numGroups, 'numGroups');
      const affine = c.flag('affine', true);
      return {
        type,
        name,
        normalizedShape: [numChannels],
        numGroups,
        weight: affine,
        bias: affine,
        trackRunningStats: false,
        residual: residualOf(c, false),
      };
    }
    case 'rnn':
    case 'lstm':
    case 'gru':
      return recurrentOf(c, type);
    case 'attention': {
      const embedDim = c.size('embedDim', 1);
      const numHeads = c.size('numHeads', 1);
      divisible(c, 'embedDim', embedDim, numHeads, 'numHeads');
      return {
        type,
        name,
        embedDim,
        numHeads,
        bias: c.flag('bias', true),
        addBiasKv: c.flag('addBiasKv', false),
        kdim: c.optionalSize('kdim', embedDim, 1),
        vdim: c.optionalSize('vdim', embedDim, 1),
      };
    }
  }
}
