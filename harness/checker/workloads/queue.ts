// Queue workload: `enqueue` unique values, `dequeue` returns one (null when
// empty), and an optional final `drain` returns everything left. Nothing may
// be dequeued twice or appear without an enqueue, and nothing acknowledged
// may be lost.
//
// Every take is an atomic multi that deletes the item and creates a marker
// under `queue-taken/` holding `{taker, value}`; the final trees show every
// marker and every item still queued. So a take whose dequeue ended `info`
// (it may commit at any later time, even in a later epoch) is resolved from
// its marker, and an element is lost only if no acknowledged take, no marker
// and no remaining item accounts for it. Without the markers' values (older
// histories, a single server), an unresolved take may explain a missing
// element: the verdict is then `unknown`, never `invalid`.
import { canonical } from '../models/hash.ts';
import type { Operation } from '../../history/types.ts';
import type { Checker, CheckInput } from '../compose.ts';
import { opFinding } from '../findings.ts';
import type { CheckResult, Finding } from '../types.ts';
import { baseName, finalTrees, parentOf, type FinalTree } from './final-trees.ts';
import { clientOps, field, firstFew, multiset, result, tally } from './util.ts';

export const TAKEN_DIR = 'queue-taken';
export const ITEMS_DIR = 'queue';

interface TreeView {
  /** Canonical values named by markers, per tree (a value twice = taken twice). */
  markerValues: Map<string, number>;
  /** Markers holding only a taker token (older histories): their value is unknown. */
  opaqueMarkers: number;
  remaining: Set<string>;
}

function viewOf(t: FinalTree): TreeView {
  const values: unknown[] = [];
  const remaining = new Set<string>();
  let opaqueMarkers = 0;
  for (const [path, z] of Object.entries(t.tree)) {
    const dir = baseName(parentOf(path));
    const data = field(z, 'data');
    if (dir === TAKEN_DIR) {
      if (typeof data === 'object' && data !== null && 'value' in data) values.push(field(data, 'value'));
      else opaqueMarkers++;
    } else if (dir === ITEMS_DIR && baseName(path).startsWith('q-')) remaining.add(canonical(data));
  }
  return { markerValues: multiset(values), opaqueMarkers, remaining };
}

function acknowledgedTakes(ops: readonly Operation[]): { values: unknown[]; unresolved: number } {
  const values: unknown[] = [];
  let unresolved = 0;
  for (const o of clientOps(ops, 'dequeue', 'drain')) {
    if (o.status === 'info') unresolved += o.f === 'drain' ? Infinity : 1;
    if (o.status !== 'ok') continue;
    if (o.f === 'dequeue' && o.output !== null) values.push(o.output);
    if (o.f === 'drain' && Array.isArray(o.output)) for (const v of o.output as unknown[]) values.push(v); // a drain may exceed a call's argument limit
  }
  return { values, unresolved };
}

