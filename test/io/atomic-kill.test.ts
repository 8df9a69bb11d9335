/**
 * Issue 9, "nothing lost": a child process writing a large file through WavWriter or
 * writeFileAtomic is killed with SIGKILL mid-write; the target must then be either the old file or
 * the complete new one, and leftover temporary files must be recognisably temporary (hidden,
 * `.tmp`, never the target's name) so nothing mistakes them for the target.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { readWav, readWavInfo, writeWav } from '../../src/io/wav.js';
import { REPO_ROOT, tempDir } from '../helpers/index.js';

const CHILD = path.join(REPO_ROOT, 'test/io/kill-child.ts');

/** Spawns the child and SIGKILLs it when `when(line)` is true (or after `afterMs` of the first output line). */
function runAndKill(args: string[], when: (line: string) => boolean, afterMs = 0): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader, not the tsx command: that one runs the script in a grandchild
    // process, which a SIGKILL of the tsx process leaves running (writing files forever).
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
    const lines: string[] = [];
    let buf = '';
    let stderr = '';
    let armed = false;
    const kill = () => child.kill('SIGKILL');
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const l of parts) {
        lines.push(l);
        if (!armed && when(l)) {
          armed = true;
          if (afterMs > 0) setTimeout(kill, afterMs);
          else kill();
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited with code ${code} before it was killed: ${stderr}`));
      else resolve({ lines, signal });
    });
  });
}

/** Every file in `dir` other than `name` must be a hidden temporary of it. */
function expectOnlyTemporaries(dir: string, name: string): string[] {
  const others = fs.readdirSync(dir).filter((f) => f !== name);
  const re = new RegExp(`^\\.${name.replace('.', '\\.')}\\.\\d+\\.[0-9a-f]{8}\\.tmp$`);
  for (const f of others) expect(f).toMatch(re);
  return others;
}

describe('atomic writes survive SIGKILL mid-write', () => {
  const old = Multichannel.fromChannels([[0.5, -0.5, 0.25]], { sampleRate: 8000 });

  for (const killAt of [1, 12]) {
    it(`WavWriter killed after piece ${killAt} of 40 (8 ch × 1 s each): target is still the old file`, async () => {
      const dir = tempDir();
      const target = path.join(dir, 'out.wav');
      writeWav(target, old);
      const before = fs.readFileSync(target);
      const { lines } = await runAndKill(['wav', target, '40'], (l) => l === `piece ${killAt}`);
      expect(lines).not.toContain('committed');
      expect(fs.readFileSync(target).equals(before)).toBe(true);
      expect(Array.from(readWav(target).data)).toEqual([0.5, -0.5, 0.25]);
      const temps = expectOnlyTemporaries(dir, 'out.wav');
      expect(temps.length).toBe(1); // the killed writer's partial temporary file, clearly named
    }, 60_000);
  }

  it('WavWriter killed after commit: target is the complete new file', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'out.wav');
    writeWav(target, old);
    await runAndKill(['wav', target, '10'], (l) => l === 'committed');
    const info = readWavInfo(target);
    expect([info.channels, info.frames, info.sampleRate]).toEqual([8, 480000, 48000]);
    expect(fs.statSync(target).size).toBe(info.dataOffset + 480000 * 16);
    expect(expectOnlyTemporaries(dir, 'out.wav')).toEqual([]);
  }, 60_000);

  for (const delayMs of [5, 37, 151]) {
    it(`writeFileAtomic of 24 MiB files in a loop, killed at a random moment (+${delayMs} ms): target is one whole version`, async () => {
      const dir = tempDir();
      const target = path.join(dir, 'blob.bin');
      fs.writeFileSync(target, Buffer.alloc(1000, 0x11)); // the "old" file
      const { lines } = await runAndKill(['atomic', target, '24'], (l) => l.startsWith('wrote'), delayMs);
      const got = fs.readFileSync(target);
      const written = lines.filter((l) => l.startsWith('wrote')).length;
      expect(written).toBeGreaterThan(0);
      // Whole and uniform: one of the two complete new versions (the old one was replaced by "wrote 1").
      expect(got.length).toBe(24 * 1048576);
      const v = got[0];
      expect([0xaa, 0x55]).toContain(v);
      expect(got.equals(Buffer.alloc(got.length, v))).toBe(true);
      expectOnlyTemporaries(dir, 'blob.bin');
    }, 60_000);
  }
});
