/**
 * The cluster on a real redis-server (see ./redis.ts): PCA tiles through BullMQ flows served by
 * three `pointwise worker` processes equal single-process PCA; a worker killed mid-run loses
 * nothing; beamforming WAV files on the cluster writes the single-process CLI's bytes; jobs naming
 * paths outside the worker's roots are refused; a Redis with a password works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { Multichannel } from '../../src/core/multichannel.js';
import { readEnvi, writeEnvi } from '../../src/spectral/envi.js';
import { pca, type PcaModel } from '../../src/spectral/pca.js';
import { readWav, writeWav } from '../../src/io/wav.js';
import { loadModel, saveModel, type ConstrainedFitModel } from '../../src/io/models.js';
import { totalConservation } from '../../src/constrained/constraints.js';
import { fitConstrainedMixer } from '../../src/constrained/fit.js';
import { writeNpy } from '../../src/io/npy.js';
import { fitLeastSquares, type LeastSquaresFit } from '../../src/train/leastsq.js';
import { clusterBeamform, clusterLeastSquares, clusterPca, connectRedis, startWorker } from '../../src/cluster/index.js';
import { Rng, sharedData, tempDir } from '../helpers/index.js';
import { BIN, cli, ensureBuilt } from '../cli/run.js';
import { HAVE_REDIS, startRedis, type TestRedis } from './redis.js';

function randomCube(rng: Rng, bands: number, lines: number, samples: number): Multichannel {
  const N = lines * samples;
  const data = new Float64Array(bands * N);
  // correlated bands: a few latent factors plus noise, so the components are well separated
  const f = [0, 1, 2].map(() => Float64Array.from({ length: N }, () => rng.normal()));
  for (let b = 0; b < bands; b++) for (let p = 0; p < N; p++) data[b * N + p] = Math.fround(3 * Math.sin(b) * f[0][p] + 2 * Math.cos(0.3 * b) * f[1][p] + 0.5 * f[2][p] * (b % 3) + 0.1 * rng.normal() + 10);
  return new Multichannel(data, bands, N, { shape: [lines, samples] });
}

function expectSameModel(a: PcaModel, b: PcaModel, label: string): void {
  const rel = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    let m = 0;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
      s = Math.max(s, Math.abs(y[i]));
    }
    return m / Math.max(s, 1e-300);
  };
  expect(a.k, label).toBe(b.k);
  expect(a.nSamples, label).toBe(b.nSamples);
  expect(rel(a.explainedVariance, b.explainedVariance), `${label} explained variance`).toBeLessThan(1e-12);
  expect(rel(a.components, b.components), `${label} components`).toBeLessThan(1e-12);
  expect(rel(a.mean, b.mean), `${label} mean`).toBeLessThan(1e-12);
}

const workerLogs = new Map<ChildProcess, string[]>();

function startWorkerProcess(url: string, roots: string[]): Promise<ChildProcess> {
  const args = [BIN, 'worker', '--redis', url, '--lock-duration', '2000', ...roots.flatMap((r) => ['--root', r])];
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  workerLogs.set(p, lines);
  p.stderr!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(p);
    });
    p.once('exit', (code) => reject(new Error(`worker exited ${code}: ${lines.join('\n')}`)));
  });
}

function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

describe.skipIf(!HAVE_REDIS)('cluster on a real redis-server', () => {
  let redis: TestRedis;
  let root: string;
  const workers: ChildProcess[] = [];
  const hs = sharedData('hyperspectral');
  const rng = new Rng(18);

  beforeAll(async () => {
    ensureBuilt();
    redis = await startRedis();
    root = fs.realpathSync(tempDir('pointwise-cluster-'));
    // a fresh queue name per run would need a flag on every worker; a flushed database is simpler
    const conn = await connectRedis(redis.url);
    await conn.flushdb();
    await conn.quit();
    const roots = hs ? [root, hs] : [root];
    for (let i = 0; i < 3; i++) workers.push(await startWorkerProcess(redis.url, roots));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map(stopProcess));
    await redis?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('PCA over a generated cube and the shared Samson and Moffett cubes, 3 worker processes, equals single-process pca to 1e-12', async () => {
    const gen = path.join(root, 'gen.hdr');
    writeEnvi(gen, randomCube(rng, 24, 40, 30), { dataType: 4 });
    const cubes = [gen];
    if (hs) cubes.push(path.join(hs, 'samson_bsq_f32.hdr'), path.join(hs, 'moffett_bil_i16_be.hdr'));
    else console.log('shared hyperspectral cubes absent: the generated cube only');
    // k = 3 for the generated cube: its 3 latent factors; further components are noise with
    // near-equal eigenvalues, whose vectors rounding can turn
    const ks = [3, 4, 4];
    const models = await Promise.all(cubes.map((c, i) => clusterPca([c], ks[i], { redis: redis.url, tileLines: 7 })));
    models.forEach((m, i) => expectSameModel(m, pca(readEnvi(cubes[i]), ks[i], { signs: 'max-loading' }), cubes[i]));
  });

  it('with one worker killed (kill -9) mid-tile it still completes and equals single-process pca', async () => {
    const big = path.join(root, 'big.hdr');
    // tiles of 64 lines × 160 samples × 160 bands (10240 pixels, 1.3·10⁸ multiply-adds in the
    // covariance): tens of ms of reading and compute each, long enough to be killed in
    writeEnvi(big, randomCube(rng, 160, 384, 160), { dataType: 4 });
    const victim = workers[0];
    let killed = false;
    victim.stderr!.on('data', (d: Buffer) => {
      // stderr is a pipe, written synchronously before the tile's computation starts
      if (!killed && d.toString().includes('start pca-tile')) {
        killed = true;
        victim.kill('SIGKILL');
      }
    });
    const model = await clusterPca([big], 3, { redis: redis.url, tileLines: 64, pollMs: 20 });
    expect(killed).toBe(true);
    expectSameModel(model, pca(readEnvi(big), 3, { signs: 'max-loading' }), 'after kill -9');
    // the tile the dead worker held was detected as stalled and computed by another worker
    const others = workers.slice(1).flatMap((w) => workerLogs.get(w) ?? []);
    expect(others.some((l) => /stalled pca-tile-/.test(l)), others.join('\n')).toBe(true);
    workers[0] = await startWorkerProcess(redis.url, hs ? [root, hs] : [root]);
  });

  it('a corrupt tile fails the whole job with that tile\u2019s error, once (no retry storm)', async () => {
    const bad = path.join(root, 'bad.hdr');
    writeEnvi(bad, randomCube(rng, 8, 10, 10), { dataType: 4 });
    const img = fs.readdirSync(root).find((f) => f.startsWith('bad.') && f !== 'bad.hdr')!;
    fs.truncateSync(path.join(root, img), 100);
    await expect(clusterPca([bad], 2, { redis: redis.url, tileLines: 5 })).rejects.toThrow(/must hold/);
  });

  it('refuses jobs naming paths outside the roots (also through a symlink) and unknown kinds, with one attempt each', async () => {
    const outside = fs.realpathSync(tempDir('pointwise-outside-'));
    writeEnvi(path.join(outside, 'o.hdr'), randomCube(rng, 4, 4, 4), { dataType: 4 });
    fs.symlinkSync(path.join(outside, 'o.hdr'), path.join(root, 'link.hdr'));
    const conn = await connectRedis(redis.url);
    const queue = new Queue('pointwise', { connection: conn });
    try {
      const cases: [string, object, RegExp][] = [
        ['pca-tile', { v: 1, cube: path.join(outside, 'o.hdr'), lines: [0, 4] }, /outside the worker.s roots/],
        ['pca-tile', { v: 1, cube: path.join(root, 'link.hdr'), lines: [0, 4] }, /resolves to .*outside the worker.s roots/],
        ['beamform-file', { v: 1, input: path.join(root, 'x.wav'), output: path.join(outside, 'y.wav'), geometry: path.join(root, 'g.json'), format: 'float32' }, /must exist|outside/],
        ['shell', { cmd: 'rm -rf /' }, /unknown job kind "shell"/],
        ['pca-tile', { v: 1, cube: path.join(root, 'gen.hdr'), lines: [0, 4], extra: 'x' }, /unexpected field "extra"/],
      ];
      const jobs = await Promise.all(cases.map(([name, data]) => queue.add(name, data, { attempts: 3 })));
      for (let i = 0; i < jobs.length; i++) {
        let j = jobs[i];
        for (let t = 0; t < 200 && !(await j.isFailed()); t++) {
          await new Promise((r) => setTimeout(r, 25));
          j = (await queue.getJob(j.id!))!;
        }
        j = (await queue.getJob(j.id!))!;
        expect(await j.isFailed(), cases[i][0]).toBe(true);
        expect(j.failedReason, cases[i][0]).toMatch(cases[i][2]);
        expect(j.attemptsMade, `${cases[i][0]}: no retries`).toBe(1);
      }
      expect(fs.existsSync(path.join(outside, 'y.wav'))).toBe(false);
    } finally {
      await queue.close();
      await conn.quit();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('beamforming and convolving WAV files on the cluster writes the single-process CLI\u2019s bytes', async () => {
    const geometry = path.join(root, 'geometry.json');
    fs.writeFileSync(geometry, JSON.stringify({ microphones: [[0, 0, 0], [0.05, 0, 0], [0.1, 0, 0], [0.15, 0, 0]], units: 'm' }));
    const inputs: string[] = [];
    for (let f = 0; f < 2; f++) {
      const N = 4000;
      const x = new Multichannel(Float64Array.from({ length: 4 * N }, () => 0.3 * rng.normal()), 4, N, { sampleRate: 16000 });
      inputs.push(path.join(root, `rec${f}.wav`));
      writeWav(inputs[f], x, { format: 'pcm16' });
    }
    const ir = path.join(root, 'ir.wav');
    writeWav(ir, new Multichannel(Float64Array.from({ length: 64 }, (_, i) => Math.exp(-i / 8) * 0.5), 1, 64, { sampleRate: 16000 }));
    const outs = await clusterBeamform(inputs.map((f) => ({ input: f, output: f.replace('.wav', '.beam.wav'), geometry, direction: [30] })), { redis: redis.url });
    // the CLI's cluster mode: several signals, the last argument the kernel, -o a folder
    const wetDir = path.join(root, 'wet');
    fs.mkdirSync(wetDir);
    const rc = cli(['convolve', ...inputs, ir, '-o', wetDir, '--redis', redis.url]);
    expect(rc.stderr).toBe('');
    expect(rc.status).toBe(0);
    const wets = inputs.map((f) => path.join(wetDir, path.basename(f)));
    // a time range of a file, on the cluster and in one process
    const [ranged] = await clusterBeamform([{ input: inputs[0], output: path.join(root, 'ranged.beam.wav'), geometry, direction: [30], start: '0.05s', end: '3000' }], { redis: redis.url });
    const rangedSingle = path.join(root, 'ranged-single.wav');
    expect(cli(['beamform', inputs[0], '--geometry', geometry, '--direction', '30', '--start', '0.05s', '--end', '3000', '-o', rangedSingle]).status).toBe(0);
    expect(Buffer.compare(fs.readFileSync(ranged), fs.readFileSync(rangedSingle)), 'beamform of a time range').toBe(0);
    expect(readWav(ranged).length).toBe(3000 - 800);
    for (let f = 0; f < inputs.length; f++) {
      const single = path.join(root, `single${f}.wav`);
      expect(cli(['beamform', inputs[f], '--geometry', geometry, '--direction', '30', '-o', single]).status).toBe(0);
      expect(Buffer.compare(fs.readFileSync(outs[f]), fs.readFileSync(single)), `beamform ${f}`).toBe(0);
      const wet = path.join(root, `wet${f}.wav`);
      expect(cli(['convolve', inputs[f], ir, '-o', wet]).status).toBe(0);
      expect(Buffer.compare(fs.readFileSync(wets[f]), fs.readFileSync(wet)), `convolve ${f}`).toBe(0);
    }
  });

  it('least squares and a constrained fit over several file pairs (one split into frame ranges) equal the single-process fits of the concatenation', async () => {
    const Cin = 3;
    const Cout = 2;
    const lens = [300, 500, 400];
    const xs: Multichannel[] = [];
    const ys: Multichannel[] = [];
    const pairs: { input: string; target: string; start?: number; end?: number }[] = [];
    lens.forEach((n, f) => {
      const x = new Multichannel(Float64Array.from({ length: Cin * n }, () => rng.normal()), Cin, n);
      const y = new Multichannel(Float64Array.from({ length: Cout * n }, () => rng.normal()), Cout, n);
      xs.push(x);
      ys.push(y);
      const xi = path.join(root, `lsx${f}.npy`);
      const yi = path.join(root, `lsy${f}.npy`);
      writeNpy(xi, x);
      writeNpy(yi, y);
      if (f === 1) pairs.push({ input: xi, target: yi, start: 0, end: 200 }, { input: xi, target: yi, start: 200, end: n });
      else pairs.push({ input: xi, target: yi });
    });
    const fit = (await clusterLeastSquares(pairs, { redis: redis.url, ridge: 1e-3 })) as LeastSquaresFit;
    const N = lens.reduce((a, b) => a + b, 0);
    const cat = (ms: Multichannel[], C: number) => {
      const d = new Float64Array(C * N);
      let t0 = 0;
      for (const m of ms) {
        for (let c = 0; c < C; c++) d.set(m.data.subarray(c * m.length, (c + 1) * m.length), c * N + t0);
        t0 += m.length;
      }
      return new Multichannel(d, C, N);
    };
    const ref = fitLeastSquares(cat(xs, Cin), cat(ys, Cout), { ridge: 1e-3 });
    for (let i = 0; i < ref.weights.length; i++) expect(Math.abs(fit.weights[i] - ref.weights[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref.weights[i])));
    for (let i = 0; i < ref.bias.length; i++) expect(Math.abs(fit.bias[i] - ref.bias[i])).toBeLessThan(1e-12);
    // with saved constraints (the total is conserved, 3 → 2 channels): the constrained fit of the concatenation
    const constraintsFile = path.join(root, 'conserve.npz');
    const constraints = totalConservation(Cout, { inChannels: Cin });
    saveModel(constraintsFile, constraints);
    const cfit = (await clusterLeastSquares(pairs, { redis: redis.url, ridge: 1e-3, constraints: constraintsFile })) as ConstrainedFitModel;
    const cref = fitConstrainedMixer(cat(xs, Cin), cat(ys, Cout), constraints, { ridge: 1e-3 });
    for (let i = 0; i < cref.weights.length; i++) expect(Math.abs(cfit.weights[i] - cref.weights[i])).toBeLessThan(1e-12);
    expect(cfit.violation).toBeLessThan(1e-12);
  });

  it('a submitter killed after submitting is restarted and picks up the same jobs (each tile computed once)', async () => {
    const gen = path.join(root, 'gen.hdr');
    const q = 'restart-test';
    const sub = spawn(process.execPath, [BIN, 'pca', gen, '-k', '3', '--save', path.join(root, 'r.npz'), '--redis', redis.url, '--queue', q, '--tile-lines', '10'], { stdio: 'ignore' });
    // no worker serves this queue yet: wait until the flow is in Redis, then kill the submitter
    const conn = await connectRedis(redis.url);
    const queue = new Queue(q, { connection: conn });
    try {
      for (let t = 0; t < 400; t++) {
        const c = await queue.getJobCounts('waiting-children', 'wait');
        if ((c['waiting-children'] ?? 0) >= 1 && (c.wait ?? 0) >= 4) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      sub.kill('SIGKILL');
      await new Promise((r) => sub.once('exit', r));
      let tilesDone = 0;
      const w = await startWorker({ redis: redis.url, roots: [root], queue: q, onEvent: (line) => (tilesDone += line.startsWith('done pca-tile') ? 1 : 0) });
      try {
        const m = await clusterPca([gen], 3, { redis: redis.url, queue: q, tileLines: 10 });
        expectSameModel(m, pca(readEnvi(gen), 3, { signs: 'max-loading' }), 'restarted submitter');
        expect(tilesDone).toBe(4); // 40 lines in tiles of 10: the first run's tiles, not a second set
      } finally {
        await w.close();
      }
    } finally {
      await queue.close();
      await conn.quit();
    }
  });

  it('pointwise pca CUBE --redis --save writes the model that the single-process --save writes', () => {
    const gen = path.join(root, 'gen.hdr');
    const m1 = path.join(root, 'm1.npz');
    const r = cli(['pca', gen, '-k', '3', '--save', m1, '--redis', redis.url, '--tile-lines', '9']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const m2 = path.join(root, 'm2.npz');
    expect(cli(['pca', gen, '-k', '3', '--save', m2]).status).toBe(0);
    expectSameModel(loadModel(m1, { kind: 'pca' }), loadModel(m2, { kind: 'pca' }), 'CLI --redis vs local');
  });
});

describe.skipIf(!HAVE_REDIS)('cluster on a Redis that requires a password', () => {
  let redis: TestRedis;
  let root: string;

  beforeAll(async () => {
    redis = await startRedis('s3cret-pw');
    root = fs.realpathSync(tempDir('pointwise-cluster-pw-'));
  }, 30_000);

  afterAll(async () => {
    await redis?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('runs PCA with the password in the URL, and a wrong password fails without echoing it', async () => {
    const cube = path.join(root, 'c.hdr');
    writeEnvi(cube, randomCube(new Rng(7), 12, 20, 10), { dataType: 4 });
    const w = await startWorker({ redis: redis.url, roots: [root], lockDuration: 5000 });
    try {
      const m = await clusterPca([cube], 3, { redis: redis.url, tileLines: 4 });
      expectSameModel(m, pca(readEnvi(cube), 3, { signs: 'max-loading' }), 'password');
    } finally {
      await w.close();
    }
    const wrong = redis.url.replace('s3cret-pw', 'wrong-pw');
    const err = await connectRedis(wrong, 3000).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/must be reachable and accept the credentials/);
    expect(err?.message).not.toMatch(/wrong-pw/);
  });
});
