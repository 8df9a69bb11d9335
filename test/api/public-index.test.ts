/**
 * The public surface is a deliberate list: the runtime exports of src/index.ts must equal
 * test/api/public-index.txt (one name a line, sorted), so adding or removing a public name is a
 * visible diff of that file. Internals — validators, unchecked kernels, job plumbing, plot's tick
 * arithmetic — stay out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { REPO_ROOT } from '../helpers/index.js';

const pinned = fs.readFileSync(path.join(REPO_ROOT, 'test/api/public-index.txt'), 'utf8').trim().split('\n');
const exported = Object.keys(api).sort();

describe('the public index', () => {
  it('exports exactly the pinned list (update test/api/public-index.txt on purpose)', () => {
    expect(pinned).toEqual([...pinned].sort());
    const added = exported.filter((n) => !pinned.includes(n));
    const removed = pinned.filter((n) => !exported.includes(n));
    expect({ added, removed }).toEqual({ added: [], removed: [] });
  });

  it.each([
    ['validators', ['assertFinite', 'assertPositive', 'assertInteger', 'assertOneOf', 'assertAllFinite', 'assertNumericArray', 'assertMultichannel', 'asMultichannel', 'describeValue']],
    ['unchecked kernels', ['gemm', 'gemmNT', 'syrkUpper', 'srpEvaluate', 'symmetricEigen']],
    ['cluster plumbing', ['validateJob', 'checkPathUnderRoots', 'processJob', 'jobId', 'PAYLOAD_VERSION', 'redactUrl']],
    ['format internals', ['parseNpyHeader', 'hdf5SignatureOffset', 'isMat73Header', 'needsRf64', 'encodeNpyArray', 'AtomicWriter']],
    ['plot internals', ['niceTicks', 'niceStep', 'niceDomain', 'formatTick', 'colormapTable']],
    ['checked variants with an error-prefix parameter', ['taperWeightsChecked', 'toMetresChecked', 'speedOfSoundChecked', 'writeFileAtomicChecked']],
  ])('keeps %s inside', (_, names) => {
    expect(names.filter((n) => n in api)).toEqual([]);
  });

  it('docs/API.md describes every public name and no name that is not public (regenerate: npx tsx scripts/api-doc.ts)', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/API.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `(\w+)` \| (function|class|constant) \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(exported);
  });

  it('every public function takes no error-prefix parameter `fn` first', () => {
    const withFn = exported.filter((n) => {
      const v = (api as Record<string, unknown>)[n];
      if (typeof v !== 'function' || /^class\b/.test(Function.prototype.toString.call(v))) return false;
      return /^(?:async\s+)?function\*?\s*\w*\s*\(\s*fn\b/.test(Function.prototype.toString.call(v));
    });
    expect(withFn).toEqual([]);
  });
});
