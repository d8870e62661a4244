#!/usr/bin/env node
/**
 * Micro-benchmark of the random layer: Philox words and the samplers, in M elements/s, with the
 * WebAssembly SIMD kernels and with the JavaScript fallback in the same run (same bits), and for
 * tensors of ≥ 4 M elements with the worker pool (all cores; output in an ordinary array, or on a
 * SharedArrayBuffer, written in place).
 *
 * Run (Node 20 cannot strip TypeScript types, so this benchmarks the compiled package):
 *   npx tsc -p tsconfig.build.json && node bench/random-micro.mjs [--quick] [--no-pool]
 * (WEIGHTINIT_DIST=/path/to/dist benchmarks another build; WEIGHTINIT_AB=/path/to/dist compares
 * that build with this one in one process, interleaved: the way to measure a few percent here;
 * with WEIGHTINIT_AB_CLOCK=cpu each repetition is timed by the process's CPU time instead of the
 * wall clock, which leaves out the time other processes take the core: on a loaded machine,
 * ratios of A/B with itself then stay within ~1 % where the wall clock's drift by 10-30 %.)
 *
 * Shapes: a 256×128×3×3 conv kernel (295 k), 1024² (1 M) and 4096² (16 M). For each case and
 * path: a warm-up (≥ 200 ms), then N repetitions; a cell is the median and, in parentheses, the best (the
 * least disturbed by other processes). The load average is printed before and after: on a
 * shared machine compare the paths of one run, not runs. A "straightforward Philox" (one block
 * at a time, rounds in a loop) is the baseline of the words.
 */
import { availableParallelism, loadavg } from 'node:os';

// WEIGHTINIT_DIST: another build of the package (e.g. to compare two builds on a busy machine).
const dist = process.env.WEIGHTINIT_DIST ?? new URL('../dist', import.meta.url).pathname;
const { deriveKey, fillNormal, fillTruncatedNormal, fillUniform, philoxBlocks, uniformBits } =
  await import(`${dist}/random/index.js`);
const { startWorkerPool, stopWorkerPool, workerPoolReady } = await import(
  `${dist}/random/pool-node.js`
);
const { setWasmRandom, wasmRandomAvailable } = await import(`${dist}/random/wasm.js`);

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

/**
 * Times `run` after a warm-up of at least 200 ms (WebAssembly starts in a baseline compiler
 * and moves to optimized code after some work): [median, best] in M elements/s.
 */
