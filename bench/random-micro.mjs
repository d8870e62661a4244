#!/usr/bin/env node
/**
 * Micro-benchmark of the random layer: Philox words and the samplers, in M elements/s, with the
 * WebAssembly SIMD kernels and with the JavaScript fallback in the same run (same bits).
 *
 * Run (Node 20 cannot strip TypeScript types, so this benchmarks the compiled package):
 *   npx tsc -p tsconfig.build.json && node bench/random-micro.mjs [--quick]
 *
 * Shapes: 1024² (1 M), 4096² (16 M) and a 256×128×3×3 conv kernel (295 k). For each case and
 * path: a warm-up, then N repetitions; the table gives the median and the best (the best is the
 * least disturbed by other processes; on a shared machine, compare the two paths of one run).
 * The load average is printed first. A "straightforward Philox" (one block at a time, rounds in
 * a loop) is timed as the baseline of the words.
 */
import { loadavg } from 'node:os';
import {
  deriveKey,
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  philoxBlocks,
  uniformBits,
} from '../dist/random/index.js';
import { setWasmRandom, wasmRandomAvailable } from '../dist/random/wasm.js';

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

/** Times `run` (after a warm-up): [median, best] in M elements/s. */
function time(n, run, reps) {
  run();
  const ms = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    run();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const rate = (t) => n / t / 1e3;
  return [rate(ms[Math.floor(ms.length / 2)]), rate(ms[0])];
}

const fmt = ([median, best]) => `${median.toFixed(0).padStart(5)} (${best.toFixed(0).padStart(4)})`;

function row(name, n, run, reps, paths = true) {
  const cells = [];
  if (paths) {
    setWasmRandom(true, 0);
    cells.push(fmt(time(n, run, reps)));
    setWasmRandom(false);
    const js = time(n, run, reps);
    setWasmRandom(true);
    cells.push(fmt(js));
  } else {
    cells.push(fmt(time(n, run, reps)), '');
  }
  console.log(`${name.padEnd(40)} ${cells.map((c) => c.padStart(14)).join(' ')}`);
}

const quick = process.argv.includes('--quick');
const key = deriveKey(42, 'bench');
const scratch = new Uint32Array(4096);
console.log(
  `node ${process.version}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; WebAssembly SIMD ${wasmRandomAvailable() ? 'yes' : 'no'}`,
);
console.log('M elements/s: median (best) of N repetitions');
const shapes = [
  ['256x128x3x3', 256 * 128 * 9],
  ['1024x1024', 1024 * 1024],
  ['4096x4096', 4096 * 4096],
];
for (const [shape, n] of quick ? shapes.slice(0, 2) : shapes) {
  const reps = n > 1 << 20 ? 5 : 15;
  const f32 = new Float32Array(n);
  const f64 = new Float64Array(n);
  const words = new Uint32Array(n);
  console.log(`\n-- ${shape} (${n} elements) --`);
  console.log(`${''.padEnd(40)} ${'wasm'.padStart(14)} ${'js'.padStart(14)}`);
  row(
    'philox words, straightforward JS',
    n,
    () => {
      for (let b = 0; b < n / 4; b += 1024) philoxSimple(key.k0, key.k1, b, 1024, scratch);
    },
    reps,
    false,
  );
  row(
    'philox words, philoxBlocks (JS, ×4)',
    n,
    () => {
      for (let b = 0; b < n / 4; b += 1024) philoxBlocks(key.k0, key.k1, b, 0, 0, 1024, scratch);
    },
    reps,
    false,
  );
  row('uniformBits', n, () => uniformBits(key, words), reps);
  row('uniform float32', n, () => fillUniform(key, f32, -0.1, 0.1), reps);
  row('uniform float64', n, () => fillUniform(key, f64, -0.1, 0.1), reps);
  row('normal float32', n, () => fillNormal(key, f32, 0, 0.02), reps);
  row('normal float64', n, () => fillNormal(key, f64, 0, 0.02), reps);
  row(
    'truncated normal float32 [-2, 2]',
    n,
    () => fillTruncatedNormal(key, f32, 0, 0.02, -2, 2),
    reps,
  );
  if (n === 1 << 20) {
    row(
      'truncated normal float64 [-2, 2]',
      n,
      () => fillTruncatedNormal(key, f64, 0, 0.02, -2, 2),
      reps,
    );
    const small = f32.subarray(0, 1 << 16);
    row(
      'trunc. float32 [2, 3] (exponential)',
      1 << 16,
      () => fillTruncatedNormal(key, small, 0, 1, 2, 3),
      5,
      false,
    );
    row(
      'trunc. float32 [-0.1, 0.1] (uniform)',
      1 << 16,
      () => fillTruncatedNormal(key, small, 0, 1, -0.1, 0.1),
      5,
      false,
    );
  }
}
