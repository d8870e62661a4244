import { strategy as strategyOf } from '../init/registry.js';
import { checkChoice, checkKnownKeys, typeError } from '../tensor/errors.js';
import { LAYOUTS, type Layout } from '../tensor/fans.js';
import { type Layer, type LayerSpec, validateLayer } from './layers.js';
import { type Choice, choose, SCHEMES, type Scheme } from './schemes.js';
import { type Slot, slotsOf } from './structure.js';
import type { ParameterRecipe, ParamInit } from './types.js';

/** Options of {@link layerRecipe}. */
export interface LayerRecipeOptions {
  /**
   * `'recommended'` (default): the document's tables and the papers behind them.
   * `'torch-default'`: what PyTorch's modules do by default.
   */
  scheme?: Scheme;
  /**
   * `'out-in'` (default): PyTorch's shapes (`[out, in, ...kernel]`). `'in-out'`: Keras/TF.js
   * shapes (`[...kernel, in, out]`) for weights with in/out dimensions (names stay PyTorch's;
   * RNN gate blocks then split dimension 1).
   */
  layout?: Layout;
  /** Include BatchNorm's float buffers `running_mean` and `running_var`. Default true. */
  buffers?: boolean;
}

/** One parameter of a layer's recipe: the contract's fields and the papers behind the choice. */
export interface LayerParameter extends ParameterRecipe {
  /** The papers behind the choice, full citations joined by `; `. */
  readonly paper: string;
}

/** A parameter and the formulas of its size-dependent options (for `recommend`). */
export interface DetailedParameter extends LayerParameter {
  readonly symbolic: Readonly<Record<string, string>> | undefined;
}

/** `[out, in, ...k]` → `[...k, in, out]`. */
function inOutShape(shape: readonly number[]): number[] {
  return [...shape.slice(2), shape[1], shape[0]];
}

/** Adds `layout: 'in-out'` to every spec that reads a layout, and splits blocks along dim 1. */
function toInOut(init: ParamInit): ParamInit {
  switch (init.kind) {
    case 'strategy':
      return strategyOf(init.spec.name).keys.includes('layout')
        ? { kind: 'strategy', spec: { ...init.spec, layout: 'in-out' } }
        : init;
    case 'blocks':
      return {
        kind: 'blocks',
        blocks: init.blocks.map((b) => ({ ...b, init: toInOut(b.init) })),
        axis: 1,
      };
    default:
      return init;
  }
}

function parameterOf(slot: Slot, c: Choice, layout: Layout): DetailedParameter {
  const inOut = layout === 'in-out' && slot.matmul;
  return {
    name: slot.name,
    shape: inOut ? inOutShape(slot.shape) : [...slot.shape],
    role: slot.role,
    init: inOut ? toInOut(c.init) : c.init,
    reason: c.reason,
    paper: c.paper,
    symbolic: c.symbolic,
  };
}

/** Validates the options of `layerRecipe`/`recommend`. */
export function recipeOptions(
  fn: string,
  options: unknown,
  extraKeys: readonly string[] = [],
): { scheme: Scheme; layout: Layout; buffers: boolean } {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    typeError(fn, 'options', 'an object', options);
  checkKnownKeys(fn, options, ['scheme', 'layout', 'buffers', ...extraKeys]);
  const o = options as LayerRecipeOptions;
  const buffers = o.buffers ?? true;
  if (typeof buffers !== 'boolean') typeError(fn, 'buffers', 'true or false', buffers);
  return {
    scheme: o.scheme === undefined ? 'recommended' : checkChoice(fn, 'scheme', o.scheme, SCHEMES),
    layout: o.layout === undefined ? 'out-in' : checkChoice(fn, 'layout', o.layout, LAYOUTS),
    buffers,
  };
}

/** The recipe of a validated layer, with the formulas of size-dependent options. */
export function detailedRecipe(
  layer: Layer,
  options: { scheme: Scheme; layout: Layout; buffers: boolean },
): DetailedParameter[] {
  return slotsOf(layer, options.buffers).map((slot) =>
    parameterOf(slot, choose(options.scheme, slot), options.layout),
  );
}

