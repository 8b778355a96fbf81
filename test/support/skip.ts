// Skipping a test file when a system dependency is missing, WITH the reason
// printed; under CI=true a missing dependency is a failure, never a skip.
import { describe, it } from 'vitest';

export type Availability = { ok: true } | { ok: false; reason: string };

export const available: Availability = { ok: true };

export function unavailable(reason: string): Availability {
  return { ok: false, reason };
}

export function isCi(): boolean {
  return process.env.CI === 'true';
}

/**
 * `describe(name, body)` when `availability` is ok. Otherwise the block is
 * skipped with the reason on stderr, or (under CI=true) replaced by a failing test.
 */
export function describeIfAvailable(name: string, availability: Availability, body: () => void): void {
  if (availability.ok) {
    describe(name, body);
    return;
  }
  const reason = availability.reason;
  if (isCi()) {
    describe(name, () => {
      it('has its system dependencies (CI=true: missing ones fail instead of skipping)', () => {
        throw new Error(`missing system dependency: ${reason}`);
      });
    });
    return;
  }
  process.stderr.write(`[skip] ${name}: ${reason}\n`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}
