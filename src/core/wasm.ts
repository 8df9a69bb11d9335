/**
 * A small WebAssembly builder for the numeric kernels generated at load time: named locals,
 * structured `block` / `loop` / `if` whose branches name their target, an exact binary encoder,
 * and a text form (WAT) of the very instructions that are encoded.
 *
 * Why generate: WebAssembly's 128-bit SIMD (two float64 lanes per instruction) is the only way to
 * vectorise arithmetic in Node, npm has no synchronous WebAssembly compiler, and a checked-in
 * `.wasm` would be an opaque file. A kernel written in TypeScript with this builder compiles
 * synchronously (`new WebAssembly.Module(bytes)`), so APIs and tslab cells stay synchronous, and one
 * generator yields every variant (rows per tile, float32 or float64 in and out).
 *
 * Writing a function:
 * ```ts
 * const f = new FunctionBuilder('sum');             // exported as "sum"
 * const [n] = f.params('n');                         // i32 parameters, in order
 * const s = f.local('s', 'i32');                     // locals by name and type
 * f.block('done', (done) => {
 *   f.loop('next', (next) => {
 *     f.emit(n.get, i32.eqz, br_if(done));           // leave the block when n = 0
 *     f.emit(s.get, n.get, i32.add, s.set);
 *     f.emit(n.get, i32.const(1), i32.sub, n.set, br(next));
 *   });
 * });
 * const module = encodeModule([f.finish()], 1);      // bytes; moduleText(...) is the same as WAT
 * ```
 * Branch depths are computed from the labels in scope (a branch to a label that is not an
 * enclosing block throws), local indices are assigned when the function is finished (parameters,
 * then i32 locals, then v128 locals, each in declaration order), and memory instructions take a
 * byte offset and default to natural alignment.
 *
 * Scope: one module with one linear memory (exported as `memory`), functions with i32 parameters
 * and no results, blocks without results, and the opcodes listed in {@link OPCODES}.
 * Binary format: https://webassembly.github.io/spec/core/binary/ and the fixed-width SIMD opcode
 * table (prefix 0xfd, sub-opcode as unsigned LEB128).
 * @module
 * @internal
 */

/** The part of the WebAssembly JS API used here (the project's `lib` setting has no DOM typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: {
    new (bytes: Uint8Array): object;
    imports(module: object): { module: string; name: string; kind: string }[];
    exports(module: object): { name: string; kind: string }[];
  };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
/** `globalThis.WebAssembly`, or undefined where it is disabled (e.g. `node --jitless`). */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

// ---------------------------------------------------------------------------------------------
// Loading, with a record of why a kernel did not load

/** Where a kernel stands: `loaded`, or why its caller runs the JavaScript path instead. */
export interface KernelStatus {
  readonly name: string;
  /**
   * `pending`: not asked for yet; `disabled`: `POINTWISE_WASM=0`; `unavailable`: no WebAssembly
   * here; `failed`: building, compiling or the self-test failed (see `reason`).
   */
  readonly state: 'pending' | 'loaded' | 'disabled' | 'unavailable' | 'failed';
  readonly reason?: string;
}

/** A kernel loader: call it for the kernel (null means "use JavaScript"); `status()` says why. */
export interface LazyKernel<K> {
  (): K | null;
  status(): KernelStatus;
  /** Forgets the loaded kernel, so the next call loads it again (tests). */
  reset(): void;
}

const kernels: LazyKernel<unknown>[] = [];

/** The status of every kernel loader defined so far (gemm, syrk, pffft, …). */
export function kernelStatus(): KernelStatus[] {
  return kernels.map((k) => k.status());
}

/**
 * A kernel created on first use: `make()` once, kept when `check` passes on it. The loader returns
 * null where WebAssembly is unavailable, `make` throws, the check fails, or the environment sets
 * `POINTWISE_WASM=0`; callers then take their JavaScript path. The fallback is never silent to
 * someone who asks: `status()` (and {@link kernelStatus}) records the reason,
 * `POINTWISE_DEBUG_WASM=1` emits a one-time process warning naming it, and
 * `POINTWISE_REQUIRE_WASM=1` makes the loader throw it instead.
 * @throws Error (with `POINTWISE_REQUIRE_WASM=1` only) `<name> kernel: WebAssembly must load; got <reason>`.
 */
