/**
 * safetensors files: named tensors behind a JSON header.
 *
 * Format (Hugging Face `safetensors`):
 * - 8 bytes: N, the header length, a little-endian u64;
 * - N bytes: a UTF-8 JSON object
 *   `{"__metadata__": {"key": "value"}, "name": {"dtype": "F32", "shape": [2, 3],
 *   "data_offsets": [0, 24]}, ...}`, padded with spaces so that N is a multiple of 8 (the
 *   data then starts 8-byte aligned); `__metadata__` (string → string) is optional;
 * - the data: each tensor's values, little-endian, C order, at `[begin, end)` relative to
 *   the start of the data. Tensors are contiguous: no gap, no overlap, the last one ending at
 *   the end of the file.
 *
 * Order: the reference writer (Rust) sorts tensors by dtype alignment, then by name; any
 * order is valid to read. This writer keeps the caller's order (the order of the array, or
 * of `Object.keys` for a record: integer-like keys first) so a streaming writer knows where
 * each tensor goes before any data exists. The JSON is compact, `__metadata__` first, like
 * the reference. The reader returns tensors in file (offset) order.
 *
 * This module is engine-neutral (no Node API); `file.ts` writes files atomically.
 */

import {
  BYTES_PER_ELEMENT,
  checkStorageDType,
  decode,
  encode,
  memoryDType,
  type StorageDType,
  safetensorsDTypeName,
} from '../tensor/dtype.js';
import {
  checkChoice,
  checkKnownKeys,
  describe,
  oneOf,
  rangeError,
  typeError,
} from '../tensor/errors.js';
import { checkShape, MAX_ELEMENTS } from '../tensor/shape.js';
import { allocate, type Tensor } from '../tensor/tensor.js';
import { checkTensorLike, makeTensor, type TensorLike } from './tensor-like.js';

/** The largest JSON header read or written: 100 000 000 bytes, as in the reference. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** Every dtype name a safetensors header may hold. */
export type SafetensorsDType =
  | 'BOOL'
  | 'F4'
  | 'F6_E2M3'
  | 'F6_E3M2'
  | 'U8'
  | 'I8'
  | 'F8_E5M2'
  | 'F8_E4M3'
  | 'F8_E8M0'
  | 'I16'
  | 'U16'
  | 'F16'
  | 'BF16'
  | 'I32'
  | 'U32'
  | 'F32'
  | 'C64'
  | 'F64'
  | 'I64'
  | 'U64';

/** Bits per element of every safetensors dtype (F4 and F6 pack below a byte). */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<SafetensorsDType, number>> = Object.freeze({
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
});

const ALL_DTYPES = Object.keys(SAFETENSORS_DTYPE_BITS) as SafetensorsDType[];

/** The storage dtypes this library decodes, by safetensors name. */
const FLOAT_DTYPES: Readonly<Partial<Record<SafetensorsDType, StorageDType>>> = Object.freeze({
  F32: 'float32',
  F64: 'float64',
  F16: 'float16',
  BF16: 'bfloat16',
});

const METADATA_KEY = '__metadata__';

// ---------------------------------------------------------------------------------------
// Writing.

/** One tensor of a safetensors file, before its data exists. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: StorageDType;
  readonly shape: readonly number[];
}

/** Where everything goes in a safetensors file, known before any data is written. */
export interface SafetensorsLayout {
  /**
   * Every byte before the data: the 8-byte length N, then the N-byte JSON header padded
   * with spaces. Write it first, then each tensor's bytes in entry order.
   */
  readonly header: Uint8Array;
  /** `[begin, end)` of each entry's bytes, relative to the start of the data. */
  readonly offsets: readonly (readonly [number, number])[];
  /** Where the data starts in the file: `header.length`. */
  readonly dataOffset: number;
  /** The size of the whole file: `header.length` + all the tensors' bytes. */
  readonly totalBytes: number;
}

function checkObject(fn: string, arg: string, value: unknown): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    typeError(fn, arg, 'an object', value);
  }
  return value;
}

function checkMetadata(fn: string, metadata: unknown): [string, string][] {
  if (metadata === undefined) return [];
  checkObject(fn, 'metadata', metadata);
  const entries = Object.entries(metadata as object);
  for (const [key, value] of entries) {
    if (typeof value !== 'string')
      typeError(fn, `metadata[${JSON.stringify(key)}]`, 'a string', value);
  }
  return entries;
}

