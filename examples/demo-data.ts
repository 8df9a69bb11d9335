/**
 * Synthetic data for the end-to-end demo (examples/demo.ts) that the library does not generate
 * itself: a speech-like talker, white noise and a small reaction network (the room response and the
 * hyperspectral scene come from the library: syntheticRoomResponse, syntheticCube). Everything is
 * seeded, so the demo's numbers are the same on every run.
 *
 * Run on its own to print a summary: `npx tsx examples/demo-data.ts` (after `npm run build`).
 */
import { Multichannel, Rng } from 'pointwise';

/**
 * A speech-like signal: a glottal pulse train (harmonics of a gliding f0 around 120–180 Hz) shaped by
 * three moving formants, chopped into syllables at ~4 Hz with short fricative noise bursts between
 * them. Not speech, but it has speech's spectral tilt, harmonicity and on/off structure, which is
 * what beamforming and GCC-PHAT care about. Peak normalised to 0.5.
 */
export function speechLike(seconds: number, sampleRate: number, seed = 1): Float64Array {
  const rng = new Rng(seed);
  const n = Math.round(seconds * sampleRate);
  const y = new Float64Array(n);
  // Syllable plan: voiced segments of 120–260 ms separated by 40–120 ms gaps (some fricative).
  const voiced = new Float64Array(n);
  const fric = new Float64Array(n);
  let t = Math.round(0.05 * sampleRate);
  while (t < n) {
    const len = Math.round(rng.uniform(0.12, 0.26) * sampleRate);
    const ramp = Math.round(0.02 * sampleRate);
    for (let i = 0; i < len && t + i < n; i++) {
      const a = Math.min(1, i / ramp, (len - i) / ramp);
      voiced[t + i] = a * a * (3 - 2 * a);
    }
    t += len;
    const gap = Math.round(rng.uniform(0.04, 0.12) * sampleRate);
    if (rng.next() < 0.4) for (let i = 0; i < gap && t + i < n; i++) fric[t + i] = Math.sin((Math.PI * i) / gap) * 0.15;
    t += gap;
  }
  // Glottal source: harmonics of f0(t), amplitude ∝ 1/h (−6 dB/oct tilt), up to 4 kHz.
  const f0 = (s: number) => 150 + 25 * Math.sin(2 * Math.PI * 0.7 * s) + 10 * Math.sin(2 * Math.PI * 2.3 * s);
  const formants = [
    { f: 500, df: 200, rate: 1.1, bw: 90 },
    { f: 1500, df: 500, rate: 0.8, bw: 120 },
    { f: 2500, df: 300, rate: 1.7, bw: 160 },
  ];
  let phase = 0;
  const maxH = 40;
  for (let i = 0; i < n; i++) {
    const s = i / sampleRate;
    const f = f0(s);
    phase += (2 * Math.PI * f) / sampleRate;
    if (voiced[i] > 0) {
      let v = 0;
      for (let h = 1; h <= maxH; h++) {
        const fh = h * f;
        if (fh > 4000 || fh > sampleRate / 2.2) break;
        // Formant envelope: sum of resonance peaks (Lorentzian) at moving centre frequencies.
        let env = 0.05;
        for (const fm of formants) {
          const c = fm.f + fm.df * Math.sin(2 * Math.PI * fm.rate * s);
          const d = (fh - c) / fm.bw;
          env += 1 / (1 + d * d);
        }
        v += (env / h) * Math.sin(h * phase);
      }
      y[i] += voiced[i] * v;
    }
    if (fric[i] > 0) y[i] += fric[i] * rng.normal();
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(y[i]));
  if (peak > 0) for (let i = 0; i < n; i++) y[i] *= 0.5 / peak;
  return y;
}

/** White Gaussian noise, seeded. */
export function whiteNoise(n: number, seed: number, std = 1): Float64Array {
  const rng = new Rng(seed);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = std * rng.normal();
  return y;
}

/** A reaction network: species, their element composition, and samples before/after reacting. */
export interface ReactionData {
  species: string[];
  elements: string[];
  /** elements × species counts, row-major. */
  composition: Float64Array;
  /** [species, samples] concentrations before (x) and after (y) the reactions, noisy. */
  x: Multichannel;
  y: Multichannel;
}

/**
 * Methane combustion `CH4 + 2 O2 → CO2 + 2 H2O` at a random extent per sample, observed with noise:
 * the true map x → y is linear only on average, so an unconstrained least-squares mixer creates or
 * destroys atoms slightly; a mixer constrained by the element balance cannot.
 */
export function combustion(samples: number, noise = 0.02, seed = 5): ReactionData {
  const rng = new Rng(seed);
  const species = ['CH4', 'O2', 'CO2', 'H2O'];
  const elements = ['C', 'H', 'O'];
  const composition = Float64Array.from([1, 0, 1, 0, 4, 0, 0, 2, 0, 2, 2, 1]);
  const S = species.length;
  const X = new Float64Array(S * samples);
  const Y = new Float64Array(S * samples);
  for (let t = 0; t < samples; t++) {
    const ch4 = rng.uniform(0.5, 2);
    const o2 = rng.uniform(1, 4);
    const co2 = rng.uniform(0, 0.5);
    const h2o = rng.uniform(0, 0.5);
    const extent = 0.6 * Math.min(ch4, o2 / 2) * (1 + 0.2 * rng.normal());
    const before = [ch4, o2, co2, h2o];
    const after = [ch4 - extent, o2 - 2 * extent, co2 + extent, h2o + 2 * extent];
    for (let s = 0; s < S; s++) {
      X[s * samples + t] = before[s];
      Y[s * samples + t] = after[s] + noise * rng.normal();
    }
  }
  return {
    species,
    elements,
    composition,
    x: new Multichannel(X, S, samples, { labels: species }),
    y: new Multichannel(Y, S, samples, { labels: species }),
  };
}

if (require.main === module) {
  const s = speechLike(1, 16000);
  const r = combustion(100);
  console.log(`speech-like: ${s.length} samples at 16 kHz; reactions: before ${r.x.toString()}, after ${r.y.toString()}`);
}
