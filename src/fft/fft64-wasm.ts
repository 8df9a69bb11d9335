/**
 * A float64 FFT in WebAssembly SIMD, one complex number per v128 (`[re, im]`), generated at load
 * time by src/core/wasm.ts, with the spectral multiply-accumulate of partitioned convolution in the
 * same module, so that a streaming convolver's per-block work stays in WebAssembly memory.
 *
 * Algorithm:
 * - complex FFT of N = 2^k points: Stockham autosort decimation in frequency (natural order in and
 *   out, ping-pong between two buffers, no bit reversal): radix-4 stages, and one radix-2 stage
 *   last when k is odd. A radix-4 stage of sub-size n (stride s = N/n) reads
 *   `a, b, c, d = x[q + s·p + {0, 1, 2, 3}·N/4]` and writes `y[q + s·(4p + r)]` =
 *   `(a+c)+(b+d)`, `w¹·((a−c) ∓ i(b−d))`, `w²·((a+c)−(b+d))`, `w³·((a−c) ± i(b−d))` with
 *   `w = e^{∓2πi p/n}` (upper signs forward);
 * - complex multiply by a twiddle stored as two vectors `(wr, wr)` and `(−wi, wi)`:
 *   `v·w = v·(wr, wr) + swap(v)·(−wi, wi)` (one shuffle, two multiplies, one add); by `conj(w)`
 *   the add becomes a subtract, so the forward and inverse transforms share one table;
 * - real FFT of F = 2N points: the F samples, read as N complex `x[2j] + i·x[2j+1]`, take a complex
 *   FFT of N and the split step `X[k] = ½(Z[k] + conj Z[N−k]) + (−i/2)·e^{−2πik/F}·(Z[k] − conj Z[N−k])`,
 *   k = 0…N; the inverse is the same step with `1` and `i·e^{+2πik/F}` followed by an inverse
 *   complex FFT (unnormalised: `Σ_k X[k] e^{+2πi jk/F}` over the Hermitian spectrum);
 * - `cmac`: the partitioned spectral product of every channel of a streaming convolver at once.
 *
 * {@link fft64Kernel} returns null where WebAssembly SIMD is unavailable or the self-test fails;
 * callers then use fft.js through src/fft/plan.ts, and `fft64Kernel.status()` says why
 * (docs/WASM.md: debugging a kernel that does not load).
 * @module
 * @internal
 */
import { br, br_if, compile, encodeModule, f64x2, FunctionBuilder, growMemory, i32, i8x16, lazyKernel, SWAP64_LANES, v128, wasmApi, type Instr, type Local, type WasmFunction, type WasmMemory } from '../core/wasm.js';

/** A v128 constant of two float64 lanes. */
function f64pair(lo: number, hi: number): Instr {
  const b = Buffer.alloc(16);
  b.writeDoubleLE(lo, 0);
  b.writeDoubleLE(hi, 8);
  return v128.const(Array.from(b));
}

const swap = i8x16.shuffle(SWAP64_LANES);

/**
 * `v·w` (or `v·conj(w)` with `conj`) for a twiddle held in two locals `(wr, wr)`, `(−wi, wi)`;
 * pushes the product.
 */
function twiddleMul(v: Local, w1: Local, w2: Local, conj: boolean): Instr[] {
  return [v.get, w1.get, f64x2.mul, v.get, v.get, swap, w2.get, f64x2.mul, conj ? f64x2.sub : f64x2.add];
}

/**
 * `radix4_{fwd|inv}(x, y, tw, m, sb, q4, q2)`: one radix-4 Stockham stage; m = n/4 groups p, each of
 * s butterflies (sb = 16·s bytes), quarter offset q4 = 16·N/4 bytes; the second half of x (the
 * quarters c, d) starts q2 bytes from x: 2·q4 for a contiguous x, −2·q4 (as i32) for the halves of a
 * buffer held in swapped order. tw holds, per p, w¹, w², w³ as `(wr, wr), (−wi, wi)` (96 bytes). Group p = 0, whose twiddles are 1, skips the multiplies (the
 * whole last stage, where m = 1, is that group).
 */
