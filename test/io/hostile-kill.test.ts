/**
 * Issue 19, interrupted writes: a child writing an ENVI pair (data file, then header) in a loop
 * is killed with SIGKILL at random moments. Reading the target afterwards must give one whole
 * cube (all 1s or all 2s) or a FormatError for a mismatched pair — never new data under the old
 * header without an error; and once the next write of that target has run, no temporaries remain.
 * The same for writeFileAtomic and WavWriter (the children of test/io/atomic-kill.test.ts).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { readEnvi, writeEnvi } from '../../src/spectral/envi.js';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { writeWav } from '../../src/io/wav.js';
import { REPO_ROOT, tempDir } from '../helpers/index.js';

const CHILD = path.join(REPO_ROOT, 'test/io/hostile-kill-child.ts');
const ATOMIC_CHILD = path.join(REPO_ROOT, 'test/io/kill-child.ts');

/** Runs `args` under node + tsx and SIGKILLs it `afterMs` after its first line of output. */
function runAndKill(target: string, megabytes: number, afterMs: number, args = [CHILD, target, String(megabytes)]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
    let armed = false;
    let stderr = '';
    child.stdout.on('data', () => {
      if (!armed) {
        armed = true;
        if (afterMs > 0) setTimeout(() => child.kill('SIGKILL'), afterMs);
        else child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}: ${stderr}`))));
  });
}

describe('writeEnvi killed with SIGKILL mid-write', () => {
  for (const afterMs of [3, 17, 41, 89, 130]) {
    it(`killed ${afterMs} ms after the first write: one whole cube or a FormatError; no temporaries after the next write`, async () => {
      const dir = tempDir('pointwise-envi-kill-');
      const target = path.join(dir, 'cube.hdr');
      await runAndKill(target, 16, afterMs);
      let outcome: string;
      try {
        const x = readEnvi(target);
        const v = x.data[0];
        expect(v === 1 || v === 2).toBe(true);
        expect(x.data.every((u) => u === v)).toBe(true);
        outcome = `cube of ${v}s`;
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as Error).message).toMatch(/the data file must be the one written with this header/);
        outcome = 'mismatch detected';
      }
      console.log(`[kill] +${afterMs} ms: ${outcome}; left ${fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')).length} temporaries`);
      // the next write of the target cleans up after the dead writer
      writeEnvi(target, new Multichannel(new Float64Array(8).fill(3), 2, 4, { shape: [2, 2] }));
      expect(fs.readdirSync(dir).sort()).toEqual(['cube.hdr', 'cube.img']);
      expect(Array.from(readEnvi(target).data)).toEqual(new Array(8).fill(3));
    }, 60_000);
  }
});

describe('temporaries of killed writers are gone once the target is written again', () => {
  it('writeFileAtomic (24 MiB files in a loop, SIGKILL at +60 ms)', async () => {
    const dir = tempDir('pointwise-atomic-kill-');
    const target = path.join(dir, 'big.bin');
    await runAndKill(target, 24, 60, [ATOMIC_CHILD, 'atomic', target, '24']);
    const left = fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    console.log(`[kill] writeFileAtomic: ${left.length} temporaries left by the killed writer`);
    writeFileAtomic(target, 'next');
    expect(fs.readdirSync(dir)).toEqual(['big.bin']);
  }, 60_000);

  it('WavWriter (killed after its first piece)', async () => {
    const dir = tempDir('pointwise-wav-kill-');
    const target = path.join(dir, 'out.wav');
    await runAndKill(target, 0, 0, [ATOMIC_CHILD, 'wav', target, '40']);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')).length).toBe(1);
    writeWav(target, Multichannel.fromChannels([[0.5, -0.5]], { sampleRate: 8000 }));
    expect(fs.readdirSync(dir)).toEqual(['out.wav']);
  }, 60_000);
});
