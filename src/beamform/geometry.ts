/**
 * Microphone-array geometry, the coordinate frame, targets (far-field directions and near-field
 * points) and physical quantities with units.
 *
 * **Frame.** Positions are in metres in a right-handed (x, y, z) frame. A far-field direction is given
 * by its *azimuth* (measured in the x–y plane from +x toward +y) and its *elevation* (up from the
 * x–y plane toward +z); its unit vector, pointing from the array toward the source, is
 * `u = (cos el · cos az, cos el · sin az, sin el)`. A near-field target is a source point in the
 * same frame. A plane wave from `u` reaches microphone `p` at `−(p·u)/c` seconds relative to the
 * origin; a spherical wave from point `s` at `|p − s|/c`.
 * @module
 */
import * as fs from 'node:fs';
import { unit as mathUnitRaw, type Unit } from '../core/mathjs.js';
import { ArgumentTypeError, FormatError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertFinite, assertInteger, assertPositive } from '../core/validate.js';
import { fileError } from '../io/atomic.js';

/** Speed of sound used when none is given: 343 m/s (dry air at about 20 °C). */
export const DEFAULT_SPEED_OF_SOUND = 343;

/** A length: metres as a number, or a string with a unit parsed by mathjs (`'3 cm'`, `'1.2 m'`). */
export type LengthLike = number | string;
/** An angle: degrees as a number, or a string with a unit (`'30 deg'`, `'0.5 rad'`). */
export type AngleLike = number | string;
/** A speed of sound: m/s as a number, a speed with a unit (`'343 m/s'`), or an air temperature (`'20 degC'`). */
export type SpeedLike = number | string;

const mathUnit = (s: string): Unit => mathUnitRaw(s) as Unit;

function mathjsUnit(fn: string, what: string, v: string): Unit {
  try {
    return mathUnit(v);
  } catch (err) {
    throw new ValueError(message(fn, `${what} must be a number or a quantity with a unit such as '3 cm'`, v) + ` (${(err as Error).message})`);
  }
}

/**
 * A length in metres from a number (already metres) or a quantity string (`'3 cm'` → 0.03).
 * mathjs is used here, at the boundary only, never in loops.
 * @throws ValueError for an unparsable string, a unit that is not a length, or a non-finite value.
 * @example toMetres('3 cm') // 0.03
 */
export function toMetres(v: LengthLike): number {
  return toMetresChecked('toMetres', v, 'length');
}

/** {@link toMetres} for the package's functions, with errors naming `fn` and the quantity `what`. */
export function toMetresChecked(fn: string, v: LengthLike, what: string): number {
  if (typeof v === 'number') {
    assertFinite(fn, what, v);
    return v;
  }
  if (typeof v !== 'string') throw new ArgumentTypeError(message(fn, `${what} must be a number (m) or a string with a unit`, v));
  const u = mathjsUnit(fn, what, v);
  if (!u.equalBase(mathUnit('1 m'))) throw new ValueError(message(fn, `${what} must be a length`, v));
  const m = u.toNumber('m');
  assertFinite(fn, what, m);
  return m;
}

/**
 * An angle in degrees from a number (already degrees) or a quantity string (`'0.5 rad'`, `'30 deg'`).
 * @throws ValueError for an unparsable string or a unit that is not an angle.
 */
export function toDegrees(v: AngleLike): number {
  return toDegreesChecked('toDegrees', v, 'angle');
}

/** {@link toDegrees} for the package's functions, with errors naming `fn` and the quantity `what`. */
export function toDegreesChecked(fn: string, v: AngleLike, what: string): number {
  if (typeof v === 'number') {
    assertFinite(fn, what, v);
    return v;
  }
  if (typeof v !== 'string') throw new ArgumentTypeError(message(fn, `${what} must be a number (degrees) or a string with a unit`, v));
  const u = mathjsUnit(fn, what, v);
  if (!u.equalBase(mathUnit('1 rad'))) throw new ValueError(message(fn, `${what} must be an angle`, v));
  return u.toNumber('deg');
}

