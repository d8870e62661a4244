/** A benchmark run small enough for tests (tiny shapes and budgets: seconds, not minutes). */
import type { BenchConfig } from '../../src/bench/run.js';

export const TINY: Partial<BenchConfig> = {
  shapes: {
    fills: [
      [16, 8],
      [4, 2, 3, 3],
    ],
    orthogonal: [
      [8, 8],
      [16, 16],
    ],
    workers: [[64, 64]],
  },
  budget: { warmupMs: 0, budgetMs: 1, minReps: 2, maxReps: 3, longRunMs: 2000 },
  peerCapSeconds: 60,
  orthogonalProbe: [8, 8],
  startupRuns: 2,
  threads: 2,
  poolMinElements: 64,
  startupCommand: [process.execPath, ['-e', '0']],
  checkpointModule: new URL('./fixtures/checkpoint.mjs', import.meta.url),
};
