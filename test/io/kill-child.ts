/**
 * Child process for test/io/atomic-kill.test.ts (not a test itself). Writes big files through the
 * package's atomic writers and reports progress on stdout so the parent can SIGKILL it mid-write.
 *   tsx test/io/kill-child.ts wav <target> <pieces>      WavWriter: 8 ch × 1 s pcm16 pieces, "piece i" after each, "committed" at the end
 *   tsx test/io/kill-child.ts atomic <target> <megabytes> writeFileAtomic in a loop, alternating all-0xAA / all-0x55 files, "wrote i" after each
 */
import { Multichannel } from '../../src/core/multichannel.js';
import { writeFileAtomic } from '../../src/io/atomic.js';
import { WavWriter } from '../../src/io/wav.js';

const [mode, target, amount] = process.argv.slice(2);
const say = (s: string) => process.stdout.write(s + '\n');

if (mode === 'wav') {
  const pieces = Number(amount);
  const x = Multichannel.zeros(8, 48000, { sampleRate: 48000 });
  for (let i = 0; i < x.data.length; i++) x.data[i] = Math.sin(i * 0.01) * 0.5;
  const w = new WavWriter(target, { channels: 8, sampleRate: 48000, format: 'pcm16' });
  for (let i = 1; i <= pieces; i++) {
    w.write(x);
    say(`piece ${i}`);
  }
  w.commit();
  say('committed');
  setInterval(() => undefined, 1000); // wait to be killed
} else if (mode === 'atomic') {
  const n = Number(amount) * 1048576;
  const a = Buffer.alloc(n, 0xaa);
  const b = Buffer.alloc(n, 0x55);
  for (let i = 1; ; i++) {
    writeFileAtomic(target, i % 2 ? a : b);
    say(`wrote ${i}`);
  }
} else {
  throw new Error(`kill-child: unknown mode ${mode}`);
}
