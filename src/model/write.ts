/**
 * Writing a plan's checkpoint to a file, in Node: streamed, atomic, and with generation of
 * the next chunk overlapping the write of the previous one. (The only file of `src/model`
 * that needs Node, through `src/io/file.js`.)
 */

import { writeFileAtomic } from '../io/file.js';
import { typeError } from '../tensor/errors.js';
import {
  type CheckpointChunksOptions,
  checkpointHeader,
  checkStreamable,
  chunkElementsOf,
  DataWindows,
} from './materialize.js';
import type { ModelPlan } from './plan.js';

/** Options of {@link writeCheckpoint}. */
export interface WriteCheckpointOptions extends CheckpointChunksOptions {
  /** Called after each chunk is handed to the file with the bytes so far and the total. */
  readonly onProgress?: (written: number, total: number) => void;
}

/** Resolves after the current macrotask, once pending I/O callbacks have been issued. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes a plan's safetensors checkpoint to `path`: the header, computed from the plan, then
 * every parameter generated chunk by chunk (see `checkpointChunks`), to a temporary file
 * renamed over `path` only when complete and flushed (`writeFileAtomic`). Memory is bounded
 * by the chunk size (one generation buffer and two byte buffers: the next chunk is generated
 * while the previous one is being written), whatever the model's size.
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
  const onProgress = options?.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    typeError(fn, 'options.onProgress', 'a function', onProgress);
  }
  checkStreamable(fn, plan);
  const windows = new DataWindows(plan, chunkElementsOf(fn, options));
  const header = checkpointHeader(plan);
  const buffers = [new Uint8Array(windows.windowBytes), new Uint8Array(windows.windowBytes)];
  return writeFileAtomic(path, async (write) => {
    let written = header.length;
    await write(header);
    onProgress?.(written, plan.fileBytes);
    let pending: Promise<void> | undefined;
    for (let k = 0; ; k++) {
      const out = buffers[k % 2];
      const n = windows.next(out); // overlaps the write of the other buffer
      await pending;
      if (n === 0) break;
      pending = write(out.subarray(0, n));
      pending.catch(() => undefined); // handled by the `await pending` above, on the next turn
      written += n;
      onProgress?.(written, plan.fileBytes);
      await turn(); // lets the write reach the file system before generating the next chunk
    }
  });
}
