/**
 * The beamforming commands' glue: loading a geometry file (with its scale warnings), building a
 * target from the options or a named source, delay-and-sum to a WAV, SRP-PHAT localisation (peaks
 * with their refined estimates, the mirror ambiguity of linear arrays, the error to a named source)
 * and the map plot, which runs after the numbers are out.
 * @module
 */
import { readWavRange } from '../io/ranges.js';
import type { ArrayGeometry, DelayMethod, FarFieldTarget, SrpPeak, Target } from '../beamform/index.js';
import type { Multichannel } from '../core/multichannel.js';
import type { WavFormat } from '../io/index.js';
import { beamform, io, plot } from './lazy.js';
import { extensionOf, progress, UsageError } from './common.js';
import type { GridAxis } from './common.js';

/** Delay methods accepted by `beamform --method`. */
export const BEAMFORM_METHODS: readonly DelayMethod[] = ['integer', 'sinc', 'lagrange', 'fft', 'stft'];

/** Loads a geometry JSON (`{ "microphones": [[x, y, z], …], "units"?: "m" | "cm" | "mm", "speedOfSound"?, "sampleRate"?, "sources"? }`). */
export function loadGeometry(file: string): ArrayGeometry {
  return beamform().ArrayGeometry.fromJson(file);
}

/**
 * The geometry a command's `--geometry` names: a JSON file (see {@link loadGeometry}), or a SOFA file
 * whose receivers (in the listener's frame, cartesian metres, with the file's sample rate) are the
 * microphones; undefined for a JSON file, which the commands read as before.
 */
export async function readGeometry(file: string): Promise<ArrayGeometry | undefined> {
  if (extensionOf(file) !== 'sofa') return undefined;
  const { readSofa } = require('../io/sofa.js') as typeof import('../io/sofa.js');
  return (await readSofa(file)).geometry;
}

/**
 * Warnings about a geometry for this recording: an implausible scale (the library's
 * geometryScaleWarnings) and a sample rate that differs from the one the file states.
 */
export function geometryWarnings(geometry: ArrayGeometry, sampleRate: number | undefined, speedOfSound?: number): string[] {
  const w = beamform().geometryScaleWarnings(geometry, { sampleRate: sampleRate ?? geometry.sampleRate, ...(speedOfSound !== undefined ? { speedOfSound } : {}) });
  if (sampleRate !== undefined && geometry.sampleRate !== undefined && geometry.sampleRate !== sampleRate) {
    w.push(`the geometry file is for ${geometry.sampleRate} Hz recordings but the input is ${sampleRate} Hz`);
  }
  return w;
}

/** A named source of the geometry file, or a usage error listing the names it has. */
export function namedSource(geometry: ArrayGeometry, name: string): readonly [number, number, number] {
  const s = geometry.sources[name];
  if (s === undefined) {
    const names = Object.keys(geometry.sources);
    throw new UsageError(`--source ${JSON.stringify(name)} is not in the geometry file; ${names.length ? `it names ${names.map((n) => JSON.stringify(n)).join(', ')}` : 'it has no "sources"'}`);
  }
  return s;
}

/** What `beamform` was asked to do. */
export interface BeamformRequest {
  input: string;
  geometry: string;
  direction?: number[];
  point?: number[];
  /** Name of a source in the geometry file to focus on (near field). */
  source?: string;
  method?: string;
  output: string;
  format: WavFormat;
  speedOfSound?: number;
  /** Beamform only frames from `start` (frames, or a time such as '10s'; see framesOf). */
  start?: string;
  /** … up to `end` (exclusive). */
  end?: string;
  /** The recording already read (a non-WAV input, see `readInput`); `input` is then only its name. */
  signal?: Multichannel;
  /** The geometry already read (a SOFA file's receivers, see {@link readGeometry}); `geometry` is then only its name. */
  geometryLoaded?: ArrayGeometry;
}

