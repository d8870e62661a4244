/**
 * One pass over a tensor's values, chunk by chunk, in bounded memory: the statistics and the
 * structural checks that `inspect` and `detectScheme` need.
 *
 * - Moments: count, mean and the central moments M₂, M₃, M₄ in float64. Each chunk's power
 *   sums are taken in one pass about a shift near the mean (the running mean; for the first
 *   chunk the mean of its first 64 values), turned into central moments, and merged into
 *   the total with the pairwise formulas of Chan et al. (1979) and Pébay (2008). A chunk
 *   holding NaN/±Infinity, or whose mean lies more than 4 of its standard deviations from
 *   the shift (cancellation), is summed again exactly. Also min, max, zeros, NaN, ±Infinity.
 * - Units (rows of the `[out, rest]` matrix in layout `out-in`, columns of `[rest, out]` in
 *   `in-out`): a 64-bit hash of each unit's values (two 32-bit multiplicative lanes, −0 as
 *   0), to find identical units; 8 bytes per unit, skipped above {@link MAX_HASHED_UNITS}.
 * - Orthogonality: up to {@link ORTHOGONAL_LINES} evenly spaced lines of the short side
 *   (rows of a wide matrix, columns of a tall one) are kept, at most
 *   {@link ORTHOGONAL_SAMPLE_ELEMENTS} values in all; their Gram matrix G gives the residual
 *   max(|Gᵢⱼ|, |Gᵢᵢ − s²|)/s² · √L (s² = mean Gᵢᵢ, L = line length): about 1 for i.i.d.
 *   values (each normalized dot product has sd 1/√L), about the dtype's rounding for an
 *   orthogonal matrix.
 * - Orthogonality per block (rank 2, long side k·H for a short side of H, k ≥ 2: an
 *   LSTM's `[4H, H]`, a GRU's `[3H, H]`): from the same kept lines, which span the whole long
 *   side, the Gram matrix of each of the k H×H blocks (each line cut into k segments of H
 *   values) gives the residual max_b max(|G⁽ᵇ⁾ᵢⱼ|, |G⁽ᵇ⁾ᵢᵢ − s²|)/s² · √H (s² = mean of all the
 *   blocks' Gᵢᵢ: one common gain): about 1 for i.i.d. values and for one tall (or wide)
 *   orthogonal matrix, whose blocks are not orthogonal; the dtype's rounding when every
 *   block is orthogonal with the same gain (a square block's lines orthonormal ⇔ the block
 *   orthogonal). No memory beyond the sample; k·64² dot products of H values.
 * - Pattern: whether the values are exactly g·I (rank 2) or the Dirac pattern (rank ≥ 3,
 *   `kernelGeometry`'s centre tap): zeros everywhere but one equal non-zero value at each
 *   (o, o, centre). A 2-D `[k·H, H]` (or `[H, k·H]`, k ≥ 2) is also checked for g·I in every
 *   H×H block (identity per gate block, IRNN-style recurrent weights): the positions of all
 *   the blocks' diagonals are kept (k·H of them), g·I needs 0 at those past the first block,
 *   the block pattern g there.
 * - Gate blocks (rank 1): whether the values are constant on each of {@link GATE_BLOCKS}
 *   equal blocks (4: an LSTM's i, f, g, o; 3: a GRU's r, z, n), as a recurrent bias with a
 *   forget-gate bias is.
 * - Centre (rank ≥ 3, kernel of more than one tap: delta-orthogonal): whether every value off
 *   the kernel centre (`kernelGeometry`'s centre tap) is exactly 0; if so, the orthogonality
 *   check above, run on the `[out, in]` slice at the centre (up to {@link ORTHOGONAL_LINES}
 *   lines of its short side kept as they stream by). Stops looking at the first non-zero
 *   value off the centre, so a dense kernel costs one comparison.
 * - Zero counts (rank 2: sparse): the number of exact zeros (±0) in each row and each column,
 *   named by layout — per unit (rows in `out-in`, columns in `in-out`) and per input (the
 *   other axis), as `sparse`'s two semantics count them — with their min, max, total and
 *   variance, and the moments of the non-zero values (count, mean, std, kurtosis: from the
 *   power sums of all values, zeros adding nothing to them). Counted only in chunks that hold
 *   a zero (the moments loop counts them anyway), so a dense tensor costs nothing.
 *
 * Memory: the hashes, the orthogonality samples (the per-block check adds k·64² Gram entries,
 * no values), the pattern's positions (8 bytes each, 12 with their block for identity per
 * block) and the zero counts, each bounded by its limit whatever the tensor's size; checks
 * over a limit are skipped and say why.
 * Engine-neutral (no Node API).
 */

import { type KernelGeometry, kernelGeometry, type Layout } from '../tensor/fans.js';

/** Units (rows or columns) hashed at most: 4 Mi units, 32 MiB of hashes. */
export const MAX_HASHED_UNITS = 1 << 22;
/** Lines sampled at most for the orthogonality check (also that of each block). */
export const ORTHOGONAL_LINES = 64;
/** Values kept at most for the orthogonality check: 2 Mi float64, 16 MiB. */
export const ORTHOGONAL_SAMPLE_ELEMENTS = 1 << 21;
/** Diagonal positions checked at most for the identity/Dirac pattern (and identity per block). */
export const MAX_PATTERN_POSITIONS = 1 << 22;

