import { describe, expect, it } from 'vitest';
import { parseStatCpuMs } from './proc-cpu.ts';

describe('parseStatCpuMs', () => {
  it('adds utime and stime (ticks of 10 ms), even when the command name holds spaces and parentheses', () => {
    const line = '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 11 0 1000 0 0';
    expect(parseStatCpuMs(line)).toBe(3250);
  });

  it('rejects a line it cannot read', () => {
    expect(() => parseStatCpuMs('garbage')).toThrow(/unreadable/);
  });
});
