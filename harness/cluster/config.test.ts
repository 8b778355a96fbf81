import { describe, expect, it } from 'vitest';
import { DEFAULT_ENSEMBLE_OPTIONS, myidFileText, nodeNames, serverLines, zooCfgFor } from './config.ts';
import { InfraError } from './errors.ts';
import type { Layout, NodeSpec } from './types.ts';

function layoutOf(nodes: NodeSpec[], proxyPortBase?: number): Layout {
  return {
    nodes,
    peerAddress: (from, to) => {
      const t = nodes.find((n) => n.name === to)!;
      if (proxyPortBase === undefined) return { host: t.host, quorumPort: t.quorumPort, electionPort: t.electionPort };
      const f = nodes.find((n) => n.name === from)!;
      const port = proxyPortBase + f.myid * 100 + t.myid * 10;
      return { host: '127.0.0.1', quorumPort: port, electionPort: port + 1 };
    },
    clientAddress: (n) => ({ host: '127.0.0.1', port: nodes.find((x) => x.name === n)!.clientPort }),
    adminAddress: (n) => ({ host: '127.0.0.1', port: nodes.find((x) => x.name === n)!.clientPort }),
  };
}

const three: NodeSpec[] = [1, 2, 3].map((i) => ({ name: `n${i}`, myid: i, host: `127.0.0.${i + 1}`, clientPort: 2181, quorumPort: 2888, electionPort: 3888 }));

describe('zooCfgFor', () => {
  it('writes no server.N lines for one node (standalone)', () => {
    const cfg = zooCfgFor(layoutOf(three.slice(0, 1)), 'n1', '/d', DEFAULT_ENSEMBLE_OPTIONS);
    expect(cfg).not.toMatch(/^server\./m);
    expect(cfg).toContain('clientPortAddress=127.0.0.2\n');
    expect(cfg).toContain('dataDir=/d\n');
    expect(cfg).toContain('4lw.commands.whitelist=*\n');
  });

  it('lists every member as server.<myid> for an ensemble', () => {
    const cfg = zooCfgFor(layoutOf(three), 'n2', '/d', DEFAULT_ENSEMBLE_OPTIONS);
    expect(cfg.split('\n').filter((l) => l.startsWith('server.'))).toEqual([
      'server.1=127.0.0.2:2888:3888', 'server.2=127.0.0.3:2888:3888', 'server.3=127.0.0.4:2888:3888',
    ]);
    expect(cfg).toContain('tickTime=500\n');
  });

  it("gives each node its own view: itself where it binds, peers where it dials them", () => {
    const layout = layoutOf(three.map((n) => ({ ...n, host: '127.0.0.1', quorumPort: 5000 + n.myid, electionPort: 6000 + n.myid })), 20000);
    expect(serverLines(layout, 'n1')).toEqual(['server.1=127.0.0.1:5001:6001', 'server.2=127.0.0.1:20120:20121', 'server.3=127.0.0.1:20130:20131']);
    expect(serverLines(layout, 'n3')).toEqual(['server.1=127.0.0.1:20310:20311', 'server.2=127.0.0.1:20320:20321', 'server.3=127.0.0.1:5003:6003']);
  });

  it('lets extra keys override generated ones', () => {
    const cfg = zooCfgFor(layoutOf(three), 'n1', '/d', { ...DEFAULT_ENSEMBLE_OPTIONS, extraConfig: { tickTime: '2000', syncEnabled: 'true' } });
    expect(cfg).toContain('tickTime=2000\n');
    expect(cfg).not.toContain('tickTime=500');
    expect(cfg).toContain('syncEnabled=true\n');
  });

  it('refuses an unknown node with a typed error', () => {
    expect(() => zooCfgFor(layoutOf(three), 'n9', '/d', DEFAULT_ENSEMBLE_OPTIONS)).toThrow(InfraError);
  });
});

describe('myid and names', () => {
  it('writes myid as ZooKeeper reads it, 1..255', () => {
    expect(myidFileText(three[2]!)).toBe('3\n');
    expect(() => myidFileText({ ...three[0]!, myid: 0 })).toThrow(/1\.\.255/);
  });

  it('names nodes n1..nN', () => {
    expect(nodeNames(3)).toEqual(['n1', 'n2', 'n3']);
    expect(() => nodeNames(0)).toThrow(InfraError);
    expect(() => nodeNames(10)).toThrow(InfraError);
  });
});

describe('observers', () => {
  const four: NodeSpec[] = [1, 2, 3, 4].map((i) => ({ name: `n${i}`, myid: i, host: `127.0.0.${i + 1}`, clientPort: 2181, quorumPort: 2888, electionPort: 3888 }));

  it('marks the last k nodes as observers in every server line and gives them peerType=observer', () => {
    const opts = { ...DEFAULT_ENSEMBLE_OPTIONS, observers: 1 };
    for (const node of ['n1', 'n4']) {
      const cfg = zooCfgFor(layoutOf(four), node, '/d', opts);
      expect(cfg.split('\n').filter((l) => l.startsWith('server.'))).toEqual([
        'server.1=127.0.0.2:2888:3888', 'server.2=127.0.0.3:2888:3888', 'server.3=127.0.0.4:2888:3888',
        'server.4=127.0.0.5:2888:3888:observer',
      ]);
    }
    expect(zooCfgFor(layoutOf(four), 'n4', '/d', opts)).toContain('peerType=observer\n');
    expect(zooCfgFor(layoutOf(four), 'n3', '/d', opts)).not.toContain('peerType');
  });

  it('marks observers in each node\'s own view through proxies too', () => {
    const layout = layoutOf(four.map((n) => ({ ...n, host: '127.0.0.1', quorumPort: 5000 + n.myid, electionPort: 6000 + n.myid })), 20000);
    expect(serverLines(layout, 'n4', 1)).toEqual(['server.1=127.0.0.1:20410:20411', 'server.2=127.0.0.1:20420:20421',
      'server.3=127.0.0.1:20430:20431', 'server.4=127.0.0.1:5004:6004:observer']);
  });

  it('allows an even total when the observers leave the voters odd, and refuses an even number of voters', () => {
    expect(nodeNames(4, 1)).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(nodeNames(5, 2)).toHaveLength(5);
    expect(() => nodeNames(4, 2)).toThrow(/voters must be odd/);
    expect(() => nodeNames(2, 2)).toThrow(/no voter/);
    expect(() => nodeNames(3, -1)).toThrow(InfraError);
    expect(() => zooCfgFor(layoutOf(four), 'n1', '/d', { ...DEFAULT_ENSEMBLE_OPTIONS, observers: 2 })).toThrow(InfraError);
  });

  it('writes no observer lines without observers', () => {
    expect(zooCfgFor(layoutOf(four.slice(0, 3)), 'n3', '/d', DEFAULT_ENSEMBLE_OPTIONS)).not.toMatch(/observer/);
  });
});
