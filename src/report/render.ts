/**
 * Vega-Lite → Vega → SVG, in Node or any JavaScript engine: `vega-lite` compiles the spec,
 * `vega` runs it in a headless `View` (renderer `'none'`: no canvas, no DOM) and writes the
 * scene as SVG markup with `View.toSVG()`. Text widths are estimated (no font metrics), which
 * is what makes it work without a canvas.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to an SVG string. The data must be inline: the view's loader
 * refuses every URL, so rendering never reaches the network or the file system.
 * @throws Error when the spec does not compile or names external data.
 * @example (await renderSvg({ data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } })).startsWith('<svg') // true
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const external = (vg.data ?? []).find((d) => 'url' in d);
  if (external !== undefined)
    throw new Error(
      `renderSvg: \`spec\` must have inline data (data.values), got a url in data "${external.name}"`,
    );
  const refuse = () => Promise.reject(new Error('renderSvg: charts take inline data only'));
  const view = new View(parse(vg), {
    renderer: 'none',
    loader: { load: refuse, sanitize: refuse, http: refuse, file: refuse } as never,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The SVG made fit to sit inline in HTML: without the XML namespace declarations (the HTML
 * parser puts `<svg>` in its namespace) and with a title for screen readers.
 */
export function inlineSvg(svg: string, title: string): string {
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return svg
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/^<svg /, `<svg role="img" aria-label="${escaped.replace(/"/g, '&quot;')}" `)
    .replace(/(<svg[^>]*>)/, `$1<title>${escaped}</title>`);
}
