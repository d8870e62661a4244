/**
 * A small materializer for tests: turns a recipe's `ParamInit` into values with
 * `initialize` from src/init (blocks along their axis, block k from stream `<name>#<k>`).
 * Chrono blocks are left out (the model draws them); their place is NaN.
 */
import { initialize } from '../../src/init/index.js';
import { strategy } from '../../src/init/registry.js';
import type { ParamInit } from '../../src/recipes/index.js';

export function materialize(
  init: ParamInit,
  shape: readonly number[],
  seed: number,
  stream: string,
): Float32Array {
  switch (init.kind) {
    case 'strategy': {
      const random = strategy(init.spec.name).keys.includes('seed');
      return initialize(random ? { ...init.spec, seed, stream } : init.spec, shape)
        .data as Float32Array;
    }
    case 'chrono':
      return new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(Number.NaN);
    case 'blocks': {
      const axis = init.axis ?? 0;
      const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
      const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      let offset = 0;
      init.blocks.forEach((b, k) => {
        const blockShape = shape.map((d, i) => (i === axis ? b.rows : d));
        const values = materialize(b.init, blockShape, seed, `${stream}#${k}`);
        for (let o = 0; o < outer; o++)
          for (let r = 0; r < b.rows; r++)
            for (let i = 0; i < inner; i++)
              out[(o * shape[axis] + offset + r) * inner + i] =
                values[(o * b.rows + r) * inner + i];
        offset += b.rows;
      });
      return out;
    }
  }
}

/** Rows `[start, start + rows)` and columns `[c0, c0 + cols)` of a row-major matrix with `width` columns. */
export function block(
  data: Float32Array,
  width: number,
  start: number,
  rows: number,
  c0 = 0,
  cols = width,
): number[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from(data.subarray((start + r) * width + c0, (start + r) * width + c0 + cols)),
  );
}

/** max |MᵀM − I| of a matrix given as rows (square, or tall: orthonormal columns). */
export function orthogonalityError(m: number[][]): number {
  const n = m[0].length;
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < m.length; k++) dot += m[k][i] * m[k][j];
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  return worst;
}
