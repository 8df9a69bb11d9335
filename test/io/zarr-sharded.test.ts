/**
 * Sharded Zarr v3 arrays (the sharding_indexed codec) against hand-written fixtures
 * (scripts/fixtures/make_zarr_sharded.py) whose values numpy saved and which zarrita, an independent
 * reader, reads the same: whole reads, line ranges that touch only the shard indexes and inner chunks
 * they need, and corrupt indexes as FormatErrors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileSystemStore } from '@zarrita/storage';
import * as zarr from 'zarrita';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { readNpy } from '../../src/io/npy.js';
import { ZarrReader, readZarr } from '../../src/io/zarr.js';
import { REPO_ROOT, expectPointwiseError, removeTempDirs, tempDir } from '../helpers/index.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/zarr-sharded');
afterAll(() => removeTempDirs());

async function zarritaValues(dir: string): Promise<number[]> {
  const arr = await zarr.open(zarr.root(new FileSystemStore(dir)), { kind: 'array' });
  const v = await zarr.get(arr);
  return Array.from(v.data as unknown as ArrayLike<number>, Number);
}

describe('sharded Zarr v3', () => {
  it.each(['v3_sharded_cube', 'v3_sharded_i16_start'])('%s: readZarr gives numpy\u2019s values, as zarrita does', async (name) => {
    const want = Array.from(readNpy(path.join(FIX, `${name}.npy`)).data);
    const dir = path.join(FIX, `${name}.zarr`);
    // zarrita 0.7 reads the index from the end whatever index_location says, so it checks the 'end' fixture only
    if (name === 'v3_sharded_cube') expect(await zarritaValues(dir)).toEqual(want);
    const x = readZarr(dir);
    expect(Array.from(x.data)).toEqual(want);
    if (name === 'v3_sharded_cube') {
      expect([x.channels, x.shape]).toEqual([4, [10, 12]]);
      expect(Array.from(x.coords!.values)).toEqual([450, 550, 650, 850]);
    } else expect([x.channels, x.length, x.sampleRate]).toEqual([3, 50, 8000]);
  });

  it('a line range reads only the shard indexes and the inner chunks it overlaps', () => {
    const dir = path.join(FIX, 'v3_sharded_cube.zarr');
    const r = ZarrReader.open(dir);
    expect(r.info.shard).toEqual({ shape: [2, 8, 8], indexLocation: 'end', checksum: true });
    expect(r.info.chunks).toEqual([1, 4, 4]);
    const lines = r.readLines(4, 2); // rows 4–5: inner chunk row 1 of the first shard row, all bands and columns
    const all = readZarr(dir);
    for (let b = 0; b < 4; b++) expect(Array.from(lines.data.subarray(b * 24, b * 24 + 24))).toEqual(Array.from(all.data.subarray(b * 120 + 48, b * 120 + 72)));
    // rows 4–5 lie in inner-chunk row 1: 4 bands × 3 column chunks = 12 inner chunks, from 4 of the 7 shard files
    expect(r.chunksRead).toBe(12);
    const whole = ZarrReader.open(dir);
    whole.readLines(0, 10);
    expect(whole.chunksRead).toBe(36 - 1 - 2); // less the empty chunk and the two of the missing shard
    expect(r.bytesRead).toBeLessThan(whole.bytesRead / 2);
  });

  it('a corrupt shard index (checksum, entry past the end, truncated shard) is a FormatError', () => {
    const src = path.join(FIX, 'v3_sharded_cube.zarr');
    const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
      ['checksum', (b) => { const c = Buffer.from(b); c[c.length - 10] ^= 1; return c; }, /each shard index must match its crc32c/],
      ['truncated', (b) => b.subarray(0, 40), /each shard must hold its 132-byte index/],
    ];
    for (const [what, mutate, pattern] of cases) {
      const dir = path.join(tempDir('pointwise-shard-'), 'a.zarr');
      fs.cpSync(src, dir, { recursive: true });
      const shard = path.join(dir, 'c/0/0/0');
      fs.writeFileSync(shard, mutate(fs.readFileSync(shard)));
      expectPointwiseError(() => readZarr(dir), FormatError, pattern, what);
    }
    // an index entry pointing past the end of the shard (checksum off so the index is taken as it is)
    const dir = path.join(tempDir('pointwise-shard-'), 'b.zarr');
    fs.cpSync(path.join(FIX, 'v3_sharded_i16_start.zarr'), dir, { recursive: true });
    const shard = path.join(dir, 'c/0/0');
    const b = Buffer.from(fs.readFileSync(shard));
    b.writeBigUInt64LE(10n ** 12n, 0);
    fs.writeFileSync(shard, b);
    expectPointwiseError(() => readZarr(dir), FormatError, /each shard index entry must lie inside its shard/);
  });
});