/**
 * Speed of sound in m/s. A number is taken as m/s; `'343 m/s'` (any speed unit) is converted; a
 * temperature (`'20 degC'`, `'293.15 K'`, `'68 degF'`) gives the speed in dry air,
 * `331.3 · sqrt(1 + T/273.15)` m/s with T in °C (20 °C → 343.2 m/s).
 * @throws ValueError for a non-positive speed, a temperature below absolute zero, or another unit.
 * @example speedOfSound('20 degC') // 343.21…
 */
export function speedOfSound(v: SpeedLike = DEFAULT_SPEED_OF_SOUND): number {
  return speedOfSoundChecked('speedOfSound', v);
}

/** {@link speedOfSound} for the package's functions, with errors naming `fn`. */
export function speedOfSoundChecked(fn: string, v: SpeedLike): number {
  if (typeof v === 'number') {
    assertPositive(fn, 'speedOfSound (m/s)', v);
    return v;
  }
  if (typeof v !== 'string') throw new ArgumentTypeError(message(fn, 'speedOfSound must be a number (m/s) or a string with a unit', v));
  const u = mathjsUnit(fn, 'speedOfSound', v);
  if (u.equalBase(mathUnit('1 m/s'))) {
    const s = u.toNumber('m/s');
    assertPositive(fn, 'speedOfSound (m/s)', s);
    return s;
  }
  if (u.equalBase(mathUnit('1 K'))) {
    const t = u.toNumber('degC');
    if (!(t > -273.15)) throw new ValueError(message(fn, 'temperature must be above absolute zero', v));
    return 331.3 * Math.sqrt(1 + t / 273.15);
  }
  throw new ValueError(message(fn, 'speedOfSound must be a speed (m/s) or an air temperature (degC, K)', v));
}

/** A far-field target: a direction of arrival (degrees; see the module's frame). */
export interface FarFieldTarget {
  readonly kind: 'far-field';
  /** Azimuth in degrees, from +x toward +y. */
  readonly azimuthDeg: number;
  /** Elevation in degrees, up from the x–y plane (default 0). */
  readonly elevationDeg: number;
}
/** A near-field target: a source point in metres. */
export interface NearFieldTarget {
  readonly kind: 'near-field';
  readonly point: readonly [number, number, number];
}
/** Where to steer: a direction (far field) or a point (near field). */
export type Target = FarFieldTarget | NearFieldTarget;

/**
 * A far-field direction. Angles in degrees or with units (`'30 deg'`, `'0.52 rad'`).
 * @example direction(30) // azimuth 30° from +x toward +y, in the horizontal plane
 */
export function direction(azimuth: AngleLike, elevation: AngleLike = 0): FarFieldTarget {
  const az = toDegreesChecked('direction', azimuth, 'azimuth');
  const el = toDegreesChecked('direction', elevation, 'elevation');
  if (el < -90 || el > 90) throw new ValueError(message('direction', 'elevation must be in [−90, 90] degrees', el));
  return { kind: 'far-field', azimuthDeg: az, elevationDeg: el };
}

/**
 * A near-field source point, coordinates in metres or with units (`'40 cm'`).
 * @example point(0.5, 0.2) // z = 0
 */
export function point(x: LengthLike, y: LengthLike, z: LengthLike = 0): NearFieldTarget {
  return { kind: 'near-field', point: [toMetresChecked('point', x, 'x'), toMetresChecked('point', y, 'y'), toMetresChecked('point', z, 'z')] };
}

