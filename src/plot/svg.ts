/**
 * The small SVG drawing layer shared by every plot: escaping, a deterministic document builder,
 * axes with nice ticks, titles, legends and colour bars. Internal (not exported from the package).
 * @module
 */
import { FONT_FAMILY } from './figure.js';
import { colormapTable, type ColormapName } from './colormap.js';
import { encodePng } from '../io/png.js';
import { formatTick, linearScale, niceStep, niceTicks, type LinearScale } from './scale.js';

/** Escapes text for SVG content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate rounded to 0.01 px (short, deterministic output). */
export function px(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Rough width in pixels of `text` at `size` px in DejaVu Sans (for layout only). */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

/** A rectangle in pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Placeholder replaced by a content hash so element ids are deterministic yet unique per figure. */
export const ID = '__PWID__';

/** Accumulates SVG elements and produces the final document. */
export class SvgDoc {
  private readonly parts: string[] = [];
  private readonly defs: string[] = [];
  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  add(element: string): void {
    this.parts.push(element);
  }
  def(element: string): void {
    this.defs.push(element);
  }
  text(x: number, y: number, s: string, attrs: { size?: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; rotate?: number; fill?: string; baseline?: 'middle' | 'hanging' } = {}): void {
    const size = attrs.size ?? 12;
    const a = [`x="${px(x)}"`, `y="${px(y)}"`, `font-size="${size}"`];
    if (attrs.anchor && attrs.anchor !== 'start') a.push(`text-anchor="${attrs.anchor}"`);
    if (attrs.weight) a.push(`font-weight="${attrs.weight}"`);
    if (attrs.fill) a.push(`fill="${attrs.fill}"`);
    if (attrs.baseline) a.push(`dominant-baseline="${attrs.baseline === 'middle' ? 'central' : 'hanging'}"`);
    if (attrs.rotate) a.push(`transform="rotate(${attrs.rotate} ${px(x)} ${px(y)})"`);
    this.parts.push(`<text ${a.join(' ')}>${esc(s)}</text>`);
  }
  line(x1: number, y1: number, x2: number, y2: number, stroke = '#000', width = 1, extra = ''): void {
    this.parts.push(`<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}" stroke-width="${width}"${extra}/>`);
  }
  rect(b: Box, fill: string, stroke = 'none', extra = ''): void {
    this.parts.push(`<rect x="${px(b.x)}" y="${px(b.y)}" width="${px(b.w)}" height="${px(b.h)}" fill="${fill}" stroke="${stroke}"${extra}/>`);
  }
  /** Embeds raw RGBA pixels as a PNG data URI stretched over `b`, without smoothing. */
  image(b: Box, rgba: Uint8Array, w: number, h: number, extra = ''): void {
    // Small rasters are enlarged by whole factors (nearest neighbour) so that viewers which smooth
    // embedded images anyway (some browsers ignore image-rendering) still show crisp cells.
    let fx = Math.max(1, Math.ceil(b.w / w));
    let fy = Math.max(1, Math.ceil(b.h / h));
    while (w * fx * h * fy > 2_000_000 && (fx > 1 || fy > 1)) {
      if (fx >= fy) fx--;
      else fy--;
    }
    if (fx > 1 || fy > 1) {
      rgba = upscale(rgba, w, h, fx, fy);
      w *= fx;
      h *= fy;
    }
    const b64 = Buffer.from(encodePng(rgba, w, h)).toString('base64');
    this.parts.push(
      `<image x="${px(b.x)}" y="${px(b.y)}" width="${px(b.w)}" height="${px(b.h)}" preserveAspectRatio="none" image-rendering="optimizeSpeed"${extra} href="data:image/png;base64,${b64}"/>`,
    );
  }

  /** The SVG document; ids carry a hash of the content (same input, same string). */
  toString(): string {
    const body = (this.defs.length ? `<defs>${this.defs.join('')}</defs>\n` : '') + this.parts.join('\n');
    const id = 'pw' + fnv1a(body);
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}" font-family="${FONT_FAMILY}">\n` +
      `<rect width="100%" height="100%" fill="#ffffff"/>\n` +
      body.split(ID).join(id) +
      '\n</svg>\n'
    );
  }
}

