/**
 * Writing a plan's checkpoint to a file, in Node: streamed, atomic, and with generation of
 * the next chunk overlapping the write of the previous one. (The only file of `src/model`
 * that needs Node.)
 */

import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pid } from 'node:process';
import { typeError } from '../tensor/errors.js';
import {
  type CheckpointChunksOptions,
  checkpointHeader,
  checkStreamable,
  chunkElementsOf,
  DataWindows,
  WindowBuffers,
} from './materialize.js';
import type { ModelPlan } from './plan.js';

/** Options of {@link writeCheckpoint}. */
export interface WriteCheckpointOptions extends CheckpointChunksOptions {
  /** Called after each chunk is handed to the file with the bytes so far and the total. */
  readonly onProgress?: (written: number, total: number) => void;
}

/**
 * Elements per chunk of {@link writeCheckpoint} by default: 4 Mi (16 MiB of float32 generated
 * per step, a fill big enough for the worker pool to split well; 32 MiB of buffers for
 * bfloat16, 64 MiB for float64).
 */
export const WRITE_CHUNK_ELEMENTS = 1 << 22;

/**
 * Bytes written between two `fdatasync`s started behind the writes. Without them the kernel
 * keeps a whole checkpoint of a few GB in its page cache (its dirty limits are a share of
 * memory) and writes it out only at the final `fsync`, after the generation: syncing behind
 * keeps the disk busy while the next chunks are generated.
 */
const SYNC_BEHIND_BYTES = 64 * 2 ** 20;

/** Resolves after the current macrotask, once pending I/O callbacks have been issued. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes all of `bytes` at the file's current position. */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}

/**
 * Writes a plan's safetensors checkpoint to `path`: the header, computed from the plan, then
 * every parameter generated chunk by chunk (`chunkElements`, default
 * {@link WRITE_CHUNK_ELEMENTS}), to a temporary file in the same directory
 * (`<name>.tmp-<pid>-<hex>`, as `writeFileAtomic`), flushed and renamed over `path` only when
 * complete. The next chunk is generated (on the worker pool's threads when it runs, see
 * `startWorkerPool` in `weightinit/node`) while the previous one is being written, and the
 * written data is synced to disk behind the writes. Memory is bounded by the chunk size (two
 * byte buffers, and one float32 buffer for float16/bfloat16), whatever the model's size.
 * The file's bytes do not depend on the chunk size or on the pool.
 * Resolves with the number of bytes written (`plan.fileBytes`).
 * @throws (a rejected promise) RangeError for bad options; the file system's errors. No
 *   file is left behind on error.
 * @example
 * await writeCheckpoint('model.safetensors', plan(spec), {
 *   onProgress: (done, total) => console.error(`${((100 * done) / total).toFixed(0)}%`),
 * });
 */
export async function writeCheckpoint(
  path: string,
  plan: ModelPlan,
  options?: WriteCheckpointOptions,
): Promise<number> {
  const fn = 'writeCheckpoint';
  if (typeof path !== 'string' || path.length === 0) {
    typeError(fn, 'path', 'a non-empty string', path);
  }
  const onProgress = options?.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    typeError(fn, 'options.onProgress', 'a function', onProgress);
  }
  checkStreamable(fn, plan);
  const chunk =
    options?.chunkElements === undefined
      ? Math.max(1, Math.min(WRITE_CHUNK_ELEMENTS, plan.totalParameters))
      : chunkElementsOf(fn, options);
  const header = checkpointHeader(plan);
  const windows = new DataWindows(plan);
  const buffers = new WindowBuffers(plan, chunk, 2);
  const temp = join(
    dirname(path),
    `${basename(path)}.tmp-${pid}-${randomBytes(6).toString('hex')}`,
  );
  let handle: FileHandle | undefined;
  let pending: Promise<void> | undefined;
  let syncing: Promise<void> | undefined;
  let written = 0;
  try {
    handle = await open(temp, 'wx', 0o666);
    const file = handle;
    await writeAll(file, header);
    written = header.length;
    onProgress?.(written, plan.fileBytes);
    let unsynced = 0;
    for (let k = 0; ; k++) {
      const out = buffers.outputs[k % 2];
      const n = buffers.fill(windows, k % 2); // overlaps the write of the other buffer
      await pending;
      pending = undefined;
      if (n === 0) break;
      const write = writeAll(file, out.subarray(0, n));
      write.catch(() => undefined); // handled by the `await pending` above, or below on error
      pending = write;
      written += n;
      unsynced += n;
      if (unsynced >= SYNC_BEHIND_BYTES && syncing === undefined) {
        unsynced = 0;
        const sync = file.datasync().finally(() => {
          if (syncing === sync) syncing = undefined;
        });
        sync.catch(() => undefined); // awaited before the final sync, or below on error
        syncing = sync;
      }
      onProgress?.(written, plan.fileBytes);
      await turn(); // lets the write reach the file system before generating the next chunk
    }
    await syncing;
    await file.sync();
    handle = undefined;
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await pending?.catch(() => undefined);
    await syncing?.catch(() => undefined);
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
  return written;
}

/** Makes a rename durable by syncing the directory (best effort: not possible everywhere). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems do not let a directory be opened or synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
