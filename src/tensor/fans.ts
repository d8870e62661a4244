import { checkChoice, checkInteger, rangeError } from './errors.js';

/** Where the input and output dimensions of a weight sit. */
export type Layout = 'out-in' | 'in-out';
/** `out-in`: PyTorch `[out, in, ...kernel]` (the default). `in-out`: Keras/TF.js `[...kernel, in, out]`. */
export const LAYOUTS: readonly Layout[] = ['out-in', 'in-out'];

/** Which fan a variance-scaling initializer divides by. */
export type FanMode = 'fan-in' | 'fan-out' | 'fan-avg';
export const FAN_MODES: readonly FanMode[] = ['fan-in', 'fan-out', 'fan-avg'];

/** Fan-in and fan-out of a weight. */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/** Options that decide the fans of a weight. */
export interface FanOptions {
  /** Where in and out sit in the shape. Default `'out-in'`. */
  layout?: Layout;
  /** Overrides the fan-in computed from the shape. */
  fanIn?: number;
  /** Overrides the fan-out computed from the shape. */
  fanOut?: number;
}

/**
 * Fan-in and fan-out of a weight of `shape`, as PyTorch's `_calculate_fan_in_and_fan_out`:
 * with receptive field `r` = product of the kernel dimensions,
 * `fanIn = in · r` and `fanOut = out · r`. In layout `out-in` (`[out, in, ...kernel]`) the
 * kernel is `shape[2:]`; in `in-out` (`[...kernel, in, out]`) it is `shape[:-2]`.
 * `fanIn`/`fanOut` options override the computed values (and make shapes of fewer than
 * 2 dimensions valid).
 *
 * @example computeFans([64, 3, 3, 3]) // { fanIn: 27, fanOut: 576 }
 * @example computeFans([3, 3, 3, 64], { layout: 'in-out' }) // { fanIn: 27, fanOut: 576 }
 * @throws RangeError if the shape has fewer than 2 dimensions and a fan is not given, or a
 *   given fan is not a non-negative integer.
 */
export function computeFans(
  shape: readonly number[],
  options: FanOptions = {},
  fn = 'computeFans',
): Fans {
  const layout =
    options.layout === undefined ? 'out-in' : checkChoice(fn, 'layout', options.layout, LAYOUTS);
  const givenIn =
    options.fanIn === undefined ? undefined : checkInteger(fn, 'fanIn', options.fanIn);
  const givenOut =
    options.fanOut === undefined ? undefined : checkInteger(fn, 'fanOut', options.fanOut);
  if (givenIn !== undefined && givenOut !== undefined) return { fanIn: givenIn, fanOut: givenOut };
  if (shape.length < 2) {
    rangeError(
      fn,
      'shape',
      `at least 2 dimensions to compute fans (or give \`fanIn\` and \`fanOut\`)`,
      shape,
    );
  }
  let receptive = 1;
  let fanIn: number;
  let fanOut: number;
  if (layout === 'out-in') {
    for (let k = 2; k < shape.length; k++) receptive *= shape[k];
    fanOut = shape[0] * receptive;
    fanIn = shape[1] * receptive;
  } else {
    for (let k = 0; k < shape.length - 2; k++) receptive *= shape[k];
    fanIn = shape[shape.length - 2] * receptive;
    fanOut = shape[shape.length - 1] * receptive;
  }
  return { fanIn: givenIn ?? fanIn, fanOut: givenOut ?? fanOut };
}

/**
 * The fan a mode selects: `fan-in`, `fan-out`, or `fan-avg` = (fanIn + fanOut) / 2.
 * @throws RangeError for an unknown mode.
 */
export function fanFor(fans: Fans, mode: FanMode, fn = 'fanFor'): number {
  switch (checkChoice(fn, 'mode', mode, FAN_MODES)) {
    case 'fan-in':
      return fans.fanIn;
    case 'fan-out':
      return fans.fanOut;
    default:
      return (fans.fanIn + fans.fanOut) / 2;
  }
}

/** Normalizes `fan_in`/`fanIn`/`fan-in` spellings of a mode to the canonical kebab-case. */
export function parseFanMode(fn: string, value: unknown): FanMode {
  if (typeof value === 'string') {
    const v = value
      .toLowerCase()
      .replace(/[_ ]/g, '-')
      .replace(/^fan(in|out|avg)$/, 'fan-$1');
    if ((FAN_MODES as readonly string[]).includes(v)) return v as FanMode;
  }
  return checkChoice(fn, 'mode', value, FAN_MODES);
}

/** Where the channels and the kernel of a convolution weight sit, for a layout. */
export interface KernelGeometry {
  readonly outChannels: number;
  readonly inChannels: number;
  /** Spatial dimensions of the kernel. */
  readonly kernel: readonly number[];
  /** Number of kernel taps (product of `kernel`). */
  readonly kernelSize: number;
  /** Row-major offset of the kernel's centre tap (each dimension's `floor(k / 2)`). */
  readonly centre: number;
  /** Memory index of weight (out channel `o`, in channel `i`, kernel tap `tap`). */
  index(o: number, i: number, tap: number): number;
}

/**
 * The geometry of a convolution weight: `[out, in, ...kernel]` for `out-in`,
 * `[...kernel, in, out]` for `in-out`. The shape must have at least 2 dimensions.
 */
export function kernelGeometry(shape: readonly number[], layout: Layout): KernelGeometry {
  const n = shape.length;
  const outIn = layout === 'out-in';
  const outChannels = outIn ? shape[0] : shape[n - 1];
  const inChannels = outIn ? shape[1] : shape[n - 2];
  const kernel = outIn ? shape.slice(2) : shape.slice(0, n - 2);
  let centre = 0;
  let kernelSize = 1;
  for (const k of kernel) {
    centre = centre * k + Math.floor(k / 2);
    kernelSize *= k;
  }
  const index = outIn
    ? (o: number, i: number, tap: number) => (o * inChannels + i) * kernelSize + tap
    : (o: number, i: number, tap: number) => (tap * inChannels + i) * outChannels + o;
  return { outChannels, inChannels, kernel, kernelSize, centre, index };
}
