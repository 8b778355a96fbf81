// zoo.cfg / myid configuration, as ZooKeeper 3.8 reads it. See docs/config.md.

export { ConfigError, ConfigErrorCode } from './errors.ts';
export type { PeerType, QuorumServer, ZooConfig } from './types.ts';
export { parseZooCfg } from './zoo-cfg.ts';
export { applyMyid, parseMyid, MAX_EXTENDED_SERVER_ID } from './myid.ts';
export { loadConfig } from './load.ts';
export { parseServerLine } from './server-line.ts';
export { parseProperties } from './properties.ts';
export { KNOWN_KEYS } from './keys.ts';
