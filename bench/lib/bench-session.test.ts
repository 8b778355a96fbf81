import { describe, expect, it } from 'vitest';
import { OpCode, encodeRequest, frame, type Request } from '../../server/wire/index.ts';
import { prepare } from './bench-session.ts';

describe('prepare', () => {
  it('frames a request once; writing an xid in place gives exactly the frame encoded with that xid', () => {
    const req: Request = { op: 'setData', opcode: OpCode.setData, body: { path: '/bench/c3', data: new Uint8Array(100).fill(7), version: -1 } };
    const prepared = prepare(req);
    for (const xid of [1, 2, 0x7fffffff]) {
      prepared.view.setInt32(4, xid);
      expect(prepared.bytes).toEqual(frame(encodeRequest(xid, req)));
    }
  });
});
