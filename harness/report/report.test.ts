// The run report's data and page, without a browser: escaping of hostile
// values, fault bands, Zab lanes, anomaly tables and the counterexample.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInput } from '../checker/compose.ts';
import { checkersNamed } from '../checker/registry.ts';
import { UNLIMITED } from '../checker/types.ts';
import { parseJsonlHistory } from '../history/jsonl.ts';
import type { History, HistoryEvent } from '../history/types.ts';
import type { ClusterStateRecord } from '../observe/types.ts';
import type { ResultsFile } from '../run/check.ts';
import { anomalyTables, findingTables, resultTables } from './anomalies.ts';
import { buildReportData, zabLanes } from './data.ts';
import { embedJson, valueText } from './escape.ts';
import { faultBands } from './faults.ts';
import { reportHtml } from './write.ts';
import { logView } from './log-view.ts';
import type { LoggedTxn, NodeHistory } from '../checker/forensics/node-history.ts';
import { HOSTILE } from './hostile.ts';

const MB = HOSTILE[HOSTILE.length - 1] as string;

function hostileHistory(): History {
  const events: HistoryEvent[] = [];
  let t = 0;
  HOSTILE.forEach((v, k) => {
    const i = events.length;
    const f = k % 2 === 0 ? 'write' : 'read';
    events.push({ index: i, process: k % 3, type: 'invoke', f, value: f === 'write' ? v : null, time: (t += 1_000_000), key: '</script>', node: '<b>n1</b>' });
    events.push({ index: i + 1, process: k % 3, type: k === 3 ? 'fail' : 'ok', f, value: v, time: (t += 1_000_000), key: '</script>',
      node: '<b>n1</b>', session: '</script>', zxid: 5, ...(k === 3 ? { error: '</script><script>window.__pwned=1</script>' } : {}) });
  });
  events.push({ index: events.length, process: 'nemesis', type: 'invoke', f: 'start-partition', value: '</script>', time: (t += 1_000_000) });
  return { meta: { format: 'zooproof-history/1', scenario: '</script><!--', seed: '</script>', config: { concurrency: 3, target: '</script>' } }, events };
}

function embedded(html: string): unknown {
  const open = '<script id="report-data" type="application/json">';
  const from = html.indexOf(open) + open.length;
  return JSON.parse(html.slice(from, html.indexOf('</script>', from)));
}

describe('escaping', () => {
  it('embedJson gives text with no < > & or U+2028/9 that parses back to the same value', () => {
    for (const v of HOSTILE) {
      const text = embedJson(v);
      expect(text).not.toMatch(/[<>&\u2028\u2029]/);
      expect(JSON.parse(text)).toEqual(v);
    }
  });

  it('cuts long values for display and says how long they were', () => {
    expect(valueText(MB, 10)).toBe(`"xxxxxxxxx… (${MB.length + 2} chars in all)`);
    expect(valueText({ a: 1 }, 100)).toBe('{"a":1}');
  });

  it('a report of hostile values has no </script or <!-- from the data, and its JSON parses back to the report data', () => {
    const history = hostileHistory();
    const html = reportHtml({ history });
    expect(html.match(/<\/script/gi)).toHaveLength(3); // the data, uPlot and the page script close their own elements, nothing else
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>n1</b>');
    expect(embedded(html)).toEqual(JSON.parse(JSON.stringify(buildReportData({ history }))));
    const data = embedded(html) as { strings: string[] };
    expect(data.strings).toContain('"</script><script>window.__pwned=1</script>"');
    expect(data.strings).toContain('</script><script>window.__pwned=1</script>');
    expect(data.strings).toContain('"\\ud800 lone surrogate \\udfff"');
    expect(data.strings.find((s) => s.startsWith('"xxxx'))).toMatch(/… \(1048578 chars in all\)$/);
    expect(html.length).toBeLessThan(200_000);
  });
});

