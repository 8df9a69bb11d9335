/**
 * Child process for test/io/hostile-kill.test.ts (not a test itself): writes the same ENVI target
 * in a loop, alternating two cubes of one shape (all 1s, all 2s), printing "wrote i" after each,
 * until it is killed.
 *   node --import tsx test/io/hostile-kill-child.ts <target.hdr> <megabytes>
 */
import { Multichannel } from '../../src/core/multichannel.js';
import { writeEnvi } from '../../src/spectral/envi.js';

const [target, amount] = process.argv.slice(2);
const n = Math.floor((Number(amount) * 1048576) / 8 / 4);
const cube = (v: number) => new Multichannel(new Float64Array(4 * n).fill(v), 4, n, { shape: [1, n] });
const a = cube(1);
const b = cube(2);
for (let i = 1; ; i++) {
  writeEnvi(target, i % 2 ? a : b);
  process.stdout.write(`wrote ${i}\n`);
}
