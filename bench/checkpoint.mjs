// The checkpoint benchmark by hand: `weightinit init` of a big spec against the time to
// generate its values and the time dd takes to write as many bytes (src/bench/checkpoint.ts).
// Usage: npm run build && node bench/checkpoint.mjs [spec.json] [--dtype bfloat16] [--dir DIR]
//   [--repeat N] [--keep]   (N interleaved rounds, each figure the best of them)
import { benchCheckpoint } from '../dist/bench/checkpoint.js';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const keep = args.includes('--keep');
if (keep) args.splice(args.indexOf('--keep'), 1);
const dtype = flag('--dtype') ?? 'bfloat16';
const dir = flag('--dir');
const repeat = Number(flag('--repeat') ?? 1);
const spec = args[0] ?? 'examples/transformer-1b.json';

const r = await benchCheckpoint({ spec, dtype, dir, keep, repeat });
const s = (x) => `${x.toFixed(2)} s`;
console.log(
  `${spec}, ${dtype}: ${r.params.toLocaleString('en-US')} parameters, ${(r.bytes / 1e9).toFixed(2)} GB`,
);
console.log(`  wall (weightinit init)   ${s(r.wallSeconds)}  (CPU ${s(r.wallCpuSeconds)})`);
console.log(
  `  generate (no file)       ${s(r.generateSeconds)}  on ${r.workers} threads (CPU ${s(r.generateCpuSeconds)})`,
);
console.log(`  dd (same bytes, fsync)   ${s(r.ddSeconds)}`);
console.log(`  ratio wall / max(gen, dd) ${r.ratio.toFixed(2)}  (target <= 1.25)`);
console.log(
  `  peak RSS                 ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB  (target <= 256 MB)`,
);
console.log(
  `  load average             ${r.loadAverageBefore.join(' ')} before, ${r.loadAverage.join(' ')} after`,
);
if (r.repeat > 1) console.log(`  (best of ${r.repeat} rounds)`);
