/**
 * The checkpoint doctor: statistics and diagnosis of every tensor of a safetensors file,
 * read chunk by chunk (files larger than memory are fine).
 *
 * Per tensor: shape, dtype, mean, std, min, max, fraction of zeros, NaN/Inf, the std each
 * known scheme gives for its fans, the scheme it most likely came from with a confidence
 * and the runner-up (`detect.ts`), the structural checks (`inspect-stats.ts`), and warnings:
 * no symmetry breaking (all-zero or constant weights, identical units), NaN/Inf, a std more
 * than ×3 outside every sensible scheme for the fans (signals vanish or explode; not for
 * identity (also per gate block, whose units repeat once per gate by design: no
 * identical-units warning either), Dirac and delta-orthogonal, whose signal gain is exact,
 * nor embeddings), biases
 * that are all negative. Warnings are data.
 *
 * Engine-neutral: the bytes come from a {@link SafetensorsSource} — a file
 * (`openSafetensors` of `weightinit/node`) or bytes in memory
 * ({@link safetensorsBytesSource}).
 */

import {
  decodeSafetensorsHeader,
  type SafetensorsDType,
  type SafetensorsHeaderInfo,
  type SafetensorsTensorInfo,
} from '../io/safetensors.js';
import { BYTES_PER_ELEMENT, decode, type StorageDType } from '../tensor/dtype.js';
import { checkChoice, checkKnownKeys, rangeError, typeError } from '../tensor/errors.js';
import { computeFans, type Fans, LAYOUTS, type Layout } from '../tensor/fans.js';
import {
  type CandidateScore,
  type Detection,
  detectScheme,
  type SchemeContext,
  type SchemeGuess,
  schemeStds,
} from './detect.js';
import {
  matrixView,
  type StructureChecks,
  TensorAccumulator,
  type TensorStats,
} from './inspect-stats.js';

/** Where `inspect` reads a safetensors file's tensors from. */
export interface SafetensorsSource {
  /** The validated header (see `decodeSafetensorsHeader`). */
  readonly header: SafetensorsHeaderInfo;
  /**
   * The bytes of one tensor of the header, in order, in chunks of whole elements. A chunk
   * may be overwritten once the next one is asked for.
   */
  chunks(tensor: SafetensorsTensorInfo): AsyncIterable<Uint8Array>;
}

/** Bytes read per chunk by default: 4 MiB. */
export const INSPECT_CHUNK_BYTES = 4 << 20;

/**
 * A {@link SafetensorsSource} over a whole file held in memory: the header is validated now,
 * the tensors are served as views of `bytes`, `chunkBytes` (a multiple of 8) at a time.
 * @throws TypeError if `bytes` is not a Uint8Array; RangeError for a damaged file (see
 *   `decodeSafetensorsHeader`) or a bad `chunkBytes`.
 * @example await inspectSafetensors(safetensorsBytesSource(bytes))
 */
export function safetensorsBytesSource(
  bytes: Uint8Array,
  chunkBytes: number = INSPECT_CHUNK_BYTES,
): SafetensorsSource {
  const fn = 'safetensorsBytesSource';
  checkChunkBytes(fn, chunkBytes);
  const header = decodeSafetensorsHeader(bytes);
  return {
    header,
    async *chunks(t) {
      const [begin, end] = t.dataOffsets;
      for (let at = begin; at < end; at += chunkBytes) {
        const a = header.dataOffset + at;
        yield bytes.subarray(a, Math.min(a + chunkBytes, header.dataOffset + end));
      }
    },
  };
}

/** Checks a chunk size: an integer >= 8, a multiple of 8 (whole elements of every dtype). */
export function checkChunkBytes(fn: string, chunkBytes: unknown): number {
  if (typeof chunkBytes !== 'number') typeError(fn, 'chunkBytes', 'an integer', chunkBytes);
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 8 || chunkBytes % 8 !== 0) {
    rangeError(fn, 'chunkBytes', 'a multiple of 8, at least 8', chunkBytes);
  }
  return chunkBytes;
}

