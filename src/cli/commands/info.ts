/**
 * `pointwise info <file>`: a summary of a WAV, NPY, ENVI (.hdr), MATLAB (.mat, v5 or v7.3), HDF5 /
 * NetCDF-4 (.h5, .hdf5, .nc), SOFA (.sofa), FLAC or GeoTIFF file or a Zarr folder — channels,
 * length, rate, dtype, shape, duration, wavelength range, per-channel peak / RMS for audio, and
 * for ENVI the stored data type, interleave and byte order.
 * WAV files are scanned in blocks (bounded memory, progress bar on a terminal).
 * @module
 */
import type { Command } from 'commander';
import type { Multichannel } from '../../core/multichannel.js';
import { action, extensionOf, fmt, out, progress, UsageError } from '../common.js';
import { readMatVariables } from '../mat.js';
import { io, spectral } from '../lazy.js';

/** Per-channel level statistics of audio, in linear units and dB re full scale. */
export interface ChannelLevels {
  peak: number;
  rms: number;
}

/** What `info` reports (also printed as JSON with `--json`). */
export interface FileSummary {
  file: string;
  kind: 'wav' | 'npy' | 'envi' | 'mat' | 'hdf5' | 'sofa' | 'flac' | 'geotiff' | 'zarr';
  /** SOFA: conventions and the sizes of Data.IR (measurements M, receivers R, samples N). */
  sofa?: { conventions: string; dataType: string; measurements: number; receivers: number; emitters: number; samples: number };
  channels?: number;
  length?: number;
  sampleRate?: number;
  durationSeconds?: number;
  dtype?: string;
  shape?: number[];
  wavFormat?: string;
  wavelengths?: { min: number; max: number; unit: string; count: number };
  levels?: ChannelLevels[];
  variables?: { name: string; shape: number[]; dtype: string }[];
  /** ENVI: how the values are stored on disk (the cube is read as float64 whatever they are). */
  storage?: { dataType: number; dataTypeName: string; interleave: string; byteOrder: 'little endian' | 'big endian'; headerOffset: number; dataIgnoreValue?: number };
  /** GeoTIFF and Zarr: the stored element type, block (strip/tile/chunk) shape, nodata, CRS, Zarr format and codec. */
  layout?: { dataType: string; block: number[]; nodata?: number; epsg?: number; zarrFormat?: 2 | 3; compressor?: string };
}

/** ENVI `data type` codes and their element types (as in the header format's documentation). */
const ENVI_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'uint8', 2: 'int16', 3: 'int32', 4: 'float32', 5: 'float64', 12: 'uint16', 13: 'uint32', 14: 'int64', 15: 'uint64',
};

function enviSummary(file: string): FileSummary {
  const s = arraySummary(file, 'envi', spectral().readEnvi(file));
  const h = spectral().readEnviHeader(file);
  s.storage = {
    dataType: h.dataType,
    dataTypeName: ENVI_TYPE_NAMES[h.dataType] ?? 'unknown',
    interleave: h.interleave,
    byteOrder: h.byteOrder === 1 ? 'big endian' : 'little endian',
    headerOffset: h.headerOffset,
  };
  const ignore = h.fields['data ignore value'];
  if (ignore !== undefined && Number.isFinite(Number(ignore))) s.storage.dataIgnoreValue = Number(ignore);
  return s;
}

const BLOCK = 65536;

function wavSummary(file: string): FileSummary {
  const info = io().readWavInfo(file);
  const reader = io().WavReader.open(file);
  const peak = new Float64Array(info.channels);
  const sumSq = new Float64Array(info.channels);
  const bar = progress('scanning', info.frames || 1);
  let done = 0;
  try {
    for (let x = reader.read(BLOCK); x !== null; x = reader.read(BLOCK)) {
      addLevels(x, peak, sumSq);
      done += x.length;
      bar.update(done);
    }
  } finally {
    bar.stop();
    reader.close();
  }
  const levels = finishLevels(peak, sumSq, info.frames);
  return {
    file,
    kind: 'wav',
    channels: info.channels,
    length: info.frames,
    sampleRate: info.sampleRate,
    durationSeconds: info.frames / info.sampleRate,
    dtype: 'float64',
    shape: [info.channels, info.frames],
    wavFormat: info.format,
    levels,
  };
}

