/**
 * The direction of imports between src/ modules, as the design draws it: core depends on nothing;
 * the science modules compute and never draw (no import of src/plot); plot draws what they
 * compute, taking their data types only (`import type`), and writes files through io.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/index.js';

interface Edge { from: string; to: string; typeOnly: boolean }

/** Every relative import (static, `import()` and `require()`) of every .ts file under src/. */
function edges(): Edge[] {
  const out: Edge[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        const from = path.relative(REPO_ROOT, p).split(path.sep).join('/');
        const add = (spec: string, typeOnly: boolean): void => {
          if (!spec.startsWith('.')) return;
          const to = path.relative(REPO_ROOT, path.resolve(path.dirname(p), spec)).split(path.sep).join('/').replace(/\.js$/, '.ts');
          out.push({ from, to, typeOnly });
        };
        for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) add(m[3], m[2] !== undefined);
        for (const m of text.matchAll(/(?:import|require)\(\s*'([^']+)'\s*\)/g)) add(m[1], /typeof import\(/.test(text.slice(Math.max(0, m.index! - 7), m.index! + 7)));
      }
    }
  };
  walk(path.join(REPO_ROOT, 'src'));
  return out;
}

const moduleOf = (file: string): string => file.split('/')[1];
const SCIENCE = ['fft', 'linalg', 'convolve', 'mixing', 'train', 'beamform', 'spectral', 'constrained', 'filter', 'spectrum'];

describe('import graph of src/', () => {
  const all = edges();

  it('finds the imports it checks (the parser is not blind)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all.some((e) => e.from === 'src/plot/svg.ts' && e.to === 'src/io/png.ts')).toBe(true);
    expect(all.some((e) => e.from === 'src/plot/heatmap.ts' && e.to === 'src/fft/stft.ts' && e.typeOnly)).toBe(true);
  });

  it('core imports nothing outside core', () => {
    expect(all.filter((e) => moduleOf(e.from) === 'core' && moduleOf(e.to) !== 'core').map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('no science module or io imports src/plot (falseColor computes pixels; io/png writes them)', () => {
    const bad = all.filter((e) => [...SCIENCE, 'io', 'core'].includes(moduleOf(e.from)) && moduleOf(e.to) === 'plot');
    expect(bad.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('plot takes only types from the science modules', () => {
    const bad = all.filter((e) => moduleOf(e.from) === 'plot' && SCIENCE.includes(moduleOf(e.to)) && !e.typeOnly);
    expect(bad.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });
});
