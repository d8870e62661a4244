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
import { checkKnownKeys, rangeError, typeError } from '../tensor/errors.js';
import { type EncodeNpyOptions, npyChunks } from './npy.js';
import {
  decodeSafetensorsHeader,
  type EncodeSafetensorsOptions,
  SAFETENSORS_MAX_HEADER_BYTES,
  type SafetensorsHeaderInfo,
  type SafetensorsTensorInfo,
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
  return atomicFile(path, { mode }, async (file) => {
    let written = 0;
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
    return written;
  });
}

/** Options of {@link atomicFile}. */
export interface AtomicFileOptions {
  /** Permission bits of the new file, before the umask. Default `0o666`. */
  readonly mode?: number;
  /** `open` flags of the temporary file; they must create it exclusively. Default `'wx'`. */
  readonly flags?: string | number;
  /** Run on error before the temporary file is closed (e.g. to wait for writes in flight). */
  readonly cleanup?: () => Promise<void>;
}

/**
 * The atomic write itself: `body` writes a new temporary file beside `path`
 * (`<name>.tmp-<pid>-<hex>`); the file is then `fsync`ed, closed, renamed over `path`, and the
 * directory synced. On any error the temporary file is closed and removed (after
 * `options.cleanup`), `path` is untouched, and the error is rethrown. Resolves with what `body`
 * resolves with.
 */
export async function atomicFile<T>(
  path: string,
  options: AtomicFileOptions,
  body: (file: FileHandle) => Promise<T>,
): Promise<T> {
  const temp = join(
    dirname(path),
    `${basename(path)}.tmp-${pid}-${randomBytes(6).toString('hex')}`,
  );
  let handle: FileHandle | undefined;
  let result: T;
  try {
    handle = await open(temp, options.flags ?? 'wx', options.mode ?? 0o666);
    const file = handle;
    result = await body(file);
    await file.sync();
    handle = undefined;
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await options.cleanup?.().catch(() => undefined);
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
  return result;
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

// ---------------------------------------------------------------------------------------
// Reading safetensors files in chunks.

/** Bytes read per chunk by {@link openSafetensors} by default: 4 MiB. */
export const READ_CHUNK_BYTES = 4 << 20;

/** Options of {@link openSafetensors}. */
export interface OpenSafetensorsOptions {
  /** Largest chunk read at once, in bytes: a multiple of 8, at least 8. Default 4 MiB. */
  readonly chunkBytes?: number;
}

/** An open safetensors file: its validated header, and its tensors' bytes chunk by chunk. */
export interface SafetensorsFile {
  readonly path: string;
  /** Size of the file when it was opened. */
  readonly fileSize: number;
  /** The validated header (every field checked against the file's size). */
  readonly header: SafetensorsHeaderInfo;
  /** Bytes of the one buffer chunks are read into (allocated on the first chunk). */
  readonly bufferBytes: number;
  /**
   * The bytes of one tensor of `header`, in order, in chunks of at most `chunkBytes` (whole
   * elements: every chunk but the last is `chunkBytes` long, a multiple of 8). Every chunk is
   * a view of the same buffer, overwritten by the next: copy what you keep. One tensor at a
   * time: asking for another while a generator is open throws.
   */
  chunks(tensor: SafetensorsTensorInfo): AsyncGenerator<Uint8Array>;
  /** Closes the file. */
  close(): Promise<void>;
}

/** A damaged file: `RangeError` naming the file and what is wrong where. */
function damaged(path: string, detail: string): never {
  throw new RangeError(
    `openSafetensors: ${JSON.stringify(path)} is not a valid safetensors file: ${detail}`,
  );
}

/** Reads exactly `length` bytes at `position` into `buffer`, or says where the file ended. */
async function readExactly(
  handle: FileHandle,
  buffer: Uint8Array,
  length: number,
  position: number,
  path: string,
  what: string,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) {
      damaged(
        path,
        `the file ends at byte ${position + done} while reading ${what} (bytes ${position} to ${position + length}): it was truncated while being read`,
      );
    }
    done += bytesRead;
  }
}

