/**
 * SOFA files (AES69 "Spatially Oriented Format for Acoustics": NetCDF-4, hence HDF5) of impulse
 * responses — `SimpleFreeFieldHRIR`, `SingleRoomSRIR`, `SingleRoomMIMOSRIR`, `MultiSpeakerBRIR`,
 * `GeneralFIR` and other `DataType = 'FIR'` conventions — read into one Multichannel per measurement
 * (receivers × samples) plus an {@link ArrayGeometry} of the receivers, so a measured array response
 * goes straight into `convolve`, `delayAndSum` and `srpPhat`.
 *
 * Positions (`ListenerPosition`, `ReceiverPosition`, `SourcePosition`, `EmitterPosition`) are
 * converted to cartesian metres from their `Type` and `Units` attributes: `cartesian` in metre(s),
 * `spherical` as (azimuth°, elevation°, radius m) with x = r·cos(el)·cos(az), y = r·cos(el)·sin(az),
 * z = r·sin(el) (AES69: azimuth counter-clockwise from the x axis, the view direction, elevation
 * up from the horizontal plane). Receiver and emitter positions are in the listener's and source's
 * own coordinates, as stored (SOFA does not make them absolute; ListenerView rotations are not
 * applied); the geometry is that of the receivers of the first measurement.
 * @module
 */
import { ArrayGeometry } from '../beamform/geometry.js';
import { FormatError, ValueError, isPointwiseError, message } from '../core/errors.js';
import { Multichannel } from '../core/multichannel.js';
import { budgetOption } from './budget.js';
import { Hdf5File, loadHdf5, type Hdf5AttrValue } from './hdf5.js';

/** A position variable as stored and in cartesian metres. */
export interface SofaPositions {
  /** `Type` attribute: 'cartesian' or 'spherical'. */
  type: 'cartesian' | 'spherical';
  /** `Units` attribute as written ('metre', 'degree, degree, metre', …). */
  units: string;
  /** HDF5 shape of the variable (e.g. `[R, 3, 1]`). */
  shape: number[];
  /** Positions of the first measurement (or the only one), `[rows × 3]` row-major, cartesian metres. */
  cartesian: Float64Array;
  /** Rows of {@link cartesian} (R, E, M or 1). */
  count: number;
  /** For `[M, 3]` variables (per measurement) the rows are the measurements. */
  perMeasurement: boolean;
}

/** A SOFA file of impulse responses. */
export interface SofaFile {
  /** `SOFAConventions` ('SimpleFreeFieldHRIR', 'SingleRoomSRIR', …). */
  conventions: string;
  conventionsVersion: string;
  /** `DataType` ('FIR'). */
  dataType: string;
  /** Global attributes (RoomType, Title, ListenerShortName, …). */
  attributes: Record<string, Hdf5AttrValue>;
  /** Data.SamplingRate in Hz. */
  sampleRate: number;
  /** Measurements M, receivers R, emitters E, samples N. */
  measurements: number;
  receivers: number;
  emitters: number;
  samples: number;
  /** Data.IR, C order `[M, R, N]` (or `[M, R, E, N]`), float64. */
  data: Float64Array;
  /** Data.Delay in samples, as stored (`[I or M, R]` flattened). */
  delay: Float64Array;
  listener: SofaPositions;
  receiver: SofaPositions;
  source: SofaPositions;
  emitter: SofaPositions | undefined;
  /** The receivers as an array (cartesian metres, listener coordinates), with the sample rate. */
  geometry: ArrayGeometry;
  /** Impulse responses of measurement `m` (and emitter `e`): receivers × samples, labelled, with the sample rate. */
  ir(m: number, e?: number): Multichannel;
}

/** Options of {@link readSofa}. */
export interface SofaReadOptions {
  /** Upper bound on Data.IR read as float64 (default 2 GiB). */
  maxBytes?: number;
}

const FN = 'readSofa';

