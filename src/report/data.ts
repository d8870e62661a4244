/**
 * The lab's results as the report reads them: plain JSON, whatever wrote it. The report never
 * runs lab code; it takes the experiments' envelopes (`{ version, experiment, config, results }`)
 * from a file written by `weightinit lab` — one envelope, a list of them, or an object holding
 * them (`{ reports: [...] }`, `{ propagation: {...}, ... }`) — and keeps the last of each kind.
 */
import type { PropagationReport } from '../lab/propagation.js';
import type { RnnReport } from '../lab/rnn.js';
import type { SpectrumReport } from '../lab/spectrum.js';
import type { SymmetryReport } from '../lab/symmetry.js';
import type { TheoryReport } from '../lab/theory-experiment.js';
import type { TrainReport } from '../lab/train.js';

/** The experiments the report draws, each present when the lab ran it. */
export interface LabResults {
  readonly propagation?: PropagationReport;
  readonly symmetry?: SymmetryReport;
  readonly rnn?: RnnReport;
  readonly spectrum?: SpectrumReport;
  readonly theory?: TheoryReport;
  readonly train?: TrainReport;
}

const KINDS = ['propagation', 'symmetry', 'rnn', 'spectrum', 'theory', 'train'] as const;

/** Highest lab JSON version the report understands. */
export const REPORT_LAB_VERSION = 1;

function isEnvelope(v: unknown): v is { experiment: string; version: number; results: unknown[] } {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.experiment === 'string' && typeof o.version === 'number' && Array.isArray(o.results)
  );
}

/**
 * Finds the experiment envelopes in parsed lab JSON (searching arrays and object values, two
 * levels deep) and returns them by experiment.
 * @throws TypeError when no envelope is found; RangeError for a lab version newer than
 *   {@link REPORT_LAB_VERSION}.
 * @example collectResults({ reports: [propagationReport] }).propagation === propagationReport // true
 */
export function collectResults(json: unknown): LabResults {
  const found: Record<string, unknown> = {};
  const visit = (v: unknown, depth: number): void => {
    if (isEnvelope(v)) {
      if (v.version > REPORT_LAB_VERSION)
        throw new RangeError(
          `collectResults: lab JSON \`version\` must be at most ${REPORT_LAB_VERSION}, got ${v.version} (${v.experiment})`,
        );
      if ((KINDS as readonly string[]).includes(v.experiment)) found[v.experiment] = v;
      return;
    }
    if (depth === 0 || v === null || typeof v !== 'object') return;
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x, depth - 1);
  };
  visit(json, 2);
  if (Object.keys(found).length === 0)
    throw new TypeError(
      `collectResults: \`json\` must hold lab results (objects with experiment, version and results; experiments ${KINDS.join(', ')}), got none`,
    );
  return found as LabResults;
}

/** A finite positive number (what a log scale can draw), else null. */
export function positive(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null;
}

/** A finite number, else null (JSON writes non-finite figures as null). */
export function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** At most `n` evenly spaced indices of 0 … length − 1, the first and last included. */
export function thin(length: number, n: number): number[] {
  if (length <= n) return Array.from({ length }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < n; k++) out.add(Math.round((k * (length - 1)) / (n - 1)));
  return [...out];
}
