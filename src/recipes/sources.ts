/**
 * Where each recommendation comes from: the rows of the source document's two tables
 * (`seed/weight-initialization-strategies.md`) and the papers behind them. Reasons quote
 * these, so a test can check that every choice names its row and its paper.
 */

/** The rows of the document's tables, quoted as the reasons cite them. */
export const DOCUMENT = {
  rnnInput: 'document, RNN table: "Input weights W_xh — Xavier or He Initialization"',
  rnnRecurrent:
    'document, RNN table: "Recurrent weights W_hh — Orthogonal or Identity Initialization"',
  rnnBias: 'document, RNN table: "Biases — Zeros (or small positive for LSTM forget gates)"',
  xavier: 'document, Summary: "Xavier — tanh/sigmoid activations"',
  he: 'document, Summary: "He — ReLU activations"',
  orthogonal: 'document, Summary: "Orthogonal — RNNs, long sequences"',
  identity: 'document, Summary: "Identity — ReLU-RNNs"',
  zeroBias: 'document, Summary: "Zero (bias only) — bias terms"',
  /** For layers the document's tables do not cover. */
  none: 'not in the document’s tables',
  /** The `torch-default` scheme. */
  torch: 'PyTorch’s default (`reset_parameters`)',
} as const;

/** The papers reasons cite: a short citation, then the title. */
export const PAPERS = {
  glorot:
    'Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks"',
  he: 'He et al. 2015, "Delving Deep into Rectifiers"',
  lecun: 'LeCun et al. 1998, "Efficient BackProp"',
  selu: 'Klambauer et al. 2017, "Self-Normalizing Neural Networks"',
  elu: 'Clevert et al. 2016, "Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)"',
  gelu: 'Hendrycks & Gimpel 2016, "Gaussian Error Linear Units (GELUs)"',
  silu: 'Ramachandran et al. 2017, "Searching for Activation Functions" (Swish/SiLU)',
  softplus: 'Glorot, Bordes & Bengio 2011, "Deep Sparse Rectifier Neural Networks"',
  meanField: 'Schoenholz et al. 2017, "Deep Information Propagation"',
  saxe: 'Saxe et al. 2014, "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks"',
  irnn: 'Le et al. 2015, "A Simple Way to Initialize Recurrent Networks of Rectified Linear Units"',
  forgetBias:
    'Jozefowicz et al. 2015, "An Empirical Exploration of Recurrent Network Architectures"',
  chrono: 'Tallec & Ollivier 2018, "Can recurrent neural networks warp time?"',
  fixup: 'Zhang et al. 2019, "Fixup Initialization: Residual Learning Without Normalization"',
  zeroGamma: 'Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour"',
  deltaOrthogonal:
    'Xiao et al. 2018, "Dynamical Isometry and a Mean Field Theory of CNNs: How to Train 10,000-Layer Vanilla Convolutional Neural Networks"',
  batchNorm: 'Ioffe & Szegedy 2015, "Batch Normalization"',
  layerNorm: 'Ba et al. 2016, "Layer Normalization"',
  groupNorm: 'Wu & He 2018, "Group Normalization"',
  attention: 'Vaswani et al. 2017, "Attention Is All You Need"',
  torch: 'PyTorch torch.nn module source (reset_parameters)',
} as const;

/** A paper's short citation: the part before the title (`He et al. 2015`). */
export function shortCitation(paper: string): string {
  const comma = paper.indexOf(', "');
  return comma < 0 ? paper : paper.slice(0, comma);
}

/** A reason: what is done and why, then the document row and the papers in brackets. */
export function because(what: string, row: string, ...papers: readonly string[]): string {
  return `${what} [${[row, ...papers.map(shortCitation)].join('; ')}]`;
}
