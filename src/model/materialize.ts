/**
 * Materialization of a plan: in memory for small models, or as the bytes of a safetensors
 * checkpoint streamed chunk by chunk through one reusable buffer, so memory stays bounded
 * whatever the model's size.
 *
 * The checkpoint's data section is the parameters' elements one after the other, in plan
 * order, all of the plan's storage dtype. A chunk is a window of that sequence; it is made of
 * sub-fills "elements [a, b) of parameter p" of the parameters it overlaps (see
 * {@link rangeFiller}), each computed in the generation dtype (float32, or float64 for
 * float64 storage) and encoded (float16/bfloat16: rounded to nearest even).
 */

import { safetensorsHeader } from '../io/safetensors.js';
import type { RandomSource } from '../random/source.js';
import { torchSource } from '../random/torch/torch-source.js';
import { BYTES_PER_ELEMENT, encode, halfWorkspace, type StorageDType } from '../tensor/dtype.js';
import { checkInteger, oneOf, rangeError } from '../tensor/errors.js';
import { MAX_ELEMENTS } from '../tensor/shape.js';
import { allocate, type Tensor } from '../tensor/tensor.js';
import { type RangeFiller, rangeFiller } from './fill.js';
import { checkpointEntries, type ModelPlan, type PlannedParameter } from './plan.js';

/** Elements per chunk by default: 1 Mi (4 MiB of float32 generated per step). */
export const DEFAULT_CHUNK_ELEMENTS = 1 << 20;

/**
 * The filler of one planned parameter: fills any range `[start, start + out.length)` of its
 * elements (row-major), in the plan's generation dtype, with the same bits whatever the
 * range. The unit of work for chunked, sharded or parallel generation.
 * @example
 * const f = parameterFiller(p.parameters[0]);
 * const slice = new Float32Array(1000);
 * f.fill(slice, 5000); // elements 5000..5999 of the first parameter
 */
export function parameterFiller(parameter: PlannedParameter, source?: RandomSource): RangeFiller {
  return rangeFiller(parameter.init, parameter.shape, source);
}

/**
 * The one sequential source a plan with `rng: 'torch'` draws every parameter from, in plan
 * (PyTorch registration) order: `torch.manual_seed(seed)` then each parameter's init.
 * `undefined` for counter-based plans, whose parameters each have their own stream.
 */
export function planSource(plan: ModelPlan): RandomSource | undefined {
  return plan.rng === 'torch' ? torchSource(plan.seed) : undefined;
}

/** One materialized parameter: shaped for `encodeSafetensors(list, plan.metadata)`. */
export interface MaterializedParameter {
  readonly name: string;
  /** Values in the generation dtype (not rounded to float16/bfloat16: the encoder does it). */
  readonly tensor: Tensor;
  /** The storage dtype of the checkpoint. */
  readonly dtype: StorageDType;
}

/** Checks that the plan's rng is one materialization knows. @internal */
export function checkStreamable(fn: string, plan: ModelPlan): void {
  if (plan.rng !== 'philox' && plan.rng !== 'torch') {
    rangeError(fn, 'plan.rng', oneOf(['philox', 'torch']), plan.rng);
  }
}

/**
 * Generates every parameter of a plan in memory (for small models: each tensor is allocated
 * whole; stream big ones with {@link checkpointChunks} or `writeCheckpoint`).
 * @throws RangeError for a parameter of more than 2³¹ − 1 elements.
 * @example
 * const params = materialize(plan(spec));
 * const bytes = encodeSafetensors(params, plan.metadata); // the same bytes as the streamed file
 */
