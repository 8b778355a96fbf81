// The index of many runs (`<dir>/index.html`, `<dir>/junit.xml`): every run
// directory under `<dir>` (one holding results.json) with its verdict,
// scenario, target, seed, date and duration, filterable; and a JUnit testcase
// per run. Finding and reading the runs is I/O; rendering is pure.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { xmlEscape } from '../nightly/matrix.ts';
import type { ResultsFile } from '../run/check.ts';
import { htmlText } from './escape.ts';

export type RunVerdict = 'valid' | 'invalid' | 'unknown' | 'error';

export interface IndexRow {
  /** The run directory relative to the index's directory, with `/`. */
  path: string;
  scenario: string;
  target: string;
  seed: string;
  verdict: RunVerdict;
  /** What the verdict means for this run: a correct server failing, or a planted/known bug caught (expected). */
  expected?: 'valid' | 'invalid';
  startedAt: string;
  durationMs: number;
  /** One line: the first invalid (else unknown) checker's summary, the harness error, or "all checks valid". */
  reason: string;
  bugs: string[];
  hasReport: boolean;
}

const MAX_DEPTH = 7;
const SKIP_DIR = /^(zooproof-|node_modules$|version-2$|n\d+$|\.)/;
const HEAD_BYTES = 256 * 1024;

/** Every directory under `dir` holding a results.json (not descending into a run's own node directories). */
export function findRunDirs(dir: string, depth = 0): string[] {
  if (depth > MAX_DEPTH || !existsSync(dir)) return [];
  if (existsSync(join(dir, 'results.json'))) return [dir];
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !SKIP_DIR.test(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
  return entries.sort().flatMap((name) => findRunDirs(join(dir, name), depth + 1));
}

/** The first line of history.jsonl (the run metadata), read without loading the whole file. */
export function historyMeta(runDir: string): Record<string, unknown> {
  const path = join(runDir, 'history.jsonl');
  if (!existsSync(path)) return {};
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    return JSON.parse(nl >= 0 ? text.slice(0, nl) : text) as Record<string, unknown>;
  } catch {
    return {};
  } finally {
    closeSync(fd);
  }
}

export function verdictReason(r: Pick<ResultsFile, 'checkers' | 'harnessError'>): string {
  if (r.harnessError) return `harness error: ${r.harnessError.split('\n')[0]}`;
  const bad = r.checkers?.find((c) => c.verdict === 'invalid') ?? r.checkers?.find((c) => c.verdict === 'unknown');
  return bad ? `${bad.checker}: ${bad.summary}` : 'all checks valid';
}

/** A run directory's results.json, or undefined when it cannot be read. */
export function readResults(runDir: string): ResultsFile | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as ResultsFile;
  } catch {
    return undefined;
  }
}

export function indexRow(indexDir: string, runDir: string): IndexRow | undefined {
  const r = readResults(runDir);
  if (r === undefined) return undefined;
  const meta = historyMeta(runDir);
  const config = (meta.config ?? {}) as { target?: string };
  const started = typeof meta.startedAt === 'string' ? meta.startedAt : statSync(join(runDir, 'results.json')).mtime.toISOString();
  const bugs = r.bugs ?? [];
  return {
    path: relative(indexDir, runDir).split(sep).join('/'), scenario: r.scenario ?? r.workload, target: config.target ?? 'reference',
    seed: String(r.seed), verdict: r.harnessError !== undefined ? 'error' : r.verdict,
    ...(bugs.length > 0 ? { expected: 'invalid' as const } : r.expect ? { expected: r.expect } : {}),
    startedAt: started, durationMs: r.durationMs, reason: verdictReason(r), bugs, hasReport: existsSync(join(runDir, 'index.html')),
  };
}