/** Builds the library target from `--direction az[,el]` or `--point x,y[,z]` (degrees, metres). */
export function targetOf(dir?: number[], pt?: number[]): Target {
  if (dir) return beamform().direction(dir[0], dir[1] ?? 0);
  if (pt) return beamform().point(pt[0], pt[1], pt[2] ?? 0);
  throw new UsageError('give exactly one of --direction AZ[,EL], --point X,Y[,Z] or --source NAME');
}

/** Human description of a target. */
export function describeTarget(t: Target): string {
  return t.kind === 'far-field' ? `azimuth ${t.azimuthDeg}°, elevation ${t.elevationDeg}°` : `point (${t.point.map((v) => Number(v.toPrecision(6))).join(', ')}) m`;
}

/** Reads, beamforms and writes; returns what was done, with any geometry warnings. */
export function beamformFile(r: BeamformRequest): { channels: number; frames: number; sampleRate: number; target: string; method: string; speedOfSound: number; warnings: string[] } {
  let method: DelayMethod = 'fft';
  if (r.method !== undefined) {
    if (!(BEAMFORM_METHODS as readonly string[]).includes(r.method)) throw new UsageError(`--method must be one of ${BEAMFORM_METHODS.join(', ')}; got ${JSON.stringify(r.method)}`);
    method = r.method as DelayMethod;
  }
  const geometry = r.geometryLoaded ?? loadGeometry(r.geometry);
  let target: Target;
  let what: string;
  if (r.source !== undefined) {
    const s = namedSource(geometry, r.source);
    target = beamform().point(s[0], s[1], s[2]);
    what = `source ${JSON.stringify(r.source)} at ${describeTarget(target)}`;
  } else {
    target = targetOf(r.direction, r.point);
    what = describeTarget(target);
  }
  const x = r.signal ?? (r.start !== undefined || r.end !== undefined ? readWavRange(r.input, { start: r.start, end: r.end }) : io().readWav(r.input));
  const warnings = geometryWarnings(geometry, x.sampleRate, r.speedOfSound);
  const speedOfSound = r.speedOfSound ?? geometry.speedOfSound ?? beamform().DEFAULT_SPEED_OF_SOUND;
  const bar = progress('beamforming');
  let y;
  try {
    y = beamform().delayAndSum(x, geometry, target, { method, speedOfSound });
  } finally {
    bar.stop();
  }
  io().writeWav(r.output, y, { format: r.format });
  return { channels: x.channels, frames: y.length, sampleRate: y.sampleRate ?? x.sampleRate ?? 0, target: what, method, speedOfSound, warnings };
}

/** What `localize` was asked to do. */
export interface LocalizeRequest {
  input: string;
  geometry: string;
  /** Near-field grid axes (x, y[, z]) in metres; absent → far-field azimuth scan. */
  grid?: GridAxis[];
  peaks: number;
  /** Speed of sound in m/s (default: the geometry file's, else 343). */
  speedOfSound?: number;
  /** Name of a source in the geometry file to measure the error against. */
  source?: string;
  /** Most grid points allowed (default the library's DEFAULT_MAX_GRID_POINTS). */
  maxGridPoints?: number;
  /** The recording already read (a non-WAV input, see `readInput`); `input` is then only its name. */
  signal?: Multichannel;
  /** The geometry already read (a SOFA file's receivers, see {@link readGeometry}); `geometry` is then only its name. */
  geometryLoaded?: ArrayGeometry;
}

/** One reported peak: azimuth[, elevation] in degrees, or x, y[, z] in metres. */
export interface LocalizePeak {
  /** The grid point with the largest SRP. */
  position: number[];
  /** The library's sub-grid estimate around it (parabolic refinement): the estimate to use. */
  refined: number[];
  power: number;
  /** Linear array, far field: the mirror direction [azimuth, elevation] it cannot tell from `refined`. */
  mirror?: number[];
  /** 1-based number of another peak that is this peak's mirror (the same source seen twice). */
  mirrorOfPeak?: number;
}

