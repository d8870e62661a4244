/**
 * Timing: a warm-up, then repetitions until a time budget; the median and the best. A wall
 * clock on a shared machine: the best is the least disturbed, the median the typical.
 */
import type { Measured, Unit } from './types.js';

/** How long to warm up and measure. */
export interface Budget {
  /** Warm-up: calls until at least this long has passed (WebAssembly tiers up). */
  readonly warmupMs: number;
  /** Timed repetitions continue until this long has passed ... */
  readonly budgetMs: number;
  /** ... and at least this many were made ... */
  readonly minReps: number;
  /** ... and at most this many. */
  readonly maxReps: number;
  /**
   * A call longer than this is timed once after the warm-up; a first call longer than 5× this
   * is itself the one timed repetition (a cold call: warming up would double a long wait).
   */
  readonly longRunMs: number;
}

/** The median of numbers (mean of the two middle ones for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Rounds of timings (each round a list of ms): `first`, more until `warmupMs` has passed, then
 * the timed ones until `budgetMs` (at least `minReps`, at most `maxReps`; one when a call of the
 * last warm-up round took longer than `longRunMs`), returned per position in the round.
 */
function timedRounds(
  round: () => number[],
  budget: Budget,
  now: () => number,
  first: number[],
): number[][] {
  let last = first;
  const start = now();
  while (now() - start < budget.warmupMs) last = round();
  const ms: number[][] = last.map(() => []);
  const rounds = Math.max(...last) > budget.longRunMs ? 1 : budget.maxReps;
  const begin = now();
  for (let r = 0; r < rounds && (r < budget.minReps || now() - begin < budget.budgetMs); r++) {
    round().forEach((t, i) => {
      ms[i].push(t);
    });
  }
  return ms;
}

/** The wall time of one call of `run`, in ms. */
function timeOne(run: () => void, now: () => number): number {
  const t = now();
  run();
  return now() - t;
}

/** Wall times of `run`, in ms, after a warm-up; `warm` false when a single cold call was kept. */
export function timeCalls(
  run: () => void,
  budget: Budget,
  now: () => number = performance.now.bind(performance),
): { ms: number[]; warm: boolean } {
  const first = timeOne(run, now);
  if (first > 5 * budget.longRunMs) return { ms: [first], warm: false };
  const [ms] = timedRounds(() => [timeOne(run, now)], budget, now, [first]);
  return { ms, warm: true };
}

/**
 * Wall times of each of `runs`, in ms, taken in turn (a, b, a, b, …), in rounds as
 * {@link timeCalls} takes calls. Each round sees the same moment of the machine, whose speed
 * drifts within minutes here: their ratio is steadier than that of back-to-back series. In a
 * round, each run is called once untimed before its timed call: what one run leaves idle (a
 * worker pool's threads, their cores) is awake again when the next is timed, as in a series.
 */
export function timeInterleaved(
  runs: readonly (() => void)[],
  budget: Budget,
  now: () => number = performance.now.bind(performance),
): number[][] {
  const round = () =>
    runs.map((run) => {
      run();
      return timeOne(run, now);
    });
  return timedRounds(round, budget, now, round());
}

/**
 * Times `run`: in M elements/s of `elements` per call (unit `M/s`), or its wall time in ms
 * (unit `ms`, `elements` unused).
 */
export function measure(run: () => void, elements: number, unit: Unit, budget: Budget): Measured {
  const { ms, warm } = timeCalls(run, budget);
  return summarize(ms, elements, unit, warm);
}

/** Median and best of wall times in ms, in `unit`. */
export function summarize(
  ms: readonly number[],
  elements: number,
  unit: Unit,
  warm = true,
): Measured {
  const convert = (t: number) => (unit === 'M/s' ? elements / t / 1e3 : unit === 's' ? t / 1e3 : t);
  const fastest = Math.min(...ms);
  return {
    median: round(convert(median(ms))),
    best: round(convert(fastest)),
    reps: ms.length,
    unit,
    warm,
  };
}

/** Four significant digits (enough for noisy timings, short JSON). */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : x;
}

/** The wall time in seconds one call is expected to take, from a measured figure. */
export function secondsPerCall(m: Measured, elements: number): number {
  return m.unit === 'M/s'
    ? elements / (m.median * 1e6)
    : m.unit === 'ms'
      ? m.median / 1e3
      : m.median;
}
