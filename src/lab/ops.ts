/**
 * Matrix products with gradients that TF.js's wasm backend computes fast. Its rank-2 `matMul`
 * runs on XNNPACK only without transposed operands; with one (what the built-in gradient of
 * `matMul` uses) it takes a plain loop 10–20× slower than an explicit `transpose` followed by
 * a plain `matMul` (256×256: 23–38 ms against 3 ms). So the lab's networks use these: the same
 * values and gradients, with explicit transposes. (Batched rank-3 products always take the
 * plain loop, transposed or not, and keep the built-in gradient.)
 */
import * as tf from '@tensorflow/tfjs-core';

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** `x` with its last two axes swapped. */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  return tf.transpose(x, swapLast(x.rank));
}

/**
 * a·b for rank-2 operands with gradients ∂/∂a = dy·bᵀ and ∂/∂b = aᵀ·dy computed through
 * explicit transposes; batched (rank-3) operands use `tf.matMul` as it is.
 */
export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return a.rank === 2 && b.rank === 2
    ? matMul2d(a, b)
    : tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D);
}

const matMul2d: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        tf.matMul(dy as tf.Tensor2D, transposeLast(saved[1]) as tf.Tensor2D),
        tf.matMul(transposeLast(saved[0]) as tf.Tensor2D, dy as tf.Tensor2D),
      ],
    };
  },
) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * x ↦ x·b for a fixed b (not differentiated): the gradient ∂/∂x = dy·bᵀ uses bᵀ transposed
 * once. The caller disposes the returned `dispose`.
 */
export function matMulBy(b: tf.Tensor): {
  apply: (x: tf.Tensor) => tf.Tensor;
  dispose: () => void;
} {
  const bT = transposeLast(b);
  const apply = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    return {
      value: tf.matMul(x as tf.Tensor2D, b as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor) => [tf.matMul(dy as tf.Tensor2D, bT as tf.Tensor2D)],
    };
  }) as (x: tf.Tensor) => tf.Tensor;
  return { apply, dispose: () => bT.dispose() };
}