/** Unit vector (from the array toward the source) of a far-field target. */
export function unitVector(t: FarFieldTarget): [number, number, number] {
  const az = (t.azimuthDeg * Math.PI) / 180;
  const el = (t.elevationDeg * Math.PI) / 180;
  return [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
}

/** Throws unless `t` is a well-formed {@link Target}. */
export function checkTarget(fn: string, t: unknown): Target {
  if (t === null || typeof t !== 'object') throw new ArgumentTypeError(message(fn, "target must be direction(az, el) or point(x, y, z)", t));
  const o = t as Record<string, unknown>;
  if (o.kind === 'far-field') {
    assertFinite(fn, 'target.azimuthDeg', o.azimuthDeg);
    assertFinite(fn, 'target.elevationDeg', o.elevationDeg);
    return t as FarFieldTarget;
  }
  if (o.kind === 'near-field') {
    const p = o.point;
    if (!Array.isArray(p) || p.length !== 3) throw new ShapeError(message(fn, 'target.point must be [x, y, z] in metres', p));
    p.forEach((v, i) => assertFinite(fn, `target.point[${i}]`, v));
    return t as NearFieldTarget;
  }
  throw new ArgumentTypeError(message(fn, "target must be direction(az, el) or point(x, y, z)", t));
}

/** Source positions read from a geometry file, by name. */
export type SourceMap = Readonly<Record<string, readonly [number, number, number]>>;

/** What a geometry file says besides positions: its speed of sound, sample rate and length unit. */
export interface GeometryMeta {
  /** Speed of sound in m/s from the file (`"speedOfSound": 343` or `"343 m/s"` or `"20 degC"`). */
  readonly speedOfSound?: number;
  /** Sample rate in Hz of the recordings the file describes (`"sampleRate"`). */
  readonly sampleRate?: number;
  /** The length unit the file's numbers were read in (`"units"`, default 'm'). */
  readonly units?: 'm' | 'cm' | 'mm';
}

/**
 * Microphone positions in metres: `M` microphones, stored row-major in `positions` (`[x0, y0, z0, x1, …]`).
 * Immutable. Coincident microphones (closer than 1 µm) and non-finite coordinates are rejected.
 *
 * Constructors: {@link ArrayGeometry.linear}, {@link ArrayGeometry.circular},
 * {@link ArrayGeometry.grid}, {@link ArrayGeometry.fromPositions}, {@link ArrayGeometry.fromJson}.
 */
export class ArrayGeometry {
  /** Row-major `[M × 3]` positions in metres. */
  readonly positions: Float64Array;
  /** Number of microphones. */
  readonly count: number;
  /** Named source positions that came with the geometry (fromJson), else empty. */
  readonly sources: SourceMap;
  /**
   * Speed of sound (m/s) stated by the geometry file, else undefined. The beamformers and srpPhat
   * use it when their `speedOfSound` option is not given (an explicit option wins; without either
   * they use {@link DEFAULT_SPEED_OF_SOUND}).
   */
  readonly speedOfSound: number | undefined;
  /** Sample rate (Hz) stated by the geometry file, else undefined (see {@link geometryScaleWarnings}). */
  readonly sampleRate: number | undefined;
  /** Length unit the file's numbers were given in ('m' for constructed geometries). */
  readonly units: 'm' | 'cm' | 'mm';

  private constructor(positions: Float64Array, sources: SourceMap = {}, meta: GeometryMeta = {}) {
    const fn = 'ArrayGeometry';
    const M = positions.length / 3;
    for (let i = 0; i < positions.length; i++) {
      if (!Number.isFinite(positions[i])) {
        throw new ValueError(message(fn, 'microphone positions must be finite numbers (metres)', { verbatim: `${positions[i]} at microphone ${Math.floor(i / 3)}, coordinate ${'xyz'[i % 3]}` }));
      }
    }
    for (let i = 0; i < M; i++) {
      for (let j = i + 1; j < M; j++) {
        const dx = positions[3 * i] - positions[3 * j];
        const dy = positions[3 * i + 1] - positions[3 * j + 1];
        const dz = positions[3 * i + 2] - positions[3 * j + 2];
        if (Math.sqrt(dx * dx + dy * dy + dz * dz) < 1e-6) {
          throw new ValueError(message(fn, 'microphones must not coincide (distance ≥ 1 µm)', { verbatim: `microphones ${i} and ${j} both at (${positions[3 * i]}, ${positions[3 * i + 1]}, ${positions[3 * i + 2]})` }));
        }
      }
    }
    this.positions = positions;
    this.count = M;
    this.sources = sources;
    this.speedOfSound = meta.speedOfSound;
    this.sampleRate = meta.sampleRate;
    this.units = meta.units ?? 'm';
    Object.freeze(this);
  }

  /**
   * Arbitrary positions: `[[x, y, z], …]` (or `[x, y]`, z = 0), or a flat row-major `[M × 3]` array.
   * @throws ShapeError for no microphones or rows that are not 2 or 3 long; ValueError for NaN or coincident microphones.
   */
  static fromPositions(positions: readonly (readonly number[])[] | Float64Array, sources: SourceMap = {}, meta: GeometryMeta = {}): ArrayGeometry {
    const fn = 'ArrayGeometry.fromPositions';
    if (positions instanceof Float64Array) {
      if (positions.length === 0 || positions.length % 3 !== 0) throw new ShapeError(message(fn, 'a flat positions array must hold M × 3 numbers, M ≥ 1', positions.length));
      return new ArrayGeometry(positions.slice(), sources, meta);
    }
    if (!Array.isArray(positions) || positions.length === 0) throw new ShapeError(message(fn, 'positions must be a non-empty array of [x, y, z] rows (metres)', positions));
    const out = new Float64Array(positions.length * 3);
    positions.forEach((row, i) => {
      if (!Array.isArray(row) || (row.length !== 2 && row.length !== 3)) throw new ShapeError(message(fn, `positions[${i}] must be [x, y] or [x, y, z]`, row));
      for (let k = 0; k < row.length; k++) {
        if (typeof row[k] !== 'number') throw new ArgumentTypeError(message(fn, `positions[${i}][${k}] must be a number (metres)`, row[k]));
        out[3 * i + k] = row[k];
      }
    });
    return new ArrayGeometry(out, sources, meta);
  }

  /**
   * Uniform linear array of `count` microphones with `spacing` (metres or `'3 cm'`) along `axis`
   * ('x' default, 'y' or 'z'), centred on the origin unless `centred: false` (then microphone 0 is at
   * the origin).
   */
  static linear(count: number, spacing: LengthLike, options: { axis?: 'x' | 'y' | 'z'; centred?: boolean } = {}): ArrayGeometry {
    const fn = 'ArrayGeometry.linear';
    assertInteger(fn, 'count', count, 1);
    const d = toMetresChecked(fn, spacing, 'spacing');
    assertPositive(fn, 'spacing (m)', d);
    const axis = options.axis ?? 'x';
    const k = axis === 'x' ? 0 : axis === 'y' ? 1 : axis === 'z' ? 2 : -1;
    if (k < 0) throw new ValueError(message(fn, "options.axis must be one of 'x', 'y', 'z'", axis));
    const off = options.centred === false ? 0 : ((count - 1) * d) / 2;
    const p = new Float64Array(count * 3);
    for (let i = 0; i < count; i++) p[3 * i + k] = i * d - off;
    return new ArrayGeometry(p);
  }

  /**
   * Uniform circular array in the x–y plane: `count` microphones on a circle of `radius`, microphone
   * 0 at azimuth `startDeg` (default 0), counter-clockwise (from +x toward +y).
   */
  static circular(count: number, radius: LengthLike, options: { startDeg?: number } = {}): ArrayGeometry {
    const fn = 'ArrayGeometry.circular';
    assertInteger(fn, 'count', count, 1);
    const r = toMetresChecked(fn, radius, 'radius');
    assertPositive(fn, 'radius (m)', r);
    const s = ((options.startDeg ?? 0) * Math.PI) / 180;
    const p = new Float64Array(count * 3);
    for (let i = 0; i < count; i++) {
      const a = s + (2 * Math.PI * i) / count;
      p[3 * i] = r * Math.cos(a);
      p[3 * i + 1] = r * Math.sin(a);
    }
    return new ArrayGeometry(p);
  }

  /**
   * Rectangular grid in the x–y plane: `rows × cols` microphones, row spacing along y, column spacing
   * along x, centred on the origin; microphone `r * cols + c` at column c, row r.
   */
  static grid(rows: number, cols: number, spacing: LengthLike, spacingY: LengthLike = spacing): ArrayGeometry {
    const fn = 'ArrayGeometry.grid';
    assertInteger(fn, 'rows', rows, 1);
    assertInteger(fn, 'cols', cols, 1);
    const dx = toMetresChecked(fn, spacing, 'spacing');
    const dy = toMetresChecked(fn, spacingY, 'spacingY');
    assertPositive(fn, 'spacing (m)', dx);
    assertPositive(fn, 'spacingY (m)', dy);
    const p = new Float64Array(rows * cols * 3);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        p[3 * i] = c * dx - ((cols - 1) * dx) / 2;
        p[3 * i + 1] = r * dy - ((rows - 1) * dy) / 2;
      }
    }
    return new ArrayGeometry(p);
  }

  /**
   * From a JSON file path or parsed object `{ microphones: [[x, y, z], …], sources?: { name: [x, y, z] },
   * units?: 'm' | 'cm' | 'mm', speedOfSound?: number | string, sampleRate?: number }`, the layout of
   * ../shared/data/mic_array/ula32_office/geometry.json. Sources are exposed on `.sources`; the
   * file's speed of sound (m/s, or anything {@link speedOfSound} accepts) on `.speedOfSound`, where
   * the beamformers and srpPhat take it as their default; `sampleRate` (Hz) and `units` on the
   * properties of the same names. Check the scale with {@link geometryScaleWarnings}.
   * @throws FileError when the file cannot be read; FormatError for invalid JSON, a missing
   *   `microphones` list, unknown units or a bad speedOfSound / sampleRate.
   * @example ArrayGeometry.fromJson('geometry.json').sources['1'] // [0.331, 0.086, 0]
   */
  static fromJson(source: string | Record<string, unknown>): ArrayGeometry {
    const fn = 'ArrayGeometry.fromJson';
    let obj: Record<string, unknown>;
    if (typeof source === 'string') {
      let text: string;
      try {
        text = fs.readFileSync(source, 'utf8');
      } catch (err) {
        throw fileError(fn, 'the geometry file must be readable', source, err);
      }
      try {
        obj = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        throw new FormatError(message(fn, 'the geometry file must be valid JSON', { verbatim: `${JSON.stringify(source)} (${(err as Error).message})` }));
      }
    } else if (source !== null && typeof source === 'object') {
      obj = source;
    } else {
      throw new ArgumentTypeError(message(fn, 'source must be a path or a parsed object', source));
    }
    const mics = obj.microphones;
    if (!Array.isArray(mics)) throw new FormatError(message(fn, 'the geometry must have a "microphones" array of [x, y, z]', mics));
    const units = obj.units ?? 'm';
    const scale = units === 'm' ? 1 : units === 'cm' ? 0.01 : units === 'mm' ? 0.001 : NaN;
    if (Number.isNaN(scale)) throw new FormatError(message(fn, "units must be 'm', 'cm' or 'mm'", units));
    const rows = (mics as unknown[]).map((r) => (Array.isArray(r) ? r.map((v) => (typeof v === 'number' ? v * scale : v)) : r)) as number[][];
    const sources: Record<string, [number, number, number]> = {};
    const src = obj.sources;
    if (src !== undefined && src !== null && typeof src === 'object') {
      for (const [name, v] of Object.entries(src as Record<string, unknown>)) {
        if (!Array.isArray(v) || v.length < 2 || v.length > 3 || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
          throw new FormatError(message(fn, `source "${name}" must be [x, y] or [x, y, z]`, v));
        }
        sources[name] = [v[0] * scale, v[1] * scale, (v[2] ?? 0) * scale];
      }
    }
    let c: number | undefined;
    if (obj.speedOfSound !== undefined) {
      if (typeof obj.speedOfSound !== 'number' && typeof obj.speedOfSound !== 'string') throw new FormatError(message(fn, '"speedOfSound" must be m/s or a string with a unit', obj.speedOfSound));
      try {
        c = speedOfSoundChecked(fn, obj.speedOfSound);
      } catch (err) {
        throw new FormatError(message(fn, '"speedOfSound" must be a positive speed (m/s) or an air temperature', obj.speedOfSound) + ` (${(err as Error).message})`);
      }
    }
    const fs0 = obj.sampleRate;
    if (fs0 !== undefined && !(typeof fs0 === 'number' && Number.isFinite(fs0) && fs0 > 0)) throw new FormatError(message(fn, '"sampleRate" must be a positive number (Hz)', fs0));
    return ArrayGeometry.fromPositions(rows, Object.freeze(sources), { speedOfSound: c, sampleRate: fs0 as number | undefined, units: units as 'm' | 'cm' | 'mm' });
  }

  /**
   * The unit vector along the line through the microphones when they are collinear (a linear array;
   * deviations up to 1e-6 of the aperture tolerated), else undefined. Sign: from the first microphone
   * toward the farthest one. A linear array cannot tell a direction from its mirror about this axis
   * (see {@link mirrorDirection}).
   */
  get linearAxis(): [number, number, number] | undefined {
    if (this.count < 2) return undefined;
    const p = this.positions;
    let far = 1;
    for (let m = 1; m < this.count; m++) if (this.distance(0, m) > this.distance(0, far)) far = m;
    const L = this.distance(0, far);
    const a: [number, number, number] = [(p[3 * far] - p[0]) / L, (p[3 * far + 1] - p[1]) / L, (p[3 * far + 2] - p[2]) / L];
    for (let m = 1; m < this.count; m++) {
      const d = [p[3 * m] - p[0], p[3 * m + 1] - p[1], p[3 * m + 2] - p[2]];
      const t = d[0] * a[0] + d[1] * a[1] + d[2] * a[2];
      if (Math.hypot(d[0] - t * a[0], d[1] - t * a[1], d[2] - t * a[2]) > 1e-6 * L) return undefined;
    }
    return a;
  }

  /** Position of microphone `m` as `[x, y, z]` metres. */
  position(m: number): [number, number, number] {
    assertInteger('ArrayGeometry.position', 'm', m, 0, this.count - 1);
    return [this.positions[3 * m], this.positions[3 * m + 1], this.positions[3 * m + 2]];
  }

  /** Centroid of the microphones (metres). */
  get centroid(): [number, number, number] {
    const c: [number, number, number] = [0, 0, 0];
    for (let m = 0; m < this.count; m++) for (let k = 0; k < 3; k++) c[k] += this.positions[3 * m + k] / this.count;
    return c;
  }

  /** Distance between microphones `i` and `j` (metres). */
  distance(i: number, j: number): number {
    const p = this.positions;
    const dx = p[3 * i] - p[3 * j];
    const dy = p[3 * i + 1] - p[3 * j + 1];
    const dz = p[3 * i + 2] - p[3 * j + 2];
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** Largest distance between two microphones (the aperture, metres); 0 for one microphone. */
  get aperture(): number {
    let a = 0;
    for (let i = 0; i < this.count; i++) for (let j = i + 1; j < this.count; j++) a = Math.max(a, this.distance(i, j));
    return a;
  }

  /** Smallest distance between two microphones (metres); Infinity for one microphone. */
  get minSpacing(): number {
    let a = Infinity;
    for (let i = 0; i < this.count; i++) for (let j = i + 1; j < this.count; j++) a = Math.min(a, this.distance(i, j));
    return a;
  }

  /**
   * Spatial-aliasing frequency in Hz, `c / (2 · d_min)` with `d_min` the smallest microphone
   * spacing: above it a uniform array can form grating lobes for some steering. (For a ULA of spacing
   * d steered to broadside only, grating lobes start at c/d.)
   */
  aliasingFrequency(speed: SpeedLike = DEFAULT_SPEED_OF_SOUND): number {
    return speedOfSoundChecked('ArrayGeometry.aliasingFrequency', speed) / (2 * this.minSpacing);
  }

  /** The geometry translated by `(dx, dy, dz)` metres (sources too). */
  translate(dx: number, dy: number, dz = 0): ArrayGeometry {
    const p = this.positions.slice();
    for (let m = 0; m < this.count; m++) {
      p[3 * m] += dx;
      p[3 * m + 1] += dy;
      p[3 * m + 2] += dz;
    }
    const s: Record<string, [number, number, number]> = {};
    for (const [k, v] of Object.entries(this.sources)) s[k] = [v[0] + dx, v[1] + dy, v[2] + dz];
    return new ArrayGeometry(p, Object.freeze(s), this.meta);
  }

  /** The microphones at `indices`, in that order. */
  select(indices: readonly number[]): ArrayGeometry {
    const fn = 'ArrayGeometry.select';
    if (!Array.isArray(indices) || indices.length === 0) throw new ShapeError(message(fn, 'indices must be a non-empty array', indices));
    const p = new Float64Array(indices.length * 3);
    indices.forEach((m, k) => {
      assertInteger(fn, `indices[${k}]`, m, 0, this.count - 1);
      p.set(this.positions.subarray(3 * m, 3 * m + 3), 3 * k);
    });
    return new ArrayGeometry(p, this.sources, this.meta);
  }

  private get meta(): GeometryMeta {
    return { speedOfSound: this.speedOfSound, sampleRate: this.sampleRate, units: this.units };
  }

  /** `[[x, y, z], …]` as plain arrays (for JSON), with the file's speed of sound and sample rate when known. */
  toJSON(): { microphones: number[][]; units: 'm'; sources: SourceMap; speedOfSound?: number; sampleRate?: number } {
    const rows: number[][] = [];
    for (let m = 0; m < this.count; m++) rows.push(Array.from(this.positions.subarray(3 * m, 3 * m + 3)));
    return { microphones: rows, units: 'm', sources: this.sources, ...(this.speedOfSound !== undefined ? { speedOfSound: this.speedOfSound } : {}), ...(this.sampleRate !== undefined ? { sampleRate: this.sampleRate } : {}) };
  }
}