function checkName(fn: string, arg: string, name: unknown, seen: Set<string>): string {
  if (typeof name !== 'string') typeError(fn, arg, 'a string', name);
  if (name === METADATA_KEY)
    rangeError(fn, arg, `a name other than "${METADATA_KEY}" (reserved)`, name);
  if (seen.has(name)) rangeError(fn, arg, 'a name used once', name);
  seen.add(name);
  return name;
}

/**
 * Lays out a safetensors file from its tensors' names, dtypes and shapes alone: the header
 * bytes, each tensor's byte range and the file size. A writer can then stream each tensor's
 * values, chunk by chunk, in entry order, straight after the header.
 *
 * Tensors keep the order of `entries`. `metadata` (string → string) goes into
 * `__metadata__`, omitted when `undefined` or empty. Shapes may describe tensors too big for
 * memory (up to 2⁵³ − 1 bytes in all).
 * @throws TypeError / RangeError for a bad entry (name not a string, duplicated or
 *   `__metadata__`; bad dtype or shape), metadata that is not string → string, or a header
 *   over {@link SAFETENSORS_MAX_HEADER_BYTES}.
 * @example
 * const { header, offsets, totalBytes } = safetensorsHeader(
 *   [{ name: 'w', dtype: 'float32', shape: [2, 3] }, { name: 'b', dtype: 'float16', shape: [2] }],
 *   { format: 'pt' },
 * );
 * // header: 8-byte length, then
 * // {"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},
 * //  "b":{"dtype":"F16","shape":[2],"data_offsets":[24,28]}} and spaces up to a multiple of 8
 * // offsets: [[0, 24], [24, 28]]; totalBytes: header.length + 28
 */
export function safetensorsHeader(
  entries: readonly SafetensorsEntry[],
  metadata?: Readonly<Record<string, string>>,
): SafetensorsLayout {
  const fn = 'safetensorsHeader';
  if (!Array.isArray(entries))
    typeError(fn, 'entries', 'an array of { name, dtype, shape }', entries);
  return layout(
    fn,
    entries.map((e, i) => {
      checkObject(fn, `entries[${i}]`, e);
      return {
        name: e.name,
        dtype: checkStorageDType(fn, `entries[${i}].dtype`, e.dtype),
        shape: checkShape(fn, e.shape, Number.MAX_SAFE_INTEGER),
      };
    }),
    metadata,
    'entries',
  );
}

