import { describe, expect, it } from 'vitest';
import { convolve, correlate, correlationLags } from '../../src/convolve/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { expectPointwiseError } from '../helpers/index.js';

const x3 = new Multichannel(new Float64Array(30), 3, 10);
const cases: [string, () => unknown, new (m: string) => Error, RegExp][] = [
  ['empty x', () => convolve([], [1]), ShapeError, /^convolve: x must not be empty; got a Multichannel \[1, 0\]/],
  ['empty h', () => convolve([1], new Float64Array(0)), ShapeError, /^convolve: h must not be empty; got a Multichannel \[1, 0\]/],
  ['string x', () => convolve('abc' as never, [1]), ArgumentTypeError, /^convolve: x must be a Multichannel, Float64Array, Float32Array or number\[\]; got "abc"/],
  ['object h', () => correlate([1], {} as never), ArgumentTypeError, /^correlate: h must be a Multichannel/],
  ['kernel channels', () => convolve(x3, new Multichannel(new Float64Array(4), 2, 2)), ShapeError, /^convolve: h must have 1 channel \(broadcast\) or one per channel of x \(3\); got 2/],
  ['NaN in x', () => convolve([1, 2, NaN], [1]), ValueError, /^convolve: x must hold only finite values \(NaN and ±Infinity are rejected, not propagated\); got NaN at index 2/],
  ['Infinity in h channel', () => convolve(x3, new Multichannel(Float64Array.from([0, 0, 0, Infinity, 0, 0]), 3, 2)), ValueError, /^convolve: h must hold only finite values .*; got Infinity at channel 1, sample 1/],
  ['-Infinity correlate', () => correlate([-Infinity], [1]), ValueError, /^correlate: x must hold only finite values .*; got -Infinity at index 0/],
  ['mode', () => convolve([1], [1], { mode: 'circular' as never }), ValueError, /^convolve: options.mode must be one of 'full', 'same', 'valid'; got "circular"/],
  ['method', () => convolve([1], [1], { method: 'winograd' as never }), ValueError, /^convolve: options.method must be one of 'auto', 'direct', 'fft', 'overlap-add'; got "winograd"/],
  ['dtype', () => convolve([1], [1], { dtype: 'int16' as never }), ValueError, /^convolve: options.dtype must be one of 'float64', 'float32'; got "int16"/],
  ['lags non-integer', () => correlationLags(2.5, 3), ValueError, /^correlationLags: N must be an integer ≥ 1; got 2.5/],
  ['lags mode', () => correlationLags(2, 3, 'x' as never), ValueError, /^correlationLags: mode must be one of/],
];
describe('convolve bad input', () => {
  for (const [label, f, cls, re] of cases) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
  it('accepts the smallest valid inputs at the same boundary (1-sample signal and kernel, every method)', () => {
    for (const method of ['direct', 'fft', 'overlap-add', 'auto'] as const) {
      expect(Array.from(convolve([2], [3], { method }).channel(0))).toEqual([6]);
    }
    expect(Array.from(correlationLags(1, 1))).toEqual([0]);
  });
});
