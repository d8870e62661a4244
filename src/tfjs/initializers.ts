/**
 * weightinit's strategies as TensorFlow.js initializers: one `tf.initializers.Initializer`
 * subclass per strategy, registered for serialization, usable as `kernelInitializer`,
 * `recurrentInitializer`, `biasInitializer` … of any `tf.layers` layer.
 *
 * ## Streams: one per weight, from its name
 *
 * TF.js calls `initializer.apply(shape, dtype)` without the weight's name
 * (`Layer.addWeight(name, shape, dtype, initializer, …)` in tfjs-layers
 * `src/engine/topology.ts`), so an initializer shared by two layers would give both the
 * same values. weightinit therefore wraps `Layer.prototype.addWeight` (once, when this module
 * is loaded): when the initializer is one of weightinit's, the variable is created as TF.js
 * creates it and then filled with the values of the stream named after the weight,
 * `variable.originalName` — the name `model.save` writes, such as `fc1/kernel` or
 * `bidirectional_Bidirectional1/forward_lstm_LSTM1/recurrent_kernel` — prefixed by the
 * `stream` option when one is given (`'<stream>/<name>'`). Other initializers are untouched.
 *
 * So the values of a weight depend only on (seed, stream option, weight name, shape): the
 * same on every engine, whatever the order layers are built in, and different for two layers
 * sharing one initializer. TF.js names layers it is not given a name for with a counter per
 * class and process (`dense_Dense1`, `dense_Dense2` …): name layers (`name: 'fc1'`) for values
 * that do not depend on how many layers were made before.
 *
 * `initializer.apply(shape)` called directly (outside `addWeight`) uses the `stream` option
 * itself: the values are exactly the core's `initialize({ name, ...options }, shape)` in the
 * TF.js layout `in-out`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@tensorflow/tfjs-layers';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers.js';
import type { ConstantOptions, DiracOptions, IdentityOptions } from '../init/index.js';
import type { StrategyName } from '../init/initializer.js';
import type { OrthogonalOptions } from '../init/orthogonal.js';
import type { NormalOptions, TruncatedNormalOptions, UniformOptions } from '../init/random.js';
import {
  type InitSpec,
  initialize,
  prepareSpec,
  STRATEGY_NAMES,
  strategy,
} from '../init/registry.js';
import type { SparseOptions } from '../init/sparse.js';
import {
  DISTRIBUTIONS,
  type PresetOptions,
  type VarianceScalingOptions,
} from '../init/variance-scaling.js';
import type { Seed } from '../random/key.js';
import { checkChoice, oneOf, rangeError, typeError } from '../tensor/errors.js';
import { parseFanMode } from '../tensor/fans.js';
import { parseNonlinearity } from '../tensor/gain.js';
import { checkOptionsObject, requiredSeed } from './checks.js';

/**
 * The core's options of a strategy, as TF.js initializers take them: `dtype` can only be
 * `'float32'` (TF.js weights are float32) and `rng` only `'philox'` (a `RandomSource` object
 * cannot be saved with a model).
 */
export type TfjsOptions<O> = Omit<O, 'dtype' | 'rng'> & { dtype?: 'float32'; rng?: 'philox' };

/** The options a weightinit initializer holds, as given (canonical spellings). */
export type InitializerOptions = Readonly<Record<string, string | number | boolean | Seed>>;

/** The tfjs-layers `Initializer` class (not exported by tfjs-layers; the parent of its `Zeros`). */
const InitializerBase = Object.getPrototypeOf(
  tfl.initializers.zeros().constructor,
) as abstract new () => Initializer;

/** Marks weightinit initializers across copies of this module (a symbol shared by all of them). */
const NAMED_VALUES = Symbol.for('weightinit.tfjs.namedValues');
/** Marks a wrapped `addWeight`, so that it is wrapped once even if this module is loaded twice. */
const WRAPPED = Symbol.for('weightinit.tfjs.addWeightWrapped');

