/**
 * Writing a plan's checkpoint to a file, in Node: streamed, atomic, and with generation of
 * the next chunk overlapping the write of the previous one. (The only file of `src/model`
 * that needs Node.)
 */

import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { atomicFile } from '../io/file.js';
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
  /**
   * Direct I/O (`O_DIRECT`) where the system has it, else buffered. Default `false`: on the
   * 2-core VM this was measured on, direct writes took a third of the system time but were
   * slower end to end (7.7–10 s against 5.1–7.6 s for 1 B bf16 parameters: the device's
   * latency is no longer hidden by the page cache). Experimental.
   * @internal
   */
  readonly direct?: boolean;
}

/**
 * Elements per chunk of {@link writeCheckpoint} by default: 1 Mi — 4 MiB of float32 generated
 * per step (a fill the worker pool splits), 2 MiB written per call for bfloat16. Measured on
 * 2 cores (1 B parameters, bfloat16): 2 Mi and 4 Mi chunks were 20–40 % slower, with two to
 * three times the system time in `write` (buffers that no longer stay in the caches).
 */
export const WRITE_CHUNK_ELEMENTS = 1 << 20;

/**
 * Bytes written between two `fdatasync`s started behind the writes. Without them the kernel
 * keeps a whole checkpoint of a few GB in its page cache (its dirty limits are a share of
 * memory) and writes it out only at the final `fsync`, after the generation: syncing behind
 * keeps the disk busy while the next chunks are generated.
 */
const SYNC_BEHIND_BYTES = 64 * 2 ** 20;

/**
 * Buffers of {@link writeCheckpoint}'s pipeline: one being generated, up to two being written (positioned writes,
 * so they may complete in any order), which absorbs a write held up for a moment.
 */
export const WRITE_BUFFERS = 3;

/** Writes all of `bytes` at `position` of the file. */
async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Writes a plan's safetensors checkpoint to `path`: the header, computed from the plan, then
 * every parameter generated chunk by chunk (`chunkElements`, default
 * {@link WRITE_CHUNK_ELEMENTS}), to a temporary file in the same directory
 * (`<name>.tmp-<pid>-<hex>`, as `writeFileAtomic`), flushed and renamed over `path` only when
 * complete. The next chunk is generated (on the worker pool's threads when it runs, see
 * `startWorkerPool` in `weightinit/node`) while the previous ones are being written, and the
 * written data is synced to disk behind the writes (`fdatasync` every 64 MiB), so that the
 * disk works during the generation rather than all at the final flush. Memory is bounded by the chunk size (three
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
  const direct = options?.direct ?? false;
  if (direct && constants.O_DIRECT !== undefined) {
    try {
      return await writeTo(path, plan, chunk, onProgress, true);
    } catch (error) {
      if (!(error instanceof DirectUnsupported)) throw error;
    }
  }
  return writeTo(path, plan, chunk, onProgress, false);
}

/** Direct I/O is refused here (a file system without it, unaligned memory): write buffered. */
class DirectUnsupported extends Error {}

/** The file system's block, for direct I/O: offsets, lengths and addresses its multiples. */
const BLOCK = 4096;

/**
 * Buffers of the direct-I/O pipeline: a direct write returns when the device has the data, so
 * more of them in flight (up to four: libuv's thread pool) hide its latency.
 */
const DIRECT_BUFFERS = 5;

/**
 * Writes the checkpoint through a temporary file, renamed when complete. Buffered: each window
 * is written where it falls, with `fdatasync`s behind. Direct (`O_DIRECT`: no copy into the
 * page cache, about a quarter of the system time of buffered writes): every write is whole
 * 4 KiB blocks from 4 KiB-aligned buffers, so each window is placed after the partial block
 * left by the previous one (copied to the start of its buffer), the last block is padded and
 * the file truncated to its size. Throws `DirectUnsupported` (after cleaning up) when direct
 * I/O is refused.
 */
