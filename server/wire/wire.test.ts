import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, frame } from './framing.ts';
import { JuteReader, JuteWriter, WireError } from './jute.ts';
import { decodeRequest, encodeRequest, type Request } from './requests.ts';
import { readMultiResults, writeMultiResults, type MultiResult } from './responses.ts';
import { decodeConnectRequest, encodeConnectRequest } from './connect.ts';
import { OpCode, fourLetterCode, fourLetterWordOf } from './opcodes.ts';
import * as R from './records.ts';
import { Code, isDefinite } from './errors.ts';

const stat: R.Stat = {
  czxid: 5, mzxid: 6, ctime: 1700000000000, mtime: 1700000000001, version: 1, cversion: 2, aversion: 0,
  ephemeralOwner: 0x7200000000010000n, dataLength: 3, numChildren: 0, pzxid: 5,
};

describe('jute', () => {
  it('encodes Stat as 68 big-endian bytes in declared order', () => {
    const bytes = R.Stat.encode(stat);
    expect(bytes.byteLength).toBe(68);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getBigInt64(0)).toBe(5n);
    expect(view.getInt32(32)).toBe(1);
    expect(view.getBigInt64(44)).toBe(0x7200000000010000n);
    expect(R.Stat.decode(bytes)).toEqual(stat);
  });

  it('reads -1 lengths as null buffers and empty strings', () => {
    const w = new JuteWriter().writeInt(-1).writeInt(-1);
    const r = new JuteReader(w.toBytes());
    expect(r.readBuffer()).toBeNull();
    expect(r.readString()).toBe('');
  });

  it('rejects truncated records with a MARSHALLING error', () => {
    const bytes = R.Stat.encode(stat).subarray(0, 30);
    expect(() => R.Stat.decode(bytes)).toThrowError(WireError);
  });

  it('rejects vector counts larger than the remaining bytes', () => {
    const w = new JuteWriter().writeInt(1_000_000);
    expect(() => R.GetChildrenResponse.decode(w.toBytes())).toThrowError(/vector/);
  });
});

describe('framing', () => {
  it('reassembles frames split across arbitrary chunks', () => {
    const a = frame(new Uint8Array([1, 2, 3]));
    const b = frame(new Uint8Array([4]));
    const all = new Uint8Array([...a, ...b]);
    const d = new FrameDecoder(100);
    const got: number[][] = [];
    for (const byte of all) {
      d.push(new Uint8Array([byte]));
      for (let f = d.next(); f; f = d.next()) got.push([...f]);
    }
    expect(got).toEqual([[1, 2, 3], [4]]);
  });

  it('yields the same frames however the stream is cut into chunks (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 20 }),
      (bodies, cuts) => {
        const stream = new Uint8Array(bodies.flatMap((b) => [...frame(b)]));
        const d = new FrameDecoder(100);
        const got: number[][] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length]!;
          d.push(stream.subarray(at, at + n));
          at += n;
          expect(d.peekInt() === undefined).toBe(d.bufferedBytes < 4);
          for (let f = d.next(); f; f = d.next()) got.push([...f]);
        }
        expect(got).toEqual(bodies.map((b) => [...b]));
        expect(d.bufferedBytes).toBe(0);
      }));
  });

  it('refuses a frame over jute.maxbuffer', () => {
    const d = new FrameDecoder(10);
    d.push(frame(new Uint8Array(11)));
    expect(() => d.next()).toThrowError(/maxbuffer/);
  });

  it('knows four-letter words by their int code', () => {
    expect(fourLetterCode('ruok')).toBe(0x72756f6b);
    expect(fourLetterWordOf(0x6d6e7472)).toBe('mntr');
    expect(fourLetterWordOf(42)).toBeUndefined();
  });
});

describe('requests', () => {
  it('round-trips a createTTL with its trailing ttl', () => {
    const req: Request = { op: 'create', opcode: OpCode.createTTL,
      body: { path: '/a', data: new Uint8Array([7]), acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], flags: 5, ttl: 1000 } };
    const { xid, request } = decodeRequest(encodeRequest(9, req));
    expect(xid).toBe(9);
    expect(request).toEqual(req);
  });

  it('round-trips multi with MultiHeader framing', () => {
    const req: Request = { op: 'multi', opcode: OpCode.multi, body: [
      { op: 'check', opcode: OpCode.check, body: { path: '/a', version: 3 } },
      { op: 'delete', opcode: OpCode.delete, body: { path: '/a', version: -1 } },
    ] };
    expect(decodeRequest(encodeRequest(1, req)).request).toEqual(req);
  });

  it('refuses a read inside multi', () => {
    const req: Request = { op: 'multi', opcode: OpCode.multi, body: [
      { op: 'getData', opcode: OpCode.getData, body: { path: '/a', watch: false } },
    ] };
    expect(() => decodeRequest(encodeRequest(1, req))).toThrowError(/not allowed/);
  });

  it('turns unknown opcodes into unimplemented, not an exception', () => {
    const w = new JuteWriter().writeInt(3).writeInt(4242);
    expect(decodeRequest(w.toBytes()).request.op).toBe('unimplemented');
  });

  it('reads a setWatches (v1) as SetWatches2 with empty persistent lists', () => {
    const w = new JuteWriter();
    R.RequestHeader.write(w, { xid: -8, type: OpCode.setWatches });
    R.SetWatches.write(w, { relativeZxid: 4, dataWatches: ['/a'], existWatches: [], childWatches: ['/b'] });
    const { request } = decodeRequest(w.toBytes());
    expect(request).toMatchObject({ op: 'setWatches', body: { relativeZxid: 4, persistentWatches: [] } });
  });
});

describe('multi results', () => {
  it('round-trips every result shape', () => {
    const results: MultiResult[] = [
      { type: OpCode.create, path: '/x' }, { type: OpCode.create2, path: '/y', stat },
      { type: OpCode.delete }, { type: OpCode.check }, { type: OpCode.setData, stat },
      { type: OpCode.error, err: Code.RUNTIMEINCONSISTENCY },
    ];
    const w = new JuteWriter();
    writeMultiResults(w, results);
    expect(readMultiResults(new JuteReader(w.toBytes()))).toEqual(results);
  });
});

describe('connect', () => {
  it('accepts a ConnectRequest without the readOnly byte (old client)', () => {
    const full = encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0, timeOut: 30000, sessionId: 0n,
      passwd: new Uint8Array(16), readOnly: false }, false);
    const req = decodeConnectRequest(full);
    expect(req.hasReadOnlyField).toBe(false);
    expect(req.timeOut).toBe(30000);
  });
});

describe('error classification', () => {
  it('treats refusals as definite and losses as indefinite', () => {
    expect(isDefinite(Code.NODEEXISTS)).toBe(true);
    expect(isDefinite(Code.BADVERSION)).toBe(true);
    expect(isDefinite(Code.CONNECTIONLOSS)).toBe(false);
    expect(isDefinite(Code.OPERATIONTIMEOUT)).toBe(false);
    expect(isDefinite(Code.OK)).toBe(false);
  });
});
