// Regenerates test/fixtures/report/lab-small.json: every lab experiment at small sizes, run by
// the real lab code (the built package: `npm run build` first). The report tests read it.
import { writeFileSync } from 'node:fs';
import { propagation } from '../dist/lab/propagation.js';
import { rnn } from '../dist/lab/rnn.js';
import { spectrum } from '../dist/lab/spectrum.js';
import { symmetry } from '../dist/lab/symmetry.js';
import { theory } from '../dist/lab/theory-experiment.js';
import { train } from '../dist/lab/train.js';

const reports = [
  await propagation({
    depth: 10,
    width: 32,
    batch: 32,
    strategies: [
      'zeros',
      'normal:std=0.01',
      'normal:std=1',
      'xavier-uniform',
      'he-normal',
      'orthogonal',
    ],
    bins: 20,
    histogramLayers: [1, 5, 10],
  }),
  await symmetry({ hidden: [8, 6], examples: 32, steps: 40 }),
  await rnn({ steps: 40, hidden: 16, batch: 4 }),
  await spectrum({ depths: [2, 8], width: 16, samples: 1 }),
  await theory({
    sigmaW2: [0.5, 1, 2, 3],
    sigmaB2: [0, 0.3],
    checkDepth: 8,
    checkWidth: 32,
    checkBatch: 16,
  }),
  await train({
    seeds: [0, 1],
    strategies: ['zeros', 'xavier-uniform', 'he-normal'],
    rnnStrategies: ['identity', 'orthogonal', 'normal:std=0.01'],
    teacherStudent: { steps: 40, examples: 32, depth: 4, width: 16 },
    spirals: { steps: 40, examples: 40, width: 16 },
    adding: { steps: 30, examples: 16, length: 8, width: 8, activations: ['relu'] },
  }),
];
// Round to 4 significant digits and drop timings: a small, stable fixture.
const round = (_k, v) =>
  typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v;
const stable = reports.map((r) => ({ ...r, timeMs: 0, cpuMs: null }));
writeFileSync(
  new URL('../test/fixtures/report/lab-small.json', import.meta.url),
  `${JSON.stringify({ version: 1, reports: stable }, round)}\n`,
);
