import { describe, expect, it } from 'vitest';
import { applyMyid } from '../config/myid.ts';
import { parseZooCfg } from '../config/zoo-cfg.ts';
import { confSnapshotOf, renderConf, renderMember } from './render-conf.ts';
import { lastOpName } from './last-op.ts';
import { environmentEntries } from './environment.ts';
import { OpCode } from '../wire/opcodes.ts';

const measured = { clientPort: 2181, dataDirSizeBytes: 10, dataLogSizeBytes: 20 };

describe('confSnapshotOf + renderConf', () => {
  it('standalone: base lines, serverId 0', () => {
    const config = parseZooCfg('dataDir=/var/zk/\nclientPort=2181\ntickTime=2000\n', 'zoo.cfg');
    expect(renderConf(confSnapshotOf(config, measured))).toBe([
      'clientPort=2181', 'secureClientPort=-1', 'dataDir=/var/zk/version-2', 'dataDirSize=10',
      'dataLogDir=/var/zk/version-2', 'dataLogSize=20', 'tickTime=2000', 'maxClientCnxns=60',
      'minSessionTimeout=4000', 'maxSessionTimeout=40000', 'clientPortListenBacklog=-1', 'serverId=0', '',
    ].join('\n'));
  });

  const ensemble = [
    'dataDir=/d', 'dataLogDir=/l', 'initLimit=10', 'syncLimit=5', 'clientPort=2181',
    'server.2=127.0.0.2:2888:3888', 'server.1=127.0.0.1:2888:3888;127.0.0.1:2181', 'server.3=[::1]:2888:3888:observer;2181',
  ].join('\n');

  it('quorum: membership sorted by id; the client address only where the line gives one', () => {
    const config = applyMyid(parseZooCfg(ensemble, 'zoo.cfg'), '2\n', '/d/myid');
    const text = renderConf(confSnapshotOf(config, measured));
    expect(text.split('\n').slice(11)).toEqual([
      'serverId=2', 'initLimit=10', 'syncLimit=5', 'electionAlg=3', 'electionPort=3888', 'quorumPort=2888',
      'peerType=0', 'membership: ',
      'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181',
      'server.2=127.0.0.2:2888:3888:participant',
      'server.3=[0:0:0:0:0:0:0:1]:2888:3888:observer;0.0.0.0:2181',
      'version=0',
    ]);
    expect(text.split('\n')[4]).toBe('dataLogDir=/l/version-2');
  });

  it('read-only: quorum lines without membership; observers print peerType=1', () => {
    const config = applyMyid(parseZooCfg(ensemble, 'zoo.cfg'), '3', '/d/myid');
    const text = renderConf(confSnapshotOf(config, { ...measured, readOnly: true }));
    expect(text.endsWith('electionPort=3888\nquorumPort=2888\npeerType=1\n')).toBe(true);
  });

  it('renderMember expands and brackets IPv6 hosts', () => {
    expect(renderMember({ id: 1, host: '::1', quorumPort: 1, electionPort: 2, type: 'participant', clientHost: '::1', clientPort: 3 }))
      .toBe('[0:0:0:0:0:0:0:1]:1:2:participant;[0:0:0:0:0:0:0:1]:3');
  });
});

describe('lastOpName', () => {
  it('uses FinalRequestProcessor names', () => {
    expect(lastOpName(OpCode.exists)).toBe('EXIS');
    expect(lastOpName(OpCode.create2)).toBe('CREA');
    expect(lastOpName(OpCode.getChildren2)).toBe('GETC');
    expect(lastOpName(OpCode.ping)).toBe('PING');
    expect(lastOpName(9999)).toBe('NA');
  });
});

describe('environmentEntries', () => {
  it('keeps ZooKeeper key order and MB rounding', () => {
    const entries = environmentEntries({
      hostName: 'h', nodeVersion: 'v20.19.0', execPath: '/usr/bin/node', tmpDir: '/tmp', osName: 'Linux', osArch: 'x64',
      osVersion: '6.1', userName: 'root', userHome: '/root', userDir: '/w',
      memoryFreeBytes: 3 * 1024 * 1024 - 1, memoryMaxBytes: 4 * 1024 * 1024, memoryTotalBytes: 0,
    });
    expect(entries[0]).toEqual(['host.name', 'h']);
    expect(entries.slice(-3)).toEqual([['os.memory.free', '2MB'], ['os.memory.max', '4MB'], ['os.memory.total', '0MB']]);
  });
});
