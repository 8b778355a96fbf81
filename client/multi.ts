// multi (atomic writes) and multiRead (a batch of reads). A failed multi
// rejects with the first failing sub-operation's code and carries every
// sub-result; multiRead returns per-read errors as results, as ZooKeeper does.
import { Code, OpCode, codeName, readMultiResults, type MultiOp, type MultiResult } from '../server/wire/index.ts';
import { prependChroot, stripChroot } from './connect-string.ts';
import { ZooKeeperError } from './errors.ts';
import { badArguments, checkPath, checkVersion, toBytes, type DataInput, type OpSpec } from './op-spec.ts';
import { createRequest, type CreateOptions, type Stat } from './operations.ts';

export type MultiOpInput =
  | ({ op: 'create'; path: string; data?: DataInput } & CreateOptions)
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: DataInput; version?: number }
  | { op: 'check'; path: string; version: number };

export type MultiOpResult =
  | { op: 'create'; path: string; stat: Stat | null }
  | { op: 'delete' }
  | { op: 'setData'; stat: Stat }
  | { op: 'check' }
  | { op: 'error'; err: number; codeName: string };

export interface MultiResultSet { results: MultiOpResult[]; zxid: number }

export type MultiReadInput = { op: 'getData'; path: string } | { op: 'getChildren'; path: string };
export type MultiReadResult =
  | { op: 'getData'; data: Uint8Array | null; stat: Stat }
  | { op: 'getChildren'; children: string[] }
  | { op: 'error'; err: number; codeName: string };
export interface MultiReadResultSet { results: MultiReadResult[]; zxid: number }

function toWireOp(chroot: string, input: MultiOpInput): MultiOp {
  switch (input.op) {
    case 'create': return createRequest(chroot, input.path, input.data, input) as MultiOp;
    case 'delete':
      checkPath('delete', input.path);
      checkVersion('delete', input.path, input.version ?? -1);
      return { op: 'delete', opcode: OpCode.delete, body: { path: prependChroot(chroot, input.path), version: input.version ?? -1 } };
    case 'setData':
      checkPath('setData', input.path);
      checkVersion('setData', input.path, input.version ?? -1);
      return { op: 'setData', opcode: OpCode.setData,
        body: { path: prependChroot(chroot, input.path), data: toBytes(input.data), version: input.version ?? -1 } };
    case 'check':
      checkPath('check', input.path);
      checkVersion('check', input.path, input.version);
      return { op: 'check', opcode: OpCode.check, body: { path: prependChroot(chroot, input.path), version: input.version } };
    default:
      throw badArguments('multi', undefined, `operation ${(input as { op: string }).op} not allowed in multi`);
  }
}

function fromWireResult(chroot: string, res: MultiResult): MultiOpResult {
  switch (res.type) {
    case OpCode.create: return { op: 'create', path: stripChroot(chroot, res.path), stat: null };
    case OpCode.create2: return { op: 'create', path: stripChroot(chroot, res.path), stat: res.stat };
    case OpCode.delete: return { op: 'delete' };
    case OpCode.setData: return { op: 'setData', stat: res.stat };
    case OpCode.check: return { op: 'check' };
    case OpCode.error: return { op: 'error', err: res.err, codeName: codeName(res.err) };
    default: throw new ZooKeeperError(Code.MARSHALLINGERROR, 'multi', undefined, true, `result type ${res.type} in multi`);
  }
}

export function multiOp(chroot: string, inputs: readonly MultiOpInput[]): OpSpec<MultiResultSet> {
  const ops = inputs.map((i) => toWireOp(chroot, i));
  return {
    name: 'multi', path: inputs[0]?.path, request: { op: 'multi', opcode: OpCode.multi, body: ops },
    decode: (r, zxid) => {
      const results = readMultiResults(r).map((res) => fromWireResult(chroot, res));
      const failedAt = results.findIndex((res) => res.op === 'error' && res.err !== Code.OK);
      if (failedAt !== -1) {
        const failed = results[failedAt] as { err: number };
        throw new ZooKeeperError(failed.err, 'multi', inputs[failedAt]?.path, true, `sub-operation ${failedAt} failed`, results);
      }
      return { results, zxid };
    },
  };
}

function fromWireRead(res: MultiResult): MultiReadResult {
  switch (res.type) {
    case OpCode.getData: return { op: 'getData', data: res.data, stat: res.stat };
    case OpCode.getChildren: return { op: 'getChildren', children: res.children };
    case OpCode.error: return { op: 'error', err: res.err, codeName: codeName(res.err) };
    default: throw new ZooKeeperError(Code.MARSHALLINGERROR, 'multiRead', undefined, true, `result type ${res.type} in multiRead`);
  }
}

export function multiReadOp(chroot: string, inputs: readonly MultiReadInput[]): OpSpec<MultiReadResultSet> {
  const ops: MultiOp[] = inputs.map((i) => {
    const kind: string = i.op;
    if (kind !== 'getData' && kind !== 'getChildren') throw badArguments('multiRead', i.path, `operation ${kind} not allowed in multiRead`);
    checkPath(i.op, i.path);
    const opcode = i.op === 'getData' ? OpCode.getData : OpCode.getChildren;
    return { op: i.op, opcode, body: { path: prependChroot(chroot, i.path), watch: false } } as MultiOp;
  });
  return {
    name: 'multiRead', path: inputs[0]?.path, request: { op: 'multi', opcode: OpCode.multiRead, body: ops },
    decode: (r, zxid) => ({ results: readMultiResults(r).map(fromWireRead), zxid }),
  };
}
