// The project's ZooKeeper client. `createClient` wires in Node's sockets,
// clock and Math.random; pass your own transport / clock / rng (a simulator's)
// to `new ZooKeeperClient(connectString, deps, options)`.
import { ZooKeeperClient, type ClientOptions } from './client.ts';
import { nodeClock } from './node-clock.ts';
import { nodeTransport } from './node-transport.ts';
import type { SessionDeps } from './session.ts';

export function createClient(connectString: string, options: ClientOptions = {}, deps: Partial<SessionDeps> = {}):
  ZooKeeperClient {
  return new ZooKeeperClient(connectString, {
    transport: deps.transport ?? nodeTransport,
    clock: deps.clock ?? nodeClock,
    rng: deps.rng ?? Math.random,
  }, options);
}

export { ZooKeeperClient, type ClientOptions, type SessionInfo, type WatchOption } from './client.ts';
export { ZooKeeperError, isZooKeeperError } from './errors.ts';
export { WatchChannel, nextEvent } from './watch-channel.ts';
export { parseConnectString, type ConnectString } from './connect-string.ts';
export type { SessionEvent, SessionState, SessionDeps } from './session.ts';
export type { WatchedEvent, Watcher, WatcherTypeName, EventTypeName, KeeperStateName } from './watch-registry.ts';
export type { Transport, Connection, ConnectionHandlers, Clock, Rng, Endpoint } from './types.ts';
export * from './operations.ts';
export type * from './multi.ts';
