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
 * own coordinates, as stored; `geometry` is that of the receivers of the first measurement in the
 * listener's frame, and `receiversInRoom(m)` / `roomGeometry(m)` / `emittersInRoom(m)` turn them into
 * room coordinates with ListenerPosition/View/Up (SourcePosition/View/Up) of measurement m.
 * `DataType = 'TF'` files (SimpleFreeFieldTF, …) read Data.Real and Data.Imag over the
 * frequencies of the variable N: `tf(m)`.
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
  /**
   * The positions that hold for measurement `m`, `[rows × 3]` cartesian metres: row m of an `[M, 3]`
   * variable, depth m of an `[R, 3, M]` one, else (`[I, 3]`, `[R, 3, I]`) the only ones.
   */
  at(m: number): Float64Array;
}

/** A SOFA file of impulse responses. */
export interface SofaFile {
  /** `SOFAConventions` ('SimpleFreeFieldHRIR', 'SingleRoomSRIR', …). */
  conventions: string;
  conventionsVersion: string;
  /** `DataType`: 'FIR' (impulse responses) or 'TF' (transfer functions, real and imaginary per bin). */
  dataType: string;
  /** Global attributes (RoomType, Title, ListenerShortName, …). */
  attributes: Record<string, Hdf5AttrValue>;
  /** Data.SamplingRate in Hz (NaN for TF data, which has none). */
  sampleRate: number;
  /** Measurements M, receivers R, emitters E, samples N. */
  measurements: number;
  receivers: number;
  emitters: number;
  samples: number;
  /** Data.IR (TF: Data.Real), C order `[M, R, N]` (or `[M, R, E, N]`), float64; N is samples (TF: bins). */
  data: Float64Array;
  /** TF: Data.Imag, laid out as {@link data}. */
  imag?: Float64Array;
  /** TF: the frequency of each bin in Hz (the variable N). */
  frequencies?: Float64Array;
  /** Data.Delay in samples, as stored (`[I or M, R]` flattened). */
  delay: Float64Array;
  listener: SofaPositions;
  receiver: SofaPositions;
  source: SofaPositions;
  emitter: SofaPositions | undefined;
  /** The receivers as an array (cartesian metres, listener coordinates), with the sample rate. */
  geometry: ArrayGeometry;
  /** ListenerView / ListenerUp and SourceView / SourceUp, when the file has them (cartesian). */
  listenerView: SofaPositions | undefined;
  listenerUp: SofaPositions | undefined;
  sourceView: SofaPositions | undefined;
  sourceUp: SofaPositions | undefined;
  /** Impulse responses of measurement `m` (and emitter `e`): receivers × samples, labelled, with the sample rate. @throws ValueError for TF data. */
  ir(m: number, e?: number): Multichannel;
  /** TF data: the real and imaginary parts of measurement `m` (emitter `e`), receivers × bins, and the bin frequencies in Hz. @throws ValueError for FIR data. */
  tf(m: number, e?: number): { real: Multichannel; imag: Multichannel; frequencies: Float64Array };
  /**
   * The receivers of measurement `m` in room coordinates, `[R × 3]` row-major metres:
   * `ListenerPosition + [x̂ ŷ ẑ] · ReceiverPosition`, the listener's frame having x̂ along ListenerView,
   * ẑ along ListenerUp (its part perpendicular to the view) and ŷ = ẑ × x̂ (AES69: receivers are given
   * in the listener's local coordinates). Without ListenerView the frame is the room's (x̂ = +x, ẑ = +z).
   */
  receiversInRoom(m: number): Float64Array;
  /** The emitters of measurement `m` in room coordinates (SourcePosition, SourceView, SourceUp), or undefined without EmitterPosition. */
  emittersInRoom(m: number): Float64Array | undefined;
  /** The receivers of measurement `m` in room coordinates as an array geometry (see {@link receiversInRoom}). */
  roomGeometry(m: number): ArrayGeometry;
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
  /** The rows of depth index `d` (the trailing I or M axis) in cartesian metres. */
  const convert = (d: number): Float64Array => {
    const out = new Float64Array(rows * 3);
    if (type === 'cartesian') {
      const k = metres(u[u.length - 1]);
      for (let r = 0; r < rows; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = a.data[(r * 3 + c) * depth + d] * k;
    } else if (type === 'spherical') {
      if (u.length !== 3 || !/^deg/.test(u[0]) || !/^deg/.test(u[1])) throw new FormatError(message(FN, `${name}'s Units must be 'degree, degree, metre' for spherical positions`, { verbatim: `${JSON.stringify(units)} (in ${JSON.stringify(f.path)})` }));
      const k = metres(u[2]);
      const rad = Math.PI / 180;
      for (let r = 0; r < rows; r++) {
        const az = a.data[(r * 3) * depth + d] * rad;
        const el = a.data[(r * 3 + 1) * depth + d] * rad;
        const rr = a.data[(r * 3 + 2) * depth + d] * k;
        out[3 * r] = rr * Math.cos(el) * Math.cos(az);
        out[3 * r + 1] = rr * Math.cos(el) * Math.sin(az);
        out[3 * r + 2] = rr * Math.sin(el);
      }
    } else throw new FormatError(message(FN, `${name}'s Type must be 'cartesian' or 'spherical'`, { verbatim: `${JSON.stringify(type)} (in ${JSON.stringify(f.path)})` }));
    return out;
  };
  const cartesian = convert(0);
  const perMeasurement = shape.length === 2;
  const all = perMeasurement || depth === 1 ? undefined : Array.from({ length: depth }, (_, d) => convert(d));
  const at = (m: number): Float64Array => {
    if (perMeasurement) return rows === 1 ? cartesian : cartesian.slice(3 * m, 3 * m + 3);
    return all !== undefined ? all[m] : cartesian;
  };
  return { type: type as 'cartesian' | 'spherical', units, shape, cartesian, count: rows, perMeasurement, at };
}

/**
 * `local` rows moved into room coordinates: `origin + px·x̂ + py·ŷ + pz·ẑ`, with x̂ = view/|view|,
 * ẑ the unit part of `up` perpendicular to x̂, ŷ = ẑ × x̂ (right-handed, y to the left).
 */
function toRoom(local: Float64Array, origin: Float64Array, view: Float64Array, up: Float64Array, what: string, where: string): Float64Array {
  const nv = Math.hypot(view[0], view[1], view[2]);
  if (!(nv > 0) || !Number.isFinite(nv)) throw new FormatError(message(FN, `${what}View must be a non-zero finite vector`, { verbatim: `[${Array.from(view).join(', ')}]${where}` }));
  const x = [view[0] / nv, view[1] / nv, view[2] / nv];
  const d = up[0] * x[0] + up[1] * x[1] + up[2] * x[2];
  const zr = [up[0] - d * x[0], up[1] - d * x[1], up[2] - d * x[2]];
  const nz = Math.hypot(zr[0], zr[1], zr[2]);
  if (!(nz > 1e-12 * Math.max(1, Math.hypot(up[0], up[1], up[2]))) || !Number.isFinite(nz)) throw new FormatError(message(FN, `${what}Up must be finite and not parallel to ${what}View`, { verbatim: `up [${Array.from(up).join(', ')}], view [${Array.from(view).join(', ')}]${where}` }));
  const z = [zr[0] / nz, zr[1] / nz, zr[2] / nz];
  const y = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]];
  const out = new Float64Array(local.length);
  for (let r = 0; r < local.length / 3; r++) {
    const px = local[3 * r], py = local[3 * r + 1], pz = local[3 * r + 2];
    for (let c = 0; c < 3; c++) out[3 * r + c] = origin[c] + px * x[c] + py * y[c] + pz * z[c];
  }
  return out;
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
  const isTF = /^TF/.test(dataType);
  if (!/^FIR/.test(dataType) && !isTF) throw new FormatError(message(FN, "DataType must be 'FIR' (impulse responses) or 'TF' (transfer functions)", { verbatim: `${JSON.stringify(dataType)}${where}` }));
  const mainVar = isTF ? 'Data.Real' : 'Data.IR';
  if (!f.has(mainVar)) throw new FormatError(message(FN, `a SOFA ${isTF ? 'TF' : 'FIR'} file must have the variable ${mainVar}`, { verbatim: `missing${where}` }));
  const ir = f.readArray(mainVar, { maxBytes });
  if (ir.shape.length !== 3 && ir.shape.length !== 4) throw new FormatError(message(FN, `${mainVar} must have shape [M, R, N] or [M, R, E, N]`, { verbatim: `[${ir.shape.join(', ')}]${where}` }));
  let imag: Float64Array | undefined;
  let frequencies: Float64Array | undefined;
  if (isTF) {
    if (!f.has('Data.Imag')) throw new FormatError(message(FN, 'a SOFA TF file must have the variable Data.Imag', { verbatim: `missing${where}` }));
    const im = f.readArray('Data.Imag', { maxBytes: Math.max(1, maxBytes - ir.data.length * 8) });
    if (im.shape.join() !== ir.shape.join()) throw new FormatError(message(FN, `Data.Imag must have the shape of Data.Real [${ir.shape.join(', ')}]`, { verbatim: `[${im.shape.join(', ')}]${where}` }));
    imag = im.data;
    const bins = ir.shape[ir.shape.length - 1];
    if (!f.has('N')) throw new FormatError(message(FN, 'a SOFA TF file must have the variable N (the frequencies in Hz)', { verbatim: `missing${where}` }));
    const fr = f.readArray('N', { maxBytes: 2 ** 26 });
    if (fr.data.length !== bins) throw new FormatError(message(FN, `N must hold one frequency per bin (${bins})`, { verbatim: `${fr.data.length}${where}` }));
    frequencies = fr.data;
  }
  const [M, R] = ir.shape;
  const E = ir.shape.length === 4 ? ir.shape[2] : 1;
  const N = ir.shape[ir.shape.length - 1];
  if (M === 0 || R === 0 || E === 0) throw new FormatError(message(FN, 'Data.IR must hold at least one measurement, receiver and emitter', { verbatim: `[${ir.shape.join(', ')}]${where}` }));
  const sampleRate = isTF ? NaN : f.readArray('Data.SamplingRate', { maxBytes: 2 ** 20 }).data[0];
  if (!isTF && !(sampleRate > 0 && Number.isFinite(sampleRate))) throw new FormatError(message(FN, 'Data.SamplingRate must be a positive number (Hz)', { verbatim: `${sampleRate}${where}` }));
  const delay = f.has('Data.Delay') ? f.readArray('Data.Delay', { maxBytes: 2 ** 26 }).data : new Float64Array(0);
  const listener = positions(f, 'ListenerPosition', true)!;
  const receiver = positions(f, 'ReceiverPosition', true)!;
  const source = positions(f, 'SourcePosition', true)!;
  const emitter = positions(f, 'EmitterPosition', false);
  if (receiver.count !== R) throw new FormatError(message(FN, `ReceiverPosition must have R = ${R} rows (${mainVar})`, { verbatim: `${receiver.count}${where}` }));
  const listenerView = positions(f, 'ListenerView', false);
  const listenerUp = positions(f, 'ListenerUp', false);
  const sourceView = positions(f, 'SourceView', false);
  const sourceUp = positions(f, 'SourceUp', false);
  // Each position variable holds one row (or depth) for all measurements, or one per measurement.
  for (const [name, p, depthOnly] of [['ListenerPosition', listener, false], ['ListenerView', listenerView, false], ['ListenerUp', listenerUp, false], ['SourcePosition', source, false], ['SourceView', sourceView, false], ['SourceUp', sourceUp, false], ['ReceiverPosition', receiver, true], ['EmitterPosition', emitter, true]] as const) {
    if (p === undefined) continue;
    const n = depthOnly || !p.perMeasurement ? p.shape.slice(2).reduce((q, k) => q * k, 1) : p.count;
    if (n !== 1 && n !== M) throw new FormatError(message(FN, `${name} must hold its positions once or once per measurement (M = ${M})`, { verbatim: `[${p.shape.join(', ')}]${where}` }));
  }
  const unitZ = Float64Array.of(0, 0, 1), unitX = Float64Array.of(1, 0, 0);
  const checkM = (fn: string, m: number): void => {
    if (!Number.isInteger(m) || m < 0 || m >= M) throw new ValueError(message(fn, `m must be a measurement index in [0, ${M - 1}]`, m));
  };
  const receiversInRoom = (m: number): Float64Array => {
    checkM('SofaFile.receiversInRoom', m);
    return toRoom(receiver.at(m), listener.at(m), listenerView?.at(m) ?? unitX, listenerUp?.at(m) ?? unitZ, 'Listener', where);
  };
  let geometry: ArrayGeometry;
  try {
    geometry = ArrayGeometry.fromPositions(receiver.cartesian, {}, isTF ? {} : { sampleRate });
  } catch (err) {
    if (!isPointwiseError(err)) throw err;
    throw new FormatError(message(FN, 'ReceiverPosition must give distinct finite positions', { verbatim: `${(err as Error).message}${where}` }));
  }
  const data = ir.data;
  const labels = Array.from({ length: R }, (_, r) => `receiver ${r}`);
  const slab = (from: Float64Array, m: number, e: number, meta: { sampleRate?: number }): Multichannel => {
    const out = new Float64Array(R * N);
    for (let r = 0; r < R; r++) {
      const src = ((m * R + r) * E + e) * N;
      out.set(from.subarray(src, src + N), r * N);
    }
    return new Multichannel(out, R, N, { ...meta, labels });
  };
  const checkME = (fn: string, m: number, e: number): void => {
    checkM(fn, m);
    if (!Number.isInteger(e) || e < 0 || e >= E) throw new ValueError(message(fn, `e must be an emitter index in [0, ${E - 1}]`, e));
  };
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
    imag,
    frequencies,
    listenerView,
    listenerUp,
    sourceView,
    sourceUp,
    ir(m: number, e = 0): Multichannel {
      if (isTF) throw new ValueError(message('SofaFile.ir', 'the file must hold impulse responses (DataType FIR); read TF data with tf(m)', { verbatim: dataType }));
      checkME('SofaFile.ir', m, e);
      return slab(data, m, e, { sampleRate });
    },
    tf(m: number, e = 0) {
      if (!isTF || imag === undefined || frequencies === undefined) throw new ValueError(message('SofaFile.tf', 'the file must hold transfer functions (DataType TF); read FIR data with ir(m)', { verbatim: dataType }));
      checkME('SofaFile.tf', m, e);
      return { real: slab(data, m, e, {}), imag: slab(imag, m, e, {}), frequencies: frequencies.slice() };
    },
    receiversInRoom,
    emittersInRoom(m: number): Float64Array | undefined {
      checkM('SofaFile.emittersInRoom', m);
      if (emitter === undefined) return undefined;
      return toRoom(emitter.at(m), source.at(m), sourceView?.at(m) ?? unitX, sourceUp?.at(m) ?? unitZ, 'Source', where);
    },
    roomGeometry(m: number): ArrayGeometry {
      return ArrayGeometry.fromPositions(receiversInRoom(m), {}, isTF ? {} : { sampleRate });
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
