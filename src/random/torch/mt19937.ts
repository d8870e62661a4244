/**
 * MT19937 as PyTorch's CPU generator runs it (`aten/src/ATen/core/MT19937RNGEngine.h`,
 * `CPUGeneratorImpl.cpp`): Matsumoto & Nishimura's 32-bit Mersenne Twister (1998), seeded with
 * `init_genrand` on the low 32 bits of the seed, the state regenerated 624 words at a time.
 *
 * Copyright notice of the original (mt19937ar.c): "Copyright (C) 1997 - 2002, Makoto Matsumoto
 * and Takuji Nishimura, All rights reserved." (BSD 3-clause; see PyTorch's header for the text.)
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** A Mersenne Twister: `random()` is PyTorch's `CPUGeneratorImpl::random()`. */
export class MT19937 {
  private readonly state = new Uint32Array(N);
  private next = N;

  /** `init_genrand(seed mod 2³²)`: `mt19937(seed)` in PyTorch. */
  constructor(seed32: number) {
    const s = this.state;
    s[0] = seed32 >>> 0;
    for (let j = 1; j < N; j++) {
      const p = s[j - 1] ^ (s[j - 1] >>> 30);
      s[j] = (Math.imul(1812433253, p) + j) >>> 0;
    }
  }

  /** The next 32-bit output, an integer in [0, 2³²). */
  random(): number {
    if (this.next === N) this.twist();
    let y = this.state[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * PyTorch's `random64() & (2⁵³ − 1)` as a number: `random64()` is (first ≪ 32) | second, so
   * this is (first mod 2²¹)·2³² + second.
   */
  random53(): number {
    const hi = this.random();
    const lo = this.random();
    return (hi & 0x1fffff) * 4294967296 + lo;
  }

  /** Regenerates the 624 state words. */
  private twist(): void {
    const s = this.state;
    let k = 0;
    for (; k < N - M; k++) {
      const y = (s[k] & UPPER) | (s[k + 1] & LOWER);
      s[k] = s[k + M] ^ (y >>> 1) ^ (s[k + 1] & 1 ? MATRIX_A : 0);
    }
    for (; k < N - 1; k++) {
      const y = (s[k] & UPPER) | (s[k + 1] & LOWER);
      s[k] = s[k + M - N] ^ (y >>> 1) ^ (s[k + 1] & 1 ? MATRIX_A : 0);
    }
    const y = (s[N - 1] & UPPER) | (s[0] & LOWER);
    s[N - 1] = s[M - 1] ^ (y >>> 1) ^ (s[0] & 1 ? MATRIX_A : 0);
    this.next = 0;
  }
}
