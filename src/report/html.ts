/**
 * The self-contained HTML report: one file that opens offline and makes no request. Inline
 * CSS, the charts as inline SVG (rendered in Node by `./render.js`), beside each chart a short
 * explanation, what to look at and the recommendation of the source document it illustrates,
 * the data behind each chart as a table (in `<details>`) and a CSV download (a `data:` URI),
 * and the table of the document's claims with the measured figures.
 */
import { type Claim, claims } from './claims.js';
import { collectResults, type LabResults } from './data.js';
import { inlineSvg, renderSvg } from './render.js';
import {
  activationStdSpec,
  type ChartSpec,
  deadUnitsSpec,
  gradientStdSpec,
  histogramSpec,
  phaseDiagramSpec,
  type Row,
  rnnGradientSpec,
  spectrumSpec,
  symmetrySpec,
  trainingSpec,
} from './specs.js';

/** A chart of the report with the words that go beside it. */
export interface ReportChart {
  /** Anchor and download file name. */
  readonly id: string;
  readonly title: string;
  /** What was run. */
  readonly about: string;
  /** What to look at. */
  readonly look: string;
  /** The source document's recommendation it illustrates. */
  readonly recommendation: string;
  readonly spec: ChartSpec;
}

/** The charts the results allow, in reading order. */
export function reportCharts(lab: LabResults): ReportChart[] {
  const out: ReportChart[] = [];
  const p = lab.propagation;
  if (p !== undefined) {
    const net = `Gaussian inputs through ${p.config.depth} square layers of ${p.config.width} units (biases ${p.config.bias}, batch ${p.config.batch}, seed ${p.config.seed}), every strategy on the same inputs.`;
    out.push(
      {
        id: 'activation-std',
        title: 'Signals forward: activation std per layer',
        about: `${net} Each line is the standard deviation of a layer's outputs.`,
        look: 'Flat lines keep the signal alive. With ReLU, He keeps the line flat while variance-1 schemes (Xavier, LeCun, orthogonal) lose half the variance at every layer; with tanh, Xavier stays near its start. Small random weights (std 0.01) vanish within a few layers and std 1 explodes or saturates. Zero weights output exactly 0 and have no point on a log scale.',
        recommendation:
          'Xavier is designed for tanh/sigmoid and keeps the variance of activations stable across layers; He is designed for ReLU. Small random numbers "don’t account for layer size".',
        spec: activationStdSpec(p),
      },
      {
        id: 'gradient-std',
        title: 'Signals backward: gradient std per layer',
        about: `${net} A standard-normal error is sent back from the top layer; each line is the std of the gradient ∂L/∂a reaching a layer's output (the top layer's is ≈ 1).`,
        look: 'Read from right (top) to left (input): a line that falls towards layer 1 means vanishing gradients — the first layers learn nothing; a rising one means exploding gradients. The strategies that keep activations flat keep gradients flat too.',
        recommendation:
          'A good initialization keeps gradient flow stable during backpropagation; Xavier balances gradients and activations for tanh, He for ReLU.',
        spec: gradientStdSpec(p),
      },
      {
        id: 'histograms',
        title: 'Activation histograms at chosen layers',
        about: `Histograms of the activations of layers ${p.config.histogramLayers.join(', ')} (${p.config.bins} bins each, the fraction of values per bin), as in figure 6 of Glorot & Bengio (2010). Each panel has its own x range.`,
        look: 'Compare the spread of the layer colors within a panel: under Xavier with tanh the histograms of deep and shallow layers look alike; under small weights they collapse towards 0 layer after layer (note the x range shrinking); with std 1 tanh units pile up at ±1 (saturation), where their gradient is 0.',
        recommendation:
          'Xavier initialization keeps the variance of activations stable across layers (tanh/sigmoid).',
        spec: histogramSpec(p),
      },
      {
        id: 'dead-units',
        title: 'Dead units per layer',
        about: `${net} A unit is dead when its pre-activation is ≤ 0 (φ′ = 0 for ReLU) on every example of the batch.`,
        look: 'ReLU units die when the signal reaching them collapses: where a strategy’s activation std vanishes, many units sit at the same non-positive value. Compare He with the small-weight strategies; tanh units never have φ′ = 0 and stay at 0.',
        recommendation:
          'He initialization "helps prevent activations from dying (outputting zero)" in ReLU networks.',
        spec: deadUnitsSpec(p),
      },
    );
  }
  const s = lab.symmetry;
  if (s !== undefined)
    out.push({
      id: 'symmetry',
      title: 'Symmetry: distinct units under zero, constant and random initialization',
      about: `An MLP ${s.config.inputs} → ${s.config.hidden.join(' → ')} → 1 (${s.config.activation}, zero biases) trained for ${s.config.steps} full-batch ${s.config.optimizer} steps on a regression task that needs at least two hidden directions. Two units are "the same" when their incoming weights and bias agree to ${s.config.tolerance} of the layer's largest weight.`,
      look: 'Units that start identical get identical gradients and stay identical: under zero or constant weights each layer is one unit, before and after training, whatever its width. Random weights give every unit its own identity.',
      recommendation:
        'Zero initialization: "all neurons behave the same — no learning happens"; zeros are fine for biases, not for weights. Good initialization must break symmetry.',
      spec: symmetrySpec(s),
    });
  const r = lab.rnn;
  if (r !== undefined)
    out.push({
      id: 'rnn',
      title: 'RNN: gradient norm through time',
      about: `A simple RNN h_t = φ(x_t U + h_{t−1} W) with ${r.config.hidden} hidden units runs ${r.config.steps} steps on Gaussian inputs (U: ${r.config.input}); an error sent back from the last step is measured at every earlier step. One line per initialization of the recurrent matrix W.`,
      look: 'Backpropagation through time multiplies by W (and φ′) once per step. In linear cells an orthogonal or identity W keeps the gradient norm constant over all steps, while a small or Xavier W makes it vanish geometrically. The nonlinearity (tanh φ′ < 1, ReLU zeros) still shrinks it, but far less from an orthogonal or identity start.',
      recommendation:
        'Recurrent weights W_hh: orthogonal or identity. Orthogonal "helps preserve gradient magnitude over time steps"; identity "works well with ReLU-based RNNs".',
      spec: rnnGradientSpec(r),
    });
  const sp = lab.spectrum;
  if (sp !== undefined)
    out.push({
      id: 'spectrum',
      title: 'Jacobian singular values: dynamical isometry',
      about: `The input–output Jacobian of networks of width ${sp.config.width} at depths ${sp.config.depths.join(', ')}, each activation on the order-to-chaos line (σ_w² ${Object.entries(
        sp.config.sigmaW2,
      )
        .map(([a, v]) => `${a} ${Number(v.toPrecision(4))}`)
        .join(
          ', ',
        )}), ${sp.config.samples} network(s) pooled. Each curve is the sorted squared singular values λ (Saxe et al. 2014; Pennington et al. 2017).`,
      look: 'All curves have mean λ ≈ 1 (the variance is preserved), but Gaussian weights spread the λ over orders of magnitude, more with depth: some directions explode, others vanish. Orthogonal weights keep every λ at 1 in linear networks and nearly so with tanh; with ReLU no initialization is isometric.',
      recommendation:
        'Orthogonal initialization "makes backpropagation through time more stable" and is "particularly effective for long sequences": it preserves norms in every direction, not only on average.',
      spec: spectrumSpec(sp),
    });
  const t = lab.theory;
  if (t !== undefined)
    out.push({
      id: 'phase-diagram',
      title: 'Mean-field phase diagram: order to chaos',
      about: `Mean-field theory of deep networks (Poole et al. 2016; Schoenholz et al. 2017) for weights N(0, σ_w²/n) and biases N(0, σ_b²): the grid points are colored by phase (χ₁ < 1 ordered, χ₁ > 1 chaotic), the black line is χ₁ = 1.${lab.propagation === undefined ? '' : ` The diamonds are the propagation experiment's strategies at their σ_w² (width ${lab.propagation.config.width}).`}`,
      look: 'Only near the black line do signals and gradients travel through many layers: below it gradients vanish (ordered), above it they explode and nearby inputs decorrelate (chaotic). For ReLU the line sits at σ_w² = 2 — He initialization; for tanh at σ_w² ≈ 1 with small biases — Xavier/LeCun. Small random weights fall deep into the ordered phase.',
      recommendation:
        'Xavier for tanh/sigmoid and He for ReLU: each is the critical point of its activation.',
      spec: phaseDiagramSpec(t, lab.propagation),
    });
  const tr = lab.train;
  if (tr !== undefined)
    out.push({
      id: 'training',
      title: 'Training: loss curves across seeds',
      about: `Full-batch Adam from every strategy and ${tr.config.seeds.length} seeds (${tr.config.seeds.join(', ')}) on the same data: a deep ReLU MLP on teacher–student regression, a tanh MLP on two spirals, and simple RNNs on the adding problem (recurrent strategies ${tr.config.rnnStrategies.join(', ')}). Line: mean loss; band: min–max over seeds.`,
      look: 'How fast and how far each curve falls: zero weights stay flat at the loss of a constant prediction, small weights start slowly in deep networks, He/Xavier/orthogonal learn from the first steps. A wide band means the result depends on the seed.',
      recommendation:
        'Initialization affects convergence speed, whether gradients vanish or explode, and final performance; identity or orthogonal recurrent weights for RNNs.',
      spec: trainingSpec(tr),
    });
  return out;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Rows as CSV (RFC 4180 quoting). */
export function toCsv(rows: readonly Row[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') +
    '\n'
  );
}

/** Base64 of a string's UTF-8 bytes (no Buffer: runs in any engine). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Rows shown in a chart's table (the download has them all). */
const TABLE_ROWS = 60;

function dataTable(id: string, rows: readonly Row[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const shown = rows.slice(0, TABLE_ROWS);
  const num = (v: unknown) =>
    typeof v === 'number'
      ? String(Number(v.toPrecision(4)))
      : v === null || v === undefined
        ? ''
        : String(v);
  const note = rows.length > TABLE_ROWS ? ` — the first ${TABLE_ROWS} shown; the CSV has all` : '';
  return `<details><summary>Data behind the chart (${rows.length} rows${note})</summary>
<p><a download="weightinit-${id}.csv" href="data:text/csv;base64,${base64(toCsv(rows))}">Download CSV</a></p>
<div class="scroll"><table><thead><tr>${columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead>
<tbody>${shown.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(num(r[c]))}</td>`).join('')}</tr>`).join('\n')}</tbody></table></div>
</details>`;
}