export function lazyKernel<K>(name: string, make: () => K, check: (k: K) => boolean): LazyKernel<K> {
  let loaded: K | null | undefined;
  let status: KernelStatus = { name, state: 'pending' };
  const load = (): K | null => {
    if (process.env.POINTWISE_WASM === '0') {
      status = { name, state: 'disabled', reason: 'POINTWISE_WASM=0' };
      return null;
    }
    if (wasmApi === undefined) {
      status = { name, state: 'unavailable', reason: 'WebAssembly is not available in this runtime' };
    } else {
      try {
        const k = make();
        if (check(k)) {
          status = { name, state: 'loaded' };
          return k;
        }
        status = { name, state: 'failed', reason: 'its self-test gave wrong results' };
      } catch (err) {
        status = { name, state: 'failed', reason: String((err as Error)?.message ?? err) };
      }
    }
    const text = `${name} kernel: WebAssembly must load; got ${status.reason} (the JavaScript path runs instead)`;
    if (process.env.POINTWISE_REQUIRE_WASM === '1') throw new Error(text);
    if (process.env.POINTWISE_DEBUG_WASM === '1') process.emitWarning(text, 'PointwiseWasmWarning');
    return null;
  };
  const kernel = (() => {
    if (loaded === undefined) loaded = load();
    return loaded;
  }) as LazyKernel<K>;
  kernel.status = () => status;
  kernel.reset = () => {
    loaded = undefined;
    status = { name, state: 'pending' };
  };
  kernels.push(kernel as LazyKernel<unknown>);
  return kernel;
}

let bytesHook: ((bytes: Uint8Array) => Uint8Array) | undefined;

/**
 * Tests only: every module compiled by {@link compile} first passes through `hook` (e.g. one that
 * corrupts a byte, to check that a broken kernel is reported). `undefined` removes it.
 * @internal
 */
export function setBytesHook(hook: ((bytes: Uint8Array) => Uint8Array) | undefined): void {
  bytesHook = hook;
}

/**
 * Compiles module bytes (synchronously).
 * @throws Error where WebAssembly is unavailable; WebAssembly.CompileError for invalid bytes.
 */
export function compile(bytes: Uint8Array): object {
  if (wasmApi === undefined) throw new Error('WebAssembly is not available');
  return new wasmApi.Module(bytesHook ? bytesHook(bytes) : bytes);
}

/**
 * Encodes, compiles and instantiates a module of `functions` with `pages` initial pages of memory
 * (see {@link encodeModule}); returns its memory and exports.
 * @throws as {@link compile} (callers load through {@link lazyKernel}).
 */
