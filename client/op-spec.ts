// What the client needs to run one operation: the wire request (server paths),
// how to turn its reply into a result, and the watch it registers. Built by
// the pure functions in operations.ts and multi.ts; run by client.ts.
import { Code, type JuteReader, type OpCodeName, type Request } from '../server/wire/index.ts';
import { ZooKeeperError } from './errors.ts';
import { validatePath } from './path.ts';
import type { Watcher, WatchKind } from './watch-registry.ts';

export interface WatchSpec {
  /** Client path the watch is registered on. */
  path: string;
  watcher: Watcher;
  /** Which table the watch goes in for this reply code (null: none). */
  kindFor(err: number): WatchKind | null;
}

export interface OpSpec<T> {
  name: OpCodeName;
  /** The caller's path, for errors. */
  path: string | undefined;
  request: Request;
  /** Decodes a successful reply (err 0). */
  decode(reader: JuteReader, zxid: number): T;
  /** A non-zero reply code that is a result rather than an error (exists + NONODE). */
  acceptError?(err: number, zxid: number): T | undefined;
  watch?: WatchSpec;
  /** Runs synchronously when the reply arrives, before later frames are read. */
  apply?(err: number): void;
}

/** Refuses an invalid path locally: definite, never sent. */
export function checkPath(op: OpCodeName, path: string, isSequential = false): void {
  const reason = validatePath(path, isSequential);
  if (reason !== null) throw new ZooKeeperError(Code.BADARGUMENTS, op, path, false, reason);
}

/** Versions are jute ints: refuse anything else locally rather than let it wrap on the wire. */
export function checkVersion(op: OpCodeName, path: string, version: number): void {
  if (!Number.isInteger(version) || version < -1 || version > 0x7fffffff) {
    throw new ZooKeeperError(Code.BADARGUMENTS, op, path, false, `version ${version} is not -1 or an int32 >= 0`);
  }
}

export function badArguments(op: OpCodeName, path: string | undefined, reason: string): ZooKeeperError {
  return new ZooKeeperError(Code.BADARGUMENTS, op, path, false, reason);
}

const utf8 = new TextEncoder();

export type DataInput = Uint8Array | string | null | undefined;

export function toBytes(data: DataInput): Uint8Array | null {
  if (data === undefined) return new Uint8Array(0);
  if (data === null) return null;
  return typeof data === 'string' ? utf8.encode(data) : data;
}

/** An operation to send, or one answered locally without the server (removeWatches with local: true). */
export type OpSpecLike<T> = OpSpec<T> | { localResult: T };
