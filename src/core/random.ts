/**
 * A small seeded random generator (mulberry32) for reproducible initialisation, simulation noise and
 * fuzzing. Never use Math.random in the package: every random result must be reproducible from a seed.
 * @module
 */
import { assertInteger } from './validate.js';
import { allocate } from './multichannel.js';

/** Seeded generator of uniform, integer and normal draws. */
export class Rng {
  /** The seed it was created with (print it when a randomised test fails). */
  readonly seed: number;
  private s: number;
  private spare: number | null = null;

  /** @param seed any integer; the same seed gives the same sequence on every platform. */
  constructor(seed = 0) {
    assertInteger('Rng', 'seed', seed);
    this.seed = seed >>> 0;
    this.s = this.seed;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = -1, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** `n` uniform values in [lo, hi) (an array of 32 MiB or more lives on a SharedArrayBuffer, as the library allocates it). */
  array(n: number, lo = -1, hi = 1): Float64Array {
    const a = allocate('float64', n) as Float64Array;
    for (let i = 0; i < n; i++) a[i] = this.uniform(lo, hi);
    return a;
  }

  /** `n` standard normal values (an array of 32 MiB or more lives on a SharedArrayBuffer, as the library allocates it). */
  normals(n: number): Float64Array {
    const a = allocate('float64', n) as Float64Array;
    for (let i = 0; i < n; i++) a[i] = this.normal();
    return a;
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
