/**
 * The 1×1-mix kernel in WebAssembly SIMD: `out[rows × T] = W · X[cols × T] (+ b)` two float64 lanes
 * per instruction, generated at load time by src/core/wasm.ts (no build step, no opaque binary).
 *
 * Design (the register-blocked outer-product scheme of BLAS micro-kernels, specialised to a mix):
 * - a **tile** computes R output rows (R = 4, 3, 2 or 1) over 2V samples at a time: R·V v128
 *   accumulators start at the bias and take, for every input row i in turn, `acc += W[o,i]·x[i,t:t+2V]`
 *   (one splatted weight per row, V vector loads of X per i). Each output is written once, and the
 *   sum runs in the naive order `((b + w₀x₀) + w₁x₁) + …`;
 * - weights are **packed** per row group, input-major (`Wp[i·R + r]`), so the tile reads them with
 *   constant offsets;
 * - the time axis is cut into **blocks** copied into the module's memory (one native
 *   `TypedArray.set` per channel, after one read of the block with eight channels interleaved, which
 *   fetches it from memory faster than the copies would: {@link touchBlock}), so the tiles read X
 *   from cache; float32 data is copied as float32 and widened in the kernel
 *   (`f64x2.promote_low_f32x4`), and float32 output is narrowed there, so float32 results are
 *   float64 sums rounded once;
 * - with a **single row group and many inputs** (a 200-band cube to 3 components), a block holding
 *   every input would be only a few hundred samples long, and copying 200 short runs per block is
 *   slow (the hardware prefetchers track a few dozen streams). Such products instead take long
 *   blocks of 4096 samples and **groups of inputs** (16 float64 or 32 float32 rows, 512 KB), adding
 *   each group onto the float64 partial sums in module memory (`tile…_acc`, whose accumulators start
 *   from them). The order of the sum is unchanged, so results are bit-identical (gain:
 *   docs/PERFORMANCE.md, section gemm-wasm).
 *
 * {@link wasmGemm} returns null where WebAssembly SIMD is unavailable (or the self-test fails); the
 * caller then uses the plain-JavaScript kernel of gemm.ts, and `wasmGemm.status()` says why
 * (docs/WASM.md: debugging a kernel that does not load).
 * @module
 * @internal
 */
import { br, br_if, f32x4, f64x2, FunctionBuilder, growMemory, i32, instantiate, lazyKernel, v128, type Instr, type Local, type WasmFunction, type WasmMemory } from '../core/wasm.js';

type Elem = 'f64' | 'f32';
const BYTES: Record<Elem, number> = { f64: 8, f32: 4 };
/** Row-tile heights and vectors (of two samples) per tile step: 4 rows × 4 samples, …, 1 row × 8. */
const TILES: [rows: number, vectors: number][] = [[4, 2], [3, 2], [2, 2], [1, 4]];

/**
 * Generates `tile{R}_{x}{y}(w, cols, x, xStride, y, yStride, b, n)`: R output rows for samples
 * [0, n) (n a multiple of 2V), X elements of type `xe` at byte stride `xStride` between channels, Y
 * elements of type `ye`; `w` points at the packed weights of the row group, `b` at its R biases.
 * With `accumulate` (`tile{R}_{x}f64_acc`, float64 Y only), the accumulators start from Y's partial
 * sums instead of the biases (`b` is unused). Its text: test/linalg/__snapshots__/.
 */
