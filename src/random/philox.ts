/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror & Shaw, "Parallel Random
 * Numbers: As Easy as 1, 2, 3" (SC'11), as in D. E. Shaw Research's Random123 library.
 *
 * One call maps a 128-bit counter (4 × u32) and a 64-bit key (2 × u32) to 4 random u32 words.
 * A round, with M0 = 0xD2511F53 and M1 = 0xCD9E8D57:
 *
 *   (hi0, lo0) = M0 · c0,  (hi1, lo1) = M1 · c2          (full 64-bit products)
 *   c ← (hi1 ⊕ c1 ⊕ k0, lo1, hi0 ⊕ c3 ⊕ k1, lo0)
 *
 * and the key is bumped between rounds: k0 += 0x9E3779B9, k1 += 0xBB67AE85 (mod 2³²).
 *
 * Two implementations live here: {@link philox4x32}, a plain reference (mulhi from 16-bit
 * pieces), and {@link philoxBlocks}, the fast block fill used by every sampler (10 rounds
 * unrolled, 4 blocks interleaved for instruction-level parallelism, exact mulhi in float64).
 * Tests check both against Random123's known-answer vectors and against each other.
 */

import { checkInteger, rangeError, typeError } from '../tensor/errors.js';

/** Philox4x32 round multipliers and Weyl key increments (Random123 `philox.h`). */
export const PHILOX_M0 = 0xd2511f53;
export const PHILOX_M1 = 0xcd9e8d57;
export const PHILOX_W0 = 0x9e3779b9;
export const PHILOX_W1 = 0xbb67ae85;

const M0 = PHILOX_M0;
const M1 = PHILOX_M1;
const W0 = PHILOX_W0 | 0;
const W1 = PHILOX_W1 | 0;
const TWO_M32 = 2 ** -32;
const TWO_32 = 2 ** 32;

/** High 32 bits of the 64-bit product a·m (a, m u32), from exact 16-bit partial products. */
function mulhiRef(a: number, m: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const ml = m & 0xffff;
  const mh = m >>> 16;
  const ll = al * ml; // each partial product < 2^32: exact
  const lh = al * mh;
  const hl = ah * ml;
  const hh = ah * mh;
  const mid = Math.floor(ll / 65536) + (lh % 65536) + (hl % 65536);
  return (hh + Math.floor(lh / 65536) + Math.floor(hl / 65536) + Math.floor(mid / 65536)) >>> 0;
}

function checkWords(fn: string, arg: string, value: unknown, length: number): ArrayLike<number> {
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as ArrayLike<number>).length !== 'number'
  ) {
    typeError(fn, arg, `an array of ${length} u32 words`, value);
  }
  const words = value as ArrayLike<number>;
  if (words.length !== length) rangeError(fn, arg, `an array of ${length} u32 words`, value);
  for (let i = 0; i < length; i++) {
    const w = words[i];
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 0xffffffff) {
      rangeError(fn, `${arg}[${i}]`, 'an integer in [0, 4294967295]', w);
    }
  }
  return words;
}

/**
 * Philox4x32-R on one counter: the reference implementation (plain, slow, obviously exact).
 *
 * @param counter - 4 u32 words (c0, c1, c2, c3).
 * @param key - 2 u32 words (k0, k1).
 * @param rounds - number of rounds, 10 by default (Philox4x32-10); 0 … 16 accepted.
 * @returns the 4 output words.
 * @throws TypeError if `counter` or `key` is not array-like; RangeError if it has the wrong
 *   length or a word outside [0, 2³²), or if `rounds` is not an integer in [0, 16].
 * @example
 * ```ts
 * // Random123 known-answer vector "philox4x32 10", all-zero counter and key:
 * philox4x32([0, 0, 0, 0], [0, 0]); // Uint32Array [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 * ```
 */
export function philox4x32(
  counter: ArrayLike<number>,
  key: ArrayLike<number>,
  rounds = 10,
): Uint32Array {
  const fn = 'philox4x32';
  const c = checkWords(fn, 'counter', counter, 4);
  const k = checkWords(fn, 'key', key, 2);
  checkInteger(fn, 'rounds', rounds, 0, 16);
  const out = new Uint32Array(4);
  philoxRef(c[0], c[1], c[2], c[3], k[0], k[1], rounds, out);
  return out;
}

/**
 * Philox4x32-R on one counter without argument checks: the reference rounds behind
 * {@link philox4x32}, also used for key derivation (any counter, not only block indexes).
 *
 * @internal
 */
export function philoxRef(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  rounds: number,
  out: Uint32Array,
): void {
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + PHILOX_W0) >>> 0;
      k1 = (k1 + PHILOX_W1) >>> 0;
    }
    const hi0 = mulhiRef(c0, M0);
    const lo0 = Math.imul(c0, M0) >>> 0;
    const hi1 = mulhiRef(c2, M1);
    const lo1 = Math.imul(c2, M1) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/**
 * Philox4x32-10 on `nBlocks` consecutive counters, without argument checks (the samplers' hot
 * path). Block j (0 ≤ j < nBlocks) has counter (b mod 2³², ⌊b / 2³²⌋, c2, c3) with
 * b = firstBlock + j, and its 4 output words go to out[outOffset + 4j … outOffset + 4j + 3].
 *
 * Exact mulhi in float64: for a u32 `a` and multiplier M, p = fl(M·a) is within 2¹¹ of the
 * exact product (< 2⁶⁴), L = Math.imul(M, a) >>> 0 is its exact low word, so
 * (p − L)·2⁻³² = H + e with |e| < 2⁻¹⁹; adding 0.5 and truncating (the ToInt32 that `^`
 * applies) gives exactly H, the high word.
 *
 * @internal
 */
