/**
 * The float64 WebAssembly FFT (src/fft/fft64-wasm.ts): against a naive DFT for small sizes and
 * fft.js (through src/fft/plan.ts) for sizes 16 … 65536, the inverse round trip, the partitioned
 * multiply-accumulate against a scalar sum, its text (snapshots in __snapshots__/wasm/), and that
 * it loads here and reports why when it does not.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFunction, encodeModule, functionText, setBytesHook } from '../../src/core/wasm.js';
import { CMAC_SPAN, ComplexFft64, FFT64_PAGES, fft64Kernel, fft64KernelFunctions, RealFft64, unitRoot, type Fft64Instance } from '../../src/fft/fft64-wasm.js';
import { realPlan } from '../../src/fft/plan.js';
import { Pow2Fft } from '../../src/fft/fftjs.js';
import { Rng } from '../helpers/index.js';

const fns = fft64KernelFunctions();
const sha256 = (bytes: number[]) => createHash('sha256').update(Uint8Array.from(bytes)).digest('hex');

/** A plan of size F in a fresh instance, with room for F input samples and N + 1 output bins after it. */
function setup(F: number): { inst: Fft64Instance; plan: RealFft64; src: number; spec: number; f64: () => Float64Array } {
  const k = fft64Kernel();
  if (k === null) throw new Error(`fft64 kernel did not load: ${fft64Kernel.status().reason}`);
  const src = RealFft64.bytes(F);
  const inst = k.instance(src + 8 * F + 16 * (F / 2 + 1))!;
  return { inst, plan: new RealFft64(inst, F, 0), src, spec: src + 8 * F, f64: () => new Float64Array(inst.memory.buffer) };
}

describe('fft64 kernel: real FFT', () => {
  it('unitRoot(j, n) = e^{−2πij/n} to a few units of rounding on every octant', () => {
    for (const n of [8, 12, 1000, 4096]) {
      for (let j = -n; j < 2 * n; j += 1 + Math.floor(n / 97)) {
        const [re, im] = unitRoot(j, n);
        const angle = (2 * Math.PI * (((j % n) + n) % n)) / n;
        expect(Math.abs(re - Math.cos(angle))).toBeLessThan(1.2e-15);
        expect(Math.abs(im + Math.sin(angle))).toBeLessThan(1.2e-15);
        expect(re * re + im * im).toBeCloseTo(1, 15);
      }
    }
  });

  it.each([8, 16, 32, 64, 128, 256])('F = %i: forward equals the naive DFT to 1e-14 · Σ|x| (seed 7)', (F) => {
    const rng = new Rng(7);
    const { plan, src, spec, f64 } = setup(F);
    const x = rng.normals(F);
    f64().set(x, src / 8);
    plan.forward(src, spec);
    const got = f64().slice(spec / 8, spec / 8 + F + 2);
    let scale = 0;
    for (const v of x) scale += Math.abs(v);
    for (let k = 0; k <= F / 2; k++) {
      let re = 0, im = 0;
      for (let j = 0; j < F; j++) {
        re += x[j] * Math.cos((2 * Math.PI * ((j * k) % F)) / F);
        im -= x[j] * Math.sin((2 * Math.PI * ((j * k) % F)) / F);
      }
      expect(Math.abs(got[2 * k] - re), `bin ${k} re`).toBeLessThan(1e-14 * scale);
      expect(Math.abs(got[2 * k + 1] - im), `bin ${k} im`).toBeLessThan(1e-14 * scale);
    }
  });

  it.each(Array.from({ length: 13 }, (_, i) => 16 << i))('F = %i: forward agrees with fft.js to 1e-13 of the spectrum peak, and the inverse gives F·x back (seed 11)', (F) => {
    const rng = new Rng(11);
    const { plan, src, spec, f64 } = setup(F);
    const x = rng.normals(F);
    f64().set(x, src / 8);
    plan.forward(src, spec);
    const want = new Float64Array(F + 2);
    realPlan(F).forwardInterleaved(x, 0, F, want);
    let peak = 0, worst = 0;
    const got = f64().subarray(spec / 8, spec / 8 + F + 2);
    for (let i = 0; i < F + 2; i++) {
      peak = Math.max(peak, Math.abs(want[i]));
      worst = Math.max(worst, Math.abs(got[i] - want[i]));
    }
    expect(worst / peak).toBeLessThan(1e-13);
    // the inverse, against fft.js's unnormalised inverse and against F·x
    const y = plan.inverse(spec) / 8;
    const back = f64().slice(y, y + F);
    const ref = new Float64Array(F);
    realPlan(F).inverseInterleaved(want, ref, 1);
    let err = 0, errRef = 0, xPeak = 0;
    for (let j = 0; j < F; j++) {
      err = Math.max(err, Math.abs(back[j] / F - x[j]));
      errRef = Math.max(errRef, Math.abs(back[j] - ref[j]));
      xPeak = Math.max(xPeak, Math.abs(x[j]));
    }
    expect(err / xPeak).toBeLessThan(1e-13);
    expect(errRef / (F * xPeak)).toBeLessThan(1e-13);
  });

  it.each([8, 16, 32, 64, 1024, 2048])('F = %i: forward of a buffer holding its halves in swapped order (half2 = −4F bytes) is bit-identical to the contiguous one (seed 17)', (F) => {
    const rng = new Rng(17);
    const { plan, src, spec, f64 } = setup(F);
    const x = rng.normals(F);
    f64().set(x, src / 8);
    plan.forward(src, spec);
    const contiguous = f64().slice(spec / 8, spec / 8 + F + 2);
    // [second half | first half]: the first half starts F/2 samples in, the second 4F bytes before it
    f64().set(x.subarray(F / 2), src / 8);
    f64().set(x.subarray(0, F / 2), src / 8 + F / 2);
    f64().fill(NaN, spec / 8, spec / 8 + F + 2);
    plan.forward(src + 4 * F, spec, -4 * F);
    expect(f64().slice(spec / 8, spec / 8 + F + 2)).toEqual(contiguous);
  });

  it('forward keeps its input; the inverse keeps its spectrum', () => {
    const F = 128;
    const { plan, src, spec, f64 } = setup(F);
    const x = new Rng(3).normals(F);
    f64().set(x, src / 8);
    plan.forward(src, spec);
    expect(Array.from(f64().subarray(src / 8, src / 8 + F))).toEqual(Array.from(x));
    const s = f64().slice(spec / 8, spec / 8 + F + 2);
    plan.inverse(spec);
    expect(Array.from(f64().subarray(spec / 8, spec / 8 + F + 2))).toEqual(Array.from(s));
  });
});

