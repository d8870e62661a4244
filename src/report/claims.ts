/**
 * The source document's claims, each set against the figure the lab measured: does the run
 * support it, contradict it, or support it only in part? Verdicts follow fixed, stated rules
 * (a factor of 10 over the network's depth is "stable"), so a reader can check them against the
 * data tables.
 */
import type { PropagationReport, PropagationResult } from '../lab/propagation.js';
import type { LabResults } from './data.js';

/** How a measurement bears on a claim. */
export type Verdict = 'supports' | 'contradicts' | 'partly' | 'not measured';

/** One claim of the document and what the lab measured. */
export interface Claim {
  /** The document's section. */
  readonly section: string;
  /** The claim, in the document's words. */
  readonly claim: string;
  /** The experiment that tests it. */
  readonly experiment: string;
  /** The measured figures, in words. */
  readonly measured: string;
  readonly verdict: Verdict;
}

/** A number for prose: 3 significant digits, exponent form when tiny or huge. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(3)));
  return x.toExponential(2);
}

/** Within a factor of `f` of 1. */
const near1 = (x: number | null, f = 10) =>
  x !== null && Number.isFinite(x) && x > 0 && x <= f && x >= 1 / f;

function find(
  p: PropagationReport | undefined,
  strategy: string,
  activation: string,
): PropagationResult | undefined {
  return p?.results.find((r) => r.strategy === strategy && r.activation === activation);
}

/** Last layer's figure over the first's (null where either is missing or zero). */
function ratio(
  r: PropagationResult | undefined,
  field: 'activationStd' | 'gradientStd',
): number | null {
  if (r === undefined || r.layers.length === 0) return null;
  const first = r.layers[0][field];
  const last = r.layers[r.layers.length - 1][field];
  if (typeof first !== 'number' || typeof last !== 'number' || first === 0) return null;
  return last / first;
}

const missing = (section: string, claim: string, experiment: string): Claim => ({
  section,
  claim,
  experiment,
  measured: `not in this run (run the ${experiment} experiment)`,
  verdict: 'not measured',
});

