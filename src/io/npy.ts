/**
 * NumPy `.npy` files: one array, a small text header, then the raw values.
 *
 * Format (NumPy's `numpy.lib.format`, "NPY format" NEP 1):
 * - 6 bytes magic `\x93NUMPY`, 1 byte major version, 1 byte minor version;
 * - the header length: a little-endian u16 in version 1.0, a u32 in versions 2.0 and 3.0;
 * - the header, a Python dict literal in latin-1 (UTF-8 in 3.0), for example
 *   `{'descr': '<f4', 'fortran_order': False, 'shape': (256, 128), }`, padded with spaces
 *   and ended by `\n` so that magic + version + length + header is a multiple of 64 bytes;
 * - the values, in C order (or Fortran order when `fortran_order` is `True`).
 *
 * The writer produces byte for byte what NumPy (≥ 1.24, checked against 2.4) writes with
 * `np.save`, including the spare spaces NumPy leaves after the dict so the first axis can
 * grow in place; version 1.0 unless the header needs more than 65535 bytes (then 2.0).
 * The reader accepts versions 1.0, 2.0 and 3.0, C or Fortran order, and little-endian
 * float16, float32 and float64 (`<f2`, `<f4`, `<f8`). NumPy has no bfloat16.
 *
 * This module is engine-neutral (no Node API); `file.ts` writes files atomically.
 */

import {
  BYTES_PER_ELEMENT,
  checkStorageDType,
  decode,
  encode,
  memoryDType,
  type NpyDescr,
  npyDescr,
  type StorageDType,
} from '../tensor/dtype.js';
import { checkKnownKeys, describe, oneOf, rangeError, typeError } from '../tensor/errors.js';
import { checkShape, MAX_ELEMENTS } from '../tensor/shape.js';
import { allocate, type Tensor } from '../tensor/tensor.js';
import { checkTensorLike, makeTensor, type TensorLike } from './tensor-like.js';

/** The 6 magic bytes every `.npy` file starts with: `\x93NUMPY`. */
export const NPY_MAGIC: Uint8Array = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** `magic + version + length + header` is padded to a multiple of this (NumPy's `ARRAY_ALIGN`). */
const ALIGN = 64;
/** NumPy leaves room for the first axis to grow to this many digits (`GROWTH_AXIS_MAX_DIGITS`). */
const GROWTH_DIGITS = 21;
/** The largest header this reader parses (NumPy's own default limit is 10000 characters). */
export const NPY_MAX_HEADER_BYTES = 1 << 20;

const READ_DESCRS: readonly NpyDescr[] = ['<f4', '<f8', '<f2'];
const DESCR_DTYPE: Readonly<Record<NpyDescr, StorageDType>> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '<f2': 'float16',
};

/** Python's `repr` of a shape tuple: `()`, `(5,)`, `(2, 3)`. */
function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/**
 * The header of a `.npy` file holding a C-order array of `shape` and `dtype`: magic,
 * version, header length, and the padded dict. The values follow it directly.
 *
 * Byte-identical to NumPy's `np.save` header (version 1.0, or 2.0 when the dict needs more
 * than 65535 bytes); its length is a multiple of 64, so the data is 64-byte aligned.
 * @throws TypeError / RangeError for a bad shape or dtype; RangeError for `bfloat16`
 *   (NumPy has no bfloat16).
 * @example
 * const h = npyHeader([2, 3], 'float32');
 * h.length; // 128
 * new TextDecoder().decode(h.subarray(10, 69));
 * // "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
 */
