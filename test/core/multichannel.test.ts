import { describe, expect, it } from 'vitest';
import { Multichannel, ShapeError, ValueError, ArgumentTypeError } from '../../src/index.js';
import { allocateEmpty } from '../../src/linalg/prefault.js';
import { allocate } from '../../src/core/multichannel.js';
import { SHARED_ARRAY_MIN_BYTES } from '../../src/core/shared.js';
import { expectPointwiseError } from '../helpers/index.js';

describe('Multichannel', () => {
  it('stores channel-major: sample t of channel c at data[c * length + t]', () => {
    const x = Multichannel.fromChannels([[1, 2, 3], [4, 5, 6]], { sampleRate: 8000 });
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.get(1, 0)).toBe(4);
    expect(x.channels).toBe(2);
    expect(x.length).toBe(3);
    expect(x.dtype).toBe('float64');
    expect(x.duration).toBeCloseTo(3 / 8000, 15);
  });

  it('channel() is a zero-copy view', () => {
    const x = Multichannel.zeros(3, 4);
    x.channel(2)[1] = 7;
    expect(x.data[2 * 4 + 1]).toBe(7);
    expect(x.toChannels()[2][1]).toBe(7);
  });

  it('allocates arrays of 32 MiB or more on shared memory, zero-filled, and smaller ones on ordinary memory', () => {
    const n64 = SHARED_ARRAY_MIN_BYTES / 8;
    const big = allocate('float64', n64);
    expect(big).toBeInstanceOf(Float64Array);
    expect(big.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(big.length).toBe(n64);
    expect(big[0] + big[n64 - 1]).toBe(0);
    expect(allocate('float64', n64 - 1).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const big32 = allocate('float32', 2 * n64);
    expect(big32).toBeInstanceOf(Float32Array);
    expect(big32.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(allocate('float32', 2 * n64 - 1).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    // the constructors and conversions allocate through it
    const x = Multichannel.zeros(2, n64 / 2);
    expect(x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(x.astype('float32').data.buffer).not.toBeInstanceOf(SharedArrayBuffer); // 16 MiB
  });

  it('round-trips interleaved frames', () => {
    const x = Multichannel.fromInterleaved([1, 10, 2, 20, 3, 30], 2);
    expect(Array.from(x.channel(0))).toEqual([1, 2, 3]);
    expect(Array.from(x.channel(1))).toEqual([10, 20, 30]);
    expect(Array.from(x.toInterleaved())).toEqual([1, 10, 2, 20, 3, 30]);
  });

  it('slice keeps sampleRate and labels, and shape only for whole rows', () => {
    const x = Multichannel.fromChannels([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]], { shape: [3, 2], labels: ['a', 'b'], sampleRate: 10 });
    const rows = x.slice(2, 6);
    expect(rows.shape).toEqual([2, 2]);
    expect(Array.from(rows.channel(1))).toEqual([8, 9, 10, 11]);
    expect(rows.labels).toEqual(['a', 'b']);
    expect(rows.sampleRate).toBe(10);
    expect(x.slice(1, 4).shape).toBeUndefined();
    expect(Array.from(x.slice(-2).channel(0))).toEqual([4, 5]);
  });

  it('selectChannels carries labels and coordinates', () => {
    const x = Multichannel.fromChannels([[1], [2], [3]], {
      labels: ['r', 'g', 'b'],
      coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.from([650, 550, 450]) },
    });
    const y = x.selectChannels([2, 0]);
    expect(Array.from(y.data)).toEqual([3, 1]);
    expect(y.labels).toEqual(['b', 'r']);
    expect(Array.from(y.coords!.values)).toEqual([450, 650]);
  });

  it('astype converts and clone copies', () => {
    const x = Multichannel.fromChannels([[0.1, 0.2]]);
    const f = x.astype('float32');
    expect(f.dtype).toBe('float32');
    expect(f.data[0]).toBe(Math.fround(0.1));
    const c = x.clone();
    c.data[0] = 5;
    expect(x.data[0]).toBe(0.1);
  });

  it('allocateEmpty: right type and length, its own aligned memory; small arrays come zeroed', () => {
    for (const [dtype, Ctor] of [['float64', Float64Array], ['float32', Float32Array]] as const) {
      for (const n of [0, 5, 8191, 16384, 100_003]) {
        const a = allocateEmpty(dtype, n);
        const b = allocateEmpty(dtype, n);
        expect(a).toBeInstanceOf(Ctor);
        expect(a.length).toBe(n);
        expect(a.byteOffset % Ctor.BYTES_PER_ELEMENT).toBe(0);
        expect(a.buffer === b.buffer && n > 0).toBe(false);
        if (n * Ctor.BYTES_PER_ELEMENT < 65536) expect(a.every((v) => v === 0)).toBe(true);
      }
    }
  });

  it.each([
    ['ragged channels', () => Multichannel.fromChannels([[1, 2], [1]]), ShapeError, /every channel must have length 2/],
    ['no channels', () => Multichannel.fromChannels([]), ShapeError, /at least one channel/],
    ['NaN sample', () => Multichannel.fromChannels([[1, NaN]]), ValueError, /samples must be finite; got NaN at channel 0, sample 1/],
    ['shape product', () => Multichannel.zeros(1, 6, { shape: [4, 2] }), ShapeError, /product of shape must equal length = 6/],
    ['NaN sample rate', () => Multichannel.zeros(1, 2, { sampleRate: NaN }), ValueError, /sampleRate must be finite; got NaN/],
    ['negative length', () => Multichannel.zeros(1, -1), ValueError, /length must be an integer ≥ 0; got -1/],
    ['zero channels', () => Multichannel.zeros(0, 5), ValueError, /channels must be an integer ≥ 1; got 0/],
    ['wrong data size', () => new Multichannel(new Float64Array(5), 2, 3), ShapeError, /data.length must equal channels × length = 2 × 3 = 6; got 5/],
    ['labels count', () => Multichannel.zeros(2, 1, { labels: ['a'] }), ShapeError, /one name per channel \(2\); got 1/],
    ['data type', () => new Multichannel([1, 2] as unknown as Float64Array, 1, 2), ArgumentTypeError, /data must be a Float64Array/],
    ['channel out of range', () => Multichannel.zeros(2, 1).channel(2), ValueError, /c must be an integer in \[0, 1\]; got 2/],
  ])('rejects %s with a clear error', (_name, f, cls, re) => {
    const err = expectPointwiseError(f, cls, re);
    expect(err.message).toMatch(/^Multichannel/);
  });
});
