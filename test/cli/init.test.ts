import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerInit } from '../../src/cli/init.js';
import type { Output } from '../../src/cli/output.js';
import { readSafetensors } from '../../src/io/safetensors.js';
import { checkpointChunks } from '../../src/model/materialize.js';
import { plan } from '../../src/model/spec.js';
import { workerPoolReady } from '../../src/random/pool-node.js';
import { run } from '../support/cli.js';

const example = JSON.parse(
  readFileSync(new URL('../model/specs/issue-example.json', import.meta.url), 'utf8'),
);

let dir: string;
let specFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weightinit-init-'));
  specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(example));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const concat = (chunks: Iterable<Uint8Array>) => {
  const parts: Buffer[] = [];
  for (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
};

describe('weightinit init', () => {
  it('writes the checkpoint the library makes, and says what it wrote', async () => {
    const out = join(dir, 'model.safetensors');
    const r = await run('init', specFile, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `${specFile}: 25 tensors, 692,810 parameters, float32 (2.77 MB), seed 0, scheme recommended`,
    );
    expect(r.stdout).toMatch(/wrote .*model\.safetensors \(2,773,624 bytes\) in \d+\.\d s/);
    expect(r.stdout).toContain('warning: head.weight: every element of this 2-D weight is 0');
    const bytes = readFileSync(out);
    expect(bytes.equals(concat(checkpointChunks(plan(example))))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['model.safetensors', 'spec.json']);
  });

  it('--seed and --dtype override the spec’s; --json reports the result', async () => {
    const out = join(dir, 'm.safetensors');
    const r = await run(
      'init',
      specFile,
      '--out',
      out,
      '--seed',
      '18446744073709551615',
      '--dtype',
      'bfloat16',
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const p = plan({ ...example, seed: '18446744073709551615', dtype: 'bfloat16' });
    expect(report).toMatchObject({
      out,
      bytes: p.fileBytes,
      tensors: 25,
      parameters: 692810,
      dtype: 'bfloat16',
      seed: '18446744073709551615',
      scheme: 'recommended',
      specSha256: p.specSha256,
    });
    const file = readSafetensors(new Uint8Array(readFileSync(out)));
    expect(file.metadata['weightinit.seed']).toBe('18446744073709551615');
    expect(file.tensors.every((t) => t.storage === 'bfloat16')).toBe(true);
    expect(readFileSync(out).equals(concat(checkpointChunks(p)))).toBe(true);
  });

  it('--plan prints every parameter with shape, strategy and reason, and writes nothing', async () => {
    const r = await run('init', specFile, '--plan', '--out', join(dir, 'x.safetensors'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('25 tensors, 692,810 parameters');
    expect(lines[1]).toMatch(/^name +shape +strategy +reason$/);
    expect(r.stdout).toMatch(
      /\nfc1\.weight +\[128, 256\] +he-normal nonlinearity=relu, std 0\.08839 +He normal/,
    );
    expect(r.stdout).toMatch(/\nrnn\.bias_ih_l1_reverse +\[512\] +i: zeros \| f: constant value=1/);
    expect(r.stdout).toMatch(/\nhead\.weight +\[10, 128\] +zeros +override "head\.weight"/);
    expect(readdirSync(dir)).toEqual(['spec.json']);
    const j = await run('init', specFile, '--plan', '--json');
    const json = JSON.parse(j.stdout);
    expect(json.parameters.map((q: { name: string }) => q.name)).toEqual(
      plan(example).parameters.map((q) => q.name),
    );
    expect(json.totalParameters).toBe(692810);
    expect(json.parameters[0].init.spec).toEqual({
      name: 'normal',
      seed: 0,
      stream: 'embed.weight',
      dtype: 'float32',
    });
  });

  it('exit 2 with the JSON path for a bad spec, and no file', async () => {
    writeFileSync(
      specFile,
      JSON.stringify({
        ...example,
        layers: [example.layers[0], { ...example.layers[2], kernelSize: '3' }],
      }),
    );
    const out = join(dir, 'm.safetensors');
    const r = await run('init', specFile, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `weightinit: ${specFile}: plan: \`layers[1].kernelSize\` must be an integer >= 1 or an array of them, got "3"`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['no --out', [], '--out FILE.safetensors is required (or --plan to print the plan only)'],
    [
      '--out not .safetensors',
      ['--out', 'model.bin'],
      '--out must end in .safetensors, got "model.bin"',
    ],
    [
      '--out in a missing directory',
      ['--out', '/nonexistent-dir/m.safetensors'],
      '--out: the directory "/nonexistent-dir" does not exist',
    ],
    ['--seed', ['--plan', '--seed', '-1'], '--seed must be a non-negative integer, got "-1"'],
    [
      '--dtype',
      ['--plan', '--dtype', 'int8'],
      '--dtype must be one of "float32", "float64", "float16", "bfloat16", got "int8"',
    ],
  ])('usage error: %s', async (_label, args, message) => {
    const r = await run('init', specFile, ...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`weightinit: ${message}`);
    expect(readdirSync(dir)).toEqual(['spec.json']);
  });

  it('a missing spec or bad JSON is a usage error', async () => {
    const missing = await run('init', join(dir, 'nope.json'), '--plan');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^weightinit: cannot read the spec ".*nope\.json": ENOENT/);
    writeFileSync(specFile, '{ "format": ');
    const bad = await run('init', specFile, '--plan');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^weightinit: .*spec\.json: not valid JSON: /);
    writeFileSync(specFile, '[1]');
    expect((await run('init', specFile, '--plan')).stderr).toContain(
      'a model spec must be a JSON object',
    );
  });

  it('a write failure exits 1 and leaves nothing behind', async () => {
    // A name the file system refuses (over 255 bytes): the checks pass, the write fails.
    const out = join(dir, `${'m'.repeat(250)}.safetensors`);
    const r = await run('init', specFile, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^weightinit: ENAMETOOLONG/);
    expect(readdirSync(dir)).toEqual(['spec.json']);
  });
});

describe('big checkpoints', () => {
  it('runs on the worker pool (same bytes as one thread) and stops it at the end', async () => {
    // 2^24 + parameters: the command starts the pool; the file equals the one-thread stream.
    const spec = {
      format: 'weightinit.model/1',
      seed: 9,
      dtype: 'bfloat16',
      layers: [
        { name: 'embed', type: 'embedding', numEmbeddings: 4096, embeddingDim: 2048 },
        { name: 'fc', type: 'dense', inFeatures: 2048, outFeatures: 4099, activation: 'relu' },
      ],
    };
    writeFileSync(specFile, JSON.stringify(spec));
    const out = join(dir, 'big.safetensors');
    const r = await run('init', specFile, '--out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const p = plan(spec);
    expect(p.totalParameters).toBeGreaterThanOrEqual(2 ** 24);
    expect(JSON.parse(r.stdout).bytes).toBe(p.fileBytes);
    expect(await workerPoolReady()).toBe(1); // the pool is stopped
    expect(readFileSync(out).equals(concat(checkpointChunks(p)))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['big.safetensors', 'spec.json']);
  }, 60_000);
});

describe('progress', () => {
  const capture = () => {
    const lines: string[] = [];
    const output: Output = {
      line: (t) => lines.push(t),
      json: () => {},
      error: (t) => lines.push(t),
      isTTY: false,
    };
    return { lines, output };
  };
  const big = () => {
    writeFileSync(
      specFile,
      JSON.stringify({
        format: 'weightinit.model/1',
        seed: 0,
        layers: [{ name: 'fc', type: 'dense', inFeatures: 4096, outFeatures: 4096 }],
        overrides: { 'fc.weight': { init: 'zeros' } },
      }),
    );
  };

  it('is drawn on a terminal for a big checkpoint and cleared at the end', async () => {
    big();
    const written: string[] = [];
    const { output } = capture();
    const program = new Command('weightinit').exitOverride();
    registerInit(program, output, { isTTY: true, write: (t) => written.push(t) });
    await program.parseAsync(['init', specFile, '--out', join(dir, 'm.safetensors')], {
      from: 'user',
    });
    expect(written.length).toBeGreaterThanOrEqual(2);
    const ESC = '\u001b'; // the line ends with ESC [K (erase to end of line)
    expect(written.at(-2)?.endsWith(`${ESC}[K`)).toBe(true);
    expect(written.at(-2)?.slice(0, -3)).toMatch(
      /^\rinit 100% {2}67\.1 MB \/ 67\.1 MB {2}\d+\.\d s, 0 s left$/,
    );
    expect(written.at(-1)).toBe('\r\u001b[K');
  });

  it('is quiet when stderr is not a terminal', async () => {
    big();
    const written: string[] = [];
    const { output } = capture();
    const program = new Command('weightinit').exitOverride();
    registerInit(program, output, { isTTY: false, write: (t) => written.push(t) });
    await program.parseAsync(['init', specFile, '--out', join(dir, 'm.safetensors')], {
      from: 'user',
    });
    expect(written).toEqual([]);
  });
});