async function writeTo(
  path: string,
  plan: ModelPlan,
  chunk: number,
  onProgress: WriteCheckpointOptions['onProgress'],
  direct: boolean,
): Promise<number> {
  const header = checkpointHeader(plan);
  const windows = new DataWindows(plan);
  const count = direct ? DIRECT_BUFFERS : WRITE_BUFFERS;
  const buffers = new WindowBuffers(plan, chunk, count, direct ? 2 * BLOCK : 0);
  if (direct && (!buffers.aligned || header.length % 8 !== 0)) throw new DirectUnsupported();
  /** The write of each buffer still in flight (its buffer must not be refilled before). */
  const writing: (Promise<void> | undefined)[] = new Array(count).fill(undefined);
  let syncing: Promise<void> | undefined;
  const flags = direct
    ? constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DIRECT
    : 'wx';
  const cleanup = async () => {
    for (const w of writing) await w?.catch(() => undefined);
    await syncing?.catch(() => undefined);
  };
  try {
    return await atomicFile(path, { flags, cleanup }, async (file) => {
      let written = 0;
      if (direct) {
        written = await writeDirect(file, header, windows, buffers, writing, onProgress, plan);
        await file.truncate(written);
      } else {
        await writeAll(file, header, 0);
        written = header.length;
        onProgress?.(written, plan.fileBytes);
        let unsynced = 0;
        for (let k = 0; ; k++) {
          const b = k % WRITE_BUFFERS;
          await writing[b];
          writing[b] = undefined;
          const n = buffers.fill(windows, b); // overlaps the writes of the other buffers
          if (n === 0) break;
          // `FileHandle.write` hands the buffer to libuv's thread pool before returning: the
          // write runs while the next chunks are generated, with no need to yield.
          const write = writeAll(file, buffers.outputs[b].subarray(0, n), written);
          write.catch(() => undefined); // handled when the buffer comes round again, or below
          writing[b] = write;
          written += n;
          unsynced += n;
          if (unsynced >= SYNC_BEHIND_BYTES && syncing === undefined) {
            unsynced = 0;
            const sync = file.datasync().finally(() => {
              if (syncing === sync) syncing = undefined;
            });
            sync.catch(() => undefined); // awaited before the final sync, or on error
            syncing = sync;
          }
          onProgress?.(written, plan.fileBytes);
        }
        for (const w of writing) await w;
      }
      await syncing;
      return written;
    });
  } catch (error) {
    if (direct && (error as NodeJS.ErrnoException | undefined)?.code === 'EINVAL') {
      throw new DirectUnsupported();
    }
    throw error;
  }
}

/**
 * The direct-I/O loop: the header then every window, through the buffers in turn, each write
 * whole blocks at a block-aligned offset; resolves with the bytes of the checkpoint (the file
 * is longer by the padding of its last block, up to 4 KiB − 1 zero bytes).
 */
async function writeDirect(
  file: FileHandle,
  header: Uint8Array,
  windows: DataWindows,
  buffers: WindowBuffers,
  writing: (Promise<void> | undefined)[],
  onProgress: WriteCheckpointOptions['onProgress'],
  plan: ModelPlan,
): Promise<number> {
  const outs = buffers.outputs;
  let b = 0; // the buffer being filled
  let carry = 0; // bytes of the last partial block, at the start of buffer b
  let position = 0; // the file offset of buffer b's first byte (a block boundary)
  /** Writes the whole blocks of buffer b's first `used` bytes; the rest goes to the next one. */
  const put = async (used: number) => {
    const whole = used - (used % BLOCK);
    const next = (b + 1) % outs.length;
    await writing[next];
    writing[next] = undefined;
    outs[next].set(outs[b].subarray(whole, used), 0);
    if (whole > 0) {
      const write = writeAll(file, outs[b].subarray(0, whole), position);
      write.catch(() => undefined); // handled when the buffer comes round again, or by the caller
      writing[b] = write;
      position += whole;
    }
    carry = used - whole;
    b = next;
  };
  for (let h = 0; h < header.length; ) {
    const take = Math.min(header.length - h, outs[b].length - BLOCK - carry);
    outs[b].set(header.subarray(h, h + take), carry);
    h += take;
    await put(carry + take);
  }
  let written = header.length;
  onProgress?.(written, plan.fileBytes);
  for (;;) {
    const n = buffers.fill(windows, b, carry); // overlaps the writes of the other buffers
    if (n === 0) break;
    written += n;
    await put(carry + n);
    onProgress?.(written, plan.fileBytes);
  }
  if (carry > 0) {
    outs[b].fill(0, carry, BLOCK);
    const write = writeAll(file, outs[b].subarray(0, BLOCK), position);
    write.catch(() => undefined); // awaited below, or by the caller
    writing[b] = write;
  }
  for (const w of writing) await w;
  return written;
}
