/**
 * A FLAC frame decoder in TypeScript for the streams the WebAssembly decoder cannot return exactly:
 * 32-bit samples (its output is float32). It follows the FLAC format specification (RFC 9639): the
 * frame header, CONSTANT, VERBATIM, FIXED and LPC subframes with wasted bits, Rice-coded residuals
 * (both parameter widths, escapes), and the left/side, side/right and mid/side channel decorrelations,
 * whose side channel has one more bit (33 for 32-bit audio). Arithmetic is in float64, exact below
 * 2^53; an LPC whose products could exceed that is evaluated in BigInt. Frames reach it framed and
 * CRC-checked by flac.ts's splitter; anything out of range is a FormatError.
 * @module
 */
import { FormatError, message } from '../core/errors.js';

const P32 = 2 ** 32;

/** Big-endian bit reader over one frame. */
class Bits {
  private pos = 0;
  constructor(private readonly b: Uint8Array, private readonly fn: string, byteStart: number) {
    this.pos = byteStart * 8;
  }

  private bad(what: string): FormatError {
    return new FormatError(message(this.fn, `each frame must decode (${what})`, { verbatim: `bit ${this.pos} of ${this.b.length * 8}` }));
  }

  /** An unsigned value of n ≤ 32 bits. */
  u(n: number): number {
    if (n === 0) return 0;
    if (this.pos + n > this.b.length * 8) throw this.bad('the frame ends inside a value');
    let v = 0;
    for (let i = 0; i < n; i++) {
      const p = this.pos + i;
      v = v * 2 + ((this.b[p >> 3] >> (7 - (p & 7))) & 1);
    }
    this.pos += n;
    return v;
  }

  /** A two's-complement value of n ≤ 33 bits. */
  s(n: number): number {
    if (n === 0) return 0;
    const v = n > 32 ? this.u(n - 32) * P32 + this.u(32) : this.u(n);
    return v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }

  /** Zero bits before the next one bit. */
  unary(): number {
    let q = 0;
    const end = this.b.length * 8;
    while (this.pos < end && ((this.b[this.pos >> 3] >> (7 - (this.pos & 7))) & 1) === 0) {
      this.pos++;
      q++;
    }
    if (this.pos >= end) throw this.bad('a unary code runs past the frame');
    this.pos++;
    return q;
  }
}

const FIXED: readonly (readonly number[])[] = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]];
const SAMPLE_BITS = [0, 8, 12, -1, 16, 20, 24, 32];

/** The residual of a FIXED or LPC subframe into `out[order…]`. */
function residual(r: Bits, fn: string, out: Float64Array, order: number): void {
  const method = r.u(2);
  if (method > 1) throw new FormatError(message(fn, 'the residual coding method must be 0 or 1', method));
  const paramBits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  const porder = r.u(4);
  const n = out.length;
  if (n % (1 << porder) !== 0 || (n >> porder) < order) throw new FormatError(message(fn, 'the residual partition order must fit the block size', { verbatim: `order ${porder}, ${n} samples, predictor order ${order}` }));
  let i = order;
  for (let p = 0; p < 1 << porder; p++) {
    const count = (n >> porder) - (p === 0 ? order : 0);
    const k = r.u(paramBits);
    if (k === escape) {
      const bits = r.u(5);
      for (let j = 0; j < count; j++) out[i++] = r.s(bits);
    } else {
      const m = 2 ** k;
      for (let j = 0; j < count; j++) {
        const u = r.unary() * m + r.u(k);
        out[i++] = u % 2 === 1 ? -(u + 1) / 2 : u / 2;
      }
    }
  }
}

