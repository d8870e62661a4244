/**
 * weightinit/node: what needs Node's file system — atomic, streaming writers of `.npy` and
 * safetensors files (written to a temporary name, renamed when complete).
 *
 * @packageDocumentation
 */
export {
  type ChunkWriter,
  type FileSource,
  writeFileAtomic,
  writeNpy,
  writeSafetensors,
} from './io/file.js';
