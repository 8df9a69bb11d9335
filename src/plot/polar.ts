/**
 * Beam patterns in dB: polar (rings every 10 dB, spokes every 30°) or Cartesian (angle across).
 * @module
 */
import { ArgumentTypeError, ShapeError, ValueError, message } from '../core/errors.js';
import { assertNumericArray, assertOneOf, assertPositive } from '../core/validate.js';
import { figureSize, linePlot, pathData, type FigureOptions } from './charts.js';
import { SERIES_COLORS } from './colormap.js';
import { makeFigure, type Figure } from './figure.js';
import { formatTick, niceStep } from './scale.js';
import { drawLegend, drawTitle, legendWidth, px, SvgDoc, type LegendEntry } from './svg.js';

/** One pattern of a {@link beamPatternPlot}. */
export interface PatternSeries {
  /** Response per angle, in the unit given by `options.input`. */
  values: ArrayLike<number>;
  label?: string;
  color?: string;
  dash?: boolean;
}

/** Options of {@link beamPatternPlot}. */
export interface BeamPatternPlotOptions extends FigureOptions {
  /** 'polar' (default) or 'cartesian'. */
  kind?: 'polar' | 'cartesian';
  /**
   * What `values` hold: 'db' (default), 'magnitude' (|B|, shown as 20·log10) or 'power' (|B|², shown as
   * 10·log10).
   */
  input?: 'db' | 'magnitude' | 'power';
  /** Shift every pattern so its peak is 0 dB (default true). */
  normalize?: boolean;
  /** Dynamic range shown below 0 dB (default 40): the polar centre / the Cartesian floor. */
  dbRange?: number;
  /** Polar only: where 0° points — 'right' (x axis, default) or 'top'. */
  zeroAt?: 'right' | 'top';
  /** Polar only: direction of increasing angle (default 'counterclockwise'). */
  direction?: 'counterclockwise' | 'clockwise';
  /** Arrows marking look/source directions, in degrees. */
  markDirectionsDeg?: readonly number[];
}

const KINDS = ['polar', 'cartesian'] as const;
const INPUTS = ['db', 'magnitude', 'power'] as const;

/**
 * Plots array beam patterns against angle in dB, polar or Cartesian.
 *
 * @param anglesDeg - angles in degrees (any order for 'polar'; increasing for a clean 'cartesian' plot).
 * @param patterns - one response array or several series, each with one value per angle.
 * @throws ShapeError when a pattern's length differs from `anglesDeg`; ValueError for negative
 *   magnitudes/powers or bad options.
 * Complexity O(angles · patterns).
 * @example
 * beamPatternPlot(angles, [{ values: das, label: 'delay-and-sum' }, { values: mvdr, label: 'MVDR' }],
 *   { input: 'magnitude', title: 'Pattern at 1 kHz' })
 */
export function beamPatternPlot(anglesDeg: ArrayLike<number>, patterns: ArrayLike<number> | readonly PatternSeries[], options: BeamPatternPlotOptions = {}): Figure {
  const fn = 'beamPatternPlot';
  const ang = assertNumericArray(fn, 'anglesDeg', anglesDeg);
  for (let i = 0; i < ang.length; i++) if (!Number.isFinite(ang[i])) throw new ValueError(message(fn, 'anglesDeg must be finite', { verbatim: `${ang[i]} at index ${i}` }));
  const kind = assertOneOf(fn, 'options.kind', options.kind ?? 'polar', KINDS);
  const input = assertOneOf(fn, 'options.input', options.input ?? 'db', INPUTS);
  const range = options.dbRange ?? 40;
  assertPositive(fn, 'options.dbRange', range);
  const list: PatternSeries[] = isSeriesList(patterns) ? [...patterns] : [{ values: patterns as ArrayLike<number> }];
  if (list.length === 0) throw new ShapeError(message(fn, 'at least one pattern is required', list));
  const db = list.map((s, k) => {
    const v = assertNumericArray(fn, `patterns[${k}].values`, s.values);
    if (v.length !== ang.length) throw new ShapeError(message(fn, `patterns[${k}] must have one value per angle (${ang.length})`, v.length));
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (input !== 'db' && x < 0) throw new ValueError(message(fn, `patterns[${k}] must be ≥ 0 for input '${input}'`, { verbatim: `${x} at index ${i}` }));
      out[i] = input === 'db' ? x : input === 'magnitude' ? 20 * Math.log10(x) : 10 * Math.log10(x);
    }
    if (options.normalize ?? true) {
      let peak = -Infinity;
      for (let i = 0; i < out.length; i++) if (Number.isFinite(out[i]) && out[i] > peak) peak = out[i];
      if (Number.isFinite(peak)) for (let i = 0; i < out.length; i++) out[i] -= peak;
    }
    return out;
  });
  if (kind === 'cartesian') {
    for (const d of db) for (let i = 0; i < d.length; i++) d[i] = Math.max(-range, d[i]);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < ang.length; i++) {
      lo = Math.min(lo, ang[i]);
      hi = Math.max(hi, ang[i]);
    }
    return linePlot(
      db.map((y, k) => ({ x: ang, y, label: list[k].label, color: list[k].color, dash: list[k].dash, lineWidth: 2 })),
      { xLabel: 'Angle (°)', yLabel: 'Response (dB)', title: options.title, width: options.width, height: options.height, yLimits: [-range, Math.max(0, ...db.map(maxOf)) > 0 ? Math.ceil(Math.max(...db.map(maxOf)) / 10) * 10 : 0], xLimits: lo < hi ? [lo, hi] : undefined },
    );
  }
  return polar(fn, ang, db, list, range, options);
}

