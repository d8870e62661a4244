/**
 * The README's benchmark tables are generated, not typed: they are
 * `weightinit bench --from bench/results.json --markdown`, the run committed beside them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/bench/table.js';

const root = new URL('../../', import.meta.url);
const MARKER = '<!-- bench:results (weightinit bench --from bench/results.json --markdown) -->';

describe('README: the latest benchmark run', () => {
  it('shows bench/results.json as `weightinit bench --from … --markdown` prints it', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const start = readme.indexOf(MARKER);
    expect(start).toBeGreaterThan(0);
    const after = readme.slice(start + MARKER.length);
    const block = after.slice(0, after.indexOf('\n## ')).trim();
    const doc = JSON.parse(readFileSync(new URL('bench/results.json', root), 'utf8'));
    expect(block).toBe(formatReport(doc, true).trim());
  });
});
