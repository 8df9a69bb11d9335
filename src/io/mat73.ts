/**
 * MATLAB v7.3 MAT-files (`save -v7.3`): HDF5 files with a 512-byte userblock holding the MAT header
 * text, read through {@link Hdf5File} into the same {@link MatFile} the level-5 reader returns.
 *
 * MATLAB's layout: each variable is a dataset with a `MATLAB_class` attribute; arrays are stored
 * with their dimensions reversed (HDF5 shape `[d_n, …, d_1]`, so HDF5's C order is MATLAB's column
 * order and `data` needs no reordering); complex arrays are the compound `{real, imag}`; char arrays
 * are uint16 UTF-16 code units (`data` holds the codes, as for level-5 files); logical arrays are
 * uint8; an empty array has `MATLAB_empty = 1` and stores its dimensions as data. A struct is a group
 * (`MATLAB_class = 'struct'`) whose fields are read as `struct.field` (nested: `a.b.c`). Cell arrays,
 * struct arrays, sparse matrices, objects and function handles are listed in `skipped`; MATLAB's
 * internal groups (`#refs#`, `#subsystem#`) are ignored.
 * @module
 */
import * as fs from 'node:fs';
import { FormatError, ValueError, message } from '../core/errors.js';
import { fileError } from './atomic.js';
import { budgetOption, checkBudget } from './budget.js';
import { Hdf5File, hdf5SignatureOffset } from './hdf5.js';
import type { MatArray, MatClass, MatFile, MatReadOptions } from './mat.js';

const NUMERIC: ReadonlySet<string> = new Set(['double', 'single', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'logical', 'char']);

/**
 * True when `head` (the first bytes of a file, at least 128) is a MATLAB v7.3 MAT-file: version
 * 0x0200 in the MAT header, or an HDF5 signature after a 512-byte userblock whose text starts 'MATLAB'.
 * @example isMat73Header(fs.readFileSync('data73.mat').subarray(0, 1032)) // true
 */
export function isMat73Header(head: Uint8Array): boolean {
  if (head.length < 128) return false;
  const text = String.fromCharCode(...head.subarray(0, 6));
  const ind = String.fromCharCode(head[126], head[127]);
  const version = ind === 'IM' ? head[124] | (head[125] << 8) : ind === 'MI' ? (head[124] << 8) | head[125] : -1;
  return text === 'MATLAB' && (version === 0x0200 || hdf5SignatureOffset(head) === 512);
}

/** The header text (116 bytes, trimmed) of the file at `path`. */
function headerText(path: string): string {
  const fd = fs.openSync(path, 'r');
  try {
    const b = Buffer.alloc(116);
    const n = fs.readSync(fd, b, 0, 116, 0);
    return b.subarray(0, n).toString('latin1').replace(/[\s\0]+$/, '');
  } finally {
    fs.closeSync(fd);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Reads a MATLAB v7.3 MAT-file (h5wasm must be loaded: `await loadHdf5()`, or use `readMatAsync`).
 * Options as for `readMat` (`complex`, `maxBytes`; the file's own compression is inflated by HDF5
 * chunk by chunk, and the decoded arrays count against `maxBytes`).
 * @throws FormatError for a file that is not HDF5, corrupt objects, or complex data with `complex: 'reject'`; FileError when unreadable; ShapeError beyond `maxBytes`.
 * @example await loadHdf5(); readMat73('data73.mat').arrays.A.dims // [3, 4]
 */
export function readMat73(path: string, options: MatReadOptions = {}): MatFile {
  const fn = 'readMat';
  const complex = options.complex ?? 'reject';
  if (complex !== 'reject' && complex !== 'real' && complex !== 'split') throw new ValueError(message(fn, "options.complex must be 'reject', 'real' or 'split'", complex));
  const maxBytes = budgetOption(fn, 'maxBytes', options.maxBytes);
  let header: string;
  try {
    header = headerText(path);
  } catch (err) {
    throw fileError(fn, 'read', path, err);
  }
  const f = Hdf5File.openSync(path);
  const out: MatFile = { header, arrays: Object.create(null) as Record<string, MatArray>, skipped: [] };
  let left = maxBytes;
  try {
    const visit = (group: string, prefix: string, depth: number): void => {
      if (depth > 32) throw new FormatError(message(fn, 'structs must nest at most 32 deep', { verbatim: `${prefix} (in ${JSON.stringify(path)})` }));
      for (const key of f.keys(group)) {
        if (depth === 0 && key.startsWith('#')) continue;
        const p = group === '/' ? key : `${group}/${key}`;
        const name = prefix + key;
        const attrs = f.attrs(p);
        const cls = str(attrs.MATLAB_class) ?? '';
        if (f.kind(p) === 'group') {
          if (cls === 'struct' && attrs.MATLAB_fields === undefined) visit(p, `${name}.`, depth + 1);
          else out.skipped.push({ name, class: cls || 'group' });
          continue;
        }
        if (!NUMERIC.has(cls) || attrs.MATLAB_sparse !== undefined) {
          out.skipped.push({ name, class: attrs.MATLAB_sparse !== undefined ? 'sparse' : cls || 'unknown' });
          continue;
        }
        const info = f.describe(p);
        if (attrs.MATLAB_empty !== undefined && attrs.MATLAB_empty !== 0) {
          const dims = f.readArray(p, { maxBytes: 8 * 64 + 8 }).data;
          out.arrays[name] = { name, class: cls as MatClass, dims: Array.from(dims), data: new Float64Array(0), complex: false };
          continue;
        }
        const a = f.readArray(p, { maxBytes: Math.max(1, left) });
        const isComplex = a.imag !== undefined;
        if (isComplex && complex === 'reject') throw new FormatError(message(fn, `${JSON.stringify(name)} is complex: pass complex: 'real' or 'split'`, { verbatim: info.dtype }));
        const bytes = a.data.length * 8 * (isComplex && complex === 'split' ? 2 : 1);
        checkBudget(fn, 'the decoded arrays', maxBytes - left + bytes, maxBytes, 'maxBytes');
        left -= bytes;
        const dims = info.shape.length === 0 ? [1, 1] : info.shape.slice().reverse();
        if (dims.length === 1) dims.push(1);
        const arr: MatArray = { name, class: cls as MatClass, dims, data: a.data, complex: isComplex };
        if (isComplex && complex === 'split') arr.imag = a.imag;
        out.arrays[name] = arr;
      }
    };
    visit('/', '', 0);
  } finally {
    f.close();
  }
  return out;
}
