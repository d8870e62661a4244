/**
 * weightinit/node: what needs Node's file system — atomic, streaming writers of `.npy`,
 * safetensors files and whole checkpoints (written to a temporary name, renamed when
 * complete), and the streaming safetensors reader; the worker pool that splits large random
 * fills across threads (same bits as one thread).
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
export {
  startWorkerPool,
  stopWorkerPool,
  type WorkerPoolOptions,
  workerPoolReady,
  workerPoolStats,
} from './random/pool-node.js';