/** Options of {@link inspectSafetensors}. */
export interface InspectOptions {
  /**
   * Where in and out sit in weight shapes: `'out-in'` (PyTorch `[out, in, ...kernel]`,
   * default) or `'in-out'` (Keras/TF.js `[...kernel, in, out]`). Decides fans and units.
   */
  readonly layout?: Layout;
  /** Called after each tensor, for progress. */
  readonly onTensor?: (tensor: TensorReport, index: number, total: number) => void;
}

/** What `inspect` says of one tensor. */
export interface TensorReport {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** `[begin, end)` of its bytes in the file. */
  readonly bytes: readonly [number, number];
  /** Why it was not inspected (a dtype that is not a float, no elements), else null. */
  readonly skipped: string | null;
  /** Fans of a weight of rank ≥ 2 (layout as given); null otherwise. */
  readonly fans: Fans | null;
  readonly stats: TensorStats | null;
  /** The std each known scheme gives for the fans (and orthogonal's rms). */
  readonly expectedStd: Readonly<Record<string, number>> | null;
  /** The most likely scheme, with its confidence. */
  readonly scheme: SchemeGuess | null;
  readonly runnerUp: SchemeGuess | null;
  /** Every candidate's log-likelihood and probability, most likely first. */
  readonly candidates: readonly CandidateScore[];
  /** Value distribution shape judged from kurtosis and max |x|: uniform, normal … */
  readonly shapeGuess: string | null;
  readonly checks: StructureChecks | null;
  /** What was assumed or not checked, and why. */
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

/** Totals over a file. */
export interface InspectSummary {
  readonly tensors: number;
  readonly inspected: number;
  readonly skipped: number;
  /** Elements of all tensors. */
  readonly parameters: number;
  /** Bytes of tensor data. */
  readonly bytes: number;
  /** Warnings of all tensors. */
  readonly warnings: number;
  /** How many tensors each detected scheme has. */
  readonly schemes: Readonly<Record<string, number>>;
}

/** What `inspect` says of a file. */
export interface InspectReport {
  readonly layout: Layout;
  readonly headerLength: number;
  readonly dataOffset: number;
  readonly dataBytes: number;
  readonly metadata: Readonly<Record<string, string>>;
  /** The tensors in file order. */
  readonly tensors: readonly TensorReport[];
  readonly summary: InspectSummary;
}

const FLOAT_STORAGE: Readonly<Partial<Record<SafetensorsDType, StorageDType>>> = {
  F32: 'float32',
  F64: 'float64',
  F16: 'float16',
  BF16: 'bfloat16',
};

/** Embeddings are lookup tables, not fan-in sums: the std-range warning does not apply. */
const EMBEDDING_NAME = /emb|(^|\.)(wte|wpe)(\.|$)/i;
/** PyTorch's recurrent parameters: `weight_ih_l0`, `bias_hh_l1_reverse` … */
const RNN_NAME = /^(.*?)(weight|bias)_(ih|hh)_l(\d+)(_reverse)?$/;

/** Last path component of a name. */
function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The weight a bias belongs to: `fc.bias` → `fc.weight`, `in_proj_bias` → `in_proj_weight`. */
function weightOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.') + 1;
  const last = name.slice(dot);
  const at = last.lastIndexOf('bias');
  return at < 0
    ? undefined
    : `${name.slice(0, dot)}${last.slice(0, at)}weight${last.slice(at + 4)}`;
}

/** Detection context of a tensor: its fans, or those of its weight, and an RNN's hidden size. */
function contextOf(
  t: SafetensorsTensorInfo,
  byName: ReadonlyMap<string, SafetensorsTensorInfo>,
  layout: Layout,
  notes: string[],
): SchemeContext {
  const ctx: {
    fans?: Fans;
    borrowedFans?: boolean;
    rnnHidden?: number;
    shape: readonly number[];
    layout: Layout;
  } = { shape: t.shape, layout };
  if (t.shape.length >= 2) ctx.fans = computeFans(t.shape, { layout });
  else {
    const w = weightOf(t.name);
    const weight = w === undefined ? undefined : byName.get(w);
    if (weight !== undefined && weight.shape.length >= 2) {
      ctx.fans = computeFans(weight.shape, { layout });
      ctx.borrowedFans = true;
      notes.push(`fan-in ${ctx.fans.fanIn} from ${weight.name} (PyTorch's default bias)`);
    }
  }
  const rnn = RNN_NAME.exec(t.name);
  if (rnn !== null) {
    const hh = byName.get(`${rnn[1]}weight_hh_l${rnn[4]}${rnn[5] ?? ''}`);
    if (hh !== undefined && hh.shape.length === 2) {
      ctx.rnnHidden = hh.shape[1];
      notes.push(`hidden size ${hh.shape[1]} from ${hh.name} (PyTorch RNN)`);
    }
  }
  return ctx;
}

