// The consistency page over fixture run directories (tiny results.json
// files): scenarios by target, verdict counts over seeds, outages and
// recovery times from the availability checker's details, elections and
// syncs from the cluster summary, planted-bug runs left out, every string
// escaped; and `zooproof report --consistency <dir>`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ResultsFile } from '../run/check.ts';
import { reportCommand } from '../report-command.ts';
import { collectConsistencyRuns, consistencyTable } from './consistency.ts';
import { renderConsistencyHtml } from './consistency-page.ts';
import { CONSISTENCY_FILE, writeConsistencyPage } from './consistency-write.ts';

const root = mkdtempSync(join(tmpdir(), 'zooproof-consistency-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COUNTS = { ok: 3, fail: 0, info: 0, byF: {}, nemesisOps: 0, notifications: 0, byNode: {} };
const S = 1e9;

interface Fake { scenario: string; target: string; seed: number; verdict?: ResultsFile['verdict']; bugs?: string[];
  outage?: [number, number]; resumedS?: number | null; rejoinS?: Array<number | null>; elections?: number; syncs?: [number, number, number]; server?: string }

function fakeRun(dir: string, f: Fake): void {
  const runDir = join(dir, `${f.target}_${f.scenario.replace(/\W/g, '_')}_${f.seed}`, 'run');
  mkdirSync(runDir, { recursive: true });
  const meta = { format: 'zooproof-history/1', scenario: f.scenario, startedAt: `2026-12-07T1${f.seed}:00:00.000Z`,
    versions: { node: 'v20.20.2', server: f.server ?? (f.target === 'zookeeper' ? '3.8.0' : '3.8.0-zooproof-0.1.0') }, config: { target: f.target } };
  writeFileSync(join(runDir, 'history.jsonl'), `${JSON.stringify(meta)}\n`);
  const healS = 30;
  const availability = { checker: 'availability', verdict: 'valid' as const, summary: 'ok', checkMs: 1, details: {
    finalHealNs: healS * S, endNs: 60 * S, recoveryBoundMs: 30_000, judgedOn: 'writes',
    windows: { writes: [], perNode: {} }, longestWriteWindowMs: { duringFaults: (f.outage?.[0] ?? 0) * 1000, afterHeal: (f.outage?.[1] ?? 0) * 1000 },
    nodes: Object.fromEntries((f.rejoinS ?? [0]).map((t, i) => [`n${i + 1}`, { rejoinedNs: t === null ? null : (healS + t) * S }])),
    resumedNs: f.resumedS === null ? null : (healS + (f.resumedS ?? 0)) * S, electionsAfterHeal: 0, findings: [], unjudged: [] } };
  const syncs = f.syncs ?? [0, 0, 0];
  const results = { verdict: f.verdict ?? 'valid', exitCode: 0, workload: 'register', scenario: f.scenario, seed: f.seed, command: 'c', history: 'h',
    durationMs: 60_000, counts: COUNTS, checkers: [availability, { checker: 'register/linearizable:cas-register', verdict: f.verdict ?? 'valid', summary: 'lin', details: {}, checkMs: 1 }],
    faults: [], faultsRun: [], ...(f.bugs ? { bugs: f.bugs } : {}),
    cluster: { elections: f.elections ?? 1, syncs: { DIFF: syncs[0], TRUNC: syncs[1], SNAP: syncs[2] }, leaderSideSyncs: { DIFF: 0, TRUNC: 0, SNAP: 0 }, snapshots: 0, fatals: 0, leaders: [], perNode: {} } };
  writeFileSync(join(runDir, 'results.json'), JSON.stringify(results));
}

describe('the consistency page', () => {
  const dir = join(root, 'nightly', 'runs');
  fakeRun(dir, { scenario: 'leader-crash', target: 'reference', seed: 1, outage: [3, 0], resumedS: 0.2, rejoinS: [0.1, 0.3], elections: 3, syncs: [4, 0, 1] });
  fakeRun(dir, { scenario: 'leader-crash', target: 'reference', seed: 2, outage: [5, 1.5], resumedS: 1.5, rejoinS: [0.1, 0.2], elections: 4, syncs: [5, 1, 1] });
  fakeRun(dir, { scenario: 'leader-crash', target: 'zookeeper', seed: 1, verdict: 'unknown', outage: [2, 0], resumedS: null, rejoinS: [0, null], elections: 5, syncs: [3, 0, 2] });
  fakeRun(dir, { scenario: 'leader-crash', target: 'reference', seed: 3, verdict: 'invalid', bugs: ['trunc-off-by-one'] });
  fakeRun(dir, { scenario: '<img src=x onerror=alert(1)>', target: 'zookeeper', seed: 1, verdict: 'invalid', server: '3.8.0 "</td><script>' });

  it('groups runs by scenario and target, with spreads over seeds; planted-bug runs are left out', () => {
    const t = consistencyTable(collectConsistencyRuns(dir));
    expect(t.targets).toEqual(['reference', 'zookeeper']);
    expect(t.plantedBugRuns).toBe(1);
    expect(t.rows.map((r) => r.scenario)).toEqual(['<img src=x onerror=alert(1)>', 'leader-crash']);
    const ref = t.rows[1]!.cells.reference!;
    expect(ref.verdicts).toEqual({ valid: 2, invalid: 0, unknown: 0, error: 0 });
    expect(ref.outageDuringFaultsMs).toEqual({ min: 3000, max: 5000, measured: 2, never: 0 });
    expect(ref.recoveryMs).toMatchObject({ min: 200, max: 1500, never: 0 });
    expect(ref.rejoinMs).toMatchObject({ min: 200, max: 300 });
    expect(ref.elections).toMatchObject({ min: 3, max: 4 });
    expect(ref.syncs!.TRUNC).toMatchObject({ min: 0, max: 1 });
    const zk = t.rows[1]!.cells.zookeeper!;
    expect(zk.recoveryMs).toEqual({ min: 0, max: 0, measured: 0, never: 1 });
    expect(zk.rejoinMs).toMatchObject({ never: 1 });
    expect(t.rows[0]!.cells.reference).toBeUndefined();
    expect(t.versions.zookeeper!.server).toContain('3.8.0');
    expect(t.checkers).toEqual(['availability', 'linearizable']);
  });

  it('renders side by side: verdicts, times, never, links to each run; hostile strings escaped', () => {
    const t = consistencyTable(collectConsistencyRuns(dir));
    const html = renderConsistencyHtml(t, { title: 'c <b>', generatedAt: '2026-12-08T00:00:00.000Z', machine: 'cpu <x>' });
    expect(html).toContain('<span class="badge valid">2 valid</span>');
    expect(html).toContain('3.0–5.0 s');
    expect(html).toContain('<span class="bad">never</span>');
    expect(html).toContain('href="reference_leader_crash_1/run/results.json"');
    expect(html).toContain('not run');
    expect(html).toContain('Apache ZooKeeper');
    expect(html).toContain('Linearizability: is there one order');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('"</td><script>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('cpu &lt;x&gt;');
    // the row where one target failed and the other did not run is not marked; a disagreement is
    expect(html.match(/class="differs"/g) ?? []).toHaveLength(0);
  });

  it('marks a scenario where one target failed and the other passed', () => {
    const d = join(root, 'differs');
    fakeRun(d, { scenario: 's', target: 'reference', seed: 1, verdict: 'invalid' });
    fakeRun(d, { scenario: 's', target: 'zookeeper', seed: 1 });
    const html = renderConsistencyHtml(consistencyTable(collectConsistencyRuns(d)), { title: 't', generatedAt: '2026-12-08T00:00:00Z', machine: 'm' });
    expect(html.match(/class="differs"/g)).toHaveLength(1);
  });

  it('zooproof report --consistency <dir> writes <dir>/consistency.html; a run directory is refused', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await reportCommand(['--consistency', dir])).toBe(0);
      expect(readFileSync(join(dir, CONSISTENCY_FILE), 'utf8')).toContain('leader-crash');
      expect(String(out.mock.calls.at(-1)?.[0])).toContain('2 scenarios');
      expect(await reportCommand(['--consistency', join(dir, 'reference_leader_crash_1', 'run')])).toBe(254);
      expect(await reportCommand(['--consistency', join(root, 'missing')])).toBe(254);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(writeConsistencyPage(join(root, 'differs')).table.rows).toHaveLength(1);
  });
});
