/**
 * SOFA positions in room coordinates (AES69: receivers in the listener's frame given by
 * ListenerPosition/View/Up, emitters in the source's), and DataType 'TF' files, against fixtures
 * written with netCDF4 and the values numpy computes for them (scripts/fixtures/make_sofa_more.py).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import { readSofa } from '../../src/io/sofa.js';
import { REPO_ROOT, expectClose, expectPointwiseError } from '../helpers/index.js';

const fx = (name: string) => path.join(REPO_ROOT, 'test/fixtures/hdf5', name);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const E: any = JSON.parse(fs.readFileSync(fx('sofa_more.json'), 'utf8'));
const flat = (rows: number[][]) => rows.flat();

describe('SOFA receivers and emitters in room coordinates', () => {
  it('receivers turn with ListenerView/ListenerUp and move with ListenerPosition, per measurement', async () => {
    const s = await readSofa(fx('rotated_srir.sofa'));
    expectClose(s.geometry.positions, flat(E.rotated.receiversListener), { atol: 1e-15 });
    for (let m = 0; m < 2; m++) expectClose(s.receiversInRoom(m), flat(E.rotated.receiversRoom[m]), { atol: 1e-14, label: `measurement ${m}` });
    const g = s.roomGeometry(1);
    expect(g.sampleRate).toBe(8000);
    expectClose(g.positions, flat(E.rotated.receiversRoom[1]), { atol: 1e-14 });
  });

  it('emitters turn with SourceView/SourceUp', async () => {
    const s = await readSofa(fx('rotated_srir.sofa'));
    expectClose(s.emittersInRoom(0)!, flat(E.rotated.emittersRoom), { atol: 1e-14 });
  });

  it('with the room-aligned view of the existing fixtures, room coordinates are the listener position plus the stored ones', async () => {
    const s = await readSofa(fx('srir.sofa'));
    const room = s.receiversInRoom(1);
    const local = s.receiver.cartesian;
    expectClose(room, Array.from(local, (v, i) => v + [0.5, 0.5, 1.4][i % 3]), { atol: 1e-15 });
    expectPointwiseError(() => s.receiversInRoom(2), ValueError, /m must be a measurement index in \[0, 1\]/);
  });
});

describe('SOFA transfer functions (DataType TF)', () => {
  it('tf(m): real and imaginary parts per receiver and bin, with the bin frequencies', async () => {
    const s = await readSofa(fx('tf.sofa'));
    expect(s).toMatchObject({ dataType: 'TF', conventions: 'SimpleFreeFieldTF', measurements: 3, receivers: 2, samples: 5 });
    expect(Number.isNaN(s.sampleRate)).toBe(true);
    for (let m = 0; m < 3; m++) {
      const { real, imag, frequencies } = s.tf(m);
      expect([real.channels, real.length]).toEqual([2, 5]);
      expect(Array.from(real.data)).toEqual(flat(E.tf.real[m]));
      expect(Array.from(imag.data)).toEqual(flat(E.tf.imag[m]));
      expect(Array.from(frequencies)).toEqual(E.tf.frequencies);
    }
    expectPointwiseError(() => s.ir(0), ValueError, /SofaFile.ir: the file must hold impulse responses \(DataType FIR\); read TF data with tf\(m\)/);
    const fir = await readSofa(fx('hrir.sofa'));
    expectPointwiseError(() => fir.tf(0), ValueError, /SofaFile.tf: the file must hold transfer functions/);
  });
});
