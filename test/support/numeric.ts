/** Helpers for tests of floating-point functions. */

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Distance in ulps between two finite doubles of the same sign (0 if identical). */
export function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  f64[0] = a;
  const x = i64[0];
  f64[0] = b;
  return Math.abs(Number(x - i64[0]));
}

/** A fixed linear congruential sequence in [0, 1) (deterministic inputs). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
