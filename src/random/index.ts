/**
 * weightinit/random: counter-based random streams and the samplers that fill tensors from them.
 *
 * STREAM LAYOUT (a contract: golden vectors pin it; changing it is a breaking change)
 *
 * Generator. Philox4x32-10 (Salmon et al. 2011, Random123): (counter: 4 × u32, key: 2 × u32) →
 * 4 × u32 words. A stream is a key: `deriveKey(seed, name)` (Philox as a Davies–Meyer-style
 * compression of the name's UTF-8 bytes + a length word, from the seed's two words);
 * `deriveChildKey(key, name)` (a source's `child(name)`) absorbs the name into a parent key.
 *
 * Primary words. Word j of a stream is lane j mod 4 of block b = ⌊j/4⌋, the Philox output for
 * counter (b mod 2³², ⌊b/2³²⌋, 0, 0). `uniformBits` returns them.
 *
 * Private stream of element i. Philox outputs for counters (i mod 2³², ⌊i/2³²⌋, k, 1),
 * k = 0, 1, 2, …, read word by word in order (lanes 0-3 of k = 0, then of k = 1, …). Only element
 * i reads it, so element i depends on (key, i) alone: any range of any tensor can be filled on
 * its own, in any chunks and order, with identical bits. Private uniforms take two words a, b:
 * u = ((a ≫ 5)·2²⁶ + (b ≫ 6))·2⁻⁵³ ∈ [0, 1), or that + 2⁻⁵³ ∈ (0, 1] where a log follows.
 *
 * Samplers (element i, written to out[i − start]):
 * - uniform, Float32Array: word i, u = (w ≫ 8)·2⁻²⁴, v = fround(low + (high − low)·u), v ≥ high →
 *   fround(low). Float64Array: words 2i, 2i+1, u = ((w0 ≫ 5)·2²⁶ + (w1 ≫ 6))·2⁻⁵³,
 *   v = low + (high − low)·u, v ≥ high → low.
 * - normal (128-layer ziggurat, tables in ziggurat-tables.ts): t = low byte of word i (float32)
 *   or of word 2i (float64): layer t & 127, sign bit 7; uniform (w ≫ 8)·2⁻²⁴ (float32) or
 *   ((w0 ≫ 8)·2²⁹ + (w1 ≫ 3))·2⁻⁵³ (float64); z = ±u·X[layer], accepted if |z| < X[layer+1];
 *   else the wedge test / tail / new draws (1 or 2 words each) from the private stream.
 *   Output mean + std·z rounded once.
 * - truncated normal on standardized [a, b]: a method chosen from (a, b) alone (normal rejection
 *   whose first draw is the normal sampler's element i, further draws from the private stream;
 *   or a uniform or Robert exponential proposal drawn entirely from the private stream), output
 *   mean + std·x kept inside the bounds against rounding only.
 * - permutation of n: Fisher–Yates, step t = n−1 … 1 uses words 2t, 2t+1 as a 53-bit u and swaps
 *   p[t] with p[⌊u·(t+1)⌋].
 *
 * Only + − × ÷ √ and exact bit operations are used, with `log`/`exp` ported from fdlibm
 * (detmath.ts), so the bits are the same on every engine.
 *
 * @packageDocumentation
 */

export { exp, log } from './detmath.js';
export { deriveChildKey, deriveKey, type Key, type Seed } from './key.js';
export { fillNormal } from './normal.js';
export { permutation } from './permutation.js';
export {
  PHILOX_M0,
  PHILOX_M1,
  PHILOX_W0,
  PHILOX_W1,
  philox4x32,
  philoxBlocks,
} from './philox.js';
export { PhiloxSource, philoxSource, philoxSourceFromKey } from './philox-source.js';
export type { RandomSource } from './source.js';
export { fillTruncatedNormal } from './truncated-normal.js';
export { fillUniform, uniformBits } from './uniform.js';
export { ZIG_F, ZIG_LAYERS, ZIG_R, ZIG_V, ZIG_X } from './ziggurat-tables.js';
