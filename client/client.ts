// ZooKeeperClient: the promise API over one Session. Every operation resolves
// with its result and the reply's zxid, or rejects with a ZooKeeperError that
// says whether the outcome is definite (see errors.ts). Watches are callbacks
// (pass `watch`), or async iterators through WatchChannel (watch-channel.ts).
import { Code } from '../server/wire/index.ts';
import { parseConnectString } from './connect-string.ts';
import { ZooKeeperError } from './errors.ts';
import { multiOp, multiReadOp, type MultiOpInput, type MultiReadInput, type MultiReadResultSet,
  type MultiResultSet } from './multi.ts';
import { toBytes, type DataInput, type OpSpecLike } from './op-spec.ts';
import * as ops from './operations.ts';
import { DEFAULT_SESSION_OPTIONS, Session, type SessionDeps, type SessionEvent, type SessionOptions,
  type SessionState } from './session.ts';
import type { Endpoint } from './types.ts';
import type { WatchedEvent, Watcher, WatcherTypeName } from './watch-registry.ts';

export type ClientOptions = Partial<Omit<SessionOptions, 'endpoints' | 'chroot'>> & {
  /** Credentials sent after every handshake (addAuthInfo), e.g. { scheme: 'digest', auth: 'user:pw' }. */
  authInfo?: { scheme: string; auth: Uint8Array | string }[];
  /** Time close() waits for the closeSession reply. Default: the session's readTimeout. */
  closeTimeoutMs?: number;
};

export interface WatchOption { watch?: Watcher }

export interface SessionInfo {
  state: SessionState;
  sessionId: bigint;
  sessionPasswd: Uint8Array;
  negotiatedTimeoutMs: number;
  lastZxidSeen: number;
  endpoint: Endpoint | null;
}

export class ZooKeeperClient {
  readonly chroot: string;
  private readonly session: Session;

  constructor(connectString: string, private readonly deps: SessionDeps, private readonly options: ClientOptions = {}) {
    const parsed = parseConnectString(connectString);
    this.chroot = parsed.chroot;
    this.session = new Session(deps, { ...DEFAULT_SESSION_OPTIONS, ...options, ...parsed });
    for (const a of options.authInfo ?? []) void this.session.addAuthInfo(a.scheme, toBytes(a.auth)!);
    this.session.start();
  }

  get state(): SessionState {
    return this.session.state;
  }

  get info(): SessionInfo {
    const s = this.session;
    return { state: s.state, sessionId: s.sessionId, sessionPasswd: s.sessionPasswd,
      negotiatedTimeoutMs: s.negotiatedTimeoutMs, lastZxidSeen: s.lastZxidSeen, endpoint: s.endpoint };
  }

  /** Session state changes: SyncConnected, ConnectedReadOnly, Disconnected, Expired, AuthFailed, Closed. */
  onSessionEvent(listener: (e: SessionEvent) => void): () => void {
    return this.session.onEvent(listener);
  }

  /**
   * Resolves once connected (immediately if already); rejects if the session ends
   * (EXPIRED, AUTH_FAILED, CLOSED) first, or with CONNECTIONLOSS after `timeoutMs` (on the injected clock).
   */
  waitConnected(timeoutMs?: number): Promise<void> {
    if (this.session.isConnected) return Promise.resolve();
    if (this.session.isTerminal) return Promise.reject(this.terminalError('connect'));
    return new Promise((resolve, reject) => {
      let timer: unknown;
      const settle = (error?: ZooKeeperError) => {
        off();
        if (timer !== undefined) this.deps.clock.clearTimer(timer);
        if (error) reject(error);
        else resolve();
      };
      const off = this.session.onEvent((e) => {
        if (e.state === 'SyncConnected' || e.state === 'ConnectedReadOnly') settle();
        if (e.state === 'Expired' || e.state === 'AuthFailed' || e.state === 'Closed') settle(this.terminalError('connect'));
      });
      if (timeoutMs !== undefined) {
        timer = this.deps.clock.setTimer(timeoutMs, () => settle(new ZooKeeperError(Code.CONNECTIONLOSS, 'client',
          undefined, false, `not connected within ${timeoutMs} ms`)));
      }
    });
  }

  private terminalError(what: string): ZooKeeperError {
    const code = this.state === 'EXPIRED' ? Code.SESSIONEXPIRED : this.state === 'AUTH_FAILED' ? Code.AUTHFAILED
      : Code.CONNECTIONLOSS;
    return new ZooKeeperError(code, 'client', undefined, false, `${what}: client is ${this.state}`);
  }

  // ---- operations (each resolves with the reply zxid among its fields)

  create(path: string, data?: DataInput, opts?: ops.CreateOptions): Promise<ops.CreateResult> {
    return this.run(() => ops.createOp(this.chroot, path, data, opts));
  }

  delete(path: string, version = -1): Promise<ops.ZxidResult> {
    return this.run(() => ops.deleteOp(this.chroot, path, version));
  }

