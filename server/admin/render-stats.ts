// stat, srvr and cons (StatCommand, ServerStats.toString, ConsCommand,
// ServerCnxn.dumpConnectionInfo), line for line as ZooKeeper 3.8. Pure.

import {
  connectionAverageLatency, hex64, javaDouble, javaSocketAddress, minLatency, serverAverageLatency,
} from './java-format.ts';
import type { ConnectionSnapshot, ServerSnapshot } from './snapshot.ts';
import { NO_BUFFER_SIZES } from './snapshot.ts';

/** ServerCnxn.dumpConnectionInfo, without a line end. */
export function renderConnection(c: ConnectionSnapshot, brief: boolean): string {
  let s = ` ${javaSocketAddress(c.remoteAddress, c.remotePort)}`
    + `[${c.interestOps === 0 ? '0' : c.interestOps.toString(16)}]`
    + `(queued=${c.queued},recved=${c.packetsReceived},sent=${c.packetsSent}`;
  if (!brief && c.sessionId !== 0n) {
    s += `,sid=0x${hex64(c.sessionId)},lop=${c.lastOp},est=${c.establishedMs},to=${c.sessionTimeoutMs}`;
    if (c.lastCxid >= 0) s += `,lcxid=0x${hex64(c.lastCxid)}`;
    s += `,lzxid=0x${hex64(c.lastZxid)},lresp=${c.lastResponseTimeMs},llat=${c.lastLatencyMs}`
      + `,minlat=${minLatency(c.latency)},avglat=${connectionAverageLatency(c.latency)},maxlat=${c.latency.maxMs}`;
  }
  return `${s})`;
}

/** ServerStats.toString. */
function renderServerStats(s: ServerSnapshot): string {
  return `Latency min/avg/max: ${minLatency(s.latency)}/${javaDouble(serverAverageLatency(s.latency))}/${s.latency.maxMs}\n`
    + `Received: ${s.packetsReceived}\n`
    + `Sent: ${s.packetsSent}\n`
    + `Connections: ${s.connections.length}\n`
    + `Outstanding: ${s.outstandingRequests}\n`
    + `Zxid: 0x${hex64(s.lastProcessedZxid)}\n`
    + `Mode: ${s.mode}\n`;
}

/** `stat` (with the client list) or `srvr` (without). */
export function renderStat(s: ServerSnapshot, withClients: boolean): string {
  let out = `Zookeeper version: ${s.version}\n`;
  if (s.mode === 'read-only') out += 'READ-ONLY mode; serving only read-only clients\n';
  if (withClients) {
    out += 'Clients:\n';
    for (const c of s.connections) out += `${renderConnection(c, true)}\n`;
    out += '\n';
  }
  out += renderServerStats(s);
  out += `Node count: ${s.nodeCount}\n`;
  if (s.mode === 'leader') {
    const p = s.quorum?.leader?.proposalSizes ?? NO_BUFFER_SIZES;
    out += `Proposal sizes last/min/max: ${p.last}/${p.min}/${p.max}\n`;
  }
  // Not in ZooKeeper: a deliberately broken server says so, last so parsers of the lines above are unaffected.
  if (s.plantedBugs !== undefined && s.plantedBugs.length > 0) out += `Planted bugs: ${s.plantedBugs.join(',')}\n`;
  return out;
}

/** `cons`: every connection in full, then a blank line. */
export function renderCons(s: ServerSnapshot): string {
  return s.connections.map((c) => `${renderConnection(c, false)}\n`).join('') + '\n';
}
