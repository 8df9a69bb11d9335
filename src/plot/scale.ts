/**
 * Scales and "nice" ticks for the SVG renderer: a linear map from data to pixels, tick positions at
 * 1, 2 or 5 × 10^k, and tick labels printed with just enough decimals.
 * @module
 */

/** A linear map from the data interval `[d0, d1]` to the pixel interval `[r0, r1]`. */
export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Pixel position of data value `v` (not clamped). */
  map(v: number): number;
}

/** Builds a {@link LinearScale}; a zero-width domain maps everything to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const k = span === 0 ? 0 : (r1 - r0) / span;
  const mid = (r0 + r1) / 2;
  return { domain: [d0, d1], range: [r0, r1], map: span === 0 ? () => mid : (v: number) => r0 + (v - d0) * k };
}

/**
 * The tick step nearest (geometrically) to `span / target` among 1, 2 and 5 × 10^k.
 * @example niceStep(7.3, 5) // → 2
 */
export function niceStep(span: number, target = 6): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, target);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  const nice = f < Math.SQRT2 ? 1 : f < Math.sqrt(10) ? 2 : f < Math.sqrt(50) ? 5 : 10;
  return nice * mag;
}

/**
 * Tick values inside `[lo, hi]` at multiples of a nice step (about `target` of them).
 * @example niceTicks(0, 1, 5) // → [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  const a = Math.min(lo, hi);
  const b = Math.max(lo, hi);
  if (a === b) return [a];
  const step = niceStep(b - a, target);
  const first = Math.ceil(a / step - 1e-9);
  const last = Math.floor(b / step + 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(cleanFloat(i * step));
  return out;
}

/**
 * Widens `[lo, hi]` outwards to multiples of the nice step (so the axis starts and ends on a tick).
 * A zero-width interval is widened by ±1 (or ±10 % of its value).
 */
export function niceDomain(lo: number, hi: number, target = 6): [number, number] {
  let a = Math.min(lo, hi);
  let b = Math.max(lo, hi);
  if (a === b) {
    const pad = a === 0 ? 1 : Math.abs(a) * 0.1;
    a -= pad;
    b += pad;
  }
  const step = niceStep(b - a, target);
  return [cleanFloat(Math.floor(a / step + 1e-9) * step), cleanFloat(Math.ceil(b / step - 1e-9) * step)];
}

/** Removes binary round-off such as 0.30000000000000004 → 0.3. */
function cleanFloat(v: number): number {
  return v === 0 ? 0 : Number.parseFloat(v.toPrecision(12));
}

/**
 * Formats tick `v` for an axis whose ticks are `step` apart: fixed notation with as many decimals as
 * the step needs, exponent notation for very large or small magnitudes, and a true minus sign.
 * @example formatTick(0.25, 0.05) // → '0.25'; formatTick(-3, 1) // → '−3'
 */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const mag = Math.max(Math.abs(v), Math.abs(step));
  let s: string;
  if (mag >= 1e6 || Math.abs(step) < 1e-4) {
    const digits = Math.max(0, Math.min(6, Math.ceil(Math.log10(Math.abs(v) / Math.abs(step)) + 1e-9)));
    s = v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  } else {
    const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(Math.abs(step)) + 1e-9)));
    const extra = Math.abs(step * Math.pow(10, decimals) - Math.round(step * Math.pow(10, decimals))) > 1e-6 ? 1 : 0; // 2.5 steps
    s = v.toFixed(decimals + extra);
  }
  return s.startsWith('-') ? '\u2212' + s.slice(1) : s;
}
