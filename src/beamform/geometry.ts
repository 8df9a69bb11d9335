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
export function toMetres(v: LengthLike, fn = 'toMetres', what = 'length'): number {
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
export function toDegrees(v: AngleLike, fn = 'toDegrees', what = 'angle'): number {
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
export function speedOfSound(v: SpeedLike = DEFAULT_SPEED_OF_SOUND, fn = 'speedOfSound'): number {
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
  const az = toDegrees(azimuth, 'direction', 'azimuth');
  const el = toDegrees(elevation, 'direction', 'elevation');
  if (el < -90 || el > 90) throw new ValueError(message('direction', 'elevation must be in [−90, 90] degrees', el));
  return { kind: 'far-field', azimuthDeg: az, elevationDeg: el };
}

/**
 * A near-field source point, coordinates in metres or with units (`'40 cm'`).
 * @example point(0.5, 0.2) // z = 0
 */
export function point(x: LengthLike, y: LengthLike, z: LengthLike = 0): NearFieldTarget {
  return { kind: 'near-field', point: [toMetres(x, 'point', 'x'), toMetres(y, 'point', 'y'), toMetres(z, 'point', 'z')] };
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

  private constructor(positions: Float64Array, sources: SourceMap = {}) {
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
    Object.freeze(this);
  }

  /**
   * Arbitrary positions: `[[x, y, z], …]` (or `[x, y]`, z = 0), or a flat row-major `[M × 3]` array.
   * @throws ShapeError for no microphones or rows that are not 2 or 3 long; ValueError for NaN or coincident microphones.
   */
  static fromPositions(positions: readonly (readonly number[])[] | Float64Array, sources: SourceMap = {}): ArrayGeometry {
    const fn = 'ArrayGeometry.fromPositions';
    if (positions instanceof Float64Array) {
      if (positions.length === 0 || positions.length % 3 !== 0) throw new ShapeError(message(fn, 'a flat positions array must hold M × 3 numbers, M ≥ 1', positions.length));
      return new ArrayGeometry(positions.slice(), sources);
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
    return new ArrayGeometry(out, sources);
  }

  /**
   * Uniform linear array of `count` microphones with `spacing` (metres or `'3 cm'`) along `axis`
   * ('x' default, 'y' or 'z'), centred on the origin unless `centred: false` (then microphone 0 is at
   * the origin).
   */
  static linear(count: number, spacing: LengthLike, options: { axis?: 'x' | 'y' | 'z'; centred?: boolean } = {}): ArrayGeometry {
    const fn = 'ArrayGeometry.linear';
    assertInteger(fn, 'count', count, 1);
    const d = toMetres(spacing, fn, 'spacing');
    assertPositive(fn, 'spacing (m)', d);
    const axis = options.axis ?? 'x';
    const k = axis === 'x' ? 0 : axis === 'y' ? 1 : axis === 'z' ? 2 : -1;
    if (k < 0) throw new ValueError(message(fn, "axis must be one of 'x', 'y', 'z'", axis));
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
    const r = toMetres(radius, fn, 'radius');
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
    const dx = toMetres(spacing, fn, 'spacing');
    const dy = toMetres(spacingY, fn, 'spacingY');
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
   * From a JSON file path or parsed object `{ microphones: [[x, y, z], …], sources?: { name: [x, y, z] }, units?: 'm' | 'cm' | 'mm' }`,
   * the layout of ../shared/data/mic_array/ula32_office/geometry.json. Sources are exposed on `.sources`.
   * @throws FileError when the file cannot be read; FormatError for invalid JSON or a missing `microphones` list.
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
    return ArrayGeometry.fromPositions(rows, Object.freeze(sources));
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
    return speedOfSound(speed, 'ArrayGeometry.aliasingFrequency') / (2 * this.minSpacing);
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
    return new ArrayGeometry(p, Object.freeze(s));
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
    return new ArrayGeometry(p, this.sources);
  }

  /** `[[x, y, z], …]` as plain arrays (for JSON). */
  toJSON(): { microphones: number[][]; units: 'm'; sources: SourceMap } {
    const rows: number[][] = [];
    for (let m = 0; m < this.count; m++) rows.push(Array.from(this.positions.subarray(3 * m, 3 * m + 3)));
    return { microphones: rows, units: 'm', sources: this.sources };
  }
}