/** The std range of sensible schemes for these fans: torch-default, lecun, xavier, he, 0.02. */
function sensibleRange(fans: Fans): { low: [string, number]; high: [string, number] } {
  const stds = schemeStds(fans);
  const entries: [string, number][] = ['torch-default', 'lecun', 'xavier', 'he', 'normal(0.02)']
    .filter((k) => stds[k] !== undefined)
    .map((k) => [k, stds[k]]);
  const low = entries.reduce((a, b) => (b[1] < a[1] ? b : a));
  const high = entries.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { low, high };
}

/** Number for a message: 3 significant digits. */
function num(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** The warnings of an inspected tensor (data, never logged). */
function warningsOf(
  t: SafetensorsTensorInfo,
  stats: TensorStats,
  checks: StructureChecks,
  detection: Detection | null,
  fans: Fans | null,
): string[] {
  const out: string[] = [];
  if (stats.nan > 0 || stats.infinite > 0) {
    out.push(
      `${stats.nan} NaN and ${stats.infinite} ±Infinity values: the model's outputs will be NaN (statistics are over the ${stats.finite} finite values)`,
    );
  }
  const scheme = detection?.best.scheme;
  if (t.shape.length >= 2 && stats.count >= 2) {
    const same =
      'all units compute the same function and get the same gradient, so they stay equal; harmless only in an output layer, whose units get different targets';
    if (scheme === 'zeros') out.push(`every element is 0: no symmetry breaking (${same})`);
    else if (scheme === 'constant') {
      out.push(`every element is ${num(stats.min)}: no symmetry breaking (${same})`);
    }
    const units = checks.identicalUnits;
    // Their signal gain is exact (an isometry times the gain), whatever the elements' std;
    // identity per gate block repeats each unit once per gate, by design.
    const structured =
      scheme === 'identity' ||
      scheme === 'dirac' ||
      scheme === 'delta-orthogonal' ||
      (detection?.best.blocks !== undefined && scheme?.startsWith('identity(') === true);
    if (
      units !== null &&
      'duplicates' in units &&
      units.duplicates > 0 &&
      scheme !== 'zeros' &&
      scheme !== 'constant' &&
      !structured
    ) {
      const [a, b] = units.example!;
      const zero = units.zeroUnits > 1 ? ` (${units.zeroUnits} are all zero)` : '';
      out.push(
        `${units.duplicates} of ${units.units} units (${units.along}) repeat an earlier one, e.g. ${units.along} ${a} and ${b}${zero}: identical units compute the same function and stay equal during training`,
      );
    }
    if (
      fans !== null &&
      fans.fanIn > 0 &&
      stats.std > 0 &&
      scheme !== 'zeros' &&
      scheme !== 'constant' &&
      !structured &&
      !EMBEDDING_NAME.test(t.name)
    ) {
      const { low, high } = sensibleRange(fans);
      const perLayer = Math.sqrt(fans.fanIn) * stats.std;
      const layer = `a linear layer multiplies the signal's std by about √fan_in·std = ${num(perLayer)} (${num(perLayer / Math.SQRT2)} through a ReLU)`;
      if (stats.std > 3 * high[1]) {
        out.push(
          `std ${num(stats.std)} is ×${num(stats.std / high[1])} the largest sensible std for fan-in ${fans.fanIn}, fan-out ${fans.fanOut} (${high[0]}: ${num(high[1])}): signals explode — ${layer}`,
        );
      } else if (stats.std < low[1] / 3) {
        out.push(
          `std ${num(stats.std)} is ×${num(low[1] / stats.std)} below the smallest sensible std for fan-in ${fans.fanIn}, fan-out ${fans.fanOut} (${low[0]}: ${num(low[1])}): signals vanish — ${layer}`,
        );
      }
    }
  }
  if (t.shape.length <= 1 && /bias/.test(lastPart(t.name)) && stats.max < 0) {
    out.push(
      `every bias is negative (max ${num(stats.max)}): units after a ReLU start inactive for small inputs (dead) and get no gradient`,
    );
  }
  return out;
}

function checkSource(fn: string, source: unknown): SafetensorsSource {
  const s = source as SafetensorsSource;
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof s.header !== 'object' ||
    s.header === null ||
    !Array.isArray(s.header.tensors) ||
    typeof s.chunks !== 'function'
  ) {
    typeError(fn, 'source', 'a SafetensorsSource { header, chunks(tensor) }', source);
  }
  return s;
}

