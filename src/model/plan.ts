/**
 * The plan of a model: every parameter with its PyTorch name and shape, how it is
 * initialized (after overrides, with seed and stream filled in), why, and where its bytes go
 * in the checkpoint, all before anything is generated.
 */

import { checkSeed } from '../init/options.js';
import {
  type InitSpec,
  prepareSpec,
  resolveName,
  STRATEGY_NAMES,
  strategy,
} from '../init/registry.js';
import { safetensorsHeader } from '../io/safetensors.js';
import type { Seed } from '../random/index.js';
import { SCHEMES, type Scheme } from '../recipes/index.js';
import type { ParameterRecipe, ParamInit, ParamRole } from '../recipes/types.js';
import {
  BYTES_PER_ELEMENT,
  memoryDType,
  STORAGE_DTYPES,
  type StorageDType,
} from '../tensor/dtype.js';
import { checkChoice, oneOf, rangeError, typeError } from '../tensor/errors.js';
import { sizeOf } from '../tensor/shape.js';
import type { DType } from '../tensor/tensor.js';
import { VERSION } from '../version.js';
import { checkBlocks, checkTMax, type PlannedInit } from './fill.js';
import { globMatcher, isGlob } from './glob.js';
import { canonicalJson, sha256 } from './sha256.js';

/** The format name of model specs, recorded in checkpoints. */
export const MODEL_FORMAT = 'weightinit.model/1';

/**
 * The source of the random streams. `'philox'` (counter-based: any range of any parameter on
 * its own) is the only one today; a sequential source (PyTorch's MT19937 in registration
 * order) would be planned the same way and materialized parameter after parameter.
 */
export type ModelRng = 'philox' | 'torch';

/** An override of a model spec: a strategy name and its options (no seed, stream or dtype). */
export interface OverrideSpec {
  readonly init: string;
  readonly [option: string]: unknown;
}

/** Settings of a model, beside its layers. */
export interface ModelSettings {
  readonly seed: Seed;
  /** Storage dtype of every parameter in the checkpoint. */
  readonly dtype: StorageDType;
  readonly scheme: Scheme;
  readonly rng?: ModelRng;
  /** Parameter name or glob → initialization replacing the recipe's. */
  readonly overrides?: Readonly<Record<string, OverrideSpec>>;
}

/** One layer's parameters, as a recipe gives them. */
export interface LayerParameters {
  readonly name: string;
  readonly parameters: readonly ParameterRecipe[];
}

/** One parameter of the plan. */
export interface PlannedParameter {
  /** Full PyTorch name: `<layer>.<parameter>` (`fc1.weight`, `rnn.weight_hh_l0_reverse`). */
  readonly name: string;
  /** The layer's name in the spec. */
  readonly layer: string;
  readonly shape: readonly number[];
  /** Storage dtype in the checkpoint. */
  readonly dtype: StorageDType;
  readonly role: ParamRole;
  /** How it is initialized: the recipe's or the override's, resolved. */
  readonly init: PlannedInit;
  /** One line: strategy, options and the resulting std (`he-normal nonlinearity=relu, std 0.08839`). */
  readonly strategy: string;
  /** Why: the recipe's reason, or the override that replaced it. */
  readonly reason: string;
  /** The override key that applied, if any. */
  readonly override?: string;
  /** Number of elements. */
  readonly elements: number;
  /** Bytes in the checkpoint. */
  readonly bytes: number;
  /** Where its bytes start, relative to the start of the checkpoint's data section. */
  readonly offset: number;
  /** The strategy's advice (for example: zeros on a weight cannot break symmetry). */
  readonly warnings: readonly string[];
}

