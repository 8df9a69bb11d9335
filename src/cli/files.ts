/**
 * Reading and writing the files the CLI accepts. {@link readInput} reads every input format (WAV,
 * FLAC, NPY, ENVI, MATLAB v5/v7.3, HDF5 / NetCDF-4, SOFA, GeoTIFF, Zarr), chosen by extension or
 * magic bytes; outputs are `.wav` or `.npy`. Every write goes through the library's atomic
 * writers, so a failed command never leaves a partial output file.
 * @module
 */
import * as fs from 'node:fs';
import { Multichannel } from '../core/multichannel.js';
import type { MatArray, WavFormat } from '../io/index.js';
import { UsageError, extensionOf, out } from './common.js';
import { io, spectral } from './lazy.js';

/** The WAV sample formats accepted by `--format`. */
export const WAV_FORMATS: readonly WavFormat[] = ['pcm16', 'pcm24', 'pcm32', 'float32', 'float64'];

/** Reads a signal from a WAV or NPY file (by extension). */
export function readSignal(filePath: string, what = 'input'): Multichannel {
  const ext = extensionOf(filePath);
  if (ext === 'wav') return io().readWav(filePath);
  if (ext === 'npy') return io().readNpy(filePath);
  throw new UsageError(`${what} must be a .wav or .npy file; got ${JSON.stringify(filePath)}`);
}

/** How to read a cube from a `.mat` file (`--var`, `--shape`); ignored for other formats. */
export interface CubeOptions {
  /** The variable holding the cube (default: see {@link readCube}). */
  variable?: string;
  /** The image grid `[rows, cols]` of a 2-D [bands, pixels] variable. */
  shape?: readonly [number, number];
}

/**
 * Reads a cube from an ENVI header (`.hdr`), an NPY array ([bands, pixels] or [bands, rows, cols]),
 * or a MATLAB `.mat` file (see {@link readMatCube}).
 */
export function readCube(filePath: string, options: CubeOptions = {}): Multichannel {
  const ext = extensionOf(filePath);
  if (ext === 'mat') return readMatCube(filePath, options).cube;
  if (options.variable !== undefined) throw new UsageError(`--var applies only to .mat cubes; got ${JSON.stringify(filePath)}`);
  let x: Multichannel;
  if (ext === 'hdr') x = spectral().readEnvi(filePath);
  else if (ext === 'npy') x = io().readNpy(filePath);
  else throw new UsageError(`the cube must be an ENVI header (.hdr), a .npy array [bands, pixels] or a MATLAB .mat file; got ${JSON.stringify(filePath)}`);
  if (options.shape !== undefined) {
    const [R, C] = options.shape;
    if (R * C !== x.length) throw new UsageError(`--shape ${R},${C} must multiply to the cube's ${x.length} pixels`);
    if (x.shape !== undefined && (x.shape.length !== 2 || x.shape[0] !== R || x.shape[1] !== C)) {
      throw new UsageError(`--shape ${R},${C} must match the grid [${x.shape.join(', ')}] that ${filePath} gives`);
    }
    x = new Multichannel(x.data, x.channels, x.length, { ...x.meta, shape: [R, C] });
  }
  return x;
}

/** A cube read from a .mat file, with where its variable and grid came from (for the command's report). */
export interface MatCube {
  cube: Multichannel;
  variable: string;
  /** How the grid was found: `'--shape'`, the scalar variables used, the 3-D array, or `'3-D cube'`. */
  gridFrom: string;
}

const ROW_NAMES = ['nrow', 'nrows', 'rows', 'lines', 'nlines', 'height'];
const COL_NAMES = ['ncol', 'ncols', 'cols', 'samples', 'nsamples', 'width'];

function scalarNamed(arrays: Record<string, MatArray>, names: readonly string[]): { name: string; value: number } | null {
  for (const a of Object.values(arrays)) {
    if (names.includes(a.name.toLowerCase()) && a.data.length === 1 && Number.isInteger(a.data[0]) && a.data[0] >= 1) return { name: a.name, value: a.data[0] };
  }
  return null;
}

const sizeOf = (a: MatArray): number => a.dims.reduce((p, d) => p * d, 1);
const dims3 = (a: MatArray): number[] => (a.dims.length > 3 && a.dims.slice(3).every((d) => d === 1) ? a.dims.slice(0, 3) : a.dims);