function subframe(r: Bits, fn: string, n: number, bps: number): Float64Array {
  if (r.u(1) !== 0) throw new FormatError(message(fn, 'a subframe must start with a zero bit', 1));
  const type = r.u(6);
  let wasted = 0;
  if (r.u(1) === 1) wasted = r.unary() + 1;
  if (wasted >= bps) throw new FormatError(message(fn, `wasted bits must be fewer than the ${bps} sample bits`, wasted));
  const b = bps - wasted;
  const out = new Float64Array(n);
  if (type === 0) out.fill(r.s(b));
  else if (type === 1) for (let i = 0; i < n; i++) out[i] = r.s(b);
  else if (type >= 8 && type <= 12) {
    const order = type - 8;
    if (order > n) throw new FormatError(message(fn, 'the predictor order must not exceed the block size', order));
    for (let i = 0; i < order; i++) out[i] = r.s(b);
    residual(r, fn, out, order);
    const c = FIXED[order];
    for (let i = order; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < order; j++) sum += c[j] * out[i - 1 - j];
      out[i] += sum;
    }
  } else if (type >= 32) {
    const order = type - 31;
    if (order > n) throw new FormatError(message(fn, 'the predictor order must not exceed the block size', order));
    for (let i = 0; i < order; i++) out[i] = r.s(b);
    const precision = r.u(4) + 1;
    if (precision === 16) throw new FormatError(message(fn, 'the LPC coefficient precision must not be the reserved value 15', precision));
    const shift = r.s(5);
    if (shift < 0) throw new FormatError(message(fn, 'the LPC shift must not be negative', shift));
    const coefs = Array.from({ length: order }, () => r.s(precision));
    residual(r, fn, out, order);
    if (b + precision + Math.ceil(Math.log2(order)) + 1 <= 53) {
      const d = 2 ** shift;
      for (let i = order; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < order; j++) sum += coefs[j] * out[i - 1 - j];
        out[i] += Math.floor(sum / d);
      }
    } else {
      const bc = coefs.map(BigInt);
      const bs = BigInt(shift);
      for (let i = order; i < n; i++) {
        let sum = 0n;
        for (let j = 0; j < order; j++) sum += bc[j] * BigInt(out[i - 1 - j]);
        out[i] += Number(sum >> bs);
      }
    }
  } else throw new FormatError(message(fn, 'the subframe type must be CONSTANT, VERBATIM, FIXED (order ≤ 4) or LPC', type));
  if (wasted > 0) {
    const m = 2 ** wasted;
    for (let i = 0; i < n; i++) out[i] *= m;
  }
  return out;
}

/**
 * Decodes one FLAC frame (header through CRC-16, as the splitter returns it) into the integer codes
 * of each channel. `streamBits` is STREAMINFO's bits per sample.
 * @throws FormatError for any value out of range or a frame that ends early.
 */
export function decodeFlacFrame(fn: string, frame: Uint8Array, streamBits: number): { channels: Float64Array[]; bits: number } {
  if (frame.length < 6 || frame[0] !== 0xff || (frame[1] & 0xfe) !== 0xf8) throw new FormatError(message(fn, 'each frame must start with the sync code', { verbatim: `${frame.length} bytes` }));
  const bsCode = frame[2] >> 4;
  const srCode = frame[2] & 15;
  const assignment = frame[3] >> 4;
  const sizeCode = (frame[3] >> 1) & 7;
  // The coded frame or sample number: UTF-8-like, 1 to 7 bytes.
  let p = 4;
  const lead = frame[p];
  const extra = lead < 0x80 ? 0 : lead >= 0xfe ? 6 : lead >= 0xfc ? 5 : lead >= 0xf8 ? 4 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
  p += 1 + extra;
  let n: number;
  if (bsCode === 1) n = 192;
  else if (bsCode >= 2 && bsCode <= 5) n = 576 << (bsCode - 2);
  else if (bsCode === 6) n = frame[p++] + 1;
  else if (bsCode === 7) {
    n = ((frame[p] << 8) | frame[p + 1]) + 1;
    p += 2;
  } else if (bsCode >= 8) n = 256 << (bsCode - 8);
  else throw new FormatError(message(fn, 'the block size code must not be reserved', bsCode));
  if (srCode === 12) p += 1;
  else if (srCode === 13 || srCode === 14) p += 2;
  p += 1; // CRC-8, checked by the splitter
  const bits = sizeCode === 0 ? streamBits : SAMPLE_BITS[sizeCode];
  if (bits <= 0) throw new FormatError(message(fn, 'the sample size code must not be reserved', sizeCode));
  if (assignment > 10) throw new FormatError(message(fn, 'the channel assignment must not be reserved', assignment));
  const C = assignment < 8 ? assignment + 1 : 2;
  const r = new Bits(frame, fn, p);
  const ch: Float64Array[] = [];
  for (let c = 0; c < C; c++) {
    const side = (assignment === 8 && c === 1) || (assignment === 9 && c === 0) || (assignment === 10 && c === 1);
    ch.push(subframe(r, fn, n, bits + (side ? 1 : 0)));
  }
  if (assignment === 8) for (let i = 0; i < n; i++) ch[1][i] = ch[0][i] - ch[1][i];
  else if (assignment === 9) for (let i = 0; i < n; i++) ch[0][i] += ch[1][i];
  else if (assignment === 10) {
    for (let i = 0; i < n; i++) {
      const side = ch[1][i];
      const mid = ch[0][i] * 2 + (((side % 2) + 2) % 2);
      ch[0][i] = Math.floor((mid + side) / 2);
      ch[1][i] = Math.floor((mid - side) / 2);
    }
  }
  const lo = -(2 ** (bits - 1)), hi = 2 ** (bits - 1) - 1;
  for (const x of ch) for (let i = 0; i < n; i++) if (!(x[i] >= lo && x[i] <= hi)) throw new FormatError(message(fn, `each decoded sample must fit in ${bits} bits`, x[i]));
  return { channels: ch, bits };
}
