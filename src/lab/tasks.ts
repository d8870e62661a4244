/**
 * The training tasks of `train`, generated on the fly from weightinit's seeded samplers (no
 * downloads): teacher–student regression, two spirals, and the adding problem. The teacher's
 * `Math.tanh` and the spirals' `Math.cos`/`Math.sin` give the same values on one engine, not
 * necessarily to the last bit on another (the adding problem is bit-exact everywhere).
 */
import { gaussian, uniformValues } from './data.js';

/** A full-batch dataset: inputs and targets, row-major. */
export interface Dataset {
  /** Inputs `[examples, features]` (`[length, examples, 2]` for sequences). */
  readonly x: Float32Array;
  readonly xShape: number[];
  /** Targets `[examples, 1]`. */
  readonly y: Float32Array;
  /** The loss of the best constant prediction (MSE: the targets' variance; BCE: their entropy). */
  readonly biasFitLoss: number;
}

/**
 * Teacher–student regression: Gaussian inputs x ∈ ℝ^d (stream `teacher-student/inputs`)
 * and targets from a fixed random teacher, a tanh MLP d → h → h → 1 with weights N(0, 1/fan_in)
 * scaled by 2 (streams `teacher-student/teacher<l>`) so that it is clearly non-linear; the
 * targets are standardized (mean 0, variance 1), so the bias fit is an MSE of 1.
 */
export function teacherStudent(
  examples: number,
  inputs: number,
  hidden: number,
  seed: number,
): Dataset {
  const x = gaussian([examples, inputs], seed, 'teacher-student/inputs');
  const sizes = [inputs, hidden, hidden, 1];
  let a = Float64Array.from(x);
  for (let l = 1; l < sizes.length; l++) {
    const [n, m] = [sizes[l - 1], sizes[l]];
    const w = gaussian([n, m], seed, `teacher-student/teacher${l}`);
    const out = new Float64Array(examples * m);
    const scale = 2 / Math.sqrt(n);
    for (let e = 0; e < examples; e++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += a[e * n + i] * w[i * m + j];
        out[e * m + j] = l === sizes.length - 1 ? s * scale : Math.tanh(s * scale);
      }
    a = out;
  }
  let mean = 0;
  for (const v of a) mean += v / examples;
  let variance = 0;
  for (const v of a) variance += (v - mean) ** 2 / examples;
  const y = Float32Array.from(a, (v) => (v - mean) / Math.sqrt(variance));
  return { x, xShape: [examples, inputs], y, biasFitLoss: 1 };
}

/**
 * Two interleaved spirals (Lang & Witbrock 1988): `examples / 2` points per class, class c's
 * point k at radius r = 0.1 + 0.9·k/(n−1) and angle θ = turns·2π·k/(n−1) + cπ, plus Gaussian
 * noise of std `noise` (stream `spirals/noise`). Labels 0 and 1 in equal numbers, so the bias
 * fit is a cross-entropy of ln 2.
 */
export function twoSpirals(examples: number, turns: number, noise: number, seed: number): Dataset {
  const n = Math.floor(examples / 2);
  const eps = gaussian([2 * n, 2], seed, 'spirals/noise');
  const x = new Float32Array(4 * n);
  const y = new Float32Array(2 * n);
  for (let c = 0; c < 2; c++)
    for (let k = 0; k < n; k++) {
      const f = n === 1 ? 0 : k / (n - 1);
      const r = 0.1 + 0.9 * f;
      const theta = turns * 2 * Math.PI * f + c * Math.PI;
      const i = c * n + k;
      x[2 * i] = r * Math.cos(theta) + noise * eps[2 * i];
      x[2 * i + 1] = r * Math.sin(theta) + noise * eps[2 * i + 1];
      y[i] = c;
    }
  return { x, xShape: [2 * n, 2], y, biasFitLoss: Math.LN2 };
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015): sequences of `length`
 * steps of two inputs, a value U(0, 1) (stream `adding/values`) and a marker that is 1 at two
 * positions — one in the first half, one in the second (stream `adding/positions`) — and 0
 * elsewhere; the target is the sum of the two marked values. Inputs are laid out
 * `[length, examples, 2]`. Predicting the mean, 1, gives an MSE of 1/6: the bias fit.
 */
export function addingProblem(examples: number, length: number, seed: number): Dataset {
  const values = uniformValues([examples, length], seed, 'adding/values');
  const u = uniformValues([examples, 2], seed, 'adding/positions');
  const x = new Float32Array(length * examples * 2);
  const y = new Float32Array(examples);
  const half = Math.max(1, Math.floor(length / 2));
  for (let e = 0; e < examples; e++) {
    const p1 = Math.min(half - 1, Math.floor(u[2 * e] * half));
    const p2 = Math.min(length - 1, half + Math.floor(u[2 * e + 1] * (length - half)));
    for (let t = 0; t < length; t++) {
      const i = (t * examples + e) * 2;
      x[i] = values[e * length + t];
      x[i + 1] = t === p1 || t === p2 ? 1 : 0;
    }
    y[e] = values[e * length + p1] + (p1 === p2 ? 0 : values[e * length + p2]);
  }
  return { x, xShape: [length, examples, 2], y, biasFitLoss: 1 / 6 };
}
