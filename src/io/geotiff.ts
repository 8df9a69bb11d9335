/**
 * GeoTIFF multiband rasters as {@link Multichannel}: bands → channels, `shape = [rows, cols]`, the
 * GDAL nodata value, wavelengths from band metadata, and windows by pixel range that read only the
 * strips or tiles they overlap.
 *
 * **Library: geotiff.js (npm `geotiff`)**, the one importer of it. It is asynchronous (and its ESM
 * build is what `import()` loads), so {@link readGeoTiff} and {@link GeoTiffReader} are `async`; the
 * module is loaded with a dynamic `import()` on first use, kept as `import()` in the CommonJS build,
 * so `await readGeoTiff(…)` works from plain Node, tsx, vitest and tslab cells. Its quirks stop here:
 * bytes come through a file source of this module (counted in {@link GeoTiffReader.bytesRead},
 * bounded by the file size: a slice past the end is never padded), only the first image (IFD 0) is
 * parsed (overviews and a cyclic IFD chain are never walked), and everything it throws on bad
 * input becomes a FormatError.
 *
 * Wavelengths, in order of preference (per band, all bands must have one):
 * 1. GDAL band metadata `wavelength` (+ `wavelength_units`), what GDAL's ENVI driver writes and
 *    `gdal_translate cube.hdr cube.tif` keeps (in the GDAL_METADATA tag);
 * 2. GDAL ≥ 3.10's `CENTRAL_WAVELENGTH_UM` (IMAGERY domain; micrometres);
 * 3. an ENVI-style band description ending in `(<number> <unit>)`, e.g. "Band 1 (0.45 Micrometers)".
 * Units are normalised to nm as for ENVI headers (nanometers, micrometers/microns, millimeters).
 *
 * Hostile input: the result (window × bands × 8 bytes) and one decoded strip or tile are checked
 * against `options.maxBytes` before reading; every slice is bounded by the file size, and a strip or
 * tile that runs past the end of the file is a FormatError. The pixels an image declares are
 * checked against the bytes that hold them: the strip/tile byte-count table must have an entry per
 * block, a block with byte count 0 (sparse, GDAL's SPARSE_OK) is refused unless
 * `options.allowSparse`, and for uncompressed, PackBits, LZW and Deflate data the decoded size may
 * be at most the codec's largest expansion (1, 64, 4096 and 1032 ×) of the stored bytes. JPEG,
 * ZSTD, LERC and WebP blocks can legitimately expand without such a bound; there the budget is
 * the limit.
 * @module
 */
import { FileError, FormatError, ValueError, isPointwiseError, message } from '../core/errors.js';
import { Multichannel, allocate, type ChannelCoords, type Dtype } from '../core/multichannel.js';
import { assertInteger } from '../core/validate.js';
import { wavelengthCoords } from '../spectral/envi.js';
import { openFileBytes } from './bytes.js';
import { budgetOption, checkBudget } from './budget.js';

/** What a GeoTIFF's first image says, after validation. */
export interface GeoTiffInfo {
  /** Columns (pixels per row). */
  width: number;
  /** Rows. */
  height: number;
  /** Samples per pixel (channels of the result). */
  bands: number;
  /** Stored element type, e.g. 'int16', 'uint16', 'float32'. */
  dataType: string;
  /** 1 = pixel-interleaved (chunky), 2 = band-interleaved (planar). */
  planarConfiguration: 1 | 2;
  /** Strip or tile size `[rows, cols]`. */
  blockSize: [number, number];
  tiled: boolean;
  /** GDAL_NODATA, or undefined. Pass it as `ignoreValue` to PCA. */
  nodata: number | undefined;
  /** Per-band wavelengths in nm (see the module notes), or undefined. */
  wavelengths: ChannelCoords | undefined;
  /** Per-band descriptions from GDAL metadata ('' where absent). */
  descriptions: string[];
  /** GDAL-style geotransform `[x0, dx, rx, y0, ry, dy]` when the file has one. */
  geoTransform: number[] | undefined;
  /** The EPSG code of the projected or geographic CRS, when given. */
  epsg: number | undefined;
}

