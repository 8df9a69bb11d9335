/**
 * The cube of test/fixtures/geotiff/written.tif: what scripts/fixtures/make_geotiff_written.ts writes
 * with writeGeoTiff and test/io/geotiff-write.test.ts compares byte for byte and against GDAL's reading.
 */
import { Multichannel } from '../../src/core/multichannel.js';
import type { GeoTiffWriteOptions } from '../../src/io/geotiff-write.js';

/** 3 float32 bands × [5 rows, 7 cols], one pixel nodata, wavelengths in nm, band labels. */
export function writtenCube(): { x: Multichannel; options: GeoTiffWriteOptions } {
  const R = 5, C = 7, B = 3;
  const d = Float32Array.from({ length: B * R * C }, (_, i) => Math.round(Math.sin(i) * 1e4) / 64);
  d[1 * R * C + 2 * C + 3] = -9999;
  const x = new Multichannel(d, B, R * C, { shape: [R, C], coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.of(450.5, 550, 865) }, labels: ['blue', 'green', 'nir'] });
  return { x, options: { nodata: -9999, epsg: 32633, geoTransform: [500000, 10, 0, 4600000, 0, -10], rowsPerStrip: 2 } };
}
