// SessionTrackerImpl + ExpiryQueue: session ids, passwords, and expiry in
// buckets of tickTime. Pure: time is passed in with each call.

export interface TrackedSession {
  id: bigint;
  timeoutMs: number;
  expireAtMs: number;
  closing: boolean;
}

/** java.util.Random(seed).nextBytes(16): ZooKeeper's session password. */
export function generatePassword(sessionId: bigint): Uint8Array {
  const mask = (1n << 48n) - 1n;
  let seed = (BigInt.asUintN(64, sessionId ^ 0xb3415c00n) ^ 0x5deece66dn) & mask;
  const nextInt = (): number => {
    seed = (seed * 0x5deece66dn + 0xbn) & mask;
    return Number(BigInt.asIntN(32, seed >> 16n));
  };
  const out = new Uint8Array(16);
  for (let i = 0; i < out.length;) {
    let rnd = nextInt();
    for (let n = Math.min(out.length - i, 4); n-- > 0; rnd >>= 8) out[i++] = rnd & 0xff;
  }
  return out;
}

export function passwordMatches(sessionId: bigint, passwd: Uint8Array): boolean {
  const expected = generatePassword(sessionId);
  return passwd.byteLength === expected.byteLength && expected.every((b, i) => b === passwd[i]);
}

export class SessionTracker {
  private readonly sessions = new Map<bigint, TrackedSession>();
  /** The server each session is connected through (the leader's view, for SESSIONMOVED). */
  private readonly owners = new Map<bigint, number>();
  private nextSessionId: bigint;

  constructor(private readonly tickTimeMs: number, serverId: number, nowMs: number) {
    // ((now << 24) >>> 8) | (sid << 56): the high byte is the server id.
    const ts = BigInt.asUintN(64, BigInt(Math.floor(nowMs)) << 24n) >> 8n;
    let id = BigInt.asIntN(64, ts | (BigInt(serverId) << 56n));
    if (id === -0x8000000000000000n) id += 1n;
    this.nextSessionId = id;
  }

  private roundToInterval(timeMs: number): number {
    return (Math.floor(timeMs / this.tickTimeMs) + 1) * this.tickTimeMs;
  }

  createSession(timeoutMs: number, nowMs: number): bigint {
    const id = this.nextSessionId;
    this.nextSessionId += 1n;
    this.addSession(id, timeoutMs, nowMs);
    return id;
  }

  addSession(id: bigint, timeoutMs: number, nowMs: number): void {
    const existing = this.sessions.get(id);
    if (existing) {
      this.touch(id, timeoutMs, nowMs);
      return;
    }
    this.sessions.set(id, { id, timeoutMs, expireAtMs: this.roundToInterval(nowMs + timeoutMs), closing: false });
  }

  /** Extends a live session; false when it is unknown or closing (expired). */
  touch(id: bigint, timeoutMs: number | undefined, nowMs: number): boolean {
    const s = this.sessions.get(id);
    if (!s || s.closing) return false;
    if (timeoutMs !== undefined) s.timeoutMs = timeoutMs;
    s.expireAtMs = Math.max(s.expireAtMs, this.roundToInterval(nowMs + s.timeoutMs));
    return true;
  }

  isAlive(id: bigint): boolean {
    const s = this.sessions.get(id);
    return s !== undefined && !s.closing;
  }

  get(id: bigint): TrackedSession | undefined {
    return this.sessions.get(id);
  }

  setClosing(id: bigint): void {
    const s = this.sessions.get(id);
    if (s) s.closing = true;
  }

  remove(id: bigint): void {
    this.sessions.delete(id);
    this.owners.delete(id);
  }

  setOwner(id: bigint, owner: number): void {
    if (this.sessions.has(id)) this.owners.set(id, owner);
  }

  /** True when the session is not known to be owned by another server than `server`. */
  isOwnedBy(id: bigint, server: number): boolean {
    const owner = this.owners.get(id);
    return owner === undefined || owner === server;
  }

  /** Sessions whose expiry bucket has passed; they are marked closing. */
  expire(nowMs: number): TrackedSession[] {
    const out: TrackedSession[] = [];
    for (const s of this.sessions.values()) {
      if (!s.closing && s.expireAtMs <= nowMs) {
        s.closing = true;
        out.push(s);
      }
    }
    return out;
  }

  all(): TrackedSession[] {
    return [...this.sessions.values()];
  }
}
