/**
 * The WebAssembly SIMD micro-kernels of the blocked QR, assembled here from readable
 * instructions (no build step, no binary blob, no dependency): under 2 KiB of code, compiled
 * synchronously once, small enough for a browser's main thread.
 *
 * Two functions, each the register-blocked inner loop of one matrix–matrix product of
 * `kernels.ts`, on 2 × 4 blocks with `f64x2` vectors (11–14 of the 16 vector registers):
 * - `abt`: y[q][l] += Σₜ a[q][t]·b[l][t] (dot products, two lanes: even t and odd t);
 * - `sub`: c[q][t] −= ((y[q][0]·b[0][t] + y[q][1]·b[1][t]) + y[q][2]·b[2][t]) + y[q][3]·b[3][t].
 * Only IEEE-754 `f64x2.add`/`mul`/`sub` (no fused multiply–add, no relaxed SIMD), so the results
 * are the same bits on every engine, and the same bits as the JavaScript fallback in
 * `kernels.ts`, which follows the same order of operations.
 *
 * Addresses, strides and pointers are byte offsets into the memory the instance imports as
 * `env.memory`; lengths are numbers of elements.
 */

/** The slice of the `WebAssembly` global this module uses (not in TypeScript's ES libs). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** `abt(a, aStride, pairs, b, bStride, quads, len, y, yStride)`. */
export type AbtKernel = (
  a: number,
  aStride: number,
  pairs: number,
  b: number,
  bStride: number,
  quads: number,
  len: number,
  y: number,
  yStride: number,
) => void;

/** `sub(c, cStride, pairs, y, yStride, quads, b, bStride, len)`. */
export type SubKernel = (
  c: number,
  cStride: number,
  pairs: number,
  y: number,
  yStride: number,
  quads: number,
  b: number,
  bStride: number,
  len: number,
) => void;

/** An instance of the kernels on its own memory. */
export interface WasmKernels {
  /** The instance's memory, at least the bytes asked for. */
  readonly buffer: ArrayBuffer;
  readonly abt: AbtKernel;
  readonly sub: SubKernel;
}

