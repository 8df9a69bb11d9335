/**
 * Child of bench/hdf5.ts: reads one hyperslab of the big file in a fresh process and prints its peak
 * RSS, so the parent's own memory does not count. Args: file, channel, start, end.
 */
import { readHdf5 } from '../src/io/hdf5.js';
import { peakRssMb } from './lib.js';

async function run(): Promise<void> {
  const [file, ch, start, end] = process.argv.slice(2);
  const c = Number(ch), s = Number(start), e = Number(end);
  const before = peakRssMb();
  const t0 = performance.now();
  const x = await readHdf5(file, 'x', { slice: [[c, c + 1], [s, e]] });
  const ms = performance.now() - t0;
  let ok = x.length === e - s;
  for (let t = 0; t < x.length && ok; t++) ok = x.data[t] === c * 1e9 + s + t;
  console.log(JSON.stringify({ ms, peakRssMb: peakRssMb(), rssBeforeMb: before, ok, length: x.length }));
}
run().catch((err) => {
  console.error(err);
  process.exit(1);
});
