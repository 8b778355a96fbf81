// Whether two logged txns are the same transaction.
import type { LoggedTxn } from './node-history.ts';

/** Which parts differ, or null when the two are the same txn. */
export function difference(a: LoggedTxn, b: LoggedTxn): string | null {
  const parts: string[] = [];
  if (a.type !== b.type) parts.push('type');
  if (a.clientId !== b.clientId) parts.push('session');
  if (a.cxid !== b.cxid) parts.push('cxid');
  if (!sameBytes(a.body, b.body)) parts.push('body');
  return parts.length === 0 ? null : parts.join(', ');
}

export function describe(t: LoggedTxn): string {
  return `type ${t.type} session 0x${t.clientId.toString(16)} cxid ${t.cxid} (${t.body.length} body bytes)`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
