// Property test: random and mutated frames never crash the request pipeline.
// A frame either decodes (and is handled, with a reply) or raises WireError,
// which the io layer turns into closing that one connection.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StandaloneReplicator } from './standalone-replicator.ts';
import { ZooKeeperServer, type Connection } from './zk-server.ts';
import { DataTree } from '../tree/data-tree.ts';
import { WireError } from '../wire/jute.ts';
import { decodeRequest, encodeRequest, type Request } from '../wire/requests.ts';
import { OpCode } from '../wire/opcodes.ts';
import { OPEN_ACL_UNSAFE } from '../tree/acl.ts';
import { FrameDecoder } from '../wire/framing.ts';

const seeds: Request[] = [
  { op: 'create', opcode: OpCode.create, body: { path: '/a', data: new Uint8Array([1, 2]), acl: OPEN_ACL_UNSAFE, flags: 0, ttl: -1 } },
  { op: 'create', opcode: OpCode.createTTL, body: { path: '/t', data: null, acl: OPEN_ACL_UNSAFE, flags: 5, ttl: 100 } },
  { op: 'setData', opcode: OpCode.setData, body: { path: '/a', data: new Uint8Array([3]), version: 0 } },
  { op: 'getData', opcode: OpCode.getData, body: { path: '/a', watch: true } },
  { op: 'getChildren', opcode: OpCode.getChildren2, body: { path: '/', watch: true } },
  { op: 'multi', opcode: OpCode.multi, body: [
    { op: 'check', opcode: OpCode.check, body: { path: '/a', version: 1 } },
    { op: 'delete', opcode: OpCode.delete, body: { path: '/a', version: -1 } }] },
  { op: 'setACL', opcode: OpCode.setACL, body: { path: '/a', acl: [{ perms: 1, id: { scheme: 'ip', id: '127.0.0.1/8' } }], version: -1 } },
  { op: 'setWatches', opcode: OpCode.setWatches2, body: { relativeZxid: 0, dataWatches: ['/a'], existWatches: ['/b'],
    childWatches: ['/'], persistentWatches: ['/p'], persistentRecursiveWatches: ['/'] } },
  { op: 'addWatch', opcode: OpCode.addWatch, body: { path: '/', mode: 1 } },
  { op: 'removeWatches', opcode: OpCode.removeWatches, body: { path: '/', type: 3 } },
];

function newServer() {
  let t = 1_700_000_000_000;
  const rep = new StandaloneReplicator(0, { append: () => {} });
  const zk = new ZooKeeperServer(new DataTree(true), rep, { nowMs: () => (t += 1) }, {
    tickTimeMs: 2000, minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000, extendedTypesEnabled: true,
    superDigest: null, containerCheckIntervalMs: 1000, serverId: 1 });
  rep.bind((txn) => zk.applyCommitted(txn));
  const sent: Uint8Array[] = [];
  const state = { closed: false };
  const conn: Connection = { id: 1, remoteAddress: '127.0.0.1', send: (b) => sent.push(b), close: () => { state.closed = true; } };
  zk.onConnect(conn, { protocolVersion: 0, lastZxidSeen: 0, timeOut: 30000, sessionId: 0n, passwd: new Uint8Array(16),
    readOnly: false, hasReadOnlyField: true });
  rep.onDurable(Number.MAX_SAFE_INTEGER);
  return { zk, conn, sent, state, rep };
}

function feed(zk: ZooKeeperServer, conn: Connection, body: Uint8Array): 'handled' | 'rejected' {
  try {
    const { xid, request } = decodeRequest(body);
    zk.onRequest(conn, xid, request);
    return 'handled';
  } catch (e) {
    if (e instanceof WireError) return 'rejected';
    throw e;
  }
}

describe('request pipeline fuzzing', () => {
  it('survives mutated valid requests', () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (muts) => {
      const { zk, conn, sent, state, rep } = newServer();
      let handled = 0;
      for (const m of muts) {
        if (state.closed) break; // e.g. UNIMPLEMENTED closes the connection, as in ZooKeeper
        const bytes = encodeRequest(7, seeds[m.seed]!).slice();
        for (const f of m.flips) if (bytes.length > 0) bytes[f.at % bytes.length] = f.value;
        const body = m.cut === undefined ? bytes : bytes.subarray(0, m.cut % (bytes.length + 1));
        if (feed(zk, conn, body) === 'handled') handled++;
      }
      rep.onDurable(Number.MAX_SAFE_INTEGER);
      if (state.closed) return;
      // Every handled request got exactly one reply (plus the connect response and any watch events).
      expect(sent.length).toBeGreaterThanOrEqual(handled + 1);
    }), { numRuns: 1500 });
  });

  it('survives random bytes as frames and random chunking', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
      const { zk, conn } = newServer();
      const decoder = new FrameDecoder(1024);
      for (const c of chunks) {
        decoder.push(c);
        try {
          for (let f = decoder.next(); f; f = decoder.next()) feed(zk, conn, f);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
          return;
        }
      }
    }), { numRuns: 1500 });
  });
});
