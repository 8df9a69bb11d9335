/**
 * Issue 17 §2, command-line side: `localize` and `beamform` on generated array recordings (and on
 * ../shared/data/mic_array/ula32_office when present): signed SRP maps plot, results print before
 * any plot, refined estimates, units on --grid/--point/--direction/--speed-of-sound, --source,
 * geometry files' speedOfSound and scale warnings, and the mirror ambiguity of linear arrays.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWav, writeWav, decodePng } from '../../src/index.js';
import { ArrayGeometry, delayAndSum, direction, linspaceStep, point, pointGrid, simulatePlaneWave, simulatePointSource, srpPhat } from '../../src/beamform/index.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { Rng, sharedData, tempDir } from '../helpers/index.js';
import { cli, ensureBuilt } from './run.js';
import { expectBadInput as expectBadInputIn } from './helpers.js';

let dir: string;
const p = (name: string): string => path.join(dir, name);
const FS = 16000;
const expectBadInput = (args: string[], re: RegExp, cmd: string): void => expectBadInputIn(dir, args, re, cmd);
const geometry = ArrayGeometry.linear(8, 0.05, { axis: 'y', centred: false });
const GRID = '0.1:0.6:0.02,-0.1:0.5:0.02';
let talkers: Multichannel;

interface Json {
  speedOfSound: number;
  peaks: { position: number[]; refined: number[]; mirror?: number[]; mirrorOfPeak?: number }[];
  linearAxis?: number[];
  source?: { name: string; nearestPeak: number; error: number; errorUnit: string };
  warnings: string[];
}
const json = (stdout: string): Json => JSON.parse(stdout) as Json;

beforeAll(() => {
  ensureBuilt();
  dir = tempDir('pointwise-cli-localize-');
  const r = new Rng(5);
  const a = simulatePointSource(r.normals(FS / 4), geometry, point(0.4, 0.1), { sampleRate: FS });
  const b = simulatePointSource(r.normals(FS / 4), geometry, point(0.3, 0.3), { sampleRate: FS });
  const d = new Float64Array(a.data.length);
  for (let i = 0; i < d.length; i++) d[i] = a.data[i] + b.data[i];
  talkers = new Multichannel(d, 8, a.length, { sampleRate: FS });
  writeWav(p('talkers.wav'), talkers, { format: 'float64' });
  const g = { ...geometry.toJSON(), sources: { A: [0.4, 0.1, 0], B: [30, 30, 0] }, sampleRate: FS };
  fs.writeFileSync(p('g.json'), JSON.stringify(g));
  // the same array written in cm but labelled metres: a 35 m "array"
  fs.writeFileSync(p('g_cm_as_m.json'), JSON.stringify({ microphones: g.microphones.map((row) => row.map((v) => v * 100)), units: 'm' }));
  // a geometry file that states its speed of sound; a plane wave that travelled at that speed
  fs.writeFileSync(p('g300.json'), JSON.stringify({ ...geometry.toJSON(), speedOfSound: 300 }));
  writeWav(p('plane300.wav'), simulatePlaneWave(new Rng(2).normals(FS / 4), geometry, direction(50), { sampleRate: FS, speedOfSound: 300 }), { format: 'float64' });
  writeWav(p('plane30.wav'), simulatePlaneWave(new Rng(3).normals(FS / 4), geometry, direction(30), { sampleRate: FS }), { format: 'float64' });
  writeWav(p('plane30_8k.wav'), simulatePlaneWave(new Rng(3).normals(FS / 8), geometry, direction(30), { sampleRate: FS / 2 }), { format: 'float64' });
}, 180_000);

describe('localize: signed maps and results before plots', () => {
  it('plots a near-field map that dips below zero, after printing the peaks', () => {
    const lib = srpPhat(talkers, geometry, pointGrid(linspaceStep(0.1, 0.6, 0.02), linspaceStep(-0.1, 0.5, 0.02)), { peaks: 2 });
    expect(Math.min(...lib.map)).toBeLessThan(0); // the case of the issue
    const r = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', GRID, '--peaks', '2', '--plot', p('signed.png')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1\. x [\d.]+ m, y [\d.]+ m/);
    expect(r.stdout).toMatch(/2\. x [\d.]+ m, y [\d.]+ m/);
    expect(decodePng(fs.readFileSync(p('signed.png'))).width).toBeGreaterThan(100);
  });

  it('a plot whose folder does not exist is refused before anything is computed: one error line, status 2, nothing printed', () => {
    for (const extra of [[], ['--json']]) {
      const r = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', GRID, '--peaks', '2', ...extra, '--plot', p('no-such-folder/map.png')]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^pointwise localize: --plot must be in an existing directory; .*no-such-folder.* does not exist/);
    }
  });
});

describe('localize: refined estimates, units, speed of sound', () => {
  it('prints and returns the library refined estimate, not only the grid point', () => {
    const lib = srpPhat(talkers, geometry, pointGrid(linspaceStep(0.1, 0.6, 0.02), linspaceStep(-0.1, 0.5, 0.02)), { peaks: 2 });
    const want = (lib.peaks[0].refined as { point: readonly number[] }).point;
    const grid = (lib.peaks[0].target as { point: readonly number[] }).point;
    expect(Math.hypot(want[0] - grid[0], want[1] - grid[1])).toBeGreaterThan(1e-3); // refinement is visible
    const r = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', GRID, '--peaks', '2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const got = json(r.stdout).peaks[0];
    expect(got.refined[0]).toBeCloseTo(want[0], 12);
    expect(got.refined[1]).toBeCloseTo(want[1], 12);
    expect(got.position[0]).toBeCloseTo(grid[0], 12);
    const t = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', GRID, '--peaks', '2']);
    const m = /1\. x ([-\d.e]+) m, y ([-\d.e]+) m/.exec(t.stdout);
    expect(m, t.stdout).not.toBeNull();
    expect(Math.abs(Number(m![1]) - want[0])).toBeLessThan(5e-4 * Math.max(1, Math.abs(want[0])));
    expect(Math.abs(Number(m![2]) - want[1])).toBeLessThan(5e-4 * Math.max(1, Math.abs(want[1])));
  });

  it('--grid with units gives the same peaks as the grid in metres', () => {
    const a = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', GRID, '--peaks', '2', '--json']);
    const b = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', '10cm:60cm:2cm,-10cm:50cm:20mm', '--peaks', '2', '--json']);
    expect(b.status, b.stderr).toBe(0);
    const pa = json(a.stdout).peaks;
    const pb = json(b.stdout).peaks;
    for (let k = 0; k < 2; k++) for (let i = 0; i < 2; i++) expect(pb[k].refined[i]).toBeCloseTo(pa[k].refined[i], 9);
  });

  it("--speed-of-sound takes '20 degC', '343 m/s' and numbers; the geometry file's speedOfSound is the default", () => {
    const deg = cli(['localize', p('plane30.wav'), '--geometry', p('g.json'), '--speed-of-sound', '20 degC', '--json']);
    expect(deg.status, deg.stderr).toBe(0);
    expect(json(deg.stdout).speedOfSound).toBeCloseTo(331.3 * Math.sqrt(1 + 20 / 273.15), 9);
    const ms = cli(['localize', p('plane30.wav'), '--geometry', p('g.json'), '--speed-of-sound', '343 m/s', '--json']);
    expect(json(ms.stdout).speedOfSound).toBe(343);
    // a wave that travelled at 300 m/s: found at 50° with the file's 300 m/s, biased with 343 m/s
    const file = json(cli(['localize', p('plane300.wav'), '--geometry', p('g300.json'), '--json']).stdout);
    expect(file.speedOfSound).toBe(300);
    const az = file.peaks[0].refined[0];
    expect(Math.min(Math.abs(az - 50), Math.abs(az - 130))).toBeLessThan(1);
    const forced = json(cli(['localize', p('plane300.wav'), '--geometry', p('g300.json'), '--speed-of-sound', '343', '--json']).stdout).peaks[0].refined[0];
    expect(Math.min(Math.abs(forced - 50), Math.abs(forced - 130))).toBeGreaterThan(3);
  });

  it('bad units are usage errors naming the option', () => {
    expectBadInput(['localize', p('plane30.wav'), '--geometry', p('g.json'), '--speed-of-sound', '3 cm'], /--speed-of-sound must be a speed/, 'localize');
    expectBadInput(['localize', p('plane30.wav'), '--geometry', p('g.json'), '--near-field', '--grid', '10cm:1x:1cm,0:1:0.1'], /--grid axis 1/, 'localize');
    expectBadInput(['localize', p('plane30.wav'), '--geometry', p('g.json'), '--source', 'Z'], /--source "Z" is not in the geometry file; it names "A", "B"/, 'localize');
  });
});

describe('localize: --source, linear-array mirrors, geometry warnings', () => {
  it('--source reports the nearest peak and its distance to the named source', () => {
    const r = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', GRID, '--peaks', '2', '--source', 'A', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const res = json(r.stdout);
    const k = res.source!.nearestPeak - 1;
    const pk = res.peaks[k].refined;
    expect(res.source!.error).toBeCloseTo(Math.hypot(pk[0] - 0.4, pk[1] - 0.1, pk[2]), 12);
    expect(res.source!.error).toBeLessThan(0.05);
    const t = cli(['localize', p('talkers.wav'), '--geometry', p('g.json'), '--near-field', '--grid', GRID, '--peaks', '2', '--source', 'A']);
    expect(t.stdout).toMatch(/source "A" at x 0\.4 m, y 0\.1 m: nearest is peak \d, error [\d.]+ cm/);
  });

  it('a far-field search with a linear array reports the mirror of each peak', () => {
    const r = cli(['localize', p('plane30.wav'), '--geometry', p('g.json'), '--peaks', '2', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const res = json(r.stdout);
    expect(res.linearAxis).toEqual([0, 1, 0]);
    const az = res.peaks[0].refined[0];
    expect(res.peaks[0].mirror![0]).toBeCloseTo(180 - az, 9);
    expect(res.peaks[0].mirrorOfPeak).toBe(2);
    const t = cli(['localize', p('plane30.wav'), '--geometry', p('g.json'), '--peaks', '2']);
    expect(t.stdout).toMatch(/front\/back ambiguity: the array is linear .*azimuth θ and 180° − θ/);
    expect(t.stdout).toMatch(/peak 1 may equally be at azimuth [\d.]+° \(that is peak 2\)/);
  });

  it('warns on stderr about a geometry whose aperture is implausible for the sample rate, and still runs', () => {
    const r = cli(['localize', p('plane30.wav'), '--geometry', p('g_cm_as_m.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^pointwise localize: warning: the array aperture is 35 m: .*"units"/);
    expect(r.stdout).toMatch(/1\. azimuth/);
    expect(cli(['localize', p('plane30.wav'), '--geometry', p('g.json')]).stderr).toBe('');
    // the file says 16 kHz recordings; this one is 8 kHz
    const r8 = cli(['localize', p('plane30_8k.wav'), '--geometry', p('g.json')]);
    expect(r8.status, r8.stderr).toBe(0);
    expect(r8.stderr).toBe('pointwise localize: warning: the geometry file is for 16000 Hz recordings but the input is 8000 Hz\n');
  });
});

describe('beamform: units and --source', () => {
  it('--point 30cm,20cm and --point 0.3,0.2 give the same bits; --direction takes radians', () => {
    cli(['beamform', p('talkers.wav'), '--geometry', p('g.json'), '--point', '0.3,0.2', '--format', 'float64', '-o', p('pm.wav')]);
    const b = cli(['beamform', p('talkers.wav'), '--geometry', p('g.json'), '--point', '30cm,200mm', '--format', 'float64', '-o', p('pu.wav')]);
    expect(b.status, b.stderr).toBe(0);
    expect(Array.from(readWav(p('pu.wav')).data)).toEqual(Array.from(readWav(p('pm.wav')).data));
    const c = cli(['beamform', p('talkers.wav'), '--geometry', p('g.json'), '--direction', `${Math.PI / 6}rad`, '--format', 'float64', '-o', p('dr.wav')]);
    expect(c.status, c.stderr).toBe(0);
    const want = delayAndSum(talkers, geometry, direction(30), { method: 'fft' });
    const got = readWav(p('dr.wav')).data;
    for (let i = 0; i < got.length; i += 97) expect(got[i]).toBeCloseTo(want.data[i], 9);
  });

  it('--source NAME focuses on the named source; it excludes --point; unknown names list the known ones', () => {
    const r = cli(['beamform', p('talkers.wav'), '--geometry', p('g.json'), '--source', 'A', '--format', 'float64', '-o', p('src.wav')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/source "A"/);
    const want = delayAndSum(talkers, geometry, point(0.4, 0.1), { method: 'fft' });
    expect(Array.from(readWav(p('src.wav')).data)).toEqual(Array.from(want.data));
    expectBadInput(['beamform', p('talkers.wav'), '--geometry', p('g.json'), '--source', 'A', '--point', '1,1', '-o', p('o.wav')], /exactly one of --direction/, 'beamform');
    expectBadInput(['beamform', p('talkers.wav'), '--geometry', p('g.json'), '--source', 'nope', '-o', p('o.wav')], /--source "nope" is not in the geometry file/, 'beamform');
    expectBadInput(['beamform', p('talkers.wav'), '--geometry', p('g.json'), '--point', '60cm,3degC', '-o', p('o.wav')], /--point must be comma-separated numbers/, 'beamform');
  });
});

describe('real data: ula32_office talkers 1 and 3', () => {
  const wav = sharedData('mic_array/ula32_office/talkers_1_and_3.wav');
  const geo = sharedData('mic_array/ula32_office/geometry.json');
  it.skipIf(!wav || !geo)('near field with units, --source and --plot: both talkers within 12 cm, map written', () => {
    const args = ['localize', wav!, '--geometry', geo!, '--near-field', '--grid', '10cm:120cm:1cm,-20cm:110cm:1cm', '--peaks', '2', '--speed-of-sound', '20 degC'];
    const r = cli([...args, '--source', '1', '--plot', p('real.png')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/source "1" at .*: nearest is peak \d, error [\d.]+ cm/);
    expect(decodePng(fs.readFileSync(p('real.png'))).width).toBeGreaterThan(100);
    const res = json(cli([...args, '--json']).stdout);
    const g = JSON.parse(fs.readFileSync(geo!, 'utf8')) as { sources: Record<string, number[]> };
    for (const name of ['1', '3']) {
      const s = g.sources[name];
      const d = Math.min(...res.peaks.map((pk) => Math.hypot(pk.refined[0] - s[0], pk.refined[1] - s[1])));
      expect(d, `source ${name}`).toBeLessThan(0.12);
    }
  });

  it.skipIf(!wav || !geo)('far field reports the mirror ambiguity of the linear array', () => {
    const r = cli(['localize', wav!, '--geometry', geo!, '--peaks', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/front\/back ambiguity: the array is linear \(axis \(0, 1, 0\)\)/);
  });
});
