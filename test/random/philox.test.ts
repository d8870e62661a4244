import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { philox4x32, philoxBlocks } from '../../src/random/index.js';
import { philoxBig } from './bigint-philox.js';

/**
 * Known-answer vectors of Random123 (D. E. Shaw Research), file `kat_vectors` of the
 * distribution (tests/kat_vectors; the same lines are in examples/kat_vectors of the manual's
 * copy). Columns: name, rounds, counter (4 words), key (2 words), expected output (4 words).
 */
const KAT = `
philox4x32 7 00000000 00000000 00000000 00000000 00000000 00000000   5f6fb709 0d893f64 4f121f81 4f730a48
philox4x32 7 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff   5207ddc2 45165e59 4d8ee751 8c52f662
philox4x32 7 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0   4dfccaba 190a87f0 c47362ba b6b5242a
philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000   6627e8d5 e169c58d bc57ac4c 9b00dbd8
philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff   408f276d 41c83b0e a20bc7c6 6d5451fd
philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0   d16cfe09 94fdcceb 5001e420 24126ea1
philox4x32 10 00000001 00000000 00000000 00000000   00000001 00000000   ac08141b dfc5ccbe 79c07a47 a7f66093
philox4x32 10 243f6a88 85a308d3 13198a2e 03707344   00000000 ffffffff   08f7720c 845ee9e0 502ccd3d a9a00e27
philox4x32 10 452821e6 38d01377 be5466cf 34e90c6c   00000000 80000000   94ca5566 14924b2f 28214292 59faeaee
philox4x32 7 a4093822 299f31d0 082efa98 ec4e6c89   00000000 80000000   f9440a22 337100bb 1845d9c8 2736ad6d
`
  .trim()
  .split('\n')
  .map((line) => {
    const f = line.trim().split(/\s+/);
    const w = f.slice(2).map((h) => Number.parseInt(h, 16));
    return {
      rounds: Number(f[1]),
      counter: w.slice(0, 4),
      key: w.slice(4, 6),
      expected: w.slice(6),
    };
  });

describe('philox4x32', () => {
  it.each(KAT)('matches Random123 known answers (R=$rounds, ctr=$counter, key=$key)', (v) => {
    expect(Array.from(philox4x32(v.counter, v.key, v.rounds))).toEqual(v.expected);
    expect(philoxBig(v.counter, v.key, v.rounds)).toEqual(v.expected);
  });

  it('defaults to 10 rounds', () => {
    expect(Array.from(philox4x32([0, 0, 0, 0], [0, 0]))).toEqual([
      0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8,
    ]);
  });

  it('agrees with an independent BigInt implementation on random inputs', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(
        fc.tuple(u32, u32, u32, u32),
        fc.tuple(u32, u32),
        fc.integer({ min: 0, max: 16 }),
        (c, k, r) => {
          expect(Array.from(philox4x32(c, k, r))).toEqual(philoxBig(c, k, r));
        },
      ),
      { seed: 1, numRuns: 500 },
    );
  });
});

describe('philoxBlocks', () => {
  it('equals philox4x32 block by block, across the 2^32 carry into counter word 1', () => {
    const first = 2 ** 32 - 6;
    const n = 13; // 3 interleaved groups of 4 and a tail of 1
    const out = new Uint32Array(4 * n + 3).fill(7);
    philoxBlocks(0xa4093822, 0x299f31d0, first, 0x13198a2e, 0x03707344, n, out, 1);
    expect(out[0]).toBe(7);
    expect(out[4 * n + 1]).toBe(7);
    for (let j = 0; j < n; j++) {
      const b = first + j;
      const ctr = [b % 2 ** 32, Math.floor(b / 2 ** 32), 0x13198a2e, 0x03707344];
      expect(Array.from(out.subarray(1 + 4 * j, 5 + 4 * j))).toEqual(
        philoxBig(ctr, [0xa4093822, 0x299f31d0]),
      );
    }
  });

  it('agrees with the BigInt reference for random keys, counters and block indexes up to 2^53', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(
        u32,
        u32,
        fc.integer({ min: 0, max: 2 ** 53 - 10 }),
        u32,
        u32,
        fc.integer({ min: 0, max: 9 }),
        (k0, k1, first, c2, c3, n) => {
          const out = new Uint32Array(4 * n);
          philoxBlocks(k0, k1, first, c2, c3, n, out);
          for (let j = 0; j < n; j++) {
            const b = first + j;
            const ctr = [b % 2 ** 32, Math.floor(b / 2 ** 32), c2, c3];
            expect(Array.from(out.subarray(4 * j, 4 * j + 4))).toEqual(philoxBig(ctr, [k0, k1]));
          }
        },
      ),
      { seed: 2, numRuns: 300 },
    );
  });

  it('writes nothing for zero blocks', () => {
    const out = new Uint32Array(4).fill(9);
    philoxBlocks(1, 2, 3, 4, 5, 0, out, 4);
    expect(Array.from(out)).toEqual([9, 9, 9, 9]);
  });
});
