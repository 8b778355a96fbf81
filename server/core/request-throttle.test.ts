import { describe, expect, it } from 'vitest';
import { DEFAULT_GLOBAL_OUTSTANDING_LIMIT, learnerOutstandingLimit, RequestThrottle, type OutstandingCount } from './request-throttle.ts';

const conn = (): OutstandingCount => ({ outstanding: 0 });

describe('RequestThrottle (globalOutstandingLimit)', () => {
  it("defaults to ZooKeeper's 1000", () => {
    expect(new RequestThrottle().globalOutstandingLimit).toBe(DEFAULT_GLOBAL_OUTSTANDING_LIMIT);
    expect(DEFAULT_GLOBAL_OUTSTANDING_LIMIT).toBe(1000);
  });

  it('throttles a connection once more than the limit are in flight, not before', () => {
    const t = new RequestThrottle(() => 3);
    const a = conn();
    expect([1, 2, 3].map((xid) => t.received(a, xid))).toEqual([false, false, false]);
    expect(t.received(a, 4)).toBe(true);
    expect(t.inflightRequests).toBe(4);
    expect(a.outstanding).toBe(4);
  });

  it('reads a connection again when its reply leaves and the server is back at the limit', () => {
    const t = new RequestThrottle(() => 2);
    const a = conn();
    for (const xid of [1, 2, 3]) t.received(a, xid);
    expect(t.shouldThrottle(a.outstanding)).toBe(true);
    expect(t.replied(a, 1)).toBe(true);
    expect(t.inflightRequests).toBe(2);
  });

  it('a connection with nothing in flight is never throttled, however busy the server', () => {
    const t = new RequestThrottle(() => 1);
    const busy = conn();
    const idle = conn();
    for (const xid of [1, 2, 3, 4]) t.received(busy, xid);
    expect(t.shouldThrottle(idle.outstanding)).toBe(false);
    expect(t.received(idle, 1)).toBe(true); // now it has one in flight while the server is over the limit
    expect(t.replied(idle, 1)).toBe(true); // its count is back to 0: readable although the server is still over
    expect(t.shouldThrottle(busy.outstanding)).toBe(true);
  });

  it('counts only positive xids (pings -2, auth -4, setWatches -8 and notifications -1 do not)', () => {
    const t = new RequestThrottle(() => 0);
    const a = conn();
    expect(t.received(a, -2)).toBe(false);
    expect(t.received(a, 0)).toBe(false);
    expect(t.inflightRequests).toBe(0);
    t.received(a, 7);
    expect(t.replied(a, -1)).toBe(false);
    expect(t.inflightRequests).toBe(1);
    expect(t.replied(a, 7)).toBe(true);
  });

  it('a reply for nothing in flight does not drive the counts negative', () => {
    const t = new RequestThrottle(() => 5);
    const a = conn();
    t.replied(a, 9);
    expect(a.outstanding).toBe(0);
    expect(t.inflightRequests).toBe(0);
  });

  it("a closed connection's requests stop counting", () => {
    const t = new RequestThrottle(() => 2);
    const gone = conn();
    const other = conn();
    for (const xid of [1, 2, 3]) t.received(gone, xid);
    t.closed(gone);
    expect(t.inflightRequests).toBe(0);
    expect(t.received(other, 1)).toBe(false);
  });

  it('asks the limit at each request (a quorum member changes role)', () => {
    let limit = 10;
    const t = new RequestThrottle(() => limit);
    const a = conn();
    for (const xid of [1, 2, 3]) t.received(a, xid);
    expect(t.shouldThrottle(a.outstanding)).toBe(false);
    limit = 2;
    expect(t.shouldThrottle(a.outstanding)).toBe(true);
  });
});

describe('learnerOutstandingLimit (LearnerZooKeeperServer)', () => {
  it('divides by voters - 1 above 2 voters, else keeps the limit', () => {
    expect(learnerOutstandingLimit(1000, 3)).toBe(500);
    expect(learnerOutstandingLimit(1000, 5)).toBe(250);
    expect(learnerOutstandingLimit(1000, 4)).toBe(333);
    expect(learnerOutstandingLimit(1000, 2)).toBe(1000);
    expect(learnerOutstandingLimit(1000, 1)).toBe(1000);
  });
});
