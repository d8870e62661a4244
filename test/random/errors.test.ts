import { describe, expect, it } from 'vitest';
import {
  deriveChildKey,
  deriveKey,
  fillNormal,
  fillTruncatedNormal,
  fillUniform,
  PhiloxSource,
  permutation,
  philox4x32,
  philoxBlocks,
  philoxSource,
  philoxSourceFromKey,
  uniformBits,
} from '../../src/random/index.js';

const KEY = deriveKey(1);
const f32 = new Float32Array(4);
const src = philoxSource(1);
// biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types
const bad = (v: unknown): any => v;

/** Each row: a call, the error class, a fragment of the message. */
const ROWS: [string, () => unknown, ErrorConstructor, string][] = [
  // philox4x32
  [
    'philox4x32 counter type',
    () => philox4x32(bad(5), [0, 0]),
    TypeError,
    'philox4x32: `counter` must be an array of 4 u32 words, got 5',
  ],
  [
    'philox4x32 counter length',
    () => philox4x32([0, 0, 0], [0, 0]),
    RangeError,
    '`counter` must be an array of 4 u32 words',
  ],
  [
    'philox4x32 counter word',
    () => philox4x32([0, 0, 0, 2 ** 32], [0, 0]),
    RangeError,
    '`counter[3]` must be an integer in [0, 4294967295], got 4294967296',
  ],
  [
    'philox4x32 key word',
    () => philox4x32([0, 0, 0, 0], [-1, 0]),
    RangeError,
    '`key[0]` must be an integer',
  ],
  [
    'philox4x32 key null',
    () => philox4x32([0, 0, 0, 0], bad(null)),
    TypeError,
    '`key` must be an array of 2 u32 words, got null',
  ],
  [
    'philox4x32 rounds',
    () => philox4x32([0, 0, 0, 0], [0, 0], 17),
    RangeError,
    '`rounds` must be an integer in [0, 16], got 17',
  ],
  // philoxBlocks
  [
    'philoxBlocks k0',
    () => philoxBlocks(1.5, 0, 0, 0, 0, 1, new Uint32Array(4)),
    RangeError,
    'philoxBlocks: `k0` must be an integer in [0, 4294967295], got 1.5',
  ],
  [
    'philoxBlocks c3 type',
    () => philoxBlocks(0, 0, 0, 0, bad('1'), 1, new Uint32Array(4)),
    TypeError,
    '`c3` must be an integer, got "1"',
  ],
  [
    'philoxBlocks firstBlock',
    () => philoxBlocks(0, 0, 2 ** 53, 0, 0, 1, new Uint32Array(4)),
    RangeError,
    '`firstBlock` must be an integer',
  ],
  [
    'philoxBlocks nBlocks',
    () => philoxBlocks(0, 0, 0, 0, 0, -1, new Uint32Array(4)),
    RangeError,
    '`nBlocks` must be an integer >= 0, got -1',
  ],
  [
    'philoxBlocks out type',
    () => philoxBlocks(0, 0, 0, 0, 0, 1, bad(new Int32Array(4))),
    TypeError,
    '`out` must be a Uint32Array, got Int32Array(4)',
  ],
  [
    'philoxBlocks out short',
    () => philoxBlocks(0, 0, 0, 0, 0, 2, new Uint32Array(4)),
    RangeError,
    'philoxBlocks: `out` must be a Uint32Array of length >= 8, got Uint32Array(4)',
  ],
  [
    'philoxBlocks offset',
    () => philoxBlocks(0, 0, 0, 0, 0, 1, new Uint32Array(8), 5),
    RangeError,
    '`outOffset` must be an integer in [0, 4], got 5',
  ],
  // deriveKey
  [
    'deriveKey seed type',
    () => deriveKey(bad('1')),
    TypeError,
    'deriveKey: `seed` must be a safe integer >= 0 or a bigint in [0, 2^64), got "1"',
  ],
  [
    'deriveKey seed negative',
    () => deriveKey(-1),
    RangeError,
    '`seed` must be a safe integer >= 0 or a bigint in [0, 2^64), got -1',
  ],
  ['deriveKey seed fraction', () => deriveKey(0.5), RangeError, 'got 0.5'],
  ['deriveKey seed unsafe', () => deriveKey(2 ** 53), RangeError, 'got 9007199254740992'],
  ['deriveKey seed NaN', () => deriveKey(Number.NaN), RangeError, 'got NaN'],
  [
    'deriveKey bigint too big',
    () => deriveKey(2n ** 64n),
    RangeError,
    'a bigint in [0, 2^64) or a safe integer >= 0, got 18446744073709551616n',
  ],
  ['deriveKey bigint negative', () => deriveKey(-1n), RangeError, 'got -1n'],
  [
    'deriveKey stream type',
    () => deriveKey(0, bad(3)),
    TypeError,
    'deriveKey: `stream` must be a string, got 3',
  ],
  [
    'deriveKey lone surrogate',
    () => deriveKey(0, '\uD800x'),
    RangeError,
    '`stream` must be a well-formed string (no lone UTF-16 surrogate)',
  ],
  // deriveChildKey
  [
    'deriveChildKey key',
    () => deriveChildKey(bad(undefined), 'a'),
    TypeError,
    'deriveChildKey: `key` must be a key { k0, k1 } (see deriveKey), got undefined',
  ],
  [
    'deriveChildKey key word',
    () => deriveChildKey(bad({ k0: 1, k1: -2 }), 'a'),
    RangeError,
    '`key.k1` must be an integer in [0, 4294967295], got -2',
  ],
  [
    'deriveChildKey key word type',
    () => deriveChildKey(bad({ k0: '1', k1: 2 }), 'a'),
    TypeError,
    '`key.k0` must be a u32 integer, got "1"',
  ],
  [
    'deriveChildKey name',
    () => deriveChildKey(KEY, bad(null)),
    TypeError,
    'deriveChildKey: `name` must be a string, got null',
  ],
  // fillUniform
  [
    'fillUniform key',
    () => fillUniform(bad(42), f32),
    TypeError,
    'fillUniform: `key` must be a key { k0, k1 } (see deriveKey), got 42',
  ],
  [
    'fillUniform out',
    () => fillUniform(KEY, bad([1, 2])),
    TypeError,
    'fillUniform: `out` must be a Float32Array or Float64Array, got [1, 2]',
  ],
  [
    'fillUniform low type',
    () => fillUniform(KEY, f32, bad('0'), 1),
    TypeError,
    '`low` must be a number, got "0"',
  ],
  [
    'fillUniform high inf',
    () => fillUniform(KEY, f32, 0, Number.POSITIVE_INFINITY),
    RangeError,
    '`high` must be a finite number, got Infinity',
  ],
  [
    'fillUniform low NaN',
    () => fillUniform(KEY, f32, Number.NaN, 1),
    RangeError,
    '`low` must be a finite number, got NaN',
  ],
  [
    'fillUniform low >= high',
    () => fillUniform(KEY, f32, 1, 1),
    RangeError,
    '`high` must be a number > `low` (1), got 1',
  ],
  [
    'fillUniform width overflows',
    () => fillUniform(KEY, f32, -1e308, 1e308),
    RangeError,
    '`high` must be such that `high` − `low` is finite, got 1e+308',
  ],
  [
    'fillUniform start',
    () => fillUniform(KEY, f32, 0, 1, -1),
    RangeError,
    '`start` must be an integer in [0, 9007199254740988], got -1',
  ],
  [
    'fillUniform start type',
    () => fillUniform(KEY, f32, 0, 1, bad('3')),
    TypeError,
    '`start` must be an integer, got "3"',
  ],
  ['fillUniform start fraction', () => fillUniform(KEY, f32, 0, 1, 1.5), RangeError, 'got 1.5'],
  // fillNormal
  [
    'fillNormal key',
    () => fillNormal(bad({}), f32),
    TypeError,
    'fillNormal: `key.k0` must be a u32 integer, got undefined',
  ],
  [
    'fillNormal out',
    () => fillNormal(KEY, bad(new Uint32Array(2))),
    TypeError,
    '`out` must be a Float32Array or Float64Array, got Uint32Array(2)',
  ],
  [
    'fillNormal mean',
    () => fillNormal(KEY, f32, Number.NaN),
    RangeError,
    'fillNormal: `mean` must be a finite number, got NaN',
  ],
  [
    'fillNormal std negative',
    () => fillNormal(KEY, f32, 0, -1),
    RangeError,
    '`std` must be a number >= 0, got -1',
  ],
  [
    'fillNormal std type',
    () => fillNormal(KEY, f32, 0, bad(null)),
    TypeError,
    '`std` must be a number, got null',
  ],
  [
    'fillNormal start too far',
    () => fillNormal(KEY, f32, 0, 1, 2 ** 53 - 3),
    RangeError,
    '`start` must be an integer in [0, 9007199254740988]',
  ],
  // fillTruncatedNormal
  [
    'fillTruncatedNormal key',
    () => fillTruncatedNormal(bad(null), f32, 0, 1, -2, 2),
    TypeError,
    'fillTruncatedNormal: `key` must be a key',
  ],
  [
    'fillTruncatedNormal out',
    () => fillTruncatedNormal(KEY, bad('x'), 0, 1, -2, 2),
    TypeError,
    '`out` must be a Float32Array or Float64Array, got "x"',
  ],
  [
    'fillTruncatedNormal mean',
    () => fillTruncatedNormal(KEY, f32, Number.POSITIVE_INFINITY, 1, -2, 2),
    RangeError,
    '`mean` must be a finite number, got Infinity',
  ],
  [
    'fillTruncatedNormal std',
    () => fillTruncatedNormal(KEY, f32, 0, -0.5, -2, 2),
    RangeError,
    '`std` must be a number >= 0, got -0.5',
  ],
  [
    'fillTruncatedNormal a type',
    () => fillTruncatedNormal(KEY, f32, 0, 1, bad(undefined), 2),
    TypeError,
    '`a` must be a number, got undefined',
  ],
  [
    'fillTruncatedNormal a NaN',
    () => fillTruncatedNormal(KEY, f32, 0, 1, Number.NaN, 2),
    RangeError,
    '`a` must be a number (not NaN), got NaN',
  ],
  [
    'fillTruncatedNormal a >= b',
    () => fillTruncatedNormal(KEY, f32, 0, 1, 2, -2),
    RangeError,
    '`b` must be a number > `a` (2), got -2',
  ],
  [
    'fillTruncatedNormal empty inf',
    () => fillTruncatedNormal(KEY, f32, 0, 1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY),
    RangeError,
    '`b` must be a number > `a` (Infinity), got Infinity',
  ],
  [
    'fillTruncatedNormal start',
    () => fillTruncatedNormal(KEY, f32, 0, 1, -2, 2, 0.5),
    RangeError,
    '`start` must be an integer',
  ],
  // permutation
  ['permutation key', () => permutation(bad(7), 3), TypeError, 'permutation: `key` must be a key'],
  [
    'permutation n type',
    () => permutation(KEY, bad('3')),
    TypeError,
    'permutation: `n` must be an integer, got "3"',
  ],
  [
    'permutation n negative',
    () => permutation(KEY, -1),
    RangeError,
    '`n` must be an integer in [0, 4294967295], got -1',
  ],
  ['permutation n fraction', () => permutation(KEY, 2.5), RangeError, 'got 2.5'],
  // uniformBits
  [
    'uniformBits key',
    () => uniformBits(bad([1, 2]), new Uint32Array(1)),
    TypeError,
    'uniformBits: `key.k0` must be a u32 integer, got undefined',
  ],
  [
    'uniformBits out',
    () => uniformBits(KEY, bad(new Float32Array(1))),
    TypeError,
    'uniformBits: `out` must be a Uint32Array, got Float32Array(1)',
  ],
  [
    'uniformBits start',
    () => uniformBits(KEY, new Uint32Array(1), 2 ** 53),
    RangeError,
    '`start` must be an integer',
  ],
  // philoxSource / philoxSourceFromKey / PhiloxSource
  [
    'philoxSource seed',
    () => philoxSource(bad(null)),
    TypeError,
    'deriveKey: `seed` must be a safe integer >= 0',
  ],
  [
    'philoxSource stream',
    () => philoxSource(1, bad(2)),
    TypeError,
    'deriveKey: `stream` must be a string, got 2',
  ],
  [
    'philoxSourceFromKey key',
    () => philoxSourceFromKey(bad({ k0: 2 ** 32, k1: 0 })),
    RangeError,
    'philoxSourceFromKey: `key.k0` must be an integer in [0, 4294967295], got 4294967296',
  ],
  [
    'new PhiloxSource key',
    () => new PhiloxSource(bad(undefined)),
    TypeError,
    'PhiloxSource: `key` must be a key',
  ],
  [
    'source.uniform out',
    () => src.uniform(bad([]), 0, 1),
    TypeError,
    'PhiloxSource.uniform: `out` must be a Float32Array or Float64Array',
  ],
  [
    'source.uniform bounds',
    () => src.uniform(f32, 2, 1),
    RangeError,
    'PhiloxSource.uniform: `high` must be a number > `low` (2), got 1',
  ],
  [
    'source.uniform start',
    () => src.uniform(f32, 0, 1, -3),
    RangeError,
    'PhiloxSource.uniform: `start` must be an integer',
  ],
  [
    'source.normal std',
    () => src.normal(f32, 0, Number.NaN),
    RangeError,
    'PhiloxSource.normal: `std` must be a finite number, got NaN',
  ],
  [
    'source.normal mean',
    () => src.normal(f32, bad('0'), 1),
    TypeError,
    'PhiloxSource.normal: `mean` must be a number, got "0"',
  ],
  [
    'source.truncatedNormal bounds',
    () => src.truncatedNormal(f32, 0, 1, 1, 1),
    RangeError,
    'PhiloxSource.truncatedNormal: `high` must be a number > `low` (1), got 1',
  ],
  [
    'source.truncatedNormal low NaN',
    () => src.truncatedNormal(f32, 0, 1, Number.NaN, 1),
    RangeError,
    '`low` must be a number (not NaN), got NaN',
  ],
  [
    'source.truncatedNormal std',
    () => src.truncatedNormal(f32, 0, -1, -1, 1),
    RangeError,
    '`std` must be a number >= 0, got -1',
  ],
  [
    'source.permutation n',
    () => src.permutation(-2),
    RangeError,
    'permutation: `n` must be an integer in [0, 4294967295], got -2',
  ],
  [
    'source.child name',
    () => src.child(bad(1)),
    TypeError,
    'PhiloxSource.child: `name` must be a string, got 1',
  ],
];

describe('bad inputs', () => {
  it.each(ROWS)('%s', (_name, call, cls, fragment) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(cls);
    expect((error as Error).message).toContain(fragment);
  });
});
