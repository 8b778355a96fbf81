import { describe, expect, it } from 'vitest';
import { checkACL, fixupACL, generateDigest, hasPermission, redactDigests, authenticate } from './acl.ts';
import { Perms } from '../wire/opcodes.ts';
import { KeeperError, Code } from '../wire/errors.ts';

const ip = (addr: string) => ({ scheme: 'ip', id: addr });

describe('acl', () => {
  it('generates ZooKeeper digests', () => {
    // A known pair from ZooKeeper's documentation style: super:test.
    expect(generateDigest('super:test')).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
  });

  it('matches ip ACLs with CIDR and IPv4-mapped IPv6 clients', () => {
    const acl = [{ perms: Perms.READ, id: ip('127.0.0.0/8') }];
    expect(hasPermission(acl, Perms.READ, [ip('127.0.0.1')])).toBe(true);
    expect(hasPermission(acl, Perms.READ, [ip('::ffff:127.0.0.5')])).toBe(true);
    expect(hasPermission(acl, Perms.READ, [ip('10.0.0.1')])).toBe(false);
    expect(hasPermission(acl, Perms.WRITE, [ip('127.0.0.1')])).toBe(false);
  });

  it('lets super do anything and an empty ACL allow everything', () => {
    const acl = [{ perms: Perms.READ, id: { scheme: 'digest', id: 'a:b' } }];
    expect(hasPermission(acl, Perms.ADMIN, [{ scheme: 'super', id: '' }])).toBe(true);
    expect(hasPermission([], Perms.ADMIN, [])).toBe(true);
    expect(() => checkACL(acl, Perms.READ, [])).toThrowError(KeeperError);
  });

  it('expands auth to authenticated ids and refuses it without any', () => {
    const authIds = [ip('127.0.0.1'), { scheme: 'digest', id: 'u:h' }];
    expect(fixupACL('/a', authIds, [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }]))
      .toEqual([{ perms: Perms.ALL, id: { scheme: 'digest', id: 'u:h' } }]);
    expect(() => fixupACL('/a', [ip('127.0.0.1')], [{ perms: 1, id: { scheme: 'auth', id: '' } }]))
      .toThrowError(expect.objectContaining({ code: Code.INVALIDACL }) as unknown as Error);
  });

  it('refuses unknown schemes, bad ids and empty lists', () => {
    for (const id of [{ scheme: 'nope', id: 'x' }, { scheme: 'world', id: 'someone' }, { scheme: 'ip', id: '1.2.3' },
      { scheme: 'digest', id: 'nocolon' }]) {
      expect(() => fixupACL('/a', [], [{ perms: 1, id }])).toThrowError(KeeperError);
    }
    expect(() => fixupACL('/a', [], [])).toThrowError(KeeperError);
  });

  it('redacts digest hashes for callers without ADMIN', () => {
    expect(redactDigests([{ perms: 1, id: { scheme: 'digest', id: 'u:abc=' } }])[0]!.id.id).toBe('u:x');
  });

  it('grants super when the digest matches superDigest', () => {
    const sd = generateDigest('super:secret');
    const out = authenticate('digest', new TextEncoder().encode('super:secret'), sd);
    expect(out.ok && out.ids.some((i) => i.scheme === 'super')).toBe(true);
    expect(authenticate('kerberos', null, null).ok).toBe(false);
  });
});
