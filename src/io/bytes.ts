/**
 * Random access to the bytes of a file on disk, for readers whose decoders ask for byte ranges
 * (FLAC frames, GeoTIFF tiles): the file is opened once, each read takes only the bytes asked for.
 * @module
 */
import * as fs from 'node:fs';
import { FileError, message } from '../core/errors.js';
import { fileError } from './atomic.js';

/** An open file's bytes: `size`, `read(offset, n)` (fewer than n only at the end) and `close()`. */
export interface FileBytes {
  readonly size: number;
  read(offset: number, n: number): Uint8Array;
  close(): void;
}

/**
 * Opens `filePath` for reading byte ranges. Errors name `fn`.
 * @throws FileError when the path is empty, missing, unreadable or a folder, or when a read fails
 *   or comes after `close()`.
 */
export function openFileBytes(fn: string, filePath: string): FileBytes {
  if (typeof filePath !== 'string' || filePath.length === 0) throw new FileError(message(fn, 'the path must be a non-empty string', filePath));
  let fd: number | null;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch (err) {
    throw fileError(fn, 'the file must exist and be readable', filePath, err);
  }
  const st = fs.fstatSync(fd);
  if (st.isDirectory()) {
    fs.closeSync(fd);
    throw new FileError(message(fn, 'the path must be a file', { verbatim: `${JSON.stringify(filePath)} (it is a folder)` }), 'EISDIR');
  }
  const size = st.size;
  return {
    size,
    read(offset, n) {
      if (fd === null) throw new FileError(message(fn, 'the reader must be open (not closed)', filePath));
      const len = Math.max(0, Math.min(n, size - offset));
      const buf = new Uint8Array(len);
      let got = 0;
      try {
        while (got < len) {
          const r = fs.readSync(fd, buf, got, len - got, offset + got);
          if (r === 0) break;
          got += r;
        }
      } catch (err) {
        throw fileError(fn, 'the file must be readable', filePath, err);
      }
      return got === len ? buf : buf.subarray(0, got);
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}
