// What a command sees: the client (if any), output streams, and how to fail
// the way zkCli does (a CliException: message on stderr, exit code).
import type { ZooKeeperClient, Watcher } from '../../client/index.ts';

export interface ShellIO {
  /** Standard output; `text` carries its own newlines. */
  out(text: string): void;
  err(text: string): void;
}

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

export interface CommandContext {
  zk: ZooKeeperClient;
  io: ShellIO;
  /** The watcher that prints events (zkCli's default watcher). */
  watcher: Watcher;
}
