import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaygroundServer, startPlayground } from '../../src/cli/serve.js';
import { run } from '../support/cli.js';

describe('weightinit serve', () => {
  let dir = '';
  let server: PlaygroundServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weightinit-serve-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(dir, 'a.js'), 'export {}');
    server = await startPlayground({ root: dir, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the built files on 127.0.0.1 with their types', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetch(server.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>t</title>');
    const js = await fetch(`${server.url}a.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 outside the folder or for a missing file, 405 for other methods', async () => {
    expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('says how to build the playground when it is missing, and checks --port', async () => {
    await expect(startPlayground({ root: join(dir, 'nope') })).rejects.toThrow(
      'serve: the playground is not built',
    );
    const r = await run('serve', '--port', 'x');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be a non-negative integer');
  });
});
