// ServiceRegistry.watch against a scripted client: the listener is never left
// on an old list, neither after a read that failed for good nor when reads
// complete out of order.
import { describe, expect, it } from 'vitest';
import { Code } from '../../server/wire/index.ts';
import type { ZooKeeperClient } from '../index.ts';
import { ZooKeeperError } from '../errors.ts';
import type { SessionEvent } from '../session.ts';
import { ServiceRegistry, type ServiceInstance } from './service-registry.ts';
import { MAX_RETRIES } from './support.ts';

const encoder = new TextEncoder();
const instance = (id: string): ServiceInstance => ({ id, address: '127.0.0.1', port: 1 });

/** Children of /s/api come from `children()`; each getChildren may be made to fail or to wait. */
function scriptedClient(children: () => string[]) {
  const sessionListeners: ((e: SessionEvent) => void)[] = [];
  const state = { failuresLeft: 0, gate: null as Promise<void> | null, calls: 0 };
  const zk = {
    state: 'CONNECTED',
    info: { sessionId: 1n },
    onSessionEvent(l: (e: SessionEvent) => void) {
      sessionListeners.push(l);
      return () => { sessionListeners.splice(sessionListeners.indexOf(l), 1); };
    },
    async getChildren() {
      state.calls++;
      const now = [...children()];
      if (state.failuresLeft > 0) {
        state.failuresLeft--;
        throw new ZooKeeperError(Code.CONNECTIONLOSS, 'getChildren', '/s/api', false, 'scripted');
      }
      const gate = state.gate;
      if (gate) await gate;
      return { children: now };
    },
    async getData(path: string) {
      return { data: encoder.encode(JSON.stringify(instance(path.split('/').pop()!))) };
    },
  };
  const reconnect = () => {
    for (const l of [...sessionListeners]) l({ state: 'SyncConnected', sessionId: 1n, endpoint: null, reason: '' });
  };
  return { zk: zk as unknown as ZooKeeperClient, state, reconnect, listeners: sessionListeners };
}

const settle = () => new Promise<void>((r) => setTimeout(r, 0));

describe('ServiceRegistry.watch', () => {
  it('reads again after a reconnection when a read failed for good', async () => {
    let now = ['a'];
    const c = scriptedClient(() => now);
    c.state.failuresLeft = MAX_RETRIES + 1; // retrying gives up: the first read fails for good
    const seen: string[] = [];
    const stop = new ServiceRegistry(c.zk, '/s').watch('api', (l) => seen.push(l.map((i) => i.id).join()));
    await settle();
    expect(seen).toEqual([]);
    now = ['a', 'b'];
    c.reconnect();
    await settle();
    expect(seen).toEqual(['a,b']);
    stop();
    expect(c.listeners).toHaveLength(0);
  });

  it('hands the listener the lists in the order the reads were made', async () => {
    let now = ['a'];
    const c = scriptedClient(() => now);
    let open!: () => void;
    c.state.gate = new Promise<void>((r) => { open = r; }); // the first read is slow to answer
    const seen: string[] = [];
    new ServiceRegistry(c.zk, '/s').watch('api', (l) => seen.push(l.map((i) => i.id).join()));
    await settle(); // the first read has its answer ('a') and waits at the gate
    now = ['a', 'b'];
    c.state.gate = null;
    c.reconnect(); // a second read, answered at once
    await settle();
    open();
    for (let i = 0; i < 5; i++) await settle();
    expect(seen).toEqual(['a', 'a,b']);
  });
});
