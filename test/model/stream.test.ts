/**
 * Streaming a checkpoint bigger than 2 GiB with bounded memory: a child process (plain node
 * on the transpiled library, nothing else loaded) writes it, and its peak RSS is measured.
 * The one slow test of the suite (~10–20 s: 2.1 GB written and fsynced).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSpec } from '../../src/init/registry.js';
import { decodeSafetensorsHeader } from '../../src/io/safetensors.js';
import { plan } from '../../src/model/spec.js';
import { transpileSources } from './support/transpile.js';

const GIB = 2 ** 30;

/** float64, so that 2 GiB is only 268 M elements; the big weight is constant (cheap to make). */
const spec = {
  format: 'weightinit.model/1',
  seed: 5,
  dtype: 'float64',
  layers: [
    { name: 'big', type: 'dense', inFeatures: 16384, outFeatures: 16385 },
    { name: 'mid', type: 'dense', inFeatures: 1024, outFeatures: 2048, activation: 'relu' },
    { name: 'head', type: 'dense', inFeatures: 1024, outFeatures: 10 },
  ],
  overrides: { 'big.weight': { init: 'constant', value: 0.25 } },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weightinit-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads `length` bytes of a file at `position`. */
function readAt(path: string, position: number, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) done += readSync(fd, out, done, length - done, position + done);
    return out;
  } finally {
    closeSync(fd);
  }
}

describe('streaming a checkpoint over 2 GiB', () => {
  it('has bounded memory (peak RSS < 256 MB) and the planned bytes at every offset', () => {
    const p = plan(spec);
    expect(p.fileBytes).toBeGreaterThan(2 * GIB);
    const src = transpileSources(join(dir, 'src'));
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const out = join(dir, 'big.safetensors');
    const child = fileURLToPath(new URL('support/stream-child.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [child, src, specFile, out], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    console.log(
      `streamed ${(report.bytes / GIB).toFixed(2)} GiB in ${report.seconds.toFixed(1)} s, peak RSS ${(report.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(report.bytes).toBe(p.fileBytes);
    expect(report.maxRssBytes).toBeLessThan(256e6);
    expect(statSync(out).size).toBe(p.fileBytes);
    expect(readdirSync(dir).sort()).toEqual(['big.safetensors', 'spec.json', 'src']);

    // The header, read back from the file.
    const n = Number(new DataView(readAt(out, 0, 8).buffer).getBigUint64(0, true));
    const info = decodeSafetensorsHeader(readAt(out, 0, 8 + n), { fileSize: p.fileBytes });
    expect(info.metadata).toEqual(p.metadata);
    expect(info.tensors.map((t) => [t.name, t.shape, t.dataOffsets])).toEqual(
      p.parameters.map((q) => [q.name, q.shape, [q.offset, q.offset + q.bytes]]),
    );
    // Slices of tensors, some past 2 GiB, equal prepareSpec(...).fill of the same range.
    const slices: [string, number, number][] = [
      ['big.weight', 0, 1000],
      ['big.weight', 16384 * 16385 - 777, 16384 * 16385],
      ['big.bias', 0, 16385],
      ['mid.weight', 0, 4096],
      ['mid.weight', 1_000_003, 1_010_003],
      ['mid.weight', 2048 * 1024 - 5000, 2048 * 1024],
      ['mid.bias', 0, 2048],
      ['head.weight', 0, 10240],
    ];
    for (const [name, a, b] of slices) {
      const q = p.parameters.find((x) => x.name === name)!;
      if (q.init.kind !== 'strategy') throw new Error(`${name} is one strategy`);
      const expected = new Float64Array(b - a);
      prepareSpec(q.init.spec, q.shape).fill(expected, a);
      const bytes = readAt(out, info.dataOffset + q.offset + 8 * a, 8 * (b - a));
      const got = new Float64Array(bytes.buffer);
      expect(
        Buffer.from(got.buffer).equals(Buffer.from(expected.buffer)),
        `${name}[${a}, ${b})`,
      ).toBe(true);
    }
    expect(p.parameters.find((q) => q.name === 'mid.weight')!.offset).toBeGreaterThan(2 * GIB);
  }, 240_000);
});
