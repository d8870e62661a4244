/**
 * The TensorFlow.js peer: its own calls for each case (`tf.randomUniform`, `tf.randomNormal`,
 * `tf.truncatedNormal`, `tf.initializers.glorotUniform(…).apply(shape)`, `orthogonal` …) on the
 * cpu and wasm backends, each result read back with `dataSync()` (which forces completion) and
 * disposed. TF.js is an optional peer dependency: imported dynamically, skipped when absent.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import type { CaseSpec } from './cases.js';

export type TfBackend = 'cpu' | 'wasm';

/** TF.js, loaded. */
export interface TfjsPeer {
  readonly version: string;
  /** Makes `backend` current; false when it cannot start (the wasm files missing …). */
  use(backend: TfBackend): Promise<boolean>;
  /** One call of the case on the current backend, read back and disposed. */
  call(c: CaseSpec): () => void;
}

/** TF.js's layout of a weight: `[...kernel, in, out]` from PyTorch's `[out, in, ...kernel]`. */
export function tfLayout(shape: readonly number[]): number[] {
  if (shape.length < 2) return [...shape];
  const [out, inp, ...kernel] = shape;
  return [...kernel, inp, out];
}

/** The TF.js initializer (tfjs-layers) standing for a weightinit strategy. */
const INITIALIZERS: Record<string, string> = {
  'xavier-uniform': 'glorotUniform',
  'xavier-normal': 'glorotNormal',
  'he-uniform': 'heUniform',
  'he-normal': 'heNormal',
  'lecun-uniform': 'leCunUniform',
  'lecun-normal': 'leCunNormal',
  orthogonal: 'orthogonal',
};

/** The TF.js call a case is compared with, as text (for the README and the JSON). */
export function tfjsCallText(strategy: string): string {
  if (strategy === 'uniform') return 'tf.randomUniform(shape)';
  if (strategy === 'normal') return 'tf.randomNormal(shape)';
  if (strategy === 'truncated-normal') return 'tf.truncatedNormal(shape)';
  return `tf.initializers.${INITIALIZERS[strategy]}({}).apply(shape)`;
}

/**
 * tfjs-layers' orthogonal initializer calls chained tensor methods (`rMat.flatten()` …) that
 * only the `@tensorflow/tfjs` union package registers; with tfjs-core alone they are missing.
 * Adds the few it uses, as the union package would.
 */
function addChainedOps(tf: typeof TfCore): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const ops: Record<string, (this: TfCore.Tensor, ...a: never[]) => TfCore.Tensor> = {
    flatten() {
      return tf.reshape(this, [this.size]);
    },
    reshape(shape: number[]) {
      return tf.reshape(this, shape);
    },
    stridedSlice(begin: number[], end: number[], strides: number[]) {
      return tf.stridedSlice(this, begin, end, strides);
    },
    sign() {
      return tf.sign(this);
    },
    transpose(perm?: number[]) {
      return tf.transpose(this, perm);
    },
  };
  for (const [name, f] of Object.entries(ops))
    if (typeof proto[name] !== 'function') proto[name] = f;
}

/** Loads TF.js (core, layers, both backends), or says why it cannot. */
export async function loadTfjs(): Promise<TfjsPeer | { skipped: string }> {
  let tf: typeof TfCore;
  let tfl: typeof TfLayers;
  let setupBackend: (o: { backend: TfBackend }) => Promise<string>;
  try {
    tf = await import('@tensorflow/tfjs-core');
    tfl = await import('@tensorflow/tfjs-layers');
    ({ setupBackend } = await import('../tfjs/backend.js'));
  } catch (error) {
    return {
      skipped: `TensorFlow.js is not installed (@tensorflow/tfjs-core, -layers, -backend-cpu, -backend-wasm 4.22): ${
        error instanceof Error ? error.message.split('\n')[0] : String(error)
      }`,
    };
  }
  // Production mode: no NaN checks on every op, and no advice printed to the console.
  tf.enableProdMode();
  addChainedOps(tf);
  const initializers = tfl.initializers as unknown as Record<
    string,
    (config: object) => { apply(shape: number[]): TfCore.Tensor }
  >;
  return {
    version: tf.version_core,
    async use(backend) {
      try {
        return (await setupBackend({ backend })) === backend;
      } catch {
        return false;
      }
    },
    call(c) {
      const shape = tfLayout(c.shape);
      const make: () => TfCore.Tensor =
        c.strategy === 'uniform'
          ? () => tf.randomUniform(shape)
          : c.strategy === 'normal'
            ? () => tf.randomNormal(shape)
            : c.strategy === 'truncated-normal'
              ? () => tf.truncatedNormal(shape)
              : () => initializers[INITIALIZERS[c.strategy]]({}).apply(shape);
      return () => {
        // The orthogonal initializer warns of slowness above 2000 elements, on every call.
        const warn = console.warn;
        console.warn = () => {};
        try {
          const t = make();
          t.dataSync();
          t.dispose();
        } finally {
          console.warn = warn;
        }
      };
    },
  };
}