export function instantiate(functions: readonly WasmFunction[], pages: number): { memory: WasmMemory; exports: Record<string, unknown> } {
  const instance = new wasmApi!.Instance(compile(encodeModule(functions, pages)), {});
  return { memory: instance.exports.memory as WasmMemory, exports: instance.exports };
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

// ---------------------------------------------------------------------------------------------
// Instructions

/** Value types of parameters and locals. */
export type ValType = 'i32' | 'v128';
const VALTYPE_CODE: Record<ValType, number> = { i32: 0x7f, v128: 0x7b };

/**
 * Every instruction the builder knows: its opcode bytes (SIMD: 0xfd then the LEB128 sub-opcode),
 * the values it pops and pushes (for the folded text form), and, for memory instructions, the
 * natural alignment as log2 of bytes.
 */
export const OPCODES = {
  block: { code: [0x02], pops: 0, pushes: 0 },
  loop: { code: [0x03], pops: 0, pushes: 0 },
  if: { code: [0x04], pops: 1, pushes: 0 },
  else: { code: [0x05], pops: 0, pushes: 0 },
  end: { code: [0x0b], pops: 0, pushes: 0 },
  br: { code: [0x0c], pops: 0, pushes: 0 },
  br_if: { code: [0x0d], pops: 1, pushes: 0 },
  'local.get': { code: [0x20], pops: 0, pushes: 1 },
  'local.set': { code: [0x21], pops: 1, pushes: 0 },
  'local.tee': { code: [0x22], pops: 1, pushes: 1 },
  'i32.const': { code: [0x41], pops: 0, pushes: 1 },
  'i32.eqz': { code: [0x45], pops: 1, pushes: 1 },
  'i32.ne': { code: [0x47], pops: 2, pushes: 1 },
  'i32.ge_u': { code: [0x4f], pops: 2, pushes: 1 },
  'i32.add': { code: [0x6a], pops: 2, pushes: 1 },
  'i32.sub': { code: [0x6b], pops: 2, pushes: 1 },
  'i32.and': { code: [0x71], pops: 2, pushes: 1 },
  'i32.shl': { code: [0x74], pops: 2, pushes: 1 },
  'v128.load': { code: simdCode(0x00), pops: 1, pushes: 1, align: 4 },
  'v128.load32_splat': { code: simdCode(0x09), pops: 1, pushes: 1, align: 2 },
  'v128.load64_splat': { code: simdCode(0x0a), pops: 1, pushes: 1, align: 3 },
  'v128.store': { code: simdCode(0x0b), pops: 2, pushes: 0, align: 4 },
  'v128.const': { code: simdCode(0x0c), pops: 0, pushes: 1 },
  'i8x16.shuffle': { code: simdCode(0x0d), pops: 2, pushes: 1 },
  'v128.store64_lane': { code: simdCode(0x5b), pops: 2, pushes: 0, align: 3 },
  'v128.load64_zero': { code: simdCode(0x5d), pops: 1, pushes: 1, align: 3 },
  'f32x4.demote_f64x2_zero': { code: simdCode(0x5e), pops: 1, pushes: 1 },
  'f64x2.promote_low_f32x4': { code: simdCode(0x5f), pops: 1, pushes: 1 },
  'f32x4.add': { code: simdCode(0xe4), pops: 2, pushes: 1 },
  'f32x4.sub': { code: simdCode(0xe5), pops: 2, pushes: 1 },
  'f32x4.mul': { code: simdCode(0xe6), pops: 2, pushes: 1 },
  'f64x2.add': { code: simdCode(0xf0), pops: 2, pushes: 1 },
  'f64x2.sub': { code: simdCode(0xf1), pops: 2, pushes: 1 },
  'f64x2.mul': { code: simdCode(0xf2), pops: 2, pushes: 1 },
  'f64x2.div': { code: simdCode(0xf3), pops: 2, pushes: 1 },
} as const;

function simdCode(sub: number): number[] {
  return [0xfd, ...uleb(sub)];
}

type Mnemonic = keyof typeof OPCODES;
type MemoryMnemonic = 'v128.load' | 'v128.load32_splat' | 'v128.load64_splat' | 'v128.store' | 'v128.load64_zero' | 'v128.store64_lane';
type PlainMnemonic = Exclude<Mnemonic, MemoryMnemonic | 'block' | 'loop' | 'if' | 'else' | 'end' | 'br' | 'br_if' | 'local.get' | 'local.set' | 'local.tee' | 'i32.const' | 'v128.const' | 'i8x16.shuffle'>;

/** A label: the target of `br` / `br_if`, valid inside the block, loop or if that opened it. */
export interface Label {
  readonly name: string;
  readonly kind: 'block' | 'loop' | 'if';
}

/** One instruction, with its operands; {@link encodeFunction} and {@link functionText} read the same list. */
export type Instr =
  | { readonly op: PlainMnemonic }
  | { readonly op: 'local.get' | 'local.set' | 'local.tee'; readonly local: Local }
  | { readonly op: 'i32.const'; readonly value: number }
  | { readonly op: 'v128.const'; readonly bytes: readonly number[] }
  | { readonly op: 'i8x16.shuffle'; readonly lanes: readonly number[] }
  | { readonly op: MemoryMnemonic; readonly offset: number; readonly align: number; readonly lane?: number }
  | { readonly op: 'block' | 'loop' | 'if' | 'else' | 'end'; readonly label: Label }
  | { readonly op: 'br' | 'br_if'; readonly label: Label; readonly depth?: number };

/** A parameter or local of a function; `get`, `set` and `tee` are its instructions. */
export class Local {
  /** @internal */
  constructor(
    readonly name: string,
    readonly type: ValType,
    readonly owner: FunctionBuilder,
  ) {}
  /** `local.get`: push the value. */
  get get(): Instr {
    return { op: 'local.get', local: this };
  }
  /** `local.set`: pop a value into the local. */
  get set(): Instr {
    return { op: 'local.set', local: this };
  }
  /** `local.tee`: store the top of the stack, leaving it there. */
  get tee(): Instr {
    return { op: 'local.tee', local: this };
  }
}

const plain = (op: PlainMnemonic): Instr => ({ op });

/** Branch to `label` (an enclosing block: its end; a loop: its start). */
export const br = (label: Label): Instr => ({ op: 'br', label });
/** Pop an i32; branch to `label` when it is not zero. */
export const br_if = (label: Label): Instr => ({ op: 'br_if', label });

/**
 * A memory instruction: `offset` in bytes, `align` in bytes (natural alignment when omitted),
 * `lane` for the lane instructions.
 */
function memory(op: MemoryMnemonic, offset = 0, align?: number, lane?: number): Instr {
  const log2 = align === undefined ? OPCODES[op].align : Math.log2(align);
  if (!Number.isInteger(log2) || log2 > OPCODES[op].align) throw new Error(`wasm: ${op}: align must be a power of two up to ${2 ** OPCODES[op].align} bytes; got ${align}`);
  return lane === undefined ? { op, offset, align: log2 } : { op, offset, align: log2, lane };
}

/** i32 instructions: `i32.const(v)`, and operators on the two i32 values on the stack (`ge_u` compares unsigned). */
export const i32 = {
  const: (value: number): Instr => ({ op: 'i32.const', value }),
  eqz: plain('i32.eqz'),
  ne: plain('i32.ne'),
  ge_u: plain('i32.ge_u'),
  add: plain('i32.add'),
  sub: plain('i32.sub'),
  and: plain('i32.and'),
  shl: plain('i32.shl'),
};

/** v128 memory instructions (address popped from the stack; `offset` and `align` in bytes) and constants. */
export const v128 = {
  /** 16 bytes from `address + offset`. */
  load: (offset = 0, align?: number) => memory('v128.load', offset, align),
  /** One 4-byte value, in all four 32-bit lanes. */
  load32_splat: (offset = 0, align?: number) => memory('v128.load32_splat', offset, align),
  /** One 8-byte value, in both 64-bit lanes. */
  load64_splat: (offset = 0, align?: number) => memory('v128.load64_splat', offset, align),
  /** One 8-byte value in the low lane, zero in the high one. */
  load64_zero: (offset = 0, align?: number) => memory('v128.load64_zero', offset, align),
  store: (offset = 0, align?: number) => memory('v128.store', offset, align),
  /** Stores 64-bit lane `lane`. */
  store64_lane: (offset: number, lane: number, align?: number) => memory('v128.store64_lane', offset, align, lane),
  /** A constant of 16 bytes (little-endian lanes); all zero by default. */
  const: (bytes: readonly number[] = new Array(16).fill(0)): Instr => {
    if (bytes.length !== 16) throw new Error(`wasm: v128.const takes 16 bytes; got ${bytes.length}`);
    return { op: 'v128.const', bytes };
  },
};

/**
 * Shuffles: `i8x16.shuffle(lanes)` pops a and b and picks byte `lanes[j]` of the 32 bytes a‖b for
 * byte j of the result; with {@link SWAP64_LANES} and the same value pushed twice it exchanges the two 64-bit lanes.
 */
export const i8x16 = {
  shuffle: (lanes: readonly number[]): Instr => {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31)) throw new Error(`wasm: i8x16.shuffle takes 16 lane indices in [0, 32); got ${JSON.stringify(lanes)}`);
    return { op: 'i8x16.shuffle', lanes };
  },
};
/** The lanes of `i8x16.shuffle` that exchange the two 64-bit halves of its first operand. */
export const SWAP64_LANES: readonly number[] = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

