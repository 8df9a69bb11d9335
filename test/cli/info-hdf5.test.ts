/**
 * Issue 24: `pointwise info` on HDF5, NetCDF-4, MATLAB v7.3 and SOFA files (the built bin), and a
 * one-line error with exit code 2 for a corrupt .h5.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';

const fx = (n: string): string => path.join(REPO_ROOT, 'test', 'fixtures', 'hdf5', n);
beforeAll(() => ensureBuilt());

describe('pointwise info: HDF5 family', () => {
  it('lists the datasets of an HDF5 cube and of a NetCDF-4 file', () => {
    const r = cli(['info', fx('cube.h5'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { kind: string; variables: { name: string; shape: number[]; dtype: string }[] };
    expect(s.kind).toBe('hdf5');
    expect(s.variables).toEqual([{ name: 'cube', shape: [6, 5, 4], dtype: 'float32' }, { name: 'meta/counts', shape: [3, 4], dtype: 'int16' }]);
    const n = JSON.parse(cli(['info', fx('netcdf4.nc'), '--json']).stdout) as { variables: { name: string }[] };
    expect(n.variables.map((v) => v.name)).toContain('temp');
  });
  it('reads a MATLAB v7.3 file like a v5 one', () => {
    const r = cli(['info', fx('matlab73.mat'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { kind: string; variables: { name: string; shape: number[]; dtype: string }[] };
    expect(s.variables.find((v) => v.name === 'Z')).toEqual({ name: 'Z', shape: [2, 3], dtype: 'complex double' });
    expect(s.variables.find((v) => v.name === 'st.x')).toEqual({ name: 'st.x', shape: [1, 3], dtype: 'double' });
  });
  it('summarises a SOFA file: conventions, receivers, samples, rate', () => {
    const r = cli(['info', fx('hrir.sofa'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { kind: string; channels: number; length: number; sampleRate: number; sofa: { conventions: string; measurements: number } };
    expect([s.kind, s.channels, s.length, s.sampleRate, s.sofa.conventions, s.sofa.measurements]).toEqual(['sofa', 2, 32, 48000, 'SimpleFreeFieldHRIR', 4]);
  });
  it('a corrupt .h5 is one line on stderr and exit code 2', () => {
    const dir = tempDir('pointwise-cli-h5-');
    fs.writeFileSync(path.join(dir, 'bad.h5'), fs.readFileSync(fx('cube.h5')).subarray(0, 1000));
    const r = cli(['info', path.join(dir, 'bad.h5')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pointwise info: Hdf5File.openSync: opening the file must succeed/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
