import { describe, expect, it } from 'vitest';
import {
  formatFigure,
  formatRatio,
  formatReport,
  formatResult,
  formatTarget,
  renderTable,
} from '../../src/bench/table.js';
import type { BenchDocument } from '../../src/bench/types.js';

describe('cells', () => {
  it('figures with 3 significant digits, ratios, skipped engines, cold calls', () => {
    expect([
      formatFigure(412.4),
      formatFigure(41.24),
      formatFigure(4.124),
      formatFigure(0.4124),
    ]).toEqual(['412', '41.2', '4.12', '0.41']);
    expect(formatRatio(2.5)).toBe('2.50×');
    expect(formatRatio(null)).toBe('–');
    expect(formatResult({ median: 400, best: 450, reps: 5, unit: 'M/s', warm: true })).toBe(
      '400 (450)',
    );
    expect(formatResult({ median: 40000, best: 40000, reps: 1, unit: 'ms', warm: false })).toBe(
      '40000 (40000)*',
    );
    expect(formatResult({ skipped: 'est. > 60 s', estimate: 300 })).toBe('skipped (est. > 60 s)');
    expect(formatResult(undefined)).toBe('–');
  });

  it('targets: threshold and met, † for quoted PyTorch figures', () => {
    const base = { case: 'c', op: '>=' as const, unit: '×', basis: 'measured' as const };
    expect(
      formatTarget({
        ...base,
        target: 'vs PyTorch',
        threshold: 1,
        value: 1.2,
        met: true,
        basis: 'quoted',
      }),
    ).toBe('PyTorch† ≥ 1× ✓');
    expect(
      formatTarget({ ...base, target: 'vs TF.js cpu', threshold: 100, value: 50, met: false }),
    ).toBe('TF.js cpu ≥ 100× ✗');
    expect(
      formatTarget({
        ...base,
        target: 'wall time',
        op: '<=',
        threshold: 0.3,
        value: null,
        met: null,
        unit: 's',
      }),
    ).toBe('≤ 0.3 s –');
  });
});

describe('renderTable', () => {
  const header = ['case', 'a', 'b'];
  const rows = [
    ['x', '1', '22'],
    ['longer', '333', '4'],
  ];

  it('aligned text: first column left, the others right', () => {
    expect(renderTable(header, rows, false)).toEqual([
      'case      a   b',
      'x         1  22',
      'longer  333   4',
    ]);
  });

  it('Markdown with a rule row, right-aligned figures', () => {
    expect(renderTable(header, rows, true)).toEqual([
      '| case   |   a |   b |',
      '| ------ | --: | --: |',
      '| x      |   1 |  22 |',
      '| longer | 333 |   4 |',
    ]);
  });
});

describe('formatReport', () => {
  const m = (median: number, unit: 'M/s' | 'ms' | 's' = 'M/s') => ({
    median,
    best: median,
    reps: 3,
    unit,
    warm: true,
  });
  const doc: BenchDocument = {
    format: 'weightinit.bench/1',
    date: '2026-01-01T00:00:00.000Z',
    weightinit: '0.1.0',
    machine: {
      node: 'v20.0.0',
      v8: '11',
      platform: 'linux',
      arch: 'x64',
      cpu: 'Test CPU',
      cores: 2,
      availableParallelism: 2,
      totalMemoryBytes: 2 ** 33,
      wasmSimd: true,
      loadAverageBefore: [1, 1, 1],
      loadAverageAfter: [2, 1, 1],
    },
    quick: true,
    method: { warmupMs: 200, budgetMs: 250, minReps: 3, longRunMs: 1000, peerCapSeconds: 10 },
    peers: {
      'tfjs-cpu': { version: '4.22.0' },
      'tfjs-wasm': { version: '4.22.0' },
      torch: { skipped: 'no torch' },
    },
    torchQuoted: { source: 'issue 7', figures: {} },
    cases: [
      {
        id: 'he-normal 1024x1024',
        group: 'normal',
        strategy: 'he-normal',
        shape: [1024, 1024],
        elements: 1 << 20,
        unit: 'M/s',
        engines: {
          weightinit: m(300),
          'weightinit-alloc': m(250),
          'tfjs-cpu': m(10),
          'tfjs-wasm': m(12),
        },
        ratios: { 'tfjs-cpu': 30, 'tfjs-wasm': 25, 'torch-quoted': 0.732 },
        torchQuoted: 410,
      },
      {
        id: 'orthogonal 512x512',
        group: 'orthogonal',
        strategy: 'orthogonal',
        shape: [512, 512],
        elements: 512 * 512,
        unit: 'ms',
        engines: {
          weightinit: m(38, 'ms'),
          'tfjs-cpu': { skipped: 'est. > 10 s' },
          'tfjs-wasm': m(2000, 'ms'),
        },
        ratios: { 'tfjs-cpu': null, 'tfjs-wasm': 52.6, 'torch-quoted': 0.25 },
        torchQuoted: 9.5,
      },
      {
        id: 'he-normal 4096x4096 workers',
        group: 'workers',
        strategy: 'he-normal',
        shape: [4096, 4096],
        elements: 1 << 24,
        unit: 'M/s',
        engines: { 'weightinit-1': m(200), 'weightinit-workers': m(380) },
        ratios: { 'torch-quoted': 0.927, 'one-thread': 1.9 },
        torchQuoted: 410,
        bitIdentical: true,
        threads: 2,
      },
    ],
    checkpoint: { spec: 'examples/transformer-1b.json', skipped: 'not in this build' },
    targets: [
      {
        case: 'he-normal 1024x1024',
        target: 'vs PyTorch, one thread',
        op: '>=',
        threshold: 0.75,
        value: 0.732,
        unit: '×',
        met: false,
        basis: 'quoted',
      },
    ],
    seconds: 12.3,
  };

  it('prints the machine, the peers, a table per group, the checkpoint and the targets', () => {
    const text = formatReport(doc);
    expect(text).toContain(
      'Test CPU, 2 cores, 8 GiB, WebAssembly SIMD yes; load average before 1 1 1, after 2 1 1',
    );
    expect(text).toContain('torch skipped (no torch)');
    expect(text).toContain('† PyTorch 2.13, not measured here');
    expect(text).toMatch(
      /^he-normal 1024x1024 +300 \(300\) +250 \(250\) +10.0 \(10.0\) +30.0× +12.0 \(12.0\) +25.0× +410 +0.73× +PyTorch† ≥ 0.75× ✗$/m,
    );
    expect(text).toMatch(
      /^orthogonal 512x512 +38.0 \(38.0\) +skipped \(est. > 10 s\) +– +2000 \(2000\)/m,
    );
    expect(text).toMatch(/^he-normal 4096x4096 workers +200 \(200\) +380 \(380\) +1.90× +yes/m);
    expect(text).toContain('checkpoint examples/transformer-1b.json: skipped (not in this build)');
    expect(text).toContain('targets met: 0 of 1 evaluated (1 against quoted PyTorch figures†)');
    expect(text).toContain(
      'missed: he-normal 1024x1024, vs PyTorch, one thread†: 0.732 × (target ≥ 0.75)',
    );
  });

  it('as Markdown tables', () => {
    const md = formatReport(doc, true);
    expect(md).toMatch(/^\| M elements\/s, 1 thread +\| weightinit \| initialize \|/m);
    expect(md).toMatch(/^\| he-normal 1024x1024 +\| +300 \(300\) \|/m);
  });
});
