/**
 * Line plots (signals against time, spectra against wavelength, any x–y series with a legend),
 * bar charts and explained-variance curves.
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { assertInteger, assertNumericArray, assertOneOf, assertPositive } from '../core/validate.js';
import { SERIES_COLORS } from './colormap.js';
import { makeFigure, type Figure } from './figure.js';
import { formatTick, linearScale, niceDomain, niceStep } from './scale.js';
import { defaultTicks, drawAxes, drawLegend, drawTitle, ID, legendWidth, logTicks, plotArea, px, SvgDoc, textWidth, type Box, type LegendEntry, type Ticks } from './svg.js';

/** Size and title, shared by every plot. */
export interface FigureOptions {
  /** Title above the plot. */
  title?: string;
  /** Width in CSS pixels (default 640). */
  width?: number;
  /** Height in CSS pixels (default 400). */
  height?: number;
}

/** Axis options of Cartesian plots. Put the unit in the label: `'Time (s)'`. */
export interface AxesOptions extends FigureOptions {
  xLabel?: string;
  yLabel?: string;
  /** Fixed x range `[min, max]` in data units (default: the data's extent). */
  xLimits?: readonly [number, number];
  /** Fixed y range (default: the data's extent widened to nice ticks). */
  yLimits?: readonly [number, number];
  /** 'log' plots log10 of positive values with ticks at decades (default 'linear'). */
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  /** Light grid lines at the ticks (default true). */
  grid?: boolean;
}

/** One line of a {@link linePlot}. */
export interface LineSeries {
  /** Ordinates. Non-finite values leave a gap. */
  y: ArrayLike<number>;
  /** Abscissae (same length as `y`); default 0, 1, 2, … */
  x?: ArrayLike<number>;
  /** Legend text. */
  label?: string;
  /** CSS colour (default: the next of the Tableau 10 palette). */
  color?: string;
  /** Dashed line. */
  dash?: boolean;
  /** Draw a dot at every point (for short series such as timings). */
  markers?: boolean;
  /** Line width in px (default 1.5). */
  lineWidth?: number;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions extends AxesOptions {
  /** Show a legend to the right when at least one series has a label (default true). */
  legend?: boolean;
}

const SCALES = ['linear', 'log'] as const;

/** Checks and fills the common figure options. */
export function figureSize(fn: string, o: FigureOptions): { width: number; height: number } {
  const width = o.width ?? 640;
  const height = o.height ?? 400;
  assertInteger(fn, 'options.width', width, 120, 8192);
  assertInteger(fn, 'options.height', height, 100, 8192);
  if (o.title !== undefined && typeof o.title !== 'string') throw new ArgumentTypeError(message(fn, 'options.title must be a string', o.title));
  return { width, height };
}

function checkLimits(fn: string, name: string, v: readonly [number, number] | undefined): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length !== 2 || !Number.isFinite(v[0]) || !Number.isFinite(v[1]) || !(v[1] > v[0])) {
    throw new ValueError(message(fn, `${name} must be [min, max] with finite min < max`, v));
  }
}

