/**
 * The two schemes, as tables from a slot's kind to its initialization and reason:
 * `recommended` (the document's tables and the papers behind them) and `torch-default`
 * (what PyTorch's modules do in `reset_parameters`).
 */
import type { InitSpec } from '../init/registry.js';
import { exp, log } from '../random/index.js';
import { ACTIVATION_RULES, type Activation, weightSpec } from './activations.js';
import type { Residual } from './layers.js';
import { because, DOCUMENT, PAPERS } from './sources.js';
import type { Slot, SlotOf } from './structure.js';
import type { ParamInit } from './types.js';

/** Which initialization a recipe follows. */
export type Scheme = 'recommended' | 'torch-default';
export const SCHEMES: readonly Scheme[] = ['recommended', 'torch-default'];

/** A scheme's answer for one slot. */
export interface Choice {
  readonly init: ParamInit;
  readonly reason: string;
  /** The papers, full citations joined by `; `. */
  readonly paper: string;
  /**
   * Options of `init` (a strategy) whose value follows from the layer's sizes, as formulas:
   * what `recommend` shows when no sizes were given.
   */
  readonly symbolic?: Readonly<Record<string, string>>;
}

type Handlers = { readonly [K in Slot['kind']]: (slot: SlotOf<K>) => Choice };

const strategy = (spec: InitSpec): ParamInit => ({ kind: 'strategy', spec });
const ZEROS = strategy({ name: 'zeros' });
const ONES = strategy({ name: 'ones' });

function choice(
  init: ParamInit,
  what: string,
  row: string,
  papers: readonly string[],
  symbolic?: Readonly<Record<string, string>>,
): Choice {
  return { init, reason: because(what, row, ...papers), paper: papers.join('; '), symbolic };
}

/** Each block of `rows` rows its own `init` (PyTorch layout: blocks along dim 0). */
function gateBlocks(gates: readonly string[], rows: number, init: (gate: string) => ParamInit) {
  const blocks = gates.map((label) => ({ rows, label, init: init(label) }));
  return { kind: 'blocks', blocks } as const;
}

/**
 * Fixup's scale of the weight layers of a residual branch other than its last (Zhang et al.
 * 2019, "Fixup Initialization"): L^(−1/(2m−2)), L the number of residual branches and m the
 * weight layers per branch (m ≥ 2), so that the sum of L branches keeps a bounded variance
 * at the start. Computed with `+ − × ÷ √` and the library's fdlibm-exact `log`/`exp`, so the
 * gain (and the tensors) are the same on every engine; exactly 1/√L for m = 2.
 * @example fixupScale(16, 2) // 0.25
 * @example fixupScale(16, 3) // ≈ 0.5 (16^(−1/4))
 */
export function fixupScale(depth: number, branchLayers: number): number {
  const k = 2 * branchLayers - 2;
  return k === 2 ? 1 / Math.sqrt(depth) : exp(-log(depth) / k);
}

/** An embedding weight: `base` everywhere but the padding row, which stays 0 (PyTorch). */
function withPaddingRow(base: ParamInit, rows: number, paddingIdx: number | undefined): ParamInit {
  if (paddingIdx === undefined) return base;
  const blocks = [
    { rows: paddingIdx, label: 'rows before padding', init: base },
    { rows: 1, label: 'padding row', init: ZEROS },
    { rows: rows - paddingIdx - 1, label: 'rows after padding', init: base },
  ].filter((b) => b.rows > 0);
  return { kind: 'blocks', blocks };
}

const NORM_PAPER: Readonly<Record<string, string>> = {
  layernorm: PAPERS.layerNorm,
  groupnorm: PAPERS.groupNorm,
  batchnorm1d: PAPERS.batchNorm,
  batchnorm2d: PAPERS.batchNorm,
  batchnorm3d: PAPERS.batchNorm,
};

const ZERO_BIAS_WHY = 'zeros: the weights already break the symmetry between units';
const PADDING_NOTE = '; the padding row stays 0, as PyTorch keeps it';
const BUFFER_NOTE = 'a float buffer of state_dict(), as PyTorch starts it';

