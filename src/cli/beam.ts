/**
 * The beamforming commands' glue: loading a geometry file, building a target from the options,
 * delay-and-sum to a WAV, SRP-PHAT localisation with an optional map plot.
 * @module
 */
import type { ArrayGeometry, DelayMethod, Target } from '../beamform/index.js';
import type { WavFormat } from '../io/index.js';
import { beamform, io } from './lazy.js';
import { progress, UsageError } from './common.js';
import type { GridAxis } from './common.js';
import { beamform as lazyBeamform, plot } from './lazy.js';

/** Delay methods accepted by `beamform --method`. */
export const BEAMFORM_METHODS: readonly DelayMethod[] = ['integer', 'sinc', 'lagrange', 'fft', 'stft'];

/** Loads a geometry JSON (`{ "microphones": [[x, y, z], …], "units"?: "m" | "cm" | "mm" }`). */
export function loadGeometry(file: string): ArrayGeometry {
  return beamform().ArrayGeometry.fromJson(file);
}

/** What `beamform` was asked to do. */
export interface BeamformRequest {
  input: string;
  geometry: string;
  direction?: number[];
  point?: number[];
  method?: string;
  output: string;
  format: WavFormat;
  speedOfSound?: number;
}

/** Builds the library target from `--direction az[,el]` or `--point x,y[,z]`. */
export function targetOf(dir?: number[], pt?: number[]): Target {
  if (dir) return beamform().direction(dir[0], dir[1] ?? 0);
  if (pt) return beamform().point(pt[0], pt[1], pt[2] ?? 0);
  throw new UsageError('give exactly one of --direction AZ[,EL] or --point X,Y[,Z]');
}

/** Human description of a target. */
export function describeTarget(t: Target): string {
  return t.kind === 'far-field' ? `azimuth ${t.azimuthDeg}°, elevation ${t.elevationDeg}°` : `point (${t.point.join(', ')}) m`;
}

/** Reads, beamforms and writes; returns what was done. */
export function beamformFile(r: BeamformRequest): { channels: number; frames: number; sampleRate: number; target: string; method: string } {
  let method: DelayMethod = 'fft';
  if (r.method !== undefined) {
    if (!(BEAMFORM_METHODS as readonly string[]).includes(r.method)) throw new UsageError(`--method must be one of ${BEAMFORM_METHODS.join(', ')}; got ${JSON.stringify(r.method)}`);
    method = r.method as DelayMethod;
  }
  const target = targetOf(r.direction, r.point);
  const geometry = loadGeometry(r.geometry);
  const x = io().readWav(r.input);
  const bar = progress('beamforming');
  let y;
  try {
    y = beamform().delayAndSum(x, geometry, target, { method, ...(r.speedOfSound !== undefined ? { speedOfSound: r.speedOfSound } : {}) });
  } finally {
    bar.stop();
  }
  io().writeWav(r.output, y, { format: r.format });
  return { channels: x.channels, frames: y.length, sampleRate: y.sampleRate ?? x.sampleRate ?? 0, target: describeTarget(target), method };
}

/** What `localize` was asked to do. */
export interface LocalizeRequest {
  input: string;
  geometry: string;
  /** Near-field grid axes (x, y[, z]) in metres; absent → far-field azimuth scan. */
  grid?: GridAxis[];
  peaks: number;
  plot?: string;
}

/** One reported peak: azimuth[, elevation] in degrees, or x, y[, z] in metres. */
export interface LocalizePeak {
  position: number[];
  power: number;
}

/** What `localize` found. */
export interface LocalizeResult {
  nearField: boolean;
  gridPoints: number;
  peaks: LocalizePeak[];
}

/**
 * SRP-PHAT over azimuths 0…359° (1° steps, elevation 0) or over a near-field point grid; the K
 * strongest peaks; optionally the map as a PNG (far field: SRP against azimuth; near field: a map in
 * the x–y plane at the strongest peak's z, peaks marked).
 */
export function localizeFile(r: LocalizeRequest): LocalizeResult {
  const bf = lazyBeamform();
  const geometry = loadGeometry(r.geometry);
  const x = io().readWav(r.input);
  const nearField = r.grid !== undefined;
  const axes = r.grid?.map((a) => bf.linspaceStep(a.min, a.max, a.step));
  const grid = axes ? bf.pointGrid(axes[0], axes[1], axes[2] ?? [0]) : bf.directionGrid(bf.linspaceStep(0, 359, 1));
  const bar = progress('localising');
  let res;
  try {
    res = bf.srpPhat(x, geometry, grid, { peaks: r.peaks });
  } finally {
    bar.stop();
  }
  const peaks: LocalizePeak[] = res.peaks.map((p) => {
    const t = p.target;
    return { position: t.kind === 'far-field' ? [t.azimuthDeg, t.elevationDeg] : [...t.point], power: p.value };
  });
  if (r.plot !== undefined) {
    if (!axes) {
      const az = bf.linspaceStep(0, 359, 1);
      plot()
        .linePlot({ x: az, y: res.map, label: 'SRP-PHAT' }, { title: 'SRP-PHAT against azimuth (far field)', xLabel: 'azimuth (deg)', yLabel: 'SRP-PHAT (sum of pair GCC-PHAT)' })
        .savePng(r.plot);
    } else {
      const nx = axes[0].length;
      const ny = axes[1].length;
      const z0 = res.peaks.length > 0 ? Math.floor(res.peaks[0].index / (nx * ny)) : 0;
      const slice = res.map.subarray(z0 * nx * ny, (z0 + 1) * nx * ny);
      const markers = peaks.map((p, i) => ({ x: p.position[0], y: p.position[1], label: `peak ${i + 1}` }));
      const zNote = axes[2] ? ` at z = ${axes[2][z0].toFixed(2)} m` : '';
      plot()
        .srpMapPlot(slice, ny, nx, { xRangeM: [axes[0][0], axes[0][nx - 1] + (nx === 1 ? 1e-3 : 0)], yRangeM: [axes[1][0], axes[1][ny - 1] + (ny === 1 ? 1e-3 : 0)], markers, title: `SRP-PHAT map${zNote}` })
        .savePng(r.plot);
    }
  }
  return { nearField, gridPoints: grid.size, peaks };
}
