import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../../src/model/sha256.js';

describe('sha256', () => {
  it('matches the FIPS 180-4 / NIST example vectors', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256('a'.repeat(1_000_000))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    );
  });

  it('hashes UTF-8 and bytes, across block boundaries, like node:crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(sha256(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
    );
    for (const n of [55, 56, 63, 64, 65, 119, 120]) {
      const s = 'é'.repeat(n);
      expect(sha256(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }
  });

  it('rejects other inputs', () => {
    expect(() => sha256(5 as never)).toThrow(
      new TypeError('sha256: `input` must be a string or a Uint8Array, got 5'),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members and writes bigints as integers', () => {
    expect(canonicalJson({ b: [1, 2n, { d: null, c: undefined }], a: 'x', é: true })).toBe(
      '{"a":"x","b":[1,2,{"d":null}],"é":true}',
    );
    expect(canonicalJson({ seed: 5n })).toBe(canonicalJson({ seed: 5 }));
  });

  it('is the same text whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(o));
        expect(JSON.parse(canonicalJson(o))).toEqual(JSON.parse(JSON.stringify(o)));
      }),
    );
  });

  it('rejects what JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});
