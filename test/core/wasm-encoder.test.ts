/**
 * The WebAssembly builder and encoder of src/core/wasm.ts on their own: LEB128 at the edges of its
 * range, the exact bytes of a minimal module, a small hand-written function that the engine
 * validates and runs, branch depths computed from labels, local numbering, the text form, and the
 * errors a misuse gets.
 */
import { describe, expect, it } from 'vitest';
import { br, br_if, encodeFunction, encodeModule, f64x2, FunctionBuilder, functionText, i32, instantiate, sleb, uleb, v128, type WasmFunction } from '../../src/core/wasm.js';

const WA = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;

/** LEB128 decoders written from the spec, independent of the encoder. */
function readUleb(bytes: number[]): number {
  let v = 0;
  bytes.forEach((b, k) => (v += (b & 0x7f) * 2 ** (7 * k)));
  return v;
}
function readSleb(bytes: number[]): number {
  const v = readUleb(bytes);
  const bits = 7 * bytes.length;
  return bytes[bytes.length - 1] & 0x40 ? v - 2 ** bits : v;
}

describe('LEB128', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [16383, [0xff, 0x7f]],
    [16384, [0x80, 0x80, 0x01]],
    [624485, [0xe5, 0x8e, 0x26]], // the spec's (and Wikipedia's) example
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('unsigned %d', (n, bytes) => {
    expect(uleb(n)).toEqual(bytes);
  });

  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [-1, [0x7f]],
    [63, [0x3f]],
    [64, [0xc0, 0x00]], // bit 6 set would read as negative: one more byte
    [-64, [0x40]],
    [-65, [0xbf, 0x7f]],
    [-123456, [0xc0, 0xbb, 0x78]], // the spec's example
    [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
    [-(2 ** 31), [0x80, 0x80, 0x80, 0x80, 0x78]],
  ])('signed %d', (n, bytes) => {
    expect(sleb(n)).toEqual(bytes);
  });

  it('round-trips through independent decoders, each byte but the last with its continuation bit', () => {
    const values = [0, 1, 2 ** 7 - 1, 2 ** 7, 2 ** 14, 2 ** 21 - 1, 2 ** 28, 2 ** 31 - 1];
    for (let k = 0; k < 200; k++) values.push(Math.floor(((k * 2654435761) % 2 ** 32) / 2));
    for (const n of values) {
      const u = uleb(n);
      expect(readUleb(u)).toBe(n);
      expect(u.slice(0, -1).every((b) => b & 0x80) && (u[u.length - 1] & 0x80) === 0).toBe(true);
      for (const s of [n, -n - 1]) expect(readSleb(sleb(s))).toBe(s);
    }
  });

  it.each([
    [() => uleb(-1), /uleb: the value must be an integer in \[0, 2\^32\); got -1/],
    [() => uleb(2 ** 32), /got 4294967296/],
    [() => uleb(1.5), /got 1.5/],
    [() => sleb(2 ** 31), /sleb: the value must be an integer in \[-2\^31, 2\^31\); got 2147483648/],
    [() => sleb(-(2 ** 31) - 1), /got -2147483649/],
  ])('rejects values it cannot encode (%#)', (f, message) => {
    expect(f).toThrow(message);
  });
});

