import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonlHistory } from '../history/jsonl.ts';
import { HISTORY_FORMAT } from '../history/types.ts';
import { checkerList, checkHistory, type ResultsFile } from './check.ts';
import { progressLine } from './progress.ts';
import { HistoryRecorder } from './recorder.ts';
import { summaryText } from './summary.ts';

const dir = mkdtempSync(join(tmpdir(), 'zooproof-run-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordCas(path: string, readValue: number): HistoryRecorder {
  const r = new HistoryRecorder(path, { format: HISTORY_FORMAT, seed: 1 });
  r.append({ process: 0, type: 'invoke', f: 'write', value: 1, key: '/k', time: 10 });
  r.append({ process: 0, type: 'ok', f: 'write', value: 1, key: '/k', time: 20 });
  r.append({ process: 'nemesis', type: 'invoke', f: 'kill', value: { nodes: ['n1'] }, time: 25 });
  r.append({ process: 'nemesis', type: 'info', f: 'kill', value: { nodes: ['n1'] }, time: 26, error: 'boom' });
  r.append({ process: 1, type: 'invoke', f: 'read', value: null, key: '/k', time: 30 });
  r.append({ process: 1, type: 'ok', f: 'read', value: readValue, key: '/k', time: 40 });
  r.append({ process: 2, type: 'invoke', f: 'write', value: 3, key: '/k', time: 50 });
  return r;
}

describe('recorder', () => {
  it('has every event on disk before close (a crashed run keeps its history)', () => {
    const path = join(dir, 'h1.jsonl');
    const r = recordCas(path, 1);
    const h = parseJsonlHistory(readFileSync(path, 'utf8'));
    expect(h.events).toHaveLength(7);
    expect(r.clientCounts).toEqual({ ok: 2, fail: 0, info: 0, invoke: 3 });
    r.close();
    expect(r.append({ process: 2, type: 'ok', f: 'write', value: 3, time: 60 })).toBeNull();
  });
});

describe('checking a run', () => {
  const check = (readValue: number) => {
    const path = join(dir, `h-${readValue}.jsonl`);
    recordCas(path, readValue).close();
    return checkHistory(parseJsonlHistory(readFileSync(path, 'utf8')), checkerList(['cas-register'], 1), { timeoutMs: 5000, maxMemoryBytes: 2 ** 28 });
  };

  it('is valid for a linearizable history and invalid for a stale read', () => {
    expect(check(1).verdict).toBe('valid');
    const bad = check(0);
    expect(bad.verdict).toBe('invalid');
    expect(bad.results[0]!.summary).toMatch(/not linearizable/);
  });

  it('counts ops by outcome (an unfinished op is info) and lists the faults as run', () => {
    const r = check(1);
    expect(r.counts).toMatchObject({ ok: 2, fail: 0, info: 1, nemesisOps: 1 });
    expect(r.counts.byF.write).toEqual({ ok: 1, fail: 0, info: 1 });
    expect(r.faultsRun).toEqual([{ timeNs: 25, f: 'kill', value: { nodes: ['n1'] }, error: 'boom' }]);
  });

  it('adds convergence with two or more nodes', () => {
    expect(checkerList(['set-workload'], 1).map((c) => c.name)).toEqual(['set']);
    expect(checkerList(['set-workload'], 3).map((c) => c.name)).toEqual(['set', 'convergence']);
    expect(() => checkerList(['nope'], 1)).toThrow(/unknown model or checker 'nope'/);
  });

  it('summarises verdicts, counts, faults and the reproducing command', () => {
    const checked = check(0);
    const results: ResultsFile = { verdict: checked.verdict, exitCode: 1, workload: 'register', seed: 1, command: 'zooproof run register --seed 1',
      history: '/x/history.jsonl', durationMs: 1500, counts: checked.counts, checkers: checked.results, faults: [], faultsRun: checked.faultsRun };
    const text = summaryText(results, '/x');
    expect(text).toMatch(/^zooproof run register: INVALID \(seed 1, 1\.5 s\)/);
    expect(text).toMatch(/invalid {2}linearizable:cas-register: not linearizable/);
    expect(text).toMatch(/operations: 3 \(2 ok, 0 fail, 1 info\), 1 nemesis/);
    expect(text).toMatch(/0\.0s {2}kill n1 {2}ERROR: boom/);
    expect(text).toMatch(/reproduce: zooproof run register --seed 1/);
  });
});

describe('small pieces', () => {
  it('progress line shows elapsed time, outcome counts and active faults', () => {
    const line = progressLine({ elapsedMs: () => 12_400, counts: () => ({ ok: 5, fail: 1, info: 2, invoke: 9 }),
      activeFaults: () => ['kill n1', 'partition n1 | n2,n3'] }, 30);
    expect(line).toBe('[12s/30s] 5 ok, 1 fail, 2 info | faults: kill n1; partition n1 | n2,n3');
  });

});
