/**
 * The parameters of each layer as PyTorch registers them: names, shapes (PyTorch's `out-in`
 * layout) and order (`named_parameters()`, then the float buffers of `state_dict()`), read
 * from the modules' source: `linear.py`, `conv.py`, `sparse.py`, `normalization.py`,
 * `batchnorm.py`, `rnn.py`, `activation.py` (MultiheadAttention). A slot says what a
 * parameter is; a scheme (schemes.ts) says how to initialize it.
 */
import type { Fans } from '../tensor/fans.js';
import { sizeOf } from '../tensor/shape.js';
import type { Layer, Residual, WeightContext } from './layers.js';
import type { ParamRole } from './types.js';

type RecurrentLayer = Extract<Layer, { type: 'rnn' | 'lstm' | 'gru' }>;
type NormLayer = Extract<Layer, { normalizedShape: readonly number[] }>;

/** What every slot has: PyTorch's name and shape, its role, whether it is a matrix with in/out dims. */
interface SlotBase {
  readonly name: string;
  /** PyTorch's shape (layout `out-in`). */
  readonly shape: readonly number[];
  readonly role: ParamRole;
  /** A weight whose dims 0 and 1 are out and in (transposed by the `in-out` layout). */
  readonly matmul: boolean;
}

/** One parameter (or float buffer) of a layer, and what its initialization depends on. */
export type Slot = SlotBase &
  (
    | {
        /** A dense or convolution weight, or `out_proj.weight`. */
        readonly kind: 'weight';
        readonly context: WeightContext;
        /** Fan-in and fan-out of the forward pass (a transposed conv's are not its tensor's). */
        readonly fans: Fans;
        /** PyTorch's `_calculate_fan_in_and_fan_out(weight)[0]` (dim 1 × receptive field). */
        readonly torchFanIn: number;
        readonly transposed: boolean;
        /** `'dense'`, `'conv'`, `'conv-transpose'` or `'attention'`: for reasons. */
        readonly module: 'dense' | 'conv' | 'conv-transpose' | 'attention';
      }
    | {
        /** A dense or convolution bias. */
        readonly kind: 'bias';
        readonly torchFanIn: number;
      }
    | { readonly kind: 'embedding'; readonly paddingIdx: number | undefined }
    | {
        readonly kind: 'norm-weight' | 'norm-bias' | 'running-mean' | 'running-var';
        readonly layer: NormLayer;
        readonly residual: Residual | undefined;
      }
    | {
        readonly kind:
          | 'input-weight'
          | 'recurrent-weight'
          | 'projection-weight'
          | 'input-bias'
          | 'recurrent-bias';
        readonly layer: RecurrentLayer;
        /** Gate labels in the stacked order (one entry for a plain RNN). */
        readonly gates: readonly string[];
      }
    | {
        /** `in_proj_weight` (parts q, k, v) or one of `q/k/v_proj_weight` (one part). */
        readonly kind: 'qkv-weight';
        readonly parts: readonly string[];
      }
    | {
        /** `in_proj_bias` and `out_proj.bias` (MultiheadAttention zeroes both). */
        readonly kind: 'attention-bias';
      }
    | { readonly kind: 'bias-kv' }
  );

/** The slot type of a kind (`'norm-weight'` → the norm slot). */
export type SlotOf<K extends Slot['kind'], S = Slot> = S extends { readonly kind: infer U }
  ? K extends U
    ? S
    : never
  : never;

/** Gate labels of the stacked recurrent weights, per gate order (PyTorch / Keras-TF.js). */
export const GATES: Readonly<
  Record<'rnn' | 'lstm' | 'gru', Readonly<Record<'pytorch' | 'keras', readonly string[]>>>
> = {
  rnn: { pytorch: ['h'], keras: ['h'] },
  lstm: { pytorch: ['i', 'f', 'g', 'o'], keras: ['i', 'f', 'c', 'o'] },
  gru: { pytorch: ['r', 'z', 'n'], keras: ['z', 'r', 'h'] },
};

