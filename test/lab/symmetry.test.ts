/**
 * `symmetry`: identical starting weights stay identical; zero weights learn nothing beyond the
 * output bias. These are exact statements (no tolerance beyond float rounding): units that
 * start equal compute bit-identical values and gradients.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { distinctUnits, symmetry } from '../../src/lab/symmetry.js';
import { setupBackend } from '../../src/tfjs/backend.js';

beforeAll(async () => {
  await setupBackend();
});

describe('distinctUnits', () => {
  it('counts columns (units) that differ by more than the tolerance × the largest |value|', () => {
    // kernel [fanIn 2, units 3], in-out layout: unit j is column j
    const k = new Float32Array([1, 1, 2, 3, 3, 3]);
    expect(distinctUnits(k, new Float32Array(3), 2, 3, 1e-4)).toBe(2);
    expect(distinctUnits(k, new Float32Array([0, 1, 0]), 2, 3, 1e-4)).toBe(3);
    expect(distinctUnits(new Float32Array(6), new Float32Array(3), 2, 3, 1e-4)).toBe(1);
    // 1e-5 apart, scale 3: the same at tolerance 1e-4, different at 1e-6
    const near = new Float32Array([1, 1.00001, 3, 3]);
    expect(distinctUnits(near, new Float32Array(2), 2, 2, 1e-4)).toBe(1);
    expect(distinctUnits(near, new Float32Array(2), 2, 2, 1e-6)).toBe(2);
  });
});

describe.each(['tanh', 'relu'])('symmetry, %s', (activation) => {
  let report: Awaited<ReturnType<typeof symmetry>>;
  beforeAll(async () => {
    report = await symmetry({ activation, steps: 200 });
  });
  const get = (s: string) => report.results.find((r) => r.strategy === s)!;

  it('zero init: exactly one distinct unit per hidden layer, before and after training', () => {
    expect(get('zeros').distinctUnitsAtInit).toEqual([1, 1, 1]);
    expect(get('zeros').distinctUnits).toEqual([1, 1, 1]);
  });

  it('zero init: the loss never goes below the bias fit (only the output bias learns)', () => {
    const z = get('zeros');
    // float32 sums of 128 squares: relative rounding ~1e-7
    for (const l of z.loss) expect(l).toBeGreaterThanOrEqual(z.biasFitLoss * (1 - 1e-6));
    // and it converges to it: gradient descent on the output bias alone
    expect(z.finalLoss).toBeLessThan(z.biasFitLoss * (1 + 1e-3));
    expect(z.loss[0]).toBeGreaterThan(z.biasFitLoss * 1.1);
  });

  it('constant init: units stay identical (a layer of one), yet the network learns a little', () => {
    const c = get('constant:value=0.1');
    expect(c.distinctUnitsAtInit).toEqual([1, 1, 1]);
    expect(c.distinctUnits).toEqual([1, 1, 1]);
    expect(c.finalLoss).toBeLessThan(0.5 * c.biasFitLoss);
  });

  it('random init: every unit distinct, and the lowest loss', () => {
    const x = get('xavier-uniform');
    expect(x.distinctUnits).toEqual([16, 16, 16]);
    expect(x.finalLoss).toBeLessThan(get('constant:value=0.1').finalLoss);
  });

  it('reports the documented fields', () => {
    expect(report.config).toMatchObject({
      activation,
      hidden: [16, 16, 16],
      steps: 200,
      optimizer: 'sgd',
    });
    for (const r of report.results) {
      expect(r.loss).toHaveLength(201);
      expect(r.finalLoss).toBe(r.loss[200]);
      expect(r.activation).toBe(activation);
    }
  });
});

describe('symmetry: layer widths', () => {
  it('accepts equal widths (the widths of consecutive layers may repeat)', async () => {
    const report = await symmetry({ hidden: [8, 8], steps: 2, strategies: ['zeros'] } as never);
    expect(report.config.hidden).toEqual([8, 8]);
    expect(report.results[0]?.distinctUnits).toEqual([1, 1]);
  });
});

describe('symmetry: bad configurations', () => {
  it.each([
    [{ hidden: [] }, /`hidden` must be a non-empty list/],
    [{ optimizer: 'rmsprop' }, /`optimizer` must be one of "sgd", "adam"/],
    [{ learningRate: 0 }, /`learningRate`/],
    [{ tolerance: -1 }, /`tolerance`/],
    [{ activation: 'swish' }, /`activation` must be one of/],
  ])('%j', async (config, message) => {
    await expect(symmetry(config as never)).rejects.toThrow(RangeError);
    await expect(symmetry(config as never)).rejects.toThrow(message);
  });
});