/** Option values that TF.js model JSON may alter (its snake_case ↔ camelCase conversion of strings). */
interface Encoded {
  readonly utf8hex: string;
}

/**
 * True when TF.js's save/load conversion of strings (`toSnakeCase` then `toCamelCase`) leaves
 * `s` unchanged: no upper-case letter, no `_`.
 */
function survivesKerasJson(s: string): boolean {
  return s === s.toLowerCase() && !s.includes('_');
}

function encodeString(s: string): string | Encoded {
  if (survivesKerasJson(s)) return s;
  let hex = '';
  for (const b of new TextEncoder().encode(s)) hex += b.toString(16).padStart(2, '0');
  return { utf8hex: hex };
}

function decodeString(fn: string, key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const hex = (value as Partial<Encoded>).utf8hex;
  if (typeof hex !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(hex))
    typeError(fn, `config.${key}`, 'a number, a string or { utf8hex }', value);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return new TextDecoder().decode(bytes);
}

/**
 * Validates a strategy's options for TF.js and brings enumerated values to their canonical
 * spelling (so that they survive TF.js model JSON): unknown keys, a `RandomSource`, a dtype
 * other than float32, a missing or bad seed and bad option values are errors here, when the
 * initializer is made. Checks that depend on the weight's shape run when it is applied.
 */
function checkOptions(name: StrategyName, options: unknown): InitializerOptions {
  const s = strategy(name);
  const fn = s.fn;
  if (options === undefined) options = {};
  checkOptionsObject(fn, options, s.keys);
  const o: Record<string, string | number | boolean | Seed> = {};
  for (const [key, value] of Object.entries(options)) if (value !== undefined) o[key] = value;
  if (o.dtype !== undefined && o.dtype !== 'float32')
    rangeError(fn, 'dtype', `${oneOf(['float32'])} (TF.js weights are float32)`, o.dtype);
  if (o.rng !== undefined && o.rng !== 'philox')
    rangeError(
      fn,
      'rng',
      `${oneOf(['philox'])} (a RandomSource cannot be saved with a model)`,
      o.rng,
    );
  if (s.keys.includes('seed')) requiredSeed(fn, o.seed);
  if (o.stream !== undefined && typeof o.stream !== 'string')
    typeError(fn, 'stream', 'a string', o.stream);
  if (o.nonlinearity !== undefined) o.nonlinearity = parseNonlinearity(fn, o.nonlinearity);
  if (o.mode !== undefined) o.mode = parseFanMode(fn, o.mode);
  if (o.distribution !== undefined) {
    const d =
      typeof o.distribution === 'string'
        ? o.distribution.toLowerCase().replace(/_/g, '-')
        : o.distribution;
    o.distribution = checkChoice(fn, 'distribution', d, DISTRIBUTIONS);
  }
  // Everything that does not depend on the shape: a probe of zero size runs the strategy's
  // own checks (std >= 0, low < high, one of gain/nonlinearity/scale …) without allocating.
  const probe = name === 'dirac' || name === 'delta-orthogonal' ? [0, 0, 0] : [0, 0];
  try {
    prepareSpec(specOf(name, o, undefined), probe);
  } catch (e) {
    if (!/`(shape|nonZero|groups)`/.test((e as Error).message)) throw e;
  }
  return Object.freeze(o);
}

/** The core spec of an initializer for one tensor: TF.js layout, the tensor's stream. */
function specOf(
  name: StrategyName,
  options: InitializerOptions,
  stream: string | undefined,
): InitSpec {
  const keys = strategy(name).keys;
  const spec: Record<string, unknown> = { name, ...options };
  if (keys.includes('layout') && spec.layout === undefined) spec.layout = 'in-out';
  if (stream !== undefined && keys.includes('stream')) spec.stream = stream;
  return spec as InitSpec;
}

/**
 * The stream of a weight inside a layer: its saved TF.js name (`variable.originalName`), after
 * the `stream` option when there is one — what weightinit initializers and `reinitialize` use.
 * @example weightStream(undefined, 'fc1/kernel') // 'fc1/kernel'
 * @example weightStream('run1', 'fc1/kernel') // 'run1/fc1/kernel'
 */
