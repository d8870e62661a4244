#!/usr/bin/env node
/**
 * The JSON Schema of model specs (`weightinit.model/1`) and its compiled validator.
 *
 * Writes `schema/model.schema.json` (JSON Schema draft 2020-12, `additionalProperties: false`
 * on every object) and compiles it with Ajv's standalone code generation into
 * `src/model/spec-validator.generated.ts`: plain code that imports nothing, so the core keeps
 * no runtime dependency (Ajv is a devDependency). Run `npm run schema` after changing this
 * file; `node scripts/model-schema.mjs --check` (run by test/model/schema.test.ts) fails when
 * either output is not what this script makes.
 *
 * `x-expected` is an annotation of this project: what a value must be, in the words of the
 * library's error messages (`an integer >= 1 or an array of them`); Ajv keeps it in the
 * errors (`verbose`) and src/model/spec.ts puts it in the message with the JSON path.
 * The layer fields, types and activations mirror src/recipes (the test checks they agree);
 * the recipes validate every layer again, with its cross-field rules.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = new URL('../', import.meta.url);
const SCHEMA_FILE = new URL('schema/model.schema.json', root);
const VALIDATOR_FILE = new URL('src/model/spec-validator.generated.ts', root);

// ---------------------------------------------------------------------------------------
// The schema.

const ref = (name) => ({ $ref: `#/$defs/${name}` });

const LAYER_NAME = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$';

const defs = {
  size: { type: 'integer', minimum: 0, 'x-expected': 'an integer >= 0' },
  positive: { type: 'integer', minimum: 1, 'x-expected': 'an integer >= 1' },
  flag: { type: 'boolean', 'x-expected': 'true or false' },
  number: { type: 'number', 'x-expected': 'a number' },
  kernelSize: {
    'x-expected': 'an integer >= 1 or an array of them',
    anyOf: [ref('positive'), { type: 'array', minItems: 1, items: ref('positive') }],
  },
  normalizedShape: {
    'x-expected': 'an integer >= 0 or a non-empty array of them',
    anyOf: [ref('size'), { type: 'array', minItems: 1, items: ref('size') }],
  },
  activation: {
    type: 'string',
    'x-expected':
      'an activation name (linear, sigmoid, tanh, relu, leaky-relu, elu, gelu, silu, selu, softplus)',
    description: 'The activation after the layer; it decides the gain.',
  },
  residual: {
    type: 'object',
    additionalProperties: false,
    'x-expected': 'residual options',
    description: 'The layer sits in a residual branch (zero-init, Fixup).',
    properties: {
      depth: ref('positive'),
      branchLayers: ref('positive'),
      position: ref('positive'),
      zeroInit: ref('flag'),
      fixup: ref('flag'),
    },
  },
  output: {
    'x-expected': 'true, false or { "zeroInit": true|false }',
    anyOf: [
      { type: 'boolean' },
      {
        type: 'object',
        additionalProperties: false,
        properties: { zeroInit: ref('flag') },
      },
    ],
  },
  name: {
    type: 'string',
    pattern: LAYER_NAME,
    'x-expected':
      'a module name: letters, digits and _ in dot-separated parts, not starting with a digit',
    description: 'The layer’s module name: parameters are named <name>.<parameter> (fc1.weight).',
  },
};

const weighted = {
  activation: ref('activation'),
  slope: ref('number'),
  residual: ref('residual'),
  output: ref('output'),
  bias: ref('flag'),
};
const conv = {
  inChannels: ref('size'),
  outChannels: ref('size'),
  kernelSize: ref('kernelSize'),
  groups: ref('positive'),
  ...weighted,
};
const norm = { residual: ref('residual') };
const recurrent = {
  inputSize: ref('size'),
  hiddenSize: ref('positive'),
  numLayers: ref('positive'),
  bias: ref('flag'),
  bidirectional: ref('flag'),
  recurrent: { enum: ['orthogonal', 'identity'] },
  recurrentGain: { type: 'number', minimum: 0, 'x-expected': 'a number >= 0' },
  gateOrder: { enum: ['pytorch', 'keras'] },
};

/** Every layer type: its PyTorch module, required fields and other fields. */
const LAYERS = {
  dense: [
    'nn.Linear',
    ['inFeatures', 'outFeatures'],
    { inFeatures: ref('size'), outFeatures: ref('size'), ...weighted },
  ],
  conv1d: ['nn.Conv1d', ['inChannels', 'outChannels', 'kernelSize'], conv],
  conv2d: ['nn.Conv2d', ['inChannels', 'outChannels', 'kernelSize'], conv],
  conv3d: ['nn.Conv3d', ['inChannels', 'outChannels', 'kernelSize'], conv],
  'conv-transpose1d': ['nn.ConvTranspose1d', ['inChannels', 'outChannels', 'kernelSize'], conv],
  'conv-transpose2d': ['nn.ConvTranspose2d', ['inChannels', 'outChannels', 'kernelSize'], conv],
  'conv-transpose3d': ['nn.ConvTranspose3d', ['inChannels', 'outChannels', 'kernelSize'], conv],
  embedding: [
    'nn.Embedding',
    ['numEmbeddings', 'embeddingDim'],
    {
      numEmbeddings: ref('size'),
      embeddingDim: ref('size'),
      paddingIdx: { type: 'integer', 'x-expected': 'an integer' },
    },
  ],
  layernorm: [
    'nn.LayerNorm',
    ['normalizedShape'],
    {
      normalizedShape: ref('normalizedShape'),
      elementwiseAffine: ref('flag'),
      bias: ref('flag'),
      ...norm,
    },
  ],
  batchnorm1d: [
    'nn.BatchNorm1d',
    ['numFeatures'],
    { numFeatures: ref('size'), affine: ref('flag'), trackRunningStats: ref('flag'), ...norm },
  ],
  batchnorm2d: [
    'nn.BatchNorm2d',
    ['numFeatures'],
    { numFeatures: ref('size'), affine: ref('flag'), trackRunningStats: ref('flag'), ...norm },
  ],
  batchnorm3d: [
    'nn.BatchNorm3d',
    ['numFeatures'],
    { numFeatures: ref('size'), affine: ref('flag'), trackRunningStats: ref('flag'), ...norm },
  ],
  groupnorm: [
    'nn.GroupNorm',
    ['numGroups', 'numChannels'],
    { numGroups: ref('positive'), numChannels: ref('size'), affine: ref('flag'), ...norm },
  ],
  rnn: [
    'nn.RNN',
    ['inputSize', 'hiddenSize'],
    { ...recurrent, nonlinearity: { enum: ['tanh', 'relu'] } },
  ],
  lstm: [
    'nn.LSTM',
    ['inputSize', 'hiddenSize'],
    {
      ...recurrent,
      projSize: ref('size'),
      forgetBias: ref('number'),
      chrono: {
        type: 'object',
        additionalProperties: false,
        required: ['tMax'],
        'x-expected': 'chrono options { "tMax": number > 2 }',
        properties: { tMax: { type: 'number', exclusiveMinimum: 2, 'x-expected': 'a number > 2' } },
      },
    },
  ],
  gru: ['nn.GRU', ['inputSize', 'hiddenSize'], recurrent],
  attention: [
    'nn.MultiheadAttention',
    ['embedDim', 'numHeads'],
    {
      embedDim: ref('positive'),
      numHeads: ref('positive'),
      bias: ref('flag'),
      addBiasKv: ref('flag'),
      kdim: ref('positive'),
      vdim: ref('positive'),
    },
  ],
};

