/**
 * Vega-Lite specs of the report's charts, one function per chart: lab results (plain JSON) in,
 * a self-contained spec out (its data inline in `data.values`, one flat row per mark, so the
 * same rows are the chart's table and download). The report renders them to SVG in Node
 * (`./render.js`); the playground draws the same specs in the page.
 *
 * Non-finite figures (an exploded network, written as null) and, on log scales, values ≤ 0 are
 * left out of the rows: a log axis cannot place them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PropagationReport } from '../lab/propagation.js';
import type { RnnReport } from '../lab/rnn.js';
import type { SpectrumReport } from '../lab/spectrum.js';
import type { SymmetryReport } from '../lab/symmetry.js';
import type { TheoryReport } from '../lab/theory-experiment.js';
import type { TrainReport } from '../lab/train.js';
import { finite, positive, thin } from './data.js';

/** One row of a chart's data: what a table line or a CSV line holds. */
export type Row = Record<string, string | number | null>;

/** A spec whose data is inline rows. */
export type ChartSpec = TopLevelSpec & { data: { values: Row[] } };

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Look shared by every chart: panel size, fonts, no border around panels. */
const CONFIG = {
  view: { continuousWidth: 240, continuousHeight: 170, stroke: '#ddd' },
  font: 'sans-serif',
  axis: { labelFontSize: 10, titleFontSize: 11, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 220, symbolOpacity: 1 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 13 },
};

/** Strategy colors: the same strategy has the same color in every chart. */
function strategyColor(strategies: readonly string[]) {
  return {
    field: 'strategy',
    type: 'nominal' as const,
    title: 'strategy',
    scale: { domain: [...new Set(strategies)], scheme: 'tableau10' },
  };
}

/** Lines of `y` against `x`, one per strategy, one panel per `column` value. */
function facetLines(
  rows: Row[],
  o: {
    title: string;
    x: { field: string; title: string };
    y: { field: string; title: string; log?: boolean; domain?: [number, number]; floor?: number };
    column: string;
    strategies: readonly string[];
    points?: boolean;
    /** More encoding channels (a second grouping). */
    encoding?: Record<string, unknown>;
  },
): ChartSpec {
  return {
    $schema: SCHEMA,
    title: o.title,
    data: { values: rows },
    facet: { column: { field: o.column, type: 'nominal', title: null } },
    spec: {
      mark: { type: 'line', point: o.points === true, strokeWidth: 1.5 },
      encoding: {
        x: { field: o.x.field, type: 'quantitative', title: o.x.title },
        y: {
          field: o.y.field,
          type: 'quantitative',
          title: o.y.title,
          scale: {
            ...(o.y.log === true ? { type: 'log' as const } : {}),
            ...(o.y.domain === undefined ? {} : { domain: o.y.domain }),
            ...(o.y.floor === undefined ? {} : { domainMin: o.y.floor, clamp: true }),
          },
        },
        color: strategyColor(o.strategies),
        ...o.encoding,
      },
    },
    config: CONFIG,
  } as ChartSpec;
}

/** Rows of one per-layer figure of `propagation`, log-drawable or not. */
function layerRows(
  p: PropagationReport,
  field: 'activationStd' | 'gradientStd' | 'deadFraction',
  log: boolean,
): Row[] {
  const rows: Row[] = [];
  for (const r of p.results)
    for (const l of r.layers) {
      const v = log ? positive(l[field]) : finite(l[field]);
      if (v !== null)
        rows.push({ activation: r.activation, strategy: r.strategy, layer: l.index, [field]: v });
    }
  return rows;
}

/** The per-layer charts of `propagation`: title, y axis, scale. */
const LAYER_CHARTS = {
  activationStd: { title: 'Activation std per layer', y: 'std of activations (log)', log: true },
  gradientStd: {
    title: 'Gradient std per layer (backward pass)',
    y: 'std of ∂L/∂activation (log)',
    log: true,
  },
  deadFraction: { title: 'Dead units per layer', y: 'fraction of dead units', log: false },
} as const;

function layerSpec(p: PropagationReport, field: keyof typeof LAYER_CHARTS): ChartSpec {
  const c = LAYER_CHARTS[field];
  return facetLines(layerRows(p, field, c.log), {
    title: c.title,
    x: { field: 'layer', title: 'layer' },
    y: { field, title: c.y, log: c.log, ...(c.log ? {} : { domain: [0, 1] as [number, number] }) },
    column: 'activation',
    strategies: p.config.strategies,
  });
}

