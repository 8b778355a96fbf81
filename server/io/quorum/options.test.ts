import { describe, expect, it } from 'vitest';
import { applyMyid, parseZooCfg } from '../../config/index.ts';
import { quorumOptionsFromConfig } from './options.ts';

describe('quorumOptionsFromConfig', () => {
  it('takes the server lines, limits and dirs from zoo.cfg and the id from myid', () => {
    const cfg = parseZooCfg([
      'tickTime=500', 'initLimit=7', 'syncLimit=3', 'dataDir=/var/zk', 'dataLogDir=/var/zklog', 'clientPort=2181',
      'snapCount=1000', 'jute.maxbuffer=2000000',
      'server.1=127.0.0.2:2888:3888', 'server.2=127.0.0.3:2888:3888', 'server.3=127.0.0.4:2888:3888:observer',
    ].join('\n'), 'zoo.cfg');
    const config = applyMyid(cfg, '2\n', '/var/zk/myid');
    const o = quorumOptionsFromConfig(config, () => undefined);
    expect(o).toMatchObject({ myId: 2, tickTimeMs: 500, initLimit: 7, syncLimit: 3, dataDir: '/var/zk', dataLogDir: '/var/zklog', snapCount: 1000 });
    expect(o.servers.map((s) => [s.id, s.host, s.quorumPort, s.electionPort, s.type])).toEqual([
      [1, '127.0.0.2', 2888, 3888, 'participant'], [2, '127.0.0.3', 2888, 3888, 'participant'], [3, '127.0.0.4', 2888, 3888, 'observer'],
    ]);
    expect(o.juteMaxBufferBytes).toBe(config.juteMaxBufferBytes);
  });
});
