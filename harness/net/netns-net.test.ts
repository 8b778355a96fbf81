import { describe, expect, it } from 'vitest';
import { grudgeFromJson, isolateNode } from './grudge.ts';
import { CHAIN, grudgeRules, netnsNodeSpecs } from './netns-net.ts';

describe('netns layout and rules', () => {
  const specs = netnsNodeSpecs(['n1', 'n2', 'n3']);

  it('gives node i the address 127.0.0.(i+1) and ZooKeeper’s usual ports', () => {
    expect(specs.map((s) => `${s.name}/${s.myid}@${s.host}:${s.clientPort}/${s.quorumPort}/${s.electionPort}`)).toEqual([
      'n1/1@127.0.0.2:2181/2888/3888', 'n2/2@127.0.0.3:2181/2888/3888', 'n3/3@127.0.0.4:2181/2888/3888',
    ]);
  });

  it('turns a grudge into raw-table DROP rules, source = the node dropped, destination = the node dropping', () => {
    expect(grudgeRules(specs, grudgeFromJson({ n1: ['n2'] }))).toEqual([
      ['-t', 'raw', '-A', CHAIN, '-s', '127.0.0.3', '-d', '127.0.0.2', '-j', 'DROP'],
    ]);
    expect(grudgeRules(specs, isolateNode(['n1', 'n2', 'n3'], 'n3'))).toHaveLength(4);
    expect(grudgeRules(specs, new Map())).toEqual([]);
  });

  it('refuses unknown nodes', () => {
    expect(() => grudgeRules(specs, grudgeFromJson({ n9: ['n1'] }))).toThrow(/unknown node/);
  });
});
