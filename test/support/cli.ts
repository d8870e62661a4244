import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

/** Runs the command in-process and captures what it prints. */
export async function run(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    line: (t) => out.push(t),
    json: (v) => out.push(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))),
    error: (t) => err.push(t),
    isTTY: false,
  };
  const code = await main(argv, output);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
