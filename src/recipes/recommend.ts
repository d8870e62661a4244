import type { StrategyName } from '../init/initializer.js';
import { resolveName } from '../init/registry.js';
import { oneOf, rangeError, typeError } from '../tensor/errors.js';
import type { Layout } from '../tensor/fans.js';
import { type Activation, parseActivation } from './activations.js';
import { type DetailedParameter, detailedRecipe, recipeOptions } from './layer-recipe.js';
import {
  type AttentionSpec,
  type BatchNormSpec,
  type ConvSpec,
  type DenseSpec,
  type EmbeddingSpec,
  type GroupNormSpec,
  LAYER_TYPES,
  type Layer,
  type LayerNormSpec,
  type LayerSpec,
  type LayerType,
  type LstmSpec,
  layerKeys,
  parseLayerType,
  type RnnSpec,
  validateLayer,
} from './layers.js';
import type { Scheme } from './schemes.js';
import { PAPERS, shortCitation } from './sources.js';
import type { ParamInit, ParamRole } from './types.js';

/** Layer names `recommend` takes besides the types: an output (logits) layer and a residual branch's last layer (both dense). */
export const RECOMMEND_LAYERS: readonly string[] = [...LAYER_TYPES, 'output', 'residual'];

type Fields<T> = Partial<Omit<T, 'type'>>;

/** Options of {@link recommend}: the layer, the activation, and any field of its {@link LayerSpec}. */
export type RecommendOptions = Fields<DenseSpec> &
  Fields<ConvSpec> &
  Fields<EmbeddingSpec> &
  Fields<LayerNormSpec> &
  Fields<BatchNormSpec> &
  Fields<GroupNormSpec> &
  Fields<RnnSpec> &
  Fields<LstmSpec> &
  Fields<AttentionSpec> & {
    /** A layer type (`'lstm'`, `'conv2d'` …, PyTorch class names accepted), `'output'` or `'residual'`. */
    layer: LayerType | 'output' | 'residual' | string;
    /** The activation after the layer. For `rnn` it is the nonlinearity (tanh or relu). */
    activation?: Activation | string;
    /** `'recommended'` (default) or `'torch-default'`. */
    scheme?: Scheme;
    /** `'out-in'` (default) or `'in-out'`. */
    layout?: Layout;
    /** Include BatchNorm's buffers. Default true. */
    buffers?: boolean;
  };

/** One row of a recommendation: how a parameter (or a block of it) is initialized, and why. */
export interface RecommendedParameter {
  readonly role: ParamRole;
  /** PyTorch's name of the first parameter this row covers. */
  readonly name: string;
  /** Every parameter this row covers (all layers and directions of an RNN). */
  readonly names: readonly string[];
  /** The shape of `name`, when every size was given. */
  readonly shape?: readonly number[];
  /** The shape of each of `names`, when every size was given. */
  readonly shapes?: readonly (readonly number[])[];
  /** The blocks of the parameter this row covers (gates `i, g, o`; `q, k, v`; the padding row). */
  readonly blocks?: readonly string[];
  /** The strategy's canonical name, or `chrono`. */
  readonly strategy: StrategyName | 'chrono';
  /** The strategy's options (size-dependent ones as formulas when sizes were not given). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly reason: string;
  /** The papers, full citations joined by `; `. */
  readonly paper: string;
}

/** The result of {@link recommend}. */
export interface Recommendation {
  /** The layer as asked: a layer type, `output` or `residual`. */
  readonly layer: string;
  /** The module type the recipe is for. */
  readonly type: LayerType;
  /** The activation that decides the weights (null when none does). */
  readonly activation: Activation | null;
  readonly scheme: Scheme;
  readonly layout: Layout;
  /** True when every size was given: shapes are reported and options are numbers. */
  readonly sized: boolean;
  readonly parameters: readonly RecommendedParameter[];
  /** Advice beyond the table (alternatives, caveats, what an option would change). */
  readonly notes: readonly string[];
}

/** The size fields each type needs, and the placeholder used when one is missing. */
const SIZES: Readonly<
  Record<LayerType, readonly (readonly [string, (o: Record<string, unknown>) => unknown])[]>