const nemesis = (index: number, f: string, value: unknown, time: number): HistoryEvent[] => [
  { index, process: 'nemesis', type: 'invoke', f, value, time }, { index: index + 1, process: 'nemesis', type: 'ok', f, value, time: time + 10 }];

describe('report data', () => {
  it('pairs fault starts with what undoes them; an unpaired fault runs to the end', () => {
    const ops = checkInput({ meta: { format: 'zooproof-history/1' }, events: [
      ...nemesis(0, 'start-partition', { kind: 'isolate' }, 1e6), ...nemesis(2, 'kill', { nodes: ['n1'] }, 2e6), ...nemesis(4, 'stop-partition', null, 3e6),
      ...nemesis(6, 'pause', null, 4e6), ...nemesis(8, 'start', null, 5e6), ...nemesis(10, 'await-epoch', null, 6e6),
    ] }).operations;
    expect(faultBands(ops, 10).map((b) => [b.f, b.fromMs, b.toMs])).toEqual([
      ['start-partition', 1, 3], ['kill', 2, 5], ['pause', 4, 10], ['await-epoch', 6, null]]);
  });

  it('Zab lanes: one segment per change of mode, epoch or zxid; syncs and elections as marks', () => {
    const records: ClusterStateRecord[] = [
      { kind: 'state', node: 'n1', timeNs: 0, mode: 'leader', epoch: 1, zxid: '0x100000000' },
      { kind: 'state', node: 'n1', timeNs: 1e6, mode: 'leader', epoch: 1, zxid: '0x100000000' },
      { kind: 'state', node: 'n1', timeNs: 2e6, mode: 'down' },
      { kind: 'sync', node: 'n2', timeNs: 3e6, side: 'learner', sync: 'TRUNC', zxid: '0x100000003', line: 'TRUNC to 0x100000003' },
      { kind: 'sync', node: 'n1', timeNs: 3e6, side: 'leader', sync: 'TRUNC', zxid: '0x100000003', line: 'sent TRUNC' },
      { kind: 'election', node: 'n2', timeNs: 4e6, phase: 'decided', role: 'leading', line: 'LEADING' },
    ];
    const z = zabLanes(records, 9);
    expect(z.nodes).toEqual(['n1', 'n2']);
    expect(z.segments).toEqual([
      { node: 'n1', fromMs: 0, toMs: 2, mode: 'leader', epoch: 1, zxid: '0x100000000' }, { node: 'n1', fromMs: 2, toMs: 9, mode: 'down' }]);
    expect(z.marks.map((m) => [m.node, m.kind, m.atMs])).toEqual([['n2', 'TRUNC', 3], ['n2', 'election', 4]]);
  });

  it('anomaly tables: each example array a table, event indices and op ids as links, counts as totals', () => {
    const tables = anomalyTables({ holds: 3, overlapCount: 12, overlaps: [{ first: { process: 1, from: 4, until: 9 }, second: { process: 2, from: 6, until: 8 } }],
      nodes: ['n1'], windows: { writes: [{ fromNs: 2e9, toNs: null, attempts: 3 }] }, findings: [{ code: 'x', opId: 7, message: '</script>' }, { code: 'y', opIds: [9, 10] }] });
    expect(tables.map((t) => t.title)).toEqual(['overlaps', 'windows.writes', 'findings']);
    expect(tables[0]!.total).toBe(12);
    expect(tables[0]!.columns).toEqual(['first.process', 'first.from', 'first.until', 'second.process', 'second.from', 'second.until']);
    expect(tables[0]!.rows[0]![1]).toEqual({ text: '4', ref: { kind: 'event', index: 4 } });
    expect(tables[1]!.rows[0]![0]).toEqual({ text: '2000000000', ref: { kind: 'timeMs', ms: 2000 } });
    expect(tables[2]!.rows[0]![1]).toEqual({ text: '7', ref: { kind: 'op', id: 7 } });
    expect(tables[2]!.rows[1]![3]).toEqual({ text: '[9,10]', ref: { kind: 'op', id: 9 } });
    expect(anomalyTables({ lost: [], counts: { a: 1 } })).toEqual([]);
  });

  it('finding tables: one per code, violations before notes, ops / events / time as links, empty columns left out', () => {
    const tables = findingTables([
      { code: 'write-outage', severity: 'note', message: 'no write for 3 s', timeNs: 2e9 },
      { code: 'double-holder', message: 'two holders', events: [1, 3], ops: [0, 1], path: '/l' },
      { code: 'PROMISE_FORGOTTEN', message: 'lost <promise>', node: 'n1', logLine: 40 },
    ]);
    expect(tables.map((t) => t.title)).toEqual(['double-holder', 'PROMISE_FORGOTTEN', 'write-outage (note)']);
    expect(tables[0]!.columns).toEqual(['message', 'ops', 'events', 'path']);
    expect(tables[0]!.rows[0]![1]).toEqual({ text: '0, 1', ref: { kind: 'op', id: 0 } });
    expect(tables[0]!.rows[0]![2]).toEqual({ text: '1, 3', ref: { kind: 'event', index: 1 } });
    expect(tables[1]!.rows[0]).toEqual([{ text: 'lost <promise>' }, { text: 'n1 server.log:40' }]);
    expect(tables[2]!.rows[0]![1]).toEqual({ text: '2.000 s', ref: { kind: 'timeMs', ms: 2000 } });
    expect(resultTables({ details: { lost: [1] }, findings: [] })).toEqual([]);
    expect(resultTables({ details: { lost: [1] } }).map((t) => t.title)).toEqual(['lost']);
  });

  it('an invalid linearizability result becomes a counterexample: the op that cannot be linearized and the partial linearizations', () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'checker', 'fixtures', 'register-stale-read.jsonl'), 'utf8');
    const history = parseJsonlHistory(text);
    const [checker] = checkersNamed('register');
    const r = checker!.check(checkInput(history), UNLIMITED);
    expect(r.verdict).toBe('invalid');
    const results = { verdict: 'invalid', exitCode: 1, workload: 'register', seed: 1, command: 'zooproof check', history: 'h', durationMs: 1,
      counts: { ok: 3, fail: 0, info: 0, byF: {}, nemesisOps: 0, notifications: 0, byNode: {} }, checkers: [{ ...r, checkMs: 1 }], faults: [], faultsRun: [] } as ResultsFile;
    const data = buildReportData({ history, results });
    const cx = data.checkers[0]!.counterexample!;
    expect(cx.firstUnlinearizable).toEqual({ index: 4, process: 1, op: 'read(null) -> 1' });
    expect(cx.longest[0]!.steps.map((s) => [s.op, s.state])).toEqual([['write(1) -> 1', '1'], ['write(2) -> 2', '2']]);
    expect(data.checkers[0]!.tables).toEqual([]);
    expect(data.ops.invokeIndex).toEqual([0, 2, 4]);
    expect(data.ops.status).toEqual([0, 0, 0]);
  });

  it('lanes by client thread, an info op drawn until its lane\'s next invoke', () => {
    const history: History = { meta: { format: 'zooproof-history/1', config: { concurrency: 2 } }, events: [
      { index: 0, process: 1, type: 'invoke', f: 'write', value: 1, time: 0 },
      { index: 1, process: 1, type: 'info', f: 'write', value: 1, time: 1e6, error: 'CONNECTIONLOSS' },
      { index: 2, process: 3, type: 'invoke', f: 'read', value: null, time: 5e6 },
      { index: 3, process: 0, type: 'invoke', f: 'read', value: null, time: 6e6 },
      { index: 4, process: 0, type: 'ok', f: 'read', value: 1, time: 7e6 },
      { index: 5, process: 3, type: 'ok', f: 'read', value: 1, time: 8e6 },
    ] };
    const d = buildReportData({ history });
    expect(d.lanes).toEqual(['client 0', 'client 1']);
    expect(d.ops.lane).toEqual([1, 1, 0]);
    expect(d.ops.status).toEqual([2, 0, 0]);
    expect(d.ops.endMs).toEqual([5, 8, 7]);
    expect(d.strings[d.ops.error[0]!]).toBe('CONNECTIONLOSS');
  });
});

