/**
 * Mean-field theory of signal propagation in wide random networks (Poole et al. 2016,
 * "Exponential expressivity in deep neural networks through transient chaos"; Schoenholz et
 * al. 2017, "Deep information propagation"). Weights W ~ N(0, σ_w²/n), biases b ~ N(0, σ_b²),
 * pre-activations h = W φ(h_prev) + b. Expectations over Gaussians are computed by
 * Gauss–Hermite quadrature (default 128 nodes).
 */
import { ACTIVATION_FUNCTIONS, type Activation } from './activations.js';
import { expectNormal, expectNormal2, type GaussRule, gaussHermite } from './quadrature.js';

/** Default number of quadrature nodes. */
export const DEFAULT_NODES = 128;

/** The mean-field quantities of one (activation, σ_w², σ_b²). */
export interface MeanFieldPoint {
  readonly activation: string;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  /** Stable fixed point of the variance map reached from q⁰ = 1 (`Infinity` if it diverges, 0 if it vanishes). */
  readonly qStar: number;
  /** χ₁ = σ_w² E[φ′(√q* z)²]: < 1 ordered (gradients vanish), > 1 chaotic (explode), 1 critical. */
  readonly chi1: number;
  /** Fixed point of the correlation map (1 in the ordered phase). */
  readonly cStar: number;
  /** Depth scale of the variance's approach to q*: ξ_q = −1/ln χ_q. */
  readonly xiQ: number;
  /** Depth scale over which input correlations are forgotten: ξ_c = −1/ln χ_c. */
  readonly xiC: number;
  readonly phase: 'ordered' | 'critical' | 'chaotic';
}

/** Options of the mean-field computations. */
export interface MeanFieldOptions {
  /** Gauss–Hermite nodes (≥ 100 recommended). Default 128. */
  nodes?: number;
  /** Starting variance q⁰ of the variance map. Default 1 (unit-variance inputs). */
  q0?: number;
}

