// Queue workload: `enqueue` unique values, `dequeue` returns one (null when
// empty), and an optional final `drain` returns everything left. Nothing may
// be dequeued twice or appear without an enqueue; with a drain, nothing
// acknowledged may be lost. Without a drain, loss cannot be judged: unknown.
import { canonical } from '../models/hash.ts';
import type { Checker, CheckInput } from '../compose.ts';
import type { CheckResult } from '../types.ts';
import { clientOps, firstFew, multiset, result, tally } from './util.ts';

export function checkQueueWorkload(input: CheckInput): CheckResult {
  const name = 'queue';
  const enqueues = clientOps(input.operations, 'enqueue');
  const dequeued: unknown[] = [];
  for (const o of clientOps(input.operations, 'dequeue')) if (o.status === 'ok' && o.output !== null) dequeued.push(o.output);
  const drains = clientOps(input.operations, 'drain').filter((o) => o.status === 'ok' && Array.isArray(o.output));
  for (const d of drains) dequeued.push(...(d.output as unknown[]));
  const taken = multiset(dequeued);
  const byValue = new Map(enqueues.map((o) => [canonical(o.input), o]));
  const duplicated = [...taken].filter(([, n]) => n > 1).map(([k]) => k);
  const unexpected = [...taken.keys()].filter((k) => byValue.get(k) === undefined || byValue.get(k)!.status === 'fail');
  const lost = drains.length === 0 ? [] : enqueues.filter((o) => o.status === 'ok' && !taken.has(canonical(o.input))).map((o) => o.input);
  const details = {
    enqueued: enqueues.length, acknowledged: enqueues.filter((o) => o.status === 'ok').length, dequeued: dequeued.length,
    drained: drains.length > 0, duplicated: firstFew(duplicated), unexpected: firstFew(unexpected), lost: firstFew(lost),
    duplicatedCount: duplicated.length, unexpectedCount: unexpected.length, lostCount: lost.length,
  };
  const bad = tally({ 'dequeued twice': duplicated, unexpected, lost });
  if (bad) return result(name, 'invalid', `queue: ${bad}`, details);
  if (drains.length === 0) return result(name, 'unknown', 'queue: no duplicates, but no final drain, so loss cannot be judged', details);
  return result(name, 'valid', `queue: ${dequeued.length} values dequeued once each, none lost`, details);
}

export const queueWorkload: Checker = { name: 'queue', check: (input) => checkQueueWorkload(input) };
