// A bounded wire fuzz of a LIVE `zooproof server` over loopback: tens of
// thousands of frames (valid, mutated and random, behind valid, mutated or no
// ConnectRequests, with sane and insane length prefixes) on hundreds of
// connections; afterwards the server still answers ruok with imok, serves a
// real client, and never logged a fatal error. Bounded by count, not time;
// seeded (WIRE_FUZZ_SEED) so a failure can be replayed. The in-process
// pipeline fuzz is server/core/fuzz.test.ts. WIRE_FUZZ_LOG=<file> keeps the server log.
import { copyFileSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OpCode, encodeConnectRequest, encodeRequest, type Request,
} from '../../server/wire/index.ts';
import { OPEN_ACL_UNSAFE } from '../../server/tree/acl.ts';
import { startZooproofServer } from '../support/zooproof-server.ts';
import type { Target } from '../support/target.ts';
import { RawSession } from '../support/raw-session.ts';
import { ok, op, read } from '../support/raw-ops.ts';
import { fourLetterWord } from '../support/four-letter.ts';
import { mulberry32 } from '../../harness/generator/rng.ts';

const CONNECTIONS = 400;
const FRAMES_PER_CONNECTION = 100;
const PARALLEL = 16;
const CLOSE_WAIT_MS = 2000;
/** Frames the server must have decoded and handled (srvr's Received), not merely been sent. */
const MIN_HANDLED = 20_000;
const SEED = Number(process.env.WIRE_FUZZ_SEED ?? 0x5eed13);

class Gen {
  private readonly r: () => number;
  /** Seeded (mulberry32): the run is reproducible from SEED. */
  constructor(seed: number) { this.r = mulberry32(seed); }
  int(n: number): number { return Math.floor(this.r() * n); }
  chance(p: number): boolean { return this.r() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]!; }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const enc = (s: string) => new TextEncoder().encode(s);

function validRequests(conn: number, i: number): Request[] {
  const path = `/fuzz-${conn}-${i}`;
  return [
    { op: 'create', opcode: OpCode.create, body: { path, data: enc('x'), acl: OPEN_ACL_UNSAFE, flags: 0, ttl: -1 } },
    { op: 'create', opcode: OpCode.create2, body: { path: `${path}-e`, data: null, acl: OPEN_ACL_UNSAFE, flags: 1, ttl: -1 } },
    { op: 'create', opcode: OpCode.createTTL, body: { path: `${path}-t`, data: null, acl: OPEN_ACL_UNSAFE, flags: 5, ttl: 1000 } },
    { op: 'setData', opcode: OpCode.setData, body: { path, data: enc('y'), version: -1 } },
    { op: 'getData', opcode: OpCode.getData, body: { path: '/', watch: true } },
    { op: 'getChildren', opcode: OpCode.getChildren2, body: { path: '/', watch: true } },
    { op: 'exists', opcode: OpCode.exists, body: { path, watch: true } },
    { op: 'delete', opcode: OpCode.delete, body: { path, version: -1 } },
    { op: 'multi', opcode: OpCode.multi, body: [
      { op: 'check', opcode: OpCode.check, body: { path: '/', version: -1 } },
      { op: 'create', opcode: OpCode.create, body: { path: `${path}-m`, data: null, acl: OPEN_ACL_UNSAFE, flags: 0, ttl: -1 } }] },
    { op: 'sync', opcode: OpCode.sync, body: { path: '/' } },
    { op: 'setWatches', opcode: OpCode.setWatches2, body: { relativeZxid: 0, dataWatches: ['/a'], existWatches: ['/b'],
      childWatches: ['/'], persistentWatches: ['/p'], persistentRecursiveWatches: ['/'] } },
    { op: 'addWatch', opcode: OpCode.addWatch, body: { path: '/', mode: 1 } },
    { op: 'ping', opcode: OpCode.ping, body: null } as Request,
  ];
}

/** Bit flips, byte overwrites, a cut or an appended tail. */
function mutate(g: Gen, body: Uint8Array): Uint8Array {
  let out = body.slice();
  for (let k = 1 + g.int(4); k > 0; k--) {
    switch (g.int(5)) {
      case 0: if (out.length > 0) { const i = g.int(out.length); out[i] = out[i]! ^ (1 << g.int(8)); } break;
      case 1: if (out.length > 0) out[g.int(out.length)] = g.pick([0x00, 0x7f, 0x80, 0xff]); break;
      case 2: out = out.slice(0, g.int(out.length + 1)); break;
      case 3: { const tail = g.bytes(1 + g.int(16)); const n = new Uint8Array(out.length + tail.length); n.set(out); n.set(tail, out.length); out = n; break; }
      default: if (out.length >= 4) new DataView(out.buffer, out.byteOffset).setInt32(g.int(out.length - 3), g.pick([-1, 0, 0x7fffffff, 1 << 20, g.int(1 << 16)]));
    }
  }
  return out;
}

