// The consistency report page (pure): for the scenario catalog, each target
// (the reference server, Apache ZooKeeper) side by side: verdicts over seeds,
// write outages during faults and after the heal, recovery times, elections
// and learner syncs, and a link to every run's report. Same style as the
// runs' index; every string from a run goes through htmlText.
import type { RunVerdict } from './run-index.ts';
import { SYNC_NAMES, type ConsistencyCell, type ConsistencyTable, type Spread } from './consistency.ts';
import { htmlText } from './escape.ts';
import { aboutCheckerLine } from './explain.ts';

export interface PageContext {
  title: string;
  generatedAt: string;
  /** One line: CPU, cores, memory, OS. */
  machine: string;
}

const VERDICTS: RunVerdict[] = ['valid', 'invalid', 'unknown', 'error'];
const TARGET_NAMES: Record<string, string> = { reference: 'zooproof reference server', zookeeper: 'Apache ZooKeeper' };
const COLUMNS: Array<[string, string]> = [
  ['verdicts', 'runs of each verdict over the seeds'],
  ['outage in faults', 'longest time no client write succeeded, in a stretch begun while a fault was active'],
  ['outage after heal', 'longest time no client write succeeded after the final heal'],
  ['writes back', 'final heal to the first successful write'],
  ['all rejoined', 'final heal to the last server serving again'],
  ['elections', 'leaders elected in the run (the first included)'],
  ['DIFF·TRUNC·SNAP', 'learner syncs of each kind, as the learners logged them'],
  ['runs', 'each seed, coloured by verdict, linked to its report'],
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}`;

function spreadText(s: Spread | undefined, fmt: (n: number) => string, unit = ''): string {
  if (s === undefined) return '<span class="muted">–</span>';
  const range = s.measured === 0 ? '' : s.min === s.max ? `${fmt(s.max)}${unit}` : `${fmt(s.min)}–${fmt(s.max)}${unit}`;
  const never = s.never > 0 ? `<span class="bad">never${s.never > 1 ? ` ×${s.never}` : ''}</span>` : '';
  return [range, never].filter((x) => x !== '').join(' · ');
}

function verdictText(c: ConsistencyCell): string {
  return VERDICTS.filter((v) => c.verdicts[v] > 0).map((v) => `<span class="badge ${v}">${c.verdicts[v]} ${v}</span>`).join(' ');
}

function runLinks(c: ConsistencyCell): string {
  return c.runs.map((r) => {
    const href = `${r.path}/${r.hasReport ? 'index.html' : 'results.json'}`;
    return `<a class="run ${r.verdict}" href="${htmlText(href)}" title="${htmlText(`${r.verdict}: ${r.reason}`)}">${htmlText(r.seed)}</a>`;
  }).join(' ');
}

function cellHtml(c: ConsistencyCell | undefined): string {
  if (c === undefined) return `<td class="first muted" colspan="${COLUMNS.length}">not run</td>`;
  const syncs = c.syncs ? SYNC_NAMES.map((k) => spreadText(c.syncs![k], String)).join(' · ') : '<span class="muted">–</span>';
  return [`<td class="first">${verdictText(c)}</td>`, `<td>${spreadText(c.outageDuringFaultsMs, seconds, ' s')}</td>`,
    `<td>${spreadText(c.outageAfterHealMs, seconds, ' s')}</td>`, `<td>${spreadText(c.recoveryMs, seconds, ' s')}</td>`,
    `<td>${spreadText(c.rejoinMs, seconds, ' s')}</td>`, `<td>${spreadText(c.elections, String)}</td>`, `<td>${syncs}</td>`,
    `<td>${runLinks(c)}</td>`].join('');
}

/** Whether the targets disagree: one has a verdict (invalid, error) the other never had. */
function differs(cells: ConsistencyCell[]): boolean {
  if (cells.length < 2) return false;
  const bad = (c: ConsistencyCell) => c.verdicts.invalid + c.verdicts.error > 0;
  return cells.some(bad) && !cells.every(bad);
}

function header(t: ConsistencyTable, ctx: PageContext): string {
  const versions = t.targets.map((target) => {
    const v = t.versions[target]!;
    return `<li><b>${htmlText(TARGET_NAMES[target] ?? target)}</b> (${htmlText(target)}): ${v.server.length > 0 ? htmlText(v.server.join('; ')) : '<span class="muted">version not recorded</span>'}` +
      `${v.node.length > 0 ? ` <span class="muted">— Node.js ${htmlText(v.node.join(', '))}</span>` : ''}</li>`;
  }).join('');
  const dates = t.firstStartedAt ? `${htmlText(t.firstStartedAt.slice(0, 16).replace('T', ' '))} to ${htmlText(t.lastStartedAt!.slice(0, 16).replace('T', ' '))} UTC` : 'no runs';
  const checkers = t.checkers.map((c) => `<tr><td><code>${htmlText(c)}</code></td><td>${htmlText(aboutCheckerLine(c === 'linearizable' ? 'linearizable:' : c))}</td></tr>`).join('');
  const columns = COLUMNS.map(([k, v]) => `<tr><td>${htmlText(k)}</td><td>${htmlText(v)}</td></tr>`).join('');
  return `<h1>${htmlText(ctx.title)}</h1>