function layout(
  fn: string,
  entries: readonly SafetensorsEntry[],
  metadata: unknown,
  arg: string,
): SafetensorsLayout {
  const meta = checkMetadata(fn, metadata);
  const seen = new Set<string>();
  const parts: string[] = [];
  if (meta.length > 0) {
    parts.push(
      `${JSON.stringify(METADATA_KEY)}:{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`,
    );
  }
  const offsets: (readonly [number, number])[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const name = checkName(fn, `${arg}[${i}].name`, e.name, seen);
    let size = BYTES_PER_ELEMENT[e.dtype];
    for (const d of e.shape) size *= d;
    const end = offset + size;
    if (!Number.isSafeInteger(end)) {
      rangeError(fn, arg, `tensors of at most ${Number.MAX_SAFE_INTEGER} bytes in all`, e.shape);
    }
    offsets.push(Object.freeze([offset, end] as const));
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${safetensorsDTypeName(e.dtype)}","shape":[${e.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  });
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const n = Math.ceil(json.length / 8) * 8;
  if (n > SAFETENSORS_MAX_HEADER_BYTES) {
    rangeError(
      fn,
      arg,
      `few enough to fit a header of at most ${SAFETENSORS_MAX_HEADER_BYTES} bytes`,
      n,
    );
  }
  const header = new Uint8Array(8 + n);
  new DataView(header.buffer).setUint32(0, n, true); // N < 2³², the high word stays 0
  header.set(json, 8);
  header.fill(0x20, 8 + json.length);
  const totalBytes = header.length + offset;
  if (!Number.isSafeInteger(totalBytes))
    rangeError(fn, arg, 'a file of at most 2⁵³ − 1 bytes', totalBytes);
  return Object.freeze({
    header,
    offsets: Object.freeze(offsets),
    dataOffset: header.length,
    totalBytes,
  });
}

/** One tensor to write: its name, values and (optionally) how to store them. */
export interface SafetensorsInput {
  readonly name: string;
  readonly tensor: TensorLike;
  /** Storage dtype of this tensor; default `options.dtype`, else the dtype of its data. */
  readonly dtype?: StorageDType;
}

/** Named tensors: an array of {@link SafetensorsInput}, or a record name → tensor. */
export type SafetensorsTensors = readonly SafetensorsInput[] | Readonly<Record<string, TensorLike>>;

/** Options of {@link encodeSafetensors} and {@link safetensorsChunks}. */
export interface EncodeSafetensorsOptions {
  /** Storage dtype of every tensor that does not give its own. Default: the data's dtype. */
  readonly dtype?: StorageDType;
  /** Largest data chunk {@link safetensorsChunks} yields, in bytes. Default 1 MiB. */
  readonly chunkBytes?: number;
}

const ENCODE_KEYS = ['dtype', 'chunkBytes'] as const;

interface Prepared {
  readonly inputs: { name: string; tensor: TensorLike; dtype: StorageDType }[];
  readonly layout: SafetensorsLayout;
  readonly chunkBytes: number;
}

function prepare(fn: string, tensors: unknown, metadata: unknown, options: unknown): Prepared {
  if (options !== undefined) checkObject(fn, 'options', options);
  const o = (options ?? {}) as EncodeSafetensorsOptions;
  checkKnownKeys(fn, o, ENCODE_KEYS);
  const fallback =
    o.dtype === undefined ? undefined : checkStorageDType(fn, 'options.dtype', o.dtype);
  let chunkBytes = 1 << 20;
  if (o.chunkBytes !== undefined) {
    if (typeof o.chunkBytes !== 'number')
      typeError(fn, 'options.chunkBytes', 'an integer', o.chunkBytes);
    if (!Number.isSafeInteger(o.chunkBytes) || o.chunkBytes < 8) {
      rangeError(fn, 'options.chunkBytes', 'an integer >= 8', o.chunkBytes);
    }
    chunkBytes = o.chunkBytes;
  }
  if (typeof tensors !== 'object' || tensors === null) {
    typeError(
      fn,
      'tensors',
      'an array of { name, tensor, dtype? } or a record name → tensor',
      tensors,
    );
  }
  const list: { name: unknown; tensor: unknown; dtype?: unknown }[] = Array.isArray(tensors)
    ? tensors.map((t, i) => checkObject(fn, `tensors[${i}]`, t) as SafetensorsInput)
    : Object.entries(tensors).map(([name, tensor]) => ({ name, tensor }));
  const inputs = list.map((t, i) => {
    const arg = Array.isArray(tensors) ? `tensors[${i}]` : `tensors[${JSON.stringify(t.name)}]`;
    const tensor = checkTensorLike(fn, Array.isArray(tensors) ? `${arg}.tensor` : arg, t.tensor);
    const dtype =
      t.dtype !== undefined
        ? checkStorageDType(fn, `${arg}.dtype`, t.dtype)
        : (fallback ?? (tensor.data instanceof Float64Array ? 'float64' : 'float32'));
    return { name: t.name as string, tensor, dtype };
  });
  const l = layout(
    fn,
    inputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.tensor.shape })),
    metadata,
    'tensors',
  );
  return { inputs, layout: l, chunkBytes };
}

/**
 * Encodes named tensors as a complete safetensors file in memory (for small files; stream
 * big ones with {@link safetensorsChunks} or `writeSafetensors`). Tensors keep the caller's
 * order; see {@link safetensorsHeader}.
 * @throws TypeError / RangeError for a bad tensor (shape and data length must agree), name,
 *   dtype, metadata or option.
 * @example
 * const bytes = encodeSafetensors(
 *   { 'fc.weight': { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } },
 *   { format: 'pt' },
 *   { dtype: 'bfloat16' },
 * );
 * readSafetensors(bytes).tensors[0].tensor.data; // Float32Array [1, 2, 3, 4]
 */
export function encodeSafetensors(
  tensors: SafetensorsTensors,
  metadata?: Readonly<Record<string, string>>,
  options?: EncodeSafetensorsOptions,
): Uint8Array {
  const { inputs, layout: l } = prepare('encodeSafetensors', tensors, metadata, options);
  const out = new Uint8Array(l.totalBytes);
  out.set(l.header, 0);
  inputs.forEach((t, i) => {
    encode(t.tensor.data, t.dtype, out, l.dataOffset + l.offsets[i][0]);
  });
  return out;
}

