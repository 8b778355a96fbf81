import { describe, expect, it } from 'vitest';
import { Code } from '../server/wire/index.ts';
import { RequestQueue, XID_MAX, type QueuedRequest } from './request-queue.ts';
import { FakeClock } from './testing/fake-clock.ts';

function req(xid: number, log: string[]): QueuedRequest {
  return { xid, opcode: 3, bytes: new Uint8Array(0),
    onReply: () => log.push(`reply ${xid}`), onFail: (code, sent) => log.push(`fail ${xid} ${code} ${sent}`) };
}

describe('RequestQueue', () => {
  it('sends in order up to maxOutstanding and matches replies to the head', () => {
    const q = new RequestQueue(new FakeClock(), { maxOutstanding: 2, maxQueued: 10, requestTimeoutMs: 0 });
    const log: string[] = [];
    for (const x of [1, 2, 3]) q.enqueue(req(x, log));
    expect(q.takeSendable().map((r) => r.xid)).toEqual([1, 2]);
    expect(q.matchReply(2)).toEqual({ ok: false, detail: 'xid out of order: got 2, expected 1' });
    expect(q.matchReply(1)).toMatchObject({ ok: true, request: { xid: 1 } });
    expect(q.takeSendable().map((r) => r.xid)).toEqual([3]);
  });

  it('fails pending as sent and outgoing as unsent', () => {
    const q = new RequestQueue(new FakeClock(), { maxOutstanding: 1, maxQueued: 10, requestTimeoutMs: 0 });
    const log: string[] = [];
    q.enqueue(req(1, log));
    q.enqueue(req(2, log));
    q.takeSendable();
    q.failAll(Code.CONNECTIONLOSS, 'gone');
    expect(log).toEqual(['fail 1 -4 true', 'fail 2 -4 false']);
    expect(q.pendingCount + q.outgoingCount).toBe(0);
  });

  it('times out once, keeps a sent request for its late reply, and refuses when full', () => {
    const clock = new FakeClock();
    const q = new RequestQueue(clock, { maxOutstanding: 5, maxQueued: 1, requestTimeoutMs: 10 });
    const log: string[] = [];
    expect(q.enqueue(req(1, log))).toBe(true);
    expect(q.enqueue(req(2, log))).toBe(false);
    q.takeSendable();
    clock.advance(10);
    expect(log).toEqual([`fail 1 ${Code.REQUESTTIMEOUT} true`]);
    expect(q.matchReply(1)).toEqual({ ok: true, request: null });
    q.failAll(Code.CONNECTIONLOSS, 'x');
    expect(log).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('wraps xids before the int32 limit', () => {
    const q = new RequestQueue(new FakeClock(), { maxOutstanding: 1, maxQueued: 1, requestTimeoutMs: 0 });
    (q as unknown as { lastXid: number }).lastXid = XID_MAX - 1;
    expect([q.nextXid(), q.nextXid()]).toEqual([XID_MAX, 1]);
  });
});
