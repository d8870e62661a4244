/**
 * `writeCheckpoint` on the worker pool and through its pipeline: the bytes do not depend on the
 * pool, the chunk size or where chunks fall; every window is the reference fill.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareSpec } from '../../src/init/registry.js';
import { decodeSafetensorsHeader } from '../../src/io/safetensors.js';
import { checkpointChunks, DataWindows, WindowBuffers } from '../../src/model/materialize.js';
import { plan } from '../../src/model/spec.js';
import { WRITE_CHUNK_ELEMENTS, writeCheckpoint } from '../../src/model/write.js';
import {
  startWorkerPool,
  stopWorkerPool,
  workerPoolReady,
  workerPoolStats,
} from '../../src/random/pool-node.js';
import { encode, type StorageDType } from '../../src/tensor/dtype.js';

const DTYPES: StorageDType[] = ['float32', 'float64', 'float16', 'bfloat16'];

/** Parameters of 2–3 M elements (split by the pool), uniform, normal, truncated normal, blocks. */
const bigSpec = (dtype: StorageDType) => ({
  format: 'weightinit.model/1',
  seed: 11,
  dtype,
  layers: [
    { name: 'embed', type: 'embedding', numEmbeddings: 1000, embeddingDim: 2100 },
    { name: 'attn', type: 'attention', embedDim: 1024, numHeads: 8 },
    { name: 'fc', type: 'dense', inFeatures: 1024, outFeatures: 2048, activation: 'relu' },
    { name: 'norm', type: 'layernorm', normalizedShape: 2048 },
    { name: 'proj', type: 'dense', inFeatures: 2048, outFeatures: 1001 },
  ],
  overrides: { 'proj.weight': { init: 'truncated-normal', std: 0.02 } },
});

const concat = (chunks: Iterable<Uint8Array>) =>
  Buffer.concat([...chunks].map((c) => Buffer.from(c.slice())));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weightinit-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeCheckpoint with the worker pool', () => {
  beforeAll(async () => {
    expect(startWorkerPool({ threads: 3 })).toBe(3);
    expect(await workerPoolReady()).toBe(3);
  });
  afterAll(() => stopWorkerPool());

  for (const dtype of DTYPES) {
    it(`${dtype}: the same bytes with and without the pool, equal to the reference fills`, async () => {
      const p = plan(bigSpec(dtype));
      const pooled = join(dir, 'pooled.safetensors');
      const before = workerPoolStats().tasks;
      await writeCheckpoint(pooled, p);
      expect(workerPoolStats().tasks).toBeGreaterThan(before); // the pool did split fills
      await stopWorkerPool();
      const single = join(dir, 'single.safetensors');
      try {
        await writeCheckpoint(single, p, { chunkElements: 1_000_003 });
      } finally {
        startWorkerPool({ threads: 3 });
        await workerPoolReady();
      }
      const a = await readFile(pooled);
      expect(a.length).toBe(p.fileBytes);
      expect(a.equals(await readFile(single))).toBe(true);
      // The data equals prepareSpec(...).fill of each whole parameter, encoded.
      const file = decodeSafetensorsHeader(new Uint8Array(a), { fileSize: a.length });
      for (const q of p.parameters) {
        if (q.init.kind !== 'strategy') continue;
        const values =
          p.generation === 'float64' ? new Float64Array(q.elements) : new Float32Array(q.elements);
        prepareSpec(q.init.spec, q.shape).fill(values, 0);
        const bytes = new Uint8Array(q.bytes);
        encode(values, dtype, bytes, 0);
        const t = file.tensors.find((x) => x.name === q.name)!;
        const start = file.dataOffset + q.offset;
        expect(Buffer.from(bytes).equals(a.subarray(start, start + q.bytes)), q.name).toBe(true);
        expect([t.shape, t.dataOffsets]).toEqual([q.shape, [q.offset, q.offset + q.bytes]]);
      }
      expect((await readdir(dir)).sort()).toEqual(['pooled.safetensors', 'single.safetensors']);
    }, 60_000);
  }
});

