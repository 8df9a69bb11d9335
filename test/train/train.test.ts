import { describe, expect, it } from 'vitest';
import { Multichannel, NumericalError, ShapeError, ValueError } from '../../src/core/index.js';
import { PointwiseMixer, mix } from '../../src/mixing/index.js';
import { Adam, SGD, fitLeastSquares, mseLoss, softmaxCrossEntropy, trainMixer } from '../../src/train/index.js';
import { Rng, centralDifference, expectClose, expectPointwiseError } from '../helpers/index.js';

/** Central differences with this file's step h = 1e-6. */
const centralDiff = (p: Float64Array, f: () => number): Float64Array => centralDifference(p, f, 1e-6);

/** A regression problem y = W x + b + noise with well-conditioned x. */
function regression(seed: number, cin: number, cout: number, T: number, noise: number) {
  const rng = new Rng(seed);
  const W = rng.normals(cout * cin);
  const b = rng.normals(cout);
  const x = new Multichannel(rng.normals(cin * T), cin, T);
  const clean = mix(x, { data: W, rows: cout, cols: cin }, b);
  const y = clean.withData(clean.data.map((v) => v + noise * rng.normal()));
  return { W, b, x, y };
}

describe('losses', () => {
  it('mseLoss: hand-worked value and gradient = finite differences (seed 101)', () => {
    const r = mseLoss(Multichannel.fromChannels([[1, 2]]), Multichannel.fromChannels([[0, 0]]));
    expect(r.loss).toBe(2.5);
    expect(Array.from(r.grad.data)).toEqual([1, 2]);
    const rng = new Rng(101);
    const p = new Multichannel(rng.normals(12), 3, 4);
    const t = new Multichannel(rng.normals(12), 3, 4);
    const g = mseLoss(p, t).grad.data;
    expectClose(g, centralDiff(p.data as Float64Array, () => mseLoss(p, t).loss), { rtol: 1e-6, atol: 1e-9, label: 'mse grad' });
  });

  it('softmaxCrossEntropy: hand-worked value, stable for huge logits, gradient = finite differences (seed 102)', () => {
    const r = softmaxCrossEntropy(Multichannel.fromChannels([[0], [0]]), Int32Array.of(1));
    expect(r.loss).toBeCloseTo(Math.log(2), 15);
    expectClose(r.grad.data, [0.5, -0.5], { atol: 1e-15, label: 'two equal logits' });
    const big = softmaxCrossEntropy(Multichannel.fromChannels([[1000], [0]]), Int32Array.of(0));
    expect(big.loss).toBeCloseTo(0, 12);
    expect(softmaxCrossEntropy(Multichannel.fromChannels([[1000], [0]]), Int32Array.of(1)).loss).toBeCloseTo(1000, 9);
    const rng = new Rng(102);
    const z = new Multichannel(rng.normals(15), 3, 5);
    const labels = Int32Array.of(0, 2, 1, 1, 0);
    const g = softmaxCrossEntropy(z, labels).grad.data;
    expectClose(g, centralDiff(z.data as Float64Array, () => softmaxCrossEntropy(z, labels).loss), { rtol: 1e-6, atol: 1e-9, label: 'ce grad' });
  });

  it('bad input', () => {
    expect(() => mseLoss(Multichannel.zeros(2, 3), Multichannel.zeros(2, 4))).toThrow(/^mseLoss: target must have the shape of pred \[2, 3\]/);
    expect(() => softmaxCrossEntropy(Multichannel.zeros(2, 3), Int32Array.of(0, 1))).toThrow(/^softmaxCrossEntropy: labels must have one class per sample \(3\); got 2/);
    expect(() => softmaxCrossEntropy(Multichannel.zeros(2, 2), Int32Array.of(0, 2))).toThrow(/^softmaxCrossEntropy: labels must be in \[0, 1\]; got 2 at index 1/);
  });
});

describe('optimizers', () => {
  it('SGD with momentum: hand-worked steps', () => {
    const p = Float64Array.of(1);
    const o = new SGD({ learningRate: 0.1, momentum: 0.5 });
    o.step([p], [Float64Array.of(2)]); // v = 2, p = 1 − 0.2
    expect(p[0]).toBeCloseTo(0.8, 15);
    o.step([p], [Float64Array.of(2)]); // v = 3, p = 0.8 − 0.3
    expect(p[0]).toBeCloseTo(0.5, 15);
  });

  it('Adam: the first step moves every parameter by −lr·sign(g)', () => {
    const p = Float64Array.of(1, 1, 1);
    new Adam({ learningRate: 0.01 }).step([p], [Float64Array.of(3, -0.001, 0)]);
    expectClose(p, [0.99, 1.01, 1], { atol: 1e-6, label: 'adam step 1 (ε = 1e-8 shortens a 1e-3 gradient step by 1e-5)' });
  });

  it('bad options and mismatched arrays', () => {
    expect(() => new SGD({ momentum: 1 })).toThrow(/^SGD: options\.momentum must be in \[0, 1\); got 1/);
    expect(() => new Adam({ learningRate: -1 })).toThrow(/^Adam: options\.learningRate must be > 0; got -1/);
    expect(() => new Adam().step([new Float64Array(2)], [new Float64Array(3)])).toThrow(/^Adam.step: grads\[0\] must have the length of params\[0\] \(2\); got 3/);
  });
});

