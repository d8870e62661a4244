/**
 * Storage dtypes: how tensor values are laid out as bytes in a file (`.npy`, safetensors).
 *
 * In memory a tensor is `float32` or `float64` (see `tensor.ts`); on disk it may also be
 * IEEE-754 binary16 (`float16`) or bfloat16. This module converts between the two, always
 * little-endian and always **rounding to nearest, ties to even**, like the hardware
 * conversions (F16C `vcvtps2ph`, AVX-512 BF16) and NumPy / PyTorch.
 *
 * Rounding happens once, from the exact source value: a `float64` value converted to
 * `float16` or `bfloat16` is rounded directly from the double, never through `float32`
 * first. Rounding twice is wrong: `1 + 2⁻¹¹ + 2⁻³⁰` becomes the tie `1 + 2⁻¹¹` in
 * `float32`, which then goes to even (`1.0`, `0x3C00`) instead of up (`0x3C01`).
 *
 * NaN stays NaN: the result is a quiet NaN keeping the sign and the top bits of the payload
 * (like the hardware conversions). Infinities stay infinite, values too large for the format
 * overflow to ±Infinity, subnormal results are rounded correctly and −0 keeps its sign.
 */

import { checkChoice, checkInteger, rangeError, typeError } from './errors.js';
import type { DType } from './tensor.js';
import {
  BLOCK,
  brIf,
  compileModule,
  END,
  F32X4_ADD,
  Fn,
  I32_ADD,
  I32_GE_U,
  I32_LT_U,
  I32X4_ADD,
  I32X4_GT_S,
  I32X4_LT_S,
  I32X4_MIN_S,
  I32X4_SHR_U,
  I32X4_SUB,
  i32,
  i32x4,
  LOOP,
  moduleBytes,
  V_AND,
  V_BITSELECT,
  V_LOAD,
  V_OR,
  V_STORE,
  V128,
  type WasmMemory,
  wasmApi,
} from './wasm-assembler.js';

/** Element types a tensor can be stored as in a file. */
export type StorageDType = 'float32' | 'float64' | 'float16' | 'bfloat16';

/** All storage dtypes, for validation messages. */
export const STORAGE_DTYPES: readonly StorageDType[] = Object.freeze([
  'float32',
  'float64',
  'float16',
  'bfloat16',
]);

/** Bytes per element of each storage dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<StorageDType, number>> = Object.freeze({
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
});

/** The safetensors names of the storage dtypes. */
export type SafetensorsFloatName = 'F32' | 'F64' | 'F16' | 'BF16';

const SAFETENSORS_NAMES: Readonly<Record<StorageDType, SafetensorsFloatName>> = Object.freeze({
  float32: 'F32',
  float64: 'F64',
  float16: 'F16',
  bfloat16: 'BF16',
});

/** The NumPy `descr` strings of the storage dtypes NumPy has (little-endian). */
export type NpyDescr = '<f4' | '<f8' | '<f2';

const NPY_DESCRS: Readonly<Partial<Record<StorageDType, NpyDescr>>> = Object.freeze({
  float32: '<f4',
  float64: '<f8',
  float16: '<f2',
});

/**
 * Checks that `value` is a storage dtype.
 * @throws TypeError if `value` is not a string; RangeError if it is not one of
 *   {@link STORAGE_DTYPES}.
 * @example checkStorageDType('encodeNpy', 'dtype', 'float16') // 'float16'
 */
export function checkStorageDType(fn: string, arg: string, value: unknown): StorageDType {
  return checkChoice(fn, arg, value, STORAGE_DTYPES);
}

/**
 * Bytes per element of a storage dtype: 4, 8, 2, 2.
 * @throws TypeError / RangeError if `dtype` is not a storage dtype.
 * @example bytesPerElement('bfloat16') // 2
 */
export function bytesPerElement(dtype: StorageDType): number {
  return BYTES_PER_ELEMENT[checkStorageDType('bytesPerElement', 'dtype', dtype)];
}

/**
 * The in-memory dtype that holds a storage dtype exactly: `float64` for `float64`,
 * `float32` for the others (every float16 and bfloat16 value is a float32 value).
 * @throws TypeError / RangeError if `dtype` is not a storage dtype.
 * @example memoryDType('float16') // 'float32'
 */
export function memoryDType(dtype: StorageDType): DType {
  return checkStorageDType('memoryDType', 'dtype', dtype) === 'float64' ? 'float64' : 'float32';
}