/**
 * The direction a linear array cannot tell apart from `t`: `t` turned by 180° about the array axis
 * `axis` (a unit vector, e.g. {@link ArrayGeometry.linearAxis}), `u' = 2(u·a)a − u`. It keeps the
 * angle to the axis, so every microphone pair sees the same delay. For an axis in the x–y plane at
 * azimuth α and a horizontal direction this is azimuth `2α − θ` (an array along y: θ ↔ 180° − θ).
 * The azimuth is returned in [0, 360) when `t.azimuthDeg` ≥ 0, else in (−180, 180].
 * @throws ValueError unless `axis` is a finite unit vector.
 * @example mirrorDirection([0, 1, 0], direction(30)) // azimuth 150°
 */
export function mirrorDirection(axis: readonly [number, number, number], t: FarFieldTarget): FarFieldTarget {
  const fn = 'mirrorDirection';
  const t0 = checkTarget(fn, t);
  if (t0.kind !== 'far-field') throw new ValueError(message(fn, 'target must be a far-field direction', t0.kind));
  if (!Array.isArray(axis) || axis.length !== 3 || !axis.every(Number.isFinite) || Math.abs(Math.hypot(axis[0], axis[1], axis[2]) - 1) > 1e-9) {
    throw new ValueError(message(fn, 'axis must be a unit vector [x, y, z]', axis));
  }
  const u = unitVector(t0);
  const d = u[0] * axis[0] + u[1] * axis[1] + u[2] * axis[2];
  const m = [2 * d * axis[0] - u[0], 2 * d * axis[1] - u[1], 2 * d * axis[2] - u[2]];
  let az = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
  if (t0.azimuthDeg >= 0 && az < 0) az += 360;
  if (az === -180) az = 180;
  const el = (Math.asin(Math.max(-1, Math.min(1, m[2]))) * 180) / Math.PI;
  return { kind: 'far-field', azimuthDeg: az, elevationDeg: el };
}

