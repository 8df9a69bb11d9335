/**
 * The WebAssembly kernels load in the BUILT package too, not only from the TypeScript sources:
 * compiled to CommonJS, a local named `exports` shadows the module's exports object, and a kernel
 * that threw while loading fell back to JavaScript without a word (twice as slow). A failure here
 * prints the kernel's status, with the reason it did not load.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/index.js';
import { ensureBuilt } from '../cli/run.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('SIMD kernels from dist/', () => {
  it.each([
    ['linalg/syrk-wasm.js', 'wasmSyrk'],
    ['linalg/gemm-wasm.js', 'wasmGemm'],
    ['fft/pffft.js', 'pffft'],
    ['fft/fft64-wasm.js', 'fft64Kernel'],
    ['spectral/signs-wasm.js', 'wasmSigns'],
    ['linalg/eigen.js', 'wasmHouseholder'],
  ])('%s: %s() loads in plain node', (file, loader) => {
    const mod = path.join(REPO_ROOT, 'dist', 'src', file);
    const r = spawnSync(process.execPath, ['-e', `const k = require(${JSON.stringify(mod)}).${loader}; process.stdout.write(k() !== null ? 'true' : JSON.stringify(k.status()))`], { encoding: 'utf8', env: { ...process.env, POINTWISE_WASM: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true');
  });
});