/** Data extent of the finite values (optionally positive only); null when there are none. */
function extent(values: ArrayLike<number>, positiveOnly: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * SVG path data for points (X[i], Y[i]) in pixels, broken at non-finite values. Long monotonic series
 * are reduced to first/min/max/last per pixel column, which draws the same picture.
 */
export function pathData(X: Float64Array, Y: Float64Array, pixelWidth: number): string {
  const n = X.length;
  const parts: string[] = [];
  let pen = false;
  const emit = (x: number, y: number): void => {
    if (Number.isFinite(x) && Number.isFinite(y)) {
      parts.push((pen ? 'L' : 'M') + px(x) + ' ' + px(y));
      pen = true;
    } else pen = false;
  };
  let monotonic = true;
  for (let i = 1; i < n && monotonic; i++) if (X[i] < X[i - 1]) monotonic = false;
  if (!monotonic || n <= 4 * pixelWidth) {
    for (let i = 0; i < n; i++) emit(X[i], Y[i]);
    return parts.join('');
  }
  let i = 0;
  while (i < n) {
    const col = Math.floor(X[i]);
    let j = i;
    let iMin = i;
    let iMax = i;
    let broken = false;
    while (j < n && Math.floor(X[j]) === col) {
      if (!Number.isFinite(Y[j])) broken = true;
      else {
        if (!(Y[j] >= Y[iMin]) || !Number.isFinite(Y[iMin])) iMin = j;
        if (!(Y[j] <= Y[iMax]) || !Number.isFinite(Y[iMax])) iMax = j;
      }
      j++;
    }
    const idx = [i, iMin, iMax, j - 1].sort((a, b) => a - b);
    let prev = -1;
    for (const k of idx) {
      if (k !== prev) emit(X[k], Y[k]);
      prev = k;
    }
    if (broken) pen = false;
    i = j;
  }
  return parts.join('');
}

interface AxisSetup {
  domain: [number, number];
  ticks: Ticks;
  log: boolean;
}

function setupAxis(fn: string, name: string, values: ArrayLike<number>[], scale: 'linear' | 'log', limits: readonly [number, number] | undefined, nice: boolean, target: number): AxisSetup {
  const log = scale === 'log';
  let lo = Infinity;
  let hi = -Infinity;
  if (limits) {
    if (log && !(limits[0] > 0)) throw new ValueError(message(fn, `options.${name}Limits must be positive on a log axis`, limits[0]));
    [lo, hi] = log ? [Math.log10(limits[0]), Math.log10(limits[1])] : [limits[0], limits[1]];
  } else {
    for (const v of values) {
      const e = extent(v, log);
      if (e) {
        lo = Math.min(lo, e[0]);
        hi = Math.max(hi, e[1]);
      }
    }
    if (!(lo <= hi)) {
      if (log) throw new ValueError(message(fn, `a log ${name} axis needs at least one positive value`, { verbatim: 'none' }));
      lo = 0;
      hi = 1;
    }
    if (log) {
      lo = Math.log10(lo);
      hi = Math.log10(hi);
      if (lo === hi) {
        lo -= 0.5;
        hi += 0.5;
      }
      if (nice) {
        lo = Math.floor(lo + 1e-9);
        hi = Math.ceil(hi - 1e-9);
      }
    } else if (nice || lo === hi) [lo, hi] = niceDomain(lo, hi, target);
  }
  const domain: [number, number] = [lo, hi];
  if (!log && allIntegers(values)) {
    // Counts, sizes, component numbers: never a tick between two integers.
    const step = Math.max(1, niceStep(hi - lo, target));
    const vals: number[] = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) vals.push(v);
    if (vals.length >= 2) return { domain, ticks: { values: vals, labels: vals.map((v) => formatTick(v, step)) }, log };
  }
  return { domain, ticks: log ? logTicks(domain) : defaultTicks(domain, target), log };
}

function allIntegers(values: ArrayLike<number>[]): boolean {
  for (const v of values) for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]) && !Number.isInteger(v[i])) return false;
  return true;
}

/**
 * Plots one or more x–y series as lines with labelled axes and a legend.
 *
 * @param series - one series or several; each `y` with optional `x` of the same length.
 * @returns a {@link Figure} (SVG, PNG).
 * @throws ShapeError when `x` and `y` lengths differ or no series is given; ValueError for bad
 *   limits, sizes or scales, or a log axis without positive values.
 * Complexity O(total points); long series are reduced per pixel column.
 * @example
 * const fig = linePlot([{ x: sizes, y: directMs, label: 'direct', markers: true }, { x: sizes, y: fftMs, label: 'FFT' }],
 *   { title: 'Convolution time', xLabel: 'Signal length (samples)', yLabel: 'Time (ms)', xScale: 'log', yScale: 'log' });
 * fig; // as a notebook cell's last expression, the figure shows itself
 */