function radix4Function(inverse: boolean): WasmFunction {
  const f = new FunctionBuilder(`radix4_${inverse ? 'inv' : 'fwd'}`);
  const [x, y, tw, m, sb, q4, q2] = f.params('x', 'y', 'tw', 'm', 'sb', 'q4', 'q2');
  const qEnd = f.local('qEnd', 'i32');
  const p = f.local('p', 'i32');
  const q3 = f.local('q3', 'i32'), s2 = f.local('s2', 'i32'), s3 = f.local('s3', 'i32');
  const w = Array.from({ length: 6 }, (_, j) => f.local(`w${(j >> 1) + 1}${j & 1 ? 'b' : 'a'}`, 'v128'));
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => f.local(n, 'v128'));
  const apc = f.local('apc', 'v128'), amc = f.local('amc', 'v128'), bpd = f.local('bpd', 'v128'), rot = f.local('rot', 'v128');
  const t = f.local('t', 'v128');
  // −i·v = swap(v)·(1, −1) forward; +i·v = swap(v)·(−1, 1) inverse
  const rotSign = inverse ? f64pair(-1, 1) : f64pair(1, -1);
  /** The s butterflies of one group, from x to y (both advanced by 16·s); `twiddles`: multiply outputs 1…3 by w¹, w², w³. */
  const butterflies = (name: string, twiddles: boolean) => {
    const out = (r: number) => (twiddles ? twiddleMul(t, w[2 * r - 2], w[2 * r - 1], inverse) : [t.get]);
    f.emit(x.get, sb.get, i32.add, qEnd.set);
    f.loop(name, (butterfly) => {
      f.emit(x.get, v128.load(), a.set);
      f.emit(x.get, q4.get, i32.add, v128.load(), b.set);
      f.emit(x.get, q2.get, i32.add, v128.load(), c.set);
      f.emit(x.get, q3.get, i32.add, v128.load(), d.set);
      f.emit(a.get, c.get, f64x2.add, apc.set, a.get, c.get, f64x2.sub, amc.set);
      f.emit(b.get, d.get, f64x2.add, bpd.set);
      f.emit(b.get, d.get, f64x2.sub, t.set, t.get, t.get, swap, rotSign, f64x2.mul, rot.set);
      f.emit(y.get, apc.get, bpd.get, f64x2.add, v128.store());
      f.emit(amc.get, rot.get, f64x2.add, t.set);
      f.emit(y.get, sb.get, i32.add, out(1), v128.store());
      f.emit(apc.get, bpd.get, f64x2.sub, t.set);
      f.emit(y.get, s2.get, i32.add, out(2), v128.store());
      f.emit(amc.get, rot.get, f64x2.sub, t.set);
      f.emit(y.get, s3.get, i32.add, out(3), v128.store());
      f.emit(x.get, i32.const(16), i32.add, x.set, y.get, i32.const(16), i32.add, y.set);
      f.emit(x.get, qEnd.get, i32.ne, br_if(butterfly));
    });
    // next group: y skips the three other quarters of this group's outputs
    f.emit(y.get, s3.get, i32.add, y.set);
    f.emit(tw.get, i32.const(96), i32.add, tw.set);
  };
  f.emit(q2.get, q4.get, i32.add, q3.set);
  f.emit(sb.get, sb.get, i32.add, s2.set, s2.get, sb.get, i32.add, s3.set);
  butterflies('first_group', false);
  f.block('rest', (rest) => {
    f.emit(m.get, i32.const(1), i32.sub, p.tee, i32.eqz, br_if(rest));
    f.loop('group', (group) => {
      for (let j = 0; j < 6; j++) f.emit(tw.get, v128.load(16 * j), w[j].set);
      butterflies('butterfly', true);
      f.emit(p.get, i32.const(1), i32.sub, p.tee, br_if(group));
    });
  });
  return f.finish();
}

