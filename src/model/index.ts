/**
 * Models: a JSON spec of named layers (`"format": "weightinit.model/1"`, validated against
 * `schema/model.schema.json`), its plan (every parameter with PyTorch's name and shape, the
 * strategy after overrides, the reason, where its bytes go), and materialization — in memory,
 * or as a safetensors checkpoint streamed chunk by chunk with bounded memory.
 *
 * Engine-neutral but for `writeCheckpoint` (in `./write.js`, Node: atomic file writing).
 *
 * @packageDocumentation
 */
export { type PlannedBlock, type PlannedInit, type RangeFiller, rangeFiller } from './fill.js';
export { globMatcher, isGlob } from './glob.js';
export {
  type CheckpointChunksOptions,
  checkpointChunks,
  DEFAULT_CHUNK_ELEMENTS,
  type MaterializedParameter,
  materialize,
  parameterFiller,
} from './materialize.js';
export {
  type LayerParameters,
  MODEL_FORMAT,
  type ModelPlan,
  type ModelRng,
  type ModelSettings,
  type OverrideSpec,
  type PlannedParameter,
  planFromRecipes,
} from './plan.js';
export { canonicalJson, sha256 } from './sha256.js';
export {
  type ModelLayerSpec,
  type ModelSpec,
  plan,
  type ResolvedModelSpec,
  resolveModelSpec,
} from './spec.js';
