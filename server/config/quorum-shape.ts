// Checks on the server.N list as a whole (QuorumPeerConfig.parseDynamicConfig
// and checkValidity): voters vs observers, standalone or not, duplicate ids
// and ports, initLimit/syncLimit when distributed. Pure.

import { ConfigErrorCode, fileError } from './errors.ts';
import type { Draft } from './keys.ts';
import type { QuorumServer } from './types.ts';

export interface QuorumInput {
  readonly fileName: string;
  readonly servers: readonly QuorumServer[];
  readonly draft: Draft;
  readonly warnings: string[];
}

const WILDCARDS = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** The (host, port) pairs a server binds; a wildcard client host stands for the server's own host. */
function endpointsOf(s: QuorumServer): { endpoint: string; what: string }[] {
  const key = (host: string, port: number): string => `${host.toLowerCase()}|${port}`;
  const list = [
    { endpoint: key(s.host, s.quorumPort), what: `server.${s.id} quorum port ${s.quorumPort}` },
    { endpoint: key(s.host, s.electionPort), what: `server.${s.id} election port ${s.electionPort}` },
  ];
  if (s.clientPort !== undefined) {
    const host = s.clientHost === undefined || WILDCARDS.has(s.clientHost) ? s.host : s.clientHost;
    list.push({ endpoint: key(host, s.clientPort), what: `server.${s.id} client port ${s.clientPort}` });
  }
  return list;
}

function checkDuplicates(fileName: string, servers: readonly QuorumServer[]): void {
  const ids = new Set<number>();
  const seen = new Map<string, string>();
  for (const s of servers) {
    if (ids.has(s.id)) throw fileError(ConfigErrorCode.BAD_QUORUM, fileName, `server.${s.id} is listed twice`, `server.${s.id}`);
    ids.add(s.id);
    for (const { endpoint, what } of endpointsOf(s)) {
      const earlier = seen.get(endpoint);
      if (earlier !== undefined) {
        throw fileError(ConfigErrorCode.DUPLICATE_PORT, fileName,
          `${what} on ${s.host} is already used by ${earlier}`, `server.${s.id}`);
      }
      seen.set(endpoint, what);
    }
  }
}

function checkVoters(input: QuorumInput, voters: number, observers: number): void {
  const { fileName, draft, warnings } = input;
  if (voters === 0) {
    if (!draft.standaloneEnabled) {
      throw fileError(ConfigErrorCode.BAD_QUORUM, fileName,
        'standaloneEnabled=false needs at least one participant server.N line', 'standaloneEnabled');
    }
    if (observers > 0) throw fileError(ConfigErrorCode.BAD_QUORUM, fileName, 'observers without participants is an invalid configuration');
  } else if (voters === 1 && draft.standaloneEnabled) {
    if (observers > 0) throw fileError(ConfigErrorCode.BAD_QUORUM, fileName, 'observers without a quorum is an invalid configuration');
    warnings.push(`${fileName}: only one server specified; running standalone (the server.N line is ignored)`);
  } else if (voters <= 2) {
    warnings.push(`${fileName}: ${voters} participant(s): no server failure will be tolerated. You need at least 3 servers.`);
  } else if (voters % 2 === 0) {
    warnings.push(`${fileName}: ${voters} participants: non-optimal configuration, consider an odd number of servers.`);
  }
}

function checkLimits(fileName: string, draft: Draft): void {
  for (const key of ['initLimit', 'syncLimit'] as const) {
    if (draft[key] === 0) throw fileError(ConfigErrorCode.MISSING, fileName, `${key} is not set (needed with server.N lines)`, key);
    if (draft[key] < 0) throw fileError(ConfigErrorCode.BAD_VALUE, fileName, `${key}: ${draft[key]} must be positive`, key);
  }
}

/** Validates the server list; standalone = no quorum (ZooKeeper's !isDistributed()). */
export function checkQuorum(input: QuorumInput): { standalone: boolean } {
  const { fileName, servers, draft } = input;
  checkDuplicates(fileName, servers);
  const voters = servers.filter((s) => s.type === 'participant').length;
  checkVoters(input, voters, servers.length - voters);
  const standalone = draft.standaloneEnabled && voters <= 1;
  if (!standalone) checkLimits(fileName, draft);
  return { standalone };
}