/** `radix2(x, y, hb)`: the last stage for odd log2 N, `y[q] = x[q] + x[q + N/2]`, `y[q + N/2] = x[q] − x[q + N/2]` (hb = 16·N/2 bytes). */
function radix2Function(): WasmFunction {
  const f = new FunctionBuilder('radix2');
  const [x, y, hb] = f.params('x', 'y', 'hb');
  const end = f.local('end', 'i32');
  const a = f.local('a', 'v128'), b = f.local('b', 'v128');
  f.emit(x.get, hb.get, i32.add, end.set);
  f.loop('butterfly', (butterfly) => {
    f.emit(x.get, v128.load(), a.set, x.get, hb.get, i32.add, v128.load(), b.set);
    f.emit(y.get, a.get, b.get, f64x2.add, v128.store());
    f.emit(y.get, hb.get, i32.add, a.get, b.get, f64x2.sub, v128.store());
    f.emit(x.get, i32.const(16), i32.add, x.set, y.get, i32.const(16), i32.add, y.set);
    f.emit(x.get, end.get, i32.ne, br_if(butterfly));
  });
  return f.finish();
}

/**
 * `split_{fwd|inv}(count, z, zEnd, out, outEnd, tab)`: for k = 0…count−1, with A = z[k] and
 * B = z[N−k] (read downwards from zEnd = z + 16·N), S = A + conj B, D = A − conj B and T = u_k·D
 * (u_k from tab in the twiddle form), writes `out[N−k] = conj(c·S − T)` (downwards from outEnd),
 * then `out[k] = c·S + T`; c = ½ forward, 1 inverse (see the module notes). The pair shares one
 * product because u_{N−k} = conj(u_k) for both tables; count = N/2 + 1 covers every bin.
 */
function splitFunction(inverse: boolean): WasmFunction {
  const f = new FunctionBuilder(`split_${inverse ? 'inv' : 'fwd'}`);
  const [count, z, zEnd, out, outEnd, tab] = f.params('count', 'z', 'zEnd', 'out', 'outEnd', 'tab');
  const cs = f.local('cs', 'v128'), bc = f.local('bc', 'v128'), d = f.local('d', 'v128'), t = f.local('t', 'v128');
  const a = f.local('a', 'v128'), u1 = f.local('u1', 'v128'), u2 = f.local('u2', 'v128');
  const conj = f64pair(1, -1);
  f.loop('bin', (bin) => {
    f.emit(z.get, v128.load(), a.set);
    f.emit(zEnd.get, v128.load(), conj, f64x2.mul, bc.set);
    f.emit(tab.get, v128.load(), u1.set, tab.get, v128.load(16), u2.set);
    f.emit(a.get, bc.get, f64x2.sub, d.set);
    f.emit(a.get, bc.get, f64x2.add);
    if (!inverse) f.emit(f64pair(0.5, 0.5), f64x2.mul);
    f.emit(cs.set, twiddleMul(d, u1, u2, false), t.set);
    f.emit(outEnd.get, cs.get, t.get, f64x2.sub, conj, f64x2.mul, v128.store());
    f.emit(out.get, cs.get, t.get, f64x2.add, v128.store());
    f.emit(z.get, i32.const(16), i32.add, z.set, zEnd.get, i32.const(16), i32.sub, zEnd.set);
    f.emit(out.get, i32.const(16), i32.add, out.set, outEnd.get, i32.const(16), i32.sub, outEnd.set);
    f.emit(tab.get, i32.const(32), i32.add, tab.set);
    f.emit(count.get, i32.const(1), i32.sub, count.tee, br_if(bin));
  });
  return f.finish();
}

/** Bins {@link cmacFunction} takes per channel and group of partitions at most (the kernel's run of each partition stays in cache for every channel). */
export const CMAC_SPAN = 1024;

