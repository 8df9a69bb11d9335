/**
 * Crafted FLAC, GeoTIFF and Zarr inputs for the hostile-input tests (test/io/geotiff.test.ts,
 * test/io/hostile-formats-bounded.test.ts): files whose headers declare far more data than they hold.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/index.js';

/** A one-band uint8 classic TIFF (little endian) with one strip: the tags given, the strip bytes after them. */
export function tiff(width: number, height: number, strip: Uint8Array, opts: { compression?: number; byteCount?: number } = {}): Uint8Array {
  const tags: [number, number, number][] = [
    [256, 4, width], [257, 4, height], [258, 3, 8], [259, 3, opts.compression ?? 1], [262, 3, 1],
    [273, 4, 0], [277, 3, 1], [278, 4, height], [279, 4, opts.byteCount ?? strip.length], [284, 3, 1],
  ];
  const ifd = 8;
  const data = ifd + 2 + tags.length * 12 + 4;
  const out = new Uint8Array(data + strip.length);
  const dv = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  dv.setUint32(4, ifd, true);
  dv.setUint16(ifd, tags.length, true);
  tags.forEach(([tag, type, value], i) => {
    const at = ifd + 2 + i * 12;
    dv.setUint16(at, tag, true);
    dv.setUint16(at + 2, type, true);
    dv.setUint32(at + 4, 1, true);
    if (type === 3) dv.setUint16(at + 8, value, true);
    else dv.setUint32(at + 8, tag === 273 ? data : value, true);
  });
  out.set(strip, data);
  return out;
}

/** A fixture FLAC whose STREAMINFO declares `frames` frames (36-bit field). */
export function flacClaiming(frames: number): Uint8Array {
  const b = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/flac/s16_stereo.flac')));
  const hi = Math.floor(frames / 2 ** 32);
  const lo = frames >>> 0;
  b[8 + 13] = (b[8 + 13] & 0xf0) | (hi & 0x0f);
  b.set([lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff], 8 + 14);
  return b;
}

/** A v2 Zarr array folder of `shape` float64 with no chunk files (all fill value). */
export function zarrWithoutChunks(dir: string, shape: number[], chunks: number[], fill = 0): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '.zarray'), JSON.stringify({ zarr_format: 2, shape, chunks, dtype: '<f8', compressor: null, fill_value: fill, filters: null, order: 'C' }));
  return dir;
}
