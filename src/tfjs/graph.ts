/**
 * Walking and running a `tf.LayersModel` layer by layer: what `diagnose`, `lsuv` and
 * `reinitialize` share. The run follows the model's own graph (its layers' inbound nodes,
 * nested models entered), eagerly, so that every layer's output can be read, probed for its
 * gradient, or the run stopped after a given layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { rangeError, typeError } from '../tensor/errors.js';

/** A layer of tfjs-layers (the class is `tf.layers.Layer`). */
export type Layer = tfl.layers.Layer;

/** What the run needs of a tfjs-layers node (internal to tfjs-layers, stable since 1.0). */
interface GraphNode {
  readonly inputTensors: readonly tfl.SymbolicTensor[];
  readonly outputTensors: readonly tfl.SymbolicTensor[];
  readonly callArgs?: Record<string, unknown>;
}

/** What the run needs of a layer beyond its public API. */
interface LayerInternals {
  readonly inboundNodes: readonly GraphNode[];
}

/** What the run needs of a model beyond its public API. */
interface ModelInternals {
  readonly containerNodes?: ReadonlySet<string>;
}

/** One layer as the run met it: the layer and its output tensors (one per output). */
export interface LayerOutput {
  readonly layer: Layer;
  /** The layer's name, prefixed by the names of the models it is nested in (`encoder/fc1`). */
  readonly path: string;
  readonly outputs: readonly tf.Tensor[];
}

/** Options of `run`. */
export interface RunOptions {
  /** Passed to every layer's `call` (dropout, batch-norm statistics). Default false. */
  readonly training?: boolean;
  /** Called with each layer's outputs; what it returns replaces them (gradient probes). */
  readonly transform?: (layer: Layer, path: string, outputs: tf.Tensor[]) => tf.Tensor[];
  /** Stop as soon as this layer has run (its outputs are the last recorded). */
  readonly stopAfter?: Layer;
}

/** The result of `run`: the model's outputs (unless stopped early) and every layer's. */
export interface RunResult {
  readonly outputs: readonly tf.Tensor[];
  readonly layers: readonly LayerOutput[];
}

class Stop extends Error {}

/** True for a model (a container of layers) used as a layer. */
export function isModel(layer: unknown): layer is tfl.LayersModel {
  return layer instanceof tfl.LayersModel;
}

/** True for the input placeholder layers of a graph. */
function isInputLayer(layer: Layer): boolean {
  return layer.getClassName() === 'InputLayer';
}

/**
 * The nodes of `layer` that belong to `model`'s graph, in order. tfjs-layers keys them
 * `<layer>_ib-<index>` in `containerNodes`; a Sequential model has one node per layer.
 */
function nodesIn(model: tfl.LayersModel, layer: Layer): GraphNode[] {
  const nodes = (layer as unknown as LayerInternals).inboundNodes;
  const own = (model as unknown as ModelInternals).containerNodes;
  if (own === undefined || own.size === 0) return [...nodes];
  return nodes.filter((_, i) => own.has(`${layer.name}_ib-${i}`));
}

type Mask = tf.Tensor | null;

function toList<T>(x: T | T[] | undefined | null): (T | null)[] {
  return Array.isArray(x) ? x : [x ?? null];
}

/**
 * Runs one graph: each node once its inputs are known, with the masks the layers compute
 * (Embedding with `maskZero` → RNN …), as tfjs-layers' own `Container.runInternalGraph`.
 */
function runGraph(
  model: tfl.LayersModel,
  inputs: readonly tf.Tensor[],
  inputMasks: readonly Mask[],
  prefix: string,
  options: RunOptions,
  record: LayerOutput[],
): { outputs: tf.Tensor[]; masks: Mask[] } {
  const values = new Map<number, { t: tf.Tensor; mask: Mask }>();
  model.inputs.forEach((s, i) => {
    values.set(s.id, { t: inputs[i], mask: inputMasks[i] ?? null });
  });
  const pending: { layer: Layer; node: GraphNode }[] = [];
  for (const layer of model.layers) {
    if (isInputLayer(layer)) continue;
    for (const node of nodesIn(model, layer)) pending.push({ layer, node });
  }
  while (pending.length > 0) {
    const ready = pending.findIndex((p) => p.node.inputTensors.every((s) => values.has(s.id)));
    if (ready < 0) break; // nodes of other models that share these layers
    const [{ layer, node }] = pending.splice(ready, 1);
    const known = node.inputTensors.map((s) => values.get(s.id) as { t: tf.Tensor; mask: Mask });
    const xs = known.map((k) => k.t);
    const ms = known.map((k) => k.mask);
    const x = xs.length === 1 ? xs[0] : xs;
    const m = ms.length === 1 ? ms[0] : ms;
    const path = prefix + layer.name;
    let ys: tf.Tensor[];
    let masks: Mask[];
    if (isModel(layer)) {
      ({ outputs: ys, masks } = runGraph(layer, xs, ms, `${path}/`, options, record));
    } else {
      const kwargs: Record<string, unknown> = {
        ...(node.callArgs ?? {}),
        training: options.training ?? false,
      };
      if (kwargs.mask == null && ms.some((k) => k !== null)) kwargs.mask = m;
      ys = toList(layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[]) as tf.Tensor[];
      masks = toList(layer.computeMask(x, m as tf.Tensor | tf.Tensor[]));
    }
    if (options.transform !== undefined) ys = options.transform(layer, path, ys);
    record.push({ layer, path, outputs: ys });
    node.outputTensors.forEach((s, i) => {
      values.set(s.id, { t: ys[i], mask: masks[i] ?? null });
    });
    if (layer === options.stopAfter) throw new Stop();
  }
  const out = model.outputs.map((s) => values.get(s.id) as { t: tf.Tensor; mask: Mask });
  return { outputs: out.map((o) => o.t), masks: out.map((o) => o.mask) };
}