export function weightStream(stream: unknown, weightName: string): string {
  return typeof stream === 'string' && stream !== '' ? `${stream}/${weightName}` : weightName;
}

/**
 * A weightinit strategy as a TF.js initializer. Made by the functions named after the
 * strategies (`heNormal({ seed: 0 })` …), one subclass per strategy, each registered with
 * `tf.serialization.registerClass` under the class name `weightinit>` + the canonical name
 * (`weightinit>he-normal`), so that `model.save` / `tf.loadLayersModel` round-trip models
 * that use them.
 */
export class WeightInitializer extends InitializerBase {
  /** The canonical strategy name (`'he-normal'`). */
  readonly strategy: StrategyName;
  /** The options, validated, in canonical spelling (what `getConfig` saves). */
  readonly options: InitializerOptions;

  constructor(name: StrategyName, options?: object) {
    super();
    this.strategy = name;
    this.options = checkOptions(name, options);
  }

  /**
   * The core spec this initializer applies to one tensor: `{ name, ...options }`, with the
   * TF.js layout `in-out` unless `layout` was given, and `stream` when given.
   */
  spec(stream?: string): InitSpec {
    return specOf(this.strategy, this.options, stream);
  }

  /**
   * The values for a weight of this shape, from the stream `stream` (default: the `stream`
   * option): a float32 TF.js tensor equal to the core's `initialize(this.spec(stream), shape)`.
   * @throws what the core strategy throws for this shape (for example `identity` on 3-D).
   */
  values(shape: readonly number[], stream?: string): tf.Tensor {
    const t = initialize(this.spec(stream), shape);
    return tf.tensor(t.data, [...shape], 'float32');
  }

  /** TF.js's entry point. Uses the `stream` option itself (see the module comment). */
  apply(shape: Shape, dtype?: tf.DataType): tf.Tensor {
    checkDtype(strategy(this.strategy).fn, dtype);
    return this.values(shape as number[]);
  }

  /** Called by the wrapped `Layer.addWeight` with the weight's name. */
  [NAMED_VALUES](
    shape: readonly number[],
    dtype: tf.DataType | undefined,
    weightName: string,
  ): tf.Tensor {
    checkDtype(strategy(this.strategy).fn, dtype);
    return this.values(shape, weightStream(this.options.stream, weightName));
  }

  /**
   * Validates a shape and dtype for this initializer without computing anything.
   * @throws what the core strategy throws for this shape; RangeError for a dtype not float32.
   */
  check(shape: readonly number[], dtype?: tf.DataType | null): void {
    checkDtype(strategy(this.strategy).fn, dtype);
    prepareSpec(this.spec(), shape);
  }

  /** The options as a TF.js config (bigint seeds as decimal strings; strings kept safe from TF.js's case conversion). */
  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {};
    for (const [key, value] of Object.entries(this.options)) {
      config[key] =
        typeof value === 'bigint'
          ? value.toString()
          : typeof value === 'string'
            ? (encodeString(value) as tf.serialization.ConfigDictValue)
            : value;
    }
    return config;
  }

  /** Rebuilds an initializer from its saved config (what `tf.loadLayersModel` calls). */
  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const fn = 'WeightInitializer.fromConfig';
    const options: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
      if (key === 'customObjects') continue; // added by tfjs-layers' deserializer
      const v = decodeString(fn, key, value);
      options[key] = key === 'seed' && typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : v;
    }
    return new cls(options);
  }
}

function checkDtype(fn: string, dtype: tf.DataType | null | undefined): void {
  if (dtype != null && dtype !== 'float32')
    rangeError(fn, 'dtype', `${oneOf(['float32'])} (TF.js weights are float32)`, dtype);
}

type InitializerClass = new (options?: object) => WeightInitializer;

