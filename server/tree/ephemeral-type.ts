// EphemeralType: how StatPersisted.ephemeralOwner encodes node kinds.
// 0 = persistent; a session id = ephemeral; Long.MIN_VALUE = container;
// high byte 0xff with the TTL in the low 40 bits = TTL node (extended types only).

export const CONTAINER_EPHEMERAL_OWNER = -0x8000000000000000n;
const EXTENDED_MASK = 0xff00000000000000n;
export const TTL_MAX_MS = 0xffffffffff;

export type EphemeralKind = 'void' | 'normal' | 'container' | 'ttl';

export function ephemeralKind(owner: bigint, extendedTypesEnabled: boolean): EphemeralKind {
  if (owner === CONTAINER_EPHEMERAL_OWNER) return 'container';
  if (extendedTypesEnabled && (BigInt.asUintN(64, owner) & EXTENDED_MASK) === EXTENDED_MASK) return 'ttl';
  return owner === 0n ? 'void' : 'normal';
}

export function ttlToEphemeralOwner(ttlMs: number): bigint {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || ttlMs > TTL_MAX_MS) throw new RangeError(`ttl ${ttlMs} out of range`);
  return BigInt.asIntN(64, EXTENDED_MASK | BigInt(ttlMs));
}

export function ttlOf(owner: bigint): number {
  return Number(BigInt.asUintN(64, owner) & BigInt(TTL_MAX_MS));
}

/** DataNode.getClientEphemeralOwner: clients see 0 for containers and TTL nodes. */
export function clientEphemeralOwner(owner: bigint, extendedTypesEnabled: boolean): bigint {
  return ephemeralKind(owner, extendedTypesEnabled) === 'normal' ? owner : 0n;
}