export function linePlot(series: LineSeries | readonly LineSeries[], options: LinePlotOptions = {}): Figure {
  const fn = 'linePlot';
  const list: readonly LineSeries[] = Array.isArray(series) ? series : [series as LineSeries];
  if (list.length === 0) throw new ShapeError(message(fn, 'at least one series is required', list));
  const { width, height } = figureSize(fn, options);
  const xScale = assertOneOf(fn, 'options.xScale', options.xScale ?? 'linear', SCALES);
  const yScale = assertOneOf(fn, 'options.yScale', options.yScale ?? 'linear', SCALES);
  checkLimits(fn, 'options.xLimits', options.xLimits);
  checkLimits(fn, 'options.yLimits', options.yLimits);
  const xs: ArrayLike<number>[] = [];
  const ys: ArrayLike<number>[] = [];
  list.forEach((s, k) => {
    if (s === null || typeof s !== 'object') throw new ArgumentTypeError(message(fn, `series[${k}] must be an object { y, x?, label? }`, s));
    const y = assertNumericArray(fn, `series[${k}].y`, s.y);
    let x: ArrayLike<number>;
    if (s.x !== undefined) {
      x = assertNumericArray(fn, `series[${k}].x`, s.x);
      if (x.length !== y.length) throw new ShapeError(message(fn, `series[${k}].x must have the length of series[${k}].y = ${y.length}`, x.length));
    } else {
      const r = new Float64Array(y.length);
      for (let i = 0; i < r.length; i++) r[i] = i;
      x = r;
    }
    xs.push(x);
    ys.push(y);
  });

  const entries: LegendEntry[] =
    options.legend === false
      ? []
      : list.flatMap((s, k) => (s.label ? [{ label: s.label, color: s.color ?? SERIES_COLORS[k % SERIES_COLORS.length], kind: 'line' as const, dash: s.dash ? '6 4' : undefined }] : []));
  const roughH = height - (options.title ? 36 : 14) - 48;
  const yAxis = setupAxis(fn, 'y', ys, yScale, options.yLimits, true, Math.max(2, Math.round(roughH / 60)));
  let yw = 0;
  for (const l of yAxis.ticks.labels) yw = Math.max(yw, textWidth(l, 11));
  const area = plotArea(width, height, { title: options.title, rightExtra: legendWidth(entries), yTickWidth: yw });
  const xAxis = setupAxis(fn, 'x', xs, xScale, options.xLimits, false, Math.max(2, Math.round(area.w / 90)));

  const doc = new SvgDoc(width, height);
  const sx = linearScale(xAxis.domain, [area.x, area.x + area.w]);
  const sy = linearScale(yAxis.domain, [area.y + area.h, area.y]);
  drawAxes(doc, area, sx, sy, { xLabel: options.xLabel, yLabel: options.yLabel, grid: options.grid, xTicks: xAxis.ticks, yTicks: yAxis.ticks });
  drawSeries(doc, area, list, xs, ys, sx.map, sy.map, xAxis.log, yAxis.log);
  drawTitle(doc, options.title, area.x + area.w / 2);
  if (entries.length) drawLegend(doc, entries, area.x + area.w + 6, area.y);
  return makeFigure(doc.toString(), width, height);
}

function drawSeries(
  doc: SvgDoc,
  area: Box,
  list: readonly LineSeries[],
  xs: ArrayLike<number>[],
  ys: ArrayLike<number>[],
  mapX: (v: number) => number,
  mapY: (v: number) => number,
  logX: boolean,
  logY: boolean,
): void {
  doc.def(`<clipPath id="${ID}-clip"><rect x="${px(area.x)}" y="${px(area.y)}" width="${px(area.w)}" height="${px(area.h)}"/></clipPath>`);
  list.forEach((s, k) => {
    const n = ys[k].length;
    const X = new Float64Array(n);
    const Y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xv = xs[k][i];
      const yv = ys[k][i];
      X[i] = logX ? (xv > 0 ? mapX(Math.log10(xv)) : NaN) : mapX(xv);
      Y[i] = logY ? (yv > 0 ? mapY(Math.log10(yv)) : NaN) : mapY(yv);
    }
    const color = s.color ?? SERIES_COLORS[k % SERIES_COLORS.length];
    const lw = s.lineWidth ?? 1.5;
    const dash = s.dash ? ' stroke-dasharray="6 4"' : '';
    doc.add(`<path d="${pathData(X, Y, area.w)}" fill="none" stroke="${color}" stroke-width="${lw}" stroke-linejoin="round"${dash} clip-path="url(#${ID}-clip)"/>`);
    if (s.markers) {
      const dots: string[] = [];
      for (let i = 0; i < n; i++) if (Number.isFinite(X[i]) && Number.isFinite(Y[i])) dots.push(`<circle cx="${px(X[i])}" cy="${px(Y[i])}" r="3"/>`);
      doc.add(`<g fill="${color}" clip-path="url(#${ID}-clip)">${dots.join('')}</g>`);
    }
  });
}

