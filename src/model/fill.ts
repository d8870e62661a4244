/**
 * Range fillers: how one planned parameter's elements are computed, any range at a time.
 *
 * The unit of work of materialization is "fill elements [a, b) of parameter p": every
 * element is a pure function of (seed, stream, init, shape, dtype), so ranges can be filled
 * in any order, in any chunking, and (later) by parallel workers, with identical bits.
 * Strategies that need the whole matrix (orthogonal, sparse) compute it once on their first
 * partial fill and copy ranges from it, until the filler is dropped.
 */

import type { FloatArray } from '../init/initializer.js';
import { type InitSpec, prepareSpec } from '../init/registry.js';
import { deriveKey, fillUniform, log, type Seed } from '../random/index.js';
import type { RandomSource } from '../random/source.js';
import type { ParamInit } from '../recipes/types.js';
import { rangeError, typeError } from '../tensor/errors.js';
import { sizeOf } from '../tensor/shape.js';
import { allocate, type DType } from '../tensor/tensor.js';

/**
 * A parameter's initialization as the plan resolves it: a {@link ParamInit} after
 * overrides, with everything needed to compute it filled in.
 * - `strategy`: `spec` has the canonical strategy name, the recipe's (or override's)
 *   options, `dtype` (the generation dtype) and, for random strategies, `seed` and `stream`
 *   (the parameter's full name); `initialize(spec, shape)` makes the same tensor.
 * - `blocks`: consecutive blocks along dimension 0, block k with stream `<name>#<k>`.
 * - `chrono`: b = sign · log(U(1, tMax − 1)), the uniform drawn from stream `stream` (the
 *   recipe's child name resolved to `<name>#<child>`) of `seed`, in `dtype`.
 */
export type PlannedInit =
  | Extract<ParamInit, { kind: 'strategy' }>
  | { readonly kind: 'blocks'; readonly blocks: readonly PlannedBlock[]; readonly axis?: 0 }
  | (Extract<ParamInit, { kind: 'chrono' }> & { readonly seed: Seed; readonly dtype: DType });

/** A block of a `blocks` init: its rows along dimension 0, its label and its own init. */
export type PlannedBlock = Omit<
  Extract<ParamInit, { kind: 'blocks' }>['blocks'][number],
  'init'
> & { readonly init: PlannedInit };

/** Fills any range of one parameter. */
export interface RangeFiller {
  /** Number of elements of the parameter. */
  readonly size: number;
  /**
   * Fills `out[k]` with element `start + k` (row-major) of the parameter. `out` must be of
   * the plan's generation dtype (Float32Array for float32/float16/bfloat16 storage,
   * Float64Array for float64) and `[start, start + out.length)` must lie in `[0, size]`.
   */
  fill(out: FloatArray, start: number): void;
}

/**
 * The filler of a planned initialization for a shape. Validates (through `prepareSpec`)
 * without allocating; the first partial fill of a whole-matrix strategy allocates it.
 * Blocks along dimension 0 are contiguous element ranges: a range maps to sub-fills of the
 * blocks it overlaps. Chrono: u from the uniform stream U(1, tMax − 1) of `(seed, stream)`,
 * then sign · log(u) with the engine-independent `log` (fdlibm's).
 * @throws what `prepareSpec` throws for a bad spec; RangeError for blocks whose rows do not
 *   add up to `shape[0]`, blocks along an axis other than 0, or a chrono `tMax` not above 2.
 * @example
 * const f = rangeFiller({ kind: 'chrono', tMax: 10, sign: 1, seed: 0, stream: 'b#chrono',
 *   dtype: 'float64' }, [4]);
 * const out = new Float64Array(2);
 * f.fill(out, 2); // elements 2 and 3: log U(1, 9), each in [0, log 9)
 */