/**
 * Reads a hyperspectral cube from a MATLAB level-5 `.mat` file:
 * - the variable is `options.variable` (`--var`), else the largest numeric array in the file;
 * - a 3-D variable is `[rows, cols, bands]` and carries its own grid;
 * - a 2-D variable is `[bands, pixels]` (or `[pixels, bands]`) with pixels in MATLAB's column-major
 *   order; its grid `[rows, cols]` comes from `options.shape` (`--shape`), else from scalar
 *   variables such as `nRow`/`nCol` or `lines`/`cols`, else from a 3-D array of the file whose
 *   rows × cols equals the pixel count (e.g. the abundance maps `S_GT`); without any, it is an error
 *   asking for `--shape`. The result has row-major pixels and `shape = [rows, cols]`.
 */
export function readMatCube(filePath: string, options: CubeOptions = {}): MatCube {
  const m = io().readMat(filePath, { complex: 'real' });
  const arrays = m.arrays;
  const numeric = Object.values(arrays).filter((a) => a.class !== 'char' && sizeOf(a) > 1);
  const listing = Object.values(arrays).map((a) => `${a.name} [${a.dims.join(', ')}]`).join(', ');
  let a: MatArray | undefined;
  if (options.variable !== undefined) {
    a = arrays[options.variable];
    if (a === undefined) throw new UsageError(`--var ${JSON.stringify(options.variable)} must name a numeric variable of ${filePath}; it has ${listing || 'none'}`);
  } else {
    a = numeric.reduce<MatArray | undefined>((best, v) => (best === undefined || sizeOf(v) > sizeOf(best) ? v : best), undefined);
    if (a === undefined) throw new UsageError(`${filePath} must hold a numeric array to read as a cube; it has ${listing || 'no variables'}`);
  }
  const d = dims3(a);
  if (d.length === 3) {
    const cube = io().matToMultichannel(a);
    if (options.shape !== undefined && (options.shape[0] !== d[0] || options.shape[1] !== d[1])) {
      throw new UsageError(`--shape ${options.shape.join(',')} must match the grid [${d[0]}, ${d[1]}] of the 3-D variable ${a.name}`);
    }
    return { cube, variable: a.name, gridFrom: '3-D cube' };
  }
  if (d.length !== 2) throw new UsageError(`the cube variable ${a.name} must be 2-D [bands, pixels] or 3-D [rows, cols, bands]; got [${a.dims.join(', ')}]`);
  let grid: [number, number] | null = null;
  let gridFrom = '';
  if (options.shape !== undefined) {
    grid = [options.shape[0], options.shape[1]];
    gridFrom = '--shape';
  } else {
    const r = scalarNamed(arrays, ROW_NAMES), c = scalarNamed(arrays, COL_NAMES);
    if (r && c && (r.value * c.value === d[0] || r.value * c.value === d[1])) {
      grid = [r.value, c.value];
      gridFrom = `${r.name} × ${c.name}`;
    } else {
      for (const b of Object.values(arrays)) {
        const bd = dims3(b);
        if (b !== a && bd.length === 3 && (bd[0] * bd[1] === d[1] || bd[0] * bd[1] === d[0])) {
          grid = [bd[0], bd[1]];
          gridFrom = `the grid of ${b.name}`;
          break;
        }
      }
    }
  }
  if (grid === null) {
    throw new UsageError(`the 2-D variable ${a.name} [${a.dims.join(', ')}] needs its image grid: give --shape ROWS,COLS (pixels in MATLAB column-major order)`);
  }
  const pixels = grid[0] * grid[1];
  let bandsFirst = a;
  if (d[1] !== pixels) {
    if (d[0] !== pixels) throw new UsageError(`the grid ${grid.join(' × ')} (from ${gridFrom}) must have as many pixels as ${a.name} [${a.dims.join(', ')}] has in one dimension`);
    // [pixels, bands] → [bands, pixels], both column-major
    const [P, B] = d;
    const t = new Float64Array(P * B);
    for (let b = 0; b < B; b++) for (let p = 0; p < P; p++) t[b + p * B] = a.data[p + b * P];
    bandsFirst = { ...a, dims: [B, P], data: t };
  }
  return { cube: io().matToMultichannel(bandsFirst, { imageShape: grid }), variable: a.name, gridFrom };
}

