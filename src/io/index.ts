/**
 * `.npy` and safetensors readers and writers, engine-neutral (no Node API). The Node-only
 * atomic file writers live in `./file.js`.
 */

export {
  type DecodedNpy,
  decodeNpy,
  decodeNpyHeader,
  type EncodeNpyOptions,
  encodeNpy,
  NPY_MAGIC,
  NPY_MAX_HEADER_BYTES,
  type NpyHeaderInfo,
  npyChunks,
  npyHeader,
} from './npy.js';
export {
  type DecodedSafetensors,
  type DecodeSafetensorsHeaderOptions,
  decodeSafetensorsHeader,
  type EncodeSafetensorsOptions,
  encodeSafetensors,
  type ReadSafetensorsOptions,
  readSafetensors,
  SAFETENSORS_DTYPE_BITS,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsDType,
  type SafetensorsEntry,
  type SafetensorsHeaderInfo,
  type SafetensorsInput,
  type SafetensorsLayout,
  type SafetensorsTensor,
  type SafetensorsTensorInfo,
  type SafetensorsTensors,
  safetensorsChunks,
  safetensorsHeader,
} from './safetensors.js';
export type { TensorLike } from './tensor-like.js';