/** Options of {@link signalPlot}. */
export interface SignalPlotOptions extends LinePlotOptions {
  /** Channels to draw (default: all, at most 10). */
  channels?: readonly number[];
  /** Vertical offset between channels in signal units, to stack them (default 0: overlaid). */
  offset?: number;
}

/**
 * Plots the channels of a time series against time in seconds (`x.sampleRate` required, else sample
 * index), one line per channel, labelled with `x.labels` or `ch 0`, `ch 1`, …
 *
 * @throws ValueError for channel indices out of range.
 * @example signalPlot(wav, { title: 'Microphones 0–3', channels: [0, 1, 2, 3] }) // shows itself in a notebook cell
 */
export function signalPlot(x: Multichannel, options: SignalPlotOptions = {}): Figure {
  const fn = 'signalPlot';
  assertMultichannel(fn, 'x', x);
  if (x.length === 0) throw new ShapeError(message(fn, 'x must have at least one sample', x));
  const channels = options.channels ?? Array.from({ length: Math.min(x.channels, 10) }, (_, c) => c);
  channels.forEach((c, k) => assertInteger(fn, `options.channels[${k}]`, c, 0, x.channels - 1));
  const offset = options.offset ?? 0;
  assertPositive(fn, 'options.offset', offset, true);
  const sr = x.sampleRate;
  const t = new Float64Array(x.length);
  for (let i = 0; i < t.length; i++) t[i] = sr ? i / sr : i;
  const series: LineSeries[] = channels.map((c, k) => {
    let y: ArrayLike<number> = x.channel(c);
    if (offset) {
      const shifted = new Float64Array(x.length);
      for (let i = 0; i < shifted.length; i++) shifted[i] = y[i] - k * offset;
      y = shifted;
    }
    return { x: t, y, label: channels.length > 1 ? x.labels?.[c] ?? `ch ${c}` : undefined, lineWidth: 1 };
  });
  return linePlot(series, { xLabel: sr ? 'Time (s)' : 'Sample', yLabel: 'Amplitude', ...options });
}

/** Options of {@link spectraPlot}. */
export interface SpectraPlotOptions extends LinePlotOptions {
  /** Legend labels, one per spectrum. */
  labels?: readonly string[];
}

/**
 * Plots spectra against wavelength in nm: each spectrum is one line with as many values as
 * `wavelengthsNm`. Spectra may be given as arrays or as the channels of a Multichannel (e.g. PCA
 * loadings or endmembers, `[K, bands]`).
 *
 * @throws ShapeError when a spectrum's length differs from `wavelengthsNm.length`.
 * @example spectraPlot(wl, [grass, soil], { labels: ['grass', 'soil'], yLabel: 'Reflectance' })
 */
