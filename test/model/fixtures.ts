/** Hand-written layer recipes (the contract of src/recipes/types.ts) for model tests. */
import type { LayerParameters } from '../../src/model/plan.js';
import type { ParameterRecipe, ParamInit } from '../../src/recipes/types.js';

const strategy = (name: string, options: Record<string, unknown> = {}): ParamInit => ({
  kind: 'strategy',
  spec: { name, ...options },
});

const param = (
  name: string,
  shape: number[],
  init: ParamInit,
  role: ParameterRecipe['role'] = 'weight',
): ParameterRecipe => ({ name, shape, role, init, reason: `test reason for ${name}` });

/** An LSTM layer (one direction) with the document's recipe: orthogonal/xavier gates, chrono bias. */
export function lstm(name: string, input: number, hidden: number, tMax = 10): LayerParameters {
  const gates = ['i', 'f', 'g', 'o'];
  const blocks = (init: (label: string) => ParamInit): ParamInit => ({
    kind: 'blocks',
    blocks: gates.map((label) => ({ rows: hidden, label, init: init(label) })),
  });
  return {
    name,
    parameters: [
      param(
        'weight_ih_l0',
        [4 * hidden, input],
        blocks(() => strategy('xavier-uniform')),
        'input-weight',
      ),
      param(
        'weight_hh_l0',
        [4 * hidden, hidden],
        blocks(() => strategy('orthogonal')),
        'recurrent-weight',
      ),
      param(
        'bias_ih_l0',
        [4 * hidden],
        blocks((g) =>
          g === 'i'
            ? { kind: 'chrono', tMax, sign: -1, stream: 'chrono' }
            : g === 'f'
              ? { kind: 'chrono', tMax, sign: 1, stream: 'chrono' }
              : strategy('zeros'),
        ),
        'input-bias',
      ),
      param('bias_hh_l0', [4 * hidden], strategy('zeros'), 'recurrent-bias'),
    ],
  };
}

/** A dense layer: He normal for ReLU, zero bias. */
export function dense(name: string, inF: number, outF: number): LayerParameters {
  return {
    name,
    parameters: [
      param('weight', [outF, inF], strategy('kaiming_normal', { nonlinearity: 'relu' })),
      param('bias', [outF], strategy('zeros'), 'bias'),
    ],
  };
}

/** A layer norm: ones and zeros. */
export function layerNorm(name: string, n: number): LayerParameters {
  return {
    name,
    parameters: [
      param('weight', [n], strategy('ones'), 'norm-weight'),
      param('bias', [n], strategy('zeros'), 'norm-bias'),
    ],
  };
}

/** A small model touching every kind of init. */
export const smallModel = (): LayerParameters[] => [
  dense('fc1', 12, 16),
  lstm('rnn', 16, 8),
  layerNorm('norm', 8),
  {
    name: 'head',
    parameters: [
      param('weight', [5, 8], strategy('truncated-normal', { std: 0.02 })),
      param('bias', [5], strategy('uniform', { low: -0.1, high: 0.1 }), 'bias'),
    ],
  },
];
