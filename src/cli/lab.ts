import type { Command } from 'commander';
import { writeFileAtomic } from '../io/file.js';
import {
  EXPERIMENTS,
  type ExperimentConfigs,
  type ExperimentName,
  type Finding,
  type LabReport,
  type LabReports,
  runExperimentByName,
  runLab,
  summarize,
} from '../lab/index.js';
import { UsageError } from './errors.js';
import { bigintReplacer, formatNumber as f, type Output } from './output.js';
import { camelCase, parseInteger, parseNumber } from './parse.js';
import { htmlPathOf, writeHtml } from './report.js';

/** How a flag's text becomes a configuration value. */
type Kind = 'int' | 'number' | 'text' | 'ints' | 'numbers' | 'texts' | 'map';

interface Flag {
  /** The flag, without `--`. */
  readonly flag: string;
  readonly kind: Kind;
  readonly help: string;
  /** The configuration key (default: the flag in camelCase). */
  readonly key?: string;
}

const seed: Flag = { flag: 'seed', kind: 'int', help: 'seed of weights and data (default 0)' };
const strategies = (dflt: string): Flag => ({
  flag: 'strategies',
  kind: 'texts',
  help: `strategies, comma-separated, each name[:key=value…] (default ${dflt})`,
});

/** Each experiment's flags. */
const FLAGS: Record<ExperimentName, readonly Flag[]> = {
  propagation: [
    { flag: 'depth', kind: 'int', help: 'layers (default 30)' },
    { flag: 'width', kind: 'int', help: 'units per layer (default 256)' },
    { flag: 'batch', kind: 'int', help: 'Gaussian inputs (default 256)' },
    {
      flag: 'activation',
      key: 'activations',
      kind: 'texts',
      help: 'activations (default relu,tanh)',
    },
    strategies(
      'zeros,normal:std=0.01,normal:std=1,xavier-uniform,xavier-normal,he-normal,lecun-normal,orthogonal',
    ),
    { flag: 'bias', kind: 'text', help: 'bias strategy (default zeros)' },
    { flag: 'histogram-layers', kind: 'ints', help: 'layers to histogram (default 5 spread)' },
    { flag: 'bins', kind: 'int', help: 'histogram bins (default 50)' },
    seed,
  ],
  symmetry: [
    strategies('zeros,constant:value=0.1,xavier-uniform'),
    { flag: 'activation', kind: 'text', help: 'hidden activation (default tanh)' },
    { flag: 'inputs', kind: 'int', help: 'input dimension (default 8)' },
    { flag: 'hidden', kind: 'ints', help: 'hidden widths (default 16,16,16)' },
    { flag: 'examples', kind: 'int', help: 'training examples (default 128)' },
    { flag: 'steps', kind: 'int', help: 'gradient steps (default 300)' },
    { flag: 'optimizer', kind: 'text', help: 'sgd | adam (default sgd)' },
    { flag: 'learning-rate', kind: 'number', help: 'learning rate (default 0.05)' },
    {
      flag: 'tolerance',
      kind: 'number',
      help: 'relative tolerance for equal units (default 1e-4)',
    },
    seed,
  ],
  rnn: [
    { flag: 'steps', kind: 'int', help: 'sequence length (default 200)' },
    { flag: 'hidden', kind: 'int', help: 'hidden units (default 64)' },
    { flag: 'inputs', kind: 'int', help: 'input dimension (default 8)' },
    { flag: 'batch', kind: 'int', help: 'sequences (default 16)' },
    {
      flag: 'activation',
      key: 'activations',
      kind: 'texts',
      help: 'cells (default linear,tanh,relu)',
    },
    strategies('orthogonal,identity,xavier-uniform,normal:std=0.01'),
    { flag: 'input', kind: 'text', help: 'input-kernel strategy (default xavier-uniform)' },
    seed,
  ],
  spectrum: [
    { flag: 'depths', kind: 'ints', help: 'depths measured (default 4,16,32)' },
    { flag: 'width', kind: 'int', help: 'units per layer (default 128)' },
    {
      flag: 'activation',
      key: 'activations',
      kind: 'texts',
      help: 'activations (default linear,tanh,relu)',
    },
    strategies('lecun-normal,orthogonal'),
    {
      flag: 'sigma-w2',
      key: 'sigmaW2',
      kind: 'map',
      help: 'σ_w² per activation, e.g. tanh=1.2,relu=2 (default critical)',
    },
    {
      flag: 'sigma-b2',
      key: 'sigmaB2',
      kind: 'map',
      help: 'σ_b² per activation (default tanh=1e-4, others 0)',
    },
    { flag: 'samples', kind: 'int', help: 'networks pooled (default 4)' },
    seed,
  ],
  theory: [
    {
      flag: 'activation',
      key: 'activations',
      kind: 'texts',
      help: 'activations (default tanh,relu)',
    },
    {
      flag: 'sigma-w2',
      key: 'sigmaW2',
      kind: 'numbers',
      help: 'σ_w² values (default 0.5,1,1.5,2,2.5,3,4)',
    },
    { flag: 'sigma-b2', key: 'sigmaB2', kind: 'numbers', help: 'σ_b² values (default 0,0.05,0.3)' },
    {
      flag: 'critical-sigma-b2',
      key: 'criticalSigmaB2',
      kind: 'numbers',
      help: 'σ_b² of the critical line (default 0,0.05,…,0.5)',
    },
    { flag: 'nodes', kind: 'int', help: 'Gauss–Hermite nodes, >= 100 (default 128)' },
    {
      flag: 'check-depth',
      kind: 'int',
      help: 'depth of the measured networks, 0 for none (default 30)',
    },
    { flag: 'check-width', kind: 'int', help: 'width of the measured networks (default 256)' },
    { flag: 'check-batch', kind: 'int', help: 'batch of the measured networks (default 64)' },
    seed,
  ],
  train: [
    { flag: 'tasks', kind: 'texts', help: 'teacher-student,spirals,adding (default all)' },
    strategies('zeros,normal:std=0.01,xavier-uniform,he-normal,orthogonal'),
    {
      flag: 'rnn-strategies',
      kind: 'texts',
      help: 'recurrent strategies of adding (default identity,orthogonal,xavier-uniform,normal:std=0.01)',
    },
    { flag: 'seeds', kind: 'ints', help: 'initialization seeds (default 0,1,2)' },
    { flag: 'data-seed', kind: 'int', help: 'seed of the generated data (default 0)' },
    { flag: 'steps', kind: 'int', help: 'Adam steps of every task (default 300, 300, 300)' },
    { flag: 'examples', kind: 'int', help: 'training examples of every task' },
  ],
};

