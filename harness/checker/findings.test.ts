// Typed findings (types.ts `Finding`): every checker that can find something
// names it with a stable code and points at the history events (and op ids)
// involved. Must-flag fixtures point at the right events; valid fixtures
// give an empty list, never a violation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonlHistory } from '../history/jsonl.ts';
import type { ClusterStateRecord } from '../observe/types.ts';
import { availabilityChecker } from './availability/check.ts';
import { checkInput, compose } from './compose.ts';
import { checkDiscovery, parseDiscoveryLog } from './discovery/index.ts';
import { logOf, nodeInput, range, zxid } from './forensics/build-logs.ts';
import { checkForensicsInput } from './forensics/check.ts';
import { MAX_FINDINGS, opEvents, opFinding } from './findings.ts';
import { checkersNamed } from './registry.ts';
import { UNLIMITED, type CheckResult, type Finding } from './types.ts';

const fixture = (name: string) => parseJsonlHistory(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.jsonl`), 'utf8'));
function run(name: string): CheckResult {
  const h = fixture(name);
  return compose(checkersNamed(String(h.meta.model)), checkInput(h), UNLIMITED);
}
const violations = (r: CheckResult) => (r.findings ?? []).filter((f) => f.severity !== 'note');
const brief = (f: Finding) => ({ code: f.code, events: f.events, ...(f.ops ? { ops: f.ops } : {}) });

/** Fixture → the violations it must give, as code, event indices (invoke/complete) and op ids. */
const mustFlag: Record<string, Array<{ code: string; events: number[]; ops?: number[] }>> = {
  // the read of 1 (events 4/5, op 2) after the write of 2 finished
  'register-stale-read': [{ code: 'not-linearizable', events: [4, 5], ops: [2] }],
  'cas-register-lost-update': [{ code: 'not-linearizable', events: [4, 5], ops: [2] }],
  // lost add of 2 (op 1) against the final read (op 2); 9 never added; 1 returned twice (read, then its add)
  'set-workload-anomalies': [{ code: 'lost', events: [2, 3, 4, 5], ops: [1, 2] }, { code: 'unexpected', events: [4, 5], ops: [2] },
    { code: 'duplicated', events: [4, 5, 0, 1], ops: [2, 0] }],
  // both takes of 1 (ops 2 and 3), then its enqueue (op 0); the enqueue of 2 (op 1) lost
  'queue-workload-duplicate-dequeue': [{ code: 'duplicated', events: [4, 6, 5, 7, 0, 1], ops: [2, 3, 0] }, { code: 'lost', events: [2, 3], ops: [1] }],
  'queue-workload-lost-despite-markers': [{ code: 'lost', events: [2, 3], ops: [1] }],
  // the two acquires' ok events
  'lock-double-holder': [{ code: 'double-holder', events: [1, 3], ops: [0, 1] }],
  // the watching getData (0/1), and the read at index 5 that saw the change
  'watch-missed': [{ code: 'missed', events: [0, 1, 5] }],
  'watch-duplicate': [{ code: 'duplicate', events: [5] }],
  'watch-reordered': [{ code: 'reordered', events: [9] }],
  'watch-invented': [{ code: 'invented', events: [4] }],
  // the read at 6 that still showed /e, after the read completing at 5 found it gone
  'session-ephemeral-after-expiry': [{ code: 'ephemeral-after-gone', events: [6, 5] }],
  'session-abandoned-outlived': [6, 8, 10].map((e) => ({ code: 'ephemeral-outlived-expiry', events: [e] })),
  // the final-tree reads of n1 (reference) and n3
  'convergence-diverged': [{ code: 'diverged', events: [0, 4] }],
  'zk-sequential-went-back': [{ code: 'zxid-went-back', events: [6] }, { code: 'went-back', events: [6] }],
  'zk-sequential-phantom': [{ code: 'phantom-read', events: [2] }],
  'sequential-unique-twice': [{ code: 'handed-out-twice', events: [2] }],
  'sequential-unique-out-of-order': [{ code: 'out-of-order', events: [2, 0] }],
  // the sync-read (op 2) and the write acknowledged before it (op 1)
  'sync-read-stale': [{ code: 'stale-read', events: [4, 5, 2, 3], ops: [2, 1] }],
};

const mustPass = ['register-valid', 'set-workload-valid', 'queue-workload-valid', 'lock-valid', 'watch-valid', 'session-valid',
  'convergence-valid', 'sequential-unique-valid', 'sync-read-valid', 'sync-read-stale-partitioned', 'zk-sequential-stale-after-sync'];

describe('typed findings on the must-flag fixtures', () => {
  for (const [name, want] of Object.entries(mustFlag)) {
    it(`${name}: ${want.map((w) => w.code).join(', ')}`, () => {
      const r = run(name);
      expect(r.verdict).toBe('invalid');
      expect(violations(r).map(brief)).toEqual(want);
      for (const f of r.findings!) expect(f.message.length).toBeGreaterThan(0);
    });
  }

  for (const name of mustPass) {
    it(`${name}: no violation among its findings`, () => {
      const r = run(name);
      expect(r.verdict).not.toBe('invalid');
      expect(r.findings).toBeDefined();
      expect(violations(r)).toEqual([]);
    });
  }

  it('notes: an excused stale sync-read and a stale read after sync() are notes pointing at the read', () => {
    const excused = run('sync-read-stale-partitioned').findings!;
    expect(excused.map((f) => [f.code, f.severity])).toEqual([['stale-read-excused', 'note']]);
    expect(run('zk-sequential-stale-after-sync').findings!.map((f) => [f.code, f.events])).toEqual([['stale-read-after-sync', [6]]]);
  });

  it('findings stay JSON-serialisable and capped', () => {
    const r = run('set-workload-anomalies');
    expect(JSON.parse(JSON.stringify(r.findings))).toEqual(r.findings);
    const h = fixture('set-workload-anomalies');
    const op = checkInput(h).operations[1]!;
    expect(opEvents(op)).toEqual([2, 3]);
    expect(opFinding('x', 'y', [op], { path: '/p' })).toMatchObject({ events: [2, 3], ops: [1], path: '/p', timeNs: op.invokeTimeNs });
    expect(MAX_FINDINGS).toBeGreaterThan(0);
  });
});

describe('typed findings of the ttl checker', () => {
  const ttl = (name: string) => checkersNamed('ttl')[0]!.check(checkInput(parseJsonlHistory(
    readFileSync(join(import.meta.dirname, 'workloads', 'ttl-fixtures', `${name}.jsonl`), 'utf8'))), UNLIMITED);

  it('ttl-gone-young: the sighting of its absence (event 5) and its last write (event 0)', () => {
    expect(violations(ttl('ttl-gone-young')).map(brief)).toEqual([{ code: 'gone-young', events: [5, 0] }]);
    expect(ttl('ttl-gone-young').findings![0]!.path).toBe('/zooproof/ttl/t-0-0');
  });

  it('ttl-not-expired flags it; a clock bump is a note; a valid run has no finding', () => {
    expect(violations(ttl('ttl-not-expired')).map((f) => f.code)).toEqual(['not-expired']);
    expect(ttl('ttl-clock-bump').findings!.map((f) => [f.code, f.severity])).toEqual([['expired-early-by-clock', 'note']]);
    expect(ttl('ttl-valid').findings).toEqual([]);
  });
});

describe('typed findings from the log and cluster-state checkers', () => {
  it('zab-discovery: node and log line of each broken invariant', () => {
    const dir = join(import.meta.dirname, 'discovery', 'fixtures');
    const traces = (name: string) => ['n1', 'n2', 'n3'].map((node) =>
      ({ node, events: parseDiscoveryLog(readFileSync(join(dir, `${name}-${node}.txt`), 'utf8')) }));
    const bad = checkDiscovery(traces('equal-epoch-proposal'));
    const lines = readFileSync(join(dir, 'equal-epoch-proposal-n3.txt'), 'utf8').split('\n');
    expect(bad.findings!.map((f) => [f.code, f.node])).toEqual([['EPOCH_NOT_ABOVE_PROMISES', 'n3']]);
    expect(lines[bad.findings![0]!.logLine! - 1]).toMatch(/epoch/i);
    expect(checkDiscovery(traces('correct')).findings).toEqual([]);
  });

  it('log-forensics: an acknowledged write missing from a node points at its op id and the node', () => {
    const E1 = (c: number) => zxid(1, c);
    const clean = () => ['n1', 'n2', 'n3'].map((n) => nodeInput(n, logOf(range(E1(1), E1(10)))));
    const nodes = clean();
    nodes[1] = nodeInput('n2', logOf([...range(E1(1), E1(6)), ...range(zxid(2, 1), zxid(2, 3))]), { acceptedEpoch: 2, currentEpoch: 2 });
    const acked = (z: number, opId: number) => ({ opId, f: 'write', zxid: z, node: 'n1', session: '0x1000', completeTimeNs: 1_000 });
    const r = checkForensicsInput({ nodes, writes: [acked(E1(4), 3), acked(E1(8), 7)] });
    expect(violations(r).map((f) => [f.code, f.ops, f.node])).toEqual([['acked-write-missing', [7], 'n2']]);
    expect(checkForensicsInput({ nodes: clean(), writes: [acked(E1(4), 3)] }).findings).toEqual([]);
  });

  it('availability: the recovery finding, and each outage window as a timed note', () => {
    const text = (name: string) => readFileSync(join(import.meta.dirname, 'availability', 'fixtures', name), 'utf8');
    const check = (name: string) => {
      const state = text(`${name}.cluster-state.jsonl`).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ClusterStateRecord);
      return availabilityChecker(state).check(checkInput(parseJsonlHistory(text(`${name}.history.jsonl`))), UNLIMITED);
    };
    const bad = check('writes-never-resume');
    expect(bad.verdict).toBe('invalid');
    expect(violations(bad).map((f) => f.code)).toContain('WRITES_NEVER_RESUMED');
    expect(violations(bad)[0]!.timeNs).toBe((bad.details as { finalHealNs: number }).finalHealNs);
    const outage = bad.findings!.find((f) => f.code === 'write-outage');
    expect(outage?.message).toContain('45.0 s from 5.0 s to the end');
    expect(outage?.severity).toBe('note');
    expect(typeof outage?.timeNs).toBe('number');
    expect(violations(check('healthy'))).toEqual([]);
  });
});
