// Double barrier (ZooKeeper's recipe): `memberCount` participants enter
// together and leave together. Each member is an ephemeral node under the
// barrier path; the member that completes the group creates `ready`.
//
// Guarantees:
// - enter() returns only once `memberCount` members had entered (the `ready`
//   node exists only after that many member nodes existed at once).
// - leave() returns only once every member node is gone (each member
//   deletes its own node; a member whose session expires leaves implicitly).
// - Waiting members are woken by the watch on one node, not all of them.
//
// Does NOT guarantee:
// - Reuse while a round is in progress: a member entering a barrier whose
//   `ready` node is still there (a round has not fully left) passes at once.
//   The last member to leave deletes `ready`.
// - Exactly `memberCount` participants: more may enter; a member that dies
//   between enter and leave counts as having left.
import { Code } from '../../server/wire/index.ts';
import type { ZooKeeperClient } from '../index.ts';
import { RecipeError } from './errors.ts';
import {
  clockOf, deadlineOf, deleteIfExists, ensurePath, hasCode, joinPath, retrying, translate, wakeOn, type RecipeOptions,
} from './support.ts';

const RECIPE = 'DoubleBarrier';
const READY = 'ready';
let memberCounter = 0;

export class DoubleBarrier {
  private name: string | undefined;

  constructor(private readonly zk: ZooKeeperClient, readonly barrierPath: string, readonly memberCount: number,
    private readonly opts: RecipeOptions & { memberName?: string } = {}) {
    if (!(memberCount >= 1)) throw new RecipeError('ILLEGAL_STATE', RECIPE, `memberCount ${memberCount} < 1`);
    this.name = opts.memberName;
  }

  /** This member's node name: given, or made unique from the session id on enter. */
  get memberName(): string {
    if (this.name === undefined) throw new RecipeError('ILLEGAL_STATE', RECIPE, 'no member name before enter');
    return this.name;
  }

  private get ownPath(): string {
    return joinPath(this.barrierPath, this.memberName);
  }

  private async members(): Promise<string[]> {
    const { children } = await retrying(this.zk, RECIPE, () => this.zk.getChildren(this.barrierPath));
    return children.filter((c) => c !== READY).sort();
  }

  /** Joins and waits until `memberCount` members have joined. Rejects TIMEOUT (after leaving again). */
  async enter(timeoutMs?: number): Promise<void> {
    const { zk } = this;
    const clock = clockOf(this.opts);
    const deadlineMs = deadlineOf(clock, timeoutMs);
    await ensurePath(zk, RECIPE, this.barrierPath);
    if (this.name === undefined) {
      memberCounter += 1;
      this.name = `member-${zk.info.sessionId.toString(16)}-${memberCounter}`;
    }
    const wake = wakeOn(zk, clock, deadlineMs);
    const ready = await retrying(zk, RECIPE, () => zk.exists(joinPath(this.barrierPath, READY), { watch: wake.watcher }));
    await this.createOwn();
    if (ready.stat !== null) return wake.cancel();
    if ((await this.members()).length >= this.memberCount) {
      wake.cancel();
      await this.createReady();
      return;
    }
    const reason = await wake.woken;
    if (reason === 'event') return;
    if (reason === 'timeout') await deleteIfExists(zk, RECIPE, this.ownPath);
    throw new RecipeError(reason === 'timeout' ? 'TIMEOUT' : 'SESSION_LOST', RECIPE, `enter ${this.barrierPath}: ${reason}`);
  }

  private async createOwn(): Promise<void> {
    await retrying(this.zk, RECIPE, async () => {
      try {
        await this.zk.create(this.ownPath, undefined, { mode: 'EPHEMERAL' });
      } catch (e) {
        if (!hasCode(e, Code.NODEEXISTS)) throw e;
        const { stat } = await this.zk.exists(this.ownPath);
        if (stat !== null && BigInt(stat.ephemeralOwner) !== this.zk.info.sessionId) {
          throw new RecipeError('ILLEGAL_STATE', RECIPE, `member name ${this.memberName} taken by another session`);
        }
      }
    });
  }

  private async createReady(): Promise<void> {
    await retrying(this.zk, RECIPE, async () => {
      try {
        await this.zk.create(joinPath(this.barrierPath, READY));
      } catch (e) {
        if (!hasCode(e, Code.NODEEXISTS)) throw e;
      }
    });
  }

  /**
   * Leaves and waits until every member has left. The lowest member waits for
   * the highest to go; every other member deletes its node and waits for the
   * lowest. Rejects TIMEOUT (its own node may be deleted by then).
   */
  async leave(timeoutMs?: number): Promise<void> {
    const clock = clockOf(this.opts);
    const deadlineMs = deadlineOf(clock, timeoutMs);
    for (;;) {
      const members = await this.members();
      const target = await this.leaveStep(members);
      if (target === null) break;
      const wake = wakeOn(this.zk, clock, deadlineMs);
      const { stat } = await retrying(this.zk, RECIPE,
        () => this.zk.exists(joinPath(this.barrierPath, target), { watch: wake.watcher }));
      if (stat === null) wake.cancel();
      const reason = await wake.woken;
      if (reason === 'timeout') throw new RecipeError('TIMEOUT', RECIPE, `leave ${this.barrierPath}: timeout`);
      if (reason !== 'event') throw translate(this.zk, RECIPE, new Error(`leave ${this.barrierPath}: ${reason}`));
    }
    await deleteIfExists(this.zk, RECIPE, joinPath(this.barrierPath, READY));
  }

  /** One step of leaving: deletes our node when due; returns the member to wait for, or null when all left. */
  private async leaveStep(members: string[]): Promise<string | null> {
    const own = this.memberName;
    const lowest = members[0];
    const highest = members[members.length - 1];
    if (lowest === undefined || highest === undefined) return null;
    if (members.length === 1 && lowest === own) {
      await deleteIfExists(this.zk, RECIPE, this.ownPath);
      return null;
    }
    if (own === lowest) return highest;
    if (members.includes(own)) await deleteIfExists(this.zk, RECIPE, this.ownPath);
    return lowest;
  }
}
