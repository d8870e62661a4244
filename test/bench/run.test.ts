/** A whole run on tiny shapes and budgets: every field of the document is there. */
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/run.js';
import { TINY } from './small.js';

describe('runBench (tiny)', () => {
  it('measures weightinit and TF.js, quotes PyTorch, evaluates the targets, runs the checkpoint', async () => {
    const lines: string[] = [];
    const doc = await runBench({
      quick: true,
      peers: ['tfjs-cpu', 'tfjs-wasm', 'torch'],
      checkpoint: { spec: 'tiny.json' },
      config: TINY,
      progress: (l) => lines.push(l),
    });
    expect(doc.format).toBe('weightinit.bench/1');
    expect(doc.machine).toMatchObject({
      node: process.version,
      cores: expect.any(Number),
      wasmSimd: expect.any(Boolean),
    });
    expect(doc.machine.loadAverageBefore).toHaveLength(3);
    expect(doc.machine.loadAverageAfter).toHaveLength(3);
    expect(doc.peers['tfjs-cpu'].version).toBe('4.22.0');
    expect(doc.cases.map((c) => c.group)).toEqual([
      ...Array(8).fill('uniform'),
      ...Array(8).fill('normal'),
      ...Array(2).fill('truncated'),
      'orthogonal',
      'orthogonal',
      ...Array(9).fill('workers'),
      'startup',
    ]);
    for (const c of doc.cases) {
      if (c.group === 'workers') {
        expect(c.bitIdentical).toBe(true);
        expect(c.poolTasks).toBeGreaterThan(0);
        expect(c.engines['weightinit-workers']).toMatchObject({
          unit: 'M/s',
          reps: expect.any(Number),
        });
        expect(c.ratios['one-thread']).toEqual(expect.any(Number));
      } else {
        expect(c.engines.weightinit).toMatchObject({
          median: expect.any(Number),
          best: expect.any(Number),
          unit: c.unit,
        });
      }
      if (c.group !== 'workers' && c.group !== 'startup') {
        expect(c.engines['tfjs-cpu']).toMatchObject({ median: expect.any(Number) });
        expect(c.engines['tfjs-wasm']).toMatchObject({ median: expect.any(Number) });
        expect(c.ratios['tfjs-cpu']).toEqual(expect.any(Number));
      }
    }
    if (doc.peers.torch.version === undefined) {
      expect(doc.torchQuoted?.figures.uniform).toBe(490);
      expect(doc.cases[0].ratios['torch-quoted']).toEqual(expect.any(Number));
    }
    expect(doc.checkpoint).toMatchObject({ spec: 'tiny.json', params: 1000, workers: 2 });
    expect(doc.targets.some((t) => t.case === 'checkpoint tiny.json')).toBe(true);
    expect(doc.targets.filter((t) => t.target === 'wall time')).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(doc.cases.length);
    // The document is plain JSON.
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('only the groups and peers asked for', async () => {
    const doc = await runBench({
      groups: ['truncated'],
      peers: [],
      checkpoint: null,
      config: TINY,
    });
    expect(doc.cases.map((c) => c.id)).toEqual([
      'truncated-normal 16x8',
      'truncated-normal 4x2x3x3',
    ]);
    expect(doc.peers['tfjs-cpu'].skipped).toMatch(/not asked/);
    expect(doc.cases[0].engines['tfjs-cpu']).toBeUndefined();
    expect(doc.checkpoint).toBeNull();
  });

  it('a failing checkpoint case is reported, the other cases kept', async () => {
    const lines: string[] = [];
    const doc = await runBench({
      groups: ['startup'],
      peers: [],
      checkpoint: { spec: 'big.json' },
      config: {
        ...TINY,
        checkpointModule: new URL('./fixtures/failing-checkpoint.mjs', import.meta.url),
      },
      progress: (l) => lines.push(l),
    });
    expect(doc.cases).toHaveLength(1);
    expect(doc.checkpoint).toEqual({
      spec: 'big.json',
      skipped: 'failed: dd: no space left on device',
    });
    expect(lines.at(-1)).toContain('more detail');
  });
});
