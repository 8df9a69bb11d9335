import { createRequire } from 'node:module';
import * as util from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { decodeWav } from '../../src/io/wav.js';
import { audio, AudioPlayer, DEFAULT_AUDIO_MAX_BYTES, multichannelHtml, notebookDisplay, show } from '../../src/notebook/index.js';
import { signalPlot } from '../../src/plot/index.js';

/** Installs a stand-in for the hook tslab's executor sets, recording what is displayed. */
function fakeKernel(display: Record<string, unknown> | undefined = undefined): [string, string][] {
  const shown: [string, string][] = [];
  const d = display ?? { svg: (s: string) => shown.push(['svg', s]), html: (s: string) => shown.push(['html', s]) };
  (globalThis as { __tslab__?: unknown }).__tslab__ = { exports: {}, require: (id: string) => (id === 'tslab' ? { display: d } : undefined) };
  return shown;
}

afterEach(() => {
  delete (globalThis as { __tslab__?: unknown }).__tslab__;
});

const sr = 8000;
const tone = Multichannel.fromChannels(
  [Float64Array.from({ length: 800 }, (_, t) => 0.5 * Math.sin((2 * Math.PI * 440 * t) / sr)), Float64Array.from({ length: 800 }, (_, t) => 0.25 * Math.cos((2 * Math.PI * 3 * t) / sr))],
  { sampleRate: sr, labels: ['tone', 'slow'] },
);

describe('outside a tslab kernel (Node, REPL, vitest)', () => {
  it('finds no kernel', () => {
    expect(notebookDisplay()).toBeUndefined();
  });

  it('prints a figure as one line, not its fields', () => {
    const fig = signalPlot(tone, { width: 400, height: 200 });
    const text = util.inspect(fig);
    expect(text).toMatch(/^Figure 400×200 \(SVG, [\d.]+ kB\)$/);
    expect(util.inspect({ fig })).toContain('fig: Figure 400×200');
    expect(String(fig)).toBe(fig.svg);
  });

  it('prints a Multichannel as a summary with its first samples, never the whole array', () => {
    const text = util.inspect(tone);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Multichannel [2, 800] float64 @ 8000 Hz, 0.1 s');
    expect(lines[1]).toMatch(/^ {2}tone {2}\[0, 0\.1694, 0\.3187, 0\.4304, 0\.4911, 0\.4938, … 794 more\]$/);
    expect(lines[2]).toMatch(/^ {2}slow {2}\[0\.25, 0\.25, /);
    expect(lines).toHaveLength(3);
    expect(text).not.toContain('Float64Array');
  });

  it('lists at most 8 channels and says how many more there are', () => {
    const many = Multichannel.zeros(20, 3, { dtype: 'float32' });
    const lines = util.inspect(many).split('\n');
    expect(lines[0]).toBe('Multichannel [20, 3] float32');
    expect(lines.slice(1, 9).every((l) => /^ {2}ch \d {2}\[0, 0, 0\]$/.test(l))).toBe(true);
    expect(lines[9]).toBe('  … 12 more channels');
    expect(lines).toHaveLength(10);
  });

  it('prints the coordinates range and the grid shape', () => {
    const cube = new Multichannel(new Float64Array(3 * 6), 3, 6, { shape: [2, 3], coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.of(450, 550, 650) } });
    expect(util.inspect(cube).split('\n')[0]).toBe('Multichannel [3, 2, 3] float64, wavelength (nm) 450 … 650');
    expect(util.inspect(Multichannel.zeros(2, 0))).toBe('Multichannel [2, 0] float64');
  });

  it('prints an audio player as its format line', () => {
    expect(util.inspect(audio(tone))).toBe('audio: 2 channels, 8000 Hz, 0.1 s, 3.24 kB WAV (pcm16), normalised ×2');
  });

  it('show() does nothing and returns nothing', () => {
    expect(show(signalPlot(tone), tone)).toBeUndefined();
  });

  it("the real tslab module's display refuses outside its kernel, and the figure falls back to text", () => {
    // What a plain require('tslab') from the package would get: a display that throws "Not ready".
    const tslab = createRequire(import.meta.url)('tslab') as { display: { svg(s: string): void } };
    expect(() => tslab.display.svg('<svg/>')).toThrow('Not ready');
    (globalThis as { __tslab__?: unknown }).__tslab__ = { require: (id: string) => (id === 'tslab' ? tslab : undefined) };
    expect(notebookDisplay()).toBe(tslab.display);
    expect(util.inspect(signalPlot(tone, { width: 300, height: 200 }))).toMatch(/^Figure 300×200/);
    expect(util.inspect(tone).split('\n')[0]).toBe('Multichannel [2, 800] float64 @ 8000 Hz, 0.1 s');
  });
});

