import { describe, expect, it } from 'vitest';
import { buildCases, FULL_SHAPES, torchQuotedFigure } from '../../src/bench/cases.js';
import { runCheckpoint } from '../../src/bench/checkpoint-case.js';
import { tfLayout } from '../../src/bench/tfjs.js';
import {
  measureStartup,
  measureWorkers,
  onOneThread,
  sameBits,
} from '../../src/bench/weightinit.js';
import { prepareSpec } from '../../src/init/registry.js';
import {
  startWorkerPool,
  stopWorkerPool,
  workerPoolReady,
  workerPoolStats,
} from '../../src/node.js';

const budget = { warmupMs: 0, budgetMs: 1, minReps: 2, maxReps: 3, longRunMs: 2000 };

describe('cases', () => {
  it('the issue’s cases: families × shapes, orthogonal, workers, start-up', () => {
    const cases = buildCases(
      ['uniform', 'normal', 'truncated', 'orthogonal', 'workers', 'startup'],
      FULL_SHAPES,
    );
    const count = (g: string) => cases.filter((c) => c.group === g).length;
    expect([count('uniform'), count('normal'), count('truncated')]).toEqual([12, 12, 3]);
    expect(cases.filter((c) => c.group === 'orthogonal').map((c) => c.id)).toEqual([
      'orthogonal 512x512',
      'orthogonal 1024x1024',
      'orthogonal 2048x2048',
    ]);
    // Both families and the truncated normal (whose ≥ 5× target names no thread count).
    expect(count('workers')).toBe(9);
    const truncated = cases.find((c) => c.id === 'truncated-normal 4096x4096 workers');
    expect(torchQuotedFigure(truncated!)).toBe(42);
    expect(count('startup')).toBe(1);
    const conv = cases.find((c) => c.id === 'he-normal 256x128x3x3');
    expect(conv?.elements).toBe(256 * 128 * 9);
    expect(torchQuotedFigure(conv!)).toBe(410);
    expect(torchQuotedFigure(cases.find((c) => c.id === 'orthogonal 1024x1024')!)).toBe(60);
  });

  it('TF.js layout [...kernel, in, out] from PyTorch’s [out, in, ...kernel]', () => {
    expect(tfLayout([256, 128, 3, 3])).toEqual([3, 3, 128, 256]);
    expect(tfLayout([64, 32])).toEqual([32, 64]);
  });
});

describe('bit identity', () => {
  it('sameBits compares bytes, not values (−0 ≠ 0, NaN = NaN)', () => {
    expect(sameBits(new Float32Array([1, Number.NaN]), new Float32Array([1, Number.NaN]))).toBe(
      true,
    );
    expect(sameBits(new Float32Array([0]), new Float32Array([-0]))).toBe(false);
    expect(sameBits(new Float32Array(2), new Float32Array(3))).toBe(false);
    const a = new Float32Array([1, 2, 3, 4]);
    expect(sameBits(a.subarray(1, 3), new Float32Array([2, 3]))).toBe(true);
  });

  it('the worker pool gives the same bits as one thread', async () => {
    const [c] = buildCases(['workers'], { fills: [], orthogonal: [], workers: [[128, 64]] }).filter(
      (x) => x.strategy === 'he-normal',
    );
    const r = await measureWorkers(c, budget, 2, 64);
    expect(r.bitIdentical).toBe(true);
    expect(r.poolTasks).toBeGreaterThan(0); // the pool took part
    expect(r.one.unit).toBe('M/s');
    expect(r.workers.reps).toBeGreaterThanOrEqual(2);
    expect(r.one.reps).toBe(r.workers.reps); // timed in turn, call by call
  });

  it('onOneThread sets both pools aside for its call only', async () => {
    startWorkerPool({ threads: 2, minElements: 64 });
    try {
      await workerPoolReady();
      const prepared = prepareSpec({ name: 'he-normal', seed: 0, dtype: 'float32' }, [128, 64]);
      const out = new Float32Array(128 * 64);
      const before = workerPoolStats().tasks;
      onOneThread(() => prepared.fill(out, 0));
      expect(workerPoolStats().tasks).toBe(before); // no task for the pool
      prepared.fill(out, 0);
      expect(workerPoolStats().tasks).toBeGreaterThan(before); // the pool is back
      expect(() =>
        onOneThread(() => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      const after = workerPoolStats().tasks;
      prepared.fill(out, 0);
      expect(workerPoolStats().tasks).toBeGreaterThan(after); // back after a throw too
    } finally {
      await stopWorkerPool();
    }
  });
});

describe('start-up and checkpoint cases', () => {
  it('times a child process, and reports its failure', () => {
    expect(measureStartup([process.execPath, ['-e', '0']], 2)).toMatchObject({
      unit: 's',
      reps: 2,
    });
    expect(() => measureStartup([process.execPath, ['-e', 'process.exit(3)']], 1)).toThrow(
      /exited with 3/,
    );
  });

  it('runs benchCheckpoint in a child process; says so when the module is absent', async () => {
    const module = new URL('./fixtures/checkpoint.mjs', import.meta.url);
    const r = await runCheckpoint({ spec: 'm.json', dtype: 'float32' }, module);
    expect(r).toEqual({
      spec: 'm.json',
      params: 1000,
      bytes: 4000,
      wallSeconds: 1.1,
      generateSeconds: 1,
      ddSeconds: 0.5,
      peakRssBytes: 100 * 2 ** 20,
      ratio: 1.1,
      workers: 2,
    });
    const absent = await runCheckpoint(
      { spec: 'm.json' },
      new URL('./fixtures/none.mjs', import.meta.url),
    );
    expect(absent).toMatchObject({
      spec: 'm.json',
      skipped: expect.stringMatching(/not in this build/),
    });
  });
});
