/**
 * One message template for every error the library throws:
 * `fn: \`arg\` must be <expected>, got <value>`, listing valid values where there is a list.
 * `TypeError` for a wrong type, `RangeError` for a value out of range.
 */

/** Renders a received value for an error message: arrays as `[a, b]`, strings quoted. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as Uint8Array).length})`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return String(value);
}

function message(fn: string, arg: string, expected: string, got: unknown): string {
  return `${fn}: \`${arg}\` must be ${expected}, got ${describe(got)}`;
}

/** Throws a `TypeError`: `fn: \`arg\` must be <expected>, got <value>`. */
export function typeError(fn: string, arg: string, expected: string, got: unknown): never {
  throw new TypeError(message(fn, arg, expected, got));
}

/** Throws a `RangeError`: `fn: \`arg\` must be <expected>, got <value>`. */
export function rangeError(fn: string, arg: string, expected: string, got: unknown): never {
  throw new RangeError(message(fn, arg, expected, got));
}

/** Lists valid values for a message: `one of "a", "b", "c"`. */
export function oneOf(values: readonly string[]): string {
  return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/** Checks `value` is a finite number. */
export function checkFinite(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number') typeError(fn, arg, 'a number', value);
  if (!Number.isFinite(value)) rangeError(fn, arg, 'a finite number', value);
  return value;
}

/** Checks `value` is a finite number `> 0` (or `>= 0` when `allowZero`). */
export function checkPositive(fn: string, arg: string, value: unknown, allowZero = false): number {
  const v = checkFinite(fn, arg, value);
  if (allowZero ? v < 0 : v <= 0)
    rangeError(fn, arg, allowZero ? 'a number >= 0' : 'a number > 0', v);
  return v;
}

/** Checks `value` is a safe integer within `[min, max]`. */
export function checkInteger(
  fn: string,
  arg: string,
  value: unknown,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number') typeError(fn, arg, 'an integer', value);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    rangeError(fn, arg, `an integer ${range}`, value);
  }
  return value;
}

/** Checks `value` is one of `choices`. */
export function checkChoice<T extends string>(
  fn: string,
  arg: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== 'string') typeError(fn, arg, oneOf(choices), value);
  if (!(choices as readonly string[]).includes(value)) rangeError(fn, arg, oneOf(choices), value);
  return value as T;
}

/** Rejects option keys that the function does not know (a typo is an error, not a silent default). */
export function checkKnownKeys(fn: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      rangeError(
        fn,
        'options',
        `made of the keys ${known.map((k) => JSON.stringify(k)).join(', ')}`,
        key,
      );
  }
}
