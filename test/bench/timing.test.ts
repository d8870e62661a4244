import { describe, expect, it } from 'vitest';
import {
  median,
  round,
  secondsPerCall,
  summarize,
  timeCalls,
  timeInterleaved,
} from '../../src/bench/timing.js';

/** A clock that advances by `cost` ms per call of the function timed. */
function fakeClock(costs: () => number) {
  let t = 0;
  return { now: () => t, run: () => (t += costs()) };
}

const budget = { warmupMs: 10, budgetMs: 20, minReps: 3, maxReps: 100, longRunMs: 50 };

describe('timing', () => {
  it('median of odd and even counts, NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('warms up, then repeats until the budget and at least minReps', () => {
    const c = fakeClock(() => 2);
    const { ms, warm } = timeCalls(c.run, budget, c.now);
    expect(warm).toBe(true);
    expect(ms.length).toBe(10); // 20 ms of 2 ms calls
    expect(ms.every((x) => x === 2)).toBe(true);
  });

  it('times a long call once after the warm-up, and keeps a very long first call alone (cold)', () => {
    const long = fakeClock(() => 60);
    expect(timeCalls(long.run, budget, long.now)).toEqual({ ms: [60], warm: true });
    const veryLong = fakeClock(() => 300);
    expect(timeCalls(veryLong.run, budget, veryLong.now)).toEqual({ ms: [300], warm: false });
  });

  it('interleaved: in turn, each run called untimed then timed; rounds until the budget, one for long calls', () => {
    let t = 0;
    const order: string[] = [];
    const a = () => {
      order.push('a');
      t += 1;
    };
    const b = () => {
      order.push('b');
      t += 3;
    };
    const ms = timeInterleaved([a, b], budget, () => t);
    expect(ms[0].length).toBe(ms[1].length);
    expect(ms[0].length).toBe(3); // 8 ms rounds (each run twice): 3 reach the 20 ms budget
    expect(ms[0].every((x) => x === 1) && ms[1].every((x) => x === 3)).toBe(true);
    expect(order.join('')).toMatch(/^(aabb)+$/);
    let u = 0;
    const long = timeInterleaved([() => (u += 1), () => (u += 60)], budget, () => u);
    expect(long).toEqual([[1], [60]]);
  });

  it('converts to M elements/s, ms or s, with the best', () => {
    expect(summarize([2, 4, 1], 1e6, 'M/s')).toEqual({
      median: 500,
      best: 1000,
      reps: 3,
      unit: 'M/s',
      warm: true,
    });
    expect(summarize([2, 4, 1], 0, 'ms')).toMatchObject({ median: 2, best: 1 });
    expect(summarize([200, 400, 100], 0, 's', false)).toMatchObject({ median: 0.2, warm: false });
    expect(round(1234.5678)).toBe(1235);
    const m = summarize([2], 1e6, 'M/s');
    expect(secondsPerCall(m, 1e6)).toBeCloseTo(0.002);
  });
});
