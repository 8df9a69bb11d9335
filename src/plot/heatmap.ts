/**
 * Heatmaps with a colour bar (SRP maps with x/y in m, spectrograms time × frequency, any grid),
 * RGB and false-colour images, and small multiples of abundance maps.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertFinite, assertInteger, assertNumericArray, assertOneOf, assertPositive } from '../core/validate.js';
import type { Stft } from '../fft/stft.js';
import { colormapTable, COLORMAPS, type ColormapName } from './colormap.js';
import { figureSize, type FigureOptions } from './charts.js';
import { makeFigure, type Figure } from './figure.js';
import { linearScale } from './scale.js';
import { COLORBAR_WIDTH, defaultTicks, esc, drawAxes, drawColorbar, drawTitle, plotArea, px, SvgDoc, textWidth, type Box } from './svg.js';

/** A point drawn over a heatmap (a true source, an estimate). */
export interface Marker {
  x: number;
  y: number;
  label?: string;
  color?: string;
  /** 'cross' (default), 'circle', or 'dot' (a small filled disc, e.g. a microphone). */
  shape?: 'cross' | 'circle' | 'dot';
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions extends FigureOptions {
  xLabel?: string;
  yLabel?: string;
  /** Label of the colour bar, with its unit: `'Power (dB)'`. */
  colorbarLabel?: string;
  /** `[left, right]` edges of the grid in x data units (default `[0, cols]`). */
  xExtent?: readonly [number, number];
  /** `[first row edge, last row edge]` in y data units (default `[0, rows]`). */
  yExtent?: readonly [number, number];
  /** Colour map (default 'viridis'). */
  colormap?: ColormapName;
  /** Values mapped to the ends of the colour map (default: the finite data range). */
  valueRange?: readonly [number, number];
  /** 'lower': row 0 at the bottom, y up (maps, spectrograms; default). 'upper': row 0 at the top (images). */
  origin?: 'lower' | 'upper';
  /** Points drawn over the map. */
  markers?: readonly Marker[];
  /** Same scale on x and y (default false; true for spatial maps). */
  equalAspect?: boolean;
  /** Show the colour bar (default true). */
  colorbar?: boolean;
  /** x range of the axes, widened to contain `xExtent` (default: the extent); room for markers beside the grid. */
  xLimits?: readonly [number, number];
  /** y range of the axes, widened to contain `yExtent` (default: the extent). */
  yLimits?: readonly [number, number];
}

const ORIGINS = ['lower', 'upper'] as const;

function checkPair(fn: string, name: string, v: readonly [number, number] | undefined, increasing: boolean): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length !== 2 || !Number.isFinite(v[0]) || !Number.isFinite(v[1]) || (increasing ? !(v[1] > v[0]) : v[1] === v[0])) {
    throw new ValueError(message(fn, `${name} must be [a, b] with finite ${increasing ? 'a < b' : 'a ≠ b'}`, v));
  }
}

/** Finite min and max of `v` (or [0, 1] when there are none; widened when equal). */
function valueExtent(v: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!(lo <= hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (Number.isFinite(x)) {
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  }
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) return [lo - (lo === 0 ? 1 : Math.abs(lo) * 0.1), hi + (hi === 0 ? 1 : Math.abs(hi) * 0.1)];
  return [lo, hi];
}