/** The weight of a dense/conv/attention-output layer, per the activation table and its place. */
function recommendedWeight(slot: SlotOf<'weight'>): Choice {
  const { activation, slope, residual, output } = slot.context;
  if (output?.zeroInit) {
    return choice(
      ZEROS,
      'zeros: an output (logits) layer may start at 0 — the first predictions are uniform, and its gradient (p − y)·hᵀ is not 0, so it learns at once (Fixup zeroes the classification layer)',
      DOCUMENT.none,
      [PAPERS.fixup],
    );
  }
  if (residual?.last && residual.zeroInit) return zeroLastLayer(residual, 'weight');
  const rule = ACTIVATION_RULES[activation];
  const papers = [...rule.papers];
  let scale = 1;
  let note = '';
  if (residual?.fixup) {
    scale = fixupScale(residual.depth!, residual.branchLayers);
    note += `; layer ${residual.position} of ${residual.branchLayers} of a residual branch, scaled by L^(−1/(2m−2)) = ${residual.depth}^(−1/${2 * residual.branchLayers - 2}) ≈ ${Number(scale.toPrecision(6))} (Fixup)`;
    papers.push(PAPERS.fixup);
  }
  let extra: Record<string, unknown> = {};
  let symbolic: Record<string, string> | undefined;
  if (slot.transposed) {
    extra = { fanIn: slot.fans.fanIn, fanOut: slot.fans.fanOut };
    symbolic = {
      fanIn: 'in_channels / groups · ∏kernel_size',
      fanOut: 'out_channels · ∏kernel_size',
    };
    note +=
      '; fans of the forward pass (fan_in = in_channels/groups·∏kernel, fan_out = out_channels·∏kernel, those of the Conv with the same channels), not the swapped ones PyTorch reads from the [in, out/groups, …] tensor';
  }
  if (output)
    note += '; an output (logits) layer: its activation is the loss’s link, the logits are linear';
  if (slot.module === 'attention') note += '; the attention’s output projection';
  return choice(
    strategy(weightSpec(activation, slope, scale, extra)),
    `${rule.why}${note}`,
    rule.row,
    papers,
    symbolic,
  );
}

/** The last layer of a residual branch, zeroed (Fixup for a weight, zero-γ for a norm). */
function zeroLastLayer(residual: Residual, what: 'weight' | 'norm'): Choice {
  if (what === 'norm')
    return choice(
      ZEROS,
      'zeros (zero-γ): the last normalization of a residual branch starts at 0, so the branch starts as the identity',
      DOCUMENT.none,
      [PAPERS.zeroGamma],
    );
  return choice(
    ZEROS,
    residual.fixup
      ? 'zeros: Fixup starts the last layer of each residual branch at 0, so every branch starts as the identity and the output variance does not grow with depth'
      : 'zeros: the last layer of a residual branch starts at 0, so the branch starts as the identity (zero-γ applied to the weight)',
    DOCUMENT.none,
    residual.fixup ? [PAPERS.fixup] : [PAPERS.fixup, PAPERS.zeroGamma],
  );
}

type RecurrentSlot = SlotOf<'input-weight'>;

/** The activation table row that scales a recurrent layer's input weights. */
function inputActivation(slot: RecurrentSlot): Activation {
  return slot.layer.nonlinearity === 'relu' ? 'relu' : 'tanh';
}

function gatesText(slot: RecurrentSlot): string {
  return slot.layer.type === 'rnn'
    ? `a ${slot.layer.nonlinearity} RNN`
    : `the sigmoid/tanh gates (${slot.gates.join(', ')})`;
}