/**
 * The bytes of a safetensors file as a sequence of chunks: the header, then each tensor's
 * values in chunks of at most `options.chunkBytes` bytes (default 1 MiB), each a fresh
 * Uint8Array. Concatenated, they equal {@link encodeSafetensors}'s output.
 * @throws like {@link encodeSafetensors}, when the first chunk is requested.
 * @example
 * for (const chunk of safetensorsChunks(tensors, { format: 'pt' })) sink.write(chunk);
 */
export function* safetensorsChunks(
  tensors: SafetensorsTensors,
  metadata?: Readonly<Record<string, string>>,
  options?: EncodeSafetensorsOptions,
): Generator<Uint8Array> {
  const {
    inputs,
    layout: l,
    chunkBytes,
  } = prepare('safetensorsChunks', tensors, metadata, options);
  yield l.header;
  for (const t of inputs) {
    const size = BYTES_PER_ELEMENT[t.dtype];
    const perChunk = Math.max(1, Math.floor(chunkBytes / size));
    const data = t.tensor.data;
    for (let begin = 0; begin < data.length; begin += perChunk) {
      const src = data.subarray(begin, Math.min(begin + perChunk, data.length));
      const out = new Uint8Array(src.length * size);
      encode(src, t.dtype, out, 0);
      yield out;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Reading.

/** One tensor as a safetensors header describes it. */
export interface SafetensorsTensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** `[begin, end)` of its bytes, relative to the start of the data. */
  readonly dataOffsets: readonly [number, number];
}

/** A validated safetensors header. */
export interface SafetensorsHeaderInfo {
  /** N, the JSON header's length in bytes. */
  readonly headerLength: number;
  /** Where the data starts in the file: 8 + N. */
  readonly dataOffset: number;
  /** Size of the data section: the end of the last tensor. */
  readonly dataBytes: number;
  /** The tensors in file order (by offset). */
  readonly tensors: readonly SafetensorsTensorInfo[];
  /** The `__metadata__` map (string → string); empty when absent. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Options of {@link decodeSafetensorsHeader}. */
export interface DecodeSafetensorsHeaderOptions {
  /**
   * Size of the whole file, when `bytes` holds only its beginning (at least 8 + N bytes):
   * a streaming reader passes the first bytes and the file size. Default `bytes.length`.
   */
  readonly fileSize?: number;
}

function u64(fn: string, bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > SAFETENSORS_MAX_HEADER_BYTES) {
    rangeError(
      fn,
      'bytes',
      `a safetensors header length of at most ${SAFETENSORS_MAX_HEADER_BYTES} bytes`,
      n,
    );
  }
  return n;
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function checkSafeIntegers(value: unknown, length?: number): value is number[] {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
  );
}

function readHeader(fn: string, bytes: unknown, options: unknown): SafetensorsHeaderInfo {
  if (!(bytes instanceof Uint8Array)) typeError(fn, 'bytes', 'a Uint8Array', bytes);
  let fileSize = bytes.length;
  if (options !== undefined) {
    const o = checkObject(fn, 'options', options);
    checkKnownKeys(fn, o, ['fileSize']);
    const fs = (o as DecodeSafetensorsHeaderOptions).fileSize;
    if (fs !== undefined) {
      if (typeof fs !== 'number') typeError(fn, 'options.fileSize', 'an integer', fs);
      if (!Number.isSafeInteger(fs) || fs < bytes.length) {
        rangeError(fn, 'options.fileSize', `an integer >= bytes.length (${bytes.length})`, fs);
      }
      fileSize = fs;
    }
  }
  if (bytes.length < 8) {
    rangeError(
      fn,
      'bytes',
      'a safetensors file of at least 8 bytes (the header length)',
      bytes.length,
    );
  }
  const n = u64(fn, bytes);
  if (bytes.length < 8 + n) {
    rangeError(
      fn,
      'bytes',
      `at least ${8 + n} bytes long (8 + a ${n}-byte header): the file is truncated`,
      bytes.length,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return rangeError(fn, 'bytes', 'a safetensors header in UTF-8', 'invalid UTF-8');
  }
  if (text[0] !== '{')
    rangeError(
      fn,
      'bytes',
      'a safetensors header that is a JSON object starting with "{"',
      clip(text),
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return rangeError(
      fn,
      'bytes',
      `a safetensors header that is valid JSON (${(e as Error).message})`,
      clip(text),
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    rangeError(fn, 'bytes', 'a safetensors header that is a JSON object', clip(text));
  }
  const metadata: [string, string][] = [];
  const tensors: SafetensorsTensorInfo[] = [];
  for (const [name, info] of Object.entries(parsed)) {
    if (name === METADATA_KEY) {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) {
        rangeError(fn, 'bytes', `a "${METADATA_KEY}" that is an object of strings`, describe(info));
      }
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== 'string') {
          rangeError(
            fn,
            'bytes',
            `a "${METADATA_KEY}" whose values are strings`,
            `${k}: ${describe(v)}`,
          );
        }
        metadata.push([k, v]);
      }
      continue;
    }
    const where = `tensor ${JSON.stringify(name)}`;
    if (typeof info !== 'object' || info === null || Array.isArray(info)) {
      rangeError(
        fn,
        'bytes',
        `a ${where} described by { dtype, shape, data_offsets }`,
        describe(info),
      );
    }
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(ALL_DTYPES as string[]).includes(dtype)) {
      rangeError(fn, 'bytes', `a ${where} whose dtype is ${oneOf(ALL_DTYPES)}`, dtype);
    }
    if (!checkSafeIntegers(shape)) {
      rangeError(fn, 'bytes', `a ${where} whose shape is an array of non-negative integers`, shape);
    }
    if (!checkSafeIntegers(offsets, 2)) {
      rangeError(
        fn,
        'bytes',
        `a ${where} whose data_offsets are two non-negative integers [begin, end]`,
        offsets,
      );
    }
    const [begin, end] = offsets;
    if (end < begin) {
      rangeError(
        fn,
        'bytes',
        `a ${where} whose data_offsets [begin, end] have begin <= end`,
        offsets,
      );
    }
    let bits = SAFETENSORS_DTYPE_BITS[dtype as SafetensorsDType];
    for (const d of shape) bits *= d;
    if (!Number.isSafeInteger(bits) || bits % 8 !== 0 || bits / 8 !== end - begin) {
      const need = Number.isSafeInteger(bits)
        ? `${bits / 8} bytes`
        : 'more bytes than a file can hold';
      rangeError(
        fn,
        'bytes',
        `a ${where} whose data_offsets span the size of ${dtype} ${describe(shape)}: ${need}`,
        `${end - begin} bytes ${describe(offsets)}`,
      );
    }
    tensors.push(
      Object.freeze({
        name,
        dtype: dtype as SafetensorsDType,
        shape: Object.freeze([...shape]),
        dataOffsets: Object.freeze([begin, end] as const),
      }),
    );
  }
  tensors.sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  let position = 0;
  let previous: SafetensorsTensorInfo | undefined;
  for (const t of tensors) {
    const [begin] = t.dataOffsets;
    if (begin < position) {
      rangeError(
        fn,
        'bytes',
        `tensors whose data do not overlap, but ${JSON.stringify(t.name)} starts at ${begin}, inside ${JSON.stringify(previous!.name)} ${describe(previous!.dataOffsets)}`,
        describe(t.dataOffsets),
      );
    }
    if (begin > position) {
      const after =
        previous === undefined
          ? 'the start of the data'
          : `${JSON.stringify(previous.name)} ${describe(previous.dataOffsets)}`;
      rangeError(
        fn,
        'bytes',
        `contiguous tensors, but there is a gap of ${begin - position} bytes between ${after} and ${JSON.stringify(t.name)}`,
        describe(t.dataOffsets),
      );
    }
    position = t.dataOffsets[1];
    previous = t;
  }
  const available = fileSize - 8 - n;
  if (available !== position) {
    rangeError(
      fn,
      'bytes',
      `a file of exactly ${8 + n + position} bytes (8 + a ${n}-byte header + ${position} bytes of tensors)${available < position ? ': the file is truncated' : ': it has bytes after the last tensor'}`,
      fileSize,
    );
  }
  return Object.freeze({
    headerLength: n,
    dataOffset: 8 + n,
    dataBytes: position,
    tensors: Object.freeze(tensors),
    metadata: Object.freeze(Object.fromEntries(metadata)),
  });
}

