import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrorCode } from './errors.ts';
import { KNOWN_KEYS } from './keys.ts';
import { parseZooCfg } from './zoo-cfg.ts';
import { applyMyid } from './myid.ts';
import { renderMember } from '../admin/render-conf.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'latin1');
const BASE = 'dataDir=/d\nclientPort=2181\n';
const parse = (extra: string) => parseZooCfg(BASE + extra, 'zoo.cfg');
const QUORUM = 'initLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.2:2888:3888\nserver.3=127.0.0.3:2888:3888\n';

function errorOf(f: () => unknown): ConfigError {
  try { f(); } catch (e) { if (e instanceof ConfigError) return e; throw e; }
  throw new Error('no ConfigError thrown');
}

describe('defaults (ZooKeeper 3.8)', () => {
  const c = parseZooCfg('dataDir=/d\n', 'zoo.cfg');
  it('applies each default', () => {
    expect(c).toMatchObject({
      tickTimeMs: 3000, initLimit: 0, syncLimit: 0, dataDir: '/d', dataLogDir: '/d', clientPort: undefined,
      clientPortAddress: undefined, secureClientPort: undefined, clientPortListenBacklog: -1, maxClientCnxns: 60,
      minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 60000, snapCount: 100000, autopurgeSnapRetainCount: 3,
      autopurgePurgeIntervalHours: 0, juteMaxBufferBytes: 0xfffff, extendedTypesEnabled: false, superDigest: undefined,
      containerCheckIntervalMs: 60000, containerMaxPerMinute: 10000, readOnlyModeEnabled: false, peerType: 'participant',
      standaloneEnabled: true, reconfigEnabled: false, forceSync: true, preAllocSizeBytes: 64 * 1024 * 1024,
      electionAlg: 3, quorumListenOnAllIPs: false, servers: [], standalone: true, serverId: undefined, warnings: [],
    });
    expect([...c.fourLetterWordWhitelist]).toEqual(['srvr']);
    expect(c.metricsProvider.size).toBe(0);
  });
  it('derives session timeouts from tickTime', () => {
    expect(parse('tickTime=2000\n')).toMatchObject({ minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000 });
    expect(parse('tickTime=2000\nminSessionTimeout=-1\nmaxSessionTimeout=30000\n'))
      .toMatchObject({ minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 30000 });
  });
});

describe('fixtures', () => {
  it('standalone.cfg', () => {
    const c = parseZooCfg(fixture('standalone.cfg'), 'standalone.cfg');
    expect(c).toMatchObject({ tickTimeMs: 2000, dataDir: '/var/lib/zooproof', clientPort: 2181, standalone: true, warnings: [] });
  });

  it('ensemble.cfg: servers sorted, IPv6 observer, not standalone', () => {
    const c = parseZooCfg(fixture('ensemble.cfg'), 'ensemble.cfg');
    expect(c.standalone).toBe(false);
    expect(c.servers.map((s) => [s.id, s.host, s.type, s.clientHost, s.clientPort])).toEqual([
      [1, '127.0.0.1', 'participant', '0.0.0.0', 2181], [2, '127.0.0.2', 'participant', '0.0.0.0', 2181],
      [3, '127.0.0.3', 'participant', '127.0.0.3', 2181], [4, '::1', 'observer', '::1', 2182],
    ]);
    expect(c.warnings).toEqual([]);
  });

  it('every-key.cfg: each key read', () => {
    const c = parseZooCfg(fixture('every-key.cfg'), 'every-key.cfg');
    expect(c).toMatchObject({
      tickTimeMs: 1000, initLimit: 20, syncLimit: 7, dataDir: '/data/snap', dataLogDir: '/data/log', clientPort: 2281,
      clientPortAddress: '127.0.0.1', clientPortListenBacklog: 128, maxClientCnxns: 0, minSessionTimeoutMs: 3000,
      maxSessionTimeoutMs: 60000, snapCount: 5000, autopurgeSnapRetainCount: 5, autopurgePurgeIntervalHours: 24,
      juteMaxBufferBytes: 0x400000, extendedTypesEnabled: true, superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=',
      containerCheckIntervalMs: 1000, containerMaxPerMinute: 600, readOnlyModeEnabled: true, peerType: 'participant',
      standaloneEnabled: false, reconfigEnabled: false, forceSync: false, preAllocSizeBytes: 16384 * 1024,
      electionAlg: 3, quorumListenOnAllIPs: true, standalone: false, warnings: [],
    });
    expect(c.fourLetterWordWhitelist).toEqual(new Set(['stat', 'ruok', 'mntr', 'isro', 'srvr']));
    expect([...c.metricsProvider]).toEqual([
      ['className', 'org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider'], ['httpPort', '7000'],
    ]);
    expect(c.properties.get('admin.serverPort')).toBe('8080');
  });
});