/**
 * The parameters of a layer with PyTorch's names and shapes, in PyTorch's order
 * (`named_parameters()`, then BatchNorm's float buffers as in `state_dict()`), each with how
 * to initialize it and why.
 *
 * Scheme `'recommended'` (default) follows the document's tables:
 * - dense and conv weights by the activation that follows (`ACTIVATION_RULES`): Xavier
 *   uniform U(±√(6/(fan_in+fan_out))) for linear, sigmoid, tanh, softplus (Glorot & Bengio
 *   2010); He normal N(0, gain²/fan_in) for relu (gain √2), leaky-relu (√(2/(1+slope²))), elu,
 *   gelu, silu (He et al. 2015); LeCun normal N(0, 1/fan_in) for selu (Klambauer et al. 2017);
 *   biases zero;
 * - RNN/LSTM/GRU: input weights Xavier (tanh, gates) or He (ReLU RNN); recurrent weights
 *   orthogonal per gate block (Saxe et al. 2014) or identity for ReLU RNNs (Le et al. 2015);
 *   biases zero but the LSTM forget gate's, 1 by default (Jozefowicz et al. 2015), or chrono
 *   (Tallec & Ollivier 2018). PyTorch has two bias vectors per layer and adds them: the
 *   forget bias (and chrono) goes in `bias_ih` only and `bias_hh` is zero, so the effective
 *   bias is exactly the one asked for;
 * - conv-transpose weights use the fans of the forward pass (fan_in = in/groups·∏k, fan_out =
 *   out·∏k, those of the Conv with the same channels), given explicitly as `fanIn`/`fanOut`,
 *   not the swapped fans PyTorch reads from the `[in, out/groups, ...k]` tensor;
 * - embedding N(0, 1), padding row 0; norms weight 1, bias 0 (BatchNorm buffers running_mean 0,
 *   running_var 1; the int64 `num_batches_tracked` is left out — PyTorch's `load_state_dict`
 *   fills it in with 0 when it is missing from a state dict without version metadata);
 * - attention: q, k, v blocks of `in_proj_weight` each Xavier uniform, `out_proj.weight` Xavier
 *   uniform, biases zero, `bias_k`/`bias_v` N(0, 1/E);
 * - residual branches: `zeroInit` zeroes the branch's last layer (its weight, or a norm's γ:
 *   Goyal et al. 2017); `fixup` also scales the other weight layers of the branch by
 *   L^(−1/(2m−2)) (Zhang et al. 2019); output layers optionally zero.
 *
 * Scheme `'torch-default'` reproduces PyTorch's `reset_parameters` (distributions, not
 * PyTorch's random stream): Linear/Conv/ConvTranspose weight `kaiming_uniform_(a=√5)` =
 * U(±1/√fan_in) and bias U(±1/√fan_in) (fan_in from the weight tensor); RNN/LSTM/GRU every
 * parameter U(±1/√hidden_size); Embedding N(0, 1); MultiheadAttention `xavier_uniform_` of
 * `in_proj_weight`, zero `in_proj_bias` and `out_proj.bias`, `out_proj.weight` like Linear;
 * norms ones/zeros. Recipe-only options (`forgetBias`, `chrono`, `recurrent`, `residual`,
 * `output.zeroInit` …) have no effect there: PyTorch has no such thing.
 *
 * Specs carry no `seed`, `stream` or `dtype`: the model adds them.
 *
 * @param layer A {@link LayerSpec}.
 * @param options `scheme` (default `'recommended'`), `layout` (default `'out-in'`), `buffers`
 *   (default true).
 * @returns One {@link LayerParameter} per parameter (and BatchNorm buffer).
 * @throws TypeError/RangeError for an invalid layer (see {@link validateLayer}) or option.
 * @example
 * layerRecipe({ type: 'lstm', inputSize: 4, hiddenSize: 8 }).map((p) => `${p.name} [${p.shape}]`)
 * // ['weight_ih_l0 [32,4]', 'weight_hh_l0 [32,8]', 'bias_ih_l0 [32]', 'bias_hh_l0 [32]']
 * layerRecipe({ type: 'dense', inFeatures: 256, outFeatures: 128, activation: 'relu' })[0].init
 * // { kind: 'strategy', spec: { name: 'he-normal', nonlinearity: 'relu' } }
 */
export function layerRecipe(layer: LayerSpec, options: LayerRecipeOptions = {}): LayerParameter[] {
  const o = recipeOptions('layerRecipe', options);
  const validated = validateLayer(layer, 'layerRecipe');
  return detailedRecipe(validated, o).map(({ symbolic: _symbolic, ...p }) => p);
}