/** Adds a block's per-channel peak |x| and sum of squares into `peak` and `sumSq`. */
function addLevels(x: Multichannel, peak: Float64Array, sumSq: Float64Array): void {
  const { data, length } = x;
  for (let c = 0; c < x.channels; c++) {
    let p = peak[c];
    let s = sumSq[c];
    const base = c * length;
    for (let t = 0; t < length; t++) {
      const v = data[base + t];
      const a = v < 0 ? -v : v;
      if (a > p) p = a;
      s += v * v;
    }
    peak[c] = p;
    sumSq[c] = s;
  }
}

function finishLevels(peak: Float64Array, sumSq: Float64Array, frames: number): ChannelLevels[] {
  return Array.from(peak, (p, c) => ({ peak: p, rms: frames > 0 ? Math.sqrt(sumSq[c] / frames) : 0 }));
}

function arraySummary(file: string, kind: 'npy' | 'envi' | 'geotiff' | 'zarr', x: Multichannel): FileSummary {
  const s: FileSummary = { file, kind, channels: x.channels, length: x.length, dtype: x.dtype, shape: x.dims };
  if (x.sampleRate !== undefined) {
    s.sampleRate = x.sampleRate;
    s.durationSeconds = x.length / x.sampleRate;
  }
  const co = x.coords;
  if (co && co.width === 1 && co.values.length > 0) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of co.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    s.wavelengths = { min, max, unit: co.unit, count: co.values.length };
  }
  return s;
}

const HDF5_EXTENSIONS: ReadonlySet<string> = new Set(['h5', 'hdf5', 'he5', 'nc', 'nc4', 'sofa']);

/** HDF5 / NetCDF-4 / SOFA (h5wasm must be loaded): the datasets, and for SOFA the sizes of its responses. */
function hdf5Summary(file: string, ext: string): FileSummary {
  const f = io().Hdf5File.openSync(file);
  try {
    const variables = f.list().filter((e) => e.kind === 'dataset').map((e) => ({ name: e.path, shape: e.shape ?? [], dtype: e.dtype ?? '' }));
    if (ext !== 'sofa') return { file, kind: 'hdf5', variables };
    const sofa = (require('../../io/sofa.js') as typeof import('../../io/sofa.js')).sofaFromHdf5(f);
    return {
      file, kind: 'sofa', channels: sofa.receivers, length: sofa.samples, ...(sofa.dataType.startsWith('TF') ? {} : { sampleRate: sofa.sampleRate, durationSeconds: sofa.samples / sofa.sampleRate }),
      sofa: { conventions: sofa.conventions, dataType: sofa.dataType, measurements: sofa.measurements, receivers: sofa.receivers, emitters: sofa.emitters, samples: sofa.samples }, variables,
    };
  } finally {
    f.close();
  }
}

/** Summarises `file` by its extension (HDF5-based files need `await io().loadHdf5()` first). */
export function summarise(file: string): FileSummary {
  const ext = extensionOf(file);
  if (ext === 'wav') return wavSummary(file);
  if (ext === 'npy') return arraySummary(file, 'npy', io().readNpy(file));
  if (ext === 'hdr') return enviSummary(file);
  if (ext === 'mat') return { file, kind: 'mat', variables: readMatVariables(file) };
  if (HDF5_EXTENSIONS.has(ext)) return hdf5Summary(file, ext);
  throw new UsageError(`the file must be .wav, .npy, .hdr (ENVI), .mat, .h5/.hdf5/.nc (HDF5, NetCDF-4), .sofa, .flac, .tif/.tiff (GeoTIFF) or a .zarr folder; got ${JSON.stringify(file)}`);
}

