/**
 * Writing multiband GeoTIFFs: a Multichannel image (bands as channels, `shape = [rows, cols]`) as a
 * baseline little-endian TIFF with band-separate planes (PlanarConfiguration 2, so each channel's
 * contiguous samples are one run of strips, written as stored), uncompressed float32 or float64
 * samples, and the GDAL and GeoTIFF tags {@link readGeoTiff} and GDAL read back: GDAL_NODATA,
 * per-band `wavelength` / `wavelength_units` and `DESCRIPTION` (the labels) in GDAL_METADATA, a
 * north-up geotransform as ModelTiepoint + ModelPixelScale, and the EPSG code in the GeoKey directory.
 * @module
 */
import { ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { writeFileAtomicChecked } from './atomic.js';

/** Options of {@link writeGeoTiff} / {@link encodeGeoTiff}. */
export interface GeoTiffWriteOptions {
  /** GDAL_NODATA: the value that marks missing pixels. */
  nodata?: number;
  /** GDAL-style north-up geotransform `[x0, dx, 0, y0, 0, dy]` (dy usually negative). */
  geoTransform?: readonly number[];
  /** EPSG code of the CRS (GeoKey ProjectedCSType, or GeographicType for a geographic CRS). */
  epsg?: number;
  /** Whether `epsg` is a geographic CRS (default: codes 4000–4999, e.g. 4326, are geographic). */
  geographic?: boolean;
  /** Rows per strip (default: strips of about 1 MiB). */
  rowsPerStrip?: number;
}

const T = { SHORT: 3, LONG: 4, ASCII: 2, DOUBLE: 12 } as const;
const SIZE: Record<number, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };

