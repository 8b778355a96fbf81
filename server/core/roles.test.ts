// The pipeline as a learner and as a leader, with a scripted replicator:
// forwarding, REVALIDATE, createSession through the leader, sync release.
import { describe, expect, it } from 'vitest';
import { ZooKeeperServer, type Connection, type ServerOptions } from './zk-server.ts';
import { decodeForwarded, encodeForwarded, type Replicator } from './replicator.ts';
import { DataTree } from '../tree/data-tree.ts';
import { decodeTxn, encodeTxn, type Txn } from '../tree/txn.ts';
import { JuteReader, JuteWriter } from '../wire/jute.ts';
import { decodeConnectResponse } from '../wire/connect.ts';
import { OpCode } from '../wire/opcodes.ts';
import * as R from '../wire/records.ts';
import { encodeRequest, type Request } from '../wire/requests.ts';
import { OPEN_ACL_UNSAFE } from '../tree/acl.ts';
import { generatePassword } from './session-tracker.ts';

const options: ServerOptions = { tickTimeMs: 2000, minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000,
  extendedTypesEnabled: false, superDigest: null, containerCheckIntervalMs: 60000, serverId: 2 };

class ScriptedReplicator implements Replicator {
  forwarded: Uint8Array[] = [];
  proposed: Txn[] = [];
  revalidations: bigint[] = [];
  touches: bigint[] = [];
  private zxid = 0;
  nextZxid() { return this.zxid + 1; }
  propose(txn: Txn) { this.zxid = txn.hdr.zxid; this.proposed.push(txn); }
  forward(data: Uint8Array) { this.forwarded.push(data); }
  touchSession(id: bigint) { this.touches.push(id); }
  revalidate(id: bigint) { this.revalidations.push(id); }
  revalidateReply() {}
}

function conn(id: number) {
  const c = { id, remoteAddress: '127.0.0.1', frames: [] as Uint8Array[], closed: null as string | null,
    send(b: Uint8Array) { c.frames.push(b); }, close(r: string) { c.closed = r; } };
  return c satisfies Connection;
}

const connectReq = (sessionId = 0n, passwd: Uint8Array = new Uint8Array(16)) =>
  ({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 10000, sessionId, passwd, readOnly: false, hasReadOnlyField: true });

const create = (path: string): Request => ({ op: 'create', opcode: OpCode.create,
  body: { path, data: null, acl: OPEN_ACL_UNSAFE, flags: 0, ttl: -1 } });

function reply(frame: Uint8Array) {
  const r = new JuteReader(frame);
  return { header: R.ReplyHeader.read(r), r };
}

describe('the pipeline as a follower', () => {
  function follower() {
    const rep = new ScriptedReplicator();
    const zk = new ZooKeeperServer(new DataTree(false), rep, { nowMs: () => 1_700_000_000_000 }, options, () => {}, 'follower');
    return { zk, rep };
  }

  it('creates a session through the leader and answers the connect when the txn is applied', () => {
    const { zk, rep } = follower();
    const c = conn(1);
    zk.onConnect(c, connectReq());
    expect(c.frames).toHaveLength(0);
    const fwd = decodeForwarded(rep.forwarded[0]!);
    expect(fwd.type).toBe(OpCode.createSession);
    expect(fwd.sessionId >> 56n).toBe(2n);
    zk.applyCommitted({ hdr: { clientId: fwd.sessionId, cxid: 0, zxid: 1, time: 1, type: OpCode.createSession },
      body: { type: OpCode.createSession, rec: { timeOut: 10000 } } });
    expect(decodeConnectResponse(c.frames[0]!).sessionId).toBe(fwd.sessionId);
  });

  it('forwards writes with the client auth ids and replies once the commit is applied; reads wait behind', () => {
    const { zk, rep } = follower();
    const c = conn(1);
    zk.onConnect(c, connectReq());
    const sid = decodeForwarded(rep.forwarded[0]!).sessionId;
    zk.applyCommitted({ hdr: { clientId: sid, cxid: 0, zxid: 1, time: 1, type: OpCode.createSession },
      body: { type: OpCode.createSession, rec: { timeOut: 10000 } } });
    c.frames.length = 0;
    zk.onRequest(c, 1, create('/a'));
    zk.onRequest(c, 2, { op: 'exists', opcode: OpCode.exists, body: { path: '/a', watch: false } });
    const fwd = decodeForwarded(rep.forwarded[1]!);
    expect(fwd).toMatchObject({ sessionId: sid, cxid: 1, type: OpCode.create });
    expect(fwd.authIds).toEqual([{ scheme: 'ip', id: '127.0.0.1' }]);
    expect(c.frames).toHaveLength(0);
    zk.applyCommitted({ hdr: { clientId: sid, cxid: 1, zxid: 2, time: 2, type: OpCode.create },
      body: { type: OpCode.create, rec: { path: '/a', data: null, acl: OPEN_ACL_UNSAFE, ephemeral: false, parentCVersion: 2 } } });
    expect(c.frames.map((f) => reply(f).header)).toMatchObject([{ xid: 1, zxid: 2, err: 0 }, { xid: 2, err: 0 }]);
    expect(rep.touches).toContain(sid);
  });

  it('revalidates a reconnect with the leader', () => {
    const { zk, rep } = follower();
    const sid = 0x0100000000000001n;
    const c = conn(1);
    zk.onConnect(c, connectReq(sid, generatePassword(sid)));
    expect(rep.revalidations).toEqual([sid]);
    zk.revalidateResult(sid, true);
    expect(decodeConnectResponse(c.frames[0]!).sessionId).toBe(sid);
    const d = conn(2);
    zk.onConnect(d, connectReq(sid, generatePassword(sid)));
    zk.revalidateResult(sid, false);
    expect(decodeConnectResponse(d.frames[0]!).timeOut).toBe(0);
    expect(d.closed).not.toBeNull();
  });

  it('releases a sync after the leader\'s SYNC', () => {
    const { zk, rep } = follower();
    const c = conn(1);
    zk.onConnect(c, connectReq());
    const sid = decodeForwarded(rep.forwarded[0]!).sessionId;
    zk.applyCommitted({ hdr: { clientId: sid, cxid: 0, zxid: 1, time: 1, type: OpCode.createSession },
      body: { type: OpCode.createSession, rec: { timeOut: 10000 } } });
    c.frames.length = 0;
    zk.onRequest(c, 1, { op: 'sync', opcode: OpCode.sync, body: { path: '/' } });
    expect(decodeForwarded(rep.forwarded[1]!).type).toBe(OpCode.sync);
    expect(c.frames).toHaveLength(0);
    zk.syncReleased();
    expect(reply(c.frames[0]!).header).toMatchObject({ xid: 1, err: 0 });
  });
});