// ---------------------------------------------------------------------------------------------
// A minimal assembler: LEB128, sections, and the few instructions the kernels use.

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function uleb(n: number): number[] {
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

function sleb(n: number): number[] {
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

/** A function body under construction, with named locals. */
class Fn {
  readonly code: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly localTypes: number[] = [];
  constructor(
    readonly exportName: string,
    readonly params: readonly string[],
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
  emit(...parts: (number | string | number[])[]): this {
    for (const p of parts) {
      if (typeof p === 'string') this.code.push(0x20, ...this.at(p));
      else if (typeof p === 'number') this.code.push(p);
      else this.code.push(...p);
    }
    return this;
  }
  set(n: string, ...value: (number | string | number[])[]): this {
    this.emit(...value);
    this.code.push(0x21, ...this.at(n));
    return this;
  }
  body(): number[] {
    const locals = vec(this.localTypes.map((t) => [1, t]));
    const bytes = [...locals, ...this.code, 0x0b];
    return [...uleb(bytes.length), ...bytes];
  }
}

// Instructions (as byte arrays).
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = [0x6a];
const MUL = [0x6c];
const AND = [0x71];
const SHR_U = [0x76];
const LT_U = [0x49];
const GE_U = [0x4f];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = [0x0b];
const br = (d: number) => [0x0c, ...uleb(d)];
const brIf = (d: number) => [0x0d, ...uleb(d)];
const f64Load = (off = 0) => [0x2b, 3, ...uleb(off)];
const f64Store = (off = 0) => [0x39, 3, ...uleb(off)];
const F_ADD = [0xa0];
const F_SUB = [0xa1];
const F_MUL = [0xa2];
const vLoad = (off = 0) => [0xfd, 0x00, 3, ...uleb(off)];
const vStore = (off = 0) => [0xfd, 0x0b, 3, ...uleb(off)];
const V_ADD = [0xfd, 0xf0, 0x01];
const V_SUB = [0xfd, 0xf1, 0x01];
const V_MUL = [0xfd, 0xf2, 0x01];
const V_SPLAT = [0xfd, 0x14];
const lane = (l: number) => [0xfd, 0x21, l];
const V_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

/**
 * `abt`: for each pair of rows (a₀, a₁) of A and each group of four rows (b₀…b₃) of B:
 * y[r][c] += (lane₀ + lane₁) [+ aᵣ[len−1]·b_c[len−1] if len is odd], where lane₀ sums the
 * products at even t and lane₁ at odd t, each in increasing t.
 */
function abtFunction(): Fn {
  const f = new Fn('abt', ['a', 'as', 'pairs', 'b', 'bs', 'quads', 'len', 'y', 'ys']);
  f.local(I32, 'qp', 'lq', 'rowA', 'pa0', 'pa1', 'pb0', 'pb1', 'pb2', 'pb3', 'end', 'py');
  const acc = (r: number, c: number) => `acc${r}${c}`;
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.local(V128, acc(r, c));
  f.local(V128, 'x0', 'x1', 'v');
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.local(F64, `s${r}${c}`);
  const pb = ['pb0', 'pb1', 'pb2', 'pb3'];
  const pa = ['pa0', 'pa1'];

  f.set('qp', i32(0));
  f.emit(BLOCK, LOOP); // over pairs of rows of A
  f.emit('qp', 'pairs', GE_U, brIf(1));
  f.set('rowA', 'a', 'qp', 'as', MUL, i32(2), MUL, ADD);
  f.set('lq', i32(0));
  f.emit(BLOCK, LOOP); // over groups of four rows of B
  f.emit('lq', 'quads', GE_U, brIf(1));
  f.set('pa0', 'rowA');
  f.set('pa1', 'rowA', 'as', ADD);
  f.set('pb0', 'b', 'lq', 'bs', MUL, i32(4), MUL, ADD);
  f.set('pb1', 'pb0', 'bs', ADD);
  f.set('pb2', 'pb1', 'bs', ADD);
  f.set('pb3', 'pb2', 'bs', ADD);
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.set(acc(r, c), V_ZERO);
  f.set('end', 'pa0', 'len', i32(1), SHR_U, i32(16), MUL, ADD);
  f.emit(BLOCK, 'pa0', 'end', GE_U, brIf(0), LOOP); // over t, two at a time
  f.set('x0', 'pa0', vLoad());
  f.set('x1', 'pa1', vLoad());
  for (let c = 0; c < 4; c++) {
    f.set('v', pb[c], vLoad());
    f.set(acc(0, c), acc(0, c), 'x0', 'v', V_MUL, V_ADD);
    f.set(acc(1, c), acc(1, c), 'x1', 'v', V_MUL, V_ADD);
  }
  for (const p of ['pa1', ...pb]) f.set(p, p, i32(16), ADD);
  f.set('pa0', 'pa0', i32(16), ADD);
  f.emit('pa0', 'end', LT_U, brIf(0), END, END);
  // Reduce the lanes, add the odd element, accumulate into y.
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) f.set(`s${r}${c}`, acc(r, c), lane(0), acc(r, c), lane(1), F_ADD);
  }
  f.emit('len', i32(1), AND, IF);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      f.set(`s${r}${c}`, `s${r}${c}`, pa[r], f64Load(), pb[c], f64Load(), F_MUL, F_ADD);
    }
  }
  f.emit(END);
  f.set('py', 'y', 'qp', 'ys', MUL, i32(2), MUL, ADD, 'lq', i32(32), MUL, ADD);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const addr = r === 0 ? ['py'] : ['py', 'ys', ADD];
      f.emit(...addr, ...addr, f64Load(c * 8), `s${r}${c}`, F_ADD, f64Store(c * 8));
    }
  }
  f.set('lq', 'lq', i32(1), ADD);
  f.emit(br(0), END, END);
  f.set('qp', 'qp', i32(1), ADD);
  f.emit(br(0), END, END);
  return f;
}

/**
 * `sub`: for each pair of rows (c₀, c₁) of C and each group of four rows (b₀…b₃) of B, with the
 * matching 2 × 4 block of y: cᵣ[t] −= ((yᵣ₀·b₀[t] + yᵣ₁·b₁[t]) + yᵣ₂·b₂[t]) + yᵣ₃·b₃[t].
 */
