/**
 * Constraint builders, the mathjs law parser, and bad-input tables (error class AND message).
 */
import { describe, expect, it } from 'vitest';
import { Multichannel } from '../../src/core/multichannel.js';
import { ArgumentTypeError, NumericalError, ShapeError, ValueError } from '../../src/core/errors.js';
import {
  LinearConstraints, conservationReport, elementConservation, fitConstrainedMixer, fixedEntries, forbiddenPathways, outputSum,
  parseConservationLaws, projectOntoConstraints, totalConservation, weightedConservation, ConstrainedMixer,
} from '../../src/constrained/index.js';
import { Rng, expectClose, expectPointwiseError } from '../helpers/index.js';

const SPECIES = ['CH4', 'O2', 'CO2', 'H2O'];
const E = [[1, 0, 1, 0], [4, 0, 0, 2], [0, 2, 2, 1]];

describe('builders', () => {
  it('totalConservation: one row of ones on each side, bias target 0', () => {
    const c = totalConservation(3, { inChannels: 2 });
    expect([c.outChannels, c.inChannels, c.rows]).toEqual([3, 2, 1]);
    expect(Array.from(c.A)).toEqual([1, 1, 1]);
    expect(Array.from(c.B)).toEqual([1, 1]);
    expect(Array.from(c.biasTarget)).toEqual([0]);
    expect(c.names).toEqual(['total']);
  });
  it('weightedConservation: molar masses', () => {
    const c = weightedConservation([16.04, 32, 44.01, 18.02]);
    expect(Array.from(c.A)).toEqual([16.04, 32, 44.01, 18.02]);
    expect(Array.from(c.B)).toEqual(Array.from(c.A));
    expect(c.violation([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(0);
  });
  it('elementConservation: A = B = composition; the identity is feasible, the reaction direction is free', () => {
    const c = elementConservation(E, ['C', 'H', 'O']);
    const I = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    expect(c.violation(I)).toBe(0);
    // CH4 + 2 O2 → CO2 + 2 H2O: W = I + s·[−1, −2, 1, 2]ᵀ·eᵀ conserves every element.
    const W = I.slice();
    [-1, -2, 1, 2].forEach((v, o) => (W[o * 4 + 0] += 0.3 * v));
    expect(c.violation(W)).toBeLessThanOrEqual(1e-15);
  });
  it('fixedEntries / forbiddenPathways go to the general form with row-major vec', () => {
    const c = forbiddenPathways(2, 3, [[1, 2]]);
    expect(c.generalRows).toBe(1);
    expect(Array.from(c.C)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(c.generalNames).toEqual(['W[1,2]']);
    const f = fixedEntries(2, 2, [{ output: 0, input: 1, value: 0.5 }]);
    expect(Array.from(f.d)).toEqual([0.5]);
  });
  it('outputSum: 1ᵀW = 0 and 1ᵀb = total (needs a bias)', () => {
    const c = outputSum(3, 5);
    expect(c.needsBias).toBe(true);
    expect(Array.from(c.B)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(c.biasTarget)).toEqual([1]);
  });
  it('rank-deficient rows are dropped (reduce) and named; or rejected (throw)', () => {
    const c = LinearConstraints.fromMatrices([[1, 1, 0], [0, 1, 1], [1, 2, 1]], [[1, 1], [1, 1], [2, 2]], { names: ['a', 'b', 'a+b'] });
    expect(c.rows).toBe(2);
    expect(c.dropped).toEqual(['a+b']);
    expect(() => LinearConstraints.fromMatrices([[1, 1, 0], [0, 1, 1], [1, 2, 1]], [[1, 1], [1, 1], [2, 2]], { onRankDeficient: 'throw' })).toThrow(
      /LinearConstraints: the constraint rows must be linearly independent \(relative tolerance 1e-10\); row 'q2' is a combination of earlier rows; got rank deficiency of 1/,
    );
    // A general row implied by the conservation rows is dropped too.
    const d = totalConservation(2).and(fixedEntries(2, 2, [{ output: 0, input: 0, value: 0.7 }, { output: 1, input: 0, value: 0.3 }]));
    expect(d.dropped).toEqual(['W[1,0]']);
    // The fit reports what was dropped and still meets every original row.
    const rng = new Rng(7);
    const x = new Multichannel(rng.array(2 * 30), 2, 30), y = new Multichannel(rng.array(2 * 30), 2, 30);
    const fit = fitConstrainedMixer(x, y, d, { bias: false });
    expect(fit.droppedConstraints).toEqual(['W[1,0]']);
    expect(Math.abs(fit.weights[0] - 0.7) + Math.abs(fit.weights[2] - 0.3)).toBeLessThanOrEqual(1e-15);
  });
});

describe('parseConservationLaws (mathjs)', () => {
  it('element laws for CH4, O2, CO2, H2O', () => {
    const c = parseConservationLaws(['C: CH4 + CO2 = const', 'H: 4*CH4 + 2*H2O = const', 'O: 2*O2 + 2CO2 + H2O = const'], SPECIES);
    expect(c.names).toEqual(['C', 'H', 'O']);
    expect(Array.from(c.A)).toEqual(E.flat());
    expect(Array.from(c.B)).toEqual(E.flat());
  });
  it('subtraction, division by constants, parentheses, unnamed law', () => {
    const c = parseConservationLaws(['2*(CH4 - O2/4) + -H2O = const'], SPECIES);
    expect(Array.from(c.A)).toEqual([2, -0.5, 0, -1]);
    expect(c.names).toEqual(['law0']);
  });
  it('separate input and output labels: outputs = inputs', () => {
    const c = parseConservationLaws(['mass: y1 + y2 + y3 = 2*x1 + x2'], { inputLabels: ['x1', 'x2'], outputLabels: ['y1', 'y2', 'y3'] });
    expect([c.outChannels, c.inChannels]).toEqual([3, 2]);
    expect(Array.from(c.A)).toEqual([1, 1, 1]);
    expect(Array.from(c.B)).toEqual([2, 1]);
  });
  const bad: [string, string[], RegExp][] = [
    ['non-linear product', ['C: CH4*O2 = const'], /parseConservationLaws: every term must be linear in the channels \(number × name\) in equation 0 "C: CH4\*O2 = const"; got non-linear term "CH4 \* O2"/],
    ['power', ['C: CH4^2 = const'], /every term must be linear.*got non-linear term "CH4 \^ 2"/],
    ['function', ['C: sqrt(CH4) = const'], /every term must be linear.*got non-linear term "sqrt\(CH4\)"/],
    ['unknown name', ['C: CH5 + CO2 = const'], /parseConservationLaws: every name must be one of the output channel labels \(CH4, O2, CO2, H2O\) in equation 0 "C: CH5 \+ CO2 = const"; got "CH5"/],
    ['missing = const', ['C: CH4 + CO2'], /parseConservationLaws: equation 0 must read 'name: expression = const' \(or 'outputs = inputs' with separate labels\); got "C: CH4 \+ CO2"/],
    ['constant term', ['C: CH4 + 1 = const'], /equation 0 must have no constant term/],
    ['syntax', ['C: CH4 + + ) = const'], /parseConservationLaws: equation 0 must be a valid expression; got "C: CH4 \+ \+ \) = const"/],
  ];
  for (const [label, eqs, re] of bad) {
    it(`bad input: ${label} → ValueError`, () => {
      expectPointwiseError(() => parseConservationLaws(eqs, SPECIES), ValueError, re, label);
    });
  }
  it('bad input: duplicate labels → ShapeError', () => {
    expectPointwiseError(() => parseConservationLaws(['a = const'], ['a', 'a']), ShapeError, /input labels must be distinct; got \["a","a"\]/);
  });
  it('bad input: inconsistent laws → NumericalError', () => {
    expect(() => parseConservationLaws(['a: x + y = x', 'b: 2*x + 2*y = 3*x'], { inputLabels: ['x'], outputLabels: ['x', 'y'] })).toThrow(NumericalError);
  });
});

describe('bad input table: constraints and fits', () => {
  const rng = new Rng(42);
  const x3 = new Multichannel(rng.array(3 * 50), 3, 50);
  const y3 = new Multichannel(rng.array(3 * 50), 3, 50);
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['inconsistent constraints (no feasible W)', () => LinearConstraints.fromMatrices([[1, 1], [2, 2]], [[1, 0], [1, 1]]), NumericalError,
      /LinearConstraints: the constraints must be consistent \(some W must satisfy them\); row 'q1' is a combination of earlier rows whose right-hand side differs; got residual 1\.000e\+0/],
    ['inconsistent fixed entries vs conservation', () => totalConservation(2).and(fixedEntries(2, 2, [{ output: 0, input: 0, value: 2 }, { output: 1, input: 0, value: 0 }])), NumericalError,
      /must be consistent.*row 'W\[1,0\]'.*got residual/],
    ['rank-deficient A with throw', () => LinearConstraints.fromMatrices([[1, 2], [2, 4]], [[1, 1], [2, 2]], { onRankDeficient: 'throw' }), NumericalError, /must be linearly independent/],
    ['A columns ≠ Cout', () => new LinearConstraints({ outChannels: 3, inChannels: 2, A: [[1, 1]], B: [[1, 1]] }), ShapeError, /LinearConstraints: A must have 3 columns; got 2/],
    ['B rows ≠ A rows', () => new LinearConstraints({ outChannels: 2, inChannels: 2, A: [[1, 1]], B: [[1, 1], [1, 0]] }), ShapeError, /LinearConstraints: B must have as many rows as A \(1\); got 2/],
    ['NaN in A', () => LinearConstraints.fromMatrices([[1, NaN]], [[1, 1]]), ValueError, /A must hold only finite values; got NaN at \[0\]\[1\]/],
    ['no rows', () => new LinearConstraints({ outChannels: 2, inChannels: 2 }), ShapeError, /at least one constraint row/],
    ['x channels ≠ Cin', () => fitConstrainedMixer(x3, y3, totalConservation(3, { inChannels: 4 })), ShapeError, /fitConstrainedMixer: x must have the constraints' inChannels = 4 channels; got 3/],
    ['y channels ≠ Cout', () => fitConstrainedMixer(x3, y3, totalConservation(2, { inChannels: 3 })), ShapeError, /fitConstrainedMixer: y must have the constraints' outChannels = 2 channels; got 3/],
    ['different lengths', () => fitConstrainedMixer(x3, y3.slice(0, 10), totalConservation(3)), ShapeError, /y must have as many samples as x \(50\); got 10/],
    ['NaN in x', () => fitConstrainedMixer(new Multichannel(new Float64Array([1, NaN, 2, 3]), 2, 2), new Multichannel(new Float64Array(4), 2, 2), totalConservation(2)), ValueError, /fitConstrainedMixer: x must hold only finite values; got NaN at index 1/],
    ['singular Gram (duplicate channel, no ridge)', () => {
      const d = new Float64Array(100); d.set(x3.data.subarray(0, 50)); d.set(x3.data.subarray(0, 50), 50);
      return fitConstrainedMixer(new Multichannel(d, 2, 50), y3.selectChannels([0, 1]), totalConservation(2), { bias: false });
    }, NumericalError, /fitConstrainedMixer: the Gram matrix .* must be well conditioned .*pass \{ ridge: … \}.*; got condition number/],
    ['outputSum without a bias', () => fitConstrainedMixer(x3, y3, outputSum(3, 3), { bias: false }), NumericalError, /needs a bias; got bias: false/],
    ['negative ridge', () => fitConstrainedMixer(x3, y3, totalConservation(3), { ridge: -1 }), ValueError, /ridge must be ≥ 0; got -1/],
    ['not a LinearConstraints', () => fitConstrainedMixer(x3, y3, {} as LinearConstraints), ArgumentTypeError, /constraints must be a LinearConstraints; got an object/],
    ['projection: wrong size', () => projectOntoConstraints([1, 2, 3], totalConservation(2)), ShapeError, /projectOntoConstraints: weights must hold Cout × Cin = 2 × 2 = 4 numbers; got 3/],
    ['report: mixer size ≠ constraints', () => conservationReport({ weights: new Float64Array(4), outChannels: 2, inChannels: 2 }, x3, totalConservation(3)), ShapeError, /conservationReport: the mixer must be 3 → 3 like the constraints; got 2 → 2/],
    ['elementConservation: names ≠ rows', () => elementConservation(E, ['C', 'H']), ShapeError, /one name per row of composition \(3\)/],
    ['fixedEntries: index out of range', () => fixedEntries(2, 2, [{ output: 2, input: 0 }]), ValueError, /entries\[0\]\.output must be an integer in \[0, 1\]; got 2/],
    ['ConstrainedMixer: outputSum without bias', () => new ConstrainedMixer(outputSum(3, 2), { bias: false }), ShapeError, /needs a bias/],
  ];
  for (const [label, f, cls, re] of cases) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
});

describe('conservationReport', () => {
  it('names every quantity; a non-conserving mixer shows its drift, absolute and relative', () => {
    const laws = elementConservation(E, ['C', 'H', 'O']);
    const x = Multichannel.fromChannels([[1, 2], [2, 0], [0, 1], [0, 3]]); // CH4, O2, CO2, H2O
    // Identity except CH4 → 0.5 CH4: loses half of C and H from CH4.
    const W = new Float64Array([0.5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const rep = conservationReport({ weights: W, outChannels: 4, inChannels: 4 }, x, laws);
    expect(rep.quantities.map((q) => q.name)).toEqual(['C', 'H', 'O']);
    // C: sample 1 has 2 CH4 + 1 CO2 = 3 → out 1 + 1 = 2: |−1|, relative 1/3; sample 0: 1 → 0.5.
    expect(rep.quantities[0].maxAbsolute).toBeCloseTo(1, 15);
    expect(rep.quantities[0].worstSample).toBe(1);
    expect(rep.quantities[0].maxRelative).toBeCloseTo(0.5, 15);
    // H: sample 1: 8 + 6 = 14 → 4 + 6 = 10: 4 (relative 4/14); sample 0: 4 → 2 (relative 0.5).
    expect(rep.quantities[1].maxAbsolute).toBeCloseTo(4, 15);
    expect(rep.quantities[1].maxRelative).toBeCloseTo(0.5, 15);
    expect(rep.quantities[2].maxAbsolute).toBe(0);
    expectClose([rep.maxAbsolute, rep.maxRelative], [4, 0.5], { atol: 1e-15 });
  });
});
