/**
 * The fast-path tables of the 128-layer ziggurat, derived from the committed constants of
 * `ziggurat-tables.ts` by exact scalings (shared by the JavaScript samplers and the
 * WebAssembly kernels, which copy them into their memory).
 *
 * @internal
 */

import { ZIG_X } from './ziggurat-tables.js';

/**
 * Indexed by the low byte t of a draw's first word (bits 0-6: layer i, bit 7: sign):
 * ZIG_W32[t] = ±X[i]·2⁻²⁴, ZIG_W64[t] = ±X[i]·2⁻⁵³, ZIG_TH[t] = X[i+1].
 */
export const ZIG_W32: Float64Array = new Float64Array(256);
/** See {@link ZIG_W32}. */
export const ZIG_W64: Float64Array = new Float64Array(256);
/** See {@link ZIG_W32}. */
export const ZIG_TH: Float64Array = new Float64Array(256);
for (let t = 0; t < 256; t++) {
  const i = t & 127;
  const sign = t & 128 ? -1 : 1;
  ZIG_W32[t] = sign * ZIG_X[i] * 2 ** -24;
  ZIG_W64[t] = sign * ZIG_X[i] * 2 ** -53;
  ZIG_TH[t] = ZIG_X[i + 1];
}
