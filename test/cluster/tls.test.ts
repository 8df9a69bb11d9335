/**
 * The cluster over TLS (`rediss://`) with a password: a redis-server started here with a
 * self-signed certificate that the worker and the submitter trust through NODE_EXTRA_CA_CERTS
 * (Node's own mechanism for a private CA). Skips with a note without redis-server or openssl.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Multichannel } from '../../src/core/multichannel.js';
import { writeEnvi } from '../../src/spectral/envi.js';
import { loadModel } from '../../src/io/models.js';
import { Rng, tempDir } from '../helpers/index.js';
import { BIN, cli, ensureBuilt } from '../cli/run.js';
import { REDIS_BIN, freePort } from './redis.js';

const HAVE_OPENSSL = spawnSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).status === 0;
const CAN = REDIS_BIN !== null && HAVE_OPENSSL;
if (!CAN) console.log('cluster TLS test skipped: needs redis-server and openssl');

describe.skipIf(!CAN)('cluster over TLS with a password (rediss://:secret@host:port)', () => {
  let dir: string;
  let redis: ChildProcess | undefined;
  let url = '';
  const env = () => ({ ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem') });

  beforeAll(async () => {
    ensureBuilt();
    dir = fs.realpathSync(tempDir('pointwise-tls-'));
    const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: dir, encoding: 'utf8' });
    if (ssl.status !== 0) throw new Error(`openssl failed: ${ssl.stderr}`);
    const port = await freePort();
    redis = spawn(REDIS_BIN!, ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', 'tls-secret', '--tls-cert-file', 'cert.pem', '--tls-key-file', 'key.pem', '--tls-auth-clients', 'no'], { cwd: dir, stdio: 'ignore' });
    url = `rediss://:tls-secret@127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const c: net.Socket = net.connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
        c.on('error', () => resolve(false));
      });
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 30_000);

  afterAll(async () => {
    if (redis && redis.exitCode === null) await new Promise<void>((r) => (redis!.once('exit', () => r()), redis!.kill('SIGTERM')));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a worker and `pointwise pca --redis rediss://…` give the model a local --save gives; the password never appears in output', async () => {
    const rng = new Rng(5);
    const L = 20;
    const S = 10;
    const f = Float64Array.from({ length: L * S }, () => rng.normal());
    const data = new Float64Array(6 * L * S);
    for (let b = 0; b < 6; b++) for (let p = 0; p < L * S; p++) data[b * L * S + p] = (b + 1) * f[p] + 0.1 * rng.normal();
    const cube = path.join(dir, 'c.hdr');
    writeEnvi(cube, new Multichannel(data, 6, L * S, { shape: [L, S] }), { dataType: 5 });
    const worker = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--root', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: env() });
    let workerOut = '';
    try {
      await new Promise<void>((resolve, reject) => {
        worker.stdout!.on('data', (d: Buffer) => {
          workerOut += d.toString();
          if (workerOut.includes('ready')) resolve();
        });
        worker.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
      });
      expect(workerOut).not.toMatch(/tls-secret/);
      const remote = path.join(dir, 'remote.npz');
      const r = spawnSync(process.execPath, [BIN, 'pca', cube, '-k', '2', '--save', remote, '--redis', url, '--tile-lines', '6'], { encoding: 'utf8', env: env() });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const local = path.join(dir, 'local.npz');
      expect(cli(['pca', cube, '-k', '2', '--save', local]).status).toBe(0);
      const a = loadModel(remote, { kind: 'pca' });
      const b = loadModel(local, { kind: 'pca' });
      for (let i = 0; i < a.components.length; i++) expect(Math.abs(a.components[i] - b.components[i])).toBeLessThan(1e-12);
    } finally {
      await new Promise<void>((r) => (worker.exitCode !== null ? r() : (worker.once('exit', () => r()), worker.kill('SIGTERM'))));
    }
  });
});
