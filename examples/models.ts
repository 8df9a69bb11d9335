/**
 * Fitted things are files, and partial results merge exactly.
 *
 * Imports `pointwise` by name, which resolves to the build in dist/: run `npm run build` once first.
 *
 *   npx tsx examples/models.ts [cube.hdr] [--out folder]
 *
 * Splits a cube (../shared/data/hyperspectral/samson_bsq_f32.hdr when present, or the path given,
 * else a synthetic one) into four tiles, accumulates each tile's band covariance on its own (as four
 * machines would) and saves it as a partial-result file; merges the files, fits PCA from the merged
 * sums and compares with PCA on the whole cube; then saves the model, loads it back and checks that
 * it gives bit-identical scores. Prints the files written and how to open the model in numpy.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Multichannel, loadModel, mergePartialFiles, saveModel, savePartial, CovarianceAccumulator, pca,
  pcaFromAccumulator, readEnvi, syntheticCube,
} from 'pointwise';

const argv = process.argv.slice(2);
const outIdx = argv.indexOf('--out');
const out = outIdx >= 0 ? argv[outIdx + 1] : fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-models-'));
fs.mkdirSync(out, { recursive: true });
const given = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--out');
const samson = path.resolve(__dirname, '..', '..', 'shared', 'data', 'hyperspectral', 'samson_bsq_f32.hdr');
const hdr = given ?? (fs.existsSync(samson) ? samson : undefined);
const cube: Multichannel = hdr ? readEnvi(hdr) : syntheticCube({ shape: [60, 60], bands: 50, seed: 1 }).cube;
console.log(`cube: ${hdr ?? 'synthetic'} — ${cube.channels} bands × ${cube.length} pixels`);

// four tiles of pixels, each accumulated and saved on its own
const B = cube.channels;
const N = cube.length;
const files: string[] = [];
for (let t = 0; t < 4; t++) {
  const p0 = Math.floor((t * N) / 4);
  const p1 = Math.floor(((t + 1) * N) / 4);
  const tile = new Float64Array(B * (p1 - p0));
  for (let b = 0; b < B; b++) for (let p = p0; p < p1; p++) tile[b * (p1 - p0) + p - p0] = cube.data[b * N + p];
  const file = path.join(out, `tile-${t}.npz`);
  savePartial(file, new CovarianceAccumulator(B).add(new Multichannel(tile, B, p1 - p0)));
  files.push(file);
}

// merge in any order: the whole-cube model
const k = 5;
const whole = pca(cube, k, { signs: 'max-loading' });
for (const order of [[0, 1, 2, 3], [3, 1, 0, 2]]) {
  const merged = mergePartialFiles(order.map((i) => files[i])) as CovarianceAccumulator;
  const m = pcaFromAccumulator(merged, k, { signs: 'max-loading' });
  let worst = 0;
  for (let c = 0; c < k; c++) worst = Math.max(worst, Math.abs(m.explainedVariance[c] - whole.explainedVariance[c]) / whole.explainedVariance[c]);
  console.log(`merged in order ${order.join(',')}: explained variance within ${worst.toExponential(1)} (relative) of the whole-cube PCA`);
}

// the model as a file: bit-identical scores after loading
const modelFile = path.join(out, 'pca.npz');
saveModel(modelFile, whole, { description: `PCA, k = ${k}` });
const loaded = loadModel(modelFile, { kind: 'pca' });
const a = whole.transform(cube).data;
const b = loaded.transform(cube).data;
const same = Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
console.log(`wrote ${files.length} partial files and ${modelFile} (${fs.statSync(modelFile).size} bytes)`);
console.log(`loaded model gives bit-identical scores: ${same}`);
console.log(`in Python: numpy.load(${JSON.stringify(modelFile)})['components'].shape == (${k}, ${B})`);
if (!same) process.exit(1);