/** Partitions {@link cmacFunction} accumulates in registers per pass over a run of bins. */
export const CMAC_GROUP = 4;

/**
 * `cmac(spans, span, C, P, slot, fdl, ring, row, h, hChan, chan, acc, accChan)`: the partitioned
 * spectral product of C channels, `acc_c[k] = Σ_{p<P} X_c[(slot − p) mod P][k] · H_c[p][k]`, over
 * `spans` ≥ 1 runs of `span` bytes of bins (a multiple of 32). Channel c's delay line of P spectra
 * (rows of `row` bytes, `ring` = P·row) starts at `fdl + c·chan`, its P partition spectra (rows
 * of `row` bytes) at `h + c·hChan` (hChan = 0: one kernel for every channel) and
 * its accumulator at `acc + c·accChan`; `slot` is the byte offset of the newest row.
 *
 * Order: for each run of bins, each channel, each group of up to {@link CMAC_GROUP} partitions
 * (the first group takes ((P − 1) mod 4) + 1, the others 4), the bins of the run two at a time.
 * A group keeps its sums in registers: per bin `r = Σ x·(hr, hr)` and `u = Σ x·(hi, hi)`, so that
 * `x·h = r + (−1, 1)·swap(u)` costs one shuffle and one sign multiply per bin and group instead of
 * per partition; the first group stores its sum, the others add theirs to the accumulator. Every
 * read is a contiguous run (the delay line is read once, the kernel's run once per channel).
 */
function cmacFunction(): WasmFunction {
  const f = new FunctionBuilder('cmac');
  const [spans, span, C, P, slot, fdl, ring, row, h, hChan, chan, acc, accChan] = f.params('spans', 'span', 'C', 'P', 'slot', 'fdl', 'ring', 'row', 'h', 'hChan', 'chan', 'acc', 'accChan');
  const c = f.local('c', 'i32'), fc = f.local('fc', 'i32'), hc = f.local('hc', 'i32'), ac = f.local('ac', 'i32');
  const xr = f.local('xr', 'i32'), hr = f.local('hr', 'i32'), o = f.local('o', 'i32'), g1 = f.local('g1', 'i32');
  const xs = Array.from({ length: CMAC_GROUP }, (_, i) => f.local(`x${i}`, 'i32'));
  const hs = Array.from({ length: CMAC_GROUP }, (_, i) => f.local(`h${i}`, 'i32'));
  const r = [f.local('r0', 'v128'), f.local('r1', 'v128')], u = [f.local('u0', 'v128'), f.local('u1', 'v128')];
  const v = f.local('v', 'v128');
  const add = (local: Local, delta: Instr) => f.emit(local.get, delta, i32.add, local.set);
  /** Partitions xr, hr into group member i; moves xr to the previous row of the ring (row 0 wraps to row P − 1) and hr to the next partition. */
  const take = (i: number) => {
    f.emit(xr.get, xs[i].set, hr.get, hs[i].set);
    add(hr, row.get);
    f.emit(xr.get, fc.get, i32.sub, i32.eqz);
    f.ifThen(`wrap${i}`, () => add(xr, ring.get));
    f.emit(xr.get, row.get, i32.sub, xr.set);
  };
  /** One group of g partitions over the run; `store`: the first group (stores), else adds to the accumulator. */
  const group = (g: number, store: boolean) => {
    for (let i = 0; i < g; i++) take(i);
    f.emit(i32.const(0), o.set);
    f.loop(`${store ? 'first' : 'more'}${g}_bins`, (bins) => {
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < g; i++) {
          f.emit(xs[i].get, o.get, i32.add, v128.load(16 * j), v.set);
          for (const [sum, lane] of [[r[j], 0], [u[j], 8]] as const) {
            if (i === 0) f.emit(v.get, hs[i].get, o.get, i32.add, v128.load64_splat(16 * j + lane), f64x2.mul, sum.set);
            else f.emit(sum.get, v.get, hs[i].get, o.get, i32.add, v128.load64_splat(16 * j + lane), f64x2.mul, f64x2.add, sum.set);
          }
        }
        f.emit(ac.get, o.get, i32.add);
        if (!store) f.emit(ac.get, o.get, i32.add, v128.load(16 * j));
        f.emit(r[j].get, u[j].get, u[j].get, swap, f64pair(-1, 1), f64x2.mul, f64x2.add);
        if (!store) f.emit(f64x2.add);
        f.emit(v128.store(16 * j));
      }
      f.emit(o.get, i32.const(32), i32.add, o.tee, span.get, i32.ne, br_if(bins));
    });
  };
  f.emit(P.get, i32.const(CMAC_GROUP - 1), i32.and, g1.set); // P mod 4: the first group's size, 0 meaning 4
  f.loop('span', (spanLoop) => {
    f.emit(C.get, c.set, fdl.get, fc.set, h.get, hc.set, acc.get, ac.set);
    f.loop('channel', (channel) => {
      f.emit(fc.get, slot.get, i32.add, xr.set, hc.get, hr.set);
      f.block('first', (done) => {
        for (let g = 1; g < CMAC_GROUP; g++) {
          f.emit(g1.get, i32.const(g), i32.sub, i32.eqz);
          f.ifThen(`first${g}`, () => {
            group(g, true);
            f.emit(br(done));
          });
        }
        group(CMAC_GROUP, true);
      });
      f.block('rest', (rest) => {
        f.loop('groups', (groups) => {
          // the kernel's rows end at hc + ring
          f.emit(hr.get, hc.get, ring.get, i32.add, i32.sub, i32.eqz, br_if(rest));
          group(CMAC_GROUP, false);
          f.emit(br(groups));
        });
      });
      add(fc, chan.get);
      add(hc, hChan.get);
      add(ac, accChan.get);
      f.emit(c.get, i32.const(1), i32.sub, c.tee, br_if(channel));
    });
    add(fdl, span.get);
    add(h, span.get);
    add(acc, span.get);
    f.emit(spans.get, i32.const(1), i32.sub, spans.tee, br_if(spanLoop));
  });
  return f.finish();
}