/** The document's recommendations, with the papers behind them. */
export const RECOMMENDED: Handlers = {
  weight: recommendedWeight,
  bias: () => choice(ZEROS, ZERO_BIAS_WHY, DOCUMENT.zeroBias, [PAPERS.glorot]),
  embedding: (slot) =>
    choice(
      withPaddingRow(strategy({ name: 'normal' }), slot.shape[0], slot.paddingIdx),
      `N(0, 1): a lookup has no fan-in to divide by; unit variance gives the next layer the zero-mean, unit-variance inputs its Xavier/He scaling assumes (PyTorch's default too)${slot.paddingIdx === undefined ? '' : PADDING_NOTE}`,
      DOCUMENT.none,
      [PAPERS.lecun],
    ),
  'norm-weight': (slot) =>
    slot.residual?.last && slot.residual.zeroInit
      ? zeroLastLayer(slot.residual, 'norm')
      : choice(ONES, 'ones: the normalized activations pass unscaled (γ = 1)', DOCUMENT.none, [
          NORM_PAPER[slot.layer.type],
        ]),
  'norm-bias': (slot) =>
    choice(ZEROS, 'zeros: no shift (β = 0)', DOCUMENT.zeroBias, [NORM_PAPER[slot.layer.type]]),
  'running-mean': (slot) =>
    choice(ZEROS, `zeros: ${BUFFER_NOTE}`, DOCUMENT.none, [NORM_PAPER[slot.layer.type]]),
  'running-var': (slot) =>
    choice(ONES, `ones: ${BUFFER_NOTE}`, DOCUMENT.none, [NORM_PAPER[slot.layer.type]]),
  'input-weight': (slot) => {
    const activation = inputActivation(slot);
    const rule = ACTIVATION_RULES[activation];
    const whole =
      slot.gates.length > 1
        ? `, on the whole stacked [${slot.gates.length}·hidden, input] matrix: one map from x to every gate, so fan_out counts all its units`
        : '';
    const what =
      activation === 'relu'
        ? 'He normal, N(0, 2/fan_in): the input map of a ReLU RNN, scaled for the rectifier'
        : `Xavier uniform, gain 1, for ${gatesText(slot)}${whole}`;
    return choice(
      strategy(weightSpec(activation, undefined)),
      what,
      `${DOCUMENT.rnnInput}; ${rule.row}`,
      activation === 'relu' ? [PAPERS.he, PAPERS.irnn] : [PAPERS.glorot],
    );
  },
  'recurrent-weight': (slot) => {
    const { recurrent, recurrentGain, hiddenSize, type, nonlinearity } = slot.layer;
    const spec: InitSpec =
      recurrentGain === 1 ? { name: recurrent } : { name: recurrent, gain: recurrentGain };
    const gain = recurrentGain === 1 ? '' : ` × ${recurrentGain}`;
    const perGate = slot.gates.length > 1;
    const init = perGate
      ? gateBlocks(slot.gates, hiddenSize, () => strategy(spec))
      : strategy(spec);
    const blocks = perGate
      ? `, per gate block: each hidden×hidden block (${slot.gates.join(', ')}) its own matrix`
      : '';
    if (recurrent === 'identity') {
      const chosen =
        type === 'rnn' && nonlinearity === 'relu'
          ? ''
          : ' (as chosen: the document recommends identity for ReLU RNNs)';
      return choice(
        init,
        `identity${gain} (IRNN)${blocks}: with ReLU the hidden state passes unchanged across time steps early in training${chosen}`,
        `${DOCUMENT.rnnRecurrent}; ${DOCUMENT.identity}`,
        [PAPERS.irnn],
      );
    }
    const why = perGate
      ? ' (one orthogonal stacked matrix would not make each gate’s map orthogonal)'
      : '';
    return choice(
      init,
      `orthogonal${gain}${blocks}: all singular values 1, so the hidden state keeps its norm through time steps and gradients through time neither vanish nor explode at the start${why}`,
      `${DOCUMENT.rnnRecurrent}; ${DOCUMENT.orthogonal}`,
      [PAPERS.saxe],
    );
  },
  'projection-weight': () =>
    choice(
      strategy(weightSpec('linear', undefined)),
      'Xavier uniform, gain 1: weight_hr is a linear projection of the hidden state',
      DOCUMENT.xavier,
      [PAPERS.glorot],
    ),
  'input-bias': (slot) => {
    const { type, chrono, forgetBias, hiddenSize } = slot.layer;
    if (type === 'lstm' && (chrono !== undefined || forgetBias !== 0)) {
      const f = slot.gates.indexOf('f');
      const where = `the forget gate's block (f, gate ${f + 1} of ${slot.gates.join(', ')})`;
      const only =
        'in bias_ih only (bias_hh is 0), so the effective bias b_ih + b_hh PyTorch adds is the one asked for';
      if (chrono !== undefined) {
        const sign = { i: -1, f: 1 } as const;
        return choice(
          gateBlocks(slot.gates, hiddenSize, (g) =>
            g === 'i' || g === 'f'
              ? { kind: 'chrono', tMax: chrono.tMax, sign: sign[g], stream: 'chrono' }
              : ZEROS,
          ),
          `chrono (T_max = ${chrono.tMax}): b_f ~ log U(1, T_max − 1) in ${where}, b_i = −b_f from the same draws, other gates 0 — forget time constants spread up to T_max; ${only}`,
          DOCUMENT.rnnBias,
          [PAPERS.chrono],
        );
      }
      return choice(
        gateBlocks(slot.gates, hiddenSize, (g) =>
          g === 'f' ? strategy({ name: 'constant', value: forgetBias }) : ZEROS,
        ),
        `zeros, and ${forgetBias} in ${where}: the cell keeps its state by default, so gradients flow through long sequences; ${only}`,
        DOCUMENT.rnnBias,
        [PAPERS.forgetBias],
      );
    }
    const gru = type === 'gru' ? ' (a GRU has no forget gate)' : '';
    return choice(
      ZEROS,
      `zeros${gru}: the weights already break the symmetry`,
      `${DOCUMENT.rnnBias}; ${DOCUMENT.zeroBias}`,
      [PAPERS.glorot],
    );
  },
  'recurrent-bias': (slot) =>
    choice(
      ZEROS,
      slot.layer.type === 'lstm'
        ? 'zeros: the second bias vector (cuDNN’s); the forget-gate bias lives in bias_ih only, so b_ih + b_hh is the bias asked for'
        : 'zeros: the second bias vector (cuDNN’s), added to bias_ih',
      `${DOCUMENT.rnnBias}; ${DOCUMENT.zeroBias}`,
      [PAPERS.glorot],
    ),
  'qkv-weight': (slot) => {
    const xavier = strategy(weightSpec('linear', undefined));
    if (slot.parts.length === 1)
      return choice(
        xavier,
        `Xavier uniform, gain 1: the ${slot.parts[0]} projection is a linear map`,
        DOCUMENT.xavier,
        [PAPERS.glorot, PAPERS.attention],
      );
    return choice(
      gateBlocks(slot.parts, slot.shape[1], () => xavier),
      'Xavier uniform, gain 1, for each of q, k, v ([E, E] blocks of in_proj_weight): three linear maps of possibly different inputs, each with fan_in = fan_out = E (PyTorch’s xavier_uniform_ of the whole [3E, E] has a bound √2 smaller)',
      DOCUMENT.xavier,
      [PAPERS.glorot, PAPERS.attention],
    );
  },
  'attention-bias': () =>
    choice(ZEROS, ZERO_BIAS_WHY, DOCUMENT.zeroBias, [PAPERS.glorot, PAPERS.attention]),
  'bias-kv': () =>
    choice(
      strategy({ name: 'xavier-normal' }),
      'N(0, 1/E) (PyTorch’s xavier_normal_ of [1, 1, E]): learned key/value rows on the scale of projected keys',
      DOCUMENT.none,
      [PAPERS.torch],
    ),
};

