/**
 * The cases of the benchmark against the peers (issue 7): the strategies, the shapes, and the
 * PyTorch figures the issue quotes for this machine type.
 */
import type { CaseSpec, Group, Unit } from './types.js';

export type { CaseSpec } from './types.js';

export const UNIFORM_FAMILY = ['uniform', 'xavier-uniform', 'he-uniform', 'lecun-uniform'];
export const NORMAL_FAMILY = ['normal', 'xavier-normal', 'he-normal', 'lecun-normal'];

/** The shapes of a run. */
export interface Shapes {
  /** Fills (uniform, normal, truncated normal), one thread. */
  readonly fills: readonly (readonly number[])[];
  /** Orthogonal matrices. */
  readonly orthogonal: readonly (readonly number[])[];
  /** Workers against one thread. */
  readonly workers: readonly (readonly number[])[];
}

/** The shapes: 1024², 4096² and a 256×128×3×3 conv kernel; orthogonal 512² to 2048². */
export const FULL_SHAPES: Shapes = {
  fills: [
    [1024, 1024],
    [4096, 4096],
    [256, 128, 3, 3],
  ],
  orthogonal: [
    [512, 512],
    [1024, 1024],
    [2048, 2048],
  ],
  workers: [[4096, 4096]],
};

/** `--quick`: the small shapes only (the workers still need ≥ 4 M elements to be worth it). */
export const QUICK_SHAPES: Shapes = {
  fills: [
    [1024, 1024],
    [256, 128, 3, 3],
  ],
  orthogonal: [[512, 512]],
  workers: [[4096, 4096]],
};

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** `4096x4096`. */
export function shapeText(shape: readonly number[]): string {
  return shape.join('x');
}

/** The cases of the groups asked for, in order (the start-up is one case). */
export function buildCases(groups: readonly Group[], shapes: Shapes): CaseSpec[] {
  const out: CaseSpec[] = [];
  const add = (group: Group, strategy: string, shape: readonly number[], unit: Unit) =>
    out.push({
      id:
        group === 'workers'
          ? `${strategy} ${shapeText(shape)} workers`
          : `${strategy} ${shapeText(shape)}`,
      group,
      strategy,
      shape,
      elements: sizeOf(shape),
      unit,
    });
  for (const group of groups) {
    if (group === 'uniform' || group === 'normal' || group === 'truncated') {
      const family =
        group === 'uniform'
          ? UNIFORM_FAMILY
          : group === 'normal'
            ? NORMAL_FAMILY
            : ['truncated-normal'];
      for (const shape of shapes.fills) for (const s of family) add(group, s, shape, 'M/s');
    } else if (group === 'orthogonal') {
      for (const shape of shapes.orthogonal) add(group, 'orthogonal', shape, 'ms');
    } else if (group === 'workers') {
      for (const shape of shapes.workers)
        for (const s of [...UNIFORM_FAMILY, ...NORMAL_FAMILY, 'truncated-normal'])
          add(group, s, shape, 'M/s');
    } else {
      out.push({
        id: 'start-up: sample he-normal --shape 256,256',
        group,
        strategy: 'he-normal',
        shape: [256, 256],
        elements: 256 * 256,
        unit: 's',
      });
    }
  }
  return out;
}

/**
 * PyTorch 2.13 on this machine type, one thread, as quoted by issue 7 (NOT measured here):
 * M elements/s for the fills (ranges narrowed to one figure), ms for orthogonal_.
 */
export const TORCH_QUOTED = {
  source:
    'issue 7: PyTorch 2.13 CPU, one thread, on this machine type (uniform family 470–510 M/s, normal family 410 M/s, trunc_normal_ 35–50 M/s, orthogonal_ 512² 9.5 ms, 1024² 60 ms, 2048² 390 ms)',
  figures: {
    uniform: 490,
    normal: 410,
    truncated: 42,
    'orthogonal 512x512': 9.5,
    'orthogonal 1024x1024': 60,
    'orthogonal 2048x2048': 390,
  } as Record<string, number>,
};

/** The quoted PyTorch figure for a case (in the case's unit), if the issue gives one. */
export function torchQuotedFigure(c: CaseSpec): number | undefined {
  const f = TORCH_QUOTED.figures;
  if (c.group === 'orthogonal') return f[`orthogonal ${shapeText(c.shape)}`];
  if (c.group === 'uniform' || c.group === 'normal' || c.group === 'truncated') return f[c.group];
  if (c.group === 'workers') {
    if (c.strategy === 'truncated-normal') return f.truncated;
    return UNIFORM_FAMILY.includes(c.strategy) ? f.uniform : f.normal;
  }
  return undefined;
}
