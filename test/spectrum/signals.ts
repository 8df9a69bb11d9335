/**
 * Rebuilds the input signals of test/fixtures/refs/spectrum.json with the arithmetic of
 * scripts/fixtures/make_spectrum.py (Park–Miller generator, exact in doubles, plus a sine and a trend).
 */
import { Multichannel } from '../../src/core/multichannel.js';

export interface SignalSpec {
  n: number;
  channels?: number;
  seed: number;
  quantize?: number;
}

/** Python's round() (half to even) of v. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function signal(spec: SignalSpec): Multichannel {
  const C = spec.channels ?? 1;
  const d = new Float64Array(C * spec.n);
  for (let c = 0; c < C; c++) {
    let state = spec.seed + 7919 * c;
    for (let t = 0; t < spec.n; t++) {
      state = (16807 * state) % 2147483647;
      let v = state / 2147483647 - 0.5 + 0.8 * Math.sin(2 * Math.PI * 0.1 * t) + 0.002 * t;
      if (spec.quantize) v = roundHalfEven(v * spec.quantize) / spec.quantize;
      d[c * spec.n + t] = v;
    }
  }
  return new Multichannel(d, C, spec.n);
}
