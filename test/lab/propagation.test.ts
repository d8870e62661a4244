/**
 * `propagation`: the outcomes the issue pins, with tolerances from width and batch, and the
 * shape of the JSON. Fixed seeds: the figures are deterministic, the tolerances say how far
 * another seed may move them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { propagation } from '../../src/lab/propagation.js';
import { setupBackend } from '../../src/tfjs/backend.js';

beforeAll(async () => {
  await setupBackend();
});

const ratios = (values: number[], ref: number) => values.map((v) => v / ref);

describe('propagation: ReLU, 30 layers', () => {
  // Width 1024, batch 64: the log of a ReLU layer's variance factor has variance ≈ 5/width
  // (Hanin 2018), so after 30 layers ln(std ratio) has std ≈ √(5·30/(4·1024)) ≈ 0.19 and a
  // factor 2 (ln 2 ≈ 0.69) is ≈ 3.6 σ. The batch only sets how well each std is estimated
  // (64 × 1024 values: < 1%). Across seeds 0–9 the range was 0.71 … 1.18.
  let report: Awaited<ReturnType<typeof propagation>>;
  beforeAll(async () => {
    report = await propagation({
      depth: 30,
      width: 1024,
      batch: 64,
      activations: ['relu'],
      strategies: ['he-normal', 'xavier-normal'],
      histogramLayers: [1, 30],
    });
  });

  it('He: every layer’s activation std is within a factor 2 of the first layer’s', () => {
    const he = report.results.find((r) => r.strategy === 'he-normal')!;
    const a = ratios(
      he.layers.map((l) => l.activationStd),
      he.layers[0].activationStd,
    );
    expect(Math.min(...a)).toBeGreaterThan(0.5);
    expect(Math.max(...a)).toBeLessThan(2);
    // and the gradient reaching every layer is within a factor 2 of the top's
    const g = ratios(
      he.layers.map((l) => l.gradientStd),
      he.layers[29].gradientStd,
    );
    expect(Math.min(...g)).toBeGreaterThan(0.5);
    expect(Math.max(...g)).toBeLessThan(2);
  });

  it('Xavier on square layers: the activation variance halves per layer', () => {
    // Per-layer factor from the ends: the drift above spread over 29 layers gives ±1.3% (1 σ)
    // around 0.5; ±0.05 is ≈ 7 σ.
    const x = report.results.find((r) => r.strategy === 'xavier-normal')!;
    const a = x.layers.map((l) => l.activationStd);
    const factor = (a[29] / a[0]) ** (2 / 29);
    expect(factor).toBeGreaterThan(0.45);
    expect(factor).toBeLessThan(0.55);
    // and so does every single layer, within the per-layer noise (√(5/1024) ≈ 7% in log: ±30%)
    for (let l = 1; l < 30; l++) {
      const f = (a[l] / a[l - 1]) ** 2;
      expect(f).toBeGreaterThan(0.35);
      expect(f).toBeLessThan(0.65);
    }
  });

  it('dead units do not depend on the scale of Gaussian weights (ReLU is homogeneous)', () => {
    // he-normal and xavier-normal draw the same normals from the same streams, scaled.
    const he = report.results.find((r) => r.strategy === 'he-normal')!;
    const x = report.results.find((r) => r.strategy === 'xavier-normal')!;
    expect(he.layers.map((l) => l.deadFraction)).toEqual(x.layers.map((l) => l.deadFraction));
  });
});

describe('propagation: small and zero weights', () => {
  let report: Awaited<ReturnType<typeof propagation>>;
  beforeAll(async () => {
    report = await propagation({
      depth: 8,
      width: 256,
      batch: 64,
      activations: ['tanh', 'relu'],
      strategies: ['normal:std=0.01', 'zeros'],
      histogramLayers: [1, 4, 8],
      bins: 10,
    });
  });

  it('tanh with N(0, 0.01²): activations vanish within a few layers', () => {
    // Near 0, tanh is the identity: each layer multiplies the std by 0.01·√256 = 0.16, so
    // layer 4 is at 0.16⁴ ≈ 6.6e-4 of the input. The estimate of each factor from 64 × 256
    // values is within 1%; ±10% is generous.
    const r = report.results.find(
      (x) => x.strategy === 'normal:std=0.01' && x.activation === 'tanh',
    )!;
    const a = r.layers.map((l) => l.activationStd / r.inputStd);
    expect(a[3]).toBeLessThan(1e-3);
    for (let l = 1; l < 8; l++) {
      expect(a[l] / a[l - 1]).toBeGreaterThan(0.16 * 0.9);
      expect(a[l] / a[l - 1]).toBeLessThan(0.16 * 1.1);
    }
    // the gradient shrinks the same way going down
    expect(r.layers[0].gradientStd / r.layers[7].gradientStd).toBeLessThan(0.16 ** 7 * 1.5);
  });

  it('zero weights: every activation is φ(0) = 0, no gradient below the top, ReLU all dead', () => {
    for (const activation of ['tanh', 'relu']) {
      const r = report.results.find((x) => x.strategy === 'zeros' && x.activation === activation)!;
      for (const l of r.layers) {
        expect(l.activationStd).toBe(0);
        expect(l.preactivationStd).toBe(0);
        if (l.index < 8) expect(l.gradientStd).toBe(0);
        expect(l.deadFraction).toBe(activation === 'relu' ? 1 : 0);
      }
      expect(r.layers[7].gradientStd).toBeGreaterThan(0.9);
    }
  });

  it('results have the documented fields, one per (strategy, activation)', () => {
    expect(report.version).toBe(1);
    expect(report.experiment).toBe('propagation');
    expect(report.config).toMatchObject({
      depth: 8,
      width: 256,
      batch: 64,
      bias: 'zeros',
      seed: 0,
    });
    expect(report.results.map((r) => `${r.activation} ${r.strategy}`)).toEqual([
      'tanh normal:std=0.01',
      'tanh zeros',
      'relu normal:std=0.01',
      'relu zeros',
    ]);
    const r = report.results[0];
    expect(Object.keys(r.layers[0]).sort()).toEqual(
      ['activationStd', 'deadFraction', 'gradientStd', 'index', 'preactivationStd'].sort(),
    );
    expect(r.layers.map((l) => l.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.histograms.map((h) => h.layer)).toEqual([1, 4, 8]);
    for (const h of [...r.histograms, ...r.gradientHistograms]) {
      expect(h.counts).toHaveLength(10);
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(64 * 256);
      expect(h.low).toBeLessThanOrEqual(h.high);
    }
    expect(r.inputStd).toBeGreaterThan(0.95);
    expect(r.inputStd).toBeLessThan(1.05);
  });

  it('is deterministic by seed, and another seed gives other values', async () => {
    const config = {
      depth: 3,
      width: 16,
      batch: 8,
      activations: ['tanh'],
      strategies: ['he-uniform'],
    };
    const a = await propagation(config);
    const b = await propagation(config);
    const c = await propagation({ ...config, seed: 1 });
    expect(b.results).toEqual(a.results);
    expect(c.results[0].layers[2].activationStd).not.toBe(a.results[0].layers[2].activationStd);
  });
});

describe('propagation: bad configurations', () => {
  it.each([
    [{ depth: 0 }, RangeError, /`depth` must be an integer in \[1, 10000\], got 0/],
    [{ width: 1.5 }, RangeError, /`width`/],
    [{ batch: '8' }, TypeError, /`batch` must be an integer/],
    [{ activations: ['swish'] }, RangeError, /`activations\[0\]` must be one of/],
    [{ activations: [] }, RangeError, /`activations` must be a non-empty list/],
    [{ strategies: ['kaiming_normal', 'he-normal'] }, RangeError, /without repetition/],
    [{ strategies: ['bogus'] }, RangeError, /`name` must be a strategy/],
    [{ strategies: ['normal:std'] }, RangeError, /name\[:key=value…\]/],
    [{ strategies: ['normal:seed=3'] }, RangeError, /not one the lab sets/],
    [{ strategies: ['normal:std=-1'] }, RangeError, /std/],
    [{ histogramLayers: [31] }, RangeError, /`histogramLayers\[0\]`/],
    [{ depht: 3 }, RangeError, /made of the keys/],
    [null, TypeError, /`config` must be an object/],
  ])('%j', async (config, type, message) => {
    await expect(propagation(config as never)).rejects.toThrow(type);
    await expect(propagation(config as never)).rejects.toThrow(message);
  });
});
