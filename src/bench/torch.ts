/**
 * The PyTorch peer: `bench/torch_bench.py` (the same cases, one thread, in-place `torch.nn.init`
 * calls), run only when `python3 -c "import torch"` succeeds on the machine: with `python3`, or
 * else with the system's `/usr/bin/python3` (Debian's `python3-torch` installs for that one, which
 * a `python3` of pyenv or a virtual environment does not see).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
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

/** PyTorch running `bench/torch_bench.py`, case by case. */
export interface TorchPeer {
  /** PyTorch's version, as the script reports it. */
  readonly version: string;
  /**
   * Times one case (not the start-up; a workers case is PyTorch's one thread on the same fill,
   * what the pool is compared with), or says why it was skipped.
   * @throws Error if the script has died or answers something else.
   */
  measure(c: CaseSpec): Promise<EngineResult>;
  /** Ends the script (the end of its input) and waits for it. */
  close(): Promise<void>;
}

/**
 * Starts `bench/torch_bench.py` with `python` and the timing `budget`, and waits until torch is
 * imported. One process for the whole run, asked one case at a time, so that each case is
 * timed right after weightinit's (see the script's line protocol).
 * @throws Error if it cannot start or does not answer as the protocol says.
 */
export async function startTorch(python: string, budget: Budget): Promise<TorchPeer> {
  const child = spawn(python, [TORCH_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<string>((resolve) => {
    child.on('error', (e) => resolve(`${python} cannot run (${e.message})`));
    child.on('close', (code) => resolve(`bench/torch_bench.py exited with ${code}`));
  });
  // stdin errors (EPIPE after the script died) surface through `next` instead.
  child.stdin.on('error', () => {});
  /** The script's next line, parsed; or why there is none. */
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await Promise.race([lines.next(), exited.then((why) => ({ why }))]);
    if ('why' in r || r.done === true) {
      // Output closed: the exit (its code) follows.
      const why = 'why' in r ? r.why : await exited;
      throw new Error(`${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    }
    try {
      return JSON.parse(r.value) as Record<string, unknown>;
    } catch {
      throw new Error(`bench/torch_bench.py printed something else than JSON: ${r.value}`);
    }
  };
  const send = (obj: object) => child.stdin.write(`${JSON.stringify(obj)}\n`);
  try {
    send(budget);
    const hello = await next();
    if (typeof hello.torch !== 'string') throw new Error('bench/torch_bench.py: no version');
    return {
      version: hello.torch,
      async measure(c) {
        const { id, strategy, shape, unit } = c;
        send({ id, strategy, shape, unit });
        const answer = await next();
        if (answer.id !== id || typeof answer.result !== 'object' || answer.result === null)
          throw new Error(`bench/torch_bench.py answered ${JSON.stringify(answer)} for ${id}`);
        return answer.result as EngineResult;
      },
      async close() {
        child.stdin.end();
        await exited;
      },
    };
  } catch (error) {
    child.kill();
    throw error;
  }
}