/** The comparison with a named source of the geometry file. */
export interface SourceComparison {
  name: string;
  /** Its position in m. */
  position: number[];
  /** Far field: its direction [azimuth, elevation] in degrees seen from the array centroid. */
  direction?: number[];
  /** 1-based number of the peak closest to it. */
  nearestPeak: number;
  /** Distance from that peak's refined estimate: metres (near field) or degrees (far field). */
  error: number;
  errorUnit: 'm' | 'deg';
  /** Far field on a linear array: the error is to the peak's mirror direction. */
  viaMirror?: boolean;
}

/** What `localize` found. */
export interface LocalizeResult {
  nearField: boolean;
  gridPoints: number;
  speedOfSound: number;
  peaks: LocalizePeak[];
  /** Far field with a linear array: its axis (the front/back ambiguity is about this line). */
  linearAxis?: number[];
  source?: SourceComparison;
  /** Warnings about the geometry (scale, sample rate). */
  warnings: string[];
}

/** What the plot needs from a localisation, kept apart so numbers print before any plotting. */
export interface LocalizeMap {
  map: Float64Array;
  axes?: Float64Array[];
  geometry: ArrayGeometry;
  peakIndices: number[];
}

const coords = (t: Target): number[] => (t.kind === 'far-field' ? [t.azimuthDeg, t.elevationDeg] : [...t.point]);

function angleDeg(a: number[], b: number[]): number {
  const bf = beamform();
  const u = bf.unitVector(bf.direction(a[0], a[1]));
  const v = bf.unitVector(bf.direction(b[0], b[1]));
  return (Math.acos(Math.max(-1, Math.min(1, u[0] * v[0] + u[1] * v[1] + u[2] * v[2]))) * 180) / Math.PI;
}

/** The peak nearest to a named source: Euclidean for points, angular (mirrors included) for directions. */
function compare(name: string, s: readonly [number, number, number], geometry: ArrayGeometry, peaks: LocalizePeak[], nearField: boolean): SourceComparison | undefined {
  if (peaks.length === 0) return undefined;
  if (nearField) {
    let best = 0;
    const d = peaks.map((p) => Math.hypot(p.refined[0] - s[0], p.refined[1] - s[1], p.refined[2] - s[2]));
    d.forEach((v, i) => {
      if (v < d[best]) best = i;
    });
    return { name, position: [...s], nearestPeak: best + 1, error: d[best], errorUnit: 'm' };
  }
  const c = geometry.centroid;
  const dx = s[0] - c[0];
  const dy = s[1] - c[1];
  const dz = s[2] - c[2];
  let az = (Math.atan2(dy, dx) * 180) / Math.PI;
  if (az < 0) az += 360;
  const el = (Math.atan2(dz, Math.hypot(dx, dy)) * 180) / Math.PI;
  let best = { peak: 0, error: Infinity, viaMirror: false };
  peaks.forEach((p, i) => {
    const e = angleDeg(p.refined, [az, el]);
    if (e < best.error) best = { peak: i, error: e, viaMirror: false };
    if (p.mirror) {
      const m = angleDeg(p.mirror, [az, el]);
      if (m < best.error) best = { peak: i, error: m, viaMirror: true };
    }
  });
  return { name, position: [...s], direction: [az, el], nearestPeak: best.peak + 1, error: best.error, errorUnit: 'deg', ...(best.viaMirror ? { viaMirror: true } : {}) };
}

/**
 * SRP-PHAT over azimuths 0…359° (1° steps, elevation 0) or over a near-field point grid; the K
 * strongest peaks with the library's refined estimates (and mirrors for a linear array), the error
 * to a named source, and what {@link plotLocalization} needs. Writes nothing.
 */
