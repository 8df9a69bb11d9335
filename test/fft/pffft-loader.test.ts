/**
 * How the PFFFT adapter finds the minified names of the Emscripten module: read from the text of
 * the package's own loader in one place ({@link loaderNames}), with a clear error when a pattern
 * is missing, and checked against the compiled module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loaderNames, pffft } from '../../src/fft/pffft.js';

const loaderPath = require.resolve('@echogarden/pffft-wasm/simd');
const loader = fs.readFileSync(loaderPath, 'utf8');

describe('loaderNames', () => {
  it('reads the installed loader: three imports, the six C functions used, the constructors, all of them exports of pffft.wasm', () => {
    const names = loaderNames(loader);
    expect([...names.imports.keys()].sort()).toEqual(['___assert_fail', '__emscripten_memcpy_js', '_emscripten_resize_heap']);
    const used = ['pffft_aligned_malloc', 'pffft_aligned_free', 'pffft_new_setup', 'pffft_destroy_setup', 'pffft_transform', 'pffft_zconvolve_accumulate'];
    for (const fn of used) expect(names.exports.get(fn), fn).toMatch(/^\w+$/);
    const WA = globalThis as unknown as { WebAssembly: { Module: { new (b: Uint8Array): object; exports(m: object): { name: string; kind: string }[]; imports(m: object): { name: string }[] } } };
    const m = new WA.WebAssembly.Module(fs.readFileSync(path.join(path.dirname(loaderPath), 'pffft.wasm')));
    const functions = new Set(WA.WebAssembly.Module.exports(m).filter((e) => e.kind === 'function').map((e) => e.name));
    for (const key of [...used.map((fn) => names.exports.get(fn)!), names.ctors]) expect(functions.has(key), key).toBe(true);
    expect(WA.WebAssembly.Module.imports(m).map((i) => i.name).sort()).toEqual([...names.imports.values()].sort());
    expect(new Set(used.map((fn) => names.exports.get(fn))).size).toBe(used.length); // distinct keys
  });

  it('reads a loader of the same form written by hand', () => {
    const text = 'var wasmImports={x:___assert_fail, y : _f};var _pffft_new_setup=Module["_pffft_new_setup"]=(a0,a1)=>(_pffft_new_setup=Module["_pffft_new_setup"]=wasmExports["q"])(a0,a1);addOnInit(wasmExports["z"]);';
    const names = loaderNames(text);
    expect(Object.fromEntries(names.imports)).toEqual({ ___assert_fail: 'x', _f: 'y' });
    expect(Object.fromEntries(names.exports)).toEqual({ pffft_new_setup: 'q' });
    expect(names.ctors).toBe('z');
  });

  it.each([
    ['no import table', loader.replace('var wasmImports=', 'var imports='), 'pffft: the loader of @echogarden/pffft-wasm must contain the import table (var wasmImports={a:___assert_fail,…}); got none'],
    ['an import table of another form', 'var wasmImports={a:function(){}}', 'must contain an import table of key:name entries'],
    ['no constructors', loader.replace(/addOnInit\(/g, 'onInit('), 'must contain the constructors export (addOnInit(wasmExports["e"]))'],
  ])('a changed loader is named in the error: %s', (_, text, message) => {
    expect(() => loaderNames(text)).toThrow(message);
  });

  it('the adapter loads with the names it read', () => {
    expect(pffft()).not.toBeNull();
    expect(pffft.status()).toEqual({ name: 'pffft', state: 'loaded' });
  });
});