function framed(body: Uint8Array, length = body.length): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setInt32(0, length);
  out.set(body, 4);
  return out;
}

const ACLS = [OPEN_ACL_UNSAFE, [], [{ perms: 31, id: { scheme: 'ip', id: '127.0.0.1' } }],
  [{ perms: 1, id: { scheme: 'digest', id: 'u:AAAA' } }], [{ perms: 31, id: { scheme: 'bogus', id: '' } }],
  [{ perms: 0x7fffffff, id: { scheme: 'auth', id: '' } }], [{ perms: 31, id: { scheme: 'ip', id: '300.1.1.1/99' } }]];

/** A request that decodes, with hostile fields: bad paths, versions, flags, TTLs, ACLs, watch modes. */
function hostileRequest(g: Gen, conn: number): Request {
  const path = g.pick([`/fuzz-${conn}-${g.int(8)}`, `/fuzz-${conn}-${g.int(8)}/c${g.int(4)}`, '/', '', '//', '/a/',
    'relative', '/zookeeper', '/zookeeper/quota', '/zookeeper/config', '/.', '/..', '/a/./b', '/\u0000x', '/\u{1F600}',
    `/${'d/'.repeat(g.int(40))}e`]);
  const version = g.pick([-1, 0, 1, -2, 0x7fffffff, -0x80000000]);
  const data = g.chance(0.1) ? null : g.bytes(g.int(g.chance(0.05) ? 4096 : 64));
  const acl = g.pick(ACLS);
  const flags = g.pick([0, 1, 2, 3, 4, 5, 6, 7, -1, 99]);
  const ttl = g.pick([-1, 0, 1, 1000, 0xffffffffff, -5]);
  switch (g.int(14)) {
    case 0: return { op: 'create', opcode: g.pick([OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL]), body: { path, data, acl, flags, ttl } };
    case 1: return { op: 'delete', opcode: OpCode.delete, body: { path, version } };
    case 2: return { op: 'setData', opcode: OpCode.setData, body: { path, data, version } };
    case 3: return { op: 'getData', opcode: OpCode.getData, body: { path, watch: g.chance(0.5) } };
    case 4: return { op: 'exists', opcode: OpCode.exists, body: { path, watch: g.chance(0.5) } };
    case 5: return { op: 'getChildren', opcode: g.pick([OpCode.getChildren, OpCode.getChildren2]), body: { path, watch: g.chance(0.5) } };
    // (never on '/': the check afterwards needs to create there)
    case 6: return { op: 'setACL', opcode: OpCode.setACL, body: { path: path === '/' ? '/fuzz-acl' : path, acl, version } };
    case 7: return { op: 'getACL', opcode: OpCode.getACL, body: { path } };
    case 8: return { op: 'check', opcode: OpCode.check, body: { path, version } };
    case 9: return { op: 'multi', opcode: OpCode.multi, body: [
      { op: 'create', opcode: OpCode.create, body: { path, data, acl, flags: flags & 1, ttl: -1 } },
      { op: 'check', opcode: OpCode.check, body: { path, version } },
      { op: 'delete', opcode: OpCode.delete, body: { path, version } }] };
    case 10: return { op: 'addWatch', opcode: OpCode.addWatch, body: { path, mode: g.pick([0, 1, 2, 7, -1]) } };
    case 11: return { op: 'removeWatches', opcode: g.pick([OpCode.removeWatches, OpCode.checkWatches]), body: { path, type: g.pick([1, 2, 3, 0, 9]) } } as Request;
    case 12: return { op: 'getAllChildrenNumber', opcode: OpCode.getAllChildrenNumber, body: { path } };
    default: return { op: 'getEphemerals', opcode: OpCode.getEphemerals, body: { prefixPath: path } };
  }
}

/**
 * One connection's bytes, and how many frames they hold: an opening (a valid
 * ConnectRequest mostly, else a mutated one or none), then frames that decode
 * (valid, hostile fields, xids of every kind) mixed with byte-mutated ones,
 * and last a frame that will not decode (random bytes, an insane length).
 */
interface Script {
  bytes: Uint8Array;
  /** The opening ConnectRequest's length in `bytes` (0: none). */
  openingBytes: number;
  frames: number;
}

