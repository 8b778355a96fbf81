// Counter-based randomness: a value is a pure function of (seed, stream,
// index), so a generator can draw without mutating anything and draw the same
// numbers again when asked twice. Streams keep unrelated choices apart (one
// per client process, one for the nemesis), so the fault schedule does not
// depend on how fast the clients ran.

/** A uniform random number in [0, 1). */
export type Random = () => number;

/** 32-bit FNV-1a of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for test plans (not for cryptography). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh generator for draw number `index` of `stream` under `seed`. */
export function streamRandom(seed: number, stream: string, index: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const mixed = hashString(`${seed >>> 0}:${Math.floor(seed / 4294967296)}|${stream}|${index}`);
  const rand = mulberry32(mixed);
  rand(); // the first output of mulberry32 correlates with nearby seeds
  return rand;
}

/** An integer in [0, n). */
export function randomInt(rand: Random, n: number): number {
  if (!(n >= 1)) throw new RangeError(`randomInt needs n >= 1, got ${n}`);
  return Math.min(n - 1, Math.floor(rand() * n));
}

export function pick<T>(rand: Random, xs: readonly T[]): T {
  if (xs.length === 0) throw new RangeError('pick from an empty list');
  return xs[randomInt(rand, xs.length)]!;
}

/** A uniformly shuffled copy (Fisher-Yates). */
export function shuffled<T>(rand: Random, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rand, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
