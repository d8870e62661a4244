/** Argument checks shared by the TF.js adapter's functions (the core's message template). */
import { checkSeed } from '../init/options.js';
import type { Seed } from '../random/key.js';
import { checkKnownKeys, typeError } from '../tensor/errors.js';

/**
 * Checks an options argument: a plain object (not null, not an array) made of known keys.
 * @throws TypeError for a non-object; RangeError for an unknown key, listing the known ones.
 */
export function checkOptionsObject(
  fn: string,
  options: unknown,
  keys: readonly string[],
  expected = 'an object',
): asserts options is object {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    typeError(fn, 'options', expected, options);
  checkKnownKeys(fn, options, keys);
}

/**
 * Checks a required seed: randomness is always explicit.
 * @throws TypeError when it is missing or not a number/bigint; RangeError when out of range.
 */
export function requiredSeed(fn: string, seed: unknown): Seed {
  if (seed === undefined)
    typeError(
      fn,
      'seed',
      'given (a safe integer >= 0 or a bigint): randomness is always explicit',
      seed,
    );
  return checkSeed(fn, seed);
}
