// zxid = 64-bit (epoch << 32 | counter). Kept as a JS number: epochs are
// bounded so every zxid is a safe integer. -1 means "no zxid" (UPTODATE, an
// empty database before load).
import { invariant } from './invariants.ts';

export type Zxid = number;

const COUNTER_SPAN = 2 ** 32;
/** Largest epoch whose zxids stay safe integers (2^53 / 2^32). */
export const MAX_EPOCH = 2 ** 21 - 1;
/** Counter value at which the leader refuses to propose (ZOOKEEPER-1277). */
export const MAX_COUNTER = 0xffffffff;
export const NO_ZXID: Zxid = -1;

export function makeZxid(epoch: number, counter: number): Zxid {
  invariant(Number.isInteger(epoch) && epoch >= 0 && epoch <= MAX_EPOCH, 'ZXID_OUT_OF_RANGE',
    () => `epoch ${epoch} outside 0..${MAX_EPOCH}`);
  invariant(Number.isInteger(counter) && counter >= 0 && counter <= MAX_COUNTER, 'ZXID_OUT_OF_RANGE',
    () => `counter ${counter} outside 0..${MAX_COUNTER}`);
  return epoch * COUNTER_SPAN + counter;
}

/** High 32 bits; -1 for negative zxids, as Java's `zxid >> 32`. */
export function epochOf(zxid: Zxid): number {
  return Math.floor(zxid / COUNTER_SPAN);
}

/** Low 32 bits, as Java's `zxid & 0xffffffffL`. */
export function counterOf(zxid: Zxid): number {
  const c = zxid % COUNTER_SPAN;
  return c < 0 ? c + COUNTER_SPAN : c;
}

/** The NEWLEADER marker of an epoch: (epoch, 0). */
export function isNewEpochZxid(zxid: Zxid): boolean {
  return counterOf(zxid) === 0;
}

export function zxidHex(zxid: Zxid): string {
  return zxid < 0 ? String(zxid) : `0x${zxid.toString(16)}`;
}