function positions(f: Hdf5File, name: string, required: boolean): SofaPositions | undefined {
  if (!f.has(name)) {
    if (required) throw new FormatError(message(FN, `a SOFA file must have the variable ${name}`, { verbatim: `missing (in ${JSON.stringify(f.path)})` }));
    return undefined;
  }
  const a = f.readArray(name, { maxBytes: 2 ** 26 });
  const type = String(a.attrs.Type ?? 'cartesian').trim().toLowerCase();
  const units = String(a.attrs.Units ?? (type === 'spherical' ? 'degree, degree, metre' : 'metre'));
  const shape = a.shape;
  if (shape.length < 2 || shape[1] !== 3) throw new FormatError(message(FN, `${name} must have shape [rows, 3] or [rows, 3, I|M]`, { verbatim: `[${shape.join(', ')}] (in ${JSON.stringify(f.path)})` }));
  const rows = shape[0];
  const depth = shape.slice(2).reduce((p, n) => p * n, 1);
  const u = units.split(',').map((s) => s.trim().toLowerCase());
  const metres = (s: string | undefined): number => {
    if (s === 'metre' || s === 'meter' || s === 'metres' || s === 'meters' || s === 'm') return 1;
    if (s === 'centimetre' || s === 'centimeter' || s === 'cm') return 0.01;
    if (s === 'millimetre' || s === 'millimeter' || s === 'mm') return 0.001;
    throw new FormatError(message(FN, `${name}'s Units must be metre (cartesian) or 'degree, degree, metre' (spherical)`, { verbatim: `${JSON.stringify(units)} (in ${JSON.stringify(f.path)})` }));
  };
  const out = new Float64Array(rows * 3);
  if (type === 'cartesian') {
    const k = metres(u[u.length - 1]);
    for (let r = 0; r < rows; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = a.data[(r * 3 + c) * depth] * k;
  } else if (type === 'spherical') {
    if (u.length !== 3 || !/^deg/.test(u[0]) || !/^deg/.test(u[1])) throw new FormatError(message(FN, `${name}'s Units must be 'degree, degree, metre' for spherical positions`, { verbatim: `${JSON.stringify(units)} (in ${JSON.stringify(f.path)})` }));
    const k = metres(u[2]);
    const rad = Math.PI / 180;
    for (let r = 0; r < rows; r++) {
      const az = a.data[(r * 3) * depth] * rad;
      const el = a.data[(r * 3 + 1) * depth] * rad;
      const rr = a.data[(r * 3 + 2) * depth] * k;
      out[3 * r] = rr * Math.cos(el) * Math.cos(az);
      out[3 * r + 1] = rr * Math.cos(el) * Math.sin(az);
      out[3 * r + 2] = rr * Math.sin(el);
    }
  } else throw new FormatError(message(FN, `${name}'s Type must be 'cartesian' or 'spherical'`, { verbatim: `${JSON.stringify(type)} (in ${JSON.stringify(f.path)})` }));
  return { type, units, shape, cartesian: out, count: rows, perMeasurement: shape.length === 2 };
}

/**
 * Reads an open SOFA file (see {@link readSofa}); the file stays open.
 * @throws FormatError for a file that is not SOFA FIR data or whose variables disagree in size.
 */
export function sofaFromHdf5(f: Hdf5File, options: SofaReadOptions = {}): SofaFile {
  const maxBytes = budgetOption(FN, 'maxBytes', options.maxBytes);
  const where = ` (in ${JSON.stringify(f.path)})`;
  const attributes = f.attrs('/');
  const conventions = attributes.SOFAConventions;
  if (attributes.Conventions !== 'SOFA' || typeof conventions !== 'string') {
    throw new FormatError(message(FN, "a SOFA file must have the global attributes Conventions = 'SOFA' and SOFAConventions", { verbatim: `Conventions = ${JSON.stringify(attributes.Conventions ?? null)}${where}` }));
  }
  const dataType = String(attributes.DataType ?? '');
  if (!/^FIR/.test(dataType)) throw new FormatError(message(FN, "DataType must be 'FIR' (impulse responses)", { verbatim: `${JSON.stringify(dataType)}${where}` }));
  if (!f.has('Data.IR')) throw new FormatError(message(FN, 'a SOFA FIR file must have the variable Data.IR', { verbatim: `missing${where}` }));
  const ir = f.readArray('Data.IR', { maxBytes });
  if (ir.shape.length !== 3 && ir.shape.length !== 4) throw new FormatError(message(FN, 'Data.IR must have shape [M, R, N] or [M, R, E, N]', { verbatim: `[${ir.shape.join(', ')}]${where}` }));
  const [M, R] = ir.shape;
  const E = ir.shape.length === 4 ? ir.shape[2] : 1;
  const N = ir.shape[ir.shape.length - 1];
  if (M === 0 || R === 0 || E === 0) throw new FormatError(message(FN, 'Data.IR must hold at least one measurement, receiver and emitter', { verbatim: `[${ir.shape.join(', ')}]${where}` }));
  const fsArr = f.readArray('Data.SamplingRate', { maxBytes: 2 ** 20 });
  const sampleRate = fsArr.data[0];
  if (!(sampleRate > 0 && Number.isFinite(sampleRate))) throw new FormatError(message(FN, 'Data.SamplingRate must be a positive number (Hz)', { verbatim: `${sampleRate}${where}` }));
  const delay = f.has('Data.Delay') ? f.readArray('Data.Delay', { maxBytes: 2 ** 26 }).data : new Float64Array(0);
  const listener = positions(f, 'ListenerPosition', true)!;
  const receiver = positions(f, 'ReceiverPosition', true)!;
  const source = positions(f, 'SourcePosition', true)!;
  const emitter = positions(f, 'EmitterPosition', false);
  if (receiver.count !== R) throw new FormatError(message(FN, `ReceiverPosition must have R = ${R} rows (Data.IR)`, { verbatim: `${receiver.count}${where}` }));
  let geometry: ArrayGeometry;
  try {
    geometry = ArrayGeometry.fromPositions(receiver.cartesian, {}, { sampleRate });
  } catch (err) {
    if (!isPointwiseError(err)) throw err;
    throw new FormatError(message(FN, 'ReceiverPosition must give distinct finite positions', { verbatim: `${(err as Error).message}${where}` }));
  }
  const data = ir.data;
  const labels = Array.from({ length: R }, (_, r) => `receiver ${r}`);
  return {
    conventions,
    conventionsVersion: String(attributes.SOFAConventionsVersion ?? ''),
    dataType,
    attributes,
    sampleRate,
    measurements: M,
    receivers: R,
    emitters: E,
    samples: N,
    data,
    delay,
    listener,
    receiver,
    source,
    emitter,
    geometry,
    ir(m: number, e = 0): Multichannel {
      if (!Number.isInteger(m) || m < 0 || m >= M) throw new ValueError(message('SofaFile.ir', `m must be a measurement index in [0, ${M - 1}]`, m));
      if (!Number.isInteger(e) || e < 0 || e >= E) throw new ValueError(message('SofaFile.ir', `e must be an emitter index in [0, ${E - 1}]`, e));
      const out = new Float64Array(R * N);
      for (let r = 0; r < R; r++) {
        const src = ((m * R + r) * E + e) * N;
        out.set(data.subarray(src, src + N), r * N);
      }
      return new Multichannel(out, R, N, { sampleRate, labels });
    },
  };
}

/**
 * Reads a SOFA file of impulse responses (AES69 FIR conventions). Loads h5wasm when needed.
 * `ir(m)` is measurement m as receivers × samples; `geometry` the receivers in cartesian metres.
 * @throws FileError when unreadable; FormatError for a file that is not SOFA FIR data, unknown
 *   position Types/Units, or sizes that disagree; ShapeError when Data.IR exceeds `maxBytes`.
 * @example
 * const s = await readSofa('array.sofa');
 * const h = s.ir(0);                              // receivers × samples at s.sampleRate
 * const y = delayAndSum(h, s.geometry, point(2, 1, 1.5)); // focused on a point (metres)
 */
export async function readSofa(path: string, options: SofaReadOptions = {}): Promise<SofaFile> {
  await loadHdf5();
  const f = Hdf5File.openSync(path);
  try {
    return sofaFromHdf5(f, options);
  } finally {
    f.close();
  }
}
