import { mkdtemp, open, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fill } from '../../src/init/registry.js';
import { openSafetensors, READ_CHUNK_BYTES, writeFileAtomic } from '../../src/io/file.js';
import { encodeSafetensors, safetensorsHeader } from '../../src/io/safetensors.js';
import { inspectSafetensors } from '../../src/model/inspect.js';
import { DAMAGED, pytorchLikeFile } from '../fixtures/inspect/files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weightinit-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** Records every FileHandle.read call (buffer, offset, length, position) while `body` runs. */
async function spyReads<T>(
  body: () => Promise<T>,
): Promise<{ result: T; reads: { buffer: Uint8Array; length: number; position: number }[] }> {
  const probe = await open(await put('probe', new Uint8Array(1)), 'r');
  const proto = Object.getPrototypeOf(probe);
  await probe.close();
  const spy = vi.spyOn(proto, 'read');
  try {
    const result = await body();
    const reads = spy.mock.calls.map((c) => ({
      buffer: c[0] as Uint8Array,
      length: c[2] as number,
      position: c[3] as number,
    }));
    return { result, reads };
  } finally {
    spy.mockRestore();
  }
}

/** Concatenates all chunks of every tensor, checking each chunk's size. */
async function readAll(path: string, chunkBytes?: number) {
  const file = await openSafetensors(path, chunkBytes === undefined ? undefined : { chunkBytes });
  try {
    const parts: number[] = [];
    for (const t of file.header.tensors) {
      for await (const chunk of file.chunks(t)) {
        expect(chunk.length).toBeLessThanOrEqual(chunkBytes ?? READ_CHUNK_BYTES);
        parts.push(...chunk);
      }
    }
    return { file, data: Uint8Array.from(parts) };
  } finally {
    await file.close();
  }
}

