// What a nightly found, from its job results (pure): matrix.json (bugs caught
// and how fast; verdicts of the correct server and of Apache ZooKeeper),
// JUnit XML for CI, and the run index page.
import { PLANTED_BUGS } from '../../server/bugs/catalog.ts';
import type { NightlyJob } from './plan.ts';

export type JobVerdict = 'valid' | 'invalid' | 'unknown' | 'error' | 'skipped';

export interface JobResult {
  job: NightlyJob;
  verdict: JobVerdict;
  /** One line: the first failing checker's summary, the harness error, or why it was skipped. */
  reason: string;
  /** The run directory (results.json, history.jsonl, nodes' logs), relative to the nightly's output. */
  runDir?: string;
  durationMs: number;
}

export interface BugRow {
  bug: string;
  jira: string;
  caught: boolean;
  /** The scenario whose run caught it (or the last one tried). */
  scenario: string | null;
  seed: number | null;
  /** Workload seconds spent on this bug up to and including the catching run (an upper bound on detection time). */
  secondsToDetect: number | null;
  runs: number;
  /** The catching checker's finding. */
  finding: string | null;
}

export interface Matrix {
  bugs: BugRow[];
  correct: Array<{ scenario: string; seed: number; verdict: JobVerdict; reason: string }>;
  /** `expected: 'invalid'`: the scenario reproduces a known bug of Apache ZooKeeper 3.8.0. */
  zookeeper: Array<{ scenario: string; seed: number; verdict: JobVerdict; reason: string; expected?: 'invalid' }>;
  totals: { jobs: number; skipped: number; correctInvalid: number; bugsCaught: number; bugsTried: number };
}

function bugRow(bug: string, jira: string, results: readonly JobResult[]): BugRow {
  const ran = results.filter((r) => r.job.bug === bug && r.verdict !== 'skipped');
  const hit = ran.findIndex((r) => r.verdict === 'invalid');
  const upto = hit >= 0 ? ran.slice(0, hit + 1) : ran;
  const last = hit >= 0 ? ran[hit] : ran[ran.length - 1];
  return {
    bug, jira, caught: hit >= 0, scenario: last?.job.scenario ?? null, seed: last?.job.seed ?? null,
    secondsToDetect: hit >= 0 ? upto.reduce((s, r) => s + r.job.timeLimitS, 0) : null,
    runs: ran.length, finding: hit >= 0 ? ran[hit]!.reason : null,
  };
}

export function buildMatrix(results: readonly JobResult[]): Matrix {
  const tried = new Set(results.filter((r) => r.job.kind === 'bug' && r.verdict !== 'skipped').map((r) => r.job.bug!));
  const bugs = PLANTED_BUGS.filter((b) => tried.has(b.name)).map((b) => bugRow(b.name, b.jira, results));
  const row = (r: JobResult) => ({ scenario: r.job.scenario, seed: r.job.seed, verdict: r.verdict, reason: r.reason });
  const correct = results.filter((r) => r.job.kind === 'correct' && r.verdict !== 'skipped').map(row);
  const zookeeper = results.filter((r) => r.job.kind === 'zookeeper' && r.verdict !== 'skipped')
    .map((r) => ({ ...row(r), ...(r.job.expect === 'invalid' ? { expected: 'invalid' as const } : {}) }));
  return {
    bugs, correct, zookeeper,
    totals: { jobs: results.length, skipped: results.filter((r) => r.verdict === 'skipped').length,
      correctInvalid: correct.filter((c) => c.verdict === 'invalid').length,
      bugsCaught: bugs.filter((b) => b.caught).length, bugsTried: bugs.length },
  };
}

