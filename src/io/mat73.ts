/**
 * MATLAB v7.3 MAT-files (`save -v7.3`): HDF5 files with a 512-byte userblock holding the MAT header
 * text, read through {@link Hdf5File} into the same {@link MatFile} the level-5 reader returns.
 *
 * MATLAB's layout: each variable is a dataset with a `MATLAB_class` attribute; arrays are stored
 * with their dimensions reversed (HDF5 shape `[d_n, …, d_1]`, so HDF5's C order is MATLAB's column
 * order and `data` needs no reordering); complex arrays are the compound `{real, imag}`; char arrays
 * are uint16 UTF-16 code units (`data` holds the codes, as for level-5 files); logical arrays are
 * uint8; an empty array has `MATLAB_empty = 1` and stores its dimensions as data.
 *
 * Containers are flattened into `arrays` under MATLAB's own indexing syntax, and described in
 * `containers` (class, dims, field names):
 * - a scalar struct is a group (`MATLAB_class = 'struct'`) of its fields: `st.x` (nested `a.b.c`);
 * - a struct array is a group whose fields are datasets of object references into `#refs#`, one per
 *   element: element k (1-based, column-major) of field x is `sa(k).x`;
 * - a cell array is a dataset of object references (`MATLAB_class = 'cell'`): element k is `c{k}`
 *   (nested `c{3}{1}`, `st.cc{2}`, `sa(2).c{1}`);
 * - a sparse matrix is a group with `MATLAB_sparse` = its row count holding `data`, `ir` (row indices)
 *   and `jc` (column starts): read as a dense column-major array, refused (ShapeError) before any of
 *   it is read when the dense size exceeds `maxBytes`.
 * Cycles of references and nesting deeper than 32 are FormatErrors; at most 2^20 references are
 * followed per file. Objects and function handles are listed in `skipped`; MATLAB's internal groups
 * (`#refs#`, `#subsystem#`) are read only through references.
 * @module
 */
import * as fs from 'node:fs';
import { FormatError, ValueError, message } from '../core/errors.js';
import { fileError } from './atomic.js';
import { budgetOption, checkBudget } from './budget.js';
import { Hdf5File, hdf5SignatureOffset, type Hdf5AttrValue } from './hdf5.js';
import type { MatArray, MatClass, MatContainer, MatFile, MatReadOptions } from './mat.js';

