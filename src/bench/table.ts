/**
 * The benchmark's tables, as aligned text for a terminal or as Markdown for the README (the
 * same rows): fills, orthogonal, workers, start-up, checkpoint, and the targets.
 */
import { describeMachine } from './machine.js';
import {
  type BenchDocument,
  type CaseResult,
  type EngineResult,
  type Group,
  isMeasured,
  type TargetResult,
} from './types.js';

/** A number in a cell: 3 significant digits, no exponent for the usual magnitudes. */
export function formatFigure(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return Number(x.toPrecision(2)).toString();
}

/** `412 (450)`: median (best); a `*` marks one cold call; a skipped engine says why. */
export function formatResult(r: EngineResult | undefined): string {
  if (r === undefined) return '–';
  if (!isMeasured(r)) return `skipped (${r.skipped})`;
  const cell = `${formatFigure(r.median)} (${formatFigure(r.best)})`;
  return r.warm ? cell : `${cell}*`;
}

/** `2.5×`, or `–` when missing. */
export function formatRatio(r: number | null | undefined): string {
  return r === null || r === undefined ? '–' : `${formatFigure(r)}×`;
}

const SYMBOL = (met: boolean | null) => (met === null ? '–' : met ? '✓' : '✗');

/** `≥ 1× ✓`; PyTorch targets from quoted figures carry a `†`. */
export function formatTarget(t: TargetResult): string {
  const threshold =
    t.unit === '×'
      ? `${t.threshold}×`
      : t.unit === 'bytes'
        ? `${t.threshold / 2 ** 20} MB`
        : t.unit === 'yes=1'
          ? ''
          : `${t.threshold} ${t.unit}`;
  const what = t.target.includes('PyTorch')
    ? `PyTorch${t.basis === 'quoted' ? '†' : ''} `
    : t.target.includes('TF.js')
      ? `${t.target.replace('vs ', '')} `
      : t.target.startsWith('bit-identical')
        ? 'same bits '
        : '';
  const op = t.unit === 'yes=1' ? '' : `${t.op === '>=' ? '≥' : '≤'} `;
  return `${what}${op}${threshold} ${SYMBOL(t.met)}`.replace(/\s+/g, ' ').trim();
}

/** Renders rows under a header: Markdown (`| a | b |`) or aligned text. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  markdown: boolean,
): string[] {
  // Markdown: a `*` (a cold call) escaped, so that it is not read as emphasis.
  const cell = (c: string | undefined) => (markdown ? (c ?? '').replaceAll('*', '\\*') : (c ?? ''));
  const all = [header, ...rows].map((r) => r.map(cell));
  const width = header.map((_, j) =>
    Math.max(markdown ? 3 : 0, ...all.map((r) => [...(r[j] ?? '')].length)),
  );
  // Text columns (the first, the targets) to the left, figures to the right.
  const left = (j: number) => j === 0 || header[j] === 'target';
  const pad = (s: string, j: number) => {
    const n = width[j] - [...s].length;
    return left(j) ? s + ' '.repeat(n) : ' '.repeat(n) + s;
  };
  if (!markdown)
    return all.map((r) =>
      r
        .map((c, j) => pad(c, j))
        .join('  ')
        .trimEnd(),
    );
  const line = (r: readonly string[]) => r.map((c, j) => pad(c, j));
  const rule = width.map((w, j) => (left(j) ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`));
  return [
    `| ${line(all[0]).join(' | ')} |`,
    `| ${rule.join(' | ')} |`,
    ...all.slice(1).map((r) => `| ${line(r).join(' | ')} |`),
  ];
}

function targetsOf(doc: BenchDocument, c: CaseResult): string {
  return doc.targets
    .filter((t) => t.case === c.id)
    .map(formatTarget)
    .join('; ');
}

/**
 * The PyTorch columns (each with its ×): the PyTorch measured in the run, if any, then PyTorch
 * 2.13's figures as the issue quotes them (†), if the document has them.
 */