function activationOf(name: string): Activation {
  const a = ACTIVATION_FUNCTIONS[name];
  if (!a) {
    throw new RangeError(
      `meanField: \`activation\` must be one of ${Object.keys(ACTIVATION_FUNCTIONS)
        .map((k) => JSON.stringify(k))
        .join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  return a;
}

/** The variance map q ↦ σ_w² E[φ(√q z)²] + σ_b². */
export function varianceMap(
  act: Activation,
  sigmaW2: number,
  sigmaB2: number,
  q: number,
  rule: GaussRule,
): number {
  const s = Math.sqrt(q);
  return sigmaW2 * expectNormal((z) => act.f(s * z) ** 2, rule) + sigmaB2;
}

/**
 * The stable fixed point q* of the variance map reached from q0, as a root of
 * g(q) = map(q) − q found by bisection in log q (exact to ~1e-15 relative, fast even near
 * criticality where iterating the map converges arbitrarily slowly). Returns 0 when the map
 * contracts to 0 (no bias, ordered phase), `Infinity` when it grows without bound, and q0
 * when every q is a fixed point (ReLU at σ_w² = 2, σ_b² = 0).
 */
export function varianceFixedPoint(
  act: Activation,
  sigmaW2: number,
  sigmaB2: number,
  q0: number,
  rule: GaussRule,
): number {
  const g = (q: number) => varianceMap(act, sigmaW2, sigmaB2, q, rule) - q;
  if (Math.abs(g(q0)) <= 1e-14 * q0) return q0;
  let lo = 1e-200;
  if (g(lo) <= 0) return 0;
  let hi = Math.max(q0, 1);
  while (g(hi) > 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Number.POSITIVE_INFINITY;
  }
  for (let k = 0; k < 400 && hi - lo > 1e-15 * hi; k++) {
    const mid = lo < 1e-100 * hi ? Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    if (g(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** q* and χ₁ = σ_w² E[φ′(√q* z)²] (at q* = 0, the limit q → 0⁺). */
function orderParameter(
  act: Activation,
  sigmaW2: number,
  sigmaB2: number,
  q0: number,
  rule: GaussRule,
) {
  const qStar = varianceFixedPoint(act, sigmaW2, sigmaB2, q0, rule);
  const s = Math.sqrt(qStar === 0 ? 1e-200 : Number.isFinite(qStar) ? qStar : 1);
  return { qStar, chi1: sigmaW2 * expectNormal((z) => act.d1(s * z) ** 2, rule) };
}

/** E[g(u₁, u₂)] for (u₁, u₂) jointly normal with variance q and correlation c. */
function correlated(
  g: (u1: number, u2: number) => number,
  q: number,
  c: number,
  rule: GaussRule,
): number {
  const s = Math.sqrt(q);
  const r = Math.sqrt(Math.max(0, 1 - c * c));
  return expectNormal2((z1, z2) => g(s * z1, s * (c * z1 + r * z2)), rule);
}

/**
 * The mean-field quantities for an activation and (σ_w², σ_b²): q*, χ₁, c*, ξ_q, ξ_c and the
 * phase. ReLU with σ_w² = 2, σ_b² = 0 (He initialization) is exactly critical; tanh with
 * σ_w² = 1, σ_b² = 0 too.
 * @throws RangeError for an unknown activation or negative variances.
 */
export function meanField(
  activation: string,
  sigmaW2: number,
  sigmaB2: number,
  options: MeanFieldOptions = {},
): MeanFieldPoint {
  const act = activationOf(activation);
  if (!(sigmaW2 > 0) || !(sigmaB2 >= 0)) {
    throw new RangeError(
      `meanField: \`sigmaW2\` must be > 0 and \`sigmaB2\` >= 0, got ${sigmaW2}, ${sigmaB2}`,
    );
  }
  const rule = gaussHermite(options.nodes ?? DEFAULT_NODES);
  // Two-dimensional expectations use a 64-node product rule (4 096 points): their integrands
  // are smooth and this keeps c* and ξ_c accurate to ~1e-9 at a fraction of the cost.
  const rule2 = gaussHermite(Math.min(64, rule.nodes.length));
  const { qStar, chi1 } = orderParameter(act, sigmaW2, sigmaB2, options.q0 ?? 1, rule);
  const qEval = qStar === 0 ? 1e-200 : Number.isFinite(qStar) ? qStar : 1;
  const s = Math.sqrt(qEval);
  const chiQ =
    sigmaW2 * expectNormal((z) => act.d1(s * z) ** 2 + act.f(s * z) * act.d2(s * z), rule);
  // Correlation map c ↦ (σ_w² E[φ(u₁)φ(u₂)] + σ_b²)/q*. c = 1 is always a fixed point; in
  // the chaotic phase (slope χ₁ > 1 there) the stable one c* < 1 is the root of map(c) − c
  // on [0, 1 − ε], found by bisection (iterating converges slowly near criticality).
  let cStar = 1;
  if (qStar > 0 && Number.isFinite(qStar) && chi1 > 1 + 1e-12) {
    // Normalized by the map's value at c = 1 (= q* up to the 64-node rule's error), so that
    // c = 1 is a fixed point of the discretized map exactly.
    const cov = (c: number) =>
      sigmaW2 * correlated((u1, u2) => act.f(u1) * act.f(u2), qStar, c, rule2) + sigmaB2;
    const top = cov(1);
    const h = (c: number) => cov(c) / top - c;
    let lo = 0;
    let hi = 1 - 1e-7;
    if (h(lo) <= 0) cStar = 0;
    else if (h(hi) >= 0) cStar = 1;
    else {
      for (let k = 0; k < 60 && hi - lo > 1e-12; k++) {
        const mid = 0.5 * (lo + hi);
        if (h(mid) > 0) lo = mid;
        else hi = mid;
      }
      cStar = 0.5 * (lo + hi);
    }
  }
  const chiC =
    cStar >= 1
      ? chi1
      : sigmaW2 * correlated((u1, u2) => act.d1(u1) * act.d1(u2), qEval, cStar, rule2);
  const depth = (chi: number) => (chi === 1 ? Number.POSITIVE_INFINITY : -1 / Math.log(chi));
  const phase = Math.abs(chi1 - 1) < 1e-9 ? 'critical' : chi1 < 1 ? 'ordered' : 'chaotic';
  return {
    activation,
    sigmaW2,
    sigmaB2,
    qStar,
    chi1,
    cStar,
    xiQ: Math.abs(depth(chiQ)),
    xiC: Math.abs(depth(chiC)),
    phase,
  };
}

/**
 * The order-to-chaos line: for each σ_b², the σ_w² where χ₁ = 1, found by bisection on
 * [lo, hi] (χ₁ grows with σ_w²). Points where no crossing lies in the bracket are omitted.
 */
export function criticalLine(
  activation: string,
  sigmaB2s: readonly number[],
  options: MeanFieldOptions & { lo?: number; hi?: number } = {},
): { sigmaB2: number; sigmaW2: number }[] {
  const line: { sigmaB2: number; sigmaW2: number }[] = [];
  const act = activationOf(activation);
  const rule = gaussHermite(options.nodes ?? DEFAULT_NODES);
  const chi = (w: number, b: number) => orderParameter(act, w, b, options.q0 ?? 1, rule).chi1 - 1;
  for (const b of sigmaB2s) {
    let lo = options.lo ?? 0.05;
    let hi = options.hi ?? 10;
    let flo = chi(lo, b);
    if (flo > 0 || chi(hi, b) < 0) continue;
    for (let k = 0; k < 60 && hi - lo > 1e-10; k++) {
      const mid = 0.5 * (lo + hi);
      const fm = chi(mid, b);
      if (fm < 0) {
        lo = mid;
        flo = fm;
      } else hi = mid;
    }
    line.push({ sigmaB2: b, sigmaW2: 0.5 * (lo + hi) });
  }
  return line;
}