/**
 * The functions of the module, in export order: radix4_fwd, radix4_inv, radix2, split_fwd,
 * split_inv, cmac. Exported for the text snapshots of the tests.
 * @internal
 */
export function fft64KernelFunctions(): WasmFunction[] {
  return [radix4Function(false), radix4Function(true), radix2Function(), splitFunction(false), splitFunction(true), cmacFunction()];
}

/** Initial pages (64 KiB each) of an instance's memory. */
export const FFT64_PAGES = 1;

type Radix4 = (x: number, y: number, tw: number, m: number, sb: number, q4: number, q2: number) => void;
type Radix2 = (x: number, y: number, hb: number) => void;
type Split = (count: number, z: number, zEnd: number, out: number, outEnd: number, tab: number) => void;
type Cmac = (spans: number, span: number, C: number, P: number, slot: number, fdl: number, ring: number, row: number, h: number, hChan: number, chan: number, acc: number, accChan: number) => void;

/** Writes `(cos θ, cos θ), (−sin θ, sin θ)` of `e^{iθ}` at float64 index `at` (the twiddle form). */
function putTwiddle(f64: Float64Array, at: number, re: number, im: number): void {
  f64[at] = re;
  f64[at + 1] = re;
  f64[at + 2] = -im;
  f64[at + 3] = im;
}