describe('module layout', () => {
  it('an empty function: header, then type, function, memory, export and code sections', () => {
    const bytes = encodeModule([new FunctionBuilder('f').finish()], 1);
    // prettier-ignore
    expect(Array.from(bytes)).toEqual([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
      1, 4, 1, 0x60, 0, 0, // type: one type, () → ()
      3, 2, 1, 0, // function: one function, of type 0
      5, 3, 1, 0x00, 1, // memory: one memory, no maximum, 1 page
      7, 14, 2, 6, ...Buffer.from('memory'), 0x02, 0, 1, ...Buffer.from('f'), 0x00, 0, // export: memory 0, function 0
      10, 4, 1, 2, 0, 0x0b, // code: one body of 2 bytes: no locals, end
    ]);
    expect(WA.validate(bytes)).toBe(true);
  });

  it('one type per distinct parameter list, shared by the functions that have it', () => {
    const fn = (name: string, ...params: string[]) => {
      const f = new FunctionBuilder(name);
      f.params(...params);
      return f.finish();
    };
    const bytes = encodeModule([fn('a', 'p', 'q'), fn('b'), fn('c', 'r', 's')], 2);
    expect(Array.from(bytes.subarray(8, 8 + 11))).toEqual([1, 9, 2, 0x60, 2, 0x7f, 0x7f, 0, 0x60, 0, 0]);
    expect(Array.from(bytes.subarray(19, 19 + 6))).toEqual([3, 4, 3, 0, 1, 0]);
    expect(WA.validate(bytes)).toBe(true);
  });

  it('locals: parameters first, then i32 locals, then v128 locals, each in declaration order; one group per run of a type', () => {
    const f = new FunctionBuilder('f');
    const [p] = f.params('p');
    const a = f.local('a', 'v128');
    const b = f.local('b', 'i32');
    const c = f.local('c', 'v128');
    const d = f.local('d', 'i32');
    f.emit(p.get, b.set, d.get, p.set, a.get, c.set);
    const fn = f.finish();
    expect(fn.locals.map((l) => l.name)).toEqual(['b', 'd', 'a', 'c']);
    expect(encodeFunction(fn)).toEqual([2, 2, 0x7f, 2, 0x7b, 0x20, 0, 0x21, 1, 0x20, 2, 0x21, 0, 0x20, 3, 0x21, 4, 0x0b]);
  });

  it('memory instructions: align (log2) then offset, natural alignment by default, lane last', () => {
    const f = new FunctionBuilder('f');
    const [p] = f.params('p');
    f.emit(p.get, p.get, v128.load(), v128.store(200, 8));
    f.emit(p.get, v128.const(), v128.store64_lane(8, 1));
    expect(encodeFunction(f.finish())).toEqual([
      0, 0x20, 0, 0x20, 0, 0xfd, 0x00, 4, 0, 0xfd, 0x0b, 3, 0xc8, 0x01, //
      0x20, 0, 0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x5b, 3, 8, 1, 0x0b,
    ]);
  });
});

/** `square(p, n)`: squares n float64 pairs in place at p (nothing when n = 0). */
function squareFunction(): WasmFunction {
  const f = new FunctionBuilder('square');
  const [p, n] = f.params('p', 'n');
  f.emit(n.get, i32.eqz);
  f.ifThen(
    'empty',
    () => undefined,
    () => {
      f.block('done', (done) => {
        f.loop('next', (next) => {
          f.emit(p.get, p.get, v128.load(), p.get, v128.load(), f64x2.mul, v128.store());
          f.emit(p.get, i32.const(16), i32.add, p.set);
          f.emit(n.get, i32.const(1), i32.sub, n.tee, i32.eqz, br_if(done), br(next));
        });
      });
    },
  );
  return f.finish();
}

describe('a hand-written kernel', () => {
  it('validates and computes what it says', () => {
    const fns = [squareFunction()];
    expect(WA.validate(encodeModule(fns, 1))).toBe(true);
    const { memory, exports } = instantiate(fns, 1);
    const square = exports.square as (p: number, n: number) => void;
    const mem = new Float64Array(memory.buffer, 0, 8);
    mem.set([1.5, -2, 3, 0.25, 7, 7, 7, 7]);
    square(16, 2); // pairs 1 and 2
    expect(Array.from(mem)).toEqual([1.5, -2, 9, 0.0625, 49, 49, 7, 7]);
    square(0, 0);
    expect(mem[0]).toBe(1.5);
  });

  it('its text: folded expressions, labels, and the depth each branch encodes to', () => {
    expect(functionText(squareFunction())).toBe(
      [
        '(func $square (export "square") (param $p i32) (param $n i32)',
        '  (i32.eqz (local.get $n))',
        '  if $empty',
        '  else $empty',
        '    block $done',
        '      loop $next',
        '        (v128.store (local.get $p) (f64x2.mul (v128.load (local.get $p)) (v128.load (local.get $p))))',
        '        (local.set $p (i32.add (local.get $p) (i32.const 16)))',
        '        (br_if $done (i32.eqz (local.tee $n (i32.sub (local.get $n) (i32.const 1))))) ;; depth 1',
        '        (br $next) ;; depth 0',
        '      end $next',
        '    end $done',
        '  end $empty)',
        '',
      ].join('\n'),
    );
    expect(functionText(squareFunction(), { folded: false }).split('\n').slice(1, 6)).toEqual(['  local.get $n', '  i32.eqz', '  if $empty', '  else $empty', '    block $done']);
  });
});

