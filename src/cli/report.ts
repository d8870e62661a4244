import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { writeFileAtomic } from '../io/file.js';
import { UsageError } from './errors.js';
import type { Output } from './output.js';

/**
 * The HTML report of a lab JSON file: read, built (charts rendered to SVG in Node) and written
 * atomically; resolves with the HTML's size in bytes.
 * @throws UsageError when the file cannot be read or is not JSON; TypeError when it holds no
 *   lab results.
 */
export async function writeHtmlReport(labJson: string, htmlPath: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(labJson, 'utf8');
  } catch (error) {
    throw new UsageError(
      `report: cannot read \`${labJson}\`: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `report: \`${labJson}\` must be JSON written by weightinit lab, got a parse error: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return writeHtml(json, htmlPath);
}

/**
 * Writes the HTML report of parsed lab JSON atomically; resolves with its size in bytes.
 * `src/report` is loaded on demand: vega is only needed here.
 * @throws TypeError when the JSON holds no lab results.
 */
export async function writeHtml(json: unknown, htmlPath: string): Promise<number> {
  const { buildReport } = await import('../report/index.js');
  const bytes = new TextEncoder().encode(await buildReport(json));
  await writeFileAtomic(htmlPath, bytes);
  return bytes.length;
}

/** Where the HTML of a lab JSON goes by default: its name with `.html`. */
export function htmlPathOf(labJson: string): string {
  return `${labJson.replace(/\.json$/i, '')}.html`;
}

/** `weightinit report <lab.json> [--html FILE]`: the self-contained HTML report of a lab run. */
export function registerReport(program: Command, o: Output): void {
  program
    .command('report')
    .description(
      'the self-contained HTML report (charts as SVG, data tables, the document’s claims measured) of a lab run',
    )
    .argument('<lab.json>', 'the JSON written by weightinit lab (weightinit-report.json)')
    .option('--html <file>', 'where to write the HTML (default: the JSON’s name with .html)')
    .action(async (labJson: string, flags: { html?: string }) => {
      const out = flags.html ?? htmlPathOf(labJson);
      if (out === labJson) throw new UsageError('report: `--html` must differ from the lab JSON');
      const bytes = await writeHtmlReport(labJson, out);
      o.line(`wrote ${out} (${(bytes / 1024).toFixed(0)} KiB)`);
    });
}
