/**
 * The PyTorch peer: `bench/torch_bench.py` (the same cases, one thread, in-place `torch.nn.init`
 * calls), run only when `python3 -c "import torch"` succeeds on the machine: with `python3`, or
 * else with the system's `/usr/bin/python3` (Debian's `python3-torch` installs for that one, which
 * a `python3` of pyenv or a virtual environment does not see).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CaseSpec } from './cases.js';
import type { Budget } from './timing.js';
import type { EngineResult } from './types.js';

/** The script, beside the package's `bench/` (present in a checkout, not in the npm package). */
export const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/torch_bench.py', import.meta.url));

/** The interpreters tried, in order, when none is given. */
export const PYTHONS = ['python3', '/usr/bin/python3'] as const;

/**
 * PyTorch's version and the interpreter that imports it: `python` if given, else the first of
 * {@link PYTHONS} that does; or why it cannot run here (the first interpreter's reason).
 */
export function probeTorch(
  python?: string,
): { version: string; python: string } | { skipped: string } {
  let first: { skipped: string } | undefined;
  for (const p of python === undefined ? PYTHONS : [python]) {
    const r = probeOne(p);
    if ('version' in r) return r;
    first ??= r;
  }
  return first as { skipped: string };
}

function probeOne(python: string): { version: string; python: string } | { skipped: string } {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error !== undefined) return { skipped: `${python} cannot run (${r.error.message})` };
  if (r.status !== 0) {
    const last = r.stderr.trim().split('\n').pop() ?? '';
    return { skipped: `\`${python} -c "import torch"\` fails${last ? ` (${last})` : ''}` };
  }
  if (!existsSync(TORCH_SCRIPT)) return { skipped: `${TORCH_SCRIPT} is missing` };
  return { version: r.stdout.trim(), python };
}

/**
 * Runs the PyTorch script on `cases` (the start-up excepted; a workers case is PyTorch's one
 * thread on the same fill, what the pool is compared with) and returns each result by id.
 * @throws Error if the script fails or prints something else than its JSON.
 */
export function runTorch(
  cases: readonly CaseSpec[],
  budget: Budget,
  python: string,
): Map<string, EngineResult> {
  const wanted = cases.filter((c) => c.group !== 'startup');
  const input = JSON.stringify({
    cases: wanted.map(({ id, strategy, shape, unit }) => ({ id, strategy, shape, unit })),
    ...budget,
  });
  const r = spawnSync(python, [TORCH_SCRIPT], {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    timeout: 3_600_000,
  });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0)
    throw new Error(`bench/torch_bench.py exited with ${r.status}: ${r.stderr.trim()}`);
  const doc = JSON.parse(r.stdout) as { results: Record<string, EngineResult> };
  return new Map(Object.entries(doc.results));
}
