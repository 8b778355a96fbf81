import { describe, expect, it } from 'vitest';
import { StandaloneReplicator } from './standalone-replicator.ts';
import { ZooKeeperServer, type Connection, type ServerOptions } from './zk-server.ts';
import { DataTree } from '../tree/data-tree.ts';
import { decodeTxn } from '../tree/txn.ts';
import { JuteReader } from '../wire/jute.ts';
import { decodeConnectResponse } from '../wire/connect.ts';
import { Code } from '../wire/errors.ts';
import { CreateMode, EventType, OpCode } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';
import type { Request } from '../wire/requests.ts';
import { readMultiResults } from '../wire/responses.ts';
import { OPEN_ACL_UNSAFE } from '../tree/acl.ts';

const options: ServerOptions = { tickTimeMs: 2000, minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000,
  extendedTypesEnabled: true, superDigest: null, containerCheckIntervalMs: 1000, serverId: 1 };

let durable: () => void = () => {};

interface Harness {
  zk: ZooKeeperServer;
  clock: { t: number };
  logged: Uint8Array[];
  connect(timeOut?: number): TestConn;
}

interface TestConn extends Connection {
  frames: Uint8Array[];
  closed: string | null;
  sessionId: bigint;
  send(body: Uint8Array): void;
}

function setup(): Harness {
  const clock = { t: 1_700_000_000_000 };
  const logged: Uint8Array[] = [];
  const rep = new StandaloneReplicator(0, { append: (_z: number, b: Uint8Array) => logged.push(b) });
  const zk = new ZooKeeperServer(new DataTree(true), rep, { nowMs: () => clock.t }, options);
  rep.bind((txn) => zk.applyCommitted(txn));
  durable = () => rep.onDurable(Number.MAX_SAFE_INTEGER);
  let nextId = 1;
  return {
    zk, clock, logged,
    connect(timeOut = 10000) {
      const c: TestConn = { id: nextId++, remoteAddress: '127.0.0.1', frames: [], closed: null, sessionId: 0n,
        send(b) { c.frames.push(b); }, close(r) { c.closed = r; } };
      zk.onConnect(c, { protocolVersion: 0, lastZxidSeen: 0, timeOut, sessionId: 0n, passwd: new Uint8Array(16),
        readOnly: false, hasReadOnlyField: true });
      durable();
      c.sessionId = decodeConnectResponse(c.frames.shift()!).sessionId;
      return c;
    },
  };
}

function reply(frame: Uint8Array) {
  const r = new JuteReader(frame);
  return { header: R.ReplyHeader.read(r), r };
}

const create = (path: string, flags: number = CreateMode.PERSISTENT, data = 'v'): Request => ({
  op: 'create', opcode: OpCode.create2,
  body: { path, data: new TextEncoder().encode(data), acl: OPEN_ACL_UNSAFE, flags, ttl: -1 },
});

