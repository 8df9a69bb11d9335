/**
 * The rich summary of a {@link Multichannel} in a notebook: a table of its metadata (channels,
 * length, sample rate, duration, dtype, shape, labels, coordinates, value range) above a small plot
 * (the first channels against time, or channel 0 as an image when the array has a 2-D `shape`).
 * @module
 */
import { Multichannel, assertMultichannel } from '../core/multichannel.js';
import { signalPlot } from '../plot/charts.js';
import { FONT_FAMILY } from '../plot/figure.js';
import { heatmap } from '../plot/heatmap.js';
import { esc } from '../plot/svg.js';

/** Options of {@link multichannelHtml}. */
export interface SummaryOptions {
  /** Draw the small plot (default true). */
  plot?: boolean;
  /** Channels drawn in the plot of a time series: the first `plotChannels` (default 4). */
  plotChannels?: number;
}

/**
 * An HTML fragment summarising `x`: a metadata table and (unless `plot: false`) a small inline SVG
 * plot. This is what a Multichannel shows as the last expression of a tslab cell; it also fits a
 * report. O(C·N) for the value range; the plot draws at most `plotChannels` channels.
 * @throws ArgumentTypeError when `x` is not a Multichannel.
 * @example fs.writeFileSync('summary.html', multichannelHtml(x));
 */
export function multichannelHtml(x: Multichannel, options: SummaryOptions = {}): string {
  assertMultichannel('multichannelHtml', 'x', x);
  const rows: [string, string][] = [
    ['channels', String(x.channels)],
    ['length', `${x.length} samples`],
  ];
  if (x.sampleRate !== undefined) rows.push(['sample rate', `${x.sampleRate} Hz`], ['duration', `${fmt(x.length / x.sampleRate)} s`]);
  rows.push(['dtype', `${x.dtype} (${bytes(x.data.byteLength)})`]);
  if (x.shape !== undefined) rows.push(['shape', `[${x.shape.join(' × ')}] per channel`]);
  if (x.labels !== undefined) rows.push(['labels', listed(x.labels, 12)]);
  if (x.coords !== undefined) {
    const v = x.coords.values;
    const range = x.coords.width === 1 ? `${fmt(v[0])} … ${fmt(v[v.length - 1])}` : `${x.coords.width} values per channel`;
    rows.push([`${x.coords.name} (${x.coords.unit})`, range]);
  }
  rows.push(['values', valueRange(x)]);
  const table =
    `<table style="border-collapse:collapse;font-size:12px;margin:0 0 6px 0">` +
    rows.map(([k, v]) => `<tr><td style="padding:1px 12px 1px 0;color:#555;text-align:left">${esc(k)}</td><td style="padding:1px 0;text-align:left">${esc(v)}</td></tr>`).join('') +
    `</table>`;
  const plot = options.plot === false ? '' : summaryPlot(x, options.plotChannels ?? 4);
  return (
    `<div class="pointwise-multichannel" style="font-family:${FONT_FAMILY}">` +
    `<div style="font-weight:bold;font-size:13px;margin-bottom:4px">${esc(x.toString())}</div>` +
    table +
    plot +
    `</div>`
  );
}

/** The small plot, or a one-line note saying why there is none. */
function summaryPlot(x: Multichannel, maxChannels: number): string {
  if (x.length === 0) return '';
  try {
    if (x.shape !== undefined && x.shape.length === 2) {
      const [rows, cols] = x.shape;
      const title = `channel 0${x.labels ? ` (${x.labels[0]})` : ''}`;
      const width = 360;
      const height = Math.round(Math.min(360, Math.max(140, (width - 140) * (rows / cols) + 60)));
      return heatmap(x.channel(0), rows, cols, { origin: 'upper', equalAspect: true, width, height, title }).svg;
    }
    if (x.shape !== undefined) return '';
    const channels = Array.from({ length: Math.min(x.channels, Math.max(1, Math.floor(maxChannels))) }, (_, c) => c);
    const title = x.channels > channels.length ? `first ${channels.length} of ${x.channels} channels` : undefined;
    return signalPlot(x, { channels, width: 560, height: title ? 200 : 180, title }).svg;
  } catch (e) {
    return `<div style="font-size:12px;color:#a00">no plot: ${esc(e instanceof Error ? e.message : String(e))}</div>`;
  }
}

function valueRange(x: Multichannel): string {
  if (x.data.length === 0) return 'none';
  let lo = Infinity;
  let hi = -Infinity;
  let bad = 0;
  for (const v of x.data) {
    if (!Number.isFinite(v)) bad++;
    else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const range = lo <= hi ? `min ${fmt(lo)}, max ${fmt(hi)}` : 'no finite values';
  return bad > 0 ? `${range}; ${bad} NaN or infinite` : range;
}

function listed(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, … ${items.length - max} more` : items.join(', ');
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${fmt(n / 1e3)} kB`;
  if (n < 1e9) return `${fmt(n / 1e6)} MB`;
  return `${fmt(n / 1e9)} GB`;
}