/** Help text of the cube options (`--var`, `--shape`) shared by `pca` and `project`. */
export const cubeOptionsHelp = `
MATLAB .mat cubes: --var picks the variable (default: the largest array). A 3-D
variable is [rows, cols, bands]; a 2-D one is [bands, pixels] in MATLAB's column-major
pixel order, its grid taken from --shape, else from scalars such as nRow/nCol or
lines/cols, else from a 3-D array of the same pixel count (e.g. abundances S_GT).`;

/**
 * {@link readCube} for a command: for a `.mat` file also prints which variable was read and where
 * its grid came from, so the user sees the choice that was made for them.
 */
export function readCubeFor(filePath: string, options: CubeOptions = {}): Multichannel {
  if (extensionOf(filePath) !== 'mat') return readCube(filePath, options);
  const r = readMatCube(filePath, options);
  const grid = r.cube.shape ? `${r.cube.shape.join(' × ')} grid from ${r.gridFrom}` : 'no grid';
  out(`read ${r.variable} from ${filePath}: ${r.cube.channels} bands × ${r.cube.length} pixels, ${grid}`);
  return r.cube;
}

/**
 * Reads per-pixel targets for `project --target`: `.npy` [m, pixels] or [m, rows, cols], or a `.mat`
 * variable (`variable`, else the 3-D array [rows, cols, m] whose rows × cols is `pixels`, such as
 * abundance maps), returned as [m, pixels] in row-major pixel order.
 */
export function readTarget(filePath: string, pixels: number, variable?: string): Multichannel {
  const ext = extensionOf(filePath);
  if (ext === 'npy') {
    if (variable !== undefined) throw new UsageError(`--target-var applies only to a .mat target; got ${JSON.stringify(filePath)}`);
    return io().readNpy(filePath);
  }
  if (ext !== 'mat') throw new UsageError(`--target must be a .npy array [m, pixels] or a .mat file; got ${JSON.stringify(filePath)}`);
  if (variable === undefined) {
    const arrays = io().readMat(filePath, { complex: 'real' }).arrays;
    const maps = Object.values(arrays).filter((b) => {
      const bd = dims3(b);
      return bd.length === 3 && bd[0] * bd[1] === pixels;
    });
    if (maps.length !== 1) {
      throw new UsageError(`--target ${filePath} must hold exactly one 3-D array [rows, cols, m] with ${pixels} pixels (or name one with --target-var); found ${maps.length}`);
    }
    variable = maps[0].name;
  }
  return readMatCube(filePath, { variable }).cube;
}

/** Checks up front that an output path has an extension we can write (before any work is done). */
export function checkOutputPath(filePath: string, allowed: readonly string[]): string {
  const ext = extensionOf(filePath);
  if (!allowed.includes(ext)) throw new UsageError(`-o must end in ${allowed.map((a) => '.' + a).join(' or ')}; got ${JSON.stringify(filePath)}`);
  return ext;
}

/** Parses `--format`, or returns the default. */
export function parseWavFormat(text: string | undefined, fallback: WavFormat = 'float32'): WavFormat {
  if (text === undefined) return fallback;
  if (!(WAV_FORMATS as readonly string[]).includes(text)) throw new UsageError(`--format must be one of ${WAV_FORMATS.join(', ')}; got ${JSON.stringify(text)}`);
  return text as WavFormat;
}

/** Writes a signal as WAV (needs a sample rate) or NPY, atomically. */
export function writeSignal(filePath: string, x: Multichannel, format: WavFormat = 'float32'): void {
  const ext = checkOutputPath(filePath, ['wav', 'npy']);
  if (ext === 'wav') io().writeWav(filePath, x, { format });
  else io().writeNpy(filePath, x);
}

/** The input formats the CLI reads, as {@link inputFormat} names them. */
export type InputFormat = 'wav' | 'flac' | 'npy' | 'envi' | 'mat' | 'hdf5' | 'sofa' | 'geotiff' | 'zarr';

const EXTENSION_FORMATS: Readonly<Record<string, InputFormat>> = {
  wav: 'wav', flac: 'flac', npy: 'npy', hdr: 'envi', mat: 'mat',
  h5: 'hdf5', hdf5: 'hdf5', he5: 'hdf5', nc: 'hdf5', nc4: 'hdf5', sofa: 'sofa',
  tif: 'geotiff', tiff: 'geotiff', zarr: 'zarr',
};

/** The formats a signal (time series) may come from, and those a cube may come from. */
const SIGNAL_INPUTS: readonly InputFormat[] = ['wav', 'flac', 'npy', 'hdf5', 'sofa', 'zarr'];
const CUBE_INPUTS: readonly InputFormat[] = ['envi', 'npy', 'mat', 'hdf5', 'geotiff', 'zarr'];

