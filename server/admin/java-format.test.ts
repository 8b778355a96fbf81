import { describe, expect, it } from 'vitest';
import {
  connectionAverageLatency, hex64, javaDateUtc, javaDouble, javaIpv6, javaSocketAddress, serverAverageLatency,
} from './java-format.ts';

describe('javaDouble (Double.toString)', () => {
  it.each([
    [0, '0.0'], [3, '3.0'], [1.4091, '1.4091'], [-2.5, '-2.5'], [0.001, '0.001'],
    [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [0.0001, '1.0E-4'], [-0.00025, '-2.5E-4'],
  ])('%s -> %s', (x, text) => expect(javaDouble(x)).toBe(text));
});

describe('latency averages', () => {
  it('server: half-up to 4 places, as BigDecimal', () => {
    expect(serverAverageLatency({ count: 22, totalMs: 31, minMs: 0, maxMs: 8 })).toBe(1.4091);
    expect(serverAverageLatency({ count: 23, totalMs: 31, minMs: 0, maxMs: 8 })).toBe(1.3478);
    expect(serverAverageLatency({ count: 8, totalMs: 1, minMs: 0, maxMs: 1 })).toBe(0.125);
    expect(serverAverageLatency({ count: 0, totalMs: 0, minMs: 0, maxMs: 0 })).toBe(0);
  });
  it('connection: integer division', () => {
    expect(connectionAverageLatency({ count: 6, totalMs: 11, minMs: 0, maxMs: 8 })).toBe(1);
    expect(connectionAverageLatency({ count: 0, totalMs: 0, minMs: 0, maxMs: 0 })).toBe(0);
  });
});

describe('hex64 (Long.toHexString)', () => {
  it('prints unsigned 64-bit hex', () => {
    expect(hex64(0xb)).toBe('b');
    expect(hex64(-1)).toBe('ffffffffffffffff');
    expect(hex64(0x10000064f4e0002n)).toBe('10000064f4e0002');
    expect(hex64(-0x7f00000000000000n)).toBe('8100000000000000');
  });
});

describe('javaDateUtc (Date.toString in UTC)', () => {
  it('matches ZooKeeper output', () => {
    expect(javaDateUtc(Date.UTC(2026, 10, 22, 2, 55, 41))).toBe('Sun Nov 22 02:55:41 UTC 2026');
    expect(javaDateUtc(Date.UTC(2025, 0, 5, 13, 4, 9, 999))).toBe('Sun Jan 05 13:04:09 UTC 2025');
  });
});

describe('socket addresses (InetSocketAddress.toString)', () => {
  it('IPv4, IPv4-mapped and IPv6', () => {
    expect(javaSocketAddress('127.0.0.1', 43102)).toBe('/127.0.0.1:43102');
    expect(javaSocketAddress('::ffff:127.0.0.2', 5)).toBe('/127.0.0.2:5');
    expect(javaSocketAddress('::1', 5)).toBe('/[0:0:0:0:0:0:0:1]:5');
  });
  it('expands IPv6 as Inet6Address.getHostAddress', () => {
    expect(javaIpv6('::')).toBe('0:0:0:0:0:0:0:0');
    expect(javaIpv6('fe80::00a:1')).toBe('fe80:0:0:0:0:0:a:1');
    expect(javaIpv6('2001:db8::')).toBe('2001:db8:0:0:0:0:0:0');
    expect(javaIpv6('64:ff9b::10.0.0.1')).toBe('64:ff9b:0:0:0:0:a00:1');
  });
});
