// Safety invariants of the Zab core. A violation is a bug (in this code or in
// a peer that broke the protocol), never an expected failure: it throws.

export type InvariantCode =
  | 'ZXID_REGRESSED'
  | 'TRUNCATE_BELOW_COMMITTED'
  | 'ACCEPTED_EPOCH_BELOW_CURRENT'
  | 'EPOCH_REGRESSED'
  | 'EPOCH_ESTABLISHED_TWICE'
  | 'COMMIT_WITHOUT_QUORUM'
  | 'COMMIT_OUT_OF_ORDER'
  | 'ZXID_OUT_OF_RANGE'
  | 'CURRENT_EPOCH_BELOW_LOG'
  | 'SYNC_GAP'
  | 'BAD_STATE';

export class InvariantViolation extends Error {
  constructor(readonly code: InvariantCode, message: string) {
    super(`${code}: ${message}`);
    this.name = 'InvariantViolation';
  }
}

export function invariant(condition: boolean, code: InvariantCode, message: () => string): asserts condition {
  if (!condition) throw new InvariantViolation(code, message());
}