function script(g: Gen, conn: number): Script {
  const parts: Uint8Array[] = [];
  const connectBody = encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 4000, sessionId: 0n,
    passwd: new Uint8Array(16), readOnly: g.chance(0.1) });
  const opening = g.int(20);
  if (opening < 18) parts.push(framed(connectBody));
  else if (opening < 19) parts.push(framed(mutate(g, connectBody)));
  const openingBytes = parts[0]?.length ?? 0;
  for (let i = parts.length; i < FRAMES_PER_CONNECTION - 1; i++) {
    // A frame that does not decode ends the connection: byte mutations are rare here, so most frames are handled.
    const kind = g.int(100);
    const xid = g.chance(0.95) ? 1 + i : g.pick([0, -1, -2, -4, -8, 0x7fffffff, -0x80000000]);
    if (kind < 30) parts.push(framed(encodeRequest(xid, g.pick(validRequests(conn, i)))));
    else if (kind < 99) parts.push(framed(encodeRequest(xid, hostileRequest(g, conn))));
    else parts.push(framed(mutate(g, encodeRequest(xid, g.pick(validRequests(conn, i))))));
  }
  const last = g.int(3);
  if (last === 0) parts.push(framed(g.bytes(g.int(64))));
  else if (last === 1) parts.push(framed(g.bytes(g.int(32)), g.pick([-1, -100, 0, 0x7fffffff, 5_000_000, g.int(200)])));
  else parts.push(framed(mutate(g, encodeRequest(1, g.pick(validRequests(conn, 0))))));
  let total = 0;
  for (const p of parts) total += p.length;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { bytes.set(p, at); at += p.length; }
  return { bytes, openingBytes, frames: parts.length };
}

/**
 * Sends the opening frame and waits for the server's first answer (as a
 * client waits for its ConnectResponse), then the rest in random-sized writes,
 * half-closes, and waits (bounded) for the server to close.
 */
function play(target: Target, g: Gen, s: Script): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => socket.destroy(), CLOSE_WAIT_MS);
    let rest = s.openingBytes < s.bytes.length ? s.bytes.subarray(s.openingBytes) : null;
    const sendRest = () => {
      if (rest === null) return;
      const bytes = rest;
      rest = null;
      let at = 0;
      while (at < bytes.length) {
        const n = 1 + g.int(Math.max(1, bytes.length - at));
        socket.write(bytes.subarray(at, at + n));
        at += n;
      }
      socket.end();
    };
    socket.on('data', sendRest);
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve(); });
    socket.once('connect', () => {
      if (s.openingBytes === 0) sendRest();
      else socket.write(s.bytes.subarray(0, s.openingBytes));
    });
  });
}

describe('wire fuzz of a live zooproof server', () => {
  let target: Target;
  beforeAll(async () => { target = await startZooproofServer({ tickTimeMs: 2000 }); }, 60_000);
  afterAll(async () => {
    if (process.env.WIRE_FUZZ_LOG !== undefined) copyFileSync(join(dirname(target.dataDir), "server.log"), process.env.WIRE_FUZZ_LOG);
    await target?.stop();
  }, 30_000);

  it(`${CONNECTIONS * FRAMES_PER_CONNECTION} frames on ${CONNECTIONS} connections; then ruok, a real client, no fatal (seed ${SEED})`, async () => {
    const g = new Gen(SEED);
    const scripts = Array.from({ length: CONNECTIONS }, (_, c) => script(g, c));
    let frames = 0;
    for (let c = 0; c < CONNECTIONS; c += PARALLEL) {
      await Promise.all(scripts.slice(c, c + PARALLEL).map((s, k) => {
        frames += s.frames;
        return play(target, new Gen(SEED + c + k), s);
      }));
    }
    expect(frames).toBeGreaterThanOrEqual(30_000);
    const srvr = await fourLetterWord(target.host, target.port, 'srvr');
    const received = Number(/Received: (\d+)/.exec(srvr)?.[1]);
    process.stderr.write(`wire fuzz: ${frames} frames sent, ${received} decoded and handled by the server\n`);
    expect(received).toBeGreaterThanOrEqual(MIN_HANDLED);

    expect(await fourLetterWord(target.host, target.port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(target.host, target.port, 'srvr')).toMatch(/Mode: standalone/);
    const s = await RawSession.open(target.host, target.port);
    try {
      await ok(s, op.create('/after-fuzz', { data: 'still here' }));
      expect(new TextDecoder().decode(read.getData(await ok(s, op.getData('/after-fuzz'))).data!)).toBe('still here');
    } finally {
      s.drop();
    }
    const log = readFileSync(join(dirname(target.dataDir), 'server.log'), 'utf8'); // startManagedTarget's layout
    expect(log).toMatch(/serving on/);
    expect(log).not.toMatch(/fatal:|internal error|Maximum call stack/);
  }, 120_000);
});
