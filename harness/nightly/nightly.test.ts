import { describe, expect, it } from 'vitest';
import { buildMatrix, indexHtml, junitXml, medianSecondsToDetect, type JobResult } from './matrix.ts';
import { interleave, parseShard, planNightly, type NightlyJob, type PlanOptions, type ScenarioInfo } from './plan.ts';

const scenarios: ScenarioInfo[] = [
  { name: 'trunc-recovery', target: 'reference', timeLimitS: 30, catches: ['diff-not-trunc', 'stale-election-zxid'], quick: true, referenceOnly: false },
  { name: 'leader-crash', target: 'reference', timeLimitS: 20, catches: ['commit-without-quorum'], quick: false, referenceOnly: false },
  { name: 'zk-4643', target: 'zookeeper', timeLimitS: 40, catches: [], quick: false, referenceOnly: false },
  { name: 'fault-file', target: 'reference', timeLimitS: 20, catches: [], quick: false, referenceOnly: true },
];
const base: PlanOptions = { seeds: 2, bugSeeds: 1, quick: false, shard: { index: 0, count: 1 }, firstSeed: 1, zookeeper: true };

describe('nightly plan', () => {
  it('runs each reference scenario per seed, each bug with its scenarios, and the catalog on Apache', () => {
    const jobs = planNightly(scenarios, base);
    const ids = jobs.map((j) => j.id);
    expect(ids.filter((i) => i.startsWith('correct/'))).toEqual(['correct/trunc-recovery/1', 'correct/leader-crash/1', 'correct/fault-file/1',
      'correct/trunc-recovery/2', 'correct/leader-crash/2', 'correct/fault-file/2']);
    expect(ids.filter((i) => i.startsWith('bug/'))).toEqual(expect.arrayContaining(['bug/diff-not-trunc/trunc-recovery/1', 'bug/commit-without-quorum/leader-crash/1']));
    expect(ids.filter((i) => i.startsWith('zookeeper/'))).toEqual(['zookeeper/trunc-recovery/1', 'zookeeper/leader-crash/1', 'zookeeper/zk-4643/1',
      'zookeeper/trunc-recovery/2', 'zookeeper/leader-crash/2', 'zookeeper/zk-4643/2']);
    expect(ids.filter((i) => i.includes('zk-4643') && !i.startsWith('zookeeper/'))).toEqual([]);
    expect(jobs.find((j) => j.kind === 'bug')!.bug).toBeDefined();
  });

  it('tries a bug in its quick scenarios first', () => {
    const two: ScenarioInfo[] = [
      { name: 'a-slow', target: 'reference', timeLimitS: 30, catches: ['diff-not-trunc'], quick: false, referenceOnly: false },
      { name: 'b-quick', target: 'reference', timeLimitS: 30, catches: ['diff-not-trunc'], quick: true, referenceOnly: false },
    ];
    expect(planNightly(two, { ...base, bugs: ['diff-not-trunc'] }).filter((j) => j.kind === 'bug').map((j) => j.scenario)).toEqual(['b-quick', 'a-slow']);
  });

  it('deals kinds round-robin, so a small budget still covers bugs, the correct server and Apache', () => {
    const kinds = planNightly(scenarios, base).slice(0, 3).map((j) => j.kind);
    expect(kinds).toEqual(['bug', 'correct', 'zookeeper']);
  });

  it('quick keeps the quick scenarios only; shards split the list without overlap', () => {
    expect(new Set(planNightly(scenarios, { ...base, quick: true }).map((j) => j.scenario))).toEqual(new Set(['trunc-recovery']));
    const all = planNightly(scenarios, base).map((j) => j.id);
    const a = planNightly(scenarios, { ...base, shard: parseShard('1/2') }).map((j) => j.id);
    const b = planNightly(scenarios, { ...base, shard: parseShard('2/2') }).map((j) => j.id);
    expect([...a, ...b].sort()).toEqual([...all].sort());
    expect(a.filter((x) => b.includes(x))).toEqual([]);
  });

  it('--no-correct and --no-zookeeper leave the planted bugs only', () => {
    expect(new Set(planNightly(scenarios, { ...base, correct: false, zookeeper: false }).map((j) => j.kind))).toEqual(new Set(['bug']));
  });

  it('bugs [] (--bugs none) and --no-zookeeper leave the correct server only', () => {
    const jobs = planNightly(scenarios, { ...base, bugs: [], zookeeper: false });
    expect(jobs.length).toBeGreaterThan(0);
    expect(new Set(jobs.map((j) => j.kind))).toEqual(new Set(['correct']));
  });

  it('refuses a bad shard', () => {
    for (const s of ['0/2', '3/2', 'x', '1/0']) expect(() => parseShard(s)).toThrow(/--shard/);
  });

  it('interleaves lists of different lengths', () => {
    expect(interleave([[1, 2, 3], [4], [5, 6]])).toEqual([1, 4, 5, 2, 6, 3]);
  });
});

