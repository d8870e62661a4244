import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHeap,
  packQuads,
  setParallelRunner,
  setWasmKernels,
  updateBlock,
} from '../../src/linalg/kernels.js';
import { orthogonalize } from '../../src/linalg/orthogonal.js';
import {
  linalgPoolReady,
  linalgPoolStats,
  startLinalgPool,
  stopLinalgPool,
} from '../../src/linalg/pool-node.js';
import { householderQR } from '../../src/linalg/qr.js';
import { blockOperands, gaussian } from './util.js';

// The QR worker pool splits the block updates into panels of rows, run by whichever thread
// claims them: the bits must be those of one thread, and of the JavaScript fallback. Here every
// heap and every update goes to the pool (thresholds 1), with more threads than cores.

const THREADS = 3;
const start = () => startLinalgPool({ threads: THREADS, minSize: 1, minWork: 1 });

/** `f` on one thread with the WebAssembly kernels, and with the JavaScript ones (no pool). */
function oneThread<T>(f: () => T): [T, T] {
  setParallelRunner(null);
  try {
    const wasm = f();
    setWasmKernels(false);
    const js = f();
    return [wasm, js];
  } finally {
    setWasmKernels(true);
    expect(start()).toBe(THREADS);
  }
}

describe('QR worker pool', () => {
  beforeAll(async () => {
    expect(start()).toBe(THREADS);
    expect(await linalgPoolReady()).toBe(THREADS);
  });
  afterAll(async () => {
    const stats = linalgPoolStats();
    expect(stats.updates).toBeGreaterThan(50);
    await stopLinalgPool();
    expect(linalgPoolStats()).toEqual({ updates: 0, workerPanels: 0 });
  });

  it('puts heaps in the shared memory while running', () => {
    expect(createHeap(1000).x.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  // Odd sizes (odd panels, odd last rows), remainders of the blocks, wide and tall.
  const shapes: [number, number][] = [
    [300, 300],
    [257, 203],
    [131, 517],
    [640, 97],
  ];
  for (const [rows, cols] of shapes) {
    it(`orthogonalize ${rows}×${cols}: the bits of one thread and of JavaScript`, () => {
      const a = gaussian(rows * cols, rows + cols);
      const pooled = orthogonalize(a, rows, cols);
      const [wasm, js] = oneThread(() => orthogonalize(a, rows, cols));
      expect(pooled).toEqual(wasm);
      expect(pooled).toEqual(js);
    });
  }

  for (const blockSize of [4, 13, 32, 64]) {
    it(`householderQR 333×250, blockSize ${blockSize}, with R: the bits of one thread`, () => {
      const a = gaussian(333 * 250, blockSize);
      const pooled = householderQR(a, 333, 250, { blockSize, r: true });
      const [wasm, js] = oneThread(() => householderQR(a, 333, 250, { blockSize, r: true }));
      expect(pooled).toEqual(wasm);
      expect(pooled).toEqual(js);
    });
  }

  it('the workers ran panels, and repeated runs agree (any split of the panels)', () => {
    const a = gaussian(400 * 400, 7);
    const before = linalgPoolStats().workerPanels;
    const first = orthogonalize(a, 400, 400);
    for (let i = 0; i < 3; i++) expect(orthogonalize(a, 400, 400)).toEqual(first);
    expect(linalgPoolStats().workerPanels).toBeGreaterThan(before);
  });

  it('updateBlock: `meanwhile` runs while the workers update, the same bits; if it throws, the update still ends', () => {
    // Two problems side by side in one heap: C (200 × 64), V (32 × 64), Y, Y₂, B, V interleaved.
    const m = 64;
    const rows = 200;
    const [c, v, y, y2, b, vp, size] = [0, 12800, 14848, 21248, 27648, 28672, 30752];
    const input = gaussian(vp, 3);
    const ops = blockOperands(32, m, 4, false);
    input.set(ops.v, v);
    input.set(ops.b, b);
    const h = createHeap(2 * size);
    const update = (at: number, meanwhile?: () => void) => {
      updateBlock(
        h,
        m,
        at + c,
        rows,
        at + v,
        m,
        32,
        at + y,
        at + y2,
        at + b,
        at + vp,
        0,
        16,
        meanwhile,
      );
      return h.x.slice(at + c, at + c + rows * m);
    };
    const reset = () => {
      for (const at of [0, size]) {
        h.x.set(input, at);
        packQuads(h.x, at + v, 32, m, at + vp);
      }
    };
    reset();
    const expected = update(0);
    reset();
    let nested: Float64Array | undefined;
    // An update started from `meanwhile` runs on this thread (one update at a time).
    expect(update(0, () => (nested = update(size)))).toEqual(expected);
    expect(nested).toEqual(expected);
    reset();
    expect(() =>
      update(0, () => {
        throw new Error('meanwhile failed');
      }),
    ).toThrow('meanwhile failed');
    expect(h.x.slice(c, c + rows * m)).toEqual(expected);
  });

  it('a second start keeps the running pool', () => {
    expect(startLinalgPool({ threads: 5 })).toBe(THREADS);
    expect(start()).toBe(THREADS);
  });

  it('rejects a bad thread count', () => {
    expect(() => startLinalgPool({ threads: 0 })).toThrow(RangeError);
  });
});

describe('QR pool in a process started with --input-type=module', () => {
  it('its workers still run (they do not inherit the flag) and split the updates', async () => {
    // Run on the built package, as a user's ESM one-liner would.
    const { spawnSync } = await import('node:child_process');
    const script = `
      import { startLinalgPool, linalgPoolReady, linalgPoolStats, stopLinalgPool } from './dist/linalg/pool-node.js';
      import { orthogonalize } from './dist/linalg/orthogonal.js';
      startLinalgPool({ threads: 2, minSize: 1, minWork: 1 });
      const threads = await linalgPoolReady();
      const a = Float64Array.from({ length: 256 * 256 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
      orthogonalize(a, 256, 256);
      console.log(JSON.stringify({ threads, panels: linalgPoolStats().workerPanels > 0 }));
      await stopLinalgPool();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('../../', import.meta.url),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ threads: 2, panels: true });
  });
});