/** Rows + columns whose zeros are counted at most: 8 Mi lines, 32 MiB of counts. */
export const MAX_COUNTED_LINES = 1 << 23;

/** Numbers of equal blocks checked for blockwise-constant 1-D tensors (gate biases), first match wins. */
export const GATE_BLOCKS = [4, 3] as const;

/** Statistics of a tensor's values. */
export interface TensorStats {
  /** Number of elements. */
  readonly count: number;
  /** Number of finite elements (mean, std, min, max, moments are over them). */
  readonly finite: number;
  readonly mean: number;
  /** Population standard deviation. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** Fraction of all elements equal to 0. */
  readonly zeroFraction: number;
  readonly nan: number;
  /** Number of +Infinity and −Infinity elements. */
  readonly infinite: number;
  /** M₃/M₂^1.5 (NaN when std is 0). */
  readonly skewness: number;
  /** M₄/M₂² (NaN when std is 0). */
  readonly kurtosis: number;
}

/** A check that did not run, and why. */
export interface Skipped {
  readonly skipped: string;
}

/** The orthogonality check of sampled lines. */
export interface OrthogonalityCheck {
  /** Largest deviation of the sampled Gram matrix from s²I, relative, times √L. */
  readonly residual: number;
  /** Lines sampled. */
  readonly lines: number;
  /** `rows` for a wide matrix, `columns` for a tall one. */
  readonly along: 'rows' | 'columns';
  /** √s²: the rms norm of the lines (the gain, if orthogonal). */
  readonly gain: number;
}

/**
 * The orthogonality check of each square block of a 2-D `[k·H, H]` or `[H, k·H]` matrix
 * (k ≥ 2), from the lines sampled for {@link OrthogonalityCheck}.
 */
export interface BlockOrthogonalityCheck {
  /** Number of blocks k. */
  readonly blocks: number;
  /** Side H of each block (the short side). */
  readonly size: number;
  /**
   * `rows` when the blocks are stacked along dimension 0 (`[k·H, H]`, PyTorch's gate blocks),
   * `columns` when side by side along dimension 1 (`[H, k·H]`).
   */
  readonly stacked: 'rows' | 'columns';
  /** Largest deviation of any block's sampled Gram matrix from s²I, relative, times √H. */
  readonly residual: number;
  /** Lines sampled (of each block). */
  readonly lines: number;
  /** √s²: the rms norm of the blocks' lines (the common gain, if every block is orthogonal). */
  readonly gain: number;
}

/** The exact identity/Dirac pattern a tensor has. */
export interface PatternCheck {
  /**
   * `identity`: g·I (eye_: of a non-square matrix, the diagonal of its first min(out, in)
   * lines); `dirac`: the Dirac pattern; `block-identity`: g·I in each of `blocks` H×H blocks
   * of a `[k·H, H]` or `[H, k·H]` matrix.
   */
  readonly kind: 'identity' | 'dirac' | 'block-identity';
  readonly value: number;
  /** Number of blocks (`block-identity` only). */
  readonly blocks?: number;
}

/** The identical-units check. */
export interface UnitsCheck {
  /** `rows` (layout out-in) or `columns` (in-out) of the 2-D view. */
  readonly along: 'rows' | 'columns';
  readonly units: number;
  /** Units equal to an earlier one. */
  readonly duplicates: number;
  /** The first pair found. */
  readonly example: readonly [number, number] | null;
  /** Units whose values are all zero. */
  readonly zeroUnits: number;
}

/** Exact zeros per line of one axis of a 2-D tensor. */
export interface LineCounts {
  /** `rows` or `columns` of the tensor as stored. */
  readonly along: 'rows' | 'columns';
  /** Number of lines. */
  readonly lines: number;
  /** Elements per line. */
  readonly length: number;
  /** Fewest zeros in a line. */
  readonly min: number;
  /** Most zeros in a line. */
  readonly max: number;
  /** Zeros in all lines. */
  readonly total: number;
  /** Population variance of the lines' counts. */
  readonly variance: number;
}

/** Moments of the non-zero finite values. */
export interface NonZeroMoments {
  readonly count: number;
  readonly mean: number;
  /** Population std (0 when fewer than 2 distinct values). */
  readonly std: number;
  /** μ₄/μ₂² (NaN when std is 0). */
  readonly kurtosis: number;
}

/** Exact zeros of a 2-D tensor per unit and per input (see `sparse` of src/init). */
export interface ZeroCounts {
  /** Per unit: rows in `out-in`, columns in `in-out` (Martens' `nonZero` counts these). */
  readonly units: LineCounts;
  /** Per input: columns in `out-in`, rows in `in-out` (PyTorch's `sparsity` counts these). */
  readonly inputs: LineCounts;
  readonly nonZero: NonZeroMoments;
}