/** The claims table of the report, from whatever experiments the results hold. */
export function claims(lab: LabResults): Claim[] {
  const out: Claim[] = [];
  const p = lab.propagation;
  const depth = p?.config.depth;

  // 1. Zero initialization.
  {
    const section = '1. Zero initialization';
    const claim = 'All neurons behave the same — no learning happens.';
    const z = lab.symmetry?.results.find((r) => r.strategy === 'zeros');
    if (lab.symmetry === undefined || z === undefined)
      out.push(missing(section, claim, 'symmetry'));
    else {
      const oneUnit = z.distinctUnits.every((u) => u === 1);
      const stuck = z.finalLoss !== null && z.finalLoss >= 0.95 * z.biasFitLoss;
      out.push({
        section,
        claim,
        experiment: 'symmetry',
        measured: `after ${lab.symmetry.config.steps} steps the zero-initialized ${lab.symmetry.config.activation} MLP has ${z.distinctUnits.join(', ')} distinct units in hidden layers of ${lab.symmetry.config.hidden.join(', ')}; final loss ${fmt(z.finalLoss)} against ${fmt(z.biasFitLoss)} for the best constant prediction`,
        verdict: oneUnit && stuck ? 'supports' : oneUnit || stuck ? 'partly' : 'contradicts',
      });
    }
  }
  {
    const section = '1. Zero initialization';
    const claim = 'OK only for biases, not weights.';
    const x = lab.symmetry?.results.find(
      (r) => r.strategy !== 'zeros' && !r.strategy.startsWith('constant'),
    );
    if (lab.symmetry === undefined || x === undefined)
      out.push(missing(section, claim, 'symmetry'));
    else {
      const all = x.distinctUnits.every((u, i) => u === lab.symmetry!.config.hidden[i]);
      out.push({
        section,
        claim,
        experiment: 'symmetry',
        measured: `with zero biases and ${x.strategy} weights every hidden unit is distinct (${x.distinctUnits.join(', ')} of ${lab.symmetry.config.hidden.join(', ')}); final loss ${fmt(x.finalLoss)}`,
        verdict: all ? 'supports' : 'partly',
      });
    }
  }

  // 2. Small random numbers.
  {
    const section = '2. Random initialization';
    const claim =
      'Small random numbers: better than zeros, but not ideal — does not account for layer size.';
    const small =
      p?.results.find((r) => r.strategy.startsWith('normal:std=0.0') && r.activation === 'tanh') ??
      p?.results.find((r) => r.strategy.startsWith('normal:std=0.0'));
    const ra = ratio(small, 'activationStd');
    if (small === undefined || p === undefined) out.push(missing(section, claim, 'propagation'));
    else
      out.push({
        section,
        claim,
        experiment: 'propagation',
        measured: `${small.strategy} (${small.activation}, width ${p.config.width}): activation std falls by a factor ${fmt(ra === null ? null : 1 / ra)} from layer 1 to layer ${depth}`,
        verdict:
          ra !== null && ra < 0.01
            ? 'supports'
            : ra !== null && ra < 0.1
              ? 'partly'
              : 'contradicts',
      });
  }

  // 3. Xavier.
  {
    const section = '3. Xavier (Glorot)';
    const claim =
      'Designed for tanh: keeps the variance of activations and gradients stable across layers.';
    const x = find(p, 'xavier-uniform', 'tanh') ?? find(p, 'xavier-normal', 'tanh');
    if (x === undefined) out.push(missing(section, claim, 'propagation (tanh, xavier)'));
    else {
      const a = ratio(x, 'activationStd');
      const g = ratio(x, 'gradientStd');
      const ok = [near1(a), near1(g)].filter(Boolean).length;
      out.push({
        section,
        claim,
        experiment: 'propagation',
        measured: `${x.strategy}, tanh, ${depth} layers: activation std last/first ${fmt(a)}, gradient std last/first ${fmt(g)} (stable: within a factor 10)`,
        verdict: ok === 2 ? 'supports' : ok === 1 ? 'partly' : 'contradicts',
      });
    }
  }

  // 4. He.
  {
    const section = '4. He (Kaiming)';
    const claim = 'Designed for ReLU: helps prevent activations from dying out.';
    const he = find(p, 'he-normal', 'relu') ?? find(p, 'he-uniform', 'relu');
    const xa = find(p, 'xavier-uniform', 'relu') ?? find(p, 'xavier-normal', 'relu');
    if (he === undefined) out.push(missing(section, claim, 'propagation (relu, he)'));
    else {
      const h = ratio(he, 'activationStd');
      const x = ratio(xa, 'activationStd');
      const dead = he.layers[he.layers.length - 1].deadFraction;
      out.push({
        section,
        claim,
        experiment: 'propagation',
        measured: `ReLU, ${depth} layers: activation std last/first ${fmt(h)} with ${he.strategy}${xa === undefined ? '' : `, ${fmt(x)} with ${xa.strategy}`}; dead units at the last layer ${fmt(dead)}`,
        verdict:
          near1(h, 2) && (x === null || x < h!) ? 'supports' : near1(h) ? 'partly' : 'contradicts',
      });
    }
  }

  // Goals: neither shrinking nor blowing up.
  {
    const section = 'Goals of good initialization';
    const claim = 'Poor initialization makes activations shrink or blow up layer by layer.';
    const big = p?.results.find((r) => r.strategy === 'normal:std=1' && r.activation === 'relu');
    const small = p?.results.find(
      (r) => r.strategy.startsWith('normal:std=0.0') && r.activation === 'relu',
    );
    if (big === undefined || small === undefined)
      out.push(missing(section, claim, 'propagation (relu, normal:std=1 and small normal)'));
    else {
      const b = ratio(big, 'activationStd');
      const s = ratio(small, 'activationStd');
      out.push({
        section,
        claim,
        experiment: 'propagation',
        measured: `ReLU, ${depth} layers: activation std last/first ${fmt(b)} with normal:std=1, ${fmt(s)} with ${small.strategy}`,
        verdict: (b === null || b > 100) && s !== null && s < 0.01 ? 'supports' : 'partly',
      });
    }
  }

  // 5. Orthogonal.
  {
    const section = '5. Orthogonal';
    const claim = 'For the recurrent matrix W_hh: preserves gradient magnitude over time steps.';
    const r = lab.rnn;
    const o = r?.results.find((x) => x.strategy === 'orthogonal' && x.activation === 'linear');
    if (r === undefined || o === undefined)
      out.push(missing(section, claim, 'rnn (linear, orthogonal)'));
    else {
      const others = r.results
        .filter((x) => x.activation === 'linear' && x.strategy !== 'orthogonal')
        .map((x) => `${x.strategy} ${fmt(x.gradientRatio)}`);
      const tanh = r.results.find((x) => x.strategy === 'orthogonal' && x.activation === 'tanh');
      out.push({
        section,
        claim,
        experiment: 'rnn',
        measured: `‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ over ${r.config.steps} steps, linear cells: orthogonal ${fmt(o.gradientRatio)}${others.length > 0 ? `; ${others.join(', ')}` : ''}${tanh === undefined ? '' : `; with tanh cells orthogonal gives ${fmt(tanh.gradientRatio)} (the nonlinearity's φ′ < 1 still shrinks it)`}`,
        verdict: near1(o.gradientRatio, 2)
          ? tanh === undefined || near1(tanh.gradientRatio)
            ? 'supports'
            : 'partly'
          : 'contradicts',
      });
    }
  }
  {
    const section = '5. Orthogonal';
    const claim = 'Makes backpropagation stable (all singular values of the Jacobian stay near 1).';
    const s = lab.spectrum;
    const deepest = s === undefined ? undefined : Math.max(...s.config.depths);
    const o = s?.results.find(
      (x) => x.strategy === 'orthogonal' && x.activation === 'linear' && x.depth === deepest,
    );
    const g = s?.results.find(
      (x) => x.strategy !== 'orthogonal' && x.activation === 'linear' && x.depth === deepest,
    );
    if (o === undefined) out.push(missing(section, claim, 'spectrum (linear, orthogonal)'));
    else
      out.push({
        section,
        claim,
        experiment: 'spectrum',
        measured: `linear network of depth ${deepest}: variance/mean² of the Jacobian's squared singular values ${fmt(o.normalizedVariance)} with orthogonal${g === undefined ? '' : `, ${fmt(g.normalizedVariance)} with ${g.strategy}`}`,
        verdict: o.normalizedVariance < 0.1 ? 'supports' : 'contradicts',
      });
  }

  // 6. Identity.
  {
    const section = '6. Identity';
    const claim = 'Works well with ReLU-based RNNs.';
    const t =
      lab.train?.results.filter((x) => x.task === 'adding' && x.activation === 'relu') ?? [];
    const id = t.find((x) => x.strategy === 'identity');
    if (id === undefined) out.push(missing(section, claim, 'train (adding, relu cells, identity)'));
    else {
      const ranked = [...t].sort(
        (a, b) => (a.finalLoss.mean ?? Infinity) - (b.finalLoss.mean ?? Infinity),
      );
      const rank = ranked.indexOf(id) + 1;
      out.push({
        section,
        claim,
        experiment: 'train',
        measured: `adding problem, ReLU cells, final loss (mean over seeds): ${ranked.map((x) => `${x.strategy} ${fmt(x.finalLoss.mean)}`).join(', ')} — identity ranks ${rank} of ${ranked.length}`,
        verdict:
          rank === 1 ? 'supports' : rank <= Math.ceil(ranked.length / 2) ? 'partly' : 'contradicts',
      });
    }
  }

  // Why it matters: convergence speed.
  {
    const section = 'Why is weight initialization important?';
    const claim = 'Initialization has a huge impact on convergence speed.';
    const t = lab.train?.results.filter((x) => x.task === 'teacher-student') ?? [];
    if (t.length < 2) out.push(missing(section, claim, 'train (teacher-student)'));
    else {
      const losses = t
        .map((x) => x.finalLoss.mean)
        .filter((v): v is number => typeof v === 'number');
      const spreadFactor = Math.max(...losses) / Math.min(...losses);
      out.push({
        section,
        claim,
        experiment: 'train',
        measured: `deep ReLU MLP, teacher–student, after ${lab.train!.config.teacherStudent.steps} steps: final loss ${t.map((x) => `${x.strategy} ${fmt(x.finalLoss.mean)}${x.stepsToTarget.spread === null ? '' : ` (target at step ${fmt(x.stepsToTarget.spread.mean)})`}`).join(', ')}`,
        verdict: spreadFactor >= 2 ? 'supports' : spreadFactor >= 1.2 ? 'partly' : 'contradicts',
      });
    }
  }
  return out;
}
