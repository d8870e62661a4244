/** The PyTorch peer's plumbing, with a stand-in for `python3` (torch is not installed here). */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/run.js';
import { formatReport } from '../../src/bench/table.js';
import { PYTHONS, probeTorch, startTorch } from '../../src/bench/torch.js';
import type { CaseSpec } from '../../src/bench/types.js';
import { TINY } from './small.js';

const BUDGET = { warmupMs: 0, budgetMs: 1, minReps: 2, maxReps: 3, longRunMs: 2000 };
const fake = fileURLToPath(new URL('./fixtures/fake-python.mjs', import.meta.url));

describe('PyTorch peer', () => {
  it('says why when python or torch is missing', () => {
    expect(probeTorch('/nonexistent/python3')).toMatchObject({
      skipped: expect.stringMatching(/cannot run/),
    });
  });

  it('tries python3, then the system /usr/bin/python3 (where Debian installs python3-torch)', () => {
    expect(PYTHONS).toEqual(['python3', '/usr/bin/python3']);
  });

  it('measured PyTorch figures beside the quoted ones in ratios, targets and tables', async () => {
    const doc = await runBench({
      groups: ['uniform', 'orthogonal', 'workers'],
      peers: ['torch'],
      checkpoint: null,
      config: { ...TINY, python: fake },
    });
    expect(doc.peers.torch).toEqual({ version: '2.13.0', python: fake });
    expect(doc.torchQuoted?.figures.uniform).toBe(490);
    const u = doc.cases.find((c) => c.group === 'uniform')!;
    expect(u.engines.torch).toMatchObject({ median: 400, unit: 'M/s' });
    expect(u.ratios.torch).toEqual(expect.any(Number));
    expect(u.ratios['torch-quoted']).toEqual(expect.any(Number));
    const o = doc.cases.find((c) => c.group === 'orthogonal')!;
    expect(o.engines.torch).toMatchObject({ median: 10, unit: 'ms' });
    // The workers are compared with PyTorch's one thread on the same fill.
    const w = doc.cases.find((c) => c.strategy === 'he-normal' && c.group === 'workers')!;
    expect(w.engines.torch).toMatchObject({ median: 400 });
    expect(w.ratios.torch).toEqual(expect.any(Number));
    // The fake's fills (400 M/s) are slower than the quoted 490: the target names the faster
    // PyTorch it was judged against.
    const basis = (id: string) => doc.targets.find((t) => t.case === id)?.basis;
    expect(basis(u.id)).toBe('quoted');
    const text = formatReport(doc);
    expect(text).toContain('PyTorch 2.13.0');
    expect(text).toContain('PyTorch 2.13†');
    expect(text).toContain(`the faster of it and PyTorch 2.13.0 measured here (${fake})`);
  });

  it('one script for the run, a case per request; a script that dies says why', async () => {
    const peer = await startTorch(fake, BUDGET);
    expect(peer.version).toBe('2.13.0');
    const c: CaseSpec = {
      id: 'u',
      group: 'uniform',
      strategy: 'uniform',
      shape: [4, 4],
      elements: 16,
      unit: 'M/s',
    };
    expect(await peer.measure(c)).toMatchObject({ median: 400, unit: 'M/s' });
    expect(await peer.measure({ ...c, id: 'o', unit: 'ms' })).toMatchObject({ median: 10 });
    await expect(peer.measure({ ...c, id: 'd', strategy: 'die' })).rejects.toThrow(
      /exited with 139: Segmentation fault/,
    );
    await expect(peer.measure(c)).rejects.toThrow(/exited with 139/);
    await peer.close();
  });

  it('a script that is not there: the start fails with its reason', async () => {
    await expect(startTorch('/nonexistent/python3', BUDGET)).rejects.toThrow(/cannot run/);
  });
});