export function collectRows(indexDir: string): IndexRow[] {
  return findRunDirs(indexDir).map((d) => indexRow(indexDir, d)).filter((r): r is IndexRow => r !== undefined)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/** Whether the run went as it should: a correct run valid, a planted or known bug caught. */
export function asExpected(r: IndexRow): boolean | null {
  if (r.verdict === 'error') return false;
  if (r.verdict === 'unknown') return null;
  return r.verdict === (r.expected ?? 'valid');
}

const INDEX_SCRIPT = `(function(){var sel=document.querySelectorAll('select[data-col]');var rows=document.querySelectorAll('tbody tr');
function apply(){var shown=0;rows.forEach(function(tr){var ok=true;sel.forEach(function(s){if(s.value&&tr.getAttribute('data-'+s.getAttribute('data-col'))!==s.value)ok=false;});tr.style.display=ok?'':'none';if(ok)shown++;});
document.getElementById('shown').textContent=String(shown);}sel.forEach(function(s){s.addEventListener('change',apply);});apply();})();`;

function select(col: string, values: string[]): string {
  const opts = [...new Set(values)].sort().map((v) => `<option value="${htmlText(v)}">${htmlText(v)}</option>`).join('');
  return `<label>${col} <select data-col="${col}"><option value="">all</option>${opts}</select></label>`;
}

export function renderIndexHtml(rows: readonly IndexRow[], title: string): string {
  const body = rows.map((r) => {
    const link = r.hasReport ? `<a href="${htmlText(r.path)}/index.html">report</a>` : '';
    const files = `<a href="${htmlText(r.path)}/results.json">results</a> · <a href="${htmlText(r.path)}/history.jsonl">history</a>`;
    const ok = asExpected(r);
    const note = r.expected === 'invalid' ? ` <span class="muted">(expected invalid${r.bugs.length > 0 ? `: ${htmlText(r.bugs.join(','))}` : ''})</span>` : '';
    return `<tr class="${r.verdict}" data-scenario="${htmlText(r.scenario)}" data-target="${htmlText(r.target)}" data-verdict="${r.verdict}">` +
      `<td><span class="badge ${r.verdict}">${r.verdict}</span>${note}</td><td>${ok === null ? '?' : ok ? '✓' : '✗'}</td>` +
      `<td>${htmlText(r.scenario)}</td><td>${htmlText(r.target)}</td><td>${htmlText(r.seed)}</td><td>${htmlText(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</td>` +
      `<td>${(r.durationMs / 1000).toFixed(1)} s</td><td>${htmlText(r.reason)}</td><td>${link}${link ? ' · ' : ''}${files}</td></tr>`;
  }).join('\n');
  const counts = (['valid', 'invalid', 'unknown', 'error'] as const).map((v) => `${rows.filter((r) => r.verdict === v).length} ${v}`).join(', ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${htmlText(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#1d232b}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d7dde4;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f1f3f6}.badge{display:inline-block;padding:1px 7px;border-radius:4px;color:#fff;font-weight:700;font-size:11px;text-transform:uppercase}
.valid{background:#3f9b57}.invalid{background:#d0454c}.unknown{background:#e6a019}.error{background:#7b3fa0}tr.valid,tr.invalid,tr.unknown,tr.error{background:none}
.muted{color:#5f6b7a;font-size:12px}.filters{display:flex;gap:14px;margin:10px 0}</style></head><body>
<h1>${htmlText(title)}</h1><p>${rows.length} run(s): ${counts}. ✓: as expected (a correct server valid; a planted or known bug caught).</p>
<div class="filters">${select('scenario', rows.map((r) => r.scenario))}${select('target', rows.map((r) => r.target))}${select('verdict', rows.map((r) => r.verdict))}<span class="muted"><span id="shown"></span> shown</span></div>
<table><thead><tr><th>verdict</th><th>as expected</th><th>scenario</th><th>target</th><th>seed</th><th>started (UTC)</th><th>duration</th><th>why</th><th>files</th></tr></thead>
<tbody>
${body}
</tbody></table>
<script>${INDEX_SCRIPT}</script></body></html>
`;
}

export function renderJunitXml(rows: readonly IndexRow[], name: string): string {
  let failures = 0, errors = 0, skipped = 0;
  const cases = rows.map((r) => {
    const caseName = `${r.scenario} ${r.target} seed ${r.seed} (${r.path})`;
    let body = '';
    const ok = asExpected(r);
    if (r.verdict === 'error') { errors++; body = `<error message="${xmlEscape(r.reason)}"/>`; }
    else if (ok === null) { skipped++; body = `<skipped message="${xmlEscape(`unknown: ${r.reason}`)}"/>`; }
    else if (!ok) {
      failures++;
      const msg = r.expected === 'invalid' ? `expected invalid (${r.bugs.join(',') || 'known bug'}), got ${r.verdict}: ${r.reason}` : `${r.verdict}: ${r.reason}`;
      body = `<failure message="${xmlEscape(msg)}"/>`;
    }
    return `    <testcase classname="${xmlEscape(`zooproof.${r.scenario}`)}" name="${xmlEscape(caseName)}" time="${(r.durationMs / 1000).toFixed(1)}">${body}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlEscape(name)}">\n  <testsuite name="${xmlEscape(name)}" tests="${rows.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}

/** Rebuilds `<dir>/index.html` and `<dir>/junit.xml`; returns the rows. */
export function writeRunIndex(dir: string, title = 'zooproof runs'): IndexRow[] {
  if (existsSync(join(dir, 'results.json'))) throw new Error(`${dir} is a run directory (its index.html is the run's report), not a folder of runs`);
  const rows = collectRows(dir);
  writeFileSync(join(dir, 'index.html'), renderIndexHtml(rows, `${title}: ${dir}`));
  writeFileSync(join(dir, 'junit.xml'), renderJunitXml(rows, title));
  return rows;
}