describe('log view', () => {
  const txn = (zxid: number, cxid = 1): LoggedTxn => ({ zxid, file: 'log.1', clientId: 0x10n, cxid, type: 5, timeMs: 0, body: new Uint8Array([cxid]) });
  const node = (name: string, txns: LoggedTxn[]): NodeHistory => ({ node: name, txns, byZxid: new Map(txns.map((t) => [t.zxid, t])), snapshotZxid: null,
    lastLoggedZxid: txns.at(-1)?.zxid ?? null, complete: true, highest: txns.at(-1) ?? null, relogged: { count: 0 }, findings: [] });

  it('aligns the logs by zxid: a txn on some servers only, or logged differently, is marked; before a server\'s log is not missing', () => {
    const v = logView([node('n1', [txn(1), txn(2), txn(3)]), node('n2', [txn(1), txn(3, 9)]), node('n3', [txn(2), txn(3)])], new Map([[2, 17]]));
    expect(v.rows.map((r) => [r.zxid, r.mark, r.cells])).toEqual([
      ['0x1', '', ['setData 0x10:1', 'setData 0x10:1', null]],
      ['0x2', 'partial', ['setData 0x10:1', '', 'setData 0x10:1']],
      ['0x3', 'differs', ['setData 0x10:1', 'setData 0x10:9', 'setData 0x10:1']],
    ]);
    expect(v.rows[1]!.op).toBe(17);
    expect(v.marked).toBe(2);
  });
});