/** What the checks found: `null` when a check does not apply (rank < 2, too small). */
export interface StructureChecks {
  readonly orthogonality: OrthogonalityCheck | Skipped | null;
  /**
   * The orthogonality check of each square block, when the matrix is 2-D with a long side k
   * times its short side (k ≥ 2) and the orthogonality sample was taken; else null.
   */
  readonly blockOrthogonality: BlockOrthogonalityCheck | null;
  readonly identicalUnits: UnitsCheck | Skipped | null;
  /** The exact identity/Dirac/identity-per-block pattern when the values have it, else null. */
  readonly pattern: PatternCheck | null;
  /**
   * The value of each block when a 1-D tensor is constant on each of 4 (or else 3) equal blocks
   * of at least 2 elements, not all equal, all finite; else null.
   */
  readonly gates: readonly number[] | null;
  /**
   * When every value off the kernel centre is exactly 0 (rank ≥ 3, a kernel of more than one
   * tap, a centre slice with at least 2 lines on its short side): the orthogonality check of
   * the `[out, in]` slice at the centre (`along` its rows or columns). Else null.
   */
  readonly centre: OrthogonalityCheck | Skipped | null;
  /** Zeros per unit and per input of a 2-D tensor holding a zero; null otherwise. */
  readonly zeroCounts: ZeroCounts | Skipped | null;
}

/** The 2-D view of a tensor of rank ≥ 2: `[shape[0], rest]` (out-in), `[rest, last]` (in-out). */
export function matrixView(
  shape: readonly number[],
  layout: Layout,
): { rows: number; cols: number } {
  let size = 1;
  for (const d of shape) size *= d;
  if (layout === 'out-in') {
    const rows = shape[0];
    return { rows, cols: rows === 0 ? 0 : size / rows };
  }
  const cols = shape[shape.length - 1];
  return { rows: cols === 0 ? 0 : size / cols, cols };
}

const LANE1 = 0x85ebca6b;
const LANE2 = 0xc2b2ae35;
const SEED1 = 0x811c9dc5;
const SEED2 = 0x1b873593;

/** Mixes float32 words `[from, to)` into the two lanes (−0 as 0). */
function mixNarrow(
  words: Int32Array,
  from: number,
  to: number,
  a: number,
  b: number,
): [number, number] {
  for (let k = from; k < to; k++) {
    let w = words[k];
    if (w << 1 === 0) w = 0;
    a = Math.imul(a ^ w, LANE1);
    b = Math.imul(b ^ w, LANE2);
    a ^= a >>> 13;
    b ^= b >>> 16;
  }
  return [a, b];
}

/** Mixes float64 elements `[from, to)` (two words each) into the two lanes (−0 as 0). */
function mixWide(
  words: Int32Array,
  from: number,
  to: number,
  a: number,
  b: number,
): [number, number] {
  for (let k = from; k < to; k++) {
    const lo = words[2 * k];
    let hi = words[2 * k + 1];
    if (lo === 0 && hi << 1 === 0) hi = 0;
    a = Math.imul(a ^ lo, LANE1);
    b = Math.imul(b ^ lo, LANE2);
    a ^= a >>> 13;
    b ^= b >>> 16;
    a = Math.imul(a ^ hi, LANE1);
    b = Math.imul(b ^ hi, LANE2);
    a ^= a >>> 13;
    b ^= b >>> 16;
  }
  return [a, b];
}

/**
 * Up to {@link ORTHOGONAL_LINES} evenly spaced lines of the short side of a matrix (at most
 * {@link ORTHOGONAL_SAMPLE_ELEMENTS} values), filled as the values stream by, and the Gram
 * residual of the orthogonality check.
 */
class LineSample {
  /** Values of the kept lines, line after line. */
  readonly data: Float64Array;
  /** The kept lines' indices, increasing. */
  readonly selected: Float64Array;

  /**
   * A sample of `lines` of the `short` lines of `length` values each (see {@link plan}).
   * @param short - lines of the short side
   */
  private constructor(
    readonly short: number,
    readonly length: number,
    readonly lines: number,
  ) {
    this.selected = Float64Array.from({ length: lines }, (_, j) => Math.floor((j * short) / lines));
    this.data = new Float64Array(lines * length);
  }

  /**
   * The sample for a matrix whose short side has `short` lines of `long` values: null when
   * there are fewer than 2 lines, a reason when two lines do not fit.
   */
  static plan(short: number, long: number): LineSample | string | null {
    if (short < 2) return null;
    const k = Math.min(ORTHOGONAL_LINES, short, Math.floor(ORTHOGONAL_SAMPLE_ELEMENTS / long));
    if (k < 2) {
      return `lines of ${long} elements: more than the ${ORTHOGONAL_SAMPLE_ELEMENTS / 2} that fit two sampled lines`;
    }
    return new LineSample(short, long, k);
  }

  /** Slot of a line among the kept ones, or −1. */
  slot(line: number): number {
    const j = Math.ceil((line * this.lines) / this.short);
    return j < this.lines && this.selected[j] === line ? j : -1;
  }

