/**
 * Model specs (`"format": "weightinit.model/1"`): their TypeScript type, their validation
 * against the JSON Schema (`schema/model.schema.json`, compiled by Ajv into the
 * dependency-free `spec-validator.generated.ts`) and then by the layer recipes, with errors
 * that give the JSON path and what was expected, and `plan(spec)`.
 */

import { type LayerSpec, layerRecipe, type Scheme, validateLayer } from '../recipes/index.js';
import type { StorageDType } from '../tensor/dtype.js';
import { oneOf, rangeError, typeError } from '../tensor/errors.js';
import {
  buildPlan,
  MODEL_FORMAT,
  type ModelPlan,
  type ModelRng,
  type OverrideSpec,
} from './plan.js';
import { canonicalJson, sha256 } from './sha256.js';
import { validate } from './spec-validator.generated.js';

/** A layer of a model spec: a recipes `LayerSpec` with a required name. */
export type ModelLayerSpec = LayerSpec & { readonly name: string };

/**
 * A model spec, as written in JSON (`weightinit init spec.json`).
 * @example
 * const spec: ModelSpec = {
 *   format: 'weightinit.model/1', seed: 0, dtype: 'bfloat16',
 *   layers: [
 *     { name: 'fc1', type: 'dense', inFeatures: 256, outFeatures: 128, activation: 'relu' },
 *     { name: 'head', type: 'dense', inFeatures: 128, outFeatures: 10 },
 *   ],
 *   overrides: { 'head.weight': { init: 'zeros' } },
 * };
 */
export interface ModelSpec {
  readonly $schema?: string;
  readonly format: typeof MODEL_FORMAT;
  /** A safe integer ≥ 0, a bigint below 2⁶⁴, or (in JSON, for seeds ≥ 2⁵³) a decimal string. */
  readonly seed: number | bigint | string;
  /** Storage dtype (default `'float32'`). Generation is float32, or float64 for float64. */
  readonly dtype?: StorageDType;
  /** Default `'recommended'`. */
  readonly scheme?: Scheme;
  /** Default `'philox'`. */
  readonly rng?: ModelRng;
  readonly layers: readonly ModelLayerSpec[];
  /** Parameter name or glob → initialization replacing the recipe's. */
  readonly overrides?: Readonly<Record<string, OverrideSpec>>;
}

/** A validated model spec with its defaults applied and the seed as a number or bigint. */
export interface ResolvedModelSpec {
  readonly format: typeof MODEL_FORMAT;
  readonly seed: number | bigint;
  readonly dtype: StorageDType;
  readonly scheme: Scheme;
  readonly rng: ModelRng;
  readonly layers: readonly ModelLayerSpec[];
  readonly overrides: Readonly<Record<string, OverrideSpec>>;
}

/** An error of the compiled validator (Ajv, `verbose`). */
interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly parentSchema?: Record<string, unknown>;
}

const validateSchema = validate as unknown as ((data: unknown) => boolean) & {
  errors?: SchemaError[] | null;
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `/layers/2/kernelSize` → `layers[2].kernelSize`; `/overrides/a.b` → `overrides["a.b"]`. */
function jsonPath(pointer: string): string {
  if (pointer === '') return 'spec';
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9][0-9]*)$/.test(key)) path += `[${key}]`;
    else if (IDENTIFIER.test(key)) path += path === '' ? key : `.${key}`;
    else path += `[${JSON.stringify(key)}]`;
  }
  return path;
}

