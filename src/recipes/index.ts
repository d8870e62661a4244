/**
 * Layer recipes and recommendations: the source document's tables made executable.
 *
 * - {@link layerRecipe}: a layer's parameters with PyTorch's names, shapes and order, how to
 *   initialize each (scheme `recommended` or `torch-default`) and why.
 * - {@link recommend}: the recommendation for a layer and an activation, per parameter role,
 *   with the document row and the paper behind each choice.
 *
 * The activation table (`ACTIVATION_RULES`), for dense and convolution weights:
 *
 * | activation | strategy | gain | why |
 * | --- | --- | --- | --- |
 * | linear, sigmoid, tanh | xavier-uniform | 1 | document: Xavier for tanh/sigmoid (Glorot & Bengio 2010); gain 1, not PyTorch's 5/3, is the edge of chaos for tanh (Schoenholz et al. 2017) |
 * | softplus | xavier-uniform | 1 | E[softplus(x)²] ≈ 0.92: gain 1 keeps a stable variance, √2 lets it grow |
 * | relu | he-normal | √2 | document: He for ReLU, N(0, 2/n_in) (He et al. 2015) |
 * | leaky-relu | he-normal | √(2/(1+slope²)) | He et al. 2015 |
 * | elu, gelu, silu | he-normal | √2 | rectifier-like |
 * | selu | lecun-normal | 1 | Klambauer et al. 2017 |
 *
 * The RNN table: input weights Xavier (tanh RNN, LSTM, GRU) or He (ReLU RNN); recurrent
 * weights orthogonal per gate block (Saxe et al. 2014) or identity for ReLU RNNs (Le et al.
 * 2015); biases zero, the LSTM forget gate's 1 (Jozefowicz et al. 2015) or chrono (Tallec &
 * Ollivier 2018). PyTorch keeps two bias vectors per layer (`bias_ih`, `bias_hh`) and adds
 * them: the forget bias goes in `bias_ih` only, so the effective bias is the one asked for.
 *
 * @packageDocumentation
 */
export {
  ACTIVATION_ALIASES,
  ACTIVATION_RULES,
  ACTIVATIONS,
  type Activation,
  type ActivationRule,
  parseActivation,
} from './activations.js';
export {
  type LayerParameter,
  type LayerRecipeOptions,
  layerRecipe,
} from './layer-recipe.js';
export {
  type AttentionSpec,
  type BatchNormSpec,
  type BatchNormType,
  type ConvSpec,
  type ConvType,
  type DenseSpec,
  type EmbeddingSpec,
  type GroupNormSpec,
  type GruSpec,
  LAYER_ALIASES,
  LAYER_TYPES,
  type Layer,
  type LayerNormSpec,
  type LayerSpec,
  type LayerType,
  type LstmSpec,
  type OutputOptions,
  parseLayerType,
  type RecurrentOptions,
  type RecurrentType,
  type Residual,
  type ResidualOptions,
  type RnnSpec,
  validateLayer,
  type WeightContext,
} from './layers.js';
export {
  RECOMMEND_LAYERS,
  type Recommendation,
  type RecommendedParameter,
  type RecommendOptions,
  recommend,
} from './recommend.js';
export { fixupScale, SCHEMES, type Scheme } from './schemes.js';
export { DOCUMENT, PAPERS } from './sources.js';
export { GATES } from './structure.js';
export type { ParameterRecipe, ParamInit, ParamRole } from './types.js';
