/**
 * The lab's summary: the outcomes the issue expects (and the tests pin), each read from the
 * reports that ran — the measured figure, what was expected, and whether it holds. Rows whose
 * experiment or configuration is absent are left out.
 */
import type { PropagationReport, PropagationResult } from './propagation.js';
import type { ExperimentName } from './report.js';
import type { RnnReport } from './rnn.js';
import { gaussianJacobianVariance, type SpectrumReport } from './spectrum.js';
import type { SymmetryReport } from './symmetry.js';
import type { TheoryReport } from './theory-experiment.js';
import type { TrainReport } from './train.js';

/** The reports a summary reads (any subset). */
export interface LabReports {
  propagation?: PropagationReport;
  symmetry?: SymmetryReport;
  rnn?: RnnReport;
  spectrum?: SpectrumReport;
  theory?: TheoryReport;
  train?: TrainReport;
}

/** One finding. */
export interface Finding {
  readonly experiment: ExperimentName;
  /** What is measured, in words. */
  readonly finding: string;
  /** The measured figure, in words. */
  readonly measured: string;
  /** What the theory or the document leads one to expect. */
  readonly expected: string;
  /** Whether the measurement meets the expectation; null for an informative row. */
  readonly holds: boolean | null;
}

/** 3 significant digits, exponent form when tiny or huge, `never` for null. */
export function figure(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'never';
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e5 ? String(Number(x.toPrecision(3))) : x.toExponential(2);
}

function result(p: PropagationReport, strategy: string, activation: string) {
  return p.results.find((r) => r.strategy === strategy && r.activation === activation);
}

/** Each layer's activation std over layer 1's. */
function relative(r: PropagationResult, field: 'activationStd' | 'gradientStd'): number[] {
  const ref = field === 'activationStd' ? r.layers[0][field] : r.layers[r.layers.length - 1][field];
  return r.layers.map((l) => l[field] / ref);
}

function propagationFindings(p: PropagationReport): Finding[] {
  const out: Finding[] = [];
  const depth = p.config.depth;
  const he = result(p, 'he-normal', 'relu');
  if (he !== undefined) {
    const a = relative(he, 'activationStd');
    const g = relative(he, 'gradientStd');
    const [lo, hi] = [Math.min(...a), Math.max(...a)];
    out.push({
      experiment: 'propagation',
      finding: `ReLU, ${depth} layers of ${p.config.width}, He: activation std relative to layer 1`,
      measured: `${figure(lo)} … ${figure(hi)}`,
      expected: 'within a factor 2 (a random walk of std ≈ √(5·depth/(4·width)) in log)',
      holds: lo >= 0.5 && hi <= 2,
    });
    const [glo, ghi] = [Math.min(...g), Math.max(...g)];
    out.push({
      experiment: 'propagation',
      finding: 'ReLU, He: gradient std relative to the top layer',
      measured: `${figure(glo)} … ${figure(ghi)}`,
      expected: 'within a factor 2',
      holds: glo >= 0.5 && ghi <= 2,
    });
  }
  const xa = result(p, 'xavier-uniform', 'relu') ?? result(p, 'xavier-normal', 'relu');
  if (xa !== undefined) {
    const a = xa.layers.map((l) => l.activationStd);
    const factor = (a[a.length - 1] / a[0]) ** (2 / (a.length - 1));
    out.push({
      experiment: 'propagation',
      finding: `ReLU, ${xa.strategy} (square layers): activation variance factor per layer`,
      measured: figure(factor),
      expected: '0.5 ± 0.05 (ReLU halves the variance Xavier keeps)',
      holds: Math.abs(factor - 0.5) <= 0.05,
    });
  }
  const small = result(p, 'normal:std=0.01', 'tanh');
  if (small !== undefined) {
    const k = small.layers.find((l) => l.activationStd < 1e-3 * small.inputStd)?.index ?? null;
    out.push({
      experiment: 'propagation',
      finding:
        'tanh, normal(0, 0.01): first layer whose activation std is below 1e-3 × the input’s',
      measured: k === null ? 'never' : `layer ${k}`,
      expected: `within 5 layers (std × 0.01·√${p.config.width} per layer)`,
      holds: k !== null && k <= 5,
    });
  }
  const xt = result(p, 'xavier-uniform', 'tanh');
  if (xt !== undefined) {
    const a = relative(xt, 'activationStd');
    const g = relative(xt, 'gradientStd');
    out.push({
      experiment: 'propagation',
      finding: `tanh, Xavier: activation std layer ${depth}/layer 1, gradient std layer 1/layer ${depth}`,
      measured: `${figure(a[a.length - 1])}, ${figure(g[0])}`,
      expected: 'slow (power-law) decay, not exponential: both above 0.1',
      holds: a[a.length - 1] > 0.1 && g[0] > 0.1,
    });
  }
  return out;
}

