// dataDir/myid and what depends on it (QuorumPeerConfig.setupMyId,
// setupClientPort, setupPeerType, checkValidity; QuorumPeer's "My id N not in
// the peer list"; EphemeralType.validateServerId). Pure: load.ts reads the file.

import { ConfigError, ConfigErrorCode } from './errors.ts';
import type { QuorumServer, ZooConfig } from './types.ts';

/** Largest server id usable with extendedTypesEnabled (EphemeralType.MAX_EXTENDED_SERVER_ID). */
export const MAX_EXTENDED_SERVER_ID = 254;

const WILDCARDS = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** The id in a myid file: a decimal number (first line, blanks trimmed). */
export function parseMyid(text: string, myidPath: string): number {
  const first = (text.split(/\r\n|\r|\n/)[0] ?? '').trim();
  if (!/^[+-]?[0-9]+$/.test(first)) {
    throw new ConfigError(ConfigErrorCode.MYID, `${myidPath}: serverid ${JSON.stringify(first)} is not a number`);
  }
  const id = Number(first);
  if (id < 0 || id > Number.MAX_SAFE_INTEGER) {
    throw new ConfigError(ConfigErrorCode.MYID, `${myidPath}: serverid ${first} is out of range`);
  }
  return id;
}

function clientPortConflict(config: ZooConfig, self: QuorumServer): string | undefined {
  if (config.clientPort === undefined || self.clientPort === undefined) return undefined;
  const staticHost = config.clientPortAddress;
  const samePort = config.clientPort === self.clientPort;
  const same = staticHost === undefined || WILDCARDS.has(staticHost)
    ? samePort
    : samePort && staticHost === self.clientHost;
  if (same) return undefined;
  return `${config.fileName}: client address for this server (id = ${self.id}) is `
    + `${staticHost ?? '0.0.0.0'}:${config.clientPort} in clientPort/clientPortAddress but `
    + `${self.clientHost}:${self.clientPort} in its server.${self.id} line`;
}

function resolveSelf(config: ZooConfig, serverId: number, myidPath: string): ZooConfig {
  const self = config.servers.find((s) => s.id === serverId);
  if (self === undefined) {
    if (config.standalone) return { ...config, serverId };
    throw new ConfigError(ConfigErrorCode.MYID,
      `${myidPath}: my id ${serverId} is not in the peer list (server.${config.servers.map((s) => s.id).join(', server.')})`);
  }
  const conflict = clientPortConflict(config, self);
  if (conflict !== undefined) throw new ConfigError(ConfigErrorCode.CONFLICT, conflict, 'clientPort');
  const warnings = [...config.warnings];
  if (self.type !== config.peerType) {
    warnings.push(`${config.fileName}: peerType=${config.peerType} but server.${serverId} is listed as ${self.type}; `
      + 'using the server list');
  }
  const fromLine = self.clientPort !== undefined;
  return {
    ...config,
    serverId,
    peerType: self.type,
    clientPort: fromLine ? self.clientPort : config.clientPort,
    clientPortAddress: fromLine && !WILDCARDS.has(self.clientHost ?? '0.0.0.0') ? self.clientHost : config.clientPortAddress,
    warnings,
  };
}

/**
 * Completes a parsed configuration with the content of dataDir/myid
 * (undefined when the file does not exist). A quorum member needs a myid that
 * is in the server list; a standalone server reads it if present.
 */
export function applyMyid(config: ZooConfig, myidText: string | undefined, myidPath: string): ZooConfig {
  let resolved: ZooConfig = config;
  if (myidText === undefined) {
    if (!config.standalone) throw new ConfigError(ConfigErrorCode.MYID, `${myidPath}: myid file is missing`);
  } else {
    resolved = resolveSelf(config, parseMyid(myidText, myidPath), myidPath);
  }
  // A standalone server's id is 0 for ZooKeeper (ZooKeeperServer.getServerId), whatever myid says.
  if (resolved.extendedTypesEnabled && !resolved.standalone && (resolved.serverId ?? 0) > MAX_EXTENDED_SERVER_ID) {
    throw new ConfigError(ConfigErrorCode.CONFLICT, `${myidPath}: extendedTypesEnabled is true but server id `
      + `${resolved.serverId} is larger than ${MAX_EXTENDED_SERVER_ID}`, 'extendedTypesEnabled');
  }
  if (resolved.clientPort === undefined) {
    throw new ConfigError(ConfigErrorCode.MISSING, `${config.fileName}: no client port: set clientPort`
      + (config.standalone ? '' : ` or add ;clientPort to server.${resolved.serverId}`), 'clientPort');
  }
  return resolved;
}