describe('fft64 kernel: complex FFT for src/fft/plan.ts', () => {
  it.each(Array.from({ length: 17 }, (_, i) => 1 << i))('n = %i: agrees with fft.js to 1e-14 of the peak; inverse = conj(DFT(conj x)); input kept (seed 13)', (n) => {
    const rng = new Rng(13);
    const w = ComplexFft64.create(n)!;
    const x = rng.normals(2 * n);
    const keep = x.slice();
    const got = new Float64Array(2 * n), want = new Float64Array(2 * n);
    w.transform(got, x);
    new Pow2Fft(n).transform(want, x);
    let peak = 0, worst = 0;
    for (let i = 0; i < 2 * n; i++) {
      peak = Math.max(peak, Math.abs(want[i]));
      worst = Math.max(worst, Math.abs(got[i] - want[i]));
    }
    expect(worst).toBeLessThanOrEqual(1e-14 * peak);
    expect(Array.from(x)).toEqual(Array.from(keep));
    const conj = (a: Float64Array) => a.map((v, i) => (i % 2 ? -v : v));
    const inv = new Float64Array(2 * n), ref = new Float64Array(2 * n);
    w.transform(inv, x, true);
    new Pow2Fft(n).transform(ref, conj(x));
    const refInv = conj(ref);
    for (let i = 0; i < 2 * n; i++) expect(Math.abs(inv[i] - refInv[i])).toBeLessThanOrEqual(1e-14 * peak);
  });
});

describe('fft64 kernel: cmac', () => {
  it.each([
    [1, 1, 16, false, 0],
    [3, 4, 16, true, 2],
    [2, 5, 256, false, 4],
    [8, 3, 512, true, 1],
    [2, 3, 2 * CMAC_SPAN + 2, true, 2], // two full runs and a run of one pair
    [2, 6, 32, false, 3], // a first group of 2 partitions, then one of 4
    [1, 9, 32, true, 8], // a first group of 1, then two of 4
    [3, 8, 64, false, 0], // two groups of 4
    [2, 7, 32, true, 6], // a first group of 3, then one of 4
  ])('C=%i P=%i bins=%i per-channel=%s slot=%i: acc_c = Σ_p X_c[(slot − p) mod P] · H_c[p] (seed 5)', (C, P, bins, perChannel, slot) => {
    const rng = new Rng(5);
    const row = 16 * bins, ring = P * row, K = perChannel ? C : 1;
    const inst = fft64Kernel()!.instance(16 * bins * (C * P + K * P + C) + 16)!;
    const fdl = 16, h = fdl + C * ring, acc = h + K * ring;
    const f64 = new Float64Array(inst.memory.buffer);
    const X = rng.normals(2 * C * P * bins), H = rng.normals(2 * K * P * bins);
    f64.set(X, fdl / 8);
    f64.set(H, h / 8);
    // as the streaming convolver calls it: whole runs of CMAC_SPAN bins, then the rest
    const full = Math.floor(bins / CMAC_SPAN), done = 16 * full * CMAC_SPAN, rest = 16 * bins - done;
    if (full > 0) inst.cmac(full, 16 * CMAC_SPAN, C, P, slot * row, fdl, ring, row, h, perChannel ? ring : 0, ring, acc, row);
    if (rest > 0) inst.cmac(1, rest, C, P, slot * row, fdl + done, ring, row, h + done, perChannel ? ring : 0, ring, acc + done, row);
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < bins; k++) {
        let re = 0, im = 0, scale = 0;
        for (let p = 0; p < P; p++) {
          const s = (slot - p + P) % P;
          const xi = 2 * ((c * P + s) * bins + k), hi = 2 * (((perChannel ? c : 0) * P + p) * bins + k);
          re += X[xi] * H[hi] - X[xi + 1] * H[hi + 1];
          im += X[xi] * H[hi + 1] + X[xi + 1] * H[hi];
          scale += Math.hypot(X[xi], X[xi + 1]) * Math.hypot(H[hi], H[hi + 1]);
        }
        const a = (acc + c * row) / 8 + 2 * k;
        expect(Math.abs(f64[a] - re), `channel ${c} bin ${k} re`).toBeLessThanOrEqual(1e-15 * scale * P);
        expect(Math.abs(f64[a + 1] - im), `channel ${c} bin ${k} im`).toBeLessThanOrEqual(1e-15 * scale * P);
      }
    }
  });
});

