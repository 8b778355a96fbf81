// Reading `srvr` answers (four-letter word, always whitelisted by ZooKeeper):
// the Mode line tells leader / follower / observer / standalone, the Zxid line
// the last zxid the server processed. Pure: text in, values out.

export type ServerMode = 'leader' | 'follower' | 'observer' | 'standalone' | 'read-only';

export interface SrvrInfo {
  mode: ServerMode;
  /** Last processed zxid as a bigint (the high 32 bits are the epoch). */
  zxid: bigint;
}

const MODES: ReadonlySet<string> = new Set(['leader', 'follower', 'observer', 'standalone', 'read-only']);

/** Parses a srvr answer; undefined when it has no Mode line (not serving yet). */
export function parseSrvr(text: string): SrvrInfo | undefined {
  const mode = /^Mode: (\S+)\s*$/m.exec(text)?.[1];
  if (mode === undefined || !MODES.has(mode)) return undefined;
  const zxidText = /^Zxid: (0x[0-9a-fA-F]+)\s*$/m.exec(text)?.[1];
  return { mode: mode as ServerMode, zxid: zxidText === undefined ? -1n : BigInt(zxidText) };
}

export function epochOf(zxid: bigint): bigint {
  return zxid < 0n ? -1n : zxid >> 32n;
}

/**
 * The leader among answers: a standalone server leads itself; when several
 * nodes claim to lead (an old leader not yet stepped down), the one with the
 * highest epoch wins, ties broken by name. Undefined when nobody leads.
 */
export function pickLeader(answers: ReadonlyMap<string, SrvrInfo | undefined>): string | undefined {
  let best: { node: string; epoch: bigint } | undefined;
  for (const [node, info] of [...answers].sort(([a], [b]) => a.localeCompare(b))) {
    if (info === undefined || (info.mode !== 'leader' && info.mode !== 'standalone')) continue;
    const epoch = epochOf(info.zxid);
    if (best === undefined || epoch > best.epoch) best = { node, epoch };
  }
  return best?.node;
}
