/**
 * notebook: rich output in tslab (the TypeScript Jupyter kernel). Figures, Multichannels and audio
 * players show themselves when they are the last expression of a cell — a figure as
 * `image/svg+xml`, a Multichannel as an HTML summary with a small plot, an {@link audio} player as
 * an HTML `<audio>` element — and {@link show} displays several from one cell. Outside a kernel
 * they print as text: nothing here changes Node, the REPL or tests.
 *
 * How it works: tslab prints a cell's last value with `console.log`, so each of these objects
 * implements `util.inspect.custom`; in a kernel (found through the `globalThis.__tslab__` hook that
 * tslab installs, see {@link notebookDisplay}) it sends its rich output with tslab's `display` and
 * prints an empty line. `core/` knows nothing of this: this module registers the Multichannel
 * summary with core's inspect hook when the package loads.
 * @module
 */
import { ArgumentTypeError, message } from '../core/errors.js';
import { Multichannel, setRichInspector } from '../core/multichannel.js';
import { isFigure, type Figure } from '../plot/figure.js';
import { AudioPlayer } from './audio.js';
import { multichannelHtml } from './summary.js';
import { displayInNotebook, notebookDisplay } from './tslab.js';

export { audio, AudioPlayer, DEFAULT_AUDIO_MAX_BYTES } from './audio.js';
export type { AudioOptions } from './audio.js';
export { multichannelHtml } from './summary.js';
export type { SummaryOptions } from './summary.js';
export { notebookDisplay, displayInNotebook } from './tslab.js';
export type { TslabDisplay } from './tslab.js';

/** Anything {@link show} can display. */
export type Showable = Figure | Multichannel | AudioPlayer;

/**
 * Displays each item as rich output of the running tslab cell, in order: for several figures from
 * one cell (only a cell's last expression shows by itself). Outside a tslab kernel it does nothing,
 * so the same code runs as a script. Returns nothing, so that `show(...)` as a cell's last
 * expression prints nothing more.
 * @throws ArgumentTypeError for an item that is not a Figure, Multichannel or AudioPlayer.
 * @example show(signalPlot(x), spectrogramPlot(stft(x)));
 */
export function show(...items: Showable[]): void {
  const parts = items.map((item, k): ['svg' | 'html', () => string] => {
    if (isFigure(item)) return ['svg', () => item.svg];
    if (item instanceof Multichannel) return ['html', () => multichannelHtml(item)];
    if (item instanceof AudioPlayer) return ['html', () => item.html];
    throw new ArgumentTypeError(message('show', `item ${k} must be a Figure, Multichannel or AudioPlayer`, item));
  });
  if (notebookDisplay() === undefined) return;
  for (const [kind, content] of parts) displayInNotebook(kind, content());
}

setRichInspector((x) => notebookDisplay() !== undefined && displayInNotebook('html', multichannelHtml(x)));