describe('each key', () => {
  it.each([
    ['snapCount=10', { snapCount: 10 }], ['zookeeper.snapCount=11', { snapCount: 11 }],
    ['jute.maxbuffer=4194304', { juteMaxBufferBytes: 4194304 }], ['zookeeper.jute.maxbuffer=0x10', { juteMaxBufferBytes: 16 }],
    ['zookeeper.extendedTypesEnabled=TRUE', { extendedTypesEnabled: true }],
    ['zookeeper.DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=', { superDigest: 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=' }],
    ['zookeeper.znode.container.checkIntervalMs=5', { containerCheckIntervalMs: 5 }],
    ['zookeeper.znode.container.maxPerMinute=6', { containerMaxPerMinute: 6 }],
    ['zookeeper.readonlymode.enabled=true', { readOnlyModeEnabled: true }],
    ['zookeeper.forceSync=yes', { forceSync: true }], ['zookeeper.preAllocSize=0', { preAllocSizeBytes: 0 }],
    ['peerType=OBSERVER', { peerType: 'observer' }], ['reconfigEnabled=true', { reconfigEnabled: true }],
    ['secureClientPort=2281', { secureClientPort: 2281 }], ['autopurge.purgeInterval=0', { autopurgePurgeIntervalHours: 0 }],
    ['clientPortAddress=::1', { clientPortAddress: '::1' }], ['maxClientCnxns=-1', { maxClientCnxns: -1 }],
  ])('%s', (line, expected) => {
    expect(parse(`${line}\n`)).toMatchObject(expected);
  });

  it('4lw.commands.whitelist: a list, * for all, and its zookeeper. alias', () => {
    expect(parse('4lw.commands.whitelist=*\n').fourLetterWordWhitelist.size).toBe(19);
    expect(parse('zookeeper.4lw.commands.whitelist=ruok\n').fourLetterWordWhitelist).toEqual(new Set(['ruok', 'srvr']));
  });

  it('a later line wins over an earlier one', () => {
    expect(parse('tickTime=1000\ntickTime=4000\n').tickTimeMs).toBe(4000);
  });

  it('knows every key (and alias) of the table in docs/config.md', () => {
    const doc = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    const keys = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!))
      .filter((k) => k !== 'server.N');
    expect(keys.length).toBe(40);
    expect(keys.filter((k) => !KNOWN_KEYS.includes(k))).toEqual([]);
  });
});

describe('warnings', () => {
  it.each([
    ['foo=bar', 'zoo.cfg: unknown key "foo" ignored (ZooKeeper would set the system property zookeeper.foo)'],
    ['secureClientPort=2281', 'zoo.cfg: secureClientPort: TLS is not supported; no secure port will be opened'],
    ['admin.enableServer=true', 'zoo.cfg: admin.enableServer=true: the admin server is not implemented; ignored'],
    ['autopurge.snapRetainCount=1', 'zoo.cfg: autopurge.snapRetainCount: 1 is below 3; using 3'],
    ['snapCount=1', 'zoo.cfg: snapCount: 1 is below 2; using 2'],
    ['4lw.commands.whitelist=stat,nope', 'zoo.cfg: 4lw.commands.whitelist: unknown command "nope"'],
    ['localSessionsEnabled=true', 'zoo.cfg: localSessionsEnabled=true: local sessions is not supported; ignored'],
    ['sslQuorum=true', 'zoo.cfg: sslQuorum=true: TLS is not supported; ignored'],
    ['reconfigEnabled=true', 'zoo.cfg: reconfigEnabled=true: dynamic reconfiguration is not implemented; reconfig requests will fail'],
    ['DigestAuthenticationProvider.superDigest=super', 'zoo.cfg: DigestAuthenticationProvider.superDigest: "super" is not <user>:<base64 sha1>; no password will match it'],
    ['server.1=127.0.0.1:2888:3888', 'zoo.cfg: only one server specified; running standalone (the server.N line is ignored)'],
  ])('%s', (line, warning) => {
    expect(parse(`${line}\n`).warnings).toEqual([warning]);
  });

  it('accepts admin.* and metricsProvider.* silently', () => {
    expect(parse('admin.serverPort=9\nadmin.enableServer=false\nmetricsProvider.exportJvmInfo=false\n').warnings).toEqual([]);
  });

  it('warns about 2 or an even number of voters', () => {
    const two = 'initLimit=1\nsyncLimit=1\nserver.1=a:1:2\nserver.2=b:1:2\n';
    expect(parse(two).warnings).toEqual(['zoo.cfg: 2 participant(s): no server failure will be tolerated. You need at least 3 servers.']);
    expect(parse(`${two}server.3=c:1:2\nserver.4=d:1:2\n`).warnings)
      .toEqual(['zoo.cfg: 4 participants: non-optimal configuration, consider an odd number of servers.']);
  });
});