function tileFunction(R: number, V: number, xe: Elem, ye: Elem, accumulate = false): WasmFunction {
  const f = new FunctionBuilder(`tile${R}_${xe}${ye}${accumulate ? '_acc' : ''}`);
  const [w, cols, x, xStride, y, yStride, b, n] = f.params('w', 'cols', 'x', 'xStride', 'y', 'yStride', 'b', 'n');
  const xEnd = f.local('xEnd', 'i32'); // x + n · xb: the end of this call's samples
  const xp = f.local('xp', 'i32'); // X row i, at this step's samples
  const wp = f.local('wp', 'i32'); // W[o…o+R−1, i], packed
  const i = f.local('i', 'i32'); // inputs left
  const yp = f.local('yp', 'i32'); // Y row r, at this step's samples
  const acc = Array.from({ length: R }, (_, r) => Array.from({ length: V }, (_, v) => f.local(`acc${r}_${v}`, 'v128')));
  const xv = Array.from({ length: V }, (_, v) => f.local(`x${v}`, 'v128'));
  const wr = f.local('w_r', 'v128');
  const xb = BYTES[xe];
  const yb = BYTES[ye];
  const addTo = (local: Local, delta: Instr) => f.emit(local.get, delta, i32.add, local.set);

  f.emit(x.get, n.get, i32.const(Math.log2(xb)), i32.shl, i32.add, xEnd.set);
  f.block('done', (done) => {
    // one step: 2V samples of R rows
    f.loop('step', (step) => {
      f.emit(x.get, xEnd.get, i32.ge_u, br_if(done)); // addresses are unsigned
      if (accumulate) {
        // accumulators ← the partial sums in Y
        f.emit(y.get, yp.set);
        for (let r = 0; r < R; r++) {
          for (let v = 0; v < V; v++) f.emit(yp.get, v128.load(16 * v), acc[r][v].set);
          if (r < R - 1) addTo(yp, yStride.get);
        }
      } else {
        // accumulators ← bias
        for (let r = 0; r < R; r++) for (let v = 0; v < V; v++) f.emit(b.get, v128.load64_splat(8 * r), acc[r][v].set);
      }
      f.emit(x.get, xp.set, w.get, wp.set, cols.get, i.set);
      // for each input row: acc[r][v] += splat(W[o+r, i]) · x[i, t + 2v : t + 2v + 2]
      f.loop('input', (input) => {
        for (let v = 0; v < V; v++) {
          f.emit(xp.get);
          if (xe === 'f64') f.emit(v128.load(16 * v));
          else f.emit(v128.load64_zero(8 * v), f64x2.promote_low_f32x4);
          f.emit(xv[v].set);
        }
        for (let r = 0; r < R; r++) {
          f.emit(wp.get, v128.load64_splat(8 * r), wr.set);
          for (let v = 0; v < V; v++) f.emit(acc[r][v].get, wr.get, xv[v].get, f64x2.mul, f64x2.add, acc[r][v].set);
        }
        addTo(xp, xStride.get);
        addTo(wp, i32.const(8 * R));
        f.emit(i.get, i32.const(1), i32.sub, i.tee, br_if(input));
      });
      // store the R rows of this step
      f.emit(y.get, yp.set);
      for (let r = 0; r < R; r++) {
        for (let v = 0; v < V; v++) {
          f.emit(yp.get, acc[r][v].get);
          if (ye === 'f64') f.emit(v128.store(16 * v));
          else f.emit(f32x4.demote_f64x2_zero, v128.store64_lane(8 * v, 0));
        }
        if (r < R - 1) addTo(yp, yStride.get);
      }
      addTo(x, i32.const(2 * V * xb));
      addTo(y, i32.const(2 * V * yb));
      f.emit(br(step));
    });
  });
  return f.finish();
}

/**
 * The functions of the kernel module, in export order: for each tile shape, X type and Y type,
 * `tile{R}_{x}{y}`, then `tile{R}_{x}f64_acc`. Exported for the text snapshots of the tests.
 * @internal
 */
export function gemmKernelFunctions(): WasmFunction[] {
  const fns: WasmFunction[] = [];
  for (const [R, V] of TILES) {
    for (const xe of ['f64', 'f32'] as Elem[]) {
      for (const ye of ['f64', 'f32'] as Elem[]) fns.push(tileFunction(R, V, xe, ye));
      fns.push(tileFunction(R, V, xe, 'f64', true));
    }
  }
  return fns;
}

/** Initial pages (64 KiB each) of the kernel's memory. */
export const GEMM_PAGES = 16;

type Tile = (w: number, cols: number, x: number, xStride: number, y: number, yStride: number, b: number, n: number) => void;

/**
 * Bytes between the rows of a block in the module's memory: `bytes` plus one cache line when
 * `bytes` is a multiple of 1 KiB. A tile reads one vector from each of `cols` rows per step; rows a
 * power of two apart would all fall in the same few sets of the 8-way L1 cache and evict each
 * other, so their starts are staggered by a line.
 */
