import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillNormal, fillUniform, type Key } from '../../src/random/index.js';
import {
  startWorkerPool,
  stopWorkerPool,
  workerPoolReady,
  workerPoolStats,
} from '../../src/random/pool-node.js';
import { setParallelRunner, setWasmRandom } from '../../src/random/wasm.js';
import { FILLS, type Fill, type Out } from './wasm-fills.js';

// The worker pool splits a fill across threads: the bits must be those of one thread (element i
// depends on (key, i) alone). Fills here go to the pool from 1000 elements on.

/** A sampler of each kind: words, uniform, normal, many rejections, the proposals, clamping. */
const POOL_FILLS = FILLS.filter(([name]) =>
  [
    'uniformBits',
    'uniform(-3, 5)',
    'normal(1, 2)',
    'truncatedNormal(0.5, 3, [0, 2])',
    'truncatedNormal(0.5, 3, [-1, 0.9])',
    'truncatedNormal(0.5, 3, [2, 3])',
    'source.truncatedNormal(1, 4e-8, [1 - 1e-7, 1 + 1e-7])',
  ].includes(name),
);

type Ctor = { new (n: number): Out; new (b: SharedArrayBuffer): Out; BYTES_PER_ELEMENT: number };
const make = (T: Ctor, n: number, shared: boolean): Out =>
  shared ? new T(new SharedArrayBuffer(n * T.BYTES_PER_ELEMENT)) : new T(n);

/** The fill on one thread (the pool unregistered, the kernels kept). */
function oneThread(fill: Fill, key: Key, out: Out, start: number, threads: number): void {
  setParallelRunner(null);
  try {
    fill(key, out, start);
  } finally {
    expect(startWorkerPool({ threads, minElements: 1000 })).toBe(threads);
  }
}

describe('worker pool', () => {
  const THREADS = 3;
  beforeAll(async () => {
    setWasmRandom(true, 0);
    expect(startWorkerPool({ threads: THREADS, minElements: 1000 })).toBe(THREADS);
    expect(await workerPoolReady()).toBe(THREADS);
  });
  afterAll(async () => {
    // the workers did their share: tasks were posted, none failed (a failed one is redone here)
    const stats = workerPoolStats();
    expect(stats.tasks).toBeGreaterThan(20);
    expect(stats.failed).toBe(0);
    await stopWorkerPool();
    setWasmRandom(true);
  });

  for (const [name, fill] of POOL_FILLS) {
    const types: [string, Ctor][] =
      name === 'uniformBits'
        ? [['u32', Uint32Array as unknown as Ctor]]
        : [
            ['float32', Float32Array as unknown as Ctor],
            ['float64', Float64Array as unknown as Ctor],
          ];
    for (const [dtype, T] of types) {
      it(`${name} ${dtype}: split across threads = one thread (shared and plain outputs)`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 0, max: 0xffffffff }),
            fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 40 })),
            fc.integer({ min: 0, max: 300_000 }),
            fc.boolean(),
            (k0, start, n, shared) => {
              const key = { k0, k1: 99 };
              const split = make(T, n, shared);
              fill(key, split, start);
              const whole = make(T, n, false);
              oneThread(fill, key, whole, start, THREADS);
              expect(Array.from(split)).toEqual(Array.from(whole));
            },
          ),
          { seed: 21, numRuns: 6 },
        );
      });
    }
  }

  it('several rounds of scratch buffers (plain output of 3.3 M elements), and in place', () => {
    for (const shared of [false, true]) {
      const n = 3_300_000;
      const key = { k0: 5, k1: 6 };
      const split = make(Float32Array as unknown as Ctor, n, shared);
      fillNormal(key, split as Float32Array, 0, 1, 17);
      const whole = new Float32Array(n);
      oneThread((k, o, s) => fillNormal(k, o as Float32Array, 0, 1, s), key, whole, 17, THREADS);
      expect(Buffer.from(split.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
    }
  });

  it('small fills stay on this thread; a second start keeps the running pool', () => {
    expect(startWorkerPool({ threads: 5, minElements: 1000 })).toBe(THREADS);
    const out = new Float64Array(999);
    fillUniform({ k0: 1, k1: 2 }, out);
    const ref = new Float64Array(999);
    oneThread((k, o, s) => fillUniform(k, o as Float64Array, 0, 1, s), { k0: 1, k1: 2 }, ref, 0, 3);
    expect(out).toEqual(ref);
  });

  it('rejects bad options', () => {
    expect(() => startWorkerPool({ threads: 0 })).toThrow(RangeError);
    expect(() => startWorkerPool({ minElements: 1.5 })).toThrow(RangeError);
  });
});

describe('pool in a process started with --input-type=module', () => {
  it('its workers still run (they do not inherit the flag) and take tasks', async () => {
    // On the built package, as a user's ESM one-liner would run it (weightinit/node starts
    // the samplers' pool and the QR's).
    const { spawnSync } = await import('node:child_process');
    const script = `
      import { startWorkerPool, workerPoolReady, workerPoolStats, stopWorkerPool } from './dist/node.js';
      import { fillNormal } from './dist/random/index.js';
      startWorkerPool({ threads: 2, minElements: 1000 });
      const threads = await workerPoolReady();
      fillNormal({ k0: 1, k1: 2 }, new Float32Array(1 << 16), 0, 1, 0);
      console.log(JSON.stringify({ threads, tasks: workerPoolStats().tasks > 0 }));
      await stopWorkerPool();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('../../', import.meta.url),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ threads: 2, tasks: true });
  });
});
