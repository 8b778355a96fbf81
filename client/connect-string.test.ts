import { describe, expect, it } from 'vitest';
import { ConnectStringError, isUnderChroot, parseConnectString, prependChroot, stripChroot } from './connect-string.ts';
import { validatePath } from './path.ts';

describe('parseConnectString', () => {
  it('reads hosts, ports and a chroot', () => {
    expect(parseConnectString('a:1,b:2/app/x')).toEqual({
      endpoints: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }], chroot: '/app/x' });
  });

  it('defaults the port to 2181, treats "/" as no chroot and reads bracketed IPv6', () => {
    expect(parseConnectString('a,[::1]:7/')).toEqual({
      endpoints: [{ host: 'a', port: 2181 }, { host: '::1', port: 7 }], chroot: '' });
  });

  it('refuses bad ports, empty host lists and invalid chroots', () => {
    expect(() => parseConnectString('a:0')).toThrow(ConnectStringError);
    expect(() => parseConnectString('a:x')).toThrow(/bad port/);
    expect(() => parseConnectString('/app')).toThrow(/no hosts/);
    expect(() => parseConnectString('a:1/app/')).toThrow(/chroot/);
  });
});

describe('chroot mapping', () => {
  it('prepends to request paths and strips from reply paths', () => {
    expect(prependChroot('/app', '/')).toBe('/app');
    expect(prependChroot('/app', '/x/y')).toBe('/app/x/y');
    expect(prependChroot('', '/x')).toBe('/x');
    expect(stripChroot('/app', '/app')).toBe('/');
    expect(stripChroot('/app', '/app/x')).toBe('/x');
    expect(stripChroot('/app', '/apple')).toBe('/apple');
  });

  it('knows which server paths lie under the chroot', () => {
    expect(isUnderChroot('/app', '/app/e')).toBe(true);
    expect(isUnderChroot('/app', '/apple')).toBe(false);
    expect(isUnderChroot('', '/anything')).toBe(true);
  });
});

describe('validatePath', () => {
  it('accepts absolute paths and a sequential prefix ending in /', () => {
    expect(validatePath('/')).toBeNull();
    expect(validatePath('/a/b-c')).toBeNull();
    expect(validatePath('/a/', true)).toBeNull();
  });

  it('refuses what ZooKeeper refuses', () => {
    expect(validatePath('')).toMatch(/length/);
    expect(validatePath('a')).toMatch(/start/);
    expect(validatePath('/a/')).toMatch(/end/);
    expect(validatePath('/a//b')).toMatch(/empty/);
    expect(validatePath('/a/./b')).toMatch(/relative/);
    expect(validatePath('/a/..')).toMatch(/relative/);
    expect(validatePath('/a\u0000')).toMatch(/invalid character/);
    expect(validatePath('/a\ud800')).toMatch(/invalid character/);
  });
});
