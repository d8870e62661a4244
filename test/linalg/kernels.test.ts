import { afterEach, describe, expect, it } from 'vitest';
import {
  applyReflectorToRows,
  createHeap,
  gemmABt,
  gemmSubAB,
  gramUpper,
  PANEL,
  packQuads,
  panelCount,
  panelStart,
  setWasmKernels,
  TAIL_PANEL,
  updateBlock,
} from '../../src/linalg/kernels.js';
import { orthogonalize } from '../../src/linalg/orthogonal.js';
import { householderQR } from '../../src/linalg/qr.js';
import { kernelModuleBytes, panelModuleBytes } from '../../src/linalg/wasm.js';
import { blockOperands, gaussian, maxAbsDiff } from './util.js';

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
  it('the WebAssembly modules validate, are under 4 KiB and are used on this engine (Node ≥ 20 has SIMD)', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } })
      .WebAssembly;
    for (const bytes of [kernelModuleBytes(), panelModuleBytes()]) {
      expect(api.validate(bytes)).toBe(true);
      expect(bytes.length).toBeLessThan(4096); // a browser compiles it synchronously
    }
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

  // Rows in groups of four, two and one; lengths odd and even, 0 and over a chunk.
  for (const [rows, len] of [
    [1, 0],
    [1, 1],
    [2, 2],
    [3, 5],
    [7, 64],
    [9, 255],
    [12, 300],
  ]) {
    it(`reflect (rows=${rows}, len=${len}): the bits of applyReflectorToRows, in wasm and JS`, () => {
      // Rows of length m = c + 1 + len, the reflector in row 0, the rows 1 … rows after it.
      const c = 3;
      const m = c + 1 + len;
      const input = gaussian((rows + 1) * m, rows * 31 + len);
      const run = () => {
        const h = createHeap(input.length + 2);
        h.x.fill(Number.NaN);
        h.x.set(input);
        h.reflect(m, 0, c, 1, rows + 1, 1.25);
        return h.x.slice(0, input.length + 2);
      };
      const [wasm, js] = both(run);
      const expected = Float64Array.from(input);
      applyReflectorToRows(expected, m, 0, c, 1, rows + 1, 1.25);
      expect(wasm.subarray(0, input.length)).toEqual(expected);
      expect(js.subarray(0, input.length)).toEqual(expected);
      expect(wasm[input.length]).toBeNaN(); // nothing written past the rows
      // H x = x − τ (vᵀx) v with v = (1, row 0 after c): the values.
      for (let r = 1; r <= rows; r++) {
        let s = input[r * m + c];
        for (let t = 0; t < len; t++) s += input[c + 1 + t] * input[r * m + c + 1 + t];
        expect(Math.abs(expected[r * m + c] - (input[r * m + c] - 1.25 * s))).toBeLessThan(1e-12);
      }
    });
  }

  // Block sizes with and without a remainder of the groups of four; lengths shorter than the
  // zeros of the last groups, odd, over one or two chunks, zeros past the first chunk.
  for (const [ib, len] of [
    [1, 5],
    [6, 3],
    [13, 40],
    [32, 33],
    [33, 257],
    [64, 600],
    [264, 300],
  ]) {
    it(`gramUpper (ib=${ib}, len=${len}) and pack: the bits of gemmABt(V, V) and packQuads`, () => {
      // V as a block of reflectors leaves it: row l is (0 … 0, 1, v) with the 1 at position l.
      const vals = gaussian(ib * len, ib + len);
      for (let l = 0; l < ib; l++) {
        for (let t = 0; t < Math.min(l, len); t++) vals[l * len + t] = 0;
        if (l < len) vals[l * len + l] = 1;
      }
      const run = () => {
        const [v, vp, g, full] = [
          0,
          ib * len,
          ib * len + ib * (len + 1),
          ib * len + ib * (len + 2) + ib * ib,
        ];
        const h = createHeap(full + ib * ib);
        h.x.fill(Number.NaN);
        h.x.set(vals, v);
        h.pack(v, ib, len, vp);
        const packed = h.x.slice(vp, vp + 4 * (ib >> 2) * (len + (len & 1)));
        gramUpper(h, v, len, ib, g, vp);
        gemmABt(h, v, len, ib, v, len, ib, len, full, vp);
        const upper = (at: number) => {
          const out: number[] = [];
          for (let l = 0; l < ib; l++)
            for (let i = l + 1; i < ib; i++) out.push(h.x[at + l * ib + i]);
          return out;
        };
        return { packed, gram: upper(g), full: upper(full) };
      };
      const [wasm, js] = both(run);
      const x = new Float64Array(ib * len + ib * (len + 1));
      x.set(vals);
      packQuads(x, 0, ib, len, ib * len);
      const expected = x.slice(ib * len, ib * len + wasm.packed.length);
      for (const r of [wasm, js]) {
        expect(r.packed).toEqual(expected);
        expect(r.gram).toEqual(wasm.full);
        expect(r.full).toEqual(wasm.full);
      }
    });
  }

  // Lengths within a chunk and over it, odd and even; group remainders; odd rows; odd leads.
  for (const [p, nb, len, lead] of [
    [5, 6, 7, 3],
    [16, 32, 40, 32],
    [9, 13, 301, 13],
    [16, 64, 600, 64],
    [3, 8, 5, 0],
  ]) {
    it(`gemmABt (p=${p}, nb=${nb}, len=${len}): skipping known zeros gives the dense bits`, () => {
      // B as V (shape 1), or as T (upper, shape 1) or Tᵀ (lower, shape 2), `bl` long; the rows
      // of A zero before `ld`.
      const cases: [number, Float64Array, number, number][] = [
        [1, blockOperands(nb, len, 5, false).v, len, lead],
        [1, blockOperands(nb, len, 5, false).v, len, 0],
        [2, blockOperands(nb, nb, 6, false).b, nb, 0],
        [1, blockOperands(nb, nb, 7, true).b, nb, 0],
      ];
      for (const [shape, b, bl, ld] of cases) {
        const a = gaussian(p * bl, p + bl);
        for (let q = 0; q < p; q++) a.fill(0, q * bl, q * bl + Math.min(ld, bl));
        const run = (skip: boolean) => {
          const [bOff, bp] = [p * bl, p * bl + nb * bl];
          const yOff = bp + nb * (bl + 1);
          const h = createHeap(yOff + p * nb);
          h.x.fill(Number.NaN);
          h.x.set(a);
          h.x.set(b, bOff);
          h.pack(bOff, nb, bl, bp);
          gemmABt(h, 0, bl, p, bOff, bl, nb, bl, yOff, bp, skip ? shape : 0, skip ? ld : 0);
          return h.x.slice(yOff, yOff + p * nb);
        };
        const [dense] = both(() => run(false));
        const [wasm, js] = both(() => run(true));
        expect(wasm).toEqual(dense);
        expect(js).toEqual(dense);
      }
    });
  }

  it('panels of an update: consecutive, even boundaries, PANEL rows then finer ones at the end', () => {
    for (let rows = 0; rows <= 300; rows++) {
      const n = panelCount(rows);
      expect(panelStart(0, rows)).toBe(0);
      expect(Math.min(rows, panelStart(n, rows))).toBe(rows);
      for (let i = 0; i < n; i++) {
        const [r0, r1] = [panelStart(i, rows), Math.min(rows, panelStart(i + 1, rows))];
        expect(r0 % 2).toBe(0);
        expect(r1).toBeGreaterThan(r0);
        expect(r1 - r0).toBeLessThanOrEqual(PANEL);
      }
      if (rows >= 3 * PANEL) expect(panelStart(1, rows)).toBe(PANEL);
      if (rows > 0) expect(rows - panelStart(n - 1, rows)).toBeLessThanOrEqual(TAIL_PANEL);
    }
  });

  it('updateBlock: the first rows and `meanwhile` on this thread, the same bits as rows in order', () => {
    // C (20 × 40, stride 40), V (8 × 40), Y, Y₂ (20 × 8), B (8 × 8), V interleaved.
    const m = 40;
    const [c, v, y, y2, b, vp] = [0, 800, 1120, 1280, 1440, 1504];
    const ops = blockOperands(8, m, 10, false);
    const run = (first: number) => {
      const h = createHeap(vp + 8 * (m + 1));
      h.x.set(gaussian(vp, 9));
      h.x.set(ops.v, v);
      h.x.set(ops.b, b);
      packQuads(h.x, v, 8, m, vp);
      const seen: number[] = [];
      updateBlock(h, m, c, 20, v, m, 8, y, y2, b, vp, 0, first, () => {
        seen.push(h.x[c + 3 * m]); // row 3: updated already if first > 3
      });
      return { c: h.x.slice(c, c + 20 * m), seen };
    };
    const plain = run(0);
    for (const first of [4, 16, 25]) {
      const r = run(first);
      expect(r.c).toEqual(plain.c);
      expect(r.seen).toEqual([plain.c[3 * m]]);
    }
  });

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
