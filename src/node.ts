/**
 * weightinit/node: what needs Node's file system — atomic, streaming writers of `.npy`,
 * safetensors files and whole checkpoints (written to a temporary name, renamed when
 * complete), and the streaming safetensors reader.
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
