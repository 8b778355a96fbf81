// Majority quorum verifier (QuorumMaj): voters (participants) form quorums,
// observers never count. Weighted/hierarchical verifiers are not implemented.
import { invariant } from './invariants.ts';

export class QuorumVerifier {
  private readonly voterSet: ReadonlySet<number>;
  private readonly observerSet: ReadonlySet<number>;

  constructor(voters: readonly number[], observers: readonly number[] = []) {
    this.voterSet = new Set(voters);
    this.observerSet = new Set(observers);
    invariant(this.voterSet.size === voters.length && voters.length > 0, 'BAD_STATE',
      () => `voters must be distinct and non-empty: ${voters.join(',')}`);
    for (const o of observers) {
      invariant(!this.voterSet.has(o), 'BAD_STATE', () => `server ${o} is both voter and observer`);
    }
  }

  get voters(): readonly number[] {
    return [...this.voterSet];
  }

  get observers(): readonly number[] {
    return [...this.observerSet];
  }

  isVoter(sid: number): boolean {
    return this.voterSet.has(sid);
  }

  isObserver(sid: number): boolean {
    return this.observerSet.has(sid);
  }

  isMember(sid: number): boolean {
    return this.isVoter(sid) || this.isObserver(sid);
  }

  /** Weight in elections: 1 for a voter, 0 otherwise (QuorumMaj.getWeight). */
  weight(sid: number): number {
    return this.isVoter(sid) ? 1 : 0;
  }

  /** True iff more than half of the voters are in `sids`; non-voters are ignored. */
  containsQuorum(sids: Iterable<number>): boolean {
    let count = 0;
    for (const sid of new Set(sids)) if (this.voterSet.has(sid)) count++;
    return count > this.voterSet.size / 2;
  }
}
