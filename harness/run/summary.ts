// The plain-text summary printed at the end of a run (pure: results in, text out).
import type { ResultsFile } from './check.ts';

function seconds(ns: number): string {
  return `${(ns / 1e9).toFixed(1)}s`;
}

function faultText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const v = value as { nodes?: string[]; groups?: string[][]; deltaMs?: number; mode?: string };
  if (v.groups) return v.groups.map((g) => g.join(',')).join(' | ');
  const parts = [v.nodes?.join(','), v.deltaMs !== undefined ? `${v.deltaMs} ms` : undefined, v.mode].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : JSON.stringify(value);
}

function clusterLine(c: NonNullable<ResultsFile['cluster']>): string {
  const perNode = Object.entries(c.perNode).sort().map(([n, x]) => `${n} ${x.elections}e/${x.syncs.DIFF}d/${x.syncs.TRUNC}t/${x.syncs.SNAP}s`).join(', ');
  return `cluster: ${c.elections} leader election(s), syncs DIFF ${c.syncs.DIFF} · TRUNC ${c.syncs.TRUNC} · SNAP ${c.syncs.SNAP}, ` +
    `${c.snapshots} snapshot(s)${c.fatals > 0 ? `, ${c.fatals} FATAL` : ''}\n  per server (elections/DIFF/TRUNC/SNAP): ${perNode}`;
}

export function summaryText(r: ResultsFile, runDir: string): string {
  const lines: string[] = [];
  lines.push(`zooproof run ${r.scenario ?? r.workload}: ${r.verdict.toUpperCase()} (seed ${r.seed}, ${(r.durationMs / 1000).toFixed(1)} s)`);
  if (r.harnessError) lines.push(`harness error: ${r.harnessError}`);
  lines.push('', 'checkers:');
  for (const c of r.checkers) lines.push(`  ${c.verdict.padEnd(8)} ${c.checker}: ${c.summary} (${c.checkMs} ms)`);
  if (r.checkers.length === 0) lines.push('  (none ran)');
  const c = r.counts;
  lines.push('', `operations: ${c.ok + c.fail + c.info} (${c.ok} ok, ${c.fail} fail, ${c.info} info), ${c.nemesisOps} nemesis, ${c.notifications} notifications`);
  for (const [f, n] of Object.entries(c.byF).sort()) lines.push(`  ${f.padEnd(16)} ${n.ok} ok, ${n.fail} fail, ${n.info} info`);
  const nodes = Object.entries(c.byNode ?? {}).sort();
  if (nodes.length > 0) lines.push(`  per server: ${nodes.map(([n, x]) => `${n === '?' ? '(no server)' : n} ${x.ok + x.fail + x.info} (${x.ok} ok)`).join(', ')}`);
  if (r.cluster) lines.push('', clusterLine(r.cluster));
  lines.push('', r.faultsRun.length === 0 ? 'faults: none' : 'faults (as run; the planned schedule is in results.json):');
  for (const f of r.faultsRun) {
    const error = f.error === undefined ? '' : `  ERROR: ${f.error}`;
    lines.push(`  ${seconds(f.timeNs).padStart(7)}  ${f.f} ${faultText(f.value)}${error}`.trimEnd());
  }
  lines.push('', `history: ${r.history}`, `results: ${runDir}/results.json`, `reproduce: ${r.command}`);
  return `${lines.join('\n')}\n`;
}
