// The availability checker on fixture runs (fixtures/, made to this plan):
// 3 nodes, 2 client threads writing every 0.5 s for 50 s; the leader n1 is
// killed at 5 s (writes fail until n2 leads at 8 s) and restarted at 15 s,
// the final heal (done at 15.5 s). Variants: healthy; n1 never serves again;
// writes never succeed again after 5 s; four more elections after the heal.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonlHistory } from '../../history/jsonl.ts';
import type { HistoryEvent } from '../../history/types.ts';
import type { ClusterStateRecord } from '../../observe/types.ts';
import { checkInput } from '../compose.ts';
import { availabilityChecker, checkAvailability } from './check.ts';
import { finalHeal, timedOps } from './ops.ts';
import type { AvailabilityDetails } from './types.ts';
import { unavailabilityWindows } from './windows.ts';

const text = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const history = (name: string) => parseJsonlHistory(text(`${name}.history.jsonl`));
const timeline = (name: string): ClusterStateRecord[] =>
  text(`${name}.cluster-state.jsonl`).split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as ClusterStateRecord);

function check(historyName: string, timelineName = historyName) {
  const h = history(historyName);
  return availabilityChecker(timeline(timelineName)).check(checkInput(h), { now: () => 0, deadlineMs: Infinity, maxMemoryBytes: Infinity });
}
const details = (r: { details: unknown }) => r.details as AvailabilityDetails;
const S = 1e9;

describe('availability checker on fixture runs', () => {
  it('healthy: valid; the 3 s write outage while the leader was dead is measured and only reported', () => {
    const r = check('healthy');
    expect(r.verdict).toBe('valid');
    const d = details(r);
    expect(d.finalHealNs).toBe(15.5 * S);
    expect(d.windows.writes).toHaveLength(1);
    expect(d.windows.writes[0]).toMatchObject({ fromNs: 5 * S, duringFaults: true });
    expect(d.windows.writes[0]!.durationMs).toBeCloseTo(3010, 0);
    expect(d.nodes.n1!.rejoinedNs).toBe(16.5 * S);
    expect(d.electionsAfterHeal).toBe(0);
    expect(d.judgedOn).toBe('writes');
    expect(r.summary).toMatch(/every node rejoined/);
  });

  it('node never rejoins: invalid (liveness), naming the node', () => {
    const r = check('node-never-rejoins');
    expect(r.verdict).toBe('invalid');
    expect(details(r).findings).toEqual([expect.objectContaining({ code: 'NODE_NEVER_REJOINED', node: 'n1' })]);
  });

  it('writes never resume: invalid, cluster-wide and for each client', () => {
    const r = check('writes-never-resume');
    expect(r.verdict).toBe('invalid');
    const codes = details(r).findings.map((f) => `${f.code}${f.client !== undefined ? `:${f.client}` : ''}`);
    expect(codes).toEqual(['WRITES_NEVER_RESUMED', 'CLIENT_WRITES_STUCK:0', 'CLIENT_WRITES_STUCK:1']);
    const w = details(r).windows.writes;
    expect(w.at(-1)).toMatchObject({ toNs: null, duringFaults: true });
  });

  it('elections that keep repeating after the heal: invalid', () => {
    const r = check('healthy', 'elections-repeat');
    expect(r.verdict).toBe('invalid');
    expect(details(r).electionsAfterHeal).toBe(4);
    expect(details(r).findings).toEqual([expect.objectContaining({ code: 'ELECTIONS_REPEATING' })]);
    expect(checkAvailability({ events: history('healthy').events, clusterState: timeline('elections-repeat'),
      options: { maxElectionsAfterHeal: 4 } }).verdict).toBe('valid');
  });

  it('a history that ends before the bound is unknown, not invalid', () => {
    const h = history('node-never-rejoins');
    const events = h.events.filter((e) => e.time <= 20 * S);
    const r = checkAvailability({ events, clusterState: timeline('node-never-rejoins').filter((x) => x.timeNs <= 20 * S),
      options: { nodes: ['n1', 'n2', 'n3'], clients: 2 } });
    expect(r.verdict).toBe('unknown');
    expect(details(r).unjudged[0]).toMatchObject({ code: 'OBSERVATION_TOO_SHORT', node: 'n1' });
  });

  it('late recovery is a finding too (bound 0.5 s: n1 served 1 s after the heal)', () => {
    const r = checkAvailability({ events: history('healthy').events, clusterState: timeline('healthy'),
      options: { nodes: ['n1', 'n2', 'n3'], clients: 2, recoveryBoundMs: 500 } });
    expect(r.verdict).toBe('invalid');
    expect(details(r).findings.map((f) => f.code)).toContain('NODE_REJOINED_LATE');
  });

  it('a fault never healed: unknown, windows still reported', () => {
    const events = history('healthy').events.filter((e) => !(e.process === 'nemesis' && e.f === 'start'));
    const reindexed: HistoryEvent[] = events.map((e, index) => ({ ...e, index }));
    const r = checkAvailability({ events: reindexed, clusterState: timeline('healthy'), options: { clients: 2 } });
    expect(r.verdict).toBe('unknown');
    expect(details(r).unjudged[0]!.code).toBe('FAULTS_NOT_HEALED');
    expect(details(r).windows.writes).toHaveLength(1);
  });
});