interface Entry {
  tag: number;
  type: number;
  values: readonly number[] | string;
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Encodes `x` as a GeoTIFF (see the module notes); the bytes a later {@link readGeoTiff} turns back
 * into the same values (bit for bit), grid, wavelengths, nodata, geotransform and EPSG code.
 * `[bands, rows·cols]` with `shape = [rows, cols]` → a `rows × cols` image of `bands` samples.
 * @throws ArgumentTypeError for a non-Multichannel; ShapeError for an image without a 2-D `shape`,
 *   or one of 4 GiB or more (classic TIFF offsets are 32-bit); ValueError for bad options
 *   (a rotated geotransform, a non-integer EPSG code).
 * @example const bytes = encodeGeoTiff(cube, { nodata: -9999, epsg: 32633, geoTransform: [500000, 10, 0, 4600000, 0, -10] });
 */
export function encodeGeoTiff(x: Multichannel, options: GeoTiffWriteOptions = {}): Uint8Array {
  const fn = 'writeGeoTiff';
  assertMultichannel(fn, 'x', x);
  if (x.shape === undefined || x.shape.length !== 2) throw new ShapeError(message(fn, 'x must be an image with shape [rows, cols]', { verbatim: x.shape === undefined ? 'no shape' : `[${x.shape.join(', ')}]` }));
  const [rows, cols] = x.shape;
  const bands = x.channels;
  if (rows === 0 || cols === 0) throw new ShapeError(message(fn, 'the image must have at least one row and one column', { verbatim: `[${rows}, ${cols}]` }));
  const bytesPer = x.dtype === 'float32' ? 4 : 8;
  const planeBytes = rows * cols * bytesPer;
  const rowsPerStrip = options.rowsPerStrip ?? Math.max(1, Math.min(rows, Math.floor(2 ** 20 / (cols * bytesPer))));
  if (!Number.isInteger(rowsPerStrip) || rowsPerStrip < 1) throw new ValueError(message(fn, 'options.rowsPerStrip must be a positive integer', options.rowsPerStrip));
  const stripsPerBand = Math.ceil(rows / rowsPerStrip);

  const entries: Entry[] = [
    { tag: 256, type: T.LONG, values: [cols] },
    { tag: 257, type: T.LONG, values: [rows] },
    { tag: 258, type: T.SHORT, values: new Array<number>(bands).fill(8 * bytesPer) },
    { tag: 259, type: T.SHORT, values: [1] },
    { tag: 262, type: T.SHORT, values: [1] },
    { tag: 273, type: T.LONG, values: new Array<number>(bands * stripsPerBand).fill(0) },
    { tag: 277, type: T.SHORT, values: [bands] },
    { tag: 278, type: T.LONG, values: [rowsPerStrip] },
    { tag: 279, type: T.LONG, values: Array.from({ length: bands * stripsPerBand }, (_, i) => Math.min(rowsPerStrip, rows - (i % stripsPerBand) * rowsPerStrip) * cols * bytesPer) },
    { tag: 284, type: T.SHORT, values: [2] },
  ];
  if (bands > 1) entries.push({ tag: 338, type: T.SHORT, values: new Array<number>(bands - 1).fill(0) });
  entries.push({ tag: 339, type: T.SHORT, values: new Array<number>(bands).fill(3) });
  if (options.geoTransform !== undefined) {
    const g = options.geoTransform;
    if (g.length !== 6 || !g.every(Number.isFinite) || g[2] !== 0 || g[4] !== 0 || g[1] === 0 || g[5] === 0) {
      throw new ValueError(message(fn, 'options.geoTransform must be a north-up [x0, dx, 0, y0, 0, dy] of finite numbers with dx, dy ≠ 0', g));
    }
    entries.push({ tag: 33550, type: T.DOUBLE, values: [g[1], -g[5], 0] });
    entries.push({ tag: 33922, type: T.DOUBLE, values: [0, 0, 0, g[0], g[3], 0] });
  }
  if (options.epsg !== undefined || options.geoTransform !== undefined) {
    const keys: number[][] = [[1025, 0, 1, 1]]; // GTRasterTypeGeoKey = PixelIsArea
    if (options.epsg !== undefined) {
      const e = options.epsg;
      if (!Number.isInteger(e) || e <= 0 || e >= 32767) throw new ValueError(message(fn, 'options.epsg must be an EPSG code (an integer in 1…32766)', e));
      const geographic = options.geographic ?? (e >= 4000 && e < 5000);
      keys.unshift([1024, 0, 1, geographic ? 2 : 1]); // GTModelTypeGeoKey
      keys.push([geographic ? 2048 : 3072, 0, 1, e]);
    }
    entries.push({ tag: 34735, type: T.SHORT, values: [1, 1, 0, keys.length, ...keys.flat()] });
  }
  const items: string[] = [];
  const co = x.coords;
  if (co && co.width === 1 && co.values.length === bands) {
    for (let b = 0; b < bands; b++) {
      items.push(`<Item name="wavelength" sample="${b}">${String(co.values[b])}</Item>`);
      items.push(`<Item name="wavelength_units" sample="${b}">${xml(co.unit)}</Item>`);
    }
  }
  if (x.labels !== undefined) x.labels.forEach((l, b) => items.push(`<Item name="DESCRIPTION" sample="${b}" role="description">${xml(l)}</Item>`));
  if (items.length > 0) entries.push({ tag: 42112, type: T.ASCII, values: `<GDALMetadata>\n  ${items.join('\n  ')}\n</GDALMetadata>\n` });
  if (options.nodata !== undefined) {
    if (typeof options.nodata !== 'number') throw new ValueError(message(fn, 'options.nodata must be a number', options.nodata));
    entries.push({ tag: 42113, type: T.ASCII, values: Number.isNaN(options.nodata) ? 'nan' : String(options.nodata) });
  }

  // Layout: header, IFD, the values that do not fit in an entry, then the strips (8-byte aligned).
  const ifdBytes = 2 + 12 * entries.length + 4;
  const payload = (e: Entry): number => (typeof e.values === 'string' ? e.values.length + 1 : e.values.length * SIZE[e.type]);
  let extra = 0;
  for (const e of entries) if (payload(e) > 4) extra += payload(e) + (payload(e) & 1);
  const dataStart = Math.ceil((8 + ifdBytes + extra) / 8) * 8;
  const total = dataStart + bands * planeBytes;
  if (total >= 2 ** 32) throw new ShapeError(message(fn, 'the image must be smaller than 4 GiB (classic TIFF)', { verbatim: `${total} bytes` }));
  const offsets = entries.find((e) => e.tag === 273)!;
  offsets.values = Array.from({ length: bands * stripsPerBand }, (_, i) => dataStart + Math.floor(i / stripsPerBand) * planeBytes + (i % stripsPerBand) * rowsPerStrip * cols * bytesPer);

  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49], 0);
  dv.setUint16(2, 42, true);
  dv.setUint32(4, 8, true);
  dv.setUint16(8, entries.length, true);
  let overflow = 8 + ifdBytes;
  const put = (at: number, e: Entry): void => {
    if (typeof e.values === 'string') {
      for (let i = 0; i < e.values.length; i++) out[at + i] = e.values.charCodeAt(i) & 0xff;
      return;
    }
    e.values.forEach((v, i) => {
      if (e.type === T.SHORT) dv.setUint16(at + 2 * i, v, true);
      else if (e.type === T.LONG) dv.setUint32(at + 4 * i, v, true);
      else dv.setFloat64(at + 8 * i, v, true);
    });
  };
  entries.forEach((e, i) => {
    const at = 10 + 12 * i;
    dv.setUint16(at, e.tag, true);
    dv.setUint16(at + 2, e.type, true);
    dv.setUint32(at + 4, typeof e.values === 'string' ? e.values.length + 1 : e.values.length, true);
    const n = payload(e);
    if (n <= 4) put(at + 8, e);
    else {
      dv.setUint32(at + 8, overflow, true);
      put(overflow, e);
      overflow += n + (n & 1);
    }
  });
  const src = new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] === 1) out.set(src, dataStart);
  else for (let i = 0; i < x.data.length; i++) (bytesPer === 4 ? dv.setFloat32.bind(dv) : dv.setFloat64.bind(dv))(dataStart + i * bytesPer, x.data[i], true);
  return out;
}

/**
 * Writes `x` to `filePath` as a GeoTIFF, atomically (see {@link encodeGeoTiff}).
 * @throws as {@link encodeGeoTiff}; FileError when the folder is not writable.
 * @example writeGeoTiff('scene.tif', cube, { nodata: -9999, epsg: 4326, geoTransform: [10, 0.01, 0, 50, 0, -0.01] })
 */
export function writeGeoTiff(filePath: string, x: Multichannel, options: GeoTiffWriteOptions = {}): void {
  writeFileAtomicChecked('writeGeoTiff', filePath, encodeGeoTiff(x, options));
}
