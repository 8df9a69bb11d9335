/**
 * Issue 24, bounded resources for the FLAC, GeoTIFF and Zarr readers: crafted files whose headers
 * declare far more data than they hold (test/io/crafted-formats.ts) are read by the BUILT package
 * (dist/, rebuilt when stale) in a fresh plain-node child process, which must finish within 2 s with
 * a pointwise error and stay under 256 MB of peak RSS — with the default budgets (2 GiB).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/run.js';
import { REPO_ROOT, tempDir } from '../helpers/index.js';
import { flacClaiming, tiff, zarrWithoutChunks } from './crafted-formats.js';

const DIST = path.join(REPO_ROOT, 'dist', 'src');
const CHILD = `
const [file, reader, optionsJson] = process.argv.slice(1);
const options = JSON.parse(optionsJson);
const { isPointwiseError } = require(${JSON.stringify(path.join(DIST, 'core/errors.js'))});
const io = require(${JSON.stringify(path.join(DIST, 'io/index.js'))});
(async () => {
  const t0 = performance.now();
  let outcome = 'ok', pointwise = true;
  try {
    if (reader === 'readFlac') await io.readFlac(file, options);
    else if (reader === 'readGeoTiff') await io.readGeoTiff(file, options);
    else io.readZarr(file, options);
  } catch (e) { pointwise = isPointwiseError(e); outcome = e.name + ': ' + e.message; }
  process.stdout.write(JSON.stringify({ outcome, pointwise, ms: performance.now() - t0, maxRss: process.resourceUsage().maxRSS * 1024 }) + '\\n');
})();
`;

interface Case {
  name: string;
  reader: 'readFlac' | 'readGeoTiff' | 'readZarr';
  make: (dir: string) => string;
  expect: RegExp;
  options?: Record<string, unknown>;
}
const file = (dir: string, name: string, bytes: Uint8Array) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};
const CASES: Case[] = [
  { name: 'FLAC declaring 2^27 stereo frames (2 GiB of float64) in 2.6 kB', reader: 'readFlac', make: (d) => file(d, 'a.flac', flacClaiming(2 ** 27 - 1)), expect: /FormatError: readFlac: STREAMINFO's frame count must fit/ },
  { name: 'FLAC declaring 2^36 − 1 frames', reader: 'readFlac', make: (d) => file(d, 'a.flac', flacClaiming(2 ** 36 - 1)), expect: /FormatError/ },
  { name: 'GeoTIFF 16384 × 16384 uncompressed in 100 bytes', reader: 'readGeoTiff', make: (d) => file(d, 'a.tif', tiff(16384, 16384, new Uint8Array(100))), expect: /FormatError: readGeoTiff: the image must store its pixels \(compression 1 expands at most 1×\)/ },
  { name: 'GeoTIFF 16000 × 16000 Deflate in 20 bytes', reader: 'readGeoTiff', make: (d) => file(d, 'a.tif', tiff(16000, 16000, new Uint8Array(20), { compression: 8 })), expect: /expands at most 1032×/ },
  { name: 'GeoTIFF 16000 × 16000 sparse (byte count 0)', reader: 'readGeoTiff', make: (d) => file(d, 'a.tif', tiff(16000, 16000, new Uint8Array(0), { byteCount: 0 })), expect: /pass allowSparse: true/ },
  { name: 'GeoTIFF 65535 × 65535 sparse with allowSparse: the budget refuses it', reader: 'readGeoTiff', options: { allowSparse: true }, make: (d) => file(d, 'a.tif', tiff(65535, 65535, new Uint8Array(0), { byteCount: 0 })), expect: /ShapeError: .*must fit in options.maxBytes/ },
  { name: 'Zarr [1, 20000, 20000] float64 without chunks (3.2 GB of fill value)', reader: 'readZarr', make: (d) => zarrWithoutChunks(path.join(d, 'a.zarr'), [1, 20000, 20000], [1, 1000, 1000]), expect: /ShapeError: readZarr: the result/ },
  { name: 'Zarr chunk of 2^40 elements', reader: 'readZarr', make: (d) => zarrWithoutChunks(path.join(d, 'a.zarr'), [1, 4, 4], [1, 2 ** 20, 2 ** 20]), expect: /ShapeError: readZarr: a decoded chunk/ },
];

describe('FLAC, GeoTIFF and Zarr readers on crafted inputs finish within 2 s and 256 MB peak RSS (built package, child process each)', () => {
  beforeAll(() => ensureBuilt(), 300_000);
  for (const c of CASES) {
    it(c.name, () => {
      const dir = tempDir('pointwise-bounded-');
      try {
        const target = c.make(dir);
        const r = spawnSync(process.execPath, ['-e', CHILD, target, c.reader, JSON.stringify(c.options ?? {})], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
        expect(r.status, `${r.signal ?? ''} ${r.stderr.slice(-2000)}`).toBe(0);
        const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { outcome: string; pointwise: boolean; ms: number; maxRss: number };
        console.log(`[bounded] ${c.name}: ${out.outcome.slice(0, 160)} — ${out.ms.toFixed(0)} ms, ${(out.maxRss / 2 ** 20).toFixed(0)} MB peak RSS`);
        expect(out.pointwise, out.outcome).toBe(true);
        expect(out.outcome).toMatch(c.expect);
        expect(out.ms).toBeLessThan(2000);
        expect(out.maxRss).toBeLessThan(256 * 2 ** 20);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