export function npyHeader(shape: readonly number[], dtype: StorageDType): Uint8Array {
  const checked = checkShape('npyHeader', shape, Number.MAX_SAFE_INTEGER);
  const d = checkStorageDType('npyHeader', 'dtype', dtype);
  if (d === 'bfloat16') {
    rangeError(
      'npyHeader',
      'dtype',
      `a dtype NumPy has (${oneOf(['float32', 'float64', 'float16'])}); NumPy has no bfloat16: store it as "float32" or use safetensors`,
      d,
    );
  }
  let dict = `{'descr': '${npyDescr(d)}', 'fortran_order': False, 'shape': ${shapeRepr(checked)}, }`;
  if (checked.length > 0)
    dict += ' '.repeat(Math.max(0, GROWTH_DIGITS - String(checked[0]).length));
  const withNewline = dict.length + 1;
  let version = 1;
  let prefix = 10; // magic 6 + version 2 + u16 length
  let pad = ALIGN - ((prefix + withNewline) % ALIGN);
  if (withNewline + pad > 0xffff) {
    version = 2;
    prefix = 12; // u32 length
    pad = ALIGN - ((prefix + withNewline) % ALIGN);
  }
  const headerLength = withNewline + pad;
  const out = new Uint8Array(prefix + headerLength);
  out.set(NPY_MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
  out.fill(0x20, prefix + dict.length, out.length - 1);
  out[out.length - 1] = 0x0a;
  return out;
}

/** Options of {@link encodeNpy} and {@link npyChunks}. */
export interface EncodeNpyOptions {
  /**
   * How the values are stored: `'float32'`, `'float64'` or `'float16'` (rounded to nearest
   * even). Default: the dtype of `tensor.data`.
   */
  readonly dtype?: StorageDType;
  /** Largest data chunk {@link npyChunks} yields, in bytes. Default 1 MiB. */
  readonly chunkBytes?: number;
}

const ENCODE_KEYS = ['dtype', 'chunkBytes'] as const;

function encodeOptions(
  fn: string,
  tensor: unknown,
  options: EncodeNpyOptions | undefined,
): { t: TensorLike; dtype: StorageDType; chunkBytes: number } {
  const t = checkTensorLike(fn, 'tensor', tensor);
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    typeError(fn, 'options', 'an object', options);
  }
  const o = options ?? {};
  checkKnownKeys(fn, o, ENCODE_KEYS);
  const dtype =
    o.dtype === undefined
      ? t.data instanceof Float64Array
        ? 'float64'
        : 'float32'
      : checkStorageDType(fn, 'options.dtype', o.dtype);
  let chunkBytes = 1 << 20;
  if (o.chunkBytes !== undefined) {
    if (typeof o.chunkBytes !== 'number')
      typeError(fn, 'options.chunkBytes', 'an integer', o.chunkBytes);
    if (!Number.isSafeInteger(o.chunkBytes) || o.chunkBytes < 8) {
      rangeError(fn, 'options.chunkBytes', 'an integer >= 8', o.chunkBytes);
    }
    chunkBytes = o.chunkBytes;
  }
  return { t, dtype, chunkBytes };
}

/**
 * Encodes a tensor as a complete `.npy` file in memory: {@link npyHeader} then the values,
 * little-endian, C order.
 * @throws TypeError / RangeError for a bad tensor (shape and data length must agree) or
 *   options; RangeError for `dtype: 'bfloat16'`.
 * @example
 * const bytes = encodeNpy({ shape: [2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) });
 * bytes.length; // 152 (128-byte header + 24 bytes); np.load reads it back
 */
export function encodeNpy(tensor: TensorLike, options?: EncodeNpyOptions): Uint8Array {
  const { t, dtype } = encodeOptions('encodeNpy', tensor, options);
  const header = npyHeader(t.shape, dtype);
  const out = new Uint8Array(header.length + t.data.length * BYTES_PER_ELEMENT[dtype]);
  out.set(header, 0);
  encode(t.data, dtype, out, header.length);
  return out;
}

/**
 * The bytes of a `.npy` file as a sequence of chunks: the header, then the values in chunks
 * of at most `options.chunkBytes` bytes (default 1 MiB), each a fresh Uint8Array. Streams a
 * big tensor with bounded memory; concatenated, the chunks equal {@link encodeNpy}'s output.
 * @throws like {@link encodeNpy}, when the first chunk is requested.
 * @example
 * for (const chunk of npyChunks(tensor, { dtype: 'float16' })) sink.write(chunk);
 */
export function* npyChunks(tensor: TensorLike, options?: EncodeNpyOptions): Generator<Uint8Array> {
  const { t, dtype, chunkBytes } = encodeOptions('npyChunks', tensor, options);
  yield npyHeader(t.shape, dtype);
  const size = BYTES_PER_ELEMENT[dtype];
  const perChunk = Math.max(1, Math.floor(chunkBytes / size));
  for (let begin = 0; begin < t.data.length; begin += perChunk) {
    const src = t.data.subarray(begin, Math.min(begin + perChunk, t.data.length));
    const out = new Uint8Array(src.length * size);
    encode(src, dtype, out, 0);
    yield out;
  }
}