describe('the pipeline: chunks, windows and buffers', () => {
  /** A small model whose parameter sizes are 12, 4, 40, 10 … */
  const small = (dtype: StorageDType) =>
    plan({
      format: 'weightinit.model/1',
      seed: 2,
      dtype,
      layers: [
        { name: 'a', type: 'dense', inFeatures: 3, outFeatures: 4, activation: 'relu' },
        { name: 'e', type: 'dense', inFeatures: 0, outFeatures: 5 },
        { name: 'b', type: 'dense', inFeatures: 4, outFeatures: 10 },
        { name: 'n', type: 'layernorm', normalizedShape: 10 },
      ],
    });

  for (const dtype of DTYPES) {
    it(`${dtype}: every chunk size, from 1 to past the model, gives the same file`, async () => {
      const p = small(dtype);
      const expected = concat(checkpointChunks(p));
      const sizes = p.parameters.map((q) => q.elements);
      const chunks = new Set([1, 2, 3, 7, 8, 9, p.totalParameters - 1, p.totalParameters, 1000]);
      for (const s of sizes) for (const d of [-1, 0, 1]) if (s + d > 0) chunks.add(s + d);
      for (const chunkElements of chunks) {
        const file = join(dir, `c${chunkElements}.safetensors`);
        const progress: number[] = [];
        const n = await writeCheckpoint(file, p, {
          chunkElements,
          onProgress: (w, total) => {
            expect(total).toBe(p.fileBytes);
            progress.push(w);
          },
        });
        expect(n).toBe(p.fileBytes);
        expect((await readFile(file)).equals(expected), `chunk ${chunkElements}`).toBe(true);
        // The header, then one call per chunk, increasing, up to the file size.
        expect(progress.length).toBe(1 + Math.ceil(p.totalParameters / chunkElements));
        expect(progress.at(-1)).toBe(p.fileBytes);
        expect(progress.every((w, i) => i === 0 || w > progress[i - 1])).toBe(true);
      }
      expect((await readdir(dir)).every((f) => f.endsWith('.safetensors'))).toBe(true);
    });
  }

  for (const dtype of DTYPES) {
    it(`${dtype}: direct I/O writes the buffered bytes, at every chunk size and header size`, async () => {
      // 120 layers: a header of ~20 KB, longer than a buffer of small chunks (its blocks go
      // through several buffers); chunks of 1 element up to the whole model.
      const layers = Array.from({ length: 40 }, (_, i) => [
        { name: `l${i}.fc`, type: 'dense', inFeatures: 3 + (i % 5), outFeatures: 7 + i },
        { name: `l${i}.norm`, type: 'layernorm', normalizedShape: 7 + i },
        { name: `l${i}.e`, type: 'embedding', numEmbeddings: 1 + (i % 3), embeddingDim: 5 },
      ]).flat();
      const p = plan({ format: 'weightinit.model/1', seed: 1, dtype, layers });
      const expected = concat(checkpointChunks(p));
      for (const chunkElements of [1, 3, 1000, 2048, 2049, p.totalParameters + 1]) {
        const file = join(dir, `d${chunkElements}.safetensors`);
        const progress: number[] = [];
        const n = await writeCheckpoint(file, p, {
          chunkElements,
          direct: true,
          onProgress: (w) => progress.push(w),
        });
        expect(n).toBe(p.fileBytes);
        const got = await readFile(file);
        expect(got.length, `chunk ${chunkElements}`).toBe(p.fileBytes);
        expect(got.equals(expected), `chunk ${chunkElements}`).toBe(true);
        expect(progress.at(-1)).toBe(p.fileBytes);
      }
      const buffered = join(dir, 'buffered.safetensors');
      await writeCheckpoint(buffered, p, { direct: false, chunkElements: 1000 });
      expect((await readFile(buffered)).equals(expected)).toBe(true);
      expect((await readdir(dir)).every((f) => f.endsWith('.safetensors'))).toBe(true);
    });
  }

  it('alternates between two buffers: the previous window is intact while the next is made', () => {
    for (const dtype of DTYPES) {
      const p = small(dtype);
      const buffers = new WindowBuffers(p, 5, 2);
      const windows = new DataWindows(p);
      const kept: Buffer[] = [];
      let previous: Buffer | undefined;
      for (let k = 0; ; k++) {
        const before = k > 0 ? Buffer.from(buffers.outputs[(k - 1) % 2]) : undefined;
        const n = buffers.fill(windows, k % 2);
        if (before !== undefined) {
          // Filling buffer k % 2 left the other one, still being written, untouched.
          expect(before.equals(Buffer.from(buffers.outputs[(k - 1) % 2])), `${dtype} ${k}`).toBe(
            true,
          );
        }
        if (n === 0) break;
        previous = Buffer.from(buffers.outputs[k % 2].subarray(0, n));
        kept.push(previous);
      }
      const header = checkpointChunks(p).next().value as Uint8Array;
      expect(
        Buffer.concat([Buffer.from(header), ...kept]).equals(concat(checkpointChunks(p))),
      ).toBe(true);
      expect(buffers.fill(windows, 0)).toBe(0); // stays done
    }
  });

  it('an empty model: the header only; a model of empty parameters too', async () => {
    for (const layers of [[], [{ name: 'z', type: 'dense', inFeatures: 0, outFeatures: 0 }]]) {
      const p = plan({ format: 'weightinit.model/1', seed: 0, dtype: 'bfloat16', layers });
      const file = join(dir, 'empty.safetensors');
      expect(await writeCheckpoint(file, p)).toBe(p.fileBytes);
      expect((await readFile(file)).equals(concat(checkpointChunks(p)))).toBe(true);
    }
  });

  it('the default chunk is 1 Mi elements, or the model if smaller (small models stay small)', () => {
    expect(WRITE_CHUNK_ELEMENTS).toBe(2 ** 20);
    const p = small('float64');
    const buffers = new WindowBuffers(p, p.totalParameters, 2);
    expect(buffers.outputs.map((o) => o.length)).toEqual([
      8 * p.totalParameters,
      8 * p.totalParameters,
    ]);
  });

  it('a write error rejects and leaves no file; an existing file is kept', async () => {
    const p = small('bfloat16');
    const file = join(dir, 'm.safetensors');
    await writeFile(file, 'old');
    await expect(writeCheckpoint(join(dir, 'missing', 'm.safetensors'), p)).rejects.toThrow(
      /ENOENT/,
    );
    await expect(writeCheckpoint('', p)).rejects.toThrow(TypeError);
    expect(await readdir(dir)).toEqual(['m.safetensors']);
    expect(await readFile(file, 'utf8')).toBe('old');
  });
});
