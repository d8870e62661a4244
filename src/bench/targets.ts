/**
 * The ratios of each case (weightinit's speed-up over each peer) and the issue's targets. A
 * PyTorch target is judged against the faster of the PyTorch measured in the run (when one is
 * installed: it may be another build, such as Debian's 1.13) and PyTorch 2.13's figure quoted
 * by the issue: a slow local build cannot meet a target that the issue's PyTorch would not.
 */
import { NORMAL_FAMILY } from './cases.js';
import {
  type CaseResult,
  type CheckpointResult,
  type EngineResult,
  isMeasured,
  type Measured,
  type TargetResult,
  type Unit,
} from './types.js';

/** How many times faster `a` is than `b` (medians; both in `unit`). */
export function speedup(a: number, b: number, unit: Unit): number {
  const r = unit === 'M/s' ? a / b : b / a;
  return Number(r.toPrecision(3));
}

/** The figure weightinit is compared with: the worker pool for the workers, else the in-place fill. */
export function weightinitFigure(c: Pick<CaseResult, 'group' | 'engines'>): Measured | undefined {
  const r: EngineResult | undefined =
    c.group === 'workers' ? c.engines['weightinit-workers'] : c.engines.weightinit;
  return isMeasured(r) ? r : undefined;
}

/** A case's ratios: against each peer that ran, PyTorch 2.13's quoted figure, one thread. */
export function caseRatios(
  c: Pick<CaseResult, 'group' | 'engines' | 'unit' | 'torchQuoted'>,
): Record<string, number | null> {
  const ratios: Record<string, number | null> = {};
  const wi = weightinitFigure(c);
  for (const peer of ['tfjs-cpu', 'tfjs-wasm', 'torch'] as const) {
    const p = c.engines[peer];
    if (p === undefined) continue;
    ratios[peer] = wi !== undefined && isMeasured(p) ? speedup(wi.median, p.median, c.unit) : null;
  }
  if (c.torchQuoted !== undefined) {
    ratios['torch-quoted'] = wi === undefined ? null : speedup(wi.median, c.torchQuoted, c.unit);
  }
  if (c.group === 'workers') {
    const one = c.engines['weightinit-1'];
    ratios['one-thread'] =
      wi !== undefined && isMeasured(one) ? speedup(wi.median, one.median, c.unit) : null;
  }
  return ratios;
}

/** Thresholds of the issue. */
export const THRESHOLDS = {
  uniformVsTorch: 1.0,
  normalVsTorch: 0.75,
  normalWorkersVsTorch: 1.3,
  truncatedVsTorch: 5,
  orthogonalVsTfjs: 100,
  orthogonalTimeVsTorch: 4,
  workersVsOneThread: 1.7,
  startupSeconds: 0.3,
  checkpointPeakRssBytes: 256 * 2 ** 20,
  checkpointWallOverMax: 1.25,
} as const;

function check(
  c: string,
  target: string,
  op: '>=' | '<=',
  threshold: number,
  value: number | null | undefined,
  unit: string,
  basis: 'measured' | 'quoted' = 'measured',
): TargetResult {
  const v = value ?? null;
  const met = v === null || Number.isNaN(v) ? null : op === '>=' ? v >= threshold : v <= threshold;
  return { case: c, target, op, threshold, value: v, unit, met, basis };
}

/**
 * The PyTorch a case is judged against: the faster of the measured one and the quoted one (in
 * the case's unit), and which one that is; undefined without either.
 */
function fasterTorch(c: CaseResult): { figure: number; basis: 'measured' | 'quoted' } | undefined {
  const t = c.engines.torch;
  const measured = isMeasured(t) ? t.median : undefined;
  const q = c.torchQuoted;
  if (measured === undefined) return q === undefined ? undefined : { figure: q, basis: 'quoted' };
  if (q === undefined) return { figure: measured, basis: 'measured' };
  const measuredFaster = c.unit === 'M/s' ? measured >= q : measured <= q;
  return measuredFaster ? { figure: measured, basis: 'measured' } : { figure: q, basis: 'quoted' };
}