/** `e^{−2πi j/n}` with the angle reduced to [0, π/4] before cos/sin, so tables are accurate to rounding. */
export function unitRoot(j: number, n: number): [re: number, im: number] {
  j = ((j % n) + n) % n;
  // e^{−2πi j/n}; use the octant symmetries of (cos, sin)
  const eighth = (8 * j) / n; // in [0, 8)
  const oct = Math.floor(eighth);
  const r = j - (oct * n) / 8; // remainder in [0, n/8)
  const t = (2 * Math.PI * r) / n;
  const c = Math.cos(t), s = Math.sin(t);
  // angle θ = 2π j/n = oct·π/4 + t; return (cos θ, −sin θ)
  const h = Math.SQRT1_2;
  let cr: number, sr: number;
  switch (oct) {
    case 0: [cr, sr] = [c, s]; break;
    case 1: [cr, sr] = [h * (c - s), h * (c + s)]; break;
    case 2: [cr, sr] = [-s, c]; break;
    case 3: [cr, sr] = [-h * (c + s), h * (c - s)]; break;
    case 4: [cr, sr] = [-c, -s]; break;
    case 5: [cr, sr] = [-h * (c - s), -h * (c + s)]; break;
    case 6: [cr, sr] = [s, -c]; break;
    default: [cr, sr] = [h * (c + s), -h * (c - s)]; break;
  }
  return [cr, -sr];
}

/** The compiled module; {@link Fft64Kernel.instance} gives an instance with its own memory. */
export class Fft64Kernel {
  private readonly module: object;
  constructor() {
    this.module = compile(encodeModule(fft64KernelFunctions(), FFT64_PAGES));
  }
  /** A new instance (own memory of `bytes`), or null when the memory cannot grow that far. */
  instance(bytes: number): Fft64Instance | null {
    const inst = new wasmApi!.Instance(this.module, {});
    const e = inst.exports;
    const memory = e.memory as WasmMemory;
    if (!growMemory(memory, bytes)) return null;
    return { memory, radix4Fwd: e.radix4_fwd as Radix4, radix4Inv: e.radix4_inv as Radix4, radix2: e.radix2 as Radix2, splitFwd: e.split_fwd as Split, splitInv: e.split_inv as Split, cmac: e.cmac as Cmac };
  }
}

/** The exports of one instance. */
export interface Fft64Instance {
  readonly memory: WasmMemory;
  readonly radix4Fwd: Radix4;
  readonly radix4Inv: Radix4;
  readonly radix2: Radix2;
  readonly splitFwd: Split;
  readonly splitInv: Split;
  readonly cmac: Cmac;
}

/** Bytes of the stage twiddles of an N-point complex FFT ({@link RealFft64.layout}). */
function stageTwiddleBytes(N: number): number {
  let bytes = 0;
  for (let n = N; n >= 4; n /= 4) bytes += 96 * (n / 4);
  return bytes;
}

/** Twiddle tables of sizes up to this many points are computed once per process and copied into each plan. */
const CACHED_TABLE_POINTS = 1 << 16;
const tableCache = new Map<string, Float64Array>();

/** The table `name` of size `n`, from the cache when `n` is small enough to keep, else computed. */
function table(name: string, n: number, size: number, fill: (t: Float64Array) => void): Float64Array {
  const key = `${name}${n}`;
  const hit = tableCache.get(key);
  if (hit) return hit;
  const t = new Float64Array(size);
  fill(t);
  if (n <= CACHED_TABLE_POINTS) tableCache.set(key, t);
  return t;
}

/** Writes the stage twiddles of an N-point complex FFT at float64 index `at` (per radix-4 stage, per group p: w¹, w², w³ of `e^{−2πi p/n}`). */
function writeStageTwiddles(f64: Float64Array, at: number, N: number): void {
  const tw = table('stages', N, stageTwiddleBytes(N) / 8, (t) => {
    let i = 0;
    for (let n = N; n >= 4; n /= 4) {
      for (let p = 0; p < n / 4; p++) {
        for (let r = 1; r <= 3; r++) {
          const [re, im] = unitRoot(r * p, n);
          putTwiddle(t, i, re, im);
          i += 4;
        }
      }
    }
  });
  f64.set(tw, at);
}

