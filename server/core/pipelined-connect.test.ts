// Requests pipelined behind a ConnectRequest (sent in the same TCP write, so
// they reach the pipeline before the session exists) are kept and answered, in
// order, after the ConnectResponse; a bounded number of them (issue 13, item 3).
import { describe, expect, it } from 'vitest';
import { StandaloneReplicator } from './standalone-replicator.ts';
import { MAX_REQUESTS_BEFORE_SESSION, ZooKeeperServer, type Connection, type ServerOptions } from './zk-server.ts';
import { DataTree } from '../tree/data-tree.ts';
import { OPEN_ACL_UNSAFE } from '../tree/acl.ts';
import { JuteReader } from '../wire/jute.ts';
import { decodeConnectResponse, type ConnectRequest } from '../wire/connect.ts';
import { OpCode } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';
import type { Request } from '../wire/requests.ts';

const options: ServerOptions = { tickTimeMs: 2000, minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000,
  extendedTypesEnabled: true, superDigest: null, containerCheckIntervalMs: 1000, serverId: 1 };

interface TestConn extends Connection {
  frames: Uint8Array[];
  closedWith: string | null;
}

function setup() {
  const rep = new StandaloneReplicator(0, { append: () => {} });
  const zk = new ZooKeeperServer(new DataTree(true), rep, { nowMs: () => 1_700_000_000_000 }, options);
  rep.bind((txn) => zk.applyCommitted(txn));
  const conn: TestConn = { id: 1, remoteAddress: '127.0.0.1', frames: [], closedWith: null,
    send(b) { conn.frames.push(b); }, close(r) { conn.closedWith = r; } };
  return { zk, conn, durable: () => rep.onDurable(Number.MAX_SAFE_INTEGER) };
}

const connectRequest = (sessionId = 0n, passwd: Uint8Array = new Uint8Array(16)): ConnectRequest => ({
  protocolVersion: 0, lastZxidSeen: 0, timeOut: 10000, sessionId, passwd, readOnly: false, hasReadOnlyField: true });

const create = (path: string): Request => ({ op: 'create', opcode: OpCode.create,
  body: { path, data: new TextEncoder().encode('v'), acl: OPEN_ACL_UNSAFE, flags: 0, ttl: -1 } });

function header(frame: Uint8Array) {
  return R.ReplyHeader.read(new JuteReader(frame));
}

describe('requests pipelined behind the ConnectRequest', () => {
  it('are answered after the ConnectResponse, in order, each with its xid', () => {
    const { zk, conn, durable } = setup();
    zk.onConnect(conn, connectRequest());
    for (let i = 1; i <= 10; i++) zk.onRequest(conn, i, create(`/p${i}`));
    expect(conn.frames).toHaveLength(0); // nothing before the createSession txn is durable
    durable(); // the session, then (once proposed) the creates
    durable();
    expect(conn.closedWith).toBeNull();
    expect(decodeConnectResponse(conn.frames[0]!).sessionId).not.toBe(0n);
    const replies = conn.frames.slice(1).map(header);
    expect(replies.map((h) => h.xid)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(replies.every((h) => h.err === 0)).toBe(true);
    expect(zk.tree.getNode('/p10')).toBeDefined();
  });

  it('run after a reconnect too (the session is re-established at once)', () => {
    const { zk, conn, durable } = setup();
    zk.onConnect(conn, connectRequest());
    durable();
    const first = decodeConnectResponse(conn.frames[0]!);
    const again: TestConn = { ...conn, id: 2, frames: [], closedWith: null,
      send(b) { again.frames.push(b); }, close(r) { again.closedWith = r; } };
    // Same order as on the wire: the ConnectRequest, then a read it carried.
    zk.onConnect(again, connectRequest(first.sessionId, first.passwd));
    zk.onRequest(again, 7, { op: 'exists', opcode: OpCode.exists, body: { path: '/', watch: false } });
    expect(again.frames).toHaveLength(2);
    expect(header(again.frames[1]!)).toMatchObject({ xid: 7, err: 0 });
  });

  it('are dropped with the connection when the session is refused', () => {
    const { zk, conn } = setup();
    zk.onConnect(conn, connectRequest(0x1234n, new Uint8Array(16).fill(9)));
    zk.onRequest(conn, 1, create('/never'));
    expect(conn.closedWith).not.toBeNull();
    expect(zk.tree.getNode('/never')).toBeUndefined();
  });

  it(`close the connection beyond ${MAX_REQUESTS_BEFORE_SESSION} waiting`, () => {
    const { zk, conn, durable } = setup();
    zk.onConnect(conn, connectRequest());
    for (let i = 1; i <= MAX_REQUESTS_BEFORE_SESSION; i++) zk.onRequest(conn, i, create(`/q${i}`));
    expect(conn.closedWith).toBeNull();
    zk.onRequest(conn, MAX_REQUESTS_BEFORE_SESSION + 1, create('/over'));
    expect(conn.closedWith).toMatch(/before the session was established/);
    durable();
    durable();
    expect(zk.tree.getNode('/q1')).toBeUndefined();
  });
});
