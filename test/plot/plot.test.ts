import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { FileError, ShapeError, ValueError, ArgumentTypeError } from '../../src/core/errors.js';
import {
  abundanceMapsPlot,
  barChart,
  beamPatternPlot,
  colormapColor,
  explainedVariancePlot,
  falseColorPlot,
  formatTick,
  heatmap,
  linePlot,
  niceDomain,
  niceTicks,
  rgbImagePlot,
  signalPlot,
  spectraPlot,
  spectrogramPlot,
  srpMapPlot,
  type Figure,
} from '../../src/plot/index.js';
import { decodePng, encodePng, writePng } from '../../src/io/png.js';
import { pathData } from '../../src/plot/charts.js';
import { stft } from '../../src/fft/index.js';
import { Rng, expectPointwiseError } from '../helpers/index.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-plot-'));

/** Decodes the figure's PNG and returns size and the variance of the luminance. */
function rasterStats(fig: Figure, scale = 1): { width: number; height: number; variance: number; nonWhite: number; rgba: Uint8Array } {
  const { width, height, rgba } = decodePng(fig.toPng({ scale }));
  let s = 0;
  let s2 = 0;
  let nonWhite = 0;
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const l = 0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2];
    s += l;
    s2 += l * l;
    if (l < 250) nonWhite++;
  }
  const mean = s / n;
  return { width, height, variance: s2 / n - mean * mean, nonWhite: nonWhite / n, rgba };
}

// ---- data shared by the cases
const sr = 8000;
const sig = Multichannel.fromChannels(
  [Float64Array.from({ length: 4000 }, (_, i) => Math.sin((2 * Math.PI * 300 * i) / sr)), Float64Array.from({ length: 4000 }, (_, i) => 0.5 * Math.cos((2 * Math.PI * 3 * i) / sr))],
  { sampleRate: sr, labels: ['mic 1', 'mic 2'] },
);
const wl = Float64Array.from({ length: 50 }, (_, i) => 400 + 10 * i);
const angles = Float64Array.from({ length: 361 }, (_, i) => i - 180);
const pattern = angles.map((d) => {
  const u = 4 * Math.PI * Math.sin((d * Math.PI) / 180);
  return Math.abs(u === 0 ? 1 : Math.sin(u) / (8 * Math.sin(u / 8)));
});
const srp = Float64Array.from({ length: 21 * 31 }, (_, i) => {
  const x = -1.5 + (i % 31) * 0.1;
  const y = Math.floor(i / 31) * 0.1;
  return 1 / (0.1 + (x - 0.5) ** 2 + (y - 1) ** 2);
});
const stftLike = (() => {
  const F = 40;
  const B = 65;
  const re = new Float64Array(F * B);
  for (let f = 0; f < F; f++) for (let k = 0; k < B; k++) re[f * B + k] = Math.exp(-((k - 10 - f / 2) ** 2) / 4) + 1e-3;
  return { channels: 1, frames: F, bins: B, nfft: 128, hop: 64, windowLength: 128, center: true, sampleRate: 16000, re, im: new Float64Array(F * B) };
})();
const rng = new Rng(7);
const cube = (() => {
  const R = 24;
  const C = 32;
  const bands = 30;
  const d = new Float64Array(bands * R * C);
  for (let b = 0; b < bands; b++) for (let i = 0; i < R * C; i++) d[b * R * C + i] = ((i % C) / C) * (b / bands) + (Math.floor(i / C) / R) * (1 - b / bands) + 0.01 * rng.normal();
  return new Multichannel(d, bands, R * C, { shape: [R, C], coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.from({ length: bands }, (_, b) => 400 + 20 * b) } });
})();

