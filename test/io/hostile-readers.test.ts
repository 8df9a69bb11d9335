/**
 * Issue 19, hostile inputs: one test per class of failure, each failing on the code before the fix.
 * The crafted inputs come from test/io/hostile-inputs.ts (shared with the bounded-resources test
 * and the fuzzers' seeds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError, isPointwiseError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { decodeMat, matToMultichannel, readMat } from '../../src/io/mat.js';
import { decodeNpy, readNpy } from '../../src/io/npy.js';
import { parseEnviHeader, readEnvi, readEnviHeader, writeEnvi } from '../../src/spectral/envi.js';
import { tempDir } from '../helpers/index.js';
import { enviHeader, f64, matBombs, matFile, matLyingCompressed, matMatrix, npyFile, unclosedBraceHeader, writeCase } from './hostile-inputs.js';

describe('allocation before validation', () => {
  it('readEnvi: bands = 2^31−1 over a sparse 2 GiB file is a ShapeError naming the size and maxBytes, before allocating', () => {
    const dir = tempDir('pointwise-hostile-');
    const hdr = writeCase(dir, { name: '', reader: 'readEnvi', main: 'a.hdr', files: { 'a.hdr': enviHeader(1, 1, 2 ** 31 - 1), 'a.img': { sparse: 2 ** 31 } } });
    expect(() => readEnvi(hdr)).toThrow(ShapeError);
    expect(() => readEnvi(hdr)).toThrow(/^readEnvi: the result \(2147483647 bands × 1 lines × 1 samples × 8 bytes\) plus the raw read \(1 bytes\) must fit in options\.maxBytes = 2147483648 bytes \(raise options\.maxBytes to allow more\); got 17179869177 bytes$/);
    // a window within the budget reads
    const x = readEnvi(hdr, { bands: [5, 7] });
    expect([x.channels, x.length]).toEqual([2, 1]);
  });

  it('readEnvi: a budget smaller than the cube is an error; raising it reads the cube', () => {
    const dir = tempDir('pointwise-hostile-');
    const hdr = path.join(dir, 'c.hdr');
    writeEnvi(hdr, new Multichannel(Float64Array.from({ length: 24 }, (_, i) => i), 2, 12, { shape: [3, 4] }));
    expect(() => readEnvi(hdr, { maxBytes: 100 })).toThrow(/must fit in options\.maxBytes = 100 bytes/);
    expect(Array.from(readEnvi(hdr, { maxBytes: 1000 }).data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('matToMultichannel: dims [0, 2^31−1, 2^31−1] is a ShapeError at once (no 10^18-iteration loop)', () => {
    const m = decodeMat(matFile([matMatrix('A', [0, 2 ** 31 - 1, 2 ** 31 - 1], Buffer.alloc(0))]));
    const t0 = performance.now();
    expect(() => matToMultichannel(m.arrays.A)).toThrow(/^matToMultichannel: the dimensions must multiply to the number of values \(0\), at least one; got \[0, 2147483647, 2147483647\]$/);
    expect(performance.now() - t0).toBeLessThan(100);
    // dims that do not match the data are refused too
    expect(() => matToMultichannel({ ...m.arrays.A, dims: [2, 2], data: new Float64Array(3) })).toThrow(ShapeError);
  });
});

describe('decompression bombs', () => {
  it('decodeMat caps the whole file: ten elements under the old per-element cap exceed the file budget', () => {
    const b = matBombs(10, 1 << 15); // 10 × 256 KiB inflated, each under a 1 MiB per-element cap
    expect(() => decodeMat(b, { maxDecompressedBytes: 1 << 20 })).toThrow(ShapeError);
    expect(() => decodeMat(b, { maxDecompressedBytes: 1 << 20 })).toThrow(/^decodeMat: the inflated elements \(so far 786624 bytes, plus 262208 declared at offset \d+\) must fit in options\.maxDecompressedBytes = 1048576 bytes \(raise options\.maxDecompressedBytes to allow more\); got 1048832 bytes$/);
    expect(Object.keys(decodeMat(b, { maxDecompressedBytes: 4 << 20 }).arrays)).toHaveLength(10);
  });

  it("decodeMat refuses an element whose declared size deflate cannot produce from its bytes, before inflating", () => {
    expect(() => decodeMat(matLyingCompressed(0xfffffff0))).toThrow(/^decodeMat: a compressed element's content must be no larger than deflate can produce from its \d+ bytes \(\d+\); got 4294967288 bytes declared at offset 128$/);
  });

  it('decodeMat checks the decoded size (dims × 8 bytes) against maxBytes before inflating', () => {
    const b = matBombs(1, 1 << 16);
    expect(() => decodeMat(b, { maxBytes: 1 << 16 })).toThrow(/^decodeMat: the decoded arrays \(so far 0 bytes, plus 65536 values × 8 bytes declared at offset 128\) must fit in options\.maxBytes = 65536 bytes/);
  });
});

describe('super-linear parsing', () => {
  it('parseEnviHeader: a 5 MB header with an unclosed brace fails in one pass (well under a second)', () => {
    const text = Buffer.from(unclosedBraceHeader(5_000_000)).toString('latin1');
    const t0 = performance.now();
    expect(() => parseEnviHeader(text)).toThrow(/^parseEnviHeader: the braced value of 'description' \(line 7\) must be closed with '\}'; got end of header$/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('parseEnviHeader: braced values spanning lines still parse (text after the brace ignored)', () => {
    const h = parseEnviHeader('ENVI\nsamples = 1\nlines = 1\nbands = 3\ndata type = 4\ninterleave = bsq\nwavelength = {\n 400,\n 500,\n 600 } ignored\ndescription = {one line}\n');
    expect(Array.from(h.wavelength!)).toEqual([400, 500, 600]);
    expect(h.description).toBe('one line');
  });

  it('readEnviHeader: a header file over 1 MiB is a FormatError naming its size', () => {
    const dir = tempDir('pointwise-hostile-');
    const p = path.join(dir, 'big.hdr');
    fs.writeFileSync(p, unclosedBraceHeader(2_000_000));
    expect(() => readEnviHeader(p)).toThrow(/^readEnviHeader: an ENVI header must be a text file of at most 1048576 bytes \(1 MiB\); got \d+ bytes in ".*big\.hdr"$/);
  });
});

describe('unaligned data offsets', () => {
  for (const [descr, bytes, mod] of [['<f8', f64(6), 4], ['<f8', f64(6), 2], ['<f4', new Uint8Array(Float32Array.from([0, 1, 2, 3, 4, 5]).buffer), 2], ['<i8', new Uint8Array(BigInt64Array.from([0n, 1n, 2n, 3n, 4n, -5n]).buffer), 4], ['<i2', new Uint8Array(Int16Array.from([0, 1, 2, 3, 4, -5]).buffer), 1]] as const) {
    it(`readNpy reads ${descr} data starting at an offset ≡ ${mod} (mod 64), as numpy does`, () => {
      const file = npyFile(`{'descr': '${descr}', 'fortran_order': False, 'shape': (2, 3), }`, bytes, mod);
      const dir = tempDir('pointwise-hostile-');
      fs.writeFileSync(path.join(dir, 'u.npy'), file);
      const want = descr === '<f8' || descr === '<f4' ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 3, 4, -5];
      expect(Array.from(readNpy(path.join(dir, 'u.npy')).data)).toEqual(want);
      expect(Array.from(decodeNpy(Buffer.from(file)).data)).toEqual(want);
    });
  }
});

describe('MAT names and messages', () => {
  it("a variable named '__proto__' is an ordinary entry and shadows nothing", () => {
    const m = decodeMat(matFile([matMatrix('__proto__', [1, 2], Buffer.from(new Float64Array([1, 2]).buffer)), matMatrix('B', [1, 1], Buffer.from(new Float64Array([3]).buffer))]));
    expect(Object.keys(m.arrays).sort()).toEqual(['B', '__proto__']);
    expect(Array.from(m.arrays['__proto__'].data)).toEqual([1, 2]);
    expect(m.arrays['data' as string]).toBeUndefined();
    expect(m.arrays['dims' as string]).toBeUndefined();
    expect(Array.from(m.arrays.B.data)).toEqual([3]);
  });

  it('two variables with one name are a FormatError', () => {
    const one = matMatrix('A', [1, 1], Buffer.from(new Float64Array([3]).buffer));
    expect(() => decodeMat(matFile([one, one]))).toThrow(/^decodeMat: variable names must be unique; got "A"$/);
  });

  it('readMat errors name the file', () => {
    const dir = tempDir('pointwise-hostile-');
    const p = path.join(dir, 'lying.mat');
    fs.writeFileSync(p, matLyingCompressed(0xfffffff0));
    let err: unknown = null;
    try {
      readMat(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect(isPointwiseError(err)).toBe(true);
    expect((err as Error).message).toContain(JSON.stringify(p));
  });
});

describe('writeEnvi: a header never pairs silently with another write’s data', () => {
  const cube = (v: number) => new Multichannel(Float64Array.from({ length: 12 }, (_, i) => i + v), 2, 6, { shape: [2, 3] });

  it('new data under the old header (a write interrupted between the two renames) is a FormatError', () => {
    const dir = tempDir('pointwise-pair-');
    const hdr = path.join(dir, 'c.hdr');
    writeEnvi(hdr, cube(0));
    const oldHeader = fs.readFileSync(hdr);
    writeEnvi(hdr, cube(100)); // same size, same shape: only the values differ
    fs.writeFileSync(hdr, oldHeader); // as if killed after the data rename, before the header rename
    expect(() => readEnvi(hdr)).toThrow(FormatError);
    expect(() => readEnvi(hdr)).toThrow(/^readEnvi: the data file must be the one written with this header \(the header records CRC-32 [0-9a-f]{8}; .*\); got CRC-32 [0-9a-f]{8} in ".*c\.img"$/);
  });

  it('a data file of another size is a FormatError; a copied pair (new inode) still reads', () => {
    const dir = tempDir('pointwise-pair-');
    const hdr = path.join(dir, 'c.hdr');
    writeEnvi(hdr, cube(0));
    const copy = path.join(dir, 'copy.hdr');
    fs.copyFileSync(hdr, copy);
    fs.copyFileSync(path.join(dir, 'c.img'), path.join(dir, 'copy.img'));
    expect(Array.from(readEnvi(copy).data)).toEqual(Array.from(cube(0).data));
    fs.appendFileSync(path.join(dir, 'copy.img'), Buffer.alloc(8));
    expect(() => readEnvi(copy)).toThrow(/the header records 96 bytes.*; got 104 bytes/);
  });
});
