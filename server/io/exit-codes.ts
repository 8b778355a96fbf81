// `zooproof server` exit codes: stable, documented in --help and the README.
// A server that cannot serve any more exits (as ZooKeeper does) so that a
// supervisor, or the harness, restarts it; it never lingers half alive.

export const ServerExitCode = {
  /** Stopped by SIGTERM or SIGINT. */
  STOPPED: 0,
  /** Could not start: bad configuration, dataDir / dataLogDir unusable, a port taken or not bindable. */
  START_FAILED: 1,
  /** The transaction log could not be written or synced. */
  TXN_LOG_FAILED: 3,
  /** A snapshot could not be taken or written. */
  SNAPSHOT_FAILED: 4,
  /** An ensemble member's quorum peer stopped (its disk failed, or a Zab invariant broke). */
  QUORUM_PEER_FAILED: 5,
  /** An error nothing handled (a bug): the reason and where it was thrown. */
  INTERNAL_ERROR: 6,
  /** No zoo.cfg given. */
  USAGE: 254,
} as const;

/** Why a running server stopped for good. */
export type FatalKind = 'TXN_LOG_FAILED' | 'SNAPSHOT_FAILED' | 'QUORUM_PEER_FAILED' | 'INTERNAL_ERROR';

export interface Fatal {
  readonly kind: FatalKind;
  /** One line. */
  readonly reason: string;
}

export const EXIT_CODES_HELP = [
  'exit codes:',
  `  ${ServerExitCode.STOPPED}    stopped by SIGTERM / SIGINT`,
  `  ${ServerExitCode.START_FAILED}    could not start (configuration, dataDir, ports); one line says why`,
  `  ${ServerExitCode.TXN_LOG_FAILED}    the transaction log could not be written or synced`,
  `  ${ServerExitCode.SNAPSHOT_FAILED}    a snapshot could not be taken`,
  `  ${ServerExitCode.QUORUM_PEER_FAILED}    the quorum peer stopped (disk failure or broken invariant)`,
  `  ${ServerExitCode.INTERNAL_ERROR}    internal error (a bug)`,
  `  ${ServerExitCode.USAGE}  no zoo.cfg given`,
].join('\n');

/** One line for an error nothing handled: its message and the first frame of its stack. */
export function describeInternalError(e: unknown): string {
  if (!(e instanceof Error)) return `internal error: ${String(e)}`;
  const frame = (e.stack ?? '').split('\n').map((l) => l.trim()).find((l) => l.startsWith('at '));
  return `internal error: ${e.name}: ${e.message}${frame !== undefined ? ` (${frame})` : ''}`;
}
