/**
 * Issue 19, interrupted writes: `pointwise convolve` stopped by SIGINT, SIGTERM or SIGHUP mid-write
 * leaves the old output and no temporary file, and exits with 128 + the signal number; temporaries
 * left by dead processes (kill -9) are removed the next time the same target is written.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { AtomicWriter, removeStaleTemps, writeFileAtomic } from '../../src/io/atomic.js';
import { writeWav } from '../../src/io/wav.js';
import { REPO_ROOT, tempDir } from '../helpers/index.js';

const MAIN = path.join(REPO_ROOT, 'src/cli/main.ts');
const temps = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('CLI: signals during a write remove the temporary file', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('pointwise-signals-');
    const n = 48000 * 20;
    const x = Multichannel.zeros(4, n, { sampleRate: 48000 });
    for (let i = 0; i < x.data.length; i++) x.data[i] = Math.sin(i * 0.01) * 0.3;
    writeWav(path.join(dir, 'in.wav'), x);
    const k = Multichannel.zeros(1, 4800, { sampleRate: 48000 });
    for (let i = 0; i < k.data.length; i++) k.data[i] = Math.exp(-i / 500) * 0.01;
    writeWav(path.join(dir, 'k.wav'), k);
  });

  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${sig} while convolve writes: old output kept, no temporary left, exit status 128 + ${os.constants.signals[sig]}`, async () => {
      const out = path.join(dir, `out-${sig}.wav`);
      fs.writeFileSync(out, 'old output');
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'convolve', path.join(dir, 'in.wav'), path.join(dir, 'k.wav'), '-o', out], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      // wait until the temporary file of the output exists, then signal the CLI
      const t0 = Date.now();
      let sawTemp = false;
      while (Date.now() - t0 < 60_000) {
        if (temps(dir).some((f) => f.startsWith(`.out-${sig}.wav.`))) {
          sawTemp = true;
          break;
        }
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(sawTemp, stderr).toBe(true);
      child.kill(sig);
      const { code } = await exited;
      expect(code).toBe(128 + os.constants.signals[sig]);
      expect(temps(dir)).toEqual([]);
      expect(fs.readFileSync(out, 'utf8')).toBe('old output');
    }, 90_000);
  }
});

describe('stale temporaries of dead processes', () => {
  it('are removed the next time the same target is written; those of live processes and of other targets stay', () => {
    const dir = tempDir('pointwise-stale-');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const target = path.join(dir, 'out.npy');
    const stale = path.join(dir, `.out.npy.${dead}.0badf00d.tmp`);
    const live = path.join(dir, `.out.npy.${process.ppid}.0badf00d.tmp`);
    const other = path.join(dir, `.other.npy.${dead}.0badf00d.tmp`);
    for (const f of [stale, live, other]) fs.writeFileSync(f, 'partial');
    writeFileAtomic(target, 'new');
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(removeStaleTemps(path.join(dir, 'other.npy'))).toEqual([other]);
  });
});

describe('permissions', () => {
  it('overwriting a 0600 file keeps 0600; a new file gets 0666 less the umask; the temporary is 0600 while written', () => {
    const dir = tempDir('pointwise-mode-');
    const secret = path.join(dir, 'secret.bin');
    fs.writeFileSync(secret, 'old', { mode: 0o600 });
    fs.chmodSync(secret, 0o600);
    writeFileAtomic(secret, 'new');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
    const fresh = path.join(dir, 'fresh.bin');
    writeFileAtomic(fresh, 'x');
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o666 & ~process.umask());
    const w = new AtomicWriter(fresh);
    expect(fs.statSync(w.tempPath).mode & 0o777).toBe(0o600);
    w.abort();
  });

  /** Runs writeFileAtomic of 1 MiB into `dir` in a child (under `shell` limits); returns what it threw and the temps left. */
  function failingWrite(dir: string, shellPrefix: string): { name: string; code: string; message: string; temps: string[] } {
    const script = `const { writeFileAtomic } = require(${JSON.stringify(path.join(REPO_ROOT, 'src/io/atomic.ts'))});
try { writeFileAtomic(${JSON.stringify(path.join(dir, 'out.bin'))}, Buffer.alloc(1 << 20, 7)); console.log(JSON.stringify({ name: 'none' })); }
catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`;
    const r = spawnSync('sh', ['-c', `${shellPrefix} exec "${process.execPath}" --import tsx -e '${script.replace(/'/g, `'\\''`)}'`], { cwd: REPO_ROOT, encoding: 'utf8' });
    return { ...JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}'), temps: temps(dir) };
  }

  it('a write refused by the file system (file size limit: EFBIG) is a FileError naming the target, and leaves no temporary', () => {
    const dir = tempDir('pointwise-efbig-');
    const r = failingWrite(dir, 'ulimit -f 64;');
    expect(r.name).toBe('FileError');
    expect(r.code).toBe('EFBIG');
    expect(r.message).toMatch(/^writeFileAtomic: the output file must be writable \(disk full\?\); got ".*out\.bin" \(EFBIG\)$/);
    expect(r.temps).toEqual([]);
  });

  it('a full disk (ENOSPC, a 64 KiB tmpfs) is a FileError with code ENOSPC, and leaves no temporary', (ctx) => {
    const dir = tempDir('pointwise-enospc-');
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status !== 0) {
      ctx.skip(); // needs root (mount); the EFBIG case above covers the same code path
      return;
    }
    try {
      const r = failingWrite(dir, '');
      expect(r.name).toBe('FileError');
      expect(r.code).toBe('ENOSPC');
      expect(r.temps).toEqual([]);
    } finally {
      spawnSync('umount', [dir]);
    }
  });
});