const kinds: { name: string; fig: () => Figure; labels: string[]; width: number; height: number }[] = [
  { name: 'signals vs time', fig: () => signalPlot(sig, { title: 'Two microphones' }), labels: ['Time (s)', 'Amplitude', 'mic 1', 'mic 2', 'Two microphones'], width: 640, height: 400 },
  { name: 'spectra vs wavelength', fig: () => spectraPlot(wl, [wl.map((w) => w / 900), wl.map((w) => 1 - w / 900)], { labels: ['a', 'b'] }), labels: ['Wavelength (nm)', 'Reflectance'], width: 640, height: 400 },
  { name: 'polar beam pattern', fig: () => beamPatternPlot(angles, [{ values: pattern, label: 'DAS' }], { input: 'magnitude', title: 'Pattern' }), labels: ['Response (dB re peak)', 'angle (°)', '−10 dB', '90°', 'DAS'], width: 560, height: 520 },
  { name: 'Cartesian beam pattern', fig: () => beamPatternPlot(angles, pattern, { input: 'magnitude', kind: 'cartesian', width: 500, height: 300 }), labels: ['Angle (°)', 'Response (dB)', '−40'], width: 500, height: 300 },
  { name: 'SRP map', fig: () => srpMapPlot(srp, 21, 31, { xRangeM: [-1.5, 1.5], yRangeM: [0, 2], markers: [{ x: 0.5, y: 1, label: 'source' }] }), labels: ['x (m)', 'y (m)', 'SRP (dB re peak)', 'source'], width: 640, height: 400 },
  { name: 'spectrogram', fig: () => spectrogramPlot(stftLike, { title: 'Chirp' }), labels: ['Time (s)', 'Frequency (kHz)', 'Power (dB re peak)'], width: 640, height: 400 },
  { name: 'heatmap', fig: () => heatmap(srp, 21, 31, { xLabel: 'Column', yLabel: 'Row', colorbarLabel: 'Value (a.u.)', colormap: 'magma' }), labels: ['Column', 'Row', 'Value (a.u.)'], width: 640, height: 400 },
  { name: 'false colour image', fig: () => falseColorPlot(cube), labels: ['Column (px)', 'Row (px)', 'False colour (R 640 nm, G 540 nm, B 460 nm)'], width: 640, height: 400 },
  { name: 'RGB image', fig: () => rgbImagePlot(cube.selectChannels([0, 10, 20]).withMeta({ coords: undefined }), { stretch: 'minmax' }), labels: ['Column (px)', 'Row (px)'], width: 640, height: 400 },
  { name: 'abundance maps', fig: () => abundanceMapsPlot(cube.selectChannels([0, 15, 29]).withMeta({ coords: undefined, labels: ['grass', 'soil', 'water'] }), { title: 'Abundances', width: 700 }), labels: ['grass', 'soil', 'water', 'Abundance'], width: 700, height: 0 },
  { name: 'explained variance', fig: () => explainedVariancePlot([0.5, 0.25, 0.15, 0.1]), labels: ['Principal component', 'Explained variance ratio', 'cumulative'], width: 640, height: 400 },
  { name: 'bar chart', fig: () => barChart([3, -1, 2], { categories: ['a', 'b', 'c'], yLabel: 'Cost (MACs)' }), labels: ['Cost (MACs)', '>a<', '>c<'], width: 640, height: 400 },
  {
    name: 'log–log timing curve',
    fig: () => linePlot([{ x: [100, 1000, 10000], y: [0.1, 3, 200], label: 'direct', markers: true }], { xScale: 'log', yScale: 'log', xLabel: 'Length (samples)', yLabel: 'Time (ms)' }),
    labels: ['Length (samples)', 'Time (ms)', '>1000<', '>0.1<'],
    width: 640,
    height: 400,
  },
];

describe('every plot kind renders to a non-blank PNG of the right size with labelled axes', () => {
  for (const k of kinds) {
    it(k.name, () => {
      const fig = k.fig();
      expect(fig.width).toBe(k.width);
      if (k.height) expect(fig.height).toBe(k.height);
      expect(fig.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(fig.svg).toContain(`width="${fig.width}" height="${fig.height}"`);
      for (const l of k.labels) expect(fig.svg, l).toContain(l.replace(/&/g, '&amp;'));
      const st = rasterStats(fig);
      expect([st.width, st.height]).toEqual([fig.width, fig.height]);
      expect(st.variance).toBeGreaterThan(100); // not blank
      expect(st.nonWhite).toBeGreaterThan(0.01);
      // The SVG is deterministic: rendering again gives the same string.
      expect(k.fig().svg).toBe(fig.svg);
      fig.savePng(path.join(tmp, `${k.name.replace(/\W+/g, '-')}.png`));
    });
  }

  it('toPng scale 2 doubles the pixel size', () => {
    const st = rasterStats(explainedVariancePlot([0.7, 0.3]), 2);
    expect([st.width, st.height]).toEqual([1280, 800]);
  });

  it('different figures get different element ids (inline SVGs in one page do not collide)', () => {
    const a = linePlot({ y: [1, 2, 3] }).svg.match(/id="([^"]+)"/)?.[1];
    const b = linePlot({ y: [3, 2, 1] }).svg.match(/id="([^"]+)"/)?.[1];
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });

  it('savePng / saveSvg write the files atomically; a missing folder throws FileError', () => {
    const fig = linePlot({ y: [0, 1, 0] }, { xLabel: 'Sample', yLabel: 'Value (V)' });
    const p = path.join(tmp, 'line.png');
    const s = path.join(tmp, 'line.svg');
    fig.savePng(p);
    fig.saveSvg(s);
    expect(decodePng(fs.readFileSync(p)).width).toBe(640);
    expect(fs.readFileSync(s, 'utf8')).toBe(fig.svg);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expectPointwiseError(() => fig.savePng(path.join(tmp, 'no-such-folder', 'x.png')), FileError, /^Figure\.savePng: the output folder must exist/);
  });
});