describe('fitLeastSquares', () => {
  it('recovers W and b exactly from noiseless data (seed 111)', () => {
    const { W, b, x, y } = regression(111, 6, 3, 400, 0);
    const fit = fitLeastSquares(x, y);
    expectClose(fit.weights, W, { atol: 1e-12, label: 'W' });
    expectClose(fit.bias, b, { atol: 1e-12, label: 'b' });
    expect(fit.residual).toBeLessThan(1e-24);
    expect(fit.conditionNumber).toBeGreaterThan(1);
    expect(fit.conditionNumber).toBeLessThan(10);
  });

  it('satisfies the normal equations with noise; bias: false fits through the origin; ridge shrinks W (seed 112)', () => {
    const { x, y } = regression(112, 4, 2, 300, 0.3);
    const fit = fitLeastSquares(x, y);
    // residual r = W x + b − y is orthogonal to every input channel and sums to zero per output
    const pred = mix(x, { data: fit.weights, rows: 2, cols: 4 }, fit.bias);
    for (let o = 0; o < 2; o++) {
      let s = 0;
      for (let t = 0; t < 300; t++) s += pred.data[o * 300 + t] - y.data[o * 300 + t];
      expect(Math.abs(s)).toBeLessThan(1e-10);
      for (let i = 0; i < 4; i++) {
        let d = 0;
        for (let t = 0; t < 300; t++) d += (pred.data[o * 300 + t] - y.data[o * 300 + t]) * x.data[i * 300 + t];
        expect(Math.abs(d)).toBeLessThan(1e-10);
      }
    }
    expect(fit.residual).toBeCloseTo(mseLoss(pred, y).loss, 14);
    expect(Array.from(fitLeastSquares(x, y, { bias: false }).bias)).toEqual([0, 0]);
    const norm = (a: Float64Array) => Math.hypot(...a);
    expect(norm(fitLeastSquares(x, y, { ridge: 100 }).weights)).toBeLessThan(norm(fit.weights));
  });

  it('ill-conditioned x (collinear channels): NumericalError with the condition number and a ridge suggestion; ridge fixes it (issue 9)', () => {
    const rng = new Rng(113);
    const T = 200;
    const a = rng.normals(T);
    const xs = new Float64Array(3 * T);
    xs.set(a, 0);
    for (let t = 0; t < T; t++) xs[T + t] = 2 * a[t] + 1e-7 * rng.normal();
    xs.set(rng.normals(T), 2 * T);
    const x = new Multichannel(xs, 3, T);
    const y = new Multichannel(rng.normals(T), 1, T);
    expectPointwiseError(() => fitLeastSquares(x, y), NumericalError, /^fitLeastSquares: the system x·xᵀ \+ ridge·I must be well conditioned \(condition number ≤ 1e\+12\); .* try \{ ridge: [0-9.e+-]+ \}.*; got condition number [0-9.]+e\+(1[3-9]|2\d)/);
    const fit = fitLeastSquares(x, y, { ridge: 1e-6 });
    expect(fit.conditionNumber).toBeLessThan(1e12);
    expect(() => fitLeastSquares(x, y, { maxConditionNumber: 1e30 })).not.toThrow();
    // a constant channel with a bias is singular after centring
    const xc = new Multichannel(Float64Array.of(...rng.normals(T), ...new Float64Array(T).fill(3)), 2, T);
    expect(() => fitLeastSquares(xc, y)).toThrow(/condition number Infinity/);
  });

  it('bad input', () => {
    expect(() => fitLeastSquares(Multichannel.zeros(2, 5), Multichannel.zeros(1, 4))).toThrow(/^fitLeastSquares: y must have as many samples as x \(5\); got 4/);
    expect(() => fitLeastSquares(Multichannel.zeros(2, 5), Multichannel.zeros(1, 5), { ridge: -1 })).toThrow(/^fitLeastSquares: options\.ridge must be ≥ 0; got -1/);
  });
});