describe('set evidence', () => {
  it('a lost element links to the add that wrote it', () => {
    const history: History = { meta: { format: 'zooproof-history/1' }, events: [
      { index: 0, process: 0, type: 'invoke', f: 'add', value: 5, time: 0 }, { index: 1, process: 0, type: 'ok', f: 'add', value: 5, time: 1 },
      { index: 2, process: 0, type: 'invoke', f: 'add', value: 6, time: 2 }, { index: 3, process: 0, type: 'ok', f: 'add', value: 6, time: 3 },
      { index: 4, process: 1, type: 'invoke', f: 'read', value: null, time: 4 }, { index: 5, process: 1, type: 'ok', f: 'read', value: [5], time: 5 },
    ] };
    const [set] = checkersNamed('set-workload');
    const r = set!.check(checkInput(history), UNLIMITED);
    expect(r.verdict).toBe('invalid');
    const results = { verdict: 'invalid', exitCode: 1, workload: 'set', seed: 1, command: 'c', history: 'h', durationMs: 1,
      counts: { ok: 3, fail: 0, info: 0, byF: {}, nemesisOps: 0, notifications: 0, byNode: {} }, checkers: [{ ...r, checkMs: 1 }], faults: [], faultsRun: [] } as ResultsFile;
    const lost = buildReportData({ history, results }).checkers[0]!.tables.find((t) => t.title === 'lost')!;
    expect(lost.columns).toEqual(['message', 'ops', 'events', 'at']);
    expect(lost.rows[0]![0]!.text).toContain('acknowledged add of 6');
    expect(lost.rows[0]![1]).toEqual({ text: '1, 2', ref: { kind: 'op', id: 1 } });
    expect(lost.rows[0]![2]).toEqual({ text: '2, 3, 4, 5', ref: { kind: 'event', index: 2 } });
    // An old results.json without findings: the details are scraped, the lost value linked to its add.
    const old = { ...results, checkers: [{ ...r, findings: undefined, checkMs: 1 }] } as ResultsFile;
    const scraped = buildReportData({ history, results: old }).checkers[0]!.tables.find((t) => t.title === 'lost')!;
    expect(scraped.rows).toEqual([[{ text: '6', ref: { kind: 'op', id: 1 } }]]);
  });
});