/** The registered class of each strategy. */
export const INITIALIZER_CLASSES: Readonly<Record<StrategyName, InitializerClass>> =
  Object.fromEntries(
    STRATEGY_NAMES.map((name): [StrategyName, InitializerClass] => {
      const cls = class extends WeightInitializer {
        static className = `weightinit>${name}`;
        constructor(options?: object) {
          super(name, options);
        }
      };
      tf.serialization.registerClass(cls);
      return [name, cls];
    }),
  ) as Record<StrategyName, InitializerClass>;

/** A variable of tfjs-layers as the wrapper sees it. */
interface Variable {
  readonly originalName: string;
  read(): tf.Variable;
}
type AddWeight = (
  this: { fastWeightInitDuringBuild?: boolean },
  name: string,
  shape: number[],
  dtype: tf.DataType | undefined,
  initializer: unknown,
  ...rest: unknown[]
) => Variable;

/**
 * Wraps `Layer.prototype.addWeight` once: a weightinit initializer is replaced by zeros while
 * TF.js creates the variable, then the variable is filled from the stream of its name.
 * Shapes are checked before the variable exists, so a bad shape leaves the layer unchanged.
 */
function wrapAddWeight(): void {
  const proto = tfl.layers.Layer.prototype as unknown as Record<PropertyKey, unknown> & {
    addWeight: AddWeight;
  };
  if (proto[WRAPPED]) return;
  const original = proto.addWeight;
  const standIn = tfl.initializers.zeros();
  const addWeight: AddWeight = function (name, shape, dtype, initializer, ...rest) {
    const named = (initializer as Record<PropertyKey, unknown> | null)?.[NAMED_VALUES];
    if (typeof named !== 'function' || this.fastWeightInitDuringBuild)
      return original.call(this, name, shape, dtype, initializer, ...rest);
    (initializer as WeightInitializer).check?.(shape, dtype);
    const variable = original.call(this, name, shape, dtype, standIn, ...rest);
    const value = named.call(initializer, shape, dtype, variable.originalName) as tf.Tensor;
    try {
      variable.read().assign(value);
    } finally {
      value.dispose();
    }
    return variable;
  };
  proto.addWeight = addWeight;
  proto[WRAPPED] = true;
}
wrapAddWeight();

function make<O>(name: StrategyName, options: O): WeightInitializer {
  return new INITIALIZER_CLASSES[name](options as object);
}

/**
 * All zeros (biases). On a kernel every unit computes the same function: no symmetry breaking.
 * @example
 * zeros().apply([3]).dataSync() // [0, 0, 0]
 * tf.layers.dense({ units: 4, biasInitializer: zeros() })
 */
export function zeros(options: TfjsOptions<object> = {}): WeightInitializer {
  return make('zeros', options);
}

/**
 * All ones (normalization γ).
 * @example
 * ones().apply([2]).dataSync() // [1, 1]
 * tf.layers.layerNormalization({ gammaInitializer: ones() })
 */
export function ones(options: TfjsOptions<object> = {}): WeightInitializer {
  return make('ones', options);
}

/**
 * Every element `value` (PyTorch `constant_`), for example the LSTM forget-gate bias 1.
 * @throws TypeError if `value` is missing or not a number.
 * @example
 * constant({ value: 0.1 }).apply([2]).dataSync() // [0.1, 0.1]
 * tf.layers.dense({ units: 4, biasInitializer: constant({ value: 0.1 }) })
 */
export function constant(options: TfjsOptions<ConstantOptions>): WeightInitializer {
  return make('constant', options);
}

/**
 * Uniform on [low, high) (default [0, 1)); unlike TF.js `randomUniform`, `low: 0` is 0 and
 * the seed is always used.
 * @throws RangeError if `high <= low` or the seed is missing.
 * @example
 * uniform({ low: -0.05, high: 0.05, seed: 0 }).apply([3]).dataSync() // [0.0331, 0.0365, -0.0481]
 */
export function uniform(options: TfjsOptions<UniformOptions>): WeightInitializer {
  return make('uniform', options);
}