describe('in a tslab kernel', () => {
  it('a figure displays itself as SVG and prints an empty string', () => {
    const shown = fakeKernel();
    const fig = signalPlot(tone);
    expect(util.inspect(fig)).toBe('');
    expect(shown).toEqual([['svg', fig.svg]]);
  });

  it('a Multichannel displays its HTML summary', () => {
    const shown = fakeKernel();
    expect(util.inspect(tone)).toBe('');
    expect(shown).toHaveLength(1);
    expect(shown[0][0]).toBe('html');
    expect(shown[0][1]).toBe(multichannelHtml(tone));
  });

  it('an audio player displays its <audio> element', () => {
    const shown = fakeKernel();
    const player = audio(tone.selectChannels([0]), { label: 'A <440> Hz tone' });
    expect(util.inspect(player)).toBe('');
    expect(shown).toEqual([['html', player.html]]);
    expect(player.html).toContain('<audio controls');
    expect(player.html).toContain('A &lt;440&gt; Hz tone');
  });

  it('objects nested in a printed value print as text and display nothing', () => {
    const shown = fakeKernel();
    const text = util.inspect({ fig: signalPlot(tone, { width: 300, height: 200 }), x: tone });
    expect(text).toContain('fig: Figure 300×200');
    expect(text).toContain('x: Multichannel [2, 800] float64 @ 8000 Hz');
    expect(shown).toEqual([]);
  });

  it('falls back to text when the kernel refuses to display', () => {
    fakeKernel({
      svg: () => {
        throw new Error('Not ready');
      },
      html: () => {
        throw new Error('Not ready');
      },
    });
    expect(util.inspect(signalPlot(tone, { width: 300, height: 200 }))).toMatch(/^Figure 300×200/);
    expect(util.inspect(tone)).toMatch(/^Multichannel \[2, 800\]/);
  });

  it('ignores a tslab module without display functions', () => {
    fakeKernel({ svg: 'not a function' });
    expect(notebookDisplay()).toBeUndefined();
    expect(util.inspect(signalPlot(tone, { width: 300, height: 200 }))).toMatch(/^Figure 300×200/);
  });

  it('show() displays several items in order', () => {
    const shown = fakeKernel();
    const a = signalPlot(tone, { title: 'a' });
    const b = signalPlot(tone, { title: 'b' });
    const player = audio(tone);
    show(a, b, tone, player);
    expect(shown.map(([k]) => k)).toEqual(['svg', 'svg', 'html', 'html']);
    expect(shown[0][1]).toBe(a.svg);
    expect(shown[1][1]).toBe(b.svg);
    expect(shown[3][1]).toBe(player.html);
  });

  it('show() rejects anything else before displaying', () => {
    const shown = fakeKernel();
    expect(() => show(signalPlot(tone), '<svg/>' as never)).toThrow(ArgumentTypeError);
    expect(() => show(signalPlot(tone), '<svg/>' as never)).toThrow('show: item 1 must be a Figure, Multichannel or AudioPlayer');
    expect(shown).toEqual([]);
  });
});

describe('multichannelHtml', () => {
  it('tabulates the metadata and draws the signal', () => {
    const h = multichannelHtml(tone);
    for (const s of ['Multichannel [2, 800] float64 @ 8000 Hz', '>8000 Hz<', '>0.1 s<', 'float64 (12.8 kB)', '>tone, slow<', 'min -0.5, max 0.5', '<svg']) expect(h).toContain(s);
    expect(h).toContain('Time (s)');
    expect(multichannelHtml(tone, { plot: false })).not.toContain('<svg');
  });

  it('draws channel 0 of an image as a heatmap and escapes labels', () => {
    const img = new Multichannel(Float64Array.from({ length: 2 * 12 }, (_, i) => i), 2, 12, { shape: [3, 4], labels: ['<b>', 'x'] });
    const h = multichannelHtml(img);
    expect(h).toContain('[3 × 4] per channel');
    expect(h).toContain('channel 0 (&lt;b&gt;)');
    expect(h).not.toContain('<b>');
    expect(h).toContain('<image');
  });

  it('counts non-finite values and reports the finite range', () => {
    const x = Multichannel.fromChannels([[1, NaN, -2, Infinity, 3]], { allowNonFinite: true });
    expect(multichannelHtml(x)).toContain('min -2, max 3; 2 NaN or infinite');
    const decreasing = Multichannel.fromChannels([[3, 2, 1]]);
    expect(multichannelHtml(decreasing)).toContain('min 1, max 3');
  });

  it('has no plot for an empty array and names the first channels drawn', () => {
    expect(multichannelHtml(Multichannel.zeros(2, 0))).not.toContain('<svg');
    expect(multichannelHtml(Multichannel.zeros(6, 10, { sampleRate: 100 }))).toContain('first 4 of 6 channels');
  });

  it('rejects a non-Multichannel', () => {
    expect(() => multichannelHtml(new Float64Array(3) as never)).toThrow(ArgumentTypeError);
  });
});

