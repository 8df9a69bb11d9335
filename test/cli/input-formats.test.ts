/**
 * The commands beyond `info` read every input format through files.ts's `readInput`: FLAC, HDF5 /
 * NetCDF-4 (`--dataset`, `--channels-axis`), SOFA (`--measurement`), MATLAB v7.3, GeoTIFF and Zarr.
 * Each case runs the built bin on the new format and on the same values as WAV or NPY, and asserts
 * the outputs are identical; the error cases assert the message lists what is accepted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { readNpy, readWav, writeHdf5, writeNpy, writeWav, readMatAsync, matToMultichannel } from '../../src/io/index.js';
import { readSofa } from '../../src/io/sofa.js';
import { convolve } from '../../src/convolve/index.js';
import { REPO_ROOT, removeTempDirs, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';

const fx = (rel: string) => path.join(REPO_ROOT, 'test/fixtures', rel);
let dir = '';
const at = (name: string) => path.join(dir, name);

function ok(args: string[]): string {
  const r = cli(args);
  if (r.status !== 0) throw new Error(`pointwise ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function seeded(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

beforeAll(async () => {
  ensureBuilt();
  dir = tempDir('pointwise-inputs-');
  // a 4-microphone recording, as WAV (float64, exact) and as HDF5 [samples, channels] with its rate
  const C = 4, T = 800;
  const x = new Multichannel(seeded(C * T, 7), C, T, { sampleRate: 16000 });
  writeWav(at('array.wav'), x, { format: 'float64' });
  const xt = new Float64Array(C * T);
  for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) xt[t * C + c] = x.data[c * T + t];
  await writeHdf5(at('array.h5'), 'rec/audio', new Multichannel(xt, T, C), { attrs: { sample_rate: 16000 } });
  await writeHdf5(at('array.h5'), 'rec/gain', new Multichannel(Float64Array.of(1, 2), 1, 2), { mode: 'a' });
  fs.writeFileSync(at('geometry.json'), JSON.stringify({ microphones: [[0, 0, 0], [0.05, 0, 0], [0.1, 0, 0], [0.15, 0, 0]], units: 'm', speedOfSound: 343 }));
  writeWav(at('mono.wav'), new Multichannel(seeded(100, 3), 1, 100, { sampleRate: 48000 }), { format: 'float64' });
  writeNpy(at('kernel.npy'), new Multichannel(Float64Array.of(0.5, -0.25, 0.125), 1, 3));
  // the HDF5 fixture cube [6 bands, 5, 4] as NPY
  const { readHdf5 } = await import('../../src/io/index.js');
  writeNpy(at('cube.npy'), await readHdf5(fx('hdf5/cube.h5'), 'cube'));
}, 300_000);

afterAll(() => removeTempDirs());

describe('signal commands read FLAC, HDF5 / NetCDF-4 and SOFA', () => {
  it('convolve: a FLAC signal gives what its reference WAV gives', () => {
    ok(['convolve', fx('flac/s16_stereo.flac'), at('kernel.npy'), '-o', at('flac.npy')]);
    ok(['convolve', fx('flac/s16_stereo.ref.wav'), at('kernel.npy'), '--no-stream', '-o', at('ref.npy')]);
    const a = readNpy(at('flac.npy')), b = readNpy(at('ref.npy'));
    expect([a.channels, a.length]).toEqual([b.channels, b.length]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('convolve: a SOFA kernel is the impulse responses of --measurement (receivers as channels)', async () => {
    const s = await readSofa(fx('hdf5/hrir.sofa'));
    const x = readWav(at('mono.wav'));
    expect(x.sampleRate).toBe(s.sampleRate);
    const stdout = ok(['convolve', at('mono.wav'), fx('hdf5/hrir.sofa'), '--measurement', '2', '-o', at('binaural.npy')]);
    expect(stdout).toMatch(/with \[2, 32\]/);
    const y = readNpy(at('binaural.npy'));
    const want = convolve(x, s.ir(2));
    expect(y.channels).toBe(2);
    expect(Array.from(y.data)).toEqual(Array.from(want.data));
  });

  it('convolve: a SOFA file of several measurements without --measurement names the range', () => {
    const r = cli(['convolve', at('mono.wav'), fx('hdf5/hrir.sofa'), '-o', at('x.npy')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the kernel .*hrir\.sofa holds 4 measurements \(SimpleFreeFieldHRIR\): give --measurement 0…3/);
    expect(cli(['convolve', at('mono.wav'), fx('hdf5/hrir.sofa'), '--measurement', '4', '-o', at('x.npy')]).stderr).toMatch(/--measurement must be below the 4 measurements/);
  });

  it('beamform: an HDF5 dataset [samples, channels] with --channels-axis 1 gives what the WAV gives', () => {
    ok(['beamform', at('array.wav'), '--geometry', at('geometry.json'), '--direction', '30', '--format', 'float64', '-o', at('beam_wav.wav')]);
    ok(['beamform', at('array.h5'), '--dataset', '/rec/audio', '--channels-axis', '1', '--geometry', at('geometry.json'), '--direction', '30', '--format', 'float64', '-o', at('beam_h5.wav')]);
    const a = readWav(at('beam_wav.wav')), b = readWav(at('beam_h5.wav'));
    expect(b.sampleRate).toBe(16000);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('beamform / localize: an HDF5 file with several datasets and no --dataset lists them', () => {
    for (const cmd of [['beamform', '--direction', '0', '-o', at('b.wav')], ['localize']]) {
      const r = cli([cmd[0], at('array.h5'), '--geometry', at('geometry.json'), ...cmd.slice(1)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/the recording .*array\.h5 holds 2 numeric datasets: give --dataset with one of \/rec\/audio \[800, 4\] float64, \/rec\/gain \[1, 2\] float64/);
    }
  });

  it('localize: the HDF5 recording gives the peaks the WAV gives', () => {
    const a = JSON.parse(ok(['localize', at('array.wav'), '--geometry', at('geometry.json'), '--json']));
    const b = JSON.parse(ok(['localize', at('array.h5'), '--dataset', 'rec/audio', '--channels-axis', '-1', '--geometry', at('geometry.json'), '--json']));
    expect(b.peaks).toEqual(a.peaks);
  });

  it('mix: NetCDF-4 picks its only data variable (coordinates skipped); channels on axis 1', async () => {
    fs.writeFileSync(at('w.json'), JSON.stringify([[1, 1, 1]]));
    ok(['mix', fx('hdf5/netcdf4.nc'), '--channels-axis', '1', '--weights', at('w.json'), '-o', at('sum.npy')]);
    const y = readNpy(at('sum.npy'));
    const { readHdf5 } = await import('../../src/io/index.js');
    const t = await readHdf5(fx('hdf5/netcdf4.nc'), 'temp', { channelAxis: 1 });
    expect([y.channels, y.length]).toEqual([1, 8]);
    expect(Array.from(y.data)).toEqual(Array.from({ length: 8 }, (_, i) => t.data[i] + t.data[8 + i] + t.data[16 + i]));
  });

  it('a classic NetCDF-3 file is refused with the conversion to use', () => {
    fs.writeFileSync(at('classic.nc'), Buffer.concat([Buffer.from('CDF\x01', 'latin1'), Buffer.alloc(60)]));
    const r = cli(['mix', at('classic.nc'), '--weights', at('w.json'), '-o', at('m.npy')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/classic\.nc is a classic NetCDF \(version 3\) file, which is not HDF5: convert it with `nccopy -k nc4 in\.nc out\.nc`/);
  });

  it('options that do not fit the input, and formats that are not signals, are usage errors listing the formats', () => {
    let r = cli(['mix', at('array.wav'), '--dataset', 'x', '--weights', at('w.json'), '-o', at('m.npy')]);
    expect(r.stderr).toMatch(/--dataset applies only to \.h5\/\.hdf5\/\.nc input; got .*array\.wav/);
    r = cli(['mix', fx('geotiff/plain.tif'), '--weights', at('w.json'), '-o', at('m.npy')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the input must be a signal in one of: \.wav, \.flac, \.npy, \.h5\/\.hdf5\/\.nc \(HDF5, NetCDF-4: --dataset, --channels-axis\), \.sofa \(--measurement\), a \.zarr folder \(v2 or v3\); got .*plain\.tif" \(\.tif\/\.tiff\)/);
    r = cli(['convolve', at('array.wav'), at('kernel.npy'), '--channels-axis', '1', '-o', at('c.npy')]);
    expect(r.stderr).toMatch(/--channels-axis applies only to HDF5 \/ NetCDF-4 input/);
  });
});

describe('cube commands read HDF5, MATLAB v7.3, GeoTIFF and Zarr', () => {
  const scores = (args: string[], out: string): Multichannel => {
    ok(['pca', ...args, '-k', '2', '-o', at(out)]);
    return readNpy(at(out));
  };

  it('pca: an HDF5 dataset gives the scores its NPY copy gives; several datasets need --dataset', () => {
    const r = cli(['pca', fx('hdf5/cube.h5'), '-k', '2']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the cube .*cube\.h5 holds 2 numeric datasets: give --dataset with one of \/cube \[6, 5, 4\] float32, \/meta\/counts \[3, 4\] int16/);
    const a = scores([fx('hdf5/cube.h5'), '--dataset', '/cube'], 'h5.npy');
    const b = scores([at('cube.npy')], 'npy.npy');
    expect(a.shape).toEqual([5, 4]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('pca: GeoTIFF and Zarr cubes give the scores of their reference arrays', () => {
    const cases: [string, string][] = [
      ['geotiff/envi_bands.tif', 'geotiff/envi_bands.npy'],
      ['zarr/v2_cube.zarr', 'zarr/v2_cube.npy'],
      ['zarr/v3_cube.zarr', 'zarr/v3_cube.npy'],
    ];
    for (const [file, ref] of cases) {
      const x = readNpy(fx(ref));
      const shape = x.shape ?? (x as unknown as { dims: number[] }).dims.slice(1);
      writeNpy(at('ref.npy'), new Multichannel(Float64Array.from(x.data), x.channels, x.length, { shape: [shape[0], shape[1]] }));
      const a = scores([fx(file)], 'a.npy');
      const b = scores([at('ref.npy')], 'b.npy');
      expect(a.shape, file).toEqual(b.shape);
      expect(Array.from(a.data), file).toEqual(Array.from(b.data));
    }
  });

  it('pca: a MATLAB v7.3 file is read like a v5 one (the variable and grid reported)', async () => {
    const stdout = ok(['pca', fx('hdf5/matlab73.mat'), '--var', 'A', '--shape', '1,4', '-k', '1', '-o', at('m.npy')]);
    expect(stdout).toMatch(/read A from .*matlab73\.mat: 3 bands × 4 pixels, 1 × 4 grid from --shape/);
    const m = await readMatAsync(fx('hdf5/matlab73.mat'), { complex: 'real' });
    writeNpy(at('A.npy'), matToMultichannel(m.arrays.A, { imageShape: [1, 4] }));
    ok(['pca', at('A.npy'), '-k', '1', '-o', at('mref.npy')]);
    expect(Array.from(readNpy(at('m.npy')).data)).toEqual(Array.from(readNpy(at('mref.npy')).data));
  });

  it('project: a Zarr cube gives the codes its NPY copy gives', () => {
    const x = readNpy(fx('zarr/v2_cube.npy'));
    writeNpy(at('zref.npy'), new Multichannel(Float64Array.from(x.data), x.channels, x.length, { shape: [13, 11] }));
    ok(['project', fx('zarr/v2_cube.zarr'), '-k', '2', '--epochs', '3', '-o', at('pz.npy')]);
    ok(['project', at('zref.npy'), '-k', '2', '--epochs', '3', '-o', at('pn.npy')]);
    expect(Array.from(readNpy(at('pz.npy')).data)).toEqual(Array.from(readNpy(at('pn.npy')).data));
  });

  it('--var on a non-.mat cube and --measurement on a cube command are refused', () => {
    expect(cli(['pca', fx('hdf5/cube.h5'), '--var', 'x', '-k', '1']).stderr).toMatch(/--var applies only to \.mat cubes/);
    expect(cli(['pca', fx('hdf5/cube.h5'), '--measurement', '1', '-k', '1']).stderr).toMatch(/unknown option '--measurement'/);
  });
});

describe('pca --save / --model read the new formats too', () => {
  it('a model saved from a Zarr cube applies with --model to the Zarr cube and to its NPY copy alike', () => {
    ok(['pca', fx('zarr/v3_cube.zarr'), '-k', '2', '--save', at('zm.npz')]);
    ok(['pca', '--model', at('zm.npz'), fx('zarr/v3_cube.zarr'), '-o', at('zs.npy')]);
    const x = readNpy(fx('zarr/v3_cube.npy'));
    writeNpy(at('z3.npy'), new Multichannel(Float64Array.from(x.data), x.channels, x.length, { shape: [x.shape?.[0] ?? 0, x.shape?.[1] ?? 0] }));
    ok(['pca', '--model', at('zm.npz'), at('z3.npy'), '-o', at('zn.npy')]);
    expect(Array.from(readNpy(at('zs.npy')).data)).toEqual(Array.from(readNpy(at('zn.npy')).data));
    expect(cli(['pca', '--model', at('zm.npz'), fx('hdf5/cube.h5'), '-o', at('q.npy')]).stderr).toMatch(/give --dataset with one of/);
  });
});

describe('SOFA transfer functions in the CLI', () => {
  it('info: a TF file reports bins, no rate; as a convolution kernel it is refused with the reason', () => {
    const s = JSON.parse(ok(['info', fx('hdf5/tf.sofa'), '--json']));
    expect(s).toMatchObject({ kind: 'sofa', channels: 2, length: 5, sofa: { dataType: 'TF', measurements: 3 } });
    expect(s.sampleRate).toBeUndefined();
    expect(ok(['info', fx('hdf5/tf.sofa')])).toMatch(/3 measurements × 2 receivers × 1 emitters × 5 frequency bins/);
    const r = cli(['convolve', at('mono.wav'), fx('hdf5/tf.sofa'), '--measurement', '0', '-o', at('t.npy')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the file must hold impulse responses \(DataType FIR\)/);
  });
});

describe('a SOFA array response as the recording and its receivers as --geometry', () => {
  it('beamform: --geometry x.sofa gives what a JSON file of the same receivers gives', async () => {
    const s = await readSofa(fx('hdf5/srir.sofa'));
    const mics = Array.from({ length: s.receivers }, (_, r) => Array.from(s.geometry.positions.subarray(3 * r, 3 * r + 3)));
    fs.writeFileSync(at('srir.json'), JSON.stringify({ microphones: mics, units: 'm', sampleRate: 16000 }));
    const args = [fx('hdf5/srir.sofa'), '--measurement', '1', '--direction', '30', '--format', 'float64'];
    ok(['beamform', ...args, '--geometry', fx('hdf5/srir.sofa'), '-o', at('bs.wav')]);
    ok(['beamform', ...args, '--geometry', at('srir.json'), '-o', at('bj.wav')]);
    const a = readWav(at('bs.wav')), b = readWav(at('bj.wav'));
    expect(a.length).toBe(64);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const la = JSON.parse(ok(['localize', fx('hdf5/srir.sofa'), '--measurement', '0', '--geometry', fx('hdf5/srir.sofa'), '--json']));
    const lb = JSON.parse(ok(['localize', fx('hdf5/srir.sofa'), '--measurement', '0', '--geometry', at('srir.json'), '--json']));
    expect(la.peaks).toEqual(lb.peaks);
  });
});