  /** The orthogonality check of the kept lines (see {@link OrthogonalityCheck}). */
  check(along: 'rows' | 'columns'): OrthogonalityCheck {
    const s = this.data;
    const k = this.lines;
    const L = this.length;
    const gram = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        let dot = 0;
        for (let t = 0, a = i * L, b = j * L; t < L; t++, a++, b++) dot += s[a] * s[b];
        gram[i * k + j] = dot;
      }
    }
    let s2 = 0;
    for (let i = 0; i < k; i++) s2 += gram[i * k + i];
    s2 /= k;
    let worst = 0;
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const dev = Math.abs(gram[i * k + j] - (i === j ? s2 : 0)) / s2;
        if (!(dev <= worst)) worst = dev; // NaN sticks
      }
    }
    return { residual: worst * Math.sqrt(L), lines: k, along, gain: Math.sqrt(s2) };
  }

  /**
   * The orthogonality check of each square block (see {@link BlockOrthogonalityCheck}), or
   * null when the lines' length is not k ≥ 2 times the number of short lines.
   */
  blockCheck(stacked: 'rows' | 'columns'): BlockOrthogonalityCheck | null {
    const H = this.short;
    const L = this.length;
    if (L % H !== 0 || L / H < 2) return null;
    const blocks = L / H;
    const s = this.data;
    const k = this.lines;
    // gram[(b·k + i)·k + j]: lines i and j over the H values of block b.
    const gram = new Float64Array(blocks * k * k);
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        for (let b = 0; b < blocks; b++) {
          let dot = 0;
          for (let t = 0, a = i * L + b * H, c = j * L + b * H; t < H; t++, a++, c++) {
            dot += s[a] * s[c];
          }
          gram[(b * k + i) * k + j] = dot;
        }
      }
    }
    let s2 = 0;
    for (let b = 0; b < blocks; b++) for (let i = 0; i < k; i++) s2 += gram[(b * k + i) * k + i];
    s2 /= blocks * k;
    let worst = 0;
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < k; i++) {
        for (let j = i; j < k; j++) {
          const dev = Math.abs(gram[(b * k + i) * k + j] - (i === j ? s2 : 0)) / s2;
          if (!(dev <= worst)) worst = dev; // NaN sticks
        }
      }
    }
    return {
      blocks,
      size: H,
      stacked,
      residual: worst * Math.sqrt(H),
      lines: k,
      gain: Math.sqrt(s2),
    };
  }
}

/** Accumulates a tensor's statistics and checks over chunks of its values, in order. */
export class TensorAccumulator {
  private readonly size: number;
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private m3 = 0;
  private m4 = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private zeros = 0;
  private nan = 0;
  private infinite = 0;
  private next = 0;
  /** Whether the values come as float64 (two words each for the hashes). */
  private wide = false;

  // 2-D view.
  private readonly rows: number = 0;
  private readonly cols: number = 0;

  // Identical units.
  private readonly unitsSkipped: string | null = null;
  private readonly unitRows: boolean = true;
  private readonly h1: Int32Array | null = null;
  private readonly h2: Int32Array | null = null;

  // Orthogonality sample.
  private readonly orthSkipped: string | null = null;
  private readonly sample: LineSample | null = null;
  private readonly byRows: boolean = true;

  // Centre only (delta-orthogonal): whether every value off the centre tap so far is 0, and
  // the sample of the centre slice (lines: rows of [out, in] when out <= in, else columns).
  private readonly kernel: KernelGeometry | null = null;
  private centreOk = false;
  private readonly centreSkipped: string | null = null;
  private readonly centreSample: LineSample | null = null;
  private readonly centreByRows: boolean = true;

  // Zeros per row and per column (rank 2).
  private readonly zeroSkipped: string | null = null;
  private readonly rowZeros: Int32Array | null = null;
  private readonly colZeros: Int32Array | null = null;

  // Pattern.
  private readonly positions: Float64Array | null = null;
  private readonly patternKind: 'identity' | 'dirac' = 'identity';
  private patternOk = false;
  // Identity per block: each position's block (null: one diagonal), and which of g·I (0 past
  // the first block) and g·I per block the values so far fit.
  private readonly patternBlocks: Int32Array | null = null;
  private eyeOk = true;
  private blocksOk = false;
  private patternValue = Number.NaN;
  private patternNext = 0;

  // Gate blocks: for each candidate count, the block length, each block's value (NaN until
  // seen) and whether the values so far fit.
  private readonly gateChecks: { length: number; values: Float64Array; ok: boolean }[] = [];

