import { describe, expect, it } from 'vitest';
import { caseRatios, evaluateTargets, speedup, THRESHOLDS } from '../../src/bench/targets.js';
import type { CaseResult, Measured } from '../../src/bench/types.js';

const m = (median: number, unit: Measured['unit'] = 'M/s'): Measured => ({
  median,
  best: median,
  reps: 3,
  unit,
  warm: true,
});

function result(c: Partial<CaseResult> & Pick<CaseResult, 'group' | 'engines'>): CaseResult {
  const base = {
    id: `${c.group} case`,
    strategy: 'normal',
    shape: [4, 4],
    elements: 16,
    unit: 'M/s' as const,
    ratios: {},
    ...c,
  };
  return { ...base, ratios: caseRatios(base) };
}

describe('ratios', () => {
  it('speed-up: rates divide, times divide the other way', () => {
    expect(speedup(400, 200, 'M/s')).toBe(2);
    expect(speedup(10, 1000, 'ms')).toBe(100);
  });

  it('against each peer that ran, null for a skipped one, the quoted PyTorch figure', () => {
    const c = result({
      group: 'normal',
      engines: { weightinit: m(300), 'tfjs-cpu': m(30), 'tfjs-wasm': { skipped: 'est. > 60 s' } },
      torchQuoted: 400,
    });
    expect(c.ratios).toEqual({ 'tfjs-cpu': 10, 'tfjs-wasm': null, 'torch-quoted': 0.75 });
  });

  it('measured PyTorch beside the quoted figure', () => {
    const c = result({ group: 'uniform', engines: { weightinit: m(300), torch: m(600) } });
    expect(c.ratios).toEqual({ torch: 0.5 });
    const both = result({
      group: 'uniform',
      engines: { weightinit: m(300), torch: m(200) },
      torchQuoted: 480,
    });
    expect(both.ratios).toEqual({ torch: 1.5, 'torch-quoted': 0.625 });
  });

  it('workers: the pool against one thread, and the pool against PyTorch', () => {
    const c = result({
      group: 'workers',
      engines: { 'weightinit-1': m(200), 'weightinit-workers': m(380) },
      torchQuoted: 410,
    });
    expect(c.ratios).toEqual({ 'torch-quoted': 0.927, 'one-thread': 1.9 });
  });
});

describe('targets', () => {
  it('fills against PyTorch (quoted), with the thresholds of the issue', () => {
    const cases = [
      result({ id: 'u', group: 'uniform', engines: { weightinit: m(500) }, torchQuoted: 490 }),
      result({ id: 'n', group: 'normal', engines: { weightinit: m(300) }, torchQuoted: 410 }),
      result({ id: 't', group: 'truncated', engines: { weightinit: m(200) }, torchQuoted: 42 }),
    ];
    const t = evaluateTargets(cases, null);
    expect(t.map((x) => [x.case, x.threshold, x.met, x.basis])).toEqual([
      ['u', THRESHOLDS.uniformVsTorch, true, 'quoted'],
      ['n', THRESHOLDS.normalVsTorch, false, 'quoted'],
      ['t', THRESHOLDS.truncatedVsTorch, false, 'quoted'],
    ]);
  });

  it('PyTorch targets: against the faster of the measured and the quoted PyTorch', () => {
    // A slow local build (Debian's 1.13 reads ~220 M/s uniform) does not make a target met
    // that the PyTorch 2.13 (490) does not; a measured PyTorch faster than the quote
    // does make it missed.
    const slowLocal = result({
      id: 'u',
      group: 'uniform',
      engines: { weightinit: m(400), torch: m(220) },
      torchQuoted: 490,
    });
    const fastLocal = result({
      id: 'n',
      group: 'normal',
      engines: { weightinit: m(320), torch: m(500) },
      torchQuoted: 410,
    });
    const ortho = result({
      id: 'o',
      group: 'orthogonal',
      unit: 'ms',
      engines: { weightinit: m(40, 'ms'), torch: m(15, 'ms') },
      torchQuoted: 9.5,
    });
    const t = evaluateTargets([slowLocal, fastLocal, ortho], null);
    expect(t.map((x) => [x.case, x.value, x.met, x.basis])).toEqual([
      ['u', 0.816, false, 'quoted'],
      ['n', 0.64, false, 'measured'],
      ['o', 4.21, false, 'quoted'],
    ]);
  });

  it('orthogonal: ≥ 100× each TF.js backend, ≤ 4× PyTorch’s time; skipped peers not evaluated', () => {
    const c = result({
      id: 'o',
      group: 'orthogonal',
      unit: 'ms',
      engines: {
        weightinit: m(30, 'ms'),
        'tfjs-cpu': m(40_000, 'ms'),
        'tfjs-wasm': { skipped: 'x' },
      },
      torchQuoted: 9.5,
    });
    const t = evaluateTargets([c], null);
    expect(t.map((x) => [x.target, x.value, x.met])).toEqual([
      ['vs TF.js cpu', 1330, true],
      ['vs TF.js wasm', null, null],
      ["time vs PyTorch's", 3.16, true],
    ]);
  });

  it('workers, start-up and the checkpoint', () => {
    const w = result({
      id: 'w',
      group: 'workers',
      strategy: 'he-normal',
      engines: { 'weightinit-1': m(200), 'weightinit-workers': m(300) },
      bitIdentical: true,
      torchQuoted: 410,
    });
    const s = result({
      id: 's',
      group: 'startup',
      unit: 's',
      engines: { weightinit: m(0.25, 's') },
    });
    const checkpoint = {
      spec: 'x.json',
      params: 1e9,
      bytes: 2e9,
      wallSeconds: 12,
      generateSeconds: 10,
      ddSeconds: 8,
      peakRssBytes: 300 * 2 ** 20,
      ratio: 1.2,
      workers: 2,
    };
    const t = evaluateTargets([w, s], checkpoint);
    expect(t.map((x) => [x.case, x.target, x.value, x.met])).toEqual([
      ['w', 'workers vs one thread', 1.5, false],
      ['w', 'bit-identical to one thread', 1, true],
      ['w', 'with workers vs PyTorch', 0.732, false],
      ['s', 'wall time', 0.25, true],
      ['checkpoint x.json', 'peak RSS', 300 * 2 ** 20, false],
      ['checkpoint x.json', 'wall / max(generate, dd)', 1.2, true],
    ]);
  });

  it('a skipped checkpoint has no target', () => {
    expect(evaluateTargets([], { spec: 'x', skipped: 'absent' })).toEqual([]);
  });
});
