/**
 * Subspace DOA: MUSIC / NormMUSIC on the 32-microphone line (3 cm, 48 kHz, 1 s) over a 100 × 100
 * near-field grid (10 000 points), against a numpy anchor computing the same map in the same run
 * (Hann STFT, covariance, numpy.linalg.eigh, steering per bin). BENCH_SMOKE=1: 8 mics, 0.1 s, 20 × 20.
 */
import { Rng } from '../src/core/random.js';
import { ArrayGeometry, point } from '../src/beamform/geometry.js';
import { linspaceStep, pointGrid } from '../src/beamform/localize.js';
import { music, normMusic } from '../src/beamform/music.js';
import { spatialCovariance } from '../src/beamform/covariance.js';
import { simulatePointSource } from '../src/beamform/simulate.js';
import { stft } from '../src/fft/stft.js';
import { SMOKE, fmt, medianMs, printTable, runPython, printCeilings } from './lib.js';

export async function main(): Promise<void> {
  await printCeilings();
  const rng = new Rng(23);
  const fs = 48000;
  const C = SMOKE ? 8 : 32;
  const N = SMOKE ? 4800 : 48000;
  const side = SMOKE ? 20 : 100;
  const L = 512;
  const fmax = 8000;
  const g = ArrayGeometry.linear(C, '3 cm', { axis: 'y', centred: false });
  const x = simulatePointSource(rng.normals(N), g, point(0.5, 0.4), { sampleRate: fs, snrDb: 10, seed: 3 });
  const dx = 1.1 / (side - 1);
  const dy = 1.3 / (side - 1);
  const grid = pointGrid(linspaceStep(0.1, 1.2 + dx / 2, dx), linspaceStep(-0.2, 1.1 + dy / 2, dy));
  const opts = { windowLength: L, maxFrequency: fmax };
  const rows: (string | number)[][] = [];
  let found = '';
  let mapJs = new Float64Array(0);
  const tNorm = medianMs(() => {
    const r = normMusic(x, g, grid, opts);
    const p = r.peaks[0].target;
    if (p.kind === 'near-field') found = `peak (${p.point[0].toFixed(2)}, ${p.point[1].toFixed(2)}) m, true (0.50, 0.40)`;
    mapJs = r.map;
    return r.map;
  }, 5);
  const tMusic = medianMs(() => music(x, g, grid, opts).map, 5);
  const S = stft(x, { windowLength: L, hop: L / 2 });
  const tCov = medianMs(() => spatialCovariance(S).re, 5);
  const R = { ...spatialCovariance(S), sampleRate: fs };
  const tFromCov = medianMs(() => normMusic(R, g, grid, opts).map, 5);
  const py = runPython(
    `
x = load('x').reshape(${C}, ${N}); pts = load('pts').reshape(-1, 3); mics = load('mics').reshape(-1, 3)
L, hop, fs, c, fmax = ${L}, ${L / 2}, ${fs}.0, 343.0, ${fmax}.0
kLo, kHi = 1, int(np.floor(fmax * L / fs + 1e-9))
bins = np.arange(kLo, kHi + 1)
win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(L) / L)
T = np.linalg.norm(pts[:, None, :] - mics[None, :, :], axis=2) / c  # G x M
def run(normalize):
    xp = np.pad(x, ((0, 0), (L // 2, L // 2)))
    F = 1 + int(np.ceil(max(xp.shape[1] - L, 0) / hop))
    xp = np.pad(xp, ((0, 0), (0, (F - 1) * hop + L - xp.shape[1])))
    idx = np.arange(F)[:, None] * hop + np.arange(L)[None, :]
    X = np.fft.rfft(xp[:, idx] * win, axis=2)[:, :, bins]  # M x F x nb
    Cv = np.einsum('mfk,nfk->kmn', X, np.conj(X)) / F
    w, v = np.linalg.eigh(Cv)
    Es = v[:, :, -1:]
    out = np.zeros(len(pts))
    for i, k in enumerate(bins):
        A = np.exp(-2j * np.pi * fs * k / L * T)  # G x M
        p = 1.0 / np.abs(np.sum(np.abs(A) ** 2, axis=1) - np.sum(np.abs(A @ np.conj(Es[i])) ** 2, axis=1))
        out += p / p.max() if normalize else p
    return out / len(bins)
m = run(True)
print(json.dumps({'norm': median_ms(lambda: run(True)), 'music': median_ms(lambda: run(False)), 'map': m.tolist()}))
`,
    { x: Float64Array.from(x.data), pts: grid.values, mics: g.positions },
  );
  let agree = 'n/a';
  if (py) {
    const m = py.map as unknown as number[];
    let worst = 0;
    let mx = 0;
    for (let i = 0; i < m.length; i++) mx = Math.max(mx, Math.abs(m[i]));
    for (let i = 0; i < m.length; i++) worst = Math.max(worst, Math.abs(mapJs[i] - m[i]) / mx);
    agree = `maps agree to ${worst.toExponential(1)} (relative to max)`;
  }
  const label = `${C} mics × ${N / fs} s @ 48 kHz, ${grid.size} points, 0–${fmax / 1000} kHz, frames of ${L}`;
  rows.push([label, 'normMusic (recording → map)', tNorm, py ? fmt(tNorm / py.norm) : 'n/a', found]);
  rows.push(['', 'numpy NormMUSIC (anchor)', py ? py.norm : NaN, '1', agree]);
  rows.push(['', 'music (recording → map)', tMusic, py ? fmt(tMusic / py.music) : 'n/a', '']);
  rows.push(['', 'numpy MUSIC (anchor)', py ? py.music : NaN, '1', '']);
  rows.push(['', '  spatialCovariance alone', tCov, '', `${S.bins} bins × ${S.frames} frames`]);
  rows.push(['', '  normMusic from a covariance (eigen + scan)', tFromCov, '', '']);
  printTable(`doa${SMOKE ? ' (smoke size)' : ''}`, ['case', 'method', 'median ms', 'ratio to numpy', 'note'], rows);
}