/**
 * Reads and validates a safetensors header: the length (at most
 * {@link SAFETENSORS_MAX_HEADER_BYTES}), UTF-8, JSON, `__metadata__` (strings only), every
 * tensor's dtype (any safetensors dtype), shape and `data_offsets` (sized exactly
 * dtype × shape), and that the tensors cover the data contiguously, with no gap and no
 * overlap, up to the end of the file. Extra fields in a tensor's entry are ignored, as the
 * reference does.
 *
 * `bytes` may be just the file's beginning (at least 8 + N bytes) with `options.fileSize`.
 * Duplicate names in the JSON cannot be seen (the last one wins) and show as a gap.
 * @throws TypeError if `bytes` is not a Uint8Array; RangeError naming the problem for a
 *   damaged file: too short, header too long, not UTF-8 or JSON, bad dtype, shape or
 *   offsets, offsets out of range, overlapping, with a gap, or a truncated or too long file.
 * @example
 * const info = decodeSafetensorsHeader(bytes);
 * info.tensors; // [{ name: 'w', dtype: 'F32', shape: [2, 3], dataOffsets: [0, 24] }]
 * bytes.subarray(info.dataOffset + 0, info.dataOffset + 24); // the values of 'w'
 */
export function decodeSafetensorsHeader(
  bytes: Uint8Array,
  options?: DecodeSafetensorsHeaderOptions,
): SafetensorsHeaderInfo {
  return readHeader('decodeSafetensorsHeader', bytes, options);
}

