import { describe, expect, it } from 'vitest';
import { ConfigErrorCode } from './errors.ts';
import { parseServerLine, splitHostAndPorts } from './server-line.ts';

const parse = (value: string, key = 'server.1') => parseServerLine('zoo.cfg', key, value);

function codeOf(f: () => unknown): string | undefined {
  try { f(); } catch (e) { return (e as { code?: string }).code; }
  return undefined;
}

describe('parseServerLine', () => {
  it('host:quorumPort:electionPort', () => {
    expect(parse('zk1:2888:3888')).toEqual({ id: 1, host: 'zk1', quorumPort: 2888, electionPort: 3888, type: 'participant' });
  });
  it('with a type and a client port only (host 0.0.0.0, as ZooKeeper)', () => {
    expect(parse('zk1:2888:3888:Observer;2181', 'server.7')).toEqual({
      id: 7, host: 'zk1', quorumPort: 2888, electionPort: 3888, type: 'observer', clientHost: '0.0.0.0', clientPort: 2181,
    });
  });
  it('IPv6 in brackets, for the server and the client part', () => {
    expect(parse('[::1]:2888:3888:participant;[::1]:2181')).toMatchObject({
      host: '::1', quorumPort: 2888, electionPort: 3888, clientHost: '::1', clientPort: 2181,
    });
  });
  it('drops trailing empty fields like Java String.split', () => {
    expect(parse('zk1:2888:3888:;')).toMatchObject({ type: 'participant' });
    expect(parse('zk1:2888:3888:')).not.toHaveProperty('clientPort');
  });

  const form = 'does not have the form host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]';
  it.each([
    ['zk1:2888', `zoo.cfg: server.1: "zk1:2888" ${form}`],
    ['zk1:2888:3888:observer:x', form],
    ['a:1:2;b:3;c', form],
    ['zk1:2888:3888;h:1:2', form],
    [':2888:3888', form],
    ['zk1:x:3888', 'zoo.cfg: server.1: "zk1:x:3888" has quorum port "x", which is not a port (1..65535)'],
    ['zk1:2888:70000', 'has election port "70000", which is not a port (1..65535)'],
    ['zk1:2888:3888;0', 'has client port "0", which is not a port (1..65535)'],
    ['zk1:2888:3888:leader', 'has peer type "leader"; expected participant or observer'],
    ['zk1:2888:2888', 'zoo.cfg: server.1: "zk1:2888:2888" uses port 2888 for both quorum and election; they must differ'],
    ['a:1:2|b:1:2', 'lists several addresses (|); multiAddress is not supported'],
    ['[::1:2888:3888', `zoo.cfg: server.1: "[::1:2888:3888" starts with '[' but has no matching ']'`],
    ['[::1]:', `zoo.cfg: server.1: "[::1]:" doesn't have a port after the colon`],
  ])('refuses %s', (value, message) => {
    expect(() => parse(value)).toThrow(message);
  });

  it('refuses a bad id', () => {
    expect(() => parse('a:1:2', 'server.x')).toThrow('zoo.cfg: server.x: "x" is not a number');
    expect(() => parse('a:1:2', 'server.-1')).toThrow('zoo.cfg: server.-1: "-1" is not a server id (0 or more)');
  });

  it('classifies errors by code', () => {
    expect(codeOf(() => parse('zk1:2888'))).toBe(ConfigErrorCode.BAD_SERVER);
    expect(codeOf(() => parse('zk1:1:1'))).toBe(ConfigErrorCode.DUPLICATE_PORT);
    expect(codeOf(() => parse('a:1:2|b:1:2'))).toBe(ConfigErrorCode.UNSUPPORTED);
  });
});

describe('splitHostAndPorts (ConfigUtils.getHostAndPort)', () => {
  const src = { fileName: 'zoo.cfg', key: 'server.1' };
  it('splits plain and bracketed hosts', () => {
    expect(splitHostAndPorts(src, 'h:1:2')).toEqual(['h', '1', '2']);
    expect(splitHostAndPorts(src, '[fe80::1]:1:2')).toEqual(['fe80::1', '1', '2']);
    expect(splitHostAndPorts(src, '[::1]')).toEqual(['::1']);
  });
});