/** FLAC (levels scanned in blocks, like WAV), GeoTIFF and Zarr, whose readers are asynchronous or folders; null for other files. */
async function summariseMore(file: string): Promise<FileSummary | null> {
  const ext = extensionOf(file.replace(/[/\\]+$/, ''));
  if (ext === 'flac') {
    const reader = await io().FlacReader.open(file);
    const { channels, sampleRate, bitsPerSample, frames } = reader.info;
    const peak = new Float64Array(channels);
    const sumSq = new Float64Array(channels);
    const bar = progress('scanning', frames || 1);
    let done = 0;
    try {
      for await (const x of reader.chunks(BLOCK)) {
        addLevels(x, peak, sumSq);
        done += x.length;
        bar.update(done);
      }
    } finally {
      bar.stop();
      reader.close();
    }
    return { file, kind: 'flac', channels, length: done, sampleRate, durationSeconds: done / sampleRate, dtype: 'float64', shape: [channels, done], wavFormat: `pcm${bitsPerSample}`, levels: finishLevels(peak, sumSq, done) };
  }
  // GeoTIFF and Zarr: metadata only (a zero-line read carries the wavelengths and rate, no pixels).
  if (ext === 'tif' || ext === 'tiff') {
    const r = await io().GeoTiffReader.open(file);
    try {
      const { info } = r;
      const s = arraySummary(file, 'geotiff', await r.readLines(0, 0));
      Object.assign(s, { length: info.height * info.width, shape: [info.bands, info.height, info.width] });
      s.layout = { dataType: info.dataType, block: info.blockSize, nodata: info.nodata, epsg: info.epsg };
      return s;
    } finally {
      r.close();
    }
  }
  if (ext === 'zarr') {
    const z = io().ZarrReader.open(file);
    const s = arraySummary(file, 'zarr', z.readLines(0, 0));
    const shape = z.info.shape.length === 1 ? [1, ...z.info.shape] : z.info.shape;
    Object.assign(s, { length: shape.slice(1).reduce((a, b) => a * b, 1), shape });
    if (s.sampleRate !== undefined) s.durationSeconds = (s.length ?? 0) / s.sampleRate;
    s.layout = { dataType: z.info.dataType, block: z.info.chunks, zarrFormat: z.info.zarrFormat, compressor: z.info.compressor };
    return s;
  }
  return null;
}

const db = (v: number): string => (v > 0 ? `${(20 * Math.log10(v)).toFixed(1)} dBFS` : '-inf dBFS');