/** `nn.Linear`-style weight and bias (also `out_proj` of attention). */
function linearSlots(
  prefix: string,
  outFeatures: number,
  inFeatures: number,
  bias: boolean,
  context: WeightContext,
  module: 'dense' | 'attention',
): Slot[] {
  const fans = { fanIn: inFeatures, fanOut: outFeatures };
  const weight: Slot = {
    kind: 'weight',
    name: `${prefix}weight`,
    shape: [outFeatures, inFeatures],
    role: 'weight',
    matmul: true,
    context,
    fans,
    torchFanIn: inFeatures,
    transposed: false,
    module,
  };
  if (!bias) return [weight];
  const base = {
    name: `${prefix}bias`,
    shape: [outFeatures],
    role: 'bias',
    matmul: false,
  } as const;
  // MultiheadAttention zeroes out_proj.bias itself: its own kind, not a Linear bias.
  const b: Slot =
    module === 'attention'
      ? { ...base, kind: 'attention-bias' }
      : { ...base, kind: 'bias', torchFanIn: inFeatures };
  return [weight, b];
}

function convSlots(layer: Extract<Layer, { type: `conv${string}` }>): Slot[] {
  const { inChannels: cin, outChannels: cout, groups, kernelSize, transposed } = layer;
  const receptive = sizeOf(kernelSize);
  // PyTorch: Conv weight [out, in/groups, ...k]; ConvTranspose weight [in, out/groups, ...k].
  const shape = transposed
    ? [cin, cout / groups, ...kernelSize]
    : [cout, cin / groups, ...kernelSize];
  // Forward-pass fans: those PyTorch computes for the Conv with the same channels, groups and
  // kernel (each output sums in/groups · k inputs at stride 1). For a Conv they are its own.
  const fans = { fanIn: (cin / groups) * receptive, fanOut: cout * receptive };
  const slots: Slot[] = [
    {
      kind: 'weight',
      name: 'weight',
      shape,
      role: 'weight',
      matmul: true,
      context: layer,
      fans,
      torchFanIn: shape[1] * receptive,
      transposed,
      module: transposed ? 'conv-transpose' : 'conv',
    },
  ];
  if (layer.bias)
    slots.push({
      kind: 'bias',
      name: 'bias',
      shape: [cout],
      role: 'bias',
      matmul: false,
      torchFanIn: shape[1] * receptive,
    });
  return slots;
}

function normSlots(layer: NormLayer, buffers: boolean): Slot[] {
  const shape = layer.normalizedShape;
  const base = { shape, matmul: false, layer, residual: layer.residual } as const;
  const slots: Slot[] = [];
  if (layer.weight)
    slots.push({ ...base, kind: 'norm-weight', name: 'weight', role: 'norm-weight' });
  if (layer.bias) slots.push({ ...base, kind: 'norm-bias', name: 'bias', role: 'norm-bias' });
  if (buffers && layer.trackRunningStats) {
    slots.push({ ...base, kind: 'running-mean', name: 'running_mean', role: 'buffer' });
    slots.push({ ...base, kind: 'running-var', name: 'running_var', role: 'buffer' });
  }
  return slots;
}

/**
 * `RNNBase.__init__`: for each layer, for each direction, `weight_ih_l{k}{_reverse}`
 * `[G·h, in_k]`, `weight_hh_l{k} [G·h, h']`, `bias_ih_l{k} [G·h]`, `bias_hh_l{k} [G·h]`,
 * `weight_hr_l{k} [proj, h]` (LSTM with proj_size); G = 1, 4, 3 gates; h' = proj or h;
 * in_0 = input_size, in_k = h'·directions.
 */
type RecurrentKind = SlotOf<'input-weight'>['kind'];