const LAYER_TYPES = Object.keys(LAYERS);

defs.layer = {
  type: 'object',
  'x-expected': 'a layer { "name", "type", ...fields }',
  required: ['name', 'type'],
  properties: { name: ref('name'), type: { enum: LAYER_TYPES } },
  discriminator: { propertyName: 'type' },
  oneOf: Object.entries(LAYERS).map(([type, [module, required, fields]]) => ({
    type: 'object',
    description: `${module}, fields in camelCase.`,
    'x-expected': `the fields of a layer of type "${type}"`,
    additionalProperties: false,
    required: ['name', 'type', ...required],
    properties: { name: ref('name'), type: { const: type }, ...fields },
  })),
};

/** Options of the strategies an override may set (the model sets seed, stream and dtype). */
const OVERRIDE_OPTIONS = {
  layout: { enum: ['out-in', 'in-out'] },
  fanIn: ref('positive'),
  fanOut: ref('positive'),
  gain: ref('number'),
  nonlinearity: { type: 'string', 'x-expected': 'a nonlinearity name' },
  slope: ref('number'),
  mode: { type: 'string', 'x-expected': 'fan-in, fan-out or fan-avg' },
  distribution: { type: 'string', 'x-expected': 'uniform, normal or truncated-normal' },
  scale: ref('number'),
  mean: ref('number'),
  std: ref('number'),
  low: ref('number'),
  high: ref('number'),
  limit: ref('number'),
  value: ref('number'),
  sparsity: ref('number'),
  nonZero: ref('positive'),
  groups: ref('positive'),
};

defs.override = {
  type: 'object',
  'x-expected': 'an override { "init": strategy, ...options }',
  description:
    'Replaces the recipe of the parameters it matches: a strategy name and its options (kebab-case names and aliases, as the command line takes them).',
  additionalProperties: false,
  required: ['init'],
  properties: {
    init: { type: 'string', 'x-expected': 'a strategy name: he-normal, xavier-uniform, zeros …' },
    ...OVERRIDE_OPTIONS,
  },
};

