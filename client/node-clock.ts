// The Clock over Node: monotonic milliseconds and real timers.
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './types.ts';

export const nodeClock: Clock = {
  now: () => performance.now(),
  setTimer: (delayMs: number, fire: () => void): TimerHandle => {
    // Not unref'd: a client that is reconnecting keeps the process alive, as a socket would.
    return setTimeout(fire, Math.max(0, delayMs));
  },
  clearTimer: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
