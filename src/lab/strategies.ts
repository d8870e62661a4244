/**
 * Strategies as the lab names them: a canonical strategy name with options, written
 * `name[:key=value[:key=value…]]` on the command line (`normal:std=0.01`,
 * `orthogonal:gain=1.414`, `he-normal:mode=fan-out`) and as `{ name, ...options }` in code.
 * The label — the canonical name followed by the options in the order given — is what results
 * carry in their `strategy` field.
 */
import { type InitSpec, initialize, prepareSpec, strategy } from '../init/registry.js';
import { rangeError, typeError } from '../tensor/errors.js';

/** A strategy with its options, without seed, stream or layout (the lab supplies them). */
export interface StrategySpec {
  /** A strategy name or alias (`'he-normal'`, `'kaiming_normal'` …). */
  readonly name: string;
  readonly [option: string]: string | number | boolean;
}

/** A strategy resolved by {@link parseStrategy}: its label and its spec with the canonical name. */
export interface LabStrategy {
  /** `name[:key=value…]`, the canonical name then the options in the order given. */
  readonly label: string;
  readonly spec: StrategySpec;
}

/** Options the lab sets itself and a strategy may not carry. */
const RESERVED = ['seed', 'stream', 'layout', 'rng', 'dtype'];

/** A number when the text is one, else the text. */
function optionValue(text: string): string | number | boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * Resolves a strategy given as text (`'normal:std=0.01'`, `'glorot_uniform'`) or as a spec
 * (`{ name: 'normal', std: 0.01 }`): the canonical name, options checked against a 4×4 weight.
 * @throws RangeError for an unknown strategy, an option it does not take, a reserved option
 *   (`seed`, `stream`, `layout`, `rng`, `dtype`: the lab sets them) or a bad value;
 *   TypeError for a value that is neither a string nor an object with a `name`.
 * @example parseStrategy('kaiming_normal:mode=fan-out') // { label: 'he-normal:mode=fan-out', spec: { name: 'he-normal', mode: 'fan-out' } }
 */
export function parseStrategy(value: string | StrategySpec, fn = 'parseStrategy'): LabStrategy {
  let name: string;
  const options: Record<string, string | number | boolean> = {};
  if (typeof value === 'string') {
    const [head, ...parts] = value.split(':');
    name = head.trim();
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq <= 0) rangeError(fn, 'strategy', 'name[:key=value…] (e.g. "normal:std=0.01")', value);
      options[part.slice(0, eq).trim()] = optionValue(part.slice(eq + 1).trim());
    }
  } else if (value !== null && typeof value === 'object' && typeof value.name === 'string') {
    const { name: n, ...rest } = value;
    name = n;
    Object.assign(options, rest);
  } else {
    return typeError(fn, 'strategy', 'a string "name[:key=value…]" or { name, ...options }', value);
  }
  const canonical = strategy(name, fn).name;
  for (const key of Object.keys(options)) {
    if (RESERVED.includes(key))
      rangeError(fn, `strategy option`, `not one the lab sets (${RESERVED.join(', ')})`, key);
  }
  const spec: StrategySpec = { name: canonical, ...options };
  // Validate the options once, on a small square weight (random strategies need a seed).
  prepareSpec(fullSpec(spec, 0, 'check'), [4, 4]);
  const label = [canonical, ...Object.entries(options).map(([k, v]) => `${k}=${v}`)].join(':');
  return { label, spec };
}

/** Resolves a list of strategies, refusing an empty list and duplicate labels. */
export function parseStrategies(
  values: readonly (string | StrategySpec)[],
  fn: string,
  arg = 'strategies',
): LabStrategy[] {
  if (!Array.isArray(values) || values.length === 0)
    rangeError(fn, arg, 'a non-empty list of strategies', values);
  const out = values.map((v) => parseStrategy(v, fn));
  const labels = new Set<string>();
  for (const s of out) {
    if (labels.has(s.label)) rangeError(fn, arg, 'strategies without repetition', s.label);
    labels.add(s.label);
  }
  return out;
}

/** The spec with the lab's seed, stream and TF.js layout, for the strategies that take them. */
function fullSpec(spec: StrategySpec, seed: number, stream: string): InitSpec {
  const keys = strategy(spec.name).keys;
  return {
    ...spec,
    ...(keys.includes('seed') ? { seed, stream } : {}),
    ...(keys.includes('layout') ? { layout: 'in-out' } : {}),
  };
}

/**
 * The values of a weight of TF.js shape `[in, out]` (layout `in-out`) under a strategy, from
 * stream `stream` of `seed`: exactly `initialize({ ...spec, seed, stream, layout: 'in-out' }, shape)`.
 * @example weightValues({ name: 'he-normal' }, [256, 256], 0, 'layer1.kernel') // Float32Array(65536), std 0.08838 (√(2/256) = 0.08839)
 */
export function weightValues(
  spec: StrategySpec,
  shape: readonly number[],
  seed: number,
  stream: string,
): Float32Array {
  return initialize(fullSpec(spec, seed, stream), shape).data as Float32Array;
}
