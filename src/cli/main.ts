import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { EXIT, exitCodeOf } from './errors.js';
import { registerInspect } from './inspect.js';
import { type Output, processOutput } from './output.js';
import { registerSample } from './sample.js';

/**
 * Runs the `weightinit` command with `argv` (without the `node` and script entries) and
 * resolves to the exit code: 0 on success, 2 on a usage error, 1 on a failure. Messages go
 * to `output` (stderr for errors); nothing else touches the process.
 */
export async function main(
  argv: readonly string[],
  output: Output = processOutput(),
): Promise<number> {
  const program = new Command('weightinit')
    .description(
      'Neural-network weight initialization: every strategy, reproducible by seed, and the lab that shows why it matters.',
    )
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (t) => output.line(t.replace(/\n$/, '')),
      writeErr: (t) => output.error(t.replace(/\n$/, '')),
    });
  // Subcommands inherit exitOverride and the output configuration (commander copies them).
  registerSample(program, output);
  registerInspect(program, output);
  (await import('./recommend.js')).registerRecommend(program, output);
  (await import('./init.js')).registerInit(program, output);
  (await import('./lab.js')).registerLab(program, output);
  (await import('./report.js')).registerReport(program, output);
  (await import('./serve.js')).registerServe(program, output);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with 0; commander already printed its message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    output.error(`weightinit: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodeOf(error);
  }
}
