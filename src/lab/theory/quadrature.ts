/**
 * Gauss–Hermite quadrature for expectations under a standard normal:
 * E[f(Z)] = ∫ f(z) φ(z) dz ≈ Σᵢ wᵢ f(zᵢ), exact for polynomials of degree < 2n.
 */

/** Nodes and weights of an n-point rule for E[f(Z)], Z ~ N(0, 1). */
export interface GaussRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const cache = new Map<number, GaussRule>();

/**
 * The n-point Gauss–Hermite rule for the standard normal. Nodes xᵢ of the physicists'
 * Hermite polynomial Hₙ (weight e^{−x²}) are found by Newton's method on the normalized
 * three-term recurrence (Numerical Recipes §4.6, `gauher`), with asymptotic starting values;
 * then zᵢ = √2·xᵢ and wᵢ ← wᵢ/√π so that Σwᵢ = 1.
 * @param n number of nodes, 1 to 400 (the lab uses ≥ 100).
 */
export function gaussHermite(n: number): GaussRule {
  if (!Number.isInteger(n) || n < 1 || n > 400) {
    throw new RangeError(`gaussHermite: \`n\` must be an integer in [1, 400], got ${n}`);
  }
  const hit = cache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const pim4 = 0.7511255444649425; // π^(−1/4)
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0];
    else if (i === 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2 * z - x[i - 2];
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i];
  }
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nodes[i] = Math.SQRT2 * x[n - 1 - i];
    weights[i] = w[n - 1 - i] / Math.sqrt(Math.PI);
  }
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}

/** E[f(Z)] for Z ~ N(0, 1) by an n-point rule. */
export function expectNormal(f: (z: number) => number, rule: GaussRule): number {
  let s = 0;
  for (let i = 0; i < rule.nodes.length; i++) s += rule.weights[i] * f(rule.nodes[i]);
  return s;
}

/** E[f(Z₁, Z₂)] for independent standard normals, by the product rule. */
export function expectNormal2(f: (z1: number, z2: number) => number, rule: GaussRule): number {
  let s = 0;
  const { nodes, weights } = rule;
  for (let i = 0; i < nodes.length; i++) {
    let inner = 0;
    for (let j = 0; j < nodes.length; j++) inner += weights[j] * f(nodes[i], nodes[j]);
    s += weights[i] * inner;
  }
  return s;
}
