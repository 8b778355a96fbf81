// The three sockets of a quorum peer, built from the server.N lines: the
// election transport (electionPort), the leader's learner listener
// (quorumPort) and the learner's link to a leader. They turn what arrives
// into Zab events for the driver.
import type { QuorumServer } from '../../config/types.ts';
import type { ZabEvent } from '../../zab/events.ts';
import { ElectionTransport, type PeerAddress } from './election-transport.ts';
import { LeaderLink } from './leader-link.ts';
import { LearnerListener } from './learner-listener.ts';
import { QUORUM_DEFAULTS, type QuorumDriverOptions } from './options.ts';
import type { PacketLimits } from './packet-stream.ts';

export class Transports {
  readonly election: ElectionTransport;
  readonly learners: LearnerListener;
  readonly leaderLink: LeaderLink;
  private readonly byId: ReadonlyMap<number, QuorumServer>;
  private bound: { election: PeerAddress; quorum: PeerAddress } | null = null;

  constructor(private readonly options: QuorumDriverOptions, deliver: (e: ZabEvent) => void) {
    this.byId = new Map(options.servers.map((s) => [s.id, s]));
    const me = this.byId.get(options.myId);
    if (me === undefined) throw new RangeError(`server ${options.myId} has no server.${options.myId} line`);
    const listenHost = options.listenOnAllIPs ? '0.0.0.0' : me.host;
    const maxBufferBytes = options.juteMaxBufferBytes ?? QUORUM_DEFAULTS.juteMaxBufferBytes;
    const limits: PacketLimits & { maxUnsentBytes: number } = {
      // The reader allows jute.maxbuffer plus as much again (zookeeper.jute.maxbuffer.extrasize).
      maxBufferBytes: maxBufferBytes * 2,
      maxSnapshotBytes: options.maxSnapshotBytes ?? QUORUM_DEFAULTS.maxSnapshotBytes,
      maxUnsentBytes: QUORUM_DEFAULTS.maxUnsentBytes,
    };
    const log = options.log;
    this.election = new ElectionTransport({
      myId: options.myId,
      listen: { host: listenHost, port: me.electionPort },
      myAddress: `${me.host}:${me.electionPort}`,
      peers: new Map(options.servers.filter((s) => s.id !== options.myId).map((s) => [s.id, { host: s.host, port: s.electionPort }])),
      onNotification: (from, notification) => deliver({ type: 'notification', from, notification }),
      log,
      connectTimeoutMs: QUORUM_DEFAULTS.connectTimeoutMs,
      backoffMinMs: QUORUM_DEFAULTS.electionBackoffMinMs,
      backoffMaxMs: QUORUM_DEFAULTS.electionBackoffMaxMs,
    });
    this.learners = new LearnerListener({
      listen: { host: listenHost, port: me.quorumPort },
      limits,
      parkTimeoutMs: options.initLimit * options.tickTimeMs,
      initReadTimeoutMs: options.initLimit * options.tickTimeMs,
      syncReadTimeoutMs: options.syncLimit * options.tickTimeMs,
      log,
      onPacket: (from, packet) => deliver({ type: 'learnerPacket', from, packet }),
      onDisconnected: (sid) => deliver({ type: 'learnerDisconnected', sid }),
    });
    this.leaderLink = new LeaderLink({
      limits,
      connectTimeoutMs: QUORUM_DEFAULTS.connectTimeoutMs,
      retryIntervalMs: Math.min(QUORUM_DEFAULTS.leaderRetryIntervalMs, options.tickTimeMs),
      maxDialTries: QUORUM_DEFAULTS.leaderMaxDialTries,
      log,
      onConnected: (leader) => deliver({ type: 'leaderConnected', leader }),
      onPacket: (leader, d) => deliver({ type: 'leaderPacket', from: leader, packet: d.packet, snapshot: d.snapshot }),
      onDisconnected: (leader) => deliver({ type: 'leaderDisconnected', leader }),
    });
  }

  async listen(): Promise<void> {
    const election = await this.election.listen();
    const quorum = await this.learners.listen();
    this.bound = { election, quorum };
  }

  describe(): string {
    if (this.bound === null) return 'not listening';
    const { election, quorum } = this.bound;
    return `election on ${election.host}:${election.port}, quorum on ${quorum.host}:${quorum.port}`;
  }

  connectToLeader(leader: number, giveUpAfterMs: number): void {
    const s = this.byId.get(leader);
    if (s === undefined) {
      this.options.log(`WARN no server.${leader} line: cannot follow it`);
      return;
    }
    this.leaderLink.connect(leader, { host: s.host, port: s.quorumPort }, giveUpAfterMs);
  }

  async stop(): Promise<void> {
    this.leaderLink.disconnect();
    await Promise.all([this.election.stop(), this.learners.stop()]);
  }
}