/**
 * The safetensors dtype name (`F32`, `F64`, `F16`, `BF16`) of a storage dtype.
 * @throws TypeError / RangeError if `dtype` is not a storage dtype.
 * @example safetensorsDTypeName('bfloat16') // 'BF16'
 */
export function safetensorsDTypeName(dtype: StorageDType): SafetensorsFloatName {
  return SAFETENSORS_NAMES[checkStorageDType('safetensorsDTypeName', 'dtype', dtype)];
}

/**
 * The storage dtype of a safetensors dtype name (`F32`, `F64`, `F16`, `BF16`).
 * @throws TypeError if `name` is not a string; RangeError for any other name.
 * @example fromSafetensorsDTypeName('F16') // 'float16'
 */
export function fromSafetensorsDTypeName(name: string): StorageDType {
  const names = Object.values(SAFETENSORS_NAMES);
  const checked = checkChoice('fromSafetensorsDTypeName', 'name', name, names);
  return STORAGE_DTYPES.find((d) => SAFETENSORS_NAMES[d] === checked)!;
}

/**
 * The NumPy `descr` (`<f4`, `<f8`, `<f2`) of a storage dtype.
 * @throws TypeError / RangeError if `dtype` is not a storage dtype, or is `bfloat16`
 *   (NumPy has no bfloat16: store it as `float32`, or use safetensors).
 * @example npyDescr('float16') // '<f2'
 */
export function npyDescr(dtype: StorageDType): NpyDescr {
  const d = checkStorageDType('npyDescr', 'dtype', dtype);
  const descr = NPY_DESCRS[d];
  if (descr === undefined) {
    rangeError(
      'npyDescr',
      'dtype',
      `a dtype NumPy has (${Object.keys(NPY_DESCRS)
        .map((k) => JSON.stringify(k))
        .join(', ')}); NumPy has no bfloat16, store it as "float32" or use safetensors`,
      d,
    );
  }
  return descr;
}

/**
 * The storage dtype of a NumPy `descr` (`<f4`, `<f8`, `<f2`).
 * @throws TypeError if `descr` is not a string; RangeError for any other descr.
 * @example fromNpyDescr('<f8') // 'float64'
 */
export function fromNpyDescr(descr: string): StorageDType {
  const descrs = Object.values(NPY_DESCRS);
  const checked = checkChoice('fromNpyDescr', 'descr', descr, descrs);
  return STORAGE_DTYPES.find((d) => NPY_DESCRS[d] === checked)!;
}

// ---------------------------------------------------------------------------------------
// Bit-level views. JavaScript typed arrays use the platform's byte order; every engine in
// use is little-endian, but the big-endian case is handled (slowly) for correctness.

/** `true` when typed arrays are little-endian on this engine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of the high / low 32-bit word of a float64 in a Uint32Array view. */
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

const F64 = new Float64Array(1);
const F64_U32 = new Uint32Array(F64.buffer);
const F32 = new Float32Array(1);
const F32_U32 = new Uint32Array(F32.buffer);

/** 2^52: adding then subtracting it rounds a double in [0, 2^52) to an integer, ties to even. */
const ROUND = 4503599627370496;

/** Powers of two built by exact doubling/halving (no `Math.pow`, whose last bits vary). */
function pow2(k: number): number {
  let p = 1;
  for (let i = 0; i < k; i++) p *= 2;
  for (let i = 0; i > k; i--) p /= 2;
  return p;
}

const TWO_24 = pow2(24);
const TWO_133 = pow2(133);
/** 2^(e − 25) for the float16 exponent field e = 0..31 (index e). */
const F16_SCALE = Array.from({ length: 32 }, (_, e) => pow2(e - 25));

/**
 * float16 bits of a double given as its high word, low word and value.
 * Normal results round on the bits (round bit + sticky bits); subnormal results scale the
 * value by 2^24 (exact) and round to an integer with the 2^52 trick (ties to even).
 */
function f16FromF64Parts(hi: number, lo: number, x: number): number {
  const sign = (hi >>> 16) & 0x8000;
  const e = (hi >>> 20) & 0x7ff;
  if (e === 0x7ff) {
    if ((hi & 0xfffff) === 0 && lo === 0) return sign | 0x7c00;
    return sign | 0x7e00 | ((hi >>> 10) & 0x3ff);
  }
  const exp = e - 1023;
  if (exp > 15) return sign | 0x7c00;
  if (exp >= -14) {
    const mant = (hi >>> 10) & 0x3ff;
    const rest = hi & 0x3ff; // round bit 0x200, then 9 sticky bits (and all of `lo`)
    const h = ((exp + 15) << 10) | mant;
    // A carry out of the mantissa bumps the exponent; out of exponent 30 it gives Inf.
    if (rest > 0x200 || (rest === 0x200 && (lo !== 0 || (mant & 1) !== 0))) return sign | (h + 1);
    return sign | h;
  }
  const a = x < 0 ? -x : x;
  return sign | (a * TWO_24 + ROUND - ROUND);
}

