import { describe, expect, it } from 'vitest';
import { gain, NONLINEARITIES } from '../../src/tensor/gain.js';
import { torchManifest } from '../support/golden.js';

// calculate_gain outputs of PyTorch 2.13 (test/support/golden.ts); keys are PyTorch's names,
// `leaky_relu(0.2)` with its param.
const manifest = torchManifest;

describe('gain', () => {
  it.each(Object.entries(manifest.calculate_gain))(
    'equals PyTorch calculate_gain(%s) exactly',
    (key, value) => {
      const m = /^(\w+)\((.*)\)$/.exec(key);
      const result = m ? gain(m[1], Number(m[2])) : gain(key);
      expect(result).toBe(value);
    },
  );

  it('has the documented table', () => {
    for (const n of [
      'linear',
      'identity',
      'conv1d',
      'conv3d',
      'conv-transpose2d',
      'sigmoid',
    ] as const) {
      expect(gain(n)).toBe(1);
    }
    expect(gain('tanh')).toBe(5 / 3);
    expect(gain('relu')).toBe(Math.SQRT2);
    expect(gain('selu')).toBe(0.75);
    expect(gain('leaky-relu')).toBe(Math.sqrt(2 / (1 + 0.01 * 0.01)));
    expect(gain('leaky_relu', 0)).toBe(Math.SQRT2);
    // PyTorch nn.Linear's default init is kaiming_uniform_(a=√5): gain √(2/6) = √(1/3)
    expect(gain('leaky-relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(NONLINEARITIES).toHaveLength(13);
  });

  it.each([
    [() => gain('gelu'), RangeError, 'gain: `nonlinearity` must be one of "linear"'],
    [() => gain(3 as never), TypeError, 'got 3'],
    [() => gain('leaky-relu', Number.NaN), RangeError, '`slope` must be a finite number'],
    [() => gain('leaky-relu', '0.2' as never), TypeError, '`slope` must be a number'],
  ])('bad input %#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