function torchColumns(doc: BenchDocument): {
  header: string[];
  cells(c: CaseResult): string[];
} {
  const measured = doc.peers.torch.version !== undefined;
  const quoted = doc.torchQuoted !== null;
  return {
    header: [
      ...(measured ? [`PyTorch ${doc.peers.torch.version}`, '×'] : []),
      ...(quoted ? ['PyTorch 2.13†', '×'] : []),
    ],
    cells: (c) => [
      ...(measured ? [formatResult(c.engines.torch), formatRatio(c.ratios.torch)] : []),
      ...(quoted
        ? [
            c.torchQuoted === undefined ? '–' : formatFigure(c.torchQuoted),
            formatRatio(c.ratios['torch-quoted']),
          ]
        : []),
    ],
  };
}

/** The table of the fills or of orthogonal: weightinit, each TF.js backend, PyTorch, targets. */
function peerTable(doc: BenchDocument, groups: readonly Group[], markdown: boolean): string[] {
  const cases = doc.cases.filter((c) => groups.includes(c.group));
  if (cases.length === 0) return [];
  const fills = cases[0].unit === 'M/s';
  // Orthogonal runs on the worker pool (its QR's block updates), and on one thread.
  const threads = cases[0].threads;
  const torch = torchColumns(doc);
  const header = [
    fills ? 'M elements/s, 1 thread' : 'orthogonal, ms',
    fills || threads === undefined ? 'weightinit' : `weightinit, ${threads} threads`,
    ...(fills ? ['initialize'] : threads === undefined ? [] : ['1 thread']),
    'TF.js cpu',
    '×',
    'TF.js wasm',
    '×',
    ...torch.header,
    'target',
  ];
  const rows = cases.map((c) => [
    c.id,
    formatResult(c.engines.weightinit),
    ...(fills
      ? [formatResult(c.engines['weightinit-alloc'])]
      : threads === undefined
        ? []
        : [formatResult(c.engines['weightinit-1'])]),
    formatResult(c.engines['tfjs-cpu']),
    formatRatio(c.ratios['tfjs-cpu']),
    formatResult(c.engines['tfjs-wasm']),
    formatRatio(c.ratios['tfjs-wasm']),
    ...torch.cells(c),
    targetsOf(doc, c),
  ]);
  return renderTable(header, rows, markdown);
}

function workersTable(doc: BenchDocument, markdown: boolean): string[] {
  const cases = doc.cases.filter((c) => c.group === 'workers');
  if (cases.length === 0) return [];
  const threads = cases[0].threads ?? 0;
  const torch = torchColumns(doc);
  const header = [
    'M elements/s',
    '1 thread',
    `${threads} threads`,
    '×',
    'same bits',
    ...torch.header,
    'target',
  ];
  const rows = cases.map((c) => [
    c.id,
    formatResult(c.engines['weightinit-1']),
    // A pool that ran no task took no part: say so rather than show a one-thread figure.
    formatResult(c.engines['weightinit-workers']) + (c.poolTasks === 0 ? ' (pool idle)' : ''),
    formatRatio(c.ratios['one-thread']),
    c.bitIdentical === undefined ? '–' : c.bitIdentical ? 'yes' : 'NO',
    ...torch.cells(c),
    targetsOf(doc, c),
  ]);
  return renderTable(header, rows, markdown);
}

function startupTable(doc: BenchDocument, markdown: boolean): string[] {
  const cases = doc.cases.filter((c) => c.group === 'startup');
  if (cases.length === 0) return [];
  const rows = cases.map((c) => [
    `node bin/weightinit.js sample he-normal --shape 256,256`,
    formatResult(c.engines.weightinit),
    targetsOf(doc, c),
  ]);
  return renderTable(['start-up, s', 'wall', 'target'], rows, markdown);
}

