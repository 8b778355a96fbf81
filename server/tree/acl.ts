// ACL evaluation as ZooKeeper 3.8 does it: schemes world, auth (expanded at
// create/setACL time), digest, ip (with CIDR) and super.
import { Code, KeeperError } from '../wire/errors.ts';
import { Perms } from '../wire/opcodes.ts';
import type { ACL, Id } from '../wire/records.ts';
import { base64, sha1 } from './sha1.ts';

export const ANYONE_ID: Id = { scheme: 'world', id: 'anyone' };
export const OPEN_ACL_UNSAFE: ACL[] = [{ perms: Perms.ALL, id: ANYONE_ID }];
export const READ_ACL_UNSAFE: ACL[] = [{ perms: Perms.READ, id: ANYONE_ID }];

/** `user:base64(sha1(user:password))`, DigestAuthenticationProvider.generateDigest. */
export function generateDigest(userColonPassword: string): string {
  const user = userColonPassword.split(':', 1)[0]!;
  return `${user}:${base64(sha1(new TextEncoder().encode(userColonPassword)))}`;
}

function parseIpv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return out.every((n) => n >= 0 && n <= 255) ? out : null;
}

function parseIpv6(s: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const words = [...head, ...new Array<number>(fill).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** Bytes of an address; IPv4-mapped IPv6 (::ffff:a.b.c.d) reads as IPv4. */
export function addressBytes(addr: string): number[] | null {
  const v4 = parseIpv4(addr);
  if (v4) return v4;
  const v6 = parseIpv6(addr);
  if (v6 && v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
  return v6;
}

function ipMatches(clientAddr: string, aclExpr: string): boolean {
  const [addrPart, bitsPart] = aclExpr.split('/');
  const aclBytes = addressBytes(addrPart!);
  const clientBytes = addressBytes(clientAddr);
  if (!aclBytes || !clientBytes || aclBytes.length !== clientBytes.length) return false;
  const bits = bitsPart === undefined ? aclBytes.length * 8 : Number(bitsPart);
  if (!Number.isInteger(bits) || bits < 0 || bits > aclBytes.length * 8) return false;
  for (let i = 0; i < aclBytes.length; i++) {
    const maskBits = Math.max(0, Math.min(8, bits - i * 8));
    const mask = maskBits === 0 ? 0 : (0xff << (8 - maskBits)) & 0xff;
    if ((aclBytes[i]! & mask) !== (clientBytes[i]! & mask)) return false;
  }
  return true;
}

function isValidIpAcl(id: string): boolean {
  const [addr, bits, extra] = id.split('/');
  if (extra !== undefined) return false;
  const bytes = addressBytes(addr!);
  if (!bytes) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= bytes.length * 8;
}

interface Provider {
  matches(authId: string, aclId: string): boolean;
  isValid(id: string): boolean;
  /** Whether an id of this scheme counts for the `auth` pseudo-scheme. */
  isAuthenticated: boolean;
}

const providers: Record<string, Provider> = {
  digest: { matches: (a, b) => a === b, isValid: (id) => id.split(':').length === 2, isAuthenticated: true },
  ip: { matches: ipMatches, isValid: isValidIpAcl, isAuthenticated: false },
};

/** True when `authIds` grant any of the bits in `perm` under `acl`. */
export function hasPermission(acl: readonly ACL[], perm: number, authIds: readonly Id[]): boolean {
  if (authIds.some((id) => id.scheme === 'super')) return true;
  if (acl.length === 0) return true;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    if (a.id.scheme === 'world' && a.id.id === 'anyone') return true;
    const provider = providers[a.id.scheme];
    if (!provider) continue;
    if (authIds.some((id) => id.scheme === a.id.scheme && provider.matches(id.id, a.id.id))) return true;
  }
  return false;
}

export function checkACL(acl: readonly ACL[], perm: number, authIds: readonly Id[], path?: string): void {
  if (!hasPermission(acl, perm, authIds)) throw new KeeperError(Code.NOAUTH, path);
}

/**
 * PrepRequestProcessor.fixupACL: validates an ACL given at create/setACL and
 * expands `auth` to the caller's authenticated ids. Throws INVALIDACL.
 */
export function fixupACL(path: string, authIds: readonly Id[], acl: readonly ACL[]): ACL[] {
  if (acl.length === 0) throw new KeeperError(Code.INVALIDACL, path);
  const out: ACL[] = [];
  const push = (a: ACL) => {
    if (!out.some((o) => o.perms === a.perms && o.id.scheme === a.id.scheme && o.id.id === a.id.id)) out.push(a);
  };
  for (const a of acl) {
    if (a.id.scheme === 'world' && a.id.id === 'anyone') {
      push(a);
    } else if (a.id.scheme === 'auth') {
      const ids = authIds.filter((id) => providers[id.scheme]?.isAuthenticated === true);
      if (ids.length === 0) throw new KeeperError(Code.INVALIDACL, path);
      for (const id of ids) push({ perms: a.perms, id: { scheme: id.scheme, id: id.id } });
    } else {
      const provider = providers[a.id.scheme];
      if (!provider || !provider.isValid(a.id.id)) throw new KeeperError(Code.INVALIDACL, path);
      push(a);
    }
  }
  return out;
}

/** What getACL shows a caller without ADMIN: digest ids with the hash replaced by x. */
export function redactDigests(acl: readonly ACL[]): ACL[] {
  return acl.map((a) => (a.id.scheme === 'digest'
    ? { perms: a.perms, id: { scheme: 'digest', id: a.id.id.replace(/:.*/s, ':x') } }
    : a));
}

export type AuthOutcome = { ok: true; ids: Id[] } | { ok: false };

/** AuthPacket handling for the digest and ip schemes; super when the digest matches superDigest. */
export function authenticate(scheme: string, auth: Uint8Array | null, superDigest: string | null): AuthOutcome {
  const text = new TextDecoder().decode(auth ?? new Uint8Array(0));
  if (scheme === 'digest') {
    const digest = generateDigest(text);
    const ids: Id[] = [{ scheme: 'digest', id: digest }];
    if (superDigest !== null && digest === superDigest) ids.push({ scheme: 'super', id: '' });
    return { ok: true, ids };
  }
  return { ok: false };
}
