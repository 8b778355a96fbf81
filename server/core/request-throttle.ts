// globalOutstandingLimit, as ZooKeeper applies it (ServerCnxn's
// incr/decrOutstandingAndCheckThrottle, ZooKeeperServer.shouldThrottle):
// requests with a positive xid are in flight from when they are read until
// their reply is sent. While more than the limit are in flight server-wide, a
// connection with a request of its own in flight stops being read (its
// requests wait in the socket; none is dropped); it is read again once its
// reply leaves and the server is back under the limit or it has nothing in
// flight. Pure.

/** One connection's count, owned by the io layer. */
export interface OutstandingCount {
  outstanding: number;
}

/** ZooKeeper's default for zookeeper.globalOutstandingLimit. */
export const DEFAULT_GLOBAL_OUTSTANDING_LIMIT = 1000;

/**
 * A follower's or observer's share (LearnerZooKeeperServer): the limit divided
 * by voters - 1 when there are more than 2 voters.
 */
export function learnerOutstandingLimit(globalOutstandingLimit: number, voters: number): number {
  return Math.trunc(globalOutstandingLimit / (voters > 2 ? voters - 1 : 1));
}

export class RequestThrottle {
  private inflight = 0;

  /** `limit` is asked at each request: a quorum member's share changes with its role. */
  constructor(private readonly limit: () => number = () => DEFAULT_GLOBAL_OUTSTANDING_LIMIT) {}

  get globalOutstandingLimit(): number {
    return this.limit();
  }

  /** Requests read and not yet answered, server-wide. */
  get inflightRequests(): number {
    return this.inflight;
  }

  /** A connection with `outstanding` requests in flight must not be read now. */
  shouldThrottle(outstanding: number): boolean {
    return outstanding > 0 && this.limit() < this.inflight;
  }

  /** A request was read; true when its connection must stop reading. */
  received(conn: OutstandingCount, xid: number): boolean {
    if (xid > 0) {
      conn.outstanding++;
      this.inflight++;
    }
    return this.shouldThrottle(conn.outstanding);
  }

  /** A reply (or notification: xid -1) was sent; true when the connection may be read again. */
  replied(conn: OutstandingCount, xid: number): boolean {
    if (xid > 0 && conn.outstanding > 0) {
      conn.outstanding--;
      this.inflight--;
    }
    return !this.shouldThrottle(conn.outstanding);
  }

  /** The connection is gone: what it had in flight no longer counts. */
  closed(conn: OutstandingCount): void {
    this.inflight -= conn.outstanding;
    conn.outstanding = 0;
  }
}