function checkpointLines(doc: BenchDocument, markdown: boolean): string[] {
  const k = doc.checkpoint;
  if (k === null) return [];
  if (!('params' in k)) return [`checkpoint ${k.spec}: skipped (${k.skipped})`];
  const mb = (b: number) => `${formatFigure(b / 2 ** 20)} MB`;
  const header = [
    'checkpoint',
    'params',
    'written',
    'wall s',
    'generate s',
    'dd s',
    'peak RSS',
    'workers',
    'target',
  ];
  const row = [
    k.spec,
    `${formatFigure(k.params / 1e9)} B`,
    `${formatFigure(k.bytes / 2 ** 30)} GiB`,
    formatFigure(k.wallSeconds),
    formatFigure(k.generateSeconds),
    formatFigure(k.ddSeconds),
    mb(k.peakRssBytes),
    String(k.workers),
    doc.targets
      .filter((t) => t.case === `checkpoint ${k.spec}`)
      .map((t) => `${t.target === 'peak RSS' ? 'RSS ' : 'wall/max '}${formatTarget(t)}`)
      .join('; '),
  ];
  return renderTable(header, [row], markdown);
}

/** Met / evaluated, and the missed ones (not in Markdown: the tables' target column has them). */
export function targetSummary(targets: readonly TargetResult[], markdown = false): string[] {
  const evaluated = targets.filter((t) => t.met !== null);
  const met = evaluated.filter((t) => t.met);
  const quoted = evaluated.filter((t) => t.basis === 'quoted');
  const lines = [
    `targets met: ${met.length} of ${evaluated.length} evaluated` +
      (quoted.length > 0 ? ` (${quoted.length} against quoted PyTorch figures†)` : '') +
      (targets.length > evaluated.length
        ? `, ${targets.length - evaluated.length} not evaluated`
        : ''),
  ];
  if (markdown) return lines;
  for (const t of evaluated.filter((t) => !t.met)) {
    lines.push(
      `  missed: ${t.case}, ${t.target}${t.basis === 'quoted' ? '†' : ''}: ${t.value} ${t.unit === '×' ? '×' : t.unit} (target ${t.op === '>=' ? '≥' : '≤'} ${t.threshold})`,
    );
  }
  return lines;
}

/** The whole report: machine, peers, the tables, the targets. */
export function formatReport(doc: BenchDocument, markdown = false): string {
  const head: string[] = [];
  const peers = Object.entries(doc.peers)
    .map(([p, v]) => `${p} ${v.version ?? `skipped (${v.skipped})`}`)
    .join('; ');
  head.push(`weightinit ${doc.weightinit} bench${doc.quick ? ' --quick' : ''}, ${doc.date}`);
  head.push(describeMachine(doc.machine));
  head.push(`peers: ${peers}`);
  head.push(
    'cells: median (best) of the repetitions after a warm-up; × = how many times faster weightinit is than the peer (peer time / weightinit time)',
  );
  if (doc.torchQuoted !== null)
    head.push(
      `† PyTorch 2.13, not measured here: the figures quoted by ${doc.torchQuoted.source}` +
        (doc.peers.torch.version !== undefined
          ? `; a PyTorch target is judged against the faster of it and PyTorch ${doc.peers.torch.version} measured here${doc.peers.torch.python === undefined ? '' : ` (${doc.peers.torch.python})`}`
          : ''),
    );
  if (doc.cases.some((c) => Object.values(c.engines).some((e) => isMeasured(e) && !e.warm)))
    head.push('* one cold call (it took longer than the budget allows to repeat)');
  // Markdown: the heading lines as a list (else they run into one paragraph).
  const out = markdown ? head.map((l) => `- ${l.replaceAll('*', '\\*')}`) : head;
  const sections = [
    peerTable(doc, ['uniform', 'normal', 'truncated'], markdown),
    peerTable(doc, ['orthogonal'], markdown),
    workersTable(doc, markdown),
    startupTable(doc, markdown),
    checkpointLines(doc, markdown),
    targetSummary(doc.targets, markdown),
  ];
  for (const s of sections) if (s.length > 0) out.push('', ...s);
  out.push('', `total ${formatFigure(doc.seconds)} s`);
  return out.join('\n');
}
