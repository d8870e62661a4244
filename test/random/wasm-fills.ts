/**
 * Fills shared by the tests of the WebAssembly kernels and of the worker pool: every sampler on
 * the kernels, with the cases that reach their edges (rejections, clamping, overflow).
 */
import {
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  type Key,
  philoxSourceFromKey,
  uniformBits,
} from '../../src/random/index.js';

export type FloatArray = Float32Array | Float64Array;
export type Out = FloatArray | Uint32Array;
export type Fill = (key: Key, out: Out, start: number) => void;

const src = (k: Key) => philoxSourceFromKey(k);
/** [name, fill]; the first, uniformBits, fills a Uint32Array, the others float arrays. */
export const FILLS: [string, Fill][] = [
  ['uniformBits', (k, o, s) => uniformBits(k, o as Uint32Array, s)],
  ['uniform(-3, 5)', (k, o, s) => fillUniform(k, o as FloatArray, -3, 5, s)],
  // high not a float32 and rounding reaching it: the replacement by low
  [
    'uniform(1 - 2^-20, 1 - 2^-30)',
    (k, o, s) => fillUniform(k, o as FloatArray, 1 - 2 ** -20, 1 - 2 ** -30, s),
  ],
  // every value rounds to high or above: all replaced by low (the float32 kernel's mt = 0)
  [
    'uniform(1 - 2^-30, 1 - 2^-31)',
    (k, o, s) => fillUniform(k, o as FloatArray, 1 - 2 ** -30, 1 - 2 ** -31, s),
  ],
  // low = −0: replaced values are −0, not low + 0 = +0 (float32: JavaScript path)
  ['uniform(-0, 2^-126)', (k, o, s) => fillUniform(k, o as FloatArray, -0, 2 ** -126, s)],
  ['normal(1, 2)', (k, o, s) => fillNormal(k, o as FloatArray, 1, 2, s)],
  ['normal(0, 1e-300)', (k, o, s) => fillNormal(k, o as FloatArray, 0, 1e-300, s)],
  ['normal(0, 1e308) (overflow to ±∞)', (k, o, s) => fillNormal(k, o as FloatArray, 0, 1e308, s)],
  ...(
    [
      [-2, 2],
      [0, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      [-1, 1], // ~32 % rejected
      [0, 2], // ~52 % rejected
      [-2.5, 0.1], // mirrored
      // the proposals' kernel: uniform (narrow, wider with rejections, one-sided), exponential
      [-0.1, 0.1],
      [-1, 0.9],
      [0.5, 0.7],
      [2, 3],
      [-3, -2], // mirrored
      [5, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, -40],
    ] as const
  ).map(
    ([a, b]) =>
      [
        `truncatedNormal(0.5, 3, [${a}, ${b}])`,
        (k: Key, o: Out, s: number) => fillTruncatedNormal(k, o as FloatArray, 0.5, 3, a, b, s),
      ] as [string, Fill],
  ),
  // Absolute bounds (PhiloxSource.truncatedNormal), normal rejection (standardized ±2.5): values
  // that rounding to float32 pushes past a bound (v within 1e-7 of 1) are set to the bound.
  [
    'source.truncatedNormal(1, 4e-8, [1 - 1e-7, 1 + 1e-7])',
    (k, o, s) => src(k).truncatedNormal(o as FloatArray, 1, 4e-8, 1 - 1e-7, 1 + 1e-7, s),
  ],
  // absolute bounds through the uniform proposal (standardized ±0.5), values rounded past a bound
  [
    'source.truncatedNormal(1, 2e-7, [1 - 1e-7, 1 + 1e-7])',
    (k, o, s) => src(k).truncatedNormal(o as FloatArray, 1, 2e-7, 1 - 1e-7, 1 + 1e-7, s),
  ],
  // no float32 strictly inside (standardized ±2): both bounds collapse to one float32
  [
    'source.truncatedNormal(1.000000015, 2.5e-9, [1.00000001, 1.00000002])',
    (k, o, s) =>
      src(k).truncatedNormal(o as FloatArray, 1.000000015, 2.5e-9, 1.00000001, 1.00000002, s),
  ],
];