function maxOf(a: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

function isSeriesList(p: unknown): p is readonly PatternSeries[] {
  if (!Array.isArray(p)) return false;
  if (p.length === 0) return true;
  if (typeof p[0] === 'number') return false;
  if (p[0] === null || typeof p[0] !== 'object') throw new ArgumentTypeError(message('beamPatternPlot', 'patterns must be numbers or { values, label? } series', p[0]));
  return true;
}

function polar(fn: string, ang: ArrayLike<number>, db: Float64Array[], list: PatternSeries[], range: number, o: BeamPatternPlotOptions): Figure {
  const { width, height } = figureSize(fn, { width: o.width ?? 560, height: o.height ?? 520, title: o.title });
  const zeroAt = assertOneOf(fn, 'options.zeroAt', o.zeroAt ?? 'right', ['right', 'top'] as const);
  const dir = assertOneOf(fn, 'options.direction', o.direction ?? 'counterclockwise', ['counterclockwise', 'clockwise'] as const);
  const entries: LegendEntry[] = list.flatMap((s, k) => (s.label ? [{ label: s.label, color: s.color ?? SERIES_COLORS[k % SERIES_COLORS.length], kind: 'line' as const, dash: s.dash ? '6 4' : undefined }] : []));
  const lw = legendWidth(entries);
  const top = o.title ? 40 : 16;
  const availW = width - lw - 90; // 45 px each side for the angle labels
  const availH = height - top - 70;
  const R = Math.max(20, Math.min(availW, availH) / 2);
  const cx = 45 + availW / 2;
  const cy = top + 28 + availH / 2;
  const doc = new SvgDoc(width, height);
  // Screen angle (radians, SVG y down) of a data angle in degrees.
  const theta = (deg: number): number => {
    const a = (dir === 'counterclockwise' ? deg : -deg) + (zeroAt === 'top' ? 90 : 0);
    return (a * Math.PI) / 180;
  };
  const radius = (d: number): number => (Math.max(-range, Math.min(0, d)) + range) / range * R;
  const ringStep = niceStep(range, 4);
  for (let d = 0; d > -range - 1e-9; d -= ringStep) {
    const r = radius(d);
    doc.add(`<circle cx="${px(cx)}" cy="${px(cy)}" r="${px(r)}" fill="none" stroke="${d === 0 ? '#333' : '#d9d9d9'}" stroke-width="1"/>`);
  }
  for (let a = 0; a < 360; a += 30) {
    const t = theta(a);
    doc.line(cx, cy, cx + R * Math.cos(t), cy - R * Math.sin(t), '#d9d9d9');
    const lx = cx + (R + 16) * Math.cos(t);
    const ly = cy - (R + 16) * Math.sin(t) + 4;
    const label = (a > 180 ? a - 360 : a) + '°';
    doc.text(lx, ly, label.replace('-', '\u2212'), { size: 11, anchor: 'middle' });
  }
  // Ring labels along the 0°…30° gap, in dB.
  const labelAngle = theta(15);
  for (let d = 0; d > -range + 1e-9; d -= ringStep) {
    const r = radius(d);
    doc.text(cx + r * Math.cos(labelAngle) + 2, cy - r * Math.sin(labelAngle) - 2, formatTick(d, ringStep) + ' dB', { size: 10, fill: '#555' });
  }
  for (const m of o.markDirectionsDeg ?? []) {
    if (!Number.isFinite(m)) throw new ValueError(message(fn, 'options.markDirectionsDeg must be finite', m));
    const t = theta(m);
    doc.add(`<line x1="${px(cx)}" y1="${px(cy)}" x2="${px(cx + R * Math.cos(t))}" y2="${px(cy - R * Math.sin(t))}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="4 3"/>`);
  }
  // Close the curve when the angles cover the full circle.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ang.length; i++) {
    lo = Math.min(lo, ang[i]);
    hi = Math.max(hi, ang[i]);
  }
  const closed = hi - lo >= 360 - 360 / Math.max(ang.length, 1) - 1e-6;
  db.forEach((d, k) => {
    const n = d.length;
    const X = new Float64Array(n);
    const Y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = radius(Number.isNaN(d[i]) ? -range : d[i]);
      const t = theta(ang[i]);
      X[i] = cx + r * Math.cos(t);
      Y[i] = cy - r * Math.sin(t);
    }
    const s = list[k];
    const color = s.color ?? SERIES_COLORS[k % SERIES_COLORS.length];
    doc.add(`<path d="${pathData(X, Y, 1e9)}${closed ? 'Z' : ''}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${s.dash ? ' stroke-dasharray="6 4"' : ''}/>`);
  });
  doc.text(cx, height - 10, `Response (dB re peak) against angle (°), ${range} dB range`, { size: 12, anchor: 'middle', fill: '#333' });
  drawTitle(doc, o.title, cx);
  if (entries.length) drawLegend(doc, entries, width - lw - 4, top + 4);
  return makeFigure(doc.toString(), width, height);
}
