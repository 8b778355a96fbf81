// Service registration and discovery on ephemeral nodes:
// `<base>/<service>/<instanceId>` holds the instance's JSON description and
// lives as long as the registering session.
//
// Guarantees:
// - A registered instance is listed until it unregisters or its session ends
//   (then ZooKeeper deletes it: a crashed instance disappears by itself,
//   after its session timeout).
// - Registering twice on the same session is idempotent (a retried create
//   that finds its own node counts as done); an id already registered by
//   another live session is refused with NODEEXISTS.
// - `watch` calls its listener with the full instance list after every change
//   the server reports (child watch, re-armed by each read), in the order of
//   the reads, and again after every reconnection (so a read that failed
//   while the ensemble had no quorum is made good once it has one).
//
// Does NOT guarantee:
// - That a listed instance is alive: between a crash and its session's expiry
//   it is still listed; clients must tolerate stale entries.
// - Re-registration after the session expires: register again on a new client.
import { Code } from '../../server/wire/index.ts';
import type { ZooKeeperClient } from '../index.ts';
import type { WatchedEvent } from '../watch-registry.ts';
import { RecipeError } from './errors.ts';
import { ensurePath, hasCode, joinPath, retrying, sessionIsOver } from './support.ts';

const RECIPE = 'ServiceRegistry';

export interface ServiceInstance {
  id: string;
  address: string;
  port: number;
  payload?: unknown;
}

const decoder = new TextDecoder();

export class ServiceRegistry {
  constructor(private readonly zk: ZooKeeperClient, readonly basePath: string) {}

  private instancePath(service: string, id: string): string {
    if (service.includes('/') || id.includes('/') || service === '' || id === '') {
      throw new RecipeError('ILLEGAL_STATE', RECIPE, `bad service name or id: ${service}/${id}`);
    }
    return joinPath(joinPath(this.basePath, service), id);
  }

  /** Registers `instance` under `service` for the life of this session. */
  async register(service: string, instance: ServiceInstance): Promise<void> {
    const { zk } = this;
    const path = this.instancePath(service, instance.id);
    await ensurePath(zk, RECIPE, joinPath(this.basePath, service));
    await retrying(zk, RECIPE, async () => {
      try {
        await zk.create(path, JSON.stringify(instance), { mode: 'EPHEMERAL' });
      } catch (e) {
        if (!hasCode(e, Code.NODEEXISTS)) throw e;
        const { stat } = await zk.exists(path);
        if (stat === null || BigInt(stat.ephemeralOwner) !== zk.info.sessionId) throw e;
      }
    });
  }

  /** Removes the registration (nothing to do if it is already gone). */
  async unregister(service: string, id: string): Promise<void> {
    const path = this.instancePath(service, id);
    if (sessionIsOver(this.zk)) return;
    await retrying(this.zk, RECIPE, async () => {
      try {
        await this.zk.delete(path);
      } catch (e) {
        if (!hasCode(e, Code.NONODE)) throw e;
      }
    });
  }

  /** The instances registered under `service` now (sorted by id). */
  async instances(service: string, watch?: (e: WatchedEvent) => void): Promise<ServiceInstance[]> {
    const { zk } = this;
    const servicePath = joinPath(this.basePath, service);
    let children: string[];
    try {
      children = (await retrying(zk, RECIPE, () => zk.getChildren(servicePath, watch ? { watch } : {}))).children;
    } catch (e) {
      if (!hasCode(e, Code.NONODE)) throw e;
      if (watch) await retrying(zk, RECIPE, () => zk.exists(servicePath, { watch }));
      return [];
    }
    const found = await Promise.all(children.sort().map((id) => this.readInstance(joinPath(servicePath, id))));
    return found.filter((i): i is ServiceInstance => i !== null);
  }

  private async readInstance(path: string): Promise<ServiceInstance | null> {
    try {
      const { data } = await retrying(this.zk, RECIPE, () => this.zk.getData(path));
      return JSON.parse(decoder.decode(data)) as ServiceInstance;
    } catch (e) {
      if (hasCode(e, Code.NONODE)) return null;
      throw e;
    }
  }

  /**
   * Calls `listener` with the instance list now and after every change; returns a stop function.
   * Reads are chained so their results reach the listener in order, and the list is read again after
   * every reconnection: a read that failed (retries exhausted while the ensemble had no quorum) or a
   * watch lost with its connection never leaves the listener stuck on an old list.
   */
  watch(service: string, listener: (instances: ServiceInstance[]) => void): () => void {
    let stopped = false;
    let reading: Promise<void> = Promise.resolve();
    const done = (): boolean => stopped || sessionIsOver(this.zk);
    const read = (): void => {
      reading = reading.then(async () => {
        if (done()) return;
        const list = await this.instances(service, (e) => { if (e.type !== 'None') read(); });
        if (!done()) listener(list);
      }).catch(() => {});
    };
    const offSession = this.zk.onSessionEvent((e) => { if (e.state === 'SyncConnected') read(); });
    read();
    return () => { stopped = true; offSession(); };
  }
}
