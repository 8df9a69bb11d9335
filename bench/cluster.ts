/**
 * bench/cluster: PCA of a large ENVI cube on the BullMQ cluster (1 and 2 worker processes on this
 * machine) against single-process `pcaStream`: total time, tiles per second, the per-job overhead
 * (Redis round trips, serialisation, scheduling) as a fraction of a tile's compute, and the bytes
 * moved per tile. The cube is float32 BIL, generated in a temporary folder: 2 GB by default
 * (BENCH_CLUSTER_MB to change), tiny with BENCH_SMOKE=1. Starts and stops its own redis-server
 * (loopback, no persistence); skips with a note when redis-server is absent.
 *
 * Run: `flock /tmp/bench.lock npx tsx bench/cluster.ts` (after `npm run build`: workers run dist/).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EnviReader } from '../src/spectral/envi.js';
import { pcaStream } from '../src/spectral/pca.js';
import { CovarianceAccumulator } from '../src/spectral/covariance.js';
import { encodeModel } from '../src/io/models.js';
import { clusterPca } from '../src/cluster/submit.js';
import { connectRedis } from '../src/cluster/connection.js';
import { SMOKE, fmt, printTable, printCeilings } from './lib.js';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c: net.Socket = net.connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

/** Writes a float32 BIL cube of `lines × samples × bands` (a few smooth spectra mixed, plus noise), streaming line by line. */
function writeCube(hdr: string, lines: number, samples: number, bands: number): void {
  fs.writeFileSync(hdr, `ENVI\nsamples = ${samples}\nlines = ${lines}\nbands = ${bands}\nheader offset = 0\nfile type = ENVI Standard\ndata type = 4\ninterleave = bil\nbyte order = 0\n`);
  const fd = fs.openSync(hdr.replace(/\.hdr$/, '.img'), 'w');
  const line = new Float32Array(bands * samples);
  const spectra = [0, 1, 2, 3].map((e) => Float64Array.from({ length: bands }, (_, b) => 1 + Math.sin((b + 1) * (e + 1) * 0.05)));
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  try {
    for (let l = 0; l < lines; l++) {
      for (let p = 0; p < samples; p++) {
        const a = [rnd(), rnd(), rnd(), rnd()];
        for (let b = 0; b < bands; b++) line[b * samples + p] = a[0] * spectra[0][b] + a[1] * spectra[1][b] + a[2] * spectra[2][b] + a[3] * spectra[3][b] + 0.01 * rnd();
      }
      fs.writeSync(fd, new Uint8Array(line.buffer));
    }
  } finally {
    fs.closeSync(fd);
  }
}

function startWorker(url: string, root: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--root', root, '--lock-duration', '60000'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(p));
    p.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
  });
}

const stop = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null ? r() : (p.once('exit', () => r()), p.kill('SIGTERM'))));

export async function main(): Promise<void> {
  await printCeilings();
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.log('bench/cluster skipped: no redis-server on PATH (apt-get install redis-server)');
    return;
  }
  if (!fs.existsSync(BIN)) {
    console.log('bench/cluster skipped: build first (npm run build) — the workers run dist/src/cli/main.js');
    return;
  }
  const bands = SMOKE ? 32 : 224;
  const samples = SMOKE ? 64 : 1024;
  const mb = SMOKE ? 0.5 : Number(process.env.BENCH_CLUSTER_MB ?? 2048);
  const lines = Math.max(8, Math.round((mb * 2 ** 20) / (bands * samples * 4)));
  const tileLines = SMOKE ? 16 : Number(process.env.BENCH_TILE_LINES ?? 64);
  const k = 10;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-cluster-')));
  const port = await freePort();
  const redis = spawn(which.stdout.trim(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const workers: ChildProcess[] = [];
  try {
    await waitPort(port);
    const hdr = path.join(dir, 'cube.hdr');
    let t0 = performance.now();
    writeCube(hdr, lines, samples, bands);
    const gbytes = (lines * samples * bands * 4) / 1e9;
    console.log(`cube ${lines} lines × ${samples} samples × ${bands} bands float32 BIL = ${fmt(gbytes)} GB, written in ${fmt((performance.now() - t0) / 1000)} s; tiles of ${tileLines} lines`);
    const tiles = Math.ceil(lines / tileLines);

    // single process: pcaStream over the same tiles (one pass, max-loading signs as the cluster)
    const r = EnviReader.open(hdr);
    t0 = performance.now();
    pcaStream(() => (function* () {
      for (const { cube } of r.chunks(tileLines)) yield cube;
    })(), bands, k, { signs: 'max-loading' });
    const single = (performance.now() - t0) / 1000;
    // one tile's compute alone, and the bytes of its result
    t0 = performance.now();
    const acc = new CovarianceAccumulator(bands).add(r.read({ lines: [0, Math.min(lines, tileLines)] }));
    const tileCompute = (performance.now() - t0) / 1000;
    const resultBytes = Math.ceil(encodeModel(acc).length / 3) * 4;
    r.close();

    const rows: (string | number)[][] = [['single process pcaStream', fmt(single), fmt(tiles / single), '—', '—']];
    for (const n of [1, 2]) {
      while (workers.length < n) workers.push(await startWorker(url, dir));
      // job ids derive from the inputs: clear the previous run's finished jobs so this run computes
      const conn = await connectRedis(url);
      await conn.flushdb();
      await conn.quit();
      t0 = performance.now();
      await clusterPca([hdr], k, { redis: url, tileLines, pollMs: 20 });
      const t = (performance.now() - t0) / 1000;
      // overhead per job: the cluster's time with one worker beyond the single-process time, per tile
      rows.push([`cluster, ${n} worker process${n > 1 ? 'es' : ''}`, fmt(t), fmt(tiles / t), n === 1 ? fmt(((t - single) / tiles) * 1000) : '—', n === 1 ? fmt((t - single) / single) : '—']);
    }
    printTable(`PCA k=${k} of ${fmt(gbytes)} GB (${tiles} tiles) on ${os.cpus().length} cores`, ['run', 'seconds', 'tiles/s', 'overhead per job (ms)', 'overhead / compute per tile'], rows);
    // the per-job cost alone: many tiles of one short line (compute ≈ 0), one worker
    const tiny = path.join(dir, 'tiny.hdr');
    const tinyTiles = SMOKE ? 50 : 400;
    writeCube(tiny, tinyTiles, 8, bands);
    const conn = await connectRedis(url);
    await conn.flushdb();
    await conn.quit();
    while (workers.length > 1) await stop(workers.pop()!);
    t0 = performance.now();
    await clusterPca([tiny], 2, { redis: url, tileLines: 1, pollMs: 20 });
    const perJob = (performance.now() - t0) / tinyTiles;
    printTable(`per-job cost: ${tinyTiles} tiles of 8 pixels, 1 worker`, ['ms per job', 'jobs per second'], [[fmt(perJob), fmt(1000 / perJob)]]);
    const tileBytes = tileLines * samples * bands * 4;
    printTable('bytes moved per tile', ['what', 'bytes'], [
      ['read from storage (the tile)', tileBytes],
      ['result through Redis (base64 covariance partial)', resultBytes],
      ['payload (JSON, paths and ranges)', JSON.stringify({ v: 1, cube: hdr, lines: [0, tileLines] }).length],
      ['one tile compute alone (s)', fmt(tileCompute)],
    ]);
  } finally {
    await Promise.all(workers.map(stop));
    await stop(redis);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
