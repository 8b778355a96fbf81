// Partitions through stalling loopback proxies (as iptables DROP): an
// isolated leader steps down and its proposals never commit; the majority
// elects a new leader and carries on; after healing everyone converges.
import { afterEach, describe, expect, it } from 'vitest';
import { TestEnsemble } from './test-ensemble.ts';

let ensemble: TestEnsemble | null = null;

afterEach(async () => {
  await ensemble?.close();
  ensemble = null;
});

/** The leader the given members all serve under, if they agree and it is one of them. */
function agreedLeader(e: TestEnsemble, sids: number[]): number | null {
  const leaders = new Set(sids.map((sid) => e.driver(sid).serving ? e.driver(sid).leaderId : null));
  const [leader] = [...leaders];
  return leaders.size === 1 && leader !== null && leader !== undefined && sids.includes(leader) ? leader : null;
}

function sameContents(e: TestEnsemble, sids: number[]): string[] {
  const first = e.member(sids[0]!).host.contents();
  for (const sid of sids.slice(1)) expect(e.member(sid).host.contents(), `member ${sid}`).toEqual(first);
  return first;
}

describe('quorum driver under partitions', () => {
  it('an isolated leader steps down, the majority elects another, and all converge after healing', async () => {
    const e = ensemble = await TestEnsemble.create(3, {}, { proxied: true });
    await e.start(1, 2, 3);
    const old = await e.waitStable();
    const before = e.proposeCreates(old, 'before', 3);
    await e.waitApplied(before.at(-1)!);
    const majority = [1, 2, 3].filter((s) => s !== old);
    e.partition([old], majority);
    e.proposeCreates(old, 'isolated', 3);
    const next = await e.waitFor('a new leader on the majority side', () => agreedLeader(e, majority));
    await e.waitFor('the isolated leader to stop serving', () => !e.driver(old).serving);
    const after = e.proposeCreates(next, 'majority', 5);
    await e.waitApplied(after.at(-1)!, majority);
    e.heal();
    expect(await e.waitStable()).toBe(next);
    await e.waitApplied(after.at(-1)!);
    const contents = sameContents(e, [1, 2, 3]);
    expect(contents.filter((c) => c.startsWith('/isolated'))).toEqual([]);
    expect(contents).toHaveLength(8);
  });

  it('an isolated follower cannot elect alone, and catches up after healing', async () => {
    const e = ensemble = await TestEnsemble.create(3, {}, { proxied: true });
    await e.start(1, 2, 3);
    const leader = await e.waitStable();
    const lonely = leader === 1 ? 2 : 1;
    const rest = [1, 2, 3].filter((s) => s !== lonely);
    e.partition([lonely], rest);
    await e.waitFor('the isolated follower to stop serving', () => !e.driver(lonely).serving);
    const zxids = e.proposeCreates(leader, 'p', 5);
    await e.waitApplied(zxids.at(-1)!, rest);
    await new Promise((r) => setTimeout(r, 300));
    expect(e.driver(lonely).state).toBe('LOOKING');
    e.heal();
    expect(await e.waitStable()).toBe(leader);
    await e.waitApplied(zxids.at(-1)!);
    expect(sameContents(e, [1, 2, 3])).toHaveLength(5);
  });
});
