export { type ConstantOptions, constant, ones, zeros } from './constant.js';
export { type DiracOptions, dirac, type IdentityOptions, identity } from './identity.js';
export type { FloatArray, Prepared, StrategyName } from './initializer.js';
export type { BaseOptions, FanOptions, RandomOptions } from './options.js';
export { deltaOrthogonal, type OrthogonalOptions, orthogonal } from './orthogonal.js';
export {
  type NormalOptions,
  normal,
  type TruncatedNormalOptions,
  truncatedNormal,
  type UniformOptions,
  uniform,
} from './random.js';
export {
  ALIASES,
  fill,
  type InitSpec,
  initialize,
  prepareSpec,
  resolveName,
  STRATEGY_NAMES,
} from './registry.js';
export { type SparseOptions, sparse } from './sparse.js';
export {
  type Distribution,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  type PresetOptions,
  TRUNCATED_STD_AT_2,
  targetStd,
  type VarianceScalingOptions,
  varianceScaling,
  xavierNormal,
  xavierUniform,
} from './variance-scaling.js';