/** Parses one flag's text. */
function parse(flag: Flag, text: string): unknown {
  const list = () =>
    text
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
  switch (flag.kind) {
    case 'int':
      return parseInteger(flag.flag, text);
    case 'number':
      return parseNumber(flag.flag, text);
    case 'text':
      return text;
    case 'ints':
      return list().map((t) => parseInteger(flag.flag, t));
    case 'numbers':
      return list().map((t) => parseNumber(flag.flag, t));
    case 'texts':
      return list();
    case 'map':
      return Object.fromEntries(
        list().map((t) => {
          const [k, v] = t.split('=');
          if (v === undefined)
            throw new UsageError(
              `--${flag.flag} must be name=value pairs, e.g. tanh=1.2, got "${text}"`,
            );
          return [k.trim(), parseNumber(flag.flag, v.trim())];
        }),
      );
  }
}

/** The configuration an experiment's flags describe. */
function configOf(name: ExperimentName, flags: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const flag of FLAGS[name]) {
    const text = flags[camelCase(flag.flag)];
    if (text !== undefined) config[flag.key ?? camelCase(flag.flag)] = parse(flag, String(text));
  }
  if (name === 'train') {
    // --steps and --examples apply to every task.
    const { steps, examples, ...rest } = config;
    const task = {
      ...(steps === undefined ? {} : { steps }),
      ...(examples === undefined ? {} : { examples }),
    };
    return Object.keys(task).length === 0
      ? rest
      : { ...rest, teacherStudent: task, spirals: task, adding: task };
  }
  return config;
}

/** Columns padded to their widest cell, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The findings: a line each (✓ holds, ✗ does not, · informative), then measured and expected. */
function printFindings(o: Output, findings: readonly Finding[]): void {
  if (findings.length === 0) return;
  const mark = (h: boolean | null) => (h === null ? '·' : h ? '✓' : '✗');
  const width = Math.max(...findings.map((x) => x.experiment.length));
  const pad = ' '.repeat(width + 4);
  o.line('');
  for (const x of findings) {
    o.line(`${mark(x.holds)} ${x.experiment.padEnd(width)}  ${x.finding}`);
    o.line(`${pad}measured ${x.measured}`);
    o.line(`${pad}expected ${x.expected}`);
  }
}

