// Typed errors of the quorum I/O layer, with stable codes. A peer that breaks
// the framing gets its connection closed (the error is logged); a failed disk
// or a broken invariant stops the driver (reported through `failed`).

export type QuorumErrorCode =
  | 'BAD_FRAME' // a length, count or signature on a quorum stream is out of bounds
  | 'TOO_SLOW' // a peer's unsent bytes exceeded the bound: it is disconnected
  | 'NOT_LEADING' // propose() while this server is not an established leader
  | 'BAD_ZXID' // propose() with a zxid other than nextZxid(), or data whose TxnHeader disagrees
  | 'NOT_STARTED' // a driver method needing a running peer was called before start() or after stop()
  | 'INVARIANT'; // a programming error in this layer: must crash

export class QuorumError extends Error {
  constructor(readonly code: QuorumErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'QuorumError';
  }
}

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new QuorumError('INVARIANT', message());
}
