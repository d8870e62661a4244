#!/usr/bin/env node
/**
 * Micro-benchmark of the random layer: Philox words and the float32 samplers, in M elements/s.
 *
 * Run (Node 20 cannot strip TypeScript types, so this benchmarks the compiled package):
 *   npx tsc -p tsconfig.build.json && node bench/random-micro.mjs
 *
 * For each case: best of several repetitions after a warm-up (the minimum is the least
 * disturbed by other processes; on a shared machine, rerun and compare). A baseline
 * "straightforward Philox" (one block at a time, rounds in a loop, the same exact mulhi) is
 * timed in the same run, so the speed-up of the unrolled, 4-way interleaved kernel can be read
 * independently of the machine's load.
 */
import {
  deriveKey,
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  philoxBlocks,
  uniformBits,
} from '../dist/random/index.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
/** The straightforward baseline: one block per iteration, a loop over rounds. */
function philoxSimple(k0, k1, first, n, out) {
  for (let b = 0; b < n; b++) {
    let x0 = (first + b) | 0;
    let x1 = 0;
    let x2 = 0;
    let x3 = 0;
    let ka = k0 | 0;
    let kb = k1 | 0;
    for (let r = 0; r < 10; r++) {
      const l0 = Math.imul(M0, x0);
      const l1 = Math.imul(M1, x2);
      const h0 = (M0 * (x0 >>> 0) - (l0 >>> 0)) * 2 ** -32 + 0.5;
      const h1 = (M1 * (x2 >>> 0) - (l1 >>> 0)) * 2 ** -32 + 0.5;
      x0 = h1 ^ x1 ^ ka;
      x1 = l1;
      x2 = h0 ^ x3 ^ kb;
      x3 = l0;
      ka = (ka + 0x9e3779b9) | 0;
      kb = (kb + 0xbb67ae85) | 0;
    }
    out[4 * b] = x0;
    out[4 * b + 1] = x1;
    out[4 * b + 2] = x2;
    out[4 * b + 3] = x3;
  }
}

function bench(name, n, run, reps) {
  run(); // warm-up (compilation)
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  const rate = n / best / 1e3;
  console.log(
    `${name.padEnd(44)} ${String(n).padStart(9)}  ${rate.toFixed(1).padStart(7)} M/s  (${best.toFixed(1)} ms)`,
  );
  return rate;
}

const key = deriveKey(42, 'bench');
const scratch = new Uint32Array(4096);
console.log(
  `node ${process.version}; best of N repetitions; M/s = million elements (or words) per second`,
);
for (const n of [1 << 20, 1 << 24]) {
  const reps = n > 1 << 20 ? 3 : 10;
  const out = new Float32Array(n);
  const words = new Uint32Array(n);
  console.log(`\n-- ${n === 1 << 20 ? '1M' : '16M'} elements --`);
  bench(
    'philox words, straightforward baseline',
    n,
    () => {
      for (let b = 0; b < n / 4; b += 1024) philoxSimple(key.k0, key.k1, b, 1024, scratch);
    },
    reps,
  );
  bench(
    'philox words, philoxBlocks (unrolled ×4)',
    n,
    () => {
      for (let b = 0; b < n / 4; b += 1024) philoxBlocks(key.k0, key.k1, b, 0, 0, 1024, scratch);
    },
    reps,
  );
  bench('uniformBits', n, () => uniformBits(key, words), reps);
  bench('uniform float32', n, () => fillUniform(key, out, -0.1, 0.1), reps);
  bench('normal float32', n, () => fillNormal(key, out, 0, 0.02), reps);
  bench(
    'truncated normal float32 [-2, 2]',
    n,
    () => fillTruncatedNormal(key, out, 0, 0.02, -2, 2),
    reps,
  );
  if (n === 1 << 20) {
    bench(
      'truncated normal float32 [2, 3] (exponential)',
      n,
      () => fillTruncatedNormal(key, out, 0, 1, 2, 3),
      reps,
    );
    bench(
      'truncated normal float32 [-0.1, 0.1] (uniform)',
      n,
      () => fillTruncatedNormal(key, out, 0, 1, -0.1, 0.1),
      reps,
    );
  }
}
