import { describe, expect, it } from 'vitest';
import { goalMet, spinModule, statsOf } from '../../bench/lib.js';

describe('bench/lib', () => {
  it('statsOf gives the median (upper for an even count) and the minimum, whatever the order', () => {
    expect(statsOf([5, 1, 3])).toEqual({ median: 3, min: 1, calls: 3 });
    expect(statsOf([4, 2, 8, 6])).toEqual({ median: 6, min: 2, calls: 4 });
  });

  it('goalMet compares the measured value with the bound in the stated direction, and NaN never meets', () => {
    expect(goalMet({ metric: 'time / numpy', value: 1.5, op: '<=', bound: 1.5 })).toBe(true);
    expect(goalMet({ metric: 'time / numpy', value: 1.51, op: '<=', bound: 1.5 })).toBe(false);
    expect(goalMet({ metric: '× real time', value: 99, op: '>=', bound: 100 })).toBe(false);
    expect(goalMet({ metric: '× real time', value: NaN, op: '>=', bound: 100 })).toBe(false);
  });

  it("the f64x2 probe compiles, runs n iterations and leaves its chains finite (mul by 1, add 2^-60)", () => {
    const api = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
    const inst = new api.Instance(new api.Module(spinModule()), {});
    (inst.exports.spin as (n: number) => void)(1000);
    const mem = new Float64Array((inst.exports.memory as { buffer: ArrayBuffer }).buffer, 0, 24);
    // Memory starts at 0; spin stores its 12 chains there. The mul chains multiply 1 by 1.0; the add
    // chains add 2^-60 to 1, which rounds back to 1 every time (half an ulp of 1 is 2^-53).
    for (let i = 0; i < 24; i++) expect(mem[i]).toBe(1);
  });
});
