// Each four-letter word's text against what a real ZooKeeper 3.8.0 (Debian's
// package) printed, captured in fixtures/zk-3.8.0/ (see its README): the
// snapshots below hold the values that server had when it answered.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWhitelist } from './words.ts';
import { renderFourLetterWord, ZK_NOT_SERVING } from './four-letter.ts';
import type { ConnectionSnapshot, ServerSnapshot } from './snapshot.ts';
import { NO_LATENCY } from './snapshot.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/zk-3.8.0/${name}.txt`, import.meta.url), 'latin1');

const ALL = buildWhitelist('*', false);
const VERSION = '3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC';
const SID = 0x10000064f4e0002n;
const utc = (h: number, m: number, s: number): number => Date.UTC(2026, 10, 22, h, m, s);

/** A connection that has only sent a four-letter word (ZooKeeper lists it too). */
function asking(port: number, expiresAtMs = 0): ConnectionSnapshot {
  return {
    remoteAddress: '127.0.0.1', remotePort: port, interestOps: 0, queued: 0, packetsReceived: 1, packetsSent: 0,
    sessionId: 0n, lastOp: 'NA', establishedMs: 0, sessionTimeoutMs: 0, lastCxid: -1, lastZxid: -1,
    lastResponseTimeMs: 0, lastLatencyMs: 0, latency: NO_LATENCY, expiresAtMs,
  };
}

const client: ConnectionSnapshot = {
  remoteAddress: '127.0.0.1', remotePort: 43102, interestOps: 1, queued: 0, packetsReceived: 6, packetsSent: 6,
  sessionId: SID, lastOp: 'EXIS', establishedMs: 1795316130215, sessionTimeoutMs: 10000, lastCxid: 4, lastZxid: 0xb,
  lastResponseTimeMs: 564695, lastLatencyMs: 0, latency: { count: 6, totalMs: 1, minMs: 0, maxMs: 1 },
  expiresAtMs: utc(2, 55, 45),
};

const standalone: ServerSnapshot = {
  serving: true, version: VERSION, mode: 'standalone', lastProcessedZxid: 0xb, nodeCount: 7,
  latency: { count: 22, totalMs: 31, minMs: 0, maxMs: 8 }, packetsReceived: 32, packetsSent: 37,
  outstandingRequests: 0, connections: [client, asking(43130)],
  sessions: [{ sessionId: SID, timeoutMs: 10000, expiresAtMs: utc(2, 55, 41) }],
  ephemerals: [{ sessionId: SID, paths: ['/a/eph'] }],
  dataWatches: [{ path: '/a', sessionId: SID }, { path: '/b', sessionId: SID }], childWatchCount: 1,
  approximateDataSizeBytes: 57, uptimeMs: 154831, openFileDescriptorCount: 40, maxFileDescriptorCount: 20000,
  clientResponseSizes: { last: 16, min: 16, max: 95 },
  conf: {
    clientPort: 54121, secureClientPort: -1, dataDir: '/tmp/zkreal/data/version-2', dataDirSizeBytes: 67109337,
    dataLogDir: '/tmp/zkreal/data/version-2', dataLogSizeBytes: 67109337, tickTimeMs: 2000, maxClientCnxns: 60,
    minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000, clientPortListenBacklog: -1, serverId: 0,
  },
  environment: [],
};

const render = (word: string, s: ServerSnapshot, whitelist = ALL): string | undefined =>
  renderFourLetterWord(word, s, whitelist);

