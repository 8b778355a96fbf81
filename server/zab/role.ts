// What the leader and learner roles share with the peer that runs them.
import type { ZabConfig } from './config.ts';
import type { ZabDatabase } from './database.ts';
import type { Effect } from './effects.ts';

export interface RoleContext {
  readonly config: ZabConfig;
  readonly db: ZabDatabase;
  /** A fresh token for a disk effect; answered by a `diskDone { token }` event. */
  newToken(): number;
  /** Records that this server established `epoch` as leader (asserts: at most once). */
  noteEpochEstablished(epoch: number): void;
  /** QuorumPeer.updateElectionVote: advertise the new epoch in election replies. */
  updateElectionVote(epoch: number): void;
}

/** Result of a role handling one event; `exit` set means: stop this role and go LOOKING. */
export interface RoleStep {
  readonly effects: Effect[];
  readonly exit: string | null;
}

export function stepOf(effects: Effect[], exit: string | null = null): RoleStep {
  return { effects, exit };
}