/**
 * Inspects every tensor of a safetensors file, streaming its bytes from `source` chunk by
 * chunk (memory stays bounded: one decoded chunk, plus per tensor the hashes of its units,
 * up to 64 sampled lines (and 64 of a kernel's centre slice), its diagonal positions and
 * the zero counts of its rows and columns, each capped). Tensors of a dtype other
 * than F32, F64, F16, BF16 (I64 counters, U8 masks, FP8 …) are listed and skipped.
 * @throws TypeError / RangeError for a bad source or options; RangeError if the source gives
 *   a tensor's bytes in pieces that are not whole elements, or too few or too many of them;
 *   whatever the source throws (a file shrinking while read).
 * @example
 * const bytes = encodeSafetensors({
 *   'fc.weight': initialize({ name: 'he-normal', seed: 0 }, [256, 128]),
 * });
 * const report = await inspectSafetensors(safetensorsBytesSource(bytes));
 * report.tensors[0].scheme; // { scheme: 'he-normal', confidence: 0.99999988…, expectedStd: 0.125, … }
 * report.tensors[0].stats.std; // 0.12521…
 */
export async function inspectSafetensors(
  source: SafetensorsSource,
  options?: InspectOptions,
): Promise<InspectReport> {
  const fn = 'inspectSafetensors';
  const src = checkSource(fn, source);
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    typeError(fn, 'options', 'an object', options);
  }
  const o = options ?? {};
  checkKnownKeys(fn, o, ['layout', 'onTensor']);
  const layout: Layout =
    o.layout === undefined ? 'out-in' : checkChoice(fn, 'options.layout', o.layout, LAYOUTS);
  if (o.onTensor !== undefined && typeof o.onTensor !== 'function') {
    typeError(fn, 'options.onTensor', 'a function', o.onTensor);
  }
  const header = src.header;
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const reports: TensorReport[] = [];
  let f32: Float32Array = new Float32Array(0);
  let f64: Float64Array = new Float64Array(0);
  for (const [index, t] of header.tensors.entries()) {
    let size = 1;
    for (const d of t.shape) size *= d;
    const base = {
      name: t.name,
      dtype: t.dtype,
      shape: t.shape,
      size,
      bytes: [header.dataOffset + t.dataOffsets[0], header.dataOffset + t.dataOffsets[1]] as const,
    };
    const storage = FLOAT_STORAGE[t.dtype];
    const skipped =
      storage === undefined
        ? `${t.dtype} is not a float dtype (F32, F64, F16, BF16): listed, not inspected`
        : size === 0
          ? 'no elements'
          : null;
    if (storage === undefined || skipped !== null) {
      const r: TensorReport = {
        ...base,
        skipped,
        fans: null,
        stats: null,
        expectedStd: null,
        scheme: null,
        runnerUp: null,
        candidates: [],
        shapeGuess: null,
        checks: null,
        notes: [],
        warnings: [],
      };
      reports.push(r);
      o.onTensor?.(r, index, header.tensors.length);
      continue;
    }
    const acc = new TensorAccumulator(t.shape, layout);
    const width = BYTES_PER_ELEMENT[storage];
    let received = 0;
    for await (const chunk of src.chunks(t)) {
      const k = chunk.length / width;
      if (!Number.isInteger(k) || received + chunk.length > t.dataOffsets[1] - t.dataOffsets[0]) {
        rangeError(
          fn,
          'source',
          `chunks of whole ${t.dtype} elements adding up to ${t.dataOffsets[1] - t.dataOffsets[0]} bytes for ${JSON.stringify(t.name)}`,
          `a chunk of ${chunk.length} bytes after ${received}`,
        );
      }
      received += chunk.length;
      let values: Float32Array | Float64Array;
      if (storage === 'float64') {
        if (f64.length < k) f64 = new Float64Array(k);
        values = f64.subarray(0, k);
      } else {
        if (f32.length < k) f32 = new Float32Array(k);
        values = f32.subarray(0, k);
      }
      decode(chunk, 0, storage, values);
      acc.push(values);
    }
    if (received !== t.dataOffsets[1] - t.dataOffsets[0]) {
      rangeError(
        fn,
        'source',
        `the ${t.dataOffsets[1] - t.dataOffsets[0]} bytes of ${JSON.stringify(t.name)}`,
        `${received} bytes`,
      );
    }
    reports.push(inspected(t, base, acc, byName, layout));
    o.onTensor?.(reports[reports.length - 1], index, header.tensors.length);
  }
  const schemes: Record<string, number> = {};
  for (const r of reports) {
    if (r.scheme !== null) schemes[r.scheme.scheme] = (schemes[r.scheme.scheme] ?? 0) + 1;
  }
  return {
    layout,
    headerLength: header.headerLength,
    dataOffset: header.dataOffset,
    dataBytes: header.dataBytes,
    metadata: header.metadata,
    tensors: reports,
    summary: {
      tensors: reports.length,
      inspected: reports.filter((r) => r.skipped === null).length,
      skipped: reports.filter((r) => r.skipped !== null).length,
      parameters: reports.reduce((a, r) => a + r.size, 0),
      bytes: header.dataBytes,
      warnings: reports.reduce((a, r) => a + r.warnings.length, 0),
      schemes,
    },
  };
}

