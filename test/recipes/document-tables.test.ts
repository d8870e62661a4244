/**
 * The source document's two tables, one test per row: "Weight Initialization for RNNs
 * (Recap)" and "Summary". Each checks the strategy, the materialized structure where there is
 * one, and that the reason quotes the row.
 */
import { describe, expect, it } from 'vitest';
import { prepareSpec } from '../../src/init/index.js';
import {
  DOCUMENT,
  type LayerParameter,
  type LayerSpec,
  layerRecipe,
  recommend,
} from '../../src/recipes/index.js';
import { block, materialize, orthogonalityError } from './materialize.js';

const byName = (params: LayerParameter[], name: string) => {
  const p = params.find((q) => q.name === name);
  if (!p) throw new Error(`no parameter ${name}`);
  return p;
};
const values = (p: LayerParameter, seed = 7) => materialize(p.init, p.shape, seed, p.name);

const RNNS: { label: string; spec: LayerSpec; gates: number }[] = [
  { label: 'tanh RNN', spec: { type: 'rnn', inputSize: 5, hiddenSize: 6 }, gates: 1 },
  {
    label: 'ReLU RNN',
    spec: { type: 'rnn', inputSize: 5, hiddenSize: 6, nonlinearity: 'relu' },
    gates: 1,
  },
  { label: 'LSTM', spec: { type: 'lstm', inputSize: 5, hiddenSize: 6 }, gates: 4 },
  { label: 'GRU', spec: { type: 'gru', inputSize: 5, hiddenSize: 6 }, gates: 3 },
];

describe('RNN table', () => {
  it('row "Input weights W_xh — Xavier or He Initialization": Xavier for tanh/sigmoid units, He for ReLU RNNs', () => {
    for (const { label, spec } of RNNS) {
      const w = byName(layerRecipe(spec), 'weight_ih_l0');
      const relu = label === 'ReLU RNN';
      expect(w.role, label).toBe('input-weight');
      expect(w.init, label).toEqual({
        kind: 'strategy',
        spec: relu ? { name: 'he-normal', nonlinearity: 'relu' } : { name: 'xavier-uniform' },
      });
      expect(w.reason, label).toContain(DOCUMENT.rnnInput);
      expect(w.reason, label).toContain(relu ? 'He et al. 2015' : 'Glorot & Bengio 2010');
      // The document's formulas: U(±√(6/(n_in+n_out))) and N(0, 2/n_in).
      const { std } = prepareSpec(
        { ...(w.init as { spec: object }).spec, seed: 0 } as never,
        w.shape,
      ).expected;
      const [out, inp] = w.shape;
      if (relu) expect(std).toBeCloseTo(Math.sqrt(2 / inp), 15);
      else expect(std * Math.sqrt(3)).toBeCloseTo(Math.sqrt(6 / (inp + out)), 15);
    }
  });

  it('row "Recurrent weights W_hh — Orthogonal or Identity Initialization": orthogonal per gate block, identity for ReLU RNNs', () => {
    for (const { label, spec, gates } of RNNS) {
      const w = byName(layerRecipe(spec), 'weight_hh_l0');
      expect(w.role, label).toBe('recurrent-weight');
      expect(w.reason, label).toContain(DOCUMENT.rnnRecurrent);
      const data = values(w);
      const h = 6;
      for (let g = 0; g < gates; g++) {
        const m = block(data, h, g * h, h);
        if (label === 'ReLU RNN') {
          expect(w.reason).toContain('Le et al. 2015');
          expect(m).toEqual(
            Array.from({ length: h }, (_, i) =>
              Array.from({ length: h }, (_, j) => (i === j ? 1 : 0)),
            ),
          );
        } else {
          expect(orthogonalityError(m), `${label} gate ${g}`).toBeLessThan(1e-5);
        }
      }
      if (gates > 1) {
        expect(w.init.kind).toBe('blocks');
        // Each block its own matrix: blocks differ (independent streams).
        expect(block(data, h, 0, h)).not.toEqual(block(data, h, h, h));
      }
    }
  });

  it('row "Biases — Zeros (or small positive for LSTM forget gates)": zeros; LSTM forget gate 1 in bias_ih only', () => {
    for (const { label, spec } of RNNS) {
      const params = layerRecipe(spec);
      const bih = values(byName(params, 'bias_ih_l0'));
      const bhh = values(byName(params, 'bias_hh_l0'));
      expect(byName(params, 'bias_ih_l0').reason, label).toContain(DOCUMENT.rnnBias);
      expect(byName(params, 'bias_hh_l0').reason, label).toContain(DOCUMENT.rnnBias);
      expect(
        [...bhh].every((x) => x === 0),
        label,
      ).toBe(true);
      const effective = [...bih].map((x, i) => x + bhh[i]);
      if (label === 'LSTM') {
        // PyTorch gate order i, f, g, o: the forget gate is rows 6..11.
        expect(effective).toEqual([...Array(6).fill(0), ...Array(6).fill(1), ...Array(12).fill(0)]);
        expect(byName(params, 'bias_ih_l0').reason).toContain('Jozefowicz et al. 2015');
      } else {
        expect(
          effective.every((x) => x === 0),
          label,
        ).toBe(true);
      }
    }
  });

  it('the forget bias is configurable ("small positive") and chrono is an option', () => {
    const two = values(
      byName(
        layerRecipe({ type: 'lstm', inputSize: 2, hiddenSize: 3, forgetBias: 2 }),
        'bias_ih_l0',
      ),
    );
    expect([...two]).toEqual([0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0]);
    const chrono = byName(
      layerRecipe({ type: 'lstm', inputSize: 2, hiddenSize: 3, chrono: { tMax: 50 } }),
      'bias_ih_l0',
    );
    expect(chrono.init).toEqual({
      kind: 'blocks',
      blocks: [
        { rows: 3, label: 'i', init: { kind: 'chrono', tMax: 50, sign: -1, stream: 'chrono' } },
        { rows: 3, label: 'f', init: { kind: 'chrono', tMax: 50, sign: 1, stream: 'chrono' } },
        { rows: 3, label: 'g', init: { kind: 'strategy', spec: { name: 'zeros' } } },
        { rows: 3, label: 'o', init: { kind: 'strategy', spec: { name: 'zeros' } } },
      ],
    });
    expect(chrono.reason).toContain('Tallec & Ollivier 2018');
  });
});

