/**
 * Issue 7 acceptance for spectral unmixing: the constrained 1×1 map's abundance RMSE is no worse than
 * the penalty fit's, with its sum-to-one violation at machine precision against the penalty fit's
 * measurable one. Samson (real, skipped with a note when absent) and a synthetic scene (always).
 */
import { describe, expect, it } from 'vitest';
import { syntheticCube } from '../../src/spectral/index.js';
import { compareUnmixingFits, loadSamson } from '../../examples/constrained-unmixing.js';
import { sharedData } from '../helpers/index.js';

function assertAcceptance(rows: ReturnType<typeof compareUnmixingFits>, label: string): void {
  const [free, pen, con] = rows;
  expect(con.method, label).toMatch(/constrained/);
  expect(con.rmse, `${label}: constrained RMSE ≤ penalty RMSE`).toBeLessThanOrEqual(pen.rmse * (1 + 1e-12));
  expect(con.rmse, `${label}: constrained RMSE ≤ unconstrained RMSE`).toBeLessThanOrEqual(free.rmse * (1 + 1e-12));
  expect(con.violation, `${label}: constrained violation`).toBeLessThanOrEqual(1e-12);
  expect(pen.violation, `${label}: penalty violation is measurable`).toBeGreaterThan(1e-6);
  expect(free.violation).toBeGreaterThan(pen.violation);
}

describe('unmixing acceptance (constrained vs penalty vs unconstrained)', () => {
  const hdr = sharedData('hyperspectral/samson_bsq_f32.hdr');
  it.skipIf(!hdr)('Samson (real data via readEnvi / readNpy), noisy labels σ = 0.02, seed 1', () => {
    const scene = loadSamson(hdr!);
    expect(scene).not.toBeNull();
    const rows = compareUnmixingFits(scene!.cube, scene!.abundances, { labelNoise: 0.02, seed: 1, fcls: false });
    assertAcceptance(rows, 'Samson');
    expect(rows[2].rmse).toBeLessThan(0.1);
  });
  it('synthetic scene (spectral.syntheticCube seed 3), noisy labels σ = 0.02, seed 2', () => {
    const { cube, abundances } = syntheticCube({ shape: [40, 40], bands: 60, seed: 3 });
    const rows = compareUnmixingFits(cube, abundances, { labelNoise: 0.02, seed: 2, fcls: false });
    assertAcceptance(rows, 'synthetic');
  });
});
