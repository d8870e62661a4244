/** `runLab` and the summary: every experiment at small sizes, with its findings. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPERIMENTS, runLab, summarize } from '../../src/lab/index.js';
import { setupBackend } from '../../src/tfjs/backend.js';
import { SMALL } from './small.js';

beforeAll(async () => {
  await setupBackend();
});

describe('runLab', () => {
  let lab: Awaited<ReturnType<typeof runLab>>;
  beforeAll(async () => {
    lab = await runLab(SMALL);
  });

  it('runs every experiment, each with its own report and time', () => {
    expect(lab.version).toBe(1);
    expect(Object.keys(lab.experiments)).toEqual([...EXPERIMENTS]);
    for (const name of EXPERIMENTS) {
      const r = lab.experiments[name]!;
      expect(r.experiment).toBe(name);
      expect(r.version).toBe(1);
      expect(r.timeMs).toBeGreaterThanOrEqual(0);
      expect(r.results.length).toBeGreaterThan(0);
    }
    expect(lab.timeMs).toBeGreaterThanOrEqual(0);
    expect(['wasm', 'cpu']).toContain(lab.backend);
  });

  it('summarizes the findings of each experiment that ran', () => {
    expect(lab.summary).toEqual(summarize(lab.experiments));
    const experiments = new Set(lab.summary.map((f) => f.experiment));
    expect([...experiments]).toEqual([...EXPERIMENTS]);
    for (const f of lab.summary) {
      expect(typeof f.finding).toBe('string');
      expect(typeof f.measured).toBe('string');
      expect([true, false, null]).toContain(f.holds);
    }
    // exact findings hold even at these sizes
    const exact = lab.summary.filter((f) =>
      /identity W|zeros: distinct|linear, orthogonal/.test(f.finding),
    );
    expect(exact.length).toBe(3);
    for (const f of exact) expect(f.holds).toBe(true);
  });

  it('survives JSON (the report file): non-finite numbers become null', () => {
    const json = JSON.parse(JSON.stringify(lab));
    // ReLU at σ_w² = 2.5: q* = ∞
    expect(json.experiments.theory.results.some((r: { qStar: unknown }) => r.qStar === null)).toBe(
      true,
    );
    expect(json.summary).toEqual(lab.summary);
  });

  it('leaves no tensor behind (the playground runs experiments again and again)', async () => {
    const before = tf.memory().numTensors;
    await runLab(SMALL);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs only the named experiments; checks every configuration before running any', async () => {
    const only = await runLab({ experiments: ['rnn'], rnn: SMALL.rnn });
    expect(Object.keys(only.experiments)).toEqual(['rnn']);
    await expect(runLab({ experiments: ['rnn', 'train'], train: { seeds: [] } })).rejects.toThrow(
      /`seeds` must be a non-empty list/,
    );
    await expect(runLab({ experiments: ['lab' as never] })).rejects.toThrow(RangeError);
    await expect(runLab({ colour: 1 } as never)).rejects.toThrow(/made of the keys/);
  });
});
