import { describe, expect, it } from 'vitest';
import { Multichannel, ShapeError, ValueError } from '../../src/core/index.js';
import { OrthogonalMixer, PointwiseMixer, ResidualMixer, conditionNumber, mix, singularValues } from '../../src/mixing/index.js';
import { Rng, centralDifference, expectClose } from '../helpers/index.js';

/** A fixed random linear functional of the output: L = Σ R ⊙ y (its dY is R). */
function lossOf(y: Multichannel, R: Float64Array): number {
  let s = 0;
  for (let k = 0; k < R.length; k++) s += R[k] * y.data[k];
  return s;
}

/** Nonlinear loss L = Σ (y − R)² / 2, dY = y − R. */
function quad(y: Multichannel, R: Float64Array): { L: number; dY: Multichannel } {
  let s = 0;
  const g = new Float64Array(R.length);
  for (let k = 0; k < R.length; k++) {
    const d = y.data[k] - R[k];
    s += 0.5 * d * d;
    g[k] = d;
  }
  return { L: s, dY: new Multichannel(g, y.channels, y.length) };
}

/** Central differences with this file's step h = 1e-5. */
const centralDiff = (p: Float64Array, f: () => number): Float64Array => centralDifference(p, f, 1e-5);

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let k = 0; k < a.length; k++) {
    num = Math.max(num, Math.abs(a[k] - b[k]));
    den = Math.max(den, Math.abs(b[k]));
  }
  return num / den;
}

