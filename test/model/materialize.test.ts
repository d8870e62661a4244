import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/registry.js';
import { encodeSafetensors, readSafetensors } from '../../src/io/safetensors.js';
import { type PlannedInit, rangeFiller } from '../../src/model/fill.js';
import { checkpointChunks, materialize, parameterFiller } from '../../src/model/materialize.js';
import { type ModelPlan, planFromRecipes } from '../../src/model/plan.js';
import { writeCheckpoint } from '../../src/model/write.js';
import { log } from '../../src/random/index.js';
import { decode, encode, type StorageDType } from '../../src/tensor/dtype.js';
import { dense, smallModel } from './fixtures.js';

const DTYPES: StorageDType[] = ['float32', 'float64', 'float16', 'bfloat16'];

const plan = (dtype: StorageDType = 'float32', seed = 3) =>
  planFromRecipes(smallModel(), { seed, dtype, scheme: 'recommended' });

const concat = (chunks: Iterable<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  for (const c of chunks) parts.push(c.slice()); // chunks share one buffer: copy each in turn
  const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of parts) {
    out.set(c, o);
    o += c.length;
  }
  return out;
};

/** The values a checkpoint stores: the generated values rounded to the storage dtype. */
const stored = (data: Float32Array | Float64Array, dtype: StorageDType) => {
  const bytes = new Uint8Array(
    data.length * (dtype === 'float64' ? 8 : dtype === 'float32' ? 4 : 2),
  );
  encode(data, dtype, bytes, 0);
  const out = dtype === 'float64' ? new Float64Array(data.length) : new Float32Array(data.length);
  decode(bytes, 0, dtype, out);
  return out;
};

const blockOf = (p: ModelPlan, name: string) => p.parameters.find((q) => q.name === name)!;

describe('materialize', () => {
  it('each strategy parameter equals initialize(init.spec, shape)', () => {
    for (const dtype of DTYPES) {
      const p = plan(dtype);
      const tensors = materialize(p);
      expect(tensors.map((t) => t.name)).toEqual(p.parameters.map((q) => q.name));
      p.parameters.forEach((q, i) => {
        expect(tensors[i].dtype).toBe(dtype);
        expect(tensors[i].tensor.shape).toEqual(q.shape);
        if (q.init.kind === 'strategy') {
          expect(tensors[i].tensor.data).toEqual(initialize(q.init.spec, q.shape).data);
        }
      });
    }
  });

  it('blocks: block k is its own tensor, from stream <name>#k', () => {
    const p = plan();
    const q = blockOf(p, 'rnn.weight_hh_l0');
    const data = materialize(p).find((t) => t.name === q.name)!.tensor.data;
    const init = q.init as Extract<PlannedInit, { kind: 'blocks' }>;
    init.blocks.forEach((b, k) => {
      const spec = (b.init as Extract<PlannedInit, { kind: 'strategy' }>).spec;
      expect(spec.stream).toBe(`rnn.weight_hh_l0#${k}`);
      const block = initialize(spec, [8, 8]).data;
      expect(data.subarray(k * 64, (k + 1) * 64)).toEqual(block);
    });
    // Orthogonal blocks: each 8x8 block is orthogonal on its own.
    const b1 = data.subarray(64, 128);
    for (let i = 0; i < 8; i++) {
      let dot = 0;
      for (let k = 0; k < 8; k++) dot += b1[i * 8 + k] * b1[i * 8 + k];
      expect(dot).toBeCloseTo(1, 5);
    }
  });

  it('chrono: b_f = log U(1, tMax − 1), b_i = −b_f exactly, the other gates zero', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const p = plan(dtype);
      const b = materialize(p).find((t) => t.name === 'rnn.bias_ih_l0')!.tensor.data;
      const i = b.subarray(0, 8);
      const f = b.subarray(8, 16);
      expect(Array.from(i)).toEqual(Array.from(f, (x) => -x));
      for (const x of f) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(log(9) + 1e-6);
      }
      expect(new Set(f).size).toBe(8);
      expect(Array.from(b.subarray(16))).toEqual(new Array(16).fill(0));
    }
  });

  it('different seeds give different values; the same seed the same', () => {
    const a = materialize(plan('float32', 1))[0].tensor.data;
    expect(materialize(plan('float32', 1))[0].tensor.data).toEqual(a);
    expect(materialize(plan('float32', 2))[0].tensor.data).not.toEqual(a);
  });
});

