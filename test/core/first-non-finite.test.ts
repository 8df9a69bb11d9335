/**
 * firstNonFinite: the index of the first NaN or ±Infinity, whatever its position (the four-way
 * finite check and its remainder loop), for Float64Array, Float32Array and number[].
 */
import { describe, expect, it } from 'vitest';
import { firstNonFinite } from '../../src/core/validate.js';

describe('firstNonFinite', () => {
  const bad = [NaN, Infinity, -Infinity];
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('length %i: -1 for finite values (including ±0, huge and tiny ones)', (n) => {
    const a = Array.from({ length: n }, (_, i) => [0, -0, 1e308, -1e308, 5e-324, 1.5][i % 6]);
    expect(firstNonFinite(a)).toBe(-1);
    expect(firstNonFinite(Float64Array.from(a))).toBe(-1);
    expect(firstNonFinite(new Float32Array(n).fill(3.4e38))).toBe(-1);
  });
  it.each([1, 2, 3, 4, 5, 7, 8, 9, 13])('length %i: the first bad index at every position, for NaN, Infinity and -Infinity', (n) => {
    for (const v of bad) {
      for (let at = 0; at < n; at++) {
        const a = new Float64Array(n).fill(2);
        a[at] = v;
        if (at + 2 < n) a[at + 2] = NaN; // a later bad value does not hide the first
        expect(firstNonFinite(a), `${v} at ${at}`).toBe(at);
        expect(firstNonFinite(Float32Array.from(a)), `float32 ${v} at ${at}`).toBe(at);
        expect(firstNonFinite(Array.from(a)), `number[] ${v} at ${at}`).toBe(at);
      }
    }
  });
  it('Infinity and -Infinity in different sums do not cancel to a finite result', () => {
    const a = new Float64Array(8).fill(1);
    a[1] = Infinity;
    a[2] = -Infinity;
    expect(firstNonFinite(a)).toBe(1);
  });
});
