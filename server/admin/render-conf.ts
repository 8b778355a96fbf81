// conf (ConfCommand -> ZooKeeperServer.dumpConf, with the quorum lines of
// QuorumZooKeeperServer / ReadOnlyZooKeeperServer), and the ConfSnapshot a
// ZooConfig gives. Pure.

import type { QuorumServer, ZooConfig } from '../config/types.ts';
import { javaIpv6 } from './java-format.ts';
import type { ConfSnapshot, MemberSnapshot } from './snapshot.ts';

/**
 * QuorumServer.toString: `host:quorumPort:electionPort:type[;clientHost:clientPort]`;
 * an IPv6 literal is printed expanded and bracketed, as Java resolves it.
 */
export function renderMember(m: MemberSnapshot): string {
  const host = (h: string): string => (h.includes(':') ? `[${javaIpv6(h)}]` : h);
  let s = `${host(m.host)}:${m.quorumPort}:${m.electionPort}:${m.type}`;
  if (m.clientPort !== undefined) s += `;${host(m.clientHost ?? '0.0.0.0')}:${m.clientPort}`;
  return s;
}

function renderQuorumConf(q: NonNullable<ConfSnapshot['quorum']>): string {
  let out = `initLimit=${q.initLimit}\n`
    + `syncLimit=${q.syncLimit}\n`
    + `electionAlg=${q.electionAlg}\n`
    + `electionPort=${q.electionPort}\n`
    + `quorumPort=${q.quorumPort}\n`
    + `peerType=${q.peerType === 'participant' ? 0 : 1}\n`;
  if (q.membership !== undefined) {
    out += 'membership: \n';
    for (const m of [...q.membership].sort((a, b) => a.id - b.id)) out += `server.${m.id}=${renderMember(m)}\n`;
    out += `version=${q.configVersion.toString(16)}`;
  }
  return out;
}

/** `conf`. Note: a quorum server's output ends without a line end, as ZooKeeper's. */
export function renderConf(c: ConfSnapshot): string {
  const out = `clientPort=${c.clientPort}\n`
    + `secureClientPort=${c.secureClientPort}\n`
    + `dataDir=${c.dataDir}\n`
    + `dataDirSize=${c.dataDirSizeBytes}\n`
    + `dataLogDir=${c.dataLogDir}\n`
    + `dataLogSize=${c.dataLogSizeBytes}\n`
    + `tickTime=${c.tickTimeMs}\n`
    + `maxClientCnxns=${c.maxClientCnxns}\n`
    + `minSessionTimeout=${c.minSessionTimeoutMs}\n`
    + `maxSessionTimeout=${c.maxSessionTimeoutMs}\n`
    + `clientPortListenBacklog=${c.clientPortListenBacklog}\n`
    + `serverId=${c.serverId}\n`;
  return c.quorum === undefined ? out : out + renderQuorumConf(c.quorum);
}

const memberOf = (s: QuorumServer): MemberSnapshot => ({ ...s });

/** Measured values conf shows that a configuration file does not hold. */
export interface ConfMeasurements {
  /** The port actually bound (-1 if none). */
  readonly clientPort: number;
  readonly dataDirSizeBytes: number;
  readonly dataLogSizeBytes: number;
  /** For a read-only server (which prints no membership). */
  readonly readOnly?: boolean;
  readonly configVersion?: number;
}

/**
 * The ConfSnapshot of a loaded configuration (dataDir should be absolute, as
 * loadConfig leaves it); ZooKeeper shows the version-2 subdirectories.
 */
export function confSnapshotOf(config: ZooConfig, measured: ConfMeasurements): ConfSnapshot {
  const self = config.servers.find((s) => s.id === config.serverId);
  const base: ConfSnapshot = {
    clientPort: measured.clientPort,
    secureClientPort: -1,
    dataDir: `${config.dataDir.replace(/\/+$/, '')}/version-2`,
    dataDirSizeBytes: measured.dataDirSizeBytes,
    dataLogDir: `${config.dataLogDir.replace(/\/+$/, '')}/version-2`,
    dataLogSizeBytes: measured.dataLogSizeBytes,
    tickTimeMs: config.tickTimeMs,
    maxClientCnxns: config.maxClientCnxns,
    minSessionTimeoutMs: config.minSessionTimeoutMs,
    maxSessionTimeoutMs: config.maxSessionTimeoutMs,
    clientPortListenBacklog: config.clientPortListenBacklog,
    serverId: config.standalone ? 0 : (config.serverId ?? 0),
  };
  if (config.standalone || self === undefined) return base;
  return {
    ...base,
    quorum: {
      initLimit: config.initLimit,
      syncLimit: config.syncLimit,
      electionAlg: config.electionAlg,
      electionPort: self.electionPort,
      quorumPort: self.quorumPort,
      peerType: self.type,
      membership: measured.readOnly === true ? undefined : config.servers.map(memberOf),
      configVersion: measured.configVersion ?? 0,
    },
  };
}