/** The plan of a model: deterministic, and JSON-serializable but for a bigint seed. */
export interface ModelPlan {
  readonly format: typeof MODEL_FORMAT;
  readonly seed: Seed;
  readonly dtype: StorageDType;
  /** Generation dtype: float64 for float64 storage, float32 for float32, float16, bfloat16. */
  readonly generation: DType;
  readonly scheme: Scheme;
  readonly rng: ModelRng;
  /** SHA-256 of the canonical JSON of the (resolved) spec. */
  readonly specSha256: string;
  readonly parameters: readonly PlannedParameter[];
  readonly totalParameters: number;
  /** Bytes of all the parameters (the checkpoint's data section). */
  readonly totalBytes: number;
  /** Size of the checkpoint: header + data. */
  readonly fileBytes: number;
  /** The checkpoint's `__metadata__`. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Every parameter's warnings, as `<name>: <warning>`. */
  readonly warnings: readonly string[];
}

const FN = 'plan';
const RNGS: readonly ModelRng[] = ['philox', 'torch'];
/** Options the model sets on every parameter: an override may not give them. */
const MODEL_KEYS = ['seed', 'stream', 'dtype', 'rng'];

/**
 * Plans a model from its layers' recipes: applies overrides, resolves every initialization
 * (seed, stream = the parameter's full name, generation dtype), validates it against the
 * parameter's shape without allocating, and lays out the checkpoint. `plan(spec)` calls it
 * with the recipes of the spec's layers; call it directly for layers of your own.
 *
 * Overrides: a key is a parameter name or a glob (`*` within a dot-separated segment, `**`
 * across them). An exact name wins over globs; among globs, the last one listed wins. An
 * override that matches no parameter is an error.
 * @throws TypeError / RangeError naming the parameter or override for a duplicate
 *   parameter name, an override that matches nothing or has bad options, or a bad recipe.
 * @example
 * const p = planFromRecipes(
 *   [{ name: 'fc', parameters: [
 *     { name: 'weight', shape: [4, 8], role: 'weight', reason: 'He for ReLU',
 *       init: { kind: 'strategy', spec: { name: 'he-normal' } } },
 *     { name: 'bias', shape: [4], role: 'bias', reason: 'zeros for biases',
 *       init: { kind: 'strategy', spec: { name: 'zeros' } } }] }],
 *   { seed: 0, dtype: 'float32', scheme: 'recommended' },
 * );
 * p.parameters.map((q) => [q.name, q.offset]); // [['fc.weight', 0], ['fc.bias', 128]]
 */
export function planFromRecipes(
  layers: readonly LayerParameters[],
  settings: ModelSettings,
): ModelPlan {
  return buildPlan(layers, settings, sha256(canonicalJson({ ...settings, layers })));
}