/** A pixel window: rows `[rows[0], rows[1])` and columns `[cols[0], cols[1])` (end exclusive). */
export interface GeoTiffWindow {
  rows?: [number, number];
  cols?: [number, number];
}

/** Options of the GeoTIFF readers. */
export interface GeoTiffReadOptions {
  /** Element type of the result (default 'float64'). */
  dtype?: Dtype;
  /** Largest result (and largest decoded strip or tile) in bytes (default 2 GiB). */
  maxBytes?: number;
  /** Read only this window (default: the whole image). */
  window?: GeoTiffWindow;
  /**
   * Accept sparse files: strips or tiles with byte count 0, read as the nodata value (GDAL's
   * SPARSE_OK). Default false: such a file declares pixels its bytes do not hold, so it is a
   * FormatError unless asked for.
   */
  allowSparse?: boolean;
}

/** The part of geotiff.js used here. */
interface TiffImage {
  getWidth(): number;
  getHeight(): number;
  getSamplesPerPixel(): number;
  getTileWidth(): number;
  getTileHeight(): number;
  getSampleFormat(i?: number): number;
  getBitsPerSample(i?: number): number;
  isTiled: boolean;
  planarConfiguration: 1 | 2;
  getGDALNoData(): number | null;
  getGDALMetadata(sample?: number | null): Promise<Record<string, unknown> | null>;
  getGeoKeys(): Record<string, unknown> | null;
  getOrigin(): number[];
  getResolution(): number[];
  readRasters(o: { window: number[]; interleave: false }): Promise<ArrayLike<number>[]>;
  getBytesPerPixel(): number;
  fileDirectory: {
    hasTag(name: string): boolean;
    getValue(name: string): unknown;
    loadValue(name: string): Promise<unknown>;
  };
}
interface Tiff {
  getImage(i: number): Promise<TiffImage>;
  close(): void;
}
interface Slice {
  offset: number;
  length: number;
}
interface GeoTiffModule {
  GeoTIFF: { fromSource(source: unknown): Promise<Tiff> };
}

let modulePromise: Promise<GeoTiffModule> | undefined;
/** Loads geotiff.js once (dynamic import, kept as `import()` in the CommonJS build). */
function loadGeoTiff(): Promise<GeoTiffModule> {
  modulePromise ??= import('geotiff') as Promise<unknown> as Promise<GeoTiffModule>;
  return modulePromise;
}

/** A byte source for geotiff.js over a buffer or a file: never pads past the end, counts bytes. */
class Source {
  bytesRead = 0;
  constructor(
    readonly fileSize: number,
    private readonly readAt: (offset: number, length: number) => Uint8Array,
    private readonly onClose: () => void,
  ) {}

  async fetch(slices: Slice[]): Promise<ArrayBuffer[]> {
    return slices.map(({ offset, length }) => {
      const o = Math.max(0, Math.min(offset, this.fileSize));
      const n = Math.max(0, Math.min(length, this.fileSize - o));
      const b = this.readAt(o, n);
      this.bytesRead += b.length;
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
    });
  }

  async close(): Promise<void> {
    this.onClose();
  }
}

function fileSource(fn: string, filePath: string): Source {
  const f = openFileBytes(fn, filePath);
  return new Source(f.size, (o, n) => f.read(o, n), () => f.close());
}

/** Runs a geotiff.js call, turning whatever it throws on bad bytes into a FormatError. */
async function guard<T>(fn: string, what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (isPointwiseError(err)) throw err;
    throw new FormatError(message(fn, `${what} (corrupt or unsupported GeoTIFF)`, { verbatim: String((err as Error)?.message ?? err).slice(0, 300) }));
  }
}

const FORMAT_NAMES: Record<number, string> = { 1: 'uint', 2: 'int', 3: 'float' };

