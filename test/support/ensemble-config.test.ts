import { describe, expect, it } from 'vitest';
import { memberConfig, memberTypes, serverLine, type MemberAddress } from './ensemble-config.ts';
import { parseEnsembleKinds, parseMode } from './ensemble.ts';

const members: MemberAddress[] = [
  { id: 1, type: 'participant', clientPort: 2181, quorumPort: 2888, electionPort: 3888 },
  { id: 2, type: 'participant', clientPort: 2182, quorumPort: 2889, electionPort: 3889 },
  { id: 3, type: 'observer', clientPort: 2183, quorumPort: 2890, electionPort: 3890 },
];

describe('ensemble zoo.cfg', () => {
  it('server.N lines carry loopback, quorum port, election port and peer type', () => {
    expect(serverLine(members[2]!)).toBe('server.3=127.0.0.1:2890:3890:observer');
  });
  it('every member lists all members; peerType and clientPort are its own', () => {
    const cfg = memberConfig({ tickTimeMs: 500 }, '/d3', members[2]!, members).zooCfg;
    expect(cfg).toMatch(/^peerType=observer$/m);
    expect(cfg).toMatch(/^clientPort=2183$/m);
    expect(cfg).toMatch(/^tickTime=500$/m);
    expect(cfg).toMatch(/^dataDir=\/d3$/m);
    for (const m of members) expect(cfg).toContain(`${serverLine(m)}\n`);
    expect(memberConfig({}, '/d1', members[0]!, members).zooCfg).toMatch(/^peerType=participant$/m);
  });
  it('refuses a member that is not in the list, and duplicate ids', () => {
    expect(() => memberConfig({}, '/d', { ...members[0]!, id: 9 }, members)).toThrow(/server.9 is not a member/);
    expect(() => memberConfig({}, '/d', members[0]!, [...members, members[0]!])).toThrow(/duplicate/);
  });
  it('voters first, then observers', () => {
    expect(memberTypes(3, 2)).toEqual(['participant', 'participant', 'participant', 'observer', 'observer']);
    expect(() => memberTypes(0, 1)).toThrow();
  });
});

describe('ensemble selection and srvr modes', () => {
  it('ENSEMBLE_TARGETS defaults to zooproof and rejects unknown names', () => {
    expect(parseEnsembleKinds(undefined)).toEqual(['zooproof']);
    expect(parseEnsembleKinds(' apache, zooproof ')).toEqual(['apache', 'zooproof']);
    expect(() => parseEnsembleKinds('etcd')).toThrow(/unknown ensemble 'etcd'/);
  });
  it('reads the Mode line, and a server that is not serving as down', () => {
    expect(parseMode('Zookeeper version: 3.8.0\nZxid: 0x1\nMode: follower\nNode count: 5\n')).toBe('follower');
    expect(parseMode('This ZooKeeper instance is not currently serving requests\n')).toBe('down');
  });
});