describe('errors', () => {
  it.each([
    ['tickTime=abc', ConfigErrorCode.NOT_A_NUMBER, 'zoo.cfg: tickTime: "abc" is not a number'],
    ['tickTime=0', ConfigErrorCode.MISSING, 'zoo.cfg: tickTime is not set'],
    ['tickTime=-5', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: tickTime: -5 must be positive'],
    ['clientPort=99999', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: clientPort: "99999" is not a port (0..65535)'],
    ['minSessionTimeout=50000\nmaxSessionTimeout=40000', ConfigErrorCode.CONFLICT,
      'zoo.cfg: minSessionTimeout (50000) must not be larger than maxSessionTimeout (40000)'],
    ['tickTime=3000\nmaxSessionTimeout=5000', ConfigErrorCode.CONFLICT,
      'zoo.cfg: minSessionTimeout (6000) must not be larger than maxSessionTimeout (5000)'],
    ['electionAlg=1', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: electionAlg: "1" is not supported; only 3 is'],
    ['peerType=leader', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: peerType: "leader" is not a peer type (participant or observer)'],
    ['standaloneEnabled=yes', ConfigErrorCode.NOT_A_BOOLEAN, `zoo.cfg: standaloneEnabled: "yes" is not 'true' or 'false'`],
    ['forceSync=false', ConfigErrorCode.BAD_VALUE, `zoo.cfg: forceSync: "false" is not 'yes' or 'no'`],
    ['jute.maxbuffer=0', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: jute.maxbuffer: "0" must be positive'],
    ['jute.maxbuffer=1MB', ConfigErrorCode.NOT_A_NUMBER, 'zoo.cfg: jute.maxbuffer: "1MB" is not a number'],
    ['znode.container.checkIntervalMs=0', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: znode.container.checkIntervalMs: "0" must be at least 1'],
    ['preAllocSize=-1', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: preAllocSize: -1 must not be negative'],
    ['dataLogDir=', ConfigErrorCode.BAD_VALUE, 'zoo.cfg: dataLogDir: "" is empty'],
    ['dynamicConfigFile=/x', ConfigErrorCode.UNSUPPORTED, 'zoo.cfg: dynamicConfigFile: "/x" a separate dynamic configuration file is not supported'],
    ['group.1=1:2:3', ConfigErrorCode.UNSUPPORTED, 'zoo.cfg: group.1: "1:2:3" hierarchical quorums (group./weight.) are not supported'],
    ['k=\\u00zz', ConfigErrorCode.SYNTAX, 'zoo.cfg: line 3: malformed \\uxxxx encoding'],
  ])('%s', (line, code, message) => {
    const e = errorOf(() => parse(`${line}\n`));
    expect([e.code, e.message]).toEqual([code, message]);
  });

  it('dataDir is required', () => {
    const e = errorOf(() => parseZooCfg('clientPort=2181\n', 'conf/zoo.cfg'));
    expect([e.code, e.message, e.key]).toEqual([ConfigErrorCode.MISSING, 'conf/zoo.cfg: dataDir is not set', 'dataDir']);
  });

  it('clientPortAddress needs clientPort', () => {
    expect(() => parseZooCfg('dataDir=/d\nclientPortAddress=127.0.0.1\n', 'zoo.cfg'))
      .toThrow('zoo.cfg: clientPortAddress is set but clientPort is not set');
  });

  it.each([
    ['initLimit', 'syncLimit=5\nserver.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2', 'zoo.cfg: initLimit is not set (needed with server.N lines)'],
    ['syncLimit', 'initLimit=5\nserver.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2', 'zoo.cfg: syncLimit is not set (needed with server.N lines)'],
  ])('%s is required in a quorum', (_key, text, message) => {
    expect(errorOf(() => parse(`${text}\n`)).message).toBe(message);
  });

  it.each([
    ['standaloneEnabled=false', 'zoo.cfg: standaloneEnabled=false needs at least one participant server.N line'],
    ['server.1=a:1:2:observer', 'zoo.cfg: observers without participants is an invalid configuration'],
    ['server.1=a:1:2\nserver.2=b:1:2:observer', 'zoo.cfg: observers without a quorum is an invalid configuration'],
    [`${QUORUM}server.01=d:1:2`, 'zoo.cfg: server.1 is listed twice'],
    [`${QUORUM}server.4=127.0.0.1:3888:4888`, 'zoo.cfg: server.4 quorum port 3888 on 127.0.0.1 is already used by server.1 election port 3888'],
    ['initLimit=1\nsyncLimit=1\nserver.1=h:1:2;h:5\nserver.2=h:5:6', 'zoo.cfg: server.2 quorum port 5 on h is already used by server.1 client port 5'],
  ])('server list: %s', (text, message) => {
    const e = errorOf(() => parse(`${text}\n`));
    expect(e.message).toBe(message);
    expect([ConfigErrorCode.BAD_QUORUM, ConfigErrorCode.DUPLICATE_PORT]).toContain(e.code);
  });

  it('allows the same ports on different hosts, and a port-only client part per host', () => {
    const c = parse(`${QUORUM.replace(/:3888/g, ':3888;2181')}`);
    expect(c.servers).toHaveLength(3);
    expect(c.standalone).toBe(false);
  });
});

describe('agreement with ZooKeeper 3.8.0 QuorumPeerConfig (fixtures/*.zookeeper-3.8.0.txt)', () => {
  /** Prints a configuration the way fixtures/README.md's Java program printed ZooKeeper's. */
  function printLikeZooKeeper(text: string): string {
    const c = applyMyid(parseZooCfg(text.replace(/^dataDir=.*$/m, 'dataDir=<dataDir>').replace(/^dataLogDir=.*$/m, ''), 'zoo.cfg'),
      '1', '<dataDir>/myid');
    const sys = ['snapCount', '4lw.commands.whitelist', 'jute.maxbuffer', 'forceSync', 'preAllocSize', 'extendedTypesEnabled'];
    return [
      `tickTime=${c.tickTimeMs} initLimit=${c.initLimit} syncLimit=${c.syncLimit}`,
      `minSession=${c.minSessionTimeoutMs} maxSession=${c.maxSessionTimeoutMs} maxClientCnxns=${c.maxClientCnxns}`,
      `snapRetain=${c.autopurgeSnapRetainCount} purge=${c.autopurgePurgeIntervalHours} electionAlg=${c.electionAlg}`,
      `clientPortAddress=/${c.clientPortAddress ?? '0.0.0.0'}:${c.clientPort} backlog=${c.clientPortListenBacklog}`,
      `dataDir=${c.dataDir} dataLogDir=${c.dataLogDir}`,
      `distributed=${!c.standalone} serverId=${c.serverId} peerType=${c.peerType.toUpperCase()} listenAll=${c.quorumListenOnAllIPs}`,
      ...c.servers.map((s) => `server.${s.id}=${renderMember(s)}`),
      ...sys.map((k) => `zookeeper.${k}=${c.properties.get(k) ?? 'null'}`),
    ].join('\n') + '\n';
  }

  it.each(['every-key', 'ensemble'])('%s.cfg', (name) => {
    const text = fixture(`${name}.cfg`).replace(/^metricsProvider\.className=.*$/m, '');
    expect(printLikeZooKeeper(text)).toBe(fixture(`${name}.zookeeper-3.8.0.txt`));
  });
});
