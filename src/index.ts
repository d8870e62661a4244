/**
 * weightinit: neural-network weight initialization. Every strategy of the source document
 * and of PyTorch, Keras, TensorFlow.js and JAX, bit-reproducible by seed on every engine.
 *
 * Subpaths: `weightinit/random` (generators and samplers), `weightinit/io` (.npy and
 * safetensors, engine-neutral), `weightinit/node` (atomic file writers and the streaming
 * safetensors reader, Node only), `weightinit/tfjs` (TensorFlow.js), `weightinit/lab`.
 *
 * @packageDocumentation
 */

export {
  ALIASES,
  type BaseOptions,
  type ConstantOptions,
  constant,
  type DiracOptions,
  type Distribution,
  deltaOrthogonal,
  dirac,
  type FanOptions,
  type FloatArray,
  fill,
  heNormal,
  heUniform,
  type IdentityOptions,
  type InitSpec,
  identity,
  initialize,
  lecunNormal,
  lecunUniform,
  type NormalOptions,
  normal,
  type OrthogonalOptions,
  ones,
  orthogonal,
  type Prepared,
  type PresetOptions,
  prepareSpec,
  type RandomOptions,
  resolveName,
  type SparseOptions,
  STRATEGY_NAMES,
  type StrategyName,
  sparse,
  TRUNCATED_STD_AT_2,
  type TruncatedNormalOptions,
  targetStd,
  truncatedNormal,
  type UniformOptions,
  uniform,
  type VarianceScalingOptions,
  varianceScaling,
  xavierNormal,
  xavierUniform,
  zeros,
} from './init/index.js';
export {
  deriveKey,
  type Key,
  philoxSource,
  type RandomSource,
  type Seed,
  TorchSource,
  torchSource,
} from './random/index.js';
export {
  fromBFloat16Bits,
  fromFloat16Bits,
  STORAGE_DTYPES,
  type StorageDType,
  toBFloat16Bits,
  toFloat16Bits,
} from './tensor/dtype.js';
export {
  computeFans,
  FAN_MODES,
  type FanMode,
  type Fans,
  fanFor,
  LAYOUTS,
  type Layout,
} from './tensor/fans.js';
export { gain, NONLINEARITIES, type Nonlinearity } from './tensor/gain.js';
export { MAX_ELEMENTS, sizeOf } from './tensor/shape.js';
export { type Summary, summarize } from './tensor/stats.js';
export { DTYPES, type DType, type Tensor } from './tensor/tensor.js';
export { VERSION } from './version.js';
