import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { epochOf, parseSrvr, pickLeader, type SrvrInfo } from './srvr.ts';

const fixture = (name: string) => readFileSync(new URL(`../../server/admin/fixtures/zk-3.8.0/${name}`, import.meta.url), 'utf8');

describe('parseSrvr', () => {
  it('reads Mode and Zxid from real ZooKeeper 3.8.0 answers', () => {
    expect(parseSrvr(fixture('leader-srvr.txt'))).toEqual({ mode: 'leader', zxid: 0x100000000n });
    expect(parseSrvr(fixture('follower-srvr.txt'))?.mode).toBe('follower');
    expect(parseSrvr(fixture('standalone-srvr.txt'))?.mode).toBe('standalone');
  });

  it('is undefined without a Mode line (not serving yet) or with an unknown mode', () => {
    expect(parseSrvr('This ZooKeeper instance is not currently serving requests\n')).toBeUndefined();
    expect(parseSrvr('Mode: confused\n')).toBeUndefined();
    expect(parseSrvr('')).toBeUndefined();
  });
});

describe('pickLeader', () => {
  const info = (mode: SrvrInfo['mode'], zxid: bigint): SrvrInfo => ({ mode, zxid });

  it('finds the one leader, or a standalone server', () => {
    expect(pickLeader(new Map([['n1', info('follower', 5n)], ['n2', info('leader', 5n)], ['n3', undefined]]))).toBe('n2');
    expect(pickLeader(new Map([['n1', info('standalone', 0n)]]))).toBe('n1');
  });

  it('is undefined when nobody leads', () => {
    expect(pickLeader(new Map([['n1', info('follower', 1n)], ['n2', undefined]]))).toBeUndefined();
    expect(pickLeader(new Map())).toBeUndefined();
  });

  it('prefers the highest epoch when an old leader has not stepped down yet', () => {
    const answers = new Map([['n1', info('leader', (1n << 32n) + 7n)], ['n3', info('leader', 2n << 32n)], ['n2', info('follower', 2n << 32n)]]);
    expect(pickLeader(answers)).toBe('n3');
    expect(epochOf(2n << 32n)).toBe(2n);
    expect(epochOf(-1n)).toBe(-1n);
  });
});
