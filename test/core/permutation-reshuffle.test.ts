import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random.js';

describe('Rng.permutation as a reshuffle', () => {
  it('gathering an array through permutation(n) equals an in-place Fisher–Yates with the same draws (seeds 0–19, n 1–40)', () => {
    for (let seed = 0; seed < 20; seed++) {
      for (let n = 1; n <= 40; n++) {
        const start = new Rng(1000 + seed).normals(n);
        const inPlace = start.slice();
        const a = new Rng(seed);
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(a.next() * (i + 1));
          const t = inPlace[i];
          inPlace[i] = inPlace[j];
          inPlace[j] = t;
        }
        const b = new Rng(seed);
        const p = b.permutation(n);
        const gathered = Array.from(p, (k) => start[k]);
        expect(gathered).toEqual(Array.from(inPlace));
        expect(b.next(), 'the stream continues at the same draw').toBe(a.next());
      }
    }
  });
});