describe('labels', () => {
  it('a branch encodes the number of blocks between it and its label', () => {
    const f = new FunctionBuilder('f');
    const depths: Record<string, number[]> = {};
    f.block('a', (a) =>
      f.loop('b', (b) =>
        f.block('c', (c) => {
          f.emit(br(c), br(b), br(a));
          f.emit(i32.const(0), br_if(a));
        }),
      ),
    );
    const fn = f.finish();
    for (const ins of fn.code) if (ins.op === 'br' || ins.op === 'br_if') (depths[ins.label.name] ??= []).push(ins.depth!);
    expect(depths).toEqual({ c: [0], b: [1], a: [2, 2] });
    const body = encodeFunction(fn);
    expect(body.slice(1)).toEqual([0x02, 0x40, 0x03, 0x40, 0x02, 0x40, 0x0c, 0, 0x0c, 1, 0x0c, 2, 0x41, 0, 0x0d, 2, 0x0b, 0x0b, 0x0b, 0x0b]);
    expect(WA.validate(encodeModule([fn], 1))).toBe(true);
  });

  it.each([
    [
      'a branch to a label whose block has ended',
      (f: FunctionBuilder) => {
        let gone: Parameters<typeof br>[0] | undefined;
        f.block('gone', (l) => (gone = l));
        f.emit(br(gone!));
      },
      'wasm: f: br $gone: the label must be an enclosing block; got it outside (open: none)',
    ],
    [
      'a branch to a label of another function',
      (f: FunctionBuilder) => {
        const g = new FunctionBuilder('g');
        const other = g.begin('loop', 'other');
        f.block('mine', () => f.emit(br_if(other)));
      },
      'wasm: f: br_if $other: the label must be an enclosing block; got it outside (open: $mine)',
    ],
    [
      'end of a block that is not the innermost',
      (f: FunctionBuilder) => {
        const outer = f.begin('block', 'outer');
        f.begin('loop', 'inner');
        f.end(outer);
      },
      'wasm: f: end must close the innermost block $inner; got $outer',
    ],
    [
      'a block left open',
      (f: FunctionBuilder) => {
        f.begin('block', 'open');
        f.finish();
      },
      'wasm: f: every block must be closed by finish(); got $open open',
    ],
    [
      'else outside an if',
      (f: FunctionBuilder) => {
        const b = f.begin('block', 'b');
        f.else(b);
      },
      'wasm: f: else must close the innermost if; got $b (open: $b)',
    ],
    [
      'a local of another function',
      (f: FunctionBuilder) => {
        const [q] = new FunctionBuilder('g').params('q');
        f.emit(q.get);
      },
      'wasm: f: local.get $q: the local must belong to this function; got one of g',
    ],
    ['a name used twice', (f: FunctionBuilder) => f.params('x', 'x'), 'wasm: f: local names must be unique; got x twice'],
    ['a name that is not an identifier', (f: FunctionBuilder) => f.local('a b', 'i32'), 'wasm: f: a local name must be an identifier; got "a b"'],
    ['a block opened through emit()', (f: FunctionBuilder) => f.emit({ op: 'end', label: { name: 'x', kind: 'block' } }), 'wasm: f: end must come from begin()/end() or block()/loop()/ifThen(), not emit()'],
    [
      'emitting after finish()',
      (f: FunctionBuilder) => {
        f.finish();
        f.emit(i32.const(1));
      },
      'wasm: f: cannot emit after finish()',
    ],
    ['an alignment above natural', () => v128.load(0, 32), 'wasm: v128.load: align must be a power of two up to 16 bytes; got 32'],
    ['an alignment that is not a power of two', () => v128.load64_splat(0, 6), 'wasm: v128.load64_splat: align must be a power of two up to 8 bytes; got 6'],
    ['a v128 constant of 8 bytes', () => v128.const(new Array(8).fill(0)), 'wasm: v128.const takes 16 bytes; got 8'],
  ])('misuse: %s', (_, misuse, message) => {
    expect(() => misuse(new FunctionBuilder('f'))).toThrow(message);
  });
});
