/**
 * `weightinit/report`: the lab's findings as pictures. Vega-Lite specs built from the lab's
 * plain JSON (`specs`), rendered to SVG in Node without a browser (`renderSvg`), and the
 * self-contained HTML report (`buildReport`). Depends on `vega` and `vega-lite`, not on the
 * lab's code: it reads its results as JSON.
 */
export { type Claim, claims, fmt, type Verdict } from './claims.js';
export { collectResults, type LabResults, REPORT_LAB_VERSION } from './data.js';
export {
  buildReport,
  escapeHtml,
  type ReportChart,
  type ReportOptions,
  renderReport,
  reportCharts,
  toCsv,
} from './html.js';
export { inlineSvg, renderSvg } from './render.js';
export {
  activationStdSpec,
  type ChartSpec,
  deadUnitsSpec,
  gradientStdSpec,
  histogramSpec,
  phaseDiagramSpec,
  type Row,
  rnnGradientSpec,
  spectrumSpec,
  strategySigmaW2,
  symmetrySpec,
  trainingSpec,
} from './specs.js';