function claimsTable(list: readonly Claim[]): string {
  const rows = list
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.section)}</td><td>${escapeHtml(c.claim)}</td><td>${escapeHtml(c.measured)}</td><td>${escapeHtml(c.experiment)}</td><td class="verdict ${c.verdict.replace(' ', '-')}">${escapeHtml(c.verdict)}</td></tr>`,
    )
    .join('\n');
  return `<div class="scroll"><table class="claims"><thead><tr><th scope="col">document section</th><th scope="col">claim</th><th scope="col">measured</th><th scope="col">experiment</th><th scope="col">verdict</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:1rem 1.25rem 3rem;background:#fff}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2.5rem;border-top:1px solid #ddd;padding-top:1rem}
p.lead{color:#444}nav ol{columns:2;font-size:.95rem}
.look{background:#f3f7fb;border-left:4px solid #4c78a8;padding:.5rem .75rem}
blockquote{margin:.5rem 0;padding:.5rem .75rem;border-left:4px solid #54a24b;background:#f4faf3}
figure{margin:1rem 0;overflow-x:auto}figure svg{max-width:none;height:auto}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
details{margin:.5rem 0}summary{cursor:pointer;color:#235}
.verdict{font-weight:600;white-space:nowrap}.supports{color:#2a7a2a}.contradicts{color:#b22}.partly{color:#a60}.not-measured{color:#777}
footer{color:#666;font-size:.85rem;margin-top:3rem}
@media (max-width:700px){nav ol{columns:1}main{padding:.5rem}}
`;

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** The page title. Default "weightinit lab report". */
  readonly title?: string;
}

/** What the run was: per experiment, its backend, time and configuration. */
function runSummary(lab: LabResults): string {
  const items = Object.values(lab).map((r) => {
    const e = r as { experiment: string; backend: string; timeMs: number; config: unknown };
    return `<li><strong>${escapeHtml(e.experiment)}</strong> — backend ${escapeHtml(String(e.backend))}, ${escapeHtml(String(e.timeMs))} ms<details><summary>configuration</summary><pre>${escapeHtml(JSON.stringify(e.config, null, 1))}</pre></details></li>`;
  });
  return `<ul>${items.join('\n')}</ul>`;
}

/**
 * Builds the report's HTML from lab results: every chart the results allow rendered to inline
 * SVG, with explanations, data tables and downloads, and the claims table.
 * @example const html = await renderReport(collectResults(JSON.parse(text)));
 */
export async function renderReport(lab: LabResults, options: ReportOptions = {}): Promise<string> {
  const title = options.title ?? 'weightinit lab report';
  const charts = reportCharts(lab);
  const sections: string[] = [];
  for (const c of charts) {
    const svg = inlineSvg(await renderSvg(c.spec), c.title);
    sections.push(`<section id="${c.id}" aria-labelledby="${c.id}-h">
<h2 id="${c.id}-h">${escapeHtml(c.title)}</h2>
<p>${escapeHtml(c.about)}</p>
<p class="look"><strong>What to look at.</strong> ${escapeHtml(c.look)}</p>
<blockquote><strong>The document recommends:</strong> ${escapeHtml(c.recommendation)}</blockquote>
<figure>${svg}</figure>
${dataTable(c.id, c.spec.data.values)}
</section>`);
  }
  const toc = [
    '<li><a href="#claims">The document’s claims, measured</a></li>',
    ...charts.map((c) => `<li><a href="#${c.id}">${escapeHtml(c.title)}</a></li>`),
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="lead">Why weight initialization matters, measured. Each chart below comes from an experiment of <code>weightinit lab</code> run on TensorFlow.js; beside it, what was run, what to look at, and the recommendation of the source document (“Weight Initialization Strategies”) that it illustrates. The data behind every chart is in a table and a CSV download under it. This file is self-contained: it works offline.</p>
<nav aria-label="contents"><ol>${toc}</ol></nav>
<section id="claims" aria-labelledby="claims-h">
<h2 id="claims-h">The document’s claims, measured</h2>
<p>Each claim of the document beside the figure this run measured. Rules: a figure is “stable” when it stays within a factor of 10 over the network’s depth (2 for the strictest checks); “partly” means part of the claim holds in this run.</p>
${claimsTable(claims(lab))}
</section>
${sections.join('\n')}
<footer><h2>About this run</h2>${runSummary(lab)}<p>Charts: Vega-Lite specs rendered to SVG in Node with Vega.</p></footer>
</main>
</body>
</html>
`;
}

/**
 * Builds the report from parsed lab JSON (what `weightinit lab` writes).
 * @throws TypeError when the JSON holds no lab results.
 */
export function buildReport(json: unknown, options: ReportOptions = {}): Promise<string> {
  return renderReport(collectResults(json), options);
}
