// dump (DumpCommand): the session expiry queue (SessionTrackerImpl, or the
// learners' "Global Sessions" list), ephemerals by session (DataTree), and
// the connection expiry queue (NIOServerCnxnFactory). Pure.

import { hex64, javaDateUtc, javaSocketAddress } from './java-format.ts';
import type { ServerSnapshot } from './snapshot.ts';

/** ExpiryQueue.dump: buckets by expiry time, ascending; `items` in snapshot order. */
export function renderExpiryQueue(
  items: readonly { expiresAtMs: number; text: string }[], emptyBucketsMs: readonly number[] = [],
): string {
  const buckets = new Map<number, string[]>(emptyBucketsMs.map((t) => [t, []]));
  for (const { expiresAtMs, text } of items) {
    const bucket = buckets.get(expiresAtMs);
    if (bucket === undefined) buckets.set(expiresAtMs, [text]);
    else bucket.push(text);
  }
  let out = `Sets (${buckets.size})/(${items.length}):\n`;
  for (const time of [...buckets.keys()].sort((a, b) => a - b)) {
    const texts = buckets.get(time)!;
    out += `${texts.length} expire at ${javaDateUtc(time)}:\n`;
    for (const text of texts) out += `\t${text}\n`;
  }
  return out;
}

function renderSessions(s: ServerSnapshot): string {
  if (s.mode === 'follower' || s.mode === 'observer' || s.mode === 'read-only') {
    const sorted = [...s.sessions].sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
    return `Global Sessions(${sorted.length}):\n`
      + sorted.map((x) => `0x${hex64(x.sessionId)}\t${x.timeoutMs}ms\n`).join('');
  }
  const items = s.sessions.map((x) => ({ expiresAtMs: x.expiresAtMs, text: `0x${hex64(x.sessionId)}` }));
  return 'Session ' + renderExpiryQueue(items, s.emptySessionBucketsMs);
}

function renderEphemerals(s: ServerSnapshot): string {
  let out = `Sessions with Ephemerals (${s.ephemerals.length}):\n`;
  for (const e of s.ephemerals) {
    out += `0x${hex64(e.sessionId)}:\n`;
    for (const path of e.paths) out += `\t${path}\n`;
  }
  return out;
}

export function renderDump(s: ServerSnapshot): string {
  const connections = s.connections.map((c) => ({
    expiresAtMs: c.expiresAtMs,
    text: `ip: ${javaSocketAddress(c.remoteAddress, c.remotePort)} sessionId: 0x${hex64(c.sessionId)}`,
  }));
  return 'SessionTracker dump:\n' + renderSessions(s)
    + 'ephemeral nodes dump:\n' + renderEphemerals(s)
    + 'Connections dump:\n' + 'Connections ' + renderExpiryQueue(connections, s.emptyConnectionBucketsMs);
}