/** float16 bits of a float32 given as its bits and value. */
function f16FromF32Parts(f: number, x: number): number {
  const sign = (f >>> 16) & 0x8000;
  const e = (f >>> 23) & 0xff;
  if (e === 0xff) {
    if ((f & 0x7fffff) === 0) return sign | 0x7c00;
    return sign | 0x7e00 | ((f >>> 13) & 0x3ff);
  }
  const exp = e - 127;
  if (exp > 15) return sign | 0x7c00;
  if (exp >= -14) {
    const mant = (f >>> 13) & 0x3ff;
    const rest = f & 0x1fff; // round bit 0x1000, then 12 sticky bits
    const h = ((exp + 15) << 10) | mant;
    if (rest > 0x1000 || (rest === 0x1000 && (mant & 1) !== 0)) return sign | (h + 1);
    return sign | h;
  }
  const a = x < 0 ? -x : x;
  return sign | (a * TWO_24 + ROUND - ROUND);
}

/** bfloat16 bits of a double given as its high word, low word and value. */
function bf16FromF64Parts(hi: number, lo: number, x: number): number {
  const sign = (hi >>> 16) & 0x8000;
  const e = (hi >>> 20) & 0x7ff;
  if (e === 0x7ff) {
    if ((hi & 0xfffff) === 0 && lo === 0) return sign | 0x7f80;
    return sign | 0x7fc0 | ((hi >>> 13) & 0x7f);
  }
  const exp = e - 1023;
  if (exp > 127) return sign | 0x7f80;
  if (exp >= -126) {
    const mant = (hi >>> 13) & 0x7f;
    const rest = hi & 0x1fff; // round bit 0x1000, then 12 sticky bits (and all of `lo`)
    const b = ((exp + 127) << 7) | mant;
    if (rest > 0x1000 || (rest === 0x1000 && (lo !== 0 || (mant & 1) !== 0))) return sign | (b + 1);
    return sign | b;
  }
  const a = x < 0 ? -x : x;
  return sign | (a * TWO_133 + ROUND - ROUND);
}

/**
 * bfloat16 bits of float32 bits (as a signed or unsigned 32-bit integer): add 0x7fff plus the
 * lowest kept bit, keep the top half; NaN: quiet it, keep the sign and top payload bits. The
 * sum is taken modulo 2³² (`| 0`), which is exact for every non-NaN pattern (it stays below
 * 0xff80 << 16 + 0x8000) and keeps the arithmetic in 32-bit integers.
 */
function bf16FromF32Bits(f: number): number {
  if ((f & 0x7fffffff) > 0x7f800000) return (f >>> 16) | 0x0040;
  return ((f + 0x7fff + ((f >>> 16) & 1)) | 0) >>> 16;
}

/**
 * Rounds a number to IEEE-754 binary16 (float16), to nearest with ties to even, and returns
 * its 16 bits. The number is taken as the exact double it is (a float32 value gives the same
 * bits as converting from float32). Overflow (|x| ≥ 65520) gives ±Infinity (`0x7C00`);
 * NaN gives a quiet NaN keeping the sign and top payload bits; −0 gives `0x8000`.
 *
 * Format: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits; largest finite 65504
 * (`0x7BFF`), smallest subnormal 2⁻²⁴ (`0x0001`).
 * @throws TypeError if `x` is not a number.
 * @example toFloat16Bits(1) // 0x3c00
 * @example toFloat16Bits(0.1) // 0x2e66
 * @example toFloat16Bits(65520) // 0x7c00 (Infinity)
 */
export function toFloat16Bits(x: number): number {
  if (typeof x !== 'number') typeError('toFloat16Bits', 'x', 'a number', x);
  F64[0] = x;
  return f16FromF64Parts(F64_U32[HI], F64_U32[LO], x);
}