  /** Plans the checks for a tensor of `shape` stored in `layout`. */
  constructor(
    readonly shape: readonly number[],
    readonly layout: Layout,
  ) {
    let size = 1;
    for (const d of shape) size *= d;
    this.size = size;
    if (shape.length === 1) {
      for (const blocks of GATE_BLOCKS) {
        if (size % blocks === 0 && size / blocks >= 2) {
          const values = new Float64Array(blocks).fill(Number.NaN);
          this.gateChecks.push({ length: size / blocks, values, ok: true });
        }
      }
    }
    if (shape.length < 2 || size === 0) return;
    const { rows, cols } = matrixView(shape, layout);
    this.rows = rows;
    this.cols = cols;

    this.unitRows = layout === 'out-in';
    const units = this.unitRows ? rows : cols;
    if (units < 2) this.unitsSkipped = null;
    else if (units > MAX_HASHED_UNITS) {
      this.unitsSkipped = `${units} units: more than the ${MAX_HASHED_UNITS} hashed at most`;
    } else {
      this.h1 = new Int32Array(units).fill(SEED1);
      this.h2 = new Int32Array(units).fill(SEED2);
    }

    this.byRows = rows <= cols;
    const sample = LineSample.plan(Math.min(rows, cols), Math.max(rows, cols));
    if (typeof sample === 'string') this.orthSkipped = sample;
    else this.sample = sample;

    const g = kernelGeometry(shape, layout);
    const diagonal = Math.min(g.outChannels, g.inChannels);
    const blocks = squareBlocks(shape);
    if (blocks !== null && blocks.count * blocks.size <= MAX_PATTERN_POSITIONS) {
      // The diagonals of all the blocks, in storage order, and each one's block.
      const { count, size: H, stacked } = blocks;
      const n = count * H;
      this.positions = new Float64Array(n);
      this.patternBlocks = new Int32Array(n);
      for (let p = 0; p < n; p++) {
        // Stacked rows: position p is row p, column p mod H. Side by side: row ⌊p/k⌋, block p mod k.
        const [row, b] =
          stacked === 'rows' ? [p, Math.floor(p / H)] : [Math.floor(p / count), p % count];
        const col = stacked === 'rows' ? p % H : b * H + row;
        this.positions[p] = row * cols + col;
        this.patternBlocks[p] = b;
      }
      this.blocksOk = true;
      this.patternOk = true;
    } else if (diagonal > 0 && diagonal <= MAX_PATTERN_POSITIONS && size >= 2) {
      this.positions = Float64Array.from({ length: diagonal }, (_, o) => g.index(o, o, g.centre));
      this.patternKind = shape.length === 2 ? 'identity' : 'dirac';
      this.patternOk = true;
    }

    if (shape.length >= 3 && g.kernelSize > 1) {
      const [out, inC] = [g.outChannels, g.inChannels];
      const centre = LineSample.plan(Math.min(out, inC), Math.max(out, inC));
      if (centre !== null) {
        this.kernel = g;
        this.centreOk = true;
        this.centreByRows = out <= inC;
        if (typeof centre === 'string') this.centreSkipped = centre;
        else this.centreSample = centre;
      }
    }

    if (shape.length === 2) {
      if (rows + cols > MAX_COUNTED_LINES) {
        this.zeroSkipped = `${rows} rows and ${cols} columns: more than the ${MAX_COUNTED_LINES} lines counted at most`;
      } else {
        this.rowZeros = new Int32Array(rows);
        this.colZeros = new Int32Array(cols);
      }
    }
  }

  /**
   * Adds the next values of the tensor (row-major order, continuing where the last chunk
   * ended).
   * @throws RangeError if the values run past the tensor's size.
   */
  push(values: Float32Array | Float64Array): void {
    const start = this.next;
    const end = start + values.length;
    if (end > this.size) {
      throw new RangeError(
        `TensorAccumulator.push: \`values\` must end within the tensor's ${this.size} elements, got ${end}`,
      );
    }
    this.next = end;
    if (values.length === 0) return;
    this.wide = values instanceof Float64Array;
    const zeros = this.moments(values);
    if (this.h1 !== null) this.hash(values, start);
    if (this.sample !== null) this.keepSample(values, start);
    if (this.patternOk) this.checkPattern(values, start);
    if (this.centreOk) this.checkCentre(values, start);
    if (zeros > 0 && this.rowZeros !== null) this.countZeros(values, start);
    for (const g of this.gateChecks) if (g.ok) g.ok = blockwiseConstant(g, values, start);
  }