function recurrentSlots(layer: RecurrentLayer): Slot[] {
  const gates = GATES[layer.type][layer.gateOrder];
  const g = gates.length * layer.hiddenSize;
  const real = layer.projSize > 0 ? layer.projSize : layer.hiddenSize;
  const directions = layer.bidirectional ? 2 : 1;
  const slots: Slot[] = [];
  for (let k = 0; k < layer.numLayers; k++) {
    const inputSize = k === 0 ? layer.inputSize : real * directions;
    for (let d = 0; d < directions; d++) {
      const suffix = `_l${k}${d === 1 ? '_reverse' : ''}`;
      // [kind, PyTorch name, shape, role], in the order of `_flat_weights_names`.
      const params: [RecurrentKind, string, number[], ParamRole][] = [
        ['input-weight', 'weight_ih', [g, inputSize], 'input-weight'],
        ['recurrent-weight', 'weight_hh', [g, real], 'recurrent-weight'],
      ];
      if (layer.bias)
        params.push(
          ['input-bias', 'bias_ih', [g], 'input-bias'],
          ['recurrent-bias', 'bias_hh', [g], 'recurrent-bias'],
        );
      if (layer.projSize > 0)
        params.push([
          'projection-weight',
          'weight_hr',
          [layer.projSize, layer.hiddenSize],
          'weight',
        ]);
      for (const [kind, name, shape, role] of params)
        slots.push({
          kind,
          layer,
          gates,
          name: `${name}${suffix}`,
          shape,
          role,
          matmul: shape.length === 2,
        });
    }
  }
  return slots;
}

const LINEAR_CONTEXT: WeightContext = {
  activation: 'linear',
  slope: undefined,
  residual: undefined,
  output: undefined,
};

/**
 * `MultiheadAttention.__init__`: own parameters first (`in_proj_weight` or
 * `q/k/v_proj_weight`, `in_proj_bias`, `bias_k`, `bias_v`), then the `out_proj` Linear's.
 */
function attentionSlots(layer: Extract<Layer, { type: 'attention' }>): Slot[] {
  const e = layer.embedDim;
  const slots: Slot[] = [];
  if (layer.kdim === e && layer.vdim === e) {
    slots.push({
      kind: 'qkv-weight',
      name: 'in_proj_weight',
      shape: [3 * e, e],
      role: 'weight',
      matmul: true,
      parts: ['q', 'k', 'v'],
    });
  } else {
    for (const [part, dim] of [
      ['q', e],
      ['k', layer.kdim],
      ['v', layer.vdim],
    ] as const) {
      slots.push({
        kind: 'qkv-weight',
        name: `${part}_proj_weight`,
        shape: [e, dim],
        role: 'weight',
        matmul: true,
        parts: [part],
      });
    }
  }
  if (layer.bias)
    slots.push({
      kind: 'attention-bias',
      name: 'in_proj_bias',
      shape: [3 * e],
      role: 'bias',
      matmul: false,
    });
  if (layer.addBiasKv)
    for (const name of ['bias_k', 'bias_v'])
      slots.push({ kind: 'bias-kv', name, shape: [1, 1, e], role: 'bias', matmul: false });
  slots.push(...linearSlots('out_proj.', e, e, layer.bias, LINEAR_CONTEXT, 'attention'));
  return slots;
}

/**
 * The slots of a validated layer, in PyTorch's order. `buffers`: include BatchNorm's float
 * buffers `running_mean` and `running_var` (after the parameters, as in `state_dict()`).
 */
export function slotsOf(layer: Layer, buffers: boolean): Slot[] {
  switch (layer.type) {
    case 'dense':
      return linearSlots('', layer.outFeatures, layer.inFeatures, layer.bias, layer, 'dense');
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv-transpose1d':
    case 'conv-transpose2d':
    case 'conv-transpose3d':
      return convSlots(layer);
    case 'embedding':
      return [
        {
          kind: 'embedding',
          name: 'weight',
          shape: [layer.numEmbeddings, layer.embeddingDim],
          role: 'embedding',
          matmul: false,
          paddingIdx: layer.paddingIdx,
        },
      ];
    case 'layernorm':
    case 'batchnorm1d':
    case 'batchnorm2d':
    case 'batchnorm3d':
    case 'groupnorm':
      return normSlots(layer, buffers);
    case 'rnn':
    case 'lstm':
    case 'gru':
      return recurrentSlots(layer);
    case 'attention':
      return attentionSlots(layer);
  }
}
