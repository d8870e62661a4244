/** The lab's strategy labels, weight values and small statistics. */
import { describe, expect, it } from 'vitest';
import { initialize } from '../../src/init/index.js';
import { histogram, moments, perStepFactor, spread } from '../../src/lab/stats.js';
import { parseStrategy, weightValues } from '../../src/lab/strategies.js';

describe('parseStrategy', () => {
  it.each([
    ['he-normal', 'he-normal', { name: 'he-normal' }],
    [
      'kaiming_normal:mode=fan-out',
      'he-normal:mode=fan-out',
      { name: 'he-normal', mode: 'fan-out' },
    ],
    ['normal:std=0.01', 'normal:std=0.01', { name: 'normal', std: 0.01 }],
    ['constant:value=0', 'constant:value=0', { name: 'constant', value: 0 }],
    ['orthogonal:gain=2', 'orthogonal:gain=2', { name: 'orthogonal', gain: 2 }],
  ])('%s', (text, label, spec) => {
    expect(parseStrategy(text)).toEqual({ label, spec });
  });

  it('takes a spec object; its label lists the options in order', () => {
    expect(parseStrategy({ name: 'glorot_uniform', gain: 2 })).toEqual({
      label: 'xavier-uniform:gain=2',
      spec: { name: 'xavier-uniform', gain: 2 },
    });
  });

  it.each([
    ['bogus', RangeError],
    ['normal:std', RangeError],
    ['normal:seed=1', RangeError],
    ['normal:layout=in-out', RangeError],
    ['normal:sdt=1', RangeError],
    ['uniform:low=1:high=0', RangeError],
    [42, TypeError],
    [{ gain: 1 }, TypeError],
  ])('refuses %j', (value, type) => {
    expect(() => parseStrategy(value as never)).toThrow(type);
  });
});

describe('weightValues', () => {
  it('is the core strategy in layout in-out, from the given seed and stream', () => {
    const got = weightValues({ name: 'xavier-uniform' }, [8, 4], 3, 'layer1.kernel');
    const want = initialize(
      { name: 'xavier-uniform', seed: 3, stream: 'layer1.kernel', layout: 'in-out' },
      [8, 4],
    ).data;
    expect(got).toEqual(want);
    // layout in-out: fan-in is the first dimension (He: std √(2/8))
    const he = weightValues({ name: 'he-normal' }, [8, 4096], 0, 'w');
    expect(moments(he).std).toBeCloseTo(0.5, 2);
  });

  it('leaves seed and stream out for strategies that take none', () => {
    expect(Array.from(weightValues({ name: 'identity' }, [2, 2], 0, 'w'))).toEqual([1, 0, 0, 1]);
    expect(Array.from(weightValues({ name: 'zeros' }, [3], 0, 'b'))).toEqual([0, 0, 0]);
  });
});

describe('stats', () => {
  it('moments, spread, perStepFactor', () => {
    expect(moments([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(spread([1, 3])).toEqual({ mean: 2, std: 1, min: 1, max: 3 });
    expect(spread([]).mean).toBeNaN();
    expect(perStepFactor([8, 4, 2, 1])).toBe(0.5);
    expect(perStepFactor([0, 1])).toBeNaN();
  });

  it('histogram: equal bins over [min, max], the maximum in the last bin, non-finite skipped', () => {
    expect(histogram([0, 0.5, 1, Number.NaN], 2)).toEqual({ low: 0, high: 1, counts: [1, 2] });
    expect(histogram([2, 2], 3)).toEqual({ low: 2, high: 2, counts: [2, 0, 0] });
    expect(histogram([], 2)).toEqual({ low: 0, high: 0, counts: [0, 0] });
  });
});
