/**
 * The one adapter around PFFFT (Julien Pommier's "pretty fast FFT", BSD licence), compiled to
 * WebAssembly with 128-bit SIMD by the `@echogarden/pffft-wasm` package. It does single-precision
 * transforms of sizes 2^a·3^b·5^c (real: multiples of 32) four lanes at a time, 5–6× faster than
 * the fft.js float64 path of this folder on this machine (bench/fft, "pffft" rows), and is what the
 * float32 (`precision: 'float32'`) paths of src/convolve run on.
 *
 * Loading. The package's own loader is an Emscripten ES module whose factory is asynchronous (it
 * awaits `import('module')` before anything else), and this package's API is synchronous (and must
 * work in tslab's CommonJS cells), so the adapter compiles the `.wasm` file beside that loader
 * itself (`new WebAssembly.Module`, synchronous in Node) and supplies the three functions the
 * module imports. Emscripten minifies the module's import and export names, and the map from C
 * names to minified ones exists only in the loader's text, so {@link loaderNames} reads it there,
 * in one place, with the patterns it expects spelled out and an error naming any that is missing;
 * the names are then checked against the compiled module's own import and export lists (and the
 * memory is found there by kind), and the dependency is pinned to an exact version. If anything
 * fails (no WebAssembly SIMD, a changed loader), {@link pffft} returns null, callers take their
 * float64 fft.js path, and `pffft.status()` gives the reason (docs/WASM.md).
 * @module
 * @internal
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { compile, growMemory, lazyKernel, wasmApi, type WasmMemory } from '../core/wasm.js';

/** PFFFT's C API on the instantiated module (pointers are byte offsets into {@link PffftModule.memory}). */
export interface PffftModule {
  readonly memory: WasmMemory;
  /** The whole linear memory as floats. Re-read after any allocation: growing memory replaces the buffer. */
  heap(): Float32Array;
  /** 64-byte aligned allocation of `bytes` (0 when out of memory). */
  malloc(bytes: number): number;
  free(ptr: number): void;
  /** A plan for real (`real = true`) or complex transforms of n points; 0 when n is not supported. */
  newSetup(n: number, real: boolean): number;
  destroySetup(setup: number): void;
  /**
   * Unnormalised transform in PFFFT's internal ("z-domain") order, forward or backward; `input` may
   * equal `output`; `work` holds n floats.
   */
  transform(setup: number, input: number, output: number, work: number, forward: boolean): void;
  /** `ab += a · b · scaling` on two z-domain spectra (PFFFT's own SIMD complex multiply-add). */
  zconvolveAccumulate(setup: number, a: number, b: number, ab: number, scaling: number): void;
}

const EXPORTED = [
  'pffft_aligned_malloc',
  'pffft_aligned_free',
  'pffft_new_setup',
  'pffft_destroy_setup',
  'pffft_transform',
  'pffft_zconvolve_accumulate',
] as const;

/**
 * The instantiated SIMD PFFFT module, created on first use, or null when it cannot run here (no
 * WebAssembly SIMD, a changed loader, a failed self-test; `pffft.status()` gives the reason) or
 * `POINTWISE_WASM=0` asks for the JavaScript paths (the float32 engines then run in float64).
 */
export const pffft = lazyKernel('pffft', instantiate, selfTest);

/** The minified names the Emscripten loader gives the module's imports and exports. */
export interface LoaderNames {
  /** Import key by the JavaScript function the loader supplies (e.g. `___assert_fail` → `a`). */
  readonly imports: ReadonlyMap<string, string>;
  /** Export key by C function (e.g. `pffft_transform` → `o`). */
  readonly exports: ReadonlyMap<string, string>;
  /** Export key of the static constructors (`__wasm_call_ctors`), run once after instantiation. */
  readonly ctors: string;
}

/**
 * Reads the minified names from the text of an Emscripten loader (`dist/simd/pffft.js` of
 * `@echogarden/pffft-wasm`), from these three forms:
 * - `var wasmImports={a:___assert_fail,c:__emscripten_memcpy_js,b:_emscripten_resize_heap}`;
 * - `_pffft_transform=Module["_pffft_transform"]=wasmExports["o"]`, one per exported C function;
 * - `addOnInit(wasmExports["e"])` for the constructors.
 * @throws Error naming the form that was not found (a loader from another Emscripten version).
 */
export function loaderNames(loader: string): LoaderNames {
  const fail = (what: string, form: string) => new Error(`pffft: the loader of @echogarden/pffft-wasm must contain ${what} (${form}); got none (a changed loader: pin the version in package.json)`);
  const table = /var wasmImports\s*=\s*\{([^}]*)\}/.exec(loader);
  if (table === null) throw fail('the import table', 'var wasmImports={a:___assert_fail,…}');
  const imports = new Map<string, string>();
  for (const entry of table[1].split(',')) {
    const m = /^\s*([\w$]+)\s*:\s*([\w$]+)\s*$/.exec(entry);
    if (m === null) throw fail('an import table of key:name entries', 'a:___assert_fail');
    imports.set(m[2], m[1]);
  }
  const exports = new Map<string, string>();
  for (const m of loader.matchAll(/\b_(\w+)=Module\["_\1"\]=wasmExports\["([\w$]+)"\]/g)) exports.set(m[1], m[2]);
  const ctors = /addOnInit\(wasmExports\["([\w$]+)"\]\)/.exec(loader)?.[1];
  if (ctors === undefined) throw fail('the constructors export', 'addOnInit(wasmExports["e"])');
  return { imports, exports, ctors };
}

