/**
 * `train`: convergence by strategy. He reaches the target on a deep ReLU teacher–student task;
 * small normal weights never do (their signal and gradient vanish through 8 layers). Networks
 * trained side by side are the same as networks trained alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addingProblem, teacherStudent, twoSpirals } from '../../src/lab/tasks.js';
import { train } from '../../src/lab/train.js';
import { setupBackend } from '../../src/tfjs/backend.js';

beforeAll(async () => {
  await setupBackend();
});

describe('train: teacher–student, deep ReLU MLP', () => {
  let report: Awaited<ReturnType<typeof train>>;
  beforeAll(async () => {
    report = await train({
      tasks: ['teacher-student'],
      strategies: ['zeros', 'normal:std=0.01', 'he-normal'],
      seeds: [0, 1],
      teacherStudent: { steps: 150 },
    });
  });
  const get = (s: string) => report.results.find((r) => r.strategy === s)!;

  it('He reaches the target on every seed; small normal never does', () => {
    const he = get('he-normal');
    expect(he.stepsToTarget.reached).toBe(2);
    expect(he.stepsToTarget.spread!.max).toBeLessThan(150);
    const small = get('normal:std=0.01');
    expect(small.stepsToTarget.values).toEqual([null, null]);
    expect(small.finalLoss.min).toBeGreaterThan(0.9);
  });

  it('zero weights stay at the bias fit (standardized targets: MSE 1)', () => {
    const z = get('zeros');
    expect(z.biasFitLoss).toBe(1);
    for (const curve of z.loss) for (const l of curve) expect(l).toBeCloseTo(1, 5);
  });

  it('reports curves, steps and spreads per seed', () => {
    const he = get('he-normal');
    expect(he.seeds).toEqual([0, 1]);
    expect(he.loss).toHaveLength(2);
    expect(he.loss[0]).toHaveLength(151);
    expect(he.meanLoss[10]).toBeCloseTo((he.loss[0][10] + he.loss[1][10]) / 2, 6);
    expect(he.finalLoss.mean).toBeCloseTo((he.loss[0][150] + he.loss[1][150]) / 2, 6);
    expect(he.finalAccuracy).toBeNull();
    expect(he.target).toBe(0.1);
    for (const [i, k] of he.stepsToTarget.values.entries()) {
      expect(he.loss[i][k!]).toBeLessThanOrEqual(0.1);
      expect(he.loss[i][k! - 1]).toBeGreaterThan(0.1);
    }
  });

  it('a network trained beside others learns exactly as it does alone', async () => {
    const alone = await train({
      tasks: ['teacher-student'],
      strategies: ['he-normal'],
      seeds: [1],
      teacherStudent: { steps: 30 },
    });
    const a = alone.results[0].loss[0];
    const b = get('he-normal').loss[1].slice(0, 31);
    for (let k = 0; k <= 30; k++) expect(a[k]).toBeCloseTo(b[k], 5);
  });
});

describe('train: spirals and adding (small)', () => {
  it('spirals: accuracy over seeds; zeros predict one class (accuracy 1/2, loss ln 2)', async () => {
    const r = await train({
      tasks: ['spirals'],
      strategies: ['zeros', 'he-normal'],
      seeds: [0, 1],
      spirals: { steps: 40, examples: 64 },
    });
    const z = r.results.find((x) => x.strategy === 'zeros')!;
    expect(z.finalAccuracy).toEqual({ mean: 0.5, std: 0, min: 0.5, max: 0.5 });
    expect(z.finalLoss.mean).toBeCloseTo(Math.LN2, 6);
    const he = r.results.find((x) => x.strategy === 'he-normal')!;
    expect(he.finalAccuracy!.mean).toBeGreaterThan(0.5);
    expect(he.finalLoss.mean).toBeLessThan(Math.LN2);
  });

  it('adding: one result per (cell, recurrent strategy); deterministic', async () => {
    const config = {
      tasks: ['adding' as const],
      rnnStrategies: ['identity', 'orthogonal'],
      seeds: [0, 1],
      adding: { steps: 10, examples: 16, length: 8, width: 8, activations: ['relu', 'tanh'] },
    };
    const a = await train(config);
    const b = await train(config);
    expect(a.results.map((x) => `${x.activation} ${x.strategy}`)).toEqual([
      'relu identity',
      'relu orthogonal',
      'tanh identity',
      'tanh orthogonal',
    ]);
    expect(b.results).toEqual(a.results);
    for (const x of a.results) {
      expect(x.biasFitLoss).toBeCloseTo(1 / 6, 12);
      expect(x.loss[0]).toHaveLength(11);
    }
  });
});

describe('tasks', () => {
  it('teacher–student targets are standardized', () => {
    const d = teacherStudent(64, 16, 32, 0);
    const mean = d.y.reduce((a, b) => a + b, 0) / 64;
    const variance = d.y.reduce((a, b) => a + (b - mean) ** 2, 0) / 64;
    expect(mean).toBeCloseTo(0, 6);
    expect(variance).toBeCloseTo(1, 5);
    expect(d.xShape).toEqual([64, 16]);
  });

  it('two spirals: half of each class, points within radius 1 (+ noise)', () => {
    const d = twoSpirals(100, 1.5, 0, 0);
    expect(d.y.filter((v) => v === 1)).toHaveLength(50);
    for (let i = 0; i < 100; i++)
      expect(Math.hypot(d.x[2 * i], d.x[2 * i + 1])).toBeLessThanOrEqual(1 + 1e-6);
    // the two classes are the same spiral turned by π
    expect(d.x[100]).toBeCloseTo(-d.x[0], 6);
  });

  it('adding problem: two markers, one in each half, and the target is their values’ sum', () => {
    const length = 10;
    const d = addingProblem(32, length, 0);
    for (let e = 0; e < 32; e++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < length; t++) {
        const i = (t * 32 + e) * 2;
        if (d.x[i + 1] === 1) {
          marked.push(t);
          sum += d.x[i];
        }
      }
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(5);
      expect(marked[1]).toBeGreaterThanOrEqual(5);
      expect(d.y[e]).toBeCloseTo(sum, 6);
    }
  });
});

describe('train: bad configurations', () => {
  it.each([
    [{ tasks: ['mnist'] }, /`tasks\[0\]` must be one of/],
    [{ seeds: [0, 0] }, /without repetition/],
    [{ adding: { length: 1 } }, /`adding.length`/],
    [{ spirals: { steps: -1 } }, /`spirals.steps`/],
    [{ teacherStudent: { depht: 3 } }, /made of the keys/],
    [{ rnnStrategies: [] }, /`rnnStrategies` must be a non-empty list/],
  ])('%j', async (config, message) => {
    await expect(train(config as never)).rejects.toThrow(message);
  });
});
