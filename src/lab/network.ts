/**
 * Networks trained side by side: M "members" (a strategy and a seed each) of the same
 * architecture are stacked along a leading axis and trained as one batched TF.js graph. The
 * members share nothing — each has its own slice of every weight, its own loss, and the
 * optimizers (SGD, Adam) act elementwise — so this is exactly M independent trainings, at the
 * cost in TF.js op calls of one (which dominates for small networks).
 */
import * as tf from '@tensorflow/tfjs-core';
import { activationOp, type TfActivation } from './activations.js';
import { matMul } from './ops.js';
import type { LabStrategy } from './strategies.js';
import { weightValues } from './strategies.js';

/** One network of a stack: the strategy of its weights and its seed. */
export interface Member {
  readonly strategy: LabStrategy;
  readonly seed: number;
}

/** The values of a weight for every member, stacked: shape `[M, ...shape]`. */
export function stackedValues(
  members: readonly Member[],
  shape: readonly number[],
  stream: string,
  strategyOf: (m: Member) => LabStrategy = (m) => m.strategy,
): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(members.length * size);
  members.forEach((m, i) => {
    data.set(weightValues(strategyOf(m).spec, shape, m.seed, stream), i * size);
  });
  return tf.tensor(data, [members.length, ...shape], 'float32');
}

/** A stack of MLPs `sizes[0] → … → sizes[last]`: φ after every layer but the last (linear). */
export class MlpStack {
  /** Kernels `[M, in, out]`, layout in-out, one per layer. */
  readonly kernels: tf.Variable[];
  /** Biases `[M, 1, out]`. */
  readonly biases: tf.Variable[];
  private readonly phi: TfActivation;

  /**
   * Weights of layer l (1-based) from stream `<prefix>layer<l>.kernel` of each member's seed,
   * biases from `<prefix>layer<l>.bias` under `bias`.
   */
  constructor(
    readonly members: readonly Member[],
    readonly sizes: readonly number[],
    readonly activation: string,
    bias: LabStrategy,
    prefix = '',
  ) {
    this.phi = activationOp(activation, 'MlpStack');
    this.kernels = [];
    this.biases = [];
    for (let l = 1; l < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l - 1], sizes[l]];
      const k = stackedValues(members, [fanIn, fanOut], `${prefix}layer${l}.kernel`);
      const b = stackedValues(members, [1, fanOut], `${prefix}layer${l}.bias`, () => bias);
      this.kernels.push(tf.variable(k, true));
      this.biases.push(tf.variable(b, true));
      tf.dispose([k, b]);
    }
  }

  /** Every trainable variable. */
  get variables(): tf.Variable[] {
    return [...this.kernels, ...this.biases];
  }

  /** The outputs `[M, N, out]` for inputs `[M, N, in]`. */
  forward(x: tf.Tensor): tf.Tensor {
    let a = x;
    const last = this.kernels.length - 1;
    for (let l = 0; l <= last; l++) {
      const h = tf.add(matMul(a, this.kernels[l]), this.biases[l]);
      a = l === last ? h : this.phi(h);
    }
    return a;
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** Optimizer of a training: plain full-batch gradient descent or Adam. */
export interface OptimizerConfig {
  /** `'sgd'` or `'adam'` (β₁ 0.9, β₂ 0.999, ε 1e-8). */
  readonly name: 'sgd' | 'adam';
  readonly learningRate: number;
}

/** Names of the optimizers. */
export const OPTIMIZERS: readonly OptimizerConfig['name'][] = ['sgd', 'adam'];

function optimizerOf(c: OptimizerConfig): tf.Optimizer {
  return c.name === 'sgd'
    ? tf.train.sgd(c.learningRate)
    : tf.train.adam(c.learningRate, 0.9, 0.999, 1e-8);
}

/**
 * Trains a stack: `steps` updates of `variables` on Σ_m loss_m, where `loss()` returns the
 * `[M]` per-member losses. Returns each member's loss curve of `steps + 1` values: entry t is
 * the loss after t updates (0: at initialization).
 */
export function trainStack(
  variables: tf.Variable[],
  loss: () => tf.Tensor,
  steps: number,
  optimizer: OptimizerConfig,
  onStep?: (step: number) => void,
): number[][] {
  const opt = optimizerOf(optimizer);
  const curves: number[][] = [];
  const record = (values: ArrayLike<number>) => {
    for (let m = 0; m < values.length; m++) (curves[m] ??= []).push(values[m]);
  };
  try {
    for (let t = 0; t < steps; t++) {
      let perMember: tf.Tensor | undefined;
      const total = opt.minimize(
        () => {
          const l = loss();
          perMember = tf.keep(l);
          return tf.sum(l) as tf.Scalar;
        },
        false,
        variables,
      );
      total?.dispose();
      record(perMember!.dataSync());
      perMember!.dispose();
      onStep?.(t + 1);
    }
    const final = tf.tidy(loss);
    record(final.dataSync());
    final.dispose();
  } finally {
    opt.dispose();
  }
  return curves;
}

/** Per-member mean squared error of predictions `[M, N, k]` against targets `[N, k]`: `[M]`. */
export function mseLoss(prediction: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return tf.mean(tf.squaredDifference(prediction, target), [1, 2]);
}

/**
 * Per-member binary cross-entropy of logits `[M, N, 1]` against labels `[N, 1]` in {0, 1}:
 * mean of softplus(z) − y·z, `[M]`.
 */
export function bceLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  return tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, labels)), [1, 2]);
}