/**
 * Runs `model` on `inputs` layer by layer, eagerly, and returns every layer's outputs (nested
 * models are entered: their layers are reported with the path `outer/inner`). Call inside
 * `tf.tidy` (or dispose the tensors): nothing is disposed here.
 */
export function run(
  model: tfl.LayersModel,
  inputs: readonly tf.Tensor[],
  options: RunOptions = {},
): RunResult {
  const layers: LayerOutput[] = [];
  try {
    return { outputs: runGraph(model, inputs, [], '', options, layers).outputs, layers };
  } catch (e) {
    if (e instanceof Stop) return { outputs: [], layers };
    throw e;
  }
}

/**
 * Every layer of a model, nested models entered (depth first, in the model's order), with
 * its path; input layers and the nested models themselves are left out.
 */
export function flatLayers(model: tfl.LayersModel, prefix = ''): { layer: Layer; path: string }[] {
  const out: { layer: Layer; path: string }[] = [];
  for (const layer of model.layers) {
    if (isInputLayer(layer)) continue;
    if (isModel(layer)) out.push(...flatLayers(layer, `${prefix}${layer.name}/`));
    else out.push({ layer, path: prefix + layer.name });
  }
  return out;
}

/**
 * Checks that `model` is a built `tf.LayersModel` with weights.
 * @throws TypeError for anything else; RangeError for a model with no weights.
 */
export function checkModel(fn: string, model: unknown): tfl.LayersModel {
  if (!isModel(model))
    typeError(fn, 'model', 'a tf.LayersModel (tf.sequential or tf.model)', model);
  if (model.weights.length === 0)
    rangeError(fn, 'model', 'a model with weights', `a model with none (${model.name})`);
  return model;
}

/** A shape for messages, `null` for a free dimension: `[null, 32]`. */
function showShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/**
 * Checks `inputs` against the model's inputs: one tensor per input (a tensor alone for a
 * model of one input), each of the input's rank and fixed dimensions, with the same batch size.
 * @throws TypeError for something that is not a tensor; RangeError for a wrong count or shape.
 */
export function checkInputs(fn: string, model: tfl.LayersModel, inputs: unknown): tf.Tensor[] {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  const n = model.inputs.length;
  if (xs.length !== n)
    rangeError(
      fn,
      'inputs',
      `${n} tensor${n === 1 ? '' : 's'} (one per model input)`,
      `${xs.length}`,
    );
  xs.forEach((x, i) => {
    const arg = n === 1 && !Array.isArray(inputs) ? 'inputs' : `inputs[${i}]`;
    if (!(x instanceof tf.Tensor)) typeError(fn, arg, 'a tf.Tensor', x);
    const want = model.inputs[i].shape;
    const fits =
      x.shape.length === want.length && want.every((d, k) => d === null || d === x.shape[k]);
    if (!fits)
      rangeError(
        fn,
        arg,
        `of shape ${showShape(want)} (the model's input ${model.inputs[i].name})`,
        x.shape,
      );
    if (x.shape[0] !== xs[0].shape[0])
      rangeError(fn, arg, `of the batch size of inputs[0] (${xs[0].shape[0]})`, x.shape);
    if (x.size === 0) rangeError(fn, arg, 'a non-empty batch', x.shape);
  });
  return xs as tf.Tensor[];
}

/**
 * Runs `body`, turning TF.js's "Kernel 'X' not registered for backend 'Y'" into an error that
 * says what to do: TF.js 4.22's wasm backend has no gradient kernels for convolutions
 * (`Conv2DBackpropFilter` …), the CPU backend has them all.
 */
export function withKernels<T>(fn: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((e as Error)?.message ?? '');
    if (m === null) throw e;
    throw new Error(
      `${fn}: the TF.js backend "${m[2]}" has no kernel ${m[1]}` +
        (m[2] === 'wasm' ? ' (its convolutions have no gradients)' : '') +
        ": run `await setupBackend({ backend: 'cpu' })` first",
      { cause: e },
    );
  }
}
