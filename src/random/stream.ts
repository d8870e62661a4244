/**
 * Internal plumbing shared by the samplers: the primary words of a stream, generated in chunks
 * into one reused scratch buffer, and the private stream of an element. See `index.ts` for the
 * stream layout these implement.
 *
 * @internal
 */

import { checkInteger, rangeError, typeError } from '../tensor/errors.js';
import { philoxBlock1, philoxBlocksRaw } from './philox.js';

/** Blocks generated per chunk: 4096 words (16 KiB) stay in L1 while a sampler reads them. */
const CHUNK_BLOCKS = 1024;

/** The reused scratch buffer of primary words. */
export const scratch: Uint32Array = new Uint32Array(4 * CHUNK_BLOCKS);

/** Index in {@link scratch} of the first word of the chunk's first element. */
export let chunkLane = 0;

/**
 * Generates the primary words of the next chunk: elements `first …` of a layout with `wpe`
 * words per element (element e uses primary words wpe·e … wpe·e + wpe − 1; wpe is 1 or 2).
 * Returns how many elements (≤ `count`, ≥ 1 when count ≥ 1) the chunk holds; their words start
 * at scratch[chunkLane].
 */
export function nextChunk(
  k0: number,
  k1: number,
  first: number,
  count: number,
  wpe: 1 | 2,
): number {
  // For wpe = 2, first·2 may exceed 2^53 but stays exact (an even integer below 2^54); the block
  // index is computed from the element index directly to stay exact.
  const block = wpe === 1 ? Math.floor(first / 4) : Math.floor(first / 2);
  const lane = wpe === 1 ? first - 4 * block : 2 * (first - 2 * block);
  const words = count * wpe + lane;
  const nBlocks = Math.min(CHUNK_BLOCKS, Math.ceil(words / 4));
  philoxBlocksRaw(k0, k1, block, 0, 0, nBlocks, scratch, 0);
  chunkLane = lane;
  return Math.min(count, (4 * nBlocks - lane) / wpe);
}

// The private stream of one element i: counter (i mod 2^32, ⌊i / 2^32⌋, k, 1), k = 0, 1, …,
// its words consumed in order (lane 0 … 3 of block k = 0, then of k = 1, …).
const priv = new Uint32Array(4);
let pk0 = 0;
let pk1 = 0;
let pLo = 0;
let pHi = 0;
let pBlock = 0;
let pLane = 4;

/** Starts reading the private stream of element `i` under key (k0, k1). */
export function privateStart(k0: number, k1: number, i: number): void {
  pk0 = k0;
  pk1 = k1;
  pLo = i % 2 ** 32;
  pHi = (i - pLo) / 2 ** 32;
  pBlock = 0;
  pLane = 4;
}

/** The next word of the current private stream. */
export function privateWord(): number {
  if (pLane === 4) {
    philoxBlock1(pk0, pk1, pLo, pHi, pBlock, 1, priv);
    pBlock = (pBlock + 1) >>> 0;
    pLane = 0;
  }
  return priv[pLane++];
}

const TWO_26 = 2 ** 26;
const TWO_M53 = 2 ** -53;

/** A 53-bit uniform on [0, 1) from the next two private words a, b: ((a≫5)·2²⁶ + (b≫6))·2⁻⁵³. */
export function privateU53(): number {
  const a = privateWord();
  const b = privateWord();
  return ((a >>> 5) * TWO_26 + (b >>> 6)) * TWO_M53;
}

/** A 53-bit uniform on (0, 1] from the next two private words: ((a≫5)·2²⁶ + (b≫6) + 1)·2⁻⁵³. */
export function privateU53Open(): number {
  const a = privateWord();
  const b = privateWord();
  return ((a >>> 5) * TWO_26 + (b >>> 6) + 1) * TWO_M53;
}

/** Checks the output array of a float sampler. */
export function checkFloatArray(fn: string, out: unknown): Float32Array | Float64Array {
  if (!(out instanceof Float32Array) && !(out instanceof Float64Array)) {
    typeError(fn, 'out', 'a Float32Array or Float64Array', out);
  }
  return out;
}

/** Checks `start`: an integer ≥ 0 with start + length ≤ 2⁵³ (element indexes stay safe). */
export function checkStart(fn: string, start: unknown, length: number): number {
  return checkInteger(fn, 'start', start, 0, 2 ** 53 - Math.max(1, length));
}

/** Checks `low < high`, both finite, with a finite difference. */
export function checkBounds(
  fn: string,
  low: unknown,
  high: unknown,
  lowName = 'low',
  highName = 'high',
): void {
  const lo = checkFiniteNumber(fn, lowName, low);
  const hi = checkFiniteNumber(fn, highName, high);
  if (!(lo < hi)) rangeError(fn, highName, `a number > \`${lowName}\` (${lo})`, hi);
  if (!Number.isFinite(hi - lo)) {
    rangeError(fn, highName, `such that \`${highName}\` − \`${lowName}\` is finite`, hi);
  }
}

function checkFiniteNumber(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number') typeError(fn, arg, 'a number', value);
  if (!Number.isFinite(value)) rangeError(fn, arg, 'a finite number', value);
  return value;
}

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
f64[0] = 1;
const HI = f64Words[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** The float64 next to x towards +∞ (x finite, not −0 … handled as 0). */
function nextUp64(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  if (x > 0) {
    if (++f64Words[LO] === 0) f64Words[HI]++;
  } else if (f64Words[LO]-- === 0) {
    f64Words[HI]--;
  }
  return f64[0];
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** The float32 next to x (a float32 value, not NaN) towards +∞ (dir = 1) or −∞ (dir = −1). */
export function nextFloat32(x: number, dir: 1 | -1): number {
  if (x === 0) return dir * 2 ** -149;
  if (x === dir * Number.POSITIVE_INFINITY) return x;
  f32[0] = x;
  f32Bits[0] += x > 0 === dir > 0 ? 1 : -1;
  return f32[0];
}

/**
 * The least float64 v with fround(v) ≥ y (y a number, not NaN): fround is monotone, so
 * fround(v) ≥ y ⟺ v ≥ this threshold. Lets the float32 samplers test the rounded value without
 * rounding in the loop.
 */
export function float32AtLeast(y: number): number {
  if (y === Number.NEGATIVE_INFINITY) return y;
  // h: the least float32 ≥ y (2^128 standing for +∞); p: the float32 before it.
  let h = Math.fround(y);
  if (h < y) h = nextFloat32(h, 1);
  const p = h === Number.NEGATIVE_INFINITY ? -(2 ** 128) : nextFloat32(h, -1);
  const hh = h === Number.POSITIVE_INFINITY ? 2 ** 128 : h;
  const pp = p === Number.NEGATIVE_INFINITY ? -(2 ** 128) : p;
  // Values round to h from the midpoint up (the midpoint itself by ties-to-even): step to be sure.
  let t = pp / 2 + hh / 2;
  while (Math.fround(t) < y) t = nextUp64(t);
  for (;;) {
    const below = -nextUp64(-t);
    if (!(Math.fround(below) >= y)) break;
    t = below;
  }
  return t;
}
