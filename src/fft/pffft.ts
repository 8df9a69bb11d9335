/**
 * The one adapter around PFFFT (Julien Pommier's "pretty fast FFT", BSD licence), compiled to
 * WebAssembly with 128-bit SIMD by the `@echogarden/pffft-wasm` package. It does single-precision
 * transforms of sizes 2^a·3^b·5^c (real: multiples of 32) four lanes at a time, 5–6× faster than
 * the fft.js float64 path of this folder on this machine (bench/fft, "pffft" rows), and is what the
 * float32 (`precision: 'float32'`) paths of src/convolve run on.
 *
 * Loading. The package's own loader is an Emscripten ES module whose factory is asynchronous; this
 * package's API is synchronous (and must work in tslab's CommonJS cells), so the adapter compiles
 * the `.wasm` file beside that loader itself (`new WebAssembly.Instance`, synchronous in Node) and
 * supplies the three functions the module imports. Emscripten minifies import and export names; the
 * adapter reads them from the loader's own text (`var wasmImports={a:___assert_fail,…}` and
 * `_pffft_transform=Module["_pffft_transform"]=wasmExports["o"]`), so nothing is guessed, and the
 * dependency is pinned to an exact version. If anything fails (no WebAssembly SIMD, a changed
 * loader), {@link pffft} returns null and callers take their float64 fft.js path instead.
 * @module
 * @internal
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { growMemory, lazyKernel, wasmApi, type WasmMemory } from '../core/wasm.js';

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
 * WebAssembly SIMD, a changed loader, a failed self-test) or `POINTWISE_WASM=0` asks for the
 * JavaScript paths (the float32 engines then run in float64).
 */
export const pffft = lazyKernel('pffft', instantiate, selfTest);

function instantiate(): PffftModule {
  const loaderPath = require.resolve('@echogarden/pffft-wasm/simd');
  const loader = fs.readFileSync(loaderPath, 'utf8');
  const bytes = fs.readFileSync(path.join(path.dirname(loaderPath), 'pffft.wasm'));

  // Minified import names, e.g. {a:___assert_fail,c:__emscripten_memcpy_js,b:_emscripten_resize_heap}
  const importList = /var wasmImports=\{([^}]*)\}/.exec(loader);
  if (importList === null) throw new Error('pffft: import table not found in the loader');
  const importNames = new Map<string, string>();
  for (const entry of importList[1].split(',')) {
    const [key, name] = entry.split(':');
    importNames.set(name.trim(), key.trim());
  }
  const exportName = (name: string): string => {
    const m = new RegExp(`_${name}=Module\\["_${name}"\\]=wasmExports\\["(\\w+)"\\]`).exec(loader);
    if (m === null) throw new Error(`pffft: export ${name} not found in the loader`);
    return m[1];
  };
  const memoryKey = /wasmMemory=wasmExports\["(\w+)"\]/.exec(loader)?.[1];
  const ctorsKey = /addOnInit\(wasmExports\["(\w+)"\]\)/.exec(loader)?.[1];
  if (memoryKey === undefined || ctorsKey === undefined) throw new Error('pffft: memory or constructor export not found');

  let memory: WasmMemory | undefined;
  const env: Record<string, (...args: number[]) => number | void> = {};
  const provide = (name: string, f: (...args: number[]) => number | void): void => {
    const key = importNames.get(name);
    if (key === undefined) throw new Error(`pffft: the module does not import ${name}`);
    env[key] = f;
  };
  provide('___assert_fail', () => {
    throw new Error('pffft: assertion failed inside the WebAssembly module');
  });
  provide('__emscripten_memcpy_js', (dest, src, num) => {
    const u8 = new Uint8Array(memory!.buffer);
    u8.copyWithin(dest, src, src + num);
  });
  provide('_emscripten_resize_heap', (requested) => {
    const current = memory!.buffer.byteLength;
    const wanted = Math.min(2 ** 31, Math.max(requested >>> 0, Math.ceil(current * 1.25)));
    return growMemory(memory!, wanted) ? 1 : 0;
  });
  if (importNames.size !== Object.keys(env).length) throw new Error('pffft: the module imports functions this adapter does not know');

  if (wasmApi === undefined) throw new Error('pffft: WebAssembly is not available');
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { a: env });
  const wasmExports = instance.exports as Record<string, unknown>;
  memory = wasmExports[memoryKey] as WasmMemory;
  (wasmExports[ctorsKey] as () => void)();
  const fns = {} as Record<(typeof EXPORTED)[number], (...args: number[]) => number>;
  for (const name of EXPORTED) fns[name] = wasmExports[exportName(name)] as (...args: number[]) => number;

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
