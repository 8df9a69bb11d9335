/**
 * Writes docs/API.md: the public index (src/index.ts) by module, one line per name from the first
 * sentence of its TSDoc. Run `npx tsx scripts/api-doc.ts` after changing the public list;
 * test/api/public-index.test.ts checks that the file names every public export.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'src/index.ts');

/** Group titles, in the order of src/index.ts; a name's group is the folder its declaration lives in. */
const GROUPS: Record<string, string> = {
  core: 'core — the Multichannel type, the error family, a seeded random generator',
  io: 'io — audio, arrays, images and HDF5-family files; models and partial results (.npz); PNG',
  fft: 'fft — transforms of any length, windows, STFT',
  convolve: 'convolve — direct, FFT, overlap-add, streaming, 2-D and complex convolution',
  mixing: 'mixing — the 1×1 operator, mixer layers, grouped/shuffled/separable variants, costs',
  train: 'train — losses, optimisers, closed-form least squares, the trainer',
  beamform: 'beamform — geometry, steering, delay-and-sum, patterns, localisation, simulation, MVDR, Wiener, metrics',
  spectral: 'spectral — ENVI cubes, PCA, learned projection, MNF, detectors, endmembers, false colour',
  constrained: 'constrained — conservation-constrained mixers',
  plot: 'plot — SVG/PNG figures',
  filter: 'filter — IIR/FIR design, filtering with state, zero-phase filtering, resampling',
  spectrum: 'spectrum — Welch/CSD/coherence, spectrograms, analytic signals, peaks',
  notebook: 'notebook — rich output in tslab',
  cluster: 'cluster — BullMQ jobs on Redis',
};

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /^(.*?[^.]\.)(\s|$)/.exec(flat);
  let s = m ? m[1] : flat;
  if (s.length > 200) s = `${s.slice(0, s.lastIndexOf(' ', 197))} …`;
  return s.replace(/\{@link\s+([^}|\s]+)(?:\s*\|\s*([^}]+))?\}/g, (_, a: string, b?: string) => `\`${b ?? a}\``).replace(/\|/g, '\\|');
}

const program = ts.createProgram([entry], { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();
const source = program.getSourceFile(entry)!;
const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!);
const rows = new Map<string, { name: string; kind: string; line: string }[]>();
for (const sym of exports) {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  const decl = target.declarations?.[0];
  if (!decl) continue;
  const file = path.relative(root, decl.getSourceFile().fileName).split(path.sep).join('/');
  const group = file.split('/')[1];
  const isType = (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) !== 0 && (target.flags & ts.SymbolFlags.Value) === 0;
  const kind = isType ? 'type' : target.flags & ts.SymbolFlags.Class ? 'class' : target.flags & ts.SymbolFlags.Function ? 'function' : 'constant';
  const doc = ts.displayPartsToString(target.getDocumentationComment(checker));
  if (!rows.has(group)) rows.set(group, []);
  rows.get(group)!.push({ name: sym.name, kind, line: doc ? firstSentence(doc) : '' });
}

const out: string[] = [
  '# pointwise — the public API',
  '',
  'What `import { … } from \'pointwise\'` offers, by module (generated from `src/index.ts` by',
  '`npx tsx scripts/api-doc.ts`; the full reference with signatures is `npm run docs`). Anything not',
  'listed here — validators, unchecked kernels such as `gemm`, job plumbing — is internal to the package',
  'and may change without notice.',
  '',
  '## Errors',
  '',
  'Every error the library throws on purpose is one of the classes in `core` (`ShapeError`, `ValueError`,',
  '`ArgumentTypeError`, `FormatError`, `FileError`, `NumericalError`; `isPointwiseError` recognises them),',
  'and its message names the function, what must hold and what was given:',
  '`convolve: kernel must have 1 or 3 channels (signal has 3); got 2`. A positional argument is named as',
  'in the signature (`x`, `geometry`); a field of an options object is named `options.<field>`',
  '(`stft: options.fs must be > 0; got 0`). Public functions always name themselves: no public signature',
  'takes an error-prefix argument.',
  '',
];
for (const group of [...Object.keys(GROUPS), ...[...rows.keys()].filter((g) => !(g in GROUPS))]) {
  const list = rows.get(group);
  if (!list) continue;
  out.push(`## ${GROUPS[group] ?? group}`, '', '| name | kind | what it is |', '|---|---|---|');
  const order = { function: 0, class: 1, constant: 2, type: 3 } as Record<string, number>;
  list.sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
  for (const r of list) out.push(`| \`${r.name}\` | ${r.kind} | ${r.line} |`);
  out.push('');
}
fs.writeFileSync(path.join(root, 'docs/API.md'), out.join('\n'));
console.log(`docs/API.md: ${exports.length} names in ${rows.size} modules`);