describe('the pipeline as a leader', () => {
  it('preps forwarded requests with the forwarder\'s auth ids and tracks their sessions', () => {
    const rep = new ScriptedReplicator();
    const zk = new ZooKeeperServer(new DataTree(false), rep, { nowMs: () => 1_700_000_000_000 }, options, () => {}, 'down');
    zk.setRole('leader');
    const sid = 0x0300000000000001n;
    const timeout = new JuteWriter().writeInt(9000).toBytes();
    zk.learnerRequest(encodeForwarded({ sessionId: sid, cxid: 0, type: OpCode.createSession, body: timeout, authIds: [] }), 3);
    expect(rep.proposed[0]!.body).toEqual({ type: OpCode.createSession, rec: { timeOut: 9000 } });
    zk.applyCommitted(decodeTxn(encodeTxn(rep.proposed[0]!)));
    expect(zk.revalidateSession(sid, 9000, 3)).toBe(true);
    const body = encodeRequest(4, create('/b')).subarray(8);
    zk.learnerRequest(encodeForwarded({ sessionId: sid, cxid: 4, type: OpCode.create, body, authIds: [{ scheme: 'ip', id: '127.0.0.9' }] }), 3);
    expect(rep.proposed[1]!.hdr).toMatchObject({ clientId: sid, cxid: 4, zxid: 2, type: OpCode.create });
    // A second create of the same path, before the first is applied, is refused from the outstanding changes.
    zk.learnerRequest(encodeForwarded({ sessionId: sid, cxid: 5, type: OpCode.create, body, authIds: [] }), 3);
    expect(rep.proposed[2]!.body).toEqual({ type: OpCode.error, rec: { err: -110 } });
    expect(zk.revalidateSession(0x0399n, 9000, 3)).toBe(false);
    // The session moves to server 4; a request still forwarded by server 3 gets SESSIONMOVED.
    expect(zk.revalidateSession(sid, 9000, 4)).toBe(true);
    zk.learnerRequest(encodeForwarded({ sessionId: sid, cxid: 6, type: OpCode.create, body, authIds: [] }), 3);
    expect(rep.proposed[3]!.body).toEqual({ type: OpCode.error, rec: { err: -118 } });
  });
});

describe('the pipeline as a read-only server', () => {
  it('takes only read-only clients, with local sessions; writes get NOTREADONLY, reads are served', () => {
    const rep = new ScriptedReplicator();
    const zk = new ZooKeeperServer(new DataTree(false), rep, { nowMs: () => 1_700_000_000_000 }, options, () => {}, 'down');
    zk.setRole('read-only');
    const rw = conn(1);
    zk.onConnect(rw, connectReq());
    expect(rw.closed).toBe('not a read-only client');
    const ro = conn(2);
    zk.onConnect(ro, { ...connectReq(), readOnly: true });
    const res = decodeConnectResponse(ro.frames[0]!);
    expect(res).toMatchObject({ readOnly: true, timeOut: 10000 });
    expect(rep.forwarded).toHaveLength(0);
    zk.onRequest(ro, 1, create('/w'));
    zk.onRequest(ro, 2, { op: 'exists', opcode: OpCode.exists, body: { path: '/zookeeper', watch: false } });
    expect(ro.frames.slice(1).map((f) => reply(f).header.err)).toEqual([-119, 0]);
    expect(rep.proposed).toHaveLength(0);
    zk.setRole('follower');
    expect(ro.closed).not.toBeNull();
  });
});
