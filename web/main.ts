/**
 * The playground: the lab's measurements run in the page on TensorFlow.js (CPU backend: no
 * file to fetch, works offline) and drawn with the report's Vega-Lite specs, rendered to SVG by
 * vega in the page. Charts update as the controls change; the training run starts on request.
 */
import '@tensorflow/tfjs-layers'; // registers tfjs-core's gradients
import { gaussian } from '../src/lab/data.js';
import type { PropagationReport, PropagationResult } from '../src/lab/propagation.js';
import { measureMlp } from '../src/lab/propagation.js';
import { rnn } from '../src/lab/rnn.js';
import { parseStrategy, weightValues } from '../src/lab/strategies.js';
import { train } from '../src/lab/train.js';
import { recommend } from '../src/recipes/index.js';
import { inlineSvg, renderSvg } from '../src/report/render.js';
import {
  activationStdSpec,
  type ChartSpec,
  gradientStdSpec,
  histogramSpec,
  rnnGradientSpec,
  trainingSpec,
} from '../src/report/specs.js';
import { setupBackend } from '../src/tfjs/backend.js';

const STRATEGIES = [
  'zeros',
  'normal:std=0.01',
  'normal:std=1',
  'xavier-uniform',
  'he-normal',
  'lecun-normal',
  'orthogonal',
];
const CHECKED = new Set(['normal:std=0.01', 'xavier-uniform', 'he-normal', 'orthogonal']);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const num = (id: string, min: number, max: number) => {
  const v = Number($<HTMLInputElement>(id).value);
  return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : min;
};

interface Settings {
  depth: number;
  width: number;
  activation: string;
  strategies: string[];
  scale: number;
  biasStd: number;
  steps: number;
}

function settings(): Settings {
  const strategies = [
    ...document.querySelectorAll<HTMLInputElement>('#strategies input:checked'),
  ].map((e) => e.value);
  return {
    depth: Math.round(num('depth', 1, 50)),
    width: Math.round(num('width', 4, 256)),
    activation: $<HTMLSelectElement>('activation').value,
    strategies,
    scale: num('scale', 0.01, 100),
    biasStd: num('bias', 0, 10),
    steps: Math.round(num('steps', 2, 200)),
  };
}

async function draw(id: string, spec: ChartSpec, title: string): Promise<void> {
  const figure = $(id);
  figure.innerHTML = inlineSvg(await renderSvg(spec), title);
  figure.dataset.version = String(Number(figure.dataset.version ?? 0) + 1);
}

const biasLabel = (std: number) => (std === 0 ? 'zeros' : `normal:std=${std}`);

/** The propagation experiment at the page's settings, inputs scaled by `scale`. */
function propagationReport(s: Settings): PropagationReport {
  const batch = 64;
  const histogramLayers = [...new Set([1, Math.ceil(s.depth / 2), s.depth])];
  const inputs = gaussian([batch, s.width], 0, 'inputs').map((x) => x * s.scale);
  const error = gaussian([batch, s.width], 0, 'error');
  const bias = parseStrategy(biasLabel(s.biasStd));
  const results: PropagationResult[] = s.strategies.map((label) => {
    const st = parseStrategy(label);
    const m = measureMlp({
      depth: s.depth,
      width: s.width,
      batch,
      activation: s.activation,
      inputs,
      error,
      weight: (l) => weightValues(st.spec, [s.width, s.width], 0, `layer${l}.kernel`),
      bias: (l) => weightValues(bias.spec, [s.width], 0, `layer${l}.bias`),
      histogramLayers,
      bins: 30,
    });
    return {
      strategy: label,
      activation: s.activation,
      inputStd: m.inputStd,
      layers: m.layers,
      histograms: m.histograms,
      gradientHistograms: m.gradientHistograms,
    };
  });
  return {
    version: 1,
    experiment: 'propagation',
    config: {
      depth: s.depth,
      width: s.width,
      batch,
      activations: [s.activation],
      strategies: s.strategies,
      bias: bias.label,
      seed: 0,
      histogramLayers,
      bins: 30,
    },
    backend: 'cpu',
    timeMs: 0,
    cpuMs: null,
    results,
  };
}

function showRecommendation(activation: string): void {
  const el = $('recommendation');
  try {
    const r = recommend({ layer: 'dense', activation: activation as never });
    el.innerHTML = '';
    const ul = document.createElement('ul');
    for (const p of r.parameters) {
      const li = document.createElement('li');
      const opts = Object.entries(p.options)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      li.textContent = `${p.name}: ${p.strategy}${opts ? ` (${opts})` : ''} — ${p.reason}`;
      ul.append(li);
    }
    el.append(ul);
  } catch (error) {
    el.textContent = `no recommendation: ${error instanceof Error ? error.message : String(error)}`;
  }
}

let generation = 0;

async function update(): Promise<void> {
  const mine = ++generation;
  const s = settings();
  const status = $('status');
  showRecommendation(s.activation);
  if (s.strategies.length === 0) {
    status.textContent = 'choose at least one strategy';
    return;
  }
  status.textContent = 'computing…';
  await new Promise((r) => setTimeout(r, 0));
  const t0 = performance.now();
  const p = propagationReport(s);
  if (mine !== generation) return;
  await draw('chart-activation', activationStdSpec(p), 'activation std per layer');
  await draw('chart-histograms', histogramSpec(p), 'activation histograms');
  await draw('chart-gradient', gradientStdSpec(p), 'gradient std per layer');
  const r = await rnn(
    {
      steps: s.steps,
      hidden: Math.min(s.width, 64),
      batch: 8,
      activations: [s.activation],
      strategies: s.strategies,
    },
    { backend: 'cpu' },
  );
  if (mine !== generation) return;
  await draw('chart-rnn', rnnGradientSpec(r), 'RNN gradient norm through time');
  status.textContent = `updated in ${Math.round(performance.now() - t0)} ms`;
  status.dataset.ready = String(mine);
}

async function runTraining(): Promise<void> {
  const s = settings();
  const button = $<HTMLButtonElement>('train');
  const status = $('train-status');
  if (s.strategies.length === 0) return;
  button.disabled = true;
  status.textContent = 'training…';
  try {
    const t = await train(
      {
        tasks: ['teacher-student'],
        strategies: s.strategies,
        seeds: [0, 1],
        teacherStudent: {
          steps: 40,
          examples: 128,
          depth: Math.min(s.depth, 8),
          width: Math.min(s.width, 32),
          activations: [s.activation],
          learningRate: 0.003,
        },
      },
      { backend: 'cpu' },
    );
    await draw('chart-train', trainingSpec(t), 'training loss');
    status.textContent = 'done';
  } catch (error) {
    status.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    button.disabled = false;
  }
}

async function start(): Promise<void> {
  const box = $('strategies');
  for (const s of STRATEGIES) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.value = s;
    input.checked = CHECKED.has(s);
    label.append(input, s);
    box.append(label);
  }
  await setupBackend({ backend: 'cpu' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  $('controls').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(), 200);
  });
  $('controls').addEventListener('submit', (e) => e.preventDefault());
  $('train').addEventListener('click', () => void runTraining());
  await update();
}

void start();