function time(n, run, reps) {
  for (let t0 = performance.now(), i = 0; i < 3 || performance.now() - t0 < 200; i++) run();
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
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

// WEIGHTINIT_AB: another build, compared in this process with this one, interleaved repetition
// by repetition (wasm, one thread, 1 M elements): on a shared machine, separate runs differ by
// tens of percent, interleaved ones by a few (by less with WEIGHTINIT_AB_CLOCK=cpu).
if (process.env.WEIGHTINIT_AB) {
  const cpu = process.env.WEIGHTINIT_AB_CLOCK === 'cpu';
  /** Milliseconds of `run()`: wall clock, or this process's CPU time (user + system). */
  const ms = (run) => {
    if (!cpu) {
      const t = performance.now();
      run();
      return performance.now() - t;
    }
    const c = process.cpuUsage();
    run();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1e3;
  };
  const builds = [];
  for (const d of [dist, process.env.WEIGHTINIT_AB]) {
    const r = await import(`${d}/random/index.js`);
    (await import(`${d}/random/wasm.js`)).setWasmRandom(true, 0);
    builds.push({ ...r, key: r.deriveKey(42, 'bench') });
  }
  const n = 1 << 20;
  const [f32, f64] = [new Float32Array(n), new Float64Array(n)];
  const cases = [
    ['uniform float32', (b) => b.fillUniform(b.key, f32, -0.1, 0.1)],
    ['uniform float64', (b) => b.fillUniform(b.key, f64, -0.1, 0.1)],
    ['normal float32', (b) => b.fillNormal(b.key, f32, 0, 0.02)],
    ['normal float64', (b) => b.fillNormal(b.key, f64, 0, 0.02)],
    ['truncated normal float32 [-2, 2]', (b) => b.fillTruncatedNormal(b.key, f32, 0, 0.02, -2, 2)],
    ['truncated normal float64 [-2, 2]', (b) => b.fillTruncatedNormal(b.key, f64, 0, 0.02, -2, 2)],
  ];
  console.log(`A = ${dist}\nB = ${process.env.WEIGHTINIT_AB}\nload average ${load()}`);
  console.log(`clock: ${cpu ? 'CPU time of this process' : 'wall'}`);
  console.log(
    `M elements/s, median (best) of 21 interleaved repetitions ${'A'.padStart(8)} ${'B'.padStart(13)}`,
  );
  for (const [name, run] of cases) {
    const rates = builds.map(() => []);
    for (const b of builds) time(n, () => run(b), 1);
    for (let r = 0; r < 21; r++) {
      builds.forEach((b, i) => {
        rates[i].push(n / ms(() => run(b)) / 1e3);
      });
    }
    const cell = (x) => {
      x.sort((p, q) => q - p);
      return fmt([x[10], x[0]]);
    };
    console.log(`${name.padEnd(36)} ${rates.map((x) => cell(x).padStart(13)).join(' ')}`);
  }
  console.log(`load average after: ${load()}`);
  process.exit(0);
}

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const threads = args.has('--no-pool') ? 1 : availableParallelism();
const key = deriveKey(42, 'bench');
const scratch = new Uint32Array(4096);
const COLUMNS = ['wasm', 'js', `pool ×${threads}`, 'pool, shared'];

/**
 * One row: `run(out)` on the paths. `make(shared)` makes the output. `paths`: 'all' (wasm, JS,
 * and the pool for ≥ 4 M elements), or 'one' (a single JavaScript cell).
 */
async function row(name, n, make, run, reps, paths = 'all') {
  const cells = [];
  const out = make(false);
  if (paths === 'one') {
    cells.push(fmt(time(n, () => run(out), reps)));
  } else {
    setWasmRandom(true, 0);
    cells.push(fmt(time(n, () => run(out), reps)));
    setWasmRandom(false);
    cells.push(fmt(time(n, () => run(out), reps)));
    setWasmRandom(true);
    if (threads > 1 && n >= 1 << 22) {
      startWorkerPool({ threads });
      await workerPoolReady();
      cells.push(fmt(time(n, () => run(out), reps)));
      const shared = make(true);
      cells.push(fmt(time(n, () => run(shared), reps)));
      await stopWorkerPool();
    }
  }
  console.log(`${name.padEnd(36)} ${cells.map((c) => c.padStart(13)).join(' ')}`);
}

console.log(
  `node ${process.version}; ${availableParallelism()} cores; load average ${load()}; ` +
    `WebAssembly SIMD ${wasmRandomAvailable() ? 'yes' : 'no'}`,
);
console.log('M elements/s: median (best) of N repetitions');
const shapes = [
  ['256x128x3x3', 256 * 128 * 9],
  ['1024x1024', 1024 * 1024],
  ['4096x4096', 4096 * 4096],
];
for (const [shape, n] of quick ? shapes.slice(0, 2) : shapes) {
  const reps = n > 1 << 20 ? 5 : 15;
  const array = (T) => (shared) =>
    shared ? new T(new SharedArrayBuffer(n * T.BYTES_PER_ELEMENT)) : new T(n);
  const f32 = array(Float32Array);
  const f64 = array(Float64Array);
  const words = array(Uint32Array);
  console.log(`\n-- ${shape} (${n} elements) --`);
  const cols = n >= 1 << 22 && threads > 1 ? COLUMNS : COLUMNS.slice(0, 2);
  console.log(`${''.padEnd(36)} ${cols.map((c) => c.padStart(13)).join(' ')}`);
  const words4 = (k0, k1, w) => (f) => {
    for (let b = 0; b < n / 4; b += 1024) f(k0, k1, b, 1024, w);
  };
  const simple = words4(key.k0, key.k1, scratch);
  await row('philox words, straightforward JS', n, words, () => simple(philoxSimple), reps, 'one');
  await row(
    'philox words, philoxBlocks (JS, ×4)',
    n,
    words,
    () => simple((k0, k1, b, m, w) => philoxBlocks(k0, k1, b, 0, 0, m, w)),
    reps,
    'one',
  );
  await row('uniformBits', n, words, (o) => uniformBits(key, o), reps);
  await row('uniform float32', n, f32, (o) => fillUniform(key, o, -0.1, 0.1), reps);
  await row('uniform float64', n, f64, (o) => fillUniform(key, o, -0.1, 0.1), reps);
  await row('normal float32', n, f32, (o) => fillNormal(key, o, 0, 0.02), reps);
  await row('normal float64', n, f64, (o) => fillNormal(key, o, 0, 0.02), reps);
  const trunc = (o) => fillTruncatedNormal(key, o, 0, 0.02, -2, 2);
  await row('truncated normal float32 [-2, 2]', n, f32, trunc, reps);
  if (n === 1 << 20) {
    await row('truncated normal float64 [-2, 2]', n, f64, trunc, reps);
    const m = 1 << 16;
    const small = (T) => () => new T(m);
    const exponential = (o) => fillTruncatedNormal(key, o, 0, 1, 2, 3);
    const uniform = (o) => fillTruncatedNormal(key, o, 0, 1, -0.1, 0.1);
    await row('trunc. f32 [2, 3] (exponential)', m, small(Float32Array), exponential, 5);
    await row('trunc. f32 [-0.1, 0.1] (uniform)', m, small(Float32Array), uniform, 5);
  }
}
console.log(`\nload average after: ${load()}`);