export function spectraPlot(wavelengthsNm: ArrayLike<number>, spectra: readonly ArrayLike<number>[] | Multichannel, options: SpectraPlotOptions = {}): Figure {
  const fn = 'spectraPlot';
  const wl = assertNumericArray(fn, 'wavelengthsNm', wavelengthsNm);
  const rows: ArrayLike<number>[] = spectra instanceof Multichannel ? spectra.toChannels() : Array.isArray(spectra) ? [...spectra] : [];
  if (rows.length === 0) throw new ShapeError(message(fn, 'spectra must be a non-empty array of spectra or a Multichannel', spectra));
  const labels = options.labels ?? (spectra instanceof Multichannel ? spectra.labels : undefined);
  if (labels && labels.length !== rows.length) throw new ShapeError(message(fn, `options.labels must have one label per spectrum (${rows.length})`, labels.length));
  rows.forEach((r, k) => {
    assertNumericArray(fn, `spectra[${k}]`, r);
    if (r.length !== wl.length) throw new ShapeError(message(fn, `spectra[${k}] must have one value per wavelength (${wl.length})`, r.length));
  });
  return linePlot(
    rows.map((y, k) => ({ x: wl, y, label: labels?.[k] })),
    { xLabel: 'Wavelength (nm)', yLabel: 'Reflectance', ...options },
  );
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends FigureOptions {
  xLabel?: string;
  yLabel?: string;
  /** Category names under the bars (default 1, 2, 3, …). */
  categories?: readonly string[];
  /** Bar colour (default the first palette colour). */
  color?: string;
  /** Fixed y range (default from 0, or the data's minimum when negative, to a nice maximum). */
  yLimits?: readonly [number, number];
  /** An extra line drawn over the bars, e.g. a cumulative sum, with its legend label. */
  line?: { y: ArrayLike<number>; label: string; color?: string };
  /** Legend label of the bars (shown when `line` is given). */
  label?: string;
}

/**
 * A bar chart of `values` by category, optionally with a line (markers) over the bars.
 * @throws ShapeError for empty values or a `categories`/`line` length mismatch; ValueError for non-finite values.
 * @example barChart([3, 5, 2], { categories: ['a', 'b', 'c'], yLabel: 'Count' })
 */
export function barChart(values: ArrayLike<number>, options: BarChartOptions = {}): Figure {
  const fn = 'barChart';
  const v = assertNumericArray(fn, 'values', values);
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new ValueError(message(fn, 'values must be finite', { verbatim: `${v[i]} at index ${i}` }));
  const { width, height } = figureSize(fn, options);
  checkLimits(fn, 'options.yLimits', options.yLimits);
  const K = v.length;
  const cats = options.categories ?? Array.from({ length: K }, (_, i) => String(i + 1));
  if (cats.length !== K) throw new ShapeError(message(fn, `options.categories must have one name per value (${K})`, cats.length));
  if (options.line && options.line.y.length !== K) throw new ShapeError(message(fn, `options.line.y must have one value per bar (${K})`, options.line.y.length));
  const color = options.color ?? SERIES_COLORS[0];
  const entries: LegendEntry[] = options.line
    ? [
        { label: options.label ?? 'value', color, kind: 'box' },
        { label: options.line.label, color: options.line.color ?? SERIES_COLORS[3], kind: 'line' },
      ]
    : [];
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < K; i++) {
    lo = Math.min(lo, v[i]);
    hi = Math.max(hi, v[i]);
  }
  if (options.line) {
    const e = extent(options.line.y, false);
    if (e) {
      lo = Math.min(lo, e[0]);
      hi = Math.max(hi, e[1]);
    }
  }
  const roughH = height - (options.title ? 36 : 14) - 48;
  const target = Math.max(2, Math.round(roughH / 60));
  const domain = options.yLimits ? ([options.yLimits[0], options.yLimits[1]] as [number, number]) : niceDomain(lo, hi, target);
  const yt = defaultTicks(domain, target);
  let yw = 0;
  for (const l of yt.labels) yw = Math.max(yw, textWidth(l, 11));
  const area = plotArea(width, height, { title: options.title, rightExtra: legendWidth(entries), yTickWidth: yw });
  const sx = linearScale([0.5, K + 0.5], [area.x, area.x + area.w]);
  const sy = linearScale(domain, [area.y + area.h, area.y]);
  const every = Math.max(1, Math.ceil((K * 40) / area.w));
  const xt: Ticks = { values: [], labels: [] };
  for (let i = 0; i < K; i += every) {
    xt.values.push(i + 1);
    xt.labels.push(cats[i]);
  }
  const doc = new SvgDoc(width, height);
  drawAxes(doc, area, sx, sy, { xLabel: options.xLabel, yLabel: options.yLabel, xTicks: xt, yTicks: yt, grid: true });
  const bw = Math.max(1, (area.w / K) * 0.7);
  const y0 = sy.map(Math.max(domain[0], Math.min(domain[1], 0)));
  const bars: string[] = [];
  for (let i = 0; i < K; i++) {
    const X = sx.map(i + 1) - bw / 2;
    const Y = sy.map(Math.max(domain[0], Math.min(domain[1], v[i])));
    bars.push(`<rect x="${px(X)}" y="${px(Math.min(Y, y0))}" width="${px(bw)}" height="${px(Math.abs(y0 - Y))}"/>`);
  }
  doc.add(`<g fill="${color}">${bars.join('')}</g>`);
  if (options.line) {
    const X = new Float64Array(K);
    for (let i = 0; i < K; i++) X[i] = i + 1;
    drawSeries(doc, area, [{ y: options.line.y, color: options.line.color ?? SERIES_COLORS[3], markers: true, lineWidth: 2 }], [X], [options.line.y], sx.map, sy.map, false, false);
  }
  drawTitle(doc, options.title, area.x + area.w / 2);
  if (entries.length) drawLegend(doc, entries, area.x + area.w + 6, area.y);
  return makeFigure(doc.toString(), width, height);
}

