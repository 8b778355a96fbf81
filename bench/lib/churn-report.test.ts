import { describe, expect, it } from 'vitest';
import { formatStages, parseChurnOptions, parseMntrCounts, STAGE_HEADER } from './churn-report.ts';

describe('bench:churn options', () => {
  it('defaults: 10000 connections, 32 at a time, 6 s sessions, idle 2 x timeout + 4 s, both targets', () => {
    expect(parseChurnOptions([])).toEqual({ connections: 10000, concurrency: 32, seed: 1, sessionTimeoutMs: 6000,
      idleMs: 16000, targets: ['zooproof', 'apache'], garbageMaxBytes: 32768 });
  });

  it('flags override; bad values are refused by name', () => {
    const o = parseChurnOptions(['--connections', '50', '--session-timeout-ms', '4000', '--targets', 'zooproof']);
    expect(o).toMatchObject({ connections: 50, sessionTimeoutMs: 4000, idleMs: 12000, targets: ['zooproof'] });
    expect(() => parseChurnOptions(['--connections', '0'])).toThrow(/--connections/);
    expect(() => parseChurnOptions(['--targets', 'etcd'])).toThrow(/unknown target 'etcd'/);
  });
});

describe('bench:churn report', () => {
  it('reads connections, sessions, watches and znodes from mntr', () => {
    const mntr = 'zk_version\t3.8.0\nzk_num_alive_connections\t3\nzk_znode_count\t12\nzk_global_sessions\t7\nzk_watch_count\t4\n';
    expect(parseMntrCounts(mntr)).toEqual({ connections: 3, sessions: 7, watches: 4, znodes: 12 });
    expect(parseMntrCounts('zk_version\t3.8.0\n').sessions).toBeNaN();
  });

  it('one row per stage, MB with one decimal, "-" for what a target does not report', () => {
    const text = formatStages('zooproof', [
      { name: 'start', memory: { rssBytes: 100 * 2 ** 20, peakRssBytes: 120 * 2 ** 20, heapUsedBytes: 8.25 * 2 ** 20 },
        counts: { connections: 1, sessions: 2, watches: 0, znodes: 6 } },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('zooproof');
    expect(lines[1]!.split(/\s{2,}/)).toEqual(STAGE_HEADER);
    expect(lines[3]!.trim().split(/\s+/)).toEqual(['start', '100.0', '120.0', '8.3', '-', '-', '1', '2', '0', '6']);
  });
});