/**
 * Opens a safetensors file for reading in bounded memory: reads the 8-byte header length,
 * checks it against {@link SAFETENSORS_MAX_HEADER_BYTES} and the file size before reading
 * anything more, reads and validates the header (`decodeSafetensorsHeader` with the file
 * size: dtypes, shapes, offsets inside the file, no overlap, no gap, nothing after the last
 * tensor), then serves each tensor's bytes in chunks of at most `chunkBytes` through one
 * reused buffer. Memory: the header, then one buffer of at most `chunkBytes`.
 * @throws (as a rejected promise) TypeError for a bad `path`; RangeError for a bad
 *   `chunkBytes`, or a damaged file, the message naming the file, what is wrong and where
 *   (fewer than 8 bytes, a header length over the limit or past the end of the file, a
 *   header that is not UTF-8 JSON, a bad dtype, shape or offsets, a truncated file);
 *   the file system's errors (no such file).
 * @example
 * const file = await openSafetensors('model.safetensors');
 * try {
 *   for (const t of file.header.tensors) for await (const chunk of file.chunks(t)) use(chunk);
 * } finally {
 *   await file.close();
 * }
 */
export async function openSafetensors(
  path: string,
  options?: OpenSafetensorsOptions,
): Promise<SafetensorsFile> {
  const fn = 'openSafetensors';
  if (typeof path !== 'string' || path.length === 0) {
    typeError(fn, 'path', 'a non-empty string', path);
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    typeError(fn, 'options', 'an object', options);
  }
  checkKnownKeys(fn, options ?? {}, ['chunkBytes']);
  const chunkBytes = options?.chunkBytes ?? READ_CHUNK_BYTES;
  if (typeof chunkBytes !== 'number') {
    typeError(fn, 'options.chunkBytes', 'an integer', chunkBytes);
  }
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 8 || chunkBytes % 8 !== 0) {
    rangeError(fn, 'options.chunkBytes', 'a multiple of 8, at least 8', chunkBytes);
  }
  const handle = await open(path, 'r');
  let header: SafetensorsHeaderInfo;
  let fileSize: number;
  try {
    fileSize = (await handle.stat()).size;
    if (fileSize < 8) {
      damaged(path, `it has ${fileSize} bytes, fewer than the 8 of the header length`);
    }
    const start = new Uint8Array(8);
    await readExactly(handle, start, 8, 0, path, 'the header length');
    const view = new DataView(start.buffer);
    const n = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
    if (n > SAFETENSORS_MAX_HEADER_BYTES) {
      damaged(
        path,
        `the header length (bytes 0 to 8, little-endian u64) is ${n}, more than the limit of ${SAFETENSORS_MAX_HEADER_BYTES} bytes`,
      );
    }
    if (8 + n > fileSize) {
      damaged(
        path,
        `the header length (bytes 0 to 8) is ${n}, but only ${fileSize - 8} bytes follow: the file is truncated or not safetensors`,
      );
    }
    const bytes = new Uint8Array(8 + n);
    bytes.set(start);
    await readExactly(handle, bytes.subarray(8), n, 8, path, 'the header');
    try {
      header = decodeSafetensorsHeader(bytes, { fileSize });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const detail = error.message.replace(/^decodeSafetensorsHeader: `bytes` must be /, '');
      damaged(path, `the header (bytes 8 to ${8 + n}) is wrong: expected ${detail}`);
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  const largest = header.tensors.reduce(
    (a, t) => Math.max(a, t.dataOffsets[1] - t.dataOffsets[0]),
    0,
  );
  let buffer: Uint8Array | undefined;
  let busy = false;
  const known = new Set(header.tensors);
  return {
    path,
    fileSize,
    header,
    get bufferBytes() {
      return buffer?.length ?? 0;
    },
    async *chunks(t) {
      if (!known.has(t)) {
        typeError('SafetensorsFile.chunks', 'tensor', "a tensor of this file's header", t);
      }
      if (busy) {
        throw new Error(
          'SafetensorsFile.chunks: another tensor is being read (one at a time: the chunks share one buffer)',
        );
      }
      busy = true;
      try {
        buffer ??= new Uint8Array(Math.min(chunkBytes, largest));
        const [begin, end] = t.dataOffsets;
        for (let at = begin; at < end; at += chunkBytes) {
          const length = Math.min(chunkBytes, end - at);
          await readExactly(
            handle,
            buffer,
            length,
            header.dataOffset + at,
            path,
            `tensor ${JSON.stringify(t.name)}`,
          );
          yield buffer.subarray(0, length);
        }
      } finally {
        busy = false;
      }
    },
    close: () => handle.close(),
  };
}