function wavelengthFrom(meta: Record<string, unknown>, description: string): { value: number; unit: string } | undefined {
  const w = Number(meta.wavelength);
  if (typeof meta.wavelength === 'string' && meta.wavelength.trim() !== '' && Number.isFinite(w)) return { value: w, unit: typeof meta.wavelength_units === 'string' ? meta.wavelength_units : '' };
  const um = Number(meta.CENTRAL_WAVELENGTH_UM);
  if (typeof meta.CENTRAL_WAVELENGTH_UM === 'string' && Number.isFinite(um)) return { value: um, unit: 'micrometers' };
  const m = /\(\s*([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*([A-Za-zµμ]+)\s*\)\s*$/.exec(description);
  if (m) return { value: Number(m[1]), unit: m[2] };
  return undefined;
}

const decodeXml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * A GeoTIFF opened for windowed reads: {@link info} holds the validated metadata, {@link read} a
 * window (only the strips or tiles it overlaps are fetched: see {@link bytesRead}).
 * @example
 * const r = await GeoTiffReader.open('scene.tif');
 * try { const tile = await r.readLines(0, 256); } finally { r.close(); }
 */
export class GeoTiffReader {
  /** The validated metadata of the first image. */
  readonly info: GeoTiffInfo;
  private readonly tiff: Tiff;
  private readonly image: TiffImage;
  private readonly source: Source;
  private readonly fn: string;
  private readonly dtype: Dtype;
  private readonly maxBytes: number;
  private closed = false;

  private constructor(fn: string, tiff: Tiff, image: TiffImage, source: Source, info: GeoTiffInfo, dtype: Dtype, maxBytes: number) {
    this.fn = fn;
    this.tiff = tiff;
    this.image = image;
    this.source = source;
    this.info = info;
    this.dtype = dtype;
    this.maxBytes = maxBytes;
  }

  /** Bytes fetched from the file so far (headers, tags and the strips or tiles read). */
  get bytesRead(): number {
    return this.source.bytesRead;
  }

  /**
   * Opens `path` and reads the first image's header and GDAL metadata (no pixels yet).
   * @throws FileError (missing, unreadable, a folder); FormatError (not a TIFF, corrupt, unsupported).
   */
  static async open(filePath: string, options?: GeoTiffReadOptions): Promise<GeoTiffReader> {
    return GeoTiffReader.openSource('GeoTiffReader.open', () => fileSource('GeoTiffReader.open', filePath), options);
  }

  /** @internal opens a source with the public function's name for messages. */
  static async openSource(fn: string, make: () => Source, options: GeoTiffReadOptions = {}): Promise<GeoTiffReader> {
    const dtype = options.dtype ?? 'float64';
    if (dtype !== 'float64' && dtype !== 'float32') throw new ValueError(message(fn, "options.dtype must be 'float64' or 'float32'", dtype));
    const maxBytes = budgetOption(fn, 'maxBytes', options.maxBytes);
    const source = make();
    try {
      const mod = await loadGeoTiff();
      const tiff = await guard(fn, 'the TIFF header must parse', () => mod.GeoTIFF.fromSource(source));
      const image = await guard(fn, 'the first image directory must parse', () => tiff.getImage(0));
      const info = await guard(fn, 'the image tags must be valid', () => describe(fn, image, maxBytes, options.allowSparse ?? false));
      return new GeoTiffReader(fn, tiff, image, source, info, dtype, maxBytes);
    } catch (err) {
      source.close();
      throw err;
    }
  }

  /**
   * The pixels of `window` (default: all) as bands × `[rows, cols]`, float64 (or float32), stored
   * values unchanged (nodata stays the nodata value; see {@link GeoTiffInfo.nodata}).
   * @throws ValueError for a window outside the image; ShapeError beyond `options.maxBytes`;
   * FormatError for corrupt or unsupported pixel data; FileError after {@link close}.
   */
  async read(window: GeoTiffWindow = {}): Promise<Multichannel> {
    const fn = this.fn === 'GeoTiffReader.open' ? 'GeoTiffReader.read' : this.fn;
    if (this.closed) throw new FileError(message(fn, 'the reader must be open (not closed)', 'a closed reader'));
    const { width, height, bands } = this.info;
    const [r0, r1] = window.rows ?? [0, height];
    const [c0, c1] = window.cols ?? [0, width];
    assertInteger(fn, 'window.rows[0]', r0, 0, height);
    assertInteger(fn, 'window.rows[1]', r1, r0, height);
    assertInteger(fn, 'window.cols[0]', c0, 0, width);
    assertInteger(fn, 'window.cols[1]', c1, c0, width);
    const R = r1 - r0;
    const C = c1 - c0;
    const N = R * C;
    const esize = this.dtype === 'float32' ? 4 : 8;
    checkBudget(fn, `the result (${bands} bands × ${R} × ${C} × ${esize} bytes)`, bands * N * esize, this.maxBytes, 'maxBytes');
    // geotiff.js holds the window in the stored type as well.
    checkBudget(fn, `the window in the stored type (${bands} bands × ${R} × ${C})`, bands * N * 8, this.maxBytes, 'maxBytes');
    if (N === 0) return new Multichannel(allocate(this.dtype, 0), bands, 0, { shape: [R, C], coords: this.info.wavelengths });
    const planes = await guard(fn, 'the pixel data must decode', () => this.image.readRasters({ window: [c0, r0, c1, r1], interleave: false }));
    if (!Array.isArray(planes) || planes.length !== bands || planes.some((p) => p.length !== N)) {
      throw new FormatError(message(fn, `the decoded window must hold ${bands} bands of ${N} pixels`, { verbatim: Array.isArray(planes) ? `${planes.length} of ${planes[0]?.length}` : typeof planes }));
    }
    const out = allocate(this.dtype, bands * N);
    {
      for (let b = 0; b < bands; b++) {
        const p = planes[b];
        const base = b * N;
        for (let i = 0; i < N; i++) out[base + i] = p[i];
      }
    }
    return new Multichannel(out, bands, N, { shape: [R, C], coords: this.info.wavelengths });
  }

  /** Rows `start … start + count − 1`, every column and band (a tile of the cluster layer). */
  readLines(start: number, count: number): Promise<Multichannel> {
    return this.read({ rows: [start, start + count] });
  }

  /**
   * Row blocks one after another (`linesPerChunk` rows each, default the strip or tile height), with
   * their first row. Memory: one block. (Asynchronous: {@link pcaStream} takes a synchronous
   * source, so feed the blocks to a {@link CovarianceAccumulator}, or convert the raster to Zarr.)
   */
  async *chunks(linesPerChunk = this.info.blockSize[0]): AsyncGenerator<{ startLine: number; cube: Multichannel }> {
    assertInteger('GeoTiffReader.chunks', 'linesPerChunk', linesPerChunk, 1);
    for (let s = 0; s < this.info.height; s += linesPerChunk) yield { startLine: s, cube: await this.readLines(s, Math.min(linesPerChunk, this.info.height - s)) };
  }

  /** Closes the file. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.tiff.close();
    void this.source.close();
  }
}

/** Largest decoded/stored ratio of each TIFF compression whose expansion is bounded (see the module notes). */
const MAX_EXPANSION: Readonly<Record<number, number>> = { 1: 1, 32773: 64, 5: 4096, 8: 1032, 32946: 1032 };

/** Checks the strip/tile byte-count table against the pixels the image declares. */
async function checkBlocks(fn: string, image: TiffImage, width: number, height: number, bands: number, tw: number, th: number, allowSparse: boolean): Promise<void> {
  const fd = image.fileDirectory;
  const tag = image.isTiled ? 'TileByteCounts' : 'StripByteCounts';
  if (!fd.hasTag(tag)) throw new FormatError(message(fn, `the image must have ${tag}`, 'none'));
  const counts = (await fd.loadValue(tag)) as ArrayLike<number | bigint> | number;
  const list: ArrayLike<number | bigint> = typeof counts === 'number' ? [counts] : counts;
  const perPlane = Math.ceil(width / tw) * Math.ceil(height / th);
  const blocks = perPlane * (image.planarConfiguration === 2 ? bands : 1);
  if (!list || typeof list.length !== 'number' || list.length < blocks) throw new FormatError(message(fn, `${tag} must have one entry per block (${blocks})`, { verbatim: `${list?.length ?? 0} entries` }));
  let stored = 0;
  let sparse = 0;
  for (let i = 0; i < blocks; i++) {
    const c = Number(list[i]);
    if (!(c >= 0)) throw new FormatError(message(fn, `${tag} entries must be non-negative`, c));
    if (c === 0) sparse++;
    stored += c;
  }
  if (sparse > 0 && !allowSparse) throw new FormatError(message(fn, `every ${image.isTiled ? 'tile' : 'strip'} must have data (a sparse file: pass allowSparse: true to read empty blocks as nodata)`, { verbatim: `${sparse} of ${blocks} with byte count 0` }));
  const compression = Number(fd.getValue('Compression') ?? 1);
  const ratio = MAX_EXPANSION[compression];
  if (ratio !== undefined) {
    const bpp = image.getBytesPerPixel();
    // Tiles are stored whole; strips cover the image exactly (the last one may be shorter).
    const full = image.isTiled ? blocks * tw * th * (image.planarConfiguration === 2 ? bpp / bands : bpp) : width * height * bpp;
    const decoded = Math.ceil((full * (blocks - sparse)) / blocks);
    if (decoded > ratio * stored) {
      throw new FormatError(message(fn, `the image must store its pixels (compression ${compression} expands at most ${ratio}×)`, { verbatim: `${decoded} bytes of pixels declared in ${stored} stored bytes` }));
    }
  }
}

async function describe(fn: string, image: TiffImage, maxBytes: number, allowSparse: boolean): Promise<GeoTiffInfo> {
  const width = image.getWidth();
  const height = image.getHeight();
  const bands = image.getSamplesPerPixel();
  for (const [name, v] of [['width', width], ['height', height], ['samples per pixel', bands]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new FormatError(message(fn, `the image ${name} must be a positive integer`, v));
  }
  if (bands > 65535) throw new FormatError(message(fn, 'samples per pixel must be at most 65535', bands));
  const tw = image.getTileWidth();
  const th = image.getTileHeight();
  if (!Number.isSafeInteger(tw) || !Number.isSafeInteger(th) || tw < 1 || th < 1) throw new FormatError(message(fn, 'the strip or tile size must be positive integers', { verbatim: `${th} × ${tw}` }));
  const planar = image.planarConfiguration === 2 ? 2 : 1;
  const bits = image.getBitsPerSample(0);
  const fmt = image.getSampleFormat(0);
  for (let b = 1; b < bands; b++) {
    if (image.getBitsPerSample(b) !== bits || image.getSampleFormat(b) !== fmt) throw new FormatError(message(fn, 'every band must have the same sample type', { verbatim: `band ${b}: ${image.getBitsPerSample(b)} bits, format ${image.getSampleFormat(b)}; band 0: ${bits} bits, format ${fmt}` }));
  }
  const dataType = `${FORMAT_NAMES[fmt] ?? `format${fmt}`}${bits}`;
  await checkBlocks(fn, image, width, height, bands, tw, th, allowSparse);
  checkBudget(fn, `one decoded strip or tile (${th} × ${tw} × ${planar === 1 ? bands : 1} samples × ${Math.ceil(bits / 8)} bytes)`, th * tw * (planar === 1 ? bands : 1) * Math.max(1, Math.ceil(bits / 8)), maxBytes, 'maxBytes');
  const nd = image.getGDALNoData();
  const nodata = nd === null ? undefined : nd;
  const descriptions: string[] = [];
  const found: { value: number; unit: string }[] = [];
  for (let b = 0; b < bands; b++) {
    const meta = (await image.getGDALMetadata(b)) ?? {};
    for (const k of Object.keys(meta)) if (typeof meta[k] === 'string') meta[k] = decodeXml(meta[k] as string);
    const d = typeof meta.DESCRIPTION === 'string' ? meta.DESCRIPTION : '';
    descriptions.push(d);
    const w = wavelengthFrom(meta, d);
    if (w) found.push(w);
  }
  let wavelengths: ChannelCoords | undefined;
  if (found.length === bands && found.every((w) => w.unit.toLowerCase() === found[0].unit.toLowerCase())) {
    wavelengths = wavelengthCoords({ bands, wavelength: Float64Array.from(found, (w) => w.value), wavelengthUnits: found[0].unit || undefined } as Parameters<typeof wavelengthCoords>[0]);
  }
  let geoTransform: number[] | undefined;
  try {
    const [x0, y0] = image.getOrigin();
    const [dx, dy] = image.getResolution();
    if ([x0, y0, dx, dy].every(Number.isFinite)) geoTransform = [x0, dx, 0, y0, 0, dy];
  } catch {
    geoTransform = undefined;
  }
  const keys = image.getGeoKeys() ?? {};
  const code = keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey;
  const epsg = typeof code === 'number' && code > 0 && code < 32767 ? code : undefined;
  return { width, height, bands, dataType, planarConfiguration: planar, blockSize: [th, tw], tiled: image.isTiled, nodata, wavelengths, descriptions, geoTransform, epsg };
}

/**
 * Reads a GeoTIFF (first image) as a Multichannel: bands → channels, `shape = [rows, cols]`
 * (of `options.window` when given), stored values as float64, wavelength coordinates in nm when
 * the band metadata has them. Asynchronous: `const x = await readGeoTiff('scene.tif')`. Use
 * {@link readGeoTiffInfo} for the nodata value, geotransform and descriptions.
 * @throws FileError; FormatError (not a TIFF, corrupt, unsupported compression); ShapeError beyond
 * `options.maxBytes`; ValueError for a window outside the image.
 * @example const tile = await readGeoTiff('scene.tif', { window: { rows: [0, 256], cols: [512, 768] } });
 */
export async function readGeoTiff(filePath: string, options: GeoTiffReadOptions = {}): Promise<Multichannel> {
  const r = await GeoTiffReader.openSource('readGeoTiff', () => fileSource('readGeoTiff', filePath), options);
  try {
    return await r.read(options.window);
  } finally {
    r.close();
  }
}

/**
 * {@link readGeoTiff} for bytes in memory.
 * @throws as {@link readGeoTiff}.
 * @example const x = await decodeGeoTiff(new Uint8Array(fs.readFileSync('scene.tif')));
 */
export async function decodeGeoTiff(bytes: Uint8Array, options: GeoTiffReadOptions = {}): Promise<Multichannel> {
  const fn = 'decodeGeoTiff';
  if (!(bytes instanceof Uint8Array)) throw new ValueError(message(fn, 'bytes must be a Uint8Array', bytes));
  const r = await GeoTiffReader.openSource(fn, () => new Source(bytes.length, (o, n) => bytes.subarray(o, o + n), () => {}), options);
  try {
    return await r.read(options.window);
  } finally {
    r.close();
  }
}

/**
 * The metadata of a GeoTIFF's first image (size, bands, stored type, nodata, wavelengths,
 * descriptions, geotransform, EPSG) without reading pixels.
 * @throws FileError; FormatError.
 * @example (await readGeoTiffInfo('scene.tif')).nodata // -9999
 */
export async function readGeoTiffInfo(filePath: string): Promise<GeoTiffInfo> {
  const r = await GeoTiffReader.openSource('readGeoTiffInfo', () => fileSource('readGeoTiffInfo', filePath));
  r.close();
  return r.info;
}

