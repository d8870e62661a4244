import { describe, expect, it } from 'vitest';
import { computeFans, fanFor, parseFanMode } from '../../src/tensor/fans.js';

// Expected values follow PyTorch's _calculate_fan_in_and_fan_out (torch/nn/init.py):
// fan_in = size(1) · receptive field, fan_out = size(0) · receptive field.
describe('computeFans', () => {
  it.each([
    [[64, 32], {}, 32, 64],
    [[16, 8, 3, 3], {}, 72, 144],
    [[16, 8, 5], {}, 40, 80],
    [[16, 8, 3, 3, 3], {}, 216, 432],
    [[3, 3, 8, 16], { layout: 'in-out' as const }, 72, 144],
    [[32, 64], { layout: 'in-out' as const }, 32, 64],
    [[0, 5], {}, 5, 0],
    [[5], { fanIn: 5, fanOut: 7 }, 5, 7],
    [[64, 32], { fanIn: 10 }, 10, 64],
  ])('%j %j → fanIn %d, fanOut %d', (shape, options, fanIn, fanOut) => {
    expect(computeFans(shape, options)).toEqual({ fanIn, fanOut });
  });

  it('modes select the fan; fan-avg is the mean', () => {
    const fans = { fanIn: 72, fanOut: 144 };
    expect(fanFor(fans, 'fan-in')).toBe(72);
    expect(fanFor(fans, 'fan-out')).toBe(144);
    expect(fanFor(fans, 'fan-avg')).toBe(108);
  });

  it('accepts PyTorch and Keras spellings of modes', () => {
    expect(parseFanMode('f', 'fan_in')).toBe('fan-in');
    expect(parseFanMode('f', 'fanOut')).toBe('fan-out');
    expect(parseFanMode('f', 'FAN_AVG')).toBe('fan-avg');
  });

  it.each([
    [() => computeFans([5]), RangeError, 'computeFans: `shape` must be at least 2 dimensions'],
    [() => computeFans([]), RangeError, 'got []'],
    [
      () => computeFans([2, 2], { layout: 'nchw' as never }),
      RangeError,
      'one of "out-in", "in-out"',
    ],
    [() => computeFans([2, 2], { fanIn: -1 }), RangeError, '`fanIn` must be an integer >= 0'],
    [() => computeFans([2, 2], { fanOut: 'x' as never }), TypeError, '`fanOut` must be an integer'],
    [
      () => fanFor({ fanIn: 1, fanOut: 1 }, 'fan' as never),
      RangeError,
      'one of "fan-in", "fan-out", "fan-avg"',
    ],
    [() => parseFanMode('f', 3), TypeError, '`mode` must be one of'],
  ])('bad input %#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
