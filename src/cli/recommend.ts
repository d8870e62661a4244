import type { Command } from 'commander';
import {
  ACTIVATIONS,
  RECOMMEND_LAYERS,
  type Recommendation,
  type RecommendedParameter,
  recommend,
} from '../recipes/index.js';
import { UsageError } from './errors.js';
import { formatNumber, type Output } from './output.js';
import { camelCase, parseInteger, parseNumber } from './parse.js';

type Kind = 'size' | 'sizes' | 'signed' | 'number' | 'text' | 'flag';

/** Layer fields the command passes to `recommend`, by flag (camelCase of the flag is the field). */
const LAYER_FLAGS: readonly { flag: string; kind: Kind; help: string }[] = [
  { flag: 'in-features', kind: 'size', help: 'dense/output/residual: input features' },
  { flag: 'out-features', kind: 'size', help: 'dense/output/residual: output features' },
  { flag: 'in-channels', kind: 'size', help: 'conv: input channels' },
  { flag: 'out-channels', kind: 'size', help: 'conv: output channels' },
  { flag: 'kernel-size', kind: 'sizes', help: 'conv: kernel size, e.g. 3 or 3,5' },
  { flag: 'groups', kind: 'size', help: 'conv: groups (default 1)' },
  { flag: 'num-embeddings', kind: 'size', help: 'embedding: rows' },
  { flag: 'embedding-dim', kind: 'size', help: 'embedding: columns' },
  { flag: 'padding-idx', kind: 'signed', help: 'embedding: the padding row (kept 0)' },
  { flag: 'normalized-shape', kind: 'sizes', help: 'layernorm: e.g. 512 or 16,32' },
  { flag: 'num-features', kind: 'size', help: 'batchnorm: channels' },
  { flag: 'num-groups', kind: 'size', help: 'groupnorm: groups' },
  { flag: 'num-channels', kind: 'size', help: 'groupnorm: channels' },
  { flag: 'input-size', kind: 'size', help: 'rnn/lstm/gru: input features' },
  { flag: 'hidden-size', kind: 'size', help: 'rnn/lstm/gru: hidden features' },
  { flag: 'num-layers', kind: 'size', help: 'rnn/lstm/gru: stacked layers (default 1)' },
  { flag: 'proj-size', kind: 'size', help: 'lstm: projection size (default 0)' },
  { flag: 'bidirectional', kind: 'flag', help: 'rnn/lstm/gru: both directions' },
  { flag: 'forget-bias', kind: 'number', help: 'lstm: forget-gate bias (default 1)' },
  { flag: 'recurrent', kind: 'text', help: 'rnn/lstm/gru: orthogonal | identity' },
  { flag: 'recurrent-gain', kind: 'number', help: 'rnn/lstm/gru: scale of W_hh (default 1)' },
  { flag: 'gate-order', kind: 'text', help: 'rnn/lstm/gru: pytorch (default) | keras' },
  { flag: 'embed-dim', kind: 'size', help: 'attention: embedding dimension E' },
  { flag: 'num-heads', kind: 'size', help: 'attention: heads' },
  { flag: 'kdim', kind: 'size', help: 'attention: key features (default E)' },
  { flag: 'vdim', kind: 'size', help: 'attention: value features (default E)' },
  { flag: 'add-bias-kv', kind: 'flag', help: 'attention: bias_k and bias_v' },
  { flag: 'slope', kind: 'number', help: 'leaky-relu negative slope (default 0.01)' },
];

interface RecommendFlags {
  layer: string;
  activation?: string;
  scheme?: string;
  layout?: string;
  json?: boolean;
  bias: boolean;
  affine: boolean;
  elementwiseAffine: boolean;
  trackRunningStats: boolean;
  buffers: boolean;
  output?: boolean;
  zeroInit?: boolean;
  fixup?: boolean;
  depth?: string;
  branchLayers?: string;
  position?: string;
  chronoTMax?: string;
  [flag: string]: unknown;
}

function parseSizes(flag: string, text: string): number[] {
  return text.split(',').map((t) => parseInteger(flag, t.trim()) as number);
}

function parseValue(flag: string, kind: Kind, text: string): unknown {
  switch (kind) {
    case 'size':
      return parseInteger(flag, text);
    case 'sizes': {
      // One number applies to every dimension (as PyTorch's int kernel_size).
      const sizes = parseSizes(flag, text);
      return sizes.length === 1 ? sizes[0] : sizes;
    }
    case 'signed':
      if (!/^\s*-?\d+\s*$/.test(text))
        throw new UsageError(`--${flag} must be an integer, got "${text}"`);
      return Number(text);
    case 'number':
      return parseNumber(flag, text);
    default:
      return text;
  }
}

