// What a holder of an ephemeral node (a lock, a leadership) can know about
// its hold. ZooKeeper frees the node when the session expires, and the holder
// hears of that only later (when it reconnects, or never while partitioned):
//   held --Disconnected--> suspended --SyncConnected--> held
//   held | suspended --Expired/Closed/AuthFailed--> lost
//   held | suspended --release()--> released
// `suspended` means "maybe lost already": a careful holder stops acting on the
// hold until it is `held` again.
import type { ZooKeeperClient } from '../index.ts';

export type HoldState = 'idle' | 'held' | 'suspended' | 'lost' | 'released';

export class HoldTracker {
  private current: HoldState = 'idle';
  private readonly listeners = new Set<(s: HoldState) => void>();
  private offSession: (() => void) | undefined;

  constructor(private readonly zk: ZooKeeperClient) {}

  get state(): HoldState {
    return this.current;
  }

  onChange(listener: (s: HoldState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The node is ours: follow the session from now on. */
  hold(): void {
    this.offSession?.();
    this.offSession = this.zk.onSessionEvent((e) => {
      if (e.state === 'Disconnected' && this.current === 'held') this.set('suspended');
      else if ((e.state === 'SyncConnected' || e.state === 'ConnectedReadOnly') && this.current === 'suspended') {
        this.set('held');
      } else if (e.state === 'Expired' || e.state === 'Closed' || e.state === 'AuthFailed') this.end('lost');
    });
    this.set(this.zk.state === 'CONNECTED' ? 'held' : 'suspended');
  }

  end(state: 'lost' | 'released' | 'idle'): void {
    this.offSession?.();
    this.offSession = undefined;
    this.set(state);
  }

  private set(state: HoldState): void {
    if (state === this.current) return;
    this.current = state;
    for (const l of [...this.listeners]) l(state);
  }
}