<p>Every scenario of the catalog run against each target with the same seeds, workloads and faults; a run is <span class="badge valid">valid</span> when every checker found its history correct.
Generated ${htmlText(ctx.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}; runs from ${dates}; machine: ${htmlText(ctx.machine)}.
${t.plantedBugRuns > 0 ? `${t.plantedBugRuns} run(s) of the reference server with a planted bug are left out (they are in the runs' index).` : ''}</p>
<ul class="versions">${versions}</ul>
<details><summary>What each column and each checker means</summary><div class="legend"><table>${columns}</table><table>${checkers}</table></div>
<p class="muted">Times over several seeds are shown lowest–highest; "never": writes never came back (or a server never rejoined) before the run ended. Rows where one target failed and the other did not are marked.</p></details>`;
}

export function renderConsistencyHtml(t: ConsistencyTable, ctx: PageContext): string {
  const groupHead = t.targets.map((target) => `<th class="first" colspan="${COLUMNS.length}">${htmlText(TARGET_NAMES[target] ?? target)}</th>`).join('');
  const colHead = t.targets.map(() => COLUMNS.map(([k], i) => `<th${i === 0 ? ' class="first"' : ''}>${htmlText(k)}</th>`).join('')).join('');
  const body = t.rows.map((row) => {
    const cells = t.targets.map((target) => row.cells[target]);
    const mark = differs(cells.filter((c): c is ConsistencyCell => c !== undefined));
    return `<tr${mark ? ' class="differs"' : ''}><th class="scenario">${htmlText(row.scenario)}${mark ? ' <span class="bad" title="the targets disagree">≠</span>' : ''}</th>${cells.map(cellHtml).join('')}</tr>`;
  }).join('\n');
  const totals = t.targets.map((target) => {
    const n = (v: RunVerdict) => t.rows.reduce((s, r) => s + (r.cells[target]?.verdicts[v] ?? 0), 0);
    return `${htmlText(target)}: ${VERDICTS.map((v) => `${n(v)} ${v}`).join(', ')}`;
  }).join('; ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${htmlText(ctx.title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#1d232b}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d7dde4;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f1f3f6}th.scenario{background:#fff;white-space:nowrap}.first{border-left:3px solid #8a96a6}.badge{display:inline-block;padding:1px 6px;border-radius:4px;color:#fff;font-weight:700;font-size:11px;white-space:nowrap}
.valid{background:#3f9b57}.invalid{background:#d0454c}.unknown{background:#e6a019}.error{background:#7b3fa0}.muted{color:#5f6b7a;font-size:12px}.bad{color:#c0392b;font-weight:700}
a.run{display:inline-block;min-width:1.4em;text-align:center;color:#fff;border-radius:3px;text-decoration:none;font-size:11px;margin:1px}tr.differs th.scenario{background:#fdecea}
.legend{display:flex;gap:24px;flex-wrap:wrap;margin:8px 0}.legend td:first-child{white-space:nowrap;font-weight:600}ul.versions{margin:6px 0}</style></head><body>
${header(t, ctx)}
<p>${t.rows.length} scenario(s). ${totals}.</p>
<table id="consistency"><thead><tr><th rowspan="2">scenario</th>${groupHead}</tr><tr>${colHead}</tr></thead>
<tbody>
${body}
</tbody></table>
</body></html>
`;
}