function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  if (pointer === '') return v;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/** The JSON path, what was expected and the error class of the validator's error. */
function explain(e: SchemaError): [path: string, expected: string, got: unknown, type: boolean] {
  const own = e.parentSchema?.['x-expected'] as string | undefined;
  const p = e.params;
  switch (e.keyword) {
    case 'additionalProperties': {
      const keys = Object.keys((e.parentSchema?.properties as object) ?? {});
      const what = own === undefined ? '' : ` (${own})`;
      return [
        e.instancePath,
        `made of the keys ${keys.map((k) => JSON.stringify(k)).join(', ')}${what}`,
        p.additionalProperty,
        false,
      ];
    }
    case 'required': {
      const missing = String(p.missingProperty);
      const sub = (e.parentSchema?.properties as Record<string, Record<string, unknown>>)?.[
        missing
      ];
      const what = sub?.['x-expected'];
      const pointer = `${e.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      return [pointer, what === undefined ? 'given' : `given (${what})`, undefined, true];
    }
    case 'propertyNames':
      return [
        `${e.instancePath}/${String(p.propertyName)}`,
        'a parameter name or glob (letters, digits, _, . and *)',
        p.propertyName,
        false,
      ];
    case 'type':
      return [e.instancePath, own ?? TYPE_WORDS[String(p.type)] ?? String(p.type), undefined, true];
    case 'enum':
      return [
        e.instancePath,
        own ?? oneOf((p.allowedValues as unknown[]).map(String)),
        undefined,
        false,
      ];
    case 'const':
      return [e.instancePath, own ?? JSON.stringify(p.allowedValue), undefined, false];
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return [
        e.instancePath,
        own ?? `a number ${String(p.comparison)} ${String(p.limit)}`,
        undefined,
        false,
      ];
    default:
      return [
        e.instancePath,
        own ?? `valid (JSON Schema keyword "${e.keyword}")`,
        undefined,
        false,
      ];
  }
}

/**
 * Validates a model spec: its shape against the JSON Schema (unknown keys are errors), then
 * every layer with the recipes' validation, layer names used once, the seed below 2⁶⁴; and
 * applies the defaults (`dtype` float32, `scheme` recommended, `rng` philox, no overrides).
 * Overrides are checked against the parameters by {@link plan}.
 * @throws TypeError (wrong type, missing key) or RangeError (anything else) naming the JSON
 *   path and what was expected: `plan: \`layers[2].kernelSize\` must be an integer >= 1 or
 *   an array of them, got "3"`.
 * @example resolveModelSpec({ format: 'weightinit.model/1', seed: 0, layers: [] }).dtype // 'float32'
 */
export function resolveModelSpec(spec: unknown, fn = 'resolveModelSpec'): ResolvedModelSpec {
  // A bigint seed (TypeScript callers) is checked as the decimal string JSON would hold.
  const json =
    spec !== null && typeof spec === 'object' && typeof (spec as ModelSpec).seed === 'bigint'
      ? { ...spec, seed: String((spec as ModelSpec).seed) }
      : spec;
  if (!validateSchema(json)) {
    const errors = validateSchema.errors ?? [];
    const e = errors[errors.length - 1];
    const [pointer, expected, got, isType] = explain(e);
    const value =
      e.keyword === 'required' ||
      e.keyword === 'additionalProperties' ||
      e.keyword === 'propertyNames'
        ? got
        : valueAt(json, pointer);
    (isType ? typeError : rangeError)(fn, jsonPath(pointer), expected, value);
  }
  const s = json as ModelSpec;
  const seed = typeof s.seed === 'string' ? BigInt(s.seed) : (s.seed as number);
  if (typeof seed === 'bigint' && seed >= 1n << 64n) {
    rangeError(fn, 'seed', 'an integer below 2^64', s.seed);
  }
  const names = new Map<string, number>();
  s.layers.forEach((layer, i) => {
    const previous = names.get(layer.name);
    if (previous !== undefined) {
      rangeError(
        fn,
        `layers[${i}].name`,
        `a name not used by another layer (layers[${previous}] has it)`,
        layer.name,
      );
    }
    names.set(layer.name, i);
    validateLayer(layer, fn, `layers[${i}]`);
  });
  return {
    format: MODEL_FORMAT,
    seed: typeof seed === 'bigint' && seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : seed,
    dtype: s.dtype ?? 'float32',
    scheme: s.scheme ?? 'recommended',
    rng: s.rng ?? 'philox',
    layers: s.layers,
    overrides: s.overrides ?? {},
  };
}

/**
 * Plans a model spec: validates it ({@link resolveModelSpec}), takes each layer's recipe
 * (`layerRecipe(layer, { scheme })`: PyTorch's parameter names, shapes and order), applies
 * the overrides and lays out the checkpoint, before anything is generated (see
 * `planFromRecipes` for the plan's contents). Deterministic: the same spec gives the same
 * plan, and the same checkpoint bytes.
 *
 * The plan's `specSha256` is the SHA-256 of the canonical JSON (keys sorted, no spaces) of
 * the resolved spec (defaults applied, seed as an integer).
 * @throws TypeError / RangeError with the JSON path: a bad spec, layer, or override (one
 *   that matches no parameter, or whose options the strategy does not take).
 * @example
 * const p = plan({ format: 'weightinit.model/1', seed: 0, layers: [
 *   { name: 'fc1', type: 'dense', inFeatures: 256, outFeatures: 128, activation: 'relu' }] });
 * p.parameters.map((q) => `${q.name} [${q.shape}] ${q.strategy}`);
 * // ['fc1.weight [128,256] he-normal nonlinearity=relu, std 0.08839', 'fc1.bias [128] zeros']
 */
export function plan(spec: ModelSpec | unknown): ModelPlan {
  const fn = 'plan';
  const resolved = resolveModelSpec(spec, fn);
  const layers = resolved.layers.map((layer) => ({
    name: layer.name,
    parameters: layerRecipe(layer, { scheme: resolved.scheme }),
  }));
  return buildPlan(layers, resolved, sha256(canonicalJson(resolved)));
}
