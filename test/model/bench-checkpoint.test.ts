/**
 * benchCheckpoint on a tiny spec: the real command in a child process (the built package,
 * `dist/cli/main.js`, as `npm test` builds it first), dd, and the generation alone. Correctness
 * of the fields only: no timed assertion.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchCheckpoint } from '../../src/bench/checkpoint.js';
import { checkpointChunks } from '../../src/model/materialize.js';
import { plan } from '../../src/model/spec.js';

const spec = {
  format: 'weightinit.model/1',
  seed: 4,
  dtype: 'float32',
  layers: [
    { name: 'embed', type: 'embedding', numEmbeddings: 300, embeddingDim: 64 },
    { name: 'attn', type: 'attention', embedDim: 64, numHeads: 4 },
    { name: 'fc', type: 'dense', inFeatures: 64, outFeatures: 256, activation: 'gelu' },
    { name: 'norm', type: 'layernorm', normalizedShape: 256 },
  ],
};

let dir: string;
let specFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weightinit-benchckpt-'));
  specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const built = existsSync(new URL('../../dist/cli/main.js', import.meta.url));

describe.runIf(built)('benchCheckpoint', () => {
  it('runs the command, dd and the generation, and reports sane figures', async () => {
    const r = await benchCheckpoint({ spec: specFile, dtype: 'bfloat16', dir, keep: true });
    const p = plan({ ...spec, dtype: 'bfloat16' });
    expect(r.params).toBe(p.totalParameters);
    expect(r.bytes).toBe(p.fileBytes);
    // The kept files: the checkpoint (its size is `bytes`, its content the library's) and dd's.
    const [work] = readdirSync(dir).filter((f) => f.startsWith('weightinit-bench-'));
    const file = join(dir, work, 'model.safetensors');
    expect(statSync(file).size).toBe(r.bytes);
    expect(statSync(join(dir, work, 'dd.bin')).size).toBe(Math.ceil(r.bytes / 2 ** 20) * 2 ** 20);
    const expected = Buffer.concat([...checkpointChunks(p)].map((c) => Buffer.from(c.slice())));
    expect(readFileSync(file).equals(expected)).toBe(true);
    expect(r.peakRssBytes).toBeGreaterThan(10 * 2 ** 20); // a node process
    expect(r.peakRssBytes).toBeLessThan(2 ** 30);
    for (const t of [r.wallSeconds, r.ddSeconds]) {
      expect(t).toBeGreaterThan(0);
      expect(t).toBeLessThan(120);
    }
    expect(r.generateSeconds).toBeGreaterThanOrEqual(0);
    expect(r.ratio).toBeCloseTo(r.wallSeconds / Math.max(r.generateSeconds, r.ddSeconds), 12);
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect(r.loadAverage).toHaveLength(3);
    expect(r.loadAverageBefore).toHaveLength(3);
    expect(r.wallCpuSeconds).toBeGreaterThan(0);
    expect(r.generateCpuSeconds).toBeGreaterThan(0);
    expect(r.repeat).toBe(1);
  }, 120_000);

  it('repeat: interleaved rounds, the best of each figure', async () => {
    const r = await benchCheckpoint({ spec: specFile, dir, repeat: 2 });
    expect(r.repeat).toBe(2);
    expect(r.bytes).toBe(plan(spec).fileBytes);
    expect(r.ratio).toBeCloseTo(r.wallSeconds / Math.max(r.generateSeconds, r.ddSeconds), 12);
    expect(readdirSync(dir)).toEqual(['spec.json']);
    await expect(benchCheckpoint({ spec: specFile, repeat: 0 })).rejects.toThrow(/repeat/);
  }, 120_000);

  it('works when its caller runs under --input-type=module (as `npm run bench` calls it)', () => {
    const module = new URL('../../dist/bench/checkpoint.js', import.meta.url).href;
    const script = `
      const { benchCheckpoint } = await import(${JSON.stringify(module)});
      const r = await benchCheckpoint({ spec: ${JSON.stringify(specFile)}, dir: ${JSON.stringify(dir)} });
      console.log(JSON.stringify(r));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).bytes).toBe(plan(spec).fileBytes);
  }, 120_000);

  it('deletes its files unless keep', async () => {
    const r = await benchCheckpoint({ spec: specFile, dir });
    expect(r.bytes).toBe(plan(spec).fileBytes); // the spec's own dtype, float32
    expect(readdirSync(dir)).toEqual(['spec.json']);
  }, 120_000);

  it('rejects bad options and reports a failing command', async () => {
    await expect(benchCheckpoint({ spec: '' })).rejects.toThrow(TypeError);
    await expect(benchCheckpoint({ spec: specFile, dtype: 'float8' as never })).rejects.toThrow(
      RangeError,
    );
    await expect(benchCheckpoint({ spec: specFile, extra: 1 } as never)).rejects.toThrow(/extra/);
    await expect(
      benchCheckpoint({ spec: specFile, dir, cli: join(dir, 'missing.js') }),
    ).rejects.toThrow(/weightinit init failed/);
    expect(readdirSync(dir)).toEqual(['spec.json']);
  }, 120_000);
});
