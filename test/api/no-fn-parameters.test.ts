/**
 * Public functions name themselves in their errors: a trailing argument can no longer set the
 * prefix of the message (it was an error-prefix parameter `fn` that callers could see and misuse).
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArrayGeometry, Multichannel, WavWriter, beamformerWeights, delayAndSumWithDelays, speedOfSound, taperWeights, toDegrees, toMetres, writeFileAtomic,
} from '../../src/index.js';

/** Calls `f` with `args` plus a trailing string (as old code accepted) and returns the error message. */
function messageWithExtraArgument(f: (...a: never[]) => unknown, ...args: unknown[]): string {
  try {
    (f as unknown as (...a: unknown[]) => unknown)(...args, 'someoneElse');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a throw');
}

describe('public functions have no error-prefix parameter', () => {
  const g = ArrayGeometry.linear(4, 0.05);
  const cases: [string, () => string][] = [
    ['taperWeights', () => messageWithExtraArgument(taperWeights, 4, 'triangle', 30)],
    ['delayAndSumWithDelays', () => messageWithExtraArgument(delayAndSumWithDelays, new Multichannel(new Float64Array(8), 2, 4), [0], [1, 1], {})],
    ['beamformerWeights', () => messageWithExtraArgument(beamformerWeights, g, { target: { kind: 'far-field', azimuthDeg: 0, elevationDeg: 0 }, weights: 'triangle' }, [1000], {})],
    ['toMetres', () => messageWithExtraArgument(toMetres, '3 kg')],
    ['toDegrees', () => messageWithExtraArgument(toDegrees, '3 m')],
    ['speedOfSound', () => messageWithExtraArgument(speedOfSound, -1)],
    ['writeFileAtomic', () => messageWithExtraArgument(writeFileAtomic, path.join(os.tmpdir(), 'no-such-folder-pointwise', 'x.bin'), 'data')],
  ];
  it.each(cases)('%s names itself even when given a trailing string', (name, call) => {
    const m = call();
    expect(m.startsWith(`${name}: `)).toBe(true);
    expect(m).not.toMatch(/someoneElse/);
  });

  it('new WavWriter names itself even when given a trailing string', () => {
    const Ctor = WavWriter as unknown as new (...a: unknown[]) => WavWriter;
    const target = path.join(os.tmpdir(), 'pointwise-no-fn-parameters.wav');
    expect(() => new Ctor(target, { channels: 0, sampleRate: 8000 }, 'someoneElse')).toThrow(/^WavWriter: options\.channels must be an integer/);
  });

  it('each takes no more declared parameters than its documented arguments', () => {
    // Function.length counts parameters before the first default: a trailing `fn = '…'` made
    // these longer only by defaults, so check the source-level arity through toString instead.
    for (const f of [taperWeights, delayAndSumWithDelays, beamformerWeights, toMetres, toDegrees, speedOfSound, writeFileAtomic]) {
      const params = /^function \w+\(([^)]*)\)/.exec(f.toString())?.[1] ?? '';
      expect(params.split(',').map((p) => p.trim().split(/\s|=/)[0])).not.toContain('fn');
    }
  });
});
