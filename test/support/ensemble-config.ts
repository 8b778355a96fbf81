// The zoo.cfg of one ensemble member: the shared single-server keys
// (zoo-cfg.ts) plus `peerType` and one
// `server.N=127.0.0.1:<quorumPort>:<electionPort>:participant|observer` line per
// member, identical on every member. Pure.
import { LOOPBACK } from './ports.ts';
import { buildServerConfig, type ServerConfig, type TargetOptions } from './zoo-cfg.ts';

export type PeerType = 'participant' | 'observer';

export interface MemberAddress {
  id: number;
  type: PeerType;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

/** The `server.N` line of one member, as QuorumPeerConfig reads it. */
export function serverLine(m: MemberAddress): string {
  return `server.${m.id}=${LOOPBACK}:${m.quorumPort}:${m.electionPort}:${m.type}`;
}

/** Member `self`'s zoo.cfg text and system properties. */
export function memberConfig(opts: TargetOptions, dataDir: string, self: MemberAddress,
  members: readonly MemberAddress[]): ServerConfig {
  if (!members.some((m) => m.id === self.id)) throw new Error(`memberConfig: server.${self.id} is not a member`);
  const ids = new Set(members.map((m) => m.id));
  if (ids.size !== members.length) throw new Error('memberConfig: duplicate server ids');
  const base = buildServerConfig(opts, dataDir, self.clientPort);
  const lines = [`peerType=${self.type}`, ...members.map(serverLine)];
  return { zooCfg: `${base.zooCfg}${lines.join('\n')}\n`, systemProperties: base.systemProperties };
}

/** Ids 1..voters are participants, the next `observers` ids observers. */
export function memberTypes(voters: number, observers: number): PeerType[] {
  if (!Number.isInteger(voters) || voters < 1) throw new Error(`memberTypes: ${voters} voters`);
  if (!Number.isInteger(observers) || observers < 0) throw new Error(`memberTypes: ${observers} observers`);
  return [...Array<PeerType>(voters).fill('participant'), ...Array<PeerType>(observers).fill('observer')];
}
