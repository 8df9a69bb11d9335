/**
 * Raw RGBA → PNG bytes (pngjs), and writing them atomically.
 * @module
 */
import { PNG } from 'pngjs';
import { ArgumentTypeError, ShapeError, message } from '../core/errors.js';
import { assertInteger } from '../core/validate.js';
import { writeFileAtomicChecked } from './atomic.js';

/**
 * Encodes raw pixels as a PNG file in memory.
 *
 * @param rgba - `width × height × 4` bytes, row-major from the top-left, R, G, B, A per pixel.
 * @returns the PNG bytes (8-bit RGBA, deflate-compressed).
 * @throws ShapeError when `rgba.length !== width × height × 4`; ValueError for a non-integer or
 *   non-positive size; ArgumentTypeError when `rgba` is not a Uint8Array / Uint8ClampedArray.
 * Complexity O(width·height).
 * @example
 * const px = new Uint8Array(2 * 2 * 4).fill(255);
 * const bytes = encodePng(px, 2, 2); // starts with 0x89 'PNG'
 */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  const fn = 'encodePng';
  if (!(rgba instanceof Uint8Array || rgba instanceof Uint8ClampedArray)) {
    throw new ArgumentTypeError(message(fn, 'rgba must be a Uint8Array or Uint8ClampedArray', rgba));
  }
  assertInteger(fn, 'width', width, 1);
  assertInteger(fn, 'height', height, 1);
  if (rgba.length !== width * height * 4) {
    throw new ShapeError(message(fn, `rgba.length must equal width × height × 4 = ${width * height * 4}`, rgba.length));
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  const out = PNG.sync.write(png);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Encodes raw RGBA pixels as PNG (see {@link encodePng}) and writes the file atomically
 * (temporary file, fsync, rename).
 * @throws as {@link encodePng}; FileError when the folder does not exist or is not writable.
 * @example writePng('/tmp/red.png', new Uint8Array([255, 0, 0, 255]), 1, 1);
 */
export function writePng(path: string, rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): void {
  writeFileAtomicChecked('writePng', path, encodePng(rgba, width, height));
}

/** Decodes PNG bytes to RGBA (for tests and for checking rendered figures). */
export function decodePng(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}