export const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://weightinit.dev/schema/model.schema.json',
  title: 'weightinit model spec',
  description:
    'A model for `weightinit init`: named layers (PyTorch modules, constructor arguments in camelCase), a seed, the storage dtype, the scheme and per-parameter overrides.',
  type: 'object',
  'x-expected': 'a model spec object',
  additionalProperties: false,
  required: ['format', 'seed', 'layers'],
  properties: {
    $schema: { type: 'string', 'x-expected': 'a string (the schema’s URL)' },
    format: {
      const: 'weightinit.model/1',
      'x-expected': '"weightinit.model/1"',
      description: 'The format and its version.',
    },
    seed: {
      'x-expected': 'an integer >= 0, or a decimal string for seeds from 2^53 up to 2^64 − 1',
      description:
        'The seed of every parameter’s stream. Seeds of 2^53 or more are written as decimal strings.',
      anyOf: [
        { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' },
      ],
    },
    dtype: {
      enum: ['float32', 'float64', 'float16', 'bfloat16'],
      description:
        'Storage dtype of the checkpoint (default float32). Values are generated in float32 (float64 for float64) and rounded once to nearest even.',
    },
    scheme: {
      enum: ['recommended', 'torch-default'],
      description:
        'recommended (default): the document’s recipes; torch-default: PyTorch’s module defaults.',
    },
    rng: {
      enum: ['philox', 'torch'],
      description:
        'The random streams: philox (default, counter-based, any slice on its own); torch (PyTorch’s CPU MT19937 stream from torch.manual_seed(seed), every parameter drawn in registration order).',
    },
    layers: { type: 'array', items: ref('layer'), 'x-expected': 'an array of layers' },
    overrides: {
      type: 'object',
      'x-expected': 'an object: parameter name or glob → { "init": strategy, ...options }',
      description:
        'Parameter name (fc1.weight) or glob (* within a dot-separated part, ** across them) → initialization. An exact name wins over globs, then the last glob listed; each must match a parameter.',
      propertyNames: {
        pattern: '^[A-Za-z0-9_.*]+$',
        'x-expected': 'a parameter name or glob (letters, digits, _, . and *)',
      },
      additionalProperties: ref('override'),
    },
  },
  $defs: defs,
};

/** Gives every `$ref` the `x-expected` of its target, so that errors never need the root. */
function annotateRefs(node) {
  if (Array.isArray(node)) node.forEach(annotateRefs);
  else if (node !== null && typeof node === 'object') {
    if (typeof node.$ref === 'string' && node['x-expected'] === undefined) {
      const target = defs[node.$ref.replace('#/$defs/', '')]['x-expected'];
      if (target !== undefined) node['x-expected'] = target;
    }
    for (const v of Object.values(node)) annotateRefs(v);
  }
}
annotateRefs(schema);

// ---------------------------------------------------------------------------------------
// Compilation.

function compile() {
  const ajv = new Ajv2020({
    code: { source: true, esm: true, lines: true },
    discriminator: true,
    verbose: true,
    allErrors: false,
    inlineRefs: false,
    messages: false,
    strict: true,
  });
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  const validate = ajv.compile(schema);
  const code = standaloneCode(ajv, validate);
  if (/\brequire\(|^\s*import\b/m.test(code)) {
    throw new Error('the generated validator needs Ajv at run time: avoid the keywords that do');
  }
  return [
    '// Generated by scripts/model-schema.mjs from the schema written there (npm run schema).',
    '// Do not edit. Ajv standalone code: it imports nothing.',
    '// biome-ignore-all format: generated',
    '// biome-ignore-all lint: generated',
    '// @ts-nocheck',
    code.trim(),
    '',
  ].join('\n');
}

/** The text as the project's formatter (Biome) writes it, so that `npm run lint` passes. */
function formatted(file, text) {
  const biome = fileURLToPath(new URL('node_modules/@biomejs/biome/bin/biome', root));
  const r = spawnSync(
    process.execPath,
    [biome, 'format', `--stdin-file-path=${fileURLToPath(file)}`],
    {
      input: text,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`biome format failed: ${r.stderr}`);
  return r.stdout;
}

const outputs = [
  [SCHEMA_FILE, formatted(SCHEMA_FILE, JSON.stringify(schema))],
  [VALIDATOR_FILE, compile()],
];

if (process.argv.includes('--check')) {
  const stale = outputs.filter(([file, text]) => {
    try {
      return readFileSync(file, 'utf8') !== text;
    } catch {
      return true;
    }
  });
  for (const [file] of stale)
    console.error(`${file.pathname} is not up to date: run npm run schema`);
  process.exitCode = stale.length === 0 ? 0 : 1;
} else {
  for (const [file, text] of outputs) writeFileSync(file, text);
}
