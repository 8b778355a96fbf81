import { describe, expect, it } from 'vitest';
import { ZooKeeperError } from '../../client/index.ts';
import { Code } from '../../server/wire/index.ts';
import type { NewEvent } from '../history/writer.ts';
import { connectString, NotificationBuffer, type WorkerConnection } from './connection.ts';
import { decodeData, encodeData, IndeterminateError, perform } from './perform.ts';

function fakeConnection(): WorkerConnection {
  return { where: () => ({ node: 'n1', session: '0x1' }), notifications: new NotificationBuffer(() => {}) } as unknown as WorkerConnection;
}

const lost = (sent: boolean) => new ZooKeeperError(Code.CONNECTIONLOSS, 'setData', '/k', sent);
const badVersion = () => new ZooKeeperError(Code.BADVERSION, 'setData', '/k', true);

describe('perform: outcomes by the definite-error table', () => {
  const run = (body: Parameters<typeof perform>[2]) => perform(fakeConnection(), 'in', body);

  it('ok carries the value, the zxid and where it ran', async () => {
    expect(await run(async () => ({ value: 3, zxid: 9 }))).toEqual({ type: 'ok', value: 3, zxid: 9, node: 'n1', session: '0x1' });
  });

  it('a failure before any write is fail, whatever the error (reads have no effect)', async () => {
    expect(await run(async () => { throw lost(true); })).toMatchObject({ type: 'fail', value: 'in', error: 'CONNECTIONLOSS' });
  });

  it('a sent write that lost its connection is info; an unsent one or a refusal is fail', async () => {
    expect(await run(async (s) => { s.writing(); throw lost(true); })).toMatchObject({ type: 'info', error: 'CONNECTIONLOSS' });
    expect(await run(async (s) => { s.writing(); throw lost(false); })).toMatchObject({ type: 'fail', error: 'CONNECTIONLOSS' });
    expect(await run(async (s) => { s.writing(); throw badVersion(); })).toMatchObject({ type: 'fail', error: 'BADVERSION' });
  });

  it('after a write succeeded, any failure is info (the op partly happened)', async () => {
    expect(await run(async (s) => { s.writing(); s.wrote(); throw badVersion(); })).toMatchObject({ type: 'info' });
    expect(await run(async (s) => { s.writing(); s.wrote(); return { value: null, fail: 'x' }; })).toMatchObject({ type: 'info', error: 'x' });
  });

  it('a write refused for certain clears the writing state; workload-decided failures are fail', async () => {
    expect(await run(async (s) => { s.writing(); s.refused(); throw new Error('later read failed'); })).toMatchObject({ type: 'fail' });
    expect(await run(async () => ({ value: null, fail: 'value differs' }))).toMatchObject({ type: 'fail', error: 'value differs' });
    expect(await run(async () => { throw new IndeterminateError('cannot tell'); })).toMatchObject({ type: 'info', error: 'cannot tell' });
  });
});

describe('connection helpers', () => {
  it('connect strings start at the thread\'s home server', () => {
    const nodes = ['a', 'b', 'c'].map((name, i) => ({ name, host: '127.0.0.1', port: 1000 + i }));
    expect(connectString(nodes, 0)).toBe('127.0.0.1:1000,127.0.0.1:1001,127.0.0.1:1002');
    expect(connectString(nodes, 4)).toBe('127.0.0.1:1001,127.0.0.1:1002,127.0.0.1:1000');
  });

  it('notifications are recorded at once, in arrival order, even while an op is outstanding', () => {
    const out: NewEvent[] = [];
    const b = new NotificationBuffer((e) => out.push(e));
    const ev = (n: number): NewEvent => ({ process: 0, type: 'ok', f: 'watch-event', value: n, time: n });
    b.add(ev(1));
    b.hold();
    b.add(ev(2));
    expect(out.map((e) => e.value)).toEqual([1, 2]);
    b.release();
    b.add(ev(3));
    expect(out.map((e) => e.value)).toEqual([1, 2, 3]);
  });

  it('data round-trips as JSON, the empty znode as null', () => {
    expect(decodeData(new TextEncoder().encode(encodeData(42)))).toBe(42);
    expect(decodeData(new Uint8Array())).toBeNull();
    expect(encodeData(null)).toBe('');
  });

  it('data keeps its exact bytes: invalid UTF-8 as {b64}, non-canonical JSON as its text', () => {
    expect(decodeData(Uint8Array.of(0x61, 0xff, 0x62))).toEqual({ b64: 'Yf9i' });
    expect(decodeData(Uint8Array.of(0x61, 0xfe, 0x62))).toEqual({ b64: 'Yf5i' });
    expect(decodeData(new TextEncoder().encode('42 '))).toBe('42 ');
    expect(decodeData(new TextEncoder().encode('{"b64":"Yf9i"}'))).toBe('{"b64":"Yf9i"}');
    expect(decodeData(new TextEncoder().encode(encodeData({ a: [1, 'é'] })))).toEqual({ a: [1, 'é'] });
  });
});