/** Options of {@link geometryScaleWarnings}. */
export interface GeometryScaleOptions {
  /** Sample rate of the recording (Hz); default the geometry's `sampleRate`. Without either the delay check is skipped. */
  sampleRate?: number;
  /** Speed of sound; default the geometry's, else 343 m/s. */
  speedOfSound?: SpeedLike;
  /** Largest plausible travel time across the aperture, in samples (default 1024, the SRP-PHAT frame). */
  maxDelaySamples?: number;
}

const UNIT_SCALE = { m: 1, cm: 0.01, mm: 0.001 } as const;

/**
 * Plausibility of a geometry's scale, for a caller to show as warnings (the library never prints):
 * a sound crossing the aperture must take at most `maxDelaySamples` samples at the sample rate (a
 * 0.93 m array at 48 kHz takes 130; the same numbers read as metres instead of centimetres give
 * 93 m and 13 000 samples, beyond any SRP-PHAT frame), and no two microphones may be closer than
 * 1 mm (less than a capsule). Each message names the size found, the file's `units` and the sizes
 * other units would give. Returns [] for a plausible geometry. O(M²).
 * @throws ValueError for a non-positive sample rate, speed or maxDelaySamples.
 * @example for (const w of geometryScaleWarnings(ArrayGeometry.fromJson('g.json'), { sampleRate: 48000 })) console.error(w);
 */
