// Shared helpers for the client's integration tests: one server per target per
// file, clients that are closed after each test, bounded waits.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createClient, type ClientOptions, type ZooKeeperClient } from '../index.ts';
import { nodeTransport } from '../node-transport.ts';
import type { Connection, ConnectionHandlers, Endpoint, Transport } from '../types.ts';
import { startTarget, type Target, type TargetName, type TargetOptions } from '../../test/support/targets.ts';

let counter = 0;
/** A fresh path per call, unique across the files sharing one server. */
export function uniquePath(prefix = 'c'): string {
  return `/${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function eventually(probe: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(50);
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

/** A transport that can refuse new connections, to keep a client away from the server. */
export class GateTransport implements Transport {
  blocked = false;

  connect(endpoint: Endpoint, handlers: ConnectionHandlers): Connection {
    if (!this.blocked) return nodeTransport.connect(endpoint, handlers);
    let closed = false;
    queueMicrotask(() => { if (!closed) { closed = true; handlers.onClose('blocked by test'); } });
    return { send: () => {}, close: () => { if (!closed) { closed = true; handlers.onClose('closed'); } } };
  }
}

export interface ClientFixture {
  target(): Target;
  /** A connected client on the target (or `connectString` suffix such as a chroot), closed after the test. */
  client(opts?: ClientOptions & { chroot?: string; transport?: Transport }): Promise<ZooKeeperClient>;
}

export function useClientTarget(name: TargetName, opts: TargetOptions = {}): ClientFixture {
  let target: Target | undefined;
  const open: ZooKeeperClient[] = [];
  beforeAll(async () => { target = await startTarget(name, opts); }, 60_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => withTimeout(c.close(), 5000, 'close').catch(() => {})));
  });
  afterAll(async () => { await target?.stop(); }, 30_000);
  const fixture: ClientFixture = {
    target: () => {
      if (!target) throw new Error('target not started');
      return target;
    },
    async client(o = {}) {
      const { chroot, transport, ...options } = o;
      const zk = createClient(`${fixture.target().connectString}${chroot ?? ''}`,
        { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000, ...options }, transport ? { transport } : {});
      open.push(zk);
      await withTimeout(zk.waitConnected(), 10_000, 'connect');
      return zk;
    },
  };
  return fixture;
}
