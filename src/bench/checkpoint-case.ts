/**
 * The checkpoint case: `benchCheckpoint` of `./checkpoint.js` (written separately) on a big model
 * spec, run in a child process so that its peak RSS is its own and not the benchmark's. Until
 * that module exists, the case says so and is skipped.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CheckpointResult } from './types.js';

/** The default model: ~1 B parameters, bf16 (~2 GB written). */
export const DEFAULT_CHECKPOINT_SPEC = 'examples/transformer-1b.json';

/** The module providing `benchCheckpoint` (compiled beside this one). */
export const CHECKPOINT_MODULE = new URL('./checkpoint.js', import.meta.url);

/** Options passed to `benchCheckpoint`. */
export interface CheckpointOptions {
  readonly spec: string;
  readonly dtype?: string;
  readonly dir?: string;
  readonly keep?: boolean;
}

const CHILD = `
const [url, options] = JSON.parse(process.argv[1]);
const { benchCheckpoint } = await import(url);
const r = await benchCheckpoint(options);
process.stdout.write('\\n@@result ' + JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\\n');
`;

/**
 * Runs the checkpoint case, or returns why it cannot (the module absent). `module` overrides
 * where `benchCheckpoint` is loaded from (tests).
 * @throws Error when the child fails.
 */
export async function runCheckpoint(
  options: CheckpointOptions,
  module: URL = CHECKPOINT_MODULE,
): Promise<CheckpointResult> {
  if (module.protocol === 'file:' && !existsSync(fileURLToPath(module))) {
    return {
      spec: options.spec,
      skipped: `the checkpoint benchmark (src/bench/checkpoint.ts, benchCheckpoint) is not in this build (${fileURLToPath(module)} missing)`,
    };
  }
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', CHILD, JSON.stringify([module.href, options])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const line = stdout.split('\n').find((l) => l.startsWith('@@result '));
  if (code !== 0 || line === undefined) {
    throw new Error(`checkpoint case failed (exit ${code}): ${stderr.trim() || stdout.trim()}`);
  }
  const r = JSON.parse(line.slice('@@result '.length)) as Record<string, number>;
  return {
    spec: options.spec,
    params: r.params,
    bytes: r.bytes,
    wallSeconds: r.wallSeconds,
    generateSeconds: r.generateSeconds,
    ddSeconds: r.ddSeconds,
    peakRssBytes: r.peakRssBytes,
    ratio: r.ratio,
    workers: r.workers,
  };
}
