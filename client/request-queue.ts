// The client's two request queues. `outgoing`: accepted, not yet written
// (waiting for a connection or for room under maxOutstanding). `pending`:
// written, awaiting a reply; replies come back in request order, so each
// reply must match the head of `pending` (ZooKeeper's "xid out of order" is a
// protocol error). A request that times out is failed at once but stays in
// `pending` so its late reply is still matched and dropped.
import { Code, type JuteReader } from '../server/wire/index.ts';
import type { Clock, TimerHandle } from './types.ts';

export interface ReplyHeader { xid: number; zxid: number; err: number }

export interface QueuedRequest {
  readonly xid: number;
  readonly opcode: number;
  /** RequestHeader + body, without the frame length. */
  readonly bytes: Uint8Array;
  onReply(header: ReplyHeader, reader: JuteReader): void;
  onFail(code: number, sent: boolean, detail: string): void;
}

interface Entry {
  request: QueuedRequest;
  sent: boolean;
  /** Failed already (timed out): its reply is matched and dropped. */
  settled: boolean;
  timer: TimerHandle | undefined;
}

export interface RequestQueueLimits {
  /** Written-but-unanswered requests at most (pipelining depth). */
  maxOutstanding: number;
  /** Accepted-but-unwritten requests at most; beyond it a request is refused. */
  maxQueued: number;
  /** 0 = no per-request timeout. */
  requestTimeoutMs: number;
}

export type MatchResult = { ok: true; request: QueuedRequest | null } | { ok: false; detail: string };

export const XID_MAX = 0x7fffffff;

export class RequestQueue {
  private readonly outgoing: Entry[] = [];
  private readonly pending: Entry[] = [];
  private lastXid = 0;

  constructor(private readonly clock: Clock, private readonly limits: RequestQueueLimits) {
    if (limits.maxOutstanding < 1 || limits.maxQueued < 1) throw new Error('queue limits must be >= 1');
  }

  get outgoingCount(): number {
    return this.outgoing.length;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Next client xid: 1, 2, ... wrapping before the int32 limit (never a reserved negative xid). */
  nextXid(): number {
    this.lastXid = this.lastXid >= XID_MAX ? 1 : this.lastXid + 1;
    return this.lastXid;
  }

  /** Accepts a request; false when the queue is full (the caller refuses it, unsent). */
  enqueue(request: QueuedRequest, front = false): boolean {
    if (!front && this.outgoing.length >= this.limits.maxQueued) return false;
    const entry: Entry = { request, sent: false, settled: false, timer: undefined };
    if (this.limits.requestTimeoutMs > 0) {
      entry.timer = this.clock.setTimer(this.limits.requestTimeoutMs, () => this.timeOut(entry));
    }
    if (front) this.outgoing.unshift(entry);
    else this.outgoing.push(entry);
    return true;
  }

  /** Moves requests from outgoing to pending while under maxOutstanding; returns them in send order. */
  takeSendable(): QueuedRequest[] {
    const out: QueuedRequest[] = [];
    while (this.outgoing.length > 0 && this.pending.length < this.limits.maxOutstanding) {
      const entry = this.outgoing.shift()!;
      entry.sent = true;
      this.pending.push(entry);
      out.push(entry.request);
    }
    return out;
  }

  /** Matches a reply to the oldest pending request. `request` is null when that request already timed out. */
  matchReply(xid: number): MatchResult {
    const head = this.pending[0];
    if (head === undefined) return { ok: false, detail: `reply xid ${xid} with nothing pending` };
    if (head.request.xid !== xid) {
      return { ok: false, detail: `xid out of order: got ${xid}, expected ${head.request.xid}` };
    }
    this.pending.shift();
    this.clearTimer(head);
    return { ok: true, request: head.settled ? null : head.request };
  }

  /** Fails every request (pending: sent; outgoing: not sent) and empties both queues. */
  failAll(code: number, detail: string): void {
    const pending = this.pending.splice(0);
    const outgoing = this.outgoing.splice(0);
    for (const e of pending) this.settle(e, code, detail);
    for (const e of outgoing) this.settle(e, code, detail);
  }

  /** Fails only the unsent requests (e.g. the connection is gone before they were written). */
  failOutgoing(code: number, detail: string): void {
    for (const e of this.outgoing.splice(0)) this.settle(e, code, detail);
  }

  private timeOut(entry: Entry): void {
    entry.timer = undefined;
    if (entry.settled) return;
    const at = this.outgoing.indexOf(entry);
    if (at !== -1) this.outgoing.splice(at, 1);
    this.settle(entry, Code.REQUESTTIMEOUT, `no reply within ${this.limits.requestTimeoutMs} ms`);
  }

  private settle(entry: Entry, code: number, detail: string): void {
    this.clearTimer(entry);
    if (entry.settled) return;
    entry.settled = true;
    entry.request.onFail(code, entry.sent, detail);
  }

  private clearTimer(entry: Entry): void {
    if (entry.timer !== undefined) this.clock.clearTimer(entry.timer);
    entry.timer = undefined;
  }
}