export function checkQueueWorkload(input: CheckInput): CheckResult {
  const name = 'queue';
  const enqueues = clientOps(input.operations, 'enqueue');
  const acked = acknowledgedTakes(input.operations);
  const drained = clientOps(input.operations, 'drain').some((o) => o.status === 'ok' && Array.isArray(o.output));
  const views = finalTrees(input.operations).map(viewOf);
  const taken = multiset(acked.values);
  const byValue = new Map(enqueues.map((o) => [canonical(o.input), o]));
  const marked = new Set(views.flatMap((v) => [...v.markerValues.keys()]));
  const remaining = new Set(views.flatMap((v) => [...v.remaining]));
  const duplicated = [...new Set([...[...taken].filter(([, n]) => n > 1).map(([k]) => k),
    ...views.flatMap((v) => [...v.markerValues].filter(([, n]) => n > 1).map(([k]) => k))])];
  const seen = new Set([...taken.keys(), ...marked]);
  const unexpected = [...seen].filter((k) => byValue.get(k) === undefined || byValue.get(k)!.status === 'fail');
  const missing = enqueues.filter((o) => o.status === 'ok' && !seen.has(canonical(o.input)) && !remaining.has(canonical(o.input)))
    .map((o) => o.input);
  const judged = views.length > 0 || drained;
  const resolvedByMarkers = views.length > 0 && views.every((v) => v.opaqueMarkers === 0);
  // Takes that may have removed a value nobody can name: unresolved dequeues, or opaque markers beyond the acknowledged takes.
  const unexplained = resolvedByMarkers ? 0
    : Math.max(acked.unresolved, ...views.map((v) => v.opaqueMarkers - acked.values.length));
  const lost = judged && missing.length > unexplained ? missing : [];
  const recovered = [...marked].filter((k) => !taken.has(k)).length;
  const details = {
    enqueued: enqueues.length, acknowledged: enqueues.filter((o) => o.status === 'ok').length, dequeued: acked.values.length,
    drained, finalTrees: views.length, resolvedByMarkers, recoveredFromMarkers: recovered, unresolvedTakes: acked.unresolved,
    duplicated: firstFew(duplicated), unexpected: firstFew(unexpected), lost: firstFew(lost), missing: firstFew(missing),
    duplicatedCount: duplicated.length, unexpectedCount: unexpected.length, lostCount: lost.length, missingCount: missing.length,
  };
  const findings = queueFindings(input.operations, byValue, { duplicated, unexpected, lost });
  const bad = tally({ 'dequeued twice': duplicated, unexpected, lost });
  if (bad) return result(name, 'invalid', `queue: ${bad}`, details, findings);
  if (!judged) return result(name, 'unknown', 'queue: no duplicates, but no final drain or final tree, so loss cannot be judged', details, findings);
  if (missing.length > 0) {
    return result(name, 'unknown', `queue: ${missing.length} acknowledged value(s) not seen taken, but ${unexplained} unconfirmed ` +
      'removal(s) may have taken them', details, findings);
  }
  return result(name, 'valid', `queue: ${acked.values.length + recovered} values dequeued once each (${recovered} resolved from ` +
    'markers), none lost', details, findings);
}

/** Each value's acknowledged takes (dequeue or drain ops that returned it). */
function takesOf(ops: readonly Operation[]): Map<string, Operation[]> {
  const out = new Map<string, Operation[]>();
  for (const o of clientOps(ops, 'dequeue', 'drain')) {
    if (o.status !== 'ok') continue;
    const values = o.f === 'dequeue' ? (o.output === null ? [] : [o.output]) : Array.isArray(o.output) ? o.output as unknown[] : [];
    for (const v of values) (out.get(canonical(v)) ?? out.set(canonical(v), []).get(canonical(v))!).push(o);
  }
  return out;
}

/** Duplicated and unexpected: the takes (then the enqueue); lost: the acknowledged enqueue. */
function queueFindings(ops: readonly Operation[], byValue: Map<string, Operation>,
  bad: { duplicated: string[]; unexpected: string[]; lost: unknown[] }): Finding[] {
  const takes = takesOf(ops);
  const involved = (k: string) => [...(takes.get(k) ?? []), ...(byValue.has(k) ? [byValue.get(k)!] : [])];
  return [
    ...bad.duplicated.map((k) => opFinding('duplicated', `${k} taken twice (${takes.get(k)?.length ?? 0} acknowledged takes; markers counted too)`, involved(k))),
    ...bad.unexpected.map((k) => opFinding('unexpected', `${k} taken, ${byValue.has(k) ? 'though its enqueue failed' : 'never enqueued'}`, involved(k))),
    ...bad.lost.map((v) => opFinding('lost', `acknowledged enqueue of ${canonical(v)} neither taken nor left in the queue`, involved(canonical(v)))),
  ];
}

export const queueWorkload: Checker = { name: 'queue', check: (input) => checkQueueWorkload(input) };