/**
 * Rounds a number to bfloat16, to nearest with ties to even, and returns its 16 bits. The
 * number is taken as the exact double it is. bfloat16 is the top half of a float32: 1 sign
 * bit, 8 exponent bits (bias 127), 7 mantissa bits; largest finite ≈ 3.3895e38 (`0x7F7F`),
 * smallest subnormal 2⁻¹³³ (`0x0001`). Overflow gives ±Infinity (`0x7F80`); NaN gives a
 * quiet NaN keeping the sign and top payload bits; −0 gives `0x8000`.
 * @throws TypeError if `x` is not a number.
 * @example toBFloat16Bits(1) // 0x3f80
 * @example toBFloat16Bits(0.1) // 0x3dcd
 */
export function toBFloat16Bits(x: number): number {
  if (typeof x !== 'number') typeError('toBFloat16Bits', 'x', 'a number', x);
  F64[0] = x;
  return bf16FromF64Parts(F64_U32[HI], F64_U32[LO], x);
}

/**
 * The value of 16 float16 bits (exact: every float16 is a float32 and a double). NaN bit
 * patterns give `NaN` (the payload is not kept).
 * @throws TypeError / RangeError if `bits` is not an integer in [0, 65535].
 * @example fromFloat16Bits(0x3c00) // 1
 * @example fromFloat16Bits(0x0001) // 5.960464477539063e-8 (2⁻²⁴)
 */
export function fromFloat16Bits(bits: number): number {
  checkInteger('fromFloat16Bits', 'bits', bits, 0, 0xffff);
  return f16Value(bits);
}

function f16Value(h: number): number {
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  const s = h & 0x8000 ? -1 : 1;
  if (e === 0) return s * m * F16_SCALE[1]; // m · 2⁻²⁴, and ±0
  if (e === 31) return m === 0 ? s * Infinity : Number.NaN;
  return s * (1024 + m) * F16_SCALE[e];
}

/**
 * The value of 16 bfloat16 bits (exact). NaN bit patterns give `NaN`.
 * @throws TypeError / RangeError if `bits` is not an integer in [0, 65535].
 * @example fromBFloat16Bits(0x3f80) // 1
 * @example fromBFloat16Bits(0x3dcd) // 0.10009765625
 */
export function fromBFloat16Bits(bits: number): number {
  checkInteger('fromBFloat16Bits', 'bits', bits, 0, 0xffff);
  F32_U32[0] = bits << 16;
  return F32[0];
}

// ---------------------------------------------------------------------------------------
// Bulk conversion.

/** Elements converted per step through the scratch buffers. */
const CHUNK = 4096;
const SCRATCH = new ArrayBuffer(CHUNK * 8);
const SCRATCH_F32 = new Float32Array(SCRATCH);
const SCRATCH_F64 = new Float64Array(SCRATCH);
const SCRATCH_U32 = new Uint32Array(SCRATCH);
const SCRATCH_U16 = new Uint16Array(SCRATCH);
const SCRATCH_U8 = new Uint8Array(SCRATCH);

let f16Table: Float32Array | undefined;
/** float16 bits → value, for all 65536 patterns (256 KiB, built on first use). */
function float16Table(): Float32Array {
  if (f16Table === undefined) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16Value(h);
  }
  return f16Table;
}

function checkFloatArray(fn: string, arg: string, value: unknown): Float32Array | Float64Array {
  if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    typeError(fn, arg, 'a Float32Array or a Float64Array', value);
  }
  return value;
}

function checkBytes(fn: string, arg: string, value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) typeError(fn, arg, 'a Uint8Array', value);
  return value;
}

/** float16 bits of `src[begin .. begin + k)` into `words[0 .. k)`. */
function halfChunk(
  src: Float32Array | Float64Array,
  begin: number,
  k: number,
  words: Uint16Array,
): void {
  if (src instanceof Float32Array) {
    const bits = new Uint32Array(src.buffer, src.byteOffset + 4 * begin, k);
    for (let i = 0; i < k; i++) words[i] = f16FromF32Parts(bits[i], src[begin + i]);
  } else {
    const parts = new Uint32Array(src.buffer, src.byteOffset + 8 * begin, 2 * k);
    for (let i = 0; i < k; i++) {
      words[i] = f16FromF64Parts(parts[2 * i + HI], parts[2 * i + LO], src[begin + i]);
    }
  }
}

