/**
 * Layer recipes and recommendations: the source document's tables made executable.
 *
 * - {@link layerRecipe}: a layer's parameters with PyTorch's names, shapes and order, how to
 *   initialize each (scheme `recommended` or `torch-default`) and why.
 * - {@link recommend}: the recommendation for a layer and an activation, per parameter role,
 *   with the document row and the paper behind each choice.
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
