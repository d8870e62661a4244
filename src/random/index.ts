/**
 * weightinit/random: counter-based random streams and the samplers that fill tensors from them,
 * and PyTorch's CPU stream.
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
 * PYTORCH STREAMS (`torchSource(seed)`, `rng: 'torch'`; torch/): PyTorch 2.13's CPU generator and
 * the transforms of its in-place initializers, checked bit for bit against PyTorch's outputs.
 * - Generator: MT19937 (`init_genrand` on the seed's low 32 bits); random() one output,
 *   random64() = (first ≪ 32) | second.
 * - uniform_(a, b), float32: from = fround(a), to = fround(b), u = (random() & (2²⁴−1))·2⁻²⁴,
 *   value = fma(u, fround(to − from), from) rounded once, `from` where it equals `to`. float64:
 *   u = (random64() & (2⁵³−1))·2⁻⁵³, value = fma(u, b − a, a).
 * - normal_(mean, std), ≥ 16 elements: every uniform first, then per block of 16, for j < 8,
 *   u1 = 1 − d[j], u2 = d[j+8], r = √(−2·log u1), θ = 2π·u2, d[j] = r·cos θ·std + mean,
 *   d[j+8] = r·sin θ·std + mean; a length not a multiple of 16 redraws 16 uniforms for the last
 *   16 elements. float32 uses the AVX2 kernel's Cephes log/sincos, in float32 with the fused
 *   multiply-adds GCC makes of them (torch/cephes.ts); float64 uses log, cos, sin.
 * - normal_, < 16 elements: per element the double Box–Muller from u1 then u2 (random64),
 *   r = √(−2·log1p(−u2)), θ = 2π·u1; r·cos θ·std + mean now, r·sin θ kept for the next.
 * - trunc_normal_(mean, std, a, b) (2.13: rejection): normal_ on the whole tensor, then while any
 *   value is outside [a, b], a whole fresh normal_ tensor whose values replace those outside.
 * - randperm(n) (sparse_), n < ⌊(2³²−1)/20⌋: p = identity, for i < n − 1 swap p[i] and
 *   p[i + random() mod (n − i)]; larger n: inside-out shuffle with random64() mod (i + 1).
 * fma, fmaf: one rounding, emulated exactly (torch/fma.ts). sin, cos, erf: fdlibm (torch/
 * fdlibm.ts); log, log1p: detmath.ts (glibc's may differ in the last bit of a float64).
 *
 * @packageDocumentation
 */

export { exp, log, log1p } from './detmath.js';
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
export { cos, erf, sin } from './torch/fdlibm.js';
export { fma, fmaf } from './torch/fma.js';
export { MT19937 } from './torch/mt19937.js';
export { TorchSource, torchSource } from './torch/torch-source.js';
export { fillTruncatedNormal } from './truncated-normal.js';
export { fillUniform, uniformBits } from './uniform.js';
export { ZIG_F, ZIG_LAYERS, ZIG_R, ZIG_V, ZIG_X } from './ziggurat-tables.js';