// ---------------------------------------------------------------------------------------
// Reading.

/** What a `.npy` header says. */
export interface NpyHeaderInfo {
  /** Format major version: 1, 2 or 3 (the minor version is always 0). */
  readonly version: 1 | 2 | 3;
  /** The dict's `descr`: `'<f4'`, `'<f8'` or `'<f2'`. */
  readonly descr: NpyDescr;
  /** The storage dtype of `descr`. */
  readonly dtype: StorageDType;
  /** `true` when the values are stored in Fortran (column-major) order. */
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Where the values start: the length of magic + version + length + header. */
  readonly dataOffset: number;
  /** How many bytes of values follow the header: elements × bytes per element. */
  readonly dataBytes: number;
}

const FN_HEADER = 'decodeNpyHeader';

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** A header's text for an error message: without its padding, at most 200 characters. */
function clip(text: string): string {
  const t = text.trimEnd();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/** A parsed Python literal: the subset a `.npy` header uses. */
type PyValue =
  | string
  | boolean
  | null
  | number
  | { readonly tuple: PyValue[] }
  | { readonly list: PyValue[] };

/**
 * Parses the Python dict literal of a `.npy` header: strings in '…' or "…" (no escapes),
 * `True`, `False`, `None`, non-negative integers (with Python 2's `L` suffix), tuples and
 * lists of those. Returns the keys and values in order; throws a RangeError naming the
 * problem and its position.
 */
function parseHeaderDict(fn: string, text: string): [string, PyValue][] {
  let i = 0;
  const fail = (what: string): never =>
    rangeError(
      fn,
      'bytes',
      `a .npy header that is a Python dict literal like {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } (${what} at character ${i})`,
      clip(text),
    );
  const space = (): void => {
    while (
      i < text.length &&
      (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')
    )
      i++;
  };
  const value = (depth: number): PyValue => {
    space();
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail('an unterminated string');
      const s = text.slice(i + 1, end);
      if (s.includes('\\') || s.includes('\n')) fail('an escape or newline in a string');
      i = end + 1;
      return s;
    }
    if (c !== undefined && c >= '0' && c <= '9') {
      const start = i;
      while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
      const digits = text.slice(start, i);
      if (text[i] === 'L' || text[i] === 'l') i++;
      if (digits.length > 1 && digits[0] === '0') fail('an integer with a leading zero');
      const n = Number(digits);
      if (!Number.isSafeInteger(n)) fail(`an integer too large (${digits})`);
      return n;
    }
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (text.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return v;
      }
    }
    if ((c === '(' || c === '[') && depth < 4) {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      let comma = false;
      for (;;) {
        space();
        if (text[i] === close) {
          i++;
          break;
        }
        if (i >= text.length) fail('an unexpected end');
        if (items.length > 0 && !comma) fail(`a missing "," or "${close}"`);
        items.push(value(depth + 1));
        space();
        comma = text[i] === ',';
        if (comma) i++;
      }
      // Python: `(5)` is the integer 5, `(5,)` a tuple.
      if (c === '(' && items.length === 1 && !comma) return items[0];
      return c === '(' ? { tuple: items } : { list: items };
    }
    return fail(c === undefined ? 'an unexpected end' : `an unexpected ${JSON.stringify(c)}`);
  };
  space();
  if (text[i] !== '{') fail('no "{"');
  i++;
  const entries: [string, PyValue][] = [];
  let comma = false;
  for (;;) {
    space();
    if (text[i] === '}') {
      i++;
      break;
    }
    if (i >= text.length) fail('an unexpected end');
    if (entries.length > 0 && !comma) fail('a missing "," or "}"');
    const key = value(0);
    if (typeof key !== 'string') fail('a key that is not a string');
    space();
    if (text[i] !== ':') fail('a missing ":"');
    i++;
    entries.push([key as string, value(0)]);
    space();
    comma = text[i] === ',';
    if (comma) i++;
  }
  space();
  if (i !== text.length) fail('text after the dict');
  return entries;
}

