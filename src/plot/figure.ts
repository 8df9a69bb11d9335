/**
 * The {@link Figure} every plot returns: a self-contained SVG string (for a web page or a report)
 * that also renders to PNG through resvg. In a tslab notebook a figure shows itself: as the last
 * expression of a cell (or passed to `console.log` or {@link show}) it becomes an `image/svg+xml`
 * output; elsewhere it prints as one line, `Figure 640×400 (SVG, 12.3 kB)`.
 *
 * Why resvg: plots are built as SVG by a small synchronous renderer in this folder (vega/vega-lite
 * are async and their ESM uses top-level await, which cannot be required from tslab's CommonJS
 * cells); `@resvg/resvg-js` rasterises SVG synchronously with a prebuilt native binary and no
 * install-time download.
 * @module
 */
import { Resvg } from '@resvg/resvg-js';
import { ValueError, message } from '../core/errors.js';
import { assertPositive } from '../core/validate.js';
import { writeFileAtomicChecked } from '../io/atomic.js';
import { displayInNotebook } from '../notebook/tslab.js';

/** Options of {@link Figure.toPng}. */
export interface PngOptions {
  /** Pixel density: 2 renders a 640×400 figure as 1280×800 pixels (default 1). */
  scale?: number;
}

/** A rendered plot. */
export interface Figure {
  /** The complete SVG document (deterministic: the same data gives the same string). */
  readonly svg: string;
  /** Width in CSS pixels. */
  readonly width: number;
  /** Height in CSS pixels. */
  readonly height: number;
  /** Renders to PNG bytes (white background), `width·scale × height·scale` pixels. */
  toPng(options?: PngOptions): Uint8Array;
  /** Renders to PNG and writes the file atomically. @throws FileError when the folder is missing. */
  savePng(path: string, options?: PngOptions): void;
  /** Writes the SVG file atomically. @throws FileError when the folder is missing. */
  saveSvg(path: string): void;
}

/** Font stack used in every figure (DejaVu Sans ships with Debian and is what resvg finds). */
export const FONT_FAMILY = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/**
 * Rasterises an SVG string to PNG bytes with resvg (system fonts, white background).
 * @throws ValueError for a non-positive scale.
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const scale = options.scale ?? 1;
  assertPositive('Figure.toPng', 'scale', scale);
  if (scale > 16) throw new ValueError(message('Figure.toPng', 'options.scale must be ≤ 16', scale));
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  const png = r.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** `util.inspect.custom` (a registered symbol: no import of node:util needed). */
const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

class SvgFigure implements Figure {
  constructor(
    readonly svg: string,
    readonly width: number,
    readonly height: number,
  ) {}
  toPng(options?: PngOptions): Uint8Array {
    return svgToPng(this.svg, options);
  }
  savePng(path: string, options?: PngOptions): void {
    writeFileAtomicChecked('Figure.savePng', path, this.toPng(options));
  }
  saveSvg(path: string): void {
    writeFileAtomicChecked('Figure.saveSvg', path, this.svg);
  }
  /** The SVG document, so that a figure in a template string or an HTML page is its drawing. */
  toString(): string {
    return this.svg;
  }
  /**
   * What `console.log(figure)` prints: in a tslab kernel the figure itself (an `image/svg+xml`
   * output) and an empty line; elsewhere, or nested inside another printed object, one line.
   */
  [INSPECT](depth: number | null, options: { depth?: number | null }): string {
    if (depth === (options?.depth ?? 2) && displayInNotebook('svg', this.svg)) return '';
    return describeFigure(this);
  }
}

/** One line describing a figure: `Figure 640×400 (SVG, 12.3 kB)`. */
export function describeFigure(f: Figure): string {
  const kb = Buffer.byteLength(f.svg, 'utf8') / 1000;
  return `Figure ${f.width}×${f.height} (SVG, ${kb < 10 ? kb.toFixed(1) : Math.round(kb)} kB)`;
}

/** True for the figures that the plots of this package return. */
export function isFigure(x: unknown): x is Figure {
  return x instanceof SvgFigure;
}

/** Wraps a finished SVG document as a {@link Figure}. */
export function makeFigure(svg: string, width: number, height: number): Figure {
  return new SvgFigure(svg, width, height);
}
