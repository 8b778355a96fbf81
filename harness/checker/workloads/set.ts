// Set workload: clients `add` unique elements, then one final `read` returns
// the whole set. Lost: acknowledged adds missing from the final read.
// Unexpected: elements never added, or whose add certainly failed.
// Duplicated: elements the read returns twice.
import { canonical } from '../models/hash.ts';
import type { Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import { opFinding } from '../findings.ts';
import type { CheckResult, Finding } from '../types.ts';
import { clientOps, firstFew, multiset, result, tally } from './util.ts';

export function checkSetWorkload(input: CheckInput): CheckResult {
  const name = 'set';
  const adds = clientOps(input.operations, 'add');
  const reads = clientOps(input.operations, 'read').filter((o) => o.status === 'ok' && Array.isArray(o.output));
  const final = reads.sort((a, b) => a.completeIndex - b.completeIndex).at(-1);
  if (!final) return result(name, 'unknown', 'no final read completed: nothing to compare the adds against', {});
  const seen = multiset(final.output as unknown[]);
  const attempted = new Map(adds.map((o) => [canonical(o.input), o]));
  const lost = adds.filter((o) => o.status === 'ok' && !seen.has(canonical(o.input))).map((o) => o.input);
  const unexpected = [...seen.keys()].filter((k) => attempted.get(k) === undefined || attempted.get(k)!.status === 'fail');
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  const recovered = adds.filter((o) => o.status === 'info' && seen.has(canonical(o.input))).length;
  const problems = { lost, unexpected, duplicated };
  const counts = { attempted: adds.length, acknowledged: adds.filter((o) => o.status === 'ok').length, read: seen.size, recovered };
  const details = { ...counts, lost: firstFew(lost), unexpected: firstFew(unexpected), duplicated: firstFew(duplicated),
    lostCount: lost.length, unexpectedCount: unexpected.length, duplicatedCount: duplicated.length, finalReadIndex: final.completeIndex };
  const findings = setFindings(adds, final, unexpected, duplicated, seen);
  const bad = tally(problems);
  if (bad) return result(name, 'invalid', `set: ${bad} (of ${adds.length} adds)`, details, findings);
  return result(name, 'valid', `set: all ${counts.acknowledged} acknowledged adds present, ${recovered} indeterminate adds recovered`, details, findings);
}

/** Lost: the acknowledged add; unexpected and duplicated: the final read (after the add, when there is one). */
function setFindings(adds: readonly Operation[], final: Operation, unexpected: string[], duplicated: string[], seen: Map<string, number>): Finding[] {
  const byValue = new Map(adds.map((o) => [canonical(o.input), o]));
  const withAdd = (k: string) => [final, ...(byValue.has(k) ? [byValue.get(k)!] : [])];
  return [
    ...adds.filter((o) => o.status === 'ok' && !seen.has(canonical(o.input)))
      .map((o) => opFinding('lost', `acknowledged add of ${canonical(o.input)} missing from the final read`, [o, final])),
    ...unexpected.map((k) => opFinding('unexpected', `final read returned ${k}, ${byValue.has(k) ? 'whose add failed' : 'never added'}`, withAdd(k))),
    ...duplicated.map((k) => opFinding('duplicated', `final read returned ${k} ${seen.get(k)} times`, withAdd(k))),
  ];
}

export const setWorkload: Checker = { name: 'set', check: (input) => checkSetWorkload(input) };