> = (() => {
  const conv = [
    ['inChannels', (o: Record<string, unknown>) => 8 * ((o.groups as number) ?? 1)],
    ['outChannels', (o: Record<string, unknown>) => 8 * ((o.groups as number) ?? 1)],
    ['kernelSize', () => 3],
  ] as const;
  const norm = [['numFeatures', () => 8]] as const;
  const recurrent = [
    ['inputSize', () => 8],
    ['hiddenSize', (o: Record<string, unknown>) => ((o.projSize as number) ?? 0) + 8],
  ] as const;
  return {
    dense: [
      ['inFeatures', () => 8],
      ['outFeatures', () => 8],
    ],
    conv1d: conv,
    conv2d: conv,
    conv3d: conv,
    'conv-transpose1d': conv,
    'conv-transpose2d': conv,
    'conv-transpose3d': conv,
    embedding: [
      [
        'numEmbeddings',
        (o) => {
          const p = o.paddingIdx;
          return typeof p === 'number' && Number.isSafeInteger(p)
            ? Math.max(8, p < 0 ? -p : p + 1)
            : 8;
        },
      ],
      ['embeddingDim', () => 8],
    ],
    layernorm: [['normalizedShape', () => [8]]],
    batchnorm1d: norm,
    batchnorm2d: norm,
    batchnorm3d: norm,
    groupnorm: [
      ['numGroups', () => 1],
      ['numChannels', (o) => 8 * ((o.numGroups as number) ?? 1)],
    ],
    rnn: recurrent,
    lstm: recurrent,
    gru: recurrent,
    attention: [
      ['numHeads', () => 1],
      ['embedDim', (o) => 8 * ((o.numHeads as number) ?? 1)],
    ],
  };
})();

