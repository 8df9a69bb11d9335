/**
 * Unsupervised unmixing, cube → endmembers → abundances, with no training pixels: VCA or N-FINDR
 * picks k endmember pixels, `refineEndmembers` averages the pixels within 5° of spectral angle of
 * each (noise-averaged spectra), and FCLS gives every pixel's abundances (≥ 0, summing to 1); RX
 * then marks the pixels that none of it explains. Printed: the spectral angle of each found
 * endmember to the reference spectra (after optimal matching) and the abundance RMSE.
 *
 * Imports `pointwise` by name, which resolves to the build in dist/: run `npm run build` once first.
 * Run: npx tsx examples/unsupervised-unmixing.ts [path/to/samson_bsq_f32.hdr]
 * Reads ../shared/data/hyperspectral/samson_bsq_f32.{hdr,img} with its .endmembers.npy and
 * .abundances.npy when present; otherwise generates a synthetic scene.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Multichannel, readNpy, readEnvi, syntheticCube, unmix, rx } from 'pointwise';

/** Spectral angle between two spectra, degrees. */
function angleDeg(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return (Math.acos(Math.min(1, ab / Math.sqrt(aa * bb))) * 180) / Math.PI;
}

/** Greedy matching of found spectra `[k, B]` to reference spectra `[k, B]` by smallest angle. */
function match(found: Multichannel, ref: Multichannel): { perm: number[]; angles: number[] } {
  const B = ref.length, k = ref.channels;
  const used = new Set<number>();
  const perm: number[] = [], angles: number[] = [];
  for (let j = 0; j < k; j++) {
    let best = -1, bestA = Infinity;
    for (let q = 0; q < k; q++) {
      if (used.has(q)) continue;
      const a = angleDeg(found.data.subarray(q * B, (q + 1) * B), ref.data.subarray(j * B, (j + 1) * B));
      if (a < bestA) [best, bestA] = [q, a];
    }
    used.add(best);
    perm.push(best);
    angles.push(bestA);
  }
  return { perm, angles };
}

function loadScene(): { cube: Multichannel; endmembers: Multichannel; abundances: Multichannel; name: string } {
  const hdr = process.argv[2] ?? path.resolve(__dirname, '..', '..', 'shared', 'data', 'hyperspectral', 'samson_bsq_f32.hdr');
  if (fs.existsSync(hdr)) {
    return { cube: readEnvi(hdr), endmembers: readNpy(hdr.replace(/\.hdr$/, '.endmembers.npy')), abundances: readNpy(hdr.replace(/\.hdr$/, '.abundances.npy')), name: path.basename(hdr) };
  }
  const s = syntheticCube({ shape: [40, 40], bands: 60, endmembers: 3, noise: 0.005, concentration: 0.3, seed: 4 });
  return { cube: s.cube, endmembers: s.endmembers, abundances: s.abundances, name: 'synthetic 40 × 40 × 60' };
}

export function run(): string[] {
  const { cube, endmembers, abundances, name } = loadScene();
  const k = endmembers.channels, N = cube.length;
  const lines = [`${name}: ${cube.channels} bands, ${N} pixels, k = ${k}`];
  for (const method of ['vca', 'nfindr'] as const) {
    const r = unmix(cube, k, { method, seed: 0, refineAngleDeg: 5 });
    const m = match(r.endmembers, endmembers);
    let se = 0;
    for (let j = 0; j < k; j++) for (let p = 0; p < N; p++) se += (r.abundances.data[m.perm[j] * N + p] - abundances.data[j * N + p]) ** 2;
    lines.push(`${method}: angles ${m.angles.map((a) => a.toFixed(2) + '°').join(', ')}; abundance RMSE ${Math.sqrt(se / (k * N)).toFixed(4)}`);
  }
  const scores = rx(cube).data;
  let top = 0;
  for (let p = 1; p < N; p++) if (scores[p] > scores[top]) top = p;
  lines.push(`RX: most anomalous pixel ${top} (score ${scores[top].toFixed(1)}, ${cube.channels} bands)`);
  return lines;
}

if (require.main === module) for (const l of run()) console.log(l);
