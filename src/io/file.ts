/**
 * Writing files atomically, in Node (this is the only file of `src/io` that uses Node APIs;
 * the rest runs on any engine).
 *
 * A file is written under a temporary name in the same directory
 * (`<name>.tmp-<pid>-<12 random hex digits>`), flushed to disk (`fsync`), then renamed
 * over the target, which is atomic on POSIX file systems: readers see the old file or the
 * complete new one, never a partial file. On any error — including an exception thrown by
 * the producer of the bytes half-way — the temporary file is removed and the target is left
 * as it was.
 */

import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pid } from 'node:process';
import { typeError } from '../tensor/errors.js';
import { type EncodeNpyOptions, npyChunks } from './npy.js';
import {
  type EncodeSafetensorsOptions,
  type SafetensorsTensors,
  safetensorsChunks,
} from './safetensors.js';
import type { TensorLike } from './tensor-like.js';

/** A function that writes the file's bytes with `write`, awaiting each call. */
export type ChunkWriter = (write: (chunk: Uint8Array) => Promise<void>) => unknown;

/** The bytes of a file: one buffer, a (sync or async) iterable of chunks, or a writer. */
export type FileSource =
  | Uint8Array
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>
  | ChunkWriter;

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** Permission bits of a new file, before the umask. Default `0o666` (like `fs.writeFile`). */
  readonly mode?: number;
}

/** Chunks smaller than this are gathered into one buffer before being written. */
const GATHER = 1 << 20;

/**
 * Writes a file atomically: to a temporary file in the same directory, `fsync`ed, then
 * renamed over `path`; resolves with the number of bytes written.
 *
 * `source` is a Uint8Array, an iterable or async iterable of Uint8Array chunks (a generator
 * streams a big file with bounded memory), or a function given `write(chunk)` to call and
 * await. Each chunk is written (or copied) before the next is asked for, so a producer may
 * reuse its buffer. On any error — the producer throws, a chunk is not a Uint8Array, the disk
 * is full, the rename fails — the temporary file is closed and removed, `path` is untouched,
 * and the error is rethrown. An existing file at `path` is replaced (its permissions are not
 * carried over).
 * @throws TypeError for a bad `path` or `source`; whatever the producer or the file system
 *   throws (a rejected promise).
 * @example
 * await writeFileAtomic('out.bin', (async function* () {
 *   yield new Uint8Array([1, 2]);
 *   yield new Uint8Array([3]);
 * })()); // 3
 */
export async function writeFileAtomic(
  path: string,
  source: FileSource,
  options?: WriteFileAtomicOptions,
): Promise<number> {
  const fn = 'writeFileAtomic';
  if (typeof path !== 'string' || path.length === 0)
    typeError(fn, 'path', 'a non-empty string', path);
  const isIterable =
    source instanceof Uint8Array ||
    typeof source === 'function' ||
    (typeof source === 'object' &&
      source !== null &&
      (Symbol.iterator in source || Symbol.asyncIterator in source));
  if (!isIterable) {
    typeError(
      fn,
      'source',
      'a Uint8Array, an iterable or async iterable of Uint8Array, or a writer function',
      source,
    );
  }
  const mode = options?.mode ?? 0o666;
  if (!Number.isInteger(mode)) typeError(fn, 'options.mode', 'an integer', mode);
  const temp = join(
    dirname(path),
    `${basename(path)}.tmp-${pid}-${randomBytes(6).toString('hex')}`,
  );
  let handle: FileHandle | undefined;
  let written = 0;
  try {
    handle = await open(temp, 'wx', mode);
    const file = handle;
    let buffer = new Uint8Array(0);
    let filled = 0;
    const writeAll = async (bytes: Uint8Array): Promise<void> => {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await file.write(bytes, done, bytes.length - done);
        done += bytesWritten;
      }
    };
    const flush = async (): Promise<void> => {
      if (filled > 0) await writeAll(buffer.subarray(0, filled));
      filled = 0;
    };
    const write = async (chunk: Uint8Array): Promise<void> => {
      if (!(chunk instanceof Uint8Array))
        typeError(fn, 'source', 'chunks that are Uint8Arrays', chunk);
      written += chunk.length;
      if (chunk.length >= GATHER) {
        await flush();
        await writeAll(chunk);
        return;
      }
      if (filled + chunk.length > GATHER) await flush();
      if (buffer.length === 0) buffer = new Uint8Array(GATHER);
      buffer.set(chunk, filled);
      filled += chunk.length;
    };
    if (source instanceof Uint8Array) {
      await writeAll(source);
      written = source.length;
    } else if (typeof source === 'function') {
      await source(write);
    } else {
      for await (const chunk of source as AsyncIterable<Uint8Array>) await write(chunk);
    }
    await flush();
    await file.sync();
    handle = undefined;
    await file.close();
    await rename(temp, path);
  } catch (error) {
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

/**
 * Writes a tensor to a `.npy` file atomically, streaming the values in chunks (see
 * `npyChunks` for the format and options: `dtype` `'float32'`, `'float64'` or
 * `'float16'`); resolves with the number of bytes written.
 * @throws TypeError / RangeError (as a rejected promise) for a bad tensor or options, and
 *   the file system's errors; no file is left behind on error.
 * @example
 * await writeNpy('w.npy', { shape: [256, 128], data }); // np.load('w.npy') reads it
 */
export async function writeNpy(
  path: string,
  tensor: TensorLike,
  options?: EncodeNpyOptions,
): Promise<number> {
  return writeFileAtomic(path, validatedFirst(npyChunks(tensor, options)));
}

/**
 * Writes named tensors to a safetensors file atomically, streaming the values in chunks
 * (see `safetensorsChunks` for the format, order and options); resolves with the number of
 * bytes written.
 * @throws TypeError / RangeError (as a rejected promise) for bad tensors, metadata or
 *   options, and the file system's errors; no file is left behind on error.
 * @example
 * await writeSafetensors('model.safetensors', { 'fc.weight': w, 'fc.bias': b }, { format: 'pt' });
 */
export async function writeSafetensors(
  path: string,
  tensors: SafetensorsTensors,
  metadata?: Readonly<Record<string, string>>,
  options?: EncodeSafetensorsOptions,
): Promise<number> {
  return writeFileAtomic(path, validatedFirst(safetensorsChunks(tensors, metadata, options)));
}

/**
 * Runs a chunk generator up to its first chunk now, so that the generator's argument checks
 * throw before any file is created, and returns the whole sequence.
 */
function validatedFirst(chunks: Generator<Uint8Array>): Iterable<Uint8Array> {
  const first = chunks.next();
  return (function* () {
    if (!first.done) yield first.value;
    yield* chunks;
  })();
}
