/**
 * The syrk kernel sweeps a block in sub-blocks of pixels (tile_first / tile_mid / tile_last keep
 * the partial sums in memory between them): the Gram sums must be the very bits of the whole-block
 * tile and of the JavaScript kernel, however the block is cut.
 */
import { describe, expect, it } from 'vitest';
import { SYRK_SUB_BLOCK, wasmSyrk } from '../../src/linalg/syrk-wasm.js';
import { syrkUpper } from '../../src/linalg/products.js';
import { Rng } from '../helpers/index.js';

function gram(k: NonNullable<ReturnType<typeof wasmSyrk>>, x: Float64Array, B: number, P: number, sub: number, blocks: number): Float64Array {
  expect(k.begin(B, P)).toBe(true);
  for (let r = 0; r < blocks; r++) {
    for (let p = 0; p < P; p++) for (let b = 0; b < B; b++) k.xt[p * k.stride + b] = x[(r * B + b) * P + p];
    k.addBlock(P, sub);
  }
  const G = new Float64Array(B * B);
  k.addUpperTo(G);
  return G;
}

describe('syrk sub-blocks: same bits as the whole block', () => {
  const k = wasmSyrk();
  it('the kernel loads', () => expect(k).not.toBeNull());
  for (const [B, P] of [[7, 131], [200, 256], [103, 2 * SYRK_SUB_BLOCK + 1], [4, 3]] as const) {
    it(`${B} bands × ${P} pixels, two blocks, sub-blocks of 1, 2, 5, 64 and P`, () => {
      const rng = new Rng(B * 1000 + P);
      const x = Float64Array.from(rng.normals(2 * B * P), (v, i) => v * (i % 3 === 0 ? 1e6 : 1e-3));
      const whole = gram(k!, x, B, P, P, 2);
      // the JavaScript kernel, block by block (band-major blocks)
      const G = new Float64Array(B * B);
      for (let r = 0; r < 2; r++) syrkUpper(x.subarray(r * B * P, (r + 1) * B * P), B, P, G);
      for (let i = 0; i < B; i++) for (let j = i; j < B; j++) expect(Object.is(whole[i * B + j], G[i * B + j])).toBe(true);
      for (const sub of [1, 2, 5, SYRK_SUB_BLOCK]) {
        const cut = gram(k!, x, B, P, sub, 2);
        let differ = -1;
        for (let i = 0; i < B && differ < 0; i++) for (let j = i; j < B; j++) if (!Object.is(cut[i * B + j], whole[i * B + j])) { differ = i * B + j; break; }
        expect(differ, `sub-blocks of ${sub}`).toBe(-1);
      }
    });
  }
});
