/**
 * Issue 24: the HDF5 / NetCDF-4 reader and writer and MATLAB v7.3 through readMat, against the
 * values h5py and netCDF4 read from the fixtures of scripts/fixtures/make_hdf5.py.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileError, FormatError, ShapeError, ValueError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { Hdf5File, hdf5SignatureOffset, listHdf5, loadHdf5, openHdf5, readHdf5, writeHdf5 } from '../../src/io/hdf5.js';
import { decodeMat, readMat, readMatAsync } from '../../src/io/mat.js';
import { REPO_ROOT, expectPointwiseError, flat, tempDir } from '../helpers/index.js';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'hdf5');
const fx = (n: string): string => path.join(DIR, n);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const EXP: any = JSON.parse(fs.readFileSync(fx('expected.json'), 'utf8'));

describe('HDF5 reader: values identical to h5py', () => {
  it('lists groups, datasets and attributes of the cube file', async () => {
    const entries = await listHdf5(fx('cube.h5'));
    expect(entries.map((e) => e.path).sort()).toEqual(EXP.cube.paths);
    const cube = entries.find((e) => e.path === 'cube')!;
    expect(cube).toMatchObject({ kind: 'dataset', shape: [6, 5, 4], dtype: 'float32' });
    expect(Array.from(cube.attrs.wavelength as Float64Array)).toEqual(EXP.cube.cube.attrs.wavelength);
    expect(cube.attrs.units).toBe('nm');
    expect(cube.attrs.gain).toBe(0.5);
    expect(entries.find((e) => e.path === 'meta')!.attrs.sensor).toBe('test sensor');
    expect(entries.find((e) => e.path === 'meta/counts')).toMatchObject({ shape: [3, 4], dtype: 'int16' });
  });

  it('reads the cube into a Multichannel (channels on axis 0, float32 kept, image shape, wavelengths)', async () => {
    const x = await readHdf5(fx('cube.h5'), 'cube');
    expect([x.channels, x.length, x.dtype]).toEqual([6, 20, 'float32']);
    expect(x.shape).toEqual([5, 4]);
    expect(Array.from(x.data)).toEqual(Array.from(flat(EXP.cube.cube.values)));
    expect(x.coords?.name).toBe('wavelength');
    expect(Array.from(x.coords!.values)).toEqual(EXP.cube.cube.attrs.wavelength);
  });

  it('chooses the channel axis: axis 2 of [6, 5, 4] gives 4 channels of 30 samples in C order', async () => {
    const x = await readHdf5(fx('cube.h5'), 'cube', { channelAxis: -1 });
    const v = EXP.cube.cube.values as number[][][];
    expect([x.channels, x.length]).toEqual([4, 30]);
    expect(x.shape).toEqual([6, 5]);
    for (let c = 0; c < 4; c++) for (let b = 0; b < 6; b++) for (let r = 0; r < 5; r++) expect(x.data[c * 30 + b * 5 + r]).toBe(v[b][r][c]);
  });

  it('reads a hyperslab: bands 1–2, rows 0–1, all columns', async () => {
    const f = await openHdf5(fx('cube.h5'));
    try {
      const a = f.readArray('cube', { slice: [[1, 3], [0, 2]] });
      const v = EXP.cube.cube.values as number[][][];
      expect(a.shape).toEqual([2, 2, 4]);
      const want: number[] = [];
      for (let b = 1; b < 3; b++) for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) want.push(v[b][r][c]);
      expect(Array.from(a.data)).toEqual(want);
      expectPointwiseError(() => f.readArray('cube', { slice: [[0, 7]] }), ValueError, /slice\[0\] must be \[start, end\) with 0 ≤ start ≤ end ≤ 6/);
      expectPointwiseError(() => f.readArray('cube', { maxBytes: 100 }), ShapeError, /maxBytes/);
      expectPointwiseError(() => f.read('nothere'), ValueError, /"nothere" must name a group or dataset/);
      expect(Array.from(f.readArray('meta/counts').data)).toEqual(Array.from(flat(EXP.cube['meta/counts'].values)));
    } finally {
      f.close();
    }
  });

  it('reads NetCDF-4 variables and global attributes', async () => {
    const f = await openHdf5(fx('netcdf4.nc'));
    try {
      expect(f.attrs('/').title).toBe(EXP.netcdf4.title);
      const t = f.readArray('temp');
      expect(t.shape).toEqual([8, 3]);
      expect(Array.from(t.data)).toEqual(Array.from(flat(EXP.netcdf4.temp.values)));
      expect(t.attrs.units).toBe('degC');
      const x = f.read('temp', { channelAxis: 1 });
      expect([x.channels, x.length]).toEqual([3, 8]);
      expect(x.data[1 * 8 + 5]).toBe(EXP.netcdf4.temp.values[5][1]);
    } finally {
      f.close();
    }
  });
});

describe('HDF5 writer: round trips are bit-exact', () => {
  it('writes float64 audio with rate and labels, float32 cubes with wavelengths, and reads them back', async () => {
    const dir = tempDir('pointwise-h5-');
    const file = path.join(dir, 'rt.h5');
    const a = new Multichannel(Float64Array.from({ length: 3 * 50 }, (_, i) => Math.sin(i * 0.37) / 3 + i * 1e-17), 3, 50, { sampleRate: 44100, labels: ['l', 'c', 'r'] });
    const b = new Multichannel(Float32Array.from({ length: 4 * 6 }, (_, i) => Math.fround(i / 7)), 4, 6, { shape: [2, 3], coords: { name: 'wavelength', unit: 'nm', width: 1, values: Float64Array.of(400, 500, 600, 700) } });
    await writeHdf5(file, 'audio', a);
    await writeHdf5(file, 'group/cube', b, { mode: 'a', attrs: { note: 'x', k: 2 } });
    const ra = await readHdf5(file, 'audio');
    const rb = await readHdf5(file, 'group/cube');
    expect(Buffer.from(ra.data.buffer, ra.data.byteOffset, ra.data.byteLength).equals(Buffer.from(a.data.buffer))).toBe(true);
    expect([ra.channels, ra.length, ra.sampleRate, ra.labels]).toEqual([3, 50, 44100, ['l', 'c', 'r']]);
    expect(rb.dtype).toBe('float32');
    expect(Array.from(rb.data)).toEqual(Array.from(b.data));
    expect(rb.shape).toEqual([2, 3]);
    expect(Array.from(rb.coords!.values)).toEqual([400, 500, 600, 700]);
    const part = await readHdf5(file, 'group/cube', { slice: [[1, 3]] });
    expect(Array.from(part.coords!.values)).toEqual([500, 600]);
    expect(Array.from(part.data)).toEqual(Array.from(b.data.subarray(6, 18)));
    const lab = await readHdf5(file, 'audio', { slice: [[2, 3], [10, 20]] });
    expect([lab.labels, lab.length, lab.data[0]]).toEqual([['r'], 10, a.data[2 * 50 + 10]]);
    expect((await listHdf5(file)).find((e) => e.path === 'group/cube')!.attrs.note).toBe('x');
    await expect(writeHdf5(file, 'audio', a, { mode: 'a' })).rejects.toThrow(FormatError);
    await expect(writeHdf5(file, '../x', a)).rejects.toThrow(ValueError);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('MATLAB v7.3 through readMat', () => {
  const E = EXP.matlab73;
  it('readMatAsync reads classes, transposed storage, complex, char and struct fields', async () => {
    const m = await readMatAsync(fx('matlab73.mat'), { complex: 'split' });
    expect(m.header).toBe(E.header);
    expect(m.arrays.A).toMatchObject({ class: 'double', dims: [3, 4] });
    expect(Array.from(m.arrays.A.data)).toEqual(E.A.data);
    expect(m.arrays.Z).toMatchObject({ class: 'double', dims: [2, 3], complex: true });
    expect(Array.from(m.arrays.Z.data)).toEqual(E.Z.data);
    expect(Array.from(m.arrays.Z.imag!)).toEqual(E.Z.imag);
    expect(m.arrays.I).toMatchObject({ class: 'int32', dims: [2, 3] });
    expect(Array.from(m.arrays.I.data)).toEqual(E.I.data);
    expect(m.arrays.s).toMatchObject({ class: 'char', dims: [1, 12] });
    expect(String.fromCharCode(...m.arrays.s.data)).toBe(E.s.text);
    expect(Array.from(m.arrays['st.x'].data)).toEqual(E['st.x'].data);
    expect(m.arrays['st.x'].dims).toEqual([1, 3]);
    expect(m.arrays['st.n']).toMatchObject({ class: 'uint8', dims: [1, 1] });
    expect(Array.from(m.arrays['st.n'].data)).toEqual([7]);
  });

  it('readMat (sync) reads v7.3 once loaded; complex is rejected by default; decodeMat on bytes says to use readMat', async () => {
    await loadHdf5();
    expectPointwiseError(() => readMat(fx('matlab73.mat')), FormatError, /"Z" is complex/);
    expect(readMat(fx('matlab73.mat'), { complex: 'real' }).arrays.A.dims).toEqual([3, 4]);
    expectPointwiseError(() => decodeMat(new Uint8Array(fs.readFileSync(fx('matlab73.mat')))), FormatError, /read the file with readMat or readMatAsync/);
    expect(hdf5SignatureOffset(new Uint8Array(fs.readFileSync(fx('matlab73.mat'))).subarray(0, 1024))).toBe(512);
  });
});

/** The file with every 'OHDR'/'TREE'/'HEAP'/'SNOD' signature after the superblock overwritten: it opens, its objects do not read. */
function corruptAfterSuperblock(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  for (let i = 96; i + 4 <= out.length; i++) {
    const tag = String.fromCharCode(out[i], out[i + 1], out[i + 2], out[i + 3]);
    if (tag === 'TREE' || tag === 'SNOD' || tag === 'OHDR' || tag === 'HEAP') out.fill(0x58, i, i + 4);
  }
  return out;
}

