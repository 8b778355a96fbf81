// KeeperException.Code: every ZooKeeper error code, its name, and whether a
// client that receives it knows the operation certainly did not take effect
// ("definite"). This is the one table the server, the client and the harness
// share for classifying outcomes (ok / fail / info).

export const Code = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  UNKNOWNSESSION: -12,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  REQUESTTIMEOUT: -122,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  QUOTAEXCEEDED: -125,
  THROTTLEDOP: -127,
} as const;
export type CodeName = keyof typeof Code;
export type ErrorCode = (typeof Code)[CodeName];

/**
 * Codes after which the operation's effect is unknown: the request may or may
 * not have been applied (Jepsen's `info`). Every other non-OK reply code is
 * definite: the server refused the request, so it did not happen (`fail`).
 * SESSIONEXPIRED and SESSIONMOVED are indefinite: a write sent just before the
 * session expired or moved may already be in the leader's pipeline.
 */
const indefinite = new Set<number>([
  Code.CONNECTIONLOSS,
  Code.OPERATIONTIMEOUT,
  Code.REQUESTTIMEOUT,
  Code.SESSIONEXPIRED,
  Code.SESSIONMOVED,
  Code.SYSTEMERROR,
  Code.RUNTIMEINCONSISTENCY,
  Code.DATAINCONSISTENCY,
  Code.MARSHALLINGERROR,
]);

const names = new Map<number, CodeName>(Object.entries(Code).map(([n, c]) => [c, n as CodeName]));

export function codeName(code: number): string {
  return names.get(code) ?? `UNKNOWN(${code})`;
}

export function isDefinite(code: number): boolean {
  return code !== Code.OK && !indefinite.has(code);
}

/** A ZooKeeper error carried as a value (a reply code), not a crash. */
export class KeeperError extends Error {
  constructor(readonly code: number, readonly path?: string) {
    super(path === undefined ? codeName(code) : `${codeName(code)} for ${path}`);
    this.name = 'KeeperError';
  }

  get definite(): boolean {
    return isDefinite(this.code);
  }
}