const FIXED_ACTIVATION: Partial<Record<LayerType, string>> = {
  lstm: 'its gates are sigmoid and its candidate tanh, whatever follows it',
  gru: 'its gates are sigmoid and its candidate tanh, whatever follows it',
  embedding: 'a lookup is scaled for unit-variance outputs',
  layernorm: 'a normalization starts as the identity (γ = 1, β = 0)',
  groupnorm: 'a normalization starts as the identity (γ = 1, β = 0)',
  batchnorm1d: 'a normalization starts as the identity (γ = 1, β = 0)',
  batchnorm2d: 'a normalization starts as the identity (γ = 1, β = 0)',
  batchnorm3d: 'a normalization starts as the identity (γ = 1, β = 0)',
  attention: 'attention is linear projections around a softmax',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Builds the layer spec from the options: the type, the activation, sizes or placeholders. */
function layerSpecOf(options: Record<string, unknown>): {
  spec: LayerSpec;
  asked: string;
  sized: boolean;
  activation: Activation | null;
  notes: string[];
} {
  const fn = 'recommend';
  const { layer, activation, scheme: _s, layout: _l, buffers: _b, ...fields } = options;
  if (layer === undefined) typeError(fn, 'layer', `given: ${oneOf(RECOMMEND_LAYERS)}`, layer);
  if (fields.type !== undefined)
    rangeError(fn, 'type', 'left out (`layer` names the layer type)', fields.type);
  const notes: string[] = [];
  let asked: string;
  let type: LayerType;
  const extra: Record<string, unknown> = {};
  if (layer === 'output' || layer === 'residual') {
    asked = layer;
    type = 'dense';
    if (layer === 'output') extra.output = fields.output ?? true;
    if (layer === 'residual') {
      const r = fields.residual;
      // The residual layer recommends a zero-initialized last layer unless told otherwise.
      extra.residual =
        r === undefined ? { zeroInit: true } : isObject(r) ? { zeroInit: true, ...r } : r;
    }
  } else {
    if (typeof layer !== 'string')
      typeError(fn, 'layer', `a layer: ${oneOf(RECOMMEND_LAYERS)}`, layer);
    try {
      type = parseLayerType(fn, 'layer', layer);
    } catch {
      rangeError(fn, 'layer', `a layer: ${oneOf(RECOMMEND_LAYERS)} (or an alias)`, layer);
    }
    asked = type;
  }
  const act = activation === undefined ? undefined : parseActivation(fn, 'activation', activation);
  let decided: Activation | null = null;
  const spec: Record<string, unknown> = { ...fields, ...extra, type };
  if (type === 'rnn') {
    if (act !== undefined) {
      if (act !== 'tanh' && act !== 'relu')
        rangeError(
          fn,
          'activation',
          'one of "tanh", "relu" for an rnn layer (PyTorch\'s nonlinearity)',
          activation,
        );
      if (fields.nonlinearity !== undefined && fields.nonlinearity !== act)
        rangeError(
          fn,
          'nonlinearity',
          `left out or equal to \`activation\` (${act})`,
          fields.nonlinearity,
        );
      spec.nonlinearity = act;
    }
    decided = (spec.nonlinearity as Activation | undefined) ?? 'tanh';
  } else if (layerKeys(type).includes('activation')) {
    if (act !== undefined) spec.activation = act;
    decided = act ?? 'linear';
  } else {
    if (type === 'lstm' || type === 'gru') decided = 'tanh';
    const matches = act === 'tanh' && (type === 'lstm' || type === 'gru');
    if (act !== undefined && !matches && FIXED_ACTIVATION[type] !== undefined)
      notes.push(
        `The activation after a ${type} layer (${act}) does not change its initialization: ${FIXED_ACTIVATION[type]}.`,
      );
    if (fields.slope !== undefined)
      rangeError(
        fn,
        'slope',
        `left out for a ${type} layer (no activation decides it)`,
        fields.slope,
      );
  }
  let sized = true;
  for (const [key, placeholder] of SIZES[type]) {
    if (spec[key] === undefined) {
      sized = false;
      spec[key] = placeholder(spec);
    }
  }
  if (!sized)
    notes.push(
      'Sizes not given: shapes are left out and size-dependent options are formulas. Give the sizes for numbers.',
    );
  return { spec: spec as unknown as LayerSpec, asked, sized, activation: decided, notes };
}

/** Splits an init into (block labels, leaf init) rows: equal blocks share a row. */
function leaves(
  init: ParamInit,
): { blocks?: string[]; init: Exclude<ParamInit, { kind: 'blocks' }> }[] {
  if (init.kind !== 'blocks') return [{ init }];
  const rows: { blocks: string[]; init: Exclude<ParamInit, { kind: 'blocks' }>; key: string }[] =
    [];
  for (const block of init.blocks) {
    for (const leaf of leaves(block.init)) {
      const key = JSON.stringify(leaf.init);
      const row = rows.find((r) => r.key === key);
      if (row) row.blocks.push(block.label);
      else rows.push({ blocks: [block.label], init: leaf.init, key });
    }
  }
  return rows.map(({ blocks, init: i }) => ({ blocks, init: i }));
}

function rowsOf(p: DetailedParameter, sized: boolean): RecommendedParameter[] {
  return leaves(p.init).map(({ blocks, init }) => {
    let strategy: StrategyName | 'chrono';
    let options: Record<string, unknown>;
    if (init.kind === 'chrono') {
      strategy = 'chrono';
      options = { tMax: init.tMax, sign: init.sign };
    } else {
      const { name, ...rest } = init.spec;
      strategy = resolveName(name);
      options = rest;
      if (!sized && p.symbolic)
        for (const k of Object.keys(p.symbolic)) if (k in options) options[k] = p.symbolic[k];
    }
    return {
      role: p.role,
      name: p.name,
      names: [p.name],
      ...(sized ? { shape: p.shape, shapes: [p.shape] } : {}),
      ...(blocks ? { blocks } : {}),
      strategy,
      options,
      reason: p.reason,
      paper: p.paper,
    };
  });
}

/** Merges rows that differ only by parameter name (the layers and directions of an RNN). */
function merge(rows: RecommendedParameter[]): RecommendedParameter[] {
  type Row = RecommendedParameter & { names: string[]; shapes?: (readonly number[])[] };
  const out: { key: string; row: Row }[] = [];
  for (const row of rows) {
    const key = JSON.stringify([row.role, row.blocks, row.strategy, row.options, row.reason]);
    const found = out.find((o) => o.key === key);
    if (found) {
      found.row.names.push(row.name);
      if (row.shape) found.row.shapes?.push(row.shape);
    } else
      out.push({
        key,
        row: { ...row, names: [...row.names], shapes: row.shapes && [...row.shapes] },
      });
  }
  return out.map((o) => o.row);
}

/** Advice beyond the table, by layer. */
function notesOf(layer: Layer, scheme: Scheme, asked: string): string[] {
  const notes: string[] = [];
  if (scheme === 'torch-default') {
    notes.push(
      'Scheme torch-default reproduces PyTorch’s reset_parameters (the distributions, not its random stream); recipe options (forgetBias, chrono, recurrent, residual, output.zeroInit) have no effect in it.',
    );
    return notes;
  }
  if ('activation' in layer) {
    if (layer.activation === 'tanh')
      notes.push(
        `PyTorch's calculate_gain('tanh') = 5/3 is often passed to xavier_uniform_; gain 1 is Glorot & Bengio's and the edge of chaos at zero bias (${shortCitation(PAPERS.meanField)}); give gain 5/3 for PyTorch's convention.`,
      );
    if (
      layer.type.startsWith('conv') &&
      (layer.activation === 'tanh' || layer.activation === 'linear')
    )
      notes.push(
        `For very deep tanh or linear CNNs, delta-orthogonal kernels (strategy delta-orthogonal, out ≥ in channels) give dynamical isometry (${shortCitation(PAPERS.deltaOrthogonal)}).`,
      );
    if (layer.type.startsWith('conv-transpose'))
      notes.push(
        'PyTorch computes a transposed convolution’s fans from its [in, out/groups, …kernel] tensor, which swaps them; the recommendation passes the forward-pass fans (fanIn, fanOut) explicitly. At stride s each output sums only about 1/∏s of those inputs.',
      );
    if (asked === 'output' || layer.output)
      notes.push(
        `output.zeroInit starts the logits at 0 (uniform first predictions; ${shortCitation(PAPERS.fixup)}).`,
      );
    if (layer.residual && !layer.residual.fixup)
      notes.push(
        `residual.fixup with residual.depth = L (branches) and branchLayers = m scales the branch's other layers by L^(−1/(2m−2)) (${shortCitation(PAPERS.fixup)}).`,
      );
    if (layer.activation === 'selu')
      notes.push(
        'Self-normalizing networks also need inputs standardized to mean 0, variance 1 and alpha-dropout.',
      );
  }
  switch (layer.type) {
    case 'rnn':
      if (layer.nonlinearity === 'relu')
        notes.push(
          `${shortCitation(PAPERS.irnn)} also use a scaled identity (recurrentGain, e.g. 0.01) for some tasks; recurrent: 'orthogonal' is the alternative.`,
        );
      break;
    case 'lstm':
      notes.push(
        'PyTorch adds bias_ih and bias_hh: the forget-gate bias is in bias_ih only. Keras/TF.js keep one bias vector: use bias_ih + bias_hh.',
      );
      if (layer.chrono === undefined)
        notes.push(
          `For dependencies of known length T, chrono: { tMax: T } draws b_f ~ log U(1, T − 1), b_i = −b_f (${shortCitation(PAPERS.chrono)}).`,
        );
      break;
    case 'batchnorm1d':
    case 'batchnorm2d':
    case 'batchnorm3d':
      notes.push(
        'The int64 buffer num_batches_tracked is left out (float-only); PyTorch’s load_state_dict fills it in with 0 when a state dict without version metadata lacks it.',
      );
      break;
    default:
      break;
  }
  if ('gateOrder' in layer && layer.gateOrder === 'keras')
    notes.push(
      `Gate order keras: blocks are ${layer.type === 'gru' ? 'z, r, h' : 'i, f, c, o'} (Keras/TF.js).`,
    );
  return notes;
}

/**
 * The initialization the document recommends for a layer followed by an activation, per
 * parameter role, with the reason and the paper: the document's two tables made executable.
 *
 * Sizes are optional: without them shapes are left out and size-dependent options (the fans of
 * a transposed convolution, PyTorch's U(±1/√fan_in) bounds) are shown as formulas. The rows
 * come from {@link layerRecipe}: parameters that differ only by name (the layers and
 * directions of an RNN) share a row, and a parameter split into blocks (gates, q/k/v, an
 * embedding's padding row) has a row per distinct block initialization.
 *
 * Layers: every type of `LAYER_TYPES`, `'output'` (a dense logits layer) and `'residual'` (the
 * last dense layer of a residual branch, zero-initialized unless `residual` says otherwise).
 * Activations: `ACTIVATIONS` (aliases accepted); for `rnn` it is the nonlinearity (tanh or
 * relu); for layers whose initialization no activation decides (LSTM, GRU, embedding, norms,
 * attention) it is accepted and a note says so.
 *
 * @param options `{ layer, activation?, scheme?, layout?, buffers?, ...fields of the layer spec }`.
 * @returns `{ layer, type, activation, scheme, layout, sized, parameters, notes }`.
 * @throws TypeError/RangeError for a missing or unknown layer, an unknown activation (listing
 *   the valid ones), an activation an RNN cannot have, or an invalid field (see
 *   {@link validateLayer}).
 * @example
 * recommend({ layer: 'lstm', activation: 'tanh' }).parameters.map((p) => `${p.role}: ${p.strategy}`)
 * // ['input-weight: xavier-uniform', 'recurrent-weight: orthogonal', 'input-bias: zeros',
 * //  'input-bias: constant', 'recurrent-bias: zeros']
 */
export function recommend(options: RecommendOptions): Recommendation {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    typeError('recommend', 'options', 'an object { layer, activation, ... }', options);
  const o = options as Record<string, unknown>;
  const { scheme, layout, buffers } = recipeOptions('recommend', {
    scheme: o.scheme,
    layout: o.layout,
    buffers: o.buffers,
  });
  const { spec, asked, sized, activation, notes } = layerSpecOf(o);
  const layer = validateLayer(spec, 'recommend', 'options');
  const rows = detailedRecipe(layer, { scheme, layout, buffers }).flatMap((p) => rowsOf(p, sized));
  return {
    layer: asked,
    type: layer.type,
    activation,
    scheme,
    layout,
    sized,
    parameters: merge(rows),
    notes: [...notes, ...notesOf(layer, scheme, asked)],
  };
}
