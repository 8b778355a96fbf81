// The one lock algorithm behind the exclusive lock, the read/write lock and
// the leader latch (ZooKeeper's lock recipe): create an ephemeral-sequential
// node under the lock path, and wait until no earlier node blocks it,
// watching only the nearest blocking predecessor (no herd effect).
import type { ZooKeeperClient } from '../index.ts';
import { RecipeError } from './errors.ts';
import { HoldTracker, type HoldState } from './hold.ts';
import { blockingPredecessor, labelOf, protectedPrefix } from './sequence.ts';
import {
  clockOf, createProtected, deadlineOf, deleteIfExists, ensurePath, joinPath, retrying, sessionIsOver, wakeOn,
  type RecipeOptions,
} from './support.ts';

export interface LockKind {
  recipe: string;
  /** Node name label, e.g. `lock-`, `read-`, `write-`. */
  label: string;
  /** Whether an earlier node with this label (protected token stripped) must be waited for. */
  blocks: (earlierLabel: string) => boolean;
}

export interface AcquireOptions {
  /** Give up after this long (the node is deleted); default: wait forever. */
  timeoutMs?: number;
  /** Abort the wait (the node is deleted). */
  signal?: AbortSignal;
}

export interface LockHandleOptions extends RecipeOptions {
  /** Data stored in the lock node (e.g. the holder's name). */
  data?: string | Uint8Array;
}

/** One participant's lock: acquire, release, and what it can know about its hold. */
export class LockHandle {
  private readonly tracker: HoldTracker;
  private ownPath: string | undefined;
  private busy = false;

  constructor(readonly zk: ZooKeeperClient, readonly lockPath: string, private readonly kind: LockKind,
    private readonly opts: LockHandleOptions = {}) {
    this.tracker = new HoldTracker(zk);
  }

  get holdState(): HoldState {
    return this.tracker.state;
  }

  /** True while held and connected; false once suspended, lost or released. */
  get isHeld(): boolean {
    return this.tracker.state === 'held';
  }

  /** Full path of this participant's node while it has one. */
  get nodePath(): string | undefined {
    return this.ownPath;
  }

  onHoldStateChange(listener: (s: HoldState) => void): () => void {
    return this.tracker.onChange(listener);
  }

  /** Resolves true once held, false on timeout or abort. Rejects SESSION_LOST if the session ends first. */
  async acquire(options: AcquireOptions = {}): Promise<boolean> {
    if (this.busy || this.ownPath !== undefined) {
      throw new RecipeError('ILLEGAL_STATE', this.kind.recipe, 'acquire while already holding or acquiring');
    }
    this.busy = true;
    try {
      return await this.attempt(options);
    } finally {
      this.busy = false;
    }
  }

  private async attempt(options: AcquireOptions): Promise<boolean> {
    const { zk, kind } = this;
    const clock = clockOf(this.opts);
    const deadlineMs = deadlineOf(clock, options.timeoutMs);
    await ensurePath(zk, kind.recipe, this.lockPath);
    const prefix = protectedPrefix(zk.info.sessionId, kind.label);
    const own = await createProtected(zk, kind.recipe, this.lockPath, prefix, 'EPHEMERAL_SEQUENTIAL', this.opts.data);
    this.ownPath = joinPath(this.lockPath, own);
    for (;;) {
      const { children } = await retrying(zk, kind.recipe, () => zk.getChildren(this.lockPath));
      if (!children.includes(own)) throw this.nodeVanished();
      const predecessor = blockingPredecessor(children, own, (n) => kind.blocks(labelOf(n)));
      if (predecessor === null) {
        this.tracker.hold();
        return true;
      }
      const wake = wakeOn(zk, clock, deadlineMs, options.signal);
      const { stat } = await retrying(zk, kind.recipe,
        () => zk.exists(joinPath(this.lockPath, predecessor), { watch: wake.watcher }));
      if (stat === null) wake.cancel();
      const reason = await wake.woken;
      if (reason === 'session') throw this.nodeVanished();
      if (reason === 'timeout' || reason === 'aborted') {
        await this.deleteOwn();
        return false;
      }
    }
  }

  private nodeVanished(): RecipeError {
    const path = this.ownPath;
    this.ownPath = undefined;
    const why = sessionIsOver(this.zk) ? `session ${this.zk.state}` : 'deleted by someone else';
    return new RecipeError('SESSION_LOST', this.kind.recipe, `lock node ${path} is gone (${why})`);
  }

  private async deleteOwn(): Promise<void> {
    const path = this.ownPath;
    this.ownPath = undefined;
    if (path !== undefined && !sessionIsOver(this.zk)) await deleteIfExists(this.zk, this.kind.recipe, path);
  }

  /**
   * Gives the lock up (deletes the node). A hold already lost to session
   * expiry releases nothing and does not fail: the lock is free either way.
   */
  async release(): Promise<void> {
    if (this.ownPath === undefined && this.tracker.state !== 'lost') {
      throw new RecipeError('ILLEGAL_STATE', this.kind.recipe, 'release without a hold');
    }
    if (this.tracker.state === 'lost' || sessionIsOver(this.zk)) {
      this.ownPath = undefined;
      this.tracker.end('lost');
      return;
    }
    try {
      await this.deleteOwn();
      this.tracker.end('released');
    } catch (e) {
      if (!sessionIsOver(this.zk)) throw e;
      this.tracker.end('lost');
    }
  }
}

export const EXCLUSIVE: LockKind = { recipe: 'ExclusiveLock', label: 'lock-', blocks: () => true };
export const READ: LockKind = { recipe: 'ReadLock', label: 'read-', blocks: (l) => l.startsWith('write-') };
export const WRITE: LockKind = { recipe: 'WriteLock', label: 'write-', blocks: () => true };
