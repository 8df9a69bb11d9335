import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeMat, readMat, matToMultichannel } from '../../src/io/mat.js';
import { FormatError, FileError, isPointwiseError } from '../../src/core/index.js';
import { Rng, sharedData } from '../helpers/index.js';

const FIX = path.resolve(__dirname, '..', 'spectral', 'fixtures');
const expected = JSON.parse(fs.readFileSync(path.join(FIX, 'mat_expected.json'), 'utf8')) as Record<string, { dims: number[]; data?: number[]; class?: string; real?: number[]; imag?: number[] }>;

/** Builds a level-5 MAT-file by hand: one double matrix, in either byte order, optionally compressed. */
function handMade(opts: { le: boolean; compress?: boolean; dims: number[]; values: number[]; name?: string; lieBytes?: number }): Uint8Array {
  const le = opts.le;
  const tag = (type: number, bytes: number): Buffer => {
    const b = Buffer.alloc(8);
    if (le) { b.writeUInt32LE(type, 0); b.writeUInt32LE(bytes, 4); } else { b.writeUInt32BE(type, 0); b.writeUInt32BE(bytes, 4); }
    return b;
  };
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((8 - (b.length % 8)) % 8)]);
  const flags = Buffer.alloc(8);
  if (le) flags.writeUInt32LE(6, 0); else flags.writeUInt32BE(6, 0);
  const dims = Buffer.alloc(4 * opts.dims.length);
  opts.dims.forEach((d, i) => (le ? dims.writeInt32LE(d, 4 * i) : dims.writeInt32BE(d, 4 * i)));
  const name = Buffer.from(opts.name ?? 'A', 'latin1');
  const vals = Buffer.alloc(8 * opts.values.length);
  opts.values.forEach((v, i) => (le ? vals.writeDoubleLE(v, 8 * i) : vals.writeDoubleBE(v, 8 * i)));
  const body = Buffer.concat([tag(6, 8), flags, tag(5, dims.length), pad(dims), tag(1, name.length), pad(name), tag(9, opts.lieBytes ?? vals.length), pad(vals)]);
  let el = Buffer.concat([tag(14, body.length), body]);
  if (opts.compress) {
    const z = deflateSync(el);
    el = Buffer.concat([tag(15, z.length), z]);
  }
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, hand made', 0, 'latin1');
  header.writeUInt16LE(0, 116);
  if (le) { header.writeUInt16LE(0x0100, 124); header.write('IM', 126, 'latin1'); } else { header.writeUInt16BE(0x0100, 124); header.write('MI', 126, 'latin1'); }
  return new Uint8Array(Buffer.concat([header, el]));
}

describe('readMat on scipy-written fixtures (test/spectral/fixtures/make_mat_fixtures.py)', () => {
  for (const file of ['plain.mat', 'compressed.mat']) {
    it(`${file}: every numeric class, logical, 3-D, scalar, column-major data; cell/struct skipped`, () => {
      const m = readMat(path.join(FIX, file), { complex: 'split' });
      for (const [name, e] of Object.entries(expected)) {
        const a = m.arrays[name];
        expect(a, name).toBeDefined();
        expect(a.dims, name).toEqual(e.dims);
        if (e.data) {
          expect(Array.from(a.data), name).toEqual(e.data);
          expect(a.class, name).toBe(e.class);
        } else {
          expect(Array.from(a.data)).toEqual(e.real);
          expect(Array.from(a.imag!)).toEqual(e.imag);
        }
      }
      expect(m.skipped.map((s) => s.name).sort()).toEqual(['cellvar', 'st']);
      expect(m.skipped.find((s) => s.name === 'st')!.class).toBe('struct');
    });
  }

  it('rejects complex arrays by default, or keeps the real part when asked', () => {
    expect(() => readMat(path.join(FIX, 'plain.mat'))).toThrow(/decodeMat: complex arrays are not read unless options.complex is 'real' or 'split'; got complex double 'z'/);
    const m = readMat(path.join(FIX, 'plain.mat'), { complex: 'real' });
    expect(Array.from(m.arrays.z.data)).toEqual([1, 3]);
    expect(m.arrays.z.imag).toBeUndefined();
  });
});