/** `x` `[N, d]` repeated for M members: `[M, N, d]`. */
export function repeatForMembers(x: tf.Tensor, members: number): tf.Tensor {
  return tf.tidy(() => tf.tile(tf.expandDims(x, 0), [members, 1, 1]));
}

/**
 * A stack of simple RNNs h_t = φ(x_t U + h_{t−1} W + b), h_0 = 0, with a linear read-out
 * y = h_T V + c. W comes from each member's strategy (stream `<prefix>recurrent_kernel`);
 * U (`<prefix>kernel`) and V (`<prefix>output.kernel`) from `input` and `output` strategies
 * common to all members; biases are zero.
 */
export class RnnStack {
  /** Input kernel U `[M, inputs, hidden]`. */
  readonly kernel: tf.Variable;
  /** Recurrent kernel W `[M, hidden, hidden]`. */
  readonly recurrent: tf.Variable;
  /** Bias b `[M, 1, hidden]`. */
  readonly bias: tf.Variable;
  /** Read-out V `[M, hidden, outputs]`. */
  readonly outputKernel: tf.Variable;
  /** Read-out bias c `[M, 1, outputs]`. */
  readonly outputBias: tf.Variable;
  private readonly phi: TfActivation;

  constructor(
    readonly members: readonly Member[],
    readonly sizes: { readonly inputs: number; readonly hidden: number; readonly outputs: number },
    readonly activation: string,
    strategies: {
      readonly input: LabStrategy;
      readonly output: LabStrategy;
      readonly bias: LabStrategy;
    },
    prefix = '',
  ) {
    this.phi = activationOp(activation, 'RnnStack');
    const { inputs, hidden, outputs } = sizes;
    const make = (shape: number[], stream: string, s?: LabStrategy) => {
      const t = stackedValues(
        members,
        shape,
        `${prefix}${stream}`,
        s === undefined ? undefined : () => s,
      );
      const v = tf.variable(t, true);
      t.dispose();
      return v;
    };
    this.kernel = make([inputs, hidden], 'kernel', strategies.input);
    this.recurrent = make([hidden, hidden], 'recurrent_kernel');
    this.bias = make([1, hidden], 'bias', strategies.bias);
    this.outputKernel = make([hidden, outputs], 'output.kernel', strategies.output);
    this.outputBias = make([1, outputs], 'output.bias', strategies.bias);
  }

  /** Every trainable variable. */
  get variables(): tf.Variable[] {
    return [this.kernel, this.recurrent, this.bias, this.outputKernel, this.outputBias];
  }

  /**
   * Runs the recurrence on the inputs of each step, `xs[t − 1]` of shape `[1, N, inputs]` (the
   * same for every member), and returns the hidden states h_0 … h_T, each `[M, N, hidden]`.
   * `recur(h)` computes h·W (default: with gradients to W); `probe(t, h)` may replace h_t (to
   * read ∂L/∂h_t through a zero added to it). Inputs come as one tensor per step because
   * slicing a large tensor on the wasm backend copies all of it (O(T²) for T slices).
   */
  hiddenStates(
    xs: readonly tf.Tensor[],
    recur: (h: tf.Tensor) => tf.Tensor = (h) => matMul(h, this.recurrent),
    probe: (t: number, h: tf.Tensor) => tf.Tensor = (_t, h) => h,
  ): tf.Tensor[] {
    const n = xs[0].shape[1] as number;
    let h = probe(0, tf.zeros([this.members.length, n, this.sizes.hidden]));
    const states = [h];
    xs.forEach((x, i) => {
      const input = tf.add(tf.matMul(x as tf.Tensor3D, this.kernel as tf.Tensor3D), this.bias);
      h = probe(i + 1, this.phi(tf.add(input, recur(h))));
      states.push(h);
    });
    return states;
  }

  /** Sequence data `[T, N, d]` (row-major) as the per-step tensors `[1, N, d]` of {@link hiddenStates}. */
  static steps(data: Float32Array, shape: readonly number[]): tf.Tensor[] {
    const [steps, n, d] = shape;
    return Array.from({ length: steps }, (_, t) =>
      tf.tensor3d(data.subarray(t * n * d, (t + 1) * n * d), [1, n, d]),
    );
  }

  /** The read-out `[M, N, outputs]` of a final hidden state. */
  readout(h: tf.Tensor): tf.Tensor {
    return tf.add(matMul(h, this.outputKernel), this.outputBias);
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}
