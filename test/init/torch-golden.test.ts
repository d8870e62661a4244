/**
 * Every random `nn.init` golden case of PyTorch 2.13 (../shared/golden/torch/manifest.json)
 * through the public strategies with `rng: 'torch'`: `exact: true` cases bit for bit; the normal
 * path (manifest: "may differ in last bits") is bit for bit too, as this port reproduces the AVX2
 * kernel with its fused multiply-adds (the contract is 2 float32 ulps); orthogonal within 1e-5
 * (its QR is LAPACK's in PyTorch, Householder here).
 */
import { describe, expect, it } from 'vitest';
import {
  heNormal,
  heUniform,
  normal,
  orthogonal,
  sparse,
  truncatedNormal,
  uniform,
  xavierNormal,
  xavierUniform,
} from '../../src/init/index.js';
import { prepare } from '../../src/init/initializer.js';
import { HE_UNIFORM } from '../../src/init/variance-scaling.js';
import { torchSource } from '../../src/random/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { torchCase, torchManifest, torchValues } from '../support/golden.js';

type Call = (seed: number, shape: number[]) => Tensor;

/** Each case: the PyTorch call (manifest `call`) and the same call here. */
const CASES: Record<string, { call: Call; tolerance: 'bits' | number }> = {
  // nn.init.uniform_(w, -0.5, 0.5)
  init_uniform: {
    call: (seed, s) => uniform(s, { rng: 'torch', seed, low: -0.5, high: 0.5 }),
    tolerance: 'bits',
  },
  // nn.init.normal_(w, 0.0, 0.02)
  init_normal: {
    call: (seed, s) => normal(s, { rng: 'torch', seed, std: 0.02 }),
    tolerance: 'bits',
  },
  // nn.init.xavier_uniform_(w)
  xavier_uniform: {
    call: (seed, s) => xavierUniform(s, { rng: 'torch', seed }),
    tolerance: 'bits',
  },
  // nn.init.xavier_normal_(w, gain=nn.init.calculate_gain('tanh'))
  xavier_normal: {
    call: (seed, s) => xavierNormal(s, { rng: 'torch', seed, nonlinearity: 'tanh' }),
    tolerance: 'bits',
  },
  // nn.init.kaiming_uniform_(w, nonlinearity='relu')
  kaiming_uniform: { call: (seed, s) => heUniform(s, { rng: 'torch', seed }), tolerance: 'bits' },
  // nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu')
  kaiming_normal_conv: {
    call: (seed, s) => heNormal(s, { rng: 'torch', seed, mode: 'fan-out' }),
    tolerance: 'bits',
  },
  // nn.init.kaiming_uniform_(w, a=0.2, nonlinearity='leaky_relu')
  kaiming_leaky: {
    call: (seed, s) => heUniform(s, { rng: 'torch', seed, slope: 0.2 }),
    tolerance: 'bits',
  },
  // nn.init.trunc_normal_(w, std=0.02, a=-0.04, b=0.04): PyTorch 2.13 rejects and redraws
  trunc_normal: {
    call: (seed, s) =>
      truncatedNormal(s, { rng: 'torch', seed, std: 0.02, low: -0.04, high: 0.04 }),
    tolerance: 'bits',
  },
  // nn.init.orthogonal_(w)
  orthogonal_square: { call: (seed, s) => orthogonal(s, { rng: 'torch', seed }), tolerance: 1e-5 },
  // nn.init.orthogonal_(w, gain=math.sqrt(2)): 16×64, PyTorch factors the transpose
  orthogonal_wide: {
    call: (seed, s) => orthogonal(s, { rng: 'torch', seed, gain: Math.SQRT2 }),
    tolerance: 1e-5,
  },
  // nn.init.sparse_(w, sparsity=0.1, std=0.01): normal_, then randperm(rows) per column
  sparse: {
    call: (seed, s) => sparse(s, { rng: 'torch', seed, sparsity: 0.1, std: 0.01 }),
    tolerance: 'bits',
  },
};

describe('nn.init with rng torch equals PyTorch 2.13', () => {
  it('covers every random single-tensor case of the manifest', () => {
    const single = torchManifest.cases.filter(
      (c) => c.outputs.length === 1 && c.outputs[0].tensor === null && c.call.includes('nn.init.'),
    );
    const deterministic = ['eye', 'dirac']; // test/init/torch-exact.test.ts
    expect(
      single
        .map((c) => c.name)
        .filter((n) => !deterministic.includes(n))
        .sort(),
    ).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))('%s', (name) => {
    const c = torchCase(name);
    const { call, tolerance } = CASES[name];
    const want = torchValues(c.outputs[0].file);
    const got = call(c.seed, c.outputs[0].shape);
    expect(got.shape).toEqual(c.outputs[0].shape);
    if (c.exact) expect(tolerance).toBe('bits');
    if (tolerance === 'bits') {
      expect(got.data).toEqual(want);
    } else {
      let worst = 0;
      for (let i = 0; i < want.length; i++)
        worst = Math.max(worst, Math.abs(got.data[i] - want[i]));
      expect(worst).toBeLessThan(tolerance);
    }
  });
});

describe('rng torch: whole-tensor fills', () => {
  it('is not chunkable, and any range equals the same range of the whole tensor', () => {
    const options = { rng: 'torch', seed: 9 } as const;
    const p = prepare(HE_UNIFORM, [32, 64], options);
    expect(p.chunkable).toBe(false);
    const whole = heUniform([32, 64], options).data;
    const part = new Float32Array(100);
    p.fill(part, 500);
    expect(part).toEqual(whole.subarray(500, 600));
  });

  it('a shared torchSource continues one stream across tensors, as successive nn.init calls', () => {
    // torch.manual_seed(7); xavier_uniform_(a); kaiming_uniform_(b)
    const g = torchSource(7);
    const a = xavierUniform([64, 32], { rng: g });
    const b = heUniform([16, 8], { rng: g });
    expect(a.data).toEqual(torchValues(torchCase('xavier_uniform').outputs[0].file));
    const again = torchSource(7);
    again.uniform(new Float32Array(64 * 32), 0, 1);
    expect(b.data).toEqual(heUniform([16, 8], { rng: again }).data);
  });

  it('refuses a stream name: PyTorch has one generator', () => {
    expect(() => normal([4], { rng: 'torch', seed: 0, stream: 'w' })).toThrow(
      "normal: `stream` must be left out when `rng` is 'torch'",
    );
    expect(() => normal([4], { rng: 'torch' })).toThrow('`seed` must be given');
  });
});