function paddedStride(bytes: number): number {
  return bytes % 1024 === 0 ? bytes + 64 : bytes;
}

/** Samples per block, and bytes of X per input group, when a single row group takes its inputs in groups. */
const LONG_BLOCK = 4096;
const GROUP_BYTES = 1 << 19;

/** The sum of every element {@link touchBlock} read, kept so that the engine cannot drop the reads. */
const touched = { sum: 0 };

/**
 * Reads one element per 64-byte cache line of the block `[t0, t0 + n)` of every input row, eight
 * rows at a time interleaved line by line, so that the block comes from memory as eight concurrent
 * streams; the per-row copies into module memory that follow then read it from cache.
 *
 * Why: memory serves eight interleaved streams about twice as fast as the single stream one copy
 * reads, and with few outputs the mix spends most of its time on that copy (rates, gains and the
 * group sizes tried: docs/PERFORMANCE.md, section gemm-wasm). Not used by
 * {@link WasmGemm.runInputGroups}, where it does not pay. Exported for tests.
 * @internal
 */
export function touchBlock(X: Float64Array | Float32Array, T: number, cols: number, t0: number, n: number): void {
  const step = 64 / X.BYTES_PER_ELEMENT;
  let sum = 0;
  for (let i0 = 0; i0 < cols; i0 += 8) {
    const first = i0 * T + t0;
    const end = Math.min(cols, i0 + 8) * T;
    for (let t = first; t < first + n; t += step) for (let a = t; a < end; a += T) sum += X[a];
  }
  touched.sum += sum;
}

/** Rounds up to a multiple of 16 bytes. */
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16; // not `& ~15`: sizes may pass 2³¹

/** Bytes of packed weights and biases at the start of memory ({@link WasmGemm.packWeights}); X blocks follow. */
const weightBytes = (rows: number, cols: number) => align16(rows * cols * 8) + align16(rows * 8);

/** The instantiated kernel and its scratch memory. */
export class WasmGemm {
  private readonly memory: WasmMemory;
  /**
   * Per element-type pair (`f64f32` = float64 X, float32 Y; `f64f64_acc`, `f32f64_acc` for the
   * accumulating tiles): the tiles for R = 1, 2, 3, 4 rows at index R − 1.
   */
  private readonly tiles = new Map<string, Tile[]>();

  constructor() {
    const { memory, exports: kernel } = instantiate(gemmKernelFunctions(), GEMM_PAGES);
    this.memory = memory;
    for (const xe of ['f64', 'f32']) {
      for (const ye of ['f64', 'f32', 'f64_acc']) this.tiles.set(xe + ye, [1, 2, 3, 4].map((R) => kernel[`tile${R}_${xe}${ye}`] as Tile));
    }
  }

  /**
   * Writes the packed weights at address 0 (row group g = rows o…o+R−1, input-major within it:
   * `[i·R + r]`) and the biases after them (zeros without `bias`); returns the biases' address.
   * Call after growing the memory.
   */
  private packWeights(W: Float64Array, rows: number, cols: number, bias: Float64Array | undefined): number {
    const buffer = this.memory.buffer;
    const wp = new Float64Array(buffer, 0, rows * cols);
    let k = 0;
    for (let o = 0; o < rows; o += 4) {
      const R = Math.min(4, rows - o);
      for (let i = 0; i < cols; i++) for (let r = 0; r < R; r++) wp[k++] = W[(o + r) * cols + i];
    }
    const bOff = align16(rows * cols * 8);
    const bv = new Float64Array(buffer, bOff, rows);
    if (bias) bv.set(bias.subarray(0, rows));
    else bv.fill(0);
    return bOff;
  }

  /**
   * Same contract as gemm.ts's `gemm` (rows, cols, T ≥ 1; unchecked). Returns false, having written
   * nothing, when the weights and one block do not fit in WebAssembly memory (the caller then uses
   * the JavaScript kernel). The memory keeps its largest size (WebAssembly memory cannot shrink):
   * the packed weights plus one block of ≤ 1 MB of X and its outputs.
   */
  run(W: Float64Array, rows: number, cols: number, X: Float64Array | Float32Array, T: number, out: Float64Array | Float32Array, bias?: Float64Array): boolean {
    return this.runRange(W, rows, cols, X, T, out, T, bias, 0, T);
  }

