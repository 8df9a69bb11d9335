/**
 * `pointwise info` on FLAC, GeoTIFF and Zarr (the built bin, plain `node`), and the package's
 * ESM-only dependencies (geotiff, @wasm-audio-decoders/flac) loading through the CommonJS build's
 * dynamic `import()` from a plain `node` process.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';

const p = (rel: string) => path.join(REPO_ROOT, 'test/fixtures', rel);

beforeAll(() => {
  ensureBuilt();
}, 300_000);

describe('pointwise info: FLAC, GeoTIFF, Zarr', () => {
  it('FLAC: channels, rate, bits, per-channel levels', () => {
    const r = cli(['info', p('flac/s16_full.flac'), '--json']);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ kind: 'flac', channels: 1, length: 160, sampleRate: 16000, wavFormat: 'pcm16' });
    expect(s.levels[0].peak).toBe(1);
    expect(cli(['info', p('flac/s24_3ch.flac')]).stdout).toMatch(/kind {8}FLAC \(pcm24\)/);
  });

  it('GeoTIFF: bands, [rows, cols], stored type, nodata, EPSG, wavelengths in nm', () => {
    const s = JSON.parse(cli(['info', p('geotiff/envi_bands.tif'), '--json']).stdout);
    expect(s).toMatchObject({ kind: 'geotiff', channels: 4, length: 63, shape: [4, 7, 9], layout: { dataType: 'float32', nodata: -9999, epsg: 32633 } });
    expect(s.wavelengths).toEqual({ min: 450, max: 865, unit: 'nm', count: 4 });
  });

  it('Zarr v2 and v3 folders (with or without a trailing slash)', () => {
    const a = JSON.parse(cli(['info', `${p('zarr/v2_cube.zarr')}/`, '--json']).stdout);
    expect(a).toMatchObject({ kind: 'zarr', channels: 5, shape: [5, 13, 11], layout: { zarrFormat: 2, compressor: 'zlib', block: [2, 4, 4] } });
    const b = JSON.parse(cli(['info', p('zarr/v2_be_f.zarr'), '--json']).stdout);
    expect(b).toMatchObject({ channels: 3, length: 50, sampleRate: 8000, layout: { dataType: 'int16' } });
    expect(cli(['info', p('zarr/v3_cube.zarr')]).stdout).toMatch(/Zarr v3 array/);
  });

  it('unsupported variants are clean errors (exit 2, one line); 32-bit FLAC is read', () => {
    const r = cli(['info', p('zarr/missing.zarr')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pointwise info: ZarrReader.open: the Zarr array folder must exist; got .*missing\.zarr" \(it does not exist\)\n$/);
    expect(cli(['info', p('flac/s32_mono.flac')]).stdout).toMatch(/kind {8}FLAC \(pcm32\)/);
  });
});

describe('the CommonJS build loads the ESM-only decoders with import()', () => {
  it('plain node: require(dist) then await readFlac / readGeoTiff', () => {
    const code = `const pw = require(${JSON.stringify(path.join(REPO_ROOT, 'dist/src/index.js'))});
      (async () => {
        const a = await pw.readFlac(${JSON.stringify(p('flac/s16_stereo.flac'))});
        const b = await pw.readGeoTiff(${JSON.stringify(p('geotiff/plain.tif'))});
        const c = pw.readZarr(${JSON.stringify(p('zarr/v3_i32_be.zarr'))});
        console.log(JSON.stringify([a.channels, a.length, a.sampleRate, b.shape, b.data[14], c.length]));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([2, 2205, 44100, [3, 5], 238, 21]);
  });
});