/** rows × cols values → RGBA through a colour map; non-finite values are white; row 0 drawn at the top unless `flip`. */
function colorize(v: ArrayLike<number>, rows: number, cols: number, range: readonly [number, number], cmap: ColormapName, flip: boolean): Uint8Array {
  const table = colormapTable(cmap);
  const rgba = new Uint8Array(rows * cols * 4);
  const lo = range[0];
  const k = 255 / (range[1] - range[0]);
  for (let r = 0; r < rows; r++) {
    const outRow = flip ? rows - 1 - r : r;
    for (let c = 0; c < cols; c++) {
      const x = v[r * cols + c];
      const o = (outRow * cols + c) * 4;
      if (!Number.isFinite(x)) {
        rgba[o] = rgba[o + 1] = rgba[o + 2] = 255;
      } else {
        const i = Math.max(0, Math.min(255, Math.round((x - lo) * k))) * 3;
        rgba[o] = table[i];
        rgba[o + 1] = table[i + 1];
        rgba[o + 2] = table[i + 2];
      }
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

/** Shrinks `area` (centred) so one x unit and one y unit have the same length in pixels. */
function equalAspectBox(area: Box, xSpan: number, ySpan: number): Box {
  const s = Math.min(area.w / Math.abs(xSpan), area.h / Math.abs(ySpan));
  const w = Math.abs(xSpan) * s;
  const h = Math.abs(ySpan) * s;
  return { x: area.x + (area.w - w) / 2, y: area.y + (area.h - h) / 2, w, h };
}

/** Draws the raster, axes, markers and colour bar of a heatmap into `doc`. */
function drawHeatmap(doc: SvgDoc, fn: string, values: ArrayLike<number>, rows: number, cols: number, o: HeatmapOptions, width: number, height: number, rgbaIn?: Uint8Array): void {
  const origin = assertOneOf(fn, 'options.origin', o.origin ?? 'lower', ORIGINS);
  const cmap = assertOneOf(fn, 'options.colormap', o.colormap ?? 'viridis', COLORMAPS);
  checkPair(fn, 'options.xExtent', o.xExtent, false);
  checkPair(fn, 'options.yExtent', o.yExtent, false);
  checkPair(fn, 'options.valueRange', o.valueRange, true);
  checkPair(fn, 'options.xLimits', o.xLimits, true);
  checkPair(fn, 'options.yLimits', o.yLimits, true);
  const xe = o.xExtent ?? [0, cols];
  const ye = o.yExtent ?? [0, rows];
  const showBar = o.colorbar ?? !rgbaIn;
  const range = o.valueRange ?? valueExtent(values);
  // the axes' ranges: the raster's extent, widened to the requested limits
  const xv: [number, number] = [Math.min(xe[0], xe[1], o.xLimits?.[0] ?? Infinity), Math.max(xe[0], xe[1], o.xLimits?.[1] ?? -Infinity)];
  const yv: [number, number] = [Math.min(ye[0], ye[1], o.yLimits?.[0] ?? Infinity), Math.max(ye[0], ye[1], o.yLimits?.[1] ?? -Infinity)];
  const yd = o.yExtent || o.yLimits ? yv : ye;
  const rough = height - (o.title ? 36 : 14) - 48;
  const yt = defaultTicks([yd[0], yd[1]], Math.max(2, Math.round(rough / 60)));
  let yw = 0;
  for (const l of yt.labels) yw = Math.max(yw, textWidth(l, 11));
  let area = plotArea(width, height, { title: o.title, rightExtra: showBar ? COLORBAR_WIDTH : 0, yTickWidth: yw });
  if (o.equalAspect) area = equalAspectBox(area, xv[1] - xv[0], yv[1] - yv[0]);
  const sx = linearScale(xv, [area.x, area.x + area.w]);
  const yLow = yv[0];
  const yHigh = yv[1];
  const sy = origin === 'lower' ? linearScale([yLow, yHigh], [area.y + area.h, area.y]) : linearScale([yLow, yHigh], [area.y, area.y + area.h]);
  const rx0 = sx.map(Math.min(xe[0], xe[1]));
  const rx1 = sx.map(Math.max(xe[0], xe[1]));
  const ry0 = sy.map(Math.min(ye[0], ye[1]));
  const ry1 = sy.map(Math.max(ye[0], ye[1]));
  const rasterBox: Box = { x: rx0, y: Math.min(ry0, ry1), w: rx1 - rx0, h: Math.abs(ry1 - ry0) };
  // Image rows: with origin 'lower' and y increasing with the row index, row 0 is drawn at the bottom.
  const rowZeroAtBottom = origin === 'lower' ? ye[1] > ye[0] : ye[1] < ye[0];
  const flipCols = xe[1] < xe[0];
  let rgba = rgbaIn ?? colorize(values, rows, cols, range, cmap, false);
  if (rowZeroAtBottom || flipCols) rgba = flipRaster(rgba, rows, cols, rowZeroAtBottom, flipCols);
  if (o.xLimits || o.yLimits) doc.rect(area, '#f2f2f2');
  doc.image(rasterBox, rgba, cols, rows);
  drawAxes(doc, area, sx, sy, { xLabel: o.xLabel, yLabel: o.yLabel, grid: false, yTicks: defaultTicks([yLow, yHigh], Math.max(2, Math.round(area.h / 60))) });
  const markers = o.markers ?? [];
  const at = markers.map((m) => {
    if (m === null || typeof m !== 'object' || !Number.isFinite(m.x) || !Number.isFinite(m.y)) throw new ValueError(message(fn, 'options.markers must have finite x and y', m));
    return { X: sx.map(m.x), Y: sy.map(m.y) };
  });
  markers.forEach((m, i) => {
    const { X, Y } = at[i];
    const color = m.color ?? '#ffffff';
    if (m.shape === 'circle') doc.add(`<circle cx="${px(X)}" cy="${px(Y)}" r="7" fill="none" stroke="${color}" stroke-width="2.5"/>`);
    else if (m.shape === 'dot') doc.add(`<circle cx="${px(X)}" cy="${px(Y)}" r="3" fill="${color}" stroke="#000" stroke-width="1"/>`);
    else doc.add(`<path d="M${px(X - 7)} ${px(Y - 7)}L${px(X + 7)} ${px(Y + 7)}M${px(X - 7)} ${px(Y + 7)}L${px(X + 7)} ${px(Y - 7)}" stroke="${color}" stroke-width="2.5"/>`);
  });
  const symbols: Box[] = at.map(({ X, Y }) => ({ x: X - 7, y: Y - 7, w: 14, h: 14 }));
  for (const l of placeLabels(at, markers.map((m) => m.label), symbols, width, height)) {
    // a dark outline under the letters keeps a label legible on any colour of the map
    doc.add(`<text x="${px(l.x)}" y="${px(l.y)}" font-size="${LABEL_SIZE}" font-weight="bold" fill="${markers[l.index].color ?? '#ffffff'}" stroke="#000" stroke-width="2.5" stroke-linejoin="round" paint-order="stroke">${esc(l.text)}</text>`);
  }
  if (showBar) drawColorbar(doc, area, range, cmap, o.colorbarLabel);
  drawTitle(doc, o.title, area.x + area.w / 2);
}

const LABEL_SIZE = 11;

/** A marker label placed by {@link placeLabels}: text baseline at (x, y). */
export interface PlacedLabel {
  index: number;
  text: string;
  x: number;
  y: number;
  box: Box;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Places the labels of points (pixel positions `at`) so that no two labels overlap each other or
 * another point's symbol (`avoid`) and all stay inside `width × height`: for each label in turn,
 * the first free spot among eight around its point at growing distances (right-above first); a
 * label with no free spot keeps the first candidate. Labels `undefined` or '' are skipped.
 * O(L² · candidates).
 * @internal
 */
export function placeLabels(at: readonly { X: number; Y: number }[], labels: readonly (string | undefined)[], avoid: readonly Box[], width: number, height: number): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const h = LABEL_SIZE + 2;
  labels.forEach((text, index) => {
    if (!text) return;
    const w = textWidth(text, LABEL_SIZE);
    const { X, Y } = at[index];
    let first: PlacedLabel | undefined;
    let chosen: PlacedLabel | undefined;
    for (let ring = 1; ring <= 4 && !chosen; ring++) {
      const d = 10 * ring;
      // (left edge, top edge) of the label box for each candidate around (X, Y)
      const spots: [number, number][] = [
        [X + d, Y - d - h + 6],
        [X + d, Y + d - 6],
        [X - d - w, Y - d - h + 6],
        [X - d - w, Y + d - 6],
        [X - w / 2, Y - d - h],
        [X - w / 2, Y + d],
        [X + d, Y - h / 2],
        [X - d - w, Y - h / 2],
      ];
      for (const [bx, by] of spots) {
        const box: Box = { x: bx, y: by, w, h };
        const label: PlacedLabel = { index, text, x: bx, y: by + LABEL_SIZE, box };
        first ??= label;
        const inside = bx >= 0 && by >= 0 && bx + w <= width && by + h <= height;
        if (inside && !placed.some((p) => overlaps(p.box, box)) && !avoid.some((a, k) => k !== index && overlaps(a, box))) {
          chosen = label;
          break;
        }
      }
    }
    placed.push(chosen ?? (first as PlacedLabel));
  });
  return placed;
}

function flipRaster(rgba: Uint8Array, rows: number, cols: number, flipRows: boolean, flipCols: boolean): Uint8Array {
  const out = new Uint8Array(rgba.length);
  for (let r = 0; r < rows; r++) {
    const rr = flipRows ? rows - 1 - r : r;
    for (let c = 0; c < cols; c++) {
      const cc = flipCols ? cols - 1 - c : c;
      const i = (r * cols + c) * 4;
      const o = (rr * cols + cc) * 4;
      out[o] = rgba[i];
      out[o + 1] = rgba[i + 1];
      out[o + 2] = rgba[i + 2];
      out[o + 3] = rgba[i + 3];
    }
  }
  return out;
}

/**
 * A heatmap of a `rows × cols` grid (row-major `values[r * cols + c]`) with labelled axes and a colour bar.
 *
 * @throws ShapeError when `values.length !== rows × cols`; ValueError for bad extents, ranges or options.
 * Complexity O(rows·cols); the grid is embedded as one PNG raster, so large grids stay small.
 * @example heatmap(z, 50, 80, { xLabel: 'x (m)', yLabel: 'y (m)', colorbarLabel: 'Power (dB)', xExtent: [-2, 2], yExtent: [0, 2.5] })
 */
export function heatmap(values: ArrayLike<number>, rows: number, cols: number, options: HeatmapOptions = {}): Figure {
  const fn = 'heatmap';
  const v = assertNumericArray(fn, 'values', values);
  assertInteger(fn, 'rows', rows, 1);
  assertInteger(fn, 'cols', cols, 1);
  if (v.length !== rows * cols) throw new ShapeError(message(fn, `values.length must equal rows × cols = ${rows * cols}`, v.length));
  const { width, height } = figureSize(fn, options);
  const doc = new SvgDoc(width, height);
  drawHeatmap(doc, fn, v, rows, cols, options, width, height);
  return makeFigure(doc.toString(), width, height);
}

/** Options of {@link srpMapPlot}. */
export interface SrpMapPlotOptions extends HeatmapOptions {
  /** x of the first and last grid column, in m. */
  xRangeM: readonly [number, number];
  /** y of the first and last grid row, in m. */
  yRangeM: readonly [number, number];
  /**
   * Colour scale: true shows 10·log10(power / max) in dB (values must be ≥ 0), false the raw values
   * on a linear scale, 'auto' (default) dB when every value is ≥ 0 and linear otherwise (SRP-PHAT
   * maps of real recordings can dip below zero: they are sums of correlations).
   */
  db?: boolean | 'auto';
  /** Lower end of the dB colour range (default −20 dB) when the scale is dB. */
  floorDb?: number;
  /** Microphone positions `[x, y, …]` in m, drawn as dots (the first and last labelled with their index); the axes widen to show them. */
  microphones?: readonly (readonly number[])[];
}

/**
 * A steered-response-power map over a grid in the x–y plane: `power[r * cols + c]` at
 * `x = xRangeM[0] + c·dx`, `y = yRangeM[0] + r·dy` (grid points, m). Axes in m with equal aspect, colour
 * in dB relative to the peak (or linear for signed maps, see `db`); `markers` show true sources or
 * estimates and `microphones` the array, with labels placed so they do not overlap.
 * @throws ShapeError for a size mismatch; ValueError for negative power with `db: true`, or
 *   non-finite marker or microphone coordinates.
 * @example srpMapPlot(map.power, 41, 61, { xRangeM: [-3, 3], yRangeM: [0, 4], markers: [{ x: 1.2, y: 2.0, label: 'talker' }] })
 */
export function srpMapPlot(power: ArrayLike<number>, rows: number, cols: number, options: SrpMapPlotOptions): Figure {
  const fn = 'srpMapPlot';
  const p = assertNumericArray(fn, 'power', power);
  assertInteger(fn, 'rows', rows, 1);
  assertInteger(fn, 'cols', cols, 1);
  if (p.length !== rows * cols) throw new ShapeError(message(fn, `power.length must equal rows × cols = ${rows * cols}`, p.length));
  if (options === null || typeof options !== 'object') throw new ArgumentTypeError(message(fn, 'options { xRangeM, yRangeM } are required', options));
  checkPair(fn, 'options.xRangeM', options.xRangeM, true);
  checkPair(fn, 'options.yRangeM', options.yRangeM, true);
  const dbOption = options.db ?? 'auto';
  if (dbOption !== true && dbOption !== false && dbOption !== 'auto') throw new ValueError(message(fn, "options.db must be true, false or 'auto'", dbOption));
  let db = dbOption === true;
  if (dbOption === 'auto') {
    db = true;
    for (let i = 0; i < p.length; i++) if (p[i] < 0) db = false;
  }
  const floor = options.floorDb ?? -20;
  if (db) assertFinite(fn, 'options.floorDb', floor);
  let values: ArrayLike<number> = p;
  if (db) {
    let max = 0;
    for (let i = 0; i < p.length; i++) {
      if (p[i] < 0) throw new ValueError(message(fn, "power must be ≥ 0 with db: true (db: 'auto' or false plots signed maps linearly)", { verbatim: `${p[i]} at index ${i}` }));
      if (p[i] > max) max = p[i];
    }
    const out = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = max > 0 ? Math.max(floor, 10 * Math.log10(p[i] / max)) : floor;
    values = out;
  }
  const dx = cols > 1 ? (options.xRangeM[1] - options.xRangeM[0]) / (cols - 1) : 1;
  const dy = rows > 1 ? (options.yRangeM[1] - options.yRangeM[0]) / (rows - 1) : 1;
  const mics = options.microphones ?? [];
  if (!Array.isArray(mics)) throw new ArgumentTypeError(message(fn, 'options.microphones must be an array of [x, y, …] positions (m)', mics));
  const micMarkers: Marker[] = mics.map((m, i) => {
    if (!Array.isArray(m) || m.length < 2 || !Number.isFinite(m[0]) || !Number.isFinite(m[1])) throw new ValueError(message(fn, `options.microphones[${i}] must be [x, y, …] with finite x and y (m)`, m));
    return { x: m[0], y: m[1], shape: 'dot', color: '#ffffff', label: mics.length > 1 && (i === 0 || i === mics.length - 1) ? `mic ${i}` : undefined };
  });
  const markers = [...micMarkers, ...(options.markers ?? [])];
  const xExtent: [number, number] = [options.xRangeM[0] - dx / 2, options.xRangeM[1] + dx / 2];
  const yExtent: [number, number] = [options.yRangeM[0] - dy / 2, options.yRangeM[1] + dy / 2];
  // widen the axes to every marker and microphone, with a margin of 3 % of the view
  let [x0, x1] = xExtent;
  let [y0, y1] = yExtent;
  for (const m of markers) {
    if (!Number.isFinite(m.x) || !Number.isFinite(m.y)) continue;
    x0 = Math.min(x0, m.x);
    x1 = Math.max(x1, m.x);
    y0 = Math.min(y0, m.y);
    y1 = Math.max(y1, m.y);
  }
  const widened = x0 < xExtent[0] || x1 > xExtent[1] || y0 < yExtent[0] || y1 > yExtent[1];
  const mx = widened ? 0.03 * (x1 - x0) : 0;
  const my = widened ? 0.03 * (y1 - y0) : 0;
  return heatmap(values, rows, cols, {
    xLabel: 'x (m)',
    yLabel: 'y (m)',
    colorbarLabel: db ? 'SRP (dB re peak)' : 'SRP (linear)',
    equalAspect: true,
    valueRange: db ? [floor, 0] : undefined,
    ...options,
    markers,
    xLimits: options.xLimits ?? (widened ? [x0 - mx, x1 + mx] : undefined),
    yLimits: options.yLimits ?? (widened ? [y0 - my, y1 + my] : undefined),
    xExtent,
    yExtent,
    origin: 'lower',
  });
}

/** The fields of an STFT that {@link spectrogramPlot} reads: the fft module's `Stft` fits. */
export type StftLike = Pick<Stft, 'channels' | 'frames' | 'bins' | 'nfft' | 'hop' | 'windowLength' | 'center' | 'sampleRate' | 're' | 'im'>;

/** Options of {@link spectrogramPlot}. */
export interface SpectrogramPlotOptions extends FigureOptions {
  /** Channel to show (default 0). */
  channel?: number;
  /** Sample rate in Hz when the STFT does not carry one. */
  sampleRate?: number;
  /** Colour range below the peak in dB (default 80). */
  dbRange?: number;
  /** Highest frequency shown, Hz (default Nyquist). */
  maxFrequencyHz?: number;
  colormap?: ColormapName;
}

/**
 * A spectrogram: power `10·log10(|X|²)` in dB relative to the peak, time (s) across, frequency (Hz, or
 * kHz above 2 kHz) up, with a colour bar. Frames are placed at their centres (`f·hop` when
 * `center`, else `f·hop + windowLength/2`).
 * @throws ValueError without a sample rate, for a bad channel or range.
 * @example spectrogramPlot(stft(speech, { windowLength: 512, hop: 128 }), { maxFrequencyHz: 8000 })
 */
export function spectrogramPlot(s: StftLike, options: SpectrogramPlotOptions = {}): Figure {
  const fn = 'spectrogramPlot';
  if (s === null || typeof s !== 'object' || !(s.re instanceof Float64Array) || !(s.im instanceof Float64Array)) {
    throw new ArgumentTypeError(message(fn, 's must be an Stft { frames, bins, re, im, … }', s));
  }
  const channel = options.channel ?? 0;
  assertInteger(fn, 'options.channel', channel, 0, s.channels - 1);
  const sr = options.sampleRate ?? s.sampleRate;
  if (sr === undefined) throw new ValueError(message(fn, 'a sample rate is required (options.sampleRate or s.sampleRate)', sr));
  assertPositive(fn, 'options.sampleRate', sr);
  const dbRange = options.dbRange ?? 80;
  assertPositive(fn, 'options.dbRange', dbRange);
  const F = s.frames;
  const B = s.bins;
  if (F < 1 || B < 1 || s.re.length < s.channels * F * B) throw new ShapeError(message(fn, 're and im must hold channels × frames × bins values', s.re.length));
  const df = sr / s.nfft;
  const fmax = Math.min(options.maxFrequencyHz ?? sr / 2, (B - 1) * df);
  assertPositive(fn, 'options.maxFrequencyHz', fmax);
  const rows = Math.min(B, Math.floor(fmax / df + 1e-9) + 1);
  // values[r * cols + c]: r = frequency bin (row 0 at the bottom), c = frame.
  const values = new Float64Array(rows * F);
  let peak = -Infinity;
  for (let f = 0; f < F; f++) {
    const base = (channel * F + f) * B;
    for (let k = 0; k < rows; k++) {
      const p = s.re[base + k] * s.re[base + k] + s.im[base + k] * s.im[base + k];
      const d = 10 * Math.log10(p + 1e-300);
      values[k * F + f] = d;
      if (d > peak) peak = d;
    }
  }
  for (let i = 0; i < values.length; i++) values[i] = Math.max(-dbRange, values[i] - peak);
  const kHz = fmax > 2000;
  const unit = kHz ? 1000 : 1;
  const t0 = (s.center ? 0 : s.windowLength / 2) / sr;
  const dt = s.hop / sr;
  return heatmap(values, rows, F, {
    xLabel: 'Time (s)',
    yLabel: kHz ? 'Frequency (kHz)' : 'Frequency (Hz)',
    colorbarLabel: 'Power (dB re peak)',
    colormap: options.colormap ?? 'magma',
    title: options.title,
    width: options.width,
    height: options.height,
    valueRange: [-dbRange, 0],
    xExtent: [Math.max(0, t0 - dt / 2), t0 + (F - 0.5) * dt],
    yExtent: [Math.max(0, -df / 2) / unit, ((rows - 0.5) * df) / unit],
    origin: 'lower',
  });
}

/** Options of {@link rgbImagePlot} and {@link falseColorPlot}. */
export interface ImagePlotOptions extends FigureOptions {
  /**
   * How values become 0–255 per channel: 'percentile' clips to the [p, 100−p] percentiles (default,
   * p = 2), 'minmax' to each channel's range, 'none' expects values already in [0, 1].
   */
  stretch?: 'percentile' | 'minmax' | 'none';
  /** Percentile clipped at each end for 'percentile' (default 2). */
  percentile?: number;
  xLabel?: string;
  yLabel?: string;
}

const STRETCHES = ['percentile', 'minmax', 'none'] as const;

function imageShape(fn: string, x: Multichannel): [number, number] {
  assertMultichannel(fn, 'x', x);
  const shape = x.shape;
  if (!shape || shape.length !== 2) throw new ShapeError(message(fn, 'x must carry a 2-D shape [rows, cols]', shape ?? x.dims));
  return [shape[0], shape[1]];
}

/** Value at fraction q of the sorted finite values (linear interpolation). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

function stretchRange(v: ArrayLike<number>, mode: 'percentile' | 'minmax' | 'none', p: number): [number, number] {
  if (mode === 'none') return [0, 1];
  const finite: number[] = [];
  const step = Math.max(1, Math.floor(v.length / 200000));
  for (let i = 0; i < v.length; i += step) if (Number.isFinite(v[i])) finite.push(v[i]);
  const sorted = Float64Array.from(finite).sort();
  const lo = mode === 'minmax' ? quantile(sorted, 0) : quantile(sorted, p / 100);
  const hi = mode === 'minmax' ? quantile(sorted, 1) : quantile(sorted, 1 - p / 100);
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/**
 * Shows a 3-channel image (channels = R, G, B; `shape [rows, cols]`; row 0 at the top) with pixel
 * axes, after a per-channel contrast stretch.
 * @throws ShapeError unless x has 3 channels and a 2-D shape.
 * @example rgbImagePlot(cube.selectChannels([29, 19, 9]), { title: 'False colour' })
 */
export function rgbImagePlot(x: Multichannel, options: ImagePlotOptions = {}): Figure {
  const fn = 'rgbImagePlot';
  const [rows, cols] = imageShape(fn, x);
  if (x.channels !== 3) throw new ShapeError(message(fn, 'x must have 3 channels (R, G, B)', x.channels));
  const { width, height } = figureSize(fn, options);
  const stretch = assertOneOf(fn, 'options.stretch', options.stretch ?? 'percentile', STRETCHES);
  const p = options.percentile ?? 2;
  assertPositive(fn, 'options.percentile', p, true);
  if (p >= 50) throw new ValueError(message(fn, 'options.percentile must be < 50', p));
  const n = rows * cols;
  const rgba = new Uint8Array(n * 4);
  for (let c = 0; c < 3; c++) {
    const ch = x.channel(c);
    const [lo, hi] = stretchRange(ch, stretch, p);
    const k = 255 / (hi - lo);
    for (let i = 0; i < n; i++) {
      const v = ch[i];
      rgba[i * 4 + c] = Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round((v - lo) * k))) : 0;
    }
  }
  for (let i = 0; i < n; i++) rgba[i * 4 + 3] = 255;
  const doc = new SvgDoc(width, height);
  drawHeatmap(doc, fn, new Float64Array(0), rows, cols, { xLabel: 'Column (px)', yLabel: 'Row (px)', ...options, origin: 'upper', equalAspect: true, colorbar: false, xExtent: [0, cols], yExtent: [0, rows] }, width, height, rgba);
  return makeFigure(doc.toString(), width, height);
}

/** Options of {@link falseColorPlot}. */
export interface FalseColorPlotOptions extends ImagePlotOptions {
  /** Channel indices shown as R, G, B. */
  bands?: readonly [number, number, number];
  /** Wavelengths (nm) shown as R, G, B: the nearest bands of `cube.coords` (default 640, 550, 460 nm). */
  wavelengthsNm?: readonly [number, number, number];
}

/**
 * False-colour view of a cube `[bands, rows·cols]` with `shape [rows, cols]`: three bands shown as
 * R, G, B. Bands are chosen by index, or by wavelength from `cube.coords` (unit nm), or default to
 * 640/550/460 nm when the cube has wavelengths, else to the first three channels. The title names the
 * chosen bands.
 * @throws ShapeError for a cube without a 2-D shape; ValueError for band indices out of range.
 * @example falseColorPlot(cube, { wavelengthsNm: [860, 650, 550] }) // colour-infrared
 */
export function falseColorPlot(cube: Multichannel, options: FalseColorPlotOptions = {}): Figure {
  const fn = 'falseColorPlot';
  imageShape(fn, cube);
  const wl = cube.coords && cube.coords.width === 1 && cube.coords.unit === 'nm' ? cube.coords.values : undefined;
  let bands: number[];
  if (options.bands) {
    if (!Array.isArray(options.bands) || options.bands.length !== 3) throw new ShapeError(message(fn, 'options.bands must be [r, g, b] channel indices', options.bands));
    options.bands.forEach((b, k) => assertInteger(fn, `options.bands[${k}]`, b, 0, cube.channels - 1));
    bands = [...options.bands];
  } else if (wl) {
    const targets = options.wavelengthsNm ?? [640, 550, 460];
    bands = targets.map((t) => {
      let best = 0;
      for (let i = 1; i < wl.length; i++) if (Math.abs(wl[i] - t) < Math.abs(wl[best] - t)) best = i;
      return best;
    });
  } else {
    if (options.wavelengthsNm) throw new ValueError(message(fn, 'options.wavelengthsNm needs cube.coords with wavelengths in nm', cube.coords?.unit));
    if (cube.channels < 3) throw new ShapeError(message(fn, 'the cube must have at least 3 channels', cube.channels));
    bands = [0, 1, 2];
  }
  const names = bands.map((b) => (wl ? `${Math.round(wl[b])} nm` : `band ${b}`));
  const title = options.title ?? `False colour (R ${names[0]}, G ${names[1]}, B ${names[2]})`;
  return rgbImagePlot(cube.selectChannels(bands).withMeta({ coords: undefined, labels: undefined }), { ...options, title });
}

/** Options of {@link abundanceMapsPlot}. */
export interface AbundanceMapsPlotOptions extends FigureOptions {
  /** Panels per row (default: up to 4). */
  columns?: number;
  /** Colour range shared by all panels (default: the finite range over all maps). */
  valueRange?: readonly [number, number];
  colormap?: ColormapName;
  /** Panel titles (default `x.labels`, else `map 0`, `map 1`, …). */
  labels?: readonly string[];
  /** Label of the shared colour bar (default 'Abundance'). */
  colorbarLabel?: string;
}

/**
 * Small multiples: each channel of `x` (shape `[rows, cols]`) as an image panel (row 0 at the top,
 * equal aspect) with one shared colour bar — abundance maps, PCA component images, class scores.
 * @throws ShapeError for a missing 2-D shape or a wrong number of labels.
 * @example abundanceMapsPlot(abundances, { labels: ['grass', 'soil', 'water'], valueRange: [0, 1] })
 */
export function abundanceMapsPlot(x: Multichannel, options: AbundanceMapsPlotOptions = {}): Figure {
  const fn = 'abundanceMapsPlot';
  const [rows, cols] = imageShape(fn, x);
  const K = x.channels;
  const columns = options.columns ?? Math.min(K, 4);
  assertInteger(fn, 'options.columns', columns, 1);
  const w0 = options.width ?? 760;
  // Default height: panels at the width allowed by the columns, with their titles.
  const autoH = Math.round((options.title ? 40 : 12) + Math.ceil(K / columns) * (((w0 - 104) / columns - 10) * (rows / cols) + 26) + 20);
  const { width, height } = figureSize(fn, { width: w0, height: options.height ?? Math.min(1600, Math.max(200, autoH)), title: options.title });
  const cmap = assertOneOf(fn, 'options.colormap', options.colormap ?? 'viridis', COLORMAPS);
  checkPair(fn, 'options.valueRange', options.valueRange, true);
  const labels = options.labels ?? x.labels ?? Array.from({ length: K }, (_, k) => `map ${k}`);
  if (labels.length !== K) throw new ShapeError(message(fn, `options.labels must have one label per channel (${K})`, labels.length));
  const range = options.valueRange ?? valueExtent(x.data);
  const gridRows = Math.ceil(K / columns);
  const top = options.title ? 40 : 12;
  const area: Box = { x: 12, y: top, w: width - 12 - COLORBAR_WIDTH - 8, h: height - top - 12 };
  const cellW = area.w / columns;
  const cellH = area.h / gridRows;
  const titleH = 18;
  const s = Math.min((cellW - 10) / cols, (cellH - titleH - 8) / rows);
  const pw = cols * s;
  const ph = rows * s;
  const doc = new SvgDoc(width, height);
  for (let k = 0; k < K; k++) {
    const gr = Math.floor(k / columns);
    const gc = k % columns;
    const box: Box = { x: area.x + gc * cellW + (cellW - pw) / 2, y: area.y + gr * cellH + titleH + (cellH - titleH - ph) / 2, w: pw, h: ph };
    doc.image(box, colorize(x.channel(k), rows, cols, range, cmap, false), cols, rows);
    doc.rect(box, 'none', '#333');
    doc.text(box.x + pw / 2, box.y - 6, labels[k], { size: 12, anchor: 'middle' });
  }
  const barArea: Box = { x: area.x, y: area.y + titleH, w: area.w, h: Math.max(40, area.h - titleH - 8) };
  drawColorbar(doc, barArea, range, cmap, options.colorbarLabel ?? 'Abundance');
  drawTitle(doc, options.title, width / 2);
  return makeFigure(doc.toString(), width, height);
}
