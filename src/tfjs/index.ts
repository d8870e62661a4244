/**
 * weightinit/tfjs: weightinit's initializers and recipes inside TensorFlow.js `tf.layers`.
 *
 * @packageDocumentation
 */
export { BACKENDS, type BackendName, type BackendOptions, setupBackend } from './backend.js';
export {
  constant,
  deltaOrthogonal,
  dirac,
  heNormal,
  heUniform,
  INITIALIZER_CLASSES,
  type InitializerOptions,
  identity,
  lecunNormal,
  lecunUniform,
  normal,
  ones,
  orthogonal,
  sparse,
  type TfjsOptions,
  truncatedNormal,
  uniform,
  varianceScaling,
  WeightInitializer,
  weightStream,
  xavierNormal,
  xavierUniform,
  zeros,
} from './initializers.js';