/** The report of a tensor whose values went through `acc`. */
function inspected(
  t: SafetensorsTensorInfo,
  base: Pick<TensorReport, 'name' | 'dtype' | 'shape' | 'size' | 'bytes'>,
  acc: TensorAccumulator,
  byName: ReadonlyMap<string, SafetensorsTensorInfo>,
  layout: Layout,
): TensorReport {
  const stats = acc.stats();
  const checks = acc.checks();
  const notes: string[] = [];
  const ctx = contextOf(t, byName, layout, notes);
  const fans = t.shape.length >= 2 ? (ctx.fans ?? null) : null;
  for (const [check, value] of Object.entries(checks)) {
    if (value !== null && typeof value === 'object' && 'skipped' in value) {
      notes.push(`${check} not checked: ${value.skipped}`);
    }
  }
  let detection: Detection | null = null;
  if (stats.finite > 0) {
    const orth = checks.orthogonality;
    detection = detectScheme(
      {
        count: stats.finite,
        mean: stats.mean,
        std: stats.std,
        min: stats.min,
        max: stats.max,
        kurtosis: stats.kurtosis,
        dtype: t.dtype,
        orthogonality: orth !== null && 'residual' in orth ? orth : undefined,
        blockOrthogonality: checks.blockOrthogonality ?? undefined,
        pattern: checks.pattern ?? undefined,
        gates: checks.gates ?? undefined,
        centre: checks.centre !== null && 'residual' in checks.centre ? checks.centre : undefined,
        zeroCounts:
          checks.zeroCounts !== null && 'units' in checks.zeroCounts
            ? checks.zeroCounts
            : undefined,
      },
      ctx,
    );
  }
  return {
    ...base,
    skipped: null,
    fans,
    stats,
    expectedStd: fans === null ? null : schemeStds(fans, matrixView(t.shape, layout)),
    scheme: detection?.best ?? null,
    runnerUp: detection?.runnerUp ?? null,
    candidates: detection?.candidates ?? [],
    shapeGuess: detection?.shape ?? null,
    checks,
    notes,
    warnings: warningsOf(t, stats, checks, detection, fans),
  };
}
