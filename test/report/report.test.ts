import { readFileSync } from 'node:fs';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildReport,
  claims,
  collectResults,
  type LabResults,
  renderSvg,
  reportCharts,
  strategySigmaW2,
  toCsv,
} from '../../src/report/index.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** The small lab run of test/fixtures/report (scripts/report-fixture.mjs made it with the real lab). */
const json: unknown = JSON.parse(
  readFileSync(new URL('../fixtures/report/lab-small.json', import.meta.url), 'utf8'),
);

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const c of children) elements(c, out);
  if ('content' in node && node.content) elements(node.content as Node, out);
  return out;
}
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;
const text = (e: Element): string =>
  e.childNodes.map((c) => ('value' in c ? c.value : 'tagName' in c ? text(c) : '')).join('');

describe('the HTML report', () => {
  let html = '';
  let all: Element[] = [];
  let lab: LabResults;
  beforeAll(async () => {
    lab = collectResults(json);
    html = await buildReport(json);
    all = elements(parse(html));
  });

  it('parses, and is a whole page', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const head = all.find((e) => e.tagName === 'head')!;
    expect(
      elements(head)
        .filter((e) => e.tagName === 'title')
        .map(text),
    ).toEqual(['weightinit lab report']);
    expect(all.filter((e) => e.tagName === 'html').length).toBe(1);
  });

  it('makes no request: no script, no external URL, no @import, no url(…)', () => {
    expect(all.filter((e) => e.tagName === 'script')).toEqual([]);
    expect(
      all.filter((e) => e.tagName === 'link' || e.tagName === 'iframe' || e.tagName === 'img'),
    ).toEqual([]);
    for (const e of all)
      for (const a of e.attrs)
        if (['src', 'href', 'xlink:href', 'action', 'srcset', 'poster'].includes(a.name))
          expect(a.value, `${e.tagName} ${a.name}`).toMatch(/^(#|data:)/);
    const css = all
      .filter((e) => e.tagName === 'style')
      .map(text)
      .join('\n');
    expect(css).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
  });

  it('holds every chart as an inline SVG with axes and a legend', () => {
    const charts = reportCharts(lab);
    expect(charts.map((c) => c.id)).toEqual([
      'activation-std',
      'gradient-std',
      'histograms',
      'dead-units',
      'symmetry',
      'rnn',
      'spectrum',
      'phase-diagram',
      'training',
    ]);
    for (const c of charts) {
      const section = all.find((e) => e.tagName === 'section' && attr(e, 'id') === c.id);
      expect(section, c.id).toBeDefined();
      const inside = elements(section!);
      const svgs = inside.filter((e) => e.tagName === 'svg');
      expect(svgs.length, c.id).toBe(1);
      const svg = elements(svgs[0]);
      const roles = svg.map((e) => attr(e, 'aria-roledescription'));
      expect(roles.filter((r) => r === 'axis').length, `${c.id} axes`).toBeGreaterThanOrEqual(2);
      expect(roles, `${c.id} legend`).toContain('legend');
      expect(
        svg.some((e) => e.tagName === 'path' || e.tagName === 'line'),
        c.id,
      ).toBe(true);
      // Beside the chart: what to look at, the recommendation, the data.
      expect(inside.some((e) => e.tagName === 'p' && attr(e, 'class') === 'look')).toBe(true);
      expect(inside.some((e) => e.tagName === 'blockquote')).toBe(true);
      const link = inside.find((e) => e.tagName === 'a' && attr(e, 'download') !== undefined)!;
      const csv = Buffer.from(
        attr(link, 'href')!.replace('data:text/csv;base64,', ''),
        'base64',
      ).toString('utf8');
      expect(csv).toBe(toCsv(c.spec.data.values));
      expect(csv.trim().split('\n').length).toBe(c.spec.data.values.length + 1);
      expect(
        inside.some(
          (e) => e.tagName === 'details' && elements(e).some((t) => t.tagName === 'table'),
        ),
      ).toBe(true);
    }
  });

  it('has the claims table, every claim measured in this run', () => {
    const table = all.find((e) => e.tagName === 'table' && attr(e, 'class') === 'claims')!;
    const rows = elements(table).filter((e) => e.tagName === 'tr');
    const list = claims(lab);
    expect(rows.length).toBe(list.length + 1);
    expect(list.length).toBeGreaterThanOrEqual(9);
    for (const c of list) expect(c.verdict, c.claim).not.toBe('not measured');
    // What the small run shows beyond doubt.
    const by = (s: string) => list.find((c) => c.claim.startsWith(s))!;
    expect(by('All neurons behave the same').verdict).toBe('supports');
    expect(by('OK only for biases').verdict).toBe('supports');
    expect(by('Makes backpropagation stable').verdict).toBe('supports');
  });

  it('stays small', () => {
    expect(html.length).toBeLessThan(1_500_000);
  });
});

describe('chart specs', () => {
  it('match the snapshot (data summarized: row count and first row)', () => {
    const lab = collectResults(json);
    const specs = reportCharts(lab).map((c) => ({
      ...c.spec,
      data: { rows: c.spec.data.values.length, first: c.spec.data.values[0] },
    }));
    expect(specs).toMatchSnapshot();
  });

  it('claims match the snapshot', () => {
    expect(claims(collectResults(json))).toMatchSnapshot();
  });

  it('leave out what a log scale cannot draw (zero and non-finite)', () => {
    const lab = collectResults(json);
    const spec = reportCharts(lab).find((c) => c.id === 'activation-std')!.spec;
    const v = spec.data.values.map((r) => r.activationStd as number);
    expect(v.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    expect(spec.data.values.some((r) => r.strategy === 'zeros')).toBe(false);
  });

  it('place strategies at their σ_w²', () => {
    expect(strategySigmaW2('he-normal', 256)).toBe(2);
    expect(strategySigmaW2('xavier-uniform', 256)).toBe(1);
    expect(strategySigmaW2('orthogonal:gain=2', 256)).toBe(4);
    expect(strategySigmaW2('normal:std=0.01', 256)).toBeCloseTo(0.0256, 12);
    expect(strategySigmaW2('zeros', 256)).toBe(0);
    expect(strategySigmaW2('sparse', 256)).toBe(null);
  });
});

describe('collectResults and renderSvg', () => {
  it('finds envelopes in a list, an object or alone', () => {
    const { reports } = json as { reports: { experiment: string }[] };
    expect(Object.keys(collectResults(reports))).toEqual(reports.map((r) => r.experiment));
    expect(collectResults(reports[2]).rnn).toBe(reports[2]);
    expect(collectResults({ rnn: reports[2] }).rnn).toBe(reports[2]);
  });

  it('rejects JSON without results and newer versions', () => {
    expect(() => collectResults({ a: 1 })).toThrow(TypeError);
    expect(() => collectResults({ a: 1 })).toThrow('collectResults: `json` must hold lab results');
    expect(() => collectResults({ version: 99, experiment: 'rnn', results: [] })).toThrow(
      RangeError,
    );
  });

  it('renders inline data only', async () => {
    const svg = await renderSvg({
      data: { values: [{ x: 1 }, { x: 2 }] },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative' } },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    await expect(
      renderSvg({ data: { url: 'https://example.com/x.json' }, mark: 'point' }),
    ).rejects.toThrow();
  });
});