/** Lane-wise float64 arithmetic on two v128 values (two lanes each). */
export const f64x2 = {
  add: plain('f64x2.add'),
  sub: plain('f64x2.sub'),
  mul: plain('f64x2.mul'),
  div: plain('f64x2.div'),
  /** The two low float32 lanes, widened to float64. */
  promote_low_f32x4: plain('f64x2.promote_low_f32x4'),
};

/** Lane-wise float32 arithmetic (four lanes) and float32-lane conversions. */
export const f32x4 = {
  add: plain('f32x4.add'),
  sub: plain('f32x4.sub'),
  mul: plain('f32x4.mul'),
  /** The two float64 lanes, rounded to float32 in the low lanes; the high lanes become zero. */
  demote_f64x2_zero: plain('f32x4.demote_f64x2_zero'),
};

// ---------------------------------------------------------------------------------------------
// Functions

/** A finished function: parameters and locals in index order, and its instructions (no final `end`). */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly Local[];
  readonly locals: readonly Local[];
  readonly code: readonly Instr[];
}

/** Builds one exported function; see the module notes for an example. */
export class FunctionBuilder {
  private readonly paramList: Local[] = [];
  private readonly localList: Local[] = [];
  private readonly code: Instr[] = [];
  /** Labels of the enclosing blocks, innermost last. */
  private readonly open: Label[] = [];
  private finished = false;