const job = (over: Partial<NightlyJob>): NightlyJob => ({ id: 'x', kind: 'correct', scenario: 's', seed: 1, target: 'reference', timeLimitS: 30, ...over });

describe('nightly matrix', () => {
  const results: JobResult[] = [
    { job: job({ kind: 'bug', bug: 'diff-not-trunc', scenario: 'a' }), verdict: 'valid', reason: 'all checks valid', durationMs: 1 },
    { job: job({ kind: 'bug', bug: 'diff-not-trunc', scenario: 'b', timeLimitS: 20 }), verdict: 'invalid', reason: 'forensics: zxid 0x100000005 differs', durationMs: 1 },
    { job: job({ kind: 'bug', bug: 'read-uncommitted', scenario: 'a' }), verdict: 'valid', reason: 'all checks valid', durationMs: 1 },
    { job: job({ kind: 'correct', scenario: 'a' }), verdict: 'valid', reason: 'ok', durationMs: 1 },
    { job: job({ kind: 'correct', scenario: 'b' }), verdict: 'invalid', reason: 'queue: 1 lost <&>', durationMs: 1 },
    { job: job({ kind: 'zookeeper', scenario: 'a', target: 'zookeeper' }), verdict: 'skipped', reason: 'over the time budget', durationMs: 0 },
  ];

  it('a bug is caught by its first invalid run; time to detect adds the run seconds up to it', () => {
    const m = buildMatrix(results);
    const dnt = m.bugs.find((b) => b.bug === 'diff-not-trunc')!;
    expect(dnt).toMatchObject({ caught: true, scenario: 'b', secondsToDetect: 50, runs: 2, jira: 'ZOOKEEPER-1154' });
    expect(m.bugs.find((b) => b.bug === 'read-uncommitted')).toMatchObject({ caught: false, secondsToDetect: null });
    expect(m.totals).toMatchObject({ correctInvalid: 1, bugsCaught: 1, bugsTried: 2, skipped: 1 });
    expect(medianSecondsToDetect(m)).toBe(50);
  });

  it('JUnit fails an invalid correct run and an uncaught bug, and escapes text', () => {
    const xml = junitXml(results, buildMatrix(results));
    expect(xml).toContain('<failure message="invalid: queue: 1 lost &lt;&amp;&gt;"/>');
    expect(xml).toContain('not caught in 1 run(s)');
    expect(xml).toMatch(/planted bugs" tests="2" failures="1"/);
  });

  it('an Apache run of a scenario that reproduces a known bug passes when invalid', () => {
    const known: JobResult[] = [{ job: job({ kind: 'zookeeper', scenario: 'zk-4643', target: 'zookeeper', expect: 'invalid' }), verdict: 'invalid', reason: 'set: 172 lost', durationMs: 1 }];
    const xml = junitXml(known, buildMatrix(known));
    expect(xml).toMatch(/Apache ZooKeeper" tests="1" failures="0"/);
    expect(buildMatrix(known).zookeeper[0]).toMatchObject({ expected: 'invalid', verdict: 'invalid' });
  });

  it('the index escapes what it shows', () => {
    const html = indexHtml(results, buildMatrix(results), 'n<ightly');
    expect(html).toContain('n&lt;ightly');
    expect(html).not.toContain('<&>');
  });
});