describe('pixels land where the data says', () => {
  // Finds the embedded raster's box in the SVG and samples the PNG at a fraction of it.
  function sampleImage(fig: Figure, fx: number, fy: number): [number, number, number] {
    const m = fig.svg.match(/<image x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/);
    expect(m).not.toBeNull();
    const [x, y, w, h] = m!.slice(1).map(Number);
    const { width, rgba } = decodePng(fig.toPng());
    const X = Math.round(x + fx * w);
    const Y = Math.round(y + fy * h);
    const o = (Y * width + X) * 4;
    return [rgba[o], rgba[o + 1], rgba[o + 2]];
  }
  const hex = (c: string): [number, number, number] => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];

  it("heatmap origin 'lower' puts row 0 at the bottom; 'upper' at the top", () => {
    // values: row 0 = [0, 1], row 1 = [2, 3]; range [0, 3] on gray: value v → v/3 white.
    const v = [0, 1, 2, 3];
    const lower = heatmap(v, 2, 2, { colormap: 'gray', colorbar: false });
    expect(sampleImage(lower, 0.25, 0.25)).toEqual(hex(colormapColor('gray', 2 / 3))); // top-left = row 1, col 0
    expect(sampleImage(lower, 0.75, 0.75)).toEqual(hex(colormapColor('gray', 1 / 3))); // bottom-right = row 0, col 1
    const upper = heatmap(v, 2, 2, { colormap: 'gray', colorbar: false, origin: 'upper' });
    expect(sampleImage(upper, 0.25, 0.25)).toEqual([0, 0, 0]);
    expect(sampleImage(upper, 0.75, 0.75)).toEqual([255, 255, 255]);
  });

  it('an RGB image shows channel 0 as red at pixel (0, 0), top-left', () => {
    const d = new Float64Array(3 * 4);
    d[0] = 1; // R of pixel (0, 0)
    d[4 + 3] = 1; // G of pixel (1, 1)
    const img = new Multichannel(d, 3, 4, { shape: [2, 2] });
    const fig = rgbImagePlot(img, { stretch: 'none' });
    expect(sampleImage(fig, 0.25, 0.25)).toEqual([255, 0, 0]);
    expect(sampleImage(fig, 0.75, 0.75)).toEqual([0, 255, 0]);
    expect(sampleImage(fig, 0.75, 0.25)).toEqual([0, 0, 0]);
  });

  it("spectrogramPlot takes the fft module's Stft and puts a 3 kHz tone at 3 kHz", () => {
    const fsHz = 16000;
    const tone = Multichannel.fromChannels([Float64Array.from({ length: 8000 }, (_, t) => Math.sin((2 * Math.PI * 3000 * t) / fsHz))], { sampleRate: fsHz });
    const fig = spectrogramPlot(stft(tone, { windowLength: 256, hop: 128 }), { colormap: 'gray' });
    const m = fig.svg.match(/<image x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/);
    const [x, y, w, h] = m!.slice(1).map(Number);
    const { width, rgba } = decodePng(fig.toPng());
    // Brightest row in the middle column of the raster; the axis runs 0 (bottom) … 8 kHz (top).
    const X = Math.round(x + w / 2);
    let best = -1;
    let bestRow = 0;
    for (let Y = Math.ceil(y); Y < y + h; Y++) {
      const v = rgba[(Y * width + X) * 4];
      if (v > best) {
        best = v;
        bestRow = Y;
      }
    }
    const hz = ((y + h - bestRow) / h) * 8000;
    expect(Math.abs(hz - 3000)).toBeLessThan(120);
    expect(fig.svg).toContain('Frequency (kHz)');
  });

  it('falseColorPlot picks the bands nearest to the requested wavelengths', () => {
    const fig = falseColorPlot(cube, { wavelengthsNm: [800, 600, 405] });
    expect(fig.svg).toContain('R 800 nm, G 600 nm, B 400 nm');
  });
});