function subFunction(): Fn {
  const f = new Fn('sub', ['c', 'cs', 'pairs', 'y', 'ys', 'quads', 'b', 'bs', 'len']);
  f.local(I32, 'qp', 'lq', 'rowC', 'pc0', 'pc1', 'pb0', 'pb1', 'pb2', 'pb3', 'end', 'py');
  const yv = (r: number, c: number) => `y${r}${c}`;
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) f.local(V128, yv(r, c));
  f.local(V128, 'v0', 'v1', 'v2', 'v3');
  const pb = ['pb0', 'pb1', 'pb2', 'pb3'];
  const pc = ['pc0', 'pc1'];
  const vs = ['v0', 'v1', 'v2', 'v3'];
  /** ((y·v₀ + y·v₁) + y·v₂) + y·v₃ for row r, vector or scalar (lane 0 of the splats). */
  const combination = (r: number, scalar: boolean): (string | number[])[] => {
    const out: (string | number[])[] = [];
    for (let c = 0; c < 4; c++) {
      if (scalar) out.push(yv(r, c), lane(0), pb[c], f64Load(), F_MUL);
      else out.push(yv(r, c), vs[c], V_MUL);
      if (c > 0) out.push(scalar ? F_ADD : V_ADD);
    }
    return out;
  };

  f.set('qp', i32(0));
  f.emit(BLOCK, LOOP);
  f.emit('qp', 'pairs', GE_U, brIf(1));
  f.set('rowC', 'c', 'qp', 'cs', MUL, i32(2), MUL, ADD);
  f.set('lq', i32(0));
  f.emit(BLOCK, LOOP);
  f.emit('lq', 'quads', GE_U, brIf(1));
  f.set('py', 'y', 'qp', 'ys', MUL, i32(2), MUL, ADD, 'lq', i32(32), MUL, ADD);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const addr = r === 0 ? ['py'] : ['py', 'ys', ADD];
      f.set(yv(r, c), ...addr, f64Load(c * 8), V_SPLAT);
    }
  }
  f.set('pc0', 'rowC');
  f.set('pc1', 'rowC', 'cs', ADD);
  f.set('pb0', 'b', 'lq', 'bs', MUL, i32(4), MUL, ADD);
  f.set('pb1', 'pb0', 'bs', ADD);
  f.set('pb2', 'pb1', 'bs', ADD);
  f.set('pb3', 'pb2', 'bs', ADD);
  // Over t: four at a time (two vectors per row, unrolled), then two, then the odd one.
  const step = (o: number) => {
    for (let c = 0; c < 4; c++) f.set(vs[c], pb[c], vLoad(o));
    for (let r = 0; r < 2; r++) {
      f.emit(pc[r], pc[r], vLoad(o), ...combination(r, false), V_SUB, vStore(o));
    }
  };
  const advance = (bytes: number) => {
    for (const p of ['pc0', 'pc1', ...pb]) f.set(p, p, i32(bytes), ADD);
  };
  f.set('end', 'pc0', 'len', i32(2), SHR_U, i32(32), MUL, ADD);
  f.emit(BLOCK, 'pc0', 'end', GE_U, brIf(0), LOOP);
  step(0);
  step(16);
  advance(32);
  f.emit('pc0', 'end', LT_U, brIf(0), END, END);
  f.emit('len', i32(2), AND, IF);
  step(0);
  advance(16);
  f.emit(END);
  f.emit('len', i32(1), AND, IF);
  for (let r = 0; r < 2; r++)
    f.emit(pc[r], pc[r], f64Load(), ...combination(r, true), F_SUB, f64Store());
  f.emit(END);
  f.set('lq', 'lq', i32(1), ADD);
  f.emit(br(0), END, END);
  f.set('qp', 'qp', i32(1), ADD);
  f.emit(br(0), END, END);
  return f;
}

/** The module's bytes: imports `env.memory`, exports `abt` and `sub`. */
export function kernelModuleBytes(): Uint8Array {
  const fns = [abtFunction(), subFunction()];
  const types = fns.map((f) => [0x60, ...vec(f.params.map(() => [I32])), ...vec([])]);
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]]);
  const functions = vec(fns.map((_, i) => uleb(i)));
  const exports = vec(fns.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]));
  const code = vec(fns.map((f) => f.body()));
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, functions),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

let compiled: object | null | undefined;

/** The compiled module, or `null` where WebAssembly or its SIMD is unavailable. */
function compiledModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api !== undefined) {
    try {
      const bytes = kernelModuleBytes();
      if (api.validate(bytes)) compiled = new api.Module(bytes);
    } catch {
      compiled = null; // e.g. a content security policy that forbids compiling
    }
  }
  return compiled;
}

/** Largest memory asked for: 2 GiB (byte offsets stay positive 32-bit integers). */
const MAX_BYTES = 2 ** 31;
/**
 * Requests up to this size share one instance, kept between calls (its memory grows to the
 * largest such request, never beyond): a new memory costs tens of microseconds, which matters
 * for small matrices. Larger requests get a memory of their own, freed with it.
 */
const SHARED_BYTES = 2 ** 25;
const PAGE = 65536;

let shared: { memory: WasmMemory; abt: AbtKernel; sub: SubKernel } | undefined;

/**
 * An instance of the kernels on a memory of at least `bytes` bytes, or `null` when WebAssembly
 * SIMD is unavailable or the memory cannot be had (then use the JS kernels). The memory's
 * contents are unspecified (a shared memory keeps what the last call left): write before reading.
 * Valid until the next call: results must be copied out before then.
 */
export function instantiateKernels(bytes: number): WasmKernels | null {
  if (bytes > MAX_BYTES) return null;
  const module = compiledModule();
  if (module === null) return null;
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  try {
    if (bytes <= SHARED_BYTES) {
      if (shared === undefined) {
        const memory = new api.Memory({ initial: pages });
        const { exports } = new api.Instance(module, { env: { memory } });
        shared = { memory, abt: exports.abt as AbtKernel, sub: exports.sub as SubKernel };
      }
      const have = shared.memory.buffer.byteLength / PAGE;
      if (have < pages) shared.memory.grow(pages - have);
      return { buffer: shared.memory.buffer, abt: shared.abt, sub: shared.sub };
    }
    const memory = new api.Memory({ initial: pages });
    const { exports } = new api.Instance(module, { env: { memory } });
    return { buffer: memory.buffer, abt: exports.abt as AbtKernel, sub: exports.sub as SubKernel };
  } catch {
    return null;
  }
}
