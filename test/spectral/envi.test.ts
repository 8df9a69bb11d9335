import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvi, writeEnvi, parseEnviHeader, EnviReader, readEnviHeader, type EnviDataType, type EnviInterleave } from '../../src/spectral/index.js';
import { readMat, matToMultichannel } from '../../src/io/mat.js';
import { FormatError, Multichannel, ValueError, FileError } from '../../src/core/index.js';
import { Rng, expectPointwiseError, sharedData, tempDir } from '../helpers/index.js';

const samsonHdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
const samsonMat = sharedData('hyperspectral/Samson.mat');
const moffettHdr = sharedData('hyperspectral/moffett_bil_i16_be.hdr');
const moffettMat = sharedData('hyperspectral/Moffett.mat');

/** Writes a tiny header + data by hand (the oracle for layouts). */
function writeRaw(dir: string, name: string, header: string, bytes: Uint8Array): string {
  const hdr = path.join(dir, `${name}.hdr`);
  fs.writeFileSync(hdr, header);
  fs.writeFileSync(path.join(dir, `${name}.img`), bytes);
  return hdr;
}

describe('parseEnviHeader', () => {
  it('reads braced multi-line lists, comments, mixed case and defaults', () => {
    const h = parseEnviHeader(
      'ENVI\n; a comment line\nDescription = {two\n lines}\nSAMPLES = 3\nLines   = 2\nbands = 4\nData Type = 12\ninterleave = BIP\n' +
        'wavelength = {0.4, 0.5,\n 0.6,\n 0.7}\nwavelength units = Micrometers\nfwhm = {1,1,1,1}\nbbl = {1, 0, 1, 1}\ndata ignore value = -9999\nband names = {a, b, c, d}\n',
    );
    expect(h.samples).toBe(3);
    expect(h.lines).toBe(2);
    expect(h.bands).toBe(4);
    expect(h.dataType).toBe(12);
    expect(h.interleave).toBe('bip');
    expect(h.byteOrder).toBe(0);
    expect(h.headerOffset).toBe(0);
    expect(Array.from(h.wavelength!)).toEqual([0.4, 0.5, 0.6, 0.7]);
    expect(Array.from(h.bbl!)).toEqual([1, 0, 1, 1]);
    expect(h.dataIgnoreValue).toBe(-9999);
    expect(h.bandNames).toEqual(['a', 'b', 'c', 'd']);
    expect(h.description).toBe('two\n lines');
  });

  const base = 'samples = 2\nlines = 2\nbands = 1\n';
  const bad: [string, string, RegExp][] = [
    ['no magic', 'samples = 1\n', /parseEnviHeader: the header must start with the line 'ENVI'; got "samples = 1"/],
    ['unclosed brace', `ENVI\n${base}data type = 4\ninterleave = bsq\nwavelength = {1,\n`, /braced value of 'wavelength' \(line \d+\) must be closed/],
    ['unknown data type', `ENVI\n${base}data type = 7\ninterleave = bsq\n`, /'data type' must be one of 1, 2, 3, 4, 5, 12, 13, 14, 15.*; got "7"/],
    ['complex data type', `ENVI\n${base}data type = 6\ninterleave = bsq\n`, /complex 6 and 9 are not supported/],
    ['bad interleave', `ENVI\n${base}data type = 4\ninterleave = bis\n`, /'interleave' must be bsq, bil or bip; got "bis"/],
    ['missing samples', 'ENVI\nlines = 2\nbands = 1\ndata type = 4\ninterleave = bsq\n', /must define 'samples'/],
    ['negative lines', 'ENVI\nsamples = 2\nlines = -2\nbands = 1\ndata type = 4\ninterleave = bsq\n', /'lines' must be an integer in \[1, /],
    ['byte order 2', `ENVI\n${base}data type = 4\ninterleave = bsq\nbyte order = 2\n`, /'byte order' must be an integer in \[0, 1\]; got "2"/],
    ['short wavelength list', `ENVI\nsamples = 2\nlines = 2\nbands = 3\ndata type = 4\ninterleave = bsq\nwavelength = {1, 2}\n`, /'wavelength' must list one value per band \(3\); got 2/],
    ['no equals sign', `ENVI\n${base}garbage line\n`, /every line must read 'key = value'/],
  ];
  for (const [label, text, re] of bad) {
    it(`rejects ${label} with a FormatError`, () => {
      expectPointwiseError(() => parseEnviHeader(text), FormatError, re, label);
    });
  }
});

describe('readEnvi layouts (hand-built files)', () => {
  // cube value (b, l, s) = 100 b + 10 l + s, 3 bands, 2 lines, 4 samples
  const B = 3, L = 2, S = 4;
  const val = (b: number, l: number, s: number): number => 100 * b + 10 * l + s;
  const order: Record<EnviInterleave, (push: (b: number, l: number, s: number) => void) => void> = {
    bsq: (f) => { for (let b = 0; b < B; b++) for (let l = 0; l < L; l++) for (let s = 0; s < S; s++) f(b, l, s); },
    bil: (f) => { for (let l = 0; l < L; l++) for (let b = 0; b < B; b++) for (let s = 0; s < S; s++) f(b, l, s); },
    bip: (f) => { for (let l = 0; l < L; l++) for (let s = 0; s < S; s++) for (let b = 0; b < B; b++) f(b, l, s); },
  };
  for (const il of ['bsq', 'bil', 'bip'] as const) {
    it(`${il}, int16 big endian with a header offset, wavelengths in µm → nm`, () => {
      const dir = tempDir();
      const buf = Buffer.alloc(7 + B * L * S * 2);
      let k = 0;
      order[il]((b, l, s) => { buf.writeInt16BE(val(b, l, s) - 50, 7 + 2 * k++); });
      const hdr = writeRaw(dir, il, `ENVI\nsamples = ${S}\nlines = ${L}\nbands = ${B}\nheader offset = 7\ndata type = 2\ninterleave = ${il}\nbyte order = 1\nwavelength = {0.5, 1.0, 2.5}\nwavelength units = micrometers\n`, buf);
      const x = readEnvi(hdr);
      expect(x.channels).toBe(B);
      expect(x.shape).toEqual([L, S]);
      expect(x.coords!.unit).toBe('nm');
      expect(Array.from(x.coords!.values)).toEqual([500, 1000, 2500]);
      for (let b = 0; b < B; b++) for (let l = 0; l < L; l++) for (let s = 0; s < S; s++) expect(x.data[b * L * S + l * S + s]).toBe(val(b, l, s) - 50);
      // window + band subset, read by offsets
      const w = readEnvi(hdr, { bands: [2, 0], lines: [1, 2], dtype: 'float32' });
      expect(w.dtype).toBe('float32');
      expect(w.shape).toEqual([1, S]);
      expect(Array.from(w.data)).toEqual([0, 1, 2, 3].map((s) => val(2, 1, s) - 50).concat([0, 1, 2, 3].map((s) => val(0, 1, s) - 50)));
      expect(Array.from(w.coords!.values)).toEqual([2500, 500]);
    });
  }

  it('maps the data ignore value to NaN (or keeps it), and chunks cover the cube', () => {
    const dir = tempDir();
    const f = new Float32Array([1, -9999, 3, 4, 5, 6]);
    const hdr = writeRaw(dir, 'nd', 'ENVI\nsamples = 3\nlines = 2\nbands = 1\ndata type = 4\ninterleave = bsq\ndata ignore value = -9999\n', new Uint8Array(f.buffer));
    expect(Number.isNaN(readEnvi(hdr).data[1])).toBe(true);
    expect(readEnvi(hdr, { noData: 'keep' }).data[1]).toBe(-9999);
    const r = EnviReader.open(hdr);
    const blocks = [...r.chunks(1, { noData: 'keep' })];
    r.close();
    expect(blocks.map((b) => b.startLine)).toEqual([0, 1]);
    expect(Array.from(blocks[1].cube.data)).toEqual([4, 5, 6]);
  });

  it('rejects a data file shorter than the header claims, naming both sizes', () => {
    const dir = tempDir();
    const hdr = writeRaw(dir, 'short', 'ENVI\nsamples = 10\nlines = 10\nbands = 2\ndata type = 4\ninterleave = bsq\n', new Uint8Array(100));
    expectPointwiseError(() => readEnvi(hdr), FormatError, /readEnvi: the data file must hold header offset \+ lines × samples × bands × 4 bytes = 0 \+ 10 × 10 × 2 × 4 = 800 bytes .*; got 100 bytes/);
  });

  it('rejects missing files and bad selections', () => {
    const dir = tempDir();
    expect(() => readEnvi(path.join(dir, 'none.hdr'))).toThrow(FileError);
    const hdr = writeRaw(dir, 'ok', 'ENVI\nsamples = 2\nlines = 2\nbands = 2\ndata type = 1\ninterleave = bsq\n', new Uint8Array(8));
    expect(() => readEnvi(hdr, { bands: [2] })).toThrow(/readEnvi: options\.bands\[i\] must be an integer in \[0, 1\]; got 2/);
    expect(() => readEnvi(hdr, { bands: [1, 1] })).toThrow(ValueError);
    expect(() => readEnvi(hdr, { lines: [1, 1] })).toThrow(/lines\[1\] must be an integer in \[2, 2\]; got 1/);
  });
});

describe('writeEnvi → readEnvi round trip', () => {
  const dtypes: EnviDataType[] = [1, 2, 3, 4, 5, 12, 13, 14, 15];
  const rng = new Rng(61);
  const B = 3, L = 4, S = 5, N = L * S;
  const lo: Record<number, number> = { 1: 0, 2: -32768, 3: -2147483648, 4: -1e3, 5: -1e6, 12: 0, 13: 0, 14: -(2 ** 53) + 1, 15: 0 };
  const hi: Record<number, number> = { 1: 255, 2: 32767, 3: 2147483647, 4: 1e3, 5: 1e6, 12: 65535, 13: 4294967295, 14: 2 ** 53 - 1, 15: 2 ** 53 - 1 };
  for (const il of ['bsq', 'bil', 'bip'] as const) {
    for (const dt of dtypes) {
      for (const bo of [0, 1] as const) {
        it(`${il} / data type ${dt} / byte order ${bo} (seed 61)`, () => {
          const d = new Float64Array(B * N);
          for (let i = 0; i < d.length; i++) {
            const v = rng.uniform(lo[dt], hi[dt]);
            d[i] = dt === 4 ? Math.fround(v) : dt === 5 ? v : Math.round(v);
          }
          d[0] = lo[dt];
          d[1] = hi[dt];
          const wl = Float64Array.from([450.5, 550.25, 650]);
          const x = new Multichannel(d, B, N, { shape: [L, S], coords: { name: 'wavelength', unit: 'nm', width: 1, values: wl }, labels: ['r', 'g', 'b'] });
          const dir = tempDir();
          const hdr = path.join(dir, 'cube.hdr');
          writeEnvi(hdr, x, { interleave: il, dataType: dt, byteOrder: bo, fwhm: [1, 2, 3], bbl: [1, 0, 1] });
          const y = readEnvi(hdr);
          expect(Array.from(y.data)).toEqual(Array.from(d));
          expect(y.shape).toEqual([L, S]);
          expect(Array.from(y.coords!.values)).toEqual(Array.from(wl));
          expect(y.labels).toEqual(['r', 'g', 'b']);
          const h = readEnviHeader(hdr);
          expect(Array.from(h.bbl!)).toEqual([1, 0, 1]);
          expect(h.byteOrder).toBe(bo);
          expect(fs.statSync(path.join(dir, 'cube.img')).size).toBe(B * N * ({ 1: 1, 2: 2, 3: 4, 4: 4, 5: 8, 12: 2, 13: 4, 14: 8, 15: 8 } as Record<number, number>)[dt]);
          expect(fs.readdirSync(dir).sort()).toEqual(['cube.hdr', 'cube.img']); // no temporary files left
        });
      }
    }
  }

  it('refuses to round or clip for integer types, and NaN without an ignore value', () => {
    const dir = tempDir();
    const x = new Multichannel(Float64Array.from([1.5, 2]), 1, 2);
    expect(() => writeEnvi(path.join(dir, 'a.hdr'), x, { dataType: 2 })).toThrow(/writeEnvi: samples must be integers in \[-32768, 32767\] for data type 2 \(int16\); got 1.5 at band 0, pixel 0/);
    const big = new Multichannel(Float64Array.from([70000, 2]), 1, 2);
    expect(() => writeEnvi(path.join(dir, 'a.hdr'), big, { dataType: 12 })).toThrow(ValueError);
    const nan = new Multichannel(Float64Array.from([NaN, 2]), 1, 2);
    expect(() => writeEnvi(path.join(dir, 'a.hdr'), nan, { dataType: 2 })).toThrow(/must not be NaN for integer data type 2/);
    writeEnvi(path.join(dir, 'b.hdr'), nan, { dataType: 2, dataIgnoreValue: -1 });
    const back = readEnvi(path.join(dir, 'b.hdr'));
    expect(Number.isNaN(back.data[0])).toBe(true);
    expect(back.data[1]).toBe(2);
    expect(fs.existsSync(path.join(dir, 'a.hdr'))).toBe(false);
  });
});

describe('real cubes (../shared/data/hyperspectral)', () => {
  it.skipIf(!samsonHdr || !samsonMat)('samson_bsq_f32 reads to exactly the float32 values of Samson.mat Y (column-major pixels), with wavelengths', () => {
    const e = readEnvi(samsonHdr!);
    const m = readMat(samsonMat!);
    const y = matToMultichannel(m.arrays.Y, { imageShape: [95, 95] });
    expect(e.channels).toBe(156);
    expect(e.shape).toEqual([95, 95]);
    let mismatches = 0;
    for (let i = 0; i < y.data.length; i++) if (Math.fround(y.data[i]) !== e.data[i]) mismatches++;
    expect(mismatches).toBe(0);
    // pixel p of the .mat is (row p mod 95, col floor(p/95)): check one by hand
    const p = 95 * 7 + 3; // row 3, col 7
    expect(e.data[10 * 9025 + 3 * 95 + 7]).toBe(Math.fround(m.arrays.Y.data[10 + p * 156]));
    expect(e.coords!.unit).toBe('nm');
    expect(e.coords!.values[0]).toBe(401);
    expect(e.coords!.values[155]).toBe(889);
  });

  it.skipIf(!moffettHdr || !moffettMat)('moffett_bil_i16_be (big endian) reads to exactly trunc(10000 · Moffett.mat Y), with wavelengths', () => {
    const e = readEnvi(moffettHdr!);
    const y = matToMultichannel(readMat(moffettMat!).arrays.Y, { imageShape: [50, 50] });
    expect(e.channels).toBe(184);
    expect(e.shape).toEqual([50, 50]);
    let mismatches = 0;
    let maxErr = 0;
    for (let i = 0; i < y.data.length; i++) {
      if (Math.trunc(y.data[i] * 10000) !== e.data[i]) mismatches++;
      maxErr = Math.max(maxErr, Math.abs(e.data[i] / 10000 - y.data[i]));
    }
    expect(mismatches).toBe(0);
    expect(maxErr).toBeLessThan(1e-4);
    expect(e.coords!.values[0]).toBe(400);
    expect(e.coords!.values[183]).toBe(2500);
  });

  it.skipIf(!samsonHdr)('a window of lines and a band subset equal the same part of the whole cube', () => {
    const whole = readEnvi(samsonHdr!);
    const part = readEnvi(samsonHdr!, { lines: [20, 31], bands: [5, 100, 155] });
    const N = 95 * 95;
    [5, 100, 155].forEach((b, j) => {
      for (let l = 20; l < 31; l++) for (let s = 0; s < 95; s++) expect(part.data[j * 11 * 95 + (l - 20) * 95 + s]).toBe(whole.data[b * N + l * 95 + s]);
    });
  });
});
