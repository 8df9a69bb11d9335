import { describe, expect, it, vi } from 'vitest';
import { PREFAULT_MAX_BYTES, PREFAULT_MIN_BYTES, PREFAULT_SIZES, prefaultSettings, prefaultState, takePrefaulted } from '../../src/linalg/prefault.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { allocateEmpty } from '../../src/linalg/prefault.js';
import { Rng } from '../../src/core/random.js';
import { mix } from '../../src/mixing/index.js';
import { expectClose } from '../helpers/index.js';

const MiB = 1 << 20;

/** Waits until the helper has sent every spare asked for (at most 10 s). */
async function settled(): Promise<void> {
  for (let i = 0; i < 1000 && prefaultState().pending.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(prefaultState().pending, 'the helper thread did not answer within 10 s').toEqual([]);
}

// One file, run in order: the helper thread and its spares are module state. Spares are kept for a
// minute here, so a slow machine cannot drop one between two steps; the last test shortens it.
prefaultSettings.idleMs = 60_000;

describe('takePrefaulted', () => {
  it('ignores sizes outside [1 MiB, 64 MiB], and fractions, without starting the helper', () => {
    for (const bytes of [0, 8, PREFAULT_MIN_BYTES - 1, PREFAULT_MAX_BYTES + 1, PREFAULT_MIN_BYTES + 0.5, NaN, Infinity]) expect(takePrefaulted(bytes)).toBeUndefined();
    expect(prefaultState().running).toBe(false);
  });

  it('the first request of a size returns nothing and asks for a spare; the next one gets it, zeroed and of that size', async () => {
    expect(takePrefaulted(2 * MiB)).toBeUndefined();
    expect(prefaultState()).toMatchObject({ running: true });
    await settled();
    expect(prefaultState().ready).toEqual([2 * MiB]);
    const a = takePrefaulted(2 * MiB);
    expect(prefaultState().pending, 'taking a spare asks for the next').toEqual([2 * MiB]);
    expect(a).toBeInstanceOf(ArrayBuffer);
    expect(a!.byteLength).toBe(2 * MiB);
    expect(new Uint8Array(a!).every((v) => v === 0)).toBe(true);
  });

  it('never hands out one buffer twice: each spare is new memory, owned by the taker', async () => {
    const taken: ArrayBuffer[] = [];
    for (let i = 0; i < 4; i++) {
      await settled();
      const b = takePrefaulted(2 * MiB);
      expect(b).toBeDefined();
      new Float64Array(b!).fill(i + 1);
      taken.push(b!);
    }
    expect(new Set(taken).size).toBe(4);
    taken.forEach((b, i) => expect(new Float64Array(b).every((v) => v === i + 1), `buffer ${i} was written by someone else`).toBe(true));
  });

  it(`holds one spare for each of the ${PREFAULT_SIZES} latest sizes, dropping the oldest`, async () => {
    await settled();
    for (const bytes of [3 * MiB, 4 * MiB]) takePrefaulted(bytes);
    await settled();
    expect(prefaultState().ready.sort()).toEqual([3 * MiB, 4 * MiB]);
    expect(takePrefaulted(3 * MiB)?.byteLength).toBe(3 * MiB);
    expect(takePrefaulted(4 * MiB)?.byteLength).toBe(4 * MiB);
    expect(takePrefaulted(2 * MiB), 'the 2 MiB spare was dropped for the two newer sizes').toBeUndefined();
  });


  it('allocateEmpty serves spares as the right type and length, and mix results in them are exact', async () => {
    const rng = new Rng(31);
    const cin = 8;
    const T = (3 * MiB) / 8; // float64 8→1: a 3 MiB result; float32 8→2: also 3 MiB
    const x = new Multichannel(rng.array(cin * T), cin, T);
    const W = rng.array(2 * cin);
    for (const [xs, cout] of [[x, 1], [x.astype('float32'), 2]] as const) {
      const w = { data: W.subarray(0, cout * cin), rows: cout, cols: cin };
      const ref = new Float64Array(cout * T);
      for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) for (let t = 0; t < T; t++) ref[o * T + t] += w.data[o * cin + i] * xs.data[i * T + t];
      mix(xs, w);
      await settled();
      expect(prefaultState().ready).toContain(3 * MiB);
      const malloc = vi.spyOn(Buffer, 'allocUnsafeSlow');
      const y = mix(xs, w);
      expect(malloc, 'the result took the spare instead of new memory').not.toHaveBeenCalled();
      malloc.mockRestore();
      expect(y.data.byteLength).toBe(3 * MiB);
      expectClose(y.data, ref, { rtol: xs.dtype === 'float32' ? 1e-6 : 1e-12, atol: xs.dtype === 'float32' ? 1e-5 : 1e-12, label: `${xs.dtype} 8→${cout}` });
    }
    await settled();
    const a = allocateEmpty('float32', (3 * MiB) / 4);
    expect(a).toBeInstanceOf(Float32Array);
    expect([a.length, a.byteOffset, a.buffer.byteLength]).toEqual([(3 * MiB) / 4, 0, 3 * MiB]);
  });

  it('drops every spare after idleMs without a request, and keeps none on the way', async () => {
    takePrefaulted(5 * MiB);
    await settled();
    expect(prefaultState().ready).toContain(5 * MiB);
    prefaultSettings.idleMs = 200;
    takePrefaulted(2 * MiB); // a request restarts the countdown, now with the shorter time
    expect(prefaultState().ready, 'spares stay until the countdown ends').toContain(5 * MiB);
    const empty = () => prefaultState().ready.length + prefaultState().pending.length === 0;
    for (let i = 0; i < 200 && !empty(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(prefaultState()).toMatchObject({ ready: [], pending: [] });
    expect(takePrefaulted(5 * MiB)).toBeUndefined();
  });
});