/**
 * Std of the activations at every layer, one line per strategy, one panel per activation, on a
 * log scale: flat lines keep the signal, falling lines vanish, rising ones explode.
 */
export function activationStdSpec(p: PropagationReport): ChartSpec {
  return layerSpec(p, 'activationStd');
}

/** Std of the gradient ∂L/∂a_l reaching every layer's output (log scale), as {@link activationStdSpec}. */
export function gradientStdSpec(p: PropagationReport): ChartSpec {
  return layerSpec(p, 'gradientStd');
}

/** Fraction of units that output 0 for every example (dead ReLUs), per layer. */
export function deadUnitsSpec(p: PropagationReport): ChartSpec {
  return layerSpec(p, 'deadFraction');
}

/**
 * Histograms of the activations at the chosen layers (Glorot & Bengio 2010, figure 6): one
 * row of panels per strategy, one column per activation, one line per layer; the y axis is the
 * fraction of values in each bin, the x axes are independent (the ranges differ by orders of
 * magnitude).
 */
export function histogramSpec(p: PropagationReport): ChartSpec {
  const rows: Row[] = [];
  for (const r of p.results)
    for (const h of r.histograms) {
      const total = h.counts.reduce((a, b) => a + b, 0);
      const w = (h.high - h.low) / h.counts.length;
      h.counts.forEach((c, k) => {
        const value = finite(h.low + (k + 0.5) * w);
        if (value !== null && total > 0)
          rows.push({
            activation: r.activation,
            strategy: r.strategy,
            layer: h.layer,
            value,
            fraction: c / total,
          });
      });
    }
  return {
    $schema: SCHEMA,
    title: 'Activation histograms at chosen layers',
    data: { values: rows },
    facet: {
      row: { field: 'strategy', type: 'nominal', title: null, sort: p.config.strategies },
      column: { field: 'activation', type: 'nominal', title: null },
    },
    spec: {
      width: 240,
      height: 80,
      mark: { type: 'line', interpolate: 'step', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'value', type: 'quantitative', title: 'activation value' },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction' },
        color: {
          field: 'layer',
          type: 'ordinal',
          title: 'layer',
          scale: { scheme: 'viridis' },
        },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: CONFIG,
  } as ChartSpec;
}

/**
 * Distinct units of each hidden layer under zero, constant and random initialization, at
 * initialization and after training (bars), one panel per hidden layer.
 */
export function symmetrySpec(s: SymmetryReport): ChartSpec {
  const rows: Row[] = [];
  for (const r of s.results)
    s.config.hidden.forEach((width, i) => {
      const layer = `hidden layer ${i + 1} (${width} units)`;
      rows.push({
        strategy: r.strategy,
        layer,
        when: 'at init',
        distinctUnits: r.distinctUnitsAtInit[i],
        width,
      });
      rows.push({
        strategy: r.strategy,
        layer,
        when: 'after training',
        distinctUnits: r.distinctUnits[i],
        width,
      });
    });
  return {
    $schema: SCHEMA,
    title: `Distinct hidden units (${s.config.activation} MLP, ${s.config.steps} ${s.config.optimizer} steps)`,
    data: { values: rows },
    facet: { column: { field: 'layer', type: 'nominal', title: null } },
    spec: {
      width: 200,
      height: 170,
      mark: 'bar',
      encoding: {
        x: {
          field: 'strategy',
          type: 'nominal',
          title: 'strategy',
          sort: s.config.strategies,
          axis: { labelAngle: -30 },
        },
        xOffset: { field: 'when', type: 'nominal', sort: ['at init', 'after training'] },
        y: { field: 'distinctUnits', type: 'quantitative', title: 'distinct units' },
        color: {
          field: 'when',
          type: 'nominal',
          title: null,
          sort: ['at init', 'after training'],
          scale: { range: ['#9ecae9', '#1f77b4'] },
        },
      },
    },
    config: CONFIG,
  } as ChartSpec;
}

/** ‖∂L/∂h_t‖ at every time step t, one line per recurrent initialization, one panel per cell activation (log scale). */
export function rnnGradientSpec(r: RnnReport): ChartSpec {
  const rows: Row[] = [];
  for (const x of r.results)
    x.gradientNorm.forEach((g, t) => {
      const v = positive(g);
      if (t > 0 && v !== null)
        rows.push({ activation: x.activation, strategy: x.strategy, step: t, gradientNorm: v });
    });
  return facetLines(rows, {
    title: `RNN gradient norm through time (${r.config.hidden} units, error sent back from step ${r.config.steps})`,
    x: { field: 'step', title: 'time step t' },
    y: { field: 'gradientNorm', title: '‖∂L/∂h_t‖ (log)', log: true },
    column: 'activation',
    strategies: r.config.strategies,
  });
}

/**
 * The distribution of the squared singular values λ of the input–output Jacobian: the sorted
 * λ against their quantile (at most 64 per curve), one line per strategy and depth, one panel
 * per activation (log scale). A flat line at 1 is dynamical isometry.
 */
export function spectrumSpec(s: SpectrumReport): ChartSpec {
  const rows: Row[] = [];
  for (const x of s.results) {
    const n = x.singularValues.length;
    const ascending = [...x.singularValues].reverse();
    for (const k of thin(n, 64)) {
      const v = positive(ascending[k] * ascending[k]);
      if (v !== null)
        rows.push({
          activation: x.activation,
          strategy: x.strategy,
          depth: x.depth,
          quantile: n === 1 ? 0.5 : k / (n - 1),
          lambda: v,
        });
    }
  }
  return facetLines(rows, {
    title: 'Jacobian squared singular values (sorted), on the critical line',
    x: { field: 'quantile', title: 'quantile' },
    y: {
      field: 'lambda',
      title: 'λ = σ² of the Jacobian (log, clamped at 1e-6)',
      log: true,
      floor: 1e-6,
    },
    column: 'activation',
    strategies: s.config.strategies,
    encoding: { strokeDash: { field: 'depth', type: 'ordinal', title: 'depth' } },
  });
}

/** A strategy's σ_w² (weights' variance × fan-in) in a square layer of `width`, or null if it has no fixed one. */
export function strategySigmaW2(label: string, width: number): number | null {
  const [name, ...parts] = label.split(':');
  const opts: Record<string, number> = {};
  for (const part of parts) {
    const [k, v] = part.split('=');
    opts[k] = Number(v);
  }
  const gain2 = opts.gain === undefined ? 1 : opts.gain * opts.gain;
  switch (name) {
    case 'zeros':
      return 0;
    case 'normal':
    case 'truncated-normal':
      return (opts.std === undefined ? 1 : opts.std) ** 2 * width;
    case 'xavier-uniform':
    case 'xavier-normal':
    case 'lecun-uniform':
    case 'lecun-normal':
    case 'orthogonal':
      return gain2;
    case 'he-uniform':
    case 'he-normal':
      return 2;
    default:
      return null;
  }
}

/** The variance of a bias strategy (what mean-field theory calls σ_b²), or null. */
function biasSigmaB2(label: string): number | null {
  if (label === 'zeros') return 0;
  const m = /^normal:std=([0-9.e+-]+)$/.exec(label);
  return m === null ? null : Number(m[1]) ** 2;
}

/**
 * The mean-field phase diagram (Poole et al. 2016; Schoenholz et al. 2017), one panel per
 * activation: the (σ_b², σ_w²) grid colored by phase (χ₁ < 1 ordered, > 1 chaotic), the
 * order-to-chaos line χ₁ = 1, and the propagation experiment's strategies placed at their σ_w²
 * (width from its configuration; those above the plot drawn at its top edge with their value).
 */
export function phaseDiagramSpec(t: TheoryReport, p?: PropagationReport): ChartSpec {
  const top = 4.5;
  const rows: Row[] = [];
  for (const r of t.results)
    rows.push({
      kind: 'grid',
      activation: r.activation,
      sigmaB2: r.sigmaB2,
      sigmaW2: r.sigmaW2,
      phase: r.phase,
      chi1: finite(r.chi1),
      qStar: finite(r.qStar),
      label: null,
    });
  for (const line of t.criticalLines)
    for (const pt of line.points)
      if (finite(pt.sigmaW2) !== null)
        rows.push({
          kind: 'critical',
          activation: line.activation,
          sigmaB2: pt.sigmaB2,
          sigmaW2: pt.sigmaW2,
          phase: null,
          chi1: 1,
          qStar: null,
          label: null,
        });
  const sigmaB2 = p === undefined ? null : biasSigmaB2(p.config.bias);
  if (p !== undefined && sigmaB2 !== null)
    for (const activation of t.config.activations) {
      // Strategies with the same σ_w² share a point and a label.
      // Strategies drawn within 0.2 of each other share a point and a label.
      const at = new Map<number, string[]>();
      for (const s of p.config.strategies) {
        const w2 = strategySigmaW2(s, p.config.width);
        if (w2 === null) continue;
        const near = [...at.keys()].find(
          (k) => Math.abs(Math.min(k, top) - Math.min(w2, top)) < 0.2,
        );
        const key = near ?? w2;
        at.set(key, [...(at.get(key) ?? []), s]);
      }
      for (const [w2, names] of at) {
        const clipped = w2 > top;
        rows.push({
          kind: 'strategy',
          activation,
          sigmaB2,
          sigmaW2: clipped ? top : w2,
          phase: null,
          chi1: null,
          qStar: null,
          label: `${names.join(', ')}${clipped ? ` (σ_w² = ${Number(w2.toPrecision(3))} ↑)` : ''}`,
        });
      }
    }
  const x = { field: 'sigmaB2', type: 'quantitative', title: 'σ_b² (bias variance)' } as const;
  const y = {
    field: 'sigmaW2',
    type: 'quantitative' as const,
    title: 'σ_w² (weight variance × fan-in)',
    scale: { domain: [0, top] },
  };
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  return {
    $schema: SCHEMA,
    title: 'Mean-field phase diagram: order, chaos and the strategies',
    data: { values: rows },
    facet: { column: { field: 'activation', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 220,
      layer: [
        {
          transform: only('grid'),
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x,
            y,
            color: {
              field: 'phase',
              type: 'nominal',
              title: 'phase (grid)',
              scale: {
                domain: ['ordered', 'critical', 'chaotic'],
                range: ['#4c78a8', '#54a24b', '#e45756'],
              },
            },
          },
        },
        {
          transform: only('critical'),
          mark: { type: 'line', color: 'black', strokeWidth: 2 },
          encoding: { x, y },
        },
        {
          transform: only('strategy'),
          mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: '#333' },
          encoding: { x, y },
        },
        {
          transform: only('strategy'),
          mark: { type: 'text', align: 'left', dx: 8, fontSize: 9, color: '#333' },
          encoding: { x, y, text: { field: 'label', type: 'nominal' } },
        },
      ],
    },
    config: CONFIG,
  } as ChartSpec;
}

