// The zoo.cfg key table: for each supported key (and its `zookeeper.`-prefixed
// system-property alias where ZooKeeper reads one), how its value is parsed
// into the draft configuration. Unknown keys become warnings. Pure.

import { ConfigErrorCode, keyError } from './errors.ts';
import type { PeerType } from './types.ts';
import {
  decodeInt32, parseAtLeast, parseBoolean, parseInt32, parseInt53, parsePort, type ValueSource,
} from './values.ts';

/** Defaults as in ZooKeeper 3.8 (QuorumPeerConfig and the system properties it feeds). */
export function defaultDraft() {
  return {
    tickTimeMs: 3000,
    initLimit: 0,
    syncLimit: 0,
    dataDir: undefined as string | undefined,
    dataLogDir: undefined as string | undefined,
    clientPort: 0,
    clientPortAddress: undefined as string | undefined,
    secureClientPort: 0,
    clientPortListenBacklog: -1,
    maxClientCnxns: 60,
    minSessionTimeoutMs: -1,
    maxSessionTimeoutMs: -1,
    snapCount: 100000,
    commitLogCount: undefined as number | undefined,
    snapshotSizeFactor: undefined as number | undefined,
    autopurgeSnapRetainCount: 3,
    autopurgePurgeIntervalHours: 0,
    fourLetterWordWhitelist: undefined as string | undefined,
    juteMaxBufferBytes: 0xfffff,
    globalOutstandingLimit: 1000,
    extendedTypesEnabled: false,
    superDigest: undefined as string | undefined,
    containerCheckIntervalMs: 60000,
    containerMaxPerMinute: 10000,
    readOnlyModeEnabled: false,
    peerType: 'participant' as PeerType,
    standaloneEnabled: true,
    reconfigEnabled: false,
    forceSync: true,
    preAllocSizeBytes: 65536 * 1024,
    electionAlg: 3,
    quorumListenOnAllIPs: false,
    metricsProvider: new Map<string, string>(),
  };
}
export type Draft = ReturnType<typeof defaultDraft>;

export interface KeyContext extends ValueSource {
  readonly draft: Draft;
  warn(message: string): void;
}

type Apply = (ctx: KeyContext, value: string) => void;

function unsupportedIfTrue(feature: string): Apply {
  return (ctx, value) => {
    if (parseBoolean(ctx, value)) ctx.warn(`${ctx.fileName}: ${ctx.key}=true: ${feature} is not supported; ignored`);
  };
}

const ignoredSilently: Apply = () => undefined;

function refuse(feature: string): Apply {
  return (ctx, value) => {
    throw keyError(ConfigErrorCode.UNSUPPORTED, ctx.fileName, ctx.key, value, `${feature} is not supported`);
  };
}

function nonEmpty(ctx: KeyContext, value: string): string {
  if (value === '') throw keyError(ConfigErrorCode.BAD_VALUE, ctx.fileName, ctx.key, value, 'is empty');
  return value;
}

function peerTypeOf(ctx: KeyContext, value: string): PeerType {
  const lower = value.toLowerCase();
  if (lower === 'participant' || lower === 'observer') return lower;
  throw keyError(ConfigErrorCode.BAD_VALUE, ctx.fileName, ctx.key, value, 'is not a peer type (participant or observer)');
}

function forceSyncOf(ctx: KeyContext, value: string): boolean {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  throw keyError(ConfigErrorCode.BAD_VALUE, ctx.fileName, ctx.key, value, "is not 'yes' or 'no'");
}

function superDigestOf(ctx: KeyContext, value: string): string {
  const colon = value.indexOf(':');
  if (colon <= 0 || !/^[A-Za-z0-9+/]{27}=$/.test(value.slice(colon + 1))) {
    ctx.warn(`${ctx.fileName}: ${ctx.key}: ${JSON.stringify(value)} is not <user>:<base64 sha1>; no password will match it`);
  }
  return value;
}