describe('standalone server, as ZooKeeper 3.8.0 printed it', () => {
  it('srvr', () => expect(render('srvr', standalone)).toBe(fixture('standalone-srvr')));

  it('stat lists the clients briefly, the asking connection included', () => {
    const s = { ...standalone, packetsReceived: 33, packetsSent: 38, connections: [asking(43122), { ...client }] };
    expect(render('stat', s)).toBe(fixture('standalone-stat'));
  });

  it('cons prints every field of an established session', () => {
    expect(render('cons', { ...standalone, connections: [client, asking(43138)] })).toBe(fixture('standalone-cons'));
  });

  it('dump groups sessions and connections by expiry time', () => {
    const s: ServerSnapshot = {
      ...standalone,
      connections: [asking(43142, utc(2, 55, 45)), client],
      emptySessionBucketsMs: [utc(2, 55, 59)],
      emptyConnectionBucketsMs: [utc(2, 56, 5)],
    };
    expect(render('dump', s)).toBe(fixture('standalone-dump'));
  });

  it('wchs, wchc and wchp show the data watches', () => {
    expect(render('wchs', standalone)).toBe(fixture('standalone-wchs'));
    expect(render('wchc', standalone)).toBe(fixture('standalone-wchc'));
    expect(render('wchp', standalone)).toBe(fixture('standalone-wchp'));
  });

  it('conf', () => expect(render('conf', standalone)).toBe(fixture('standalone-conf')));
  it('dirs', () => expect(render('dirs', standalone)).toBe(fixture('standalone-dirs')));
  it('isro and ruok have no line end', () => {
    expect(render('isro', standalone)).toBe(fixture('standalone-isro'));
    expect(render('ruok', standalone)).toBe(fixture('standalone-ruok'));
  });

  it('envi prints zookeeper.version and then the entries given', () => {
    const lines = fixture('standalone-envi').split('\n').slice(2, -1);
    const environment = lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
    expect(render('envi', { ...standalone, environment })).toBe(fixture('standalone-envi'));
  });

  it('mntr prints the same monitor values and gauges, in the same order', () => {
    const s: ServerSnapshot = {
      ...standalone, latency: { count: 23, totalMs: 31, minMs: 0, maxMs: 8 }, packetsReceived: 42, packetsSent: 47,
    };
    const expected = fixture('standalone-mntr').split('\n').slice(0, 26).join('\n') + '\n';
    expect(render('mntr', s)).toBe(expected);
  });
});

const member = (id: number, quorumPort: number, electionPort: number, clientPort: number) => ({
  id, host: '127.0.0.1', quorumPort, electionPort, type: 'participant' as const, clientHost: '127.0.0.1', clientPort,
});
const MEMBERS = [member(1, 60965, 52057, 38559), member(2, 45027, 36637, 46275), member(3, 35173, 51707, 43451)];

function quorumServer(mode: 'leader' | 'follower', id: number, overrides: Partial<ServerSnapshot>): ServerSnapshot {
  const self = MEMBERS[id - 1]!;
  return {
    ...standalone, mode, lastProcessedZxid: mode === 'leader' ? 0x100000000 : 0, nodeCount: 5, latency: NO_LATENCY,
    sessions: [], ephemerals: [], dataWatches: [], childWatchCount: 0, approximateDataSizeBytes: 230,
    clientResponseSizes: undefined,
    conf: {
      ...standalone.conf, clientPort: self.clientPort, dataDir: `/tmp/zkens/n${id}/data/version-2`,
      dataLogDir: `/tmp/zkens/n${id}/data/version-2`, dataDirSizeBytes: 645, dataLogSizeBytes: 645, serverId: id,
      quorum: {
        initLimit: 10, syncLimit: 5, electionAlg: 3, electionPort: self.electionPort, quorumPort: self.quorumPort,
        peerType: 'participant', membership: MEMBERS, configVersion: 0,
      },
    },
    quorum: {
      zabState: 'broadcast', quorumSize: 3,
      leader: mode !== 'leader' ? undefined : {
        learners: 2, syncedFollowers: 2, syncedNonVotingFollowers: 0, syncedObservers: 0, pendingSyncs: 0,
        leaderUptimeMs: 54311, proposalSizes: { last: -1, min: -1, max: -1 },
      },
    },
    ...overrides,
  };
}