describe('ticks, formatting and colour maps (hand-worked)', () => {
  it('niceTicks at 1, 2, 5 × 10^k', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7, 5)).toEqual([-2, 0, 2, 4, 6]);
    expect(niceTicks(0.0012, 0.0031, 4)).toEqual([0.0015, 0.002, 0.0025, 0.003]);
    expect(niceTicks(400, 1000, 6)).toEqual([400, 500, 600, 700, 800, 900, 1000]);
    expect(niceDomain(0.13, 0.87, 5)).toEqual([0, 1]); // step 0.2 (span/5 = 0.148 is nearer 0.2 than 0.1 geometrically)
    expect(niceDomain(5, 5, 5)).toEqual([4.4, 5.6]);
  });
  it('formatTick uses just enough decimals, a true minus and exponents for extremes', () => {
    expect(formatTick(0.25, 0.05)).toBe('0.25');
    expect(formatTick(2.5, 2.5)).toBe('2.5');
    expect(formatTick(-3, 1)).toBe('\u22123');
    expect(formatTick(1000, 200)).toBe('1000');
    expect(formatTick(0, 0.1)).toBe('0');
    expect(formatTick(3e-6, 1e-6)).toBe('3e-6');
    expect(formatTick(2e7, 5e6)).toBe('2e7');
  });
  it('viridis and magma end points are matplotlib’s', () => {
    expect(colormapColor('viridis', 0)).toBe('#440154');
    expect(colormapColor('viridis', 1)).toBe('#fde725');
    expect(colormapColor('magma', 0)).toBe('#000004');
    expect(colormapColor('magma', 1)).toBe('#fcfdbf');
    expect(colormapColor('viridis', 0.5)).toBe('#21918c');
    expect(colormapColor('gray', 2)).toBe('#ffffff'); // clamped
  });
  it('pathData keeps every extreme of a long series while drawing ≤ 4 points per pixel column', () => {
    const n = 100000;
    const X = new Float64Array(n);
    const Y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X[i] = (i / n) * 100;
      Y[i] = Math.sin(i * 0.37) * 50;
    }
    Y[54321] = -999;
    const d = pathData(X, Y, 100);
    const pts = d.split(/[ML]/).filter(Boolean).map((p) => p.split(' ').map(Number));
    expect(pts.length).toBeLessThanOrEqual(4 * 101);
    expect(pts.some(([, y]) => y === -999)).toBe(true);
  });
  it('pathData breaks the line at non-finite values', () => {
    expect(pathData(Float64Array.of(0, 1, 2, 3), Float64Array.of(0, NaN, 2, 3), 100)).toBe('M0 0M2 2L3 3');
  });
});

describe('encodePng / writePng', () => {
  it('round-trips raw RGBA', () => {
    const px = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 128]);
    const bytes = encodePng(px, 2, 2);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const back = decodePng(bytes);
    expect([back.width, back.height]).toEqual([2, 2]);
    expect(Array.from(back.rgba)).toEqual(Array.from(px));
    const p = path.join(tmp, 'raw.png');
    writePng(p, px, 2, 2);
    expect(Array.from(decodePng(fs.readFileSync(p)).rgba)).toEqual(Array.from(px));
  });
});

