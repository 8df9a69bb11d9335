/**
 * Issue 24: SOFA (AES69) impulse responses and receiver geometry, against the values netCDF4 wrote
 * into the fixtures of scripts/fixtures/make_hdf5.py; the array response feeds delayAndSum and srpPhat.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { delayAndSum } from '../../src/beamform/das.js';
import { directionGrid, srpPhat } from '../../src/beamform/localize.js';
import { convolve } from '../../src/convolve/index.js';
import { point } from '../../src/beamform/geometry.js';
import { Hdf5File, loadHdf5, writeHdf5 } from '../../src/io/hdf5.js';
import { readSofa, sofaFromHdf5 } from '../../src/io/sofa.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { REPO_ROOT, expectClose, expectPointwiseError, flat, tempDir } from '../helpers/index.js';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'hdf5');
const fx = (n: string): string => path.join(DIR, n);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const EXP: any = JSON.parse(fs.readFileSync(fx('expected.json'), 'utf8'));

describe('readSofa', () => {
  it('SimpleFreeFieldHRIR: impulse responses per measurement, ears as geometry, spherical sources to cartesian', async () => {
    const E = EXP.hrir;
    const s = await readSofa(fx('hrir.sofa'));
    expect([s.conventions, s.dataType, s.sampleRate, s.measurements, s.receivers, s.emitters, s.samples]).toEqual([E.conventions, 'FIR', E.sampleRate, E.M, E.R, 1, E.N]);
    expect(s.attributes.RoomType).toBe(E.roomType);
    for (let m = 0; m < E.M; m++) {
      const h = s.ir(m);
      expect([h.channels, h.length, h.sampleRate]).toEqual([E.R, E.N, E.sampleRate]);
      expect(Array.from(h.data)).toEqual(Array.from(flat(E.ir[m])));
    }
    expect(Array.from(s.geometry.positions)).toEqual(Array.from(flat(E.receiverCartesian)));
    expect(s.geometry.sampleRate).toBe(E.sampleRate);
    expect([s.source.type, s.source.units, s.source.perMeasurement, s.source.count]).toEqual(['spherical', E.sourceUnits, true, E.M]);
    expectClose(s.source.cartesian, flat(E.sourceCartesian), { atol: 1e-15 });
  });

  it('SingleRoomSRIR: spherical receivers become a cartesian ArrayGeometry, listener and sources carried', async () => {
    const E = EXP.srir;
    const s = await readSofa(fx('srir.sofa'));
    expect([s.conventions, s.sampleRate, s.receivers, s.samples]).toEqual([E.conventions, E.sampleRate, E.R, E.N]);
    expect(s.receiver.type).toBe('spherical');
    expectClose(s.geometry.positions, flat(E.receiverCartesian), { atol: 1e-15 });
    expect(Array.from(s.source.cartesian)).toEqual(Array.from(flat(E.sourceCartesian)));
    expect(Array.from(s.listener.cartesian)).toEqual(Array.from(flat(E.listenerPosition)));
    expect(Array.from(s.ir(1).data)).toEqual(Array.from(flat(E.ir[1])));
  });

  it('the array response goes straight into delayAndSum', async () => {
    const s = await readSofa(fx('srir.sofa'));
    const y = delayAndSum(s.ir(0), s.geometry, point(2, 1, 0.5));
    expect([y.channels, y.length, y.sampleRate]).toEqual([1, s.samples, s.sampleRate]);
    expect(y.data.every(Number.isFinite)).toBe(true);
  });

  it('and into convolve and srpPhat: a dry signal through the measured responses, localised over a direction grid', async () => {
    const s = await readSofa(fx('srir.sofa'));
    const dry = new Multichannel(Float64Array.from({ length: 2048 }, (_, t) => Math.sin(t * 0.3) * Math.exp(-t / 700)), 1, 2048, { sampleRate: s.sampleRate });
    const rec = convolve(dry, s.ir(0));
    expect([rec.channels, rec.length, rec.sampleRate]).toEqual([s.receivers, 2048 + s.samples - 1, s.sampleRate]);
    const r = srpPhat(rec, s.geometry, directionGrid(Array.from({ length: 36 }, (_, i) => i * 10)));
    expect(r.map.length).toBe(36);
    expect(r.map.every(Number.isFinite)).toBe(true);
  });

  it('rejects HDF5 files that are not SOFA FIR data with FormatError', async () => {
    await loadHdf5();
    const dir = tempDir('pointwise-sofa-');
    const p = path.join(dir, 'plain.h5');
    await writeHdf5(p, 'x', Multichannel.zeros(2, 4));
    const f = Hdf5File.openSync(p);
    try {
      expectPointwiseError(() => sofaFromHdf5(f), FormatError, /Conventions = 'SOFA'/);
    } finally {
      f.close();
    }
    await expect(readSofa(fx('cube.h5'))).rejects.toThrow(FormatError);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('readSofa on fuzzer regressions', () => {
  it('a SOFA file whose DIMENSION_LIST attribute (vlen of references) is corrupt is read in bounded time (the reader skips such attributes)', async () => {
    const dir = tempDir('pointwise-sofa-fz-');
    const p = path.join(dir, 'x.sofa');
    fs.copyFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'fuzz', 'sofa-vlen-attribute-hang.bin'), p);
    const t0 = performance.now();
    const outcome = await readSofa(p).then((s) => `read ${s.receivers} receivers`, (e: Error) => e.name);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(['FormatError', 'read 4 receivers']).toContain(outcome);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