/** A compact table of one experiment's results. */
function printResults(o: Output, reports: LabReports): void {
  const rows: string[][] = [];
  if (reports.propagation) {
    const d = reports.propagation.config.depth;
    rows.push([
      'strategy',
      'activation',
      'act std L1',
      `act std L${d}`,
      'grad std L1',
      `dead L${d}`,
    ]);
    for (const r of reports.propagation.results) {
      const first = r.layers[0];
      const last = r.layers[r.layers.length - 1];
      rows.push([
        r.strategy,
        r.activation,
        f(first.activationStd),
        f(last.activationStd),
        f(first.gradientStd),
        f(last.deadFraction),
      ]);
    }
  } else if (reports.symmetry) {
    rows.push(['strategy', 'distinct units (init → trained)', 'loss (init → final)', 'bias fit']);
    for (const r of reports.symmetry.results)
      rows.push([
        r.strategy,
        `${r.distinctUnitsAtInit.join(',')} → ${r.distinctUnits.join(',')}`,
        `${f(r.loss[0])} → ${f(r.finalLoss)}`,
        f(r.biasFitLoss),
      ]);
  } else if (reports.rnn) {
    rows.push(['strategy', 'cell', '‖∂L/∂h_1‖/‖∂L/∂h_T‖', '‖h_T‖']);
    for (const r of reports.rnn.results)
      rows.push([
        r.strategy,
        r.activation,
        f(r.gradientRatio),
        f(r.hiddenNorm[r.hiddenNorm.length - 1]),
      ]);
  } else if (reports.spectrum) {
    rows.push(['strategy', 'activation', 'depth', 'mean λ', 'var/mean²', 'max λ']);
    for (const r of reports.spectrum.results)
      rows.push([
        r.strategy,
        r.activation,
        String(r.depth),
        f(r.mean),
        f(r.normalizedVariance),
        f(r.max),
      ]);
  } else if (reports.theory) {
    rows.push([
      'activation',
      'σ_w²',
      'σ_b²',
      'q*',
      'χ₁',
      'phase',
      'ξ_q',
      'ξ_c',
      'measured q*',
      'measured χ₁',
    ]);
    for (const r of reports.theory.results)
      rows.push([
        r.activation,
        f(r.sigmaW2),
        f(r.sigmaB2),
        f(r.qStar),
        f(r.chi1),
        r.phase,
        f(r.xiQ),
        f(r.xiC),
        r.measured ? f(r.measured.qStar) : '-',
        r.measured ? f(r.measured.chi1) : '-',
      ]);
  } else if (reports.train) {
    rows.push([
      'task',
      'activation',
      'strategy',
      'steps to target',
      'reached',
      'final loss',
      'accuracy',
    ]);
    for (const r of reports.train.results) {
      const s = r.stepsToTarget.spread;
      rows.push([
        r.task,
        r.activation,
        r.strategy,
        s === null ? 'never' : `${f(s.mean)} ± ${f(s.std)}`,
        `${r.stepsToTarget.reached}/${r.seeds.length}`,
        `${f(r.finalLoss.mean)} ± ${f(r.finalLoss.std)}`,
        r.finalAccuracy === null ? '-' : f(r.finalAccuracy.mean),
      ]);
    }
  }
  for (const line of table(rows)) o.line(line);
}

/** Writes JSON atomically (a temporary file renamed: never a partial file). */
async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(
    path,
    new TextEncoder().encode(`${JSON.stringify(value, bigintReplacer, 2)}\n`),
  );
}

/** A progress reporter: a line per step on a terminal (stderr), nothing otherwise. */
function progressOf(o: Output): ((m: string) => void) | undefined {
  return o.isTTY ? (m) => o.error(`… ${m}`) : undefined;
}

/** The default report file of `weightinit lab`. */
export const REPORT_FILE = 'weightinit-report.json';

/** Every experiment's flag by name, with the experiments that take it. */
function allFlags(): Map<string, { help: string; names: ExperimentName[]; list: boolean }> {
  const all = new Map<string, { help: string; names: ExperimentName[]; list: boolean }>();
  for (const name of EXPERIMENTS)
    for (const flag of FLAGS[name]) {
      const entry = all.get(flag.flag) ?? { help: flag.help, names: [], list: false };
      entry.names.push(name);
      entry.list ||= flag.kind.endsWith('s') || flag.kind === 'map';
      all.set(flag.flag, entry);
    }
  return all;
}