/** bfloat16 bits of `src[begin .. begin + k)` into `words[0 .. k)`. */
function bfloatChunk(
  src: Float32Array | Float64Array,
  begin: number,
  k: number,
  words: Uint16Array,
): void {
  if (src instanceof Float32Array) {
    const bits = new Int32Array(src.buffer, src.byteOffset + 4 * begin, k);
    for (let i = 0; i < k; i++) words[i] = bf16FromF32Bits(bits[i]);
  } else {
    const parts = new Uint32Array(src.buffer, src.byteOffset + 8 * begin, 2 * k);
    for (let i = 0; i < k; i++) {
      words[i] = bf16FromF64Parts(parts[2 * i + HI], parts[2 * i + LO], src[begin + i]);
    }
  }
}

/**
 * Encodes values as little-endian bytes of a storage dtype into `out` at `outOffset`, and
 * returns the number of bytes written (`src.length × bytesPerElement(dtype)`).
 *
 * float32 from float32 and float64 from either are exact copies; float32 from float64
 * rounds to nearest even (`Math.fround`); float16 and bfloat16 round to nearest even once,
 * from the exact source value (float64 sources are never rounded through float32 first:
 * that double rounding gives wrong results on ties). See {@link toFloat16Bits},
 * {@link toBFloat16Bits} for NaN, infinities and overflow.
 *
 * Fast: no allocation per element (bit views on the source, 16-bit words written straight
 * into `out` when aligned, one shared scratch buffer otherwise).
 * To encode a range, pass `src.subarray(begin, end)`.
 * @throws TypeError if `src` is not a Float32Array/Float64Array, `out` not a Uint8Array, or
 *   `dtype` not a string; RangeError for an unknown dtype, a bad offset, or `out` too small.
 * @example
 * const out = new Uint8Array(4);
 * encode(new Float32Array([1, -2]), 'float16', out, 0); // 4; out = [0x00, 0x3c, 0x00, 0xc0]
 */
export function encode(
  src: Float32Array | Float64Array,
  dtype: StorageDType,
  out: Uint8Array,
  outOffset: number,
): number {
  const fn = 'encode';
  checkFloatArray(fn, 'src', src);
  const d = checkStorageDType(fn, 'dtype', dtype);
  checkBytes(fn, 'out', out);
  checkInteger(fn, 'outOffset', outOffset, 0, out.length);
  const n = src.length;
  const size = BYTES_PER_ELEMENT[d];
  const bytes = n * size;
  if (out.length - outOffset < bytes) {
    rangeError(
      fn,
      'out',
      `at least ${outOffset + bytes} bytes long (${n} ${d} values from offset ${outOffset})`,
      out,
    );
  }
  if (d === 'float16' || d === 'bfloat16') {
    // Write 16-bit words straight into `out` when it is aligned; else through the scratch.
    const aligned = LITTLE_ENDIAN && (out.byteOffset + outOffset) % 2 === 0;
    for (let begin = 0; begin < n; begin += CHUNK) {
      const k = Math.min(CHUNK, n - begin);
      const words = aligned
        ? new Uint16Array(out.buffer, out.byteOffset + outOffset + 2 * begin, k)
        : SCRATCH_U16;
      if (d === 'float16') halfChunk(src, begin, k, words);
      else bfloatChunk(src, begin, k, words);
      if (!aligned) {
        for (let i = 0, o = outOffset + 2 * begin; i < k; i++, o += 2) {
          const h = words[i];
          out[o] = h & 0xff;
          out[o + 1] = h >>> 8;
        }
      }
    }
    return bytes;
  }
  if (!LITTLE_ENDIAN) {
    const view = new DataView(out.buffer, out.byteOffset, out.length);
    for (let i = 0; i < n; i++) {
      if (d === 'float32') view.setFloat32(outOffset + 4 * i, src[i], true);
      else view.setFloat64(outOffset + 8 * i, src[i], true);
    }
    return bytes;
  }
  if (
    (d === 'float32' && src instanceof Float32Array) ||
    (d === 'float64' && src instanceof Float64Array)
  ) {
    out.set(new Uint8Array(src.buffer, src.byteOffset, bytes), outOffset);
    return bytes;
  }
  // float32 ↔ float64 through the scratch buffer.
  const scratch = d === 'float32' ? SCRATCH_F32 : SCRATCH_F64;
  for (let begin = 0; begin < n; begin += CHUNK) {
    const k = Math.min(CHUNK, n - begin);
    for (let i = 0; i < k; i++) scratch[i] = src[begin + i];
    out.set(SCRATCH_U8.subarray(0, k * size), outOffset + begin * size);
  }
  return bytes;
}