describe('fft64 kernel: text and loading', () => {
  afterEach(() => {
    setBytesHook(undefined);
    delete process.env.POINTWISE_WASM;
    fft64Kernel.reset();
  });

  it.each(['radix4_fwd', 'split_fwd', 'cmac'])('%s text', async (name) => {
    await expect(functionText(fns.find((f) => f.name === name)!)).toMatchFileSnapshot(`__snapshots__/wasm/fft64-${name}.wat`);
  });

  it('every function: encoded size and SHA-256', async () => {
    const lines = fns.map((f) => {
      const body = encodeFunction(f);
      return `${`fft64 ${f.name}`.padEnd(22)} ${String(body.length).padStart(4)} bytes  ${sha256(body)}`;
    });
    expect(fns.map((f) => f.name)).toEqual(['radix4_fwd', 'radix4_inv', 'radix2', 'split_fwd', 'split_inv', 'cmac']);
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('__snapshots__/wasm/fft64.sha256');
  });

  it('the module validates', () => {
    const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(WA.validate(encodeModule(fns, FFT64_PAGES))).toBe(true);
  });

  it('loads here (a silent fallback to fft.js fails this test)', () => {
    fft64Kernel.reset();
    expect(fft64Kernel()).not.toBeNull();
    expect(fft64Kernel.status()).toEqual({ name: 'fft64', state: 'loaded' });
  });

  it('a kernel that compiles but computes wrongly fails its self-test and says so', () => {
    // swap the first f64x2.add (0xfd 0xf0 0x01) of the module for f64x2.sub (0xfd 0xf1 0x01)
    setBytesHook((bytes) => {
      const b = bytes.slice();
      for (let i = 0; i + 2 < b.length; i++) {
        if (b[i] === 0xfd && b[i + 1] === 0xf0 && b[i + 2] === 0x01) {
          b[i + 1] = 0xf1;
          break;
        }
      }
      return b;
    });
    fft64Kernel.reset();
    expect(fft64Kernel()).toBeNull();
    expect(fft64Kernel.status()).toEqual({ name: 'fft64', state: 'failed', reason: 'its self-test gave wrong results' });
  });

  it('POINTWISE_WASM=0 turns it off, visibly', () => {
    process.env.POINTWISE_WASM = '0';
    fft64Kernel.reset();
    expect(fft64Kernel()).toBeNull();
    expect(fft64Kernel.status().state).toBe('disabled');
  });
});

describe('builder: i8x16.shuffle', () => {
  it('encodes as 0xfd 0x0d and its 16 lane bytes, and prints them', async () => {
    const { FunctionBuilder, i8x16, SWAP64_LANES, v128 } = await import('../../src/core/wasm.js');
    const f = new FunctionBuilder('swap');
    const [a] = f.params('a');
    f.emit(a.get, a.get, v128.load(), a.get, v128.load(), i8x16.shuffle(SWAP64_LANES), v128.store());
    const fn = f.finish();
    const body = encodeFunction(fn);
    const at = body.indexOf(0x0d);
    expect(body.slice(at - 1, at + 17)).toEqual([0xfd, 0x0d, ...SWAP64_LANES]);
    expect(functionText(fn)).toContain('(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (v128.load (local.get $a)) (v128.load (local.get $a)))');
    expect(() => i8x16.shuffle([0, 1])).toThrow(/i8x16.shuffle takes 16 lane indices in \[0, 32\); got \[0,1\]/);
    expect(() => i8x16.shuffle(new Array(16).fill(32))).toThrow(/in \[0, 32\)/);
  });
});