/** The `recommend` options from the flags. */
function optionsFrom(flags: RecommendFlags): Record<string, unknown> {
  const o: Record<string, unknown> = { layer: flags.layer };
  for (const key of ['activation', 'scheme', 'layout'] as const)
    if (flags[key] !== undefined) o[key] = flags[key];
  for (const { flag, kind } of LAYER_FLAGS) {
    const value = flags[camelCase(flag)];
    if (value === undefined) continue;
    o[camelCase(flag)] = kind === 'flag' ? true : parseValue(flag, kind, String(value));
  }
  // Negatable flags: only a given --no-x reaches the library (the defaults are the library's).
  for (const key of ['bias', 'affine', 'elementwiseAffine', 'trackRunningStats'] as const)
    if (flags[key] === false) o[key] = false;
  if (flags.buffers === false) o.buffers = false;
  if (flags.chronoTMax !== undefined)
    o.chrono = { tMax: parseNumber('chrono-t-max', flags.chronoTMax) };
  const residual: Record<string, unknown> = {};
  if (flags.depth !== undefined) residual.depth = parseInteger('depth', flags.depth);
  if (flags.branchLayers !== undefined)
    residual.branchLayers = parseInteger('branch-layers', flags.branchLayers);
  if (flags.position !== undefined) residual.position = parseInteger('position', flags.position);
  if (flags.fixup) residual.fixup = true;
  const isOutput = flags.layer === 'output' || flags.output === true;
  if (flags.zeroInit !== undefined && !isOutput) residual.zeroInit = flags.zeroInit;
  if (Object.keys(residual).length > 0) o.residual = residual;
  if (isOutput && (flags.output || flags.zeroInit !== undefined))
    o.output = { zeroInit: flags.zeroInit ?? false };
  return o;
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

function formatOptions(options: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(options);
  return entries.length === 0
    ? ''
    : `  (${entries.map(([k, v]) => `${k} ${formatValue(v)}`).join(', ')})`;
}

/** The human form: a small table per parameter (role, names, shapes), its strategies and reason. */
function print(o: Output, r: Recommendation): void {
  const activation = r.activation === null ? '' : `  activation ${r.activation}`;
  const layer = r.layer === r.type ? r.layer : `${r.layer} (${r.type})`;
  o.line(`${layer}${activation}  scheme ${r.scheme}  layout ${r.layout}`);
  // Rows of one parameter (its blocks) share a header and usually a reason.
  const groups: RecommendedParameter[][] = [];
  for (const p of r.parameters) {
    const last = groups[groups.length - 1];
    if (last && last[0].role === p.role && last[0].names.join() === p.names.join()) last.push(p);
    else groups.push([p]);
  }
  for (const group of groups) {
    const head = group[0];
    const names = head.names.map((n, i) =>
      head.shapes ? `${n} [${head.shapes[i].join(', ')}]` : n,
    );
    o.line('');
    o.line(`${head.role}  ${names.join(', ')}`);
    const labels = group.map((p) => (p.blocks ? p.blocks.join(', ') : 'strategy'));
    const width = Math.max(8, ...labels.map((l) => l.length)) + 2;
    group.forEach((p, i) => {
      o.line(`  ${labels[i].padEnd(width)}${p.strategy}${formatOptions(p.options)}`);
    });
    for (const reason of new Set(group.map((p) => p.reason)))
      o.line(`  ${'reason'.padEnd(width)}${reason}`);
    for (const paper of new Set(group.map((p) => p.paper)))
      o.line(`  ${'paper'.padEnd(width)}${paper}`);
  }
  if (r.notes.length > 0) {
    o.line('');
    o.line('notes');
    for (const n of r.notes) o.line(`  - ${n}`);
  }
}

/** The `recommend` subcommand: the recipe for a layer and an activation, with reasons. */
export function registerRecommend(program: Command, o: Output): void {
  const cmd = program
    .command('recommend')
    .description(
      'the initialization the document recommends for a layer and activation, per parameter, with the reason and the paper',
    )
    .requiredOption('--layer <type>', `one of ${RECOMMEND_LAYERS.join(', ')}`)
    .option('--activation <name>', `the activation after the layer: ${ACTIVATIONS.join(', ')}`)
    .option('--scheme <name>', 'recommended (default) | torch-default (what PyTorch does)')
    .option('--layout <name>', 'out-in (PyTorch, default) | in-out (Keras/TF.js)')
    .option('--json', 'print the recommendation as JSON');
  for (const { flag, kind, help } of LAYER_FLAGS)
    cmd.option(
      kind === 'flag' ? `--${flag}` : `--${flag} <${kind === 'text' ? 'name' : 'n'}>`,
      help,
    );
  cmd
    .option('--no-bias', 'no bias parameters')
    .option('--no-affine', 'batchnorm/groupnorm: no weight and bias')
    .option('--no-elementwise-affine', 'layernorm: no weight and bias')
    .option('--no-track-running-stats', 'batchnorm: no running_mean/running_var buffers')
    .option('--no-buffers', 'leave out batchnorm buffers')
    .option('--chrono-t-max <t>', 'lstm: chrono initialization with T_max (Tallec & Ollivier 2018)')
    .option('--output', 'dense/conv: the output (logits) layer')
    .option('--zero-init', 'output layer, or last layer of a residual branch, starts at zero')
    .option('--depth <L>', 'residual: number of residual branches L (Fixup)')
    .option('--branch-layers <m>', 'residual: weight layers per branch m (default 2)')
    .option('--position <k>', 'residual: this layer’s place in its branch (default m, the last)')
    .option('--fixup', 'residual: Fixup scaling L^(-1/(2m-2)) and zero last layer')
    .action((flags: RecommendFlags) => {
      const r = recommend(optionsFrom(flags) as Parameters<typeof recommend>[0]);
      if (flags.json) o.json(r);
      else print(o, r);
    });
}