export function philoxBlocksRaw(
  k0: number,
  k1: number,
  firstBlock: number,
  c2: number,
  c3: number,
  nBlocks: number,
  out: Uint32Array,
  outOffset: number,
): void {
  const ka0 = (k0 + Math.imul(0, W0)) | 0;
  const kb0 = (k1 + Math.imul(0, W1)) | 0;
  const ka1 = (k0 + Math.imul(1, W0)) | 0;
  const kb1 = (k1 + Math.imul(1, W1)) | 0;
  const ka2 = (k0 + Math.imul(2, W0)) | 0;
  const kb2 = (k1 + Math.imul(2, W1)) | 0;
  const ka3 = (k0 + Math.imul(3, W0)) | 0;
  const kb3 = (k1 + Math.imul(3, W1)) | 0;
  const ka4 = (k0 + Math.imul(4, W0)) | 0;
  const kb4 = (k1 + Math.imul(4, W1)) | 0;
  const ka5 = (k0 + Math.imul(5, W0)) | 0;
  const kb5 = (k1 + Math.imul(5, W1)) | 0;
  const ka6 = (k0 + Math.imul(6, W0)) | 0;
  const kb6 = (k1 + Math.imul(6, W1)) | 0;
  const ka7 = (k0 + Math.imul(7, W0)) | 0;
  const kb7 = (k1 + Math.imul(7, W1)) | 0;
  const ka8 = (k0 + Math.imul(8, W0)) | 0;
  const kb8 = (k1 + Math.imul(8, W1)) | 0;
  const ka9 = (k0 + Math.imul(9, W0)) | 0;
  const kb9 = (k1 + Math.imul(9, W1)) | 0;
  const c2i = c2 | 0;
  const c3i = c3 | 0;
  let lo = firstBlock % TWO_32;
  let hi = (firstBlock - lo) / TWO_32;
  let o = outOffset;
  let j = 0;
  for (; j + 4 <= nBlocks; j += 4) {
    const x0a0 = lo | 0;
    const x1a0 = hi | 0;
    const x2a0 = c2i;
    const x3a0 = c3i;
    if (++lo === TWO_32) {
      lo = 0;
      hi++;
    }
    const x0b0 = lo | 0;
    const x1b0 = hi | 0;
    const x2b0 = c2i;
    const x3b0 = c3i;
    if (++lo === TWO_32) {
      lo = 0;
      hi++;
    }
    const x0c0 = lo | 0;
    const x1c0 = hi | 0;
    const x2c0 = c2i;
    const x3c0 = c3i;
    if (++lo === TWO_32) {
      lo = 0;
      hi++;
    }
    const x0d0 = lo | 0;
    const x1d0 = hi | 0;
    const x2d0 = c2i;
    const x3d0 = c3i;
    if (++lo === TWO_32) {
      lo = 0;
      hi++;
    }
    // round 1
    const l0a0 = Math.imul(M0, x0a0);
    const l1a0 = Math.imul(M1, x2a0);
    const h0a0 = (M0 * (x0a0 >>> 0) - (l0a0 >>> 0)) * TWO_M32 + 0.5;
    const h1a0 = (M1 * (x2a0 >>> 0) - (l1a0 >>> 0)) * TWO_M32 + 0.5;
    const x0a1 = h1a0 ^ x1a0 ^ ka0;
    const x1a1 = l1a0;
    const x2a1 = h0a0 ^ x3a0 ^ kb0;
    const x3a1 = l0a0;
    const l0b0 = Math.imul(M0, x0b0);
    const l1b0 = Math.imul(M1, x2b0);
    const h0b0 = (M0 * (x0b0 >>> 0) - (l0b0 >>> 0)) * TWO_M32 + 0.5;
    const h1b0 = (M1 * (x2b0 >>> 0) - (l1b0 >>> 0)) * TWO_M32 + 0.5;
    const x0b1 = h1b0 ^ x1b0 ^ ka0;
    const x1b1 = l1b0;
    const x2b1 = h0b0 ^ x3b0 ^ kb0;
    const x3b1 = l0b0;
    const l0c0 = Math.imul(M0, x0c0);
    const l1c0 = Math.imul(M1, x2c0);
    const h0c0 = (M0 * (x0c0 >>> 0) - (l0c0 >>> 0)) * TWO_M32 + 0.5;
    const h1c0 = (M1 * (x2c0 >>> 0) - (l1c0 >>> 0)) * TWO_M32 + 0.5;
    const x0c1 = h1c0 ^ x1c0 ^ ka0;
    const x1c1 = l1c0;
    const x2c1 = h0c0 ^ x3c0 ^ kb0;
    const x3c1 = l0c0;
    const l0d0 = Math.imul(M0, x0d0);
    const l1d0 = Math.imul(M1, x2d0);
    const h0d0 = (M0 * (x0d0 >>> 0) - (l0d0 >>> 0)) * TWO_M32 + 0.5;
    const h1d0 = (M1 * (x2d0 >>> 0) - (l1d0 >>> 0)) * TWO_M32 + 0.5;
    const x0d1 = h1d0 ^ x1d0 ^ ka0;
    const x1d1 = l1d0;
    const x2d1 = h0d0 ^ x3d0 ^ kb0;
    const x3d1 = l0d0;
    // round 2
    const l0a1 = Math.imul(M0, x0a1);
    const l1a1 = Math.imul(M1, x2a1);
    const h0a1 = (M0 * (x0a1 >>> 0) - (l0a1 >>> 0)) * TWO_M32 + 0.5;
    const h1a1 = (M1 * (x2a1 >>> 0) - (l1a1 >>> 0)) * TWO_M32 + 0.5;
    const x0a2 = h1a1 ^ x1a1 ^ ka1;
    const x1a2 = l1a1;
    const x2a2 = h0a1 ^ x3a1 ^ kb1;
    const x3a2 = l0a1;
    const l0b1 = Math.imul(M0, x0b1);
    const l1b1 = Math.imul(M1, x2b1);
    const h0b1 = (M0 * (x0b1 >>> 0) - (l0b1 >>> 0)) * TWO_M32 + 0.5;
    const h1b1 = (M1 * (x2b1 >>> 0) - (l1b1 >>> 0)) * TWO_M32 + 0.5;
    const x0b2 = h1b1 ^ x1b1 ^ ka1;
    const x1b2 = l1b1;
    const x2b2 = h0b1 ^ x3b1 ^ kb1;
    const x3b2 = l0b1;
    const l0c1 = Math.imul(M0, x0c1);
    const l1c1 = Math.imul(M1, x2c1);
    const h0c1 = (M0 * (x0c1 >>> 0) - (l0c1 >>> 0)) * TWO_M32 + 0.5;
    const h1c1 = (M1 * (x2c1 >>> 0) - (l1c1 >>> 0)) * TWO_M32 + 0.5;
    const x0c2 = h1c1 ^ x1c1 ^ ka1;
    const x1c2 = l1c1;
    const x2c2 = h0c1 ^ x3c1 ^ kb1;
    const x3c2 = l0c1;
    const l0d1 = Math.imul(M0, x0d1);
    const l1d1 = Math.imul(M1, x2d1);
    const h0d1 = (M0 * (x0d1 >>> 0) - (l0d1 >>> 0)) * TWO_M32 + 0.5;
    const h1d1 = (M1 * (x2d1 >>> 0) - (l1d1 >>> 0)) * TWO_M32 + 0.5;
    const x0d2 = h1d1 ^ x1d1 ^ ka1;
    const x1d2 = l1d1;
    const x2d2 = h0d1 ^ x3d1 ^ kb1;
    const x3d2 = l0d1;
    // round 3
    const l0a2 = Math.imul(M0, x0a2);
    const l1a2 = Math.imul(M1, x2a2);
    const h0a2 = (M0 * (x0a2 >>> 0) - (l0a2 >>> 0)) * TWO_M32 + 0.5;
    const h1a2 = (M1 * (x2a2 >>> 0) - (l1a2 >>> 0)) * TWO_M32 + 0.5;
    const x0a3 = h1a2 ^ x1a2 ^ ka2;
    const x1a3 = l1a2;
    const x2a3 = h0a2 ^ x3a2 ^ kb2;
    const x3a3 = l0a2;
    const l0b2 = Math.imul(M0, x0b2);
    const l1b2 = Math.imul(M1, x2b2);
    const h0b2 = (M0 * (x0b2 >>> 0) - (l0b2 >>> 0)) * TWO_M32 + 0.5;
    const h1b2 = (M1 * (x2b2 >>> 0) - (l1b2 >>> 0)) * TWO_M32 + 0.5;
    const x0b3 = h1b2 ^ x1b2 ^ ka2;
    const x1b3 = l1b2;
    const x2b3 = h0b2 ^ x3b2 ^ kb2;
    const x3b3 = l0b2;
    const l0c2 = Math.imul(M0, x0c2);
    const l1c2 = Math.imul(M1, x2c2);
    const h0c2 = (M0 * (x0c2 >>> 0) - (l0c2 >>> 0)) * TWO_M32 + 0.5;
    const h1c2 = (M1 * (x2c2 >>> 0) - (l1c2 >>> 0)) * TWO_M32 + 0.5;
    const x0c3 = h1c2 ^ x1c2 ^ ka2;
    const x1c3 = l1c2;
    const x2c3 = h0c2 ^ x3c2 ^ kb2;
    const x3c3 = l0c2;
    const l0d2 = Math.imul(M0, x0d2);
    const l1d2 = Math.imul(M1, x2d2);
    const h0d2 = (M0 * (x0d2 >>> 0) - (l0d2 >>> 0)) * TWO_M32 + 0.5;
    const h1d2 = (M1 * (x2d2 >>> 0) - (l1d2 >>> 0)) * TWO_M32 + 0.5;
    const x0d3 = h1d2 ^ x1d2 ^ ka2;
    const x1d3 = l1d2;
    const x2d3 = h0d2 ^ x3d2 ^ kb2;
    const x3d3 = l0d2;
    // round 4
    const l0a3 = Math.imul(M0, x0a3);
    const l1a3 = Math.imul(M1, x2a3);
    const h0a3 = (M0 * (x0a3 >>> 0) - (l0a3 >>> 0)) * TWO_M32 + 0.5;
    const h1a3 = (M1 * (x2a3 >>> 0) - (l1a3 >>> 0)) * TWO_M32 + 0.5;
    const x0a4 = h1a3 ^ x1a3 ^ ka3;
    const x1a4 = l1a3;
    const x2a4 = h0a3 ^ x3a3 ^ kb3;
    const x3a4 = l0a3;
    const l0b3 = Math.imul(M0, x0b3);
    const l1b3 = Math.imul(M1, x2b3);
    const h0b3 = (M0 * (x0b3 >>> 0) - (l0b3 >>> 0)) * TWO_M32 + 0.5;
    const h1b3 = (M1 * (x2b3 >>> 0) - (l1b3 >>> 0)) * TWO_M32 + 0.5;
    const x0b4 = h1b3 ^ x1b3 ^ ka3;
    const x1b4 = l1b3;
    const x2b4 = h0b3 ^ x3b3 ^ kb3;
    const x3b4 = l0b3;
    const l0c3 = Math.imul(M0, x0c3);
    const l1c3 = Math.imul(M1, x2c3);
    const h0c3 = (M0 * (x0c3 >>> 0) - (l0c3 >>> 0)) * TWO_M32 + 0.5;
    const h1c3 = (M1 * (x2c3 >>> 0) - (l1c3 >>> 0)) * TWO_M32 + 0.5;
    const x0c4 = h1c3 ^ x1c3 ^ ka3;
    const x1c4 = l1c3;
    const x2c4 = h0c3 ^ x3c3 ^ kb3;
    const x3c4 = l0c3;
    const l0d3 = Math.imul(M0, x0d3);
    const l1d3 = Math.imul(M1, x2d3);
    const h0d3 = (M0 * (x0d3 >>> 0) - (l0d3 >>> 0)) * TWO_M32 + 0.5;
    const h1d3 = (M1 * (x2d3 >>> 0) - (l1d3 >>> 0)) * TWO_M32 + 0.5;
    const x0d4 = h1d3 ^ x1d3 ^ ka3;
    const x1d4 = l1d3;
    const x2d4 = h0d3 ^ x3d3 ^ kb3;
    const x3d4 = l0d3;
    // round 5
    const l0a4 = Math.imul(M0, x0a4);
    const l1a4 = Math.imul(M1, x2a4);
    const h0a4 = (M0 * (x0a4 >>> 0) - (l0a4 >>> 0)) * TWO_M32 + 0.5;
    const h1a4 = (M1 * (x2a4 >>> 0) - (l1a4 >>> 0)) * TWO_M32 + 0.5;
    const x0a5 = h1a4 ^ x1a4 ^ ka4;
    const x1a5 = l1a4;
    const x2a5 = h0a4 ^ x3a4 ^ kb4;
    const x3a5 = l0a4;
    const l0b4 = Math.imul(M0, x0b4);
    const l1b4 = Math.imul(M1, x2b4);
    const h0b4 = (M0 * (x0b4 >>> 0) - (l0b4 >>> 0)) * TWO_M32 + 0.5;
    const h1b4 = (M1 * (x2b4 >>> 0) - (l1b4 >>> 0)) * TWO_M32 + 0.5;
    const x0b5 = h1b4 ^ x1b4 ^ ka4;
    const x1b5 = l1b4;
    const x2b5 = h0b4 ^ x3b4 ^ kb4;
    const x3b5 = l0b4;
    const l0c4 = Math.imul(M0, x0c4);
    const l1c4 = Math.imul(M1, x2c4);
    const h0c4 = (M0 * (x0c4 >>> 0) - (l0c4 >>> 0)) * TWO_M32 + 0.5;
    const h1c4 = (M1 * (x2c4 >>> 0) - (l1c4 >>> 0)) * TWO_M32 + 0.5;
    const x0c5 = h1c4 ^ x1c4 ^ ka4;
    const x1c5 = l1c4;
    const x2c5 = h0c4 ^ x3c4 ^ kb4;
    const x3c5 = l0c4;
    const l0d4 = Math.imul(M0, x0d4);
    const l1d4 = Math.imul(M1, x2d4);
    const h0d4 = (M0 * (x0d4 >>> 0) - (l0d4 >>> 0)) * TWO_M32 + 0.5;
    const h1d4 = (M1 * (x2d4 >>> 0) - (l1d4 >>> 0)) * TWO_M32 + 0.5;
    const x0d5 = h1d4 ^ x1d4 ^ ka4;
    const x1d5 = l1d4;
    const x2d5 = h0d4 ^ x3d4 ^ kb4;
    const x3d5 = l0d4;
    // round 6
    const l0a5 = Math.imul(M0, x0a5);
    const l1a5 = Math.imul(M1, x2a5);
    const h0a5 = (M0 * (x0a5 >>> 0) - (l0a5 >>> 0)) * TWO_M32 + 0.5;
    const h1a5 = (M1 * (x2a5 >>> 0) - (l1a5 >>> 0)) * TWO_M32 + 0.5;
    const x0a6 = h1a5 ^ x1a5 ^ ka5;
    const x1a6 = l1a5;
    const x2a6 = h0a5 ^ x3a5 ^ kb5;
    const x3a6 = l0a5;
    const l0b5 = Math.imul(M0, x0b5);
    const l1b5 = Math.imul(M1, x2b5);
    const h0b5 = (M0 * (x0b5 >>> 0) - (l0b5 >>> 0)) * TWO_M32 + 0.5;
    const h1b5 = (M1 * (x2b5 >>> 0) - (l1b5 >>> 0)) * TWO_M32 + 0.5;
    const x0b6 = h1b5 ^ x1b5 ^ ka5;
    const x1b6 = l1b5;
    const x2b6 = h0b5 ^ x3b5 ^ kb5;
    const x3b6 = l0b5;
    const l0c5 = Math.imul(M0, x0c5);
    const l1c5 = Math.imul(M1, x2c5);
    const h0c5 = (M0 * (x0c5 >>> 0) - (l0c5 >>> 0)) * TWO_M32 + 0.5;
    const h1c5 = (M1 * (x2c5 >>> 0) - (l1c5 >>> 0)) * TWO_M32 + 0.5;
    const x0c6 = h1c5 ^ x1c5 ^ ka5;
    const x1c6 = l1c5;
    const x2c6 = h0c5 ^ x3c5 ^ kb5;
    const x3c6 = l0c5;
    const l0d5 = Math.imul(M0, x0d5);
    const l1d5 = Math.imul(M1, x2d5);
    const h0d5 = (M0 * (x0d5 >>> 0) - (l0d5 >>> 0)) * TWO_M32 + 0.5;
    const h1d5 = (M1 * (x2d5 >>> 0) - (l1d5 >>> 0)) * TWO_M32 + 0.5;
    const x0d6 = h1d5 ^ x1d5 ^ ka5;
    const x1d6 = l1d5;
    const x2d6 = h0d5 ^ x3d5 ^ kb5;
    const x3d6 = l0d5;
    // round 7
    const l0a6 = Math.imul(M0, x0a6);
    const l1a6 = Math.imul(M1, x2a6);
    const h0a6 = (M0 * (x0a6 >>> 0) - (l0a6 >>> 0)) * TWO_M32 + 0.5;
    const h1a6 = (M1 * (x2a6 >>> 0) - (l1a6 >>> 0)) * TWO_M32 + 0.5;
    const x0a7 = h1a6 ^ x1a6 ^ ka6;
    const x1a7 = l1a6;
    const x2a7 = h0a6 ^ x3a6 ^ kb6;
    const x3a7 = l0a6;
    const l0b6 = Math.imul(M0, x0b6);
    const l1b6 = Math.imul(M1, x2b6);
    const h0b6 = (M0 * (x0b6 >>> 0) - (l0b6 >>> 0)) * TWO_M32 + 0.5;
    const h1b6 = (M1 * (x2b6 >>> 0) - (l1b6 >>> 0)) * TWO_M32 + 0.5;
    const x0b7 = h1b6 ^ x1b6 ^ ka6;
    const x1b7 = l1b6;
    const x2b7 = h0b6 ^ x3b6 ^ kb6;
    const x3b7 = l0b6;
    const l0c6 = Math.imul(M0, x0c6);
    const l1c6 = Math.imul(M1, x2c6);
    const h0c6 = (M0 * (x0c6 >>> 0) - (l0c6 >>> 0)) * TWO_M32 + 0.5;
    const h1c6 = (M1 * (x2c6 >>> 0) - (l1c6 >>> 0)) * TWO_M32 + 0.5;
    const x0c7 = h1c6 ^ x1c6 ^ ka6;
    const x1c7 = l1c6;
    const x2c7 = h0c6 ^ x3c6 ^ kb6;
    const x3c7 = l0c6;
    const l0d6 = Math.imul(M0, x0d6);
    const l1d6 = Math.imul(M1, x2d6);
    const h0d6 = (M0 * (x0d6 >>> 0) - (l0d6 >>> 0)) * TWO_M32 + 0.5;
    const h1d6 = (M1 * (x2d6 >>> 0) - (l1d6 >>> 0)) * TWO_M32 + 0.5;
    const x0d7 = h1d6 ^ x1d6 ^ ka6;
    const x1d7 = l1d6;
    const x2d7 = h0d6 ^ x3d6 ^ kb6;
    const x3d7 = l0d6;
    // round 8
    const l0a7 = Math.imul(M0, x0a7);
    const l1a7 = Math.imul(M1, x2a7);
    const h0a7 = (M0 * (x0a7 >>> 0) - (l0a7 >>> 0)) * TWO_M32 + 0.5;
    const h1a7 = (M1 * (x2a7 >>> 0) - (l1a7 >>> 0)) * TWO_M32 + 0.5;
    const x0a8 = h1a7 ^ x1a7 ^ ka7;
    const x1a8 = l1a7;
    const x2a8 = h0a7 ^ x3a7 ^ kb7;
    const x3a8 = l0a7;
    const l0b7 = Math.imul(M0, x0b7);
    const l1b7 = Math.imul(M1, x2b7);
    const h0b7 = (M0 * (x0b7 >>> 0) - (l0b7 >>> 0)) * TWO_M32 + 0.5;
    const h1b7 = (M1 * (x2b7 >>> 0) - (l1b7 >>> 0)) * TWO_M32 + 0.5;
    const x0b8 = h1b7 ^ x1b7 ^ ka7;
    const x1b8 = l1b7;
    const x2b8 = h0b7 ^ x3b7 ^ kb7;
    const x3b8 = l0b7;
    const l0c7 = Math.imul(M0, x0c7);
    const l1c7 = Math.imul(M1, x2c7);
    const h0c7 = (M0 * (x0c7 >>> 0) - (l0c7 >>> 0)) * TWO_M32 + 0.5;
    const h1c7 = (M1 * (x2c7 >>> 0) - (l1c7 >>> 0)) * TWO_M32 + 0.5;
    const x0c8 = h1c7 ^ x1c7 ^ ka7;
    const x1c8 = l1c7;
    const x2c8 = h0c7 ^ x3c7 ^ kb7;
    const x3c8 = l0c7;
    const l0d7 = Math.imul(M0, x0d7);
    const l1d7 = Math.imul(M1, x2d7);
    const h0d7 = (M0 * (x0d7 >>> 0) - (l0d7 >>> 0)) * TWO_M32 + 0.5;
    const h1d7 = (M1 * (x2d7 >>> 0) - (l1d7 >>> 0)) * TWO_M32 + 0.5;
    const x0d8 = h1d7 ^ x1d7 ^ ka7;
    const x1d8 = l1d7;
    const x2d8 = h0d7 ^ x3d7 ^ kb7;
    const x3d8 = l0d7;
    // round 9
    const l0a8 = Math.imul(M0, x0a8);
    const l1a8 = Math.imul(M1, x2a8);
    const h0a8 = (M0 * (x0a8 >>> 0) - (l0a8 >>> 0)) * TWO_M32 + 0.5;
    const h1a8 = (M1 * (x2a8 >>> 0) - (l1a8 >>> 0)) * TWO_M32 + 0.5;
    const x0a9 = h1a8 ^ x1a8 ^ ka8;
    const x1a9 = l1a8;
    const x2a9 = h0a8 ^ x3a8 ^ kb8;
    const x3a9 = l0a8;
    const l0b8 = Math.imul(M0, x0b8);
    const l1b8 = Math.imul(M1, x2b8);
    const h0b8 = (M0 * (x0b8 >>> 0) - (l0b8 >>> 0)) * TWO_M32 + 0.5;
    const h1b8 = (M1 * (x2b8 >>> 0) - (l1b8 >>> 0)) * TWO_M32 + 0.5;
    const x0b9 = h1b8 ^ x1b8 ^ ka8;
    const x1b9 = l1b8;
    const x2b9 = h0b8 ^ x3b8 ^ kb8;
    const x3b9 = l0b8;
    const l0c8 = Math.imul(M0, x0c8);
    const l1c8 = Math.imul(M1, x2c8);
    const h0c8 = (M0 * (x0c8 >>> 0) - (l0c8 >>> 0)) * TWO_M32 + 0.5;
    const h1c8 = (M1 * (x2c8 >>> 0) - (l1c8 >>> 0)) * TWO_M32 + 0.5;
    const x0c9 = h1c8 ^ x1c8 ^ ka8;
    const x1c9 = l1c8;
    const x2c9 = h0c8 ^ x3c8 ^ kb8;
    const x3c9 = l0c8;
    const l0d8 = Math.imul(M0, x0d8);
    const l1d8 = Math.imul(M1, x2d8);
    const h0d8 = (M0 * (x0d8 >>> 0) - (l0d8 >>> 0)) * TWO_M32 + 0.5;
    const h1d8 = (M1 * (x2d8 >>> 0) - (l1d8 >>> 0)) * TWO_M32 + 0.5;
    const x0d9 = h1d8 ^ x1d8 ^ ka8;
    const x1d9 = l1d8;
    const x2d9 = h0d8 ^ x3d8 ^ kb8;
    const x3d9 = l0d8;
    // round 10
    const l0a9 = Math.imul(M0, x0a9);
    const l1a9 = Math.imul(M1, x2a9);
    const h0a9 = (M0 * (x0a9 >>> 0) - (l0a9 >>> 0)) * TWO_M32 + 0.5;
    const h1a9 = (M1 * (x2a9 >>> 0) - (l1a9 >>> 0)) * TWO_M32 + 0.5;
    const x0a10 = h1a9 ^ x1a9 ^ ka9;
    const x1a10 = l1a9;
    const x2a10 = h0a9 ^ x3a9 ^ kb9;
    const x3a10 = l0a9;
    const l0b9 = Math.imul(M0, x0b9);
    const l1b9 = Math.imul(M1, x2b9);
    const h0b9 = (M0 * (x0b9 >>> 0) - (l0b9 >>> 0)) * TWO_M32 + 0.5;
    const h1b9 = (M1 * (x2b9 >>> 0) - (l1b9 >>> 0)) * TWO_M32 + 0.5;
    const x0b10 = h1b9 ^ x1b9 ^ ka9;
    const x1b10 = l1b9;
    const x2b10 = h0b9 ^ x3b9 ^ kb9;
    const x3b10 = l0b9;
    const l0c9 = Math.imul(M0, x0c9);
    const l1c9 = Math.imul(M1, x2c9);
    const h0c9 = (M0 * (x0c9 >>> 0) - (l0c9 >>> 0)) * TWO_M32 + 0.5;
    const h1c9 = (M1 * (x2c9 >>> 0) - (l1c9 >>> 0)) * TWO_M32 + 0.5;
    const x0c10 = h1c9 ^ x1c9 ^ ka9;
    const x1c10 = l1c9;
    const x2c10 = h0c9 ^ x3c9 ^ kb9;
    const x3c10 = l0c9;
    const l0d9 = Math.imul(M0, x0d9);
    const l1d9 = Math.imul(M1, x2d9);
    const h0d9 = (M0 * (x0d9 >>> 0) - (l0d9 >>> 0)) * TWO_M32 + 0.5;
    const h1d9 = (M1 * (x2d9 >>> 0) - (l1d9 >>> 0)) * TWO_M32 + 0.5;
    const x0d10 = h1d9 ^ x1d9 ^ ka9;
    const x1d10 = l1d9;
    const x2d10 = h0d9 ^ x3d9 ^ kb9;
    const x3d10 = l0d9;
    out[o] = x0a10;
    out[o + 1] = x1a10;
    out[o + 2] = x2a10;
    out[o + 3] = x3a10;
    out[o + 4] = x0b10;
    out[o + 5] = x1b10;
    out[o + 6] = x2b10;
    out[o + 7] = x3b10;
    out[o + 8] = x0c10;
    out[o + 9] = x1c10;
    out[o + 10] = x2c10;
    out[o + 11] = x3c10;
    out[o + 12] = x0d10;
    out[o + 13] = x1d10;
    out[o + 14] = x2d10;
    out[o + 15] = x3d10;
    o += 16;
  }
  for (; j < nBlocks; j++) {
    const x0a0 = lo | 0;
    const x1a0 = hi | 0;
    const x2a0 = c2i;
    const x3a0 = c3i;
    if (++lo === TWO_32) {
      lo = 0;
      hi++;
    }
    // round 1
    const l0a0 = Math.imul(M0, x0a0);
    const l1a0 = Math.imul(M1, x2a0);
    const h0a0 = (M0 * (x0a0 >>> 0) - (l0a0 >>> 0)) * TWO_M32 + 0.5;
    const h1a0 = (M1 * (x2a0 >>> 0) - (l1a0 >>> 0)) * TWO_M32 + 0.5;
    const x0a1 = h1a0 ^ x1a0 ^ ka0;
    const x1a1 = l1a0;
    const x2a1 = h0a0 ^ x3a0 ^ kb0;
    const x3a1 = l0a0;
    // round 2
    const l0a1 = Math.imul(M0, x0a1);
    const l1a1 = Math.imul(M1, x2a1);
    const h0a1 = (M0 * (x0a1 >>> 0) - (l0a1 >>> 0)) * TWO_M32 + 0.5;
    const h1a1 = (M1 * (x2a1 >>> 0) - (l1a1 >>> 0)) * TWO_M32 + 0.5;
    const x0a2 = h1a1 ^ x1a1 ^ ka1;
    const x1a2 = l1a1;
    const x2a2 = h0a1 ^ x3a1 ^ kb1;
    const x3a2 = l0a1;
    // round 3
    const l0a2 = Math.imul(M0, x0a2);
    const l1a2 = Math.imul(M1, x2a2);
    const h0a2 = (M0 * (x0a2 >>> 0) - (l0a2 >>> 0)) * TWO_M32 + 0.5;
    const h1a2 = (M1 * (x2a2 >>> 0) - (l1a2 >>> 0)) * TWO_M32 + 0.5;
    const x0a3 = h1a2 ^ x1a2 ^ ka2;
    const x1a3 = l1a2;
    const x2a3 = h0a2 ^ x3a2 ^ kb2;
    const x3a3 = l0a2;
    // round 4
    const l0a3 = Math.imul(M0, x0a3);
    const l1a3 = Math.imul(M1, x2a3);
    const h0a3 = (M0 * (x0a3 >>> 0) - (l0a3 >>> 0)) * TWO_M32 + 0.5;
    const h1a3 = (M1 * (x2a3 >>> 0) - (l1a3 >>> 0)) * TWO_M32 + 0.5;
    const x0a4 = h1a3 ^ x1a3 ^ ka3;
    const x1a4 = l1a3;
    const x2a4 = h0a3 ^ x3a3 ^ kb3;
    const x3a4 = l0a3;
    // round 5
    const l0a4 = Math.imul(M0, x0a4);
    const l1a4 = Math.imul(M1, x2a4);
    const h0a4 = (M0 * (x0a4 >>> 0) - (l0a4 >>> 0)) * TWO_M32 + 0.5;
    const h1a4 = (M1 * (x2a4 >>> 0) - (l1a4 >>> 0)) * TWO_M32 + 0.5;
    const x0a5 = h1a4 ^ x1a4 ^ ka4;
    const x1a5 = l1a4;
    const x2a5 = h0a4 ^ x3a4 ^ kb4;
    const x3a5 = l0a4;
    // round 6
    const l0a5 = Math.imul(M0, x0a5);
    const l1a5 = Math.imul(M1, x2a5);
    const h0a5 = (M0 * (x0a5 >>> 0) - (l0a5 >>> 0)) * TWO_M32 + 0.5;
    const h1a5 = (M1 * (x2a5 >>> 0) - (l1a5 >>> 0)) * TWO_M32 + 0.5;
    const x0a6 = h1a5 ^ x1a5 ^ ka5;
    const x1a6 = l1a5;
    const x2a6 = h0a5 ^ x3a5 ^ kb5;
    const x3a6 = l0a5;
    // round 7
    const l0a6 = Math.imul(M0, x0a6);
    const l1a6 = Math.imul(M1, x2a6);
    const h0a6 = (M0 * (x0a6 >>> 0) - (l0a6 >>> 0)) * TWO_M32 + 0.5;
    const h1a6 = (M1 * (x2a6 >>> 0) - (l1a6 >>> 0)) * TWO_M32 + 0.5;
    const x0a7 = h1a6 ^ x1a6 ^ ka6;
    const x1a7 = l1a6;
    const x2a7 = h0a6 ^ x3a6 ^ kb6;
    const x3a7 = l0a6;
    // round 8
    const l0a7 = Math.imul(M0, x0a7);
    const l1a7 = Math.imul(M1, x2a7);
    const h0a7 = (M0 * (x0a7 >>> 0) - (l0a7 >>> 0)) * TWO_M32 + 0.5;
    const h1a7 = (M1 * (x2a7 >>> 0) - (l1a7 >>> 0)) * TWO_M32 + 0.5;
    const x0a8 = h1a7 ^ x1a7 ^ ka7;
    const x1a8 = l1a7;
    const x2a8 = h0a7 ^ x3a7 ^ kb7;
    const x3a8 = l0a7;
    // round 9
    const l0a8 = Math.imul(M0, x0a8);
    const l1a8 = Math.imul(M1, x2a8);
    const h0a8 = (M0 * (x0a8 >>> 0) - (l0a8 >>> 0)) * TWO_M32 + 0.5;
    const h1a8 = (M1 * (x2a8 >>> 0) - (l1a8 >>> 0)) * TWO_M32 + 0.5;
    const x0a9 = h1a8 ^ x1a8 ^ ka8;
    const x1a9 = l1a8;
    const x2a9 = h0a8 ^ x3a8 ^ kb8;
    const x3a9 = l0a8;
    // round 10
    const l0a9 = Math.imul(M0, x0a9);
    const l1a9 = Math.imul(M1, x2a9);
    const h0a9 = (M0 * (x0a9 >>> 0) - (l0a9 >>> 0)) * TWO_M32 + 0.5;
    const h1a9 = (M1 * (x2a9 >>> 0) - (l1a9 >>> 0)) * TWO_M32 + 0.5;
    const x0a10 = h1a9 ^ x1a9 ^ ka9;
    const x1a10 = l1a9;
    const x2a10 = h0a9 ^ x3a9 ^ kb9;
    const x3a10 = l0a9;
    out[o] = x0a10;
    out[o + 1] = x1a10;
    out[o + 2] = x2a10;
    out[o + 3] = x3a10;
    o += 4;
  }
}

