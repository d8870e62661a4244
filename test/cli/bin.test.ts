/** The installed command, end to end: `node bin/weightinit.js` on the built package. */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

const root = new URL('../../', import.meta.url);
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/weightinit.js', ...args], { cwd: root, encoding: 'utf8' });

describe('bin/weightinit.js', () => {
  it('samples and exits 0', () => {
    const r = cli('sample', 'he-normal', '--shape', '256,256');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('he-normal  shape [256, 256]');
  });

  it('exits 2 with the message on stderr for a usage error, nothing on stdout', () => {
    const r = cli('sample', 'he-normal', '--shape', '5');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('heNormal: `shape` must be at least 2 dimensions');
  });

  it('a reader that stops early is not an error (EPIPE): exit 0, nothing on stderr', async () => {
    // The pipe is closed before the command writes (it takes ~0.1 s to start), so its first
    // write fails with EPIPE.
    const child = spawn(process.execPath, ['bin/weightinit.js', '--help'], { cwd: root });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('--version is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    expect(cli('--version').stdout.trim()).toBe(VERSION);
  });

  it.each([
    ['the command’s bundle', './dist/bin/main.js'],
    ['tsc’s modules', './dist/cli/main.js'],
  ])('loads only the command it runs: `sample` does not load TensorFlow.js (%s)', (_, entry) => {
    // TensorFlow.js is CommonJS, so whatever loads it lands in require.cache.
    const script = `
      import { createRequire } from 'node:module';
      const { main } = await import('${entry}');
      const quiet = { line() {}, error() {} };
      const code = await main(['sample', 'he-normal', '--shape', '4,4'], quiet);
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({ code, tfjs: cache.filter((k) => k.includes('@tensorflow')).length }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ code: 0, tfjs: 0 });
  });
});

describe('the command’s bundle (dist/bin, rolldown.config.mjs)', () => {
  it('bundles commander but no other package (TensorFlow.js and the report’s stay outside)', () => {
    const dir = new URL('dist/bin/', root);
    const code = readdirSync(dir)
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .join('\n');
    expect(code).toContain('CommanderError = class');
    expect(code).toMatch(/from ["']@tensorflow\/tfjs-core["']/);
    // A bundled copy of TF.js would define its engine class here.
    expect(code).not.toMatch(/class Engine\b/);
  });
});