/** Refuses experiment flags the experiment does not take (or any, with no experiment). */
function checkFlags(name: ExperimentName | undefined, flags: Record<string, unknown>): void {
  const mine = name === undefined ? [] : FLAGS[name].map((x) => x.flag);
  for (const [flag, entry] of allFlags()) {
    if (flags[camelCase(flag)] === undefined || mine.includes(flag)) continue;
    throw new UsageError(
      name === undefined
        ? `--${flag} needs an experiment: weightinit lab ${entry.names[0]} --${flag} …`
        : `--${flag} does not apply to ${name} (its options: ${mine.map((x) => `--${x}`).join(', ')})`,
    );
  }
}

/** Runs every experiment at its defaults: the findings, the times, and the report file. */
async function runAll(
  o: Output,
  flags: Record<string, unknown>,
  lab: typeof runLab,
): Promise<void> {
  if (typeof flags.json === 'string')
    throw new UsageError('--json FILE needs an experiment; the whole report goes to --out FILE');
  const report: LabReport = await lab({}, { onProgress: progressOf(o) });
  const out = typeof flags.out === 'string' ? flags.out : REPORT_FILE;
  await writeJson(out, report);
  const html = typeof flags.html === 'string' ? flags.html : htmlPathOf(out);
  await writeHtml(report, html);
  if (flags.json === true) {
    o.json(report);
    return;
  }
  o.line(
    `weightinit lab — ${Object.keys(report.experiments).length} experiments on TF.js (${report.backend})`,
  );
  printFindings(o, report.summary);
  o.line('');
  for (const line of table([
    ['experiment', 'time', 'cpu'],
    ...EXPERIMENTS.filter((n) => report.experiments[n]).map((n) => {
      const r = report.experiments[n]!;
      return [n, seconds(r.timeMs), r.cpuMs === null ? '-' : seconds(r.cpuMs)];
    }),
    ['total', seconds(report.timeMs), report.cpuMs === null ? '-' : seconds(report.cpuMs)],
  ]))
    o.line(line);
  o.line(`wrote ${out} and ${html}`);
}

/** Runs one experiment with its flags: a table of its results and its findings, or JSON. */
async function runOne(
  o: Output,
  name: ExperimentName,
  flags: Record<string, unknown>,
): Promise<void> {
  if (flags.out !== undefined)
    throw new UsageError(`--out is for the whole lab; for ${name} use --json FILE`);
  const config = configOf(name, flags) as ExperimentConfigs[typeof name];
  const report = await runExperimentByName(name, config, { onProgress: progressOf(o) });
  if (flags.json === true) {
    o.json(report);
    return;
  }
  if (typeof flags.json === 'string') await writeJson(flags.json, report);
  if (typeof flags.html === 'string') await writeHtml(report, flags.html);
  const reports: LabReports = { [name]: report };
  o.line(`weightinit lab ${name} — TF.js (${report.backend}), ${seconds(report.timeMs)}`);
  printResults(o, reports);
  printFindings(o, summarize(reports));
  if (typeof flags.json === 'string') o.line(`wrote ${flags.json}`);
  if (typeof flags.html === 'string') o.line(`wrote ${flags.html}`);
}

/**
 * The `lab` command: `weightinit lab` runs every experiment at its defaults, prints the
 * findings with each experiment's time and writes `weightinit-report.json`;
 * `weightinit lab <experiment> [options] [--json [FILE]]` runs one. `lab` is what runs the
 * whole lab (`runLab`; tests give a smaller one).
 */
export function registerLab(program: Command, o: Output, lab: typeof runLab = runLab): void {
  const cmd = program
    .command('lab')
    .description(
      `the experiments that show why initialization matters; with no experiment, all of them at their defaults, the findings, and ${REPORT_FILE}`,
    )
    .argument('[experiment]', `one of ${EXPERIMENTS.join(', ')}`)
    .option('--json [file]', 'print the report as JSON, or (with an experiment) write it to FILE')
    .option('--out <file>', `where \`weightinit lab\` writes the report (default ${REPORT_FILE})`)
    .option('--html <file>', 'where to write the HTML report (default: --out with .html)');
  for (const [flag, entry] of allFlags())
    cmd.option(
      `--${flag} <${entry.list ? 'list' : 'x'}>`,
      `${entry.help} [${entry.names.join(', ')}]`,
    );
  cmd.action(async (experiment: string | undefined, flags: Record<string, unknown>) => {
    if (experiment !== undefined && !(EXPERIMENTS as readonly string[]).includes(experiment))
      throw new UsageError(
        `experiment must be one of ${EXPERIMENTS.join(', ')}, got "${experiment}"`,
      );
    const name = experiment as ExperimentName | undefined;
    checkFlags(name, flags);
    if (name === undefined) await runAll(o, flags, lab);
    else await runOne(o, name, flags);
  });
}
