import { describe, expect, it } from 'vitest';
import { parseTargets } from './targets.ts';
import { buildServerConfig, digestOf } from './zoo-cfg.ts';

describe('parseTargets', () => {
  it('defaults to both standalone servers and the zooproof ensemble', () => {
    expect(parseTargets(undefined)).toEqual(['apache', 'zooproof', 'zooproof-ensemble']);
    expect(parseTargets('')).toEqual(['apache', 'zooproof', 'zooproof-ensemble']);
  });
  it('parses a comma list and rejects unknown names', () => {
    expect(parseTargets('apache')).toEqual(['apache']);
    expect(parseTargets(' zooproof , apache ')).toEqual(['zooproof', 'apache']);
    expect(parseTargets('apache-ensemble')).toEqual(['apache-ensemble']);
    expect(() => parseTargets('apache,etcd')).toThrow(/unknown target 'etcd'/);
  });
});

describe('zoo.cfg', () => {
  it('digest is user:base64(sha1(user:password))', () => {
    // Checked with `printf user:pass | sha1sum | xxd -r -p | base64`.
    expect(digestOf('user', 'pass')).toBe('user:smGaoVKd/cQkjm7b88GyorAUz20=');
  });
  it('binds loopback, disables the admin server and whitelists all 4lw by default', () => {
    const cfg = buildServerConfig({}, '/d', 1234);
    expect(cfg.zooCfg).toContain('clientPort=1234\n');
    expect(cfg.zooCfg).toContain('clientPortAddress=127.0.0.1\n');
    expect(cfg.zooCfg).toContain('admin.enableServer=false\n');
    expect(cfg.zooCfg).toContain('4lw.commands.whitelist=*\n');
    expect(cfg.zooCfg).toContain('dataDir=/d\n');
    expect(cfg.systemProperties['zookeeper.extendedTypesEnabled']).toBe('true');
  });
  it('passes session-timeout bounds through', () => {
    const cfg = buildServerConfig({ minSessionTimeoutMs: 3000, maxSessionTimeoutMs: 9000, tickTimeMs: 500 }, '/d', 1);
    expect(cfg.zooCfg).toMatch(/^tickTime=500$/m);
    expect(cfg.zooCfg).toMatch(/^minSessionTimeout=3000$/m);
    expect(cfg.zooCfg).toMatch(/^maxSessionTimeout=9000$/m);
  });
});
