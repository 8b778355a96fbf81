/** Wall-clock time in milliseconds, injected so the core never reads a global clock. */
export interface Clock {
  nowMs(): number;
}