/** {@link planFromRecipes} with the hash of the spec the layers came from. @internal */
export function buildPlan(
  layers: readonly LayerParameters[],
  settings: ModelSettings,
  specSha256: string,
): ModelPlan {
  if (settings === null || typeof settings !== 'object') {
    typeError(FN, 'settings', 'an object { seed, dtype, scheme, rng?, overrides? }', settings);
  }
  const seed = checkSeed(FN, settings.seed);
  const dtype = checkChoice(FN, 'dtype', settings.dtype, STORAGE_DTYPES);
  const scheme = checkChoice(FN, 'scheme', settings.scheme, SCHEMES);
  const rng = settings.rng === undefined ? 'philox' : checkChoice(FN, 'rng', settings.rng, RNGS);
  if (!Array.isArray(layers)) typeError(FN, 'layers', 'an array of { name, parameters }', layers);
  const o = settings.overrides;
  if (o !== undefined && (o === null || typeof o !== 'object' || Array.isArray(o))) {
    typeError(FN, 'overrides', 'an object: parameter name or glob → { init, ...options }', o);
  }
  const generation = memoryDType(dtype);
  const overrides = Object.entries(settings.overrides ?? {}).map(([key, value]) => ({
    key,
    value,
    glob: isGlob(key),
    matches: globMatcher(key),
    used: false,
  }));
  const names = new Set<string>();
  const parameters: PlannedParameter[] = [];
  let offset = 0;
  for (const layer of layers) {
    for (const recipe of layer.parameters) {
      const name = `${layer.name}.${recipe.name}`;
      if (names.has(name)) rangeError(FN, 'layers', 'layers whose parameter names differ', name);
      names.add(name);
      const matching = overrides.filter((o) => o.matches(name));
      const override = matching.find((o) => !o.glob) ?? matching.at(-1);
      for (const o of matching) o.used = true;
      const arg = override && `overrides[${JSON.stringify(override.key)}]`;
      const where = arg === undefined ? name : `${arg} (for ${name})`;
      const ctx: Resolve = { name, where, seed, generation, warnings: [], std: [] };
      const init = resolve(
        ctx,
        arg === undefined
          ? recipe.init
          : { kind: 'strategy', spec: overrideSpec(arg, override!.value) },
        recipe.shape,
        name,
      );
      const reason =
        override === undefined
          ? recipe.reason
          : `override ${JSON.stringify(override.key)} (instead of: ${recipe.reason})`;
      const elements = sizeOf(recipe.shape);
      const bytes = elements * BYTES_PER_ELEMENT[dtype];
      parameters.push({
        name,
        layer: layer.name,
        shape: [...recipe.shape],
        dtype,
        role: recipe.role,
        init,
        strategy: summarize(init, ctx.std),
        reason,
        ...(override === undefined ? {} : { override: override.key }),
        elements,
        bytes,
        offset,
        warnings: ctx.warnings,
      });
      offset += bytes;
    }
  }
  const unused = overrides.find((o) => !o.used);
  if (unused !== undefined) {
    const list = [...names].slice(0, 12).map((n) => JSON.stringify(n));
    rangeError(
      FN,
      `overrides[${JSON.stringify(unused.key)}]`,
      `a parameter name or glob matching at least one parameter (${list.join(', ')}${names.size > 12 ? ', …' : ''})`,
      unused.key,
    );
  }
  const metadata: Record<string, string> = {
    format: 'pt',
    'weightinit.format': MODEL_FORMAT,
    'weightinit.version': VERSION,
    'weightinit.seed': String(seed),
    'weightinit.scheme': scheme,
    'weightinit.dtype': dtype,
    'weightinit.rng': rng,
    'weightinit.spec_sha256': specSha256,
  };
  const layout = safetensorsHeader(
    parameters.map((p) => ({ name: p.name, dtype: p.dtype, shape: p.shape })),
    metadata,
  );
  return {
    format: MODEL_FORMAT,
    seed,
    dtype,
    generation,
    scheme,
    rng,
    specSha256,
    parameters,
    totalParameters: parameters.reduce((n, p) => n + p.elements, 0),
    totalBytes: offset,
    fileBytes: layout.totalBytes,
    metadata,
    warnings: parameters.flatMap((p) => p.warnings.map((w) => `${p.name}: ${w}`)),
  };
}

/** The entries of a plan's checkpoint, for `safetensorsHeader`. */
export function checkpointEntries(plan: ModelPlan) {
  return plan.parameters.map((p) => ({ name: p.name, dtype: p.dtype, shape: p.shape }));
}

function overrideSpec(arg: string, value: OverrideSpec): InitSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    typeError(FN, arg, 'an object { "init": strategy, ...options }', value);
  }
  const { init, ...options } = value;
  const expected = `a strategy: ${oneOf(STRATEGY_NAMES)} (or an alias)`;
  if (typeof init !== 'string') typeError(FN, `${arg}.init`, expected, init);
  try {
    resolveName(init);
  } catch {
    rangeError(FN, `${arg}.init`, expected, init);
  }
  for (const key of MODEL_KEYS) {
    if (key in options) {
      rangeError(
        FN,
        `${arg}.${key}`,
        'left out (the model sets seed, stream and dtype)',
        options[key],
      );
    }
  }
  return { name: init, ...options };
}

/** Runs `f`, prefixing the message of a TypeError/RangeError it throws with `where`. */
function withContext<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof TypeError) throw new TypeError(`${FN}: ${where}: ${error.message}`);
    if (error instanceof RangeError) throw new RangeError(`${FN}: ${where}: ${error.message}`);
    throw error;
  }
}

