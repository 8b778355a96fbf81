// Leader election, latch style (as Curator's LeaderLatch): every candidate
// creates an ephemeral-sequential node; the lowest is the leader; the others
// each watch their predecessor (no herd effect). A candidate stays in the
// race until it closes the latch or its session ends.
//
// Guarantees:
// - At most one candidate's node is the lowest at any time, so at most one
//   candidate with a live session is granted leadership at once.
// - When the leader's node goes (close, or session expiry), the next
//   candidate in creation order is told, without waking the others.
//
// Does NOT guarantee:
// - That the leader knows when it stops being leader: its session may expire
//   (and a successor be elected) before it hears of it. `hasLeadership` turns
//   false on Disconnected (`suspended`) and on expiry (`lost`); act as leader
//   only while it is true, and fence side effects if two leaders must never
//   act at once.
// - Re-election after expiry: a latch whose session expired is done; start a
//   new one on a new client.
import type { ZooKeeperClient } from '../index.ts';
import { RecipeError, isRecipeError } from './errors.ts';
import type { HoldState } from './hold.ts';
import { LockHandle, type LockHandleOptions } from './lock-engine.ts';
import { clockOf } from './support.ts';
import type { Clock } from '../types.ts';

const LATCH = { recipe: 'LeaderLatch', label: 'latch-', blocks: () => true };

export class LeaderLatch {
  private readonly handle: LockHandle;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private failure: unknown;
  private readonly clock: Clock;

  constructor(zk: ZooKeeperClient, readonly latchPath: string, opts: LockHandleOptions = {}) {
    this.handle = new LockHandle(zk, latchPath, LATCH, opts);
    this.clock = clockOf(opts);
  }

  /** Enters the election; returns at once (leadership comes later, see `awaitLeadership`). */
  start(): void {
    if (this.running) throw new RecipeError('ILLEGAL_STATE', LATCH.recipe, 'start called twice');
    this.running = this.handle.acquire({ signal: this.abort.signal }).then(() => {}, (e: unknown) => {
      this.failure = e;
    });
  }

  get hasLeadership(): boolean {
    return this.handle.isHeld;
  }

  get state(): HoldState {
    return this.handle.holdState;
  }

  get nodePath(): string | undefined {
    return this.handle.nodePath;
  }

  onStateChange(listener: (s: HoldState) => void): () => void {
    return this.handle.onHoldStateChange(listener);
  }

  /** Resolves true once leader, false after `timeoutMs`; rejects if the election ended (session lost). */
  async awaitLeadership(timeoutMs?: number): Promise<boolean> {
    if (!this.running) throw new RecipeError('ILLEGAL_STATE', LATCH.recipe, 'awaitLeadership before start');
    if (this.hasLeadership) return true;
    const won = new Promise<boolean>((resolve) => {
      let timer: unknown;
      const settle = (result: boolean) => {
        off();
        if (timer !== undefined) this.clock.clearTimer(timer);
        resolve(result);
      };
      const off = this.handle.onHoldStateChange((s) => { if (s === 'held') settle(true); });
      void this.running!.then(() => { if (this.failure !== undefined) settle(false); });
      if (timeoutMs !== undefined) timer = this.clock.setTimer(timeoutMs, () => settle(false));
    });
    const result = await won;
    if (!result && this.failure !== undefined) throw this.failure;
    return result;
  }

  /** Leaves the election (deletes the node; the next candidate takes over). */
  async close(): Promise<void> {
    this.abort.abort();
    await this.running;
    if (this.handle.nodePath !== undefined || this.handle.holdState === 'lost') {
      await this.handle.release().catch((e: unknown) => { if (!isRecipeError(e, 'ILLEGAL_STATE')) throw e; });
    }
  }
}
