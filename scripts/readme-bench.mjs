#!/usr/bin/env node
/**
 * Writes the README's benchmark tables from `bench/results.json` (what `npm run bench` saved):
 * the block after the `bench:results` marker, up to the next `## ` heading, becomes
 * `weightinit bench --from bench/results.json --markdown` (test/bench/readme.test.ts checks it).
 * Run after `npm run build`: `node scripts/readme-bench.mjs`. Written to a temporary name, then
 * renamed.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { formatReport } = await import(new URL('dist/bench/table.js', root).href);
const MARKER = '<!-- bench:results (weightinit bench --from bench/results.json --markdown) -->';
const readme = readFileSync(new URL('README.md', root), 'utf8');
const start = readme.indexOf(MARKER);
if (start < 0) throw new Error(`README.md has no ${MARKER}`);
const from = start + MARKER.length;
const end = readme.indexOf('\n## ', from);
if (end < 0) throw new Error('README.md: no heading after the benchmark tables');
const doc = JSON.parse(readFileSync(new URL('bench/results.json', root), 'utf8'));
const text = `${readme.slice(0, from)}\n\n${formatReport(doc, true).trim()}\n${readme.slice(end)}`;
const tmp = new URL('README.md.tmp', root);
writeFileSync(tmp, text);
renameSync(tmp, new URL('README.md', root));
console.log('README.md: the tables of bench/results.json');