  constructor(readonly name: string) {}

  /** Declares i32 parameters in order; returns their handles. */
  params(...names: string[]): Local[] {
    return names.map((n) => this.declare(n, 'i32', this.paramList));
  }

  /** Declares a local of `type`. */
  local(name: string, type: ValType): Local {
    return this.declare(name, type, this.localList);
  }

  private declare(name: string, type: ValType, list: Local[]): Local {
    if (!/^[A-Za-z_][\w.]*$/.test(name)) throw new Error(`wasm: ${this.name}: a local name must be an identifier; got ${JSON.stringify(name)}`);
    if ([...this.paramList, ...this.localList].some((l) => l.name === name)) throw new Error(`wasm: ${this.name}: local names must be unique; got ${name} twice`);
    const local = new Local(name, type, this);
    list.push(local);
    return local;
  }

  /** Appends instructions (or lists of them); a branch gets the depth of its label here. */
  emit(...instrs: (Instr | readonly Instr[])[]): void {
    if (this.finished) throw new Error(`wasm: ${this.name}: cannot emit after finish()`);
    for (const item of instrs) {
      for (const ins of Array.isArray(item) ? (item as readonly Instr[]) : [item as Instr]) {
        if (ins.op === 'br' || ins.op === 'br_if') {
          const at = this.open.lastIndexOf(ins.label);
          if (at < 0) throw new Error(`wasm: ${this.name}: ${ins.op} $${ins.label.name}: the label must be an enclosing block; got it outside (open: ${this.openNames()})`);
          this.code.push({ op: ins.op, label: ins.label, depth: this.open.length - 1 - at });
        } else if (ins.op === 'block' || ins.op === 'loop' || ins.op === 'if' || ins.op === 'else' || ins.op === 'end') {
          throw new Error(`wasm: ${this.name}: ${ins.op} must come from begin()/end() or block()/loop()/ifThen(), not emit()`);
        } else {
          if ('local' in ins && ins.local.owner !== this) throw new Error(`wasm: ${this.name}: ${ins.op} $${ins.local.name}: the local must belong to this function; got one of ${ins.local.owner.name}`);
          this.code.push(ins);
        }
      }
    }
  }

  private openNames(): string {
    return this.open.length === 0 ? 'none' : this.open.map((l) => `$${l.name}`).join(' ');
  }

  /** Opens a `block`, `loop` or `if` (which pops its i32 condition); close it with {@link end}. */
  begin(kind: Label['kind'], name: string): Label {
    if (this.open.some((l) => l.name === name)) throw new Error(`wasm: ${this.name}: nested labels must have distinct names; got $${name} inside itself`);
    const label: Label = { name, kind };
    this.code.push({ op: kind, label });
    this.open.push(label);
    return label;
  }

  /** Switches the innermost `if` to its `else` arm. */
  else(label: Label): void {
    if (this.open[this.open.length - 1] !== label || label.kind !== 'if') throw new Error(`wasm: ${this.name}: else must close the innermost if; got $${label.name} (open: ${this.openNames()})`);
    this.code.push({ op: 'else', label });
  }

  /** Closes `label`, which must be the innermost open block. */
  end(label: Label): void {
    const inner = this.open[this.open.length - 1];
    if (inner !== label) throw new Error(`wasm: ${this.name}: end must close the innermost block ${inner ? `$${inner.name}` : '(none open)'}; got $${label.name}`);
    this.open.pop();
    this.code.push({ op: 'end', label });
  }

  /** `block $name … end`: a `br` to the label leaves the block. */
  block(name: string, body: (exit: Label) => void): void {
    const label = this.begin('block', name);
    body(label);
    this.end(label);
  }

  /** `loop $name … end`: a `br` to the label starts the next iteration. */
  loop(name: string, body: (repeat: Label) => void): void {
    const label = this.begin('loop', name);
    body(label);
    this.end(label);
  }

