/**
 * The TensorFlow.js backend weightinit/tfjs runs on: WebAssembly (with SIMD where the engine
 * has it) by default, the plain JavaScript CPU backend as the fallback. Importing this module
 * registers both backends with tfjs-core; `setupBackend` chooses one and waits until it is ready.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { checkChoice, typeError } from '../tensor/errors.js';
import { checkOptionsObject } from './checks.js';

/** The backends `setupBackend` can choose. */
export type BackendName = 'wasm' | 'cpu';

/** Every backend name, in order of preference. */
export const BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

/** Options of `setupBackend`. */
export interface BackendOptions {
  /**
   * The backend to use: `'wasm'` (default; falls back to `'cpu'` when WebAssembly cannot be
   * started) or `'cpu'`.
   */
  backend?: BackendName;
  /**
   * Where the wasm backend's `.wasm` files are: a URL or path prefix ending in `/`, passed to
   * `setWasmPaths`. Default in Node: the installed `@tensorflow/tfjs-backend-wasm/dist/`
   * (no network). In a browser the default is the backend's own (next to its script); give
   * it when a bundler moves the files.
   */
  wasmPaths?: string;
}

let wasmPathsSet = false;

/** True in Node (and engines that emulate it, such as Bun): the wasm files are read from disk. */
function inNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The directory of the installed wasm backend, as a path prefix ending in `/` (Node only). */
async function installedWasmDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, sep } = await import('node:path');
  const require = createRequire(import.meta.url);
  return (
    dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep
  );
}

/**
 * Chooses the TensorFlow.js backend and waits until it is ready: WebAssembly by default (in
 * Node its `.wasm` files are loaded from the installed `@tensorflow/tfjs-backend-wasm`, never
 * from the network), the CPU backend when WebAssembly cannot start or when asked for. Call it
 * once before building models; calling it again with the same choice is free.
 *
 * `@tensorflow/tfjs-node` is not used (it needs a native binary download).
 *
 * Defaults: backend `'wasm'`, wasm files from the installed package (Node).
 * @returns the backend in use, `'wasm'` or `'cpu'`.
 * @throws RangeError for an unknown backend or option; TypeError for a non-string `wasmPaths`.
 * @example
 * await setupBackend(); // 'wasm' (SIMD in Node 20), or 'cpu' if WebAssembly is unavailable
 */
export async function setupBackend(options: BackendOptions = {}): Promise<BackendName> {
  const fn = 'setupBackend';
  checkOptionsObject(fn, options, ['backend', 'wasmPaths']);
  const wanted =
    options.backend === undefined ? 'wasm' : checkChoice(fn, 'backend', options.backend, BACKENDS);
  if (options.wasmPaths !== undefined && typeof options.wasmPaths !== 'string')
    typeError(fn, 'wasmPaths', 'a string (a URL or path prefix ending in "/")', options.wasmPaths);
  if (tf.getBackend() === wanted) {
    await tf.ready();
    return wanted;
  }
  if (wanted === 'wasm') {
    if (!wasmPathsSet) {
      const paths = options.wasmPaths ?? (inNode() ? await installedWasmDir() : undefined);
      if (paths !== undefined) setWasmPaths(paths);
      wasmPathsSet = true;
    }
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
