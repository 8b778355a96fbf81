import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NamedTimers } from './timers.ts';

describe('NamedTimers', () => {
  let fired: string[];
  let timers: NamedTimers;
  beforeEach(() => {
    vi.useFakeTimers();
    fired = [];
    timers = new NamedTimers((name) => fired.push(name));
  });
  afterEach(() => vi.useRealTimers());

  it('re-arming with the same delay pushes the deadline out from now', () => {
    timers.set('learner.read', 100);
    vi.advanceTimersByTime(60);
    timers.set('learner.read', 100);
    vi.advanceTimersByTime(60);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(fired).toEqual(['learner.read']);
    expect(timers.pending).toEqual([]);
  });

  it('re-arming with another delay replaces the timer; each name fires once', () => {
    timers.set('learner.read', 100);
    timers.set('learner.read', 30);
    timers.set('leader.tick', 50);
    vi.advanceTimersByTime(200);
    expect(fired).toEqual(['learner.read', 'leader.tick']);
  });

  it('a cancelled timer never fires, and cancelAll clears every name', () => {
    timers.set('learner.read', 10);
    timers.cancel('learner.read');
    timers.set('fle.poll', 10);
    timers.set('leader.tick', 10);
    expect(timers.pending.sort()).toEqual(['fle.poll', 'leader.tick']);
    timers.cancelAll();
    vi.advanceTimersByTime(100);
    expect(fired).toEqual([]);
  });
});