export function materialize(plan: ModelPlan): MaterializedParameter[] {
  const fn = 'materialize';
  checkStreamable(fn, plan);
  for (const p of plan.parameters) {
    if (p.elements > MAX_ELEMENTS) {
      rangeError(
        fn,
        `plan.parameters["${p.name}"]`,
        `at most ${MAX_ELEMENTS} elements`,
        p.elements,
      );
    }
  }
  const source = planSource(plan);
  return plan.parameters.map((p) => {
    const data = allocate(plan.generation, p.elements);
    parameterFiller(p, source).fill(data, 0);
    const tensor: Tensor = { shape: p.shape, dtype: plan.generation, data, warnings: p.warnings };
    return { name: p.name, tensor, dtype: p.dtype };
  });
}

/** Options of {@link checkpointChunks} and `writeCheckpoint`. */
export interface CheckpointChunksOptions {
  /** Elements generated per chunk (default {@link DEFAULT_CHUNK_ELEMENTS}). */
  readonly chunkElements?: number;
}

/**
 * Generates a plan's checkpoint data, in plan order, window after window into caller-given
 * arrays of the generation dtype. @internal
 */
export class DataWindows {
  private index = 0;
  private position = 0;
  private filler: RangeFiller | undefined;
  private readonly source: RandomSource | undefined;

  constructor(private readonly plan: ModelPlan) {
    this.source = planSource(plan);
  }

  /**
   * Fills `buffer` (of the plan's generation dtype) with the next elements of the data, as
   * many as fit; returns how many, 0 when all is done. The elements of one parameter in a
   * window are one fill (the worker pool splits the large ones).
   */
  next(buffer: Float32Array | Float64Array): number {
    const { parameters } = this.plan;
    let n = 0;
    while (n < buffer.length && this.index < parameters.length) {
      const p = parameters[this.index];
      const take = Math.min(buffer.length - n, p.elements - this.position);
      if (take > 0) {
        this.filler ??= parameterFiller(p, this.source);
        this.filler.fill(buffer.subarray(n, n + take), this.position);
        n += take;
        this.position += take;
      }
      if (this.position === p.elements) {
        this.index++;
        this.position = 0;
        this.filler = undefined; // drops a whole-matrix cache as soon as its parameter is done
      }
    }
    return n;
  }
}

/** `true` when typed arrays are little-endian (as the files are) on this engine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The buffers a plan's data is generated and encoded in, `count` windows of `chunkElements`
 * elements, each with its own byte buffer (so that one can be written while the next is
 * generated), with no copy that the dtype does not need:
 * - float32 and float64 storage: the values are generated straight into the byte buffers;
 * - bfloat16 and float16: generated into one float32 buffer and encoded by the SIMD kernel of
 *   `halfWorkspace` (all in one WebAssembly memory: no copy in or out);
 * - anything else (float16 or bfloat16 of values generated in float64): `encode`.
 * Memory: `count × chunkElements` elements of the storage dtype, plus one float32 buffer of
 * `chunkElements` for bfloat16 and float16. @internal
 */
export class WindowBuffers {
  /** The byte buffers (each `chunkElements` elements of the storage dtype, and `extra` bytes). */
  readonly outputs: readonly Uint8Array[];
  /** Whether the buffers start at multiples of 4 KiB in memory (for `O_DIRECT` writes). */
  readonly aligned: boolean;
  private readonly fillWindow: (windows: DataWindows, k: number, at: number) => number;

  /**
   * @param extra - bytes added to each buffer, so that a window can be placed at a byte
   *   offset `at` (see {@link fill}); with `extra > 0` the buffers are allocated 4 KiB-aligned
   *   when WebAssembly memory is available (see {@link aligned}).
   */
  constructor(plan: ModelPlan, chunkElements: number, count: number, extra = 0) {
    const dtype = plan.dtype;
    const size = BYTES_PER_ELEMENT[dtype];
    const bytes = chunkElements * size + extra;
    if ((dtype === 'bfloat16' || dtype === 'float16') && plan.generation === 'float32') {
      const w = halfWorkspace(dtype, chunkElements, count, bytes);
      this.outputs = w.outputs;
      this.aligned = w.simd;
      this.fillWindow = (windows, k, at) => w.encode(windows.next(w.input), k, at);
      return;
    }
    const outs = alignedBuffers(bytes, count, extra > 0);
    this.outputs = outs.buffers;
    this.aligned = outs.aligned;
    if (LITTLE_ENDIAN && dtype === plan.generation) {
      const Ctor = plan.generation === 'float32' ? Float32Array : Float64Array;
      this.fillWindow = (windows, k, at) => {
        const o = outs.buffers[k];
        return (
          windows.next(new Ctor(o.buffer as ArrayBuffer, o.byteOffset + at, chunkElements)) * size
        );
      };
    } else {
      const buffer = allocate(plan.generation, chunkElements);
      this.fillWindow = (windows, k, at) => {
        const n = windows.next(buffer);
        return n === 0 ? 0 : encode(buffer.subarray(0, n), dtype, outs.buffers[k], at);
      };
    }
  }

