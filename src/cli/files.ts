/**
 * Reading and writing the files the CLI accepts, chosen by extension: `.wav` (audio), `.npy`
 * (NumPy arrays, [C, T] or [T]), `.hdr` (ENVI cubes). Every write goes through the library's atomic
 * writers, so a failed command never leaves a partial output file.
 * @module
 */
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