/** Every target of the issue that the cases and the checkpoint allow to evaluate. */
export function evaluateTargets(
  cases: readonly CaseResult[],
  checkpoint: CheckpointResult | null,
): TargetResult[] {
  const out: TargetResult[] = [];
  const T = THRESHOLDS;
  for (const c of cases) {
    const wi = weightinitFigure(c);
    const t = fasterTorch(c);
    const basis = t?.basis ?? 'quoted';
    // The speed-up over the faster PyTorch (null if weightinit did not run).
    const torch =
      t === undefined ? undefined : wi === undefined ? null : speedup(wi.median, t.figure, c.unit);
    if (c.group === 'uniform')
      out.push(check(c.id, 'vs PyTorch', '>=', T.uniformVsTorch, torch, '×', basis));
    else if (c.group === 'normal')
      out.push(check(c.id, 'vs PyTorch, one thread', '>=', T.normalVsTorch, torch, '×', basis));
    else if (c.group === 'truncated')
      out.push(check(c.id, 'vs PyTorch', '>=', T.truncatedVsTorch, torch, '×', basis));
    else if (c.group === 'orthogonal') {
      for (const peer of ['tfjs-cpu', 'tfjs-wasm'] as const)
        if (peer in c.ratios)
          out.push(
            check(c.id, `vs TF.js ${peer.slice(5)}`, '>=', T.orthogonalVsTfjs, c.ratios[peer], '×'),
          );
      const time = wi === undefined || t === undefined ? null : wi.median / t.figure;
      out.push(
        check(
          c.id,
          "time vs PyTorch's",
          '<=',
          T.orthogonalTimeVsTorch,
          time === null ? null : Number(time.toPrecision(3)),
          '×',
          basis,
        ),
      );
      if (c.bitIdentical !== undefined)
        out.push(
          check(c.id, 'bit-identical to one thread', '>=', 1, c.bitIdentical ? 1 : 0, 'yes=1'),
        );
    } else if (c.group === 'workers') {
      out.push(
        check(
          c.id,
          'workers vs one thread',
          '>=',
          T.workersVsOneThread,
          c.ratios['one-thread'],
          '×',
        ),
      );
      if (c.bitIdentical !== undefined)
        out.push(
          check(c.id, 'bit-identical to one thread', '>=', 1, c.bitIdentical ? 1 : 0, 'yes=1'),
        );
      // The truncated normal's target (≥ 5× trunc_normal_) names no thread count: it is
      // checked on one thread (group truncated) and with the workers (here).
      if (c.strategy === 'truncated-normal')
        out.push(
          check(c.id, 'with workers vs PyTorch', '>=', T.truncatedVsTorch, torch, '×', basis),
        );
      if (NORMAL_FAMILY.includes(c.strategy))
        out.push(
          check(c.id, 'with workers vs PyTorch', '>=', T.normalWorkersVsTorch, torch, '×', basis),
        );
    } else if (c.group === 'startup') {
      const m = c.engines.weightinit;
      out.push(
        check(c.id, 'wall time', '<=', T.startupSeconds, isMeasured(m) ? m.median : null, 's'),
      );
    }
  }
  if (checkpoint !== null && 'params' in checkpoint) {
    const id = `checkpoint ${checkpoint.spec}`;
    out.push(
      check(id, 'peak RSS', '<=', T.checkpointPeakRssBytes, checkpoint.peakRssBytes, 'bytes'),
    );
    const over =
      checkpoint.wallSeconds / Math.max(checkpoint.generateSeconds, checkpoint.ddSeconds);
    out.push(
      check(
        id,
        'wall / max(generate, dd)',
        '<=',
        T.checkpointWallOverMax,
        Number(over.toPrecision(3)),
        '×',
      ),
    );
  }
  return out;
}
