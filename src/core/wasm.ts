/**
 * A minimal WebAssembly binary encoder, for small numeric kernels generated at load time.
 *
 * Why: WebAssembly's 128-bit SIMD (two float64 lanes per instruction) is the only way to vectorise
 * arithmetic in Node, but npm has no synchronous WebAssembly compiler, and a checked-in `.wasm`
 * would be an opaque generated file. A kernel built from readable TypeScript by this encoder is
 * compiled synchronously (`new WebAssembly.Module(bytes)`), so APIs and tslab cells stay sync.
 *
 * Scope: one module with one linear memory (exported as `memory`), functions whose parameters and
 * locals are i32 or v128, and the opcodes the kernels use ({@link op}, {@link simd}). Function
 * bodies are plain byte arrays written with the helpers below, e.g.
 * `[...localGet(a), ...localGet(b), op.i32Add, ...localSet(a)]`.
 * Binary format: https://webassembly.github.io/spec/core/binary/ (sections 5.4–5.5) and the SIMD
 * proposal's opcode table (prefix 0xfd, LEB128 sub-opcodes).
 * @module
 * @internal
 */

/** The part of the WebAssembly JS API used here (the project's `lib` setting has no DOM typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
/** `globalThis.WebAssembly`, or undefined where it is disabled (e.g. `node --jitless`). */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * A kernel created on first use: `make()` once, kept when `check` passes on it. The function
 * returns null where WebAssembly is unavailable, `make` throws, the check fails, or the
 * environment sets `POINTWISE_WASM=0` (callers then take their JavaScript path).
 */
export function lazyKernel<K>(make: () => K, check: (k: K) => boolean): () => K | null {
  let loaded: K | null | undefined;
  return () => {
    if (loaded === undefined) {
      loaded = null;
      if (process.env.POINTWISE_WASM !== '0') {
        try {
          const k = make();
          if (check(k)) loaded = k;
        } catch {
          loaded = null;
        }
      }
    }
    return loaded;
  };
}

/**
 * Grows `memory` to at least `bytes` (growing replaces `memory.buffer`: re-read views after). False
 * when it cannot grow that far (WebAssembly memory ends at 4 GiB, and the engine may refuse less).
 */
export function growMemory(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

/**
 * Encodes and instantiates a module of `functions` with `pages` initial pages of memory
 * (see {@link encodeModule}); returns its memory and exports.
 * @throws Error where WebAssembly is unavailable (callers load through {@link lazyKernel}).
 */
export function instantiate(functions: WasmFunction[], pages: number): { memory: WasmMemory; exports: Record<string, unknown> } {
  if (wasmApi === undefined) throw new Error('WebAssembly is not available');
  const instance = new wasmApi.Instance(new wasmApi.Module(encodeModule(functions, pages)), {});
  return { memory: instance.exports.memory as WasmMemory, exports: instance.exports };
}

/**
 * A function body under construction: `emit(...parts)` appends opcodes and the byte arrays the
 * helpers below return, e.g. `emit(localGet(a), localGet(b), op.i32Add, localSet(a))`.
 */
export function emitter(): { body: number[]; emit: (...parts: (number | number[])[]) => void } {
  const body: number[] = [];
  const emit = (...parts: (number | number[])[]) => {
    for (const p of parts) typeof p === 'number' ? body.push(p) : body.push(...p);
  };
  return { body, emit };
}

/** Value types. */
const valType = { i32: 0x7f, v128: 0x7b } as const;

/** Single-byte opcodes used by the kernels. */
export const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  /** Block type "no result". */
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
} as const;

/** SIMD sub-opcodes (after the 0xfd prefix). */
export const simd = {
  v128Load: 0x00,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  /** Followed by 16 immediate bytes. */
  v128Const: 0x0c,
  v128Load64Zero: 0x5d,
  v128Store64Lane: 0x5b,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
} as const;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (32-bit range). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const localGet = (i: number): number[] => [op.localGet, ...uleb(i)];
export const localSet = (i: number): number[] => [op.localSet, ...uleb(i)];
export const localTee = (i: number): number[] => [op.localTee, ...uleb(i)];
export const i32Const = (v: number): number[] => [op.i32Const, ...sleb(v)];

/** A SIMD instruction; memory instructions take `[align log2, offset]`, lane instructions a lane. */
export function simdOp(code: number, memarg?: [number, number], lane?: number): number[] {
  const out = [0xfd, ...uleb(code)];
  if (memarg) out.push(...uleb(memarg[0]), ...uleb(memarg[1]));
  if (lane !== undefined) out.push(lane);
  return out;
}

/** A function of the module: i32 parameters, locals by type, a body (without the final `end`). */
export interface WasmFunction {
  name: string;
  params: number;
  locals: { i32?: number; v128?: number };
  body: number[];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = Array.from(Buffer.from(s, 'utf8'));
  return [...uleb(bytes.length), ...bytes];
}

/**
 * Encodes a module with one memory of `pages` initial 64 KiB pages (exported as `memory`, growable)
 * and the given functions (each exported under its name, each of type `(i32 × params) → ()`).
 */
export function encodeModule(functions: WasmFunction[], pages: number): Uint8Array {
  const arities = [...new Set(functions.map((f) => f.params))];
  const types = vector(arities.map((k) => [0x60, ...vector(Array.from({ length: k }, () => [valType.i32])), 0]));
  const funcs = vector(functions.map((f) => uleb(arities.indexOf(f.params))));
  const memory = vector([[0x00, ...uleb(pages)]]);
  const exportSection = vector([[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]);
  const code = vector(
    functions.map((f) => {
      const groups: number[][] = [];
      if (f.locals.i32) groups.push([...uleb(f.locals.i32), valType.i32]);
      if (f.locals.v128) groups.push([...uleb(f.locals.v128), valType.v128]);
      const body = [...vector(groups), ...f.body, op.end];
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    ...section(1, types),
    ...section(3, funcs),
    ...section(5, memory),
    ...section(7, exportSection),
    ...section(10, code),
  ]);
}