/** One decoded tensor of a safetensors file. */
export interface SafetensorsTensor {
  readonly name: string;
  /** How the values were stored in the file. */
  readonly storage: StorageDType;
  /** The values: F64 gives a Float64Array; F32, F16 and BF16 a Float32Array (exact). */
  readonly tensor: Tensor;
}

/** A decoded safetensors file. */
export interface DecodedSafetensors {
  /** The tensors in file order. */
  readonly tensors: readonly SafetensorsTensor[];
  /** The `__metadata__` map; empty when absent. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Names of the tensors skipped for their dtype (with `unsupported: 'skip'`). */
  readonly skipped: readonly string[];
}

/** Options of {@link readSafetensors}. */
export interface ReadSafetensorsOptions {
  /**
   * What to do with a tensor whose dtype is not F32, F64, F16 or BF16 (integers, FP8…):
   * `'error'` (default) throws, `'skip'` leaves it out and lists it in `skipped`.
   */
  readonly unsupported?: 'error' | 'skip';
}

/**
 * Decodes a complete safetensors file held in memory: validates everything
 * ({@link decodeSafetensorsHeader}) and returns the tensors in file order, with the metadata.
 * @throws TypeError if `bytes` is not a Uint8Array; RangeError for a damaged file (see
 *   {@link decodeSafetensorsHeader}), a tensor of more than 2³¹ − 1 elements, or one of a
 *   dtype other than F32, F64, F16, BF16 unless `unsupported: 'skip'`.
 * @example
 * const { tensors, metadata } = readSafetensors(bytes);
 * tensors[0]; // { name: 'w', storage: 'float16', tensor: { shape: [2, 3], dtype: 'float32', … } }
 */
export function readSafetensors(
  bytes: Uint8Array,
  options?: ReadSafetensorsOptions,
): DecodedSafetensors {
  const fn = 'readSafetensors';
  let unsupported: 'error' | 'skip' = 'error';
  if (options !== undefined) {
    checkObject(fn, 'options', options);
    checkKnownKeys(fn, options, ['unsupported']);
    if (options.unsupported !== undefined) {
      unsupported = checkChoice(fn, 'options.unsupported', options.unsupported, [
        'error',
        'skip',
      ] as const);
    }
  }
  const info = readHeader(fn, bytes, undefined);
  const tensors: SafetensorsTensor[] = [];
  const skipped: string[] = [];
  for (const t of info.tensors) {
    const storage = FLOAT_DTYPES[t.dtype];
    if (storage === undefined) {
      if (unsupported === 'skip') {
        skipped.push(t.name);
        continue;
      }
      rangeError(
        fn,
        'bytes',
        `tensors of ${oneOf(Object.keys(FLOAT_DTYPES))} (pass { unsupported: 'skip' } to leave the others out)`,
        `${t.name}: ${t.dtype}`,
      );
    }
    checkShape(fn, t.shape, MAX_ELEMENTS);
    const data = allocate(
      memoryDType(storage),
      (t.dataOffsets[1] - t.dataOffsets[0]) / BYTES_PER_ELEMENT[storage],
    );
    decode(bytes, info.dataOffset + t.dataOffsets[0], storage, data);
    tensors.push(Object.freeze({ name: t.name, storage, tensor: makeTensor(t.shape, data) }));
  }
  return Object.freeze({
    tensors: Object.freeze(tensors),
    metadata: info.metadata,
    skipped: Object.freeze(skipped),
  });
}