function readVersionAndLength(
  fn: string,
  bytes: Uint8Array,
): { version: 1 | 2 | 3; prefix: number; headerLength: number } {
  if (bytes.length < 10) {
    rangeError(
      fn,
      'bytes',
      'a .npy file of at least 10 bytes (magic, version, header length)',
      bytes.length,
    );
  }
  for (let i = 0; i < 6; i++) {
    if (bytes[i] !== NPY_MAGIC[i]) {
      rangeError(
        fn,
        'bytes',
        'a .npy file starting with the magic string \\x93NUMPY (93 4e 55 4d 50 59)',
        hex(bytes.subarray(0, 6)),
      );
    }
  }
  const major = bytes[6];
  const minor = bytes[7];
  if ((major !== 1 && major !== 2 && major !== 3) || minor !== 0) {
    rangeError(fn, 'bytes', 'a .npy file of format version 1.0, 2.0 or 3.0', `${major}.${minor}`);
  }
  const version = major as 1 | 2 | 3;
  const prefix = version === 1 ? 10 : 12;
  if (bytes.length < prefix) {
    rangeError(
      fn,
      'bytes',
      `a .npy ${version}.0 file of at least ${prefix} bytes (magic, version, header length)`,
      bytes.length,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = version === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > NPY_MAX_HEADER_BYTES) {
    rangeError(fn, 'bytes', `a .npy header of at most ${NPY_MAX_HEADER_BYTES} bytes`, headerLength);
  }
  if (bytes.length < prefix + headerLength) {
    rangeError(
      fn,
      'bytes',
      `at least ${prefix + headerLength} bytes long (its header length field says ${headerLength}): the file is truncated`,
      bytes.length,
    );
  }
  return { version, prefix, headerLength };
}

/**
 * Reads and validates the header of a `.npy` file. `bytes` needs to hold only the header
 * (the first `dataOffset` bytes), so a streaming reader can call it on a file's beginning.
 *
 * Checks the magic, the version (1.0, 2.0, 3.0), the header length, the dict (exactly the
 * keys `descr`, `fortran_order`, `shape`), the descr (`<f4`, `<f8`, `<f2`), `fortran_order`
 * (a bool) and `shape` (a tuple of non-negative integers).
 * @throws TypeError if `bytes` is not a Uint8Array; RangeError naming the problem for a
 *   damaged or unsupported header.
 * @example
 * decodeNpyHeader(encodeNpy({ shape: [2, 3], data: new Float32Array(6) }));
 * // { version: 1, descr: '<f4', dtype: 'float32', fortranOrder: false, shape: [2, 3],
 * //   dataOffset: 128, dataBytes: 24 }
 */
export function decodeNpyHeader(bytes: Uint8Array): NpyHeaderInfo {
  return readHeader(FN_HEADER, bytes);
}

function readHeader(fn: string, bytes: unknown): NpyHeaderInfo {
  if (!(bytes instanceof Uint8Array)) typeError(fn, 'bytes', 'a Uint8Array', bytes);
  const { version, prefix, headerLength } = readVersionAndLength(fn, bytes);
  const raw = bytes.subarray(prefix, prefix + headerLength);
  let text: string;
  if (version === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return rangeError(fn, 'bytes', 'a .npy 3.0 header in UTF-8', 'invalid UTF-8');
    }
  } else {
    text = '';
    for (let i = 0; i < raw.length; i += 8192) {
      text += String.fromCharCode(...raw.subarray(i, i + 8192));
    }
  }
  const entries = parseHeaderDict(fn, text);
  const keys = entries.map(([k]) => k);
  const expected = ['descr', 'fortran_order', 'shape'];
  if (keys.length !== 3 || !expected.every((k) => keys.includes(k))) {
    rangeError(
      fn,
      'bytes',
      `a .npy header with exactly the keys ${expected.map((k) => JSON.stringify(k)).join(', ')}`,
      keys,
    );
  }
  const get = (key: string): PyValue => entries.find(([k]) => k === key)![1];
  const descr = get('descr');
  if (typeof descr !== 'string' || !(READ_DESCRS as readonly string[]).includes(descr)) {
    const got = typeof descr === 'string' ? descr : clip(text);
    rangeError(
      fn,
      'bytes',
      `a .npy array of ${oneOf(READ_DESCRS)} (little-endian float32, float64, float16)`,
      got,
    );
  }
  const fortran = get('fortran_order');
  if (typeof fortran !== 'boolean') {
    rangeError(fn, 'bytes', 'a .npy header whose fortran_order is True or False', clip(text));
  }
  const shapeValue = get('shape');
  const items =
    typeof shapeValue === 'object' && shapeValue !== null && 'tuple' in shapeValue
      ? shapeValue.tuple
      : undefined;
  if (items === undefined || !items.every((d) => typeof d === 'number')) {
    rangeError(
      fn,
      'bytes',
      'a .npy header whose shape is a tuple of integers, like (2, 3), (5,) or ()',
      clip(text),
    );
  }
  const shape = items as number[];
  const dtype = DESCR_DTYPE[descr as NpyDescr];
  let size = 1;
  for (const d of shape) size *= d;
  const dataBytes = size * BYTES_PER_ELEMENT[dtype];
  if (!Number.isSafeInteger(dataBytes)) {
    rangeError(
      fn,
      'bytes',
      `a .npy shape of at most ${Number.MAX_SAFE_INTEGER} bytes of data`,
      shape,
    );
  }
  return Object.freeze({
    version,
    descr: descr as NpyDescr,
    dtype,
    fortranOrder: fortran,
    shape: Object.freeze(shape),
    dataOffset: prefix + headerLength,
    dataBytes,
  });
}