function symmetryFindings(s: SymmetryReport): Finding[] {
  const out: Finding[] = [];
  const steps = s.config.steps;
  for (const r of s.results) {
    const widths = s.config.hidden;
    const collapsed = r.strategy === 'zeros' || r.strategy.startsWith('constant');
    out.push({
      experiment: 'symmetry',
      finding: `${r.strategy}: distinct units per hidden layer after ${steps} steps`,
      measured: `${r.distinctUnits.join(', ')} of ${widths.join(', ')}`,
      expected: collapsed ? 'one per layer' : 'all distinct',
      holds: collapsed
        ? r.distinctUnits.every((u) => u === 1)
        : r.distinctUnits.every((u, i) => u === widths[i]),
    });
    if (r.strategy === 'zeros')
      out.push({
        experiment: 'symmetry',
        finding: 'zeros: final loss / loss of the best constant prediction',
        measured: figure(r.finalLoss / r.biasFitLoss),
        expected: '≥ 1 (only the output bias learns)',
        holds: r.finalLoss >= r.biasFitLoss * (1 - 1e-5),
      });
  }
  return out;
}

/** Largest |‖∂L/∂h_t‖ / ‖∂L/∂h_T‖ − 1| over t = 1 … T. */
function maxDeviation(norms: readonly number[]): number {
  const last = norms[norms.length - 1];
  return Math.max(...norms.slice(1).map((v) => Math.abs(v / last - 1)));
}

function rnnFindings(r: RnnReport): Finding[] {
  const out: Finding[] = [];
  const steps = r.config.steps;
  for (const strategy of ['orthogonal', 'identity']) {
    const x = r.results.find((v) => v.strategy === strategy && v.activation === 'linear');
    if (x === undefined) continue;
    const dev = maxDeviation(x.gradientNorm);
    out.push({
      experiment: 'rnn',
      finding: `linear RNN, ${strategy} W: max |‖∂L/∂h_t‖/‖∂L/∂h_T‖ − 1| over ${steps} steps`,
      measured: figure(dev),
      expected: '≤ 1e-4 (float32 precision)',
      holds: dev <= 1e-4,
    });
  }
  const relu = r.results.filter((v) => v.activation === 'relu');
  const id = relu.find((v) => v.strategy === 'identity');
  if (id !== undefined && relu.length > 1) {
    const best = relu.reduce((a, b) => (b.gradientRatio > a.gradientRatio ? b : a));
    out.push({
      experiment: 'rnn',
      finding: `ReLU RNN: ‖∂L/∂h_1‖/‖∂L/∂h_T‖ over ${steps} steps`,
      measured: relu.map((v) => `${v.strategy} ${figure(v.gradientRatio)}`).join(', '),
      expected: 'identity keeps the most gradient',
      holds: best === id,
    });
  }
  const tanh = r.results.filter((v) => v.activation === 'tanh');
  if (tanh.length > 0)
    out.push({
      experiment: 'rnn',
      finding: `tanh RNN: ‖∂L/∂h_1‖/‖∂L/∂h_T‖ over ${steps} steps`,
      measured: tanh.map((v) => `${v.strategy} ${figure(v.gradientRatio)}`).join(', '),
      expected: 'below 1 for every W (φ′ < 1 on driven units)',
      holds: null,
    });
  return out;
}