/** Nearest-neighbour enlargement of an RGBA raster by whole factors. */
function upscale(rgba: Uint8Array, w: number, h: number, fx: number, fy: number): Uint8Array {
  const W = w * fx;
  const out = new Uint8Array(W * h * fy * 4);
  const aligned = rgba.byteOffset % 4 === 0 ? rgba : rgba.slice();
  const src = new Uint32Array(aligned.buffer, aligned.byteOffset, w * h);
  const dst = new Uint32Array(out.buffer);
  for (let r = 0; r < h; r++) {
    const row = r * fy * W;
    for (let c = 0; c < w; c++) {
      const v = src[r * w + c];
      const o = row + c * fx;
      for (let k = 0; k < fx; k++) dst[o + k] = v;
    }
    for (let k = 1; k < fy; k++) dst.copyWithin(row + k * W, row, row + W);
  }
  return out;
}

/** 32-bit FNV-1a hash of a string, as 8 hex digits. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Sizes around the plotting area. */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Standard margins for a Cartesian plot with a title, axis labels and optional right-hand extras. */
export function plotArea(width: number, height: number, opts: { title?: string; rightExtra?: number; yTickWidth?: number }): Box {
  const top = opts.title ? 36 : 14;
  const left = 30 + (opts.yTickWidth ?? 36);
  const right = 16 + (opts.rightExtra ?? 0);
  const bottom = 48;
  return { x: left, y: top, w: Math.max(20, width - left - right), h: Math.max(20, height - top - bottom) };
}

/** Title centred above the plot area. */
export function drawTitle(doc: SvgDoc, title: string | undefined, centreX: number): void {
  if (title) doc.text(centreX, 22, title, { size: 15, anchor: 'middle', weight: 'bold' });
}

/** Tick positions (in the scale's data space) and their labels. */
export interface Ticks {
  values: number[];
  labels: string[];
}

/** Nice linear ticks with labels for a domain. */
export function defaultTicks(domain: readonly [number, number], target: number): Ticks {
  const { ticks, step } = ticksFor(domain, target);
  return { values: ticks, labels: ticks.map((t) => formatTick(t, step)) };
}

/**
 * Ticks for a log10 axis whose scale works in log10 space (`domain` holds log10 values): one per
 * decade labelled with the value (1, 10, 100, 0.01…), plus 2 and 5 when the axis spans few decades.
 */
export function logTicks(domain: readonly [number, number]): Ticks {
  const lo = Math.min(domain[0], domain[1]);
  const hi = Math.max(domain[0], domain[1]);
  const values: number[] = [];
  const labels: string[] = [];
  const few = hi - lo < 2.5;
  const plain = Math.floor(lo) >= -4 && Math.ceil(hi) <= 5;
  const stride = Math.max(1, Math.ceil((Math.ceil(hi) - Math.floor(lo)) / 8)); // at most ~8 decade labels
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    if (e % stride !== 0) continue;
    for (const m of few ? [1, 2, 5] : [1]) {
      const v = Math.log10(m) + e;
      if (v < lo - 1e-9 || v > hi + 1e-9) continue;
      values.push(v);
      const val = m * Math.pow(10, e);
      labels.push(!plain ? `${m}e${e}`.replace('-', '\u2212') : formatTick(Number.parseFloat(val.toPrecision(6)), Math.pow(10, Math.min(e, 0))));
    }
  }
  if (values.length < 2) return defaultTicks([lo, hi], 4);
  return { values, labels };
}

/** Ticks and their step for a domain. */
export function ticksFor(domain: readonly [number, number], target: number): { ticks: number[]; step: number } {
  const span = Math.abs(domain[1] - domain[0]);
  return { ticks: niceTicks(domain[0], domain[1], target), step: niceStep(span, target) };
}

/**
 * Draws a frame, grid lines, ticks with labels and the axis titles for a Cartesian plot.
 * `xs`/`ys` map data to pixels inside `area`.
 */
