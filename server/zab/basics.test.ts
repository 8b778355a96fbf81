import { describe, expect, it } from 'vitest';
import { InvariantViolation } from './invariants.ts';
import { QuorumVerifier } from './quorum.ts';
import { NON_VOTER, ServerState, totalOrderPredicate, votesEqual, type Vote } from './vote.ts';
import { counterOf, epochOf, isNewEpochZxid, makeZxid, MAX_COUNTER, MAX_EPOCH } from './zxid.ts';

describe('zxid', () => {
  it('packs epoch and counter like (epoch << 32) | counter', () => {
    const z = makeZxid(3, 7);
    expect(z).toBe(3 * 2 ** 32 + 7);
    expect(epochOf(z)).toBe(3);
    expect(counterOf(z)).toBe(7);
    expect(isNewEpochZxid(makeZxid(5, 0))).toBe(true);
    expect(isNewEpochZxid(z)).toBe(false);
    expect(epochOf(makeZxid(MAX_EPOCH, MAX_COUNTER))).toBe(MAX_EPOCH);
    expect(epochOf(-1)).toBe(-1);
  });

  it('refuses a counter that would overflow into the epoch (ZOOKEEPER-1277)', () => {
    expect(() => makeZxid(1, MAX_COUNTER + 1)).toThrow(InvariantViolation);
    expect(() => makeZxid(MAX_EPOCH + 1, 0)).toThrow(InvariantViolation);
  });
});

describe('QuorumVerifier', () => {
  it('counts only voters, strictly more than half', () => {
    const q = new QuorumVerifier([1, 2, 3, 4, 5], [6, 7]);
    expect(q.containsQuorum([1, 2])).toBe(false);
    expect(q.containsQuorum([1, 2, 6, 7])).toBe(false);
    expect(q.containsQuorum([1, 2, 3])).toBe(true);
    expect(q.containsQuorum([1, 1, 2, 2])).toBe(false);
    expect(new QuorumVerifier([1, 2, 3, 4]).containsQuorum([1, 2])).toBe(false);
    expect(q.weight(6)).toBe(0);
    expect(q.weight(1)).toBe(1);
  });

  it('rejects a server that is both voter and observer', () => {
    expect(() => new QuorumVerifier([1, 2], [2])).toThrow(InvariantViolation);
  });
});

describe('totalOrderPredicate', () => {
  const w = (sid: number) => (sid === 9 ? 0 : 1);
  it('orders by peer epoch, then zxid, then sid', () => {
    const base = { leader: 2, zxid: makeZxid(1, 10), peerEpoch: 1 };
    expect(totalOrderPredicate({ leader: 1, zxid: makeZxid(1, 1), peerEpoch: 2 }, base, w)).toBe(true);
    expect(totalOrderPredicate({ leader: 3, zxid: makeZxid(1, 99), peerEpoch: 0 }, base, w)).toBe(false);
    expect(totalOrderPredicate({ leader: 1, zxid: makeZxid(1, 11), peerEpoch: 1 }, base, w)).toBe(true);
    expect(totalOrderPredicate({ leader: 3, zxid: makeZxid(1, 10), peerEpoch: 1 }, base, w)).toBe(true);
    expect(totalOrderPredicate({ leader: 1, zxid: makeZxid(1, 10), peerEpoch: 1 }, base, w)).toBe(false);
    expect(totalOrderPredicate(base, base, w)).toBe(false);
  });

  it('never elects a zero-weight server, and any voter beats a non-voter vote', () => {
    expect(totalOrderPredicate({ leader: 9, zxid: makeZxid(9, 9), peerEpoch: 9 }, { leader: 1, zxid: 0, peerEpoch: 0 }, w)).toBe(false);
    expect(totalOrderPredicate({ leader: 1, zxid: 0, peerEpoch: 0 }, { leader: NON_VOTER, zxid: NON_VOTER, peerEpoch: NON_VOTER }, w)).toBe(true);
  });
});

describe('votesEqual', () => {
  const v = (o: Partial<Vote>): Vote => ({ leader: 1, zxid: 5, electionEpoch: 2, peerEpoch: 1, state: ServerState.LOOKING, version: 2, ...o });
  it('compares every field while either side is LOOKING', () => {
    expect(votesEqual(v({}), v({}))).toBe(true);
    expect(votesEqual(v({}), v({ zxid: 6 }))).toBe(false);
    expect(votesEqual(v({}), v({ electionEpoch: 3, state: ServerState.FOLLOWING }))).toBe(false);
  });
  it('compares only leader and peer epoch out of election (ZOOKEEPER-1805)', () => {
    const f = v({ state: ServerState.FOLLOWING });
    expect(votesEqual(f, v({ state: ServerState.LEADING, zxid: 99, electionEpoch: 7 }))).toBe(true);
    expect(votesEqual(f, v({ state: ServerState.LEADING, peerEpoch: 2 }))).toBe(false);
    expect(votesEqual(f, v({ state: ServerState.LEADING, peerEpoch: 2, version: 0 }))).toBe(true);
  });
});