describe('Summary table', () => {
  const dense = (activation: string) =>
    layerRecipe({ type: 'dense', inFeatures: 64, outFeatures: 32, activation } as LayerSpec);

  it('row "Xavier — tanh/sigmoid activations"', () => {
    for (const activation of ['tanh', 'sigmoid']) {
      const [w] = dense(activation);
      expect(w.init).toEqual({ kind: 'strategy', spec: { name: 'xavier-uniform' } });
      expect(w.reason).toContain(DOCUMENT.xavier);
      expect(w.paper).toContain('Glorot & Bengio 2010');
    }
  });

  it('row "He — ReLU activations"', () => {
    const [w] = dense('relu');
    expect(w.init).toEqual({ kind: 'strategy', spec: { name: 'he-normal', nonlinearity: 'relu' } });
    expect(w.reason).toContain(DOCUMENT.he);
    const spec = { ...(w.init as { spec: object }).spec, seed: 0 } as never;
    expect(prepareSpec(spec, w.shape).expected.std).toBe(Math.sqrt(2) / Math.sqrt(64));
  });

  it('row "Orthogonal — RNNs, long sequences"', () => {
    for (const type of ['rnn', 'lstm', 'gru'] as const) {
      const w = byName(layerRecipe({ type, inputSize: 3, hiddenSize: 4 }), 'weight_hh_l0');
      expect(w.reason).toContain(DOCUMENT.orthogonal);
      const leaf = w.init.kind === 'blocks' ? w.init.blocks[0].init : w.init;
      expect(leaf).toEqual({ kind: 'strategy', spec: { name: 'orthogonal' } });
    }
  });

  it('row "Identity — ReLU-RNNs"', () => {
    const w = byName(
      layerRecipe({ type: 'rnn', inputSize: 3, hiddenSize: 4, nonlinearity: 'relu' }),
      'weight_hh_l0',
    );
    expect(w.init).toEqual({ kind: 'strategy', spec: { name: 'identity' } });
    expect(w.reason).toContain(DOCUMENT.identity);
  });

  it('row "Zero (bias only) — bias terms": every recommended bias is zero and no weight is', () => {
    const layers: LayerSpec[] = [
      { type: 'dense', inFeatures: 4, outFeatures: 3, activation: 'relu' },
      { type: 'conv2d', inChannels: 2, outChannels: 4, kernelSize: 3 },
      { type: 'conv-transpose1d', inChannels: 2, outChannels: 4, kernelSize: 3 },
      { type: 'rnn', inputSize: 3, hiddenSize: 4 },
      { type: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2 },
      { type: 'attention', embedDim: 4, numHeads: 2 },
    ];
    for (const spec of layers) {
      for (const p of layerRecipe(spec)) {
        const data = values(p);
        const zero = data.every((x) => x === 0);
        const isBias = p.role === 'bias' || p.role === 'input-bias' || p.role === 'recurrent-bias';
        expect(zero, `${spec.type} ${p.name}`).toBe(isBias);
      }
    }
    expect(recommend({ layer: 'dense' }).parameters[1].reason).toContain(DOCUMENT.zeroBias);
  });
});