export function drawAxes(
  doc: SvgDoc,
  area: Box,
  xs: LinearScale,
  ys: LinearScale,
  opts: { xLabel?: string; yLabel?: string; grid?: boolean; xTicks?: Ticks; yTicks?: Ticks },
): void {
  const x = opts.xTicks ?? defaultTicks(xs.domain, Math.max(2, Math.round(area.w / 90)));
  const y = opts.yTicks ?? defaultTicks(ys.domain, Math.max(2, Math.round(area.h / 60)));
  const grid = opts.grid ?? true;
  const bottom = area.y + area.h;
  x.values.forEach((t, i) => {
    const X = xs.map(t);
    if (grid) doc.line(X, area.y, X, bottom, '#e6e6e6', 1);
    doc.line(X, bottom, X, bottom + 5, '#333', 1);
    doc.text(X, bottom + 18, x.labels[i], { size: 11, anchor: 'middle' });
  });
  y.values.forEach((t, i) => {
    const Y = ys.map(t);
    if (grid) doc.line(area.x, Y, area.x + area.w, Y, '#e6e6e6', 1);
    doc.line(area.x - 5, Y, area.x, Y, '#333', 1);
    doc.text(area.x - 8, Y + 4, y.labels[i], { size: 11, anchor: 'end' });
  });
  doc.rect(area, 'none', '#333');
  if (opts.xLabel) doc.text(area.x + area.w / 2, bottom + 38, opts.xLabel, { size: 13, anchor: 'middle' });
  if (opts.yLabel) {
    let w = 0;
    for (const l of y.labels) w = Math.max(w, textWidth(l, 11));
    const X = area.x - w - 18;
    doc.text(X, area.y + area.h / 2, opts.yLabel, { size: 13, anchor: 'middle', rotate: -90 });
  }
}

/** One legend entry. */
export interface LegendEntry {
  label: string;
  color: string;
  kind: 'line' | 'box';
  dash?: string;
}

/** Width a legend needs to the right of the plot. */
export function legendWidth(entries: readonly LegendEntry[]): number {
  if (entries.length === 0) return 0;
  let w = 0;
  for (const e of entries) w = Math.max(w, textWidth(e.label, 11));
  return Math.min(220, w) + 40;
}

/** Draws the legend in a column starting at (x, y). */
export function drawLegend(doc: SvgDoc, entries: readonly LegendEntry[], x: number, y: number): void {
  entries.forEach((e, i) => {
    const Y = y + 8 + i * 18;
    if (e.kind === 'line') doc.line(x + 8, Y, x + 28, Y, e.color, 2.5, e.dash ? ` stroke-dasharray="${e.dash}"` : '');
    else doc.rect({ x: x + 10, y: Y - 6, w: 16, h: 12 }, e.color);
    const label = e.label.length > 34 ? e.label.slice(0, 33) + '…' : e.label;
    doc.text(x + 34, Y + 4, label, { size: 11 });
  });
}

/** Space a vertical colour bar needs to the right of the plot (bar, ticks, label). */
export const COLORBAR_WIDTH = 84;

/** Draws a vertical colour bar for `domain` in map `cmap` at the right of `area`, with a rotated label. */
export function drawColorbar(doc: SvgDoc, area: Box, domain: readonly [number, number], cmap: ColormapName, label: string | undefined): void {
  const bar: Box = { x: area.x + area.w + 14, y: area.y, w: 14, h: area.h };
  const table = colormapTable(cmap);
  const rgba = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const k = 255 - i; // top = high
    rgba[i * 4] = table[k * 3];
    rgba[i * 4 + 1] = table[k * 3 + 1];
    rgba[i * 4 + 2] = table[k * 3 + 2];
    rgba[i * 4 + 3] = 255;
  }
  doc.image(bar, rgba, 1, 256);
  doc.rect(bar, 'none', '#333');
  const s = linearScale(domain, [bar.y + bar.h, bar.y]);
  const { ticks, step } = ticksFor(domain, Math.max(2, Math.round(bar.h / 70)));
  for (const t of ticks) {
    const Y = s.map(t);
    doc.line(bar.x + bar.w, Y, bar.x + bar.w + 4, Y, '#333');
    doc.text(bar.x + bar.w + 7, Y + 4, formatTick(t, step), { size: 10 });
  }
  if (label) doc.text(bar.x + bar.w + 62, bar.y + bar.h / 2, label, { size: 12, anchor: 'middle', rotate: -90 });
}
