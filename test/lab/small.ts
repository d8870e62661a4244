/** A small configuration of every experiment, for tests of the whole lab. */
import type { LabConfig } from '../../src/lab/index.js';

/** Every experiment at sizes that run in a few seconds altogether. */
export const SMALL: LabConfig = {
  propagation: { depth: 6, width: 32, batch: 16, bins: 8 },
  symmetry: { hidden: [8, 6], examples: 32, steps: 30 },
  rnn: { steps: 30, hidden: 8, batch: 4 },
  spectrum: { depths: [2, 4], width: 16, samples: 1 },
  theory: {
    sigmaW2: [1.5, 2.5],
    sigmaB2: [0.3],
    criticalSigmaB2: [0, 0.3],
    checkDepth: 12,
    checkWidth: 64,
    checkBatch: 16,
  },
  train: {
    seeds: [0, 1],
    strategies: ['normal:std=0.01', 'he-normal'],
    rnnStrategies: ['identity', 'orthogonal'],
    teacherStudent: { steps: 20, examples: 16, depth: 3, width: 8 },
    spirals: { steps: 20, examples: 16, width: 8 },
    adding: { steps: 5, examples: 8, length: 4, width: 4, activations: ['relu'] },
  },
};
