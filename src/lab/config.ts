/**
 * Validation of experiment configurations: every field optional, a default applied only when
 * the value is `undefined`, errors in the library's one template (`fn: \`arg\` must be …, got …`).
 */
import {
  checkChoice,
  checkFinite,
  checkInteger,
  checkKnownKeys,
  rangeError,
  typeError,
} from '../tensor/errors.js';

/** Checks that `options` is a plain object made of known keys; returns it. */
export function checkConfigObject<T extends object>(
  fn: string,
  options: T | undefined,
  keys: readonly string[],
): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    typeError(fn, 'config', 'an object', options);
  checkKnownKeys(fn, options, keys);
  return options;
}

/** An integer in [min, max], or the default when undefined. */
export function intField(
  fn: string,
  arg: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  return value === undefined ? fallback : checkInteger(fn, arg, value, min, max);
}

/** A finite number in [min, max], or the default when undefined. */
export function numberField(
  fn: string,
  arg: string,
  value: unknown,
  fallback: number,
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
): number {
  if (value === undefined) return fallback;
  const v = checkFinite(fn, arg, value);
  if (v < min || v > max) rangeError(fn, arg, `a number in [${min}, ${max}]`, v);
  return v;
}

/**
 * A non-empty list, each element checked by `check`, or the default when undefined. Lists of
 * alternatives (strategies, seeds, depths) must not repeat an element (`distinct`, the default);
 * lists of sizes, such as the widths of consecutive layers, may (`distinct: false`).
 */
export function listField<T>(
  fn: string,
  arg: string,
  value: unknown,
  fallback: readonly T[],
  check: (element: unknown, arg: string) => T,
  distinct = true,
): T[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value) || value.length === 0) rangeError(fn, arg, 'a non-empty list', value);
  const out = value.map((v, i) => check(v, `${arg}[${i}]`));
  if (distinct && new Set(out.map((v) => JSON.stringify(v))).size !== out.length)
    rangeError(fn, arg, 'a list without repetition', value);
  return out;
}

/** A list of names from `choices`, or the default when undefined. */
export function choicesField<T extends string>(
  fn: string,
  arg: string,
  value: unknown,
  fallback: readonly T[],
  choices: readonly T[],
): T[] {
  return listField(fn, arg, value, fallback, (v, a) => checkChoice(fn, a, v, choices));
}

/** A seed (safe integer ≥ 0), or the default when undefined. */
export function seedField(fn: string, arg: string, value: unknown, fallback = 0): number {
  return intField(fn, arg, value, fallback, 0);
}

/** One name from `choices`, or the default when undefined. */
export function choiceField<T extends string>(
  fn: string,
  arg: string,
  value: unknown,
  fallback: T,
  choices: readonly T[],
): T {
  return value === undefined ? fallback : checkChoice(fn, arg, value, choices);
}
