// Adler-32 (RFC 1950), the checksum ZooKeeper uses for txn log records and
// snapshots (java.util.zip.Adler32). Pure TypeScript.

const MOD_ADLER = 65521;
/** Largest n such that 255n(n+1)/2 + (n+1)(MOD_ADLER-1) < 2^32: sums stay exact. */
const NMAX = 5552;

/** Continues an Adler-32 from `previous` (1 for a fresh checksum) over `bytes`. */
export function adler32Update(previous: number, bytes: Uint8Array): number {
  let a = previous & 0xffff;
  let b = (previous >>> 16) & 0xffff;
  let i = 0;
  while (i < bytes.length) {
    const end = Math.min(i + NMAX, bytes.length);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= MOD_ADLER;
    b %= MOD_ADLER;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of `bytes`, as an unsigned 32-bit number (Java's Adler32.getValue()). */
export function adler32(bytes: Uint8Array): number {
  return adler32Update(1, bytes);
}
