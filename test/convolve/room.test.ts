import { describe, expect, it } from 'vitest';
import { syntheticRoomResponse } from '../../src/convolve/index.js';
import { ValueError } from '../../src/core/errors.js';
import { expectPointwiseError } from '../helpers/index.js';

describe('syntheticRoomResponse', () => {
  it('is seeded, starts with the direct path and decays 60 dB per rt60', () => {
    const a = syntheticRoomResponse({ sampleRate: 8000, rt60Seconds: 0.5, lengthSeconds: 1, seed: 3, channels: 2 });
    const b = syntheticRoomResponse({ sampleRate: 8000, rt60Seconds: 0.5, lengthSeconds: 1, seed: 3, channels: 2 });
    const c = syntheticRoomResponse({ sampleRate: 8000, rt60Seconds: 0.5, lengthSeconds: 1, seed: 4, channels: 2 });
    expect(a.channels).toBe(2);
    expect(a.length).toBe(8000);
    expect(a.sampleRate).toBe(8000);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
    expect(a.data[0]).toBe(1);
    // tail energy from 0.1–0.2 s vs 0.35–0.45 s (0.25 s apart): 30 dB apart for rt60 = 0.5 s
    const energy = (t0: number, t1: number) => {
      let e = 0;
      for (let i = Math.round(t0 * 8000); i < Math.round(t1 * 8000); i++) e += a.data[i] ** 2;
      return e;
    };
    const db = 10 * Math.log10(energy(0.1, 0.2) / energy(0.35, 0.45));
    expect(db).toBeGreaterThan(27);
    expect(db).toBeLessThan(33);
  });
  it('rejects bad options', () => {
    expectPointwiseError(() => syntheticRoomResponse({ rt60Seconds: 0 }), ValueError, /^syntheticRoomResponse: options.rt60Seconds must be > 0; got 0/);
    expect(() => syntheticRoomResponse({ channels: 1.5 })).toThrow(/^syntheticRoomResponse: options.channels must be an integer; got 1.5/);
  });
});
