import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { EXIT, exitCodeOf } from './errors.js';
import { type Output, processOutput } from './output.js';

/** Adds one subcommand (its options, arguments and action) to the program. */
type Register = (program: Command, output: Output) => void;

/**
 * The subcommands, each loaded only when it runs (or for the full help): `sample` must not
 * pay for the lab, the report or TensorFlow.js at start-up.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  sample: async () => (await import('./sample.js')).registerSample,
  recommend: async () => (await import('./recommend.js')).registerRecommend,
  init: async () => (await import('./init.js')).registerInit,
  inspect: async () => (await import('./inspect.js')).registerInspect,
  lab: async () => (await import('./lab.js')).registerLab,
  report: async () => (await import('./report.js')).registerReport,
  serve: async () => (await import('./serve.js')).registerServe,
  bench: async () => (await import('./bench.js')).registerBench,
};

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
  try {
    // Subcommands inherit exitOverride and the output configuration (commander copies them).
    // A known command name first loads that command alone, the version flag none; anything
    // else (help, a typo, no command) loads them all, so that help lists them and commander
    // suggests the nearest.
    const first = argv[0] ?? '';
    const loaders =
      first === '-V' || first === '--version'
        ? []
        : Object.hasOwn(COMMANDS, first)
          ? [COMMANDS[first] as () => Promise<Register>]
          : Object.values(COMMANDS);
    for (const register of await Promise.all(loaders.map((load) => load()))) {
      register(program, output);
    }
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
