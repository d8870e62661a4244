// Micro-benchmark of src/linalg: Householder QR and orthogonalize on Gaussian matrices.
// Build first (`npx tsc -p tsconfig.build.json`), then `node bench/linalg-micro.mjs [--quick]`.
// Prints ms per call (median of several runs after a warm-up) and the GFLOP/s that means,
// counting 4·M·N² − 4N³/3 flops (dgeqrf + dorgqr) for M = max(rows, cols), N = min(rows, cols).
import { orthogonalize } from '../dist/linalg/orthogonal.js';
import { householderQR } from '../dist/linalg/qr.js';
import { householderQRReference } from '../dist/linalg/reference.js';

const quick = process.argv.includes('--quick');

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

function time(f, runs) {
  f(); // warm-up (and JIT)
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  ts.sort((x, y) => x - y);
  return ts[Math.floor(ts.length / 2)];
}

const flops = (rows, cols) => {
  const M = Math.max(rows, cols);
  const N = Math.min(rows, cols);
  return 4 * M * N * N - (4 * N * N * N) / 3;
};

const shapes = quick
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

const rows = [];
for (const [r, c] of shapes) {
  const a = gaussian(r * c, 1234);
  const big = r * c >= 2048 * 2048;
  const runs = big ? 3 : r * c >= 1024 * 1024 ? 5 : 9;
  const ms = time(() => orthogonalize(a, r, c), runs);
  const row = {
    shape: `${r}x${c}`,
    orthogonalizeMs: +ms.toFixed(1),
    gflops: +(flops(r, c) / ms / 1e6).toFixed(2),
  };
  if (r >= c && r * c <= 512 * 512) {
    const blocked = time(() => householderQR(a, r, c, { blockSize: 32 }), runs);
    const unblocked = time(() => householderQR(a, r, c, { blockSize: c }), runs);
    const reference = time(() => householderQRReference(a, r, c), 3);
    Object.assign(row, {
      qrBlockedMs: +blocked.toFixed(1),
      qrUnblockedMs: +unblocked.toFixed(1),
      referenceMs: +reference.toFixed(1),
    });
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}