export function geometryScaleWarnings(geometry: ArrayGeometry, options: GeometryScaleOptions = {}): string[] {
  const fn = 'geometryScaleWarnings';
  if (!(geometry instanceof ArrayGeometry)) throw new ArgumentTypeError(message(fn, 'geometry must be an ArrayGeometry', geometry));
  const fs = options.sampleRate ?? geometry.sampleRate;
  if (fs !== undefined) assertPositive(fn, 'options.sampleRate', fs);
  const c = speedOfSoundChecked(fn, options.speedOfSound ?? geometry.speedOfSound ?? DEFAULT_SPEED_OF_SOUND);
  const maxDelay = options.maxDelaySamples ?? 1024;
  assertPositive(fn, 'options.maxDelaySamples', maxDelay);
  const units = geometry.units;
  const others = (metres: number): string =>
    (Object.keys(UNIT_SCALE) as (keyof typeof UNIT_SCALE)[])
      .filter((u) => u !== units)
      .map((u) => `${formatMetres((metres / UNIT_SCALE[units]) * UNIT_SCALE[u])} if they are ${u}`)
      .join(', ');
  const out: string[] = [];
  const aperture = geometry.aperture;
  if (fs !== undefined && aperture > 0) {
    const delay = (aperture / c) * fs;
    if (delay > maxDelay) {
      out.push(`the array aperture is ${formatMetres(aperture)}: sound takes ${Math.round(delay)} samples at ${fs} Hz to cross it, more than the ${maxDelay} a microphone array plausibly spans; the coordinates were read as ${units} (the aperture would be ${others(aperture)}); check "units" in the geometry file`);
    }
  }
  const dmin = geometry.minSpacing;
  if (geometry.count > 1 && dmin < 1e-3) {
    out.push(`two microphones are only ${formatMetres(dmin)} apart, closer than a microphone capsule; the coordinates were read as ${units} (the spacing would be ${others(dmin)}); check "units" in the geometry file`);
  }
  return out;
}

function formatMetres(m: number): string {
  if (m >= 1) return `${Number(m.toPrecision(3))} m`;
  if (m >= 0.01) return `${Number((m * 100).toPrecision(3))} cm`;
  return `${Number((m * 1000).toPrecision(3))} mm`;
}