  /** Merges the chunk's moments into the total; returns the number of zeros in the chunk. */
  private moments(values: Float32Array | Float64Array): number {
    const len = values.length;
    // Power sums about a shift K close to the mean, in one pass: K is the running mean, or
    // for the first chunk the mean of its first finite values.
    let shift = this.mean;
    if (this.n === 0) {
      let k = 0;
      let sum = 0;
      for (let i = 0; i < len && k < 64; i++) {
        const x = values[i];
        if (x - x === 0) {
          sum += x;
          k++;
        }
      }
      shift = k === 0 ? 0 : sum / k;
    }
    // Fast path: no test per element (V8 keeps this loop tight); a NaN or ±Infinity makes
    // the sums non-finite, and the chunk is then summed again, value by value.
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    for (let i = 0; i < len; i++) {
      const x = values[i];
      const d = x - shift;
      const d2 = d * d;
      s1 += d;
      s2 += d2;
      s3 += d2 * d;
      s4 += d2 * d2;
      if (x < min) min = x;
      if (x > max) max = x;
      zeros += x === 0 ? 1 : 0;
    }
    let nb = len;
    if (!Number.isFinite(s1 + s2 + s3 + s4)) {
      nb = 0;
      s1 = s2 = s3 = s4 = 0;
      min = this.min;
      max = this.max;
      zeros = 0;
      for (let i = 0; i < len; i++) {
        const x = values[i];
        if (Number.isNaN(x)) {
          this.nan++;
          continue;
        }
        if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) {
          this.infinite++;
          continue;
        }
        nb++;
        const d = x - shift;
        const d2 = d * d;
        s1 += d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
        if (x < min) min = x;
        if (x > max) max = x;
        if (x === 0) zeros++;
      }
    }
    this.min = min;
    this.max = max;
    this.zeros += zeros;
    if (nb === 0) return zeros;
    // Central moments of the chunk from the power sums about the shift.
    const e = s1 / nb;
    const mb = shift + e;
    let m2 = s2 - nb * e * e;
    let m3 = s3 - 3 * e * s2 + 2 * nb * e * e * e;
    let m4 = s4 - 4 * e * s3 + 6 * e * e * s2 - 3 * nb * e * e * e * e;
    if (e * e * nb > 16 * m2 || !(m2 > 0)) {
      // The shift was far from the mean (relative to the spread): cancellation would lose
      // digits, so take the exact second pass about the chunk's mean.
      m2 = 0;
      m3 = 0;
      m4 = 0;
      for (let i = 0; i < len; i++) {
        const d = values[i] - mb;
        if (d - d !== 0) continue;
        const d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
      }
    }
    // Merge (Pébay 2008, eq. 3.1): a = what came before, b = this chunk.
    const na = this.n;
    const n = na + nb;
    const delta = mb - this.mean;
    const d2 = delta * delta;
    const ab = na * nb;
    this.m4 +=
      m4 +
      (d2 * d2 * ab * (na * na - ab + nb * nb)) / (n * n * n) +
      (6 * d2 * (na * na * m2 + nb * nb * this.m2)) / (n * n) +
      (4 * delta * (na * m3 - nb * this.m3)) / n;
    this.m3 +=
      m3 + (d2 * delta * ab * (na - nb)) / (n * n) + (3 * delta * (na * m2 - nb * this.m2)) / n;
    this.m2 += m2 + (d2 * ab) / n;
    this.mean += (delta * nb) / n;
    this.n = n;
    return zeros;
  }

  private hash(values: Float32Array | Float64Array, start: number): void {
    const h1 = this.h1!;
    const h2 = this.h2!;
    const n = values.length;
    const wide = this.wide;
    const words = new Int32Array(values.buffer, values.byteOffset, n * (wide ? 2 : 1));
    const cols = this.cols;
    let col = start % cols;
    let row = (start - col) / cols;
    // Row segments: in out-in the unit is the row (its state stays in locals along the
    // segment); in in-out the unit is the column (the state of each column in turn).
    for (let i = 0; i < n; ) {
      const end = Math.min(n, i + cols - col);
      if (this.unitRows) {
        const [a, b] = wide
          ? mixWide(words, i, end, h1[row], h2[row])
          : mixNarrow(words, i, end, h1[row], h2[row]);
        h1[row] = a;
        h2[row] = b;
      } else if (wide) {
        for (let k = i, u = col; k < end; k++, u++) {
          const [a, b] = mixWide(words, k, k + 1, h1[u], h2[u]);
          h1[u] = a;
          h2[u] = b;
        }
      } else {
        for (let k = i, u = col; k < end; k++, u++) {
          let w = words[k];
          if (w << 1 === 0) w = 0; // −0 and 0 are the same weight
          const a = Math.imul(h1[u] ^ w, LANE1);
          const b = Math.imul(h2[u] ^ w, LANE2);
          h1[u] = a ^ (a >>> 13);
          h2[u] = b ^ (b >>> 16);
        }
      }
      i = end;
      col = 0;
      row++;
    }
  }

  /** The hash of a unit of `length` zeros. */
  private zeroUnitHash(length: number, wide: boolean): [number, number] {
    const zeros = new Int32Array(wide ? 2 : 1);
    let state: [number, number] = [SEED1, SEED2];
    for (let i = 0; i < length; i++) {
      state = wide ? mixWide(zeros, 0, 1, ...state) : mixNarrow(zeros, 0, 1, ...state);
    }
    return state;
  }

  private keepSample(values: Float32Array | Float64Array, start: number): void {
    const sample = this.sample!;
    const data = sample.data;
    const cols = this.cols;
    const end = start + values.length;
    const L = sample.length;
    const firstRow = Math.floor(start / cols);
    const lastRow = Math.floor((end - 1) / cols);
    if (this.byRows) {
      for (let r = firstRow; r <= lastRow; r++) {
        const slot = sample.slot(r);
        if (slot < 0) continue;
        const a = Math.max(start, r * cols);
        const b = Math.min(end, (r + 1) * cols);
        data.set(values.subarray(a - start, b - start), slot * L + (a - r * cols));
      }
    } else {
      for (let r = firstRow; r <= lastRow; r++) {
        for (let j = 0; j < sample.lines; j++) {
          const k = r * cols + sample.selected[j];
          if (k >= start && k < end) data[j * L + r] = values[k - start];
        }
      }
    }
  }

  /**
   * Keeps the centre-slice values of this chunk and checks that every other value is 0; the
   * first non-zero value off the centre ends the check.
   */
  private checkCentre(values: Float32Array | Float64Array, start: number): void {
    const g = this.kernel!;
    const sample = this.centreSample;
    const [outC, inC, K, centre] = [g.outChannels, g.inChannels, g.kernelSize, g.centre];
    const keep = (o: number, i: number, x: number) => {
      if (sample === null) return;
      const [line, at] = this.centreByRows ? [o, i] : [i, o];
      const slot = sample.slot(line);
      if (slot >= 0) sample.data[slot * sample.length + at] = x;
    };
    const n = values.length;
    if (this.layout === 'out-in') {
      // index = (o·in + i)·K + tap: the tap turns every element.
      let tap = start % K;
      let oi = (start - tap) / K;
      for (let k = 0; k < n; k++) {
        const x = values[k];
        if (tap === centre) {
          const o = Math.floor(oi / inC);
          keep(o, oi - o * inC, x);
        } else if (x !== 0) return void (this.centreOk = false);
        if (++tap === K) {
          tap = 0;
          oi++;
        }
      }
    } else {
      // index = (tap·in + i)·out + o: one block of in·out values per tap.
      const block = inC * outC;
      let at = start % block;
      let tap = (start - at) / block;
      for (let k = 0; k < n; k++) {
        const x = values[k];
        if (tap === centre) {
          const i = Math.floor(at / outC);
          keep(at - i * outC, i, x);
        } else if (x !== 0) return void (this.centreOk = false);
        if (++at === block) {
          at = 0;
          tap++;
        }
      }
    }
  }

  /** Counts the zeros of a chunk per row and per column (rank 2). */
  private countZeros(values: Float32Array | Float64Array, start: number): void {
    const rz = this.rowZeros!;
    const cz = this.colZeros!;
    const cols = this.cols;
    let col = start % cols;
    let row = (start - col) / cols;
    for (let k = 0; k < values.length; k++) {
      if (values[k] === 0) {
        rz[row]++;
        cz[col]++;
      }
      if (++col === cols) {
        col = 0;
        row++;
      }
    }
  }

  private checkPattern(values: Float32Array | Float64Array, start: number): void {
    const pos = this.positions!;
    const blocks = this.patternBlocks;
    let p = this.patternNext;
    let next = p < pos.length ? pos[p] : Number.POSITIVE_INFINITY;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (start + i === next) {
        if (blocks !== null && blocks[p] > 0) {
          // Past the first block (whose first position came first): g·I needs 0, per block g.
          if (x !== 0) this.eyeOk = false;
          if (x !== this.patternValue) this.blocksOk = false;
          if (!this.eyeOk && !this.blocksOk) return void (this.patternOk = false);
        } else if (x === 0 || !Number.isFinite(x)) return void (this.patternOk = false);
        else if (Number.isNaN(this.patternValue)) this.patternValue = x;
        else if (x !== this.patternValue) return void (this.patternOk = false);
        p++;
        next = p < pos.length ? pos[p] : Number.POSITIVE_INFINITY;
      } else if (x !== 0) {
        return void (this.patternOk = false);
      }
    }
    this.patternNext = p;
  }

  /** The gate blocks' values, when one of the checks held to the end (see {@link StructureChecks}). */
  private gates(): number[] | null {
    if (this.next !== this.size) return null;
    for (const g of this.gateChecks) {
      const v = [...g.values];
      if (g.ok && v.every(Number.isFinite) && v.some((x) => x !== v[0])) return v;
    }
    return null;
  }

  /** The statistics (call after the last chunk). */
  stats(): TensorStats {
    const n = this.n;
    const none = n === 0;
    return {
      count: this.size,
      finite: n,
      mean: none ? Number.NaN : this.mean,
      std: none ? Number.NaN : this.min === this.max ? 0 : Math.sqrt(this.m2 / n),
      min: none ? Number.NaN : this.min,
      max: none ? Number.NaN : this.max,
      zeroFraction: this.size === 0 ? 0 : this.zeros / this.size,
      nan: this.nan,
      infinite: this.infinite,
      skewness:
        none || this.min === this.max ? Number.NaN : (Math.sqrt(n) * this.m3) / this.m2 ** 1.5,
      kurtosis: none || this.min === this.max ? Number.NaN : (n * this.m4) / (this.m2 * this.m2),
    };
  }

  /** The structural checks (call after the last chunk). */
  checks(): StructureChecks {
    return {
      orthogonality: this.orthogonality(),
      blockOrthogonality: this.blockOrthogonality(),
      identicalUnits: this.identicalUnits(),
      pattern: this.pattern(),
      gates: this.gates(),
      centre: this.centre(),
      zeroCounts: this.zeroCounts(),
    };
  }

  /** The exact pattern the values have, if any (call after the last chunk). */
  private pattern(): PatternCheck | null {
    if (!this.patternOk || this.next !== this.size || this.patternNext !== this.positions!.length) {
      return null;
    }
    if (this.eyeOk) return { kind: this.patternKind, value: this.patternValue };
    return {
      kind: 'block-identity',
      value: this.patternValue,
      blocks: this.positions!.length / Math.min(this.rows, this.cols),
    };
  }

  /** Each square block's orthogonality check (2-D, long side k·H), from the same sample. */
  private blockOrthogonality(): BlockOrthogonalityCheck | null {
    if (this.shape.length !== 2 || this.sample === null || this.next !== this.size) return null;
    return this.sample.blockCheck(this.byRows ? 'columns' : 'rows');
  }

  private orthogonality(): OrthogonalityCheck | Skipped | null {
    if (this.orthSkipped !== null) return { skipped: this.orthSkipped };
    return this.sample?.check(this.byRows ? 'rows' : 'columns') ?? null;
  }

  /** The centre slice's orthogonality check, when the values are zero off the centre. */
  private centre(): OrthogonalityCheck | Skipped | null {
    if (!this.centreOk || this.next !== this.size) return null;
    if (this.centreSkipped !== null) return { skipped: this.centreSkipped };
    return this.centreSample?.check(this.centreByRows ? 'rows' : 'columns') ?? null;
  }

  /** Zeros per unit and per input, and the non-zero values' moments (rank 2, some zeros). */
  private zeroCounts(): ZeroCounts | Skipped | null {
    if (this.zeroSkipped !== null) return { skipped: this.zeroSkipped };
    const rz = this.rowZeros;
    const cz = this.colZeros;
    if (rz === null || cz === null || this.zeros === 0 || this.next !== this.size) return null;
    const rows = lineCounts('rows', rz, this.cols);
    const columns = lineCounts('columns', cz, this.rows);
    const unitRows = this.layout === 'out-in';
    return {
      units: unitRows ? rows : columns,
      inputs: unitRows ? columns : rows,
      nonZero: this.nonZeroMoments(),
    };
  }

  /**
   * Moments of the non-zero finite values: the power sums about 0 of all finite values
   * (zeros add nothing to them) from the central moments, then central moments of the
   * non-zero ones. Exact to rounding when |mean| is at most a few stds (cancellation
   * otherwise); a variance below 64 ulps of Σx² counts as 0.
   */
  private nonZeroMoments(): NonZeroMoments {
    const n = this.n;
    const k = n - this.zeros;
    if (k <= 0) return { count: 0, mean: Number.NaN, std: Number.NaN, kurtosis: Number.NaN };
    const m = this.mean;
    const s1 = n * m;
    const s2 = this.m2 + n * m * m;
    const s3 = this.m3 + 3 * m * this.m2 + n * m * m * m;
    const s4 = this.m4 + 4 * m * this.m3 + 6 * m * m * this.m2 + n * m * m * m * m;
    const mean = s1 / k;
    // A spread below the rounding of the sums (64 ulps of Σx²) is none: equal values.
    let c2 = s2 - k * mean * mean;
    if (c2 <= 64 * Number.EPSILON * s2) c2 = 0;
    const c4 = s4 - 4 * mean * s3 + 6 * mean * mean * s2 - 3 * k * mean ** 4;
    const std = Math.sqrt(c2 / k);
    return { count: k, mean, std, kurtosis: c2 > 0 ? (k * c4) / (c2 * c2) : Number.NaN };
  }

  private identicalUnits(): UnitsCheck | Skipped | null {
    if (this.unitsSkipped !== null) return { skipped: this.unitsSkipped };
    const h1 = this.h1;
    const h2 = this.h2;
    if (h1 === null || h2 === null) return null;
    const first = new Map<number, number>();
    let duplicates = 0;
    let example: [number, number] | null = null;
    const length = this.unitRows ? this.cols : this.rows;
    const [z1, z2] = this.zeroUnitHash(length, this.wide);
    let zeroUnits = 0;
    for (let u = 0; u < h1.length; u++) {
      if (h1[u] === z1 && h2[u] === z2) zeroUnits++;
      const key = (h1[u] >>> 0) * 2 ** 21 + (h2[u] >>> 11);
      const seen = first.get(key);
      if (seen === undefined) first.set(key, u);
      else {
        duplicates++;
        example ??= [seen, u];
      }
    }
    return {
      along: this.unitRows ? 'rows' : 'columns',
      units: h1.length,
      duplicates,
      example,
      zeroUnits,
    };
  }
}