/** A decoded `.npy` file. */
export interface DecodedNpy {
  /**
   * The values in C order: float64 files give a Float64Array, float32 and float16 files a
   * Float32Array (exact).
   */
  readonly tensor: Tensor;
  /** How the values were stored in the file. */
  readonly storage: StorageDType;
  /** `true` if the file was in Fortran order (the tensor is in C order all the same). */
  readonly fortranOrder: boolean;
  /** The file's format version: 1, 2 or 3. */
  readonly version: 1 | 2 | 3;
}

/**
 * Decodes a complete `.npy` file: validates the header (see {@link decodeNpyHeader}) and
 * that the file holds exactly the data the header announces, then returns the values in
 * C order (Fortran-order files are transposed).
 * @throws TypeError if `bytes` is not a Uint8Array; RangeError for a damaged file (bad
 *   magic, version or header, truncated data or trailing bytes) or more than 2³¹ − 1
 *   elements.
 * @example
 * const { tensor } = decodeNpy(encodeNpy({ shape: [2], data: new Float64Array([1, 2]) }));
 * tensor; // { shape: [2], dtype: 'float64', data: Float64Array [1, 2], warnings: [] }
 */
export function decodeNpy(bytes: Uint8Array): DecodedNpy {
  const fn = 'decodeNpy';
  const h = readHeader(fn, bytes);
  checkShape(fn, h.shape, MAX_ELEMENTS);
  const expected = h.dataOffset + h.dataBytes;
  if (bytes.length !== expected) {
    rangeError(
      fn,
      'bytes',
      `a .npy file of exactly ${expected} bytes (a ${h.dataOffset}-byte header and ${h.dataBytes} bytes of ${h.descr} values for shape ${describe(h.shape)})${bytes.length < expected ? ': the file is truncated' : ': it has bytes after the data'}`,
      bytes.length,
    );
  }
  const data = allocate(memoryDType(h.dtype), h.dataBytes / BYTES_PER_ELEMENT[h.dtype]);
  decode(bytes, h.dataOffset, h.dtype, data);
  const values = h.fortranOrder && h.shape.length > 1 ? fortranToC(data, h.shape) : data;
  return Object.freeze({
    tensor: makeTensor(h.shape, values),
    storage: h.dtype,
    fortranOrder: h.fortranOrder,
    version: h.version,
  });
}

/** Reorders column-major values of `shape` into row-major order. */
function fortranToC(
  src: Float32Array | Float64Array,
  shape: readonly number[],
): Float32Array | Float64Array {
  const n = src.length;
  const out = src instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
  if (n === 0) return out;
  const k = shape.length;
  const strides: number[] = [];
  for (let j = 0, s = 1; j < k; j++) {
    strides.push(s);
    s *= shape[j];
  }
  const index = new Array<number>(k).fill(0);
  let pos = 0;
  for (let c = 0; c < n; c++) {
    out[c] = src[pos];
    // Advance the C-order multi-index (last axis fastest), keeping `pos` in Fortran strides.
    let j = k - 1;
    index[j]++;
    pos += strides[j];
    while (j > 0 && index[j] === shape[j]) {
      pos -= shape[j] * strides[j];
      index[j] = 0;
      j--;
      index[j]++;
      pos += strides[j];
    }
  }
  return out;
}
