/**
 * A real redis-server for the cluster tests: POINTWISE_TEST_REDIS when set (CI starts one), else
 * one started here on a free loopback port without persistence (and, on request, with a password).
 * Without redis-server the tests fail under CI=true and skip with a note elsewhere.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

export const REDIS_BIN = (() => {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
})();

/** True when the tests can run: an external URL or a local redis-server. */
export const HAVE_REDIS = Boolean(process.env.POINTWISE_TEST_REDIS) || REDIS_BIN !== null;

if (!HAVE_REDIS) {
  if (process.env.CI === 'true') throw new Error('cluster tests: redis-server is required under CI (apt-get install redis-server, or set POINTWISE_TEST_REDIS)');
  // eslint-disable-next-line no-console
  console.log('cluster tests skipped: no redis-server on PATH and POINTWISE_TEST_REDIS unset (apt-get install redis-server)');
}

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running Redis: its URL and a stop function. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port (password optional); waits until it accepts connections. */
export async function startRedis(password?: string): Promise<TestRedis> {
  if (!password && process.env.POINTWISE_TEST_REDIS) return { url: process.env.POINTWISE_TEST_REDIS, stop: async () => undefined };
  if (!REDIS_BIN) throw new Error('redis-server is not installed');
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (password) args.push('--requirepass', password);
  const proc: ChildProcess = spawn(REDIS_BIN, args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: password ? `redis://:${password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