  /**
   * {@link run} on the samples `[s0, s0 + T)` of row-major X and out whose rows are `ldx` and `ldo`
   * elements apart: X element (i, t) at `X[i·ldx + t]`, result (o, t) at `out[o·ldo + t]`. Every
   * sample's output comes from the same tile and the same order of additions whatever the range,
   * so a product cut into ranges of samples equals the uncut one bit for bit.
   */
  runRange(W: Float64Array, rows: number, cols: number, X: Float64Array | Float32Array, ldx: number, out: Float64Array | Float32Array, ldo: number, bias: Float64Array | undefined, s0: number, T: number): boolean {
    if (rows === 0 || T === 0) return true;
    if (cols === 0) return false; // the tiles loop over at least one input (gemm writes the biases itself)
    const xe: Elem = X instanceof Float32Array ? 'f32' : 'f64';
    const ye: Elem = out instanceof Float32Array ? 'f32' : 'f64';
    const groups = Math.ceil(rows / 4);
    if (groups === 1) {
      const tb = Math.min(LONG_BLOCK, (T + 7) & ~7);
      const perGroup = Math.floor(GROUP_BYTES / (tb * BYTES[xe]));
      if (cols > perGroup) return this.runInputGroupsRange(W, rows, cols, X, ldx, out, ldo, bias, s0, T, tb, perGroup);
    }
    // Block length: one X block ≲ 128 KB (stays in L2 while every row group re-reads it); with a
    // single row group (and few inputs: many went to runInputGroups) X is read once, so blocks are
    // longer, up to 4096 samples or 256 KB: fewer copies (each TypedArray.set has a fixed cost
    // besides its bytes), while the touched block and its copy still fit the 1 MB L2
    // (docs/PERFORMANCE.md, section gemm-wasm).
    const budget = groups === 1 ? 1 << 18 : 1 << 17;
    const tb = Math.max(8, Math.min(4096, Math.floor(budget / (cols * BYTES[xe])) & ~7));
    const xOff = weightBytes(rows, cols);
    const xStride = paddedStride(tb * BYTES[xe]);
    const yOff = xOff + align16(cols * xStride);
    const yStride = paddedStride(tb * BYTES[ye]);
    if (!growMemory(this.memory, yOff + rows * yStride)) return false; // the weights alone are rows·cols·8 bytes
    const bOff = this.packWeights(W, rows, cols, bias);
    const buffer = this.memory.buffer;
    const xRow = xStride / BYTES[xe];
    const yRow = yStride / BYTES[ye];
    const xv = xe === 'f64' ? new Float64Array(buffer, xOff, cols * xRow) : new Float32Array(buffer, xOff, cols * xRow);
    const yv = ye === 'f64' ? new Float64Array(buffer, yOff, rows * yRow) : new Float32Array(buffer, yOff, rows * yRow);
    const tiles = this.tiles.get(xe + ye)!;
    for (let t0 = 0; t0 < T; t0 += tb) {
      const n = Math.min(tb, T - t0);
      const nPad = (n + 7) & ~7;
      touchBlock(X, ldx, cols, s0 + t0, n);
      for (let i = 0; i < cols; i++) xv.set(X.subarray(i * ldx + s0 + t0, i * ldx + s0 + t0 + n), i * xRow);
      let wAt = 0;
      for (let o = 0; o < rows; o += 4) {
        const R = Math.min(4, rows - o);
        tiles[R - 1](wAt, cols, xOff, xStride, yOff + o * yStride, yStride, bOff + 8 * o, nPad);
        wAt += R * cols * 8;
      }
      for (let o = 0; o < rows; o++) out.set(yv.subarray(o * yRow, o * yRow + n), o * ldo + s0 + t0);
    }
    return true;
  }

  /**
   * The single-row-group path for many inputs (rows ≤ 4; see the module notes): blocks of `tb`
   * samples (a multiple of 8), inputs `perGroup` at a time added onto float64 partial sums, which
   * the last copy rounds into `out`'s type. Same contract and result as {@link run}; public for the
   * self-test and tests, which force small groups.
   * @internal
   */
  runInputGroups(W: Float64Array, rows: number, cols: number, X: Float64Array | Float32Array, T: number, out: Float64Array | Float32Array, bias: Float64Array | undefined, tb: number, perGroup: number): boolean {
    return this.runInputGroupsRange(W, rows, cols, X, T, out, T, bias, 0, T, tb, perGroup);
  }

