/**
 * writeGeoTiff: the file GDAL reads (values, nodata, wavelengths, descriptions, geotransform, EPSG:
 * test/fixtures/geotiff/written.gdal.json, from scripts/fixtures/check_geotiff_written.py) is the file
 * the writer makes today, byte for byte; round trips through readGeoTiff are bit-exact; bad input is
 * refused with the project's errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { encodeGeoTiff, writeGeoTiff } from '../../src/io/geotiff-write.js';
import { readGeoTiff, readGeoTiffInfo } from '../../src/io/geotiff.js';
import { REPO_ROOT, expectPointwiseError, removeTempDirs, tempDir } from '../helpers/index.js';
import { writtenCube } from './geotiff-written-cube.js';

const fx = (name: string) => path.join(REPO_ROOT, 'test/fixtures/geotiff', name);
afterAll(() => removeTempDirs());

describe('writeGeoTiff', () => {
  it('writes the bytes of the committed written.tif, which GDAL reads as the cube with its metadata', () => {
    const { x, options } = writtenCube();
    expect(Buffer.from(encodeGeoTiff(x, options)).equals(fs.readFileSync(fx('written.tif')))).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const g: any = JSON.parse(fs.readFileSync(fx('written.gdal.json'), 'utf8'));
    expect(g).toMatchObject({ width: 7, height: 5, count: 3, interleave: 'BAND', geoTransform: options.geoTransform, epsg: 32633 });
    g.bands.forEach((b: { nodata: number; metadata: Record<string, string>; description: string; dataType: string; values: number[][] }, i: number) => {
      expect(b.nodata).toBe(-9999);
      expect(b.dataType).toBe('Float32');
      expect(b.description).toBe(x.labels![i]);
      expect(Number(b.metadata.wavelength)).toBe(x.coords!.values[i]);
      expect(b.metadata.wavelength_units).toBe('nm');
      expect(b.values.flat()).toEqual(Array.from(x.data.subarray(i * 35, (i + 1) * 35)));
    });
  });

  it('round trips through readGeoTiff bit for bit (float32 and float64, NaN, strips of any height) with nodata, wavelengths, geotransform and EPSG', async () => {
    const dir = tempDir('pointwise-gtw-');
    for (const dtype of ['float32', 'float64'] as const) {
      for (const rowsPerStrip of [1, 3, 4, undefined]) {
        const R = 4, C = 3, B = 2;
        const data = dtype === 'float32' ? new Float32Array(B * R * C) : new Float64Array(B * R * C);
        data.forEach((_, i) => (data[i] = i === 5 ? NaN : Math.PI * (i - 7) / 3));
        const x = new Multichannel(data, B, R * C, { shape: [R, C], coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.of(500, 600) } });
        const file = path.join(dir, `${dtype}-${rowsPerStrip}.tif`);
        writeGeoTiff(file, x, { nodata: -1, epsg: 4326, geoTransform: [10, 0.5, 0, 50, 0, -0.25], rowsPerStrip });
        const y = await readGeoTiff(file, { dtype });
        expect([y.channels, y.length, y.shape]).toEqual([B, R * C, [R, C]]);
        expect(Array.from(y.data).every((v, i) => Object.is(v, data[i]))).toBe(true);
        const info = await readGeoTiffInfo(file);
        expect(info).toMatchObject({ dataType: dtype, nodata: -1, epsg: 4326, geoTransform: [10, 0.5, 0, 50, 0, -0.25], planarConfiguration: 2 });
        expect(Array.from(info.wavelengths!.values)).toEqual([500, 600]);
      }
    }
  });

  it('refuses what a GeoTIFF cannot hold', () => {
    const img = new Multichannel(new Float64Array(4), 1, 4, { shape: [2, 2] });
    expectPointwiseError(() => encodeGeoTiff({} as Multichannel), ArgumentTypeError, /writeGeoTiff: x must be a Multichannel/);
    expectPointwiseError(() => encodeGeoTiff(new Multichannel(new Float64Array(4), 1, 4)), ShapeError, /x must be an image with shape \[rows, cols\]; got no shape/);
    expectPointwiseError(() => encodeGeoTiff(img, { geoTransform: [0, 1, 0.1, 0, 0, -1] }), ValueError, /north-up/);
    expectPointwiseError(() => encodeGeoTiff(img, { epsg: 4326.5 }), ValueError, /options.epsg must be an EPSG code/);
    expectPointwiseError(() => encodeGeoTiff(img, { rowsPerStrip: 0 }), ValueError, /rowsPerStrip must be a positive integer/);
  });
});