describe('parameterFiller', () => {
  it('any range equals the same range of the whole tensor, for every kind of init', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const p = plan(dtype);
      const whole = materialize(p);
      p.parameters.forEach((q, i) => {
        const f = parameterFiller(q);
        expect(f.size).toBe(q.elements);
        for (const [a, b] of [
          [0, q.elements],
          [1, Math.min(q.elements, 9)],
          [Math.floor(q.elements / 3), q.elements - 1],
        ]) {
          const out = dtype === 'float64' ? new Float64Array(b - a) : new Float32Array(b - a);
          f.fill(out, a);
          expect(out).toEqual(whole[i].tensor.data.subarray(a, b));
        }
      });
    }
  });
});

describe('rangeFiller', () => {
  it('rejects what it cannot fill', () => {
    const zeros = { kind: 'strategy', spec: { name: 'zeros' } } as const;
    expect(() =>
      rangeFiller({ kind: 'blocks', blocks: [{ rows: 1, label: 'a', init: zeros }] }, [2, 2]),
    ).toThrow(
      'rangeFiller: `init.blocks` must be blocks whose rows add up to shape[0] = 2, got [1]',
    );
    expect(() =>
      rangeFiller(
        { kind: 'blocks', axis: 1 as 0, blocks: [{ rows: 2, label: 'a', init: zeros }] },
        [2, 2],
      ),
    ).toThrow('rangeFiller: `init.axis` must be 0 (blocks along dimension 0), got 1');
    expect(() =>
      rangeFiller({ kind: 'blocks', blocks: [{ rows: 1.5, label: 'a', init: zeros }] }, [2]),
    ).toThrow('rangeFiller: `init.blocks` must be blocks of a whole number of rows, got [1.5]');
    expect(() =>
      rangeFiller(
        {
          kind: 'chrono',
          tMax: Number.POSITIVE_INFINITY,
          sign: 1,
          seed: 0,
          stream: 's',
          dtype: 'float32',
        },
        [3],
      ),
    ).toThrow(
      'rangeFiller: `init.tMax` must be a finite number > 2 (U(1, tMax − 1) must not be empty), got Infinity',
    );
    expect(() => rangeFiller({ kind: 'strategy', spec: { name: 'normal' } }, [3])).toThrow(
      /`seed` must be given/,
    );
  });

  it('chrono: the documented example', () => {
    const f = rangeFiller(
      { kind: 'chrono', tMax: 10, sign: 1, seed: 0, stream: 'b#chrono', dtype: 'float64' },
      [4],
    );
    const all = new Float64Array(4);
    f.fill(all, 0);
    const out = new Float64Array(2);
    f.fill(out, 2);
    expect(out).toEqual(all.subarray(2));
    for (const x of all) expect(x >= 0 && x < log(9)).toBe(true);
  });
});

