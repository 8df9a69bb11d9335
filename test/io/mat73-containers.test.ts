/**
 * MATLAB v7.3 cell arrays, struct arrays, scalar structs with MATLAB_fields, and sparse matrices,
 * against the values h5py and scipy read from fixtures laid out as MATLAB writes them
 * (scripts/fixtures/make_mat73_containers.py); hostile files (a reference cycle, nesting 40 deep, a
 * sparse matrix declaring 2^40 rows) are errors raised before memory is taken.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError } from '../../src/core/errors.js';
import { readMatAsync } from '../../src/io/mat.js';
import { REPO_ROOT } from '../helpers/index.js';

const fx = (name: string) => path.join(REPO_ROOT, 'test/fixtures/hdf5', name);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const E: any = JSON.parse(fs.readFileSync(fx('matlab73_containers.json'), 'utf8'));

interface Element { name: string; class: string; dims: number[]; data?: number[]; text?: string }

function expectElements(m: Awaited<ReturnType<typeof readMatAsync>>, elements: Element[]): void {
  for (const e of elements) {
    const a = m.arrays[e.name];
    expect(a, e.name).toBeDefined();
    expect({ class: a.class, dims: a.dims }, e.name).toEqual({ class: e.class, dims: e.dims });
    if (e.text !== undefined) expect(String.fromCharCode(...a.data), e.name).toBe(e.text);
    else expect(Array.from(a.data), e.name).toEqual(e.data);
  }
}

describe('MATLAB v7.3 containers', () => {
  it('a cell array: each element (nested cells too) under c{k}, its dims in containers', async () => {
    const m = await readMatAsync(fx('matlab73_containers.mat'));
    expect(m.containers!.c).toEqual({ class: 'cell', dims: E.c.dims });
    expect(m.containers!['c{3}']).toEqual({ class: 'cell', dims: [1, 1] });
    expectElements(m, E.c.elements);
  });

  it('a struct array: element k of field x under sa(k).x; a scalar struct with MATLAB_fields under st.a, with a cell field', async () => {
    const m = await readMatAsync(fx('matlab73_containers.mat'));
    expect(m.containers!.sa).toMatchObject({ class: 'struct', dims: E.sa.dims });
    expect([...m.containers!.sa.fields!].sort()).toEqual([...E.sa.fields].sort());
    expectElements(m, E.sa.elements);
    expect(m.containers!.st).toMatchObject({ class: 'struct', dims: [1, 1] });
    expectElements(m, E.st.elements);
    expect(m.skipped).toEqual([]);
  });

  it('sparse matrices (double, logical, all-zero) read dense, as scipy reads them', async () => {
    const m = await readMatAsync(fx('matlab73_containers.mat'));
    for (const k of ['sp', 'sl', 'sz']) {
      expect(m.arrays[k], k).toMatchObject({ class: E[k].class, dims: E[k].dims, complex: false });
      expect(Array.from(m.arrays[k].data), k).toEqual(E[k].data);
    }
    expect(m.containers!.sp).toEqual({ class: 'sparse', dims: [3, 4], nnz: 4 });
    expect(m.containers!.ec).toEqual({ class: 'cell', dims: [0, 0] });
  });

  it('a sparse matrix whose dense size exceeds maxBytes is refused before it is read', async () => {
    const huge = readMatAsync(fx('matlab73_huge_sparse.mat'));
    await expect(huge).rejects.toThrow(ShapeError);
    await expect(readMatAsync(fx('matlab73_huge_sparse.mat'))).rejects.toThrow(/"big" \[1099511627776, 2\] made dense/);
  });

  it('a reference cycle and nesting 40 deep are FormatErrors', async () => {
    await expect(readMatAsync(fx('matlab73_cycle.mat'))).rejects.toThrow(FormatError);
    await expect(readMatAsync(fx('matlab73_cycle.mat'))).rejects.toThrow(/references must not form a cycle; got loop\{1\}\{1\} refers back to \/#refs#\/a/);
    await expect(readMatAsync(fx('matlab73_deep.mat'))).rejects.toThrow(/cells and structs must nest at most 32 deep/);
  });
});