/**
 * Philox4x32-10 of one explicit counter (c0, c1, c2, c3), all u32, without checks: the private
 * streams' generator (kept apart from {@link philoxBlocksRaw} so that the JIT specializes each
 * for its own callers). Same bits as {@link philox4x32}.
 *
 * @internal
 */
export function philoxBlock1(
  k0: number,
  k1: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  out: Uint32Array,
): void {
  const x0_0 = c0 | 0;
  const x1_0 = c1 | 0;
  const x2_0 = c2 | 0;
  const x3_0 = c3 | 0;
  const l0_0 = Math.imul(M0, x0_0);
  const l1_0 = Math.imul(M1, x2_0);
  const h0_0 = (M0 * (x0_0 >>> 0) - (l0_0 >>> 0)) * TWO_M32 + 0.5;
  const h1_0 = (M1 * (x2_0 >>> 0) - (l1_0 >>> 0)) * TWO_M32 + 0.5;
  const x0_1 = h1_0 ^ x1_0 ^ ((k0 + 0x0) | 0);
  const x1_1 = l1_0;
  const x2_1 = h0_0 ^ x3_0 ^ ((k1 + 0x0) | 0);
  const x3_1 = l0_0;
  const l0_1 = Math.imul(M0, x0_1);
  const l1_1 = Math.imul(M1, x2_1);
  const h0_1 = (M0 * (x0_1 >>> 0) - (l0_1 >>> 0)) * TWO_M32 + 0.5;
  const h1_1 = (M1 * (x2_1 >>> 0) - (l1_1 >>> 0)) * TWO_M32 + 0.5;
  const x0_2 = h1_1 ^ x1_1 ^ ((k0 + 0x9e3779b9) | 0);
  const x1_2 = l1_1;
  const x2_2 = h0_1 ^ x3_1 ^ ((k1 + 0xbb67ae85) | 0);
  const x3_2 = l0_1;
  const l0_2 = Math.imul(M0, x0_2);
  const l1_2 = Math.imul(M1, x2_2);
  const h0_2 = (M0 * (x0_2 >>> 0) - (l0_2 >>> 0)) * TWO_M32 + 0.5;
  const h1_2 = (M1 * (x2_2 >>> 0) - (l1_2 >>> 0)) * TWO_M32 + 0.5;
  const x0_3 = h1_2 ^ x1_2 ^ ((k0 + 0x3c6ef372) | 0);
  const x1_3 = l1_2;
  const x2_3 = h0_2 ^ x3_2 ^ ((k1 + 0x76cf5d0a) | 0);
  const x3_3 = l0_2;
  const l0_3 = Math.imul(M0, x0_3);
  const l1_3 = Math.imul(M1, x2_3);
  const h0_3 = (M0 * (x0_3 >>> 0) - (l0_3 >>> 0)) * TWO_M32 + 0.5;
  const h1_3 = (M1 * (x2_3 >>> 0) - (l1_3 >>> 0)) * TWO_M32 + 0.5;
  const x0_4 = h1_3 ^ x1_3 ^ ((k0 + 0xdaa66d2b) | 0);
  const x1_4 = l1_3;
  const x2_4 = h0_3 ^ x3_3 ^ ((k1 + 0x32370b8f) | 0);
  const x3_4 = l0_3;
  const l0_4 = Math.imul(M0, x0_4);
  const l1_4 = Math.imul(M1, x2_4);
  const h0_4 = (M0 * (x0_4 >>> 0) - (l0_4 >>> 0)) * TWO_M32 + 0.5;
  const h1_4 = (M1 * (x2_4 >>> 0) - (l1_4 >>> 0)) * TWO_M32 + 0.5;
  const x0_5 = h1_4 ^ x1_4 ^ ((k0 + 0x78dde6e4) | 0);
  const x1_5 = l1_4;
  const x2_5 = h0_4 ^ x3_4 ^ ((k1 + 0xed9eba14) | 0);
  const x3_5 = l0_4;
  const l0_5 = Math.imul(M0, x0_5);
  const l1_5 = Math.imul(M1, x2_5);
  const h0_5 = (M0 * (x0_5 >>> 0) - (l0_5 >>> 0)) * TWO_M32 + 0.5;
  const h1_5 = (M1 * (x2_5 >>> 0) - (l1_5 >>> 0)) * TWO_M32 + 0.5;
  const x0_6 = h1_5 ^ x1_5 ^ ((k0 + 0x1715609d) | 0);
  const x1_6 = l1_5;
  const x2_6 = h0_5 ^ x3_5 ^ ((k1 + 0xa9066899) | 0);
  const x3_6 = l0_5;
  const l0_6 = Math.imul(M0, x0_6);
  const l1_6 = Math.imul(M1, x2_6);
  const h0_6 = (M0 * (x0_6 >>> 0) - (l0_6 >>> 0)) * TWO_M32 + 0.5;
  const h1_6 = (M1 * (x2_6 >>> 0) - (l1_6 >>> 0)) * TWO_M32 + 0.5;
  const x0_7 = h1_6 ^ x1_6 ^ ((k0 + 0xb54cda56) | 0);
  const x1_7 = l1_6;
  const x2_7 = h0_6 ^ x3_6 ^ ((k1 + 0x646e171e) | 0);
  const x3_7 = l0_6;
  const l0_7 = Math.imul(M0, x0_7);
  const l1_7 = Math.imul(M1, x2_7);
  const h0_7 = (M0 * (x0_7 >>> 0) - (l0_7 >>> 0)) * TWO_M32 + 0.5;
  const h1_7 = (M1 * (x2_7 >>> 0) - (l1_7 >>> 0)) * TWO_M32 + 0.5;
  const x0_8 = h1_7 ^ x1_7 ^ ((k0 + 0x5384540f) | 0);
  const x1_8 = l1_7;
  const x2_8 = h0_7 ^ x3_7 ^ ((k1 + 0x1fd5c5a3) | 0);
  const x3_8 = l0_7;
  const l0_8 = Math.imul(M0, x0_8);
  const l1_8 = Math.imul(M1, x2_8);
  const h0_8 = (M0 * (x0_8 >>> 0) - (l0_8 >>> 0)) * TWO_M32 + 0.5;
  const h1_8 = (M1 * (x2_8 >>> 0) - (l1_8 >>> 0)) * TWO_M32 + 0.5;
  const x0_9 = h1_8 ^ x1_8 ^ ((k0 + 0xf1bbcdc8) | 0);
  const x1_9 = l1_8;
  const x2_9 = h0_8 ^ x3_8 ^ ((k1 + 0xdb3d7428) | 0);
  const x3_9 = l0_8;
  const l0_9 = Math.imul(M0, x0_9);
  const l1_9 = Math.imul(M1, x2_9);
  const h0_9 = (M0 * (x0_9 >>> 0) - (l0_9 >>> 0)) * TWO_M32 + 0.5;
  const h1_9 = (M1 * (x2_9 >>> 0) - (l1_9 >>> 0)) * TWO_M32 + 0.5;
  const x0_10 = h1_9 ^ x1_9 ^ ((k0 + 0x8ff34781) | 0);
  const x1_10 = l1_9;
  const x2_10 = h0_9 ^ x3_9 ^ ((k1 + 0x96a522ad) | 0);
  const x3_10 = l0_9;
  out[0] = x0_10;
  out[1] = x1_10;
  out[2] = x2_10;
  out[3] = x3_10;
}