const FORMAT_TEXT: Readonly<Record<InputFormat, string>> = {
  wav: '.wav', flac: '.flac', npy: '.npy', envi: '.hdr (ENVI)', mat: '.mat (v5 or v7.3)',
  hdf5: '.h5/.hdf5/.nc (HDF5, NetCDF-4: --dataset, --channels-axis)', sofa: '.sofa (--measurement)',
  geotiff: '.tif/.tiff (GeoTIFF)', zarr: 'a .zarr folder (v2 or v3)',
};

/**
 * The format of an input path: a Zarr folder (a `.zarr` name, or a folder holding `.zarray` or
 * `zarr.json`), else the extension, else the file's first bytes (RIFF/RF64 WAV, fLaC, NumPy,
 * TIFF, MATLAB, HDF5 signature at 0/512/1024). Null when none of them is known.
 */
export function inputFormat(filePath: string): InputFormat | null {
  const bare = filePath.replace(/[/\\]+$/, '');
  let isDir = false;
  try {
    isDir = fs.statSync(bare).isDirectory();
  } catch {
    // a missing path is reported by the reader its extension picks
  }
  if (isDir) return extensionOf(bare) === 'zarr' || fs.existsSync(`${bare}/.zarray`) || fs.existsSync(`${bare}/zarr.json`) ? 'zarr' : null;
  const byExt = EXTENSION_FORMATS[extensionOf(bare)];
  if (byExt !== undefined) return byExt;
  let head: Buffer;
  try {
    const fd = fs.openSync(bare, 'r');
    try {
      head = Buffer.alloc(1032);
      head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  const tag = head.subarray(0, 4).toString('latin1');
  if (tag === 'RIFF' || tag === 'RF64') return 'wav';
  if (tag === 'fLaC') return 'flac';
  if (head.subarray(0, 6).toString('latin1') === '\x93NUMPY') return 'npy';
  if (tag === 'II*\0' || tag === 'MM\0*' || tag === 'II+\0' || tag === 'MM\0+') return 'geotiff';
  if (head.subarray(0, 6).toString('latin1') === 'MATLAB') return 'mat';
  if (io().hdf5SignatureOffset(head) >= 0) return 'hdf5';
  return null;
}

function fileStartsWith(filePath: string, tag: string): boolean {
  try {
    const fd = fs.openSync(filePath, 'r');
    try {
      const b = Buffer.alloc(tag.length);
      return fs.readSync(fd, b, 0, b.length, 0) === b.length && b.toString('latin1') === tag;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** What to read from a container file; each field applies to the formats named. */
export interface InputOptions extends CubeOptions {
  /** HDF5 / NetCDF-4: the dataset path (default: the file's only numeric dataset). */
  dataset?: string;
  /** HDF5 / NetCDF-4 and Zarr: the axis holding the channels (bands); default 0. */
  channelsAxis?: number;
  /** SOFA: the measurement whose impulse responses are read (default 0 when the file has one). */
  measurement?: number;
  /** SOFA: the emitter (default 0 when the file has one). */
  emitter?: number;
}

const isNumericDtype = (d: string | undefined): boolean => d !== undefined && /^(u?int|float|complex)\d+$/.test(d);

/** An HDF5 / NetCDF-4 dataset as a Multichannel: `--dataset` or the only numeric, non-coordinate dataset. */
async function readHdf5Input(filePath: string, options: InputOptions, what: string): Promise<Multichannel> {
  if (!io().isHdf5File(filePath) && fs.existsSync(filePath) && fileStartsWith(filePath, 'CDF')) {
    throw new UsageError(`${what} ${filePath} is a classic NetCDF (version 3) file, which is not HDF5: convert it with \`nccopy -k nc4 in.nc out.nc\``);
  }
  await io().loadHdf5();
  const f = io().Hdf5File.openSync(filePath);
  try {
    const datasets = f.list().filter((e) => e.kind === 'dataset' && isNumericDtype(e.dtype));
    const listing = datasets.map((e) => `/${e.path} [${(e.shape ?? []).join(', ')}] ${e.dtype}`).join(', ') || 'none';
    let name = options.dataset?.replace(/^\/+/, '');
    if (name === undefined) {
      // NetCDF-4 coordinate variables are HDF5 dimension scales; scalars and 1-value datasets are metadata.
      const data = datasets.filter((e) => e.attrs.CLASS !== 'DIMENSION_SCALE' && (e.shape ?? []).reduce((p, n) => p * n, 1) > 1);
      if (data.length !== 1) throw new UsageError(`${what} ${filePath} holds ${data.length === 0 ? 'no' : data.length} numeric datasets: give --dataset with one of ${listing}`);
      name = data[0].path;
    } else if (!datasets.some((e) => e.path === name)) {
      throw new UsageError(`--dataset ${JSON.stringify(options.dataset)} must name a numeric dataset of ${filePath}; it has ${listing}`);
    }
    const shape = datasets.find((e) => e.path === name)!.shape ?? [];
    const nd = Math.max(1, shape.length);
    const axis = options.channelsAxis ?? 0;
    if (!(axis >= -nd && axis < nd)) throw new UsageError(`--channels-axis must be in [${-nd}, ${nd - 1}] for /${name} [${shape.join(', ')}]; got ${axis}`);
    return f.read(name, { channelAxis: axis });
  } finally {
    f.close();
  }
}

async function readSofaInput(filePath: string, options: InputOptions, what: string): Promise<Multichannel> {
  const s = await (require('../io/sofa.js') as typeof import('../io/sofa.js')).readSofa(filePath);
  const pick = (option: string, v: number | undefined, count: number, noun: string): number => {
    if (v === undefined) {
      if (count === 1) return 0;
      throw new UsageError(`${what} ${filePath} holds ${count} ${noun}s (${s.conventions}): give ${option} 0…${count - 1}`);
    }
    if (!(v < count)) throw new UsageError(`${option} must be below the ${count} ${noun}s of ${filePath}; got ${v}`);
    return v;
  };
  return s.ir(pick('--measurement', options.measurement, s.measurements, 'measurement'), pick('--emitter', options.emitter, s.emitters, 'emitter'));
}

function rejectOptions(filePath: string, fmt: InputFormat, options: InputOptions): void {
  const given: [string, unknown, readonly InputFormat[]][] = [
    ['--dataset', options.dataset, ['hdf5']],
    ['--channels-axis', options.channelsAxis, ['hdf5', 'zarr']],
    ['--measurement', options.measurement, ['sofa']],
    ['--emitter', options.emitter, ['sofa']],
  ];
  for (const [flag, v, formats] of given) {
    if (v !== undefined && !formats.includes(fmt)) throw new UsageError(`${flag} applies only to ${formats.map((f) => FORMAT_TEXT[f].split(' (')[0]).join(' and ')} input; got ${JSON.stringify(filePath)}`);
  }
}

/**
 * Reads a command's input of any supported format as a Multichannel — the one place the commands
 * read WAV, FLAC, NPY, ENVI, MATLAB (v5 and v7.3), HDF5 / NetCDF-4, SOFA, GeoTIFF and Zarr, by
 * {@link inputFormat}. `role` says which formats make sense: a `'signal'` (time series: WAV, FLAC,
 * NPY, an HDF5 dataset, a SOFA measurement's impulse responses, a Zarr array) or a `'cube'` (ENVI,
 * NPY, MATLAB, an HDF5 dataset, GeoTIFF, Zarr). `what` names the input in messages.
 * @throws UsageError for an unknown or unsuitable format (listing those accepted), an HDF5 file with
 *   several datasets and no `--dataset` (listing them), a SOFA file with several measurements and no
 *   `--measurement`, or an option that does not apply to the format; the readers' FormatError etc.
 */
export async function readInput(filePath: string, role: 'signal' | 'cube', options: InputOptions = {}, what = 'the input'): Promise<Multichannel> {
  const fmt = inputFormat(filePath);
  const allowed = role === 'signal' ? SIGNAL_INPUTS : CUBE_INPUTS;
  if (fmt === null || !allowed.includes(fmt)) {
    throw new UsageError(`${what} must be ${role === 'signal' ? 'a signal' : 'a cube'} in one of: ${allowed.map((f) => FORMAT_TEXT[f]).join(', ')}; got ${JSON.stringify(filePath)}${fmt !== null ? ` (${FORMAT_TEXT[fmt].split(' (')[0]})` : ''}`);
  }
  rejectOptions(filePath, fmt, options);
  if (options.variable !== undefined && !(role === 'cube' && fmt === 'mat')) throw new UsageError(`--var applies only to .mat cubes; got ${JSON.stringify(filePath)}`);
  let x: Multichannel;
  switch (fmt) {
    case 'wav': return io().readWav(filePath);
    case 'flac': return io().readFlac(filePath);
    case 'sofa': return readSofaInput(filePath, options, what);
    case 'mat':
    case 'envi':
    case 'npy':
      if (role === 'signal') return io().readNpy(filePath);
      if (fmt === 'mat' && io().isHdf5File(filePath)) await io().loadHdf5();
      return readCubeFor(filePath, options);
    case 'hdf5': x = await readHdf5Input(filePath, options, what); break;
    case 'geotiff': x = await io().readGeoTiff(filePath); break;
    case 'zarr': {
      const axis = options.channelsAxis ?? 0;
      if (axis !== 0 && axis !== 2 && axis !== -1) throw new UsageError(`--channels-axis of a Zarr array must be 0 ([bands, rows, cols]) or 2 ([rows, cols, bands]); got ${axis}`);
      x = io().readZarr(filePath.replace(/[/\\]+$/, ''), { bandAxis: axis === 0 ? 0 : 2 });
      break;
    }
  }
  return role === 'cube' ? withShape(x, filePath, options.shape) : x;
}

/** `x` with the grid `--shape` gives (checked against its pixels and any grid the file gives). */
function withShape(x: Multichannel, filePath: string, shape: readonly [number, number] | undefined): Multichannel {
  if (shape === undefined) return x;
  const [R, C] = shape;
  if (R * C !== x.length) throw new UsageError(`--shape ${R},${C} must multiply to the cube's ${x.length} pixels`);
  if (x.shape !== undefined && (x.shape.length !== 2 || x.shape[0] !== R || x.shape[1] !== C)) {
    throw new UsageError(`--shape ${R},${C} must match the grid [${x.shape.join(', ')}] that ${filePath} gives`);
  }
  return new Multichannel(x.data, x.channels, x.length, { ...x.meta, shape: [R, C] });
}

/** Help text listing the input formats and the options that pick what to read from a container. */
export function inputFormatsHelp(role: 'signal' | 'cube'): string {
  const allowed = role === 'signal' ? SIGNAL_INPUTS : CUBE_INPUTS;
  return `
Input formats: ${allowed.map((f) => FORMAT_TEXT[f]).join(', ')}.
HDF5 / NetCDF-4: --dataset /path picks the dataset (default the only numeric one; coordinate
variables are skipped), --channels-axis N the axis holding the ${role === 'signal' ? 'channels' : 'bands'} (default 0).${role === 'signal'
    ? `
SOFA: the impulse responses of --measurement M (and --emitter E), receivers as channels.`
    : `
Zarr: --channels-axis 2 for [rows, cols, bands] arrays (default 0, [bands, rows, cols]).`}`;
}

/** Parses the container options (`--dataset`, `--channels-axis`, `--measurement`, `--emitter`) of a command. */
export function parseInputOptions(opts: { dataset?: string; channelsAxis?: string; measurement?: string; emitter?: string }): InputOptions {
  const int = (flag: string, v: string | undefined, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer${min === 0 ? ' ≥ 0' : ''}; got ${JSON.stringify(v)}`);
    return n;
  };
  return {
    dataset: opts.dataset,
    channelsAxis: int('--channels-axis', opts.channelsAxis, -Infinity),
    measurement: int('--measurement', opts.measurement, 0),
    emitter: int('--emitter', opts.emitter, 0),
  };
}

/**
 * Adds the container options to a command: `--dataset` and `--channels-axis` (HDF5 / NetCDF-4, and
 * Zarr for a cube), plus `--measurement` and `--emitter` for a signal (SOFA).
 */
export function addInputOptions<T extends { option(flags: string, description: string): T }>(cmd: T, role: 'signal' | 'cube'): T {
  cmd.option('--dataset <path>', 'HDF5 / NetCDF-4 input: the dataset (default the only numeric one)');
  cmd.option('--channels-axis <n>', `HDF5 / NetCDF-4${role === 'cube' ? ' or Zarr' : ''} input: the axis holding the ${role === 'signal' ? 'channels' : 'bands'} (default 0)`);
  if (role === 'signal') {
    cmd.option('--measurement <m>', 'SOFA input: the measurement whose impulse responses are read (receivers as channels)');
    cmd.option('--emitter <e>', 'SOFA input with several emitters: the emitter');
  }
  return cmd;
}