describe('audio', () => {
  it('embeds a 16-bit WAV that decodes to the peak-normalised signal', () => {
    const p = audio(tone);
    expect(p).toBeInstanceOf(AudioPlayer);
    expect(p.gain).toBe(2);
    const back = decodeWav(p.wav);
    expect([back.channels, back.length, back.sampleRate]).toEqual([2, 800, sr]);
    let worst = 0;
    for (let i = 0; i < back.data.length; i++) worst = Math.max(worst, Math.abs(back.data[i] - 2 * tone.data[i]));
    expect(worst).toBeLessThanOrEqual(1 / 32767);
    const b64 = p.dataUri.replace('data:audio/wav;base64,', '');
    expect(Buffer.from(b64, 'base64').equals(Buffer.from(p.wav))).toBe(true);
    expect(p.html).toContain(`src="${p.dataUri}"`);
  });

  it('keeps the level with normalize: false and accepts plain arrays with a sample rate', () => {
    const p = audio(Float64Array.of(0, 0.5, -0.25), { sampleRate: 1000, normalize: false });
    expect(p.gain).toBe(1);
    expect(Array.from(decodeWav(p.wav).data, (v) => Math.round(v * 4) / 4)).toEqual([0, 0.5, -0.25]);
    expect(audio([0, 0, 0], { sampleRate: 1000 }).gain).toBe(1);
  });

  it('refuses a WAV over the size limit, saying how to raise it', () => {
    const long = Multichannel.zeros(2, 600_000, { sampleRate: 48000 });
    expect(2 * 2 * 600_000).toBeGreaterThan(DEFAULT_AUDIO_MAX_BYTES);
    expect(() => audio(long)).toThrow(ValueError);
    expect(() => audio(long)).toThrow(/^audio: the WAV to embed must be at most maxBytes = 2 MB, as it is stored in the notebook; got 2\.4 MB \(2 × 600000 samples, 16-bit\)\. Pass \{ maxBytes: 3e6 \}/);
    expect(audio(long, { maxBytes: 3e6 }).wav.byteLength).toBe(2 * 2 * 600_000 + 44);
    expect(() => audio(tone, { maxBytes: 1000 })).toThrow(/x\.slice\(0, 239\) is 0\.0299 s/);
  });

  it.each([
    ['no sample rate', () => audio(Float64Array.of(0.1, 0.2)), ValueError, 'audio: a sample rate is needed: x.sampleRate or options.sampleRate (Hz); got undefined'],
    ['a fractional rate', () => audio(tone, { sampleRate: 8000.5 }), ValueError, 'audio: options.sampleRate must be an integer'],
    ['a NaN sample', () => audio(Multichannel.fromChannels([[0, NaN]], { sampleRate: 10, allowNonFinite: true })), ValueError, 'audio: samples must be finite; got NaN at channel 0, sample 1'],
    ['a loud sample without normalisation', () => audio(Float64Array.of(0, 1.5), { sampleRate: 10, normalize: false }), ValueError, 'audio: samples must lie in [-1, 1] with normalize: false'],
    ['an empty signal', () => audio(new Float64Array(0), { sampleRate: 10 }), ShapeError, 'audio: x must not be empty'],
    ['a string', () => audio('beep' as never, { sampleRate: 10 }), ArgumentTypeError, 'audio: x must be a Multichannel'],
    ['a zero limit', () => audio(tone, { maxBytes: 0 }), ValueError, 'audio: options.maxBytes must be > 0'],
  ])('rejects %s', (_name, f, type, text) => {
    expect(f).toThrow(type);
    expect(f).toThrow(text);
  });
});