/** Options of {@link explainedVariancePlot}. */
export interface ExplainedVariancePlotOptions extends FigureOptions {
  /** Draw the cumulative sum as a line over the bars (default true). */
  cumulative?: boolean;
  /**
   * 'linear' (default): bars on a 0–1 axis. 'log': the ratios as points joined by a line on a log10
   * axis with ticks at decades, which shows the tail of small components that bars flatten to zero
   * (zero ratios leave a gap); the cumulative ratio, when drawn, is a second line.
   */
  yScale?: 'linear' | 'log';
}

/**
 * Explained-variance ratios of principal components as bars (component 1, 2, …) with the cumulative
 * ratio as a line, on a 0–1 axis; with `yScale: 'log'`, as points on a log axis (a scree plot).
 * @throws ValueError for ratios outside [0, 1], an unknown yScale, or a log axis when every ratio is 0;
 *   ShapeError for an empty array.
 * @example
 * explainedVariancePlot(pca.explainedVarianceRatio.subarray(0, 10), { title: 'PCA of the cube' })
 * explainedVariancePlot(pca.explainedVarianceRatio, { yScale: 'log' }) // every component, decades apart
 */
export function explainedVariancePlot(ratios: ArrayLike<number>, options: ExplainedVariancePlotOptions = {}): Figure {
  const fn = 'explainedVariancePlot';
  const r = assertNumericArray(fn, 'ratios', ratios);
  for (let i = 0; i < r.length; i++) {
    if (!(r[i] >= 0 && r[i] <= 1 + 1e-9)) throw new ValueError(message(fn, 'ratios must lie in [0, 1]', { verbatim: `${r[i]} at index ${i}` }));
  }
  const cum = new Float64Array(r.length);
  let s = 0;
  for (let i = 0; i < r.length; i++) cum[i] = s += r[i];
  const { yScale = 'linear', cumulative, ...rest } = options;
  assertOneOf(fn, 'options.yScale', yScale, SCALES);
  if (yScale === 'log') {
    if (!(s > 0)) throw new ValueError(message(fn, 'a log y axis needs at least one positive ratio', { verbatim: 'all are 0' }));
    const x = Float64Array.from({ length: r.length }, (_, i) => i + 1);
    const series: LineSeries[] = [{ x, y: r, label: 'per component', markers: true }];
    if (cumulative !== false) series.push({ x, y: cum, label: 'cumulative', color: SERIES_COLORS[3] });
    return linePlot(series, { xLabel: 'Principal component', yLabel: 'Explained variance ratio (log scale)', yScale: 'log', ...rest });
  }
  return barChart(r, {
    xLabel: 'Principal component',
    yLabel: 'Explained variance ratio',
    yLimits: [0, Math.max(1, Math.ceil(s * 10) / 10)],
    label: 'per component',
    line: cumulative === false ? undefined : { y: cum, label: 'cumulative' },
    ...rest,
  });
}
