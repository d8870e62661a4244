import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import type { Output } from './output.js';
import { parseInteger } from './parse.js';

/** The built playground (`vite build web`), beside `src/` and `dist/` in the package. */
export const PLAYGROUND_DIR = fileURLToPath(new URL('../../dist/playground/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

/** A running playground server. */
export interface PlaygroundServer {
  /** `http://127.0.0.1:PORT/`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the files of `root` on 127.0.0.1 only (never another interface): GET and HEAD, `/`
 * as `index.html`, 404 for anything outside `root` or missing. Port 0 picks a free port.
 * @throws UsageError when `root` has no index.html (the playground is not built).
 */
export async function startPlayground(
  options: { root?: string; port?: number } = {},
): Promise<PlaygroundServer> {
  const root = normalize(options.root ?? PLAYGROUND_DIR);
  try {
    await stat(join(root, 'index.html'));
  } catch {
    throw new UsageError(
      `serve: the playground is not built (no ${join(root, 'index.html')}): run npm run build`,
    );
  }
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      !file.startsWith(root.endsWith(sep) ? root : root + sep)
    ) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `weightinit serve [--port N]`: the playground on localhost, until interrupted. */
export function registerServe(program: Command, o: Output): void {
  program
    .command('serve')
    .description('serve the browser playground on http://127.0.0.1 (until Ctrl-C)')
    .option('--port <n>', 'the port (default 5178; 0 picks a free one)')
    .action(async (flags: { port?: string }) => {
      const port = flags.port === undefined ? 5178 : Number(parseInteger('port', flags.port));
      if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
      const s = await startPlayground({ port });
      o.line(`weightinit playground at ${s.url} (Ctrl-C to stop)`);
    });
}
