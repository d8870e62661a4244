import { extname } from 'node:path';
import type { Command } from 'commander';
import type { Prepared } from '../init/initializer.js';
import { materialize } from '../init/initializer.js';
import { type InitSpec, prepareSpec, STRATEGY_NAMES, strategy } from '../init/registry.js';
import { writeNpy, writeSafetensors } from '../io/file.js';
import { summarize } from '../tensor/stats.js';
import type { Tensor } from '../tensor/tensor.js';
import { UsageError } from './errors.js';
import { formatNumber, type Output } from './output.js';
import { camelCase, flagOf, parseInteger, parseNumber, parseShape } from './parse.js';

/** Strategy options the command passes through to the spec, by flag, with their parser. */
const STRATEGY_FLAGS: readonly {
  flag: string;
  kind: 'number' | 'integer' | 'text';
  help: string;
}[] = [
  {
    flag: 'gain',
    kind: 'number',
    help: 'scale factor of the std (variance scaling, orthogonal, identity, dirac)',
  },
  {
    flag: 'nonlinearity',
    kind: 'text',
    help: 'gain from a nonlinearity: linear, sigmoid, tanh, relu, leaky-relu, selu, conv2d …',
  },
  { flag: 'slope', kind: 'number', help: 'negative slope of leaky-relu (PyTorch `a`)' },
  { flag: 'scale', kind: 'number', help: 'variance scale (variance-scaling)' },
  { flag: 'mode', kind: 'text', help: 'fan-in | fan-out | fan-avg' },
  {
    flag: 'distribution',
    kind: 'text',
    help: 'uniform | normal | truncated-normal (variance-scaling)',
  },
  { flag: 'mean', kind: 'number', help: 'mean (normal, truncated-normal)' },
  { flag: 'std', kind: 'number', help: 'standard deviation (normal, truncated-normal, sparse)' },
  {
    flag: 'low',
    kind: 'number',
    help: 'lower bound (uniform; absolute bound of truncated-normal)',
  },
  {
    flag: 'high',
    kind: 'number',
    help: 'upper bound (uniform; absolute bound of truncated-normal)',
  },
  {
    flag: 'limit',
    kind: 'number',
    help: 'truncation at ± limit·std (truncated-normal, default 2)',
  },
  { flag: 'value', kind: 'number', help: 'the value (constant)' },
  { flag: 'sparsity', kind: 'number', help: 'fraction of zeros per column (sparse, PyTorch)' },
  {
    flag: 'non-zero',
    kind: 'integer',
    help: 'non-zero incoming weights per unit (sparse, Martens)',
  },
  { flag: 'groups', kind: 'integer', help: 'groups of a grouped convolution (dirac)' },
  { flag: 'layout', kind: 'text', help: 'out-in (PyTorch, default) | in-out (Keras/TF.js)' },
  { flag: 'fan-in', kind: 'integer', help: 'override the fan-in' },
  { flag: 'fan-out', kind: 'integer', help: 'override the fan-out' },
  {
    flag: 'stream',
    kind: 'text',
    help: 'stream name, e.g. the parameter name fc1.weight (default "")',
  },
  { flag: 'dtype', kind: 'text', help: 'float32 (default) | float64' },
];

interface SampleFlags {
  shape: string;
  seed: string;
  rng?: string;
  out?: string;
  json?: boolean;
  [flag: string]: unknown;
}

/** Builds the spec from the strategy name and flags, refusing flags the strategy does not take. */
function specFrom(name: string, flags: SampleFlags): InitSpec {
  const s = strategy(name, 'sample');
  const spec: Record<string, unknown> = { name: s.name };
  for (const { flag, kind } of STRATEGY_FLAGS) {
    const key = camelCase(flag);
    const text = flags[key];
    if (text === undefined) continue;
    if (!s.keys.includes(key)) {
      const valid = s.keys.filter((k) => k !== 'rng' && k !== 'seed').map(flagOf);
      throw new UsageError(
        `--${flag} does not apply to ${s.name} (its options: ${valid.join(', ') || 'none'})`,
      );
    }
    spec[key] =
      kind === 'number'
        ? parseNumber(flag, String(text))
        : kind === 'integer'
          ? parseInteger(flag, String(text))
          : text;
  }
  if (s.keys.includes('seed')) spec.seed = parseInteger('seed', flags.seed, true);
  if (flags.rng !== undefined && flags.rng !== 'philox' && flags.rng !== 'torch') {
    throw new UsageError(`--rng must be one of "philox", "torch", got "${flags.rng}"`);
  }
  if (flags.rng === 'torch' && s.keys.includes('rng')) {
    if (flags.stream !== undefined) {
      throw new UsageError('--stream does not apply with --rng torch (one PyTorch generator)');
    }
    spec.rng = 'torch';
  }
  return spec as InitSpec;
}