describe('PointwiseMixer', () => {
  it('forward equals mix with its weights and bias', () => {
    const rng = new Rng(3);
    const m = new PointwiseMixer(rng.normals(6), 2, 3, rng.normals(2));
    const x = new Multichannel(rng.normals(30), 3, 10, { sampleRate: 100 });
    const y = m.forward(x);
    expect(Array.from(y.data)).toEqual(Array.from(mix(x, { data: m.weights, rows: 2, cols: 3 }, m.bias).data));
    expect(y.sampleRate).toBe(100);
  });

  it('backward: dW, db, dX match central finite differences to 1e-6 relative (seed 41)', () => {
    const rng = new Rng(41);
    for (const [cin, cout, T] of [[3, 2, 7], [8, 1, 20], [5, 6, 11]] as const) {
      const m = new PointwiseMixer(rng.normals(cin * cout), cout, cin, rng.normals(cout));
      const x = new Multichannel(rng.normals(cin * T), cin, T);
      const R = rng.normals(cout * T);
      const { dY } = quad(m.forward(x), R);
      const g = m.backward(x, dY);
      const f = () => quad(m.forward(x), R).L;
      expect(relErr(g.dW, centralDiff(m.weights, f))).toBeLessThan(1e-6);
      expect(relErr(g.db, centralDiff(m.bias, f))).toBeLessThan(1e-6);
      const xd = x.data as Float64Array;
      expect(relErr(g.dX.data, centralDiff(xd, f))).toBeLessThan(1e-6);
      expect([g.dX.channels, g.dX.length]).toEqual([cin, T]);
      // linear loss: gradients are exact closed forms
      const gl = m.backward(x, new Multichannel(R, cout, T));
      expect(relErr(gl.dW, centralDiff(m.weights, () => lossOf(m.forward(x), R)))).toBeLessThan(1e-8);
    }
  });

  it('parameterCount and macs; random() is seeded and Glorot-bounded', () => {
    const m = PointwiseMixer.random(8, 4, { seed: 9 });
    expect(m.parameterCount).toBe(8 * 4 + 4);
    expect(m.macs(1000)).toBe(32000);
    expect(PointwiseMixer.random(8, 4, { seed: 9, bias: false }).parameterCount).toBe(32);
    const a = Math.sqrt(6 / 12);
    expect(Math.max(...Array.from(m.weights).map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Array.from(PointwiseMixer.random(8, 4, { seed: 9 }).weights)).toEqual(Array.from(m.weights));
    expect(Array.from(PointwiseMixer.random(8, 4, { seed: 10 }).weights)).not.toEqual(Array.from(m.weights));
  });

  it('copies its constructor arrays (the caller’s are never changed)', () => {
    const w = Float64Array.of(1, 2);
    const m = new PointwiseMixer(w, 1, 2);
    m.weights[0] = 99;
    expect(w[0]).toBe(1);
  });

  it('bad input names the argument', () => {
    expect(() => new PointwiseMixer(new Float64Array(5), 2, 3)).toThrow(/^PointwiseMixer: weights must hold outChannels × inChannels = 2 × 3 numbers; got 5/);
    expect(() => new PointwiseMixer(new Float64Array(6), 2, 3, new Float64Array(3))).toThrow(/^PointwiseMixer: bias length must equal outChannels \(2\); got 3/);
    expect(() => new PointwiseMixer(Float64Array.of(NaN), 1, 1)).toThrow(ValueError);
    const m = PointwiseMixer.random(3, 2);
    expect(() => m.forward(Multichannel.zeros(2, 5))).toThrow(/^PointwiseMixer.forward: x must have inChannels = 3 channels; got 2/);
    expect(() => m.backward(Multichannel.zeros(3, 5), Multichannel.zeros(2, 4))).toThrow(ShapeError);
  });
});

describe('ResidualMixer', () => {
  it('identity() is the identity; forward is (I + W) x + b; gradients match finite differences (seed 51)', () => {
    const rng = new Rng(51);
    const x = new Multichannel(rng.normals(4 * 9), 4, 9);
    expect(Array.from(ResidualMixer.identity(4).forward(x).data)).toEqual(Array.from(x.data));
    const m = new ResidualMixer(rng.normals(16), 4, rng.normals(4));
    const y = m.forward(x);
    const eff = m.effectiveWeights();
    expectClose(y.data, mix(x, { data: eff, rows: 4, cols: 4 }, m.bias).data, { rtol: 1e-14, atol: 1e-14, label: 'residual forward' });
    const R = rng.normals(36);
    const g = m.backward(x, quad(y, R).dY);
    const f = () => quad(m.forward(x), R).L;
    expect(relErr(g.dW, centralDiff(m.weights, f))).toBeLessThan(1e-6);
    expect(relErr(g.dX.data, centralDiff(x.data as Float64Array, f))).toBeLessThan(1e-6);
    expect(() => ResidualMixer.random(3, 4)).toThrow(/a residual mixer is square/);
  });
});

describe('OrthogonalMixer (Cayley)', () => {
  it('preserves the energy of every sample: ‖Qx‖ = ‖x‖ to 1e-12 (seed 61)', () => {
    const rng = new Rng(61);
    for (const n of [1, 2, 5, 16, 33]) {
      const m = OrthogonalMixer.random(n, { seed: 61 + n, scale: 2 });
      const T = 50;
      const x = new Multichannel(rng.normals(n * T), n, T);
      const y = m.forward(x);
      for (let t = 0; t < T; t++) {
        let a = 0, b = 0;
        for (let c = 0; c < n; c++) {
          a += x.data[c * T + t] ** 2;
          b += y.data[c * T + t] ** 2;
        }
        expect(Math.abs(Math.sqrt(b) - Math.sqrt(a))).toBeLessThanOrEqual(1e-12 * Math.sqrt(a));
      }
      const s = singularValues({ data: m.weights, rows: n, cols: n });
      expectClose(s, new Float64Array(n).fill(1), { atol: 1e-12, label: `σ(Q) n=${n}` });
      expect(m.parameterCount).toBe((n * (n - 1)) / 2);
    }
  });

  it('zero parameters give the identity; gradients through the Cayley map match finite differences (seed 71)', () => {
    const rng = new Rng(71);
    const x = new Multichannel(rng.normals(4 * 6), 4, 6);
    expectClose(new OrthogonalMixer(new Float64Array(6), 4).forward(x).data, x.data, { atol: 1e-15, label: 'identity' });
    const m = OrthogonalMixer.random(4, { seed: 71, scale: 0.7 });
    const R = rng.normals(24);
    const { dY } = quad(m.forward(x), R);
    const g = m.backward(x, dY);
    const f = () => quad(m.forward(x), R).L;
    expect(relErr(g.dParams, centralDiff(m.params, f))).toBeLessThan(1e-6);
    expect(relErr(g.dX.data, centralDiff(x.data as Float64Array, f))).toBeLessThan(1e-6);
  });
});

describe('singularValues / conditionNumber', () => {
  it('hand-worked: diagonal, rotation-scaled, rank-deficient and wide matrices', () => {
    expectClose(singularValues([[3, 0], [0, -2]]), [3, 2], { atol: 1e-14, label: 'diag' });
    const c = Math.cos(0.3), s = Math.sin(0.3);
    expectClose(singularValues([[5 * c, -5 * s], [s, c]]), [5, 1], { atol: 1e-13, label: 'scaled rotation' });
    expect(conditionNumber([[5 * c, -5 * s], [s, c]])).toBeCloseTo(5, 12);
    expect(conditionNumber([[1, 2], [2, 4]])).toBeGreaterThan(1e15);
    expectClose(singularValues([[1, 0, 0], [0, 2, 0]]), [2, 1], { atol: 1e-14, label: 'wide' });
    expectClose(singularValues([[1, 0], [0, 2], [0, 0]]), [2, 1], { atol: 1e-14, label: 'tall' });
    expect(() => singularValues([[1, NaN]])).toThrow(/^singularValues: W must hold only finite values; got NaN at \[0\]\[1\]/);
  });
});
