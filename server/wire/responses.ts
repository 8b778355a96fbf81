// Replies: ReplyHeader + body. multi results follow MultiResponse's layout:
// one MultiHeader per result, then its body; an error result has type -1 and
// an ErrorResponse body; a MultiHeader(-1, true, -1) ends the list.
import { JuteReader, JuteWriter } from './jute.ts';
import { OpCode } from './opcodes.ts';
import * as R from './records.ts';
import type { Infer } from './codec.ts';

type ReplyHeader = Infer<typeof R.ReplyHeader>;

export type MultiResult =
  | { type: typeof OpCode.create; path: string }
  | { type: typeof OpCode.create2; path: string; stat: R.Stat }
  | { type: typeof OpCode.delete }
  | { type: typeof OpCode.check }
  | { type: typeof OpCode.setData; stat: R.Stat }
  | { type: typeof OpCode.getData; data: Uint8Array | null; stat: R.Stat }
  | { type: typeof OpCode.getChildren; children: string[] }
  | { type: typeof OpCode.error; err: number };

export function writeMultiResults(w: JuteWriter, results: readonly MultiResult[]): void {
  for (const res of results) {
    const err = res.type === OpCode.error ? res.err : 0;
    R.MultiHeader.write(w, { type: res.type, done: false, err });
    switch (res.type) {
      case OpCode.create: R.CreateResponse.write(w, res); break;
      case OpCode.create2: R.Create2Response.write(w, res); break;
      case OpCode.setData: R.SetDataResponse.write(w, res); break;
      case OpCode.getData: R.GetDataResponse.write(w, res); break;
      case OpCode.getChildren: R.GetChildrenResponse.write(w, res); break;
      case OpCode.error: R.ErrorResponse.write(w, res); break;
      default: break;
    }
  }
  R.MultiHeader.write(w, { type: -1, done: true, err: -1 });
}

export function readMultiResults(r: JuteReader): MultiResult[] {
  const out: MultiResult[] = [];
  for (;;) {
    const h = R.MultiHeader.read(r);
    if (h.done) return out;
    switch (h.type) {
      case OpCode.create: out.push({ type: OpCode.create, ...R.CreateResponse.read(r) }); break;
      case OpCode.create2: out.push({ type: OpCode.create2, ...R.Create2Response.read(r) }); break;
      case OpCode.delete: out.push({ type: OpCode.delete }); break;
      case OpCode.check: out.push({ type: OpCode.check }); break;
      case OpCode.setData: out.push({ type: OpCode.setData, ...R.SetDataResponse.read(r) }); break;
      case OpCode.getData: out.push({ type: OpCode.getData, ...R.GetDataResponse.read(r) }); break;
      case OpCode.getChildren: out.push({ type: OpCode.getChildren, ...R.GetChildrenResponse.read(r) }); break;
      case OpCode.error: out.push({ type: OpCode.error, ...R.ErrorResponse.read(r) }); break;
      default: throw new Error(`unknown multi result type ${h.type}`);
    }
  }
}

/** ReplyHeader + optional body bytes, without the frame length. */
export function encodeReply(xid: number, zxid: number, err: number, writeBody?: (w: JuteWriter) => void): Uint8Array {
  const w = new JuteWriter(writeBody ? 128 : 16);
  R.ReplyHeader.write(w, { xid, zxid, err });
  if (writeBody && err === 0) writeBody(w);
  return w.toBytes();
}

export function decodeReplyHeader(body: Uint8Array): { header: ReplyHeader; reader: JuteReader } {
  const reader = new JuteReader(body);
  return { header: R.ReplyHeader.read(reader), reader };
}
