import { describe, expect, it } from 'vitest';
import { ConfigErrorCode } from './errors.ts';
import { applyMyid, parseMyid } from './myid.ts';
import { parseZooCfg } from './zoo-cfg.ts';

const ENSEMBLE = [
  'dataDir=/d', 'initLimit=10', 'syncLimit=5',
  'server.1=127.0.0.1:2888:3888;127.0.0.1:2181', 'server.2=127.0.0.2:2888:3888', 'server.3=127.0.0.3:2888:3888:observer;2182',
  'server.4=127.0.0.4:2888:3888',
].join('\n');
const ensemble = (extra = '') => parseZooCfg(`${ENSEMBLE}\n${extra}`, 'zoo.cfg');

function codeAndMessage(f: () => unknown): [string, string] {
  try { f(); } catch (e) { return [(e as { code: string }).code, (e as Error).message]; }
  throw new Error('no error');
}

describe('parseMyid', () => {
  it('reads a decimal number on the first line, blanks trimmed', () => {
    expect(parseMyid('3\n', '/d/myid')).toBe(3);
    expect(parseMyid('  12 \r\nrest', '/d/myid')).toBe(12);
  });
  it.each([['abc', '"abc"'], ['', '""'], ['1.0', '"1.0"'], ['0x1', '"0x1"']])('refuses %j', (text, shown) => {
    expect(codeAndMessage(() => parseMyid(text, '/d/myid'))).toEqual([ConfigErrorCode.MYID, `/d/myid: serverid ${shown} is not a number`]);
  });
  it('refuses a negative id', () => {
    expect(() => parseMyid('-1', '/d/myid')).toThrow('/d/myid: serverid -1 is out of range');
  });
});

describe('applyMyid', () => {
  it('a quorum member takes its client port from its server line', () => {
    const c = applyMyid(ensemble(), '1', '/d/myid');
    expect(c).toMatchObject({ serverId: 1, clientPort: 2181, clientPortAddress: '127.0.0.1', peerType: 'participant' });
  });

  it('a port-only client part binds all addresses', () => {
    const c = applyMyid(ensemble(), '3', '/d/myid');
    expect(c).toMatchObject({ serverId: 3, clientPort: 2182, clientPortAddress: undefined, peerType: 'observer' });
    expect(c.warnings).toEqual(['zoo.cfg: peerType=participant but server.3 is listed as observer; using the server list']);
  });

  it('otherwise uses clientPort', () => {
    expect(applyMyid(ensemble('clientPort=2190'), '2', '/d/myid')).toMatchObject({ clientPort: 2190, clientPortAddress: undefined });
  });

  it('agrees when clientPort equals the line (wildcard static address compares ports only)', () => {
    expect(applyMyid(ensemble('clientPort=2181'), '1', '/d/myid').clientPort).toBe(2181);
    expect(() => applyMyid(ensemble('clientPort=2181\nclientPortAddress=127.0.0.9'), '1', '/d/myid'))
      .toThrow('zoo.cfg: client address for this server (id = 1) is 127.0.0.9:2181 in clientPort/clientPortAddress but 127.0.0.1:2181 in its server.1 line');
  });

  it.each([
    [undefined, ConfigErrorCode.MYID, '/d/myid: myid file is missing'],
    ['9', ConfigErrorCode.MYID, '/d/myid: my id 9 is not in the peer list (server.1, server.2, server.3, server.4)'],
    ['x', ConfigErrorCode.MYID, '/d/myid: serverid "x" is not a number'],
    ['2', ConfigErrorCode.MISSING, 'zoo.cfg: no client port: set clientPort or add ;clientPort to server.2'],
  ])('quorum member with myid %j', (text, code, message) => {
    expect(codeAndMessage(() => applyMyid(ensemble(), text, '/d/myid'))).toEqual([code, message]);
  });

  it('extendedTypesEnabled limits a quorum member\'s id to 254', () => {
    const servers = 'initLimit=1\nsyncLimit=1\nserver.254=a:1:2\nserver.255=b:1:2\nserver.3=c:1:2\n';
    const big = parseZooCfg(`dataDir=/d\nclientPort=1\nextendedTypesEnabled=true\n${servers}`, 'zoo.cfg');
    expect(applyMyid(big, '254', '/d/myid').serverId).toBe(254);
    expect(codeAndMessage(() => applyMyid(big, '255', '/d/myid'))).toEqual([ConfigErrorCode.CONFLICT,
      '/d/myid: extendedTypesEnabled is true but server id 255 is larger than 254']);
    const standalone = parseZooCfg('dataDir=/d\nclientPort=1\nextendedTypesEnabled=true\n', 'zoo.cfg');
    expect(applyMyid(standalone, '255', '/d/myid').serverId).toBe(255);
  });

  it('standalone: myid optional, read when present, not checked against servers', () => {
    const c = parseZooCfg('dataDir=/d\nclientPort=2181\n', 'zoo.cfg');
    expect(applyMyid(c, undefined, '/d/myid').serverId).toBeUndefined();
    expect(applyMyid(c, '7', '/d/myid').serverId).toBe(7);
    expect(() => applyMyid(parseZooCfg('dataDir=/d\n', 'zoo.cfg'), undefined, '/d/myid'))
      .toThrow('zoo.cfg: no client port: set clientPort');
  });

  it('standalone with one server line uses that line when myid names it', () => {
    const c = parseZooCfg('dataDir=/d\nserver.5=127.0.0.1:2888:3888;2185\n', 'zoo.cfg');
    expect(c.standalone).toBe(true);
    expect(applyMyid(c, '5', '/d/myid')).toMatchObject({ serverId: 5, clientPort: 2185 });
  });
});