describe('decodeMat on hand-made files', () => {
  for (const le of [true, false]) {
    for (const compress of [false, true]) {
      it(`${le ? 'little' : 'big'} endian, ${compress ? 'compressed' : 'plain'}`, () => {
        const m = decodeMat(handMade({ le, compress, dims: [2, 3], values: [1, 2, 3, 4, 5, -6.25] }));
        expect(m.arrays.A.dims).toEqual([2, 3]);
        expect(Array.from(m.arrays.A.data)).toEqual([1, 2, 3, 4, 5, -6.25]);
        expect(m.header).toBe('MATLAB 5.0 MAT-file, hand made');
      });
    }
  }

  it('matToMultichannel reorders column-major pixels to row-major and 3-D maps to channels', () => {
    // Y: 2 bands × 6 pixels of a 2 × 3 image; pixel p at (row p mod 2, col floor(p/2))
    const Y = { name: 'Y', class: 'double' as const, dims: [2, 6], complex: false, data: Float64Array.from({ length: 12 }, (_, i) => i) };
    const x = matToMultichannel(Y, { imageShape: [2, 3] });
    expect(x.shape).toEqual([2, 3]);
    // band 0 of pixel p is data[2p] = 2p; row-major position of p = (p%2)*3 + floor(p/2)
    expect(Array.from(x.channel(0))).toEqual([0, 4, 8, 2, 6, 10]);
    const S = { name: 'S', class: 'double' as const, dims: [2, 3, 2], complex: false, data: Float64Array.from({ length: 12 }, (_, i) => i) };
    const s = matToMultichannel(S);
    expect(s.channels).toBe(2);
    expect(Array.from(s.channel(1))).toEqual([6, 8, 10, 7, 9, 11]);
    expect(() => matToMultichannel(Y, { imageShape: [4, 4] })).toThrow(/matToMultichannel: imageShape must multiply to the pixel count 6; got \[4, 4\]/);
  });

  const bad: [string, () => Uint8Array, RegExp][] = [
    ['a short file', () => new Uint8Array(20), /decodeMat: a level-5 MAT-file must start with a 128-byte header; got 20 bytes/],
    ['a bad endian indicator', () => { const b = handMade({ le: true, dims: [1, 1], values: [1] }); b[126] = 0x41; return b; }, /endian indicator 'IM' or 'MI'/],
    ['v7.3 (HDF5)', () => { const b = handMade({ le: true, dims: [1, 1], values: [1] }); b[124] = 0; b[125] = 2; return b; }, /v7.3 \(HDF5\) is not supported/],
    ['data that lies about its size', () => handMade({ le: true, dims: [1000, 1000], values: [1, 2] }), /must hold dims product × element size = 1000000 × 8 = 8000000 bytes; got 16 bytes/],
    ['an element longer than the file', () => handMade({ le: true, dims: [1, 2], values: [1, 2], lieBytes: 2 ** 31 }), /declared size is larger than the bytes left/],
    ['a truncated compressed stream', () => handMade({ le: true, compress: true, dims: [4, 4], values: Array.from({ length: 16 }, (_, i) => i) }).subarray(0, 150), /./],
    ['a corrupt compressed stream', () => { const b = handMade({ le: true, compress: true, dims: [1, 2], values: [1, 2] }); b.fill(7, 136, 150); return b; }, /a compressed element must be a valid zlib stream/],
  ];
  for (const [label, make, re] of bad) {
    it(`rejects ${label} with a FormatError`, () => {
      const bytes = make();
      expect(() => decodeMat(bytes)).toThrow(FormatError);
      expect(() => decodeMat(bytes)).toThrow(re);
    });
  }

  it('caps decompression (maxDecompressedBytes)', () => {
    const b = handMade({ le: true, compress: true, dims: [100, 100], values: new Array(10000).fill(0) });
    expect(() => decodeMat(b, { maxDecompressedBytes: 1000 })).toThrow(/must fit in options.maxDecompressedBytes = 1000 bytes/);
  });

  it('seeded mutations (seed 9, 300 cases) either parse or throw a pointwise error', () => {
    const rng = new Rng(9);
    const seeds = [handMade({ le: true, dims: [3, 3], values: Array.from({ length: 9 }, (_, i) => i) }), handMade({ le: false, compress: true, dims: [3, 3], values: Array.from({ length: 9 }, (_, i) => i) }), new Uint8Array(fs.readFileSync(path.join(FIX, 'compressed.mat')))];
    for (let t = 0; t < 300; t++) {
      const src = seeds[t % seeds.length];
      const b = Uint8Array.from(src);
      const flips = rng.int(1, 6);
      for (let f = 0; f < flips; f++) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
      const cut = rng.next() < 0.3 ? b.subarray(0, rng.int(0, b.length)) : b;
      try {
        decodeMat(cut, { complex: 'split' });
      } catch (err) {
        if (!isPointwiseError(err)) throw new Error(`seed 9 case ${t}: non-pointwise error ${(err as Error).message}`);
      }
    }
  });

  it('readMat names the path when the file is missing', () => {
    expect(() => readMat('/nonexistent/x.mat')).toThrow(FileError);
  });
});

const samsonMat = sharedData('hyperspectral/Samson.mat');
describe('real MAT files', () => {
  it.skipIf(!samsonMat)('Samson.mat: Y 156 × 9025, GT 3 × 156, S_GT 95 × 95 × 3 whose abundances sum to 1', () => {
    const m = readMat(samsonMat!);
    expect(m.arrays.Y.dims).toEqual([156, 9025]);
    expect(m.arrays.GT.dims).toEqual([3, 156]);
    expect(m.arrays.S_GT.dims).toEqual([95, 95, 3]);
    const s = matToMultichannel(m.arrays.S_GT);
    let worst = 0;
    for (let p = 0; p < s.length; p++) worst = Math.max(worst, Math.abs(s.data[p] + s.data[s.length + p] + s.data[2 * s.length + p] - 1));
    expect(worst).toBeLessThan(1e-6);
  });
});
