/**
 * A minimal WebAssembly assembler: LEB128, sections, functions with named locals, and the few
 * scalar and SIMD instructions the library's kernels use (`linalg/wasm.ts`, `random/wasm.ts`).
 * Kernels are assembled from readable instructions: no binary blob written by hand, no
 * dependency, and modules small enough (< 4 KiB) for a browser to compile synchronously. The
 * samplers' modules are assembled ahead of time into `random/wasm-modules.generated.ts` (start-up
 * is faster; a test checks the bytes against this assembler); the others at load time.
 *
 * Only IEEE-754 basic operations and exact integer operations are offered (no relaxed SIMD, no
 * fused multiply–add), so a kernel gives the same bits on every engine.
 *
 * @internal
 */

/** The slice of the `WebAssembly` global the kernels use (not in TypeScript's ES libs). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** A `WebAssembly.Memory`. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The engine's `WebAssembly`, or `undefined` where there is none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * Validates and compiles a module, or `null` where WebAssembly (or an instruction the module
 * uses, such as SIMD) is unavailable or compiling is forbidden (a content security policy).
 */
export function compileModule(bytes: () => Uint8Array): object | null {
  const api = wasmApi();
  if (api === undefined) return null;
  try {
    const b = bytes();
    return api.validate(b) ? new api.Module(b) : null;
  } catch {
    return null;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The bytes of a base64 string (standard alphabet, `=` padding): how generated files embed
 * module bytes. Plain code rather than `atob`, which is not in the ES libraries.
 */
export function decodeBase64(text: string): Uint8Array {
  const body = text.replace(/=+$/, '');
  const out = new Uint8Array((body.length * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const v = BASE64.indexOf(body[i]);
    if (v < 0)
      throw new Error(`decodeBase64: \`text\` must be base64, got ${JSON.stringify(body[i])}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function name(s: string): number[] {
  const out = uleb(s.length);
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  return out;
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** What {@link Fn.emit} accepts: raw bytes, or a local's name (emitted as `local.get`). */
export type Part = number | string | number[];

/** A function body under construction, with named locals. */
export class Fn {
  readonly code: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly localTypes: number[] = [];
  /**
   * @param exportName - the name the module exports the function under.
   * @param params - the parameters' names.
   * @param paramTypes - their types (default: all i32).
   * @param results - the result types (default: none).
   */
  constructor(
    readonly exportName: string,
    readonly params: readonly string[],
    readonly paramTypes: readonly number[] = params.map(() => I32),
    readonly results: readonly number[] = [],
  ) {
    for (let i = 0; i < params.length; i++) this.index.set(params[i], i);
  }
  local(type: number, ...names: string[]): void {
    for (const n of names) {
      this.index.set(n, this.params.length + this.localTypes.length);
      this.localTypes.push(type);
    }
  }
  private at(n: string): number[] {
    const i = this.index.get(n);
    if (i === undefined) throw new Error(`wasm assembler: unknown local ${n}`);
    return uleb(i);
  }
  /** Emits raw bytes, or `local.get` for a string. */
  emit(...parts: Part[]): this {
    for (const p of parts) {
      if (typeof p === 'string') this.code.push(0x20, ...this.at(p));
      else if (typeof p === 'number') this.code.push(p);
      else this.code.push(...p);
    }
    return this;
  }
  /** Emits `value`, then `local.set n`. */
  set(n: string, ...value: Part[]): this {
    this.emit(...value);
    this.code.push(0x21, ...this.at(n));
    return this;
  }
  /** Emits `value`, then `local.tee n` (sets n and leaves the value on the stack). */
  tee(n: string, ...value: Part[]): this {
    this.emit(...value);
    this.code.push(0x22, ...this.at(n));
    return this;
  }
  /** The type entry of the function's signature. */
  type(): number[] {
    return signature(this.paramTypes, this.results);
  }
  body(): number[] {
    const locals = vec(this.localTypes.map((t) => [1, t]));
    const bytes = [...locals, ...this.code, 0x0b];
    return [...uleb(bytes.length), ...bytes];
  }
}

/** A function a module imports (from `env`), with its signature. */
export interface FnImport {
  readonly name: string;
  readonly params: readonly number[];
  readonly results?: readonly number[];
}

const signature = (params: readonly number[], results: readonly number[]) => [
  0x60,
  ...vec(params.map((t) => [t])),
  ...vec(results.map((t) => [t])),
];

/**
 * The module's bytes: imports its memory as `env.memory` (at least `minPages` pages of 64 KiB;
 * a shared memory of at most `sharedMaxPages` pages if given) and the functions `fnImports` from
 * `env` (function i is the i-th import), then defines `fns` (numbered after the imports, in
 * order: `call(i)`), exporting each under its name.
 */
export function moduleBytes(
  fns: readonly Fn[],
  minPages = 1,
  fnImports: readonly FnImport[] = [],
  sharedMaxPages?: number,
): Uint8Array {
  const limits =
    sharedMaxPages === undefined
      ? [0x00, ...uleb(minPages)]
      : [0x03, ...uleb(minPages), ...uleb(sharedMaxPages)];
  const types = [
    ...fnImports.map((f) => signature(f.params, f.results ?? [])),
    ...fns.map((f) => f.type()),
  ];
  const imports = vec([
    [...name('env'), ...name('memory'), 0x02, ...limits],
    ...fnImports.map((f, i) => [...name('env'), ...name(f.name), 0x00, ...uleb(i)]),
  ]);
  const first = fnImports.length;
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(fns.map((_, i) => uleb(first + i)))),
    ...section(7, vec(fns.map((f, i) => [...name(f.exportName), 0x00, ...uleb(first + i)]))),
    ...section(10, vec(fns.map((f) => f.body()))),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Instructions, as byte arrays.

const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
/** A load or store: `(offset = 0, log2 of the alignment hint = natural)`. */
const mem =
  (op: number, natural: number) =>
  (off = 0, align = natural) => [op, align, ...uleb(off)];
const simdMem =
  (op: number, natural: number) =>
  (off = 0, align = natural) =>
    simd(op, align, ...uleb(off));

// Control.
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
/** `if` whose branches leave one value of type `t` (I32, I64, F64 or V128). */
export const ifResult = (t: number) => [0x04, t];
export const ELSE = [0x05];
export const END = [0x0b];
export const RETURN = [0x0f];
export const br = (d: number) => [0x0c, ...uleb(d)];
export const brIf = (d: number) => [0x0d, ...uleb(d)];
export const call = (f: number) => [0x10, ...uleb(f)];
/** `memory.copy`: (destination, source, bytes). */
export const MEMORY_COPY = [0xfc, 0x0a, 0x00, 0x00];
/** `select`: (a, b, condition) → condition ? a : b. */
export const SELECT = [0x1b];

// Scalar i32 and f64.
export const i32 = (v: number) => [0x41, ...sleb(v)];
/** Little-endian bytes of `values`, written by `put(view, byteOffset, value)`. */
function leBytes(
  values: readonly number[],
  size: number,
  put: (d: DataView, o: number, v: number) => void,
): number[] {
  const d = new DataView(new ArrayBuffer(values.length * size));
  for (let i = 0; i < values.length; i++) put(d, i * size, values[i]);
  return [...new Uint8Array(d.buffer)];
}
export const f64 = (v: number) => [0x44, ...leBytes([v], 8, (d, o, x) => d.setFloat64(o, x, true))];
export const I32_EQZ = [0x45];
export const I32_EQ = [0x46];
export const I32_NE = [0x47];
export const I32_LT_U = [0x49];
export const I32_GE_U = [0x4f];
export const I32_ADD = [0x6a];
export const I32_SUB = [0x6b];
export const I32_MUL = [0x6c];
export const I32_AND = [0x71];
export const I32_SHL = [0x74];
export const I32_SHR_U = [0x76];
export const I32_CTZ = [0x68];
export const F64_ADD = [0xa0];
export const F64_SUB = [0xa1];
export const F64_MUL = [0xa2];
export const i64 = (v: bigint) => {
  const out = [0x42];
  let x = BigInt.asIntN(64, v);
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
export const I32_OR = [0x72];
export const I32_XOR = [0x73];
export const I32_SHR_S = [0x75];
export const I32_GT_S = [0x4a];
export const I64_AND = [0x83];
export const I64_EQZ = [0x50];
export const I64_SUB = [0x7d];
export const I64_CTZ = [0x7a];
export const F64_NEG = [0x9a];
export const I32_GT_U = [0x4b];
export const I32_LE_U = [0x4d];
export const I64_ADD = [0x7c];
export const I64_OR = [0x84];
export const I64_SHL = [0x86];
export const I64_SHR_U = [0x88];
export const F64_EQ = [0x61];
export const F64_LT = [0x63];
export const F64_GE = [0x66];
export const F64_LE = [0x65];
export const F64_GT = [0x64];
export const F64_ABS = [0x99];
export const F64_DIV = [0xa3];
export const I32_WRAP_I64 = [0xa7];
export const I32_TRUNC_F64_S = [0xaa];
export const I64_EXTEND_I32_S = [0xac];
export const I64_EXTEND_I32_U = [0xad];
export const F32_DEMOTE_F64 = [0xb6];
export const F64_CONVERT_I32_S = [0xb7];
export const F64_CONVERT_I32_U = [0xb8];
export const I64_REINTERPRET_F64 = [0xbd];
export const F64_REINTERPRET_I64 = [0xbf];
export const i32Load = mem(0x28, 2);
export const i32Load8U = mem(0x2d, 0);
export const i64Load = mem(0x29, 3);
export const i32Store8 = mem(0x3a, 0);
export const f32Store = mem(0x38, 2);
export const i32Store = mem(0x36, 2);
export const f64Load = mem(0x2b, 3);
export const f64Store = mem(0x39, 3);

// SIMD: memory, constants, lanes.
export const V_LOAD = simdMem(0x00, 4);
export const V_STORE = simdMem(0x0b, 4);
export const v128 = (bytes: readonly number[]) => simd(0x0c, ...bytes);
export const V_ZERO = v128(new Array<number>(16).fill(0));
/** `v128.const` of four i32 lanes. */
export const i32x4 = (...lanes: number[]) =>
  v128(leBytes(lanes, 4, (d, o, x) => d.setInt32(o, x | 0, true)));
/** `i8x16.shuffle` of 32-bit lanes: lane i of the result is lane `l[i]` of (a, b), 0-7. */
export const shuffle32 = (...l: number[]) =>
  simd(0x0d, ...l.flatMap((x) => [4 * x, 4 * x + 1, 4 * x + 2, 4 * x + 3]));
/** `i8x16.shuffle` of 64-bit lanes: lane i of the result is lane `l[i]` of (a, b), 0-3. */
export const shuffle64 = (...l: number[]) => shuffle32(...l.flatMap((x) => [2 * x, 2 * x + 1]));
export const I32X4_SPLAT = simd(0x11);
export const F64X2_SPLAT = simd(0x14);
export const i32x4Lane = (l: number) => simd(0x1b, l);
export const f64x2Lane = (l: number) => simd(0x21, l);

// SIMD: i32x4 and i64x2.
export const I32X4_GT_S = simd(0x3b);
export const I32X4_LT_U = simd(0x3a);
export const I32X4_LT_S = simd(0x39);
export const V_AND = simd(0x4e);
export const V_OR = simd(0x50);
export const V_XOR = simd(0x51);
export const V_BITSELECT = simd(0x52);
export const I32X4_BITMASK = simd(0xa4);
export const I64X2_BITMASK = simd(0xc4);
export const I32X4_SHL = simd(0xab);
export const I32X4_SHR_U = simd(0xad);
export const I32X4_ADD = simd(0xae);
export const I32X4_SUB = simd(0xb1);
export const I32X4_MUL = simd(0xb5);
export const I32X4_MIN_S = simd(0xb6);
export const I64X2_EXTMUL_LOW_U = simd(0xde);
export const I64X2_EXTMUL_HIGH_U = simd(0xdf);

// SIMD: f32x4, f64x2 and conversions.
export const F32X4_ADD = simd(0xe4);
export const F64X2_LT = simd(0x49);
export const F64X2_GT = simd(0x4a);
export const F64X2_LE = simd(0x4b);
export const F64X2_GE = simd(0x4c);
export const F32X4_DEMOTE_F64X2_ZERO = simd(0x5e);
export const F64X2_ABS = simd(0xec);
export const F64X2_ADD = simd(0xf0);
export const F64X2_SUB = simd(0xf1);
export const F64X2_MUL = simd(0xf2);
export const F64X2_CONVERT_LOW_I32X4_S = simd(0xfe);
