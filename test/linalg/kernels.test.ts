import { afterEach, describe, expect, it } from 'vitest';
import {
  createHeap,
  gemmABt,
  gemmSubAB,
  packQuads,
  setWasmKernels,
} from '../../src/linalg/kernels.js';
import { orthogonalize } from '../../src/linalg/orthogonal.js';
import { householderQR } from '../../src/linalg/qr.js';
import { kernelModuleBytes } from '../../src/linalg/wasm.js';
import { gaussian, maxAbsDiff } from './util.js';

afterEach(() => setWasmKernels(true));

/** Runs `f` with the WebAssembly kernels, then with the JavaScript ones. */
function both<T>(f: () => T): [T, T] {
  setWasmKernels(true);
  const wasm = f();
  setWasmKernels(false);
  const js = f();
  setWasmKernels(true);
  return [wasm, js];
}

describe('kernels', () => {
  it('the WebAssembly module validates and is used on this engine (Node ≥ 20 has SIMD)', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } })
      .WebAssembly;
    expect(api.validate(kernelModuleBytes())).toBe(true);
    expect(createHeap(4).wasm).toBe(true);
    setWasmKernels(false);
    expect(createHeap(4).wasm).toBe(false);
  });

  // Odd and even sizes, remainders of the 2 × 4 blocks, lengths over a chunk (256).
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [2, 4, 2],
    [3, 5, 7],
    [8, 8, 255],
    [9, 6, 257],
    [33, 32, 600],
  ];
  for (const [p, nb, len] of sizes) {
    it(`gemmABt and gemmSubAB (p=${p}, nb=${nb}, len=${len}): right values, same bits in wasm and JS`, () => {
      /** With B as rows, or also interleaved (`packed`: the kernels `abtp`, `subp`). */
      const run = (packed: boolean) => {
        // Layout: A (p × (len+3), stride len+3), B (nb × len), Y (p × nb), B interleaved.
        const as = len + 3;
        const aOff = 0;
        const bOff = p * as;
        const yOff = bOff + nb * len;
        const bp = yOff + p * nb;
        const h = createHeap(bp + nb * (len + 1));
        h.x.fill(Number.NaN);
        h.x.set(gaussian(p * as, 1), aOff);
        h.x.set(gaussian(nb * len, 2), bOff);
        if (packed) packQuads(h.x, bOff, nb, len, bp);
        gemmABt(h, aOff, as, p, bOff, len, nb, len, yOff, packed ? bp : -1);
        const y = h.x.slice(yOff, yOff + p * nb);
        gemmSubAB(h, aOff, as, p, yOff, nb, bOff, len, len, packed ? bp : -1);
        return { y, c: h.x.slice(aOff, aOff + p * as) };
      };
      const [wasm, js] = both(() => run(false));
      const [wasmPacked, jsPacked] = both(() => run(true));
      expect(wasm.y).toEqual(js.y);
      expect(wasm.c).toEqual(js.c);
      for (const r of [wasmPacked, jsPacked]) {
        expect(r.y).toEqual(wasm.y);
        expect(r.c).toEqual(wasm.c);
      }
      // Values: Y = A Bᵀ, then C = A − Y B, against plain loops.
      const a = gaussian(p * (len + 3), 1);
      const b = gaussian(nb * len, 2);
      const y = new Float64Array(p * nb);
      for (let q = 0; q < p; q++) {
        for (let l = 0; l < nb; l++) {
          let s = 0;
          for (let t = 0; t < len; t++) s += a[q * (len + 3) + t] * b[l * len + t];
          y[q * nb + l] = s;
        }
      }
      expect(maxAbsDiff(wasm.y, y)).toBeLessThan(1e-12 * len);
      const c = Float64Array.from(a);
      for (let q = 0; q < p; q++) {
        for (let t = 0; t < len; t++) {
          let s = 0;
          for (let l = 0; l < nb; l++) s += wasm.y[q * nb + l] * b[l * len + t];
          c[q * (len + 3) + t] -= s;
        }
      }
      expect(maxAbsDiff(wasm.c, c)).toBeLessThan(1e-12 * len);
    });
  }

  it('reads no stale memory: a heap full of NaN before a factorization changes nothing', () => {
    const a = gaussian(200 * 150, 4);
    setWasmKernels(false);
    const expected = householderQR(a, 200, 150, { r: true, blockSize: 16 });
    setWasmKernels(true);
    createHeap(400 * 400).x.fill(Number.NaN); // the memory the next factorization reuses
    const got = householderQR(a, 200, 150, { r: true, blockSize: 16 });
    expect(got.q).toEqual(expected.q);
    expect(got.r).toEqual(expected.r);
  });

  it('householderQR and orthogonalize: same bits with and without WebAssembly', () => {
    for (const [m, n] of [
      [300, 201],
      [130, 130],
    ]) {
      const a = gaussian(m * n, m + n);
      const [w1, j1] = both(() => householderQR(a, m, n, { r: true, blockSize: 16 }));
      expect(w1.q).toEqual(j1.q);
      expect(w1.r).toEqual(j1.r);
      const [w2, j2] = both(() => orthogonalize(a, n, m));
      expect(w2).toEqual(j2);
    }
  });
});
