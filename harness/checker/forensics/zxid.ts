// Small helpers shared by the forensics modules.
import type { Finding, FindingKind, Severity } from './types.ts';

export function epochOf(zxid: number): number {
  return Math.floor(zxid / 2 ** 32);
}

export function hexZxid(zxid: number): string {
  return `0x${zxid.toString(16)}`;
}

export function finding(
  kind: FindingKind, severity: Severity, nodes: string[], zxids: string[], opIds: number[], message: string,
): Finding {
  return { kind, severity, nodes, zxids, opIds, message };
}

/** Smallest number of nodes that is a majority of `n`. */
export function majorityOf(n: number): number {
  return Math.floor(n / 2) + 1;
}
