// Targeted cases for ZooKeeper's ordered sequential consistency checker.
import { describe, expect, it } from 'vitest';
import { pairOperations } from '../../history/ops.ts';
import type { HistoryEvent } from '../../history/types.ts';
import { UNLIMITED } from '../types.ts';
import { checkSequential, type Violation } from './sequential.ts';

type Row = [number, HistoryEvent['type'], string, unknown, { session?: string; zxid?: number }?];

function check(rows: Row[]) {
  const events = rows.map(([process, type, f, value, extra], index) => ({ index, process, type, f, value, time: index, ...extra }));
  return checkSequential(pairOperations(events).operations, UNLIMITED);
}

const write = (p: number, s: string, z: number, f: string, path: string, data?: string, version?: number): Row[] => {
  const v = { path, ...(data === undefined ? {} : { data }), ...(version === undefined ? {} : { stat: { version, mzxid: z } }) };
  return [[p, 'invoke', f, v, { session: s }], [p, 'ok', f, v, { session: s, zxid: z }]];
};
const read = (p: number, s: string, z: number, path: string, data: string | null, mzxid?: number, version = 0): Row[] => [
  [p, 'invoke', 'getData', { path }, { session: s }],
  [p, 'ok', 'getData', data === null ? { path, data: null, stat: null } : { path, data, stat: { version, mzxid } }, { session: s, zxid: z }]];

const kinds = (r: ReturnType<typeof check>) => (r.details as { violations: Violation[] }).violations.map((v) => v.kind);

describe('zk-sequential', () => {
  it('accepts reads that follow the commit order per session', () => {
    const r = check([...write(0, '0x1', 2, 'create', '/r', 'a'), ...read(1, '0x2', 2, '/r', 'a', 2),
      ...write(0, '0x1', 3, 'setData', '/r', 'b', 1), ...read(1, '0x2', 3, '/r', 'b', 3, 1)]);
    expect(r.verdict).toBe('valid');
  });

  it('flags zxids that contradict real time, and a zxid given twice', () => {
    const r = check([...write(0, '0x1', 5, 'create', '/a', 'x'), ...write(1, '0x2', 4, 'create', '/b', 'y'), ...write(2, '0x3', 5, 'create', '/c', 'z')]);
    expect(r.verdict).toBe('invalid');
    expect(kinds(r)).toEqual(['write-order', 'write-order', 'write-order']);
  });

  it('flags a read of state newer than the server that served it', () => {
    const r = check([...write(0, '0x1', 7, 'create', '/r', 'a'), ...read(1, '0x2', 6, '/r', 'a', 7)]);
    expect(kinds(r)).toEqual(['future-read']);
  });

  it('flags a read whose version does not match the write at its mzxid', () => {
    const r = check([...write(0, '0x1', 2, 'create', '/r', 'a'), ...write(0, '0x1', 3, 'setData', '/r', 'b', 1), ...read(1, '0x2', 3, '/r', 'b', 3, 4)]);
    expect(kinds(r)).toEqual(['phantom-read']);
  });

  it('flags a session that sees a node, then (elsewhere) sees it absent again', () => {
    const r = check([...write(0, '0x1', 2, 'create', '/r', 'a'), ...read(1, '0x2', 2, '/r', 'a', 2), ...read(1, '0x2', 1, '/r', null)]);
    expect(kinds(r).sort()).toEqual(['went-back', 'zxid-went-back']);
  });

  it('fails on non-linearizable writes even when reads are fine', () => {
    const r = check([...write(0, '0x1', 2, 'create', '/r', 'a'), ...write(1, '0x2', 3, 'create', '/r', 'b')]);
    expect(r.verdict).toBe('invalid');
    expect(r.summary).toMatch(/^writes not linearizable "\/r"/);
  });

  it('gives the benefit of the doubt where indeterminate writes could explain a read', () => {
    const r = check([...write(0, '0x1', 2, 'create', '/r', 'a'),
      [2, 'invoke', 'setData', { path: '/r', data: 'q' }, { session: '0x3' }], [2, 'info', 'setData', { path: '/r', data: 'q' }, { session: '0x3' }],
      ...read(1, '0x2', 9, '/r', 'q', 8, 1)]);
    expect(r.verdict).toBe('valid');
  });
});