  /**
   * Generates the next window into byte buffer `k` from byte `at` (default 0; a multiple of the
   * storage dtype's size, at most `extra`); returns its byte length, 0 when done.
   */
  fill(windows: DataWindows, k: number, at = 0): number {
    return this.fillWindow(windows, k, at);
  }
}

/** `count` buffers of `bytes`, at multiples of 4 KiB of a WebAssembly memory if `aligned`. */
function alignedBuffers(
  bytes: number,
  count: number,
  aligned: boolean,
): { buffers: Uint8Array[]; aligned: boolean } {
  const Memory = (
    globalThis as {
      WebAssembly?: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } };
    }
  ).WebAssembly?.Memory;
  if (aligned && Memory !== undefined) {
    const stride = Math.ceil(bytes / 4096) * 4096;
    try {
      const { buffer } = new Memory({ initial: Math.ceil((stride * count) / 65536) });
      const buffers = Array.from(
        { length: count },
        (_, k) => new Uint8Array(buffer, k * stride, bytes),
      );
      return { buffers, aligned: true };
    } catch {
      // no memory that big: plain buffers
    }
  }
  return { buffers: Array.from({ length: count }, () => new Uint8Array(bytes)), aligned: false };
}

/** Validates the options shared by the streaming writers. @internal */
export function chunkElementsOf(fn: string, options: CheckpointChunksOptions | undefined): number {
  const chunk = options?.chunkElements;
  return chunk === undefined
    ? DEFAULT_CHUNK_ELEMENTS
    : checkInteger(fn, 'options.chunkElements', chunk, 1, MAX_ELEMENTS);
}

/** The header bytes of a plan's checkpoint. @internal */
export function checkpointHeader(plan: ModelPlan): Uint8Array {
  return safetensorsHeader(checkpointEntries(plan), plan.metadata).header;
}

/**
 * The bytes of a plan's safetensors checkpoint: the header (from the plan alone), then the
 * data, in chunks of at most `chunkElements` elements that may span parameters. Memory is
 * one generation buffer and one byte buffer of `chunkElements` elements, whatever the model.
 *
 * The chunks after the header share ONE Uint8Array: each is valid until the next is asked
 * for (write it, or copy it, first — `writeFileAtomic` does). Concatenated, the chunks equal
 * `encodeSafetensors(materialize(plan), plan.metadata)`.
 * @throws RangeError for bad options or an unsupported `plan.rng`, when the first chunk is
 *   asked for.
 * @example
 * await writeFileAtomic('model.safetensors', checkpointChunks(plan(spec)));
 */
export function* checkpointChunks(
  plan: ModelPlan,
  options?: CheckpointChunksOptions,
): Generator<Uint8Array> {
  const fn = 'checkpointChunks';
  checkStreamable(fn, plan);
  const buffers = new WindowBuffers(plan, chunkElementsOf(fn, options), 1);
  const windows = new DataWindows(plan);
  yield checkpointHeader(plan);
  const out = buffers.outputs[0];
  for (let n = buffers.fill(windows, 0); n > 0; n = buffers.fill(windows, 0)) {
    yield out.subarray(0, n);
  }
}
