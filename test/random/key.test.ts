import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveChildKey, deriveKey, philox4x32 } from '../../src/random/index.js';
import { absorbBig, deriveKeyBig } from './bigint-philox.js';

/**
 * Golden keys: computed by this implementation when the construction was fixed (they pin it:
 * a change is a breaking change of every stream), and cross-checked below against
 * `deriveKeyBig`, an independent BigInt Philox + the construction written again from the TSDoc.
 */
const GOLDEN: [number | bigint, string, number, number][] = [
  [0, '', 0x6627e8d5, 0xe169c58d],
  [1, '', 0xe3e80671, 0xe50a0ebc],
  [42, 'w', 0x3e3d48da, 0x9f83142a],
  [2n ** 64n - 1n, '', 0x8d5b88f6, 0xeab8b8c6],
  [0, 'layer1.weight', 0x79e1b855, 0xc3fa9dbc],
  [7, 'héllo→😀', 0xabb5ba1c, 0x36df2de9],
  [0, 'a'.repeat(40), 0x89d1f1bd, 0x8ed7df91],
];

describe('deriveKey', () => {
  it.each(GOLDEN)('deriveKey(%s, %j) is pinned', (seed, name, k0, k1) => {
    expect(deriveKey(seed, name)).toEqual({ k0, k1 });
    expect(deriveKeyBig(BigInt(seed), name)).toEqual([k0, k1]);
  });

  it('seed 0 with the empty name is one Philox call on zeros (the Random123 zero vector)', () => {
    const out = philox4x32([0, 0, 0, 0], [0, 0]);
    expect(deriveKey(0)).toEqual({ k0: out[0], k1: out[1] });
  });

  it('the default name is the empty name, and differs from the raw seed words', () => {
    expect(deriveKey(5)).toEqual(deriveKey(5, ''));
    expect(deriveKey(5)).not.toEqual({ k0: 5, k1: 0 });
  });

  it('number and bigint seeds agree; high words are used', () => {
    expect(deriveKey(2 ** 40 + 3, 'x')).toEqual(deriveKey(2n ** 40n + 3n, 'x'));
    expect(deriveKey(2 ** 32, 'x')).not.toEqual(deriveKey(0, 'x'));
  });

  it('matches the BigInt construction for random seeds and names (incl. multi-block, non-ASCII)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        (seed, name) => {
          const k = deriveKey(seed, name);
          expect([k.k0, k.k1]).toEqual(deriveKeyBig(seed, name));
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it('different names give different keys; the same (seed, name) the same key', () => {
    const names = [
      '',
      'a',
      'b',
      'ab',
      'a\0',
      '\0',
      'layer.0.weight',
      'layer.0.bias',
      'layer.1.weight',
    ];
    const keys = new Set(names.map((n) => JSON.stringify(deriveKey(9, n))));
    expect(keys.size).toBe(names.length);
    expect(deriveKey(9, 'layer.0.weight')).toEqual(deriveKey(9, 'layer.0.weight'));
  });

  it('padding is unambiguous: a name and the same name with trailing NULs differ', () => {
    // 12 bytes + length fit one block; 12 bytes + 4 NULs make 16 bytes + length: two blocks.
    expect(deriveKey(1, 'abcdefghijkl')).not.toEqual(deriveKey(1, 'abcdefghijkl\0\0\0\0'));
    expect(deriveKey(1, 'abc')).not.toEqual(deriveKey(1, 'abc\0'));
  });

  it('returns frozen keys', () => {
    expect(Object.isFrozen(deriveKey(1, 'x'))).toBe(true);
  });
});

describe('deriveChildKey', () => {
  it('absorbs the name into the parent key (the same construction, from the key)', () => {
    const parent = deriveKey(3, 'p');
    const child = deriveChildKey(parent, 'c');
    expect([child.k0, child.k1]).toEqual(absorbBig([parent.k0, parent.k1], 'c'));
    expect(child).not.toEqual(deriveKey(3, 'pc'));
    expect(child).not.toEqual(deriveKey(3, 'p/c'));
    expect(deriveChildKey(parent, 'c')).toEqual(child);
    expect(deriveChildKey(parent, 'd')).not.toEqual(child);
  });
});