/**
 * Training loss against step: the mean over seeds (line) and the min–max spread (band), one
 * color per strategy, one panel per task and activation (log scale; at most 100 steps drawn).
 */
export function trainingSpec(t: TrainReport): ChartSpec {
  const rows: Row[] = [];
  for (const r of t.results) {
    const steps = r.meanLoss.length;
    for (const k of thin(steps, 100)) {
      const values = r.loss.map((c) => positive(c[k])).filter((v): v is number => v !== null);
      const mean = positive(r.meanLoss[k]);
      if (values.length === 0 || mean === null) continue;
      rows.push({
        panel: `${r.task} (${r.activation})`,
        strategy: r.strategy,
        step: k,
        meanLoss: mean,
        minLoss: Math.min(...values),
        maxLoss: Math.max(...values),
      });
    }
  }
  const strategies = [...new Set(t.results.map((r) => r.strategy))];
  const x = { field: 'step', type: 'quantitative', title: 'training step' } as const;
  const color = strategyColor(strategies);
  return {
    $schema: SCHEMA,
    title: `Training loss, mean and spread over ${t.config.seeds.length} seeds`,
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', title: null },
    columns: 3,
    spec: {
      width: 220,
      height: 160,
      layer: [
        {
          mark: { type: 'area', opacity: 0.2 },
          encoding: {
            x,
            y: {
              field: 'minLoss',
              type: 'quantitative',
              scale: { type: 'log' },
              title: 'loss (log)',
            },
            y2: { field: 'maxLoss' },
            color,
          },
        },
        {
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: {
            x,
            y: {
              field: 'meanLoss',
              type: 'quantitative',
              scale: { type: 'log' },
              title: 'loss (log)',
            },
            color,
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: CONFIG,
  } as ChartSpec;
}
