/**
 * The generated WebAssembly kernels, as a reviewer reads them: their text (WAT) is snapshotted, so
 * a change to a generator shows in the diff of the commit that makes it, and every kernel's
 * loading is checked, so a kernel that falls back to JavaScript fails a test instead of only
 * running slower.
 *
 * Snapshots (test/linalg/__snapshots__/wasm/): the full text of one gemm variant per code path of
 * its generator — tile4_f64f64 (4 rows × 2 vectors, float64 in and out, bias start),
 * tile1_f32f32 (1 row × 4 vectors, float32 widened on load and narrowed on store) and
 * tile2_f32f64_acc (start from the partial sums) — and of the syrk tiles (whole block, and the
 * last of a block taken in sub-blocks: partial sums loaded, then added into G); `kernels.sha256`
 * lists the SHA-256 of every variant's encoded body (24 gemm tiles, 4 syrk tiles), so a change to any
 * variant shows there too without 1,400 lines of near-duplicate text.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFunction, encodeModule, functionText, kernelStatus, moduleText, setBytesHook, type WasmFunction } from '../../src/core/wasm.js';
import { GEMM_PAGES, gemmKernelFunctions, wasmGemm } from '../../src/linalg/gemm-wasm.js';
import { SYRK_PAGES, syrkKernelFunctions, wasmSyrk } from '../../src/linalg/syrk-wasm.js';
import { pffft } from '../../src/fft/pffft.js';
import { fft64Kernel } from '../../src/fft/fft64-wasm.js';

const gemm = gemmKernelFunctions();
const syrk = syrkKernelFunctions();
const byName = (fns: WasmFunction[], name: string) => fns.find((f) => f.name === name)!;
const sha256 = (bytes: number[] | Uint8Array) => createHash('sha256').update(Uint8Array.from(bytes)).digest('hex');

describe('kernel text', () => {
  it.each(['tile4_f64f64', 'tile1_f32f32', 'tile2_f32f64_acc'])('gemm %s', async (name) => {
    await expect(functionText(byName(gemm, name))).toMatchFileSnapshot(`__snapshots__/wasm/gemm-${name}.wat`);
  });

  it('syrk tile', async () => {
    await expect(functionText(syrk[0])).toMatchFileSnapshot('__snapshots__/wasm/syrk-tile.wat');
  });

  it('syrk tile_last', async () => {
    await expect(functionText(byName(syrk, 'tile_last'))).toMatchFileSnapshot('__snapshots__/wasm/syrk-tile_last.wat');
  });

  it('every variant: encoded size and SHA-256', async () => {
    const lines = [...gemm.map((f) => ['gemm', f] as const), ...syrk.map((f) => ['syrk', f] as const)].map(([module, f]) => {
      const body = encodeFunction(f);
      return `${`${module} ${f.name}`.padEnd(22)} ${String(body.length).padStart(4)} bytes  ${sha256(body)}`;
    });
    expect(lines).toHaveLength(28);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('__snapshots__/wasm/kernels.sha256');
  });

  it.each([true, false])('the module text is well-formed WAT (folded: %s): parentheses balance once line comments are removed', (folded) => {
    for (const [fns, pages] of [[gemm, GEMM_PAGES], [syrk, SYRK_PAGES]] as const) {
      const code = moduleText(fns, pages, { folded }).replace(/;;.*$/gm, '');
      let depth = 0;
      let lowest = 0;
      let closedAt = -1;
      for (let k = 0; k < code.length; k++) {
        if (code[k] === '(') depth++;
        else if (code[k] === ')' && --depth === 0 && closedAt < 0) closedAt = k;
        lowest = Math.min(lowest, depth);
      }
      expect([lowest, depth]).toEqual([0, 0]);
      expect(code.slice(closedAt + 1).trim()).toBe(''); // one (module …) form
      expect(code.match(/\(func \$/g)).toHaveLength(fns.length);
    }
  });

  it('the modules validate, and their text names every export', () => {
    const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(WA.validate(encodeModule(gemm, GEMM_PAGES))).toBe(true);
    expect(WA.validate(encodeModule(syrk, SYRK_PAGES))).toBe(true);
    expect(gemm.map((f) => f.name)).toEqual(['4', '3', '2', '1'].flatMap((R) => ['f64', 'f32'].flatMap((x) => [`tile${R}_${x}f64`, `tile${R}_${x}f32`, `tile${R}_${x}f64_acc`])));
  });
});

describe('kernel loading is visible', () => {
  const env = { ...process.env };
  afterEach(() => {
    setBytesHook(undefined);
    process.env = { ...env };
    for (const k of [wasmGemm, wasmSyrk, pffft, fft64Kernel]) k.reset();
    vi.restoreAllMocks();
  });

  it('every SIMD kernel loads here (a silent fallback to JavaScript fails this test)', () => {
    delete process.env.POINTWISE_WASM; // this test is about the kernels, not the switch
    for (const k of [wasmGemm, wasmSyrk, pffft, fft64Kernel]) k.reset();
    expect(wasmGemm()).not.toBeNull();
    expect(wasmSyrk()).not.toBeNull();
    expect(pffft()).not.toBeNull();
    expect(fft64Kernel()).not.toBeNull();
    const states = Object.fromEntries(kernelStatus().map((s) => [s.name, s.state]));
    expect(states).toMatchObject({ gemm: 'loaded', syrk: 'loaded', pffft: 'loaded', fft64: 'loaded' });
  });

  it('a kernel whose bytes are corrupt is reported, not silently replaced', () => {
    setBytesHook((bytes) => {
      const broken = Uint8Array.from(bytes);
      broken[0] = 0x01; // the magic number
      return broken;
    });
    for (const k of [wasmGemm, wasmSyrk, pffft, fft64Kernel]) {
      k.reset();
      expect(k()).toBeNull();
      expect(k.status().state).toBe('failed');
      expect(k.status().reason).toMatch(/magic/i);
    }
  });

  it('a kernel that compiles but computes wrong is caught by its self-test', () => {
    // the first f64x2.add (0xfd 0xf0 0x01) becomes f64x2.sub (0xfd 0xf1 0x01)
    setBytesHook((bytes) => {
      const broken = Uint8Array.from(bytes);
      const at = broken.findIndex((b, i) => b === 0xfd && broken[i + 1] === 0xf0 && broken[i + 2] === 0x01);
      broken[at + 1] = 0xf1;
      return broken;
    });
    for (const k of [wasmGemm, wasmSyrk]) {
      k.reset();
      expect(k()).toBeNull();
      expect(k.status()).toEqual({ name: k.status().name, state: 'failed', reason: 'its self-test gave wrong results' });
    }
  });

  it('POINTWISE_REQUIRE_WASM=1 turns the fallback into an error that names the reason', () => {
    setBytesHook(() => new Uint8Array([0, 0x61, 0x73, 0x6d]));
    process.env.POINTWISE_REQUIRE_WASM = '1';
    wasmSyrk.reset();
    expect(() => wasmSyrk()).toThrow(/^syrk kernel: WebAssembly must load; got .+ \(the JavaScript path runs instead\)$/);
  });

  it('POINTWISE_DEBUG_WASM=1 warns once; by default nothing is written', () => {
    setBytesHook(() => new Uint8Array(8));
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    wasmSyrk.reset();
    expect(wasmSyrk()).toBeNull();
    expect(warn).not.toHaveBeenCalled();
    process.env.POINTWISE_DEBUG_WASM = '1';
    wasmSyrk.reset();
    wasmSyrk();
    wasmSyrk();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^syrk kernel: WebAssembly must load; got /);
  });

  it('POINTWISE_WASM=0 disables the kernels, and says so', () => {
    process.env.POINTWISE_WASM = '0';
    wasmGemm.reset();
    expect(wasmGemm()).toBeNull();
    expect(wasmGemm.status()).toEqual({ name: 'gemm', state: 'disabled', reason: 'POINTWISE_WASM=0' });
  });
});
