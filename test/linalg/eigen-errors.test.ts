import { describe, expect, it, vi } from 'vitest';
import { symmetricEigen } from '../../src/linalg/eigen.js';
import { NumericalError, isPointwiseError } from '../../src/core/errors.js';

describe('symmetricEigen: non-convergence is a NumericalError', () => {
  it('throws NumericalError naming the function when the QL iteration cannot converge', () => {
    // No finite symmetric input is known to exhaust 100 QL sweeps, so the convergence test is made
    // to fail: with |·| ≡ 1 every off-diagonal element looks large for ever.
    const abs = vi.spyOn(Math, 'abs').mockReturnValue(1);
    let thrown: unknown;
    try {
      symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    } catch (e) {
      thrown = e;
    } finally {
      abs.mockRestore();
    }
    expect(thrown).toBeInstanceOf(NumericalError);
    expect(isPointwiseError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/^symmetricEigen: the QL iteration must converge within 100 sweeps; eigenvalue 0 of 2 did not$/);
  });

  it('a well-posed matrix still decomposes (values descending)', () => {
    const [a, b] = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values;
    expect(Math.abs(a - 3)).toBeLessThan(1e-14);
    expect(Math.abs(b - 1)).toBeLessThan(1e-14);
  });
});
