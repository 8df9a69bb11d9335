/**
 * Zarr reader/writer (src/io/zarr.ts). Fixtures by scripts/fixtures/make_zarr.py: v2 arrays written
 * by zarr-python 2.13, v3 arrays written by hand to the v3 spec; <name>.npy holds what numpy reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FileError, FormatError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { readNpy } from '../../src/io/npy.js';
import { ZarrReader, ZarrWriter, readZarr, readZarrLines, writeZarr, zarrChunkSource } from '../../src/io/zarr.js';
import { GeoTiffReader, readGeoTiff } from '../../src/io/geotiff.js';
import { pca, pcaStream } from '../../src/spectral/pca.js';
import { REPO_ROOT, Rng, expectClose, tempDir } from '../helpers/index.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/zarr');
const fix = (n: string) => path.join(FIX, n);
const ref = (n: string) => readNpy(fix(`${n}.npy`)).data;

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(a[i], `index ${i}`).toBe(b[i]);
}

describe('readZarr vs zarr-python / numpy', () => {
  it('v2 float32 zlib cube: values, [rows, cols], wavelengths, missing all-fill chunks', () => {
    const x = readZarr(fix('v2_cube.zarr'));
    expect(x.channels).toBe(5);
    expect(x.shape).toEqual([13, 11]);
    sameBits(x.data, ref('v2_cube'));
    expect(Array.from(x.coords!.values)).toEqual([450, 550, 650, 750, 850.5]);
    expect(x.coords!.unit).toBe('nm');
    expect(fs.existsSync(fix('v2_cube.zarr/0.2.2'))).toBe(false); // read as the fill value -1
    expect(x.data[12 * 11 + 10]).toBe(-1);
  });

  it('v2 big-endian int16, Fortran-order chunks, no compressor: [channels, samples] with sample_rate', () => {
    const x = readZarr(fix('v2_be_f.zarr'));
    expect([x.channels, x.length, x.sampleRate]).toEqual([3, 50, 8000]);
    sameBits(x.data, ref('v2_be_f'));
  });

  it("v2 uint8 gzip with '/' dimension separator", () => {
    const x = readZarr(fix('v2_u8_nested.zarr'));
    expect([x.channels, x.length]).toEqual([3, 13]);
    sameBits(x.data, ref('v2_u8_nested'));
  });

  it('v3 float64 bytes+gzip cube (default chunk keys, absent chunks), wavelengths in micrometers → nm', () => {
    const x = readZarr(fix('v3_cube.zarr'));
    expect(x.channels).toBe(4);
    expect(x.shape).toEqual([9, 7]);
    sameBits(x.data, ref('v3_cube'));
    expect(Array.from(x.coords!.values)).toEqual([1.1, 1.2, 1.3, 1.4].map((v) => v * 1000));
  });

  it('v3 big-endian int32, v2 chunk key encoding', () => {
    const x = readZarr(fix('v3_i32_be.zarr'));
    expect([x.channels, x.length]).toEqual([2, 21]);
    sameBits(x.data, ref('v3_i32_be'));
  });

  it("zarr-python's default Blosc(lz4, shuffle): small memcpyed chunks and a chunk split in typesize streams", () => {
    sameBits(readZarr(fix('v2_blosc.zarr')).data, ref('v2_blosc'));
    const x = readZarr(fix('v2_blosc_big.zarr'));
    expect([x.channels, x.length]).toEqual([2, 60 * 170]);
    sameBits(x.data, ref('v2_blosc_big'));
  });

  it('Blosc: two blocks, the second a leftover block', () => {
    const x = readZarr(fix('v2_blosc_blocks.zarr'));
    expect(x.length).toBe(250000);
    for (let i = 0; i < x.length; i++) if (x.data[i] !== i % 1000) expect(x.data[i], `index ${i}`).toBe(i % 1000);
  });

  it('Blosc(zlib, no shuffle) reads; bit shuffle is a FormatError naming it', () => {
    sameBits(readZarr(fix('v2_blosc_zlib.zarr')).data, ref('v2_blosc_zlib'));
    expect(() => readZarr(fix('v2_blosc_bitshuffle.zarr'))).toThrow(/readZarr: each Blosc chunk must not use bit shuffle .*; got bit shuffle in "0.0"/);
  });
});

describe('windows read only the chunks they overlap', () => {
  it('random boxes of the v2 cube equal numpy slicing', () => {
    const full = ref('v2_cube');
    const rng = new Rng(5);
    for (let trial = 0; trial < 40; trial++) {
      const z = ZarrReader.open(fix('v2_cube.zarr'));
      const dims = [5, 13, 11];
      const lo = dims.map((d) => rng.int(0, d - 1));
      const hi = lo.map((l, i) => rng.int(l + 1, dims[i]));
      const got = z.readRegion(lo, hi);
      const want: number[] = [];
      for (let b = lo[0]; b < hi[0]; b++) for (let r = lo[1]; r < hi[1]; r++) for (let c = lo[2]; c < hi[2]; c++) want.push(full[(b * 13 + r) * 11 + c]);
      sameBits(got, want);
    }
  });

  it('readLines of rows 4..7 decodes exactly the 9 chunks of chunk row 1', () => {
    const z = ZarrReader.open(fix('v2_cube.zarr'));
    const x = z.readLines(4, 4);
    expect(z.chunksRead).toBe(9);
    const full = readZarr(fix('v2_cube.zarr'));
    expect(x.shape).toEqual([4, 11]);
    for (let b = 0; b < 5; b++) sameBits(x.data.subarray(b * 44, (b + 1) * 44), full.data.subarray(b * 143 + 44, b * 143 + 88));
    expect(Array.from(readZarrLines(fix('v2_cube.zarr'), 4, 4).data)).toEqual(Array.from(x.data));
  });

  it('a 64-line window of a 512-line tiled cube reads 1/8 of the chunk bytes', () => {
    const dir = tempDir();
    try {
      const rng = new Rng(9);
      const x = Multichannel.zeros(3, 512 * 256, { shape: [512, 256] });
      for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
      writeZarr(path.join(dir, 'big.zarr'), x, { chunks: [3, 64, 64], compressor: 'none' });
      const z = ZarrReader.open(path.join(dir, 'big.zarr'));
      const w = z.readLines(128, 64);
      expect(z.chunksRead).toBe(4); // 1 band chunk × 1 row chunk × 4 column chunks, of 32
      expect(z.bytesRead).toBe(4 * 3 * 64 * 64 * 8);
      sameBits(w.data.subarray(0, 64 * 256), x.data.subarray(128 * 256, 192 * 256));
      const z2 = ZarrReader.open(path.join(dir, 'big.zarr'));
      z2.readRegion([1, 100, 70], [2, 101, 130]);
      expect(z2.chunksRead).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeZarr → readZarr round trips bit-exactly', () => {
  const rng = new Rng(3);
  const cube = Multichannel.zeros(4, 10 * 7, { shape: [10, 7] });
  for (let i = 0; i < cube.data.length; i++) cube.data[i] = rng.normal() * 1e3;
  cube.data[5] = -0;
  cube.data[6] = NaN;
  cube.data[7] = Infinity;
  const withWl = new Multichannel(cube.data, 4, 70, { shape: [10, 7], coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.from([400, 500, 600, 700]) } });
  const sig = Multichannel.zeros(2, 33, { sampleRate: 48000 });
  for (let i = 0; i < sig.data.length; i++) sig.data[i] = rng.uniform(-1, 1);
  const cases: [string, Multichannel, Parameters<typeof writeZarr>[2]][] = [
    ['v2 zlib cube, uneven chunks', withWl, { chunks: [3, 4, 3] }],
    ['v2 gzip', cube, { compressor: 'gzip', chunks: [1, 10, 7] }],
    ['v2 none', cube, { compressor: 'none' }],
    ['v3 gzip cube, uneven chunks', withWl, { zarrFormat: 3, chunks: [2, 3, 5] }],
    ['v3 none', cube, { zarrFormat: 3, compressor: 'none', chunks: [4, 1, 1] }],
    ['v2 signal with sampleRate', sig, { chunks: [2, 8] }],
    ['v3 signal', sig, { zarrFormat: 3, chunks: [1, 32] }],
  ];
  for (const [name, x, opts] of cases) {
    it(name, () => {
      const dir = tempDir();
      try {
        const p = path.join(dir, 'a.zarr');
        writeZarr(p, x, opts);
        const y = readZarr(p);
        sameBits(y.data, x.data);
        expect(y.shape).toEqual(x.shape);
        expect(y.sampleRate).toBe(x.sampleRate);
        expect(y.coords?.values).toEqual(x.coords?.values);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('bad write options are ValueErrors naming what was given', () => {
    const dir = tempDir();
    try {
      const p = path.join(dir, 'a.zarr');
      expect(() => writeZarr(p, cube, { chunks: [4, 10] })).toThrow(/writeZarr: options.chunks must be 3 integers ≥ 1 \(the array is \[4, 10, 7\]\); got an array of length 2/);
      expect(() => writeZarr(p, cube, { chunks: [4, 0, 7] })).toThrow(ValueError);
      expect(() => writeZarr(p, cube, { zarrFormat: 3, compressor: 'zlib' })).toThrow(/for v3/);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('float32 storage rounds to float32; existing output needs overwrite', () => {
    const dir = tempDir();
    try {
      const p = path.join(dir, 'a.zarr');
      writeZarr(p, cube, { dataType: 'float32', zarrFormat: 3 });
      sameBits(readZarr(p).data, Float32Array.from(cube.data));
      expect(() => writeZarr(p, cube)).toThrow(FileError);
      writeZarr(p, sig, { overwrite: true });
      sameBits(readZarr(p).data, sig.data);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ZarrWriter: line blocks in, the same array out', () => {
  it.each([2, 3] as const)('v%i: uneven blocks across chunk rows equal writeZarr and read back bit-exactly', (fmt) => {
    const dir = tempDir();
    try {
      const rng = new Rng(17);
      const x = Multichannel.zeros(3, 23 * 9, { shape: [23, 9] });
      for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
      const w = new ZarrWriter(path.join(dir, 'w.zarr'), { bands: 3, lines: 23, cols: 9 }, { zarrFormat: fmt, chunks: [2, 5, 4] });
      for (const [s, n] of [[0, 1], [1, 7], [8, 0], [8, 10], [18, 5]]) {
        const part = new Float64Array(3 * n * 9);
        for (let b = 0; b < 3; b++) part.set(x.data.subarray(b * 207 + s * 9, b * 207 + (s + n) * 9), b * n * 9);
        w.write(new Multichannel(part, 3, n * 9, { shape: [n, 9] }));
      }
      expect(w.linesWritten).toBe(23);
      w.commit();
      sameBits(readZarr(path.join(dir, 'w.zarr')).data, x.data);
      writeZarr(path.join(dir, 'v.zarr'), x, { zarrFormat: fmt, chunks: [2, 5, 4] });
      const files = (d: string) => fs.readdirSync(d, { recursive: true }).map(String).sort();
      expect(files(path.join(dir, 'w.zarr'))).toEqual(files(path.join(dir, 'v.zarr')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wrong block shapes and a short total are ShapeErrors; nothing is left behind', () => {
    const dir = tempDir();
    try {
      const target = path.join(dir, 'w.zarr');
      const w = new ZarrWriter(target, { bands: 2, lines: 4, cols: 3 });
      expect(() => w.write(Multichannel.zeros(2, 6, { shape: [3, 2] }))).toThrow(/ZarrWriter.write: x must be 2 bands × \[lines, 3\]/);
      w.write(Multichannel.zeros(2, 6, { shape: [2, 3] }));
      expect(() => w.write(Multichannel.zeros(2, 9, { shape: [3, 3] }))).toThrow(/must not exceed layout.lines = 4; got 2 \+ 3/);
      expect(() => w.commit()).toThrow(/exactly layout.lines = 4 lines must be written; got 2/);
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(() => w.write(Multichannel.zeros(2, 6, { shape: [2, 3] }))).toThrow(FileError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Zarr cubes stream through pcaStream', () => {
  it('a GeoTIFF converted block by block (GeoTiffReader.chunks → ZarrWriter) gives pca of the raster', async () => {
    const dir = tempDir();
    try {
      const tif = path.join(REPO_ROOT, 'test/fixtures/geotiff/tiled_band.tif');
      const r = await GeoTiffReader.open(tif);
      const w = new ZarrWriter(path.join(dir, 'c.zarr'), { bands: r.info.bands, lines: r.info.height, cols: r.info.width, coords: r.info.wavelengths }, { chunks: [r.info.bands, 32, 64] });
      try {
        for await (const { cube } of r.chunks(20)) w.write(cube);
      } finally {
        r.close();
      }
      w.commit();
      const src = zarrChunkSource(path.join(dir, 'c.zarr'));
      const a = pca(await readGeoTiff(tif), 2);
      const b = pcaStream(src.chunks, src.bands, 2);
      expectClose(b.components, a.components, { atol: 1e-9 });
      expect(Array.from(readZarr(path.join(dir, 'c.zarr')).coords!.values)).toEqual([470, 551.5, 640.25]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });


  it('zarrChunkSource gives the model pca gives on the whole cube', () => {
    const whole = readZarr(fix('v2_cube.zarr'));
    const src = zarrChunkSource(fix('v2_cube.zarr'), { linesPerChunk: 3 });
    expect(src.bands).toBe(5);
    const a = pca(whole, 3);
    const b = pcaStream(src.chunks, src.bands, 3);
    expectClose(b.components, a.components, { atol: 1e-10 });
    expectClose(b.explainedVariance, a.explainedVariance, { rtol: 1e-12 });
    expectClose(b.mean, a.mean, { atol: 1e-12 });
  });

  it('bandAxis 2 reads [rows, cols, bands] as planar bands', () => {
    const dir = tempDir();
    try {
      const p = path.join(dir, 'rsb.zarr');
      fs.mkdirSync(path.join(p, 'c', '0', '0'), { recursive: true });
      const meta = { zarr_format: 3, node_type: 'array', shape: [3, 4, 2], data_type: 'int16', chunk_grid: { name: 'regular', configuration: { chunk_shape: [3, 4, 2] } }, chunk_key_encoding: { name: 'default' }, fill_value: 0, codecs: [{ name: 'bytes', configuration: { endian: 'little' } }] };
      fs.writeFileSync(path.join(p, 'zarr.json'), JSON.stringify(meta));
      const v = Int16Array.from({ length: 24 }, (_, i) => i * 10 - 50);
      fs.writeFileSync(path.join(p, 'c', '0', '0', '0'), new Uint8Array(v.buffer));
      const x = readZarr(p, { bandAxis: 2 });
      expect([x.channels, x.length, x.shape]).toEqual([2, 12, [3, 4]]);
      for (let t = 0; t < 12; t++) for (let b = 0; b < 2; b++) expect(x.data[b * 12 + t]).toBe(v[t * 2 + b]);
      expect(readZarrLines(p, 1, 2, { bandAxis: 2 }).data[0]).toBe(v[8]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile Zarr input', () => {
  function withArray(edit: (p: string) => void, f: (p: string) => void): void {
    const dir = tempDir();
    try {
      const p = path.join(dir, 'a.zarr');
      fs.cpSync(fix('v2_cube.zarr'), p, { recursive: true });
      edit(p);
      f(p);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const zarray = (p: string, patch: Record<string, unknown>) => {
    const m = JSON.parse(fs.readFileSync(path.join(p, '.zarray'), 'utf8'));
    fs.writeFileSync(path.join(p, '.zarray'), JSON.stringify({ ...m, ...patch }));
  };

  it.each([
    ['truncated chunk', (p: string) => fs.writeFileSync(path.join(p, '0.0.0'), fs.readFileSync(path.join(p, '0.0.0')).subarray(0, 50)), FormatError, /inflate/],
    ['garbage chunk', (p: string) => fs.writeFileSync(path.join(p, '0.0.0'), Buffer.from('not zlib at all')), FormatError, /inflate/],
    ['chunk inflating to more than its size', (p: string) => fs.writeFileSync(path.join(p, '0.0.0'), zlib.deflateSync(new Uint8Array(200))), FormatError, /inflate to its 128 bytes/],
    ['chunk inflating to less', (p: string) => fs.writeFileSync(path.join(p, '0.0.0'), zlib.deflateSync(new Uint8Array(100))), FormatError, /must hold 128 bytes/],
    ['bad JSON', (p: string) => fs.writeFileSync(path.join(p, '.zarray'), '{"zarr_format": 2, "shape": ['), FormatError, /valid JSON/],
    ['negative shape', (p: string) => zarray(p, { shape: [5, -13, 11] }), FormatError, /shape must be a list/],
    ['fractional chunks', (p: string) => zarray(p, { chunks: [2, 4.5, 4] }), FormatError, /chunks must be a list/],
    ['chunk rank mismatch', (p: string) => zarray(p, { chunks: [2, 4] }), FormatError, /one entry per dimension/],
    ['huge declared shape', (p: string) => zarray(p, { shape: [5, 2 ** 40, 11] }), ShapeError, /must fit in options.maxBytes/],
    ['huge declared chunk', (p: string) => zarray(p, { chunks: [2, 2 ** 40, 4] }), ShapeError, /a decoded chunk/],
    ['zero bands', (p: string) => zarray(p, { shape: [0, 13, 11] }), ShapeError, /at least one channel/],
    ['blosc frame with a lying size', (p: string) => {
      const f = path.join(p, '0.0.0');
      fs.writeFileSync(path.join(p, '.zarray'), fs.readFileSync(path.join(FIX, 'v2_blosc.zarr/.zarray'), 'utf8').replace(/"shape": \[[^\]]*\]/, '"shape": [5, 13, 11]').replace(/"chunks": \[[^\]]*\]/, '"chunks": [2, 4, 4]').replace('<f8', '<f4'));
      const b = new Uint8Array(fs.readFileSync(path.join(FIX, 'v2_blosc_big.zarr/0.0.0')));
      fs.writeFileSync(f, b);
    }, FormatError, /hold the chunk's 128 bytes; got 40800 declared/],
    ['unknown dtype', (p: string) => zarray(p, { dtype: '<c16' }), FormatError, /dtype must be one of/],
    ['filters', (p: string) => zarray(p, { filters: [{ id: 'delta' }] }), FormatError, /filters are not supported/],
  ] as const)('%s', (_name, edit, cls, pattern) => {
    withArray(edit, (p) => {
      expect(() => readZarr(p)).toThrow(cls);
      expect(() => readZarr(p)).toThrow(pattern);
    });
  });

  it('a missing folder is a FileError; a folder without metadata a FormatError', () => {
    expect(() => readZarr(path.join(FIX, 'nope.zarr'))).toThrow(FileError);
    expect(() => readZarr(FIX)).toThrow(/must hold zarr.json \(v3\) or .zarray \(v2\)/);
  });

  it('ranges outside the array are ValueErrors', () => {
    const z = ZarrReader.open(fix('v2_cube.zarr'));
    expect(() => z.readLines(10, 4)).toThrow(ValueError);
    expect(() => z.readRegion([0, 0, 0], [6, 1, 1])).toThrow(ValueError);
  });
});