/**
 * Philox4x32-10 block fill: `nBlocks` consecutive counters, 4 words each, the fast path behind
 * every sampler. Block j (0 ≤ j < nBlocks) uses counter (b mod 2³², ⌊b / 2³²⌋, c2, c3) with
 * b = firstBlock + j and writes its words to out[outOffset + 4j … outOffset + 4j + 3]; the bits
 * are those of {@link philox4x32}(counter, [k0, k1]).
 *
 * @param k0 - key word 0 (u32).
 * @param k1 - key word 1 (u32).
 * @param firstBlock - index of the first block, an integer in [0, 2⁵³ − nBlocks].
 * @param c2 - counter word 2 (u32), the same for every block.
 * @param c3 - counter word 3 (u32), the same for every block.
 * @param nBlocks - number of blocks (≥ 0).
 * @param out - destination; needs 4·nBlocks words from `outOffset`.
 * @param outOffset - first index written in `out` (default 0).
 * @throws TypeError if `out` is not a Uint32Array or a number argument is not a number;
 *   RangeError if a word is not a u32, an index is out of range or `out` is too short.
 * @example
 * ```ts
 * const out = new Uint32Array(8);
 * philoxBlocks(0, 0, 0, 0, 0, 2, out); // out[0..3] = philox4x32([0, 0, 0, 0], [0, 0])
 * ```
 */
export function philoxBlocks(
  k0: number,
  k1: number,
  firstBlock: number,
  c2: number,
  c3: number,
  nBlocks: number,
  out: Uint32Array,
  outOffset = 0,
): void {
  const fn = 'philoxBlocks';
  checkInteger(fn, 'k0', k0, 0, 0xffffffff);
  checkInteger(fn, 'k1', k1, 0, 0xffffffff);
  checkInteger(fn, 'c2', c2, 0, 0xffffffff);
  checkInteger(fn, 'c3', c3, 0, 0xffffffff);
  checkInteger(fn, 'nBlocks', nBlocks, 0);
  checkInteger(fn, 'firstBlock', firstBlock, 0, 2 ** 53 - nBlocks);
  if (!(out instanceof Uint32Array)) typeError(fn, 'out', 'a Uint32Array', out);
  checkInteger(fn, 'outOffset', outOffset, 0, Math.max(0, out.length - 4 * nBlocks));
  if (out.length - outOffset < 4 * nBlocks) {
    rangeError(fn, 'out', `a Uint32Array of length >= ${outOffset + 4 * nBlocks}`, out);
  }
  philoxBlocksRaw(k0, k1, firstBlock, c2, c3, nBlocks, out, outOffset);
}
