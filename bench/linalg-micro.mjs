// Micro-benchmark of src/linalg: orthogonalize (PyTorch's orthogonal_ recipe: Householder QR
// with the sign fix) on Gaussian matrices, plus the QR variants at small sizes.
//
//   npx tsc -p tsconfig.build.json && node bench/linalg-micro.mjs [options]
//     --quick        fewer and smaller shapes
//     --js           also time the JavaScript kernels (WebAssembly off): the fallback path
//     --cold         also time the first call in a fresh process (JIT not warm), one per shape
//     --json         one JSON object per line instead of a table
//     --no-pool      skip the worker-pool column
//     --threads N    threads of the worker pool (default: the available parallelism)
//     --min-work N   the pool splits updates of at least N multiply–adds (default: the library's)
//
// WEIGHTINIT_AB=/path/to/dist compares that build (B) with this one (A) in one process, at 512²
// and 1024², on one thread and on the pool, interleaved call by call: on a shared machine,
// separate runs differ by tens of percent, interleaved ones by a few. Per case: min and median of
// A and B, and the median and quartiles of the per-pair ratio B/A (below 1: B is faster).
//
// With the worker pool (weightinit/node's startWorkerPool; here its QR part), `poolMs` and
// `poolMedianMs` are the min and median wall times on all threads, `poolGflops` the GFLOP/s of
// the min, and `same` says whether its result has the bits of the one-thread run.
//
// Per shape: min and median wall time (ms) of warm calls, CPU time (ms) of the fastest, and the
// GFLOP/s of the min, counting 4·M·N² − 4N³/3 flops (dgeqrf + dorgqr) for M = max(rows, cols),
// N = min(rows, cols). On a shared machine prefer the min and the CPU time.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setWasmKernels } from '../dist/linalg/kernels.js';
import { orthogonalize } from '../dist/linalg/orthogonal.js';
import { linalgPoolReady, startLinalgPool, stopLinalgPool } from '../dist/linalg/pool-node.js';
import { householderQR } from '../dist/linalg/qr.js';
import { householderQRReference } from '../dist/linalg/reference.js';

const argv = process.argv.slice(2);
const args = new Set(argv);
const threadsArg = argv.indexOf('--threads');
const threads = threadsArg >= 0 ? Number(argv[threadsArg + 1]) : undefined;
const minWorkArg = argv.indexOf('--min-work');
const poolOptions = {
  ...(threads === undefined ? {} : { threads }),
  ...(minWorkArg >= 0 ? { minWork: Number(argv[minWorkArg + 1]) } : {}),
};

