/**
 * Zarr cross-check with an independent implementation: zarrita (npm, ESM-only, a dev dependency
 * only) reads every fixture and every array writeZarr writes, and writes v3 arrays readZarr reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import * as zarr from 'zarrita';
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { readZarr, writeZarr } from '../../src/io/zarr.js';
import { REPO_ROOT, Rng, tempDir } from '../helpers/index.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/zarr');

/** zarrita's read of the array at `dir`, in C order whatever strides zarrita returns (F-order arrays). */
async function zarritaRead(dir: string): Promise<{ shape: number[]; data: Float64Array }> {
  const arr = await zarr.open(zarr.root(new FileSystemStore(dir)), { kind: 'array' });
  const v = await zarr.get(arr);
  const src = v.data as unknown as ArrayLike<number | bigint>;
  const n = v.shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  const idx = v.shape.map(() => 0);
  for (let i = 0; i < n; i++) {
    let o = 0;
    for (let d = 0; d < idx.length; d++) o += idx[d] * v.stride[d];
    out[i] = Number(src[o]);
    for (let d = idx.length - 1; d >= 0 && ++idx[d] === v.shape[d]; d--) idx[d] = 0;
  }
  return { shape: v.shape, data: out };
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(Number(a[i]), Number(b[i]))) expect(Number(a[i]), `index ${i}`).toBe(Number(b[i]));
}

describe('zarrita reads what readZarr reads', () => {
  const names = fs.readdirSync(FIX).filter((n) => n.endsWith('.zarr') && n !== 'v2_blosc_bitshuffle.zarr');
  for (const n of names) {
    it(n, async () => {
      const z = await zarritaRead(path.join(FIX, n));
      const x = readZarr(path.join(FIX, n));
      expect(z.shape.reduce((a, b) => a * b, 1)).toBe(x.data.length);
      sameValues(x.data, z.data);
    });
  }
});

describe('zarrita reads what writeZarr writes', () => {
  const rng = new Rng(31);
  const x = Multichannel.zeros(3, 11 * 6, { shape: [11, 6] });
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal();
  for (const [name, opts] of [
    ['v2 zlib', { chunks: [2, 4, 5] }],
    ['v2 gzip', { compressor: 'gzip', chunks: [3, 11, 6] }],
    ['v3 gzip', { zarrFormat: 3, chunks: [2, 3, 4] }],
    ['v3 none float32', { zarrFormat: 3, compressor: 'none', dataType: 'float32', chunks: [1, 5, 6] }],
  ] as const) {
    it(name, async () => {
      const dir = tempDir();
      try {
        writeZarr(path.join(dir, 'a.zarr'), x, opts);
        const z = await zarritaRead(path.join(dir, 'a.zarr'));
        expect(z.shape).toEqual([3, 11, 6]);
        sameValues(z.data, 'dataType' in opts ? Float32Array.from(x.data) : x.data);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('readZarr reads what zarrita writes (v3)', () => {
  it('float64 [2, 7, 5] in [1, 3, 2] chunks', async () => {
    const dir = tempDir();
    try {
      const store = new FileSystemStore(path.join(dir, 'z.zarr'));
      const arr = await zarr.create(zarr.root(store), { shape: [2, 7, 5], chunkShape: [1, 3, 2], dtype: 'float64' });
      const values = Float64Array.from({ length: 70 }, (_, i) => i * 1.5 - 20);
      await zarr.set(arr, null, { data: values, shape: [2, 7, 5], stride: [35, 5, 1] });
      const x = readZarr(path.join(dir, 'z.zarr'));
      expect(x.shape).toEqual([7, 5]);
      sameValues(x.data, values);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
