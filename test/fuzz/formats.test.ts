/**
 * Issue 24: the FLAC, GeoTIFF and Zarr readers under the seeded mutation fuzzer (test/fuzz/mutate.ts).
 * Budget per target: FUZZ_SECONDS (default 2 s); `npm run fuzz` runs 60 s each. FLAC and GeoTIFF
 * are asynchronous, so they run through {@link fuzzAsync}, the awaiting twin of `fuzzTarget` with the
 * same rules: every input parses or throws a pointwise error, within the time bound, and the result
 * stays within the stated budget (the readers get a small `maxBytes`, so a header that lies about
 * sizes must be refused rather than allocated).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPointwiseError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { decodeFlac } from '../../src/io/flac.js';
import { decodeGeoTiff } from '../../src/io/geotiff.js';
import { readZarr } from '../../src/io/zarr.js';
import { REPO_ROOT } from '../helpers/index.js';
import { type FuzzReport, fuzzBudgetMs, fuzzTarget, mutate, resultBytes } from './mutate.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures');
const seedFile = (rel: string) => new Uint8Array(fs.readFileSync(path.join(FIX, rel)));
const MAX = 4 << 20;

function save(name: string, bytes: Uint8Array): string {
  const dir = path.join(os.tmpdir(), 'pointwise-fuzz');
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, `${name}-${crypto.createHash('sha1').update(bytes).digest('hex').slice(0, 12)}.bin`);
  fs.writeFileSync(p, bytes);
  return p;
}

/** `fuzzTarget` for an async parser: seeds first, then seeded mutants until the budget is spent. */
async function fuzzAsync(name: string, seeds: Uint8Array[], parse: (b: Uint8Array) => Promise<unknown>, budgetMs: number, limitBytes: number, maxParseMs = 1000): Promise<FuzzReport> {
  const report: FuzzReport = { name, iterations: 0, parsed: 0, rejected: 0, errors: {}, slowestMs: 0 };
  const one = async (bytes: Uint8Array, label: string) => {
    const t0 = performance.now();
    let result: unknown;
    try {
      result = await parse(bytes);
      report.parsed++;
    } catch (e) {
      if (!isPointwiseError(e)) throw new Error(`fuzz ${name}: ${label}: threw a non-pointwise ${(e as Error)?.name}: ${(e as Error)?.message}\n  input saved to ${save(name, bytes)}\n  ${String((e as Error)?.stack).split('\n').slice(1, 4).join('\n  ')}`);
      report.rejected++;
      report.errors[(e as Error).name] = (report.errors[(e as Error).name] ?? 0) + 1;
    }
    const ms = performance.now() - t0;
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (ms > maxParseMs) throw new Error(`fuzz ${name}: ${label}: parse took ${ms.toFixed(0)} ms (> ${maxParseMs}); input saved to ${save(name, bytes)}`);
    const size = resultBytes(result);
    if (size > limitBytes) throw new Error(`fuzz ${name}: ${label}: result holds ${size} bytes (> ${limitBytes}); input saved to ${save(name, bytes)}`);
  };
  for (let i = 0; i < seeds.length; i++) await one(seeds[i], `seed ${i}`);
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < budgetMs; i++) {
    const rng = new Rng(1 + i);
    const which = rng.int(0, seeds.length - 1);
    const { bytes, ops } = mutate(seeds[which], rng);
    await one(bytes, `iteration ${i} (seed file ${which}, edits ${ops.join('+')})`);
    report.iterations++;
  }
  return report;
}

const budget = fuzzBudgetMs();
const timeout = budget * 3 + 30_000;
const tmp = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'pointwise-fuzz-zarr-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('fuzz: FLAC, GeoTIFF and Zarr readers reject hostile input with pointwise errors only', () => {
  it(`FLAC decodeFlac (${budget / 1000} s)`, async () => {
    const seeds = ['s16_stereo', 's24_3ch', 's8_mono', 's16_full', 's32_stereo'].map((n) => seedFile(`flac/${n}.flac`));
    const r = await fuzzAsync('flac', seeds, (b) => decodeFlac(b, { maxBytes: MAX }), budget, MAX);
    console.log(`[fuzz] flac: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(20);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);

  it(`GeoTIFF decodeGeoTiff (${budget / 1000} s)`, async () => {
    const seeds = ['envi_bands', 'plain', 'tiled_band'].map((n) => seedFile(`geotiff/${n}.tif`));
    const r = await fuzzAsync('geotiff', seeds, (b) => decodeGeoTiff(b, { maxBytes: MAX }), budget, MAX);
    console.log(`[fuzz] geotiff: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    expect(r.iterations).toBeGreaterThan(20);
    expect(r.rejected).toBeGreaterThan(0);
    expect(r.parsed).toBeGreaterThan(0);
  }, timeout);

  /** A copy of a fixture array whose file `rel` is replaced by the mutant, read back with readZarr. */
  function zarrTarget(name: string, array: string, rel: string): FuzzReport {
    const dir = path.join(tmp, name);
    fs.cpSync(path.join(FIX, 'zarr', array), dir, { recursive: true });
    const seed = new Uint8Array(fs.readFileSync(path.join(dir, rel)));
    const r = fuzzTarget(name, [seed], (b) => {
      fs.writeFileSync(path.join(dir, rel), b);
      return readZarr(dir, { maxBytes: MAX });
    }, budget / 4, { seed: 1, slackBytes: MAX, maxExpansion: 0 });
    console.log(`[fuzz] ${name}: ${r.iterations} mutants, ${r.parsed} parsed, ${r.rejected} rejected ${JSON.stringify(r.errors)}, slowest ${r.slowestMs.toFixed(1)} ms`);
    return r;
  }

  it(`Zarr metadata and chunks (${budget / 1000} s)`, () => {
    const reports = [
      zarrTarget('zarr-v2-meta', 'v2_cube.zarr', '.zarray'),
      zarrTarget('zarr-v3-meta', 'v3_cube.zarr', 'zarr.json'),
      zarrTarget('zarr-v2-chunk', 'v2_cube.zarr', '0.1.1'),
      zarrTarget('zarr-v3-chunk', 'v3_cube.zarr', 'c/0/1/0'),
      zarrTarget('zarr-blosc-lz4-chunk', 'v2_blosc_big.zarr', '0.0.0'),
      zarrTarget('zarr-blosc-zlib-chunk', 'v2_blosc_zlib.zarr', '0.0'),
      zarrTarget('zarr-sharded-meta', '../zarr-sharded/v3_sharded_cube.zarr', 'zarr.json'),
      zarrTarget('zarr-sharded-shard', '../zarr-sharded/v3_sharded_cube.zarr', 'c/0/0/0'),
      zarrTarget('zarr-sharded-start-shard', '../zarr-sharded/v3_sharded_i16_start.zarr', 'c/0/1'),
    ];
    for (const r of reports) {
      expect(r.iterations).toBeGreaterThan(20);
      expect(r.rejected).toBeGreaterThan(0);
    }
  }, timeout);
});
