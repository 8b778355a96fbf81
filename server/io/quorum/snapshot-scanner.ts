// After a SNAP packet the leader writes the serialized data tree straight
// onto the stream, with no length in front (ZooKeeper's LearnerHandler), then
// the ustring "BenWasHere". This scanner finds where that body ends by
// walking its layout (server/tree/snapshot-codec.ts: sessions, ACL cache,
// nodes in pre-order ended by the path "/") without decoding it. It resumes
// where it stopped when more bytes arrive, so a large snapshot is walked once.
import type { ByteQueue } from './byte-queue.ts';
import { QuorumError } from './errors.ts';

const SESSION_BYTES = 12; // long id, int timeout
const STAT_PERSISTED_BYTES = 60; // 6 longs, 3 ints
const ACL_REF_BYTES = 8;

type Phase = 'sessionCount' | 'sessions' | 'aclCount' | 'aclLists' | 'nodes' | 'done';

export interface SnapshotLimits {
  /** Largest single buffer or string inside the body (jute.maxbuffer). */
  readonly maxBufferBytes: number;
  /** Largest whole body accepted. */
  readonly maxSnapshotBytes: number;
}

export class SnapshotScanner {
  private phase: Phase = 'sessionCount';
  /** Bytes from the start of the body known to be complete elements. */
  private offset = 0;
  private left = 0;

  constructor(private readonly limits: SnapshotLimits) {}

  /** The body's length once it is complete in `q` (which starts with it), else undefined. */
  scan(q: ByteQueue): number | undefined {
    while (this.phase !== 'done') {
      const size = this.element(q);
      if (size === undefined) {
        if (q.length > this.limits.maxSnapshotBytes + this.limits.maxBufferBytes) this.tooLarge(q.length);
        return undefined;
      }
      this.offset += size;
      if (this.offset > this.limits.maxSnapshotBytes) this.tooLarge(this.offset);
    }
    return this.offset;
  }

  private tooLarge(bytes: number): never {
    throw new QuorumError('BAD_FRAME', `snapshot stream exceeds ${this.limits.maxSnapshotBytes} bytes (${bytes} buffered)`);
  }

  /** Size of the next element at `offset` (advancing the phase), or undefined if incomplete. */
  private element(q: ByteQueue): number | undefined {
    switch (this.phase) {
      case 'sessionCount': return this.count(q, 'sessions', 'aclCount');
      case 'sessions': return this.sessions(q);
      case 'aclCount': return this.count(q, 'aclLists', 'nodes');
      case 'aclLists': return this.aclList(q);
      case 'nodes': return this.node(q);
      default: return 0;
    }
  }

  private count(q: ByteQueue, items: Phase, after: Phase): number | undefined {
    if (q.length < this.offset + 4) return undefined;
    const n = q.int32At(this.offset);
    if (n < -1) throw new QuorumError('BAD_FRAME', `snapshot: negative count ${n}`);
    this.left = Math.max(n, 0);
    this.phase = this.left > 0 ? items : after;
    return 4;
  }

  private sessions(q: ByteQueue): number | undefined {
    const k = Math.min(this.left, Math.floor((q.length - this.offset) / SESSION_BYTES));
    if (k === 0) return undefined;
    this.left -= k;
    if (this.left === 0) this.phase = 'aclCount';
    return k * SESSION_BYTES;
  }

  /** long ref, int count, then count x ACL{int perms, ustring scheme, ustring id}. */
  private aclList(q: ByteQueue): number | undefined {
    let at = this.offset + ACL_REF_BYTES;
    if (q.length < at + 4) return undefined;
    const n = q.int32At(at);
    if (n < -1) throw new QuorumError('BAD_FRAME', `snapshot: negative ACL count ${n}`);
    at += 4;
    for (let i = 0; i < n; i++) {
      at += 4;
      for (let s = 0; s < 2; s++) {
        const size = this.bufferSize(q, at);
        if (size === undefined) return undefined;
        at += size;
      }
    }
    if (q.length < at) return undefined;
    if (--this.left === 0) this.phase = 'nodes';
    return at - this.offset;
  }

  /** ustring path; "/" ends the list; else buffer data, long acl ref, StatPersisted. */
  private node(q: ByteQueue): number | undefined {
    const pathSize = this.bufferSize(q, this.offset);
    if (pathSize === undefined) return undefined;
    if (pathSize === 5 && q.peek(this.offset + 4, 1)[0] === 0x2f) {
      this.phase = 'done';
      return pathSize;
    }
    const dataSize = this.bufferSize(q, this.offset + pathSize);
    if (dataSize === undefined) return undefined;
    const size = pathSize + dataSize + ACL_REF_BYTES + STAT_PERSISTED_BYTES;
    return q.length >= this.offset + size ? size : undefined;
  }

  /** Size of a jute buffer/ustring (int length, -1 = null) at `at`, if complete. */
  private bufferSize(q: ByteQueue, at: number): number | undefined {
    if (q.length < at + 4) return undefined;
    const len = q.int32At(at);
    if (len < -1 || len > this.limits.maxBufferBytes) {
      throw new QuorumError('BAD_FRAME', `snapshot: buffer length ${len} outside -1..${this.limits.maxBufferBytes}`);
    }
    const size = 4 + Math.max(len, 0);
    return q.length >= at + size ? size : undefined;
  }
}
