import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { correlate, correlationLags } from '../../src/convolve/index.js';
import { Rng } from '../helpers/index.js';

/** scipy 1.10 values written by scripts/fixtures/make_windows.py ("lags"). */
interface LagRefs {
  lags: { N: number; M: number; scipy: number[]; actual: number[] }[];
}
const refs = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/refs/windows.json'), 'utf8')) as LagRefs;

describe("correlationLags(N, M, 'same') follows where scipy.signal.correlate puts its 'same' output", () => {
  it('fixture covers N, M in 1…8', () => {
    expect(refs.lags.length).toBe(64);
  });
  for (const r of refs.lags) {
    it(`N=${r.N} M=${r.M}`, () => {
      expect(Array.from(correlationLags(r.N, r.M, 'same'))).toEqual(r.actual);
    });
  }
  it("differs from scipy's correlation_lags exactly for odd N and even M (by +1 there)", () => {
    for (const r of refs.lags) {
      const differs = r.N % 2 === 1 && r.M % 2 === 0;
      expect(r.scipy.join(), `N=${r.N} M=${r.M}`).toBe((differs ? r.actual.map((l) => l + 1) : r.actual).join());
    }
  });
  it("correlate 'same' sample i equals the 'full' sample of lag correlationLags(…, 'same')[i] (seed 41)", () => {
    const rng = new Rng(41);
    for (const [N, M] of [[5, 2], [7, 4], [6, 3], [3, 8], [9, 9]]) {
      const x = rng.normals(N), h = rng.normals(M);
      const full = correlate(x, h, { mode: 'full', method: 'direct' }).data;
      const same = correlate(x, h, { mode: 'same', method: 'direct' }).data;
      const fullLags = correlationLags(N, M, 'full');
      const lags = correlationLags(N, M, 'same');
      for (let i = 0; i < N; i++) expect(same[i], `N=${N} M=${M} i=${i}`).toBe(full[fullLags.indexOf(lags[i])]);
    }
  });
});