/** Standard normal matrix from a seeded mulberry32 + Box–Muller (benchmark input only). */
function gaussian(size, seed) {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(size);
  for (let i = 0; i < size; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < size) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

const flops = (rows, cols) => {
  const M = Math.max(rows, cols);
  const N = Math.min(rows, cols);
  return 4 * M * N * N - (4 * N * N * N) / 3;
};

/** Runs `f` once to warm up, then `runs` times: { min, median, cpu } in ms. */
function time(f, runs) {
  f();
  const walls = [];
  let cpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  walls.sort((x, y) => x - y);
  return { min: walls[0], median: walls[Math.floor(walls.length / 2)], cpu };
}

const round = (x) => Math.round(x * 10) / 10;

// Child mode: one cold call.
if (process.argv[2] === '--cold-child') {
  const [r, c] = process.argv.slice(3).map(Number);
  const a = gaussian(r * c, 1234);
  const t0 = performance.now();
  orthogonalize(a, r, c);
  process.stdout.write(String(performance.now() - t0));
  process.exit(0);
}

// A/B mode: this build against WEIGHTINIT_AB's, interleaved.
if (process.env.WEIGHTINIT_AB) {
  const dists = [new URL('../dist', import.meta.url).pathname, process.env.WEIGHTINIT_AB];
  const builds = [];
  for (const d of dists) {
    builds.push({
      orthogonalize: (await import(`${d}/linalg/orthogonal.js`)).orthogonalize,
      pool: await import(`${d}/linalg/pool-node.js`),
    });
  }
  const quantile = (x, p) => [...x].sort((u, v) => u - v)[Math.floor(p * (x.length - 1))];
  const f = (x) => x.toFixed(3);
  console.log(`A = ${dists[0]}\nB = ${dists[1]}`);
  for (const pooled of [false, true]) {
    for (const b of builds) {
      if (pooled) b.pool.startLinalgPool(poolOptions);
      await b.pool.linalgPoolReady();
    }
    for (const n of [512, 1024]) {
      const a = gaussian(n * n, 1234);
      const ms = builds.map(() => []);
      const ratios = [];
      for (const b of builds) for (let i = 0; i < 2; i++) b.orthogonalize(a, n, n);
      for (let r = 0; r < (n === 512 ? 41 : 15); r++) {
        const t = builds.map((b) => {
          const t0 = performance.now();
          b.orthogonalize(a, n, n);
          return performance.now() - t0;
        });
        for (let i = 0; i < t.length; i++) ms[i].push(t[i]);
        ratios.push(t[1] / t[0]);
      }
      const [ma, mb] = ms.map((x) => `min ${f(quantile(x, 0))} median ${f(quantile(x, 0.5))} ms`);
      const q = [0.25, 0.5, 0.75].map((p) => f(quantile(ratios, p)));
      console.log(
        `${pooled ? 'pool' : 'one thread'} ${n}²: A ${ma} | B ${mb} | B/A ${q[1]} [${q[0]}, ${q[2]}]`,
      );
    }
    for (const b of builds) await b.pool.stopLinalgPool();
  }
  process.exit(0);
}

const shapes = args.has('--quick')
  ? [
      [256, 256],
      [512, 512],
      [1024, 1024],
      [1024, 256],
      [256, 1024],
    ]
  : [
      [256, 256],
      [512, 512],
      [1024, 1024],
      [2048, 2048],
      [2048, 512],
      [512, 2048],
      [4096, 256],
      [256, 4096],
    ];

const results = [];
for (const [r, c] of shapes) {
  const a = gaussian(r * c, 1234);
  const size = r * c;
  const runs = size >= 2048 * 2048 ? 3 : size >= 1024 * 1024 ? 5 : 9;
  const t = time(() => orthogonalize(a, r, c), runs);
  const row = {
    shape: `${r}x${c}`,
    ms: round(t.min),
    medianMs: round(t.median),
    cpuMs: round(t.cpu),
    gflops: round(flops(r, c) / t.min / 1e6),
  };
  if (!args.has('--no-pool')) {
    const one = orthogonalize(a, r, c);
    startLinalgPool(poolOptions);
    await linalgPoolReady();
    const p = time(() => orthogonalize(a, r, c), runs);
    const q = orthogonalize(a, r, c);
    await stopLinalgPool();
    row.poolMs = round(p.min);
    row.poolMedianMs = round(p.median);
    row.poolGflops = round(flops(r, c) / p.min / 1e6);
    row.same = one.every((v, i) => Object.is(v, q[i]));
  }
  if (args.has('--js')) {
    setWasmKernels(false);
    row.jsMs = round(time(() => orthogonalize(a, r, c), Math.min(runs, 3)).min);
    setWasmKernels(true);
  }
  if (args.has('--cold')) {
    const self = fileURLToPath(import.meta.url);
    const out = spawnSync(process.execPath, [self, '--cold-child', String(r), String(c)], {
      encoding: 'utf8',
    });
    row.coldMs = round(Number(out.stdout));
  }
  if (r >= c && size <= 512 * 512) {
    row.unblockedMs = round(time(() => householderQR(a, r, c, { blockSize: c }), runs).min);
    row.referenceMs = round(time(() => householderQRReference(a, r, c), 3).min);
  }
  results.push(row);
  if (args.has('--json')) console.log(JSON.stringify(row));
}
if (!args.has('--json')) console.table(results);