function electionAlgOf(ctx: KeyContext, value: string): number {
  const alg = parseInt32(ctx, value);
  if (alg !== 3) throw keyError(ConfigErrorCode.BAD_VALUE, ctx.fileName, ctx.key, value, 'is not supported; only 3 is');
  return alg;
}

const entries: [string[], Apply][] = [
  [['dataDir'], (c, v) => { c.draft.dataDir = nonEmpty(c, v); }],
  [['dataLogDir'], (c, v) => { c.draft.dataLogDir = nonEmpty(c, v); }],
  [['clientPort'], (c, v) => { c.draft.clientPort = parsePort(c, v, true); }],
  [['clientPortAddress'], (c, v) => { c.draft.clientPortAddress = nonEmpty(c, v); }],
  [['secureClientPort'], (c, v) => {
    c.draft.secureClientPort = parsePort(c, v, true);
    if (c.draft.secureClientPort !== 0) c.warn(`${c.fileName}: secureClientPort: TLS is not supported; no secure port will be opened`);
  }],
  [['secureClientPortAddress'], (c) => c.warn(`${c.fileName}: secureClientPortAddress: TLS is not supported; ignored`)],
  [['clientPortListenBacklog'], (c, v) => { c.draft.clientPortListenBacklog = parseInt32(c, v); }],
  [['tickTime'], (c, v) => { c.draft.tickTimeMs = parseInt32(c, v); }],
  [['initLimit'], (c, v) => { c.draft.initLimit = parseInt32(c, v); }],
  [['syncLimit'], (c, v) => { c.draft.syncLimit = parseInt32(c, v); }],
  [['maxClientCnxns'], (c, v) => { c.draft.maxClientCnxns = parseInt32(c, v); }],
  [['minSessionTimeout'], (c, v) => { c.draft.minSessionTimeoutMs = parseInt32(c, v); }],
  [['maxSessionTimeout'], (c, v) => { c.draft.maxSessionTimeoutMs = parseInt32(c, v); }],
  [['snapCount', 'zookeeper.snapCount'], (c, v) => { c.draft.snapCount = parseInt32(c, v); }],
  [['commitLogCount', 'zookeeper.commitLogCount'], (c, v) => { c.draft.commitLogCount = parseAtLeast(c, v, 1); }],
  [['snapshotSizeFactor', 'zookeeper.snapshotSizeFactor'], (c, v) => {
    const factor = Number(v.trim());
    if (v.trim() === '' || !Number.isFinite(factor)) throw keyError(ConfigErrorCode.BAD_VALUE, c.fileName, c.key, v, 'must be a number');
    c.draft.snapshotSizeFactor = factor;
  }],
  [['autopurge.snapRetainCount'], (c, v) => { c.draft.autopurgeSnapRetainCount = parseInt32(c, v); }],
  [['autopurge.purgeInterval'], (c, v) => { c.draft.autopurgePurgeIntervalHours = parseInt32(c, v); }],
  [['4lw.commands.whitelist', 'zookeeper.4lw.commands.whitelist'], (c, v) => { c.draft.fourLetterWordWhitelist = v; }],
  [['jute.maxbuffer', 'zookeeper.jute.maxbuffer'], (c, v) => {
    c.draft.juteMaxBufferBytes = decodeInt32(c, v);
    if (c.draft.juteMaxBufferBytes <= 0) throw keyError(ConfigErrorCode.BAD_VALUE, c.fileName, c.key, v, 'must be positive');
  }],
  [['globalOutstandingLimit', 'zookeeper.globalOutstandingLimit'], (c, v) => { c.draft.globalOutstandingLimit = parseInt32(c, v); }],
  [['extendedTypesEnabled', 'zookeeper.extendedTypesEnabled'], (c, v) => { c.draft.extendedTypesEnabled = parseBoolean(c, v); }],
  [['DigestAuthenticationProvider.superDigest', 'zookeeper.DigestAuthenticationProvider.superDigest'],
    (c, v) => { c.draft.superDigest = superDigestOf(c, v); }],
  [['znode.container.checkIntervalMs', 'zookeeper.znode.container.checkIntervalMs'],
    (c, v) => { c.draft.containerCheckIntervalMs = parseAtLeast(c, v, 1); }],
  [['znode.container.maxPerMinute', 'zookeeper.znode.container.maxPerMinute'],
    (c, v) => { c.draft.containerMaxPerMinute = parseAtLeast(c, v, 1); }],
  [['readonlymode.enabled', 'zookeeper.readonlymode.enabled'], (c, v) => { c.draft.readOnlyModeEnabled = parseBoolean(c, v); }],
  [['peerType'], (c, v) => { c.draft.peerType = peerTypeOf(c, v); }],
  [['standaloneEnabled'], (c, v) => { c.draft.standaloneEnabled = parseBoolean(c, v); }],
  [['reconfigEnabled'], (c, v) => {
    c.draft.reconfigEnabled = parseBoolean(c, v);
    if (c.draft.reconfigEnabled) c.warn(`${c.fileName}: reconfigEnabled=true: dynamic reconfiguration is not implemented; reconfig requests will fail`);
  }],
  [['admin.enableServer', 'zookeeper.admin.enableServer'], (c, v) => {
    if (parseBoolean(c, v)) c.warn(`${c.fileName}: admin.enableServer=true: the admin server is not implemented; ignored`);
  }],
  [['forceSync', 'zookeeper.forceSync'], (c, v) => { c.draft.forceSync = forceSyncOf(c, v); }],
  [['preAllocSize', 'zookeeper.preAllocSize'], (c, v) => { c.draft.preAllocSizeBytes = parseInt53(c, v) * 1024; }],
  [['electionAlg'], (c, v) => { c.draft.electionAlg = electionAlgOf(c, v); }],
  [['quorumListenOnAllIPs'], (c, v) => { c.draft.quorumListenOnAllIPs = parseBoolean(c, v); }],
  [['localSessionsEnabled', 'localSessionsUpgradingEnabled'], unsupportedIfTrue('local sessions')],
  [['sslQuorum', 'portUnification', 'sslQuorumReloadCertFiles'], unsupportedIfTrue('TLS')],
  [['quorum.auth.enableSasl', 'quorum.auth.learnerRequireSasl', 'quorum.auth.serverRequireSasl'], unsupportedIfTrue('quorum SASL')],
  [['multiAddress.enabled'], unsupportedIfTrue('multiAddress')],
  [['syncEnabled', 'connectToLearnerMasterLimit', 'quorum.cnxn.threads.size',
    'multiAddress.reachabilityCheckEnabled', 'multiAddress.reachabilityCheckTimeoutMs'], ignoredSilently],
  [['observerMasterPort'], (c) => c.warn(`${c.fileName}: observerMasterPort: observers follow the leader; ignored`)],
  [['dynamicConfigFile'], refuse('a separate dynamic configuration file')],
  [['oraclePath'], refuse('the quorum oracle')],
];

const table = new Map<string, Apply>(entries.flatMap(([names, apply]) => names.map((n) => [n, apply] as const)));

/** Every key name this table accepts (for docs and tests). */
export const KNOWN_KEYS: readonly string[] = [...table.keys()];

/** Applies one property to the draft; false if the key is not in the table. */
export function applyKey(ctx: KeyContext, value: string): boolean {
  const apply = table.get(ctx.key);
  if (apply !== undefined) {
    apply(ctx, value);
    return true;
  }
  if (ctx.key.startsWith('metricsProvider.')) {
    ctx.draft.metricsProvider.set(ctx.key.slice('metricsProvider.'.length), value);
    return true;
  }
  if (ctx.key.startsWith('admin.') || ctx.key.startsWith('zookeeper.admin.')) return true;
  if (ctx.key.startsWith('group') || ctx.key.startsWith('weight')) {
    throw keyError(ConfigErrorCode.UNSUPPORTED, ctx.fileName, ctx.key, value, 'hierarchical quorums (group./weight.) are not supported');
  }
  return false;
}