describe('HDF5 reader: hostile files give FormatError or FileError', () => {
  let dir: string;
  beforeAll(async () => {
    await loadHdf5();
    dir = tempDir('pointwise-h5-bad-');
  });
  it.each([
    ['garbage', () => Buffer.from('not an hdf5 file at all\n'.repeat(10))],
    ['truncated', (b: Buffer) => b.subarray(0, 3000)],
    ['empty', () => Buffer.alloc(0)],
    ['signature only', (b: Buffer) => b.subarray(0, 8)],
  ])('%s', async (name, make) => {
    await loadHdf5();
    const p = path.join(dir, `${name}.h5`);
    fs.writeFileSync(p, make(fs.readFileSync(fx('cube.h5'))));
    expectPointwiseError(() => Hdf5File.openSync(p), FormatError, /opening the file must succeed on a valid HDF5 file/);
  });
  it('a missing file is a FileError; a truncated v7.3 MAT-file is a FormatError', async () => {
    await loadHdf5();
    expect(() => Hdf5File.openSync(path.join(dir, 'missing.h5'))).toThrow(FileError);
    const p = path.join(dir, 'cut.mat');
    fs.writeFileSync(p, fs.readFileSync(fx('matlab73.mat')).subarray(0, 2000));
    await expect(readMatAsync(p)).rejects.toThrow(FormatError);
  });
  it('a failed open leaves nothing behind: the same path, rewritten, opens with its new content', async () => {
    await loadHdf5();
    const p = path.join(dir, 'reopen.h5');
    fs.writeFileSync(p, fs.readFileSync(fx('cube.h5')).subarray(0, 3000));
    expectPointwiseError(() => Hdf5File.openSync(p), FormatError, /must succeed on a valid HDF5 file/);
    fs.copyFileSync(fx('netcdf4.nc'), p);
    const f = Hdf5File.openSync(p);
    expect(f.keys()).toContain('temp');
    f.close();
  });
  it('after a library error the instance is retired: sync calls say so, the async readers restart it and read fresh files correctly', async () => {
    await loadHdf5();
    const p = path.join(dir, 'swap.h5');
    // The cube with its dataset's object header damaged: the file opens, reading 'cube' fails.
    const bytes = new Uint8Array(fs.readFileSync(fx('cube.h5')));
    const f0 = Hdf5File.openSync(fx('cube.h5'));
    f0.close();
    fs.writeFileSync(p, corruptAfterSuperblock(bytes));
    const f = Hdf5File.openSync(p);
    expect(() => f.list()).toThrow(FormatError);
    f.close();
    expectPointwiseError(() => Hdf5File.openSync(fx('cube.h5')), FormatError, /must be restarted after an HDF5 error: await loadHdf5\(\)/);
    fs.copyFileSync(fx('netcdf4.nc'), p);
    expect((await listHdf5(p)).map((e) => e.path)).toContain('temp');
  });
});
