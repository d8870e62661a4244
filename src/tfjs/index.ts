/**
 * weightinit/tfjs: weightinit's initializers and recipes inside TensorFlow.js `tf.layers`.
 *
 * @packageDocumentation
 */
export { BACKENDS, type BackendName, type BackendOptions, setupBackend } from './backend.js';
export {
  type DiagnoseOptions,
  type Diagnosis,
  type DiagnosisWarning,
  diagnose,
  type LayerDiagnosis,
  type Moments,
  type WarningKind,
  type WeightDiagnosis,
} from './diagnose.js';
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
export { type LsuvLayer, type LsuvOptions, type LsuvResult, lsuv } from './lsuv.js';
export {
  type LayerOverrides,
  type PlannedWeight,
  type ReinitializeOptions,
  type ReinitPlan,
  reinitialize,
  type SkippedLayer,
} from './reinitialize.js';