describe('quorum servers, as ZooKeeper 3.8.0 printed them', () => {
  const leader = quorumServer('leader', 3, { packetsReceived: 6, packetsSent: 7, connections: [asking(1)] });
  const follower = quorumServer('follower', 1, { packetsReceived: 6, packetsSent: 7, connections: [asking(1)] });

  it('srvr of the leader adds the proposal sizes', () => {
    expect(render('srvr', leader)).toBe(fixture('leader-srvr'));
    expect(render('srvr', follower)).toBe(fixture('follower-srvr'));
  });

  it('stat', () => {
    const s = { ...leader, packetsReceived: 7, packetsSent: 8, connections: [asking(44718)] };
    expect(render('stat', s)).toBe(fixture('leader-stat'));
    expect(render('stat', { ...follower, packetsReceived: 7, packetsSent: 8, connections: [asking(35960)] }))
      .toBe(fixture('follower-stat'));
  });

  it('conf adds the quorum lines and the membership, with no final line end', () => {
    expect(render('conf', leader)).toBe(fixture('leader-conf'));
    expect(render('conf', follower)).toBe(fixture('follower-conf'));
  });

  it('dump: the leader shows its expiry queue, a follower its global session list', () => {
    const connection = (port: number) => [asking(port, utc(2, 55, 55))];
    expect(render('dump', { ...leader, connections: connection(44752) })).toBe(fixture('leader-dump'));
    expect(render('dump', { ...follower, connections: connection(35994) })).toBe(fixture('follower-dump'));
  });

  it('mntr: peer_state, leader gauges and quorum_size in place', () => {
    const lead = { ...leader, packetsReceived: 9, packetsSent: 10, uptimeMs: 54388, openFileDescriptorCount: 44 };
    const follow = { ...follower, packetsReceived: 9, packetsSent: 10, uptimeMs: 54471, openFileDescriptorCount: 42 };
    const head = (name: string, n: number) => fixture(name).split('\n').slice(0, n).join('\n') + '\n';
    expect(render('mntr', lead)).toBe(head('leader-mntr', 37));
    expect(render('mntr', follow)).toBe(head('follower-mntr', 28));
  });
});

describe('whitelist and server state', () => {
  const defaults = buildWhitelist(undefined, false);

  it('refuses words outside the whitelist with ZooKeeper text; srvr is always on', () => {
    expect(render('ruok', standalone, defaults)).toBe(fixture('default-whitelist-ruok'));
    expect(render('stat', standalone, defaults)).toBe(fixture('default-whitelist-stat'));
    const s = { ...standalone, latency: NO_LATENCY, lastProcessedZxid: 0, nodeCount: 5, packetsReceived: 3,
      packetsSent: 2, connections: [asking(1)] };
    expect(render('srvr', s, defaults)).toBe(fixture('default-whitelist-srvr'));
  });

  it('is undefined for anything that is not a command', () => {
    expect(render('abcd', standalone)).toBeUndefined();
    expect(render('telnet close', standalone)).toBeUndefined();
    expect(render('telnet close', standalone, defaults)).toBe('telnet close is not executed because it is not in the whitelist.\n');
  });

  it('answers "not serving" while the server is down, except ruok, envi, isro, gtmk', () => {
    const down = { ...standalone, serving: false };
    for (const word of ['stat', 'srvr', 'cons', 'conf', 'dump', 'wchs', 'wchc', 'wchp', 'mntr', 'dirs', 'crst', 'srst']) {
      expect(render(word, down)).toBe(`${ZK_NOT_SERVING}\n`);
    }
    expect(render('hash', down)).toBe(ZK_NOT_SERVING);
    expect(render('isro', down)).toBe('null');
    expect(render('ruok', down)).toBe('imok');
    expect(render('gtmk', down)).toBe('306');
    expect(render('envi', down)).toBe(`Environment:\nzookeeper.version=${VERSION}\n`);
  });

  it('read-only mode: isro says ro and stat says so', () => {
    const ro: ServerSnapshot = { ...standalone, mode: 'read-only' };
    expect(render('isro', ro)).toBe('ro');
    expect(render('srvr', ro)).toBe(fixture('standalone-srvr')
      .replace('Mode: standalone', 'Mode: read-only')
      .replace(`${VERSION}\n`, `${VERSION}\nREAD-ONLY mode; serving only read-only clients\n`));
  });

  it('hash lists zxid and digest; crst and srst only confirm', () => {
    const s = { ...standalone, digestLog: [{ zxid: 0x100000002, digest: 1234567890123n }] };
    expect(render('hash', s)).toBe('100000002: 1234567890123\n');
    expect(render('crst', s)).toBe('Connection stats reset.\n');
    expect(render('srst', s)).toBe('Server stats reset.\n');
    expect(render('stmk', { ...s, traceMask: 0 })).toBe('0');
  });
});