  /** `if $name … (else …) end` on the i32 the caller has pushed. */
  ifThen(name: string, then: (exit: Label) => void, otherwise?: (exit: Label) => void): void {
    const label = this.begin('if', name);
    then(label);
    if (otherwise) {
      this.else(label);
      otherwise(label);
    }
    this.end(label);
  }

  /**
   * The finished function: locals numbered (parameters, then i32 locals, then v128 locals).
   * @throws Error when a block is still open.
   */
  finish(): WasmFunction {
    if (this.open.length > 0) throw new Error(`wasm: ${this.name}: every block must be closed by finish(); got ${this.openNames()} open`);
    this.finished = true;
    const byType = (t: ValType) => this.localList.filter((l) => l.type === t);
    return { name: this.name, params: [...this.paramList], locals: [...byType('i32'), ...byType('v128')], code: [...this.code] };
  }
}

// ---------------------------------------------------------------------------------------------
// Binary encoding

/** Unsigned LEB128 of an integer in [0, 2³²). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  pushUleb(out, n);
  return out;
}

/** Signed LEB128 of an integer in [−2³¹, 2³¹). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  pushSleb(out, n);
  return out;
}

function pushUleb(out: number[], n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`wasm: uleb: the value must be an integer in [0, 2^32); got ${n}`);
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function pushSleb(out: number[], n: number): void {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new Error(`wasm: sleb: the value must be an integer in [-2^31, 2^31); got ${n}`);
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

/** Block type "no result". */
const VOID_BLOCK = 0x40;

/** Appends the encoding of `ins` to `out`. */
function encodeInstr(ins: Instr, index: Map<Local, number>, out: number[]): void {
  for (const byte of OPCODES[ins.op].code) out.push(byte);
  switch (ins.op) {
    case 'block':
    case 'loop':
    case 'if':
      out.push(VOID_BLOCK);
      return;
    case 'br':
    case 'br_if':
      return pushUleb(out, ins.depth!);
    case 'local.get':
    case 'local.set':
    case 'local.tee':
      return pushUleb(out, index.get(ins.local)!);
    case 'i32.const':
      return pushSleb(out, ins.value);
    case 'v128.const':
      for (const byte of ins.bytes) out.push(byte);
      return;
    case 'i8x16.shuffle':
      for (const lane of ins.lanes) out.push(lane);
      return;
    default:
      if ('offset' in ins) {
        pushUleb(out, ins.align);
        pushUleb(out, ins.offset);
        if (ins.lane !== undefined) out.push(ins.lane);
      }
  }
}