export function localizeFile(r: LocalizeRequest): { result: LocalizeResult; map: LocalizeMap } {
  const bf = beamform();
  const geometry = r.geometryLoaded ?? loadGeometry(r.geometry);
  const src = r.source !== undefined ? namedSource(geometry, r.source) : undefined;
  // the grid is sized (against its budget) before the recording is read
  const budget = { maxPoints: r.maxGridPoints };
  const nearField = r.grid !== undefined;
  const axes = r.grid?.map((a) => bf.linspaceStep(a.min, a.max, a.step, budget));
  const grid = axes ? bf.pointGrid(axes[0], axes[1], axes[2] ?? [0], budget) : bf.directionGrid(bf.linspaceStep(0, 359, 1));
  const x: Multichannel = r.signal ?? io().readWav(r.input);
  const warnings = geometryWarnings(geometry, x.sampleRate, r.speedOfSound);
  const speedOfSound = r.speedOfSound ?? geometry.speedOfSound ?? bf.DEFAULT_SPEED_OF_SOUND;
  const bar = progress('localising');
  let res;
  try {
    res = bf.srpPhat(x, geometry, grid, { peaks: r.peaks, speedOfSound });
  } finally {
    bar.stop();
  }
  const peaks: LocalizePeak[] = res.peaks.map((p: SrpPeak) => ({
    position: coords(p.target),
    refined: coords(p.refined),
    power: p.value,
    ...(p.mirror ? { mirror: coords(p.mirror as FarFieldTarget) } : {}),
    ...(p.mirrorPeak !== undefined ? { mirrorOfPeak: p.mirrorPeak + 1 } : {}),
  }));
  const result: LocalizeResult = {
    nearField,
    gridPoints: grid.size,
    speedOfSound,
    peaks,
    ...(res.linearAxis ? { linearAxis: [...res.linearAxis] } : {}),
    warnings,
  };
  if (src && r.source !== undefined) {
    const cmp = compare(r.source, src, geometry, peaks, nearField);
    if (cmp) result.source = cmp;
  }
  return { result, map: { map: res.map, axes, geometry, peakIndices: res.peaks.map((p) => p.index) } };
}

/**
 * Writes the SRP map as a PNG: far field, SRP against azimuth (peaks and a named source's
 * direction marked); near field, the x–y map at the strongest peak's z with the microphones, the
 * refined peaks and the named source (a linear colour scale when the map has negative values).
 */
export function plotLocalization(file: string, r: LocalizeResult, m: LocalizeMap): void {
  const bf = beamform();
  if (!m.axes) {
    const az = bf.linspaceStep(0, 359, 1);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of m.map) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const series = [{ x: az, y: m.map, label: r.linearAxis ? 'SRP-PHAT (mirror-symmetric)' : 'SRP-PHAT' }];
    if (r.source?.direction) {
      const a = r.source.direction[0];
      series.push({ x: Float64Array.of(a, a), y: Float64Array.of(lo, hi), label: `source ${r.source.name} (${a.toFixed(1)}°)`, dash: true } as (typeof series)[number]);
    }
    plot()
      .linePlot(series, { title: 'SRP-PHAT against azimuth (far field)', xLabel: 'azimuth (deg)', yLabel: 'SRP-PHAT (sum of pair GCC-PHAT)' })
      .savePng(file);
    return;
  }
  const axes = m.axes;
  const nx = axes[0].length;
  const ny = axes[1].length;
  const z0 = m.peakIndices.length > 0 ? Math.floor(m.peakIndices[0] / (nx * ny)) : 0;
  const slice = m.map.subarray(z0 * nx * ny, (z0 + 1) * nx * ny);
  const markers: { x: number; y: number; label: string; shape?: 'circle'; color?: string }[] = r.peaks.map((p, i) => ({ x: p.refined[0], y: p.refined[1], label: `peak ${i + 1}` }));
  if (r.source) markers.push({ x: r.source.position[0], y: r.source.position[1], label: `source ${r.source.name}`, shape: 'circle', color: '#ff4040' });
  const mics: number[][] = [];
  for (let i = 0; i < m.geometry.count; i++) mics.push(m.geometry.position(i));
  const zNote = axes[2] ? ` at z = ${axes[2][z0].toFixed(2)} m` : '';
  plot()
    .srpMapPlot(slice, ny, nx, {
      xRangeM: [axes[0][0], axes[0][nx - 1] + (nx === 1 ? 1e-3 : 0)],
      yRangeM: [axes[1][0], axes[1][ny - 1] + (ny === 1 ? 1e-3 : 0)],
      markers,
      microphones: mics,
      title: `SRP-PHAT map${zNote}`,
    })
    .savePng(file);
}