const FORMATS = ['.npy', '.safetensors'];

/** The JSON form of a sample's report. */
function report(spec: InitSpec, prepared: Prepared, tensor: Tensor, out: string | undefined) {
  const { count: _count, ...measured } = summarize(tensor.data);
  return {
    strategy: prepared.name,
    spec: Object.fromEntries(
      Object.entries(spec).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]),
    ),
    shape: prepared.shape,
    dtype: prepared.dtype,
    size: prepared.size,
    fans: prepared.fans ?? null,
    expected: prepared.expected,
    measured,
    warnings: prepared.warnings,
    out: out ?? null,
  };
}

function printSummary(o: Output, r: ReturnType<typeof report>): void {
  const f = formatNumber;
  const seed = r.spec.seed === undefined ? '' : `  seed ${r.spec.seed}`;
  const stream = typeof r.spec.stream === 'string' ? `  stream "${r.spec.stream}"` : '';
  const rng = r.spec.rng === 'torch' ? '  rng torch' : '';
  o.line(`${r.strategy}  shape [${r.shape.join(', ')}]  ${r.dtype}${seed}${stream}${rng}`);
  if (r.fans) o.line(`  fans      in ${r.fans.fanIn}, out ${r.fans.fanOut}`);
  o.line(`  expected  mean ${f(r.expected.mean)}  std ${f(r.expected.std)}`);
  const m = r.measured;
  o.line(
    `  measured  mean ${f(m.mean)}  std ${f(m.std)}  min ${f(m.min)}  max ${f(m.max)}  zeros ${f(m.zeroFraction * 100)}%`,
  );
  for (const w of r.warnings) o.line(`  warning   ${w}`);
  if (r.out) o.line(`  wrote     ${r.out}`);
}

/** The `sample` subcommand: one tensor to a summary, `.npy` or `.safetensors`. */
export function registerSample(program: Command, o: Output): void {
  const cmd = program
    .command('sample')
    .description(
      'draw one tensor with a strategy and print its summary, or write it to .npy / .safetensors',
    )
    .argument(
      '<strategy>',
      `one of ${STRATEGY_NAMES.join(', ')} (aliases such as glorot-uniform, kaiming-normal accepted)`,
    )
    .requiredOption(
      '--shape <dims>',
      'the shape, e.g. 256,128 (layout out-in: [out, in, ...kernel])',
    )
    .option('--seed <n>', 'seed (integer >= 0)', '0')
    .option(
      '--rng <kind>',
      'generator: philox (default, counter-based) | torch (torch.manual_seed(seed), then the PyTorch call)',
    )
    .option('--out <file>', 'write the tensor to FILE.npy or FILE.safetensors (tensor "weight")')
    .option('--json', 'print the report as JSON');
  for (const { flag, help } of STRATEGY_FLAGS)
    cmd.option(`--${flag} <${flag === 'stream' ? 'name' : 'x'}>`, help);
  cmd.action(async (name: string, flags: SampleFlags) => {
    const shape = parseShape(flags.shape);
    const spec = specFrom(name, flags);
    const ext = flags.out === undefined ? undefined : extname(flags.out).toLowerCase();
    if (ext !== undefined && !FORMATS.includes(ext)) {
      throw new UsageError(`--out must end in ${FORMATS.join(' or ')}, got "${flags.out}"`);
    }
    const prepared = prepareSpec(spec, shape);
    const tensor = materialize(prepared);
    if (flags.out !== undefined) {
      if (ext === '.npy') await writeNpy(flags.out, tensor);
      else
        await writeSafetensors(flags.out, [{ name: 'weight', tensor }], safetensorsMetadata(spec));
    }
    const r = report(spec, prepared, tensor, flags.out);
    if (flags.json) o.json(r);
    else printSummary(o, r);
  });
}

/** Metadata recorded in a sampled `.safetensors` file: enough to make it again. */
function safetensorsMetadata(spec: InitSpec): Record<string, string> {
  return {
    format: 'weightinit.sample/1',
    spec: JSON.stringify(spec, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
  };
}