/**
 * Runs the stages of an N-point complex FFT (tables at `tw`) from `src` (kept) through the work
 * buffers `w0`, `w1` (neither may be `src`); returns the address of the result (`src` for N = 1).
 * The second half of the input starts `half2` bytes from `src` (8·N: contiguous; any i32 offset,
 * e.g. −8·N for a buffer whose halves are in swapped order); for N ≥ 4.
 */
function runComplex(k: Fft64Instance, N: number, tw: number, src: number, w0: number, w1: number, inverse: boolean, half2 = 8 * N): number {
  const r4 = inverse ? k.radix4Inv : k.radix4Fwd;
  let x = src, y = w0;
  let n = N, s = 1;
  for (; n >= 4; n /= 4, s *= 4) {
    r4(x, y, tw, n / 4, 16 * s, 4 * N, x === src ? half2 : 8 * N);
    tw += 96 * (n / 4);
    x = y;
    y = y === w0 ? w1 : w0;
  }
  if (n === 2) {
    k.radix2(x, y, 8 * N);
    x = y;
  }
  return x;
}

/**
 * An unnormalised complex FFT of N points (a power of two) on interleaved Float64Arrays, in its own
 * instance: the same contract as fft.js's `transform` (src/fft/fftjs.ts), for the plans of
 * src/fft/plan.ts. The input is copied into WebAssembly memory and the result out.
 */
export class ComplexFft64 {
  /** The transform, or null where the kernel does not load (then use fft.js). */
  static create(N: number): ComplexFft64 | null {
    const k = fft64Kernel();
    const inst = k === null ? null : k.instance(stageTwiddleBytes(N) + 48 * N);
    return inst === null ? null : new ComplexFft64(inst, N);
  }
  private readonly f64: Float64Array;
  private readonly src: number;

  private constructor(private readonly k: Fft64Instance, readonly N: number) {
    this.f64 = new Float64Array(k.memory.buffer);
    writeStageTwiddles(this.f64, 0, N);
    this.src = stageTwiddleBytes(N);
  }

  /** `out ← DFT(data)` (`X[k] = Σ_j x[j] e^{−2πi jk/N}`, forward) or its conjugate-kernel sum (inverse, unnormalised); both interleaved, length ≥ 2N. */
  transform(out: Float64Array, data: Float64Array, inverse = false): void {
    const { f64, N, src } = this;
    f64.set(data.length === 2 * N ? data : data.subarray(0, 2 * N), src / 8);
    const r = runComplex(this.k, N, 0, src, src + 16 * N, src + 32 * N, inverse) / 8;
    out.set(f64.subarray(r, r + 2 * N));
  }
}

/**
 * A real FFT of F = 2N points (N ≥ 4 a power of two) inside one {@link Fft64Instance}'s memory, at
 * byte offset `base`: stage twiddles, split tables and two work buffers of N + 1 complex numbers.
 * All arguments are byte addresses in that memory; buffers are 16-byte aligned. The instance's
 * memory must not grow after the plan is made (the plan keeps a view of it).
 */
export class RealFft64 {
  /** Bytes this plan occupies from `base`. */
  static bytes(F: number): number {
    const N = F / 2;
    return stageTwiddleBytes(N) + 32 * (N / 2 + 1) * 2 + 16 * (N + 1) * 2;
  }
  readonly N: number;
  private readonly tw: number;
  private readonly splitF: number;
  private readonly splitI: number;
  /** Work buffers, N + 1 complex each. */
  readonly work0: number;
  readonly work1: number;
  private readonly f64: Float64Array;

