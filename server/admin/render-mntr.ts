// mntr (MonitorCommand): `zk_<key>\t<value>` lines. First dumpMonitorValues
// (version, server_state, and peer_state / observer_master_id on quorum
// servers), then the gauges in the order ZooKeeper 3.8's metrics provider
// prints them (its hash order, read from a real 3.8.0 server). ZooKeeper then
// prints ~450 counters and summaries; only `extraMetrics` stand for those. Pure.

import { javaDouble, minLatency, serverAverageLatency } from './java-format.ts';
import type { ServerSnapshot } from './snapshot.ts';
import { NO_BUFFER_SIZES } from './snapshot.ts';

type Value = { readonly int: number } | { readonly double: number } | { readonly text: string };
type Gauge = readonly [key: string, read: (s: ServerSnapshot) => Value | undefined];

const int = (n: number): Value => ({ int: n });
const double = (n: number): Value => ({ double: n });
const leaderInt = (read: (l: NonNullable<NonNullable<ServerSnapshot['quorum']>['leader']>) => number) =>
  (s: ServerSnapshot): Value | undefined => (s.mode === 'leader' && s.quorum?.leader ? int(read(s.quorum.leader)) : undefined);
const isQuorumPeer = (s: ServerSnapshot): boolean => s.mode === 'leader' || s.mode === 'follower' || s.mode === 'observer';
const responseSizes = (s: ServerSnapshot) => s.clientResponseSizes ?? NO_BUFFER_SIZES;

/** Every gauge, in the order a leader prints them; others skip what they lack. */
const GAUGES: readonly Gauge[] = [
  ['ephemerals_count', (s) => int(s.ephemerals.reduce((n, e) => n + e.paths.length, 0))],
  ['num_alive_connections', (s) => int(s.connections.length)],
  ['avg_latency', (s) => double(serverAverageLatency(s.latency))],
  ['min_proposal_size', leaderInt((l) => l.proposalSizes.min)],
  ['outstanding_requests', (s) => int(s.outstandingRequests)],
  ['znode_count', (s) => int(s.nodeCount)],
  ['global_sessions', (s) => int(s.sessions.length)],
  ['non_mtls_remote_conn_count', () => int(0)],
  ['last_client_response_size', (s) => int(responseSizes(s).last)],
  ['packets_sent', (s) => int(s.packetsSent)],
  ['packets_received', (s) => int(s.packetsReceived)],
  ['max_proposal_size', leaderInt((l) => l.proposalSizes.max)],
  ['max_client_response_size', (s) => int(responseSizes(s).max)],
  ['synced_followers', leaderInt((l) => l.syncedFollowers)],
  ['connection_drop_probability', () => double(0)],
  ['watch_count', (s) => int(s.dataWatches.length + s.childWatchCount)],
  ['synced_non_voting_followers', leaderInt((l) => l.syncedNonVotingFollowers)],
  ['synced_observers', leaderInt((l) => l.syncedObservers)],
  ['auth_failed_count', (s) => int(s.authFailedCount ?? 0)],
  ['min_latency', (s) => int(minLatency(s.latency))],
  ['max_file_descriptor_count', (s) => int(s.maxFileDescriptorCount ?? -1)],
  ['approximate_data_size', (s) => int(s.approximateDataSizeBytes)],
  ['open_file_descriptor_count', (s) => int(s.openFileDescriptorCount ?? -1)],
  ['last_proposal_size', leaderInt((l) => l.proposalSizes.last)],
  ['pending_syncs', leaderInt((l) => l.pendingSyncs)],
  ['leader_uptime', leaderInt((l) => l.leaderUptimeMs)],
  ['local_sessions', () => int(0)],
  ['uptime', (s) => int(s.uptimeMs)],
  ['max_latency', (s) => int(s.latency.maxMs)],
  ['outstanding_tls_handshake', () => int(0)],
  ['learners', leaderInt((l) => l.learners)],
  ['min_client_response_size', (s) => int(responseSizes(s).min)],
  ['non_mtls_local_conn_count', () => int(0)],
  ['quorum_size', (s) => (isQuorumPeer(s) && s.quorum ? int(s.quorum.quorumSize) : undefined)],
];

const PEER_STATE: Record<string, string> = { leader: 'leading', follower: 'following', observer: 'observing' };

function line(key: string, value: Value): string {
  const text = 'int' in value ? String(value.int) : 'double' in value ? javaDouble(value.double) : value.text;
  return `zk_${key}\t${text}\n`;
}

function monitorValues(s: ServerSnapshot): string {
  let out = line('version', { text: s.version }) + line('server_state', { text: s.mode });
  if (isQuorumPeer(s) && s.quorum !== undefined) {
    out += line('peer_state', { text: `${PEER_STATE[s.mode]} - ${s.quorum.zabState}` });
    if (s.mode === 'observer' && s.quorum.observerMasterId !== undefined) {
      out += line('observer_master_id', int(s.quorum.observerMasterId));
    }
  }
  return out;
}

export function renderMntr(s: ServerSnapshot): string {
  let out = monitorValues(s);
  for (const [key, read] of GAUGES) {
    const value = read(s);
    if (value !== undefined) out += line(key, value);
  }
  for (const [key, value] of s.extraMetrics ?? []) {
    out += line(key, typeof value === 'number' ? (Number.isInteger(value) ? int(value) : double(value)) : { text: value });
  }
  if (s.plantedBugs !== undefined && s.plantedBugs.length > 0) out += line('planted_bugs', { text: s.plantedBugs.join(',') });
  return out;
}
