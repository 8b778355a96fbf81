import { describe, expect, it } from 'vitest';
import { OpCode } from '../server/wire/index.ts';
import { buildSetWatches } from './set-watches.ts';

const none = { data: [], exist: [], child: [], persistent: [], persistentRecursive: [] };

describe('buildSetWatches', () => {
  it('sends nothing without watches', () => {
    expect(buildSetWatches(none, '', 5)).toEqual([]);
  });

  it('uses SetWatches (v1) without persistent watches, with chroot and relativeZxid', () => {
    const [req, ...rest] = buildSetWatches({ ...none, data: ['/a'], child: ['/'] }, '/app', 42);
    expect(rest).toEqual([]);
    expect(req).toMatchObject({ opcode: OpCode.setWatches,
      body: { relativeZxid: 42, dataWatches: ['/app/a'], existWatches: [], childWatches: ['/app'] } });
  });

  it('uses SetWatches2 when a persistent watch exists', () => {
    const [req] = buildSetWatches({ ...none, exist: ['/e'], persistentRecursive: ['/r'] }, '', 1);
    expect(req).toMatchObject({ opcode: OpCode.setWatches2,
      body: { existWatches: ['/e'], persistentRecursiveWatches: ['/r'] } });
  });

  it('splits so no request carries more than the path budget', () => {
    const paths = Array.from({ length: 10 }, (_, i) => `/node-${i}`); // 7 chars each
    const reqs = buildSetWatches({ ...none, data: paths }, '', 0, 20);
    expect(reqs.length).toBe(5);
    const all = reqs.flatMap((r) => (r.op === 'setWatches' ? r.body.dataWatches : []));
    expect(all).toEqual(paths);
  });
});
