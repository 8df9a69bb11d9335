/**
 * `npm run bench`: runs every bench module in turn (or those named on the command line, e.g.
 * `npm run bench -- convolve mixing`). Set BENCH_SMOKE=1 for tiny sizes.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => (f.endsWith('.ts') || f.endsWith('.js')) && !f.endsWith('.d.ts') && !['run', 'lib'].includes(f.replace(/\.(ts|js)$/, '')) && !f.startsWith('_'))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .filter((name) => wanted.length === 0 || wanted.includes(name));
  for (const name of files) {
    console.log(`\n## bench/${name}`);
    const mod = (await import(path.join(__dirname, name))) as { main?: () => Promise<void> | void };
    if (typeof mod.main !== 'function') throw new Error(`bench/${name}: must export main()`);
    await mod.main();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