describe('trainMixer', () => {
  it('Adam reaches within 1e-6 relative loss of the closed-form fit on a well-conditioned problem (seed 121)', () => {
    const { x, y } = regression(121, 5, 3, 1000, 0.2);
    const fit = fitLeastSquares(x, y);
    const m = PointwiseMixer.random(5, 3, { seed: 121 });
    const r = trainMixer(m, x, y, { optimizer: new Adam({ learningRate: 0.05 }), epochs: 1500, learningRateDecay: 0.997 });
    expect((r.finalLoss - fit.residual) / fit.residual).toBeLessThan(1e-6);
    expect(r.finalLoss).toBeGreaterThanOrEqual(fit.residual * (1 - 1e-12));
    expect(r.trainLoss.length).toBe(1500);
  });

  it('SGD with momentum over mini-batches approaches the closed form (seed 122)', () => {
    const { x, y } = regression(122, 4, 2, 2000, 0.1);
    const fit = fitLeastSquares(x, y);
    const m = PointwiseMixer.random(4, 2, { seed: 122 });
    const r = trainMixer(m, x, y, { optimizer: new SGD({ learningRate: 0.02, momentum: 0.9 }), epochs: 30, batchSize: 64, seed: 5, learningRateDecay: 0.85 });
    expect((r.finalLoss - fit.residual) / fit.residual).toBeLessThan(1e-3);
  });

  it('is reproducible from its seeds and reports progress every epoch; onProgress can stop it', () => {
    const { x, y } = regression(123, 3, 2, 300, 0.1);
    const run = (seed: number) => {
      const m = PointwiseMixer.random(3, 2, { seed: 1 });
      const seen: number[] = [];
      trainMixer(m, x, y, { epochs: 5, batchSize: 32, seed, onProgress: (p) => void seen.push(p.epoch) });
      return { w: Array.from(m.weights), seen };
    };
    expect(run(7).w).toEqual(run(7).w);
    expect(run(7).w).not.toEqual(run(8).w);
    expect(run(7).seen).toEqual([1, 2, 3, 4, 5]);
    const m = PointwiseMixer.random(3, 2, { seed: 1 });
    const r = trainMixer(m, x, y, { epochs: 50, onProgress: (p) => p.epoch < 3 });
    expect(r.epochs).toBe(3);
    expect(r.stoppedEarly).toBe(true);
  });

  it('early stopping on a validation split restores the best epoch (seed 124)', () => {
    // Overfitting set-up: few samples, many inputs, pure-noise target
    const rng = new Rng(124);
    const x = new Multichannel(rng.normals(30 * 40), 30, 40);
    const y = new Multichannel(rng.normals(40), 1, 40);
    const m = PointwiseMixer.random(30, 1, { seed: 124 });
    const r = trainMixer(m, x, y, { optimizer: new Adam({ learningRate: 0.05 }), epochs: 500, validationSplit: 0.25, patience: 10, seed: 3 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochs).toBe(r.bestEpoch + 10);
    expect(r.validationLoss.length).toBe(r.epochs);
    expect(Math.min(...r.validationLoss)).toBe(r.validationLoss[r.bestEpoch - 1]);
  });

  it('softmax cross-entropy classifies linearly separable classes (seed 125)', () => {
    const rng = new Rng(125);
    const T = 600, K = 3, C = 4;
    const centres = rng.normals(K * C).map((v) => 3 * v);
    const labels = new Int32Array(T);
    const xs = new Float64Array(C * T);
    for (let t = 0; t < T; t++) {
      const k = t % K;
      labels[t] = k;
      for (let c = 0; c < C; c++) xs[c * T + t] = centres[k * C + c] + 0.5 * rng.normal();
    }
    const x = new Multichannel(xs, C, T);
    const m = PointwiseMixer.random(C, K, { seed: 125 });
    const r = trainMixer(m, x, labels, { epochs: 100, batchSize: 100, seed: 1, optimizer: new Adam({ learningRate: 0.05 }) });
    const z = m.forward(x);
    let correct = 0;
    for (let t = 0; t < T; t++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (z.data[k * T + t] > z.data[best * T + t]) best = k;
      if (best === labels[t]) correct++;
    }
    expect(correct / T).toBeGreaterThan(0.98);
    expect(r.trainLoss[r.trainLoss.length - 1]).toBeLessThan(r.trainLoss[0]);
  });

  it('bad input', () => {
    const m = PointwiseMixer.random(3, 2);
    const x = Multichannel.zeros(3, 10);
    expect(() => trainMixer(m, Multichannel.zeros(2, 10), Multichannel.zeros(2, 10))).toThrow(/^trainMixer: x must have mixer.inChannels = 3 channels; got 2/);
    expect(() => trainMixer(m, x, Multichannel.zeros(2, 9))).toThrow(ShapeError);
    expect(() => trainMixer(m, x, Int32Array.of(0, 1, 2, 0, 0, 0, 0, 0, 0, 0))).toThrow(/^trainMixer: labels must be in \[0, 1\]; got 2 at index 2/);
    expect(() => trainMixer(m, x, Multichannel.zeros(2, 10), { validationSplit: 1 })).toThrow(ValueError);
    expect(() => trainMixer(m, x, Multichannel.zeros(2, 10), { epochs: 0 })).toThrow(/^trainMixer: options\.epochs must be an integer ≥ 1; got 0/);
  });
});
