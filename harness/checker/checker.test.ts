// Compose, budgets and explanations: the checker's contract beyond the verdict.
import { describe, expect, it } from 'vitest';
import { pairOperations } from '../history/ops.ts';
import { HISTORY_FORMAT, type HistoryEvent } from '../history/types.ts';
import { checkInput, compose, mergeVerdicts, type Checker } from './compose.ts';
import { checkLinearizable } from './linear/check.ts';
import type { IllegalExplanation } from './linear/explain.ts';
import { casRegister, register } from './models/register.ts';
import { checkersNamed } from './registry.ts';
import { seededNext, simulateRegisterHistory } from './testing/simulate.ts';
import { UNLIMITED, type Budget, type CheckResult } from './types.ts';

function events(rows: Array<[number, HistoryEvent['type'], string, unknown]>): HistoryEvent[] {
  return rows.map(([process, type, f, value], index) => ({ index, process, type, f, value, time: index }));
}

const constant = (verdict: CheckResult['verdict']): Checker => ({
  name: verdict, check: () => ({ checker: verdict, verdict, summary: verdict, details: null }) });

describe('compose', () => {
  const input = checkInput({ meta: { format: HISTORY_FORMAT }, events: [] });

  it('merges verdicts: invalid > unknown > valid', () => {
    expect(mergeVerdicts([])).toBe('valid');
    expect(mergeVerdicts(['valid', 'unknown', 'valid'])).toBe('unknown');
    expect(mergeVerdicts(['unknown', 'invalid', 'valid'])).toBe('invalid');
    expect(compose([constant('valid'), constant('unknown'), constant('invalid')], input, UNLIMITED).verdict).toBe('invalid');
  });

  it('turns a throwing checker into unknown, not a crash', () => {
    const throwing: Checker = { name: 'boom', check: () => { throw new Error('kaput'); } };
    const r = compose([constant('valid'), throwing], input, UNLIMITED);
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain('boom: checker failed: kaput');
    expect((r.details as { results: CheckResult[] }).results.map((x) => x.verdict)).toEqual(['valid', 'unknown']);
  });

  it('resolves comma-separated names and rejects unknown ones', () => {
    expect(checkersNamed('cas-register, watch').map((c) => c.name)).toEqual(['linearizable:cas-register', 'watch']);
    expect(() => checkersNamed('cas-register,nope')).toThrow(/unknown model or checker 'nope'/);
  });
});

describe('budgets', () => {
  // 60 clients on one key: far too many concurrent interleavings to finish quickly.
  const hard = pairOperations(simulateRegisterHistory({ clients: 60, ops: 4000, keys: 1, cas: true, infoRate: 0.05, values: 3, next: seededNext(7) })).operations;

  it('stops at the deadline with unknown, the reason and the progress', () => {
    let ticks = 0;
    const budget: Budget = { now: () => ticks++, deadlineMs: 50, maxMemoryBytes: Infinity };
    const r = checkLinearizable(casRegister, hard, budget);
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toMatch(/^gave up \(timeout\) after linearizing \d+ of \d+ ok ops; 0 of 1 partitions done$/);
    expect(r.details).toMatchObject({ reason: 'timeout' });
  });

  it('stops over the memory bound with unknown and the reason', () => {
    const r = checkLinearizable(casRegister, hard, { now: () => 0, deadlineMs: Infinity, maxMemoryBytes: 2_000_000 });
    expect(r.verdict).toBe('unknown');
    expect(r.details).toMatchObject({ reason: 'memory' });
  });

  it('uses the injected memory probe too', () => {
    const r = checkLinearizable(casRegister, hard, { now: () => 0, deadlineMs: Infinity, maxMemoryBytes: 1e12, memoryUsedBytes: () => 2e12 });
    expect(r.details).toMatchObject({ reason: 'memory' });
  });

  it('reports progress across partitions', () => {
    const keyed = pairOperations(simulateRegisterHistory({ clients: 20, ops: 2000, keys: 20, cas: true, infoRate: 0.05, values: 3, next: seededNext(3) })).operations;
    let ticks = 0;
    const r = checkLinearizable(casRegister, keyed, { now: () => ticks++, deadlineMs: 5, maxMemoryBytes: Infinity });
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toMatch(/^gave up \(timeout\) at key 2 after linearizing 0 of 69 ok ops; 6 of 20 partitions done$/);
    expect(r.details).toMatchObject({ reason: 'timeout', counts: { partitions: 20, partitionsChecked: 6 } });
  });
});

describe('explanations of invalid histories', () => {
  it('names the first op that cannot be linearized and shows the longest partial linearizations with states', () => {
    const ops = pairOperations(events([
      [0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [0, 'invoke', 'write', 2], [0, 'ok', 'write', 2],
      [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]])).operations;
    const r = checkLinearizable(register, ops);
    expect(r.verdict).toBe('invalid');
    const d = r.details as IllegalExplanation;
    expect(d.firstUnlinearizable).toEqual({ index: 4, process: 1, op: 'read(null) -> 1' });
    expect(d.longest[0]!.steps.map((s) => [s.op, s.state])).toEqual([['write(1) -> 1', '1'], ['write(2) -> 2', '2']]);
    expect(d.deadEnd).toEqual({ state: '2', candidates: [{ index: 4, process: 1, op: 'read(null) -> 1', verdict: 'impossible in this state' }] });
  });

  it('treats info as may-or-may-not: an info write can explain a later read, or be ignored', () => {
    const seen = pairOperations(events([[0, 'invoke', 'write', 1], [0, 'info', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]])).operations;
    const unseen = pairOperations(events([[0, 'invoke', 'write', 1], [0, 'info', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', null]])).operations;
    const failed = pairOperations(events([[0, 'invoke', 'write', 1], [0, 'fail', 'write', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]])).operations;
    expect(checkLinearizable(register, seen).verdict).toBe('valid');
    expect(checkLinearizable(register, unseen).verdict).toBe('valid');
    expect(checkLinearizable(register, failed).verdict).toBe('invalid');
  });

  it('lets an info op take effect long after its invoke (no upper bound)', () => {
    const ops = pairOperations(events([
      [0, 'invoke', 'write', 1], [0, 'info', 'write', 1], [1, 'invoke', 'write', 2], [1, 'ok', 'write', 2],
      [1, 'invoke', 'read', null], [1, 'ok', 'read', 2], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]])).operations;
    expect(checkLinearizable(register, ops).verdict).toBe('valid');
  });
});

describe('a model that understands none of the ops', () => {
  it('says unknown rather than valid', () => {
    const ops = pairOperations(events([[0, 'invoke', 'enqueue', 1], [0, 'ok', 'enqueue', 1]])).operations;
    const r = checkLinearizable(register, ops);
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain('nothing to check');
  });
});

describe('simulated histories are valid at scale', () => {
  it.each([[5, 2000, 1, 0], [10, 2000, 1, 0.05], [20, 3000, 8, 0.02]])('%i clients, %i ops, %i keys, info %f', (clients, n, keys, infoRate) => {
    const ops = pairOperations(simulateRegisterHistory({ clients, ops: n, keys, cas: true, infoRate, values: 5, next: seededNext(clients) })).operations;
    expect(checkLinearizable(casRegister, ops).verdict).toBe('valid');
  });
});
