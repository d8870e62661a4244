/**
 * The checkpoint case: `benchCheckpoint` of `./checkpoint.js` (written separately) on a big model
 * spec, imported dynamically; a build without that module says so and skips the case.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CheckpointResult } from './types.js';

/** The default model: ~1 B parameters, bf16 (~2 GB written). */
export const DEFAULT_CHECKPOINT_SPEC = 'examples/transformer-1b.json';

/** The module providing `benchCheckpoint` (compiled beside this one; the path also holds from
 * the command's bundle in `dist/bin/`). */
export const CHECKPOINT_MODULE = new URL('../bench/checkpoint.js', import.meta.url);

/** Options passed to `benchCheckpoint`. */
export interface CheckpointOptions {
  readonly spec: string;
  readonly dtype?: string;
  readonly dir?: string;
  readonly keep?: boolean;
}

/**
 * Runs the checkpoint case, or returns why it cannot (the module absent). `module` overrides
 * where `benchCheckpoint` is loaded from (tests).
 * @throws what `benchCheckpoint` throws.
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
  // benchCheckpoint runs the command and the generation in child processes of its own: their
  // peak RSS is theirs, not this process's.
  const { benchCheckpoint } = (await import(module.href)) as {
    benchCheckpoint(o: CheckpointOptions): Promise<Record<string, unknown>>;
  };
  const r = (await benchCheckpoint(options)) as Record<string, number>;
  const load = (r as Record<string, unknown>).loadAverage;
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
    ...(Array.isArray(load) ? { loadAverage: load as number[] } : {}),
  };
}
