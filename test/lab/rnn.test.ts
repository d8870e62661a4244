/**
 * `rnn`: ‖∂L/∂h_t‖ through time. In a linear RNN backpropagation multiplies by Wᵀ once per
 * step, so an orthogonal W keeps the norm to float precision and the identity keeps it
 * exactly; small weights lose it geometrically.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rnn } from '../../src/lab/rnn.js';
import { setupBackend } from '../../src/tfjs/backend.js';

beforeAll(async () => {
  await setupBackend();
});

describe('rnn, 200 steps', () => {
  let report: Awaited<ReturnType<typeof rnn>>;
  beforeAll(async () => {
    report = await rnn({ steps: 200, hidden: 64, batch: 8 });
  });
  const get = (strategy: string, activation: string) =>
    report.results.find((r) => r.strategy === strategy && r.activation === activation)!;
  const deviation = (g: number[]) =>
    Math.max(...g.slice(1).map((v) => Math.abs(v / g[g.length - 1] - 1)));

  it('linear, orthogonal W: the gradient norm is constant to float precision', () => {
    // Each step's float32 product rounds at ~6e-8 relative and W is orthogonal to ~1e-7, so
    // over 200 steps the norm may drift by a few 1e-6 at most (measured 2e-7); bound 1e-5.
    expect(deviation(get('orthogonal', 'linear').gradientNorm)).toBeLessThan(1e-5);
  });

  it('linear, identity W: the gradient norm is exactly constant', () => {
    expect(deviation(get('identity', 'linear').gradientNorm)).toBe(0);
  });

  it('small weights lose the gradient geometrically; ReLU cells keep most with the identity', () => {
    // N(0, 0.01²) on 64 units: ‖Wᵀg‖ ≈ 0.01·√64 = 0.08‖g‖ per step
    const small = get('normal:std=0.01', 'linear').gradientNorm;
    expect(small[199] / small[200]).toBeGreaterThan(0.08 * 0.5);
    expect(small[199] / small[200]).toBeLessThan(0.08 * 1.5);
    expect(small[150]).toBeLessThan(1e-30);
    const relu = report.results.filter((r) => r.activation === 'relu');
    const best = relu.reduce((a, b) => (b.gradientRatio > a.gradientRatio ? b : a));
    expect(best.strategy).toBe('identity');
  });

  it('reports a norm for every t = 0 … steps, the last one ‖r‖ ≈ √hidden', () => {
    expect(report.results).toHaveLength(12);
    for (const r of report.results) {
      expect(r.gradientNorm).toHaveLength(201);
      expect(r.hiddenNorm).toHaveLength(201);
      expect(r.hiddenNorm[0]).toBe(0);
      expect(r.gradientNorm[200]).toBeGreaterThan(8 * 0.8);
      expect(r.gradientNorm[200]).toBeLessThan(8 * 1.2);
      expect(r.gradientRatio).toBe(r.gradientNorm[1] / r.gradientNorm[200]);
    }
    // every cell sees the same error: the last norm is the same for all
    expect(new Set(report.results.map((r) => r.gradientNorm[200])).size).toBe(1);
  });
});

describe('rnn: bad configurations', () => {
  it.each([
    [{ steps: 0 }, /`steps`/],
    [{ strategies: ['orthogonal:gain=x'] }, /gain/],
    [{ input: 'nope' }, /strategy/],
  ])('%j', async (config, message) => {
    await expect(rnn(config as never)).rejects.toThrow(message);
  });
});