  /** {@link runInputGroups} on a range of samples of strided X and out (as {@link runRange}). */
  private runInputGroupsRange(W: Float64Array, rows: number, cols: number, X: Float64Array | Float32Array, ldx: number, out: Float64Array | Float32Array, ldo: number, bias: Float64Array | undefined, s0: number, T: number, tb: number, perGroup: number): boolean {
    const xe: Elem = X instanceof Float32Array ? 'f32' : 'f64';
    const xOff = weightBytes(rows, cols);
    const xStride = tb * BYTES[xe];
    const yOff = xOff + align16(perGroup * xStride);
    const yStride = tb * 8;
    if (!growMemory(this.memory, yOff + rows * yStride)) return false; // the weights alone are rows·cols·8 bytes
    const bOff = this.packWeights(W, rows, cols, bias); // one row group: the weights of input i at [i·rows, (i+1)·rows)
    const buffer = this.memory.buffer;
    const xv = xe === 'f64' ? new Float64Array(buffer, xOff, perGroup * tb) : new Float32Array(buffer, xOff, perGroup * tb);
    const partial = new Float64Array(buffer, yOff, rows * tb);
    const first = this.tiles.get(xe + 'f64')![rows - 1];
    const onto = this.tiles.get(xe + 'f64_acc')![rows - 1];
    for (let t0 = 0; t0 < T; t0 += tb) {
      const n = Math.min(tb, T - t0);
      const nPad = (n + 7) & ~7;
      for (let i0 = 0; i0 < cols; i0 += perGroup) {
        const g = Math.min(perGroup, cols - i0);
        for (let i = 0; i < g; i++) xv.set(X.subarray((i0 + i) * ldx + s0 + t0, (i0 + i) * ldx + s0 + t0 + n), i * tb);
        (i0 === 0 ? first : onto)(i0 * rows * 8, g, xOff, xStride, yOff, yStride, bOff, nPad);
      }
      for (let o = 0; o < rows; o++) out.set(partial.subarray(o * tb, o * tb + n), o * ldo + s0 + t0);
    }
    return true;
  }
}

/**
 * The SIMD kernel, created on first use, or null when it cannot run here (no WebAssembly SIMD, or
 * its self-test against a scalar product failed; `wasmGemm.status()` gives the reason). Set
 * `POINTWISE_WASM=0` to force the JS kernel.
 */
export const wasmGemm = lazyKernel('gemm', () => new WasmGemm(), selfTest);

/**
 * Checks every tile and element type on a 7-row, 5-input product with a ragged length, and the
 * accumulating tiles on its first 3 rows with inputs taken in pairs.
 */
function selfTest(k: WasmGemm): boolean {
  const rows = 7, cols = 5, T = 13;
  const W = Float64Array.from({ length: rows * cols }, (_, j) => ((j * 7) % 11) - 5);
  const X = Float64Array.from({ length: cols * T }, (_, j) => ((j * 5) % 9) - 4);
  const b = Float64Array.from({ length: rows }, (_, o) => o - 3);
  for (const [xa, ya] of [[X, new Float64Array(rows * T)], [Float32Array.from(X), new Float32Array(rows * T)]] as const) {
    if (!k.run(W, rows, cols, xa, T, ya, b)) return false;
    const yg = ya.slice(0, 3 * T).fill(0);
    if (!k.runInputGroups(W.subarray(0, 3 * cols), 3, cols, xa, T, yg, b, 8, 2)) return false; // first 3 rows, blocks of 8, inputs in pairs
    for (let o = 0; o < rows; o++) {
      for (let t = 0; t < T; t++) {
        let s = b[o];
        for (let i = 0; i < cols; i++) s += W[o * cols + i] * X[i * T + t];
        if (ya[o * T + t] !== s || (o < 3 && yg[o * T + t] !== s)) return false;
      }
    }
  }
  return true;
}