describe('what counts as served', () => {
  it('a definite server answer (BADVERSION) counts as available; connection loss does not', () => {
    const ev = (index: number, type: 'invoke' | 'ok' | 'fail' | 'info', error?: string, node?: string) =>
      ({ index, process: 0, type, f: 'cas', value: null, time: index * S, ...(error ? { error } : {}), ...(node ? { node } : {}) });
    const ops = timedOps([ev(0, 'invoke'), ev(1, 'fail', 'BADVERSION', 'n1'), ev(2, 'invoke'), ev(3, 'fail', 'CONNECTIONLOSS', 'n1'),
      ev(4, 'invoke'), ev(5, 'info', 'timeout', 'n1'), ev(6, 'invoke'), ev(7, 'fail', 'value differs', 'n3'), ev(8, 'invoke'), ev(9, 'fail', 'value differs')]);
    expect(ops.map((o) => o.served)).toEqual([true, false, false, true, false]);
  });
});

describe('pieces', () => {
  const op = (process: number, invokeS: number, endS: number, status: 'ok' | 'fail' | 'info' = 'ok') =>
    ({ process, f: 'write', status, served: status === 'ok', invokeNs: invokeS * S, endNs: endS * S });

  it('an idle client is not an outage: the window starts at the first try', () => {
    const w = unavailabilityWindows([op(0, 0, 0.01), op(0, 9, 12), op(0, 20, 20.01)], { minWindowNs: S, endNs: 30 * S, finalHealNs: 0 });
    expect(w).toEqual([{ fromNs: 9 * S, toNs: 12 * S, durationMs: 3000, attempts: 1, duringFaults: false }]);
  });

  it('an op pending across a gap starts the window at the previous success', () => {
    const w = unavailabilityWindows([op(0, 0, 0.01), op(1, 0.005, 5), op(0, 1, 1.2, 'info'), op(2, 6, 6.1)],
      { minWindowNs: S, endNs: 10 * S, finalHealNs: null });
    expect(w).toEqual([{ fromNs: 0.01 * S, toNs: 5 * S, durationMs: 4990, attempts: 2, duringFaults: true }]);
  });

  it('the final heal: the end of the heal ops right after the last fault start', () => {
    const nem = (f: string, t: number, index: number): HistoryEvent[] => [
      { index, process: 'nemesis', type: 'invoke', f, value: null, time: t },
      { index: index + 1, process: 'nemesis', type: 'ok', f, value: null, time: t + 1 }];
    expect(finalHeal(timedOps([...nem('start-partition', 1, 0), ...nem('stop-partition', 3, 2)]))).toBe(4);
    expect(finalHeal(timedOps([...nem('stop-partition', 1, 0), ...nem('kill', 3, 2)]))).toBeUndefined();
    expect(finalHeal(timedOps([...nem('kill', 1, 0), ...nem('teardown', 3, 2)]))).toBe(4);
    // the final heal's stop ops one after another, then (much later) the nemesis teardown
    const chain = [...nem('kill', 1e9, 0), ...nem('stop-partition', 3e9, 2), ...nem('start', 4.5e9, 4), ...nem('teardown', 60e9, 6)];
    expect(finalHeal(timedOps(chain))).toBe(4.5e9 + 1);
    expect(finalHeal(timedOps(nem('teardown', 3, 0)))).toBe('none');
    expect(finalHeal(timedOps([]))).toBe('none');
  });
});