/** The code-section entry of `f` without its size prefix: local declarations, instructions, `end`. */
export function encodeFunction(f: WasmFunction): number[] {
  const index = new Map<Local, number>([...f.params, ...f.locals].map((l, i) => [l, i]));
  const groups: number[][] = [];
  for (let i = 0; i < f.locals.length; ) {
    let j = i;
    while (j < f.locals.length && f.locals[j].type === f.locals[i].type) j++;
    groups.push([...uleb(j - i), VALTYPE_CODE[f.locals[i].type]]);
    i = j;
  }
  const out = vector(groups);
  for (const ins of f.code) encodeInstr(ins, index, out);
  out.push(...OPCODES.end.code);
  return out;
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

const signature = (f: WasmFunction) => f.params.map((p) => p.type).join(' ');

/**
 * Encodes a module with one memory of `pages` initial 64 KiB pages (exported as `memory`, growable)
 * and the given functions, each exported under its name. Sections: type (one per distinct parameter
 * list), function, memory, export, code.
 */
export function encodeModule(functions: readonly WasmFunction[], pages: number): Uint8Array {
  const signatures = [...new Set(functions.map(signature))];
  const types = vector(
    signatures.map((s) => {
      const params = s === '' ? [] : (s.split(' ') as ValType[]);
      return [0x60, ...vector(params.map((t) => [VALTYPE_CODE[t]])), 0];
    }),
  );
  const funcs = vector(functions.map((f) => uleb(signatures.indexOf(signature(f)))));
  const memorySection = vector([[0x00, ...uleb(pages)]]);
  const exportSection = vector([[...name('memory'), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]);
  const code = vector(
    functions.map((f) => {
      const body = encodeFunction(f);
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    ...section(1, types),
    ...section(3, funcs),
    ...section(5, memorySection),
    ...section(7, exportSection),
    ...section(10, code),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Text form

function instrText(ins: Instr): string {
  switch (ins.op) {
    case 'block':
    case 'loop':
    case 'if':
      return `${ins.op} $${ins.label.name}`;
    case 'else':
    case 'end':
      return `${ins.op} $${ins.label.name}`;
    case 'br':
    case 'br_if':
      return `${ins.op} $${ins.label.name} ;; depth ${ins.depth}`;
    case 'local.get':
    case 'local.set':
    case 'local.tee':
      return `${ins.op} $${ins.local.name}`;
    case 'i32.const':
      return `i32.const ${ins.value}`;
    case 'v128.const': {
      const words = [0, 4, 8, 12].map((k) => '0x' + Buffer.from(ins.bytes.slice(k, k + 4)).readUInt32LE(0).toString(16).padStart(8, '0'));
      return `v128.const i32x4 ${words.join(' ')}`;
    }
    case 'i8x16.shuffle':
      return `i8x16.shuffle ${ins.lanes.join(' ')}`;
    default:
      if ('offset' in ins) {
        const parts: string[] = [ins.op];
        if (ins.offset !== 0) parts.push(`offset=${ins.offset}`);
        if (ins.align !== OPCODES[ins.op].align) parts.push(`align=${2 ** ins.align}`);
        if (ins.lane !== undefined) parts.push(String(ins.lane));
        return parts.join(' ');
      }
      return ins.op;
  }
}

/**
 * The function as WebAssembly text (WAT): named parameters and locals, indentation by block depth,
 * each branch annotated with the depth it encodes to. Folded (the default), every instruction that
 * consumes values is written around the instructions that produced them, one statement a line:
 * `(local.set $acc0_0 (f64x2.add (local.get $acc0_0) (f64x2.mul (local.get $w_r) (local.get $x0))))`;
 * `{ folded: false }` writes one instruction a line, exactly the encoded sequence.
 */
export function functionText(f: WasmFunction, options: { folded?: boolean } = {}): string {
  const folded = options.folded ?? true;
  const lines = [`(func $${f.name} (export "${f.name}")${f.params.map((p) => ` (param $${p.name} ${p.type})`).join('')}`];
  for (const l of f.locals) lines.push(`  (local $${l.name} ${l.type})`);
  let depth = 1;
  /** Folded operands not yet consumed, innermost block's last. */
  let stack: string[] = [];
  const flush = () => {
    for (const e of stack) lines.push('  '.repeat(depth) + e);
    stack = [];
  };
  for (const ins of f.code) {
    const text = instrText(ins);
    if (ins.op === 'block' || ins.op === 'loop' || ins.op === 'if' || ins.op === 'else' || ins.op === 'end') {
      flush(); // an if's condition stays on the line before it
      if (ins.op === 'end' || ins.op === 'else') depth--;
      lines.push('  '.repeat(depth) + text);
      if (ins.op !== 'end') depth++;
    } else if (!folded) {
      lines.push('  '.repeat(depth) + text);
    } else {
      const { pops, pushes } = OPCODES[ins.op];
      if (pops > stack.length) flush(); // operands from earlier lines stay there
      const operands = stack.splice(stack.length - Math.min(pops, stack.length));
      const comment = text.indexOf(' ;;');
      const [head, tail] = comment < 0 ? [text, ''] : [text.slice(0, comment), text.slice(comment)];
      const expr = `(${[head, ...operands].join(' ')})`;
      if (pushes > 0) stack.push(expr);
      else lines.push('  '.repeat(depth) + expr + tail);
    }
  }
  flush();
  const last = lines[lines.length - 1];
  const comment = last.indexOf(' ;;');
  lines[lines.length - 1] = comment < 0 ? last + ')' : `${last.slice(0, comment)})${last.slice(comment)}`;
  return lines.join('\n') + '\n';
}

/**
 * The module that {@link encodeModule} encodes, as WebAssembly text (WAT; `options` as for
 * {@link functionText}). A WAT assembler (wabt's `wat2wasm`) turns it into the same bytes.
 */
export function moduleText(functions: readonly WasmFunction[], pages: number, options: { folded?: boolean } = {}): string {
  return `(module\n  (memory (export "memory") ${pages})\n${functions.map((f) => functionText(f, options).replace(/^/gm, '  ').replace(/\n {2}$/, '\n')).join('')})\n`;
}