describe('openSafetensors', () => {
  const bytes = encodeSafetensors(
    [
      {
        name: 'half',
        tensor: { shape: [3], data: new Float32Array([1, -2, 3]) },
        dtype: 'float16',
      },
      {
        name: 'w',
        tensor: { shape: [5, 3], data: Float32Array.from({ length: 15 }, (_, i) => i) },
      },
      { name: 'd', tensor: { shape: [2], data: new Float64Array([0.5, -0.25]) } },
      { name: 'empty', tensor: { shape: [0, 4], data: new Float32Array(0) } },
    ],
    { format: 'pt' },
  );

  it.each([8, 16, 24, 4096, undefined])(
    'serves every tensor in chunks of at most %s bytes that add up to the file (misaligned offsets too)',
    async (chunkBytes) => {
      const path = await put('m.safetensors', bytes);
      const { file, data } = await readAll(path, chunkBytes);
      expect(file.fileSize).toBe(bytes.length);
      expect(file.header.metadata).toEqual({ format: 'pt' });
      expect(file.header.tensors.map((t) => t.name)).toEqual(['half', 'w', 'd', 'empty']);
      expect(data).toEqual(bytes.subarray(file.header.dataOffset));
      // The buffer is allocated once, no larger than the chunk or the largest tensor.
      expect(file.bufferBytes).toBe(Math.min(chunkBytes ?? READ_CHUNK_BYTES, 60));
    },
  );

  it('reads a file written by another tool (I64 first, format pt) and lists every tensor', async () => {
    const path = await put('pt.safetensors', pytorchLikeFile());
    const file = await openSafetensors(path);
    try {
      expect(file.header.metadata).toEqual({ format: 'pt' });
      expect(file.header.tensors[0]).toEqual({
        name: 'bn.num_batches_tracked',
        dtype: 'I64',
        shape: [],
        dataOffsets: [0, 8],
      });
      expect(file.header.tensors.length).toBe(16);
    } finally {
      await file.close();
    }
  });

  it.each(DAMAGED)('rejects a damaged file: $what', async ({ bytes: make, error }) => {
    const path = await put('bad.safetensors', make());
    const { result, reads } = await spyReads(() =>
      openSafetensors(path).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(result).toBeInstanceOf(RangeError);
    const message = (result as RangeError).message;
    expect(message).toContain(
      `openSafetensors: ${JSON.stringify(path)} is not a valid safetensors file: `,
    );
    expect(message).toMatch(error);
    // Never more than the header: a hostile length is checked before anything is allocated.
    const size = (await stat(path)).size;
    for (const r of reads) expect(r.buffer.length).toBeLessThanOrEqual(Math.max(8, size));
  });

  it('bad arguments: TypeError / RangeError naming them', async () => {
    const path = await put('m.safetensors', bytes);
    await expect(openSafetensors('' as string)).rejects.toThrow(
      /openSafetensors: `path` must be a non-empty string, got ""/,
    );
    await expect(openSafetensors(3 as unknown as string)).rejects.toThrow(TypeError);
    for (const chunkBytes of [0, 7, 12, 1.5, -8]) {
      await expect(openSafetensors(path, { chunkBytes })).rejects.toThrow(
        /`options.chunkBytes` must be a multiple of 8, at least 8/,
      );
    }
    await expect(openSafetensors(path, { chunkBytes: '8' as unknown as number })).rejects.toThrow(
      TypeError,
    );
    await expect(openSafetensors(path, { chunk: 8 } as never)).rejects.toThrow(
      /made of the keys "chunkBytes", got "chunk"/,
    );
    await expect(openSafetensors(join(dir, 'missing.safetensors'))).rejects.toThrow(/ENOENT/);
  });

  it('reads one tensor at a time (the chunks share one buffer), and only its own tensors', async () => {
    const path = await put('m.safetensors', bytes);
    const file = await openSafetensors(path, { chunkBytes: 8 });
    try {
      const [, w, d] = file.header.tensors;
      const first = file.chunks(w);
      await first.next();
      await expect(file.chunks(d).next()).rejects.toThrow(/another tensor is being read/);
      await first.return(undefined);
      const at = file.header.dataOffset + d.dataOffsets[0];
      expect((await file.chunks(d).next()).value).toEqual(bytes.subarray(at, at + 8));
      await expect(file.chunks({ ...d }).next()).rejects.toThrow(
        /`tensor` must be a tensor of this file's header/,
      );
    } finally {
      await file.close();
    }
  });

  it('says where a file that shrinks while being read ends', async () => {
    const path = await put('m.safetensors', bytes);
    const file = await openSafetensors(path, { chunkBytes: 8 });
    try {
      const w = file.header.tensors[1];
      const cut = file.header.dataOffset + w.dataOffsets[0] + 12;
      await truncate(path, cut);
      const read = async () => {
        for await (const _ of file.chunks(w));
      };
      await expect(read()).rejects.toThrow(
        new RegExp(
          `the file ends at byte ${cut} while reading tensor "w" \\(bytes ${cut - 4} to ${cut + 4}\\): it was truncated while being read`,
        ),
      );
    } finally {
      await file.close();
    }
  });

  it('streams a 64+ MiB file through one 1 MiB buffer (reads spied), and inspect sees he-uniform', async () => {
    const shape = [4096, 4100]; // 16.8 M float32: 67.2 MB
    const spec = { name: 'he-uniform', seed: 11, stream: 'big.weight' };
    const layout = safetensorsHeader([{ name: 'big.weight', dtype: 'float32', shape }], {
      format: 'pt',
    });
    const path = join(dir, 'big.safetensors');
    const size = shape[0] * shape[1];
    await writeFileAtomic(
      path,
      (async function* () {
        yield layout.header;
        const step = 1 << 20;
        const values = new Float32Array(step);
        for (let start = 0; start < size; start += step) {
          const part = values.subarray(0, Math.min(step, size - start));
          fill(part, spec, shape, start);
          yield new Uint8Array(part.buffer, 0, part.length * 4);
        }
      })(),
    );
    expect((await stat(path)).size).toBeGreaterThan(64 * 1024 * 1024);
    const chunkBytes = 1 << 20;
    const { result, reads } = await spyReads(async () => {
      const file = await openSafetensors(path, { chunkBytes });
      try {
        const report = await inspectSafetensors(file);
        return { report, bufferBytes: file.bufferBytes, dataOffset: file.header.dataOffset };
      } finally {
        await file.close();
      }
    });
    const header = reads.filter((r) => r.position < result.dataOffset);
    const data = reads.filter((r) => r.position >= result.dataOffset);
    expect(header.map((r) => r.length)).toEqual([8, layout.header.length - 8]);
    expect(result.bufferBytes).toBe(chunkBytes);
    expect(data.length).toBe(Math.ceil((size * 4) / chunkBytes));
    expect(new Set(data.map((r) => r.buffer.buffer)).size).toBe(1);
    for (const r of data) expect(r.length).toBeLessThanOrEqual(chunkBytes);
    const t = result.report.tensors[0];
    expect(t.scheme?.scheme).toBe('he-uniform');
    expect(t.scheme?.confidence).toBeGreaterThan(0.99);
    expect(t.stats?.count).toBe(size);
    expect(t.warnings).toEqual([]);
  });
});
