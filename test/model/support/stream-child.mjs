// Child process of test/model/stream.test.ts: plans a spec and streams its checkpoint to a
// file with the library transpiled to plain JavaScript, then reports its peak memory.
// Usage: node stream-child.mjs <transpiled src dir> <spec.json> <out.safetensors>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [srcDir, specPath, out] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(srcDir, path)).href);
const { plan } = await load('model/spec.js');
const { writeCheckpoint } = await load('model/write.js');

const start = performance.now();
const p = plan(JSON.parse(readFileSync(specPath, 'utf8')));
const bytes = await writeCheckpoint(out, p);
const seconds = (performance.now() - start) / 1000;
process.stdout.write(
  JSON.stringify({
    bytes,
    fileBytes: p.fileBytes,
    totalParameters: p.totalParameters,
    seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
