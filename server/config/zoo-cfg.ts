// parseZooCfg: zoo.cfg text -> ZooConfig, with the checks QuorumPeerConfig
// makes (parseProperties, parseDynamicConfig). Pure: the dataDir and myid
// checks that need the file system are in load.ts / myid.ts.

import { buildWhitelist, unknownWhitelistEntries } from '../admin/words.ts';
import { ConfigErrorCode, fileError } from './errors.ts';
import { applyKey, defaultDraft, type Draft, type KeyContext } from './keys.ts';
import { parseProperties } from './properties.ts';
import { checkQuorum } from './quorum-shape.ts';
import { parseServerLine } from './server-line.ts';
import type { QuorumServer, ZooConfig } from './types.ts';

const MIN_SNAP_RETAIN_COUNT = 3;
const MIN_SNAP_COUNT = 2;

function readKeys(properties: Map<string, string>, fileName: string, warnings: string[]) {
  const draft = defaultDraft();
  const servers: QuorumServer[] = [];
  for (const [key, value] of properties) {
    if (key.startsWith('server.')) {
      servers.push(parseServerLine(fileName, key, value));
      continue;
    }
    const ctx: KeyContext = { fileName, key, draft, warn: (m) => warnings.push(m) };
    if (!applyKey(ctx, value)) {
      warnings.push(`${fileName}: unknown key ${JSON.stringify(key)} ignored`
        + ` (ZooKeeper would set the system property zookeeper.${key})`);
    }
  }
  servers.sort((a, b) => a.id - b.id);
  return { draft, servers };
}

function checkTimes(draft: Draft, fileName: string): { minSessionTimeoutMs: number; maxSessionTimeoutMs: number } {
  if (draft.tickTimeMs === 0) throw fileError(ConfigErrorCode.MISSING, fileName, 'tickTime is not set', 'tickTime');
  if (draft.tickTimeMs < 0) {
    throw fileError(ConfigErrorCode.BAD_VALUE, fileName, `tickTime: ${draft.tickTimeMs} must be positive`, 'tickTime');
  }
  const minSessionTimeoutMs = draft.minSessionTimeoutMs === -1 ? draft.tickTimeMs * 2 : draft.minSessionTimeoutMs;
  const maxSessionTimeoutMs = draft.maxSessionTimeoutMs === -1 ? draft.tickTimeMs * 20 : draft.maxSessionTimeoutMs;
  if (minSessionTimeoutMs > maxSessionTimeoutMs) {
    throw fileError(ConfigErrorCode.CONFLICT, fileName,
      `minSessionTimeout (${minSessionTimeoutMs}) must not be larger than maxSessionTimeout (${maxSessionTimeoutMs})`,
      'minSessionTimeout');
  }
  return { minSessionTimeoutMs, maxSessionTimeoutMs };
}

function checkCounts(draft: Draft, fileName: string, warnings: string[]): void {
  if (draft.autopurgeSnapRetainCount < MIN_SNAP_RETAIN_COUNT) {
    warnings.push(`${fileName}: autopurge.snapRetainCount: ${draft.autopurgeSnapRetainCount} is below `
      + `${MIN_SNAP_RETAIN_COUNT}; using ${MIN_SNAP_RETAIN_COUNT}`);
    draft.autopurgeSnapRetainCount = MIN_SNAP_RETAIN_COUNT;
  }
  if (draft.snapCount < MIN_SNAP_COUNT) {
    warnings.push(`${fileName}: snapCount: ${draft.snapCount} is below ${MIN_SNAP_COUNT}; using ${MIN_SNAP_COUNT}`);
    draft.snapCount = MIN_SNAP_COUNT;
  }
  if (draft.preAllocSizeBytes < 0) {
    throw fileError(ConfigErrorCode.BAD_VALUE, fileName,
      `preAllocSize: ${draft.preAllocSizeBytes / 1024} must not be negative`, 'preAllocSize');
  }
}

function checkClientPort(draft: Draft, fileName: string): void {
  if (draft.clientPort === 0 && draft.clientPortAddress !== undefined) {
    throw fileError(ConfigErrorCode.CONFLICT, fileName, 'clientPortAddress is set but clientPort is not set',
      'clientPortAddress');
  }
}

function whitelistOf(draft: Draft, fileName: string, warnings: string[]): ReadonlySet<string> {
  const list = draft.fourLetterWordWhitelist;
  for (const word of list === undefined ? [] : unknownWhitelistEntries(list)) {
    warnings.push(`${fileName}: 4lw.commands.whitelist: unknown command ${JSON.stringify(word)}`);
  }
  return buildWhitelist(list, draft.readOnlyModeEnabled);
}

/**
 * Parses zoo.cfg text. Throws ConfigError (stable `code`, one-line message
 * naming the key and value); non-fatal findings are in `warnings`.
 */
export function parseZooCfg(text: string, fileName: string): ZooConfig {
  const warnings: string[] = [];
  const properties = parseProperties(text, fileName);
  const { draft, servers } = readKeys(properties, fileName, warnings);
  if (draft.dataDir === undefined) throw fileError(ConfigErrorCode.MISSING, fileName, 'dataDir is not set', 'dataDir');
  checkClientPort(draft, fileName);
  const sessionTimeouts = checkTimes(draft, fileName);
  checkCounts(draft, fileName, warnings);
  const { standalone } = checkQuorum({ fileName, servers, draft, warnings });
  return {
    ...draft,
    ...sessionTimeouts,
    fileName,
    dataDir: draft.dataDir,
    dataLogDir: draft.dataLogDir ?? draft.dataDir,
    clientPort: draft.clientPort === 0 ? undefined : draft.clientPort,
    secureClientPort: draft.secureClientPort === 0 ? undefined : draft.secureClientPort,
    fourLetterWordWhitelist: whitelistOf(draft, fileName, warnings),
    servers,
    standalone,
    serverId: undefined,
    properties,
    warnings,
  };
}