/**
 * Normal N(mean, std²), default N(0, 1): the document's "small random numbers" (`std: 0.01`).
 * @throws RangeError if `std < 0` or the seed is missing.
 * @example
 * normal({ std: 0.02, seed: 0 }).apply([3]).dataSync() // [0.0205, 0.0533, 0.0007]
 */
export function normal(options: TfjsOptions<NormalOptions>): WeightInitializer {
  return make('normal', options);
}

/**
 * Truncated normal: N(mean, std²) conditioned on mean ± limit·std (default ±2, as TF.js) or on
 * absolute [low, high]; values outside are redrawn, never clamped.
 * @throws RangeError for `std < 0`, `limit <= 0`, `high <= low`.
 * @example
 * truncatedNormal({ std: 0.02, seed: 0 }).apply([3]).dataSync() // [0.0205, 0.0073, 0.0007]
 */
export function truncatedNormal(options: TfjsOptions<TruncatedNormalOptions>): WeightInitializer {
  return make('truncated-normal', options);
}

/**
 * Xavier/Glorot uniform (Glorot & Bengio 2010): U(±gain·√(6/(fan_in+fan_out))), fans of the
 * TF.js layout `[...kernel, in, out]`. For tanh/sigmoid layers.
 *
 * Defaults: gain 1, layout `in-out`.
 * @throws RangeError for a missing seed, more than one of gain / nonlinearity, fewer than 2
 *   dimensions (at apply).
 * @example
 * xavierUniform({ seed: 0 }).apply([2, 3]).dataSync() // [0.7246, 0.7993, -1.0536, -0.0993, 0.8397, 0.6672]
 * tf.layers.dense({ units: 64, kernelInitializer: xavierUniform({ seed: 0 }) })
 */
export function xavierUniform(options: TfjsOptions<PresetOptions>): WeightInitializer {
  return make('xavier-uniform', options);
}

/**
 * Xavier/Glorot normal (Glorot & Bengio 2010): N(0, gain²·2/(fan_in+fan_out)) — a true normal,
 * where TF.js `glorotNormal` draws an uncorrected truncated normal.
 * @example
 * xavierNormal({ seed: 0 }).apply([2, 3]).dataSync() // [0.6492, 1.6864, 0.0229, 0.7782, -0.5488, -0.9935]
 */
export function xavierNormal(options: TfjsOptions<PresetOptions>): WeightInitializer {
  return make('xavier-normal', options);
}

/**
 * He/Kaiming uniform (He et al. 2015): U(±gain·√(3/fan)), gain √2 (ReLU), fan-in.
 * @example
 * heUniform({ seed: 0 }).apply([2, 3]).dataSync() // [1.1457, 1.2638, -1.666, -0.157, 1.3277, 1.0549]
 */
export function heUniform(options: TfjsOptions<PresetOptions>): WeightInitializer {
  return make('he-uniform', options);
}

/**
 * He/Kaiming normal (He et al. 2015): N(0, gain²/fan), the document's N(0, 2/n_in) for ReLU.
 *
 * Defaults: nonlinearity relu, mode fan-in, layout `in-out`.
 * @example
 * heNormal({ seed: 0 }).apply([2, 3]).dataSync() // [1.0265, 2.6665, 0.0363, 1.2304, -0.8678, -1.5709]
 * tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: heNormal({ seed: 0 }) })
 */
export function heNormal(options: TfjsOptions<PresetOptions>): WeightInitializer {
  return make('he-normal', options);
}

/**
 * LeCun uniform (LeCun et al. 1998): U(±√(3/fan_in)).
 * @example
 * lecunUniform({ seed: 0 }).apply([2, 3]).dataSync() // [0.8102, 0.8936, -1.178, -0.111, 0.9388, 0.7459]
 */
export function lecunUniform(options: TfjsOptions<PresetOptions>): WeightInitializer {
  return make('lecun-uniform', options);
}

