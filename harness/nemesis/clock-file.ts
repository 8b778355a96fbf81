// What the clock nemesis writes into a node's libfaketime timestamp file: a
// relative offset in seconds (`+1.500`, `-30.000`), read by the node on every
// clock call (FAKETIME_NO_CACHE=1). Rates are done by the harness moving the
// offset in small steps (clock.ts), not by libfaketime's `xN`, whose rate
// counts from process start and would jump the clock when it changes.

export function faketimeOffsetText(offsetMs: number): string {
  if (!Number.isFinite(offsetMs)) throw new RangeError(`clock offset must be finite, got ${offsetMs}`);
  const seconds = (Math.abs(offsetMs) / 1000).toFixed(3);
  return `${offsetMs < 0 ? '-' : '+'}${seconds}\n`;
}

/** Offset after `elapsedMs` of running at `rate` (1 = true speed) from `baseMs`. */
export function driftedOffsetMs(baseMs: number, rate: number, elapsedMs: number): number {
  if (!(rate > 0)) throw new RangeError(`clock rate must be > 0, got ${rate}`);
  return baseMs + (rate - 1) * elapsedMs;
}

/** The strobe's offset at `elapsedMs`: base and base+delta alternate every `periodMs`. */
export function strobeOffsetMs(baseMs: number, deltaMs: number, periodMs: number, elapsedMs: number): number {
  if (!(periodMs > 0)) throw new RangeError(`strobe period must be > 0, got ${periodMs}`);
  return Math.floor(elapsedMs / periodMs) % 2 === 0 ? baseMs + deltaMs : baseMs;
}