function spectrumFindings(s: SpectrumReport): Finding[] {
  const out: Finding[] = [];
  const deepest = Math.max(...s.config.depths);
  for (const x of s.results.filter((v) => v.activation === 'linear')) {
    const orthogonal = x.strategy.startsWith('orthogonal');
    if (orthogonal && x.depth !== deepest) continue;
    const expected = gaussianJacobianVariance(x.depth, s.config.width);
    out.push({
      experiment: 'spectrum',
      finding: `linear, ${x.strategy}, depth ${x.depth}: var/mean² of the Jacobian's squared singular values`,
      measured: figure(x.normalizedVariance),
      expected: orthogonal
        ? '≈ 0 (an isometry)'
        : `≈ ${figure(expected)} (depth + finite-width correction); ± 30% up to depth 16, heavy-tailed beyond`,
      holds: orthogonal
        ? x.normalizedVariance <= 1e-6
        : x.depth > 16
          ? null
          : Math.abs(x.normalizedVariance / expected - 1) <= 0.3,
    });
  }
  for (const x of s.results.filter((v) => v.depth === deepest && v.activation !== 'linear')) {
    const orthogonal = x.strategy.startsWith('orthogonal');
    out.push({
      experiment: 'spectrum',
      finding: `${x.activation}, ${x.strategy}, depth ${deepest} (σ_w² ${figure(x.sigmaW2)}): var/mean², max`,
      measured: `${figure(x.normalizedVariance)}, ${figure(x.max)}`,
      expected:
        x.activation === 'tanh' && orthogonal
          ? 'near-isometry on the critical line (var/mean² ≪ depth)'
          : 'spread growing with depth',
      holds: null,
    });
  }
  return out;
}

function theoryFindings(t: TheoryReport): Finding[] {
  const checked = t.results.filter((r) => r.measured !== null);
  if (checked.length === 0) return [];
  const q = Math.max(...checked.map((r) => r.measured!.relativeError.qStar));
  const chi = Math.max(...checked.map((r) => r.measured!.relativeError.chi1));
  return [
    {
      experiment: 'theory',
      finding: `mean-field q* and χ₁ against ${checked.length} measured networks (width ${t.config.checkWidth})`,
      measured: `max relative error q* ${figure(q)}, χ₁ ${figure(chi)}`,
      expected: 'q* within 10%, χ₁ within 5% (finite-width corrections O(1/√(width·batch)))',
      holds: q <= 0.1 && chi <= 0.05,
    },
  ];
}

function trainFindings(t: TrainReport): Finding[] {
  const out: Finding[] = [];
  const mean = (r: { stepsToTarget: { reached: number; spread: { mean: number } | null } }) =>
    r.stepsToTarget.spread === null ? null : r.stepsToTarget.spread.mean;
  for (const task of t.config.tasks) {
    const rows = t.results.filter((r) => r.task === task);
    for (const activation of [...new Set(rows.map((r) => r.activation))]) {
      const rs = rows.filter((r) => r.activation === activation);
      out.push({
        experiment: 'train',
        finding: `${task} (${activation}): steps to loss ${figure(rs[0].target)}, mean over seeds that reached it (reached/seeds)`,
        measured: rs
          .map(
            (r) =>
              `${r.strategy} ${figure(mean(r))} (${r.stepsToTarget.reached}/${r.seeds.length})`,
          )
          .join(', '),
        expected: 'initialization changes convergence speed',
        holds: null,
      });
    }
  }
  const ts = t.results.filter((r) => r.task === 'teacher-student' && r.activation === 'relu');
  const he = ts.find((r) => r.strategy === 'he-normal');
  const small = ts.find((r) => r.strategy.startsWith('normal:std=0.0'));
  if (he !== undefined && small !== undefined) {
    const h = he.stepsToTarget.reached === he.seeds.length ? mean(he) : null;
    const s = mean(small);
    out.push({
      experiment: 'train',
      finding: `deep ReLU teacher–student: steps to target, He vs ${small.strategy}`,
      measured: `${figure(h)} vs ${figure(s)}`,
      expected: 'He reaches it on every seed, before the small normal',
      holds:
        h !== null && (s === null || small.stepsToTarget.reached < small.seeds.length || h < s),
    });
  }
  return out;
}

/**
 * The findings of whatever reports are given, in the order of the experiments.
 * @example summarize({ rnn: await rnn() })[0].measured // '2.15e-7' (orthogonal, linear cells)
 */
export function summarize(reports: LabReports): Finding[] {
  return [
    ...(reports.propagation ? propagationFindings(reports.propagation) : []),
    ...(reports.symmetry ? symmetryFindings(reports.symmetry) : []),
    ...(reports.rnn ? rnnFindings(reports.rnn) : []),
    ...(reports.spectrum ? spectrumFindings(reports.spectrum) : []),
    ...(reports.theory ? theoryFindings(reports.theory) : []),
    ...(reports.train ? trainFindings(reports.train) : []),
  ];
}
