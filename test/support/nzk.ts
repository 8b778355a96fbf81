// node-zookeeper-client (pure JS, npm) behind a small promise API. Errors
// reject with a ZkError carrying ZooKeeper's numeric code (getCode()).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any */
const lib: any = require('node-zookeeper-client');

export interface NzkId { scheme: string; id: string }
export interface NzkAcl { permission: number; id: NzkId }

export interface NzkStat {
  czxid: bigint; mzxid: bigint; pzxid: bigint; ctime: bigint; mtime: bigint;
  version: number; cversion: number; aversion: number; ephemeralOwner: bigint;
  dataLength: number; numChildren: number;
}

export interface NzkEvent { type: number; name: string; path: string }

export class ZkError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'ZkError';
  }
}

function toBig(v: unknown): bigint {
  if (Buffer.isBuffer(v)) return v.readBigInt64BE(0);
  return BigInt(v as number);
}

export function toStat(s: any): NzkStat {
  return {
    czxid: toBig(s.czxid), mzxid: toBig(s.mzxid), pzxid: toBig(s.pzxid), ctime: toBig(s.ctime),
    mtime: toBig(s.mtime), version: s.version, cversion: s.cversion, aversion: s.aversion,
    ephemeralOwner: toBig(s.ephemeralOwner), dataLength: s.dataLength, numChildren: s.numChildren,
  };
}

function wrapError(err: any): Error {
  if (err && typeof err.getCode === 'function') return new ZkError(err.getCode(), String(err.message ?? err));
  return err instanceof Error ? err : new Error(String(err));
}

function toAcl(a: NzkAcl): any {
  return new lib.ACL(a.permission, new lib.Id(a.id.scheme, a.id.id));
}

function fromAcl(a: any): NzkAcl {
  return { permission: a.permission, id: { scheme: a.id.scheme, id: a.id.id } };
}

export const OPEN_ACL: NzkAcl[] = [{ permission: 31, id: { scheme: 'world', id: 'anyone' } }];

export interface NzkOptions { sessionTimeoutMs?: number; sessionId?: bigint; sessionPassword?: Uint8Array; connectTimeoutMs?: number }

type Watcher = (e: NzkEvent) => void;
const toEvent = (e: any): NzkEvent => ({ type: e.getType(), name: e.getName(), path: e.getPath() });

export class NzkClient {
  /** Client state names in the order the client reported them. */
  readonly states: string[] = [];

  private constructor(private readonly client: any) {
    client.on('state', (s: any) => this.states.push(String(s.name ?? s)));
  }

  static async connect(connectString: string, opts: NzkOptions = {}): Promise<NzkClient> {
    const options: Record<string, unknown> = { sessionTimeout: opts.sessionTimeoutMs ?? 10_000, spinDelay: 100, retries: 0 };
    if (opts.sessionId !== undefined) {
      const id = Buffer.alloc(8);
      id.writeBigInt64BE(opts.sessionId);
      options.sessionId = id;
      options.sessionPassword = Buffer.from(opts.sessionPassword ?? new Uint8Array(16));
    }
    const client = lib.createClient(connectString, options);
    const wrapper = new NzkClient(client);
    await wrapper.waitFor(['connected'], opts.connectTimeoutMs ?? 10_000, () => client.connect());
    return wrapper;
  }

  /** Resolves with the first of `events` the client emits (e.g. 'connected', 'expired', 'disconnected'). */
  waitFor(events: string[], timeoutMs: number, start: () => void = () => undefined): Promise<string> {
    return new Promise((resolve, reject) => {
      const handlers = events.map((name) => [name, () => finish(name)] as const);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (name: string | undefined) => {
        clearTimeout(timer);
        for (const [n, h] of handlers) this.client.removeListener(n, h);
        if (name === undefined) reject(new Error(`none of [${events.join(', ')}] within ${timeoutMs} ms`));
        else resolve(name);
      };
      for (const [n, h] of handlers) this.client.once(n, h);
      start();
    });
  }

  get sessionId(): bigint {
    return (this.client.getSessionId() as Buffer).readBigInt64BE(0);
  }

  get sessionPassword(): Buffer {
    return this.client.getSessionPassword();
  }