/**
 * LeCun normal (LeCun et al. 1998): N(0, 1/fan_in), for SELU networks (Klambauer et al. 2017).
 * @example
 * lecunNormal({ seed: 0 }).apply([2, 3]).dataSync() // [0.7259, 1.8855, 0.0257, 0.87, -0.6136, -1.1108]
 * tf.layers.dense({ units: 64, activation: 'selu', kernelInitializer: lecunNormal({ seed: 0 }) })
 */
export function lecunNormal(options: TfjsOptions<PresetOptions>): WeightInitializer {
  return make('lecun-normal', options);
}

/**
 * Variance scaling (Keras): std = √(scale/fan); uniform, normal, or truncated normal at ±2σ
 * with the variance correction σ = std/0.8796… (which TF.js omits).
 *
 * Defaults: scale 1, mode fan-in, distribution truncated-normal.
 * @example
 * varianceScaling({ scale: 2, seed: 0 }).apply([2, 3]).dataSync() // [1.167, 0.4146, 0.0412, 1.3988, -0.9866, -1.7858]
 */
export function varianceScaling(options: TfjsOptions<VarianceScalingOptions>): WeightInitializer {
  return make('variance-scaling', options);
}

/**
 * Haar (semi-)orthogonal matrix times `gain` (Saxe et al. 2014; QR with the sign fix of
 * Mezzadri 2007), seeded (TF.js's `orthogonal` ignores seeds); in layout `in-out` the kernel is
 * flattened to (all but last) × last, as Keras. For recurrent kernels.
 * @example
 * orthogonal({ seed: 0 }).apply([2, 2]).dataSync() // [0.9994, -0.0353, 0.0353, 0.9994]
 * tf.layers.lstm({ units: 32, recurrentInitializer: orthogonal({ seed: 0 }) })
 */
export function orthogonal(options: TfjsOptions<OrthogonalOptions>): WeightInitializer {
  return make('orthogonal', options);
}

/**
 * gain·I (PyTorch `eye_` for non-square), the IRNN recurrent kernel (Le et al. 2015).
 * @throws RangeError for a shape that is not 2-D (at apply).
 * @example
 * identity().apply([2, 3]).dataSync() // [1, 0, 0, 0, 1, 0]
 * tf.layers.simpleRNN({ units: 32, activation: 'relu', recurrentInitializer: identity() })
 */
export function identity(options: TfjsOptions<IdentityOptions> = {}): WeightInitializer {
  return make('identity', options);
}

/**
 * Dirac delta for convolution kernels (PyTorch `dirac_`): the identity through a convolution.
 * @example
 * dirac().apply([3, 1, 1]).dataSync() // [0, 1, 0]
 * tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', kernelInitializer: dirac() })
 */
export function dirac(options: TfjsOptions<DiracOptions> = {}): WeightInitializer {
  return make('dirac', options);
}

/**
 * Delta-orthogonal convolution kernel (Xiao et al. 2018): an orthogonal out × in matrix at the
 * kernel centre, zero elsewhere (out ≥ in).
 * @example
 * deltaOrthogonal({ seed: 0 }).apply([3, 1, 2]).dataSync() // [0, 0, 0.3593, 0.9332, 0, 0]
 * tf.layers.conv2d({ filters: 16, kernelSize: 3, kernelInitializer: deltaOrthogonal({ seed: 0 }) })
 */
export function deltaOrthogonal(options: TfjsOptions<OrthogonalOptions>): WeightInitializer {
  return make('delta-orthogonal', options);
}

/**
 * Sparse initialization (Martens 2010): N(0, std²) with `sparsity` of each input's weights zero
 * (PyTorch) or exactly `nonZero` incoming weights per unit.
 * @example
 * sparse({ sparsity: 0.5, seed: 0 }).apply([2, 3]).dataSync() // [0, 0, 0.0004, 0, -0.0087, 0]
 */
export function sparse(options: TfjsOptions<SparseOptions>): WeightInitializer {
  return make('sparse', options);
}