describe('checkpointChunks', () => {
  it('equals encodeSafetensors(materialize(plan)) for every dtype and chunk size', () => {
    for (const dtype of DTYPES) {
      const p = plan(dtype);
      const expected = encodeSafetensors(materialize(p), p.metadata);
      expect(expected.length).toBe(p.fileBytes);
      for (const chunkElements of [1, 7, 100, 4096, undefined]) {
        expect(concat(checkpointChunks(p, { chunkElements }))).toEqual(expected);
      }
    }
  });

  it('property: any chunk size gives the same bytes (chunk independence)', () => {
    const expected = Object.fromEntries(
      DTYPES.map((d) => {
        const p = plan(d, 9);
        return [d, encodeSafetensors(materialize(p), p.metadata)];
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...DTYPES),
        fc.integer({ min: 1, max: 3000 }),
        (dtype, chunkElements) => {
          expect(concat(checkpointChunks(plan(dtype, 9), { chunkElements }))).toEqual(
            expected[dtype],
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('round trip: the reader gives the planned names, shapes and values, rounded once to the dtype', () => {
    for (const dtype of DTYPES) {
      const p = plan(dtype);
      const file = readSafetensors(concat(checkpointChunks(p, { chunkElements: 50 })));
      expect(file.metadata).toEqual(p.metadata);
      const generated = materialize(p);
      file.tensors.forEach((t, i) => {
        expect(t.name).toBe(p.parameters[i].name);
        expect(t.storage).toBe(dtype);
        expect(t.tensor.shape).toEqual(p.parameters[i].shape);
        expect(t.tensor.data).toEqual(stored(generated[i].tensor.data, dtype));
      });
    }
  });

  it('chunks span parameters and never exceed the chunk size', () => {
    const p = plan('bfloat16');
    const sizes: number[] = [];
    for (const c of checkpointChunks(p, { chunkElements: 100 })) sizes.push(c.length);
    expect(sizes.slice(1, -1).every((n) => n === 200)).toBe(true);
    expect(sizes.slice(1).reduce((a, b) => a + b, 0)).toBe(p.totalBytes);
  });

  it('rejects bad options and plans it cannot stream, before the first chunk', () => {
    expect(() => checkpointChunks(plan(), { chunkElements: 0 }).next()).toThrow(
      new RangeError(
        'checkpointChunks: `options.chunkElements` must be an integer in [1, 2147483647], got 0',
      ),
    );
    expect(() => checkpointChunks({ ...plan(), rng: 'mt19937' as never }).next()).toThrow(
      new RangeError(
        'checkpointChunks: `plan.rng` must be one of "philox", "torch", got "mt19937"',
      ),
    );
  });

  it('a model with empty parameters and an empty model', () => {
    const p = planFromRecipes([dense('fc', 0, 3)], {
      seed: 0,
      dtype: 'float16',
      scheme: 'recommended',
    });
    expect(p.parameters[0].elements).toBe(0);
    expect(concat(checkpointChunks(p))).toEqual(encodeSafetensors(materialize(p), p.metadata));
    const e = planFromRecipes([], { seed: 0, dtype: 'float32', scheme: 'recommended' });
    expect(readSafetensors(concat(checkpointChunks(e))).tensors).toEqual([]);
  });
});

describe('writeCheckpoint', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weightinit-model-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the streamed bytes, reporting progress up to the file size', async () => {
    for (const dtype of DTYPES) {
      const p = plan(dtype);
      const file = join(dir, `m-${dtype}.safetensors`);
      const progress: number[] = [];
      const n = await writeCheckpoint(file, p, {
        chunkElements: 64,
        onProgress: (done, total) => {
          expect(total).toBe(p.fileBytes);
          progress.push(done);
        },
      });
      expect(n).toBe(p.fileBytes);
      expect(progress.at(-1)).toBe(p.fileBytes);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      const bytes = new Uint8Array(await readFile(file));
      expect(bytes).toEqual(concat(checkpointChunks(p)));
    }
    expect((await readdir(dir)).sort()).toEqual(DTYPES.map((d) => `m-${d}.safetensors`).sort());
  });

  it('leaves no file when generation fails half-way, and keeps an existing file', async () => {
    const p = plan();
    const file = join(dir, 'm.safetensors');
    await writeCheckpoint(file, p);
    const before = await readFile(file);
    // A plan whose last parameter cannot be prepared: the error comes after data was written.
    const broken: ModelPlan = {
      ...p,
      parameters: p.parameters.map((q, i) =>
        i === p.parameters.length - 1
          ? { ...q, init: { kind: 'strategy', spec: { name: 'normal', dtype: 'float32' } } }
          : q,
      ),
    };
    await expect(writeCheckpoint(file, broken, { chunkElements: 16 })).rejects.toThrow(
      /`seed` must be given/,
    );
    expect(await readdir(dir)).toEqual(['m.safetensors']);
    expect(await readFile(file)).toEqual(before);
    await expect(writeCheckpoint(join(dir, 'no', 'm.safetensors'), p)).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual(['m.safetensors']);
  });

  it('rejects a bad progress callback before creating a file', async () => {
    await expect(
      writeCheckpoint(join(dir, 'x.safetensors'), plan(), { onProgress: 5 as never }),
    ).rejects.toThrow(
      new TypeError('writeCheckpoint: `options.onProgress` must be a function, got 5'),
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
