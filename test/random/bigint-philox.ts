/**
 * An independent, straightforward Philox4x32-R written with BigInt (exact 64-bit products, no
 * float tricks), used only by the tests to cross-check the library's two implementations and
 * its key derivation.
 */

const MASK = 0xffffffffn;

export function philoxBig(
  counter: readonly number[],
  key: readonly number[],
  rounds = 10,
): number[] {
  let [c0, c1, c2, c3] = counter.map(BigInt);
  let [k0, k1] = key.map(BigInt);
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + 0x9e3779b9n) & MASK;
      k1 = (k1 + 0xbb67ae85n) & MASK;
    }
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & MASK, (p0 >> 32n) ^ c3 ^ k1, p0 & MASK];
  }
  return [c0, c1, c2, c3].map(Number);
}

/** deriveKey's construction, written again from its documentation. */
export function deriveKeyBig(seed: bigint, name: string): [number, number] {
  return absorbBig([Number(seed & MASK), Number(seed >> 32n)], name);
}

export function absorbBig(key: [number, number], name: string): [number, number] {
  const bytes = Array.from(new TextEncoder().encode(name));
  const len = bytes.length;
  while ((bytes.length + 4) % 16 !== 0) bytes.push(0);
  bytes.push(len & 255, (len >>> 8) & 255, (len >>> 16) & 255, len >>> 24);
  let [a, b] = key;
  for (let off = 0; off < bytes.length; off += 16) {
    const words = [0, 1, 2, 3].map(
      (w) =>
        (bytes[off + 4 * w] |
          (bytes[off + 4 * w + 1] << 8) |
          (bytes[off + 4 * w + 2] << 16) |
          (bytes[off + 4 * w + 3] << 24)) >>>
        0,
    );
    const out = philoxBig(words, [a, b]);
    a = (out[0] ^ a) >>> 0;
    b = (out[1] ^ b) >>> 0;
  }
  return [a, b];
}
