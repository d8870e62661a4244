import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';

const fixture = new URL('../fixtures/report/lab-small.json', import.meta.url).pathname;

describe('weightinit report', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weightinit-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the HTML report of a lab JSON and prints its path', async () => {
    const out = join(dir, 'r.html');
    const r = await run('report', fixture, '--html', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out} \\(\\d+ KiB\\)$`));
    const html = await readFile(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(9);
  });

  it('defaults to the JSON’s name with .html', async () => {
    const json = join(dir, 'lab.json');
    await writeFile(json, await readFile(fixture));
    const r = await run('report', json);
    expect(r.code).toBe(0);
    expect((await stat(join(dir, 'lab.html'))).size).toBeGreaterThan(10_000);
  });

  it('weightinit lab <experiment> --html FILE writes the report of that experiment', async () => {
    const out = join(dir, 'rnn.html');
    const r = await run('lab', 'rnn', '--steps', '6', '--hidden', '4', '--html', out);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').at(-1)).toBe(`wrote ${out}`);
    const html = await readFile(out, 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(1);
    expect(html).toContain('id="rnn"');
  });

  it('exits 2 on a missing file, bad JSON or JSON without results, and writes nothing', async () => {
    const out = join(dir, 'none.html');
    const missing = await run('report', join(dir, 'missing.json'), '--html', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^weightinit: report: cannot read `.*missing\.json`/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ nope');
    const r = await run('report', bad, '--html', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must be JSON written by weightinit lab');
    const empty = join(dir, 'empty.json');
    await writeFile(empty, '{"a": 1}');
    const e = await run('report', empty, '--html', out);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('must hold lab results');
    await expect(stat(out)).rejects.toThrow();
  });
});