/** Deepest nesting of cells and structs decoded. */
const MAX_DEPTH = 32;
/** Most object references one file may make the reader follow (cell elements and struct-array fields together). */
const MAX_REFERENCES = 1 << 20;

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
  const out: MatFile = { header, arrays: Object.create(null) as Record<string, MatArray>, skipped: [], containers: Object.create(null) as Record<string, MatContainer> };
  const containers = out.containers!;
  const where = ` (in ${JSON.stringify(path)})`;
  let left = maxBytes;
  let refsLeft = MAX_REFERENCES;
  /** The objects being decoded, outermost first: a reference back into them is a cycle. */
  const stack = new Set<string>();

  const numeric = (p: string, name: string, cls: string, attrs: Record<string, Hdf5AttrValue>): void => {
    const info = f.describe(p);
    if (attrs.MATLAB_empty !== undefined && attrs.MATLAB_empty !== 0) {
      out.arrays[name] = { name, class: cls as MatClass, dims: emptyDims(p), data: new Float64Array(0), complex: false };
      return;
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
  };

  /** The dimensions an empty array (MATLAB_empty = 1) stores as its data. */
  const emptyDims = (p: string): number[] => Array.from(f.readArray(p, { maxBytes: 8 * 64 + 8 }).data);

  /** The referenced objects of a reference dataset, counted against the file's reference budget. */
  const references = (p: string, name: string): { dims: number[]; paths: string[] } => {
    const { shape, paths } = f.readReferences(p, refsLeft);
    refsLeft -= paths.length;
    const dims = shape.length === 0 ? [1, 1] : shape.slice().reverse();
    if (dims.length === 1) dims.push(1);
    return {
      dims,
      paths: paths.map((q) => {
        if (q === null) throw new FormatError(message(fn, `every reference of ${JSON.stringify(name)} must point to an object`, { verbatim: `a null reference${where}` }));
        return q;
      }),
    };
  };

  const sparse = (p: string, name: string, cls: string, attrs: Record<string, Hdf5AttrValue>): void => {
    const rowsAttr = attrs.MATLAB_sparse;
    const rows = rowsAttr instanceof Float64Array && rowsAttr.length === 1 ? rowsAttr[0] : rowsAttr;
    if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 0) throw new FormatError(message(fn, `the sparse matrix ${JSON.stringify(name)} must give its row count in MATLAB_sparse`, { verbatim: `${String(rowsAttr)}${where}` }));
    if (cls !== 'double' && cls !== 'logical') throw new FormatError(message(fn, `the sparse matrix ${JSON.stringify(name)} must be double or logical`, { verbatim: `${cls}${where}` }));
    if (!f.has(`${p}/jc`)) throw new FormatError(message(fn, `the sparse matrix ${JSON.stringify(name)} must have jc (column starts)`, { verbatim: `missing${where}` }));
    const jcInfo = f.describe(`${p}/jc`);
    const cols = jcInfo.shape.reduce((q, n) => q * n, 1) - 1;
    if (cols < 0) throw new FormatError(message(fn, `jc of the sparse matrix ${JSON.stringify(name)} must hold ncols + 1 column starts`, { verbatim: `none${where}` }));
    // The dense result is what memory is taken for: refused here, before jc, ir or data are read.
    checkBudget(fn, `the sparse matrix ${JSON.stringify(name)} [${rows}, ${cols}] made dense`, maxBytes - left + rows * cols * 8, maxBytes, 'maxBytes');
    const jc = f.readArray(`${p}/jc`, { maxBytes: Math.max(1, left) }).data;
    const nnz = jc[cols];
    let ok = jc[0] === 0 && Number.isSafeInteger(nnz);
    for (let c = 0; c < cols && ok; c++) ok = Number.isSafeInteger(jc[c + 1]) && jc[c + 1] >= jc[c];
    if (!ok) throw new FormatError(message(fn, `jc of the sparse matrix ${JSON.stringify(name)} must be non-decreasing integers from 0`, { verbatim: `[${Array.from(jc.subarray(0, 8)).join(', ')}${jc.length > 8 ? ', …' : ''}]${where}` }));
    const dense = new Float64Array(rows * cols);
    const imag = complex === 'split' ? new Float64Array(rows * cols) : undefined;
    let isComplex = false;
    if (nnz > 0) {
      const part = (k: string): Float64Array => {
        if (!f.has(`${p}/${k}`)) throw new FormatError(message(fn, `the sparse matrix ${JSON.stringify(name)} with ${nnz} nonzeros must have ${k}`, { verbatim: `missing${where}` }));
        const a = f.readArray(`${p}/${k}`, { maxBytes: Math.max(1, left) });
        if (a.data.length !== nnz) throw new FormatError(message(fn, `${k} of the sparse matrix ${JSON.stringify(name)} must hold jc's ${nnz} nonzeros`, { verbatim: `${a.data.length}${where}` }));
        if (k === 'data' && a.imag !== undefined) {
          isComplex = true;
          if (complex === 'reject') throw new FormatError(message(fn, `${JSON.stringify(name)} is complex: pass complex: 'real' or 'split'`, { verbatim: `complex sparse${where}` }));
          if (imag) {
            for (let c = 0; c < cols; c++) for (let q = jc[c]; q < jc[c + 1]; q++) imag[irv[q] + c * rows] = a.imag[q];
          }
        }
        return a.data;
      };
      const irv = part('ir');
      for (let q = 0; q < nnz; q++) {
        if (!(Number.isInteger(irv[q]) && irv[q] >= 0 && irv[q] < rows)) throw new FormatError(message(fn, `ir of the sparse matrix ${JSON.stringify(name)} must hold row indices below ${rows}`, { verbatim: `${irv[q]} at ${q}${where}` }));
      }
      const data = part('data');
      for (let c = 0; c < cols; c++) for (let q = jc[c]; q < jc[c + 1]; q++) dense[irv[q] + c * rows] = data[q];
    }
    const bytes = dense.length * 8 * (isComplex && imag ? 2 : 1);
    checkBudget(fn, 'the decoded arrays', maxBytes - left + bytes, maxBytes, 'maxBytes');
    left -= bytes;
    const arr: MatArray = { name, class: cls as MatClass, dims: [rows, cols], data: dense, complex: isComplex };
    if (isComplex && imag) arr.imag = imag;
    out.arrays[name] = arr;
    containers[name] = { class: 'sparse', dims: [rows, cols], nnz };
  };

  const struct = (p: string, name: string, depth: number): void => {
    const keys = f.keys(p);
    const fieldAt = (k: string): string => (p === '/' ? k : `${p}/${k}`);
    // A struct array stores each field as references (one per element) with no MATLAB_class of its own.
    const isArray = keys.length > 0 && keys.every((k) => f.kind(fieldAt(k)) === 'dataset' && f.describe(fieldAt(k)).dtype === 'reference' && f.attrs(fieldAt(k)).MATLAB_class === undefined);
    if (!isArray) {
      containers[name] = { class: 'struct', dims: [1, 1], fields: keys };
      for (const k of keys) value(fieldAt(k), `${name}.${k}`, depth + 1);
      return;
    }
    const refs = keys.map((k) => references(fieldAt(k), `${name}.${k}`));
    const dims = refs[0].dims;
    if (refs.some((r) => r.dims.join() !== dims.join())) throw new FormatError(message(fn, `the fields of the struct array ${JSON.stringify(name)} must have one shape`, { verbatim: `${refs.map((r, i) => `${keys[i]} [${r.dims.join(', ')}]`).join(', ')}${where}` }));
    containers[name] = { class: 'struct', dims, fields: keys };
    refs[0].paths.forEach((_, i) => keys.forEach((k, j) => value(refs[j].paths[i], `${name}(${i + 1}).${k}`, depth + 1)));
  };

  const value = (p: string, name: string, depth: number): void => {
    if (depth > MAX_DEPTH) throw new FormatError(message(fn, `cells and structs must nest at most ${MAX_DEPTH} deep`, { verbatim: `${name}${where}` }));
    if (stack.has(p)) throw new FormatError(message(fn, 'references must not form a cycle', { verbatim: `${name} refers back to /${p}${where}` }));
    stack.add(p);
    try {
      const attrs = f.attrs(p);
      const cls = str(attrs.MATLAB_class) ?? '';
      if (f.kind(p) === 'group') {
        if (attrs.MATLAB_sparse !== undefined) sparse(p, name, cls, attrs);
        else if (cls === 'struct') struct(p, name, depth);
        else out.skipped.push({ name, class: cls || 'group' });
      } else if (cls === 'cell' || (cls === 'struct' && attrs.MATLAB_empty !== undefined)) {
        if (attrs.MATLAB_empty !== undefined && attrs.MATLAB_empty !== 0) {
          containers[name] = { class: cls, dims: emptyDims(p) };
          return;
        }
        const { dims, paths } = references(p, name);
        containers[name] = { class: 'cell', dims };
        paths.forEach((q, i) => value(q, `${name}{${i + 1}}`, depth + 1));
      } else if (NUMERIC.has(cls)) numeric(p, name, cls, attrs);
      else out.skipped.push({ name, class: cls || 'unknown' });
    } finally {
      stack.delete(p);
    }
  };

  try {
    for (const key of f.keys('/')) if (!key.startsWith('#')) value(key, key, 0);
  } finally {
    f.close();
  }
  return out;
}