interface Resolve {
  readonly name: string;
  /** What error messages name: the parameter, or the override and the parameter. */
  readonly where: string;
  readonly seed: Seed;
  readonly generation: DType;
  readonly warnings: string[];
  /** The expected std of each strategy part, in order. */
  readonly std: number[];
}

/** Resolves a recipe's init for a shape, validating it (prepareSpec) without allocating. */
function resolve(
  ctx: Resolve,
  init: ParamInit,
  shape: readonly number[],
  stream: string,
): PlannedInit {
  if (init === null || typeof init !== 'object') {
    typeError(FN, `init of ${ctx.name}`, 'a ParamInit { kind, … }', init);
  }
  switch (init.kind) {
    case 'strategy': {
      const { spec, prepared } = withContext(ctx.where, () => {
        const s = strategy(init.spec?.name as string, 'prepareSpec');
        const spec: InitSpec = {
          ...init.spec,
          name: s.name,
          ...(s.keys.includes('seed') ? { seed: ctx.seed, stream } : {}),
          dtype: ctx.generation,
        };
        return { spec, prepared: prepareSpec(spec, shape) };
      });
      ctx.warnings.push(...prepared.warnings);
      ctx.std.push(prepared.expected.std);
      return { kind: 'strategy', spec };
    }
    case 'blocks': {
      if (init.axis !== undefined && init.axis !== 0) {
        // Models are in PyTorch's layout: gates are rows. Blocks along another axis would not
        // be contiguous ranges of elements.
        rangeError(FN, `init.axis of ${ctx.name}`, '0 (blocks along dimension 0)', init.axis);
      }
      checkBlocks(FN, `init.blocks of ${ctx.name}`, init.blocks, shape);
      return {
        kind: 'blocks',
        blocks: init.blocks.map((b, k) => ({
          rows: b.rows,
          label: b.label,
          init: resolve(ctx, b.init, [b.rows, ...shape.slice(1)], `${stream}#${k}`),
        })),
      };
    }
    case 'chrono': {
      checkTMax(FN, `init.tMax of ${ctx.name}`, init.tMax);
      if (init.sign !== 1 && init.sign !== -1) {
        rangeError(FN, `init.sign of ${ctx.name}`, '1 or -1', init.sign);
      }
      ctx.std.push(Number.NaN);
      return {
        kind: 'chrono',
        tMax: init.tMax,
        sign: init.sign,
        seed: ctx.seed,
        stream: `${ctx.name}#${init.stream}`,
        dtype: ctx.generation,
      };
    }
    default:
      return rangeError(
        FN,
        `init.kind of ${ctx.name}`,
        oneOf(['strategy', 'blocks', 'chrono']),
        (init as { kind: unknown }).kind,
      );
  }
}

const HIDDEN_OPTIONS = new Set(['name', 'seed', 'stream', 'dtype']);

const num = (x: number) => String(Number(x.toPrecision(4)));

/** One line describing a resolved init: `he-normal nonlinearity=relu, std 0.08839`. */
function summarize(init: PlannedInit, std: readonly number[]): string {
  let k = 0;
  const one = (i: PlannedInit): string => {
    switch (i.kind) {
      case 'strategy': {
        const options = Object.entries(i.spec)
          .filter(([key, v]) => !HIDDEN_OPTIONS.has(key) && v !== undefined)
          .map(([key, v]) => `${key}=${typeof v === 'number' ? num(v) : String(v)}`);
        const s = std[k++];
        const head = [i.spec.name, ...options].join(' ');
        return s > 0 ? `${head}, std ${num(s)}` : head;
      }
      case 'chrono':
        k++;
        return `chrono ${i.sign < 0 ? '-' : ''}log U(1, ${num(i.tMax - 1)})`;
      case 'blocks': {
        const parts = i.blocks.map((b) => ({ label: b.label, text: one(b.init) }));
        if (parts.every((p) => p.text === parts[0].text)) {
          return `${parts.map((p) => p.label).join(',')}: ${parts[0]?.text ?? ''}`;
        }
        return parts.map((p) => `${p.label}: ${p.text}`).join(' | ');
      }
    }
  };
  return one(init);
}
