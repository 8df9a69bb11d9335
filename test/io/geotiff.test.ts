/**
 * GeoTIFF reader (src/io/geotiff.ts) against GDAL 3.6: fixtures by scripts/fixtures/make_geotiff.py;
 * <name>.npy is GDAL's ReadAsArray, <name>.json the metadata GDAL reports.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, FormatError, ShapeError, ValueError, isPointwiseError } from '../../src/core/errors.js';
import { GeoTiffReader, decodeGeoTiff, readGeoTiff, readGeoTiffInfo } from '../../src/io/geotiff.js';
import { readNpy } from '../../src/io/npy.js';
import { REPO_ROOT } from '../helpers/index.js';
import { tiff } from './crafted-formats.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/geotiff');
const fix = (n: string) => path.join(FIX, n);
const gdalMeta = (n: string) => JSON.parse(fs.readFileSync(fix(`${n}.json`), 'utf8'));

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(a[i], `index ${i}`).toBe(b[i]);
}

describe('readGeoTiff vs GDAL ReadAsArray', () => {
  for (const name of ['envi_bands', 'tiled_pixel', 'tiled_band', 'plain']) {
    it(`${name}: values, bands, [rows, cols] and block layout equal GDAL's`, async () => {
      const m = gdalMeta(name);
      const x = await readGeoTiff(fix(`${name}.tif`));
      expect(x.channels).toBe(m.bands.length);
      expect(x.shape).toEqual([m.height, m.width]);
      if (fs.existsSync(fix(`${name}.npy`))) sameBits(x.data, readNpy(fix(`${name}.npy`)).data);
      const bytes = new Uint8Array(Float64Array.from(x.data).buffer);
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(m.sha256Float64);
      const info = await readGeoTiffInfo(fix(`${name}.tif`));
      expect([info.width, info.height, info.bands]).toEqual([m.width, m.height, m.bands.length]);
      expect(info.blockSize).toEqual([m.bands[0].block[1], m.bands[0].block[0]]);
      expect(info.dataType).toBe({ Float32: 'float32', Int16: 'int16', UInt16: 'uint16', Byte: 'uint8' }[m.bands[0].dataType as string]);
      expect(info.nodata ?? null).toBe(m.bands[0].nodata);
      // GDAL reports [0, 1, 0, 0, 0, 1] for a file without one.
      expect(info.geoTransform ?? null).toEqual(m.geoTransform.join() === '0,1,0,0,0,1' ? null : m.geoTransform);
    });
  }

  it('ENVI → gdal_translate: band metadata wavelength/wavelength_units (micrometers → nm), nodata, EPSG', async () => {
    const x = await readGeoTiff(fix('envi_bands.tif'));
    expect(x.coords?.name).toBe('wavelength');
    expect(x.coords?.unit).toBe('nm');
    expect(Array.from(x.coords!.values)).toEqual([0.45, 0.55, 0.65, 0.865].map((v) => v * 1000));
    const info = await readGeoTiffInfo(fix('envi_bands.tif'));
    expect(info.nodata).toBe(-9999);
    expect(info.epsg).toBe(32633);
    expect(x.data[0]).toBe(-9999);
  });

  it('wavelength items set per band (nm), and ENVI-style descriptions "Band 2 (551.5 nm)"', async () => {
    expect(Array.from((await readGeoTiff(fix('tiled_pixel.tif'))).coords!.values)).toEqual([480, 560, 660]);
    const info = await readGeoTiffInfo(fix('tiled_band.tif'));
    expect(info.descriptions).toEqual(gdalMeta('tiled_band').bands.map((b: { description: string }) => b.description));
    expect(Array.from(info.wavelengths!.values)).toEqual([470, 551.5, 640.25]);
    expect(info.planarConfiguration).toBe(2);
    expect((await readGeoTiffInfo(fix('plain.tif'))).wavelengths).toBeUndefined();
  });

  for (const name of ['tiled_pixel', 'tiled_band']) {
    it(`${name}: the window GDAL read equals ours`, async () => {
      const [r0, c0, r1, c1] = gdalMeta(name).window;
      const x = await readGeoTiff(fix(`${name}.tif`), { window: { rows: [r0, r1], cols: [c0, c1] } });
      expect(x.shape).toEqual([r1 - r0, c1 - c0]);
      sameBits(x.data, readNpy(fix(`${name}.window.npy`)).data);
    });
  }

  it('float32 output and decodeGeoTiff(bytes) agree with readGeoTiff', async () => {
    const a = await readGeoTiff(fix('tiled_band.tif'));
    const b = await decodeGeoTiff(new Uint8Array(fs.readFileSync(fix('tiled_band.tif'))), { dtype: 'float32' });
    expect(b.dtype).toBe('float32');
    sameBits(b.data, a.data);
  });
});

describe('windows fetch only the tiles they overlap', () => {
  it('a 21 × 31 window of tiled_pixel fetches 2 of its 20 tiles', async () => {
    const size = fs.statSync(fix('tiled_pixel.tif')).size;
    const r = await GeoTiffReader.open(fix('tiled_pixel.tif'));
    try {
      const head = r.bytesRead;
      await r.read({ rows: [40, 61], cols: [70, 101] }); // tile row 1, tile columns 2..3
      const windowBytes = r.bytesRead - head;
      expect(windowBytes).toBeGreaterThan(0);
      expect(windowBytes).toBeLessThan(size * (3 / 20));
      const before = r.bytesRead;
      await r.read({ rows: [0, 32], cols: [0, 32] }); // one tile
      expect(r.bytesRead - before).toBeLessThan(size / 10);
      const line = await r.readLines(100, 4);
      expect(line.shape).toEqual([4, 160]);
    } finally {
      r.close();
    }
  });
});

describe('GeoTiffReader.chunks', () => {
  it.each([1, 32, 50, 1000])('row blocks of %i concatenate to the whole raster', async (n) => {
    const whole = await readGeoTiff(fix('tiled_band.tif'));
    const r = await GeoTiffReader.open(fix('tiled_band.tif'));
    const rows = whole.shape![0];
    const cols = whole.shape![1];
    let next = 0;
    try {
      for await (const { startLine, cube } of r.chunks(n)) {
        expect(startLine).toBe(next);
        const R = cube.shape![0];
        for (let b = 0; b < 3; b++) sameBits(cube.data.subarray(b * R * cols, (b + 1) * R * cols), whole.data.subarray(b * rows * cols + startLine * cols, b * rows * cols + (startLine + R) * cols));
        next += R;
      }
    } finally {
      r.close();
    }
    expect(next).toBe(rows);
  });
});

describe('GeoTIFF sizes are checked against the bytes that hold them', () => {
  it('the crafted builder makes a readable TIFF', async () => {
    const x = await decodeGeoTiff(tiff(3, 2, Uint8Array.from([1, 2, 3, 4, 5, 6])));
    expect([x.shape, Array.from(x.data)]).toEqual([[2, 3], [1, 2, 3, 4, 5, 6]]);
  });

  it('16384 × 16384 pixels declared in 100 uncompressed bytes → FormatError before allocating', async () => {
    await expect(decodeGeoTiff(tiff(16384, 16384, new Uint8Array(100)))).rejects.toThrow(/the image must store its pixels \(compression 1 expands at most 1×\); got 268435456 bytes of pixels declared in 100 stored bytes/);
  });

  it('a Deflate strip claiming more than 1032× its bytes → FormatError', async () => {
    await expect(decodeGeoTiff(tiff(8192, 8192, new Uint8Array(20), { compression: 8 }))).rejects.toThrow(/compression 8 expands at most 1032×/);
  });

  it('sparse strips (byte count 0) → FormatError unless allowSparse; then the budget bounds them', async () => {
    const sparse = tiff(16384, 16384, new Uint8Array(0), { byteCount: 0 });
    await expect(decodeGeoTiff(sparse)).rejects.toThrow(/a sparse file: pass allowSparse: true.*; got 1 of 1 with byte count 0/);
    await expect(decodeGeoTiff(sparse, { allowSparse: true, maxBytes: 1 << 20 })).rejects.toThrow(ShapeError);
    const small = await decodeGeoTiff(tiff(4, 2, new Uint8Array(0), { byteCount: 0 }), { allowSparse: true });
    expect(Array.from(small.data)).toEqual(new Array(8).fill(0));
  });
});

describe('hostile GeoTIFF input', () => {
  const good = new Uint8Array(fs.readFileSync(fix('tiled_band.tif')));
  const small = new Uint8Array(fs.readFileSync(fix('envi_bands.tif')));

  it('not a TIFF → FormatError', async () => {
    await expect(decodeGeoTiff(new TextEncoder().encode('hello, this is not a tiff file'))).rejects.toThrow(/decodeGeoTiff: the TIFF header must parse/);
  });

  it('every truncation → a pointwise error, never a crash or a silently short result', async () => {
    for (const src of [small, good]) {
      const step = Math.max(1, Math.floor(src.length / 80));
      for (let n = 0; n < src.length; n += step) {
        let err: unknown = null;
        try {
          await decodeGeoTiff(src.subarray(0, n));
        } catch (e) {
          err = e;
        }
        expect(isPointwiseError(err), `length ${n}: ${String(err)}`).toBe(true);
      }
    }
  });

  it('declared size beyond maxBytes → ShapeError before reading pixels', async () => {
    await expect(decodeGeoTiff(good, { maxBytes: 10000 })).rejects.toThrow(ShapeError);
  });

  it('window outside the image → ValueError; read after close → FileError; missing file → FileError', async () => {
    await expect(readGeoTiff(fix('plain.tif'), { window: { rows: [0, 4] } })).rejects.toThrow(ValueError);
    const r = await GeoTiffReader.open(fix('plain.tif'));
    r.close();
    r.close();
    await expect(r.read()).rejects.toThrow(FileError);
    await expect(readGeoTiff(path.join(os.tmpdir(), 'no-such.tif'))).rejects.toThrow(FileError);
  });

  it('corrupt compressed tiles → FormatError', async () => {
    const b = good.slice();
    for (let i = 2000; i < 2400; i++) b[i] ^= 0x5a;
    await expect(decodeGeoTiff(b)).rejects.toThrow(FormatError);
  });
});
