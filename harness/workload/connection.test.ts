import { describe, expect, it } from 'vitest';
import { hostsFor } from './connection.ts';
import type { NodeAddress } from './types.ts';

const nodes: NodeAddress[] = ['n1', 'n2', 'n3'].map((name, i) => ({ name, host: '127.0.0.1', port: 1000 + i }));
const names = (xs: NodeAddress[]) => xs.map((n) => n.name);

describe('client placement', () => {
  it('pinned: only the home server, one per thread in turn', () => {
    expect([0, 1, 2, 3, 4].map((t) => names(hostsFor(nodes, t, 'pinned', undefined)))).toEqual([['n1'], ['n2'], ['n3'], ['n1'], ['n2']]);
  });

  it('roaming: every server, home first', () => {
    expect(names(hostsFor(nodes, 4, 'roaming', undefined))).toEqual(['n2', 'n3', 'n1']);
  });

  it('mixed: one pinned client per node, the rest roaming', () => {
    expect([0, 1, 2, 3, 4].map((t) => names(hostsFor(nodes, t, 'mixed', undefined))))
      .toEqual([['n1'], ['n2'], ['n3'], ['n1', 'n2', 'n3'], ['n2', 'n3', 'n1']]);
  });

  it('leader: only the leader, or the home server while no leader is known', () => {
    expect(names(hostsFor(nodes, 0, 'leader', 'n3'))).toEqual(['n3']);
    expect(names(hostsFor(nodes, 1, 'leader', undefined))).toEqual(['n2']);
    expect(names(hostsFor(nodes, 1, 'leader', 'n9'))).toEqual(['n2']);
  });

  it('refuses an empty ensemble', () => {
    expect(() => hostsFor([], 0, 'pinned', undefined)).toThrow(RangeError);
  });
});
