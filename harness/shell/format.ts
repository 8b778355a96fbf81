// Output formats of zkCli (ZooKeeper 3.8): Stat lines, Java's Date.toString,
// ACL lines, permission strings, Java's List.toString, KeeperException
// messages and client path validation messages.
import { Code, codeName } from '../../server/wire/index.ts';
import type { ACL, Stat } from '../../client/index.ts';

const hex = (n: number | bigint) => `0x${BigInt(n).toString(16)}`;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Java's `new Date(ms).toString()` ("Sun Nov 22 03:14:13 UTC 2026"), in the local time zone. */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d)
    .find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ${pad2(d.getHours())}:` +
    `${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zone} ${d.getFullYear()}`;
}

export function statLines(stat: Stat): string[] {
  return [
    `cZxid = ${hex(stat.czxid)}`,
    `ctime = ${javaDate(Number(stat.ctime))}`,
    `mZxid = ${hex(stat.mzxid)}`,
    `mtime = ${javaDate(Number(stat.mtime))}`,
    `pZxid = ${hex(stat.pzxid)}`,
    `cversion = ${stat.cversion}`,
    `dataVersion = ${stat.version}`,
    `aclVersion = ${stat.aversion}`,
    `ephemeralOwner = ${hex(stat.ephemeralOwner)}`,
    `dataLength = ${stat.dataLength}`,
    `numChildren = ${stat.numChildren}`,
  ];
}

const PERM_LETTERS: [number, string][] = [[4, 'c'], [8, 'd'], [1, 'r'], [2, 'w'], [16, 'a']];

export function permString(perms: number): string {
  return PERM_LETTERS.filter(([bit]) => (perms & bit) !== 0).map(([, l]) => l).join('');
}

/** getAcl's two lines per entry: `'scheme,'id` then `: perms`. */
export function aclLines(acl: readonly ACL[]): string[] {
  return acl.flatMap((a) => [`'${a.id.scheme},'${a.id.id}`, `: ${permString(a.perms)}`]);
}

/** zkCli's ACL argument `scheme:id:perms[,…]`; malformed entries are reported and skipped. */
export function parseAcl(text: string, warn: (line: string) => void): ACL[] {
  const out: ACL[] = [];
  for (const entry of text.split(',')) {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first === -1 || first === last) {
      warn(`${entry} does not have the form scheme:id:perm`);
      continue;
    }
    let perms = 0;
    for (const ch of entry.slice(last + 1)) {
      const bit = PERM_LETTERS.find(([, l]) => l === ch)?.[0];
      if (bit === undefined) warn(`Unknown perm type: ${ch}`);
      else perms |= bit;
    }
    out.push({ perms, id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) } });
  }
  return out;
}

export function javaList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

const CODE_MESSAGES: Record<string, string> = {
  OK: 'ok', SYSTEMERROR: 'SystemError', RUNTIMEINCONSISTENCY: 'RuntimeInconsistency',
  DATAINCONSISTENCY: 'DataInconsistency', CONNECTIONLOSS: 'ConnectionLoss', MARSHALLINGERROR: 'MarshallingError',
  UNIMPLEMENTED: 'Unimplemented', OPERATIONTIMEOUT: 'OperationTimeout', BADARGUMENTS: 'BadArguments',
  APIERROR: 'APIError', NONODE: 'NoNode', NOAUTH: 'NoAuth', BADVERSION: 'BadVersion',
  NOCHILDRENFOREPHEMERALS: 'NoChildrenForEphemerals', NODEEXISTS: 'NodeExists', INVALIDACL: 'InvalidACL',
  AUTHFAILED: 'AuthFailed', NOTEMPTY: 'Directory not empty', SESSIONEXPIRED: 'Session expired',
  INVALIDCALLBACK: 'Invalid callback', SESSIONMOVED: 'Session moved', NOTREADONLY: 'Not a read-only call',
  EPHEMERALONLOCALSESSION: 'Ephemeral node on local session', NOWATCHER: 'No such watcher',
  RECONFIGDISABLED: 'Reconfig is disabled', SESSIONCLOSEDREQUIRESASLAUTH: 'Session closed because client failed to authenticate',
  QUOTAEXCEEDED: 'Quota has exceeded', THROTTLEDOP: 'Op throttled due to high load',
};

/** The message zkCli prints for a failed ZooKeeper call (CliWrapperException's table, else KeeperException's). */
export function keeperMessage(code: number, path: string | undefined): string {
  const p = path ?? 'null';
  switch (code) {
    case Code.NONODE: return `Node does not exist: ${p}`;
    case Code.NOCHILDRENFOREPHEMERALS: return `Ephemerals cannot have children: ${p}`;
    case Code.NODEEXISTS: return `Node already exists: ${p}`;
    case Code.NOTEMPTY: return `Node not empty: ${p}`;
    case Code.NOTREADONLY: return `Not a read-only call: ${p}`;
    case Code.INVALIDACL: return `Acl is not valid : ${p}`;
    case Code.NOAUTH: return `Insufficient permission : ${p}`;
    case Code.BADARGUMENTS: return `Arguments are not valid : ${p}`;
    case Code.BADVERSION: return `version No is not valid : ${p}`;
    case Code.QUOTAEXCEEDED: return `Quota has exceeded : ${p}`;
  }
  const name = CODE_MESSAGES[codeName(code)] ?? `Unknown error ${code}`;
  return path === undefined ? `KeeperErrorCode = ${name}` : `KeeperErrorCode = ${name} for ${path}`;
}

/** Java's PathUtils.validatePath message, or null for a valid path. */
export function javaPathError(path: string): string | null {
  if (path.length === 0) return 'Path length must be > 0';
  if (path[0] !== '/') return 'Path must start with / character';
  if (path.length === 1) return null;
  if (path.endsWith('/')) return 'Path must not end with / character';
  const reason = javaPathReason(path);
  return reason === null ? null : `Invalid path string "${path}" caused by ${reason}`;
}

function javaPathReason(path: string): string | null {
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    const prev = path[i - 1];
    const endsSegment = i + 1 === path.length || path[i + 1] === '/';
    if (c === 0) return `null character not allowed @${i}`;
    if (path[i] === '/' && prev === '/') return `empty node name specified @${i}`;
    if (path[i] === '.' && prev === '.' && path[i - 2] === '/' && endsSegment) return `relative paths not allowed @${i}`;
    if (path[i] === '.' && prev === '/' && endsSegment) return `relative paths not allowed @${i}`;
    if ((c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
      return `invalid character @${i}`;
    }
  }
  return null;
}
