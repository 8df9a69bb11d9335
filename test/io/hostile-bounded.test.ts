/**
 * Issue 19, bounded resources: every crafted input of test/io/hostile-inputs.ts (each under 1 MB on
 * disk; headers of every format that lie about sizes, decompression bombs, unclosed braces,
 * unaligned data) is read by the BUILT package (dist/, rebuilt when stale, as the CLI tests do) in a
 * fresh plain-node child process, which must finish the read within 2 s with a pointwise error or a
 * correct result, and stay under 256 MB of peak RSS (process.resourceUsage().maxRSS, Node included).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers/index.js';
import { ensureBuilt } from '../cli/run.js';
import { craftedCases, writeCase } from './hostile-inputs.js';

const DIST = path.join(REPO_ROOT, 'dist', 'src');

/** The child: reads `file` with `reader` and prints outcome, time and peak RSS as JSON. */
const CHILD = `
const [file, reader, optionsJson] = process.argv.slice(1);
const options = JSON.parse(optionsJson);
const { isPointwiseError } = require(${JSON.stringify(path.join(DIST, 'core/errors.js'))});
const mat = require(${JSON.stringify(path.join(DIST, 'io/mat.js'))});
const { readNpy } = require(${JSON.stringify(path.join(DIST, 'io/npy.js'))});
const { readWav } = require(${JSON.stringify(path.join(DIST, 'io/wav.js'))});
const { readEnvi } = require(${JSON.stringify(path.join(DIST, 'spectral/envi.js'))});
const t0 = performance.now();
let outcome = 'ok', pointwise = true;
try {
  if (reader === 'readEnvi') readEnvi(file, options);
  else if (reader === 'readNpy') readNpy(file);
  else if (reader === 'readWav') readWav(file);
  else { const m = mat.readMat(file, options); for (const a of Object.values(m.arrays)) mat.matToMultichannel(a); }
} catch (e) { pointwise = isPointwiseError(e); outcome = e.name + ': ' + e.message; }
process.stdout.write(JSON.stringify({ outcome, pointwise, ms: performance.now() - t0, maxRss: process.resourceUsage().maxRSS * 1024 }) + '\\n');
`;

describe('readers on crafted inputs finish within 2 s and 256 MB peak RSS (built package, child process each)', () => {
  beforeAll(() => ensureBuilt(), 300_000);
  for (const c of craftedCases()) {
    it(c.name, () => {
      const file = writeCase(tempDir('pointwise-bounded-'), c);
      const r = spawnSync(process.execPath, ['-e', CHILD, file, c.reader, JSON.stringify(c.options ?? {})], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${r.signal ?? ''} ${r.stderr.slice(-2000)}`).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { outcome: string; pointwise: boolean; ms: number; maxRss: number };
      console.log(`[bounded] ${c.name}: ${out.outcome.slice(0, 200)} — ${out.ms.toFixed(0)} ms, ${(out.maxRss / 2 ** 20).toFixed(0)} MB peak RSS`);
      expect(out.pointwise, out.outcome).toBe(true);
      expect(out.ms).toBeLessThan(2000);
      expect(out.maxRss).toBeLessThan(256 * 2 ** 20);
    }, 90_000);
  }
});
