/**
 * `npm run bench`: runs every bench module in turn (or those named on the command line, e.g.
 * `npm run bench -- convolve mixing`). Set BENCH_SMOKE=1 for tiny sizes.
 *
 * Options:
 * - `--runs N`: run the whole set N times (the ceilings are measured once, at the start); the
 *   targets table reports each target's median across the runs and in how many runs it was met.
 * - `--markdown`: write docs/PERFORMANCE.md: a generated header (date, machine, versions, ceilings),
 *   the targets table, and each module's tables from the last run. Everything from the line
 *   {@link HISTORY_MARKER} on (the hand-written history of measurements that source comments cite)
 *   is kept as it is.
 *
 * Every table and target row is appended to a JSON-lines record file (POINTWISE_BENCH_RECORD, a
 * temporary file unless set) that bench modules and their child processes write to.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ceilings, ceilingsLine, fmt, goalMet, goalText, pythonVersions, SMOKE, type Ceilings, type RecordEntry, type TargetRecord } from './lib.js';

/** The line of docs/PERFORMANCE.md from which the file is hand-written and kept by `--markdown`. */
export const HISTORY_MARKER = '<!-- Hand-written history below: `npm run bench -- --markdown` keeps everything from this line on. -->';

type Tagged = RecordEntry & { module: string; run: number };

function parseArgs(argv: string[]): { wanted: string[]; runs: number; markdown: boolean } {
  const wanted: string[] = [];
  let runs = 1;
  let markdown = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--markdown') markdown = true;
    else if (a === '--runs' || a.startsWith('--runs=')) {
      const v = a === '--runs' ? argv[++i] : a.slice(7);
      runs = Number(v);
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`bench: --runs must be a whole number ≥ 1; got ${JSON.stringify(v)}`);
    } else if (a.startsWith('--')) throw new Error(`bench: unknown option ${a} (known: --runs N, --markdown)`);
    else wanted.push(a);
  }
  return { wanted, runs, markdown };
}

