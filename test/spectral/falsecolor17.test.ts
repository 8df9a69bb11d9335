/**
 * writeFalseColorPng enlarges small cubes by nearest neighbour: an integer `scale`, or a target
 * `size` for the longer side (largest integer factor that fits).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { falseColor, writeFalseColorPng } from '../../src/spectral/index.js';
import { decodePng } from '../../src/io/png.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { ValueError } from '../../src/core/errors.js';
import { Rng, expectPointwiseError, sharedData, tempDir } from '../helpers/index.js';
import { readEnvi } from '../../src/spectral/index.js';

const rng = new Rng(170);
const cube = new Multichannel(rng.array(3 * 2 * 3), 3, 6, { shape: [2, 3] }); // 2 rows × 3 cols
const dir = tempDir('pointwise-fc17-');

/** Every pixel (r, c) of `big` equals pixel (floor(r / f), floor(c / f)) of `small`. */
function expectBlocks(big: { rgba: Uint8Array; width: number; height: number }, small: { rgba: Uint8Array; width: number; height: number }, f: number): void {
  expect([big.width, big.height]).toEqual([small.width * f, small.height * f]);
  let first = '';
  for (let r = 0; r < big.height && !first; r++) {
    for (let c = 0; c < big.width && !first; c++) {
      const s = (Math.floor(r / f) * small.width + Math.floor(c / f)) * 4;
      const b = (r * big.width + c) * 4;
      for (let j = 0; j < 4; j++) if (big.rgba[b + j] !== small.rgba[s + j]) first = `pixel (${r}, ${c}) byte ${j}: ${big.rgba[b + j]} ≠ ${small.rgba[s + j]}`;
    }
  }
  expect(first, 'first pixel that is not its block\'s source').toBe('');
}

describe('writeFalseColorPng upscaling', () => {
  const small = falseColor(cube, [0, 1, 2]);

  it('scale: 4 writes a 12 × 8 PNG whose 4 × 4 blocks are the original pixels', () => {
    const file = path.join(dir, 'x4.png');
    const img = writeFalseColorPng(file, cube, [0, 1, 2], { scale: 4 });
    expectBlocks(img, small, 4);
    const back = decodePng(fs.readFileSync(file));
    expectBlocks(back, small, 4);
  });

  it('size: 20 picks the largest integer factor whose longer side fits (3 cols → factor 6, 18 × 12)', () => {
    const img = writeFalseColorPng(path.join(dir, 's20.png'), cube, [0, 1, 2], { size: 20 });
    expectBlocks(img, small, 6);
    const tiny = writeFalseColorPng(path.join(dir, 's2.png'), cube, [0, 1, 2], { size: 2 });
    expectBlocks(tiny, small, 1);
  });

  it('the default writes the cube at its own size', () => {
    expectBlocks(writeFalseColorPng(path.join(dir, 'x1.png'), cube, [0, 1, 2]), small, 1);
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['scale 0', () => writeFalseColorPng(path.join(dir, 'b.png'), cube, [0, 1, 2], { scale: 0 }), /^writeFalseColorPng: options.scale must be an integer in \[1, 64\]; got 0/],
    ['scale 2.5', () => writeFalseColorPng(path.join(dir, 'b.png'), cube, [0, 1, 2], { scale: 2.5 }), /^writeFalseColorPng: options.scale must be an integer/],
    ['size and scale', () => writeFalseColorPng(path.join(dir, 'b.png'), cube, [0, 1, 2], { scale: 2, size: 100 }), /^writeFalseColorPng: give options.scale or options.size, not both; got scale 2, size 100/],
    ['size -1', () => writeFalseColorPng(path.join(dir, 'b.png'), cube, [0, 1, 2], { size: -1 }), /^writeFalseColorPng: options.size must be an integer/],
  ];
  for (const [label, f, re] of bad) {
    it(`rejects ${label} and writes nothing`, () => {
      expectPointwiseError(f, ValueError, re, label);
      expect(fs.existsSync(path.join(dir, 'b.png'))).toBe(false);
    });
  }

  const hdr = sharedData('hyperspectral/moffett_bil_i16_be.hdr');
  it.skipIf(!hdr)('Moffett (50 × 50) at size 400 becomes 400 × 400', () => {
    const m = readEnvi(hdr!);
    const img = writeFalseColorPng(path.join(dir, 'moffett.png'), m, [30, 20, 10], { size: 400 });
    expect([img.width, img.height]).toEqual([400, 400]);
    expectBlocks(img, falseColor(m, [30, 20, 10]), 8);
  });
});