/** Median of the caught bugs' secondsToDetect, or null. */
export function medianSecondsToDetect(m: Matrix): number | null {
  const xs = m.bugs.filter((b) => b.secondsToDetect !== null).map((b) => b.secondsToDetect!).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

export function xmlEscape(s: string): string {
  // Characters XML 1.0 forbids are dropped; the five specials are escaped.
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function testcase(classname: string, name: string, seconds: number, body: string): string {
  return `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}" time="${seconds.toFixed(1)}">${body}</testcase>`;
}

function suite(name: string, cases: string[], failures: number, skipped: number): string {
  return `  <testsuite name="${xmlEscape(name)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
}

/** JUnit: a correct or Apache run fails when invalid (or errored); a bug fails when no run caught it. */
export function junitXml(results: readonly JobResult[], m: Matrix): string {
  const runCases = (kind: 'correct' | 'zookeeper') => {
    const rs = results.filter((r) => r.job.kind === kind);
    let failures = 0;
    let skipped = 0;
    const cases = rs.map((r) => {
      let body = '';
      const knownBug = r.job.expect === 'invalid';
      if (knownBug && r.verdict === 'invalid') body = '';
      else if (knownBug && r.verdict === 'valid') { skipped++; body = `<skipped message="${xmlEscape('the known bug did not show in this run')}"/>`; }
      else if (r.verdict === 'invalid' || r.verdict === 'error') { failures++; body = `<failure message="${xmlEscape(`${r.verdict}: ${r.reason}`)}"/>`; }
      else if (r.verdict === 'skipped' || r.verdict === 'unknown') { skipped++; body = `<skipped message="${xmlEscape(`${r.verdict}: ${r.reason}`)}"/>`; }
      return testcase(kind, `${r.job.scenario} seed ${r.job.seed}`, r.durationMs / 1000, body);
    });
    return suite(`zooproof nightly: ${kind === 'correct' ? 'correct reference server' : 'Apache ZooKeeper'}`, cases, failures, skipped);
  };
  const bugCases = m.bugs.map((b) => testcase('planted-bugs', `${b.bug}${b.jira ? ` (${b.jira})` : ''}`, b.secondsToDetect ?? 0,
    b.caught ? '' : `<failure message="${xmlEscape(`not caught in ${b.runs} run(s)`)}"/>`));
  const bugSuite = suite('zooproof nightly: planted bugs', bugCases, m.bugs.filter((b) => !b.caught).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="zooproof nightly">\n${[bugSuite, runCases('correct'), runCases('zookeeper')].join('\n')}\n</testsuites>\n`;
}

export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A self-contained index page: one row per run, linking to its directory. */
export function indexHtml(results: readonly JobResult[], m: Matrix, title: string): string {
  const rows = results.map((r) => {
    const link = r.runDir ? `<a href="${htmlEscape(r.runDir)}/index.html">report</a> · <a href="${htmlEscape(r.runDir)}/results.json">results</a> · <a href="${htmlEscape(r.runDir)}/history.jsonl">history</a>` : '';
    return `<tr class="${r.verdict}"><td>${r.job.kind}</td><td>${htmlEscape(r.job.scenario)}</td><td>${r.job.seed}</td>` +
      `<td>${htmlEscape(r.job.bug ?? '')}</td><td>${r.verdict}</td><td>${htmlEscape(r.reason)}</td><td>${link}</td></tr>`;
  });
  const bugRows = m.bugs.map((b) => `<tr class="${b.caught ? 'invalid' : 'valid'}"><td>${htmlEscape(b.bug)}</td><td>${htmlEscape(b.jira)}</td>` +
    `<td>${b.caught ? 'caught' : 'NOT caught'}</td><td>${htmlEscape(b.scenario ?? '')}</td><td>${b.secondsToDetect ?? ''}</td><td>${htmlEscape(b.finding ?? '')}</td></tr>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${htmlEscape(title)}</title><style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
tr.invalid td:nth-child(5){color:#b00;font-weight:bold}tr.error td:nth-child(5),tr.unknown td:nth-child(5){color:#a60}
</style></head><body><h1>${htmlEscape(title)}</h1>
<p>${m.totals.bugsCaught} of ${m.totals.bugsTried} planted bugs caught; ${m.totals.correctInvalid} invalid verdicts on the correct server in ${m.correct.length} runs; ${m.zookeeper.length} runs on Apache ZooKeeper.</p>
<h2>Planted bugs</h2><table><tr><th>bug</th><th>JIRA</th><th>result</th><th>scenario</th><th>seconds to detect (≤)</th><th>finding</th></tr>${bugRows.join('')}</table>
<h2>Runs</h2><p><a href="runs/index.html">every run, filterable</a> · <a href="runs/consistency.html">the two targets side by side</a> · <a href="runs/junit.xml">runs/junit.xml</a></p><table><tr><th>kind</th><th>scenario</th><th>seed</th><th>bug</th><th>verdict</th><th>why</th><th>files</th></tr>${rows.join('')}</table>
</body></html>\n`;
}