describe('bad input: error class and message', () => {
  const cases: [string, () => unknown, new (...a: never[]) => Error, string][] = [
    ['encodePng wrong length', () => encodePng(new Uint8Array(15), 2, 2), ShapeError, 'encodePng: rgba.length must equal width × height × 4 = 16; got 15'],
    ['encodePng not bytes', () => encodePng([1, 2, 3, 4] as unknown as Uint8Array, 1, 1), ArgumentTypeError, 'encodePng: rgba must be a Uint8Array or Uint8ClampedArray; got an array of length 4'],
    ['encodePng zero width', () => encodePng(new Uint8Array(0), 0, 1), ValueError, 'encodePng: width must be an integer ≥ 1; got 0'],
    ['writePng missing folder', () => writePng('/no/such/dir/x.png', new Uint8Array(4), 1, 1), FileError, 'writePng: the output folder must exist; got "/no/such/dir" (it does not exist)'],
    ['linePlot x/y lengths', () => linePlot({ x: [1, 2], y: [1, 2, 3] }), ShapeError, 'linePlot: series[0].x must have the length of series[0].y = 3; got 2'],
    ['linePlot no series', () => linePlot([]), ShapeError, 'linePlot: at least one series is required; got an array of length 0'],
    ['linePlot bad scale', () => linePlot({ y: [1] }, { xScale: 'ln' as 'log' }), ValueError, "linePlot: options.xScale must be one of 'linear', 'log'; got \"ln\""],
    ['linePlot log without positives', () => linePlot({ y: [-1, 0] }, { yScale: 'log' }), ValueError, 'linePlot: a log y axis needs at least one positive value; got none'],
    ['linePlot bad limits', () => linePlot({ y: [1, 2] }, { yLimits: [2, 1] }), ValueError, 'linePlot: options.yLimits must be [min, max] with finite min < max; got an array of length 2'],
    ['linePlot tiny width', () => linePlot({ y: [1, 2] }, { width: 10 }), ValueError, 'linePlot: options.width must be an integer in [120, 8192]; got 10'],
    ['heatmap size', () => heatmap([1, 2, 3], 2, 2), ShapeError, 'heatmap: values.length must equal rows × cols = 4; got 3'],
    ['heatmap colormap', () => heatmap([1, 2, 3, 4], 2, 2, { colormap: 'jet' as 'gray' }), ValueError, "heatmap: options.colormap must be one of 'viridis', 'magma', 'gray', 'diverging'; got \"jet\""],
    ['srpMapPlot negative power', () => srpMapPlot([1, -1], 1, 2, { xRangeM: [0, 1], yRangeM: [0, 1], db: true }), ValueError, "srpMapPlot: power must be ≥ 0 with db: true (db: 'auto' or false plots signed maps linearly); got -1 at index 1"],
    ['srpMapPlot range', () => srpMapPlot([1, 1], 1, 2, { xRangeM: [1, 0], yRangeM: [0, 1] }), ValueError, 'srpMapPlot: options.xRangeM must be [a, b] with finite a < b; got an array of length 2'],
    ['beamPatternPlot length', () => beamPatternPlot([0, 90], [1, 2, 3]), ShapeError, 'beamPatternPlot: patterns[0] must have one value per angle (2); got 3'],
    ['beamPatternPlot negative magnitude', () => beamPatternPlot([0, 90], [1, -2], { input: 'magnitude' }), ValueError, "beamPatternPlot: patterns[0] must be ≥ 0 for input 'magnitude'; got -2 at index 1"],
    ['spectraPlot length', () => spectraPlot([400, 500], [[1, 2, 3]]), ShapeError, 'spectraPlot: spectra[0] must have one value per wavelength (2); got 3'],
    ['signalPlot channel', () => signalPlot(sig, { channels: [2] }), ValueError, 'signalPlot: options.channels[0] must be an integer in [0, 1]; got 2'],
    ['spectrogramPlot without rate', () => spectrogramPlot({ ...stftLike, sampleRate: undefined }), ValueError, 'spectrogramPlot: a sample rate is required (options.sampleRate or s.sampleRate); got undefined'],
    ['rgbImagePlot no shape', () => rgbImagePlot(Multichannel.zeros(3, 4)), ShapeError, 'rgbImagePlot: x must carry a 2-D shape [rows, cols]; got an array of length 2'],
    ['rgbImagePlot 2 channels', () => rgbImagePlot(Multichannel.zeros(2, 4, { shape: [2, 2] })), ShapeError, 'rgbImagePlot: x must have 3 channels (R, G, B); got 2'],
    ['falseColorPlot band', () => falseColorPlot(cube, { bands: [0, 1, 30] }), ValueError, 'falseColorPlot: options.bands[2] must be an integer in [0, 29]; got 30'],
    ['explainedVariancePlot ratio', () => explainedVariancePlot([0.5, 1.5]), ValueError, 'explainedVariancePlot: ratios must lie in [0, 1]; got 1.5 at index 1'],
    ['barChart categories', () => barChart([1, 2], { categories: ['a'] }), ShapeError, 'barChart: options.categories must have one name per value (2); got 1'],
    ['toPng scale', () => linePlot({ y: [1, 2] }).toPng({ scale: 0 }), ValueError, 'Figure.toPng: scale must be > 0; got 0'],
  ];
  for (const [label, f, cls, msg] of cases) {
    it(label, () => {
      expectPointwiseError(f, cls, msg, label);
    });
  }
});
