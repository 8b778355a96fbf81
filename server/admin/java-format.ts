// How Java prints the values four-letter words show: Double.toString,
// Long.toHexString, Date.toString, InetSocketAddress.toString, and the
// rounded averages of AvgMinMaxCounter / ServerCnxn. Pure.

import type { LatencyStats } from './snapshot.ts';

/** Double.toString: `3.0`, `1.4091`, `1.0E7`, `1.0E-4`. */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** Long.toHexString: two's complement for negatives (-1 -> ffffffffffffffff). */
export function hex64(n: number | bigint): string {
  return BigInt.asUintN(64, BigInt(n)).toString(16);
}

/** ServerStats average: total/count rounded half-up to 4 places (BigDecimal), 0 when empty. */
export function serverAverageLatency(latency: LatencyStats): number {
  if (latency.count <= 0) return 0;
  return Number((latency.totalMs / latency.count).toFixed(4));
}

/** ServerCnxn average: integer division of total by count. */
export function connectionAverageLatency(latency: LatencyStats): number {
  return latency.count <= 0 ? 0 : Math.floor(latency.totalMs / latency.count);
}

export function minLatency(latency: LatencyStats): number {
  return latency.count <= 0 ? 0 : latency.minMs;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Date.toString in UTC: `Sun Nov 22 02:55:41 UTC 2026`. */
export function javaDateUtc(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} `
    + `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Inet6Address.getHostAddress: eight hex groups, no `::` compression. */
export function javaIpv6(address: string): string {
  const [head, tail = ''] = address.split('::') as [string, string?];
  const groupsOf = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groupsOf(head);
  const right = groupsOf(tail);
  const last = right.length > 0 ? right : left;
  if (last.length > 0 && last[last.length - 1]!.includes('.')) {
    const [a, b, c, d] = last.pop()!.split('.').map(Number) as [number, number, number, number];
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const zeros = address.includes('::') ? Array<string>(8 - left.length - right.length).fill('0') : [];
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16)).join(':');
}

/** InetSocketAddress.toString of an accepted socket: `/127.0.0.1:43102`, `/[0:0:0:0:0:0:0:1]:43102`. */
export function javaSocketAddress(address: string, port: number): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return `/${mapped[1]}:${port}`;
  if (address.includes(':')) return `/[${javaIpv6(address)}]:${port}`;
  return `/${address}:${port}`;
}
