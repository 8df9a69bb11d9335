import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError, FileError, FormatError } from '../../src/core/errors.js';
import { Multichannel } from '../../src/core/multichannel.js';
import { decodeNpy, encodeNpy, parseNpyHeader, readNpy, writeNpy } from '../../src/io/npy.js';
import { REPO_ROOT, Rng, expectPointwiseError, tempDir } from '../helpers/index.js';

const FIX = path.join(REPO_ROOT, 'test/fixtures/io/npy');
interface Entry {
  file: string;
  descr: string;
  shape: number[];
  fortran: boolean;
  values: number[];
}
const manifest = JSON.parse(fs.readFileSync(path.join(FIX, 'manifest.json'), 'utf8')) as Entry[];

/** Builds .npy bytes by hand: a header dict text (padded to 64) and a body. */
function npyBytes(dict: string, body: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  let h = dict;
  h += ' '.repeat((64 - ((pre + h.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(pre + h.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  new DataView(out.buffer).setUint16(8, h.length, true);
  if (version !== 1) new DataView(out.buffer).setUint32(8, h.length, true);
  for (let i = 0; i < h.length; i++) out[pre + i] = h.charCodeAt(i);
  out.set(body, pre + h.length);
  return out;
}

describe('NPY: numpy-written fixtures for every dtype × endianness × order (test/fixtures/io/make_fixtures.py)', () => {
  it('covers what the issue asks', () => {
    const descrs = new Set(manifest.map((e) => e.descr));
    for (const d of ['<f4', '>f4', '<f8', '>f8', '|i1', '<i2', '>i2', '<i4', '>i4', '<i8', '>i8', '|u1', '<u2', '>u2', '<u4', '>u4', '<u8', '>u8']) expect(descrs.has(d), d).toBe(true);
    expect(manifest.some((e) => e.fortran)).toBe(true);
  });
  for (const e of manifest) {
    it(`${e.file} (${e.descr}, shape (${e.shape.join(', ')}), ${e.fortran ? 'Fortran' : 'C'} order)`, () => {
      const x = decodeNpy(new Uint8Array(fs.readFileSync(path.join(FIX, e.file))));
      const s = e.shape;
      const [C, L] = s.length === 0 ? [1, 1] : s.length === 1 ? [1, s[0]] : [s[0], s.slice(1).reduce((a, b) => a * b, 1)];
      expect([x.channels, x.length]).toEqual([C, L]);
      expect(x.shape).toEqual(s.length > 2 ? s.slice(1) : undefined);
      expect(x.dtype).toBe(/f[24]$/.test(e.descr) ? 'float32' : 'float64');
      for (let i = 0; i < e.values.length; i++) {
        if (!Object.is(x.data[i], e.values[i])) expect(`${i}: ${x.data[i]}`).toBe(`${i}: ${e.values[i]}`);
      }
      expect(readNpy(path.join(FIX, e.file)).data).toEqual(x.data);
    });
  }
  it('reads the version from the preamble', () => {
    expect(parseNpyHeader(new Uint8Array(fs.readFileSync(path.join(FIX, 'f8_v2.npy')))).version).toEqual([2, 0]);
    expect(parseNpyHeader(new Uint8Array(fs.readFileSync(path.join(FIX, 'f4_v3.npy')))).version).toEqual([3, 0]);
  });
});

describe('NPY round trips', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const [C, L, shape] of [[1, 17, undefined], [3, 1000, undefined], [4, 12, [3, 4]], [2, 24, [2, 3, 4]], [5, 0, undefined]] as const) {
      it(`${dtype} [${C}, ${L}]${shape ? ` shape [${shape}]` : ''} is bit-exact (seed ${C + L})`, () => {
        const rng = new Rng(C + L);
        const x = Multichannel.zeros(C, L, { dtype, shape: shape as number[] | undefined });
        for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal() * 1e3;
        if (x.data.length > 2) {
          x.data[0] = NaN;
          x.data[1] = -0;
          x.data[2] = -Infinity;
        }
        const b = encodeNpy(x);
        expect(parseNpyHeader(b).dataOffset % 64).toBe(0);
        const y = decodeNpy(b);
        expect(y.dtype).toBe(dtype);
        expect([y.channels, y.length]).toEqual([C, L]);
        expect(y.shape).toEqual(shape);
        for (let i = 0; i < x.data.length; i++) if (!Object.is(y.data[i], x.data[i])) expect(`${i}: ${y.data[i]}`).toBe(`${i}: ${x.data[i]}`);
      });
    }
  }

  it('writeNpy writes atomically and readNpy reads it back', () => {
    const dir = tempDir();
    const x = Multichannel.fromChannels([[1, 2, 3], [4, 5, 6]]);
    writeNpy(path.join(dir, 'x.npy'), x);
    expect(fs.readdirSync(dir)).toEqual(['x.npy']);
    expect(Array.from(readNpy(path.join(dir, 'x.npy')).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  const py = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  if (!py) console.log('[pointwise tests] NOTE: /usr/bin/python3 with numpy is absent; the numpy.load check is skipped.');
  it.skipIf(!py)('numpy.load reads what writeNpy writes (dtype, shape, values bit-exact)', () => {
    const dir = tempDir();
    const rng = new Rng(77);
    const a = Multichannel.fromChannels([rng.array(5), rng.array(5), rng.array(5)], { dtype: 'float32' });
    const b = new Multichannel(rng.array(24), 2, 12, { shape: [3, 4] });
    writeNpy(path.join(dir, 'a.npy'), a);
    writeNpy(path.join(dir, 'b.npy'), b);
    const script = [
      'import numpy as np, json, sys',
      'out = {}',
      "for n in ['a', 'b']:",
      "    x = np.load(sys.argv[1] + '/' + n + '.npy')",
      "    out[n] = {'dtype': x.dtype.str, 'shape': list(x.shape), 'hex': x.astype('<f8').tobytes().hex()}",
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, { dtype: string; shape: number[]; hex: string }>;
    const hexOf = (d: ArrayLike<number>) => Buffer.from(Float64Array.from(d).buffer).toString('hex');
    expect(out.a).toEqual({ dtype: '<f4', shape: [3, 5], hex: hexOf(a.data) });
    expect(out.b).toEqual({ dtype: '<f8', shape: [2, 3, 4], hex: hexOf(b.data) });
  });
});

describe('NPY bad-input table', () => {
  const f8 = (n: number) => new Uint8Array(new Float64Array(n).buffer);
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    ['bad magic', () => decodeNpy(new TextEncoder().encode('PK\x03\x04 this is a zip')), FormatError, /^decodeNpy: an \.npy file must start with the magic '\\x93NUMPY' and a version; got 'PK\\x03\\x04 t' \(18 bytes\)$/],
    ['empty', () => decodeNpy(new Uint8Array(0)), FormatError, /magic .*; got '' \(0 bytes\)$/],
    ['version 4', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8(1), 4)), FormatError, /^decodeNpy: the \.npy format version must be 1\.0, 2\.0 or 3\.0; got 4\.0$/],
    ['header longer than the file', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }").subarray(0, 40)), FormatError, /^decodeNpy: the header must fit in the file \(truncated\?\); got 118 header bytes declared, 30 present$/],
    ['header not a dict literal', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1,) ")), FormatError, /^decodeNpy: the header must be a Python dict literal \(expected ',' or '}' at \d+\); got/],
    ['header with code', () => decodeNpy(npyBytes("__import__('os').system('true')")), FormatError, /must be a Python dict literal \(unexpected character "_" at 0\)/],
    ['missing descr', () => decodeNpy(npyBytes("{'fortran_order': False, 'shape': (1,), }", f8(1))), FormatError, /^decodeNpy: the header must have a string 'descr'; got null$/],
    ['bad fortran_order', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", f8(1))), FormatError, /boolean 'fortran_order'; got 0$/],
    ['negative shape', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", f8(1))), FormatError, /'shape' must be a tuple of non-negative integers; got \[-1\]$/],
    ['object dtype', () => decodeNpy(npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", f8(1))), FormatError, /^decodeNpy: object arrays \(pickled Python objects\) are not supported; got descr '\|O'$/],
    ['complex dtype', () => decodeNpy(npyBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16))), FormatError, /complex dtype is not supported .*; got descr '<c16'$/],
    ['string dtype', () => decodeNpy(npyBytes("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(12))), FormatError, /string dtype is not supported/],
    ['structured dtype', () => decodeNpy(npyBytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", f8(1))), FormatError, /structured \(record\) dtypes are not supported; got a field list$/],
    ['size mismatch (truncated)', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", f8(5))), FormatError, /^decodeNpy: the data must hold shape \(2, 3\) × 8 bytes = 48 bytes; got 40 bytes \(truncated\?\)$/],
    ['size mismatch (trailing)', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", f8(7))), FormatError, /got 56 bytes \(trailing bytes\)$/],
    ['huge declared shape', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 4000000000), }", f8(1))), FormatError, /= 128000000000000000000 bytes; got 8 bytes \(truncated\?\)$/],
    ['zero channels', () => decodeNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }")), FormatError, /^decodeNpy: the first axis \(channels\) must not be empty; got shape \(0, 3\)$/],
    ['not bytes', () => decodeNpy('x.npy' as unknown as Uint8Array), ArgumentTypeError, /^decodeNpy: bytes must be a Uint8Array \(or Buffer\); got "x.npy"$/],
    ['missing file', () => readNpy('/nonexistent/x.npy'), FileError, /^readNpy: the file must exist and be readable; got "\/nonexistent\/x.npy" \(it does not exist\)$/],
    ['file with bad content names the path', () => readNpy(path.join(REPO_ROOT, 'package.json')), FormatError, /^readNpy: ".*package.json": an \.npy file must start with the magic/],
    ['write to a missing folder', () => writeNpy('/nonexistent/dir/x.npy', Multichannel.zeros(1, 2)), FileError, /^writeNpy: the output folder must exist; got "\/nonexistent\/dir" \(it does not exist\)$/],
    ['write a non-Multichannel', () => encodeNpy({ data: new Float64Array(3), channels: 2, length: 2 } as unknown as Multichannel), ArgumentTypeError, /^encodeNpy: x must be a Multichannel; got an object$/],
  ];
  for (const [label, f, cls, re] of cases) {
    it(label, () => {
      expectPointwiseError(f, cls, re, label);
    });
  }
});