function print(s: FileSummary): void {
  const rows: [string, string][] = [['file', s.file]];
  rows.push(['kind', s.kind === 'flac' ? `FLAC (${s.wavFormat})` : s.kind === 'geotiff' ? 'GeoTIFF raster' : s.kind === 'zarr' ? `Zarr v${s.layout?.zarrFormat} array` : s.kind === 'wav' ? `WAV (${s.wavFormat})` : s.kind === 'envi' ? 'ENVI cube' : s.kind === 'npy' ? 'NumPy array' : s.kind === 'hdf5' ? 'HDF5 / NetCDF-4' : s.kind === 'sofa' ? `SOFA ${s.sofa?.conventions}` : 'MATLAB .mat']);
  if (s.sofa) rows.push(['responses', `${s.sofa.measurements} measurements × ${s.sofa.receivers} receivers × ${s.sofa.emitters} emitters × ${s.sofa.samples} ${s.sofa.dataType.startsWith('TF') ? 'frequency bins' : 'samples'}`]);
  if (s.channels !== undefined) rows.push([s.kind === 'envi' || s.kind === 'geotiff' ? 'bands' : 'channels', String(s.channels)]);
  if (s.length !== undefined) rows.push(['length', `${s.length} ${s.kind === 'envi' || s.kind === 'geotiff' ? 'pixels' : 'samples'}`]);
  if (s.sampleRate !== undefined) rows.push(['rate', `${s.sampleRate} Hz`]);
  if (s.durationSeconds !== undefined) rows.push(['duration', `${fmt(s.durationSeconds, 6)} s`]);
  if (s.storage) {
    const st = s.storage;
    rows.push(['data type', `${st.dataType} (${st.dataTypeName}), read as ${s.dtype}`]);
    rows.push(['interleave', st.interleave.toUpperCase()]);
    rows.push(['byte order', `${st.byteOrder === 'big endian' ? 1 : 0} (${st.byteOrder})`]);
    if (st.headerOffset > 0) rows.push(['offset', `${st.headerOffset} bytes`]);
    if (st.dataIgnoreValue !== undefined) rows.push(['ignore', String(st.dataIgnoreValue)]);
  } else if (s.dtype !== undefined) rows.push(['dtype', s.dtype]);
  if (s.shape !== undefined) rows.push(['shape', `[${s.shape.join(', ')}]`]);
  if (s.layout) {
    rows.push(['stored as', `${s.layout.dataType} in blocks of [${s.layout.block.join(', ')}]${s.layout.compressor ? `, ${s.layout.compressor}` : ''}`]);
    if (s.layout.nodata !== undefined) rows.push(['nodata', String(s.layout.nodata)]);
    if (s.layout.epsg !== undefined) rows.push(['CRS', `EPSG:${s.layout.epsg}`]);
  }
  if (s.wavelengths) rows.push(['wavelengths', `${fmt(s.wavelengths.min)}–${fmt(s.wavelengths.max)} ${s.wavelengths.unit} (${s.wavelengths.count})`]);
  for (const [k, v] of rows) out(`${k.padEnd(12)}${v}`);
  if (s.variables) {
    out('variables');
    for (const v of s.variables) out(`  ${v.name.padEnd(16)}[${v.shape.join(', ')}] ${v.dtype}`);
  }
  if (s.levels) {
    out('');
    out(`${'channel'.padEnd(9)}${'peak'.padStart(10)}${'peak dBFS'.padStart(14)}${'RMS'.padStart(10)}${'RMS dBFS'.padStart(14)}`);
    s.levels.forEach((l, c) => out(`${String(c).padEnd(9)}${fmt(l.peak).padStart(10)}${db(l.peak).padStart(14)}${fmt(l.rms).padStart(10)}${db(l.rms).padStart(14)}`));
  }
}

/** Registers `info`. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('summarise a WAV, NPY, ENVI (.hdr), MATLAB (.mat, v5 or v7.3), HDF5/NetCDF-4 (.h5, .nc), SOFA (.sofa), FLAC or GeoTIFF (.tif) file or a Zarr array (.zarr folder): channels, length, rate, dtype, shape, duration, wavelengths, per-channel peak/RMS, datasets')
    .argument('<file>', 'a .wav, .npy, .hdr, .mat, .h5, .hdf5, .nc, .sofa, .flac or .tif file, or a .zarr folder')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ pointwise info talkers.wav            # channels, rate, duration, peak and RMS per channel
  $ pointwise info cube.hdr               # bands, [lines, samples], data type, interleave, byte order, wavelengths
  $ pointwise info scores.npy --json       # machine-readable
  $ pointwise info scene.tif               # bands, [rows, cols], stored type, tiles, nodata, EPSG, wavelengths`,
    )
    .action(
      action('info', async (file: string, opts: { json?: boolean }) => {
        if (HDF5_EXTENSIONS.has(extensionOf(file)) || io().isHdf5File(file)) await io().loadHdf5();
        const s = (await summariseMore(file)) ?? summarise(file);
        if (opts.json) out(JSON.stringify(s, null, 2));
        else print(s);
      }),
    );
}