/** PyTorch's `kaiming_uniform_(a=√5)`: U(±1/√fan_in), the default of Linear and Conv weights. */
const TORCH_WEIGHT = strategy({ name: 'he-uniform', slope: Math.sqrt(5) });

/** U(±1/√fan), or zeros when fan = 0 (PyTorch's bound 0). */
function torchUniform(fan: number, what: string, fanName: string): Choice {
  const bound = fan > 0 ? 1 / Math.sqrt(fan) : 0;
  const init = bound > 0 ? strategy({ name: 'uniform', low: -bound, high: bound }) : ZEROS;
  return choice(init, `U(±1/√${fanName}) ${what}`, DOCUMENT.torch, [PAPERS.torch], {
    low: `−1/√${fanName}`,
    high: `1/√${fanName}`,
  });
}

const torchConstant = (init: ParamInit, what: string) =>
  choice(init, what, DOCUMENT.torch, [PAPERS.torch]);

/** What PyTorch's modules do by default (their `reset_parameters`). */
export const TORCH_DEFAULT: Handlers = {
  weight: (slot) =>
    choice(
      TORCH_WEIGHT,
      `kaiming_uniform_(a=√5), i.e. U(±1/√fan_in), as nn.${slot.module === 'dense' || slot.module === 'attention' ? 'Linear' : slot.transposed ? 'ConvTranspose' : 'Conv'} does${slot.transposed ? '; fan_in from the tensor as PyTorch reads it: dim 1 (out_channels/groups) × ∏kernel' : ''}${slot.module === 'attention' ? ' (out_proj is a Linear)' : ''}`,
      DOCUMENT.torch,
      [PAPERS.torch],
    ),
  bias: (slot) =>
    torchUniform(slot.torchFanIn, 'with the weight’s fan_in (0 when fan_in is 0)', 'fan_in'),
  embedding: (slot) =>
    torchConstant(
      withPaddingRow(strategy({ name: 'normal' }), slot.shape[0], slot.paddingIdx),
      `normal_(): N(0, 1), as nn.Embedding does${slot.paddingIdx === undefined ? '' : PADDING_NOTE}`,
    ),
  'norm-weight': () => torchConstant(ONES, 'ones_, as the normalization layers do'),
  'norm-bias': () => torchConstant(ZEROS, 'zeros_, as the normalization layers do'),
  'running-mean': () => torchConstant(ZEROS, `zeros: ${BUFFER_NOTE}`),
  'running-var': () => torchConstant(ONES, `ones: ${BUFFER_NOTE}`),
  'input-weight': (slot) => torchRecurrent(slot.layer.hiddenSize),
  'recurrent-weight': (slot) => torchRecurrent(slot.layer.hiddenSize),
  'projection-weight': (slot) => torchRecurrent(slot.layer.hiddenSize),
  'input-bias': (slot) => torchRecurrent(slot.layer.hiddenSize),
  'recurrent-bias': (slot) => torchRecurrent(slot.layer.hiddenSize),
  'qkv-weight': (slot) =>
    torchConstant(
      strategy({ name: 'xavier-uniform' }),
      slot.parts.length === 1
        ? `xavier_uniform_ of ${slot.parts[0]}_proj_weight, as nn.MultiheadAttention does`
        : 'xavier_uniform_ of the whole [3E, E] in_proj_weight (fan_out 3E), as nn.MultiheadAttention does',
    ),
  'attention-bias': () =>
    torchConstant(
      ZEROS,
      'constant_(0): nn.MultiheadAttention zeroes in_proj_bias and out_proj.bias',
    ),
  'bias-kv': () =>
    torchConstant(
      strategy({ name: 'xavier-normal' }),
      'xavier_normal_, as nn.MultiheadAttention does',
    ),
};

function torchRecurrent(hidden: number): Choice {
  return torchUniform(
    hidden,
    'for every parameter, as RNNBase.reset_parameters does',
    'hidden_size',
  );
}

/** The handlers of a scheme. */
export const SCHEME_HANDLERS: Readonly<Record<Scheme, Handlers>> = {
  recommended: RECOMMENDED,
  'torch-default': TORCH_DEFAULT,
};

/** A scheme's choice for one slot. */
export function choose(scheme: Scheme, slot: Slot): Choice {
  return (SCHEME_HANDLERS[scheme][slot.kind] as (s: Slot) => Choice)(slot);
}