  exists(path: string, opts: WatchOption = {}): Promise<ops.ExistsResult> {
    return this.run(() => ops.existsOp(this.chroot, path, opts.watch));
  }

  getData(path: string, opts: WatchOption = {}): Promise<ops.DataResult> {
    return this.run(() => ops.getDataOp(this.chroot, path, opts.watch));
  }

  setData(path: string, data: DataInput, version = -1): Promise<ops.StatResult> {
    return this.run(() => ops.setDataOp(this.chroot, path, data, version));
  }

  getChildren(path: string, opts: WatchOption = {}): Promise<ops.ChildrenResult> {
    return this.run(() => ops.getChildrenOp(this.chroot, path, opts.watch));
  }

  getChildren2(path: string, opts: WatchOption = {}): Promise<ops.Children2Result> {
    return this.run(() => ops.getChildren2Op(this.chroot, path, opts.watch));
  }

  getACL(path: string): Promise<ops.AclResult> {
    return this.run(() => ops.getACLOp(this.chroot, path));
  }

  setACL(path: string, acl: readonly ops.ACL[], version = -1): Promise<ops.StatResult> {
    return this.run(() => ops.setACLOp(this.chroot, path, acl, version));
  }

  multi(inputs: readonly MultiOpInput[]): Promise<MultiResultSet> {
    return this.run(() => multiOp(this.chroot, inputs));
  }

  multiRead(inputs: readonly MultiReadInput[]): Promise<MultiReadResultSet> {
    return this.run(() => multiReadOp(this.chroot, inputs));
  }

  sync(path = '/'): Promise<ops.PathResult> {
    return this.run(() => ops.syncOp(this.chroot, path));
  }

  addWatch(path: string, mode: ops.AddWatchModeName, watcher: Watcher): Promise<ops.ZxidResult> {
    return this.run(() => ops.addWatchOp(this.chroot, path, mode, watcher));
  }

  getEphemerals(prefixPath = '/'): Promise<ops.ListResult> {
    return this.run(() => ops.getEphemeralsOp(this.chroot, prefixPath));
  }

  getAllChildrenNumber(path: string): Promise<ops.CountResult> {
    return this.run(() => ops.getAllChildrenNumberOp(this.chroot, path));
  }

  whoAmI(): Promise<ops.WhoAmIResult> {
    return this.run(() => ops.whoAmIOp());
  }

  /**
   * Removes `watcher` (or every watcher when omitted) of `type` on `path`: checkWatches or
   * removeWatches on the server, then locally, delivering *WatchRemoved events. NOWATCHER
   * (definite, unsent) if there is none here. `local: true` removes locally without asking the server.
   */
  removeWatches(path: string, type: WatcherTypeName, watcher?: Watcher, opts: { local?: boolean } = {}):
    Promise<ops.ZxidResult> {
    return this.run((): OpSpecLike<ops.ZxidResult> => {
      const spec = ops.removeWatchesOp(this.chroot, path, type, watcher !== undefined);
      if (!this.session.watches.contains(path, type, watcher)) {
        throw new ZooKeeperError(Code.NOWATCHER, spec.name, path, false, `no ${type} watcher here`);
      }
      if (opts.local) {
        this.removeLocally(path, type, watcher);
        return { localResult: { zxid: this.session.lastZxidSeen } };
      }
      return { ...spec, apply: (err: number) => { if (err === Code.OK) this.removeLocally(path, type, watcher); } };
    });
  }

  private removeLocally(path: string, type: WatcherTypeName, watcher?: Watcher): void {
    for (const removed of this.session.watches.remove(path, type, watcher)) {
      const event: WatchedEvent = { type: removed.event, state: 'SyncConnected', path, zxid: -1 };
      this.session.deliver([removed.watcher], event);
    }
  }

  /** Adds credentials now and after every reconnect (e.g. 'digest', 'user:password'). */
  addAuthInfo(scheme: string, auth: Uint8Array | string): Promise<void> {
    return this.session.addAuthInfo(scheme, toBytes(auth)!);
  }

  /**
   * Closes the session (closeSession, so its ephemerals go at once) and the connection.
   * Resolves true only when the server acknowledged the closeSession.
   */
  close(): Promise<boolean> {
    return this.session.close(this.options.closeTimeoutMs ?? this.session.readTimeoutMs);
  }

  /** Gives the session up: closes the connection without closeSession and never reconnects; the servers expire it. */
  abandon(): void {
    this.session.abandon();
  }

  /** Drops the TCP connection but keeps the session: the client reconnects (fault injection, tests). */
  dropConnection(reason?: string): void {
    this.session.dropConnection(reason);
  }

  /** Builds the operation (a bad argument rejects, unsent) and submits it. */
  private run<T>(build: () => OpSpecLike<T>): Promise<T> {
    let spec: OpSpecLike<T>;
    try {
      spec = build();
    } catch (e) {
      return Promise.reject(e);
    }
    if ('localResult' in spec) return Promise.resolve(spec.localResult);
    return this.session.submit(spec);
  }
}