  get sessionTimeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  private call<T>(method: string, args: unknown[], pick: (...r: any[]) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method](...args, (err: any, ...rest: any[]) => {
        if (err) reject(wrapError(err)); else resolve(pick(...rest));
      });
    });
  }

  create(path: string, data: Buffer | null = null, mode = 0, acl: NzkAcl[] = OPEN_ACL): Promise<string> {
    return this.call('create', [path, data ?? undefined, acl.map(toAcl), mode], (p: string) => p);
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call('remove', [path, version], () => undefined);
  }

  /** Stat, or null when the node does not exist (the watch is still set then). */
  exists(path: string, watcher?: Watcher): Promise<NzkStat | null> {
    const args: unknown[] = watcher ? [path, (e: any) => watcher(toEvent(e))] : [path];
    return this.call('exists', args, (s: any) => (s ? toStat(s) : null));
  }

  getData(path: string, watcher?: Watcher): Promise<{ data: Buffer | null; stat: NzkStat }> {
    const args: unknown[] = watcher ? [path, (e: any) => watcher(toEvent(e))] : [path];
    return this.call('getData', args, (data: Buffer | null, s: any) => ({ data, stat: toStat(s) }));
  }

  /** (node-zookeeper-client crashes on null data, so null is sent as empty data.) */
  setData(path: string, data: Buffer | null, version = -1): Promise<NzkStat> {
    return this.call('setData', [path, data ?? Buffer.alloc(0), version], (s: any) => toStat(s));
  }

  getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: NzkStat }> {
    const args: unknown[] = watcher ? [path, (e: any) => watcher(toEvent(e))] : [path];
    return this.call('getChildren', args, (children: string[], s: any) => ({ children, stat: toStat(s) }));
  }

  getACL(path: string): Promise<{ acl: NzkAcl[]; stat: NzkStat }> {
    return this.call('getACL', [path], (acl: any[], s: any) => ({ acl: acl.map(fromAcl), stat: toStat(s) }));
  }

  setACL(path: string, acl: NzkAcl[], version = -1): Promise<NzkStat> {
    return this.call('setACL', [path, acl.map(toAcl), version], (s: any) => toStat(s));
  }

  addAuthInfo(scheme: string, auth: string): void {
    this.client.addAuthInfo(scheme, Buffer.from(auth));
  }

  /** multi through the client's Transaction builder. */
  transaction(): NzkTransaction {
    return new NzkTransaction(this.client.transaction());
  }

  /** Closes the session (closeSession) and waits for the client to report it. */
  async close(): Promise<void> {
    if (this.client.getState() === lib.State.EXPIRED) {
      this.client.close();
      return;
    }
    const done = this.waitFor(['disconnected'], 3000).catch(() => undefined);
    this.client.close();
    await done;
  }
}

export interface NzkOpResult { type: number; err?: number; path?: string; stat?: NzkStat }

/**
 * node-zookeeper-client's Transaction turns version 0 into -1 (`version || -1`),
 * so a multi op with version 0 would silently match any version: refuse it here.
 */
function txVersion(version: number): number {
  if (version === 0) throw new Error('node-zookeeper-client transactions cannot express version 0 (it becomes -1)');
  return version;
}

export class NzkTransaction {
  constructor(private readonly tx: any) {}

  create(path: string, data: Buffer | null = null, mode = 0): this {
    this.tx.create(path, data ?? undefined, OPEN_ACL.map(toAcl), mode);
    return this;
  }

  setData(path: string, data: Buffer | null, version = -1): this {
    this.tx.setData(path, data, txVersion(version));
    return this;
  }

  check(path: string, version = -1): this {
    this.tx.check(path, txVersion(version));
    return this;
  }

  remove(path: string, version = -1): this {
    this.tx.remove(path, txVersion(version));
    return this;
  }

  /** Resolves with the per-op results even on failure (`error` is the first failing code, or 0). */
  commit(): Promise<{ error: number; results: NzkOpResult[] }> {
    return new Promise((resolve, reject) => {
      this.tx.commit((err: any, results: any[]) => {
        if (err && !results) { reject(wrapError(err)); return; }
        const error = err ? (wrapError(err) as ZkError).code ?? -1 : 0;
        resolve({ error, results: (results ?? []).map((r) => ({ ...r, stat: r.stat ? toStat(r.stat) : undefined })) });
      });
    });
  }
}

export const NzkCreateMode = { PERSISTENT: 0, EPHEMERAL: 1, PERSISTENT_SEQUENTIAL: 2, EPHEMERAL_SEQUENTIAL: 3 } as const;
export const NzkEventType = { NODE_CREATED: 1, NODE_DELETED: 2, NODE_DATA_CHANGED: 3, NODE_CHILDREN_CHANGED: 4 } as const;
