// describeStartError: one line naming the real cause of a start-up failure.
import { describe, expect, it } from 'vitest';
import { parseZooCfg } from '../config/zoo-cfg.ts';
import { applyMyid } from '../config/myid.ts';
import { ConfigError } from '../config/errors.ts';
import { DiskError } from '../storage/disk.ts';
import { describeStartError } from './start-errors.ts';
import { describeInternalError } from './exit-codes.ts';

const member = applyMyid(parseZooCfg([
  'tickTime=500', 'initLimit=5', 'syncLimit=2', 'dataDir=/d', 'clientPort=2181',
  'server.1=127.0.0.1:2888:3888', 'server.2=127.0.0.1:2889:3889', 'server.3=127.0.0.1:2890:3890', ''].join('\n'), 'zoo.cfg'), '1', '/d/myid');

function listenError(code: string, port: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`listen ${code}: x 127.0.0.1:${port}`), { code, syscall: 'listen', address: '127.0.0.1', port, ...extra });
}

describe('describeStartError', () => {
  it('names which port is taken: client, quorum or election', () => {
    expect(describeStartError(listenError('EADDRINUSE', 2181), member)).toBe('client port 127.0.0.1:2181 is already in use');
    expect(describeStartError(listenError('EADDRINUSE', 2888), member)).toBe('quorum port 127.0.0.1:2888 is already in use');
    expect(describeStartError(listenError('EADDRINUSE', 3888), member)).toBe('election port 127.0.0.1:3888 is already in use');
  });

  it('an address that is not this machine\'s, and a privileged port', () => {
    expect(describeStartError(listenError('EADDRNOTAVAIL', 3888), member)).toMatch(/^cannot bind the election port 127\.0\.0\.1:3888: .*EADDRNOTAVAIL/);
    expect(describeStartError(listenError('EACCES', 2181), member)).toBe('cannot bind the client port 127.0.0.1:2181: EACCES: permission denied');
  });

  it('an address that does not resolve names the key', () => {
    const cfg = { ...member, clientPortAddress: 'no.such.host' };
    const e = Object.assign(new Error('getaddrinfo ENOTFOUND no.such.host'), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'no.such.host' });
    expect(describeStartError(e, cfg)).toBe('clientPortAddress no.such.host does not resolve to an address (getaddrinfo ENOTFOUND)');
  });

  it('a disk error names the path and the errno of its cause', () => {
    const cause = Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' });
    expect(describeStartError(new DiskError('IO', '/d/version-2/log.1', 'x', { cause })))
      .toBe('cannot use /d/version-2/log.1: EROFS: read-only file system');
  });

  it('a configuration error is its own message; anything else is not a start-up error', () => {
    expect(describeStartError(new ConfigError('MISSING', 'zoo.cfg: dataDir is not set'))).toBe('zoo.cfg: dataDir is not set');
    expect(describeStartError(new TypeError('x is undefined'))).toBeUndefined();
    expect(describeStartError('a string')).toBeUndefined();
  });
});

describe('describeInternalError', () => {
  it('is one line: the error and where it was thrown', () => {
    const line = describeInternalError(new RangeError('Maximum call stack size exceeded'));
    expect(line).toMatch(/^internal error: RangeError: Maximum call stack size exceeded \(at .*start-errors\.test\.ts:\d+:\d+\)$/);
    expect(line).not.toContain('\n');
  });
});