function instantiate(): PffftModule {
  const loaderPath = require.resolve('@echogarden/pffft-wasm/simd');
  const names = loaderNames(fs.readFileSync(loaderPath, 'utf8'));
  const compiled = compile(fs.readFileSync(path.join(path.dirname(loaderPath), 'pffft.wasm')));
  const moduleImports = wasmApi!.Module.imports(compiled);
  const moduleExports = new Map(wasmApi!.Module.exports(compiled).map((e) => [e.name, e.kind]));

  let memory: WasmMemory | undefined;
  const supplied: Record<string, (...args: number[]) => number | void> = {
    ___assert_fail: () => {
      throw new Error('pffft: assertion failed inside the WebAssembly module');
    },
    __emscripten_memcpy_js: (dest, src, num) => {
      new Uint8Array(memory!.buffer).copyWithin(dest, src, src + num);
    },
    _emscripten_resize_heap: (requested) => {
      const current = memory!.buffer.byteLength;
      const wanted = Math.min(2 ** 31, Math.max(requested >>> 0, Math.ceil(current * 1.25)));
      return growMemory(memory!, wanted) ? 1 : 0;
    },
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const [fn, key] of names.imports) {
    if (!(fn in supplied)) throw new Error(`pffft: the module must import only functions this adapter supplies (${Object.keys(supplied).join(', ')}); got ${fn}`);
    const entry = moduleImports.find((i) => i.name === key && i.kind === 'function');
    if (entry === undefined) throw new Error(`pffft: the loader's import ${key} (${fn}) must be a function import of pffft.wasm; got none`);
    (imports[entry.module] ??= {})[key] = supplied[fn];
  }
  if (moduleImports.length !== names.imports.size) throw new Error(`pffft: pffft.wasm must import the ${names.imports.size} functions of the loader's table; got ${moduleImports.length} imports`);
  const exportKey = (fn: string): string => {
    const key = fn === '__wasm_call_ctors' ? names.ctors : names.exports.get(fn);
    if (key === undefined) throw new Error(`pffft: the loader must map ${fn} to an export (_${fn}=Module["_${fn}"]=wasmExports["…"]); got none`);
    if (moduleExports.get(key) !== 'function') throw new Error(`pffft: export ${key} (${fn}) of pffft.wasm must be a function; got ${moduleExports.get(key) ?? 'none'}`);
    return key;
  };
  const memoryKeys = [...moduleExports].filter(([, kind]) => kind === 'memory').map(([name]) => name);
  if (memoryKeys.length !== 1) throw new Error(`pffft: pffft.wasm must export one memory; got ${memoryKeys.length}`);

  const wasmExports = new wasmApi!.Instance(compiled, imports).exports;
  memory = wasmExports[memoryKeys[0]] as WasmMemory;
  (wasmExports[exportKey('__wasm_call_ctors')] as () => void)();
  const fns = {} as Record<(typeof EXPORTED)[number], (...args: number[]) => number>;
  for (const name of EXPORTED) fns[name] = wasmExports[exportKey(name)] as (...args: number[]) => number;

  let view = new Float32Array(memory.buffer);
  const mem = memory;
  const module: PffftModule = {
    memory: mem,
    heap: () => (view.buffer === mem.buffer ? view : (view = new Float32Array(mem.buffer))),
    malloc: (bytes) => fns.pffft_aligned_malloc(bytes),
    free: (ptr) => void fns.pffft_aligned_free(ptr),
    newSetup: (n, real) => fns.pffft_new_setup(n, real ? 0 : 1),
    destroySetup: (setup) => void fns.pffft_destroy_setup(setup),
    transform: (setup, input, output, work, forward) => void fns.pffft_transform(setup, input, output, work, forward ? 0 : 1),
    zconvolveAccumulate: (setup, a, b, ab, scaling) => void fns.pffft_zconvolve_accumulate(setup, a, b, ab, scaling),
  };
  return module;
}

/** A 32-point real round trip and a delta convolution: catches a mis-read export table at load time. */
function selfTest(m: PffftModule): boolean {
  const n = 32;
  const setup = m.newSetup(n, true);
  const buf = m.malloc(4 * n * 4);
  if (setup === 0 || buf === 0) return false;
  const [x, X, D, work] = [buf, buf + 4 * n, buf + 8 * n, buf + 12 * n];
  let h = m.heap();
  for (let j = 0; j < n; j++) h[x / 4 + j] = Math.sin(j) + j / n;
  h.fill(0, D / 4, D / 4 + n);
  h[D / 4 + 1] = 1; // delta at sample 1: convolution shifts by one (circularly)
  m.transform(setup, D, D, work, true);
  m.transform(setup, x, X, work, true);
  h = m.heap();
  const acc = work; // reuse: Y = X · D / n
  h.fill(0, acc / 4, acc / 4 + n);
  m.zconvolveAccumulate(setup, X, D, acc, 1 / n);
  m.transform(setup, acc, acc, X, false);
  h = m.heap();
  let err = 0;
  for (let j = 0; j < n; j++) err = Math.max(err, Math.abs(h[acc / 4 + j] - (Math.sin((j + n - 1) % n) + ((j + n - 1) % n) / n)));
  m.free(buf);
  m.destroySetup(setup);
  return err < 1e-5;
}
