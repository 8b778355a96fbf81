import { describe, expect, it } from 'vitest';
import { settled, type FinalZnode, type Tree } from './final-trees.ts';

const znode = (over: Partial<FinalZnode> = {}): FinalZnode => ({ data: null, version: 0, czxid: 1, mzxid: 1, pzxid: 1, cversion: 0,
  aversion: 0, ephemeralOwner: '0x0', numChildren: 0, dataLength: 0, acl: [{ perms: 31, scheme: 'world', id: 'anyone' }], ...over });

describe('final trees settle', () => {
  const a: Tree = { '/r': znode(), '/r/x': znode({ data: 1 }) };

  it('when every tree was read, all alike, with no ephemeral left', () => {
    expect(settled([a, structuredClone(a), structuredClone(a)])).toBe(true);
  });

  it('not while trees differ in any Stat field, or one could not be read', () => {
    expect(settled([a, { ...a, '/r': znode({ pzxid: 2 }) }])).toBe(false);
    expect(settled([a, undefined])).toBe(false);
  });

  it('not while an ephemeral remains (its session is still expiring), even if every server shows it', () => {
    const e: Tree = { ...a, '/r/e': znode({ ephemeralOwner: '0x5' }) };
    expect(settled([e, structuredClone(e)])).toBe(false);
  });
});
