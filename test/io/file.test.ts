import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pid } from 'node:process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeNpy, writeSafetensors } from '../../src/io/file.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';
import { encodeSafetensors, readSafetensors } from '../../src/io/safetensors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weightinit-io-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Byte equality of big buffers (Vitest's deep equality is slow on millions of elements). */
const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

const bytes = (n: number, seed = 1) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('writeFileAtomic', () => {
  it('writes a buffer, a sync iterable, an async iterable or through a writer', async () => {
    const whole = bytes(3000);
    const target = join(dir, 'out.bin');
    expect(await writeFileAtomic(target, whole)).toBe(3000);
    expect(new Uint8Array(await readFile(target))).toEqual(whole);

    const parts = [whole.subarray(0, 10), whole.subarray(10, 2000), whole.subarray(2000)];
    expect(await writeFileAtomic(target, parts)).toBe(3000);
    expect(new Uint8Array(await readFile(target))).toEqual(whole);

    async function* produce() {
      for (const p of parts) yield p;
    }
    expect(await writeFileAtomic(target, produce())).toBe(3000);
    expect(new Uint8Array(await readFile(target))).toEqual(whole);

    expect(
      await writeFileAtomic(target, async (write) => {
        for (const p of parts) await write(p);
      }),
    ).toBe(3000);
    expect(new Uint8Array(await readFile(target))).toEqual(whole);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('writes empty files and big chunks (past the 1 MiB gathering buffer)', async () => {
    const target = join(dir, 'e.bin');
    expect(await writeFileAtomic(target, [])).toBe(0);
    expect((await stat(target)).size).toBe(0);
    const big = bytes(3 * 1024 * 1024 + 5);
    const small = bytes(700_000, 9);
    expect(await writeFileAtomic(target, [small, big, small, small])).toBe(
      big.length + 3 * small.length,
    );
    const back = new Uint8Array(await readFile(target));
    expect(same(back.subarray(0, small.length), small)).toBe(true);
    expect(same(back.subarray(small.length, small.length + big.length), big)).toBe(true);
    expect(same(back.subarray(back.length - small.length), small)).toBe(true);
  });

  it('lets a producer reuse its buffer between chunks', async () => {
    const target = join(dir, 'reuse.bin');
    const buffer = new Uint8Array(4);
    function* produce() {
      for (let i = 0; i < 3; i++) {
        buffer.fill(i);
        yield buffer;
      }
    }
    await writeFileAtomic(target, produce());
    expect(Array.from(await readFile(target))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('writes under a temporary name in the same directory, then renames', async () => {
    const target = join(dir, 'model.safetensors');
    let during: string[] = [];
    await writeFileAtomic(target, async (write) => {
      await write(bytes(10));
      during = await readdir(dir);
    });
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(new RegExp(`^model\\.safetensors\\.tmp-${pid}-[0-9a-f]{12}$`));
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('leaves no file and no temporary file when the producer throws mid-way', async () => {
    const target = join(dir, 'out.bin');
    async function* produce() {
      yield bytes(2 * 1024 * 1024); // written to the temporary file already
      yield bytes(10);
      throw new Error('producer failed');
    }
    await expect(writeFileAtomic(target, produce())).rejects.toThrow('producer failed');
    expect(await readdir(dir)).toEqual([]);

    await expect(
      writeFileAtomic(target, async (write) => {
        await write(bytes(100));
        throw new Error('writer failed');
      }),
    ).rejects.toThrow('writer failed');
    function* syncProduce() {
      yield bytes(5);
      throw new RangeError('sync producer failed');
    }
    await expect(writeFileAtomic(target, syncProduce())).rejects.toThrow(RangeError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps an existing file untouched when the write fails', async () => {
    const target = join(dir, 'keep.bin');
    await writeFile(target, 'old contents');
    async function* produce() {
      yield bytes(1000);
      throw new Error('boom');
    }
    await expect(writeFileAtomic(target, produce())).rejects.toThrow('boom');
    expect(await readFile(target, 'utf8')).toBe('old contents');
    expect(await readdir(dir)).toEqual(['keep.bin']);
    // …and replaces it when the write succeeds.
    await writeFileAtomic(target, bytes(3));
    expect(new Uint8Array(await readFile(target))).toEqual(bytes(3));
  });

  it('cleans up when a chunk is not a Uint8Array', async () => {
    const target = join(dir, 'bad.bin');
    await expect(writeFileAtomic(target, [bytes(4), 'text' as never])).rejects.toThrow(
      'writeFileAtomic: `source` must be chunks that are Uint8Arrays, got "text"',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('cleans up when the rename fails', async () => {
    const target = join(dir, 'taken');
    await mkdir(join(target, 'inside'), { recursive: true }); // a non-empty directory
    await expect(writeFileAtomic(target, bytes(10))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });

  it('fails cleanly in a missing directory', async () => {
    await expect(writeFileAtomic(join(dir, 'nope', 'x.bin'), bytes(1))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects bad arguments', async () => {
    await expect(writeFileAtomic('', bytes(1))).rejects.toThrow(
      'writeFileAtomic: `path` must be a non-empty string, got ""',
    );
    await expect(writeFileAtomic(join(dir, 'x'), 42 as never)).rejects.toThrow(TypeError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('writeNpy and writeSafetensors', () => {
  it('write the same bytes as the in-memory encoders', async () => {
    const data = Float32Array.from({ length: 300 }, (_, i) => Math.fround(i / 7));
    const npy = join(dir, 'w.npy');
    expect(
      await writeNpy(npy, { shape: [10, 30], data }, { dtype: 'float16', chunkBytes: 64 }),
    ).toBe(128 + 600);
    const onDisk = new Uint8Array(await readFile(npy));
    expect(onDisk).toEqual(encodeNpy({ shape: [10, 30], data }, { dtype: 'float16' }));
    expect(decodeNpy(onDisk).tensor.shape).toEqual([10, 30]);

    const st = join(dir, 'm.safetensors');
    const tensors = {
      'fc.weight': { shape: [10, 30], data },
      'fc.bias': { shape: [10], data: new Float64Array(10).fill(0.25) },
    };
    await writeSafetensors(st, tensors, { format: 'pt' }, { chunkBytes: 100 });
    const file = new Uint8Array(await readFile(st));
    expect(file).toEqual(encodeSafetensors(tensors, { format: 'pt' }));
    const read = readSafetensors(file);
    expect(read.metadata).toEqual({ format: 'pt' });
    expect(read.tensors[0].tensor.data).toEqual(data);
    expect(await readdir(dir)).toEqual(['m.safetensors', 'w.npy'].sort());
  });

  it('stream a large tensor in bounded chunks', async () => {
    const n = 3_000_001;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (i % 500) - 250;
    const path = join(dir, 'big.safetensors');
    const written = await writeSafetensors(path, [
      { name: 'w', tensor: { shape: [n], data }, dtype: 'bfloat16' },
    ]);
    expect((await stat(path)).size).toBe(written);
    const { tensors } = readSafetensors(new Uint8Array(await readFile(path)));
    expect(same(tensors[0].tensor.data, data)).toBe(true); // integers up to 256 are exact in bfloat16
  });

  it('create no file for bad input', async () => {
    await expect(
      writeNpy(join(dir, 'a.npy'), { shape: [2], data: new Float32Array(3) }),
    ).rejects.toThrow(
      'npyChunks: `tensor.data` must be of length 2 (the size of shape [2]), got 3',
    );
    await expect(
      writeNpy(
        join(dir, 'b.npy'),
        { shape: [2], data: new Float32Array(2) },
        { dtype: 'bfloat16' },
      ),
    ).rejects.toThrow(/NumPy has no bfloat16/);
    await expect(
      writeSafetensors(
        join(dir, 'c.safetensors'),
        { a: { shape: [1], data: new Float32Array(1) } },
        {
          n: 1,
        } as never,
      ),
    ).rejects.toThrow(TypeError);
    expect(await readdir(dir)).toEqual([]);
  });
});