export function rangeFiller(
  init: PlannedInit,
  shape: readonly number[],
  source?: RandomSource,
): RangeFiller {
  const fn = 'rangeFiller';
  const size = sizeOf(shape);
  switch (init.kind) {
    case 'strategy': {
      const prepared = prepareSpec(source ? onSource(init.spec, source) : init.spec, shape);
      return {
        size,
        fill(out, start) {
          if (out.length > 0) prepared.fill(out, start);
        },
      };
    }
    case 'chrono': {
      checkTMax(fn, 'init.tMax', init.tMax);
      const { sign, tMax } = init;
      const chrono = (out: FloatArray) => {
        for (let i = 0; i < out.length; i++) out[i] = sign * log(out[i]);
      };
      if (source) {
        // A sequential source draws the whole vector once, in plan order; ranges are copied.
        let whole: FloatArray | undefined;
        return {
          size,
          fill(out, start) {
            if (whole === undefined) {
              whole = allocate(init.dtype, size);
              source.uniform(whole, 1, tMax - 1, 0);
              chrono(whole);
            }
            out.set(whole.subarray(start, start + out.length));
          },
        };
      }
      const key = deriveKey(init.seed, init.stream);
      return {
        size,
        fill(out, start) {
          fillUniform(key, out, 1, tMax - 1, start);
          chrono(out);
        },
      };
    }
    case 'blocks': {
      if (init.axis !== undefined && init.axis !== 0) {
        rangeError(fn, 'init.axis', '0 (blocks along dimension 0)', init.axis);
      }
      checkBlocks(fn, 'init.blocks', init.blocks, shape);
      const rowSize = shape.length === 0 ? 1 : sizeOf(shape.slice(1));
      let row = 0;
      const parts = init.blocks.map((b) => {
        const begin = row * rowSize;
        row += b.rows;
        return {
          begin,
          end: row * rowSize,
          filler: rangeFiller(b.init, [b.rows, ...shape.slice(1)], source),
        };
      });
      return {
        size,
        fill(out, start) {
          const end = start + out.length;
          for (const p of parts) {
            const a = Math.max(start, p.begin);
            const b = Math.min(end, p.end);
            if (a < b) p.filler.fill(out.subarray(a - start, b - start), a - p.begin);
          }
        },
      };
    }
  }
}

/**
 * A random strategy's spec drawing from a shared sequential source (`rng: 'torch'`: one
 * PyTorch stream for the whole model, consumed in plan order) instead of its own
 * (seed, stream). Deterministic strategies are unchanged.
 */
function onSource(spec: InitSpec, source: RandomSource): InitSpec {
  if (spec.seed === undefined) return spec;
  const { seed: _seed, stream: _stream, ...rest } = spec;
  return { ...rest, rng: source };
}

/** Checks chrono's `tMax`: a finite number > 2, so that U(1, tMax − 1) is not empty. */
export function checkTMax(fn: string, arg: string, tMax: unknown): number {
  if (typeof tMax !== 'number' || !(tMax > 2) || !Number.isFinite(tMax)) {
    rangeError(fn, arg, 'a finite number > 2 (U(1, tMax − 1) must not be empty)', tMax);
  }
  return tMax;
}

/** Checks blocks along dimension 0: an array of integer rows adding up to `shape[0]`. */
export function checkBlocks(
  fn: string,
  arg: string,
  blocks: readonly { readonly rows: number }[],
  shape: readonly number[],
): void {
  if (!Array.isArray(blocks)) typeError(fn, arg, 'an array of { rows, label, init }', blocks);
  let rows = 0;
  for (const b of blocks) {
    if (!Number.isSafeInteger(b?.rows) || b.rows < 0) {
      rangeError(
        fn,
        arg,
        'blocks of a whole number of rows',
        blocks.map((x) => x?.rows),
      );
    }
    rows += b.rows;
  }
  if (shape.length === 0 || rows !== shape[0]) {
    rangeError(
      fn,
      arg,
      `blocks whose rows add up to shape[0] = ${shape[0]}`,
      blocks.map((b) => b.rows),
    );
  }
}