  constructor(private readonly k: Fft64Instance, readonly F: number, base: number) {
    const N = F / 2;
    this.N = N;
    this.tw = base;
    this.splitF = base + stageTwiddleBytes(N);
    this.splitI = this.splitF + 32 * (N / 2 + 1);
    this.work0 = this.splitI + 32 * (N / 2 + 1);
    this.work1 = this.work0 + 16 * (N + 1);
    const f64 = new Float64Array(k.memory.buffer);
    writeStageTwiddles(f64, this.tw / 8, N);
    this.f64 = f64;
    const split = table('split', N, 8 * (N / 2 + 1), (t) => {
      for (let j = 0; j <= N / 2; j++) {
        const [wr, wi] = unitRoot(j, F); // e^{−2πij/F}
        putTwiddle(t, 4 * j, wi / 2, -wr / 2); // −i/2 · w
        putTwiddle(t, 4 * (N / 2 + 1) + 4 * j, wi, wr); // i · conj(w) = i(wr − i wi) = wi + i wr
      }
    });
    f64.set(split, this.splitF / 8); // splitI follows splitF directly
  }

  /** Complex FFT of N points from `src` (kept, not work0; its second half `half2` bytes from src); returns the address of the result (work0 or work1). */
  private complex(src: number, inverse: boolean, half2 = 8 * this.N): number {
    return runComplex(this.k, this.N, this.tw, src, this.work0, this.work1, inverse, half2);
  }

  /**
   * Half spectrum (N + 1 bins, interleaved) of the F real samples at `src` into `out`; `src` is
   * kept. Samples F/2 … F − 1 start `half2` bytes from `src` (default 4·F: right after the first
   * half; any i32 offset, so that a buffer whose halves take turns needs no shifting).
   */
  forward(src: number, out: number, half2 = 4 * this.F): void {
    const N = this.N;
    const z = this.complex(src, false, half2);
    const f64 = this.f64;
    f64[(z + 16 * N) / 8] = f64[z / 8];
    f64[(z + 16 * N) / 8 + 1] = f64[z / 8 + 1];
    this.k.splitFwd(N / 2 + 1, z, z + 16 * N, out, out + 16 * N, this.splitF);
  }

  /** `Σ_k X[k] e^{+2πi jk/F}` (unnormalised) of the half spectrum at `spec` (kept); returns the address of the F samples (a work buffer). */
  inverse(spec: number): number {
    const N = this.N;
    const z = this.work1; // the first stage reads it and writes work0; later stages may reuse it
    this.k.splitInv(N / 2 + 1, spec, spec + 16 * N, z, z + 16 * N, this.splitI);
    return this.complex(z, true);
  }
}

/**
 * The float64 FFT kernel, created on first use, or null when it cannot run here (no WebAssembly
 * SIMD, or its self-test against a direct DFT failed; `fft64Kernel.status()` gives the reason). Set
 * `POINTWISE_WASM=0` to use fft.js instead.
 */
export const fft64Kernel = lazyKernel('fft64', () => new Fft64Kernel(), selfTest);

/** Checks forward and inverse real FFTs of 32 and 64 points (radix-4 only, and with the radix-2 stage) against a direct DFT. */
function selfTest(k: Fft64Kernel): boolean {
  for (const F of [32, 64]) {
    const inst = k.instance(RealFft64.bytes(F) + 16 * F * 2);
    if (inst === null) return false;
    const plan = new RealFft64(inst, F, 0);
    const src = RealFft64.bytes(F), spec = src + 8 * F;
    const f64 = new Float64Array(inst.memory.buffer);
    const x = Array.from({ length: F }, (_, j) => ((j * 7) % 11) - 5 + j / F);
    f64.set(x, src / 8);
    plan.forward(src, spec);
    for (let kk = 0; kk <= F / 2; kk++) {
      let re = 0, im = 0;
      for (let j = 0; j < F; j++) {
        const [c, s] = unitRoot(j * kk, F);
        re += x[j] * c;
        im += x[j] * s;
      }
      if (Math.abs(f64[spec / 8 + 2 * kk] - re) > 1e-9 || Math.abs(f64[spec / 8 + 2 * kk + 1] - im) > 1e-9) return false;
    }
    const back = plan.inverse(spec) / 8;
    for (let j = 0; j < F; j++) if (Math.abs(f64[back + j] / F - x[j]) > 1e-12 * 16) return false;
  }
  return true;
}
