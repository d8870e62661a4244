import type { Command } from 'commander';
import { openSafetensors } from '../io/file.js';
import { type InspectReport, inspectSafetensors, type TensorReport } from '../model/inspect.js';
import { LAYOUTS, type Layout } from '../tensor/fans.js';
import { UsageError } from './errors.js';
import { formatNumber, type Output } from './output.js';

interface InspectFlags {
  json?: boolean;
  layout?: string;
}

/** A damaged or unreadable file: exit code 1 (a failure, not a usage error). */
class FileError extends Error {
  override name = 'FileError';
}

/** Opens and inspects a file, turning its damage into a failure (exit 1) that names it. */
async function inspectFile(
  path: string,
  layout: Layout,
): Promise<InspectReport & { fileSize: number }> {
  let file: Awaited<ReturnType<typeof openSafetensors>>;
  try {
    file = await openSafetensors(path);
  } catch (error) {
    throw failure(path, error);
  }
  try {
    return { fileSize: file.fileSize, ...(await inspectSafetensors(file, { layout })) };
  } catch (error) {
    throw failure(path, error);
  } finally {
    await file.close();
  }
}

function failure(path: string, error: unknown): unknown {
  if (error instanceof RangeError) return new FileError(error.message);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && error instanceof Error) {
    return new FileError(`cannot read ${JSON.stringify(path)}: ${error.message}`);
  }
  return error;
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function percent(p: number): string {
  if (p === 0) return '0%';
  if (p === 1) return '100%';
  const v = p * 100;
  return `${v < 0.1 ? '<0.1' : v > 99.9 ? '>99.9' : Number(v.toPrecision(3))}%`;
}

/**
 * The parameters of a detected scheme's spec (all but its name and layout) as `(key=value, …)`,
 * numbers to 4 significant digits (`--json` has them whole); nothing for a scheme whose name
 * carries them already (`trunc-normal(0.02)`).
 */
function parameters(scheme: string, spec: Readonly<Record<string, unknown>> | undefined): string {
  if (spec === undefined || scheme.includes('(')) return '';
  const kv = Object.entries(spec)
    .filter(([k]) => k !== 'name' && k !== 'layout')
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`);
  return kv.length > 0 ? `(${kv.join(', ')})` : '';
}

/**
 * One row of the table: name, shape, dtype, mean, std, min, max, zeros %, scheme (with its
 * parameters) + confidence.
 */
function row(t: TensorReport): string[] {
  const head = [t.name, shapeText(t.shape), t.dtype];
  if (t.stats === null) return [...head, '', '', '', '', '', `(skipped: ${t.skipped})`];
  const s = t.stats;
  let scheme = '';
  if (t.scheme !== null) {
    const same = t.scheme.equivalent.length > 0 ? ` (=${t.scheme.equivalent.join('=')})` : '';
    const params = parameters(t.scheme.scheme, t.scheme.spec);
    scheme = `${t.scheme.scheme}${params}${same} ${percent(t.scheme.confidence)}`;
  }
  return [
    ...head,
    formatNumber(s.mean),
    formatNumber(s.std),
    formatNumber(s.min),
    formatNumber(s.max),
    percent(s.zeroFraction),
    scheme,
  ];
}

const HEADINGS = ['name', 'shape', 'dtype', 'mean', 'std', 'min', 'max', 'zeros', 'scheme'];
/** Columns aligned right (numbers). */
const RIGHT = new Set([3, 4, 5, 6, 7]);

function printTable(o: Output, path: string, r: InspectReport & { fileSize: number }): void {
  const meta = Object.entries(r.metadata)
    .filter(([, v]) => v.length <= 40)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  o.line(
    `${path}  ${r.fileSize} bytes, header ${r.headerLength} bytes, layout ${r.layout}${meta ? `, metadata ${meta}` : ''}`,
  );
  const rows = [HEADINGS, ...r.tensors.map(row)];
  const widths = HEADINGS.map((_, c) => Math.max(...rows.map((cells) => cells[c].length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, c) =>
        c === cells.length - 1
          ? cell
          : RIGHT.has(c)
            ? cell.padStart(widths[c])
            : cell.padEnd(widths[c]),
      )
      .join('  ')
      .trimEnd();
  o.line(render(rows[0]));
  r.tensors.forEach((t, i) => {
    o.line(render(rows[i + 1]));
    for (const w of t.warnings) o.line(`  ! ${w}`);
  });
  const s = r.summary;
  const schemes = Object.entries(s.schemes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  o.line(
    `${s.tensors} tensors (${s.inspected} inspected, ${s.skipped} skipped), ${s.parameters} parameters, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}${schemes ? `; schemes: ${schemes}` : ''}`,
  );
}

/** The `inspect` subcommand: statistics and diagnosis of every tensor of a checkpoint. */
export function registerInspect(program: Command, o: Output): void {
  program
    .command('inspect')
    .description(
      'statistics of every tensor of a .safetensors checkpoint, the initialization scheme it most likely came from, and warnings (streams files larger than memory)',
    )
    .argument('<file>', 'a .safetensors file')
    .option(
      '--layout <layout>',
      'out-in (PyTorch, default) | in-out (Keras/TF.js): decides the fans',
    )
    .option('--json', 'print the full report as JSON')
    .action(async (path: string, flags: InspectFlags) => {
      const layout = flags.layout ?? 'out-in';
      if (!(LAYOUTS as readonly string[]).includes(layout)) {
        throw new UsageError(`--layout must be one of "out-in", "in-out", got "${layout}"`);
      }
      const report = await inspectFile(path, layout as Layout);
      if (flags.json) o.json({ file: path, ...report });
      else printTable(o, path, report);
    });
}
