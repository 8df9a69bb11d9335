/**
 * NormMUSIC on the measured 32-microphone office data (../shared/data/mic_array/ula32_office;
 * skipped with a note when absent): it localises each loudspeaker as well as SRP-PHAT on the same
 * near-field grid, and resolves both talkers of talkers_1_and_3.wav.
 */
import { describe, expect, it } from 'vitest';
import { readWav } from '../../src/io/index.js';
import { ArrayGeometry, type Target } from '../../src/beamform/geometry.js';
import { linspaceStep, pointGrid, srpPhat } from '../../src/beamform/localize.js';
import { normMusic } from '../../src/beamform/music.js';
import { sharedData } from '../helpers/index.js';

const geomPath = sharedData('mic_array/ula32_office/geometry.json');
const talkersPath = sharedData('mic_array/ula32_office/talkers_1_and_3.wav');
const rir = (s: string) => sharedData(`mic_array/ula32_office/rir_source_${s}.wav`);
const grid = pointGrid(linspaceStep(0.1, 1.2, 0.01), linspaceStep(-0.2, 1.1, 0.01));
// NormMUSIC settings: 512-sample frames (10.7 ms), 0–12 kHz
const opts = { windowLength: 512, maxFrequency: 12000 };

function errorCm(t: Target, s: readonly [number, number, number]): number {
  return t.kind === 'near-field' ? Math.hypot(t.point[0] - s[0], t.point[1] - s[1]) * 100 : Infinity;
}

describe('ula32_office: NormMUSIC vs SRP-PHAT on measured impulse responses (2-D grid, 1 cm)', () => {
  for (const s of ['1', '3', '5', '7']) {
    // Measured here: SRP-PHAT 9.7 / 9.1 / 6.3 / 4.1 cm, NormMUSIC 9.9 / 9.1 / 6.4 / 4.1 cm (refined peaks).
    it.skipIf(!geomPath || !rir(s))(`source ${s}: NormMUSIC's refined peak is within 1 cm of SRP-PHAT's error and within 10.5 cm`, () => {
      const g = ArrayGeometry.fromJson(geomPath!);
      const x = readWav(rir(s)!);
      const eSrp = errorCm(srpPhat(x, g, grid).peaks[0].refined, g.sources[s]);
      const eMusic = errorCm(normMusic(x, g, grid, opts).peaks[0].refined, g.sources[s]);
      console.log(`[music-realdata] source ${s}: SRP-PHAT ${eSrp.toFixed(1)} cm, NormMUSIC ${eMusic.toFixed(1)} cm`);
      expect(eMusic).toBeLessThan(eSrp + 1);
      expect(eMusic).toBeLessThan(10.5);
    });
  }

  it.skipIf(!geomPath || !talkersPath)('talkers_1_and_3: NormMUSIC with two sources puts one peak within 12 cm of each talker', () => {
    const g = ArrayGeometry.fromJson(geomPath!);
    const x = readWav(talkersPath!);
    const r = normMusic(x, g, grid, { ...opts, sources: 2, minSeparation: 0.2 });
    expect(r.peaks).toHaveLength(2);
    for (const s of ['1', '3']) {
      const best = Math.min(...r.peaks.map((p) => errorCm(p.refined, g.sources[s])));
      console.log(`[music-realdata] talker ${s}: nearest NormMUSIC peak ${best.toFixed(1)} cm`);
      expect(best, `talker ${s}`).toBeLessThan(12);
    }
  });
});
