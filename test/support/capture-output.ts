// For CLI tests: what the code under test writes to stdout and stderr, captured per test.
import { afterEach, beforeEach, vi } from 'vitest';

export function captureOutput(): { out: string[]; err: string[] } {
  const captured = { out: [] as string[], err: [] as string[] };
  beforeEach(() => {
    captured.out.length = 0;
    captured.err.length = 0;
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (captured.out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (captured.err.push(String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