/**
 * Decodes `out.length` little-endian values of a storage dtype from `src` at `srcOffset`
 * into `out`, and returns the number of bytes read.
 *
 * Every float16, bfloat16 and float32 value is exact in a Float32Array or Float64Array;
 * float64 values decoded into a Float32Array are rounded to nearest even (`Math.fround`).
 * NaN payloads are not kept.
 * @throws TypeError if `src` is not a Uint8Array or `out` not a Float32Array/Float64Array;
 *   RangeError for an unknown dtype, a bad offset, or `src` too short.
 * @example
 * const out = new Float32Array(2);
 * decode(new Uint8Array([0x00, 0x3c, 0x00, 0xc0]), 0, 'float16', out); // 4; out = [1, -2]
 */
export function decode(
  src: Uint8Array,
  srcOffset: number,
  dtype: StorageDType,
  out: Float32Array | Float64Array,
): number {
  const fn = 'decode';
  checkBytes(fn, 'src', src);
  checkInteger(fn, 'srcOffset', srcOffset, 0, src.length);
  const d = checkStorageDType(fn, 'dtype', dtype);
  checkFloatArray(fn, 'out', out);
  const n = out.length;
  const size = BYTES_PER_ELEMENT[d];
  const bytes = n * size;
  if (src.length - srcOffset < bytes) {
    rangeError(
      fn,
      'src',
      `at least ${srcOffset + bytes} bytes long (${n} ${d} values from offset ${srcOffset})`,
      src,
    );
  }
  if (d === 'float16') {
    const table = float16Table();
    for (let i = 0, o = srcOffset; i < n; i++, o += 2) out[i] = table[src[o] | (src[o + 1] << 8)];
    return bytes;
  }
  if (d === 'bfloat16') {
    for (let begin = 0; begin < n; begin += CHUNK) {
      const k = Math.min(CHUNK, n - begin);
      for (let i = 0, o = srcOffset + 2 * begin; i < k; i++, o += 2) {
        SCRATCH_U32[i] = ((src[o] | (src[o + 1] << 8)) << 16) >>> 0;
      }
      for (let i = 0; i < k; i++) out[begin + i] = SCRATCH_F32[i];
    }
    return bytes;
  }
  if (!LITTLE_ENDIAN) {
    const view = new DataView(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < n; i++) {
      out[i] =
        d === 'float32'
          ? view.getFloat32(srcOffset + 4 * i, true)
          : view.getFloat64(srcOffset + 8 * i, true);
    }
    return bytes;
  }
  if (
    (d === 'float32' && out instanceof Float32Array) ||
    (d === 'float64' && out instanceof Float64Array)
  ) {
    new Uint8Array(out.buffer, out.byteOffset, bytes).set(
      src.subarray(srcOffset, srcOffset + bytes),
    );
    return bytes;
  }
  const scratch = d === 'float32' ? SCRATCH_F32 : SCRATCH_F64;
  for (let begin = 0; begin < n; begin += CHUNK) {
    const k = Math.min(CHUNK, n - begin);
    const o = srcOffset + begin * size;
    SCRATCH_U8.set(src.subarray(o, o + k * size));
    for (let i = 0; i < k; i++) out[begin + i] = scratch[i];
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------
// float32 → bfloat16 or float16 in WebAssembly SIMD: 8 values per step, the same bits as
// `bf16FromF32Bits` and `f16FromF32Parts`; each lane's 16 bits are computed in its 32-bit lane,
// then the halves of the eight lanes are gathered by one shuffle. Comparisons and minima are
// signed (their operands are magnitudes, < 2³¹): x64 has no unsigned i32x4 compare, and V8
// emulates one with three instructions.

/** The 16-bit storage dtypes. */
export type HalfDType = 'float16' | 'bfloat16';

const splat = (x: number) => i32x4(x, x, x, x);
/**
 * Leaves on the stack the bfloat16 bits (in the top halves) of the 4 float32 at `src + offset`:
 * x + 0x7fff + ((x >>> 16) & 1), or x | 0x400000 for a NaN.
 */
function bf16Lanes(f: Fn, offset: number): void {
  f.set('x', 'src', V_LOAD(offset, 2));
  f.emit('x', splat(0x400000), V_OR);
  f.emit('x', splat(0x7fff), I32X4_ADD, 'x', i32(16), I32X4_SHR_U, splat(1), V_AND, I32X4_ADD);
  f.emit('x', splat(0x7fffffff), V_AND, splat(0x7f800000), I32X4_GT_S, V_BITSELECT);
}

/**
 * Leaves on the stack the float16 bits (in the low halves) of the 4 float32 at `src + offset`,
 * by magnitude a = |x|: a NaN is quieted (0x7e00 and the top payload bits); a ≥ 2⁻¹⁴ is
 * rebiased (exponent 127 → 15), rounded to nearest even on its 13 dropped bits and capped at
 * Inf (a carry into exponent 31 is Inf already); a < 2⁻¹⁴ is a·2²⁴ rounded to an integer
 * (ties to even) by one float32 addition. Then the sign.
 */
function f16Lanes(f: Fn, offset: number): void {
  f.set('x', 'src', V_LOAD(offset, 2));
  f.set('a', 'x', splat(0x7fffffff), V_AND);
  f.set(
    'n',
    ...['a', splat(0x38000000 - 0xfff), I32X4_SUB, 'a', i32(13), I32X4_SHR_U, splat(1), V_AND],
    ...[I32X4_ADD, i32(13), I32X4_SHR_U, splat(0x7c00), I32X4_MIN_S],
  );
  // a·2²⁴ rounded: a + 0.5 rounds to a multiple of 2⁻²⁴ (the spacing at 0.5), ties to even.
  f.emit('a', splat(0x3f000000), F32X4_ADD, splat(0x3f000000), I32X4_SUB);
  f.emit('n', 'a', splat(0x38800000), I32X4_LT_S, V_BITSELECT);
  f.set('n');
  f.emit('a', i32(13), I32X4_SHR_U, splat(0x3ff), V_AND, splat(0x7e00), V_OR);
  f.emit('n', 'a', splat(0x7f800000), I32X4_GT_S, V_BITSELECT);
  f.emit('x', i32(16), I32X4_SHR_U, splat(0x8000), V_AND, V_OR);
}

/** `encode(src, dst, end)`: the float32 at [src, end) (32-byte steps) as `dtype` at dst. */
function halfModuleBytes(dtype: HalfDType): Uint8Array {
  const f = new Fn('encode', ['src', 'dst', 'end']);
  f.local(V128, 'x', 'a', 'n', 'h');
  const lanes = dtype === 'bfloat16' ? bf16Lanes : f16Lanes;
  // Bytes 2h, 2h + 1 of every 32-bit lane of (first, second): the 16-bit results.
  const h = dtype === 'bfloat16' ? 2 : 0;
  const gather = [0xfd, 0x0d, ...Array.from({ length: 16 }, (_, i) => 4 * (i >> 1) + h + (i & 1))];
  f.emit(BLOCK, 'src', 'end', I32_GE_U, brIf(0), LOOP);
  f.emit('dst');
  lanes(f, 0);
  f.set('h');
  f.emit('h');
  lanes(f, 16);
  f.emit(gather, V_STORE(0, 1));
  f.set('src', 'src', i32(32), I32_ADD);
  f.set('dst', 'dst', i32(16), I32_ADD);
  f.emit('src', 'end', I32_LT_U, brIf(0), END, END);
  return moduleBytes([f], 1);
}

const halfModules: Partial<Record<HalfDType, object | null>> = {};

/** A kernel instance for `dtype` on `memory`, or null without WebAssembly SIMD. */
function halfKernel(
  dtype: HalfDType,
  memory: WasmMemory,
): ((src: number, dst: number, end: number) => void) | null {
  if (!LITTLE_ENDIAN) return null;
  let module = halfModules[dtype];
  if (module === undefined)
    module = halfModules[dtype] = compileModule(() => halfModuleBytes(dtype));
  if (module === null) return null;
  try {
    const instance = new (wasmApi()!.Instance)(module, { env: { memory } });
    return instance.exports.encode as (src: number, dst: number, end: number) => void;
  } catch {
    return null;
  }
}

/** `dtype` bits of the float32 `values[begin, end)` (`bits`: the same memory) into `dst`. */
function halfLoop(
  dtype: HalfDType,
  bits: Int32Array,
  values: Float32Array,
  dst: Uint16Array,
  begin: number,
  end: number,
): void {
  if (dtype === 'bfloat16') {
    for (let i = begin; i < end; i++) dst[i - begin] = bf16FromF32Bits(bits[i]);
  } else {
    for (let i = begin; i < end; i++) dst[i - begin] = f16FromF32Parts(bits[i], values[i]);
  }
}

/** Buffers for encoding float32 values as float16 or bfloat16 without copies: see {@link halfWorkspace}. */
export interface HalfWorkspace {
  /** The dtype the workspace encodes to. */
  readonly dtype: HalfDType;
  /** Where the values to encode go: `capacity` float32 elements. */
  readonly input: Float32Array;
  /**
   * The output byte buffers, `outputBytes` each (default `2 × capacity`). With the SIMD kernel
   * they lie in a WebAssembly memory at multiples of 4 KiB from its page-aligned start, so
   * they are aligned to 4 KiB in the process's memory (for `O_DIRECT` writes).
   */
  readonly outputs: readonly Uint8Array[];
  /** Whether the WebAssembly SIMD kernel encodes (else the JavaScript loop: the same bits). */
  readonly simd: boolean;
  /**
   * Encodes `input[0, n)` as little-endian `dtype` into `outputs[which]` from byte `offset`
   * (even; default 0) and returns the number of bytes, `2n`. The same bits as
   * `encode(input.subarray(0, n), dtype, outputs[which], offset)`.
   */
  encode(n: number, which: number, offset?: number): number;
}

/**
 * A float32 input buffer of `capacity` elements and `outputs` byte buffers of `outputBytes`
 * (at least and by default `2 × capacity`) bytes, all in one WebAssembly memory, so that
 * float16 or bfloat16 encoding (rounding to nearest even, NaN kept quiet, exactly as
 * {@link encode}) runs as a SIMD kernel with no copy in or out — several times faster than the
 * JavaScript loop, which is the fallback where WebAssembly SIMD is missing (plain buffers then).
 * Fill `input`, call `encode(n, k)`, use `outputs[k]`: the buffers are reused, never
 * reallocated; the workspace is freed with its last reference.
 * @throws TypeError / RangeError if `dtype` is not `float16` or `bfloat16`, `capacity` not an
 *   integer in [1, 2²⁸], `outputs` not in [1, 8] or `outputBytes` not in [2 × capacity, 2³⁰].
 * @example
 * const w = halfWorkspace('bfloat16', 4);
 * w.input.set([1, -2, 0.1, Number.NaN]);
 * w.encode(4, 0); // 8; w.outputs[0] = [0x80, 0x3f, 0x00, 0xc0, 0xcd, 0x3d, 0xc0, 0x7f]
 */
export function halfWorkspace(
  dtype: HalfDType,
  capacity: number,
  outputs = 2,
  outputBytes = 2 * capacity,
): HalfWorkspace {
  const fn = 'halfWorkspace';
  checkChoice(fn, 'dtype', dtype, ['float16', 'bfloat16']);
  checkInteger(fn, 'capacity', capacity, 1, 2 ** 28);
  checkInteger(fn, 'outputs', outputs, 1, 8);
  checkInteger(fn, 'outputBytes', outputBytes, 2 * capacity, 2 ** 30);
  // Regions at multiples of 4 KiB: the input, then each output.
  const inBytes = Math.ceil((4 * capacity) / 4096) * 4096;
  const outBytes = Math.ceil(outputBytes / 4096) * 4096;
  const total = inBytes + outputs * outBytes;
  const api = LITTLE_ENDIAN ? wasmApi() : undefined;
  let memory: WasmMemory | undefined;
  let kernel: ((src: number, dst: number, end: number) => void) | null = null;
  if (api !== undefined) {
    try {
      memory = new api.Memory({ initial: Math.ceil(total / 65536) });
      kernel = halfKernel(dtype, memory);
    } catch {
      kernel = null;
    }
  }
  const buffer = kernel !== null && memory !== undefined ? memory.buffer : new ArrayBuffer(total);
  const input = new Float32Array(buffer, 0, capacity);
  const bits = new Int32Array(buffer, 0, capacity);
  const outs = Array.from(
    { length: outputs },
    (_, k) => new Uint8Array(buffer, inBytes + k * outBytes, outputBytes),
  );
  return {
    dtype,
    input,
    outputs: outs,
    simd: kernel !== null,
    encode(n, which, offset = 0) {
      const f = 'HalfWorkspace.encode';
      checkInteger(f, 'n', n, 0, capacity);
      checkInteger(f, 'which', which, 0, outputs - 1);
      checkInteger(f, 'offset', offset, 0, outputBytes - 2 * n);
      if (offset % 2 !== 0) rangeError(f, 'offset', 'an even number of bytes', offset);
      const at = outs[which].byteOffset + offset;
      const simd = kernel === null ? 0 : n & ~7;
      if (simd > 0) kernel!(0, at, 4 * simd);
      if (simd < n)
        halfLoop(dtype, bits, input, new Uint16Array(buffer, at + 2 * simd, n - simd), simd, n);
      return 2 * n;
    },
  };
}
