/**
 * Colour maps for heatmaps and images (perceptually uniform viridis and magma, gray, and a
 * blue–white–red diverging map for signed values) and the categorical palette for line series.
 * @module
 */

/** Names of the colour maps. */
export type ColormapName = 'viridis' | 'magma' | 'gray' | 'diverging';

/** The colour map names, for validation. */
export const COLORMAPS: readonly ColormapName[] = ['viridis', 'magma', 'gray', 'diverging'];

// 11 samples at t = 0, 0.1, …, 1 of matplotlib's maps (interpolated linearly in between).
const STOPS: Record<ColormapName, readonly string[]> = {
  viridis: ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'],
  magma: ['#000004', '#140e36', '#3b0f70', '#641a80', '#8c2981', '#b73779', '#de4968', '#f7705c', '#fe9f6d', '#fecf92', '#fcfdbf'],
  gray: ['#000000', '#ffffff'],
  diverging: ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f'],
};

const TABLES = new Map<ColormapName, Uint8Array>();

/** A 256-entry RGB lookup table (768 bytes) for colour map `name`. */
export function colormapTable(name: ColormapName): Uint8Array {
  let t = TABLES.get(name);
  if (t) return t;
  const stops = STOPS[name].map((h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)]);
  t = new Uint8Array(256 * 3);
  const n = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * n;
    const k = Math.min(n - 1, Math.floor(x));
    const f = x - k;
    for (let ch = 0; ch < 3; ch++) t[i * 3 + ch] = Math.round(stops[k][ch] * (1 - f) + stops[k + 1][ch] * f);
  }
  TABLES.set(name, t);
  return t;
}

/** The colour of `t ∈ [0, 1]` (clamped) in map `name`, as `#rrggbb`. */
export function colormapColor(name: ColormapName, t: number): string {
  const table = colormapTable(name);
  const i = Math.max(0, Math.min(255, Math.round((Number.isFinite(t) ? t : 0) * 255)));
  return '#' + [table[i * 3], table[i * 3 + 1], table[i * 3 + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** Categorical colours for line series (Tableau 10). */
export const SERIES_COLORS: readonly string[] = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