async function main(): Promise<void> {
  const { wanted, runs, markdown } = parseArgs(process.argv.slice(2));
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => (f.endsWith('.ts') || f.endsWith('.js')) && !f.endsWith('.d.ts') && !['run', 'lib'].includes(f.replace(/\.(ts|js)$/, '')) && !f.startsWith('_'))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .filter((name) => wanted.length === 0 || wanted.includes(name));
  const unknown = wanted.filter((w) => !files.includes(w));
  if (unknown.length) throw new Error(`bench: no module named ${unknown.join(', ')} in bench/`);
  const recordFile = process.env.POINTWISE_BENCH_RECORD ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pointwise-bench-record-')), 'record.jsonl');
  process.env.POINTWISE_BENCH_RECORD = recordFile;
  const started = new Date();
  const load = os.loadavg()[0];
  const c = await ceilings();
  console.log(`(${ceilingsLine(c)})`);
  for (let run = 1; run <= runs; run++) {
    process.env.POINTWISE_BENCH_RUN = String(run);
    for (const name of files) {
      console.log(`\n## bench/${name}${runs > 1 ? ` (run ${run} of ${runs})` : ''}`);
      process.env.POINTWISE_BENCH_MODULE = name;
      const mod = (await import(path.join(__dirname, name))) as { main?: () => Promise<void> | void };
      if (typeof mod.main !== 'function') throw new Error(`bench/${name}: must export main()`);
      await mod.main();
    }
  }
  const entries = fs
    .readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Tagged);
  const summary = targetsTable(entries, runs);
  console.log(`\n## targets${runs > 1 ? ` (median across ${runs} runs)` : ''}\n\n${summary}`);
  if (markdown) {
    const file = path.join(__dirname, '..', 'docs', 'PERFORMANCE.md');
    fs.writeFileSync(file, document(entries, runs, c, started, load, files, summary, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''));
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The targets table: one row per target id, medians across runs. */
function targetsTable(entries: Tagged[], runs: number): string {
  const byId = new Map<string, (TargetRecord & { module: string })[]>();
  for (const e of entries) {
    if (e.kind !== 'target') continue;
    const list = byId.get(e.target.id) ?? [];
    list.push({ ...e.target, module: e.module });
    byId.set(e.target.id, list);
  }
  const header = ['module', 'workload', 'pointwise median ms', 'best anchor', 'anchor median ms', 'target', `value (median of ${runs} run${runs > 1 ? 's' : ''})`, 'met in runs', 'met?', 'what limits it (last run)'];
  const rows = [...byId.values()].map((list) => {
    const last = list[list.length - 1];
    const value = median(list.map((t) => t.goal.value));
    const met = goalMet({ ...last.goal, value });
    const anchors = list.filter((t) => t.anchor).map((t) => t.anchor!.stats.median);
    return [
      last.module,
      last.workload,
      fmt(median(list.map((t) => t.ours.median))),
      last.anchor?.name ?? '—',
      anchors.length ? fmt(median(anchors)) : '—',
      goalText(last.goal),
      fmt(value),
      `${list.filter((t) => t.met).length}/${list.length}`,
      met ? 'met' : 'NOT met',
      last.limit,
    ];
  });
  return markdownTable(header, rows);
}

function markdownTable(header: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${header.map(esc).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function cpuModel(): string {
  try {
    const m = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

/** The whole docs/PERFORMANCE.md: generated part, then the kept history. */
function document(entries: Tagged[], runs: number, c: Ceilings, started: Date, load: number, modules: string[], summary: string, previous: string): string {
  const at = previous.indexOf(HISTORY_MARKER);
  const history = at >= 0 ? previous.slice(at) : `${HISTORY_MARKER}\n`;
  const lastRun = Math.max(1, ...entries.map((e) => e.run));
  const tables = entries.filter((e): e is Tagged & { kind: 'table' } => e.kind === 'table' && e.run === lastRun);
  const out: string[] = [
    '# Performance',
    '',
    `<!-- Generated by \`npm run bench -- --runs ${runs} --markdown\`${SMOKE ? ' at smoke size (BENCH_SMOKE=1): the sizes are tiny and the targets do not apply' : ''}. Edit bench/*.ts, not this part. -->`,
    '',
    `- Date: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC; ${runs} run${runs > 1 ? 's' : ''} of the modules below${SMOKE ? ' (BENCH_SMOKE=1, tiny sizes)' : ''}.`,
    `- Modules: ${modules.join(', ')}. Load average (1 min) when the run started: ${load.toFixed(2)} on ${os.cpus().length} cores.`,
    `- Machine: ${cpuModel()}, ${os.cpus().length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()}.`,
    `- Node ${process.version}; ${pythonVersions()}.`,
    `- ${ceilingsLine(c).replace(/^c/, 'C')}. Triad counts 24 bytes per element, copy 16; the f64x2 probe runs 12 independent f64x2.mul / f64x2.add chains (no fused multiply-add in Node 20's WebAssembly).`,
    '- Anchors: the fastest a user could pick in the same run. numpy / scipy anchors run twice, in separate processes, with the default threads and with OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1; the faster counts and is named. Times are median / min of ≥ 7 calls.',
    '',
    `## Targets${runs > 1 ? ` (median across ${runs} runs)` : ''}`,
    '',
    'A target is met when the median across runs of its measured value meets the bound; "met in runs" counts the single runs that met it.',
    '',
    summary,
    '',
    `## Tables by module${runs > 1 ? ` (run ${lastRun} of ${runs})` : ''}`,
    '',
  ];
  for (const m of modules) {
    out.push(`### bench/${m}`, '');
    for (const t of tables.filter((x) => x.module === m)) out.push(`**${t.title}**`, '', markdownTable(t.header, t.rows), '');
  }
  out.push(history.endsWith('\n') ? history : history + '\n');
  return out.join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