describe('ZooKeeperServer (standalone pipeline)', () => {
  it('holds a write reply until its txn is durable', () => {
    const h = setup();
    const c = h.connect();
    h.zk.onRequest(c, 1, create('/a'));
    expect(c.frames).toHaveLength(0);
    durable();
    const { header, r } = reply(c.frames[0]!);
    expect(header).toMatchObject({ xid: 1, err: 0 });
    expect(R.Create2Response.read(r).path).toBe('/a');
  });

  it('never lets another session read a write before it is durable', () => {
    const h = setup();
    const writer = h.connect();
    const reader = h.connect();
    h.zk.onRequest(writer, 1, create('/a'));
    h.zk.onRequest(reader, 1, { op: 'getData', opcode: OpCode.getData, body: { path: '/a', watch: false } });
    expect(reply(reader.frames[0]!).header.err).toBe(Code.NONODE);
    durable();
    h.zk.onRequest(reader, 2, { op: 'getData', opcode: OpCode.getData, body: { path: '/a', watch: false } });
    expect(reply(reader.frames[1]!).header.err).toBe(0);
  });

  it('answers a session\'s read only after its own earlier write (FIFO)', () => {
    const h = setup();
    const c = h.connect();
    h.zk.onRequest(c, 1, create('/f'));
    h.zk.onRequest(c, 2, { op: 'getData', opcode: OpCode.getData, body: { path: '/f', watch: false } });
    expect(c.frames).toHaveLength(0);
    durable();
    expect(c.frames.map((f) => reply(f).header)).toMatchObject([{ xid: 1, err: 0 }, { xid: 2, err: 0 }]);
  });

  it('matches replies to writes in order even when a client reuses an xid', () => {
    const h = setup();
    const c = h.connect();
    h.zk.onRequest(c, 5, create('/x1'));
    h.zk.onRequest(c, 5, create('/x2'));
    durable();
    expect(c.frames.map((f) => R.Create2Response.read(reply(f).r).path)).toEqual(['/x1', '/x2']);
  });

  it('delivers a watch event before the reply of a later request that sees the change', () => {
    const h = setup();
    const c = h.connect();
    h.zk.onRequest(c, 1, create('/w'));
    h.zk.onRequest(c, 2, { op: 'getData', opcode: OpCode.getData, body: { path: '/w', watch: true } });
    h.zk.onRequest(c, 3, { op: 'setData', opcode: OpCode.setData, body: { path: '/w', data: null, version: -1 } });
    durable();
    const xids = c.frames.map((f) => reply(f).header.xid);
    expect(xids).toEqual([1, 2, -1, 3]);
    const ev = R.WatcherEvent.read(reply(c.frames[2]!).r);
    expect(ev).toMatchObject({ type: EventType.NodeDataChanged, path: '/w' });
  });

  it('names sequential nodes from the parent cversion and counts deletes in the visible cversion', () => {
    const h = setup();
    const c = h.connect();
    h.zk.onRequest(c, 1, create('/p'));
    h.zk.onRequest(c, 2, create('/p/s-', CreateMode.PERSISTENT_SEQUENTIAL));
    h.zk.onRequest(c, 3, create('/p/s-', CreateMode.PERSISTENT_SEQUENTIAL));
    h.zk.onRequest(c, 4, { op: 'delete', opcode: OpCode.delete, body: { path: '/p/s-0000000000', version: -1 } });
    h.zk.onRequest(c, 5, create('/p/s-', CreateMode.PERSISTENT_SEQUENTIAL));
    durable();
    const paths = [1, 2, 4].map((i) => R.Create2Response.read(reply(c.frames[i]!).r).path);
    expect(paths).toEqual(['/p/s-0000000000', '/p/s-0000000001', '/p/s-0000000002']);
    const parent = h.zk.tree.statOf(h.zk.tree.getNode('/p')!);
    expect(parent).toMatchObject({ cversion: 4, numChildren: 2 });
  });

  it('fails a multi atomically with ZooKeeper\'s per-op error layout, consuming one zxid', () => {
    const h = setup();
    const c = h.connect();
    const before = h.zk.lastZxid;
    h.zk.onRequest(c, 1, { op: 'multi', opcode: OpCode.multi, body: [
      { op: 'create', opcode: OpCode.create, body: { path: '/m', data: null, acl: OPEN_ACL_UNSAFE, flags: 0, ttl: -1 } },
      { op: 'delete', opcode: OpCode.delete, body: { path: '/nope', version: -1 } },
      { op: 'check', opcode: OpCode.check, body: { path: '/m', version: 0 } },
    ] });
    durable();
    const { header, r } = reply(c.frames[0]!);
    expect(header.err).toBe(0);
    expect(readMultiResults(r).map((x) => (x.type === -1 ? x.err : 'ok'))).toEqual([0, Code.NONODE, Code.RUNTIMEINCONSISTENCY]);
    expect(h.zk.tree.getNode('/m')).toBeUndefined();
    expect(h.zk.lastZxid).toBe(before + 1);
  });

  it('logs a refused write as an ErrorTxn', () => {
    const h = setup();
    const c = h.connect();
    h.zk.onRequest(c, 1, { op: 'delete', opcode: OpCode.delete, body: { path: '/missing', version: -1 } });
    durable();
    expect(reply(c.frames[0]!).header.err).toBe(Code.NONODE);
    const last = decodeTxn(h.logged[h.logged.length - 1]!);
    expect(last.body).toEqual({ type: OpCode.error, rec: { err: Code.NONODE } });
  });

  it('expires a silent session: ephemerals deleted, watchers told, connection closed', () => {
    const h = setup();
    const owner = h.connect(4000);
    const watcher = h.connect(40000);
    h.zk.onRequest(owner, 1, create('/e', CreateMode.EPHEMERAL));
    durable();
    h.zk.onRequest(watcher, 1, { op: 'exists', opcode: OpCode.exists, body: { path: '/e', watch: true } });
    durable();
    watcher.frames.length = 0;
    h.clock.t += 7000;
    h.zk.onRequest(watcher, 2, { op: 'ping', opcode: OpCode.ping, body: null });
    h.zk.onTick();
    durable();
    expect(h.zk.tree.getNode('/e')).toBeUndefined();
    expect(owner.closed).toBe('session expired');
    const events = watcher.frames.map((f) => reply(f)).filter((x) => x.header.xid === -1);
    expect(R.WatcherEvent.read(events[0]!.r)).toMatchObject({ type: EventType.NodeDeleted, path: '/e' });
  });

  /** A server on a wall clock and a monotonic clock that the test moves apart, with one connection. */
  function twoClockServer() {
    const clock = { wall: 1_700_000_000_000, elapsed: 5_000 };
    const rep = new StandaloneReplicator(0, { append: () => {} });
    const zk = new ZooKeeperServer(new DataTree(true), rep, { nowMs: () => clock.wall, elapsedMs: () => clock.elapsed }, options);
    rep.bind((txn) => zk.applyCommitted(txn));
    const c: TestConn = { id: 1, remoteAddress: '127.0.0.1', frames: [], closed: null, sessionId: 0n,
      send(b) { c.frames.push(b); }, close(r) { c.closed = r; } };
    return { clock, rep, zk, c };
  }

  it('times sessions on the monotonic clock: a wall-clock jump expires nothing (found by the clock-skew scenario)', () => {
    const { clock, rep, zk, c } = twoClockServer();
    zk.onConnect(c, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 4000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false, hasReadOnlyField: true });
    rep.onDurable(Number.MAX_SAFE_INTEGER);
    clock.wall += 3_600_000;
    zk.onTick();
    rep.onDurable(Number.MAX_SAFE_INTEGER);
    expect(c.closed).toBeNull();
    clock.elapsed += 7000;
    zk.onTick();
    rep.onDurable(Number.MAX_SAFE_INTEGER);
    expect(c.closed).toBe('session expired');
  });

  it('checks TTL nodes on the monotonic clock: a wall clock stepped back after running ahead does not stop expiry (found by the clock-skew scenario)', () => {
    const { clock, rep, zk, c } = twoClockServer();
    zk.onConnect(c, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 30000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false, hasReadOnlyField: true });
    const tick = (ms: number) => { clock.wall += ms; clock.elapsed += ms; zk.onRequest(c, 0, { op: 'ping', opcode: OpCode.ping, body: null }); zk.onTick(); rep.onDurable(Number.MAX_SAFE_INTEGER); };
    clock.wall += 60_000; // the clock runs 60 s ahead while the server ticks
    tick(1500);
    clock.wall -= 60_000; // and is stepped back
    zk.onRequest(c, 1, { op: 'create', opcode: OpCode.createTTL, body: { path: '/t', data: null, acl: OPEN_ACL_UNSAFE, flags: 5, ttl: 1000 } });
    rep.onDurable(Number.MAX_SAFE_INTEGER);
    expect(zk.tree.getNode('/t')).toBeDefined();
    for (let i = 0; i < 4; i++) tick(1000);
    expect(zk.tree.getNode('/t')).toBeUndefined();
  });

  it('refuses a reconnect with a wrong password with a zero timeout and closes', () => {
    const h = setup();
    const c = h.connect();
    const again: TestConn = { ...c, id: 99, frames: [], closed: null, send(b) { again.frames.push(b); }, close(r) { again.closed = r; } };
    h.zk.onConnect(again, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 10000, sessionId: c.sessionId,
      passwd: new Uint8Array(16).fill(7), readOnly: false, hasReadOnlyField: true });
    expect(decodeConnectResponse(again.frames[0]!).timeOut).toBe(0);
    expect(again.closed).not.toBeNull();
  });

  it('closes a client that has seen a newer zxid than the server', () => {
    const h = setup();
    const c: TestConn = { id: 5, remoteAddress: '127.0.0.1', frames: [], closed: null, sessionId: 0n,
      send(b) { c.frames.push(b); }, close(r) { c.closed = r; } };
    h.zk.onConnect(c, { protocolVersion: 0, lastZxidSeen: 1000, timeOut: 10000, sessionId: 0n,
      passwd: new Uint8Array(16), readOnly: false, hasReadOnlyField: true });
    expect(c.frames).toHaveLength(0);
    expect(c.closed).toBe('client zxid ahead');
  });
});
