/**
 * Keys of Philox streams, and their derivation from a seed and a stream name.
 *
 * A {@link Key} is the 64-bit Philox key (two u32 words). {@link deriveKey} turns a seed and a
 * stream name (for example a parameter's name) into a key, so every named stream of a seed is
 * independent of the others and of the order in which they are used; {@link deriveChildKey}
 * does the same from a parent key (the `child(name)` of a random source).
 */

import { rangeError, typeError } from '../tensor/errors.js';
import { philoxRef } from './philox.js';

/** A 64-bit Philox key: two u32 words. */
export interface Key {
  readonly k0: number;
  readonly k1: number;
}

/** A seed: a safe integer ≥ 0 (a `number`) or a `bigint` in [0, 2⁶⁴). `5` and `5n` are the same seed. */
export type Seed = number | bigint;

const TWO_32 = 2 ** 32;
const encoder = new TextEncoder();
const block = new Uint32Array(4);
const outWords = new Uint32Array(4);
// A lone UTF-16 surrogate (not part of a pair): UTF-8 cannot encode it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Checks that `value` is a {@link Key}: an object with u32 `k0` and `k1`. @internal */
export function checkKey(fn: string, value: unknown, arg = 'key'): Key {
  if (value === null || typeof value !== 'object') {
    typeError(fn, arg, 'a key { k0, k1 } (see deriveKey)', value);
  }
  const { k0, k1 } = value as Key;
  for (const [name, w] of [
    ['k0', k0],
    ['k1', k1],
  ] as const) {
    if (typeof w !== 'number') typeError(fn, `${arg}.${name}`, 'a u32 integer', w);
    if (!Number.isInteger(w) || w < 0 || w >= TWO_32) {
      rangeError(fn, `${arg}.${name}`, 'an integer in [0, 4294967295]', w);
    }
  }
  return value as Key;
}

/** Checks a seed and returns its (low, high) u32 words. @internal */
export function seedWords(fn: string, seed: unknown, arg = 'seed'): [number, number] {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) {
      rangeError(fn, arg, 'a bigint in [0, 2^64) or a safe integer >= 0', seed);
    }
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (typeof seed !== 'number') {
    typeError(fn, arg, 'a safe integer >= 0 or a bigint in [0, 2^64)', seed);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    rangeError(fn, arg, 'a safe integer >= 0 or a bigint in [0, 2^64)', seed);
  }
  const lo = seed % TWO_32;
  return [lo, (seed - lo) / TWO_32];
}

function checkName(fn: string, arg: string, name: unknown): string {
  if (typeof name !== 'string') typeError(fn, arg, 'a string', name);
  if (LONE_SURROGATE.test(name)) {
    rangeError(fn, arg, 'a well-formed string (no lone UTF-16 surrogate)', name);
  }
  return name;
}

/** The compression: absorbs `name` into the key (k0, k1). See {@link deriveKey}. */
function absorb(k0: number, k1: number, name: string): Key {
  const bytes = encoder.encode(name);
  const n = bytes.length;
  // utf8 ‖ zero padding ‖ u32 LE byte length, a multiple of 16 bytes (at least one block).
  const total = Math.ceil((n + 4) / 16) * 16;
  const msg = new Uint8Array(total);
  msg.set(bytes);
  const view = new DataView(msg.buffer);
  view.setUint32(total - 4, n, true);
  let a = k0;
  let b = k1;
  for (let off = 0; off < total; off += 16) {
    for (let w = 0; w < 4; w++) block[w] = view.getUint32(off + 4 * w, true);
    philoxRef(block[0], block[1], block[2], block[3], a, b, 10, outWords);
    a = (outWords[0] ^ a) >>> 0;
    b = (outWords[1] ^ b) >>> 0;
  }
  return Object.freeze({ k0: a, k1: b });
}

/**
 * The key of the stream named `stream` of `seed`.
 *
 * Construction (Philox itself is the compression function, Davies–Meyer style, so no other
 * primitive is needed):
 * 1. key ← (seed mod 2³², ⌊seed / 2³²⌋);
 * 2. message ← UTF-8(stream) ‖ zero bytes ‖ byteLength as a u32 little-endian, the zero bytes
 *    making the length the smallest multiple of 16 that holds the name and the 4-byte length
 *    (so the empty name is one block of zeros, and the last word of the last block is always
 *    the byte length);
 * 3. for each 16-byte block, read as 4 little-endian u32 words c:
 *    (o0, o1, o2, o3) = Philox4x32-10(counter = c, key), key ← (o0 ⊕ key.k0, o1 ⊕ key.k1).
 *
 * The same (seed, stream) always gives the same key; the empty name still goes through one
 * block, so `deriveKey(s)` and `deriveKey(s, '')` are equal and differ from the raw seed words.
 * A number seed and the equal bigint give the same key. Not a cryptographic construction:
 * collisions between names are as unlikely as in a 64-bit random function (≈ n²/2⁶⁵).
 *
 * @param seed - a safe integer ≥ 0 or a bigint in [0, 2⁶⁴).
 * @param stream - the stream's name (default `''`), a well-formed string.
 * @returns the frozen key `{ k0, k1 }`.
 * @throws TypeError if `seed` is not a number or bigint, or `stream` not a string; RangeError
 *   if `seed` is out of range or not an integer, or `stream` holds a lone surrogate.
 * @example
 * ```ts
 * deriveKey(0); // { k0: 2843356432, k1: 3064521066 }
 * ```
 */
export function deriveKey(seed: Seed, stream = ''): Key {
  const fn = 'deriveKey';
  const [lo, hi] = seedWords(fn, seed);
  return absorb(lo, hi, checkName(fn, 'stream', stream));
}

/**
 * The key of the child stream `name` of a parent key: the construction of {@link deriveKey}
 * started from the parent key instead of the seed's words, i.e.
 * `deriveChildKey(deriveKey(s, a), b)` absorbs `a`, then `b`, each with its own length block.
 * (So it differs from `deriveKey(s, a + b)` and from `deriveKey(s, a + '/' + b)`.)
 *
 * @param key - the parent key.
 * @param name - the child's name, a well-formed string.
 * @throws TypeError if `key` is not a key or `name` not a string; RangeError for a key word
 *   out of range or a lone surrogate in `name`.
 * @example
 * ```ts
 * deriveChildKey(deriveKey(0), 'column-3');
 * ```
 */
export function deriveChildKey(key: Key, name: string): Key {
  const fn = 'deriveChildKey';
  const k = checkKey(fn, key);
  return absorb(k.k0, k.k1, checkName(fn, 'name', name));
}
