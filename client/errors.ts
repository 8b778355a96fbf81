// Every failed operation rejects with a ZooKeeperError: ZooKeeper's own code
// and name, the path and operation, and whether the outcome is definite (the
// operation certainly did not happen: Jepsen's `fail`) or not (`info`).
//
// The classification is wire's one table (server/wire/errors.ts, isDefinite),
// with a single client-side refinement: a request that never left this client
// (it was still queued when the connection was lost, it timed out before being
// written, or it was refused locally) cannot have taken effect, so its failure
// is definite whatever its code.
import { KeeperError, codeName, isDefinite, type OpCodeName } from '../server/wire/index.ts';

export class ZooKeeperError extends KeeperError {
  readonly codeName: string;
  /** The reply header's zxid when the server answered with this error; undefined for local failures. */
  zxid: number | undefined;

  constructor(
    code: number,
    readonly op: OpCodeName | 'client',
    path: string | undefined,
    /** True once the request's bytes were handed to the transport. */
    readonly sent: boolean,
    readonly detail?: string,
    /** For a failed multi: every sub-result (see MultiResult in operations.ts). */
    readonly results?: readonly unknown[],
  ) {
    super(code, path);
    this.name = 'ZooKeeperError';
    this.codeName = codeName(code);
    const where = path === undefined ? '' : ` for ${path}`;
    this.message = `${this.codeName} (${code}) in ${op}${where}${detail ? `: ${detail}` : ''}`;
  }

  override get definite(): boolean {
    return !this.sent || isDefinite(this.code);
  }
}

export function isZooKeeperError(e: unknown): e is ZooKeeperError {
  return e instanceof ZooKeeperError;
}