/**
 * The square blocks of a 2-D shape whose long side is k ≥ 2 times its short side H ≥ 2:
 * stacked along dimension 0 (`rows`: `[k·H, H]`) or side by side (`columns`: `[H, k·H]`); else
 * null.
 */
export function squareBlocks(
  shape: readonly number[],
): { count: number; size: number; stacked: 'rows' | 'columns' } | null {
  if (shape.length !== 2) return null;
  const [rows, cols] = shape;
  const size = Math.min(rows, cols);
  const long = Math.max(rows, cols);
  if (size < 2 || long % size !== 0 || long / size < 2) return null;
  return { count: long / size, size, stacked: rows > cols ? 'rows' : 'columns' };
}

/** Min, max, total and variance of the zero counts of one axis's lines. */
function lineCounts(along: 'rows' | 'columns', counts: Int32Array, length: number): LineCounts {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let total = 0;
  for (const c of counts) {
    if (c < min) min = c;
    if (c > max) max = c;
    total += c;
  }
  const mean = total / counts.length;
  let ss = 0;
  for (const c of counts) ss += (c - mean) * (c - mean);
  return { along, lines: counts.length, length, min, max, total, variance: ss / counts.length };
}

/**
 * Whether `values` (elements `start …` of the tensor) keep every block of `g` constant, each
 * block's value being its first element's (NaN and −0 vs 0 count as different).
 */
function blockwiseConstant(
  g: { readonly length: number; readonly values: Float64Array },
  values: Float32Array | Float64Array,
  start: number,
): boolean {
  for (let i = 0; i < values.length; ) {
    const block = Math.floor((start + i) / g.length);
    const end = Math.min(values.length, (block + 1) * g.length - start);
    if (Number.isNaN(g.values[block])) g.values[block] = values[i];
    const v = g.values[block];
    for (; i < end; i++) if (!Object.is(values[i], v)) return false;
  }
  return true;
}
